-- Grain: one row. Key figures of one country's profile ($iso3), as of $today (a DATE).
-- Columns: agreements_in_force, agreements, has_oda, oda_disbursed_eur, oda_committed_eur,
--          oda_year_from, oda_year_to (0 without ODA), missions, missions_cost_eur, participants,
--          offices, priority_entities_now (NULL when a priority of no entity in year($today)).
-- Sums and counts are 0, never NULL, when the country has no row.
-- The ODA figures come from the summary stored at import (queries/oda_country_summary.sql), not
-- from the rows: at 5 000 000 rows one scan of the country's rows cost 61 ms.
WITH oda_of AS (
    SELECT coalesce(sum(rows), 0) > 0 AS has_oda,
           coalesce(sum(amount_eur) FILTER (WHERE flow = 'disbursement'), 0) AS disbursed,
           coalesce(sum(amount_eur) FILTER (WHERE flow = 'commitment'), 0) AS committed,
           coalesce(min(year), 0) AS year_from, coalesce(max(year), 0) AS year_to
    FROM oda_country_summary WHERE country_iso3 = $iso3 AND "grouping" = 'year'
)
SELECT
    (SELECT count(*) FROM agreements WHERE country_iso3 = $iso3 AND status = 'in_force') AS agreements_in_force,
    (SELECT count(*) FROM agreements WHERE country_iso3 = $iso3) AS agreements,
    oda_of.has_oda,
    oda_of.disbursed AS oda_disbursed_eur,
    oda_of.committed AS oda_committed_eur,
    oda_of.year_from AS oda_year_from,
    oda_of.year_to AS oda_year_to,
    (SELECT count(*) FROM missions WHERE country_iso3 = $iso3) AS missions,
    (SELECT coalesce(sum(cost_eur), 0) FROM missions WHERE country_iso3 = $iso3) AS missions_cost_eur,
    (SELECT CAST(coalesce(sum(coalesce(participants_sme, 0) + coalesce(participants_large, 0)), 0) AS BIGINT)
       FROM missions WHERE country_iso3 = $iso3) AS participants,
    (SELECT count(*) FROM offices WHERE country_iso3 = $iso3) AS offices,
    (SELECT string_agg(DISTINCT entity, ' ; ' ORDER BY entity) FROM priority_countries
      WHERE country_iso3 = $iso3 AND since_year <= year($today)
        AND (until_year IS NULL OR until_year >= year($today))) AS priority_entities_now
FROM oda_of
