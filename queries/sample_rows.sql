-- Grain: one row. How many rows, across datasets, say in their source that they are illustrative.
-- Columns: sample_rows.
SELECT (SELECT count(*) FROM agreements WHERE source ILIKE '%exemple%')
     + (SELECT count(*) FROM priority_countries WHERE source ILIKE '%exemple%')
     + (SELECT count(*) FROM oda WHERE source ILIKE '%exemple%')
     + (SELECT count(*) FROM oda_national WHERE source ILIKE '%exemple%')
     + (SELECT count(*) FROM missions WHERE source ILIKE '%exemple%') AS sample_rows
