-- Grain: one row per year between $year_from and $year_to. Belgium's official ODA against the
-- 0.7 % of GNI target. Columns: year, oda_eur, gni_eur, oda_gni (a ratio: 0.0044 = 0.44 %),
-- target_eur (0.7 % of GNI), gap_eur (target_eur - oda_eur: what is missing to reach 0.7 %),
-- preliminary, source.
SELECT year, oda_eur, gni_eur,
       oda_eur / gni_eur AS oda_gni,
       0.007 * gni_eur AS target_eur,
       0.007 * gni_eur - oda_eur AS gap_eur,
       coalesce(preliminary, false) AS preliminary,
       source
FROM oda_national
WHERE year BETWEEN $year_from AND $year_to
ORDER BY year
