-- Grain: one row per country that was a priority of one of the $entities (all when empty) at some
-- point from $year_from to $year_to. Columns: country_iso3, entities (separated by « ; »).
SELECT country_iso3, string_agg(DISTINCT entity, ' ; ' ORDER BY entity) AS entities
FROM priority_countries
WHERE since_year <= $year_to
  AND (until_year IS NULL OR until_year >= $year_from)
  AND (len($entities) = 0 OR list_contains($entities, entity))
GROUP BY country_iso3
ORDER BY country_iso3
