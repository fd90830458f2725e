"""Figure builders: data in, plotly figure out. No Streamlit here, so exports can reuse them.

This module holds the house style (colours, fonts, Belgian separators) and the offline plotly
configuration; map figures live in maps.py.
"""

from __future__ import annotations

from urllib.parse import quote

import plotly.graph_objects as go

EMPTY_TOPOJSON = "data:application/json," + quote('{"type":"Topology","objects":{},"arcs":[]}') + "#"
# Maps draw every shape from our own GeoJSON; plotly.js must not fetch its world topojson from a
# CDN (offline it would draw nothing at all, FIELD_NOTES.md), so it is pointed at an empty one.
PLOTLY_CONFIG = {"topojsonURL": EMPTY_TOPOJSON, "displaylogo": False}

# ColorBrewer "Blues": sequential, readable by colour-blind people and in greyscale.
BLUES = ["#eff3ff", "#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c"]
LAND = "#e3e3e3"
PRIORITY = "#d95f02"  # orange outline: stands out against every blue
STATUS_COLOURS = {"in_force": "#1b9e77", "negotiating": "#7570b3", "suspended": "#e7298a", "expired": "#666666"}
FONT = "Source Sans Pro, Arial, sans-serif"
SEPARATORS = {"fr": ", ", "nl": ",.", "en": ",."}  # plotly: decimal mark then thousands mark


def base_layout(fig: go.Figure, lang: str) -> go.Figure:
    fig.update_layout(
        separators=SEPARATORS[lang],
        font={"family": FONT, "size": 14},
        margin={"l": 0, "r": 0, "t": 10, "b": 0},
        paper_bgcolor="white",
        hoverlabel={"font_size": 14},
    )
    return fig
