-- The "happened" time axis: when what each event records happened, as the event itself
-- says (a report's moment, a vote's date at the start of that day in China time), or its
-- commit time when it says nothing. Derived from the hashed payload by the event_times
-- projector, so it is as trustworthy as the payload and can be rebuilt at any time.
CREATE TABLE read.event_times (
    position    BIGINT      PRIMARY KEY,
    stream_id   TEXT        NOT NULL,
    happened_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX event_times_stream_idx ON read.event_times (stream_id, happened_at);
CREATE INDEX event_times_happened_idx ON read.event_times (happened_at, position);
