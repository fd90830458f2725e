-- Grain: one row per recipient country, year, entity and DAC sector category (category_code,
-- NULL for an unknown or empty purpose code) of the ODA disbursed. Columns: country_iso3, year,
-- entity, category_code (VARCHAR), group_code (VARCHAR, the category's sector group),
-- amount_eur. Regional and unallocated rows are the groups without a country (NULL).
-- Not run by a page: every write that changes ODA stores this result as the table
-- oda_map_summary (atlas/store/snapshots.py, Database.transaction), in the same transaction. The map's
-- filters (years, entities, sector groups) and the ODA page's recipients (years, entities,
-- sector categories) then sum a few hundred thousand rows at most instead of every ODA row
-- (5 000 000 rows: 307 000 groups).
SELECT o.country_iso3, o.year, o.entity, CAST(s.category_code AS VARCHAR) AS category_code,
       CAST(s.group_code AS VARCHAR) AS group_code, sum(o.amount_eur) AS amount_eur
FROM oda o
LEFT JOIN dac_sectors s ON CAST(s.code AS VARCHAR) = o.sector_code
WHERE o.flow = 'disbursement'
GROUP BY ALL
