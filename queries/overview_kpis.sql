-- Grain: one row. The key figures of the home page, as of $today (a DATE).
-- Columns: agreements_in_force, agreement_countries, priority_countries, oda_year, oda_eur,
--          oda_priority_eur, national_year, national_oda_eur, national_gni_eur, national_preliminary,
--          national_source,
--          missions_year, missions_count, missions_cost_eur
WITH oda_year AS (
    SELECT max(year) AS year FROM oda WHERE flow = 'disbursement' AND year <= year($today)
),
oda_latest AS (
    SELECT o.country_iso3, o.amount_eur
    FROM oda o, oda_year y
    WHERE o.flow = 'disbursement' AND o.year = y.year
),
priority_then AS (
    SELECT DISTINCT p.country_iso3
    FROM priority_countries p, oda_year y
    WHERE p.since_year <= y.year AND (p.until_year IS NULL OR p.until_year >= y.year)
),
national AS (
    SELECT * FROM oda_national ORDER BY year DESC LIMIT 1
),
missions_now AS (
    SELECT count(*) AS n, sum(cost_eur) AS cost FROM missions WHERE year(starts_on) = year($today)
)
SELECT
    (SELECT count(*) FROM agreements WHERE status = 'in_force') AS agreements_in_force,
    (SELECT count(DISTINCT country_iso3) FROM agreements WHERE status = 'in_force') AS agreement_countries,
    (SELECT count(DISTINCT country_iso3) FROM priority_countries
      WHERE since_year <= year($today) AND (until_year IS NULL OR until_year >= year($today))) AS priority_countries,
    (SELECT year FROM oda_year) AS oda_year,
    (SELECT sum(amount_eur) FROM oda_latest) AS oda_eur,
    (SELECT coalesce(sum(amount_eur), 0) FROM oda_latest
      WHERE country_iso3 IN (SELECT country_iso3 FROM priority_then)) AS oda_priority_eur,
    national.year AS national_year,
    national.oda_eur AS national_oda_eur,
    national.gni_eur AS national_gni_eur,
    national.preliminary AS national_preliminary,
    national.source AS national_source,
    year($today) AS missions_year,
    (SELECT n FROM missions_now) AS missions_count,
    (SELECT cost FROM missions_now) AS missions_cost_eur
FROM (SELECT 1) LEFT JOIN national ON true
