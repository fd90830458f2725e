-- Grain: one row per DAC purpose code. Disbursements of the home entities under the ODA
-- page's filters (queries/_oda_page_rows.sql). Names are those of data/reference/dac_sectors.csv: group_name, category_name and
-- sector_name in French (OECD), then the same in Dutch and English (_nl, _en) for
-- i18n.localize; a code missing from that list, or no code, gives NULL names. Columns:
-- group_code, group_name, category_code, category_name, sector_code, sector_name, amount_eur,
-- share (of the total shown), group_name_nl, group_name_en, category_name_nl, category_name_en,
-- sector_name_nl, sector_name_en.
SELECT o.group_code, o.group_name_fr AS group_name, o.category_code, o.category_name_fr AS category_name,
       o.sector_code, o.name_fr AS sector_name,
       sum(o.amount_eur) AS amount_eur,
       sum(o.amount_eur) / sum(sum(o.amount_eur)) OVER () AS share,
       o.group_name_nl, o.group_name_en, o.category_name_nl, o.category_name_en,
       o.name_nl AS sector_name_nl, o.name_en AS sector_name_en
FROM {{oda_page_rows}} o
WHERE o.flow = 'disbursement'
GROUP BY ALL
ORDER BY amount_eur DESC, o.sector_code
