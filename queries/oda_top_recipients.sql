-- Grain: one row per recipient country, the 15 largest. Disbursements between $year_from and
-- $year_to, same filters as oda_by_year; regional and unallocated rows left out.
-- Columns: country_iso3, amount_eur, share (of all disbursements shown, unallocated included),
-- priority (a priority of at least one entity in $year_to, as in oda_priority_share).
WITH filtered AS (
    SELECT o.country_iso3, o.amount_eur
    FROM oda o
    LEFT JOIN dac_sectors s ON CAST(s.code AS VARCHAR) = o.sector_code
    WHERE o.year BETWEEN $year_from AND $year_to
      AND (len($entities) = 0 OR list_contains($entities, o.entity))
      AND (len($sectors) = 0 OR list_contains($sectors, CAST(s.category_code AS VARCHAR)))
      AND (len($countries) = 0 OR list_contains($countries, o.country_iso3))
      AND o.flow = 'disbursement'
),
total AS (SELECT sum(amount_eur) AS amount_eur FROM filtered)
SELECT f.country_iso3, sum(f.amount_eur) AS amount_eur,
       sum(f.amount_eur) / nullif(any_value(total.amount_eur), 0) AS share,
       EXISTS (SELECT 1 FROM priority_countries p
               WHERE p.country_iso3 = f.country_iso3
                 AND p.since_year <= $year_to AND coalesce(p.until_year, 9999) >= $year_to) AS priority
FROM filtered f, total
WHERE f.country_iso3 IS NOT NULL
GROUP BY f.country_iso3
ORDER BY amount_eur DESC, f.country_iso3
LIMIT 15
