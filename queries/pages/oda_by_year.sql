-- over: oda_page_cube
-- Grain: one row per year and flow ('commitment', 'disbursement'). ODA of the home entities
-- under the ODA page's filters (queries/pages/oda_page_cube.sql: years, $entities, DAC sector
-- categories $sectors, recipient countries $countries; an empty list means all).
-- Columns: year, flow, amount_eur.
SELECT year, flow, amount_eur
FROM oda_page_cube
WHERE "grouping" = 'year'
ORDER BY year, flow
