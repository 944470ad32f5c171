-- Outcomes of `civic audit verify`, for the auditors' integrity status.
CREATE TABLE audit_verifications (
    id            BIGSERIAL   PRIMARY KEY,
    verified_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    head_position BIGINT      NOT NULL,
    passed        BOOLEAN     NOT NULL,
    message       TEXT        NOT NULL
);
