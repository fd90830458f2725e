-- Grain: one row per channel of delivery (NULL when not given). Disbursements of the home
-- entities, same filters as oda_by_year. Columns: channel, amount_eur, share (of the total shown).
SELECT o.channel, sum(o.amount_eur) AS amount_eur,
       sum(o.amount_eur) / sum(sum(o.amount_eur)) OVER () AS share
FROM oda o
LEFT JOIN dac_sectors s ON CAST(s.code AS VARCHAR) = o.sector_code
WHERE o.year BETWEEN $year_from AND $year_to
  AND (len($entities) = 0 OR list_contains($entities, o.entity))
  AND (len($sectors) = 0 OR list_contains($sectors, CAST(s.category_code AS VARCHAR)))
  AND (len($countries) = 0 OR list_contains($countries, o.country_iso3))
  AND o.flow = 'disbursement'
GROUP BY o.channel
ORDER BY amount_eur DESC
