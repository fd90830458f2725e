-- Grain: one row per year from $year_from to $year_to with missions of the $entities to the
-- $countries (empty list = all). Costs as in missions_by.sql (fees: participants × fee, contract
-- defaults 100 € and 300 €), so that charts.mission_costs draws it with dimension 'year'.
-- Columns: dimension, value (the year, text), missions, participants, cost_eur, fees_eur,
--          net_cost_eur, cost_per_participant.
WITH costed AS (
    SELECT CAST(date_part('year', starts_on) AS VARCHAR) AS year,
           coalesce(participants_sme, 0) + coalesce(participants_large, 0) AS participants,
           cost_eur,
           coalesce(participants_sme, 0) * coalesce(fee_sme_eur, 100)
             + coalesce(participants_large, 0) * coalesce(fee_large_eur, 300) AS fees_eur
    FROM missions
    WHERE date_part('year', starts_on) BETWEEN $year_from AND $year_to
      AND (len($entities) = 0 OR list_contains($entities, entity))
      AND (len($countries) = 0 OR list_contains($countries, country_iso3))
)
SELECT 'year' AS dimension, year AS value, count(*) AS missions, sum(participants) AS participants,
       sum(cost_eur) AS cost_eur, sum(fees_eur) AS fees_eur, sum(cost_eur) - sum(fees_eur) AS net_cost_eur,
       sum(cost_eur) / nullif(sum(participants), 0) AS cost_per_participant
FROM costed
GROUP BY year
ORDER BY year
