-- Grain: one row per distinct source behind the ODA page: the entities' rows under the filters
-- and the national ODA/GNI rows of the years shown. Columns: source.
SELECT DISTINCT o.source
FROM oda o
LEFT JOIN dac_sectors s ON CAST(s.code AS VARCHAR) = o.sector_code
WHERE o.year BETWEEN $year_from AND $year_to
  AND (len($entities) = 0 OR list_contains($entities, o.entity))
  AND (len($sectors) = 0 OR list_contains($sectors, CAST(s.category_code AS VARCHAR)))
  AND (len($countries) = 0 OR list_contains($countries, o.country_iso3))
  AND o.source IS NOT NULL
UNION
SELECT source FROM oda_national
WHERE year BETWEEN $year_from AND $year_to AND source IS NOT NULL
ORDER BY source
