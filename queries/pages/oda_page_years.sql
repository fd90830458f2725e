-- Grain: one row. First and last year of the ODA page: entities' ODA and the national ODA/GNI.
-- Columns: year_from, year_to.
SELECT min(year) AS year_from, max(year) AS year_to
FROM (SELECT year FROM oda_flow_summary UNION ALL SELECT year FROM oda_national)  -- ODA years stored at import
