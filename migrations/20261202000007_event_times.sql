-- The "happened" time axis: when what each event records happened, as the event itself
-- says (a report's moment, a vote's date at the start of that day in China time). An event
-- that names no date happened when it was recorded, or no later than the earliest dated
-- event after it in its stream (it made that event possible). Derived from the hashed
-- payloads by the event_times projector, so it is as trustworthy as they are and can be
-- rebuilt at any time. `dated`: the time is the event's own.
CREATE TABLE read.event_times (
    position    BIGINT      PRIMARY KEY,
    stream_id   TEXT        NOT NULL,
    happened_at TIMESTAMPTZ NOT NULL,
    dated       BOOLEAN     NOT NULL
);
CREATE INDEX event_times_stream_idx ON read.event_times (stream_id, happened_at);
CREATE INDEX event_times_happened_idx ON read.event_times (happened_at, position);
