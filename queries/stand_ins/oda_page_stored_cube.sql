-- Grain: the groups of queries/pages/oda_page_cube.sql, with the same parameters, for the ODA page
-- without a country filter, read from the sums stored at import instead of the rows:
-- 'year', 'sector', 'channel' and 'source' from queries/summaries/oda_flow_summary.sql, 'country_year'
-- (disbursements only, all the page reads of it) from queries/summaries/oda_map_summary.sql. Empty when
-- $countries is not: those sums know no country. The page passes it as the cube's stand-in
-- (atlas/reading/stand_ins.py names it for `frame`). Columns: those of oda_page_cube.
WITH flows AS (
    SELECT * FROM oda_flow_summary
    WHERE len($countries) = 0
      AND year BETWEEN $year_from AND $year_to
      AND (len($entities) = 0 OR list_contains($entities, entity))
      AND (len($sectors) = 0 OR sector_code IN (
            SELECT CAST(code AS VARCHAR) FROM dac_sectors WHERE list_contains($sectors, CAST(category_code AS VARCHAR))))
)
SELECT CASE WHEN GROUPING(source) = 0 THEN 'source'
            WHEN GROUPING(sector_code) = 0 THEN 'sector'
            WHEN GROUPING(channel) = 0 THEN 'channel'
            ELSE 'year' END AS "grouping",
       year, flow, sector_code, channel, NULL::VARCHAR AS country_iso3, source, sum(amount_eur) AS amount_eur
FROM flows
GROUP BY GROUPING SETS ((year, flow), (sector_code, flow), (channel, flow), (source))
UNION ALL
SELECT 'country_year', year, 'disbursement', NULL, NULL, country_iso3, NULL, sum(amount_eur)
FROM oda_map_summary
WHERE len($countries) = 0
  AND year BETWEEN $year_from AND $year_to
  AND (len($entities) = 0 OR list_contains($entities, entity))
  AND (len($sectors) = 0 OR list_contains($sectors, category_code))
GROUP BY country_iso3, year
