-- Grain: one row per year of the project $project_key of the ODA to the country $iso3 (projects
-- as in queries/pages/country_projects.sql: the IATI activity, else the pair entity and project);
-- $project_key NULL: every project. Columns: project_key, title (« project · entity », as the
-- page names it), year, committed_eur, disbursed_eur (0 when none).
WITH rows_of AS (
    SELECT coalesce('iati:' || activity_id, entity || ' | ' || coalesce(project, '')) AS project_key, *
    FROM oda
    WHERE country_iso3 = $iso3
)
SELECT project_key,
       coalesce(max(project) OVER (PARTITION BY project_key), '–') || ' · ' || min(entity) OVER (PARTITION BY project_key)
           AS title,
       year, committed_eur, disbursed_eur
FROM (
    SELECT project_key, year, max(project) AS project, min(entity) AS entity,
           coalesce(sum(amount_eur) FILTER (WHERE flow = 'commitment'), 0) AS committed_eur,
           coalesce(sum(amount_eur) FILTER (WHERE flow = 'disbursement'), 0) AS disbursed_eur
    FROM rows_of
    WHERE $project_key IS NULL OR project_key = $project_key
    GROUP BY project_key, year
)
ORDER BY project_key, year
