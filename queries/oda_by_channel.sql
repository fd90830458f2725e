-- Grain: one row per channel of delivery (NULL when not given). Disbursements of the home
-- entities under the ODA page's filters (queries/_oda_page_rows.sql).
-- Columns: channel, amount_eur, share (of the total shown).
SELECT o.channel, sum(o.amount_eur) AS amount_eur,
       sum(o.amount_eur) / sum(sum(o.amount_eur)) OVER () AS share
FROM {{oda_page_rows}} o
WHERE o.flow = 'disbursement'
GROUP BY o.channel
ORDER BY amount_eur DESC
