-- Grain: one row per country that is a priority of at least one entity in year($today).
-- Columns: country_iso3, entities (the entities that chose it, separated by « ; »).
SELECT country_iso3, string_agg(DISTINCT entity, ' ; ' ORDER BY entity) AS entities
FROM priority_countries
WHERE since_year <= year($today) AND (until_year IS NULL OR until_year >= year($today))
GROUP BY country_iso3
ORDER BY country_iso3
