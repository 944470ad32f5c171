-- Each community's issue figures, kept by the issues projector as events arrive, so that
-- the dashboard reads a few rows per community whatever the number of issues.
CREATE TABLE read.issue_counts (
    community_id TEXT   NOT NULL,
    status       TEXT   NOT NULL,
    category     TEXT   NOT NULL,
    n            BIGINT NOT NULL,
    PRIMARY KEY (community_id, status, category)
);

-- Reports and resolutions per week (weeks begin on Monday, China time).
CREATE TABLE read.issue_weeks (
    community_id TEXT   NOT NULL,
    week         DATE   NOT NULL,
    reported     BIGINT NOT NULL,
    resolved     BIGINT NOT NULL,
    PRIMARY KEY (community_id, week)
);

-- Time to resolution of resolved issues: a histogram in buckets of 1/16 of a doubling of
-- (1 + hours), and the total for the mean.
CREATE TABLE read.resolution_histogram (
    community_id TEXT    NOT NULL,
    bucket       INTEGER NOT NULL,
    n            BIGINT  NOT NULL,
    PRIMARY KEY (community_id, bucket)
);
CREATE TABLE read.resolution_totals (
    community_id TEXT   PRIMARY KEY,
    seconds      BIGINT NOT NULL,
    n            BIGINT NOT NULL
);

-- Overdue issues are open issues past their due date: an index over open issues only.
CREATE INDEX issues_open_due_idx ON read.issues (community_id, due_by)
    WHERE status IN ('reported', 'assigned');

-- Figures of the issues already projected.
INSERT INTO read.issue_counts (community_id, status, category, n)
    SELECT community_id, status, category, count(*) FROM read.issues GROUP BY 1, 2, 3;
INSERT INTO read.issue_weeks (community_id, week, reported, resolved)
    SELECT community_id, week, sum(reported), sum(resolved) FROM (
        SELECT community_id, date_trunc('week', reported_at AT TIME ZONE 'Asia/Shanghai')::date AS week,
               1 AS reported, 0 AS resolved FROM read.issues
        UNION ALL
        SELECT community_id, date_trunc('week', resolved_at AT TIME ZONE 'Asia/Shanghai')::date, 0, 1
        FROM read.issues WHERE resolved_at IS NOT NULL
    ) w GROUP BY 1, 2;
INSERT INTO read.resolution_histogram (community_id, bucket, n)
    SELECT community_id,
           floor(16 * log(2, 1 + greatest(extract(epoch FROM resolved_at - reported_at), 0) / 3600.0))::int,
           count(*)
    FROM read.issues WHERE resolved_at IS NOT NULL GROUP BY 1, 2;
INSERT INTO read.resolution_totals (community_id, seconds, n)
    SELECT community_id, sum(greatest(floor(extract(epoch FROM resolved_at - reported_at)), 0))::bigint, count(*)
    FROM read.issues WHERE resolved_at IS NOT NULL GROUP BY 1;
