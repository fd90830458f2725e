"""« Accords de coopération »: the searchable table, the timeline by partner with the agreements
to follow up, and counts by country, partner level, sector and entity."""

import streamlit as st

from atlas.figures import charts
from atlas.geography import countries as geo
from atlas.reading import queries
from atlas.web import ui, url_state
from atlas.words.i18n import t, term_list

lang = ui.lang()
today = ui.today()
st.title(t("agreements.title", lang))
ui.sample_notice(lang)

state = url_state.query_state(lang)
options = queries.frame("agreements_options")
choices = {kind: list(part.value) for kind, part in options.groupby("kind")}
top = st.columns([4, 3, 3])
search = url_state.text_filter("recherche", t("agreements.filter_search", lang), key="agreements_filter_search", container=top[0])
entities = url_state.many_filter(state, "entites", t("agreements.filter_entities", lang), choices.get("entity", []), lang,
                          key="agreements_filter_entities", container=top[1])
countries = url_state.many_filter(state, "pays", t("agreements.filter_countries", lang),
                           sorted(choices.get("country", []), key=lambda c: geo.fold(geo.country_name(c, lang))), lang,
                           key="agreements_filter_countries", container=top[2], format_func=lambda c: geo.country_name(c, lang))
bottom = st.columns([4, 3, 3])
# The years an agreement ran: signed by the end of the span, not ended before it; those without an
# end run to this year.
years = [int(y) for y in choices.get("year", [])] or [today.year]
year_from, year_to = url_state.year_filter(state, "annees", t("agreements.filter_years", lang),
                                           (min(years), max(*years, today.year)), key="agreements_filter_years",
                                           container=bottom[0])
levels = url_state.many_filter(state, "niveaux", t("agreements.filter_levels", lang), choices.get("level", []), lang,
                        key="agreements_filter_levels", container=bottom[1],
                        format_func=lambda v: t(f"agreements.level.{v}", lang))
statuses = url_state.many_filter(state, "statuts", t("agreements.filter_statuses", lang), choices.get("status", []), lang,
                          key="agreements_filter_statuses", container=bottom[2], format_func=lambda v: t(f"status.{v}", lang))
follow_only = st.toggle(t("agreements.filter_follow_up", lang), value=state.choice("suivi", ["1"], None) == "1",
                        key="agreements_filter_follow_up")
url_state.put_flag("suivi", follow_only)
url_state.show_notices(state)
ui.share_link(lang)
filters = dict(year_from=year_from, year_to=year_to, entities=entities, countries=countries, levels=levels,
               statuses=statuses, search=search)

agreements = queries.frame("agreements_list", today=today, follow_up_only=follow_only, **filters)
if agreements.empty:
    ui.empty_selection(lang)
st.info(t("agreements.follow_up_rule", lang), icon=":material/warning:")
ui.chart(agreements, charts.agreements_gantt, lang, "accords-chronologie", key="agreements_gantt",
         caption=t("agreements.gantt_caption", lang), today=today)

st.header(t("agreements.table_header", lang), divider="gray")
shown = agreements.assign(
    country=[geo.country_name(c, lang) for c in agreements.country_iso3],
    partner_level=[t(f"agreements.level.{v}", lang) for v in agreements.partner_level],
    status=[t(f"status.{v}", lang) for v in agreements.status],
    sectors=[term_list("sector", v, lang) for v in agreements.sectors],
)
day = "DD/MM/YYYY"
sized = ui.sized_column
text, date, number, flag = (st.column_config.TextColumn, st.column_config.DateColumn, st.column_config.NumberColumn,
                            st.column_config.CheckboxColumn)
# The widths asked for; ui.table fits them to ui.TABLE_ROOM (914 px at 1280) with every header and
# word whole: no sideways scrolling from 1280 px on, wider screens stretch them; names and titles
# wrap, a date and a budget in millions stay whole. Fourteen columns need some 1 100 px: four are hidden, a click away in the table's
# « Show/hide columns » menu and all in the CSV/Excel downloads: the level (its filter and its
# chart, and the partner's name, say it), the sectors (searched by the search box, counted by
# their chart), the projects and the last joint commission (its ⚠ flag, kept, says what matters).
columns = {
    "partner": sized(t("agreements.col_partner", lang), 104, text, pinned=True),
    "partner_level": sized(t("agreements.col_level", lang), 80, text, hidden=True),
    "country": sized(t("agreements.col_country", lang), 84, text),
    "entity": sized(t("agreements.col_entity", lang), 126, text),
    "title": sized(t("agreements.col_title", lang), 112, text),
    "signed_on": sized(t("agreements.col_signed_short", lang), 82, date, format=day),
    "ends_on": sized(t("agreements.col_ends", lang), 82, date, format=day),
    "status": sized(t("agreements.col_status", lang), 76, text),
    "sectors": sized(t("agreements.col_sectors", lang), 120, text, hidden=True),
    "budget_eur": sized(t("agreements.col_budget", lang), 70, number, format="localized"),
    "projects": sized(t("agreements.col_projects", lang), 60, number, format="localized", hidden=True),
    "last_commission_on": sized(t("agreements.col_commission", lang), 82, date, format=day, hidden=True),
    "expires_soon": sized(t("agreements.col_expires_soon_short", lang), 38, flag, help=t("agreements.col_expires_soon", lang)),
    "commission_overdue": sized(t("agreements.col_commission_overdue_short", lang), 38, flag,
                                help=t("agreements.col_commission_overdue", lang)),
}
ui.table(shown[list(columns)], "accords-de-cooperation", lang, "agreements_table_dl",
         download=agreements.drop(columns=["gantt_end"]), title=t("agreements.table_header", lang),
         column_config=columns, hide_index=True,
         width="stretch", row_height=ui.WRAPPED_ROWS, placeholder="–", key="agreements_table")

st.header(t("agreements.counts_header", lang), divider="gray")
FILE_NAMES = {"country": "pays", "level": "niveau", "sector": "secteur", "entity": "entite"}
grid = st.columns(2, gap="large") + st.columns(2, gap="large")
for column, dimension in zip(grid, ("country", "level", "sector", "entity")):
    with column:
        ui.chart(queries.frame("agreements_counts", dimension=dimension, follow_up_only=follow_only, today=today, **filters),
                 charts.agreement_counts, lang, f"accords-par-{FILE_NAMES[dimension]}",
                 key=f"agreements_{dimension}", dimension=dimension)

ui.sources(agreements.source, lang)
ui.footer(lang)
