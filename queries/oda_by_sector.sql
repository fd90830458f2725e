-- Grain: one row per DAC purpose code. Disbursements of the home entities, same filters as
-- oda_by_year. Names are those of data/reference/dac_sectors.csv: group_name, category_name and
-- sector_name in French (OECD), then the same in Dutch and English (_nl, _en) for
-- i18n.localize; a code missing from that list, or no code, gives NULL names. Columns:
-- group_code, group_name, category_code, category_name, sector_code, sector_name, amount_eur,
-- share (of the total shown), group_name_nl, group_name_en, category_name_nl, category_name_en,
-- sector_name_nl, sector_name_en.
SELECT s.group_code, s.group_name_fr AS group_name, s.category_code, s.category_name_fr AS category_name,
       o.sector_code, s.name_fr AS sector_name,
       sum(o.amount_eur) AS amount_eur,
       sum(o.amount_eur) / sum(sum(o.amount_eur)) OVER () AS share,
       s.group_name_nl, s.group_name_en, s.category_name_nl, s.category_name_en,
       s.name_nl AS sector_name_nl, s.name_en AS sector_name_en
FROM oda o
LEFT JOIN dac_sectors s ON CAST(s.code AS VARCHAR) = o.sector_code
WHERE o.year BETWEEN $year_from AND $year_to
  AND (len($entities) = 0 OR list_contains($entities, o.entity))
  AND (len($sectors) = 0 OR list_contains($sectors, CAST(s.category_code AS VARCHAR)))
  AND (len($countries) = 0 OR list_contains($countries, o.country_iso3))
  AND o.flow = 'disbursement'
GROUP BY ALL
ORDER BY amount_eur DESC, o.sector_code
