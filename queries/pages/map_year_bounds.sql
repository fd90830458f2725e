-- Grain: one row per map metric family with years: the span its year slider offers.
-- Columns: metric ('apd': the ODA rows' years; 'missions': the missions' start years, planned
-- ones included; 'accords': the agreements' years of signature and of end), year_from, year_to
-- (NULL when the dataset is empty).
SELECT 'apd' AS metric, min(year) AS year_from, max(year) AS year_to
FROM oda_flow_summary  -- the ODA rows' years, stored at import
UNION ALL
SELECT 'missions', min(date_part('year', starts_on)), max(date_part('year', starts_on)) FROM missions
UNION ALL
SELECT 'accords', min(date_part('year', signed_on)),
       max(greatest(date_part('year', signed_on), coalesce(date_part('year', ends_on), 0)))
FROM agreements
