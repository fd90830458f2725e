"""Figure builders: data in, plotly figure out. No Streamlit here, so exports can reuse them.

This module holds the house style (colours, fonts, Belgian separators) and the offline plotly
configuration; map figures live in maps.py.
"""

from __future__ import annotations

from urllib.parse import quote

import pandas as pd
import plotly.graph_objects as go

from atlas.geography import countries as geo
from atlas.words import fmt
from atlas.words.i18n import colon, localize, plural, t, term

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


def house_layout(lang: str) -> dict:
    """The house style of every figure, as layout properties (for figures built in one go)."""
    return {
        "separators": SEPARATORS[lang],
        "font": {"family": FONT, "size": 14},
        "margin": {"l": 0, "r": 0, "t": 10, "b": 0},
        "paper_bgcolor": "white",
        "hoverlabel": {"font": {"size": 14}},
    }


def base_layout(fig: go.Figure, lang: str) -> go.Figure:
    fig.update_layout(**house_layout(lang))
    return fig


# --- Analysts' pages: ODA, agreements, economic missions ------------------------------------
# Each builder puts its finding (a sentence computed from the data) in the figure's title, so an
# exported figure carries it; ui.chart shows it as a heading that wraps on narrow screens.

GROUP_COLOURS = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666"]  # Dark2
TARGET = 0.007  # the UN/OECD target: ODA = 0.7 % of gross national income


def _euro_affixes(lang: str) -> tuple[str, str]:
    # The locale puts the sign before (nl: « € 1.234 ») or after (fr: « 1 234 € ») the amount.
    prefix, _, suffix = fmt.money(0, lang).partition("0")
    return prefix, suffix


def _money_axis(lang: str) -> dict:
    prefix, suffix = _euro_affixes(lang)
    return {"tickformat": ",.0f", "tickprefix": prefix, "ticksuffix": suffix}


GRID = {"gridcolor": "#e8e8e8", "zerolinecolor": "#999999"}


def _figure(traces: list[dict], finding: str, lang: str, height: int | None = None, legend: bool = False,
            xaxis: dict | None = None, yaxis: dict | None = None, right: int = 20, **layout) -> go.Figure:
    """The house style around `traces` (plain dicts), as one figure built in one go.

    plotly validates every add_bar/update_layout call on its own, a few milliseconds each: built
    call by call, a figure took 15 to 40 ms, most of an analyst page's run. Given one dict,
    plotly validates it once (about 5 ms) and draws the same figure.
    """
    return go.Figure({"data": traces, "layout": {
        **house_layout(lang),
        "title": {"text": finding}, "showlegend": legend, "height": height, "plot_bgcolor": "white",
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0, "traceorder": "normal"},
        "margin": {"l": 0, "r": right, "t": 40 if legend else 10, "b": 0}, "bargap": 0.25,
        "xaxis": {**(xaxis or {}), **GRID}, "yaxis": {**(yaxis or {}), **GRID}, **layout,
    }})


def _bars_height(n: int) -> int:
    return max(240, 30 * n + 70)


def _hbar(labels, values, lang: str, colour, name: str | None = None, hover=None) -> dict:
    """Horizontal bars in the given order (first at the top), each labelled with its amount;
    the figure takes HBAR_YAXIS and _hbar_room(traces, lang) (margin and money axis)."""
    # Always past the end of the bar: "auto" put long bars' amounts inside and short ones'
    # outside, a ragged column that straddled the bar ends. The figure keeps room for them
    # (_hbar_room): plotly's autorange does not count the text.
    return {
        "type": "bar", "y": list(labels), "x": list(values), "orientation": "h", "name": name,
        "marker": {"color": colour}, "text": [fmt.money(v, lang) for v in values], "textposition": "outside",
        "cliponaxis": False, "hovertext": hover,
        "hovertemplate": "%{y}<br>%{text}<extra></extra>" if hover is None else "%{hovertext}<extra></extra>",
    }


def _hbar_room(traces: list[dict], lang: str) -> dict:
    """_figure's right margin and money axis for _hbar traces, with room for the amounts past the
    bar ends. On screen the margin holds the longest amount at any width (padding the axis alone
    leaves too little on a half-width chart); the PNG export sets its own margin and a larger font
    (ui.png_download), so the axis also reaches 12 % past the longest bar."""
    longest = max((len(text) for trace in traces for text in trace["text"]), default=0)
    top = max((x for trace in traces for x in trace["x"]), default=0)
    return {"right": 8 + 7 * longest,  # measured in chromium: 78 px for « 11 400 000 € » at 14 px
            # every bar carries its amount: a few ticks suffice, and stay level on a narrower plot
            "xaxis": {**_money_axis(lang), "nticks": 5, "autorangeoptions": {"include": [max(top, 0) * 1.12]}}}


HBAR_YAXIS = {"autorange": "reversed", "automargin": True}


def oda_gni(df, lang: str) -> go.Figure:
    """Belgium's ODA/GNI per year against 0.7 %, preliminary years hatched (queries/pages/oda_gni.sql)."""
    last = df.iloc[-1]
    values = {"ratio": fmt.percent(last.oda_gni, lang), "year": int(last.year),
              "preliminary": f" ({t('oda.preliminary', lang)})" if last.preliminary else ""}
    if last.oda_gni >= TARGET:
        finding = t("oda.gni_finding_met", lang, **values)
    else:
        finding = t("oda.gni_finding", lang, gap=fmt.money_short(float(last.gap_eur), lang), **values)
    traces = []
    for preliminary, colour, pattern, name in (
        (False, BLUES[5], "", t("oda.gni_final", lang)),
        (True, BLUES[3], "/", t("oda.gni_preliminary", lang)),
    ):
        part = df[df.preliminary == preliminary]
        if part.empty:
            continue
        hover = [
            t("oda.gni_hover", lang, year=int(r.year), ratio=fmt.percent(r.oda_gni, lang),
              oda=fmt.money(r.oda_eur, lang), gap=fmt.money(float(r.gap_eur), lang))
            for r in part.itertuples()
        ]
        traces.append({
            "type": "bar", "x": part.year, "y": part.oda_gni * 100, "name": name,
            "marker": {"color": colour, "pattern": {"shape": pattern}},
            "text": [fmt.percent(v, lang) for v in part.oda_gni], "textposition": "outside", "cliponaxis": False,
            "hovertext": hover, "hovertemplate": "%{hovertext}<extra></extra>",
        })
    # The 0.7 % target across the plot, labelled above its left end (what fig.add_hline draws).
    line = {"type": "line", "xref": "x domain", "x0": 0, "x1": 1, "yref": "y", "y0": TARGET * 100, "y1": TARGET * 100,
            "line": {"color": PRIORITY, "dash": "dash", "width": 2}}
    label = {"text": t("oda.target", lang), "xref": "x domain", "x": 0, "xanchor": "left", "yref": "y",
             "y": TARGET * 100, "yanchor": "bottom", "showarrow": False, "font": {"color": PRIORITY}}
    return _figure(traces, finding, lang, height=420, legend=True, shapes=[line], annotations=[label],
                   xaxis={"dtick": 1, "tickformat": "d"},
                   yaxis={"ticksuffix": "\u00a0%", "tickformat": ".1f", "range": [0, max(0.8, float(df.oda_gni.max()) * 115)]})


def oda_flows(df, lang: str) -> go.Figure:
    """Commitments and disbursements per year, side by side (queries/pages/oda_by_year.sql)."""
    paid = df[df.flow == "disbursement"]
    if len(paid) >= 2:
        first, last = paid.iloc[0], paid.iloc[-1]
        finding = t("oda.flows_finding", lang, start=fmt.money_short(first.amount_eur, lang), start_year=int(first.year),
                    end=fmt.money_short(last.amount_eur, lang), end_year=int(last.year))
    elif len(paid) == 1:
        finding = t("oda.flows_finding_one", lang, amount=fmt.money_short(paid.iloc[0].amount_eur, lang),
                    year=int(paid.iloc[0].year))
    else:
        finding = t("oda.flows_finding_commitments", lang, amount=fmt.money_short(df.amount_eur.sum(), lang))
    traces = []
    for flow, colour in (("commitment", BLUES[2]), ("disbursement", BLUES[5])):
        part = df[df.flow == flow]
        if not part.empty:
            traces.append({"type": "bar", "x": part.year, "y": part.amount_eur, "name": t(f"oda.flow.{flow}", lang),
                           "marker": {"color": colour}, "hovertext": [fmt.money(v, lang) for v in part.amount_eur],
                           "hovertemplate": "%{x}" + colon(lang) + "%{hovertext}<extra>%{fullData.name}</extra>"})
    return _figure(traces, finding, lang, height=380, legend=True, barmode="group",
                   xaxis={"dtick": 1, "tickformat": "d"}, yaxis=_money_axis(lang))


def _share_finding(key: str, lang: str, name: str, share) -> str:
    return t(key, lang, name=name, share=fmt.percent(share, lang, 0))


def sector_names(df, lang: str):
    """queries/pages/oda_by_sector.sql with its group, category and sector names in `lang` (OECD
    English, our Dutch; data/reference/dac_sectors.csv), one language left for the downloads."""
    return localize(df, lang, "group_name", "category_name", "sector_name")


def channel_names(df, lang: str):
    """queries/pages/oda_by_channel.sql with the channels in `lang` where atlas/words/locales/terms.toml
    knows them (the data's free text otherwise); None stays None."""
    return df.assign(channel=[term("channel", c, lang) for c in df.channel])


SECTOR_BARS = 20  # purpose codes drawn; a synthetic CRS has 259, a chart of 259 bars is unreadable


def oda_sectors(df, lang: str) -> go.Figure:
    """Disbursements by DAC purpose code, coloured by DAC group (queries/pages/oda_by_sector.sql)."""
    df = sector_names(df, lang)
    unknown = t("oda.sector_unknown", lang)
    groups = df.group_name.fillna(unknown)
    totals = df.amount_eur.groupby(groups).sum().sort_values(ascending=False)
    total = df.amount_eur.sum()
    top = df.iloc[0]
    finding = t("oda.sectors_finding", lang, group=totals.index[0],
                share=fmt.percent(totals.iloc[0] / total if total else None, lang, 0),
                sector=top.sector_name if isinstance(top.sector_name, str) else unknown,
                amount=fmt.money_short(top.amount_eur, lang))
    traces = []
    # The finding counts every code; the bars show the largest ones (the download holds them all).
    df, groups = df.head(SECTOR_BARS), groups.head(SECTOR_BARS)
    labels = [n if isinstance(n, str) else f"{unknown} ({c or '–'})" for n, c in zip(df.sector_name, df.sector_code)]
    order = list(labels)
    for i, group in enumerate(totals.index):
        mask = (groups == group).to_list()
        if not any(mask):
            continue
        part = df[mask]
        hover = [
            f"<b>{label}</b><br>{group} › {cat if isinstance(cat, str) else unknown}<br>"
            f"{fmt.money(v, lang)} ({fmt.percent(s, lang, 1)})"
            for label, cat, v, s in zip([lb for lb, m in zip(labels, mask) if m], part.category_name, part.amount_eur, part.share)
        ]
        traces.append(_hbar([lb for lb, m in zip(labels, mask) if m], part.amount_eur, lang,
                            GROUP_COLOURS[i % len(GROUP_COLOURS)], name=group, hover=hover))
    # barmode stack: one bar per sector, stacking only keeps the bars full width
    return _figure(traces, finding, lang, height=_bars_height(len(df)) + 40, legend=True, barmode="stack",
                   **_hbar_room(traces, lang), yaxis={**HBAR_YAXIS, "categoryorder": "array", "categoryarray": order})


def oda_channels(df, lang: str) -> go.Figure:
    """Disbursements by channel of delivery (queries/pages/oda_by_channel.sql)."""
    labels = [c if isinstance(c, str) else t("oda.channel_unknown", lang) for c in channel_names(df, lang).channel]
    finding = _share_finding("oda.channels_finding", lang, labels[0], df.share.iloc[0])
    bars = [_hbar(labels, df.amount_eur, lang, BLUES[4])]
    return _figure(bars, finding, lang, height=_bars_height(len(df)), **_hbar_room(bars, lang), yaxis=HBAR_YAXIS)


def oda_priority_share(df, lang: str) -> go.Figure:
    """Share of disbursements going to priority countries per year (queries/pages/oda_priority_share.sql)."""
    shares = df.dropna(subset=["priority_share"])
    if shares.empty:
        finding = t("oda.priority_finding_none", lang)
    elif len(shares) == 1:
        finding = t("oda.priority_finding_one", lang, share=fmt.percent(shares.priority_share.iloc[0], lang, 0),
                    year=int(shares.year.iloc[0]))
    else:
        first, last = shares.iloc[0], shares.iloc[-1]
        change = last.priority_share - first.priority_share
        key = ("oda.priority_finding_stable" if abs(change) < 0.015  # within rounding: say stable, not "falls"
               else "oda.priority_finding_down" if change < 0 else "oda.priority_finding_up")
        finding = t(key, lang, start=fmt.percent(first.priority_share, lang, 0), start_year=int(first.year),
                    end=fmt.percent(last.priority_share, lang, 0), end_year=int(last.year))
    hover = [
        t("oda.priority_hover", lang, year=int(r.year), share=fmt.percent(r.priority_share, lang, 1),
          priority=fmt.money(r.priority_eur, lang), total=fmt.money(r.amount_eur, lang))
        for r in df.itertuples()
    ]
    bars = {"type": "bar", "x": df.year, "y": df.priority_share * 100, "marker": {"color": PRIORITY},
            "text": [fmt.percent(v, lang, 0) for v in df.priority_share], "textposition": "outside", "cliponaxis": False,
            "hovertext": hover, "hovertemplate": "%{hovertext}<extra></extra>"}
    return _figure([bars], finding, lang, height=380, xaxis={"dtick": 1, "tickformat": "d"},
                   yaxis={"ticksuffix": "\u00a0%", "tickformat": ".0f", "range": [0, 105]})


def oda_top_recipients(df, lang: str) -> go.Figure:
    """The largest recipient countries, priority countries in orange (queries/pages/oda_top_recipients.sql)."""
    names = [geo.country_name(c, lang) for c in df.country_iso3]
    finding = t("oda.recipients_finding", lang, country=names[0], share=fmt.percent(df.share.iloc[0], lang, 0),
                priority=int(df.priority.sum()), count=len(df))
    traces = []
    for priority, colour, name in ((True, PRIORITY, t("oda.recipient_priority", lang)),
                                   (False, BLUES[4], t("oda.recipient_other", lang))):
        mask = (df.priority == priority).to_list()
        if any(mask):
            part = df[mask]
            traces.append(_hbar([n for n, m in zip(names, mask) if m], part.amount_eur, lang, colour, name=name))
    return _figure(traces, finding, lang, height=_bars_height(len(df)) + 40, legend=True, barmode="stack",
                   **_hbar_room(traces, lang), yaxis={**HBAR_YAXIS, "categoryorder": "array", "categoryarray": names})


def agreements_gantt(df, lang: str, today) -> go.Figure:
    """Agreements from signature to end (or today), by partner, coloured by status; the ones to
    follow up marked ⚠ (queries/pages/agreements_list.sql)."""
    import pandas as pd

    in_force = int((df.status == "in_force").sum())
    follow = int(df.follow_up.sum())
    in_force_text = plural("agreements.in_force", in_force, lang, n=in_force)
    if follow:
        finding = t("agreements.gantt_finding", lang, follow=follow, in_force=in_force_text,
                    expiring=int(df.expires_soon.sum()), overdue=int(df.commission_overdue.sum()))
    else:
        finding = t("agreements.gantt_finding_none", lang, in_force=in_force_text)
    rows = df.sort_values(["signed_on", "partner"])
    labels = [("⚠ " if f else "") + f"{p} ({pd.Timestamp(s).year})" for p, s, f in zip(rows.partner, rows.signed_on, rows.follow_up)]
    # Every column computed once for all rows, then picked per status (a few rows: pandas per
    # status cost more than the figure).
    start, end = pd.to_datetime(rows.signed_on), pd.to_datetime(rows.gantt_end)
    bases = start.dt.strftime("%Y-%m-%d").to_numpy()
    spans = ((end - start).dt.total_seconds() * 1000).to_numpy()
    hovers = [
        f"<b>{title}</b><br>{partner} — {geo.country_name(c, lang)}<br>{entity}<br>"
        f"{fmt.date(s, lang)} → {fmt.date(e, lang) if e == e and e is not None else t('agreements.no_end', lang)}"
        for title, partner, c, entity, s, e in zip(rows.title, rows.partner, rows.country_iso3, rows.entity,
                                                    rows.signed_on, rows.ends_on)
    ]
    statuses = rows.status.to_numpy()
    traces = []
    for status, colour in STATUS_COLOURS.items():
        mask = (statuses == status).tolist()
        if not any(mask):
            continue
        traces.append({
            "type": "bar", "y": [lb for lb, m in zip(labels, mask) if m], "base": bases[mask].tolist(),
            "x": spans[mask].tolist(), "orientation": "h", "marker": {"color": colour}, "name": t(f"status.{status}", lang),
            "hovertext": [h for h, m in zip(hovers, mask) if m], "hovertemplate": "%{hovertext}<extra></extra>",
        })
    today_text = pd.Timestamp(today).strftime("%Y-%m-%d")
    line = {"type": "line", "x0": today_text, "x1": today_text, "yref": "paper", "y0": 0, "y1": 1,
            "line": {"color": "#333333", "dash": "dot", "width": 1}}
    label = {"x": today_text, "yref": "paper", "y": 1, "text": t("agreements.today", lang), "showarrow": False,
             "yanchor": "bottom", "font": {"size": 12}}
    return _figure(traces, finding, lang, height=max(300, 24 * len(labels) + 90), legend=True, barmode="overlay",
                   shapes=[line], annotations=[label], xaxis={"type": "date"},
                   yaxis={"autorange": "reversed", "categoryorder": "array", "categoryarray": labels, "automargin": True})


def _value_label(dimension: str, value, lang: str) -> str:
    if value is None or value != value:
        return t("app.not_given", lang)
    if dimension == "country":
        return geo.country_name(value, lang)
    if dimension == "level":
        return t(f"agreements.level.{value}", lang)
    if dimension == "kind":
        return t(f"missions.kind.{value}", lang)
    if dimension == "sector":
        return term("sector", value, lang)
    return str(value)


def agreement_counts(df, dimension: str, lang: str, limit: int = 12) -> go.Figure:
    """How many agreements per value of one dimension, stacked by status (queries/pages/agreements_counts.sql)."""
    totals = df.groupby("value").agreements.sum().sort_values(ascending=False, kind="stable")
    shown = totals.index[:limit]
    labels = {v: _value_label(dimension, v, lang) for v in shown}
    n = int(totals.iloc[0])
    leaders = [labels[v] for v in shown if totals[v] == n]
    finding = t("agreements.counts_finding_tie" if len(leaders) > 1 else "agreements.counts_finding", lang,
                by=t(f"agreements.by.{dimension}", lang),
                value=", ".join(leaders[:3]) + ("…" if len(leaders) > 3 else ""),
                count=plural("agreements.count", n, lang, n=n))
    traces = []
    # Rows picked per status with numpy masks: a handful of rows, where pandas filtering costs milliseconds.
    values, statuses, counts = df.value.to_numpy(), df.status.to_numpy(), df.agreements.to_numpy()
    in_shown = df.value.isin(shown).to_numpy()
    for status, colour in STATUS_COLOURS.items():
        mask = in_shown & (statuses == status)
        if mask.any():
            traces.append({"type": "bar", "y": [labels[v] for v in values[mask]], "x": counts[mask], "orientation": "h",
                           "marker": {"color": colour}, "name": t(f"status.{status}", lang),
                           "hovertemplate": "%{y}" + colon(lang) + "%{x}<extra>%{fullData.name}</extra>"})
    return _figure(traces, finding, lang, height=_bars_height(len(shown)) + 30, legend=True, barmode="stack",
                   xaxis={"dtick": 1 if n <= 10 else None, "tickformat": "d"},
                   yaxis={"autorange": "reversed", "categoryorder": "array", "categoryarray": [labels[v] for v in shown],
                          "automargin": True})


def mission_costs(df, dimension: str, lang: str, limit: int = 15) -> go.Figure:
    """Cost of the missions per value of one dimension: fees paid by the firms plus the net
    public cost (queries/pages/missions_by.sql)."""
    if dimension == "year":  # every year of the span, a year without missions at zero, not skipped
        span = pd.Index(range(int(df.value.min()), int(df.value.max()) + 1), name="value")
        counts = ["missions", "participants", "cost_eur", "fees_eur", "net_cost_eur"]
        rows = df.astype({"value": int}).set_index("value").reindex(span)
        rows[counts] = rows[counts].fillna(0)
        rows = rows.reset_index()
    else:
        rows = df.head(limit)
    labels = [_value_label(dimension, v, lang) for v in rows.value]
    total_net = df.net_cost_eur.sum()
    if dimension == "year":
        top = rows.loc[rows.net_cost_eur.idxmax()]
        finding = t("missions.costs_finding_year", lang, year=_value_label(dimension, top.value, lang),
                    amount=fmt.money_short(top.net_cost_eur, lang), missions=int(top.missions))
    else:
        top = df.iloc[0]
        finding = t(f"missions.costs_finding_{dimension}", lang, value=_value_label(dimension, top.value, lang),
                    share=fmt.percent(top.cost_eur / df.cost_eur.sum() if df.cost_eur.sum() else None, lang, 0),
                    net=fmt.percent(top.net_cost_eur / total_net if total_net else None, lang, 0),
                    amount=fmt.money_short(top.cost_eur, lang))
    traces = []
    vertical = dimension == "year"
    hover = [  # the same text on both parts of a bar
        t("missions.costs_hover", lang, label=label, missions=int(r.missions), participants=fmt.number(r.participants, lang),
          cost=fmt.money(r.cost_eur, lang), fees=fmt.money(r.fees_eur, lang), net=fmt.money(r.net_cost_eur, lang),
          per=fmt.money(r.cost_per_participant, lang))
        for label, r in zip(labels, rows.itertuples())
    ]
    for column, colour, key in (("net_cost_eur", BLUES[5], "missions.net_cost"), ("fees_eur", BLUES[2], "missions.fees")):
        values = rows[column].to_list()
        traces.append({"type": "bar", "x": labels if vertical else values, "y": values if vertical else labels,
                       "orientation": "v" if vertical else "h", "marker": {"color": colour}, "name": t(key, lang),
                       "hovertext": hover, "hovertemplate": "%{hovertext}<extra></extra>"})
    if vertical:
        return _figure(traces, finding, lang, height=380, legend=True, barmode="stack",
                       xaxis={"type": "category"}, yaxis=_money_axis(lang))
    return _figure(traces, finding, lang, height=_bars_height(len(rows)) + 40, legend=True, barmode="stack",
                   xaxis=_money_axis(lang),
                   yaxis={"autorange": "reversed", "categoryorder": "array", "categoryarray": labels, "automargin": True})
