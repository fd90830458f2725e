"""Two to four countries side by side (the « Comparer des pays » page): key figures as rows of a
table, one column per country, and their ODA by year as grouped bars. No Streamlit here."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from atlas.figures import charts
from atlas.geography import countries as geo
from atlas.words import fmt
from atlas.words.i18n import t

KEY_FIGURES = (  # (column of queries/pages/compare_kpis.sql, label key, money?)
    ("agreements_in_force", "country.kpi_agreements", False),
    ("agreements", "compare.agreements", False),
    ("oda_disbursed_eur", "country.col.oda_disbursed", True),
    ("oda_committed_eur", "country.col.oda_committed", True),
    ("missions", "country.kpi_missions", False),
    ("participants", "country.kpi_participants", False),
    ("offices", "country.kpi_offices", False),
)


def key_figures(kpis: pd.DataFrame, lang: str) -> pd.DataFrame:
    """One row per key figure, one column per country (named in `lang`), values as text."""
    rows = []
    for column, label, money in KEY_FIGURES:
        row = {"": t(label, lang)}
        for k in kpis.itertuples():
            value = getattr(k, column)
            row[geo.country_name(k.country_iso3, lang)] = fmt.money(value, lang) if money else fmt.number(value, lang)
        rows.append(row)
    priority = {"": t("compare.priority", lang)}
    for k in kpis.itertuples():
        priority[geo.country_name(k.country_iso3, lang)] = k.priority_entities_now if isinstance(
            k.priority_entities_now, str) else "–"
    return pd.DataFrame([*rows, priority])


def oda_by_year(df: pd.DataFrame, lang: str, order: list[str]) -> go.Figure:
    """Disbursements by year, one colour per country in the order chosen (queries/pages/compare_oda_by_year.sql)."""
    totals = df.groupby("country_iso3").disbursed_eur.sum()
    leader = totals.idxmax()
    finding = t("compare.oda_finding", lang, country=geo.country_name(leader, lang),
                amount=fmt.money_short(totals[leader], lang))
    traces = []
    for i, iso3 in enumerate(order):
        part = df[df.country_iso3 == iso3]
        if part.empty:
            continue
        traces.append({"type": "bar", "x": part.year, "y": part.disbursed_eur, "name": geo.country_name(iso3, lang),
                       "marker": {"color": charts.GROUP_COLOURS[i % len(charts.GROUP_COLOURS)]},
                       "hovertext": [fmt.money(v, lang) for v in part.disbursed_eur],
                       "hovertemplate": "%{x} · %{hovertext}<extra>%{fullData.name}</extra>"})
    return charts._figure(traces, finding, lang, height=380, legend=True, barmode="group",
                          xaxis={"dtick": 1, "tickformat": "d"}, yaxis=charts._money_axis(lang))
