-- Grain: one row per group of four groupings of each recipient country's ODA (all years,
-- entities and sectors); `grouping` names it: 'year' (country_iso3, year, flow), 'sector'
-- (country_iso3, sector_code, flow), 'channel' (country_iso3, channel, flow) and 'source'
-- (country_iso3, source). Columns: those of queries/pages/oda_page_cube.sql, and rows (ODA rows in
-- the group). Regional and unallocated rows (no country) are left out.
-- Not run by a page: every write that changes ODA stores this result as the table
-- oda_country_summary (atlas/store/snapshots.py, Database.transaction), in the same transaction. A country's
-- profile then reads a few hundred rows instead of scanning every ODA row for one country
-- (5 000 000 rows: the profile page went from 434 to 244 ms).
SELECT CASE WHEN GROUPING(source) = 0 THEN 'source'
            WHEN GROUPING(sector_code) = 0 THEN 'sector'
            WHEN GROUPING(channel) = 0 THEN 'channel'
            ELSE 'year' END AS "grouping",
       year, flow, sector_code, channel, country_iso3, source,
       sum(amount_eur) AS amount_eur, count(*) AS rows
FROM oda
WHERE country_iso3 IS NOT NULL
GROUP BY GROUPING SETS ((country_iso3, year, flow), (country_iso3, sector_code, flow),
                        (country_iso3, channel, flow), (country_iso3, source))
