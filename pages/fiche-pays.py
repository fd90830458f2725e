"""« Fiche pays »: everything we do with one country on one screen, reached from the map or a search."""

import pandas as pd
import streamlit as st

from atlas.figures import briefing, charts, maps
from atlas.geography import countries as geo
from atlas.geography import search as country_search
from atlas.reading import queries
from atlas.web import briefing_downloads, country_box, ui, url_state
from atlas.words import fmt
from atlas.words.i18n import localize, plural, t, term_list

EVERY_YEAR = {"year_from": 1960, "year_to": 2100}  # the contract's span: a profile shows all years
PROJECT_LABELS = {"sector": "project_sector", "channel": "project_channel"}  # the largest of a project's
PROJECTS_LISTED = 200  # rows of the projects table drawn (the filter reaches the others)


def widths(lang: str, **pixels: int) -> dict:
    """column_config giving each column (by its catalogue key) a width in pixels (see ui.sized_column)."""
    labels = {key: t(f"country.col.{key}", lang) for key in pixels}
    return {labels[key]: ui.sized_column(labels[key], width) for key, width in pixels.items()}


lang = ui.lang()
today = ui.today()
choices = country_search.options(lang)
state = url_state.query_state(lang)
iso3 = state.choice("pays", choices, None)  # the link is the state: the search box writes it
name = geo.country_name(iso3, lang)
st.title(name or t("country.title", lang))
ui.sample_notice(lang)
url_state.show_notices(state)

left, right = st.columns([3, 1], vertical_alignment="bottom")
with left:  # suggestions as one types, countries with data first; Enter opens the first one shown
    country_box.box(lang, frozenset(queries.frame("countries_with_data").country_iso3),
                    on_pick=lambda chosen: url_state.put("pays", chosen))
with right:
    ui.share_link(lang, path="fiche-pays")
url_state.put("pays", iso3 or None)
if not iso3:
    st.info(t("country.choose", lang), icon=":material/map:")
    ui.footer(lang)
    st.stop()

# Country context from Natural Earth (data/geo/countries.csv), with its year and source.
context, context_source = briefing.country_context(iso3, lang)
about, where = st.columns([3, 1], vertical_alignment="center")
about.markdown(ui.escape_markdown(context))
if context_source:
    about.caption(ui.escape_markdown(context_source))
with where:  # where the country lies, at a glance
    ui.plotly(ui.figure(maps.locator_map, iso3, lang, height=200), key="country_locator")

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
            title=f"{name} — {t('country.priority_history', lang, count=len(priorities))}",
            hide_index=True, width="stretch", row_height=ui.WRAPPED_ROWS, room=ui.EXPANDER_ROOM,
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

# Take it away: the briefing note in the reader's language, built on click (atlas/web/briefing_downloads.py).
take_away = st.container(horizontal=True, vertical_alignment="center")
take_away.markdown(f"**{t('country.briefing', lang)}**", help=t("country.briefing_help", lang))
briefing_downloads.buttons(iso3, lang, today, container=take_away)

st.header(t("country.upcoming", lang), divider="gray")
upcoming = queries.frame("country_upcoming", iso3=iso3, today=today)
if upcoming.empty:
    st.info(t("country.no_upcoming", lang), icon=":material/event_available:")
else:
    ui.table(
        [{t(f"country.col.{key}", lang): value for key, value in row.items()}
         for row in briefing.upcoming_rows(upcoming, lang, today)],
        f"a-venir-{iso3}", lang, "country_upcoming_dl", download=upcoming,
        title=f"{name} — {t('country.upcoming', lang)}",
        hide_index=True, width="stretch", row_height=ui.WRAPPED_ROWS,
        column_config=widths(lang, date=95, what=190, title=250, entity=150, place=130),
    )

st.header(t("country.agreements", lang), divider="gray")
agreements = queries.frame("agreements_list", year_from=None, year_to=None, entities=[], countries=[iso3], levels=[],
                           statuses=[], search="", follow_up_only=False, today=today)
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
        title=f"{name} — {t('country.agreements', lang)}",
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
            f"apd-categories-{iso3}", lang, "country_oda_sectors_dl", title=f"{name} — {t('country.oda_sector_table', lang)}",
            download=sectors.assign(category_name=sectors.category_code.map(category_names).fillna(sectors.category_name)),
            hide_index=True, width="stretch", room=ui.EXPANDER_ROOM,
        )

st.header(t("country.who", lang), divider="gray")
who = queries.frame("country_who_does_what", iso3=iso3)
if has_oda:
    ui.chart(queries.frame("country_oda_by_entity", iso3=iso3), briefing.entity_years_chart, lang,
             f"apd-entites-{iso3}", key="country_oda_entities")
ui.table(
    [
        {
            t("country.col.entity", lang): w.entity,
            t("country.col.oda_disbursed", lang): fmt.money(w.oda_disbursed_eur, lang),
            t("country.col.oda_committed", lang): fmt.money(w.oda_committed_eur, lang),
            t("country.col.agreements", lang): f"{fmt.number(w.agreements, lang)} ({fmt.number(w.agreements_in_force, lang)})",
            t("country.col.missions", lang): fmt.number(w.missions, lang),
            t("country.col.participants", lang): fmt.number(w.participants, lang),
        }
        for w in who.itertuples()
    ],
    f"qui-fait-quoi-{iso3}", lang, "country_who_dl", download=who, title=f"{name} — {t('country.who', lang)}", hide_index=True, width="stretch",
    column_config=widths(lang, entity=250, oda_disbursed=120, oda_committed=120, agreements=130, missions=80,
                         participants=90),
)

if has_oda:
    st.header(t("country.projects", lang), divider="gray")
    st.caption(t("country.projects_help", lang))
    by_entity = queries.frame("country_project_entities", iso3=iso3)
    search_col, entity_col = st.columns(2)
    typed = url_state.text_filter("projets", t("country.projects_filter", lang), "country_projects_search",
                                  container=search_col)
    chosen = url_state.many_filter(state, "projets_entites", t("country.col.entity", lang), by_entity.entity.tolist(),
                                   lang, "country_projects_entities", container=entity_col)
    # DuckDB filters and cuts: a table of tens of thousands of rows costs a second of CPU per view
    # (81 119 projects for DR Congo at 1 000 000 ODA rows): the largest are drawn, the filter finds
    # the rest, the downloads hold all that match.
    found = dict(iso3=iso3, search=typed, entities=chosen)
    listed_rows = queries.frame("country_projects", **found, limit=PROJECTS_LISTED)
    matching = int(listed_rows.matching.iloc[0]) if len(listed_rows) else 0
    listed = briefing.project_rows(listed_rows, lang)
    st.caption(plural("country.projects_count", matching, lang, shown=fmt.number(matching, lang),
                      total=fmt.number(int(by_entity.projects.sum()), lang)))
    if matching > PROJECTS_LISTED:
        st.caption(t("country.projects_first", lang, n=fmt.number(PROJECTS_LISTED, lang)))
    titles = dict(zip(listed.project_key, listed.title + " · " + listed.entity))
    keys = listed.project_key.tolist()
    linked = url_state.get("projet")
    if linked and linked not in keys:  # a shared link's project stays choosable, if it is one of this country's
        linked_years = queries.frame("country_project_years", iso3=iso3, project_key=linked)
        if linked_years.empty:  # not a project of this country: none chosen
            linked = None
        else:
            keys.append(linked)
            titles[linked] = linked_years.title.iloc[0]
    st.session_state.setdefault("country_project", linked)
    if st.session_state.country_project not in keys:  # another country, or a new import
        st.session_state.country_project = None

    def pick_project() -> None:
        rows = st.session_state.country_projects_table.selection.rows
        if rows:
            st.session_state.country_project = st.session_state.country_projects_shown[rows[0]]

    st.session_state.country_projects_shown = listed.project_key.tolist()
    money = {"kind": st.column_config.NumberColumn, "format": "localized"}
    ui.table(
        listed.drop(columns=["project_key", "activity_id", "source"]).rename(
            columns=lambda c: t(f"country.col.{PROJECT_LABELS.get(c, c)}", lang)),
        f"projets-{iso3}", lang, "country_projects_dl",
        download=lambda: briefing.project_rows(queries.frame("country_projects", **found, limit=None), lang).drop(
            columns=["project_key"]),
        title=f"{name} — {t('country.projects', lang)}",
        key="country_projects_table", on_select=pick_project, selection_mode="single-row", hide_index=True,
        width="stretch", row_height=ui.WRAPPED_ROWS,
        column_config={
            **widths(lang, title=180, entity=106, project_sector=130, project_channel=80),
            **{t(f"country.col.{c}", lang): ui.sized_column(t(f"country.col.{c}", lang), 55, st.column_config.NumberColumn,
                                                           format="%d") for c in ("first_year", "last_year")},
            **{t(f"country.col.{c}", lang): ui.sized_column(t(f"country.col.{c}", lang), 85, **money)
               for c in ("committed_eur", "disbursed_eur")},
        },
    )
    project = st.selectbox(t("country.col.project", lang), keys, key="country_project", index=None,
                           format_func=titles.get, placeholder=t("country.project_pick", lang))
    url_state.put("projet", project)
    if project:
        years = queries.frame("country_project_years", iso3=iso3, project_key=project)
        flows = years.melt(id_vars="year", value_vars=["committed_eur", "disbursed_eur"], var_name="flow",
                           value_name="amount_eur").replace({"flow": {"committed_eur": "commitment",
                                                                      "disbursed_eur": "disbursement"}})
        flows = flows[flows.amount_eur != 0].sort_values(["year", "flow"])
        st.subheader(t("country.project_years", lang, title=titles[project]), anchor=False)
        ui.table(
            [{t("country.col.year", lang): str(y.year), t("country.col.committed", lang): fmt.money(y.committed_eur, lang),
              t("country.col.disbursed", lang): fmt.money(y.disbursed_eur, lang)} for y in years.itertuples()],
            f"projet-{iso3}", lang, "country_project_dl", download=years, hide_index=True,
        )
        if not flows.empty:
            ui.chart(flows, charts.oda_flows, lang, f"projet-annees-{iso3}", key="country_project_chart")

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
        title=f"{name} — {t('country.missions', lang)}",
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
        f"bureaux-{iso3}", lang, "country_offices_dl", download=offices, title=f"{name} — {t('country.offices', lang)}",
        hide_index=True, width="stretch",
    )

ui.sources(queries.frame("country_sources", iso3=iso3)["source"], lang)
ui.footer(lang)
