-- Grain: one row per distinct source behind a deck: rows of every dataset under the filters
-- ($year_from, $year_to, $entities, $countries: empty list = all). Columns: source.
SELECT DISTINCT source FROM (
    SELECT source FROM oda WHERE year BETWEEN $year_from AND $year_to
        AND (len($entities) = 0 OR list_contains($entities, entity))
        AND (len($countries) = 0 OR list_contains($countries, country_iso3))
    UNION ALL SELECT source FROM oda_national WHERE year BETWEEN $year_from AND $year_to
    UNION ALL SELECT source FROM agreements
        WHERE (len($entities) = 0 OR list_contains($entities, entity))
          AND (len($countries) = 0 OR list_contains($countries, country_iso3))
    UNION ALL SELECT source FROM missions WHERE date_part('year', starts_on) BETWEEN $year_from AND $year_to
        AND (len($entities) = 0 OR list_contains($entities, entity))
        AND (len($countries) = 0 OR list_contains($countries, country_iso3))
    UNION ALL SELECT source FROM priority_countries
        WHERE (len($entities) = 0 OR list_contains($entities, entity))
          AND (len($countries) = 0 OR list_contains($countries, country_iso3)))
WHERE source IS NOT NULL
ORDER BY source
