-- Grain: one row per value a filter of the agreements page offers. Columns: kind ('entity',
-- 'country', 'level', 'status', 'year': the years of signature and of end), value.
SELECT DISTINCT 'entity' AS kind, entity AS value FROM agreements
UNION ALL SELECT DISTINCT 'country', country_iso3 FROM agreements
UNION ALL SELECT DISTINCT 'level', partner_level FROM agreements
UNION ALL SELECT DISTINCT 'status', status FROM agreements
UNION ALL SELECT DISTINCT 'year', CAST(date_part('year', signed_on) AS VARCHAR) FROM agreements WHERE signed_on IS NOT NULL
UNION ALL SELECT DISTINCT 'year', CAST(date_part('year', ends_on) AS VARCHAR) FROM agreements WHERE ends_on IS NOT NULL
ORDER BY kind, value
