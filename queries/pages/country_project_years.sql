-- Grain: one row per project and year of the ODA to the country $iso3 (projects as in
-- queries/pages/country_projects.sql: the IATI activity, else the pair entity and project).
-- Columns: project_key, year, committed_eur, disbursed_eur (0 when none).
SELECT coalesce('iati:' || activity_id, entity || ' | ' || coalesce(project, '')) AS project_key, year,
       coalesce(sum(amount_eur) FILTER (WHERE flow = 'commitment'), 0) AS committed_eur,
       coalesce(sum(amount_eur) FILTER (WHERE flow = 'disbursement'), 0) AS disbursed_eur
FROM oda
WHERE country_iso3 = $iso3
GROUP BY ALL
ORDER BY project_key, year
