"""Map figures: countries from our own Natural Earth GeoJSON (feature ids = ISO3), points on top.

One builder, `choropleth_map`, serves the home page and the « Carte » page: a single choropleth
trace carries every country (the geometry is sent once per figure), countries without data are
drawn in grey through the bottom band of the colour scale, priority countries are outlined by a
second, light trace holding only their shapes.
"""

from __future__ import annotations

import bisect
import html
import math
import textwrap
from dataclasses import dataclass
from functools import cache

import pandas as pd
import plotly.graph_objects as go

from atlas.figures.charts import BLUES, LAND, PRIORITY, STATUS_COLOURS, TEXT, house_layout
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


@dataclass(frozen=True)
class Metric:
    """A map metric: the named query that computes it per country, its column, its unit."""

    query: str
    column: str
    money: bool
    params: tuple[str, ...]  # the filters the query takes (DuckDB rejects unused parameters)
    years: str | None = None  # whose years the slider spans (queries/pages/map_year_bounds.sql); None: no slider


METRICS: dict[str, Metric] = {
    "apd": Metric("map_oda", "value", True, ("year_from", "year_to", "entities", "sector_groups"), "apd"),
    "accords": Metric("map_agreements", "value", False, ("year_from", "year_to", "entities", "statuses"), "accords"),
    "missions": Metric("map_missions", "missions", False, ("year_from", "year_to", "entities"), "missions"),
    "cout_missions": Metric("map_missions", "cost_eur", True, ("year_from", "year_to", "entities"), "missions"),
    "bureaux": Metric("map_office_counts", "value", False, ("entities",)),
}


def format_value(value, money: bool, lang: str) -> str:
    return fmt.money(value, lang) if money else fmt.number(value, lang)


CLASSES = 5  # colour classes: at most five, each holding as many countries as the values allow


def classes(values: list[float]) -> list[float]:
    """The upper bounds of the colour classes of `values` (finite, ≥ 0): one class per distinct
    value when there are few, else quantiles, so that each colour holds about as many countries.
    A linear scale gave DR Congo the dark blue and left most recipients looking white."""
    distinct = sorted(set(values))
    if len(distinct) <= CLASSES:
        return distinct
    ordered = sorted(values)
    cuts = [ordered[min(len(ordered) - 1, math.ceil(len(ordered) * i / CLASSES) - 1)] for i in range(1, CLASSES + 1)]
    return sorted(set(cuts))


def _round(value: float) -> float:
    """Two significant digits, for a legend to read: 757 620 -> 760 000 (the hover gives the exact figure)."""
    return float(f"{value:.2g}") if value >= 100 else value


def _class_labels(bounds: list[float], distinct: bool, money: bool, lang: str) -> list[str]:
    shown = (lambda v: fmt.money_short(v, lang)) if money else (lambda v: fmt.number(v, lang))
    short = shown if distinct else (lambda v: shown(_round(v)))
    if distinct:
        return [short(v) for v in bounds]
    return [short(bounds[0]) if i == 0 and bounds[0] <= 0 else
            t("map.class_upto", lang, top=short(bounds[0])) if i == 0 else
            t("map.class_range", lang, low=short(bounds[i - 1]), top=short(bounds[i]))
            for i in range(len(bounds))]


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
    present = [max(v, 0) for v in known.values() if v == v]  # a net reimbursement (< 0) joins the lightest class
    bounds = classes(present) or [0]
    distinct = len(set(present)) <= CLASSES
    # Stepped colours: 0 is « no data » (grey), 1..k the classes, lightest to darkest blue.
    k = len(bounds)
    blues = [BLUES[round(i * (len(BLUES) - 1) / max(k - 1, 1))] for i in range(k)] if k > 1 else [BLUES[-2]]
    colorscale = []
    for level, colour in enumerate([LAND, *blues]):
        colorscale += [[level / (k + 1), colour], [(level + 1) / (k + 1), colour]]
    no_data = t("map.no_data", lang)
    z, custom = [], []
    for iso3 in shaped:
        value = known.get(iso3)
        has = value is not None and value == value
        z.append(1 + bisect.bisect_left(bounds, max(value, 0)) if has else 0)
        priority = priority_of.get(iso3)
        custom.append([
            geo.country_name(iso3, lang),
            format_value(value, money, lang) if has else no_data,
            "<br>" + t("map.priority_hover", lang) + colon(lang) + priority if priority else "",
        ])
    traces = [{
        "type": "choropleth", "geojson": shapes, "locations": shaped, "z": z, "zmin": -0.5, "zmax": k + 0.5,
        "colorscale": colorscale, "marker": {"line": {"color": "white", "width": 0.5}},
        "colorbar": {
            # The legend says how the colours were cut: classes of as many countries, or one per value.
            "title": {"text": f"{legend}<br><sub>{t('map.classes_' + ('values' if distinct else 'quantiles'), lang)}</sub>",
                      "font": {"color": TEXT}},
            "thickness": 14, "len": 0.6, "x": 0.01, "xanchor": "left", "y": 0.4, "tickfont": {"color": TEXT},
            "tickvals": list(range(k + 1)), "ticktext": [no_data, *_class_labels(bounds, distinct, money, lang)],
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


def _hover_text(text, width: int = 42, lines: int = 2) -> str:
    """A long partner name or title in at most `lines` short lines: a hover box as wide as the
    title (one line of 150 characters) covered the whole country and its neighbours."""
    wrapped = textwrap.wrap(str(text), width) or [""]
    if len(wrapped) > lines:
        wrapped = [*wrapped[:lines - 1], textwrap.shorten(" ".join(wrapped[lines - 1:]), width, placeholder=" …")]
    return "<br>".join(html.escape(line) for line in wrapped)


def _partner_traces(partners: pd.DataFrame, lang: str) -> list[dict]:
    return [
        {
            "type": "scattergeo", "lat": group["latitude"], "lon": group["longitude"], "mode": "markers",
            "marker": {"size": 9, "color": STATUS_COLOURS.get(status, "#333"), "line": {"color": "white", "width": 1}},
            "name": t("map.partners_legend", lang, status=t(f"status.{status}", lang)),
            "customdata": [
                [_hover_text(p), _hover_text(ti), e, fmt.date(s, lang), iso3]
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


def _coarse(ring: list) -> list:
    """A ring at 1° (a pixel of a 240-px globe is 0.75°), repeated points dropped."""
    out = []
    for x, y in ring:
        point = [round(x), round(y)]
        if not out or point != out[-1]:
            out.append(point)
    return out if len(out) >= 4 else []


@cache
def _coarse_shapes() -> _SharedShapes:
    """The country shapes at the locator's scale: a tenth of the bytes of the map's."""
    features = []
    for f in _shapes()["features"]:
        geometry = f["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        kept = [rings for rings in ([_coarse(r) for r in polygon[:1]] for polygon in polygons) if rings[0]]
        if kept:
            features.append({"type": "Feature", "id": f["id"], "properties": {},
                             "geometry": {"type": "MultiPolygon", "coordinates": kept}})
    return _SharedShapes({"type": "FeatureCollection", "features": features})


def locator_map(iso3: str, lang: str = "fr", height: int = 240) -> go.Figure:
    """Where the country is: a small globe turned to it, the country in dark blue among grey
    neighbours (a point for the small states that have no shape). Only the half of the world that
    faces the reader is sent."""
    row = geo.countries().get(iso3) or {}
    lat, lon = float(row.get("lat") or 0), float(row.get("lon") or 0)

    def facing(feature) -> bool:  # centre within 60° of arc: the globe's middle, where the eye goes
        other = geo.countries().get(feature["id"]) or {}
        if not other.get("lat"):
            return False
        a, b = math.radians(lat), math.radians(float(other["lat"]))
        cosine = math.sin(a) * math.sin(b) + math.cos(a) * math.cos(b) * math.cos(math.radians(lon - float(other["lon"])))
        return cosine > math.cos(math.radians(60))

    shapes = _coarse_shapes()
    near = {"type": "FeatureCollection", "features": [f for f in shapes["features"] if f["id"] != iso3 and facing(f)]}
    own = _shapes_of(shapes, {iso3})
    name = geo.country_name(iso3, lang)
    traces = [
        {"type": "choropleth", "geojson": near, "locations": [f["id"] for f in near["features"]],
         "z": [0] * len(near["features"]), "colorscale": [[0, LAND], [1, LAND]], "showscale": False,
         "marker": {"line": {"color": "white", "width": 0.4}}, "hoverinfo": "skip"},
        {"type": "scattergeo", "lat": [lat], "lon": [lon], "mode": "markers", "hoverinfo": "text", "text": [name],
         "marker": {"size": 9, "color": PRIORITY, "line": {"color": "white", "width": 1.5}}},
    ]
    if own["features"]:
        traces.insert(1, {"type": "choropleth", "geojson": own, "locations": [iso3], "z": [1],
                          "colorscale": [[0, BLUES[-1]], [1, BLUES[-1]]], "showscale": False,
                          "marker": {"line": {"color": BLUES[-1], "width": 0.6}}, "hoverinfo": "text", "text": [name]})
    return go.Figure({"data": traces, "layout": {
        "geo": {"visible": False, "showframe": True, "framecolor": "#9e9e9e", "bgcolor": "white",
                "projection": {"type": "orthographic", "rotation": {"lat": lat, "lon": lon}}},
        "height": height, "showlegend": False, **house_layout(lang), "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
    }})
