-- Grain: one row per country of the list $countries (ISO3 codes), in any order; a country without
-- any row still gets its row of zeros. Key figures as in queries/pages/country_kpis.sql, as of $today.
-- Columns: country_iso3, agreements_in_force, agreements, oda_disbursed_eur, oda_committed_eur,
-- missions, participants, offices, priority_entities_now (NULL when none).
-- ODA from the summary stored at import (queries/summaries/oda_country_summary.sql).
WITH chosen AS (
    SELECT unnest($countries) AS country_iso3
), oda_of AS (
    SELECT country_iso3,
           sum(amount_eur) FILTER (WHERE flow = 'disbursement') AS oda_disbursed_eur,
           sum(amount_eur) FILTER (WHERE flow = 'commitment') AS oda_committed_eur
    FROM oda_country_summary WHERE list_contains($countries, country_iso3) AND "grouping" = 'year' GROUP BY ALL
), agreements_of AS (
    SELECT country_iso3, count(*) FILTER (WHERE status = 'in_force') AS agreements_in_force, count(*) AS agreements
    FROM agreements WHERE list_contains($countries, country_iso3) GROUP BY ALL
), missions_of AS (
    SELECT country_iso3, count(*) AS missions,
           CAST(sum(coalesce(participants_sme, 0) + coalesce(participants_large, 0)) AS BIGINT) AS participants
    FROM missions WHERE list_contains($countries, country_iso3) GROUP BY ALL
), offices_of AS (
    SELECT country_iso3, count(*) AS offices FROM offices WHERE list_contains($countries, country_iso3) GROUP BY ALL
), priority_of AS (
    SELECT country_iso3, string_agg(DISTINCT entity, ' ; ' ORDER BY entity) AS priority_entities_now
    FROM priority_countries
    WHERE list_contains($countries, country_iso3) AND since_year <= year($today)
      AND (until_year IS NULL OR until_year >= year($today))
    GROUP BY ALL
)
SELECT c.country_iso3,
       coalesce(a.agreements_in_force, 0) AS agreements_in_force, coalesce(a.agreements, 0) AS agreements,
       coalesce(o.oda_disbursed_eur, 0) AS oda_disbursed_eur, coalesce(o.oda_committed_eur, 0) AS oda_committed_eur,
       coalesce(m.missions, 0) AS missions, coalesce(m.participants, 0) AS participants,
       coalesce(f.offices, 0) AS offices, p.priority_entities_now
FROM chosen c
LEFT JOIN oda_of o USING (country_iso3)
LEFT JOIN agreements_of a USING (country_iso3)
LEFT JOIN missions_of m USING (country_iso3)
LEFT JOIN offices_of f USING (country_iso3)
LEFT JOIN priority_of p USING (country_iso3)
ORDER BY list_position($countries, c.country_iso3)
