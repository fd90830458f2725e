-- Grain: one row per country of the list $countries (ISO3 codes) and year with ODA.
-- Columns: country_iso3, year, committed_eur, disbursed_eur (0 when none). From the summary
-- stored at import (queries/summaries/oda_country_summary.sql), not from the rows.
SELECT country_iso3, year,
       coalesce(sum(amount_eur) FILTER (WHERE flow = 'commitment'), 0) AS committed_eur,
       coalesce(sum(amount_eur) FILTER (WHERE flow = 'disbursement'), 0) AS disbursed_eur
FROM oda_country_summary
WHERE list_contains($countries, country_iso3) AND "grouping" = 'year'
GROUP BY ALL
ORDER BY country_iso3, year
