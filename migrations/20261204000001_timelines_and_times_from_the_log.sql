-- An issue's timeline and a stream's happened times are read from the stream's own events
-- when asked for (a stream's events are one range of `events`' (stream_id, stream_version)
-- index), so their read models, a row per event each, go: together they were most of what
-- a projection or rebuild wrote. What the log cannot answer by index is the log's span on
-- the happened axis; `happened_spans` keeps each stream's (see
-- `civic_projections::models::happened_spans`), built from position 0 by its projector.
DROP TABLE read.event_times;
DROP TABLE read.issue_timeline;
DELETE FROM read.checkpoints WHERE projector IN ('event_times', 'issue_timeline');

CREATE TABLE read.happened_spans (
    stream_id     TEXT        PRIMARY KEY,
    happened_from TIMESTAMPTZ NOT NULL,
    dated_until   TIMESTAMPTZ,
    undated_until TIMESTAMPTZ,
    CHECK (dated_until IS NOT NULL OR undated_until IS NOT NULL)
);
CREATE INDEX happened_spans_from_idx ON read.happened_spans (happened_from);
CREATE INDEX happened_spans_until_idx ON read.happened_spans ((greatest(dated_until, undated_until)));
