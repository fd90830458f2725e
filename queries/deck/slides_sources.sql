-- Grain: one row per dataset and distinct source behind a deck (per publishing entity too in
-- `oda`, where an IATI file's source names its activity, not its publisher): rows of every dataset
-- under the filters ($year_from, $year_to, $entities, $countries: empty list = all).
-- Columns: dataset, source, entity (oda only, else NULL), rows, year_from, year_to (the rows'
-- years: ODA year, signature, first year of priority, start of the mission).
SELECT dataset, source, entity, count(*) AS rows, min(year) AS year_from, max(year) AS year_to FROM (
    SELECT 'oda' AS dataset, source, entity, year FROM oda WHERE year BETWEEN $year_from AND $year_to
        AND (len($entities) = 0 OR list_contains($entities, entity))
        AND (len($countries) = 0 OR list_contains($countries, country_iso3))
    UNION ALL SELECT 'oda_national', source, NULL, year FROM oda_national WHERE year BETWEEN $year_from AND $year_to
    UNION ALL SELECT 'agreements', source, NULL, date_part('year', signed_on) FROM agreements
        WHERE (len($entities) = 0 OR list_contains($entities, entity))
          AND (len($countries) = 0 OR list_contains($countries, country_iso3))
    UNION ALL SELECT 'missions', source, NULL, date_part('year', starts_on) FROM missions
        WHERE date_part('year', starts_on) BETWEEN $year_from AND $year_to
        AND (len($entities) = 0 OR list_contains($entities, entity))
        AND (len($countries) = 0 OR list_contains($countries, country_iso3))
    UNION ALL SELECT 'priority_countries', source, NULL, since_year FROM priority_countries
        WHERE (len($entities) = 0 OR list_contains($entities, entity))
          AND (len($countries) = 0 OR list_contains($countries, country_iso3)))
WHERE source IS NOT NULL
GROUP BY dataset, source, entity
ORDER BY source, dataset, entity
