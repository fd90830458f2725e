-- over: oda_page_cube
-- Grain: one row per recipient country, the 15 largest. Disbursements between $year_from and
-- $year_to under the ODA page's filters (queries/pages/oda_page_cube.sql); regional and unallocated
-- rows left out.
-- Columns: country_iso3, amount_eur, share (of all disbursements shown, unallocated included),
-- priority (a priority of at least one entity in $year_to, as in oda_priority_share).
-- One pass: disbursements summed per country (unallocated as one NULL group) with the total as a
-- window; the priority flag is then looked up for the few countries kept, not for every row.
WITH by_country AS (
    SELECT country_iso3, sum(amount_eur) AS amount_eur
    FROM oda_page_cube
    WHERE "grouping" = 'country_year' AND flow = 'disbursement'
    GROUP BY country_iso3
),
shared AS (
    SELECT country_iso3, amount_eur, amount_eur / nullif(sum(amount_eur) OVER (), 0) AS share FROM by_country
)
SELECT f.country_iso3, f.amount_eur, f.share,
       EXISTS (SELECT 1 FROM priority_countries p
               WHERE p.country_iso3 = f.country_iso3
                 AND p.since_year <= $year_to AND coalesce(p.until_year, 9999) >= $year_to) AS priority
FROM shared f
WHERE f.country_iso3 IS NOT NULL
ORDER BY f.amount_eur DESC, f.country_iso3
LIMIT 15
