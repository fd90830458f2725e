-- Grain: one row per group of five groupings of the ODA rows under the ODA page's filters: years
-- ($year_from to $year_to), entities ($entities), DAC sector categories ($sectors) and recipient
-- countries ($countries), an empty list meaning all. `grouping` names it: 'year' (year, flow),
-- 'sector' (sector_code, flow), 'channel' (channel, flow), 'country_year' (country_iso3, year,
-- flow) and 'source' (source).
-- Columns: grouping, year, flow, sector_code, channel, country_iso3, source, amount_eur; a column
-- its grouping leaves out is NULL.
-- One scan of the rows for every chart of the page: the queries that begin with
-- « -- over: oda_page_cube » read this result (a few thousand rows) as a table instead of scanning
-- the rows again (at 5 000 000 rows: one scan of ~120 ms instead of six of ~50 ms).
-- The sector filter is a semi-join on the few purpose codes of the chosen categories: joining
-- every row to its sector's names cost 20-25 ms more at 5 000 000 rows.
SELECT CASE WHEN GROUPING(source) = 0 THEN 'source'
            WHEN GROUPING(sector_code) = 0 THEN 'sector'
            WHEN GROUPING(channel) = 0 THEN 'channel'
            WHEN GROUPING(country_iso3) = 0 THEN 'country_year'
            ELSE 'year' END AS "grouping",
       year, flow, sector_code, channel, country_iso3, source, sum(amount_eur) AS amount_eur
FROM oda
WHERE year BETWEEN $year_from AND $year_to
  AND (len($entities) = 0 OR list_contains($entities, entity))
  AND (len($sectors) = 0 OR sector_code IN (
        SELECT CAST(code AS VARCHAR) FROM dac_sectors WHERE list_contains($sectors, CAST(category_code AS VARCHAR))))
  AND (len($countries) = 0 OR list_contains($countries, country_iso3))
GROUP BY GROUPING SETS ((year, flow), (sector_code, flow), (channel, flow), (country_iso3, year, flow), (source))
