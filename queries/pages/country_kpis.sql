-- Grain: one row. Key figures of one country's profile ($iso3), as of $today (a DATE).
-- Columns: agreements_in_force, agreements, has_oda, oda_disbursed_eur, oda_committed_eur,
--          oda_year_from, oda_year_to (0 without ODA), missions, missions_cost_eur, participants,
--          offices, priority_entities_now (NULL when a priority of no entity in year($today)).
-- Sums and counts are 0, never NULL, when the country has no row.
-- The ODA figures come from the summary stored at import (queries/summaries/oda_country_summary.sql), not
-- from the rows: at 5 000 000 rows one scan of the country's rows cost 61 ms.
-- One single-row subquery per table, cross-joined: the same figures as scalar subqueries, but
-- DuckDB 2.0 spent 15 ms ordering the joins of seven scalar subqueries, under 1 ms for these five.
WITH oda_of AS (
    SELECT coalesce(sum(rows), 0) > 0 AS has_oda,
           coalesce(sum(amount_eur) FILTER (WHERE flow = 'disbursement'), 0) AS oda_disbursed_eur,
           coalesce(sum(amount_eur) FILTER (WHERE flow = 'commitment'), 0) AS oda_committed_eur,
           coalesce(min(year), 0) AS oda_year_from, coalesce(max(year), 0) AS oda_year_to
    FROM oda_country_summary WHERE country_iso3 = $iso3 AND "grouping" = 'year'
), agreements_of AS (
    SELECT count(*) FILTER (WHERE status = 'in_force') AS agreements_in_force, count(*) AS agreements
    FROM agreements WHERE country_iso3 = $iso3
), missions_of AS (
    SELECT count(*) AS missions, coalesce(sum(cost_eur), 0) AS missions_cost_eur,
           CAST(coalesce(sum(coalesce(participants_sme, 0) + coalesce(participants_large, 0)), 0) AS BIGINT) AS participants
    FROM missions WHERE country_iso3 = $iso3
), offices_of AS (
    SELECT count(*) AS offices FROM offices WHERE country_iso3 = $iso3
), priority_of AS (
    SELECT string_agg(DISTINCT entity, ' ; ' ORDER BY entity) AS priority_entities_now
    FROM priority_countries
    WHERE country_iso3 = $iso3 AND since_year <= year($today) AND (until_year IS NULL OR until_year >= year($today))
)
SELECT agreements_in_force, agreements, has_oda, oda_disbursed_eur, oda_committed_eur, oda_year_from, oda_year_to,
       missions, missions_cost_eur, participants, offices, priority_entities_now
FROM agreements_of, oda_of, missions_of, offices_of, priority_of
