-- Grain: one row per home entity active in the country $iso3 (ODA, agreements or missions).
-- Columns: entity, oda_disbursed_eur, oda_committed_eur, oda_year_from, oda_year_to (NULL without
-- ODA), agreements, agreements_in_force, missions, participants. Ordered by disbursements, then
-- agreements, then missions, largest first.
WITH oda_of AS (
    SELECT entity,
           coalesce(sum(amount_eur) FILTER (WHERE flow = 'disbursement'), 0) AS oda_disbursed_eur,
           coalesce(sum(amount_eur) FILTER (WHERE flow = 'commitment'), 0) AS oda_committed_eur,
           min(year) AS oda_year_from, max(year) AS oda_year_to
    FROM oda WHERE country_iso3 = $iso3 GROUP BY entity
), agreements_of AS (
    SELECT entity, count(*) AS agreements, count(*) FILTER (WHERE status = 'in_force') AS agreements_in_force
    FROM agreements WHERE country_iso3 = $iso3 GROUP BY entity
), missions_of AS (
    SELECT entity, count(*) AS missions,
           CAST(sum(coalesce(participants_sme, 0) + coalesce(participants_large, 0)) AS BIGINT) AS participants
    FROM missions WHERE country_iso3 = $iso3 GROUP BY entity
)
SELECT entity,
       coalesce(o.oda_disbursed_eur, 0) AS oda_disbursed_eur, coalesce(o.oda_committed_eur, 0) AS oda_committed_eur,
       o.oda_year_from, o.oda_year_to,
       coalesce(a.agreements, 0) AS agreements, coalesce(a.agreements_in_force, 0) AS agreements_in_force,
       coalesce(m.missions, 0) AS missions, coalesce(m.participants, 0) AS participants
FROM oda_of o
FULL JOIN agreements_of a USING (entity)
FULL JOIN missions_of m USING (entity)
ORDER BY oda_disbursed_eur DESC, agreements DESC, missions DESC, entity
