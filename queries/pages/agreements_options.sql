-- Grain: one row per value a filter of the agreements page offers. Columns: kind ('entity',
-- 'country', 'level', 'status'), value.
SELECT DISTINCT 'entity' AS kind, entity AS value FROM agreements
UNION ALL SELECT DISTINCT 'country', country_iso3 FROM agreements
UNION ALL SELECT DISTINCT 'level', partner_level FROM agreements
UNION ALL SELECT DISTINCT 'status', status FROM agreements
ORDER BY kind, value
