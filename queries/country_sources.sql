-- Grain: one row per dataset and source behind the figures of the country $iso3's profile
-- (offices carry no source column). Columns: dataset, source, rows.
SELECT dataset, source, count(*) AS rows
FROM (
    SELECT 'agreements' AS dataset, source FROM agreements WHERE country_iso3 = $iso3
    UNION ALL SELECT 'priority_countries', source FROM priority_countries WHERE country_iso3 = $iso3
    UNION ALL SELECT 'oda', source FROM oda WHERE country_iso3 = $iso3
    UNION ALL SELECT 'missions', source FROM missions WHERE country_iso3 = $iso3
)
GROUP BY dataset, source
ORDER BY dataset, rows DESC, source
