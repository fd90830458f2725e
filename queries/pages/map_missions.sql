-- Grain: one row per country visited. Economic missions of the $entities (all when empty) that
-- started from $year_from to $year_to (inclusive).
-- Columns: country_iso3, missions (count), cost_eur (sum of costs), participants, first_year and
-- last_year (the years that hold these missions, the same on every row).
SELECT country_iso3,
       count(*) AS missions,
       sum(cost_eur) AS cost_eur,
       sum(coalesce(participants_sme, 0) + coalesce(participants_large, 0)) AS participants,
       min(min(date_part('year', starts_on))) OVER () AS first_year, max(max(date_part('year', starts_on))) OVER () AS last_year
FROM missions
WHERE date_part('year', starts_on) BETWEEN $year_from AND $year_to
  AND (len($entities) = 0 OR list_contains($entities, entity))
GROUP BY country_iso3
ORDER BY missions DESC, country_iso3
