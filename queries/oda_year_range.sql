-- Grain: one row. First and last year of ODA disbursements. Columns: year_from, year_to.
SELECT min(year) AS year_from, max(year) AS year_to FROM oda WHERE flow = 'disbursement'
