-- Fragment, not a named query: the ODA page's queries include it by its name in double braces
-- (atlas/db.py, `sql`): oda_by_year, oda_by_sector, oda_by_channel, oda_priority_share, oda_top_recipients,
-- oda_sources, so that they filter alike. Grain: one ODA row of the home entities, filtered by
-- years ($year_from to $year_to), entities ($entities), DAC sector categories ($sectors) and
-- recipient countries ($countries); an empty list means all. Columns: those of oda, and the
-- names of the row's DAC purpose code from dac_sectors (NULL when the code is unknown or empty).
SELECT o.*, s.* EXCLUDE (code)
FROM oda o
LEFT JOIN dac_sectors s ON CAST(s.code AS VARCHAR) = o.sector_code
WHERE o.year BETWEEN $year_from AND $year_to
  AND (len($entities) = 0 OR list_contains($entities, o.entity))
  AND (len($sectors) = 0 OR list_contains($sectors, CAST(s.category_code AS VARCHAR)))
  AND (len($countries) = 0 OR list_contains($countries, o.country_iso3))
