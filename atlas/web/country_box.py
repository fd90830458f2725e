"""The country search box: suggestions from atlas.geography.search as the person types, and Enter
opens the first one shown.

Streamlit's selectbox filters its options with its own fuzzy ranking in the browser, and opened
what our search found for the text typed: « Viet » listed Saint-Vincent and opened Viêt Nam,
« RDC » opened La Réunion. This box (a small `st.components.v2` component, country_box.js and
country_box.css beside this file, no outside request) lists what `search.find` returns for the
text typed, in the reader's language, and Enter opens the highlighted suggestion: the first one,
unless the arrow keys moved.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from functools import cache
from pathlib import Path

import streamlit as st

from atlas.geography import countries as geo
from atlas.geography import search
from atlas.words.i18n import t

HERE = Path(__file__).resolve().parent
LIMIT = 8  # suggestions listed: a glance, no scrolling
HTML = (
    '<div class="acs"><label for="acs-input"></label>'
    '<input id="acs-input" type="search" role="combobox" aria-autocomplete="list" aria-expanded="false"'
    ' aria-controls="acs-list" aria-describedby="acs-hint" autocomplete="off" spellcheck="false" maxlength="100">'
    '<ul id="acs-list" role="listbox" hidden></ul><div class="acs-empty" hidden></div>'
    '<div id="acs-hint" class="acs-hint"></div><div class="acs-status" role="status" aria-live="polite"></div></div>'
)


@cache
def _component():
    # Registered on first use, not at import: importing a module must not touch Streamlit.
    return st.components.v2.component(
        "atlas.country_box", html=HTML,
        css=(HERE / "country_box.css").read_text(encoding="utf-8"),
        js=(HERE / "country_box.js").read_text(encoding="utf-8"),
    )


def shown(query: str, lang: str, with_data: Collection[str] = (), label: str | None = None) -> dict:
    """What the box receives for `query`: its suggestions (ISO3 and label) and its words (its
    label: `label`, else « Pays »)."""
    query = (query or "").strip()[:100]
    found = search.find(query, LIMIT, with_data, lang) if query else []
    return {
        "query": query,
        "options": [{"iso3": iso3, "label": search.label(iso3, lang)} for iso3 in found],
        "label": label or t("country.search", lang),
        "placeholder": t("country.search_placeholder", lang),
        "hint": t("search.hint", lang),
        "empty": t("search.none", lang, text=query[:60]),
        "status": t("search.count_one" if len(found) == 1 else "search.count_other", lang, n=len(found))
        if found else t("search.none", lang, text=query[:60]),
    }


def chosen(pick, lang: str, with_data: Collection[str] = ()) -> str | None:
    """The country a pick names: a suggestion clicked or entered ({"iso3": …}), or, for text
    entered before its suggestions arrived ({"text": …}), the first one `search.find` lists."""
    if not isinstance(pick, dict):
        return None
    iso3 = pick.get("iso3")
    if isinstance(iso3, str):
        return iso3 if iso3 in geo.countries() else None
    text = pick.get("text")
    return search.first(text[:100], with_data, lang) if isinstance(text, str) else None


@st.fragment
def box(lang: str, with_data: frozenset[str], on_pick: Callable[[str], None], key: str = "country_box",
        label: str | None = None) -> None:
    """The search box. A country chosen in it is handed to `on_pick` (a page writes it to its
    link), then the whole page runs again; typing reruns only this box (a fragment)."""
    typed = (st.session_state.get(key) or {}).get("query") or ""
    result = _component()(key=key, data=shown(typed, lang, with_data, label), default={"query": ""},
                          on_query_change=lambda: None, on_pick_change=lambda: None)
    pick = result.get("pick")
    if not pick:
        return
    iso3 = chosen(pick, lang, with_data)
    if iso3:
        on_pick(iso3)
        st.rerun(scope="app")
    text = pick.get("text") if isinstance(pick, dict) else None
    st.warning(t("country.not_found", lang, text=str(text or "")[:60]), icon=":material/search_off:")
