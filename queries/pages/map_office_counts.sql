-- Grain: one row per country with an office abroad whose agency works for one of the $entities
-- (all when empty; agency -> entity as in map_offices). Columns: country_iso3, value (offices).
WITH works_for(agency, entity) AS (
    VALUES ('AWEX', 'Wallonie'), ('hub.brussels', 'Région de Bruxelles-Capitale'),
           ('WBI', 'Wallonie-Bruxelles International'), ('WBI', 'Wallonie'),
           ('WBI', 'Fédération Wallonie-Bruxelles')
)
SELECT o.country_iso3, count(*) AS value
FROM offices o
WHERE len($entities) = 0
   OR EXISTS (SELECT 1 FROM works_for w WHERE w.agency = o.agency AND list_contains($entities, w.entity))
GROUP BY o.country_iso3
ORDER BY value DESC, country_iso3
