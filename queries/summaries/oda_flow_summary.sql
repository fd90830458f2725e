-- Grain: one row per year, entity, DAC purpose code, channel, flow and source of the ODA rows
-- (NULL codes, channels and sources are groups too). Columns: year, entity, sector_code,
-- channel, flow, source, amount_eur, rows (ODA rows in the group).
-- Not run by a page: every write that changes ODA stores this result as the table
-- oda_flow_summary (atlas/store/snapshots.py, Database.transaction), in the same transaction. The ODA page,
-- without a country filter, reads it instead of the rows (queries/stand_ins/oda_page_stored_cube.sql), and
-- so do the pages' lists of ODA years, entities, sectors and sources:
-- 5 000 000 rows make 226 000 groups.
SELECT year, entity, sector_code, channel, flow, source, sum(amount_eur) AS amount_eur, count(*) AS rows
FROM oda
GROUP BY ALL
