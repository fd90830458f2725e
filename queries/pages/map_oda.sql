-- Grain: one row per recipient country. ODA disbursed from $year_from to $year_to (inclusive) by
-- the $entities (all when empty) in the DAC sector groups $sector_groups (all when empty).
-- Columns: country_iso3, value (EUR), first_year and last_year (the years that hold these
-- disbursements, the same on every row: the title names them, not the filter's span).
-- Regional and unallocated rows (no country) are left out. Read from the summary stored at
-- import (queries/summaries/oda_map_summary.sql), not from the rows.
SELECT country_iso3, sum(amount_eur) AS value,
       min(min(year)) OVER () AS first_year, max(max(year)) OVER () AS last_year
FROM oda_map_summary
WHERE country_iso3 IS NOT NULL AND year BETWEEN $year_from AND $year_to
  AND (len($entities) = 0 OR list_contains($entities, entity))
  AND (len($sector_groups) = 0 OR list_contains($sector_groups, group_code))
GROUP BY country_iso3
ORDER BY value DESC, country_iso3
