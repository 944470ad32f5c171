-- Accounts: what the log does not hold (credentials, sessions, failed sign-ins) and the
-- read models of who held which access when.

-- One Argon2id hash (PHC string) per person's account. A password is not an event: only
-- the fact that one was set is in the log. Closing an account deletes its row.
CREATE TABLE credentials (
    login       TEXT        PRIMARY KEY,
    hash        TEXT        NOT NULL,
    must_change BOOLEAN     NOT NULL,
    set_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Refresh tokens, stored as SHA-256 of the token. A token is used once: its use records
-- `used_at` and opens the next session of the same family; a second use revokes the family.
CREATE TABLE sessions (
    id          UUID        PRIMARY KEY,
    login       TEXT        NOT NULL,
    family      UUID        NOT NULL,
    token_hash  BYTEA       NOT NULL UNIQUE,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at  TIMESTAMPTZ NOT NULL,
    used_at     TIMESTAMPTZ,
    revoked_at  TIMESTAMPTZ,
    user_agent  TEXT
);
CREATE INDEX sessions_login_idx ON sessions (login);
CREATE INDEX sessions_family_idx ON sessions (family);

-- Failed sign-ins in a row per login, and the lockout they earned.
CREATE TABLE sign_in_failures (
    login        TEXT        PRIMARY KEY,
    failures     INTEGER     NOT NULL,
    locked_until TIMESTAMPTZ
);

-- Each account as it stands.
CREATE TABLE read.accounts (
    login        TEXT     PRIMARY KEY,
    display_name TEXT     NOT NULL,
    kind         TEXT     NOT NULL,
    status       TEXT     NOT NULL,
    role         TEXT     NOT NULL,
    communities  TEXT[]   NOT NULL,
    position     BIGINT   NOT NULL
);

-- Who held which role over which community, from when to when (commit times). A street-wide
-- grant has community '' ; a suspension or closing ends every open grant of the account.
CREATE TABLE read.access_grants (
    login          TEXT        NOT NULL,
    role           TEXT        NOT NULL,
    community_id   TEXT        NOT NULL,
    from_at        TIMESTAMPTZ NOT NULL,
    from_position  BIGINT      NOT NULL,
    until_at       TIMESTAMPTZ,
    until_position BIGINT,
    PRIMARY KEY (login, from_position, community_id)
);
CREATE INDEX access_grants_community_idx ON read.access_grants (community_id, from_at);
