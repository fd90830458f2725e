-- Grain: one row per year and flow ('commitment', 'disbursement'). ODA of the home entities,
-- filtered by years, entities ($entities), DAC sector categories ($sectors) and recipient
-- countries ($countries); an empty list means all. Columns: year, flow, amount_eur.
SELECT o.year, o.flow, sum(o.amount_eur) AS amount_eur
FROM oda o
LEFT JOIN dac_sectors s ON CAST(s.code AS VARCHAR) = o.sector_code
WHERE o.year BETWEEN $year_from AND $year_to
  AND (len($entities) = 0 OR list_contains($entities, o.entity))
  AND (len($sectors) = 0 OR list_contains($sectors, CAST(s.category_code AS VARCHAR)))
  AND (len($countries) = 0 OR list_contains($countries, o.country_iso3))
GROUP BY o.year, o.flow
ORDER BY o.year, o.flow
