-- Grain: one row per recipient country. ODA disbursed from $year_from to $year_to (inclusive) by
-- the $entities (all when empty) in the DAC sector groups $sector_groups (all when empty).
-- Columns: country_iso3, value (EUR), first_year and last_year (the years that hold these
-- disbursements, the same on every row: the title names them, not the filter's span).
-- Regional and unallocated rows (no country) are left out.
SELECT o.country_iso3, sum(o.amount_eur) AS value,
       min(min(o.year)) OVER () AS first_year, max(max(o.year)) OVER () AS last_year
FROM oda o
LEFT JOIN dac_sectors s ON CAST(s.code AS VARCHAR) = o.sector_code
WHERE o.flow = 'disbursement'
  AND o.year BETWEEN $year_from AND $year_to
  AND o.country_iso3 IS NOT NULL
  AND (len($entities) = 0 OR list_contains($entities, o.entity))
  AND (len($sector_groups) = 0 OR list_contains($sector_groups, CAST(s.group_code AS VARCHAR)))
GROUP BY o.country_iso3
ORDER BY value DESC, country_iso3
