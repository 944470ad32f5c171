-- The log index (per stream, per actor and per event type: a count and the first and last
-- positions) goes. Nothing read it: the auditors' reads filter the log itself by the
-- indexes `events` has for each of those (its stream key, `events_actor_idx`,
-- `events_event_type_idx`). Every append paid for it all the same, and a rebuild or a
-- replay of the read models wrote a row per stream for it.
DROP TABLE read.stream_index, read.actor_index, read.type_index;
DELETE FROM read.checkpoints WHERE projector = 'log_index';
