-- Grain: one row per home entity that appears in any dataset the map shows (for its filter).
-- Columns: entity.
SELECT DISTINCT entity FROM (
    SELECT entity FROM oda_flow_summary  -- the ODA rows' entities, stored at import
    UNION ALL SELECT entity FROM agreements
    UNION ALL SELECT entity FROM missions
    UNION ALL SELECT entity FROM priority_countries
)
ORDER BY entity
