-- Grain: one row per value of $dimension: the missions under the filters of missions_list
-- (without $upcoming_only), added up. $dimension: 'organiser', 'country' (ISO3), 'year', 'kind'
-- (NULL when not given) or 'total' (one row, value NULL). Costs as in missions_list.
-- Columns: dimension, value (text), missions, participants, cost_eur, fees_eur, net_cost_eur,
-- cost_per_participant.
WITH costed AS (
    SELECT m.organiser, m.country_iso3, CAST(date_part('year', m.starts_on) AS VARCHAR) AS year, m.kind,
           coalesce(m.participants_sme, 0) AS participants_sme,
           coalesce(m.participants_large, 0) AS participants_large,
           coalesce(m.participants_sme, 0) + coalesce(m.participants_large, 0) AS participants,
           m.cost_eur,
           -- Fees collected: participants × fee (contract defaults 100 € and 300 € when not given).
           coalesce(m.participants_sme, 0) * coalesce(m.fee_sme_eur, 100)
             + coalesce(m.participants_large, 0) * coalesce(m.fee_large_eur, 300) AS fees_eur
    FROM missions m
    WHERE date_part('year', m.starts_on) BETWEEN $year_from AND $year_to
      AND (len($organisers) = 0 OR list_contains($organisers, m.organiser))
      AND (len($countries) = 0 OR list_contains($countries, m.country_iso3))
      AND (len($kinds) = 0 OR list_contains($kinds, m.kind))
),
long AS (
    SELECT 'organiser' AS dimension, organiser AS value, * FROM costed
    UNION ALL SELECT 'country', country_iso3, * FROM costed
    UNION ALL SELECT 'year', year, * FROM costed
    UNION ALL SELECT 'kind', kind, * FROM costed
    UNION ALL SELECT 'total', NULL, * FROM costed
)
SELECT dimension, value, count(*) AS missions, sum(participants) AS participants,
       sum(cost_eur) AS cost_eur, sum(fees_eur) AS fees_eur, sum(cost_eur) - sum(fees_eur) AS net_cost_eur,
       sum(cost_eur) / nullif(sum(participants), 0) AS cost_per_participant
FROM long
WHERE dimension = $dimension
GROUP BY dimension, value
ORDER BY cost_eur DESC, value
