-- Grain: one row per office abroad whose agency works for one of the $entities (all when empty).
-- Offices carry an agency, not an entity: AWEX works for Wallonie, hub.brussels for the Brussels
-- Region, WBI for Wallonie, the Wallonia-Brussels Federation and WBI itself; FIT (Flanders) for none
-- of them. Drawn at the office when known, else at the country's representative point.
-- Columns: office_id, city, country_iso3, agency, kind, shared, latitude, longitude.
WITH works_for(agency, entity) AS (
    VALUES ('AWEX', 'Wallonie'), ('hub.brussels', 'Région de Bruxelles-Capitale'),
           ('WBI', 'Wallonie-Bruxelles International'), ('WBI', 'Wallonie'),
           ('WBI', 'Fédération Wallonie-Bruxelles')
)
SELECT o.office_id, o.city, o.country_iso3, o.agency, o.kind, o.shared,
       coalesce(o.latitude, c.lat) AS latitude,
       coalesce(o.longitude, c.lon) AS longitude
FROM offices o
LEFT JOIN countries c ON c.iso3 = o.country_iso3
WHERE len($entities) = 0
   OR EXISTS (SELECT 1 FROM works_for w WHERE w.agency = o.agency AND list_contains($entities, w.entity))
ORDER BY o.country_iso3, o.city
