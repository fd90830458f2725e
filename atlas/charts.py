"""Figure builders: data in, plotly figure out. No Streamlit here, so exports can reuse them.

Maps draw every shape from our own GeoJSON and point plotly.js at an empty topology
(`PLOTLY_CONFIG`): otherwise plotly fetches its world topojson from a CDN, and offline it draws
nothing at all (FIELD_NOTES.md).
"""

from __future__ import annotations

from urllib.parse import quote

import pandas as pd
import plotly.graph_objects as go

from atlas import fmt, geo
from atlas.i18n import t

EMPTY_TOPOJSON = "data:application/json," + quote('{"type":"Topology","objects":{},"arcs":[]}') + "#"
PLOTLY_CONFIG = {"topojsonURL": EMPTY_TOPOJSON, "displaylogo": False}

# ColorBrewer "Blues": sequential, readable by colour-blind people and in greyscale.
BLUES = ["#eff3ff", "#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c"]
LAND = "#e3e3e3"
PRIORITY = "#d95f02"  # orange outline: stands out against every blue
STATUS_COLOURS = {"in_force": "#1b9e77", "negotiating": "#7570b3", "suspended": "#e7298a", "expired": "#666666"}
FONT = "Source Sans Pro, Arial, sans-serif"
SEPARATORS = {"fr": ", ", "nl": ",.", "en": ",."}  # plotly: decimal mark then thousands mark


def _base_layout(fig: go.Figure, lang: str) -> go.Figure:
    fig.update_layout(
        separators=SEPARATORS[lang],
        font={"family": FONT, "size": 14},
        margin={"l": 0, "r": 0, "t": 10, "b": 0},
        paper_bgcolor="white",
        hoverlabel={"font_size": 14},
    )
    return fig


def world_map(
    oda: pd.DataFrame,
    priorities: pd.DataFrame,
    partners: pd.DataFrame,
    lang: str = "fr",
    height: int = 560,
) -> go.Figure:
    """Countries coloured by ODA received, priority countries outlined, agreement partners as points.

    oda: country_iso3, amount_eur. priorities: country_iso3, entities.
    partners: partner, title, entity, status, signed_on, latitude, longitude.
    """
    shapes = geo.geojson()
    shaped = [f["id"] for f in shapes["features"]]
    names = {iso3: geo.country_name(iso3, lang) for iso3 in shaped}
    fig = go.Figure()
    fig.add_trace(
        go.Choropleth(
            geojson=shapes, locations=shaped, z=[0] * len(shaped),
            colorscale=[[0, LAND], [1, LAND]], showscale=False,
            marker={"line": {"color": "white", "width": 0.5}},
            customdata=[[names[c]] for c in shaped],
            hovertemplate="<b>%{customdata[0]}</b><extra></extra>",
            name=t("map.land", lang), showlegend=False,
        )
    )
    oda = oda[oda["country_iso3"].isin(shaped)]
    if not oda.empty:
        fig.add_trace(
            go.Choropleth(
                geojson=shapes, locations=oda["country_iso3"], z=oda["amount_eur"],
                colorscale=[[i / (len(BLUES) - 1), c] for i, c in enumerate(BLUES)],
                zmin=0,
                marker={"line": {"color": "white", "width": 0.5}},
                colorbar={
                    "title": {"text": t("map.oda_legend", lang)}, "thickness": 14, "len": 0.6,
                    "x": 0.01, "xanchor": "left", "y": 0.35, "tickformat": "~s",
                },
                customdata=[
                    [geo.country_name(c, lang), fmt.money(v, lang)]
                    for c, v in zip(oda["country_iso3"], oda["amount_eur"])
                ],
                hovertemplate="<b>%{customdata[0]}</b><br>"
                + t("map.oda_hover", lang) + " : %{customdata[1]}<extra></extra>",
                name=t("map.oda_legend", lang),
            )
        )
    priorities = priorities[priorities["country_iso3"].isin(shaped)]
    if not priorities.empty:
        fig.add_trace(
            go.Choropleth(
                geojson=shapes, locations=priorities["country_iso3"], z=[1] * len(priorities),
                colorscale=[[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]], showscale=False,
                marker={"line": {"color": PRIORITY, "width": 2.2}},
                customdata=[
                    [geo.country_name(c, lang), e]
                    for c, e in zip(priorities["country_iso3"], priorities["entities"])
                ],
                hovertemplate="<b>%{customdata[0]}</b><br>" + t("map.priority_hover", lang)
                + " : %{customdata[1]}<extra></extra>",
                name=t("map.priority_legend", lang), showlegend=True,
            )
        )
    for status, group in partners.dropna(subset=["latitude", "longitude"]).groupby("status", sort=False):
        fig.add_trace(
            go.Scattergeo(
                lat=group["latitude"], lon=group["longitude"], mode="markers",
                marker={"size": 9, "color": STATUS_COLOURS.get(status, "#333"), "line": {"color": "white", "width": 1}},
                name=t("map.partners_legend", lang, status=t(f"status.{status}", lang)),
                customdata=[
                    [p, ti, e, fmt.date(s, lang)]
                    for p, ti, e, s in zip(group["partner"], group["title"], group["entity"], group["signed_on"])
                ],
                hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]}<br>%{customdata[2]} · "
                + t("map.signed_on", lang) + " %{customdata[3]}<extra></extra>",
            )
        )
    fig.update_geos(
        visible=False, projection_type="natural earth", showframe=False,
        lataxis_range=[-58, 84], bgcolor="white",
    )
    fig.update_layout(
        height=height,
        legend={"orientation": "h", "yanchor": "top", "y": 0.0, "x": 0.5, "xanchor": "center"},
    )
    return _base_layout(fig, lang)
