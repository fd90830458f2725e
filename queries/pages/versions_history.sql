-- Grain: one row per version and dataset it recorded (a build or a rollback records every dataset).
-- Columns: version, created_at, action (build, load, rollback), dataset, mode, file_name, sha256,
--          user_name, rows_added, rows_changed, rows_removed. Newest first; '' where nothing applies
--          (a build has no analyst, a rollback no file).
SELECT version, created_at, action, dataset, coalesce(mode, '') AS mode, coalesce(file_name, '') AS file_name,
       coalesce(sha256, '') AS sha256, coalesce(user_name, '') AS user_name,
       rows_added, rows_changed, rows_removed
FROM _versions
ORDER BY version DESC, dataset
