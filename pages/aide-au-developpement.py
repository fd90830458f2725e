"""« Aide publique au développement »: Belgium against the 0.7 % target, the entities' ODA by
flow, sector and channel, and its concentration on priority countries."""

import streamlit as st

from atlas.figures import charts
from atlas.geography import countries as geo
from atlas.reading import queries
from atlas.web import ui, url_state
from atlas.words import fmt
from atlas.words.i18n import localize, t

lang = ui.lang()
st.title(t("oda.title", lang))
ui.sample_notice(lang)

bounds = queries.frame("oda_page_years").iloc[0]
if bounds.year_from != bounds.year_from:  # NaN: no ODA at all
    st.info(t("oda.empty_database", lang))
    ui.footer(lang)
    st.stop()

state = url_state.query_state(lang)
options = queries.frame("oda_options")
# DAC sector names in the user's language, sorted in it (the query sorts the French ones).
choices = {kind: dict(sorted(zip(part.value, localize(part, lang, "label").label), key=lambda vl: geo.fold(vl[1])))
           for kind, part in options.groupby("kind")}
left, middle, right, last = st.columns([3, 3, 3, 3])
year_from, year_to = url_state.year_filter(state, "annees", t("oda.filter_years", lang),
                                    (int(bounds.year_from), int(bounds.year_to)), key="oda_filter_years", container=left)
entities = url_state.many_filter(state, "entites", t("oda.filter_entities", lang), choices.get("entity", {}), lang,
                          key="oda_filter_entities", container=middle)
sectors = url_state.many_filter(state, "secteurs", t("oda.filter_sectors", lang), choices.get("sector", {}), lang,
                         key="oda_filter_sectors", container=right, format_func=choices.get("sector", {}).get)
countries = url_state.many_filter(state, "pays", t("oda.filter_countries", lang),
                           sorted(choices.get("country", {}), key=lambda c: geo.fold(geo.country_name(c, lang))), lang,
                           key="oda_filter_countries", container=last, format_func=lambda c: geo.country_name(c, lang))
url_state.show_notices(state)
ui.share_link(lang)
filters = dict(year_from=year_from, year_to=year_to, entities=entities, sectors=sectors, countries=countries)

st.header(t("oda.gni_header", lang), divider="gray")
gni = queries.frame("oda_gni", year_from=year_from, year_to=year_to)
if not gni.empty:
    latest = gni.iloc[-1]
    preliminary = f" ({t('oda.preliminary', lang)})" if latest.preliminary else ""
    tiles = st.columns(3)
    tiles[0].metric(t("oda.kpi_ratio", lang, year=int(latest.year)) + preliminary, fmt.percent(latest.oda_gni, lang))
    tiles[1].metric(t("oda.kpi_oda", lang, year=int(latest.year)), fmt.money_short(latest.oda_eur, lang),
                    help=fmt.money(latest.oda_eur, lang))
    tiles[2].metric(t("oda.kpi_gap", lang, year=int(latest.year)), fmt.money_short(max(float(latest.gap_eur), 0), lang),
                    help=t("oda.kpi_gap_help", lang))
ui.chart(gni, charts.oda_gni, lang, "apd-rnb-objectif-0-7", key="oda_gni", caption=t("oda.gni_caption", lang))

flows = queries.frame("oda_by_year", **filters)
if flows.empty:  # then every chart below is empty too
    ui.empty_selection(lang)
st.header(t("oda.entities_header", lang), divider="gray")
ui.chart(flows, charts.oda_flows, lang, "apd-entites-par-annee", key="oda_flows",
         caption=t("oda.flows_caption", lang))
ui.chart(charts.sector_names(queries.frame("oda_by_sector", **filters), lang), charts.oda_sectors, lang, "apd-par-secteur",
         key="oda_sectors", caption=t("oda.sectors_caption", lang))
ui.chart(charts.channel_names(queries.frame("oda_by_channel", **filters), lang), charts.oda_channels, lang, "apd-par-canal",
         key="oda_channels", caption=t("oda.disbursements_caption", lang))

st.header(t("oda.concentration_header", lang), divider="gray")
share_column, top_column = st.columns(2, gap="large")
with share_column:
    ui.chart(queries.frame("oda_priority_share", **filters), charts.oda_priority_share, lang, "apd-part-pays-prioritaires",
             key="oda_priority", caption=t("oda.priority_caption", lang))
with top_column:
    ui.chart(queries.frame("oda_top_recipients", **filters), charts.oda_top_recipients, lang, "apd-premiers-beneficiaires",
             key="oda_recipients", caption=t("oda.recipients_caption", lang, year=year_to))

ui.sources(queries.frame("oda_sources", **filters).source, lang)
provenance = queries.frame("oda_provenance")
with st.expander(t("oda.provenance", lang, count=len(provenance))):
    st.caption(t("oda.provenance_caption", lang))
    # Fitted to ui.EXPANDER_ROOM (the table sits in an expander): no sideways scrolling at 1280 px;
    # long sources and file names wrap, a date and an amount in billions stay whole, every header
    # whole. No user or currency (the sample, euros): blank, not « None ».
    ui.table(
        provenance.assign(action=provenance["action"].map(lambda a: t(f"data.action_{a}", lang)),
                          amount_eur=provenance["amount_eur"].map(lambda v: fmt.money(v, lang)),
                          rows=provenance["rows"].map(lambda v: fmt.number(v, lang)),
                          user_name=provenance["user_name"].fillna(""), currencies=provenance["currencies"].fillna("")),
        "apd-provenance", lang, "oda_provenance_dl", download=provenance,
        title=t("oda.provenance", lang, count=len(provenance)),
        hide_index=True, width="stretch", row_height=ui.WRAPPED_ROWS, room=ui.EXPANDER_ROOM,
        column_order=["source", "file_name", "action", "version", "imported_at", "user_name", "currencies", "rows", "amount_eur"],
        column_config={
            "source": ui.sized_column(t("oda.col_source", lang), 140),
            "file_name": ui.sized_column(t("data.col_file", lang), 95),
            "action": ui.sized_column(t("data.col_action", lang), 95),
            "version": ui.sized_column(t("data.col_version", lang), 55, st.column_config.NumberColumn, format="%d"),
            "imported_at": ui.sized_column(t("data.col_date", lang), 110, st.column_config.DatetimeColumn,
                                           format="DD/MM/YYYY HH:mm"),
            "user_name": ui.sized_column(t("data.col_user", lang), 65),
            "currencies": ui.sized_column(t("oda.col_currencies", lang), 65),
            "rows": ui.sized_column(t("oda.col_rows", lang), 50),
            "amount_eur": ui.sized_column(t("oda.col_amount", lang), 105),
        },
    )
ui.footer(lang)
