-- Grain: one row per period during which an entity counted the country $iso3 among its priorities.
-- Columns: entity, since_year, until_year, open_ended (no until_year), current (true in year($today)),
--          programme, sectors, source.
SELECT entity, since_year, until_year, until_year IS NULL AS open_ended,
       since_year <= year($today) AND (until_year IS NULL OR until_year >= year($today)) AS current,
       programme, sectors, source
FROM priority_countries
WHERE country_iso3 = $iso3
ORDER BY since_year, entity
