-- Grain: one row per agreement of the $entities with the $countries (empty list = all) that a
-- committee hears about, as of $today: signed from $year_from to $year_to (is_new), in force
-- (in_force), or in force and ending within the 12 months after $today (expiring).
-- Columns: agreement_id, title, partner, country_iso3, entity, signed_on, ends_on, status,
--          is_new, in_force, expiring.
SELECT agreement_id, title, partner, country_iso3, entity, signed_on, ends_on, status,
       date_part('year', signed_on) BETWEEN $year_from AND $year_to AS is_new,
       status = 'in_force' AS in_force,
       status = 'in_force' AND ends_on IS NOT NULL
           AND ends_on BETWEEN $today AND $today + INTERVAL 12 MONTH AS expiring
FROM agreements
WHERE (len($entities) = 0 OR list_contains($entities, entity))
  AND (len($countries) = 0 OR list_contains($countries, country_iso3))
  AND (date_part('year', signed_on) BETWEEN $year_from AND $year_to OR status = 'in_force')
ORDER BY expiring DESC, ends_on, signed_on DESC, partner
