-- Grain: one row per partner country. Agreements of the $entities (all when empty) whose status is
-- one of $statuses (all when empty) and that ran during $year_from..$year_to: signed by the end of
-- the span and not ended before it. Columns: country_iso3, value (number of agreements).
SELECT country_iso3, count(*) AS value
FROM agreements
WHERE date_part('year', signed_on) <= $year_to
  AND (ends_on IS NULL OR date_part('year', ends_on) >= $year_from)
  AND (len($entities) = 0 OR list_contains($entities, entity))
  AND (len($statuses) = 0 OR list_contains($statuses, status))
GROUP BY country_iso3
ORDER BY value DESC, country_iso3
