-- Grain: one row per dated event concerning the country $iso3 in the 12 months from $today (a DATE):
-- an agreement in force that ends ('agreement_ends'), an agreement in force whose joint commission
-- falls due ('commission_due': 3 years after the last one, as in queries/pages/agreements_list.sql;
-- one that is already overdue, or never held, is due on $today), a mission that starts ('mission').
-- Columns: kind, due_on, title, entity, partner (agreements) or city (missions) as place,
-- last_commission_on (commission_due only), source. Ordered by date.
SELECT 'agreement_ends' AS kind, ends_on AS due_on, title, entity, partner AS place,
       CAST(NULL AS DATE) AS last_commission_on, source
FROM agreements
WHERE country_iso3 = $iso3 AND status = 'in_force' AND ends_on BETWEEN $today AND $today + INTERVAL 12 MONTH
UNION ALL
SELECT 'commission_due', CAST(greatest(coalesce(last_commission_on + INTERVAL 3 YEAR, $today), $today) AS DATE),
       title, entity, partner, last_commission_on, source
FROM agreements
WHERE country_iso3 = $iso3 AND status = 'in_force'
  AND (last_commission_on IS NULL OR last_commission_on + INTERVAL 3 YEAR <= $today + INTERVAL 12 MONTH)
UNION ALL
SELECT 'mission', starts_on, title, entity, city, NULL, source
FROM missions
WHERE country_iso3 = $iso3 AND starts_on BETWEEN $today AND $today + INTERVAL 12 MONTH
ORDER BY due_on, kind, title
