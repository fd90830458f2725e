"""What the reader is looking at in this run of a page: the filters they chose and the sources the
page lists. A page's Excel downloads write both in their first block, so a file read away from
the screen still says what it holds.

`start` opens a fresh record at the top of every page run (atlas/web/ui.py `lang`); the filters of
atlas/web/url_state.py and `ui.sources` fill it as the page runs; a download, built when clicked
(after the run), reads the record of the run that drew its button.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import streamlit as st

KEY = "_atlas_view"


@dataclass
class View:
    filters: list[tuple[str, str]] = field(default_factory=list)  # (label, chosen values) as shown
    sources: list[str] = field(default_factory=list)  # the distinct sources the page lists


def start() -> View:
    st.session_state[KEY] = View()
    return st.session_state[KEY]


def current() -> View:
    view = st.session_state.get(KEY)
    return view if isinstance(view, View) else start()


def note_filter(label: str, chosen: str) -> None:
    """A filter the reader set, as the page shows it (« Années », « 2018–2024 »); '' notes nothing."""
    if chosen:
        current().filters.append((label, chosen))


def note_sources(sources: list[str]) -> None:
    current().sources[:] = sources
