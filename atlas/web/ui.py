"""Streamlit building blocks shared by the pages: language, notices, map display."""

from __future__ import annotations

import datetime as dt
import functools
import runpy
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from atlas.exports import spreadsheets as export
from atlas.figures.charts import PLOTLY_CONFIG, readable
from atlas.reading import queries
from atlas.web import fit, url_state, view
from atlas.words import fmt
from atlas.words.i18n import LANGUAGES, t

APP = Path(__file__).resolve().parents[2] / "app.py"


def language() -> str:
    """The reader's language, from the link (?lang=nl) or the sidebar switch; French by default."""
    wanted = url_state.get("lang") or "fr"
    if wanted not in LANGUAGES:
        wanted = "fr"
    lang = st.sidebar.selectbox(
        t("app.language", wanted), list(LANGUAGES), index=list(LANGUAGES).index(wanted),
        format_func=LANGUAGES.get, key="lang", placeholder=t("widgets.choose", wanted),
    )
    url_state.put("lang", lang, default="fr")
    return lang


def lang() -> str:
    """The language app.py chose for this run: every page asks for it first.

    Once per server start, a page runs without app.py: Streamlit 1.67 serves the first script run
    in its legacy multipage mode (a `pages/` folder sits next to app.py) until app.py calls
    `st.navigation`, and then runs the page file a link names, alone (hence page files named
    after their URLs: with other names, it showed its English « Page not found »). app.py takes
    over here, routes to this very page and runs it; the alone run stops.
    """
    if PagesManager.uses_pages_directory:
        runpy.run_path(str(APP), run_name="__main__")
        st.stop()
    view.start()  # this run's filters and sources, for the downloads' first block
    st.html(SCREEN_CSS)
    return st.session_state.get("lang", "fr")


# Screens that fit (issue 17). From 1024 px, the page's side margins grow from 2rem at 1280 px to
# Streamlit's 5rem at 1472 px and more: at 1280 px its 5rem left 818 px beside the sidebar, too few
# for a table's headers and words whole (TABLE_ROOM). Pills (the map's layers) wrap to a second line
# instead of scrolling sideways under the last one's cut label (« K »).
SCREEN_CSS = """<style>
@media (min-width: 1024px) {
  .stApp .stMainBlockContainer { padding-left: clamp(2rem, calc((100vw - 1280px) / 4 + 2rem), 5rem);
                                 padding-right: clamp(2rem, calc((100vw - 1280px) / 4 + 2rem), 5rem); }
}
[data-testid="stButtonGroup"] [role="toolbar"] { flex-wrap: wrap; row-gap: 0.5rem; }
</style>"""


def today() -> dt.date:
    return dt.date.today()


def sample_notice(lang: str) -> None:
    """The visible « données d'exemple » notice, while any shown row is illustrative."""
    if queries.frame("sample_rows")["sample_rows"].iloc[0]:
        st.warning(t("app.sample_notice", lang), icon=":material/info:")


def plotly(fig, key: str | None = None, **kwargs):
    """Show a figure with the offline configuration (maps draw no shape without it), its text dark
    enough to read (charts.readable; a `figure` is already)."""
    if not isinstance(fig, Kept):
        fig = readable(fig)
    return st.plotly_chart(fig, config=PLOTLY_CONFIG, key=key, width="stretch", **kwargs)


def figure(build: Callable[..., go.Figure], *args, **kwargs) -> Kept:
    """`build(*args, **kwargs)` made readable, kept by the server for the same inputs (the language,
    the options, and the queries' results: pass them as `queries.ask(...)`, read only when the
    figure is built, or as frames, which are hashed on every view): building a map's figure through
    plotly's validation cost about 40 CPU-ms of every view of the home and map pages. The figure is
    shared by every session: show it, never change it."""
    return _kept_map(build, f"{build.__module__}.{build.__qualname__}", args, kwargs)


# Kept apart so that the many filter combinations of the charts do not push the maps out, and that
# the memory they hold has a bound (tracemalloc): a kept world map holds about 1.5 MB, so 64 of them
# about 100 MB per replica; a chart 0.1–0.2 MB, so 256 of them about 40 MB.
@st.cache_resource(max_entries=64, show_spinner=False)
def _kept_map(_build, name: str, args: tuple, kwargs: dict) -> Kept:
    return _kept(_build, args, kwargs)


@st.cache_resource(max_entries=256, show_spinner=False)
def _kept_chart(_build, name: str, args: tuple, kwargs: dict) -> Kept:
    return _kept(_build, args, kwargs)


def _kept(build, args: tuple, kwargs: dict) -> Kept:
    def read(value):
        return value.frame() if isinstance(value, queries.Ask) else value

    return Kept(readable(build(*map(read, args), **{k: read(v) for k, v in kwargs.items()})))


class Kept(go.Figure):
    """A figure kept by the server and shown as it is: Streamlit's plotly_chart asks a figure for its
    dict (a deep copy of every trace, numbers turned to base64) on every view; a kept figure makes it
    once (some 10 CPU-ms of a map's view). Its title, a chart's finding, is taken out into `finding`,
    to be shown above it as a heading that wraps. The dict is shared: never change it."""

    finding: str | None = None

    def __init__(self, fig: go.Figure):
        finding, fig.layout.title.text = fig.layout.title.text, None
        super().__init__(fig)
        self.finding = finding
        self._atlas_dict = super().to_dict()
        for trace in self._atlas_dict.get("data", []):
            trace.pop("uid", None)  # as plotly.io.to_json would, on the shared dict, on every view

    def to_dict(self) -> dict:
        return self._atlas_dict


def footer(lang: str) -> None:
    version = queries.frame("data_version")
    if not version.empty:
        st.caption(
            t("app.data_version", lang, version=int(version["version"].iloc[0]),
              date=version["created_at"].iloc[0].strftime("%d/%m/%Y %H:%M"))
        )


def about(df, title: str | None, lang: str) -> Callable[[], export.About]:
    """The first block of a download's Excel file, completed when the file is built (on click, after
    the page ran): the title, the filters and the sources of this run (the rows' own sources when
    they have some), the data version, now."""
    from atlas.exports import sources as cited

    version = queries.frame("data_version")
    number, when = (int(version["version"].iloc[0]), version["created_at"].iloc[0]) if not version.empty else (None, None)
    seen = view.current()

    def complete() -> export.About:
        frame = pd.DataFrame(df() if callable(df) else df)
        own = frame["source"].dropna().astype(str) if "source" in frame.columns else pd.Series(dtype=str)
        found = ([cited.Cited(source, rows=int(rows)) for source, rows in own.value_counts().items()] if len(own)
                 else [cited.Cited(source) for source in seen.sources])
        return export.About(title or "", list(seen.filters), cited.one_line(found, lang), number, when)

    return complete


def downloads(df, name: str, lang: str, key: str | None = None, fig=None, title: str | None = None) -> None:
    """CSV and Excel downloads of the data behind a chart or a table, for a reader (and the chart as
    PNG, given `fig`): headers and codes in `lang`, values as the screen shows them; the Excel file
    opens on `title`, the filters, the sources, the data version and the date. The buttons' help
    says which kind of file this is (the « Données » page exports the data themselves). `df` may be
    a function that returns the rows: then they are read only when a file is asked for."""
    # A horizontal row sized to its buttons: fixed columns cut the labels in a half-width column.
    row = st.container(horizontal=True)
    if fig is not None:
        png_download(fig, name, lang, key=key or name, title=title, container=row)
    rows = functools.cache(df) if callable(df) else (lambda: df)
    block = about(rows, title, lang)
    # Files are built only when clicked (a callable): exports on every rerun cost more than the page.
    row.download_button(
        t("app.download_csv", lang), lambda: export.reader_csv(rows(), lang), file_name=f"{name}.csv",
        mime="text/csv", key=f"{key or name}-csv", width="content", help=t("export.help_reader", lang),
    )
    row.download_button(
        t("app.download_xlsx", lang), lambda: export.reader_excel(rows(), lang, block()), file_name=f"{name}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"{key or name}-xlsx", width="content", help=t("export.help_reader", lang),
    )


# Rows above which a dataset is offered as CSV only: openpyxl wrote 51 380 ODA rows in 6.8 s on 2
# shared cores (the CSV in 1.2 s), so 100 000 rows is some 15 s after a click.
EXCEL_DATA_ROWS = 100_000


def dataset_downloads(dataset, lang: str, container=None) -> None:
    """The « Données » page's export of `dataset` (a contract Dataset): its current rows under the
    contract's headers and codes, every digit kept, to edit and upload again (CSV; Excel too
    below EXCEL_DATA_ROWS rows). Built when clicked."""
    row = container or st.container(horizontal=True)
    rows = int(queries.frame("dataset_row_count", dataset=dataset.name)["rows"].iloc[0])
    columns = dataset.column_names

    def current():
        return queries.frame("dataset_rows", dataset=dataset.name)

    help_text = t("export.help_data", lang) + " " + t("export.data_rows", lang, name=dataset.name, rows=fmt.number(rows, lang))
    row.download_button(
        t("export.data_csv", lang), lambda: export.data_csv(current(), columns),
        file_name=f"donnees-{dataset.name}.csv", mime="text/csv", key="data_export_csv", width="content",
        help=help_text, icon=":material/download:",
    )
    if rows <= EXCEL_DATA_ROWS:
        row.download_button(
            t("export.data_xlsx", lang), lambda: export.data_excel(current(), columns),
            file_name=f"donnees-{dataset.name}.xlsx", key="data_export_xlsx", width="content", help=help_text,
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", icon=":material/download:",
        )
    else:
        st.caption(t("export.data_excel_too_big", lang, rows=fmt.number(EXCEL_DATA_ROWS, lang)))


def table(data, name: str, lang: str, download_key: str, download=None, caption: str | None = None,
          title: str | None = None, room: int | None = None, **options) -> None:
    """A st.dataframe (`options` are its own) with, under it, the CSV and Excel downloads of its data.

    The pages show tables only through here: Streamlit's own « Download as CSV » is off
    (`client.disableDataExport` in .streamlit/config.toml) because it bypasses atlas.exports, so every
    table offers ours. `download`: the rows exported when the table shows something else (amounts
    written out, labels translated), numbers as numbers; by default the table's data itself.
    `title`: what the table is, the first line of its Excel file. `download` may be a function (see downloads).
    The columns are sized to fit `room` px (TABLE_ROOM by default) with every header and word whole
    (see `fitted`).
    """
    shown, options = fitted(data, room or TABLE_ROOM, options)
    st.dataframe(shown, **options)
    if caption:
        st.caption(caption)
    downloads(data if download is None else download, name, lang, key=download_key, title=title)


def share_url(path: str | None = None) -> str:
    """The address of the current view: the page's URL with the current query parameters.

    `path` is the page's url_path: after st.switch_page the address the browser reports keeps
    the previous page's path (Streamlit 1.67), so a page that can be switched to names its own.
    """
    from urllib.parse import urlencode, urlsplit, urlunsplit

    parts = urlsplit(st.context.url or "")
    if path is not None:
        base = parts.path.rsplit("/", 1)[0] if parts.path.count("/") > 1 else ""
        parts = parts._replace(path=f"{base}/{path}")
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(url_state.as_dict()), ""))


def share_link(lang: str, path: str | None = None) -> None:
    """« Copier le lien »: the full URL of this view in a code box, whose copy button works offline."""
    with st.popover(t("app.share_link", lang), icon=":material/link:"):
        st.caption(t("app.share_link_help", lang))
        st.code(share_url(path), language=None, wrap_lines=True)


# --- Charts with their finding, sources (analysts' pages) -------------------------------------


def arrow(after: float, before: float) -> str:
    """The `delta_arrow` of a metric whose delta says « N before »: up, down, or none if unchanged."""
    return "up" if after > before else "down" if after < before else "off"


def no_data(lang: str) -> None:
    """The empty state of a selection that holds nothing: a sentence, never an empty axis."""
    st.info(t("app.no_data", lang), icon=":material/search_off:")


def empty_selection(lang: str) -> None:
    """A selection that holds nothing: said once, with the page's footer, instead of one notice per
    chart and table below (the filters above stay, to widen it)."""
    no_data(lang)
    footer(lang)
    st.stop()


def chart(df, build, lang: str, name: str, key: str, caption: str | None = None, download=None, **kwargs) -> None:
    """A figure under a heading that states its finding, its caption, and the data behind it as
    CSV and Excel; a clear message instead of an empty axis when the selection holds no data."""
    if df.empty:
        no_data(lang)
        return
    # Built once per input and kept: plotly's validation of a chart cost 20–60 CPU-ms of every view.
    fig = _kept_chart(build, f"{build.__module__}.{build.__qualname__}", (df,), {"lang": lang, **kwargs})
    finding = fig.finding
    st.subheader(finding, anchor=False)
    plotly(fig, key=key)
    if caption:
        st.caption(caption)
    downloads(df if download is None else download, name, lang, key=key, fig=fig, title=finding)


def sources(values, lang: str) -> None:
    """The distinct sources behind what the page shows, in an expander « Sources »."""
    distinct = sorted({str(v) for v in values if isinstance(v, str) and v.strip()})
    view.note_sources(distinct)  # the page's sources, for the first block of its Excel downloads
    with st.expander(t("app.sources", lang, count=len(distinct))):
        if distinct:
            st.markdown("\n".join(f"- {escape_markdown(v)}" for v in distinct))
        else:
            st.write(t("app.no_sources", lang))


def escape_markdown(text: str) -> str:
    """Text from the data shown literally by st.markdown (no links, emphasis or HTML)."""
    return "".join("\\" + c if c in "\\`*_{}[]()#+-.!|<>~$" else c for c in text)


# --- Tables that fit the screen --------------------------------------------------------------------

WRAPPED_ROWS = 66  # px: st.dataframe wraps a cell's text only in rows taller than 4rem (64 px)
# A table of wrapped rows shows as many rows as TALL_TABLE px hold (all of a short one): Streamlit's
# own 400 px showed five rows of 66 px, and the key figures of the comparison lost their last row.
TALL_TABLE, HEADER_ROW = 640, 35
# px of a table at 1280×800, measured in chromium: 914 (880 inside an expander) since SCREEN_CSS's
# narrower margins, 818 (784) before. Wider screens stretch the columns (Streamlit shares the rest
# evenly among those that are not pinned).
TABLE_ROOM = 914
EXPANDER_ROOM = 880


def sized_column(label: str, width: int, kind=None, hidden: bool = False, **options):
    """A st.dataframe column that asks for `width` pixels. ui.table grants it as far as the room
    allows, never less than its header and its longest word (see `fitted`); wider screens stretch
    the columns in proportion, long texts wrap (row_height=WRAPPED_ROWS); a long header keeps its
    text as a tooltip as well (or `help`, given). `kind`: a st.column_config class (Column by
    default); `hidden`: shown only from the table's column menu (Streamlit's column classes take no
    such option, the config it makes does)."""
    kind = kind or st.column_config.Column
    config = kind(label, width=width, help=options.pop("help", label if 6 * len(label) + 12 > width else None), **options)
    return {**config, "hidden": True} if hidden else config


def fitted(data, room: int, options: dict) -> tuple[pd.DataFrame, dict]:
    """The data and st.dataframe options of a table whose shown columns fit `room` px at 1280 px
    (atlas/web/fit.py): each column at least as wide as its header and its longest word, as the
    grid draws them (a canvas that cuts a header too long and breaks a word too long anywhere),
    the rest of the room to the columns asking for more (their `sized_column` width, else room for
    their texts). A word that still cannot fit wraps after one of its hyphens, and wrapped rows grow
    to show their longest text. A width asked as a word (« large ») counts as none: the column is
    measured like the others."""
    frame = pd.DataFrame(data)
    config = dict(options.get("column_config") or {})
    wraps = (options.get("row_height") or 0) >= WRAPPED_ROWS
    if not options.get("hide_index"):
        room -= fit.cell_px(max((fit.text_px(str(i)) for i in frame.index), default=0))
    if options.get("on_select", "ignore") != "ignore" and "row" in str(options.get("selection_mode", "multi-row")):
        room -= fit.ROW_MARKERS
    names, columns = [], []
    for name in options.get("column_order") or list(frame.columns):
        spec = config.get(name, str(name))
        if name not in frame.columns or spec is None or (isinstance(spec, dict) and spec.get("hidden")):
            continue
        spec = {"label": spec} if isinstance(spec, str) else dict(spec)
        kind = (spec.get("type_config") or {}).get("type")
        texts = fit.shown_texts(frame[name], kind, (spec.get("type_config") or {}).get("format"))
        asked = spec.get("width") if isinstance(spec.get("width"), int) else None
        textual = kind in (None, "text") and (pd.api.types.is_object_dtype(frame[name]) or pd.api.types.is_string_dtype(frame[name]))
        columns.append(fit.Column(spec.get("label") or str(name), texts, wraps and textual, asked, checkbox=kind == "checkbox"))
        names.append((name, spec))
    if not columns:
        return frame, options
    wrapped = []
    for (name, spec), column, width in zip(names, columns, fit.widths(columns, room)):
        config[name] = {**spec, "width": width}
        if column.hyphens:
            text_room = width - 2 * fit.PADDING - fit.WRAP_SLACK
            frame[name] = [fit.break_after_hyphens(v, text_room) if isinstance(v, str) else v for v in frame[name]]
        if column.wraps:
            wrapped.append(([v for v in frame[name].drop_duplicates() if isinstance(v, str)][-fit.MEASURED:], width))
    options = {**options, "column_config": config}
    if wraps:  # rows tall enough for the longest text; as many shown at once as TALL_TABLE px hold
        options["row_height"] = fit.row_height(wrapped, options["row_height"])
        if "height" not in options:
            shown_rows = min(len(frame), max(3, TALL_TABLE // options["row_height"]))
            options["height"] = HEADER_ROW + shown_rows * options["row_height"] + 2
    return frame, options


@st.cache_data(max_entries=32, show_spinner=False)
def _png(figure_json: str, title: str | None) -> bytes:
    # Keyed by the figure itself: the same chart clicked twice (or by two users) renders once.
    import plotly.io as pio

    from atlas.figures import deck_files as deck

    return deck.figure_png(png_figure(pio.from_json(figure_json), title))


PNG_TITLE_ROOM = 90  # px of the 1080-px image above the legend: the title (30 px type) and air


def png_figure(fig, title: str | None):
    """The figure as exported to PNG: larger type, its finding as title above the legend, and
    margins that grow to hold every tick label and axis title. On screen Streamlit's theme turns
    the axes' automargin on; kaleido draws the bare figure, whose margins (0 at the bottom and
    left) cut the years and amounts."""
    from atlas.figures.deck_files import HEIGHT

    fig.update_layout(font={"size": 22}, legend={"font": {"size": 20}})
    fig.update_xaxes(automargin=True)
    fig.update_yaxes(automargin=True)
    if title:
        # The legend hangs under the title (container coordinates) and pushes the plot down by as
        # many rows as it wraps to; anchored to the plot instead, a three-row legend covered the title.
        fig.update_layout(
            title={"text": title, "font": {"size": 30}, "x": 0.02, "xref": "container", "y": 1, "yref": "container",
                   "yanchor": "top", "pad": {"t": 30}},
            legend={"yref": "container", "y": 1 - PNG_TITLE_ROOM / HEIGHT, "yanchor": "top"},
            margin={"t": 110, "l": 20, "r": 40, "b": 20},
        )
    return fig


def png_download(fig, name: str, lang: str, key: str, title: str | None = None, container=None) -> None:
    """The chart as a 1920×1080 PNG (with its finding as title), rendered offline only on click.

    Rendering starts chromium (seconds), so a rerun of the page never renders: a first button
    renders and keeps the image for this figure; a download button then hands it over.
    """
    container = container or st.container(horizontal=True)
    held = st.session_state.get(f"{key}-png-bytes")
    figure_json = fig.to_json() if held else None
    if held and held[0] == (figure_json, title):
        container.download_button(
            t("app.download_png_ready", lang), held[1], file_name=f"{name}.png", mime="image/png",
            key=f"{key}-png-dl", width="content", icon=":material/download:",
        )
    elif container.button(t("app.download_png", lang), key=f"{key}-png", help=t("app.download_png_help", lang),
                          icon=":material/image:", width="content"):
        figure_json = figure_json or fig.to_json()
        with st.spinner(t("app.download_png_help", lang)):
            st.session_state[f"{key}-png-bytes"] = ((figure_json, title), _png(figure_json, title))
        st.rerun()  # shows the download button in place of this one
