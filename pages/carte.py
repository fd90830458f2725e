"""« Carte »: the world by metric, with filters and layers; a click on a country opens its profile."""

import streamlit as st

from atlas.contract import AGREEMENT_STATUSES
from atlas.figures import charts, maps
from atlas.geography import countries as geo
from atlas.reading import queries
from atlas.web import country_box, ui, url_state
from atlas.words.i18n import t

LAYERS = ("prioritaires", "accords", "bureaux")
DEFAULT_LAYERS = ["prioritaires", "accords"]  # offices on top of partners would crowd the first view
DEFAULT_STATUSES = ["in_force"]
ALL = "tous"  # in the link, an emptied multi-choice (« all ») as opposed to an absent one (default)

lang = ui.lang()


def open_profile(iso3: str):
    st.switch_page("pages/fiche-pays.py", query_params={"pays": iso3, **({"lang": lang} if lang != "fr" else {})})


# Streamlit 1.67 keeps the address bar on /carte after st.switch_page (only the query string
# follows): a link copied from it, /carte?pays=COD, must still open that country's profile.
if url_state.get("pays") in geo.countries():
    open_profile(url_state.get("pays"))
url_state.drop("pays")  # not a country code: not a profile link either

st.title(t("map.title", lang))
ui.sample_notice(lang)

# Each metric's slider spans its own data's years (ODA, missions with the planned ones, agreements
# to this year when some have no end); the offices have no years: the layers then show this year.
this_year = ui.today().year
spans = {r.metric: (int(r.year_from), int(r.year_to) if r.metric != "accords" else max(int(r.year_to), this_year))
         for r in queries.frame("map_year_bounds").dropna().itertuples()}
if not spans:
    st.info(t("map.no_data_at_all", lang))
    ui.footer(lang)
    st.stop()
entity_options = queries.frame("map_entities")["entity"].tolist()
group_options = queries.frame("map_sector_groups")["group_code"].tolist()

# The link is read once per visit: the widgets then own the state and write it back to the link.
state = url_state.query_state(lang)


def many_or_default(name: str, allowed, default: list[str]) -> list[str]:
    value = url_state.get(name)
    if value is None:
        return default
    return [] if value == ALL else state.many(name, allowed)


linked_metric = state.choice("indicateur", list(maps.METRICS), "apd")
linked_span = spans.get(maps.METRICS[linked_metric].years)
from_link = {
    "map_metric": linked_metric,
    **({"map_years": state.year_range("annees", linked_span)} if linked_span else {}),
    "map_entities": state.many("entites", entity_options),
    "map_groups": state.many("secteurs", group_options),
    "map_statuses": many_or_default("statuts", AGREEMENT_STATUSES, DEFAULT_STATUSES),
    "map_layers": many_or_default("couches", LAYERS, DEFAULT_LAYERS),
}
for key, value in from_link.items():
    st.session_state.setdefault(key, value)
url_state.show_notices(state)

# The first column holds the longest metric's name whole at 1280 px (« Kosten van de economische
# missies », 209 px of text and the select's arrow): it was cut to « Ontvangen ODA (uitbetali… ».
WIDTHS = [1.6, 1.5, 2.0]
top = st.columns(WIDTHS)
metric = top[0].selectbox(
    t("map.metric_label", lang), list(maps.METRICS), format_func=lambda m: t(f"map.metric.{m}", lang), key="map_metric"
)
spec = maps.METRICS[metric]
span = spans.get(spec.years, (this_year, this_year))
url_state.fit_years("map_years", span)
years = top[1].slider(
    t("map.years", lang), span[0], span[1], key="map_years", help=t("map.years_help", lang)
) if span[0] < span[1] else span
entities = top[2].multiselect(
    t("map.entities", lang), entity_options, key="map_entities",
    placeholder=t("map.entities_placeholder", lang), help=t("map.entities_help", lang),
)
second = st.columns(WIDTHS, vertical_alignment="bottom")
groups = second[0].multiselect(
    t("map.sector_groups_label", lang), group_options, key="map_groups",
    format_func=lambda g: t(f"map.sector_group.g{g}", lang),
    placeholder=t("map.sector_groups_placeholder", lang), help=t("map.sector_groups_help", lang),
)
statuses = second[1].multiselect(
    t("map.statuses", lang), list(AGREEMENT_STATUSES), key="map_statuses",
    format_func=lambda s: t(f"status.{s}", lang),
    placeholder=t("map.statuses_placeholder", lang), help=t("map.statuses_help", lang),
)
layers = second[2].pills(
    t("map.layers", lang), LAYERS, selection_mode="multi", key="map_layers",
    format_func=lambda layer: t(f"map.layer.{layer}", lang),
) or []


url_state.put("indicateur", metric, default="apd")
url_state.put("annees", url_state.encode_year_range(years) if spec.years else None, default=url_state.encode_year_range(span))
url_state.put("entites", url_state.encode_many(entities) or None)
url_state.put("secteurs", url_state.encode_many(groups) or None)
url_state.put("statuts", None if statuses == DEFAULT_STATUSES else url_state.encode_many(statuses) or ALL)
url_state.put("couches", None if set(layers) == set(DEFAULT_LAYERS) else url_state.encode_many([x for x in LAYERS if x in layers]) or ALL)

filters = {
    "year_from": int(years[0]), "year_to": int(years[1]), "entities": entities,
    "sector_groups": groups, "statuses": statuses,
}
result = queries.frame(spec.query, **{k: filters[k] for k in spec.params})
values = result.rename(columns={spec.column: "value"})[["country_iso3", "value"]]
metric_name = t(f"map.metric.{metric}", lang)

if values.empty:  # said once; the world stays drawn, in grey, with its layers
    st.info(t("map.empty", lang, metric=metric_name))
else:
    # The years that hold the figures (ODA, missions), else the chosen span (agreements in force).
    start, end = (int(result.first_year.iloc[0]), int(result.last_year.iloc[0])) if "first_year" in result else years
    span = (
        t("map.all_years", lang) if "year_from" not in spec.params
        else str(start) if start == end
        else t("map.years_span", lang, start=start, end=end)
    )
    # Ties said as ties: ten countries with one mission each have no « first ».
    st.subheader(charts.map_finding(values, metric_name, span, lambda v: maps.format_value(v, spec.money, lang), lang))
period = {k: filters[k] for k in ("year_from", "year_to", "entities")}
fig = ui.figure(
    maps.choropleth_map, values, lang, legend=t(f"map.legend.{metric}", lang), hover=metric_name, money=spec.money,
    priorities=queries.ask("map_priorities", **period) if "prioritaires" in layers else None,
    partners=queries.ask("map_partners", **period, statuses=statuses) if "accords" in layers else None,
    offices=queries.ask("map_offices", entities=entities) if "bureaux" in layers else None,
    height=600,
)
# The map's country choice from the keyboard too (WCAG 2.1.1): the profile's search box, next to
# the map; Enter opens the country, as a click on it does.
with st.columns([2.9, 2.2])[0]:
    country_box.box(lang, frozenset(queries.frame("countries_with_data").country_iso3), on_pick=open_profile,
                    key="map_country_box", label=t("map.country_search", lang))
event = ui.plotly(fig, key="map_chart", on_select="rerun", selection_mode="points")
clicked = maps.clicked_country(event.selection.points)
if clicked:
    open_profile(clicked)
st.caption(t("map.click_hint", lang))

st.caption(t("map.borders_note", lang))
ui.share_link(lang, path="carte")
ui.footer(lang)
