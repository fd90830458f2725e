-- Grain: one row per agreement, with the same filters as map_agreements. Where to draw its partner:
-- the partner's seat when known, else the country's representative point.
-- Columns: agreement_id, title, partner, country_iso3, entity, status, signed_on, ends_on,
--          latitude, longitude.
SELECT a.agreement_id, a.title, a.partner, a.country_iso3, a.entity, a.status, a.signed_on, a.ends_on,
       coalesce(a.latitude, c.lat) AS latitude,
       coalesce(a.longitude, c.lon) AS longitude
FROM agreements a
LEFT JOIN countries c ON c.iso3 = a.country_iso3
WHERE date_part('year', a.signed_on) <= $year_to
  AND (a.ends_on IS NULL OR date_part('year', a.ends_on) >= $year_from)
  AND (len($entities) = 0 OR list_contains($entities, a.entity))
  AND (len($statuses) = 0 OR list_contains($statuses, a.status))
ORDER BY a.signed_on, a.agreement_id
