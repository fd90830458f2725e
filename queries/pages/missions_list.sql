-- Grain: one row per mission under the filters (years of starts_on, $organisers, $countries,
-- $kinds: empty list = all); only those starting on or after $today when $upcoming_only.
-- net_cost_eur = cost_eur - fees_eur, fees_eur = participants_sme × fee_sme_eur +
-- participants_large × fee_large_eur; cost_per_participant = cost_eur / participants (NULL
-- without participants). priority: the country is, in the mission's year, a priority of at
-- least one entity of priority_countries (as in overview_kpis.sql).
-- Columns: mission_id, title, organiser, entity, country_iso3, city, starts_on, ends_on, kind,
-- sector, participants_sme, participants_large, participants, cost_eur, fees_eur, net_cost_eur,
-- cost_per_participant, priority, upcoming, source.
WITH costed AS (
    SELECT m.mission_id, m.title, m.organiser, m.entity, m.country_iso3, m.city, m.starts_on,
           m.ends_on, m.kind, m.sector,
           coalesce(m.participants_sme, 0) AS participants_sme,
           coalesce(m.participants_large, 0) AS participants_large,
           coalesce(m.participants_sme, 0) + coalesce(m.participants_large, 0) AS participants,
           m.cost_eur,
           -- Fees collected: participants × fee (contract defaults 100 € and 300 € when not given).
           coalesce(m.participants_sme, 0) * coalesce(m.fee_sme_eur, 100)
             + coalesce(m.participants_large, 0) * coalesce(m.fee_large_eur, 300) AS fees_eur,
           m.source
    FROM missions m
    WHERE date_part('year', m.starts_on) BETWEEN $year_from AND $year_to
      AND (len($organisers) = 0 OR list_contains($organisers, m.organiser))
      AND (len($countries) = 0 OR list_contains($countries, m.country_iso3))
      AND (len($kinds) = 0 OR list_contains($kinds, m.kind))
      AND (NOT $upcoming_only OR m.starts_on >= $today)
)
SELECT mission_id, title, organiser, entity, country_iso3, city, starts_on, ends_on, kind, sector,
       participants_sme, participants_large, participants, cost_eur, fees_eur,
       cost_eur - fees_eur AS net_cost_eur,
       cost_eur / nullif(participants, 0) AS cost_per_participant,
       EXISTS (SELECT 1 FROM priority_countries p
               WHERE p.country_iso3 = c.country_iso3
                 AND p.since_year <= date_part('year', c.starts_on)
                 AND coalesce(p.until_year, 9999) >= date_part('year', c.starts_on)) AS priority,
       starts_on >= $today AS upcoming,
       source
FROM costed c
ORDER BY starts_on
