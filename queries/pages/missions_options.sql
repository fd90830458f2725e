-- Grain: one row per value a filter of the missions page offers. Columns: kind ('organiser',
-- 'country', 'kind', 'year'), value (as text).
SELECT DISTINCT 'organiser' AS kind, organiser AS value FROM missions
UNION ALL SELECT DISTINCT 'country', country_iso3 FROM missions
UNION ALL SELECT DISTINCT 'kind', kind FROM missions WHERE kind IS NOT NULL
UNION ALL SELECT DISTINCT 'year', CAST(date_part('year', starts_on) AS VARCHAR) FROM missions
ORDER BY kind, value
