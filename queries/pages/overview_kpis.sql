-- Grain: one row. The key figures of the home page, as of $today (a DATE).
-- Columns: agreements_in_force, agreement_countries, priority_countries, oda_year, oda_eur,
--          oda_priority_eur, national_year, national_oda_eur, national_gni_eur, national_preliminary,
--          national_source,
--          missions_year, missions_count, missions_cost_eur
-- ODA from the map's summary stored at import (queries/summaries/oda_map_summary.sql: disbursements per
-- country, regional rows included, and year), not from the rows: 5 000 000 rows took 130 ms.
-- One single-row subquery per figure, cross-joined (not a scalar subquery each: DuckDB 2.0 spent
-- 42 ms ordering the joins of those).
WITH oda_year AS (
    SELECT max(year) AS year FROM oda_map_summary WHERE year <= year($today)
),
priority_then AS (
    SELECT DISTINCT p.country_iso3
    FROM priority_countries p, oda_year y
    WHERE p.since_year <= y.year AND (p.until_year IS NULL OR p.until_year >= y.year)
),
oda_of AS (
    SELECT any_value(y.year) AS oda_year, sum(s.amount_eur) AS oda_eur,
           coalesce(sum(s.amount_eur) FILTER (WHERE s.country_iso3 IN (SELECT country_iso3 FROM priority_then)), 0)
               AS oda_priority_eur
    FROM oda_year y LEFT JOIN oda_map_summary s ON s.year = y.year
),
agreements_of AS (
    SELECT count(*) AS agreements_in_force, count(DISTINCT country_iso3) AS agreement_countries
    FROM agreements WHERE status = 'in_force'
),
priorities_of AS (
    SELECT count(DISTINCT country_iso3) AS priority_countries FROM priority_countries
    WHERE since_year <= year($today) AND (until_year IS NULL OR until_year >= year($today))
),
missions_of AS (
    SELECT year($today) AS missions_year, count(*) AS missions_count, sum(cost_eur) AS missions_cost_eur
    FROM missions WHERE date_part('year', starts_on) = year($today)
),
national AS (
    SELECT * FROM oda_national ORDER BY year DESC LIMIT 1
)
SELECT agreements_in_force, agreement_countries, priority_countries, oda_year, oda_of.oda_eur, oda_priority_eur,
       national.year AS national_year,
       national.oda_eur AS national_oda_eur,
       national.gni_eur AS national_gni_eur,
       national.preliminary AS national_preliminary,
       national.source AS national_source,
       missions_year, missions_count, missions_cost_eur
FROM agreements_of, priorities_of, oda_of, missions_of LEFT JOIN national ON true
