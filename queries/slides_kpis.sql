-- Grain: one row. The key figures of a committee deck under its filters: years $year_from to
-- $year_to, $entities and $countries (empty list = all), as of $today (a DATE).
-- A country is a priority in a year when one of the $entities lists it that year (as in
-- overview_kpis.sql). The national ODA/GNI ratio is Belgium's, the latest year up to $year_to.
-- Columns: agreements_in_force, agreements_signed, priority_countries, oda_year, oda_eur,
--          oda_priority_eur, national_year, national_oda_eur, national_gni_eur,
--          national_preliminary, missions, missions_cost_eur, missions_net_cost_eur.
WITH oda_shown AS (
    SELECT * FROM oda
    WHERE flow = 'disbursement' AND year BETWEEN $year_from AND $year_to
      AND (len($entities) = 0 OR list_contains($entities, entity))
      AND (len($countries) = 0 OR list_contains($countries, country_iso3))
),
oda_year AS (SELECT max(year) AS year FROM oda_shown),
oda_latest AS (
    SELECT o.* FROM oda_shown o, oda_year y WHERE o.year = y.year
),
priorities AS (
    SELECT * FROM priority_countries
    WHERE (len($entities) = 0 OR list_contains($entities, entity))
      AND (len($countries) = 0 OR list_contains($countries, country_iso3))
),
agreements_shown AS (
    SELECT * FROM agreements
    WHERE (len($entities) = 0 OR list_contains($entities, entity))
      AND (len($countries) = 0 OR list_contains($countries, country_iso3))
),
missions_shown AS (
    SELECT cost_eur,
           cost_eur - coalesce(participants_sme, 0) * coalesce(fee_sme_eur, 100)
                    - coalesce(participants_large, 0) * coalesce(fee_large_eur, 300) AS net_cost_eur
    FROM missions
    WHERE year(starts_on) BETWEEN $year_from AND $year_to
      AND (len($entities) = 0 OR list_contains($entities, entity))
      AND (len($countries) = 0 OR list_contains($countries, country_iso3))
),
national AS (
    SELECT * FROM oda_national WHERE year <= $year_to ORDER BY year DESC LIMIT 1
)
SELECT
    (SELECT count(*) FROM agreements_shown WHERE status = 'in_force') AS agreements_in_force,
    (SELECT count(*) FROM agreements_shown WHERE year(signed_on) BETWEEN $year_from AND $year_to) AS agreements_signed,
    (SELECT count(DISTINCT country_iso3) FROM priorities
      WHERE since_year <= year($today) AND coalesce(until_year, 9999) >= year($today)) AS priority_countries,
    (SELECT year FROM oda_year) AS oda_year,
    (SELECT sum(amount_eur) FROM oda_latest) AS oda_eur,
    (SELECT coalesce(sum(amount_eur), 0) FROM oda_latest o
      WHERE EXISTS (SELECT 1 FROM priorities p WHERE p.country_iso3 = o.country_iso3
                      AND p.since_year <= o.year AND coalesce(p.until_year, 9999) >= o.year)) AS oda_priority_eur,
    national.year AS national_year,
    national.oda_eur AS national_oda_eur,
    national.gni_eur AS national_gni_eur,
    coalesce(national.preliminary, false) AS national_preliminary,
    (SELECT count(*) FROM missions_shown) AS missions,
    (SELECT sum(cost_eur) FROM missions_shown) AS missions_cost_eur,
    (SELECT sum(net_cost_eur) FROM missions_shown) AS missions_net_cost_eur
FROM (SELECT 1) LEFT JOIN national ON true
