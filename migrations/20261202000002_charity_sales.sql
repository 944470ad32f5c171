-- The charity projector keeps each sale's own row, so a listed item takes its community and
-- sale title from the read model rather than from the log (which only the store reads).
CREATE TABLE read.charity_sales (
    sale_id      TEXT NOT NULL PRIMARY KEY,
    community_id TEXT NOT NULL,
    title        TEXT NOT NULL
);

-- Sales opened before this table existed: from the items already projected, which carry
-- both (a sale without items yet is added by the projector when it reaches its opening).
INSERT INTO read.charity_sales (sale_id, community_id, title)
    SELECT DISTINCT ON (sale_id) sale_id, community_id, sale_title
    FROM read.charity_items ORDER BY sale_id
ON CONFLICT DO NOTHING;
