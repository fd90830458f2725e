-- Grain: one row per distinct source behind the ODA page: the entities' rows under the filters
-- and the national ODA/GNI rows of the years shown. Columns: source.
SELECT DISTINCT o.source
FROM {{oda_page_rows}} o
WHERE o.source IS NOT NULL
UNION
SELECT source FROM oda_national
WHERE year BETWEEN $year_from AND $year_to AND source IS NOT NULL
ORDER BY source
