-- Grain: one row per data version, newest first: the references a committee can compare with.
-- Columns: version, created_at, action (build, load, rollback), datasets (« ; »-separated),
--          file_names (« ; »-separated, empty for a rollback).
SELECT version, min(created_at) AS created_at, any_value(action) AS action,
       string_agg(DISTINCT dataset, ' ; ' ORDER BY dataset) AS datasets,
       coalesce(string_agg(DISTINCT file_name, ' ; ' ORDER BY file_name), '') AS file_names
FROM _versions
GROUP BY version
ORDER BY version DESC
