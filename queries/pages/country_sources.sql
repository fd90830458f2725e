-- Grain: one row per dataset and source behind the figures of the country $iso3's profile
-- (offices carry no source column). Columns: dataset, source, rows. ODA sources come from the
-- summary stored at import (queries/summaries/oda_country_summary.sql), not from the rows.
SELECT dataset, source, CAST(sum(n) AS BIGINT) AS rows
FROM (
    SELECT 'agreements' AS dataset, source, 1 AS n FROM agreements WHERE country_iso3 = $iso3
    UNION ALL SELECT 'priority_countries', source, 1 FROM priority_countries WHERE country_iso3 = $iso3
    UNION ALL SELECT 'oda', source, rows FROM oda_country_summary WHERE country_iso3 = $iso3 AND "grouping" = 'source'
    UNION ALL SELECT 'missions', source, 1 FROM missions WHERE country_iso3 = $iso3
)
GROUP BY dataset, source
ORDER BY dataset, rows DESC, source
