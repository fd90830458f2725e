-- Grain: one row per home entity and year of the ODA to the country $iso3.
-- Columns: entity, year, committed_eur, disbursed_eur (0 when none).
SELECT entity, year,
       coalesce(sum(amount_eur) FILTER (WHERE flow = 'commitment'), 0) AS committed_eur,
       coalesce(sum(amount_eur) FILTER (WHERE flow = 'disbursement'), 0) AS disbursed_eur
FROM oda
WHERE country_iso3 = $iso3
GROUP BY ALL
ORDER BY entity, year
