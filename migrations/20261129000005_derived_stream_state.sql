-- Stream versions and applied command ids follow from the events themselves, so the
-- database keeps them, in the statement that inserts the events: whoever inserts events
-- (the writer's COPY, its small-batch INSERT, or anything else) leaves `streams` and
-- `applied_commands` consistent with `events`, and the writer sends one statement per batch
-- instead of two.
--
-- One append is one stream and at most one command id (`Metadata` belongs to the append), so
-- a command id's rows in one statement are exactly its append: its first and last position
-- and the stream's version after it. A command id that was already applied violates
-- `applied_commands_pkey`, which fails the whole statement: the writer relies on that to
-- append without looking every new command id up first.
CREATE FUNCTION events_derive_stream_state() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO streams (stream_id, version)
        SELECT stream_id, max(stream_version) FROM inserted GROUP BY stream_id
        ON CONFLICT (stream_id) DO UPDATE SET version = greatest(streams.version, EXCLUDED.version);
    INSERT INTO applied_commands (command_id, stream_id, first_position, last_position,
                                  stream_version, applied_at)
        SELECT command_id, min(stream_id), min(position), max(position), max(stream_version),
               min(recorded_at)
        FROM inserted WHERE command_id IS NOT NULL GROUP BY command_id;
    RETURN NULL;
END;
$$;

CREATE TRIGGER events_derive_stream_state
    AFTER INSERT ON events
    REFERENCING NEW TABLE AS inserted
    FOR EACH STATEMENT EXECUTE FUNCTION events_derive_stream_state();
