-- Grain: one row per recipient country. ODA disbursed between $year_from and $year_to (inclusive).
-- Columns: country_iso3, amount_eur. Regional and unallocated rows (no country) are left out.
-- Read from the disbursements stored at import (queries/summaries/oda_map_summary.sql), not the rows.
SELECT country_iso3, sum(amount_eur) AS amount_eur
FROM oda_map_summary
WHERE year BETWEEN $year_from AND $year_to AND country_iso3 IS NOT NULL
GROUP BY country_iso3
