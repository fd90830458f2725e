"""« Accords de coopération »: the searchable table, the timeline by partner with the agreements
to follow up, and counts by country, partner level, sector and entity."""

import streamlit as st

from atlas import charts, data, geo, ui
from atlas.i18n import t, term_list

lang = ui.lang()
today = ui.today()
st.title(t("agreements.title", lang))
ui.sample_notice(lang)

state = ui.query_state(lang)
options = data.frame("agreements_options")
choices = {kind: list(part.value) for kind, part in options.groupby("kind")}
top = st.columns([4, 3, 3])
search = ui.text_filter("recherche", t("agreements.filter_search", lang), key="agreements_filter_search", container=top[0])
entities = ui.many_filter(state, "entites", t("agreements.filter_entities", lang), choices.get("entity", []), lang,
                          key="agreements_filter_entities", container=top[1])
countries = ui.many_filter(state, "pays", t("agreements.filter_countries", lang),
                           sorted(choices.get("country", []), key=lambda c: geo.fold(geo.country_name(c, lang))), lang,
                           key="agreements_filter_countries", container=top[2], format_func=lambda c: geo.country_name(c, lang))
bottom = st.columns([4, 3, 3])
follow_only = bottom[0].toggle(t("agreements.filter_follow_up", lang), value=state.choice("suivi", ["1"], None) == "1",
                               key="agreements_filter_follow_up")
if follow_only:
    st.query_params["suivi"] = "1"
else:
    st.query_params.pop("suivi", None)
levels = ui.many_filter(state, "niveaux", t("agreements.filter_levels", lang), choices.get("level", []), lang,
                        key="agreements_filter_levels", container=bottom[1],
                        format_func=lambda v: t(f"agreements.level.{v}", lang))
statuses = ui.many_filter(state, "statuts", t("agreements.filter_statuses", lang), choices.get("status", []), lang,
                          key="agreements_filter_statuses", container=bottom[2], format_func=lambda v: t(f"status.{v}", lang))
ui.show_notices(state)
ui.share_link(lang)
filters = dict(entities=entities, countries=countries, levels=levels, statuses=statuses, search=search)

agreements = data.frame("agreements_list", today=today, follow_up_only=follow_only, **filters)
st.info(t("agreements.follow_up_rule", lang), icon=":material/warning:")
ui.chart(agreements, charts.agreements_gantt, lang, "accords-chronologie", key="agreements_gantt",
         caption=t("agreements.gantt_caption", lang), today=today)

st.header(t("agreements.table_header", lang), divider="gray")
if agreements.empty:
    ui.no_data(lang)
else:
    shown = agreements.assign(
        country=[geo.country_name(c, lang) for c in agreements.country_iso3],
        partner_level=[t(f"agreements.level.{v}", lang) for v in agreements.partner_level],
        status=[t(f"status.{v}", lang) for v in agreements.status],
        sectors=[term_list("sector", v, lang) for v in agreements.sectors],
    )
    day = "DD/MM/YYYY"
    columns = {
        "partner": st.column_config.TextColumn(t("agreements.col_partner", lang), pinned=True),
        "partner_level": st.column_config.TextColumn(t("agreements.col_level", lang)),
        "country": st.column_config.TextColumn(t("agreements.col_country", lang)),
        "entity": st.column_config.TextColumn(t("agreements.col_entity", lang)),
        "title": st.column_config.TextColumn(t("agreements.col_title", lang), width="medium"),
        "signed_on": st.column_config.DateColumn(t("agreements.col_signed", lang), format=day),
        "ends_on": st.column_config.DateColumn(t("agreements.col_ends", lang), format=day),
        "status": st.column_config.TextColumn(t("agreements.col_status", lang)),
        "sectors": st.column_config.TextColumn(t("agreements.col_sectors", lang)),
        "budget_eur": st.column_config.NumberColumn(t("agreements.col_budget", lang), format="localized"),
        "projects": st.column_config.NumberColumn(t("agreements.col_projects", lang), format="localized"),
        "last_commission_on": st.column_config.DateColumn(t("agreements.col_commission", lang), format=day),
        "expires_soon": st.column_config.CheckboxColumn(t("agreements.col_expires_soon", lang)),
        "commission_overdue": st.column_config.CheckboxColumn(t("agreements.col_commission_overdue", lang)),
    }
    st.dataframe(shown[list(columns)], column_config=columns, hide_index=True, width="stretch",
                 placeholder="–", key="agreements_table")
    ui.downloads(agreements.drop(columns=["gantt_end"]), "accords-de-cooperation", lang, key="agreements_table_dl")

st.header(t("agreements.counts_header", lang), divider="gray")
FILE_NAMES = {"country": "pays", "level": "niveau", "sector": "secteur", "entity": "entite"}
grid = st.columns(2, gap="large") + st.columns(2, gap="large")
for column, dimension in zip(grid, ("country", "level", "sector", "entity")):
    with column:
        ui.chart(data.frame("agreements_counts", dimension=dimension, follow_up_only=follow_only, today=today, **filters),
                 charts.agreement_counts, lang, f"accords-par-{FILE_NAMES[dimension]}",
                 key=f"agreements_{dimension}", dimension=dimension)

ui.sources(agreements.source, lang)
ui.footer(lang)
