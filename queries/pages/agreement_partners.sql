-- Grain: one row per agreement. Where to draw its partner: the partner's seat when known,
-- else the country's representative point. Columns: agreement_id, title, partner, partner_level,
-- country_iso3, entity, status, signed_on, latitude, longitude.
SELECT a.agreement_id, a.title, a.partner, a.partner_level, a.country_iso3, a.entity, a.status,
       a.signed_on,
       coalesce(a.latitude, c.lat) AS latitude,
       coalesce(a.longitude, c.lon) AS longitude
FROM agreements a
LEFT JOIN countries c ON c.iso3 = a.country_iso3
ORDER BY a.signed_on
