-- Grain: one row per recipient country. ODA disbursed from $year_from to $year_to by the
-- $entities to the $countries (empty list = all). Regional and unallocated rows left out.
-- Columns: country_iso3, value (EUR). Read from the summary stored at import
-- (queries/summaries/oda_map_summary.sql), not from the rows.
SELECT country_iso3, sum(amount_eur) AS value
FROM oda_map_summary
WHERE country_iso3 IS NOT NULL AND year BETWEEN $year_from AND $year_to
  AND (len($entities) = 0 OR list_contains($entities, entity))
  AND (len($countries) = 0 OR list_contains($countries, country_iso3))
GROUP BY country_iso3
ORDER BY value DESC, country_iso3
