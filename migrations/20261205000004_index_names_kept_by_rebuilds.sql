-- A rebuild used to build the read models' non-unique indexes again under the names
-- PostgreSQL gives copies made with `LIKE … INCLUDING ALL`, so a rebuilt database held
-- names no migration gave. Rebuilds now keep the live names; this gives a database
-- rebuilt before then the migrations' names back. Each copy's name is the one PostgreSQL
-- derives from the table and the indexed columns; on a database never rebuilt none exists.
ALTER INDEX IF EXISTS read.access_grants_community_id_from_at_idx RENAME TO access_grants_community_idx;
ALTER INDEX IF EXISTS read.activities_community_id_held_on_idx RENAME TO activities_community_idx;
ALTER INDEX IF EXISTS read.charity_items_community_id_idx RENAME TO charity_community_idx;
ALTER INDEX IF EXISTS read.compounds_community_id_idx RENAME TO compounds_community_idx;
ALTER INDEX IF EXISTS read.happened_spans_greatest_idx RENAME TO happened_spans_until_idx;
ALTER INDEX IF EXISTS read.happened_spans_happened_from_idx RENAME TO happened_spans_from_idx;
ALTER INDEX IF EXISTS read.heating_projects_community_id_idx RENAME TO heating_community_idx;
ALTER INDEX IF EXISTS read.issues_community_id_reported_at_issue_id_idx RENAME TO issues_board_idx;
ALTER INDEX IF EXISTS read.issues_community_id_status_idx RENAME TO issues_status_idx;
ALTER INDEX IF EXISTS read.issues_compound_id_idx RENAME TO issues_compound_idx;
ALTER INDEX IF EXISTS read.videos_community_id_published_on_idx RENAME TO videos_community_idx;
