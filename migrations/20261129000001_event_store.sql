-- The event log: one row per event, in one gapless total order (`position`).
-- Positions are assigned by the writer under a transaction-level advisory lock,
-- so they are also commit order: a reader that asks for "after p" never skips.
CREATE TABLE events (
    position        BIGINT      PRIMARY KEY CHECK (position > 0),
    event_id        UUID        NOT NULL UNIQUE,
    stream_id       TEXT        NOT NULL,
    stream_version  BIGINT      NOT NULL CHECK (stream_version > 0),
    event_type      TEXT        NOT NULL,
    schema_version  INTEGER     NOT NULL CHECK (schema_version > 0),
    payload         JSONB       NOT NULL,
    actor_id        TEXT        NOT NULL,
    actor_role      TEXT        NOT NULL,
    correlation_id  UUID        NOT NULL,
    causation_id    UUID,
    command_id      UUID,
    recorded_at     TIMESTAMPTZ NOT NULL,
    hash            BYTEA       NOT NULL CHECK (octet_length(hash) = 32),
    UNIQUE (stream_id, stream_version)
);

CREATE INDEX events_event_type_idx ON events (event_type, position);
CREATE INDEX events_actor_idx ON events (actor_id, position);
CREATE INDEX events_recorded_at_idx ON events (recorded_at);

-- Current version of each stream, so the writer checks expectations with one
-- indexed lookup per batch instead of max(stream_version).
CREATE TABLE streams (
    stream_id TEXT   PRIMARY KEY,
    version   BIGINT NOT NULL
);

-- Applied command ids and the result of their first append (idempotent retries).
CREATE TABLE applied_commands (
    command_id     UUID        PRIMARY KEY,
    stream_id      TEXT        NOT NULL,
    first_position BIGINT      NOT NULL,
    last_position  BIGINT      NOT NULL,
    stream_version BIGINT      NOT NULL,
    applied_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Append-only, enforced by the database for every role, the owner included.
CREATE FUNCTION events_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'events is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER events_no_update_delete
    BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION events_reject_change();

CREATE TRIGGER events_no_truncate
    BEFORE TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION events_reject_change();

-- An application role that may only read and insert. Deployments that connect
-- as `civic_app` cannot even try to change history; the triggers above stop
-- the owner as well.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'civic_app') THEN
        CREATE ROLE civic_app NOLOGIN;
    END IF;
END;
$$;
REVOKE ALL ON events FROM PUBLIC;
GRANT SELECT, INSERT ON events TO civic_app;
GRANT SELECT, INSERT, UPDATE ON streams TO civic_app;
GRANT SELECT, INSERT ON applied_commands TO civic_app;
