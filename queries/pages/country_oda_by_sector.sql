-- Grain: one row per DAC sector (3-digit category) of ODA to the country $iso3, all years and
-- entities, commitments and disbursements apart. Columns: category_code, category_name (OECD DAC
-- French name; NULL for a missing or unknown purpose code), committed_eur, disbursed_eur.
-- Read from the summary stored at import (queries/summaries/oda_country_summary.sql), not from the rows.
SELECT CAST(s.category_code AS VARCHAR) AS category_code, s.category_name_fr AS category_name,
       coalesce(sum(o.amount_eur) FILTER (WHERE o.flow = 'commitment'), 0) AS committed_eur,
       coalesce(sum(o.amount_eur) FILTER (WHERE o.flow = 'disbursement'), 0) AS disbursed_eur
FROM oda_country_summary o
LEFT JOIN dac_sectors s ON CAST(s.code AS VARCHAR) = o.sector_code
WHERE o.country_iso3 = $iso3 AND o."grouping" = 'sector'
GROUP BY ALL
ORDER BY disbursed_eur DESC, committed_eur DESC, category_code
