-- Grain: one row: how many current rows dataset $dataset (a name of atlas/contract.py DATASETS) holds.
-- Columns: rows.
SELECT count(*) AS rows FROM query_table($dataset)
