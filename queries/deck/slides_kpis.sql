-- Grain: one row. The key figures of a committee deck under its filters: years $year_from to
-- $year_to, $entities and $countries (empty list = all), as of $today (a DATE).
-- A country is a priority in a year when one of the $entities lists it that year (as in
-- overview_kpis.sql). The national ODA/GNI ratio is Belgium's, the latest year up to $year_to.
-- Columns: agreements_in_force, agreements_signed, priority_countries, oda_year, oda_eur,
--          oda_priority_eur, national_year, national_oda_eur, national_gni_eur,
--          national_preliminary, missions, missions_cost_eur, missions_net_cost_eur.
-- ODA from the map's summary stored at import (queries/summaries/oda_map_summary.sql: disbursements per
-- country, year and entity), not from the rows; one single-row subquery per table, cross-joined
-- (see country_kpis.sql).
WITH oda_shown AS (
    SELECT * FROM oda_map_summary
    WHERE year BETWEEN $year_from AND $year_to
      AND (len($entities) = 0 OR list_contains($entities, entity))
      AND (len($countries) = 0 OR list_contains($countries, country_iso3))
),
priorities AS (
    SELECT * FROM priority_countries
    WHERE (len($entities) = 0 OR list_contains($entities, entity))
      AND (len($countries) = 0 OR list_contains($countries, country_iso3))
),
oda_of AS (
    SELECT max(year) AS oda_year,
           sum(amount_eur) AS oda_eur,
           coalesce(sum(amount_eur) FILTER (WHERE EXISTS (
               SELECT 1 FROM priorities p WHERE p.country_iso3 = o.country_iso3
                 AND p.since_year <= o.year AND coalesce(p.until_year, 9999) >= o.year)), 0) AS oda_priority_eur
    FROM oda_shown o
    WHERE o.year = (SELECT max(year) FROM oda_shown)
),
agreements_of AS (
    SELECT count(*) FILTER (WHERE status = 'in_force') AS agreements_in_force,
           count(*) FILTER (WHERE date_part('year', signed_on) BETWEEN $year_from AND $year_to) AS agreements_signed
    FROM agreements
    WHERE (len($entities) = 0 OR list_contains($entities, entity))
      AND (len($countries) = 0 OR list_contains($countries, country_iso3))
),
priorities_of AS (
    SELECT count(DISTINCT country_iso3) AS priority_countries FROM priorities
    WHERE since_year <= year($today) AND coalesce(until_year, 9999) >= year($today)
),
missions_of AS (
    SELECT count(*) AS missions, sum(cost_eur) AS missions_cost_eur,
           sum(cost_eur - coalesce(participants_sme, 0) * coalesce(fee_sme_eur, 100)
                        - coalesce(participants_large, 0) * coalesce(fee_large_eur, 300)) AS missions_net_cost_eur
    FROM missions
    WHERE date_part('year', starts_on) BETWEEN $year_from AND $year_to
      AND (len($entities) = 0 OR list_contains($entities, entity))
      AND (len($countries) = 0 OR list_contains($countries, country_iso3))
),
national AS (
    SELECT * FROM oda_national WHERE year <= $year_to ORDER BY year DESC LIMIT 1
)
SELECT agreements_in_force, agreements_signed, priority_countries, oda_year, oda_of.oda_eur, oda_priority_eur,
       national.year AS national_year,
       national.oda_eur AS national_oda_eur,
       national.gni_eur AS national_gni_eur,
       coalesce(national.preliminary, false) AS national_preliminary,
       missions, missions_cost_eur, missions_net_cost_eur
FROM agreements_of, priorities_of, oda_of, missions_of LEFT JOIN national ON true
