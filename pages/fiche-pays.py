"""« Fiche pays »: everything we do with one country on one screen, reached from the map or a search."""

import pandas as pd
import streamlit as st

from atlas.figures import charts
from atlas.geography import countries as geo
from atlas.geography import search as country_search
from atlas.reading import queries
from atlas.web import ui, url_state
from atlas.words import fmt
from atlas.words.i18n import localize, plural, t, term_list

EVERY_YEAR = {"year_from": 1960, "year_to": 2100}  # the contract's span: a profile shows all years


def widths(lang: str, **pixels: int) -> dict:
    """column_config giving each column (by its catalogue key) a width in pixels (see ui.sized_column)."""
    labels = {key: t(f"country.col.{key}", lang) for key in pixels}
    return {labels[key]: ui.sized_column(labels[key], width) for key, width in pixels.items()}


lang = ui.lang()
today = ui.today()
choices = country_search.options(lang)
state = url_state.query_state(lang)
st.session_state.setdefault("country_pick", state.choice("pays", choices, None))


def resolve_typed() -> None:
    """A name typed in any language, or a code, becomes the ISO3 of the first country it matches."""
    typed = st.session_state.country_pick
    if typed and typed not in geo.countries():
        found = country_search.find(typed)
        st.session_state.country_pick = found[0] if found else None
        st.session_state.country_typed = (typed, found)


iso3 = st.session_state.country_pick
name = geo.country_name(iso3, lang)
st.title(name or t("country.title", lang))
ui.sample_notice(lang)
url_state.show_notices(state)

left, right = st.columns([3, 1], vertical_alignment="bottom")
left.selectbox(
    t("country.search", lang), choices, key="country_pick", index=None, accept_new_options=True,
    format_func=lambda c: country_search.label(c, lang) if c in geo.countries() else c,
    placeholder=t("country.search_placeholder", lang), help=t("country.search_help", lang), on_change=resolve_typed,
)
with right:
    ui.share_link(lang, path="fiche-pays")
typed, found = st.session_state.pop("country_typed", (None, None))
if typed and not found:
    st.warning(t("country.not_found", lang, text=typed[:60]), icon=":material/search_off:")
elif typed and len(found) > 1:
    st.caption(t("country.other_matches", lang, text=typed[:60],
                 others=", ".join(country_search.label(c, lang) for c in found[1:])))
url_state.put("pays", iso3 or None)
if not iso3:
    st.info(t("country.choose", lang), icon=":material/map:")
    ui.footer(lang)
    st.stop()

k = queries.frame("country_kpis", iso3=iso3, today=today).iloc[0]
priorities = queries.frame("country_priorities", iso3=iso3, today=today)
has_oda = bool(k.has_oda)
if not (k.agreements or has_oda or k.missions or k.offices or len(priorities)):
    st.info(t("country.no_data", lang, country=name), icon=":material/inbox:")
    ui.footer(lang)
    st.stop()

# Priority status, then its history.
if isinstance(k.priority_entities_now, str):
    st.success(t("country.priority_now", lang, year=today.year, entities=k.priority_entities_now), icon=":material/star:")
elif len(priorities):
    st.info(t("country.priority_past", lang, year=today.year), icon=":material/history:")
else:
    st.info(t("country.priority_never", lang), icon=":material/info:")
if len(priorities):
    with st.expander(t("country.priority_history", lang, count=len(priorities))):
        ui.table(
            [
                {
                    t("country.col.entity", lang): p.entity,
                    t("country.col.period", lang): (
                        t("country.since", lang, start=p.since_year) if p.open_ended
                        else f"{p.since_year}–{int(p.until_year)}"
                    ),
                    t("country.col.current", lang): "✓" if p.current else "",
                    t("country.col.programme", lang): p.programme if isinstance(p.programme, str) else "",
                    t("country.col.sectors", lang): term_list("sector", p.sectors, lang),
                }
                for p in priorities.itertuples()
            ],
            f"pays-prioritaires-{iso3}", lang, "country_priorities_dl", download=priorities,
            hide_index=True, width="stretch", row_height=ui.WRAPPED_ROWS,
            column_config=widths(lang, entity=150, period=95, current=70, programme=230, sectors=230),
        )

# Two rows of three (cooperation and aid; economic presence): in one row of six, a tile below
# 1920 px is too narrow for « Missions économiques » or « Deelnemers aan de missies » and its help icon.
tiles = st.columns(3) + st.columns(3)
tiles[0].metric(t("country.kpi_agreements", lang), fmt.number(k.agreements_in_force, lang),
                help=plural("country.kpi_agreements_help", k.agreements, lang, total=fmt.number(k.agreements, lang)))
tiles[1].metric(
    t("country.kpi_oda_none", lang), fmt.money_short(k.oda_disbursed_eur, lang),
    help=t("country.kpi_oda_help", lang, start=int(k.oda_year_from), end=int(k.oda_year_to),
           amount=fmt.money(k.oda_disbursed_eur, lang)) if has_oda else None,
)
tiles[2].metric(t("country.kpi_committed", lang), fmt.money_short(k.oda_committed_eur, lang),
                help=fmt.money(k.oda_committed_eur, lang))
tiles[3].metric(t("country.kpi_missions", lang), fmt.number(k.missions, lang),
                help=t("country.kpi_missions_help", lang, cost=fmt.money(k.missions_cost_eur, lang)))
tiles[4].metric(t("country.kpi_participants", lang), fmt.number(k.participants, lang))
tiles[5].metric(t("country.kpi_offices", lang), fmt.number(k.offices, lang))

st.header(t("country.agreements", lang), divider="gray")
agreements = queries.frame("agreements_list", entities=[], countries=[iso3], levels=[], statuses=[], search="",
                        follow_up_only=False, today=today)
if agreements.empty:
    st.info(t("country.no_agreements", lang), icon=":material/inbox:")
else:
    ui.chart(agreements, charts.agreements_gantt, lang, f"accords-{iso3}", key="country_gantt", today=today,
             download=agreements.drop(columns=["gantt_end"]))
    ui.table(
        [
            {
                t("country.col.title", lang): a.title,
                t("country.col.entity", lang): a.entity,
                t("country.col.status", lang): t(f"status.{a.status}", lang),
                t("country.col.signed_on", lang): fmt.date(a.signed_on, lang, "medium"),
                t("country.col.ends_on", lang): fmt.date(a.ends_on, lang, "medium") if pd.notna(a.ends_on) else "",
                t("country.col.follow_up", lang): (
                    "⚠ " + t("country.expires_soon", lang) if a.expires_soon
                    else "⚠ " + t("country.commission_overdue", lang) if a.commission_overdue else ""
                ),
            }
            for a in agreements.sort_values("signed_on").itertuples()
        ],
        f"accords-{iso3}", lang, "country_agreements_dl", download=agreements.drop(columns=["gantt_end"]),
        hide_index=True, width="stretch", row_height=ui.WRAPPED_ROWS,
        column_config=widths(lang, title=250, entity=140, status=95, signed_on=95, ends_on=95, follow_up=125),
    )

st.header(t("country.oda", lang), divider="gray")
if not has_oda:
    st.info(t("country.no_oda", lang), icon=":material/inbox:")
else:
    oda_of = {"iso3": iso3}  # the ODA page's charts, over the country's stored summary (atlas/reading/stand_ins.py)
    ui.chart(queries.frame("oda_by_year", **oda_of), charts.oda_flows, lang, f"apd-annees-{iso3}", key="country_oda_years")
    ui.chart(charts.sector_names(queries.frame("oda_by_sector", **oda_of), lang), charts.oda_sectors, lang,
             f"apd-secteurs-{iso3}", key="country_oda_sectors")
    sectors = queries.frame("country_oda_by_sector", iso3=iso3)
    categories = localize(queries.frame("dac_categories"), lang, "category_name")
    category_names = dict(zip(categories.category_code, categories.category_name))  # in the user's language
    with st.expander(t("country.oda_sector_table", lang)):
        ui.table(
            [
                {
                    t("country.col.sector", lang): category_names.get(s.category_code, s.category_name)
                    if isinstance(s.category_name, str) else t("country.sector_unknown", lang),
                    t("country.col.committed", lang): fmt.money(s.committed_eur, lang),
                    t("country.col.disbursed", lang): fmt.money(s.disbursed_eur, lang),
                }
                for s in sectors.itertuples()
            ],
            f"apd-categories-{iso3}", lang, "country_oda_sectors_dl",
            download=sectors.assign(category_name=sectors.category_code.map(category_names).fillna(sectors.category_name)),
            hide_index=True, width="stretch",
        )

st.header(t("country.missions", lang), divider="gray")
missions = queries.frame("missions_list", **EVERY_YEAR, organisers=[], countries=[iso3], kinds=[], upcoming_only=False,
                      today=today)
if missions.empty:
    st.info(t("country.no_missions", lang), icon=":material/inbox:")
else:
    ui.table(
        [
            {
                t("country.col.starts_on", lang): fmt.date(m.starts_on, lang, "medium"),
                t("country.col.title", lang): m.title,
                t("country.col.organiser", lang): m.organiser,
                t("country.col.city", lang): m.city if isinstance(m.city, str) else "",
                t("country.col.participants", lang): t(
                    "country.participants", lang,
                    sme=plural("country.sme", m.participants_sme, lang, n=fmt.number(m.participants_sme, lang)),
                    large=plural("country.large", m.participants_large, lang, n=fmt.number(m.participants_large, lang))),
                t("country.col.cost", lang): fmt.money(m.cost_eur, lang),
                t("country.col.fees", lang): fmt.money(m.fees_eur, lang),
                t("country.col.net_cost", lang): fmt.money(m.net_cost_eur, lang),
            }
            for m in missions.sort_values("starts_on", ascending=False).itertuples()
        ],
        f"missions-{iso3}", lang, "country_missions_dl", download=missions.sort_values("starts_on", ascending=False),
        hide_index=True, width="stretch", row_height=ui.WRAPPED_ROWS,
        column_config=widths(lang, starts_on=90, title=160, organiser=85, city=90, participants=105, cost=80, fees=120,
                             net_cost=80),
    )

st.header(t("country.offices", lang), divider="gray")
offices = queries.frame("country_offices", iso3=iso3)
if offices.empty:
    st.info(t("country.no_offices", lang), icon=":material/inbox:")
else:
    ui.table(
        [
            {
                t("country.col.city", lang): o.city,
                t("country.col.agency", lang): o.agency,
                t("country.col.kind", lang): t(f"map.office_kind.{o.kind}", lang) if isinstance(o.kind, str) else "",
                t("country.col.shared", lang): t("country.yes", lang) if o.shared else "",
            }
            for o in offices.itertuples()
        ],
        f"bureaux-{iso3}", lang, "country_offices_dl", download=offices,
        hide_index=True, width="stretch",
    )

ui.sources(queries.frame("country_sources", iso3=iso3)["source"], lang)
ui.footer(lang)
