-- over: oda_page_cube
-- Grain: one row per channel of delivery (NULL when not given). Disbursements of the home
-- entities under the ODA page's filters (queries/pages/oda_page_cube.sql).
-- Columns: channel, amount_eur, share (of the total shown).
SELECT channel, amount_eur, amount_eur / sum(amount_eur) OVER () AS share
FROM oda_page_cube
WHERE "grouping" = 'channel' AND flow = 'disbursement'
ORDER BY amount_eur DESC
