"""Map figures: countries from our own Natural Earth GeoJSON (feature ids = ISO3), points on top.

One builder, `choropleth_map`, serves the home page and the « Carte » page: a single choropleth
trace carries every country (the geometry is sent once per figure), countries without data are
drawn in grey through the bottom band of the colour scale, priority countries are outlined by a
second, light trace holding only their shapes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

import pandas as pd
import plotly.graph_objects as go

from atlas.figures.charts import BLUES, LAND, PRIORITY, STATUS_COLOURS, house_layout
from atlas.geography import countries as geo
from atlas.words import fmt
from atlas.words.i18n import colon, t

# Offices: colour and shape both tell the agency apart (shape alone survives colour blindness).
AGENCY_STYLES = {
    "WBI": ("#1a1a1a", "diamond"),
    "AWEX": ("#b2182b", "square"),
    "hub.brussels": ("#762a83", "triangle-up"),
    "FIT": ("#8c510a", "cross"),
}
OTHER_AGENCY = ("#4d4d4d", "star")
NO_DATA_BAND = 0.08  # share of the colour bar given to « no data » (grey)


@dataclass(frozen=True)
class Metric:
    """A map metric: the named query that computes it per country, its column, its unit."""

    query: str
    column: str
    money: bool
    params: tuple[str, ...]  # the filters the query takes (DuckDB rejects unused parameters)


METRICS: dict[str, Metric] = {
    "apd": Metric("map_oda", "value", True, ("year_from", "year_to", "entities", "sector_groups")),
    "accords": Metric("map_agreements", "value", False, ("year_from", "year_to", "entities", "statuses")),
    "missions": Metric("map_missions", "missions", False, ("year_from", "year_to", "entities")),
    "cout_missions": Metric("map_missions", "cost_eur", True, ("year_from", "year_to", "entities")),
    "bureaux": Metric("map_office_counts", "value", False, ("entities",)),
}


def format_value(value, money: bool, lang: str) -> str:
    return fmt.money(value, lang) if money else fmt.number(value, lang)


def _nice_ticks(top: float, money: bool) -> list[float]:
    """Three to five round values from 0 to `top` for the colour bar (1, 2, 2.5 or 5 × 10^k)."""
    if top <= 0:
        return [0]
    raw = top / 4
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    if not money:
        step = max(1, round(step))
    return [i * step for i in range(int(top // step) + 1)]


class _SharedShapes(dict):
    """The country shapes, shared by every copy plotly makes of a figure. plotly deep-copies a
    figure's data when it validates it and again in st.plotly_chart (`to_dict`): copying 250 KB of
    coordinates took most of a map page's run. The shapes never change once loaded (geo.geojson
    is cached and shared already), so a copy may be the object itself."""

    def __deepcopy__(self, memo):
        return self


@cache
def _shapes() -> _SharedShapes:
    return _SharedShapes(geo.geojson())


def _shapes_of(shapes: dict, wanted: set[str]) -> dict:
    """The part of the GeoJSON holding only the `wanted` countries (a light overlay)."""
    return {"type": "FeatureCollection", "features": [f for f in shapes["features"] if f["id"] in wanted]}


def choropleth_map(
    values: pd.DataFrame,
    lang: str = "fr",
    *,
    legend: str,
    hover: str,
    money: bool,
    priorities: pd.DataFrame | None = None,
    partners: pd.DataFrame | None = None,
    offices: pd.DataFrame | None = None,
    height: int = 560,
) -> go.Figure:
    """Countries coloured by `values` (country_iso3, value), with optional layers.

    priorities: country_iso3, entities (outlined). partners: partner, title, entity, status,
    signed_on, latitude, longitude. offices: city, country_iso3, agency, kind, latitude, longitude.
    """
    shapes = _shapes()
    shaped = [f["id"] for f in shapes["features"]]
    known = dict(zip(values["country_iso3"], values["value"])) if not values.empty else {}
    priority_of = dict(zip(priorities["country_iso3"], priorities["entities"])) if priorities is not None else {}
    top = max([v for v in known.values() if v == v] + [0])
    ticks = _nice_ticks(top, money)
    zmax = max(top, ticks[-1], 1)
    zmin = -zmax * NO_DATA_BAND / (1 - NO_DATA_BAND)  # countries without data sit here, in grey
    band = NO_DATA_BAND
    colorscale = [[0, LAND], [band, LAND]] + [
        [min(1.0, band + (1 - band) * i / (len(BLUES) - 1)), c] for i, c in enumerate(BLUES)
    ]
    shown = ticks[1:] or ticks  # 0 would sit on the grey band's edge: start at the first step
    no_data = t("map.no_data", lang)
    z, custom = [], []
    for iso3 in shaped:
        value = known.get(iso3)
        has = value is not None and value == value
        z.append(max(value, 0) if has else zmin)  # a net reimbursement (< 0) shows as the lightest blue
        priority = priority_of.get(iso3)
        custom.append([
            geo.country_name(iso3, lang),
            format_value(value, money, lang) if has else no_data,
            "<br>" + t("map.priority_hover", lang) + colon(lang) + priority if priority else "",
        ])
    traces = [{
        "type": "choropleth", "geojson": shapes, "locations": shaped, "z": z, "zmin": zmin, "zmax": zmax,
        "colorscale": colorscale, "marker": {"line": {"color": "white", "width": 0.5}},
        "colorbar": {
            "title": {"text": legend}, "thickness": 14, "len": 0.6, "x": 0.01, "xanchor": "left",
            "y": 0.4, "tickvals": [zmin / 2, *shown],
            "ticktext": [no_data] + [fmt.money_short(v, lang) if money else fmt.number(v, lang) for v in shown],
        },
        "customdata": custom,
        "hovertemplate": "<b>%{customdata[0]}</b><br>" + hover + colon(lang) + "%{customdata[1]}%{customdata[2]}<extra></extra>",
        "name": legend, "showlegend": False,
    }]
    outlined = [c for c in priority_of if c in set(shaped)]
    if outlined:
        traces.append({
            "type": "choropleth", "geojson": _shapes_of(shapes, set(outlined)), "locations": outlined,
            "z": [1] * len(outlined), "colorscale": [[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]], "showscale": False,
            "marker": {"line": {"color": PRIORITY, "width": 2.4}},
            "hoverinfo": "skip",  # the country's own hover (above) already says it is a priority
            "name": t("map.priority_legend", lang), "showlegend": False,
        })
        # A choropleth's legend entry shows its (transparent) fill: an empty point trace shows
        # the orange outline instead.
        traces.append({
            "type": "scattergeo", "lat": [None], "lon": [None], "mode": "markers", "name": t("map.priority_legend", lang),
            "hoverinfo": "skip", "marker": {"symbol": "square-open", "size": 13, "color": PRIORITY, "line": {"width": 2.4}},
        })
    if partners is not None:
        traces += _partner_traces(partners, lang)
    if offices is not None:
        traces += _office_traces(offices, lang)
    # One figure built in one go: plotly validates (and walks the shapes) once, not per added trace.
    return go.Figure({"data": traces, "layout": {
        "geo": {"visible": False, "projection": {"type": "natural earth"}, "showframe": False,
                "lataxis": {"range": [-58, 84]}, "bgcolor": "white"},
        "height": height,
        "legend": {"orientation": "h", "yanchor": "top", "y": 0.0, "x": 0.5, "xanchor": "center"},
        **house_layout(lang),
    }})


def _partner_traces(partners: pd.DataFrame, lang: str) -> list[dict]:
    return [
        {
            "type": "scattergeo", "lat": group["latitude"], "lon": group["longitude"], "mode": "markers",
            "marker": {"size": 9, "color": STATUS_COLOURS.get(status, "#333"), "line": {"color": "white", "width": 1}},
            "name": t("map.partners_legend", lang, status=t(f"status.{status}", lang)),
            "customdata": [
                [p, ti, e, fmt.date(s, lang), iso3]
                for p, ti, e, s, iso3 in zip(
                    group["partner"], group["title"], group["entity"], group["signed_on"], group["country_iso3"]
                )
            ],
            "hovertemplate": "<b>%{customdata[0]}</b><br>%{customdata[1]}<br>%{customdata[2]} · "
            + t("map.signed_on", lang) + " %{customdata[3]}<extra></extra>",
        }
        for status, group in partners.dropna(subset=["latitude", "longitude"]).groupby("status", sort=False)
    ]


def _office_traces(offices: pd.DataFrame, lang: str) -> list[dict]:
    traces = []
    for agency, group in offices.dropna(subset=["latitude", "longitude"]).groupby("agency", sort=True):
        colour, symbol = AGENCY_STYLES.get(agency, OTHER_AGENCY)
        traces.append({
            "type": "scattergeo", "lat": group["latitude"], "lon": group["longitude"], "mode": "markers",
            "marker": {"size": 9, "color": colour, "symbol": symbol, "line": {"color": "white", "width": 1}},
            "name": t("map.offices_legend", lang, agency=agency),
            "customdata": [
                [city, geo.country_name(iso3, lang),
                 t(f"map.office_kind.{kind}", lang) if kind in ("economic", "delegation") else "", iso3]
                for city, iso3, kind in zip(group["city"], group["country_iso3"], group["kind"])
            ],
            "hovertemplate": "<b>%{customdata[0]}</b> (%{customdata[1]})<br>" + agency
            + " · %{customdata[2]}<extra></extra>",
        })
    return traces


def clicked_country(points: list[dict]) -> str | None:
    """The ISO3 of what was clicked on a map of `choropleth_map`: a country (its location), or a
    partner or office point (the country is the last item of their customdata)."""
    for point in points:
        if point.get("location"):
            return point["location"]
        custom = point.get("customdata")
        if isinstance(custom, list | tuple) and custom and isinstance(custom[-1], str) and len(custom[-1]) == 3:
            return custom[-1]
    return None


def world_map(
    oda: pd.DataFrame,
    priorities: pd.DataFrame,
    partners: pd.DataFrame,
    lang: str = "fr",
    height: int = 560,
) -> go.Figure:
    """The home page's map: countries coloured by ODA received, priority countries outlined,
    agreement partners as points.

    oda: country_iso3, amount_eur. priorities: country_iso3, entities.
    partners: partner, title, entity, status, signed_on, latitude, longitude.
    """
    return choropleth_map(
        oda.rename(columns={"amount_eur": "value"}), lang,
        legend=t("map.oda_legend", lang), hover=t("map.oda_hover", lang), money=True,
        priorities=priorities, partners=partners, height=height,
    )
