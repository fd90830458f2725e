-- Grain: one row per office abroad in the country $iso3. Columns: office_id, city, agency, kind, shared.
SELECT office_id, city, agency, kind, shared
FROM offices
WHERE country_iso3 = $iso3
ORDER BY city, agency
