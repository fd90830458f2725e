-- Grain: one row per agreement under the filters ($entities, $countries, $levels,
-- $statuses: empty list = all; $search: text, '' = all; $year_from..$year_to: NULL = all), as
-- of $today (a DATE); only the agreements to follow up when $follow_up_only.
-- Follow-up flags, for agreements in force only:
--   expires_soon: ends_on falls within the 12 months after $today;
--   commission_overdue: no joint commission since 3 years before $today (or none recorded).
-- gantt_end: ends_on, or $today for an agreement without an end (never before signed_on).
-- Columns: agreement_id, title, partner, partner_level, country_iso3, entity, signed_on, ends_on,
-- status, sectors, budget_eur, projects, last_commission_on, expires_soon, commission_overdue,
-- follow_up, gantt_end, source.
WITH flagged AS (
    SELECT a.*,
           a.status = 'in_force' AND a.ends_on IS NOT NULL
               AND a.ends_on BETWEEN $today AND $today + INTERVAL 12 MONTH AS expires_soon,
           a.status = 'in_force'
               AND (a.last_commission_on IS NULL OR a.last_commission_on < $today - INTERVAL 3 YEAR)
               AS commission_overdue
    FROM agreements a
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
)
SELECT agreement_id, title, partner, partner_level, country_iso3, entity, signed_on, ends_on, status,
       replace(sectors, '|', ', ') AS sectors, budget_eur, projects, last_commission_on,
       expires_soon, commission_overdue, expires_soon OR commission_overdue AS follow_up,
       greatest(signed_on, coalesce(ends_on, CAST($today AS DATE))) AS gantt_end,
       source
FROM flagged
WHERE NOT $follow_up_only OR expires_soon OR commission_overdue
ORDER BY partner, signed_on
