-- Grain: one row per group of five groupings of the ODA page's rows (queries/_oda_page_rows.sql,
-- with its parameters); `grouping` names it: 'year' (year, flow), 'sector' (sector_code, flow),
-- 'channel' (channel, flow), 'country_year' (country_iso3, year, flow) and 'source' (source).
-- Columns: grouping, year, flow, sector_code, channel, country_iso3, source, amount_eur; a column
-- its grouping leaves out is NULL.
-- One scan of the rows for every chart of the page: the queries that begin with
-- « -- over: oda_page_cube » read this result (a few thousand rows) as a table instead of scanning
-- the rows again (at 5 000 000 rows: one scan of ~120 ms instead of six of ~50 ms).
SELECT CASE WHEN GROUPING(o.source) = 0 THEN 'source'
            WHEN GROUPING(o.sector_code) = 0 THEN 'sector'
            WHEN GROUPING(o.channel) = 0 THEN 'channel'
            WHEN GROUPING(o.country_iso3) = 0 THEN 'country_year'
            ELSE 'year' END AS "grouping",
       o.year, o.flow, o.sector_code, o.channel, o.country_iso3, o.source, sum(o.amount_eur) AS amount_eur
FROM {{oda_page_rows}} o
GROUP BY GROUPING SETS ((o.year, o.flow), (o.sector_code, o.flow), (o.channel, o.flow),
                        (o.country_iso3, o.year, o.flow), (o.source))
