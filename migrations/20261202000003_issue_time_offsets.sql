-- The offset each issue time was given in (seconds east of UTC): `timestamptz` keeps only
-- the instant, and readers get the time back as it was written. Rows projected before this
-- column existed are rebuilt (the issues projector's version moves to 3).
ALTER TABLE read.issues
    ADD COLUMN reported_offset INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN resolved_offset INTEGER;

-- Issues already projected get their offsets from the log, where the times are RFC 3339
-- text ending in `Z` or `±hh:mm`.
CREATE FUNCTION pg_temp.rfc3339_offset(t TEXT) RETURNS INTEGER LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
        WHEN upper(right(t, 1)) = 'Z' THEN 0
        ELSE (CASE WHEN left(right(t, 6), 1) = '-' THEN -1 ELSE 1 END)
            * (substr(right(t, 5), 1, 2)::INTEGER * 3600 + right(t, 2)::INTEGER * 60)
    END
$$;

UPDATE read.issues i SET reported_offset = pg_temp.rfc3339_offset(e.payload->>'reported_at')
FROM events e
WHERE e.stream_id = 'issue-' || i.issue_id AND e.event_type = 'IssueReported';

UPDATE read.issues i SET resolved_offset = pg_temp.rfc3339_offset(last.resolved_at)
FROM (
    SELECT DISTINCT ON (stream_id) stream_id, payload->>'resolved_at' AS resolved_at
    FROM events WHERE event_type = 'IssueResolved'
    ORDER BY stream_id, position DESC
) last
WHERE last.stream_id = 'issue-' || i.issue_id AND i.resolved_at IS NOT NULL;
