"""« Emporter la fiche »: the country briefing note as Word, PDF and Excel, one click each.

The files are built only when a button is clicked (a callable), all three at once and cached by
country, language, day and data stamp: the first click renders the charts and prints the PDF in the
server's kept chromium (atlas/figures/chromium.py; under a second, about 2 s when it is the
process's first image and the browser starts) and the next ones are immediate.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from atlas.figures import briefing_files
from atlas.figures.briefing import build_briefing
from atlas.reading import queries
from atlas.words.i18n import t


@st.cache_data(max_entries=8, show_spinner=False)
def _files(iso3: str, lang: str, today: dt.date, stamp: tuple | None) -> dict[str, bytes]:
    # `stamp` keys the cache by data version: a new import gives a new note.
    files = briefing_files.build_files(build_briefing(queries.frame, iso3, lang, today))
    return {"docx": files.docx, "pdf": files.pdf, "xlsx": files.xlsx, "seconds": files.seconds}


def files(iso3: str, lang: str, today: dt.date) -> dict[str, bytes]:
    """The three files of the note (and `seconds`, the time the first build took)."""
    return _files(iso3, lang, today, queries.stamp())


def buttons(iso3: str, lang: str, today: dt.date, container=None) -> None:
    """Three download buttons, each building the note on click (see the module's docstring)."""
    row = container or st.container(horizontal=True)
    icons = {"docx": ":material/description:", "pdf": ":material/picture_as_pdf:", "xlsx": ":material/table:"}
    for kind in ("docx", "pdf", "xlsx"):
        row.download_button(
            t(f"country.briefing_{kind}", lang), lambda kind=kind: files(iso3, lang, today)[kind],
            file_name=f"fiche-pays-{iso3}-{lang}.{kind}", mime=briefing_files.MIME[kind], key=f"country-briefing-{kind}",
            icon=icons[kind], help=t("country.briefing_help", lang), width="content",
        )
