-- over: oda_page_cube
-- Grain: one row per distinct source behind the ODA page: the entities' rows under the filters
-- and the national ODA/GNI rows of the years shown. Columns: source.
SELECT source
FROM oda_page_cube
WHERE "grouping" = 'source' AND source IS NOT NULL
UNION
SELECT source FROM oda_national
WHERE year BETWEEN $year_from AND $year_to AND source IS NOT NULL
ORDER BY source
