-- Grain: one row per agreement of the $entities with the $countries (empty list = all) that is
-- new, withdrawn, or whose status or end date changed between the data version $ref and now.
-- A row belongs to version v when _added_in <= v and it was not removed by v: the macro as_of_version (atlas/store/rows.py).
-- Columns: agreement_id, title, partner, country_iso3, entity, change ('added', 'removed',
--          'changed'), old_status, new_status, old_ends_on, new_ends_on, signed_on.
WITH old AS (
    SELECT * FROM _rows_agreements WHERE as_of_version(_added_in, _removed_in, $ref)
),
new AS (
    SELECT * FROM _rows_agreements WHERE _removed_in IS NULL
),
paired AS (
    SELECT coalesce(n.agreement_id, o.agreement_id) AS agreement_id,
           coalesce(n.title, o.title) AS title,
           coalesce(n.partner, o.partner) AS partner,
           coalesce(n.country_iso3, o.country_iso3) AS country_iso3,
           coalesce(n.entity, o.entity) AS entity,
           CASE WHEN o.agreement_id IS NULL THEN 'added'
                WHEN n.agreement_id IS NULL THEN 'removed' ELSE 'changed' END AS change,
           o.status AS old_status, n.status AS new_status,
           o.ends_on AS old_ends_on, n.ends_on AS new_ends_on,
           coalesce(n.signed_on, o.signed_on) AS signed_on
    FROM old o FULL JOIN new n ON o.agreement_id = n.agreement_id
    WHERE o.agreement_id IS NULL OR n.agreement_id IS NULL
       OR o.status IS DISTINCT FROM n.status OR o.ends_on IS DISTINCT FROM n.ends_on
)
SELECT * FROM paired
WHERE (len($entities) = 0 OR list_contains($entities, entity))
  AND (len($countries) = 0 OR list_contains($countries, country_iso3))
ORDER BY CASE change WHEN 'added' THEN 0 WHEN 'changed' THEN 1 ELSE 2 END, signed_on DESC, agreement_id
