-- Grain: one row. The span of years the map's year filter offers: ODA years and mission years.
-- Columns: year_from, year_to (NULL when there is neither ODA nor any mission).
SELECT min(y) AS year_from, max(y) AS year_to
FROM (
    SELECT year AS y FROM oda_flow_summary  -- the ODA rows' years, stored at import
    UNION ALL
    SELECT date_part('year', starts_on) FROM missions
)
