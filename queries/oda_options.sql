-- Grain: one row per value a filter of the ODA page offers. Columns: kind ('entity', 'sector',
-- 'country'), value (entity name, DAC sector category code as text, ISO3), label (French name
-- of the DAC sector category; the value itself otherwise).
SELECT DISTINCT 'entity' AS kind, entity AS value, entity AS label FROM oda
UNION ALL
SELECT DISTINCT 'sector', CAST(s.category_code AS VARCHAR), s.category_name_fr
FROM oda o JOIN dac_sectors s ON CAST(s.code AS VARCHAR) = o.sector_code
UNION ALL
SELECT DISTINCT 'country', country_iso3, country_iso3 FROM oda WHERE country_iso3 IS NOT NULL
ORDER BY kind, label
