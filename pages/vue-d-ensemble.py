"""« Vue d'ensemble »: key figures and the world map."""

import streamlit as st

from atlas.figures import maps
from atlas.reading import queries
from atlas.web import ui
from atlas.words import fmt
from atlas.words.i18n import t

lang = ui.lang()
st.title(t("home.title", lang))
ui.sample_notice(lang)

k = queries.frame("overview_kpis", today=ui.today()).iloc[0]
tiles = st.columns(3) + st.columns(3)
tiles[0].metric(
    t("home.kpi_agreements", lang), fmt.number(k.agreements_in_force, lang),
    help=t("home.kpi_agreements_help", lang, countries=fmt.number(k.agreement_countries, lang)),
)
tiles[1].metric(t("home.kpi_priorities", lang), fmt.number(k.priority_countries, lang), help=t("home.kpi_priorities_help", lang))
tiles[2].metric(
    t("home.kpi_oda", lang, year=int(k.oda_year)) if k.oda_year == k.oda_year else t("home.kpi_oda_none", lang),
    fmt.money_short(k.oda_eur, lang),
    help=t("home.kpi_oda_help", lang, amount=fmt.money(k.oda_eur, lang)),
)
share = k.oda_priority_eur / k.oda_eur if k.oda_eur else None
tiles[3].metric(t("home.kpi_priority_share", lang), fmt.percent(share, lang, 0), help=t("home.kpi_priority_share_help", lang))
ratio = k.national_oda_eur / k.national_gni_eur if k.national_gni_eur else None
tiles[4].metric(
    t("home.kpi_oda_gni", lang, year=int(k.national_year)) + (f" ({t('home.preliminary', lang)})" if k.national_preliminary else ""),
    fmt.percent(ratio, lang),
    delta=t("home.kpi_oda_gni_gap", lang, points=fmt.number((ratio - 0.007) * 100, lang, 2)) if ratio is not None else None,
    help=t("home.kpi_oda_gni_help", lang, gap=fmt.money(0.007 * k.national_gni_eur - k.national_oda_eur, lang), source=k.national_source or "–"),
)
tiles[5].metric(
    t("home.kpi_missions", lang, year=int(k.missions_year)), fmt.number(k.missions_count, lang),
    help=t("home.kpi_missions_help", lang, cost=fmt.money(k.missions_cost_eur or 0, lang)),
)
by_entity = queries.frame("overview_agreements_by_entity")
if not by_entity.empty:
    st.caption(t("home.agreements_by_entity", lang, entities=" · ".join(
        f"{e} {fmt.number(n, lang)}" for e, n in zip(by_entity.entity, by_entity.agreements))))

years = queries.frame("oda_year_range").iloc[0]
st.subheader(t("home.map_title", lang, start=int(years.year_from), end=int(years.year_to)))
fig = ui.figure(
    maps.world_map,
    queries.ask("oda_by_country", year_from=int(years.year_from), year_to=int(years.year_to)),
    queries.ask("priority_countries_now", today=ui.today()),
    queries.ask("agreement_partners"),
    lang,
)
ui.plotly(fig, key="home_map")
st.caption(t("map.borders_note", lang))
ui.footer(lang)
