-- Grain: one row per signing entity with agreements in force, most first. Says whose agreements the
-- home page's « Accords en vigueur » counts (the sample holds a French region's, for comparison).
-- Columns: entity, agreements.
SELECT entity, count(*) AS agreements
FROM agreements
WHERE status = 'in_force'
GROUP BY entity
ORDER BY agreements DESC, entity
