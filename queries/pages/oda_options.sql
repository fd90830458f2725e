-- Grain: one row per value a filter of the ODA page offers. Columns: kind ('entity', 'sector',
-- 'country'), value (entity name, DAC sector category code as text, ISO3), label (French name
-- of the DAC sector category; the value itself otherwise), label_nl, label_en (the same in Dutch
-- and English, for i18n.localize; the page sorts the labels in the user's language).
-- Each list is first the distinct values of one column (a scan of ~10 ms at 5 000 000 rows), then
-- named: a DISTINCT over the labelled rows, or over every row joined to dac_sectors, cost 0.2–0.4 s.
-- Read from the summaries stored at import (queries/summaries/oda_flow_summary.sql and
-- queries/summaries/oda_country_summary.sql), not the rows.
WITH entities AS (SELECT DISTINCT entity FROM oda_flow_summary),
     codes AS (SELECT DISTINCT sector_code FROM oda_flow_summary),
     countries AS (SELECT DISTINCT country_iso3 FROM oda_country_summary),
     categories AS (
         SELECT DISTINCT CAST(s.category_code AS VARCHAR) AS value, s.category_name_fr, s.category_name_nl, s.category_name_en
         FROM codes JOIN dac_sectors s ON CAST(s.code AS VARCHAR) = codes.sector_code
     )
SELECT 'entity' AS kind, entity AS value, entity AS label, entity AS label_nl, entity AS label_en FROM entities
UNION ALL
SELECT 'sector', value, category_name_fr, category_name_nl, category_name_en FROM categories
UNION ALL
SELECT 'country', country_iso3, country_iso3, country_iso3, country_iso3 FROM countries
ORDER BY kind, label
