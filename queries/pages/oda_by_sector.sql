-- over: oda_page_cube
-- Grain: one row per DAC purpose code. Disbursements of the home entities under the ODA
-- page's filters (queries/pages/oda_page_cube.sql). Names are those of data/reference/dac_sectors.csv: group_name, category_name and
-- sector_name in French (OECD), then the same in Dutch and English (_nl, _en) for
-- i18n.localize; a code missing from that list, or no code, gives NULL names. Columns:
-- group_code, group_name, category_code, category_name, sector_code, sector_name, amount_eur,
-- share (of the total shown), group_name_nl, group_name_en, category_name_nl, category_name_en,
-- sector_name_nl, sector_name_en.
SELECT s.group_code, s.group_name_fr AS group_name, s.category_code, s.category_name_fr AS category_name,
       c.sector_code, s.name_fr AS sector_name,
       c.amount_eur,
       c.amount_eur / sum(c.amount_eur) OVER () AS share,
       s.group_name_nl, s.group_name_en, s.category_name_nl, s.category_name_en,
       s.name_nl AS sector_name_nl, s.name_en AS sector_name_en
FROM oda_page_cube c
LEFT JOIN dac_sectors s ON CAST(s.code AS VARCHAR) = c.sector_code
WHERE c."grouping" = 'sector' AND c.flow = 'disbursement'
ORDER BY c.amount_eur DESC, c.sector_code
