-- over: oda_page_cube
-- Grain: one row per year. Disbursements of the home entities under the ODA page's filters
-- (queries/pages/oda_page_cube.sql) and the part that went to priority countries. A row counts as priority when its country is, that
-- year, a priority of at least one entity of priority_countries (since_year <= year <=
-- until_year, open-ended when empty): the definition of overview_kpis.sql. Regional and
-- unallocated rows count in the total, never as priority.
-- Columns: year, amount_eur, priority_eur, priority_share.
-- Summed per year and country first, so that the priority lookup runs on a few thousand groups,
-- not on every row.
WITH by_country AS (
    SELECT year, country_iso3, amount_eur
    FROM oda_page_cube
    WHERE "grouping" = 'country_year' AND flow = 'disbursement'
),
disbursed AS (
    SELECT d.year, d.amount_eur,
           EXISTS (SELECT 1 FROM priority_countries p
                   WHERE p.country_iso3 = d.country_iso3
                     AND p.since_year <= d.year AND coalesce(p.until_year, 9999) >= d.year) AS priority
    FROM by_country d
)
SELECT year, sum(amount_eur) AS amount_eur,
       coalesce(sum(amount_eur) FILTER (WHERE priority), 0) AS priority_eur,
       coalesce(sum(amount_eur) FILTER (WHERE priority), 0) / nullif(sum(amount_eur), 0) AS priority_share
FROM disbursed
GROUP BY year
ORDER BY year
