-- Open issues per community and due date: "overdue" is the sum over the dates before today,
-- whose cost is bounded by the number of dates rather than of overdue issues. It replaces
-- the partial index over open issues, which still visited every overdue issue.
CREATE TABLE read.open_due_dates (
    community_id TEXT   NOT NULL,
    due_by       DATE   NOT NULL,
    n            BIGINT NOT NULL,
    PRIMARY KEY (community_id, due_by)
);

INSERT INTO read.open_due_dates (community_id, due_by, n)
    SELECT community_id, due_by, count(*) FROM read.issues
    WHERE status IN ('reported', 'assigned') AND due_by IS NOT NULL GROUP BY 1, 2;

DROP INDEX read.issues_open_due_idx;
