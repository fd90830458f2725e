-- Grain: one row per filter value offered by the presentation: kind 'entity' (every home entity
-- named in any dataset), 'country' (every ISO3 named in any dataset), 'year' (bounds: every year
-- with ODA, national ODA, missions or signed agreements).
-- Columns: kind, value (text).
-- ODA's entities, countries and years from the summaries stored at import, not the rows.
SELECT DISTINCT 'entity' AS kind, entity AS value FROM (
    SELECT entity FROM oda_flow_summary UNION SELECT entity FROM agreements
    UNION SELECT entity FROM missions UNION SELECT entity FROM priority_countries)
UNION
SELECT DISTINCT 'country', country_iso3 FROM (
    SELECT country_iso3 FROM oda_country_summary UNION SELECT country_iso3 FROM agreements
    UNION SELECT country_iso3 FROM missions UNION SELECT country_iso3 FROM priority_countries)
WHERE country_iso3 IS NOT NULL
UNION
SELECT DISTINCT 'year', CAST(year AS VARCHAR) FROM (
    SELECT year FROM oda_flow_summary UNION SELECT year FROM oda_national
    UNION SELECT date_part('year', starts_on) FROM missions UNION SELECT date_part('year', signed_on) FROM agreements)
ORDER BY kind, value
