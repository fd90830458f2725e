-- Grain: one row per DAC sector (3-digit category) of data/reference/dac_sectors.csv, for
-- naming the categories other queries return by code. Columns: category_code (text),
-- category_name (French, OECD), category_name_nl (Dutch, Atlas), category_name_en (English, OECD).
SELECT DISTINCT CAST(category_code AS VARCHAR) AS category_code, category_name_fr AS category_name,
       category_name_nl, category_name_en
FROM dac_sectors
ORDER BY category_code
