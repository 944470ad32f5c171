-- `ANALYZE` reads 300 rows for each unit of the largest statistics target among the columns
-- it gathers, and for these tables reading them is what it costs: on 164,415 issue rows
-- (51 MB) it took 244-271 ms with the default target (100: 30,000 rows read), 14-15 ms with
-- the same columns at 10 (3,000 rows), and 168-180 ms for seven low-cardinality columns at
-- 100 alone. A rebuild analyzes its tables before the swap and waits for it; autovacuum's
-- analyze of the live tables pays the same.
--
-- The issues: only the columns the board and the figures filter or sort by are gathered,
-- at 10 (their values are few: a street's communities, compounds and grids, six statuses,
-- the categories, the staff; dates and report times as a 10-bucket histogram). The id is
-- unique, which its index already tells the planner. No query filters by the others.
ALTER TABLE read.issues
    ALTER COLUMN community_id SET STATISTICS 10,
    ALTER COLUMN compound_id SET STATISTICS 10,
    ALTER COLUMN grid_id SET STATISTICS 10,
    ALTER COLUMN category SET STATISTICS 10,
    ALTER COLUMN reporter SET STATISTICS 10,
    ALTER COLUMN status SET STATISTICS 10,
    ALTER COLUMN assignee SET STATISTICS 10,
    ALTER COLUMN due_by SET STATISTICS 10,
    ALTER COLUMN reported_at SET STATISTICS 10,
    ALTER COLUMN issue_id SET STATISTICS 0,
    ALTER COLUMN channel SET STATISTICS 0,
    ALTER COLUMN escalated SET STATISTICS 0,
    ALTER COLUMN items SET STATISTICS 0,
    ALTER COLUMN satisfaction SET STATISTICS 0,
    ALTER COLUMN resolved_at SET STATISTICS 0,
    ALTER COLUMN closed_at SET STATISTICS 0,
    ALTER COLUMN position SET STATISTICS 0,
    ALTER COLUMN contact_person SET STATISTICS 0,
    ALTER COLUMN reported_offset SET STATISTICS 0,
    ALTER COLUMN resolved_offset SET STATISTICS 0;

-- The happened spans are read by their key and for the earliest start and the latest end,
-- which their indexes answer whatever the statistics: none are gathered, the expression of
-- the end's index included (an index expression is sampled at its own target).
ALTER TABLE read.happened_spans
    ALTER COLUMN stream_id SET STATISTICS 0,
    ALTER COLUMN happened_from SET STATISTICS 0,
    ALTER COLUMN dated_until SET STATISTICS 0,
    ALTER COLUMN undated_until SET STATISTICS 0;
-- A rebuilt table's indexes are named by PostgreSQL, so the index is found by what it indexes.
DO $$
DECLARE
    until_index regclass;
BEGIN
    SELECT i.indexrelid::regclass INTO STRICT until_index FROM pg_index i
    WHERE i.indrelid = 'read.happened_spans'::regclass
      AND pg_get_indexdef(i.indexrelid) LIKE '%(GREATEST(dated_until, undated_until))';
    EXECUTE format('ALTER INDEX %s ALTER COLUMN 1 SET STATISTICS 0', until_index);
END
$$;
