-- Values rendered by PostgreSQL the way the GraphQL schema shows them, for pages whose JSON
-- goes to the client as PostgreSQL wrote it (the gateway's direct board pages).

-- A moment in RFC 3339 at `offset_seconds` east of UTC, the text the gateway's `DateTime`
-- scalar writes: seconds with the fraction's trailing zeros dropped (no fraction when
-- whole), `Z` at offset zero, else `+HH:MM` or `-HH:MM`. The date and time are JSON's
-- rendering of the local time (ISO 8601 whatever the session's DateStyle, the fraction
-- trimmed the same way). As the scalar does, an offset past ±25:59:59 counts as zero, and
-- one it cannot write (seconds in it, or 24 hours or more) gives ''. Written as one
-- expression so that the planner inlines it.
CREATE FUNCTION read.rfc3339(at timestamptz, offset_seconds integer) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $$
SELECT CASE
    WHEN at IS NULL THEN NULL
    WHEN abs(offset_seconds) < 93600 AND (offset_seconds % 60 <> 0 OR abs(offset_seconds) >= 86400)
        THEN ''
    ELSE btrim(to_json((at AT TIME ZONE 'UTC')
                + CASE WHEN abs(offset_seconds) < 93600 THEN offset_seconds ELSE 0 END
                  * interval '1 second')::text, '"')
        || CASE WHEN abs(offset_seconds) >= 93600 OR offset_seconds = 0 THEN 'Z'
            ELSE CASE WHEN offset_seconds < 0 THEN '-' ELSE '+' END
                || lpad((abs(offset_seconds) / 3600)::text, 2, '0') || ':'
                || lpad((abs(offset_seconds) % 3600 / 60)::text, 2, '0')
            END
    END
$$;

-- Raises for a stored enum name that the reader does not know: such a name is an error on
-- every read path, never shown as something else.
CREATE FUNCTION read.unknown_name(kind text, name text) RETURNS text
LANGUAGE plpgsql STABLE AS $$
BEGIN
    RAISE EXCEPTION 'unknown % name %', kind, coalesce(quote_literal(name), 'NULL');
END
$$;
