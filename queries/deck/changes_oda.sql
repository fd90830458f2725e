-- Grain: one row per recipient country (NULL: regional or unallocated) and year whose ODA
-- disbursed by the $entities to the $countries (empty list = all) differs between the data
-- version $ref and now: added (old_eur NULL), revised, or withdrawn (new_eur NULL). Sums rounded
-- to the cent, so that re-imported identical rows never show as a change.
-- Columns: country_iso3, year, old_eur, new_eur, delta_eur (new - old, a missing side as 0).
WITH rows_then AS (
    SELECT * FROM _rows_oda WHERE as_of_version(_added_in, _removed_in, $ref)
),
rows_now AS (
    SELECT * FROM _rows_oda WHERE _removed_in IS NULL
),
old AS (
    SELECT country_iso3, year, round(sum(amount_eur), 2) AS amount FROM rows_then
    WHERE flow = 'disbursement'
      AND (len($entities) = 0 OR list_contains($entities, entity))
      AND (len($countries) = 0 OR list_contains($countries, country_iso3))
    GROUP BY ALL
),
new AS (
    SELECT country_iso3, year, round(sum(amount_eur), 2) AS amount FROM rows_now
    WHERE flow = 'disbursement'
      AND (len($entities) = 0 OR list_contains($entities, entity))
      AND (len($countries) = 0 OR list_contains($countries, country_iso3))
    GROUP BY ALL
)
SELECT coalesce(n.country_iso3, o.country_iso3) AS country_iso3, coalesce(n.year, o.year) AS year,
       o.amount AS old_eur, n.amount AS new_eur,
       coalesce(n.amount, 0) - coalesce(o.amount, 0) AS delta_eur
FROM old o FULL JOIN new n ON o.country_iso3 IS NOT DISTINCT FROM n.country_iso3 AND o.year = n.year
WHERE o.amount IS DISTINCT FROM n.amount
ORDER BY abs(delta_eur) DESC, country_iso3, year
