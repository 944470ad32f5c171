-- Idempotency keys and stream versions are answered by `events` itself, with no second
-- table written beside each append.
--
-- `streams` and `applied_commands` held nothing that the events do not: a stream's version
-- is its last event's (`events`' unique `(stream_id, stream_version)` index answers it from
-- its last entry), and an applied command is its append's first event (stream, first
-- position, stream version, actor, fingerprint). Keeping them cost every append a statement
-- trigger, a transition table and two more rows with their indexes: about a third of a
-- single-event append's time in PostgreSQL.
--
-- What the events lacked is which of an append's events is its first, and how many it
-- appended. `command_events` says so: set on the first event an idempotent command
-- appended, to the number of events it appended (an append's events have consecutive
-- positions and stream versions), NULL on every other event. The partial unique index over
-- it is the idempotency key: a command id already applied violates `events_command_key`,
-- which fails the whole statement, as `applied_commands_pkey` did.
ALTER TABLE events
    ADD COLUMN command_events INTEGER
        CHECK (command_events IS NULL OR (command_events > 0 AND command_id IS NOT NULL));

-- The commands applied so far are marked from `applied_commands`. This is bookkeeping
-- outside the hash chain (no hashed field changes), written once by the table's owner, so
-- the append-only trigger is held off for this statement alone, inside this migration's
-- transaction.
ALTER TABLE events DISABLE TRIGGER events_no_update_delete;
UPDATE events e SET command_events = a.last_position - a.first_position + 1
    FROM applied_commands a
    WHERE e.position = a.first_position AND e.command_id = a.command_id;
ALTER TABLE events ENABLE TRIGGER events_no_update_delete;

CREATE UNIQUE INDEX events_command_key ON events (command_id) WHERE command_events IS NOT NULL;

DROP TRIGGER events_derive_stream_state ON events;
DROP FUNCTION events_derive_stream_state();
DROP TABLE applied_commands;
DROP TABLE streams;

-- Erasing a person is still one outcome: the statement that appends `PersonalDataErased`
-- destroys the person's key, so the key is gone exactly when the erasure is recorded (a
-- failed append keeps both). A row trigger whose condition PostgreSQL checks without
-- calling the function, so every other event costs nothing here.
CREATE FUNCTION events_erase_person_key() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM person_keys WHERE person_id = NEW.payload->>'person';
    RETURN NULL;
END;
$$;

CREATE TRIGGER events_erase_person_key
    AFTER INSERT ON events
    FOR EACH ROW WHEN (NEW.event_type = 'PersonalDataErased')
    EXECUTE FUNCTION events_erase_person_key();
