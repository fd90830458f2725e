"""« Missions économiques »: what each mission cost the public purse once the firms' fees are
deducted, by year, organiser, kind and destination, and the missions to come."""

import streamlit as st

from atlas.figures import charts
from atlas.geography import countries as geo
from atlas.reading import queries
from atlas.web import ui, url_state
from atlas.words import fmt
from atlas.words.i18n import t

lang = ui.lang()
today = ui.today()
st.title(t("missions.title", lang))
ui.sample_notice(lang)

state = url_state.query_state(lang)
options = queries.frame("missions_options")
choices = {kind: list(part.value) for kind, part in options.groupby("kind")}
if not choices.get("year"):
    st.info(t("missions.empty_database", lang))
    ui.footer(lang)
    st.stop()
years = [int(y) for y in choices["year"]]
top = st.columns(4)
year_from, year_to = url_state.year_filter(state, "annees", t("missions.filter_years", lang), (min(years), max(years)),
                                    key="missions_filter_years", container=top[0])
organisers = url_state.many_filter(state, "organisateurs", t("missions.filter_organisers", lang), choices.get("organiser", []),
                            lang, key="missions_filter_organisers", container=top[1])
countries = url_state.many_filter(state, "pays", t("missions.filter_countries", lang),
                           sorted(choices.get("country", []), key=lambda c: geo.fold(geo.country_name(c, lang))), lang,
                           key="missions_filter_countries", container=top[2], format_func=lambda c: geo.country_name(c, lang))
kinds = url_state.many_filter(state, "types", t("missions.filter_kinds", lang), choices.get("kind", []), lang,
                       key="missions_filter_kinds", container=top[3], format_func=lambda v: t(f"missions.kind.{v}", lang))
url_state.show_notices(state)
ui.share_link(lang)
filters = dict(year_from=year_from, year_to=year_to, organisers=organisers, countries=countries, kinds=kinds)

total = queries.frame("missions_by", dimension="total", **filters)
if total.empty:
    ui.empty_selection(lang)
else:
    k = total.iloc[0]
    tiles = st.columns(5)
    tiles[0].metric(t("missions.kpi_missions", lang), fmt.number(k.missions, lang),
                    help=t("missions.kpi_participants_help", lang, participants=fmt.number(k.participants, lang)))
    # Millions written short (« 3,7 M € »): five tiles share the width, « 3 721 500 € » was cut at 1280 px.
    # The full amount is in the tile's help, before its rule.
    tiles[1].metric(t("missions.kpi_cost", lang), fmt.money_short(k.cost_eur, lang), help=fmt.money(k.cost_eur, lang))
    tiles[2].metric(t("missions.kpi_fees", lang), fmt.money_short(k.fees_eur, lang),
                    help=f"{fmt.money(k.fees_eur, lang)}. {t('missions.fees_rule', lang)}")
    tiles[3].metric(t("missions.kpi_net", lang), fmt.money_short(k.net_cost_eur, lang),
                    help=f"{fmt.money(k.net_cost_eur, lang)}. {t('missions.net_rule', lang)}")
    tiles[4].metric(t("missions.kpi_per_participant", lang), fmt.money(k.cost_per_participant, lang))

st.header(t("missions.costs_header", lang), divider="gray")
FILE_NAMES = {"year": "annee", "organiser": "organisateur", "kind": "type", "country": "destination"}
grid = st.columns(2, gap="large") + st.columns(2, gap="large")
for column, dimension in zip(grid, ("year", "organiser", "kind", "country")):
    with column:
        ui.chart(queries.frame("missions_by", dimension=dimension, **filters), charts.mission_costs, lang,
                 f"missions-par-{FILE_NAMES[dimension]}", key=f"missions_{dimension}", dimension=dimension)
st.caption(t("missions.net_rule", lang))

day = "DD/MM/YYYY"
money = "localized"


def mission_table(df, key: str, widths: dict[str, int], name: str, caption: str, hidden: tuple[str, ...] = (),
                  title: str | None = None) -> None:
    """The missions with readable names and Belgian dates; the numbers stay numbers (sortable);
    under it `caption` and the downloads of `df` as file `name`.

    `widths`: the columns shown and the pixels each asks for; ui.table fits them to ui.TABLE_ROOM
    with every header and word whole: no sideways scrolling from 1280 px on (wider screens stretch
    them), titles and places wrap, a date and an amount stay whole. `hidden`: columns a click away in the table's
    « Show/hide columns » menu (and in the downloads)."""
    shown = df.assign(
        destination=[("★ " if p else "") + geo.country_name(c, lang) for c, p in zip(df.country_iso3, df.priority)],
        kind=[t(f"missions.kind.{v}", lang) if isinstance(v, str) else "" for v in df.kind],
    )
    text, date, number = st.column_config.TextColumn, st.column_config.DateColumn, st.column_config.NumberColumn
    spec = {  # column: (kind, catalogue key, options)
        "starts_on": (date, "col_starts", {"format": day}),
        "ends_on": (date, "col_ends", {"format": day}),
        "title": (text, "col_title", {}),
        "destination": (text, "col_destination", {"pinned": True}),
        "city": (text, "col_city", {}),
        "organiser": (text, "col_organiser", {}),
        "kind": (text, "col_kind", {}),
        "sector": (text, "col_sector", {}),
        "participants_sme": (number, "col_sme", {"format": money}),
        "participants_large": (number, "col_large", {"format": money}),
        "cost_eur": (number, "col_cost", {"format": money}),
        "fees_eur": (number, "col_fees", {"format": money}),
        "net_cost_eur": (number, "col_net", {"format": money}),
        "cost_per_participant": (number, "col_per_participant", {"format": money}),
    }
    config = {}
    short = {"participants_large": "col_large_short", "net_cost_eur": "col_net_short"}  # full words in the tooltip
    for column, width in widths.items():
        kind, label, options = spec[column]
        header, full = t(f"missions.{short.get(column, label)}", lang), t(f"missions.{label}", lang)
        config[column] = ui.sized_column(header, width, kind, hidden=column in hidden,
                                         **({"help": full} if header != full else {}), **options)
    ui.table(shown[list(widths)], name, lang, f"{key}_dl", download=df, caption=caption, title=title, column_config=config,
             hide_index=True, width="stretch", row_height=ui.WRAPPED_ROWS, placeholder="–", key=key)


st.header(t("missions.upcoming_header", lang, date=fmt.date(today, lang)), divider="gray")
upcoming = queries.frame("missions_list", today=today, upcoming_only=True, **filters)
if upcoming.empty:
    st.info(t("missions.no_upcoming", lang), icon=":material/event:")
else:
    st.subheader(t("missions.upcoming_finding", lang, count=len(upcoming), priority=int(upcoming.priority.sum()),
                   next=fmt.date(upcoming.starts_on.iloc[0], lang),
                   country=geo.country_name(upcoming.country_iso3.iloc[0], lang)), anchor=False)
    mission_table(upcoming, "missions_upcoming", dict(starts_on=82, ends_on=82, destination=104, city=86, title=166,
                                                      organiser=92, kind=104, sector=92),
                  "missions-a-venir", t("missions.priority_caption", lang),
                  title=t("missions.upcoming_header", lang, date=fmt.date(today, lang)))

st.header(t("missions.table_header", lang), divider="gray")
missions = queries.frame("missions_list", today=today, upcoming_only=False, **filters)
if missions.empty:
    ui.no_data(lang)
else:
    # Twelve columns need some 960 px with a readable title: two are hidden (a click away, and in
    # the downloads): the city, a detail of the destination beside it, and the cost per participant,
    # the cost divided by the two participant counts beside it.
    mission_table(missions, "missions_table",
                  dict(starts_on=82, destination=100, city=84, title=160, organiser=92, kind=80, participants_sme=44,
                       participants_large=48, cost_eur=66, fees_eur=66, net_cost_eur=66, cost_per_participant=72),
                  "missions-economiques", t("missions.priority_caption", lang) + " " + t("missions.net_rule", lang),
                  hidden=("city", "cost_per_participant"), title=t("missions.table_header", lang))

ui.sources(missions.source, lang)
ui.footer(lang)
