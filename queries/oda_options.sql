-- Grain: one row per value a filter of the ODA page offers. Columns: kind ('entity', 'sector',
-- 'country'), value (entity name, DAC sector category code as text, ISO3), label (French name
-- of the DAC sector category; the value itself otherwise), label_nl, label_en (the same in Dutch
-- and English, for i18n.localize; the page sorts the labels in the user's language).
SELECT DISTINCT 'entity' AS kind, entity AS value, entity AS label, entity AS label_nl, entity AS label_en FROM oda
UNION ALL
SELECT DISTINCT 'sector', CAST(s.category_code AS VARCHAR), s.category_name_fr, s.category_name_nl, s.category_name_en
FROM oda o JOIN dac_sectors s ON CAST(s.code AS VARCHAR) = o.sector_code
UNION ALL
SELECT DISTINCT 'country', country_iso3, country_iso3, country_iso3, country_iso3 FROM oda WHERE country_iso3 IS NOT NULL
ORDER BY kind, label
