-- Grain: one row. The latest version of the data and when it was made.
-- Columns: version, created_at.
SELECT version, created_at FROM _versions ORDER BY version DESC LIMIT 1
