-- Grain: one row. The data as they stood at the end of the day $on (a DATE): the last version
-- created that day or before (0 when the data did not exist yet), and the current version.
-- Columns: version, created_at (NULL for 0), current_version.
SELECT coalesce(max(version) FILTER (WHERE created_at < $on + INTERVAL 1 DAY), 0) AS version,
       max(created_at) FILTER (WHERE created_at < $on + INTERVAL 1 DAY) AS created_at,
       coalesce(max(version), 0) AS current_version
FROM _versions
