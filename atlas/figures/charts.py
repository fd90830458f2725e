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
PRIORITY_TEXT = "#a63c00"  # the same orange, dark enough for text (6.4:1 on white)
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


TEXT = "#3d3d3d"  # axis numbers, titles and legends: 11:1 on white (Streamlit's chart grey #808495 is 3.8:1)


def readable(fig: go.Figure) -> go.Figure:
    """Chart text dark enough for WCAG 2.1 AA (4.5:1): Streamlit's plotly theme draws axis numbers,
    axis titles and legends in a light grey that the page's text colour does not reach."""
    fig.update_xaxes(tickfont_color=TEXT, title_font_color=TEXT)
    fig.update_yaxes(tickfont_color=TEXT, title_font_color=TEXT)
    fig.update_layout(legend_font_color=TEXT, legend_title_font_color=TEXT)
    fig.update_traces(outsidetextfont_color=TEXT, selector={"type": "bar"})  # values written above the bars
    return fig


# --- Analysts' pages: ODA, agreements, economic missions ------------------------------------
# Each builder puts its finding (a sentence computed from the data) in the figure's title, so an
# exported figure carries it; ui.chart shows it as a heading that wraps on narrow screens.

GROUP_COLOURS = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666"]  # Dark2
TARGET = 0.007  # the UN/OECD target: ODA = 0.7 % of gross national income


# --- Findings: sentences that must be true of the figure under them ---------------------------


def name_list(names: list[str], lang: str, most: int = 3) -> str:
    """« Australie, Brésil et Chine »; beyond `most`, « Australie, Brésil, Chine et 7 autres »."""
    from babel.lists import format_list

    if len(names) <= most:
        return format_list(list(names), locale=lang)
    return t("finding.and_others", lang, names=", ".join(names[:most]), n=len(names) - most)


def leaders(labels, values) -> list:
    """Every label whose value is the largest: one leader, or several tied (never one picked
    among equals). Values equal to the cent count as tied."""
    pairs = [(label, round(float(v), 2)) for label, v in zip(labels, values) if v == v and v is not None]
    if not pairs:
        return []
    top = max(v for _, v in pairs)
    return [label for label, v in pairs if v == top]


def trend(values, tolerance: float) -> str:
    """How a series moves, judged on all of it, not on its ends: 'steady' when no two values are
    more than `tolerance` apart; 'up' when it never falls back by more than `tolerance` below an
    earlier value and ends more than `tolerance` above its start; 'down' likewise; else 'mixed'."""
    v = [float(x) for x in values]
    if max(v) - min(v) <= tolerance:
        return "steady"
    drawdown = max(peak - x for peak, x in zip(_running(v, max), v))
    runup = max(x - low for low, x in zip(_running(v, min), v))
    if drawdown <= tolerance and v[-1] - v[0] > tolerance:
        return "up"
    if runup <= tolerance and v[0] - v[-1] > tolerance:
        return "down"
    return "mixed"


def _running(values: list[float], pick) -> list[float]:
    out, best = [], values[0]
    for x in values:
        best = pick(best, x)
        out.append(best)
    return out


SHARE_TOLERANCE = 0.01  # one percentage point: below it a share is said steady, not rising or falling
MONEY_TOLERANCE = 0.02  # of the largest amount: yearly amounts within it are said steady


def series_finding(key: str, years, values, show, tolerance: float, lang: str) -> str:
    """The sentence `key`_up, _down, _steady or _mixed says of a yearly series, chosen by `trend`
    on every year; `show` formats a value. up/down name both ends; steady names its range (or its
    one value); mixed names its lowest and highest years and the last one."""
    years, values = [int(y) for y in years], [float(v) for v in values]
    how = trend(values, tolerance)
    low, high = values.index(min(values)), values.index(max(values))
    words = {"start": show(values[0]), "start_year": years[0], "end": show(values[-1]), "end_year": years[-1],
             "low": show(values[low]), "low_year": years[low], "high": show(values[high]), "high_year": years[high]}
    if how == "steady" and words["low"] == words["high"]:
        return t(f"{key}_flat", lang, value=words["low"], **words)
    return t(f"{key}_{how}", lang, **words)


def map_finding(values: pd.DataFrame, metric: str, years: str, show, lang: str) -> str:
    """The map's heading: how many countries, and the first one, or the ones tied first, or that
    every country has the same value (`values`: country_iso3, value; `show` formats a value)."""
    names = [geo.country_name(c, lang) for c in values.country_iso3]
    first = leaders(names, values.value)
    words = {"metric": metric, "years": years, "countries": len(values), "value": show(values.value.max())}
    if len(values) == 1:
        return t("finding.map_one", lang, top=names[0], **words)
    if len(first) == len(values):
        return t("finding.map_all_equal", lang, **words)
    if len(first) > 1:
        return t("finding.map_tie", lang, leaders=name_list(sorted(first, key=geo.fold), lang), **words)
    return t("map.finding", lang, top=first[0], **words)


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
             "y": TARGET * 100, "yanchor": "bottom", "showarrow": False, "font": {"color": PRIORITY_TEXT}}
    return _figure(traces, finding, lang, height=420, legend=True, shapes=[line], annotations=[label],
                   xaxis={"dtick": 1, "tickformat": "d"},
                   yaxis={"ticksuffix": "\u00a0%", "tickformat": ".1f", "range": [0, max(0.8, float(df.oda_gni.max()) * 115)]})


def oda_flows(df, lang: str) -> go.Figure:
    """Commitments and disbursements per year, side by side (queries/pages/oda_by_year.sql)."""
    paid = df[df.flow == "disbursement"]
    if len(paid) >= 2:
        top = float(paid.amount_eur.abs().max())
        finding = series_finding("oda.flows_finding", paid.year, paid.amount_eur, lambda v: fmt.money_short(v, lang),
                                 MONEY_TOLERANCE * top, lang)
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
    first = leaders(labels, df.amount_eur)
    finding = (_share_finding("oda.channels_finding", lang, labels[0], df.share.iloc[0]) if len(first) == 1
               else _share_finding("finding.channels_tie", lang, name_list(first, lang), df.share.iloc[0]))
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
    else:  # judged on every year drawn: 85 % then 84 % with 96 % and 77 % between is no « stable »
        finding = series_finding("oda.priority_finding", shares.year, shares.priority_share,
                                 lambda v: fmt.percent(v, lang, 0), SHARE_TOLERANCE, lang)
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
    first = leaders(names, df.amount_eur)
    finding = t("oda.recipients_finding" if len(first) == 1 else "finding.recipients_tie", lang,
                country=name_list(first, lang), share=fmt.percent(df.share.iloc[0], lang, 0),
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
    finding = _mission_finding(df, rows, dimension, lang)
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


def _mission_finding(df, rows, dimension: str, lang: str) -> str:
    """A sentence on the missions' costs by `dimension` (rows: every year for 'year', else df)."""
    total_net = df.net_cost_eur.sum()
    if dimension == "year":
        years = leaders(list(rows.value), rows.net_cost_eur)
        top = rows[rows.value == years[0]].iloc[0]
        if top.net_cost_eur <= 0:
            return t("missions.costs_finding_year_none", lang)
        if len(years) > 1:
            return t("missions.costs_finding_year_tie", lang, years=name_list([str(int(y)) for y in years], lang),
                     amount=fmt.money_short(top.net_cost_eur, lang))
        missions = int(top.missions)
        return t("missions.costs_finding_year", lang, year=int(top.value), amount=fmt.money_short(top.net_cost_eur, lang),
                 missions=plural("missions.count", missions, lang, n=missions))
    top = df.iloc[0]
    words = dict(value=_value_label(dimension, top.value, lang),
                 share=fmt.percent(top.cost_eur / df.cost_eur.sum() if df.cost_eur.sum() else None, lang, 0),
                 net=fmt.percent(top.net_cost_eur / total_net if total_net else None, lang, 0),
                 amount=fmt.money_short(top.cost_eur, lang))
    if dimension == "country":  # « the costliest destination »: said of one only when it is alone
        first = leaders([_value_label(dimension, v, lang) for v in df.value], df.cost_eur)
        if len(first) > 1:
            return t("missions.costs_finding_country_tie", lang, values=name_list(first, lang), amount=words["amount"])
    return t(f"missions.costs_finding_{dimension}", lang, **words)
