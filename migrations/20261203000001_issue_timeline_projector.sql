-- Each issue's timeline gets a projector of its own, `issue_timeline`, instead of being
-- written by the issue board's: an entry needs nothing but its event, and the two are then
-- applied side by side. The table stays as it is; its new projector goes on from where the
-- board's projector, which wrote every entry until now, stands.
INSERT INTO read.checkpoints (projector, version, position)
SELECT 'issue_timeline', 1, position FROM read.checkpoints WHERE projector = 'issues'
ON CONFLICT (projector) DO NOTHING;
