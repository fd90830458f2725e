-- Grain: one row. How many rows, across datasets, say in their source that they are illustrative.
-- Columns: sample_rows. ODA rows are counted in the summary stored at import
-- (queries/summaries/oda_flow_summary.sql), not scanned.
SELECT CAST(sum(n) AS BIGINT) AS sample_rows FROM (
    SELECT count(*) AS n FROM agreements WHERE source ILIKE '%exemple%'
    UNION ALL SELECT count(*) FROM priority_countries WHERE source ILIKE '%exemple%'
    UNION ALL SELECT sum(rows) FROM oda_flow_summary WHERE source ILIKE '%exemple%'
    UNION ALL SELECT count(*) FROM oda_national WHERE source ILIKE '%exemple%'
    UNION ALL SELECT count(*) FROM missions WHERE source ILIKE '%exemple%'
)
