-- Grain: one row per country Atlas holds something about: ODA it received (the stored summary,
-- queries/summaries/oda_country_summary.sql), an agreement, a mission, an office or a priority.
-- Columns: country_iso3. The country search lists these countries first (atlas/geography/search.py).
SELECT country_iso3 FROM oda_country_summary WHERE "grouping" = 'year'
UNION SELECT country_iso3 FROM agreements
UNION SELECT country_iso3 FROM missions
UNION SELECT country_iso3 FROM offices
UNION SELECT country_iso3 FROM priority_countries
ORDER BY country_iso3
