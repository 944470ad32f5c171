-- An idempotency key answers only the request it was first used for. Each append carries
-- the fingerprint of the command that caused it (SHA-256 of actor, command, target stream
-- and canonical input), and `applied_commands` keeps it beside the first result, so a retry
-- is recognised by its fingerprint and another request under the same key is refused.
--
-- Events appended before this migration have no fingerprint; their command ids answer a
-- retry only from the same actor on the same stream (`applied_commands.actor_id`).
ALTER TABLE events
    ADD COLUMN command_fingerprint BYTEA
        CHECK (command_fingerprint IS NULL OR octet_length(command_fingerprint) = 32);

ALTER TABLE applied_commands
    ADD COLUMN actor_id    TEXT,
    ADD COLUMN fingerprint BYTEA;

UPDATE applied_commands a SET actor_id = e.actor_id
    FROM events e WHERE e.position = a.first_position;

-- Erasing a person is one outcome: the statement that appends `PersonalDataErased` also
-- destroys the person's key, so the key is gone exactly when the erasure is recorded (a
-- failed append keeps both). Kept in the same statement trigger as the derived state: one
-- trigger call per batch.
CREATE OR REPLACE FUNCTION events_derive_stream_state() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM person_keys WHERE person_id IN (
        SELECT payload->>'person' FROM inserted WHERE event_type = 'PersonalDataErased');
    INSERT INTO streams (stream_id, version)
        SELECT stream_id, max(stream_version) FROM inserted GROUP BY stream_id
        ON CONFLICT (stream_id) DO UPDATE SET version = greatest(streams.version, EXCLUDED.version);
    INSERT INTO applied_commands (command_id, stream_id, first_position, last_position,
                                  stream_version, applied_at, actor_id, fingerprint)
        SELECT command_id, min(stream_id), min(position), max(position), max(stream_version),
               min(recorded_at), min(actor_id), (array_agg(command_fingerprint))[1]
        FROM inserted WHERE command_id IS NOT NULL GROUP BY command_id;
    RETURN NULL;
END;
$$;

GRANT SELECT, INSERT, DELETE ON person_keys TO civic_app;
