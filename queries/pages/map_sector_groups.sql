-- Grain: one row per OECD DAC sector group (100 social infrastructure, 700 humanitarian, ...).
-- Columns: group_code, group_name_fr.
SELECT DISTINCT CAST(group_code AS VARCHAR) AS group_code, group_name_fr
FROM dac_sectors
ORDER BY group_code
