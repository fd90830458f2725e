-- Grain: one row per recipient country. ODA disbursed between $year_from and $year_to (inclusive).
-- Columns: country_iso3, amount_eur. Regional and unallocated rows (no country) are left out.
SELECT country_iso3, sum(amount_eur) AS amount_eur
FROM oda
WHERE flow = 'disbursement' AND year BETWEEN $year_from AND $year_to AND country_iso3 IS NOT NULL
GROUP BY country_iso3
