-- The read models' identifier and code columns compare byte by byte (collation "C").
--
-- Every one of them is in an index, and every row a projector writes inserts into those
-- indexes: under a libc collation other than "C" (such as the C.UTF-8 or en_US.UTF-8 a
-- cluster is usually initialised with), each comparison that finds two keys unequal copies
-- both into terminated buffers and calls strcoll(). The keys are ids and codes (`issue-…`,
-- `assigned`, a community's id): byte order is their order, and it is the same on every
-- machine. Display text (titles, names, descriptions) keeps the database's collation.
--
-- Columns compared with each other (joins on community_id, login) change together, so no
-- comparison mixes two collations; a parameter or literal takes the column's.
ALTER TABLE read.access_grants
    ALTER COLUMN login TYPE TEXT COLLATE "C",
    ALTER COLUMN community_id TYPE TEXT COLLATE "C";
ALTER TABLE read.accounts ALTER COLUMN login TYPE TEXT COLLATE "C";
ALTER TABLE read.activities
    ALTER COLUMN activity_id TYPE TEXT COLLATE "C",
    ALTER COLUMN community_id TYPE TEXT COLLATE "C";
ALTER TABLE read.actor_index ALTER COLUMN actor_id TYPE TEXT COLLATE "C";
ALTER TABLE read.charity_items
    ALTER COLUMN sale_id TYPE TEXT COLLATE "C",
    ALTER COLUMN item_id TYPE TEXT COLLATE "C",
    ALTER COLUMN community_id TYPE TEXT COLLATE "C";
ALTER TABLE read.charity_sales
    ALTER COLUMN sale_id TYPE TEXT COLLATE "C",
    ALTER COLUMN community_id TYPE TEXT COLLATE "C";
ALTER TABLE read.communities ALTER COLUMN community_id TYPE TEXT COLLATE "C";
ALTER TABLE read.compounds
    ALTER COLUMN compound_id TYPE TEXT COLLATE "C",
    ALTER COLUMN community_id TYPE TEXT COLLATE "C";
ALTER TABLE read.grids
    ALTER COLUMN community_id TYPE TEXT COLLATE "C",
    ALTER COLUMN grid_id TYPE TEXT COLLATE "C";
ALTER TABLE read.happened_spans ALTER COLUMN stream_id TYPE TEXT COLLATE "C";
ALTER TABLE read.heating_milestones
    ALTER COLUMN project_id TYPE TEXT COLLATE "C",
    ALTER COLUMN milestone TYPE TEXT COLLATE "C";
ALTER TABLE read.heating_projects
    ALTER COLUMN project_id TYPE TEXT COLLATE "C",
    ALTER COLUMN community_id TYPE TEXT COLLATE "C",
    ALTER COLUMN compound_id TYPE TEXT COLLATE "C",
    ALTER COLUMN current_milestone TYPE TEXT COLLATE "C";
ALTER TABLE read.issue_counts
    ALTER COLUMN community_id TYPE TEXT COLLATE "C",
    ALTER COLUMN status TYPE TEXT COLLATE "C",
    ALTER COLUMN category TYPE TEXT COLLATE "C";
ALTER TABLE read.issue_weeks ALTER COLUMN community_id TYPE TEXT COLLATE "C";
ALTER TABLE read.issues
    ALTER COLUMN issue_id TYPE TEXT COLLATE "C",
    ALTER COLUMN community_id TYPE TEXT COLLATE "C",
    ALTER COLUMN compound_id TYPE TEXT COLLATE "C",
    ALTER COLUMN grid_id TYPE TEXT COLLATE "C",
    ALTER COLUMN category TYPE TEXT COLLATE "C",
    ALTER COLUMN channel TYPE TEXT COLLATE "C",
    ALTER COLUMN status TYPE TEXT COLLATE "C";
ALTER TABLE read.newsrooms ALTER COLUMN community_id TYPE TEXT COLLATE "C";
ALTER TABLE read.open_due_dates ALTER COLUMN community_id TYPE TEXT COLLATE "C";
ALTER TABLE read.property_history ALTER COLUMN compound_id TYPE TEXT COLLATE "C";
ALTER TABLE read.resolution_histogram ALTER COLUMN community_id TYPE TEXT COLLATE "C";
ALTER TABLE read.resolution_totals ALTER COLUMN community_id TYPE TEXT COLLATE "C";
ALTER TABLE read.stars
    ALTER COLUMN community_id TYPE TEXT COLLATE "C",
    ALTER COLUMN star TYPE TEXT COLLATE "C";
ALTER TABLE read.stream_index ALTER COLUMN stream_id TYPE TEXT COLLATE "C";
ALTER TABLE read.type_index ALTER COLUMN event_type TYPE TEXT COLLATE "C";
ALTER TABLE read.video_views ALTER COLUMN video_id TYPE TEXT COLLATE "C";
ALTER TABLE read.videos
    ALTER COLUMN video_id TYPE TEXT COLLATE "C",
    ALTER COLUMN community_id TYPE TEXT COLLATE "C";
