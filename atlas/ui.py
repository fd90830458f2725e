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
        st.warning(t("app.sample_notice", lang), icon=":material/info:")


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

    # A horizontal row sized to its buttons: fixed columns cut the labels in a half-width column.
    row = st.container(horizontal=True)
    row.download_button(
        t("app.download_csv", lang), export.to_csv(df, lang), file_name=f"{name}.csv",
        mime="text/csv", key=f"{key or name}-csv", width="content",
    )
    row.download_button(
        t("app.download_xlsx", lang), export.to_excel(df, lang), file_name=f"{name}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"{key or name}-xlsx", width="content",
    )


def query_state(lang: str):
    """The validated view of the URL's query parameters (see atlas.params)."""
    from atlas.params import QueryState

    return QueryState(st.query_params, lang)


def show_notices(state) -> None:
    for notice in state.notices:
        st.warning(notice, icon=":material/link:")


def share_url() -> str:
    """The address of the current view: the page's URL with the current query parameters."""
    from urllib.parse import urlencode, urlsplit, urlunsplit

    parts = urlsplit(st.context.url or "")
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(st.query_params.to_dict()), ""))


def share_link(lang: str) -> None:
    """« Copier le lien »: the full URL of this view in a code box, whose copy button works offline."""
    with st.popover(t("app.share_link", lang)):
        st.caption(t("app.share_link_help", lang))
        st.code(share_url(), language=None, wrap_lines=True)


# --- Filters kept in the link, charts with their finding, sources (analysts' pages) -----------


def many_filter(state, param: str, label: str, options, lang: str, key: str, format_func=str, container=st):
    """A multiselect seeded once from the link (?param=a~b) and written back to it; [] = all."""
    from atlas.params import encode_many

    options = list(options)
    if key not in st.session_state:
        st.session_state[key] = state.many(param, options)
    else:  # a value that has left the data (after an import) must not break the widget
        st.session_state[key] = [v for v in st.session_state[key] if v in options]
    chosen = container.multiselect(label, options, key=key, format_func=format_func, placeholder=t("app.filter_all", lang))
    if chosen:
        st.query_params[param] = encode_many(chosen)
    else:
        st.query_params.pop(param, None)
    return chosen


def year_filter(state, param: str, label: str, bounds: tuple[int, int], key: str, container=st) -> tuple[int, int]:
    """A year-range slider seeded once from the link (?param=2018-2024) and written back to it."""
    from atlas.params import encode_year_range

    if bounds[0] == bounds[1]:  # a slider needs two distinct ends
        return bounds
    if key not in st.session_state:
        st.session_state[key] = state.year_range(param, bounds)
    years = container.slider(label, bounds[0], bounds[1], key=key, step=1)
    if tuple(years) == tuple(bounds):
        st.query_params.pop(param, None)
    else:
        st.query_params[param] = encode_year_range(years)
    return int(years[0]), int(years[1])


def text_filter(param: str, label: str, key: str, container=st, max_chars: int = 100) -> str:
    """A free-text filter seeded once from the link and written back to it ('' = none)."""
    if key not in st.session_state:
        st.session_state[key] = st.query_params.get(param, "")[:max_chars]
    text = container.text_input(label, key=key, max_chars=max_chars).strip()
    if text:
        st.query_params[param] = text
    else:
        st.query_params.pop(param, None)
    return text


def chart(df, build, lang: str, name: str, key: str, caption: str | None = None, download=None, **kwargs) -> None:
    """A figure under a heading that states its finding, its caption, and the data behind it as
    CSV and Excel; a clear message instead of an empty axis when the selection holds no data."""
    if df.empty:
        st.info(t("app.no_data", lang), icon="🔎")
        return
    fig = build(df, lang=lang, **kwargs)
    st.subheader(fig.layout.title.text, anchor=False)
    fig.update_layout(title_text=None)
    plotly(fig, key=key)
    if caption:
        st.caption(caption)
    downloads(df if download is None else download, name, lang, key=key)


def sources(values, lang: str) -> None:
    """The distinct sources behind what the page shows, in an expander « Sources »."""
    distinct = sorted({str(v) for v in values if isinstance(v, str) and v.strip()})
    with st.expander(t("app.sources", lang, count=len(distinct))):
        if distinct:
            st.markdown("\n".join(f"- {escape_markdown(v)}" for v in distinct))
        else:
            st.write(t("app.no_sources", lang))


def escape_markdown(text: str) -> str:
    """Text from the data shown literally by st.markdown (no links, emphasis or HTML)."""
    return "".join("\\" + c if c in "\\`*_{}[]()#+-.!|<>~$" else c for c in text)
