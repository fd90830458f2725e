-- Grain: one row per source and import of the ODA rows currently shown: where figures came from
-- (CSV upload, IATI file, OECD CRS year, build from the sample) and when.
-- Columns: source, action, file_name, imported_at, user_name, version, currencies, rows, amount_eur.
SELECT r.source, v.action, v.file_name, v.created_at AS imported_at, v.user_name, v.version,
       string_agg(DISTINCT r.currency, ', ' ORDER BY r.currency) AS currencies,
       CAST(sum(r.rows) AS BIGINT) AS rows, sum(r.amount_eur) AS amount_eur
FROM oda_provenance_summary r  -- stored at import: queries/summaries/oda_provenance_summary.sql
JOIN _versions v ON v.version = r.version AND v.dataset = 'oda'
GROUP BY ALL
ORDER BY v.version DESC, r.source
