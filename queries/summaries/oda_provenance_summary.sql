-- Grain: one row per source, version that added the rows and currency of the current ODA rows.
-- Columns: source, version, currency, rows, amount_eur.
-- Not run by a page: every write that changes ODA stores this result as the table
-- oda_provenance_summary (atlas/store/snapshots.py, Database.transaction), in the same transaction; the ODA
-- page's provenance (queries/pages/oda_provenance.sql) reads it instead of grouping every row
-- (5 000 000 rows: 200 to 400 ms on the page's first run after an import, 9 ms now).
SELECT source, _added_in AS version, currency, count(*) AS rows, sum(amount_eur) AS amount_eur
FROM _rows_oda
WHERE _removed_in IS NULL
GROUP BY ALL
