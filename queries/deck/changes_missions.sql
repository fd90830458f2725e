-- Grain: one row per mission of the $entities to the $countries (empty list = all) added,
-- withdrawn, or whose dates, cost or participants changed between the data version $ref and now.
-- Columns: mission_id, title, country_iso3, organiser, change ('added', 'removed', 'changed'),
--          old_starts_on, new_starts_on, old_cost_eur, new_cost_eur, old_participants,
--          new_participants.
WITH old AS (
    SELECT * FROM _rows_missions WHERE as_of_version(_added_in, _removed_in, $ref)
),
new AS (
    SELECT * FROM _rows_missions WHERE _removed_in IS NULL
),
paired AS (
    SELECT coalesce(n.mission_id, o.mission_id) AS mission_id,
           coalesce(n.title, o.title) AS title,
           coalesce(n.country_iso3, o.country_iso3) AS country_iso3,
           coalesce(n.organiser, o.organiser) AS organiser,
           coalesce(n.entity, o.entity) AS entity,
           CASE WHEN o.mission_id IS NULL THEN 'added'
                WHEN n.mission_id IS NULL THEN 'removed' ELSE 'changed' END AS change,
           o.starts_on AS old_starts_on, n.starts_on AS new_starts_on,
           o.cost_eur AS old_cost_eur, n.cost_eur AS new_cost_eur,
           CASE WHEN o.mission_id IS NOT NULL
                THEN coalesce(o.participants_sme, 0) + coalesce(o.participants_large, 0) END AS old_participants,
           CASE WHEN n.mission_id IS NOT NULL
                THEN coalesce(n.participants_sme, 0) + coalesce(n.participants_large, 0) END AS new_participants
    FROM old o FULL JOIN new n ON o.mission_id = n.mission_id
)
SELECT mission_id, title, country_iso3, organiser, change, old_starts_on, new_starts_on,
       old_cost_eur, new_cost_eur, old_participants, new_participants
FROM paired
WHERE (change <> 'changed' OR old_starts_on IS DISTINCT FROM new_starts_on
       OR old_cost_eur IS DISTINCT FROM new_cost_eur OR old_participants IS DISTINCT FROM new_participants)
  AND (len($entities) = 0 OR list_contains($entities, entity))
  AND (len($countries) = 0 OR list_contains($countries, country_iso3))
ORDER BY CASE change WHEN 'added' THEN 0 WHEN 'changed' THEN 1 ELSE 2 END, new_starts_on DESC, mission_id
