-- Read models, rebuilt from the log by the projectors. Nothing here is a source of truth.
CREATE SCHEMA read;

-- One row per projector: how far it got, in the same transaction as its rows.
CREATE TABLE read.checkpoints (
    projector        TEXT        PRIMARY KEY,
    version          INTEGER     NOT NULL,
    position         BIGINT      NOT NULL DEFAULT 0,
    updated_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    failed_position  BIGINT,
    error            TEXT,
    rebuilding_since TIMESTAMPTZ
);

-- Community dashboard: profile, leaders, grids, stars.
CREATE TABLE read.communities (
    community_id      TEXT PRIMARY KEY,
    name              TEXT   NOT NULL,
    street            TEXT   NOT NULL,
    established_on    DATE   NOT NULL,
    area_m2           BIGINT NOT NULL,
    profile_as_of     DATE,
    households        INTEGER,
    residents         INTEGER,
    compounds         INTEGER,
    co_building_units INTEGER,
    merchants         INTEGER,
    party_secretary   TEXT,
    first_secretary   TEXT,
    position          BIGINT NOT NULL
);

CREATE TABLE read.grids (
    community_id TEXT  NOT NULL,
    grid_id      TEXT  NOT NULL,
    name         TEXT  NOT NULL,
    workers      JSONB NOT NULL DEFAULT '[]',
    PRIMARY KEY (community_id, grid_id)
);

CREATE TABLE read.stars (
    community_id TEXT    NOT NULL,
    star         TEXT    NOT NULL,
    aimed        BOOLEAN NOT NULL DEFAULT false,
    awarded_on   DATE,
    PRIMARY KEY (community_id, star)
);

-- Issue board and timelines.
CREATE TABLE read.issues (
    issue_id     TEXT        PRIMARY KEY,
    community_id TEXT        NOT NULL,
    compound_id  TEXT,
    grid_id      TEXT,
    category     TEXT        NOT NULL,
    title        TEXT        NOT NULL,
    description  TEXT        NOT NULL,
    location     TEXT        NOT NULL,
    channel      TEXT        NOT NULL,
    reporter     TEXT        NOT NULL,
    status       TEXT        NOT NULL,
    assignee     TEXT,
    due_by       DATE,
    escalated    BOOLEAN     NOT NULL DEFAULT false,
    items        INTEGER,
    resolution   TEXT,
    satisfaction SMALLINT,
    reported_at  TIMESTAMPTZ NOT NULL,
    resolved_at  TIMESTAMPTZ,
    closed_at    TIMESTAMPTZ,
    position     BIGINT      NOT NULL
);
CREATE INDEX issues_board_idx ON read.issues (community_id, reported_at DESC, issue_id DESC);
CREATE INDEX issues_status_idx ON read.issues (community_id, status);
CREATE INDEX issues_compound_idx ON read.issues (compound_id);

CREATE TABLE read.issue_timeline (
    issue_id    TEXT        NOT NULL,
    position    BIGINT      NOT NULL,
    event_type  TEXT        NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL,
    actor_id    TEXT        NOT NULL,
    summary     TEXT        NOT NULL,
    PRIMARY KEY (issue_id, position)
);

-- Compound property history.
CREATE TABLE read.compounds (
    compound_id     TEXT PRIMARY KEY,
    community_id    TEXT NOT NULL,
    name            TEXT NOT NULL,
    property_company TEXT,
    company_since   DATE,
    position        BIGINT NOT NULL
);
CREATE INDEX compounds_community_idx ON read.compounds (community_id);

CREATE TABLE read.property_history (
    compound_id TEXT   NOT NULL,
    position    BIGINT NOT NULL,
    kind        TEXT   NOT NULL,
    happened_on DATE   NOT NULL,
    details     JSONB  NOT NULL,
    PRIMARY KEY (compound_id, position)
);

-- Heating progress.
CREATE TABLE read.heating_projects (
    project_id        TEXT    PRIMARY KEY,
    community_id      TEXT    NOT NULL,
    compound_id       TEXT    NOT NULL,
    contractor        TEXT    NOT NULL,
    households        INTEGER NOT NULL,
    target_date       DATE    NOT NULL,
    milestones_done   INTEGER NOT NULL DEFAULT 0,
    current_milestone TEXT,
    households_done   INTEGER NOT NULL DEFAULT 0,
    commissioned_on   DATE,
    late              BOOLEAN NOT NULL DEFAULT false,
    position          BIGINT  NOT NULL
);
CREATE INDEX heating_community_idx ON read.heating_projects (community_id);

CREATE TABLE read.heating_milestones (
    project_id      TEXT    NOT NULL,
    milestone       TEXT    NOT NULL,
    households_done INTEGER NOT NULL,
    completed_on    DATE,
    updated_on      DATE    NOT NULL,
    PRIMARY KEY (project_id, milestone)
);

-- Community life: newsroom, activities, charity sales.
CREATE TABLE read.newsrooms (
    community_id TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    founded_on   DATE NOT NULL
);

CREATE TABLE read.videos (
    video_id       TEXT    PRIMARY KEY,
    community_id   TEXT    NOT NULL,
    title          TEXT    NOT NULL,
    topic          TEXT    NOT NULL,
    published_on   DATE    NOT NULL,
    channels       JSONB   NOT NULL,
    views          INTEGER NOT NULL DEFAULT 0,
    recommended_by TEXT,
    contest        TEXT
);
CREATE INDEX videos_community_idx ON read.videos (community_id, published_on);

CREATE TABLE read.video_views (
    video_id    TEXT    NOT NULL,
    as_of       DATE    NOT NULL,
    total_views INTEGER NOT NULL,
    PRIMARY KEY (video_id, as_of)
);

CREATE TABLE read.activities (
    activity_id      TEXT    PRIMARY KEY,
    community_id     TEXT    NOT NULL,
    venue            TEXT    NOT NULL,
    title            TEXT    NOT NULL,
    theme            TEXT    NOT NULL,
    held_on          DATE    NOT NULL,
    participants     INTEGER NOT NULL,
    volunteers       INTEGER NOT NULL,
    duration_minutes INTEGER NOT NULL,
    works_made       INTEGER NOT NULL,
    summary          TEXT    NOT NULL
);
CREATE INDEX activities_community_idx ON read.activities (community_id, held_on);

CREATE TABLE read.charity_items (
    sale_id      TEXT   NOT NULL,
    item_id      TEXT   NOT NULL,
    community_id TEXT   NOT NULL,
    sale_title   TEXT   NOT NULL,
    name         TEXT   NOT NULL,
    price_fen    BIGINT NOT NULL,
    status       TEXT   NOT NULL,
    sold_fen     BIGINT,
    PRIMARY KEY (sale_id, item_id)
);
CREATE INDEX charity_community_idx ON read.charity_items (community_id);

-- Log index for auditors: per stream, per actor, per event type.
CREATE TABLE read.stream_index (
    stream_id      TEXT   PRIMARY KEY,
    events         BIGINT NOT NULL,
    first_position BIGINT NOT NULL,
    last_position  BIGINT NOT NULL
);

CREATE TABLE read.actor_index (
    actor_id       TEXT   PRIMARY KEY,
    events         BIGINT NOT NULL,
    first_position BIGINT NOT NULL,
    last_position  BIGINT NOT NULL
);

CREATE TABLE read.type_index (
    event_type     TEXT   PRIMARY KEY,
    events         BIGINT NOT NULL,
    first_position BIGINT NOT NULL,
    last_position  BIGINT NOT NULL
);
