-- Grain: one row per country that is a priority of one of the $entities (all when empty) in
-- year($today), among the $countries (all when empty). oda_eur: disbursements of those entities
-- to the country from $year_from to $year_to.
-- Columns: country_iso3, entities (separated by « ; »), oda_eur.
WITH current AS (
    SELECT country_iso3, string_agg(DISTINCT entity, ' ; ' ORDER BY entity) AS entities
    FROM priority_countries
    WHERE since_year <= year($today) AND coalesce(until_year, 9999) >= year($today)
      AND (len($entities) = 0 OR list_contains($entities, entity))
      AND (len($countries) = 0 OR list_contains($countries, country_iso3))
    GROUP BY country_iso3
)
SELECT c.country_iso3, c.entities, coalesce(sum(o.amount_eur), 0) AS oda_eur
FROM current c
LEFT JOIN oda o ON o.country_iso3 = c.country_iso3 AND o.flow = 'disbursement'
    AND o.year BETWEEN $year_from AND $year_to
    AND (len($entities) = 0 OR list_contains($entities, o.entity))
GROUP BY c.country_iso3, c.entities
ORDER BY oda_eur DESC, c.country_iso3
