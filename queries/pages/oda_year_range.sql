-- Grain: one row. First and last year of ODA disbursements. Columns: year_from, year_to.
-- Read from the disbursements stored at import (queries/summaries/oda_map_summary.sql), not the rows.
SELECT min(year) AS year_from, max(year) AS year_to FROM oda_map_summary
