-- Grain: the groups of queries/pages/oda_page_cube.sql for the ODA to one country ($iso3), all years,
-- entities and sectors, except 'country_year': 'year', 'sector', 'channel' and 'source'. Read
-- from the summary stored at import (queries/summaries/oda_country_summary.sql), not from the rows, so
-- that the ODA page's chart queries draw a country's profile at the cost of a lookup
-- (atlas/reading/stand_ins.py names it for `frame`). Columns: those of oda_page_cube.
SELECT "grouping", year, flow, sector_code, channel, country_iso3, source, amount_eur
FROM oda_country_summary
WHERE country_iso3 = $iso3
