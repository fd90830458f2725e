-- Grain: one row per project of the ODA to the country $iso3, all years, among those of the
-- $entities ([] = all) whose title, entity, sector (in any language) or channel contains $search
-- ('' = all; accents and case ignored): the $limit largest (NULL = all). A project is the IATI
-- activity when its rows came from IATI (activity_id), else the pair (entity, project); rows with
-- neither form one group per entity whose title is NULL (« sans projet »).
-- sector_code and channel: the one carrying the largest part of the project's amounts (absolute
-- values, commitments and disbursements; ties by code); sectors and channels count the distinct
-- ones (more than 1: the page says « plusieurs »). Sector names are those of
-- data/reference/dac_sectors.csv in French, Dutch and English (for i18n.localize).
-- Columns: project_key, activity_id, title, entity, sector_code, sector_name, sector_name_nl,
-- sector_name_en, sectors, channel, channels, first_year, last_year, committed_eur, disbursed_eur,
-- source (the first of its sources), matching (the projects found before $limit). Ordered by
-- disbursements, largest first. The page draws 200 of DR Congo's 81 119 projects at 1 000 000 ODA
-- rows: filtered and cut here, not in pandas. Without $search, the largest sector and channel are
-- found for the $limit projects listed only, since the order does not depend on them (a search
-- needs them for every project: 4 s at 5 000 000 rows for DR Congo), and the country's rows are
-- read twice rather than held (NOT MATERIALIZED): at 5 000 000 rows, DR Congo's 405 319 projects
-- took 2.5 s and 830 MB, now 0.8 s and 430 MB.
WITH rows_of AS NOT MATERIALIZED (
    SELECT coalesce('iati:' || activity_id, entity || ' | ' || coalesce(project, '')) AS project_key,
           activity_id, project, entity, sector_code, channel, year, flow, amount_eur, source
    FROM oda
    WHERE country_iso3 = $iso3 AND (len($entities) = 0 OR list_contains($entities, entity))
), projects AS (
    SELECT project_key, min(activity_id) AS activity_id, max(project) AS title, min(entity) AS entity,
           min(year) AS first_year, max(year) AS last_year,
           coalesce(sum(amount_eur) FILTER (WHERE flow = 'commitment'), 0) AS committed_eur,
           coalesce(sum(amount_eur) FILTER (WHERE flow = 'disbursement'), 0) AS disbursed_eur,
           min(source) AS source
    FROM rows_of GROUP BY project_key
), candidates AS (  -- without a search, only the projects listed need their sector and channel
    SELECT * FROM projects
    WHERE $search <> '' OR project_key IN (
        SELECT project_key FROM projects ORDER BY disbursed_eur DESC, committed_eur DESC, project_key LIMIT $limit)
), candidate_rows AS MATERIALIZED (  -- a few hundred rows without a search, read by both weights: one scan, not two
    SELECT * FROM rows_of WHERE project_key IN (SELECT project_key FROM candidates)
), sector_weights AS (
    SELECT project_key, sector_code, sum(abs(amount_eur)) AS weight FROM candidate_rows GROUP BY ALL
), channel_weights AS (
    SELECT project_key, channel, sum(abs(amount_eur)) AS weight FROM candidate_rows GROUP BY ALL
), largest_sector AS (
    SELECT project_key, list(sector_code ORDER BY weight DESC, sector_code NULLS LAST)[1] AS sector_code,
           count(sector_code) AS sectors
    FROM sector_weights GROUP BY project_key
), largest_channel AS (
    SELECT project_key, list(channel ORDER BY weight DESC, channel NULLS LAST)[1] AS channel,
           count(channel) AS channels
    FROM channel_weights GROUP BY project_key
)
SELECT p.project_key, p.activity_id, p.title, p.entity, s.sector_code, d.name_fr AS sector_name,
       d.name_nl AS sector_name_nl, d.name_en AS sector_name_en, s.sectors, c.channel, c.channels,
       p.first_year, p.last_year, p.committed_eur, p.disbursed_eur, p.source,
       CASE WHEN $search = '' THEN (SELECT count(*) FROM projects) ELSE count(*) OVER () END AS matching
FROM candidates p
JOIN largest_sector s USING (project_key)
JOIN largest_channel c USING (project_key)
LEFT JOIN dac_sectors d ON CAST(d.code AS VARCHAR) = s.sector_code
WHERE $search = '' OR contains(strip_accents(lower(concat_ws(' ', p.title, p.entity, d.name_fr, d.name_nl, d.name_en,
                                                                 c.channel))), strip_accents(lower($search)))
ORDER BY p.disbursed_eur DESC, p.committed_eur DESC, p.project_key
LIMIT $limit
