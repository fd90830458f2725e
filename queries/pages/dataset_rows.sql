-- Grain: one row per current row of dataset $dataset (a name of atlas/contract.py DATASETS, which
-- the « Données » page offers; its view holds exactly the contract's columns, in its order).
-- Columns: the dataset's contract columns. Sorted on every column, so that an export is stable.
SELECT * FROM query_table($dataset) ORDER BY ALL
