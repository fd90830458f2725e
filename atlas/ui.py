"""Streamlit building blocks shared by the pages: language, notices, map display."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from atlas import data
from atlas.charts import PLOTLY_CONFIG
from atlas.i18n import LANGUAGES, t


def language() -> str:
    """The reader's language, from the link (?lang=nl) or the sidebar switch; French by default."""
    wanted = st.query_params.get("lang", "fr")
    if wanted not in LANGUAGES:
        wanted = "fr"
    lang = st.sidebar.selectbox(
        t("app.language", wanted), list(LANGUAGES), index=list(LANGUAGES).index(wanted),
        format_func=LANGUAGES.get, key="lang",
    )
    if lang == "fr":
        st.query_params.pop("lang", None)
    else:
        st.query_params["lang"] = lang
    return lang


def lang() -> str:
    return st.session_state.get("lang", "fr")


def today() -> dt.date:
    return dt.date.today()


def sample_notice(lang: str) -> None:
    """The visible « données d'exemple » notice, while any shown row is illustrative."""
    if data.frame("sample_rows")["sample_rows"].iloc[0]:
        st.warning(t("app.sample_notice", lang), icon="ℹ️")


def plotly(fig, key: str | None = None, **kwargs):
    """Show a figure with the offline configuration (maps draw no shape without it)."""
    return st.plotly_chart(fig, config=PLOTLY_CONFIG, key=key, width="stretch", **kwargs)


def footer(lang: str) -> None:
    version = data.frame("data_version")
    if not version.empty:
        st.caption(
            t("app.data_version", lang, version=int(version["version"].iloc[0]),
              date=version["created_at"].iloc[0].strftime("%d/%m/%Y %H:%M"))
        )


def downloads(df, name: str, lang: str, key: str | None = None) -> None:
    """CSV and Excel downloads of the data behind a chart or a table."""
    from atlas import export

    left, right, _ = st.columns([1, 1, 4])
    left.download_button(
        t("app.download_csv", lang), export.to_csv(df, lang), file_name=f"{name}.csv",
        mime="text/csv", key=f"{key or name}-csv", width="stretch",
    )
    right.download_button(
        t("app.download_xlsx", lang), export.to_excel(df, lang), file_name=f"{name}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"{key or name}-xlsx", width="stretch",
    )


def query_state(lang: str):
    """The validated view of the URL's query parameters (see atlas.params)."""
    from atlas.params import QueryState

    return QueryState(st.query_params, lang)


def show_notices(state) -> None:
    for notice in state.notices:
        st.warning(notice, icon="🔗")
