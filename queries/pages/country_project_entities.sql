-- Grain: one row per home entity with ODA projects in the country $iso3 (the projects filter's
-- choices). Columns: entity, projects (as queries/pages/country_projects.sql counts them).
SELECT entity,
       count(DISTINCT coalesce('iati:' || activity_id, entity || ' | ' || coalesce(project, ''))) AS projects
FROM oda
WHERE country_iso3 = $iso3
GROUP BY entity
ORDER BY entity
