-- Grain: one row per value of $dimension and status: how many agreements under the filters of
-- agreements_list. $dimension: 'country' (ISO3), 'level' (partner_level), 'sector' (each sector
-- of the | list; an agreement with several sectors counts once in each), 'entity'.
-- With $follow_up_only, only the agreements to follow up as of $today (the rule of
-- agreements_list.sql: in force, and ending within 12 months or no joint commission for 3 years).
-- Columns: dimension, value, status, agreements.
WITH shown AS (
    SELECT a.* FROM agreements a
    WHERE (len($entities) = 0 OR list_contains($entities, a.entity))
      AND (len($countries) = 0 OR list_contains($countries, a.country_iso3))
      AND (len($levels) = 0 OR list_contains($levels, a.partner_level))
      AND (len($statuses) = 0 OR list_contains($statuses, a.status))
      -- In force at some time during $year_from..$year_to (NULL: any year): signed by the end of
      -- the span and not ended before it, as on the map (queries/pages/map_agreements.sql).
      AND ($year_from IS NULL OR (date_part('year', a.signed_on) <= $year_to
                                  AND (a.ends_on IS NULL OR date_part('year', a.ends_on) >= $year_from)))
      -- Accent- and case-insensitive search in the title, the partner and the sectors.
      AND ($search = '' OR contains(strip_accents(lower(concat_ws(' ', a.title, a.partner, a.sectors))),
                                      strip_accents(lower($search))))
      AND (NOT $follow_up_only OR (a.status = 'in_force' AND (
               (a.ends_on IS NOT NULL AND a.ends_on BETWEEN $today AND $today + INTERVAL 12 MONTH)
               OR a.last_commission_on IS NULL OR a.last_commission_on < $today - INTERVAL 3 YEAR)))
)
SELECT * FROM (
SELECT 'country' AS dimension, country_iso3 AS value, status, count(*) AS agreements FROM shown GROUP BY ALL
UNION ALL
SELECT 'level', partner_level, status, count(*) FROM shown GROUP BY ALL
UNION ALL
SELECT 'sector', trim(sector), status, count(*)
FROM (SELECT status, unnest(string_split(sectors, '|')) AS sector FROM shown WHERE sectors IS NOT NULL)
WHERE trim(sector) <> ''
GROUP BY ALL
UNION ALL
SELECT 'entity', entity, status, count(*) FROM shown GROUP BY ALL
)
WHERE dimension = $dimension
ORDER BY value, status
