-- Grain: one row per agreement of the $entities with the $countries (empty list = all): where to
-- draw its partner (its seat when known, else the country's representative point).
-- Columns: partner, title, entity, status, signed_on, country_iso3, latitude, longitude.
SELECT a.partner, a.title, a.entity, a.status, a.signed_on, a.country_iso3,
       coalesce(a.latitude, c.lat) AS latitude, coalesce(a.longitude, c.lon) AS longitude
FROM agreements a
LEFT JOIN countries c ON c.iso3 = a.country_iso3
WHERE (len($entities) = 0 OR list_contains($entities, a.entity))
  AND (len($countries) = 0 OR list_contains($countries, a.country_iso3))
ORDER BY a.signed_on, a.partner
