"""Shareable views: the one place that reads and writes the URL's query parameters.

A link that a decision-maker copies must reopen exactly the same view; a link that was mistyped
or tampered with must give a notice and the defaults, never an exception. Values are parsed
from text only (typed, bounded); nothing is ever unpickled or evaluated. Pages bind their widgets
to the link through the filters here (seeded once from the link, written back, left out of it
when at their default) and never touch `st.query_params` themselves.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import streamlit as st

from atlas.figures import since_last_meeting as changes
from atlas.figures.slides import PARAMS, SLIDES, DeckSpec
from atlas.web import view
from atlas.words.i18n import t

SEPARATOR = "~"  # between several values: never part of a code or an entity name


class QueryState:
    """Reads typed values from a mapping of query parameters and collects French notices."""

    def __init__(self, query: Mapping[str, str], lang: str = "fr"):
        self.query = query
        self.lang = lang
        self.notices: list[str] = []

    def _reject(self, name: str, value: str) -> None:
        self.notices.append(t("params.invalid", self.lang, name=name, value=value[:60]))

    def choice(self, name: str, allowed: Sequence[str], default: str | None) -> str | None:
        value = self.query.get(name)
        if value is None:
            return default
        if value in allowed:
            return value
        self._reject(name, value)
        return default

    def many(self, name: str, allowed: Sequence[str]) -> list[str]:
        """Several values from `allowed`, in the order given; unknown ones are dropped with a notice."""
        value = self.query.get(name)
        if not value:
            return []
        chosen = [v for v in value.split(SEPARATOR) if v]
        unknown = [v for v in chosen if v not in allowed]
        if unknown:
            self._reject(name, SEPARATOR.join(unknown))
        return list(dict.fromkeys(v for v in chosen if v in allowed))

    def year_range(self, name: str, bounds: tuple[int, int]) -> tuple[int, int]:
        """`2018-2024` within bounds (inclusive); the whole span by default."""
        value = self.query.get(name)
        if value is None:
            return bounds
        parts = value.split("-")
        if len(parts) == 2 and all(p.isdigit() and len(p) == 4 for p in parts):
            start, end = int(parts[0]), int(parts[1])
            if bounds[0] <= start <= end <= bounds[1]:
                return start, end
        self._reject(name, value)
        return bounds


def encode_many(values: Sequence[str]) -> str:
    return SEPARATOR.join(values)


def encode_year_range(years: tuple[int, int]) -> str:
    return f"{years[0]}-{years[1]}"


# --- The link itself: the only code that touches st.query_params ------------------------------


def get(param: str) -> str | None:
    """The raw text of `param` in the link, or None; the caller checks it against what it allows."""
    return st.query_params.get(param)


def put(param: str, value: str | None, default: str | None = None) -> None:
    """Write `value` to the link as `param`; None, or the default, leaves it out (links stay short)."""
    if value is None or value == default:
        st.query_params.pop(param, None)
    else:
        st.query_params[param] = value


def drop(*params: str) -> None:
    for param in params:
        st.query_params.pop(param, None)


def update(values: Mapping[str, str]) -> None:
    st.query_params.update(values)


def as_dict() -> dict[str, str]:
    return st.query_params.to_dict()


def number(param: str, default: int, low: int, high: int) -> int:
    """A whole number from the link, kept within [low, high]; `default` when absent or not a number."""
    try:
        value = int(get(param) or default)
    except ValueError:
        value = default
    return min(max(value, low), high)


def flag(param: str) -> bool:
    """A switch kept in the link as `param=1`."""
    return get(param) == "1"


def put_flag(param: str, on: bool) -> None:
    put(param, "1" if on else None)


def query_state(lang: str):
    """The validated view of the URL's query parameters (see atlas.web.url_state)."""
    return QueryState(st.query_params, lang)


def show_notices(state) -> None:
    for notice in state.notices:
        st.warning(notice, icon=":material/link:")



# --- Widgets bound to the link ---------------------------------------------------------------------


def many_filter(state, param: str, label: str, options, lang: str, key: str, format_func=str, container=st):
    """A multiselect seeded once from the link (?param=a~b) and written back to it; [] = all."""
    options = list(options)
    if key not in st.session_state:
        st.session_state[key] = state.many(param, options)
    else:  # a value that has left the data (after an import) must not break the widget
        st.session_state[key] = [v for v in st.session_state[key] if v in options]
    chosen = container.multiselect(label, options, key=key, format_func=format_func, placeholder=t("app.filter_all", lang))
    put(param, encode_many(chosen) or None)
    view.note_filter(label, ", ".join(str(format_func(c)) for c in chosen))  # for the downloads' first block
    return chosen


def year_filter(state, param: str, label: str, bounds: tuple[int, int], key: str, container=st) -> tuple[int, int]:
    """A year-range slider seeded once from the link (?param=2018-2024) and written back to it."""
    if bounds[0] == bounds[1]:  # a slider needs two distinct ends
        view.note_filter(label, str(bounds[0]))
        return bounds
    if key not in st.session_state:
        st.session_state[key] = state.year_range(param, bounds)
    years = container.slider(label, bounds[0], bounds[1], key=key, step=1)
    put(param, encode_year_range(years), default=encode_year_range(bounds))
    view.note_filter(label, f"{int(years[0])}–{int(years[1])}")
    return int(years[0]), int(years[1])


def fit_years(key: str, bounds: tuple[int, int]) -> None:
    """Keep a year slider's state (`key`) inside `bounds` when they change (the map's metric: ODA
    2018–2025, missions to 2027): the whole new span if the whole old one was shown or nothing
    overlaps, else the part of the chosen years that lies inside. Call before the slider."""
    shown, before = st.session_state.get(key), st.session_state.get(f"{key}__bounds")
    st.session_state[f"{key}__bounds"] = bounds
    if shown is None or tuple(shown) == before:
        st.session_state[key] = bounds
        return
    start, end = max(int(shown[0]), bounds[0]), min(int(shown[1]), bounds[1])
    st.session_state[key] = (start, end) if start <= end else bounds


def text_filter(param: str, label: str, key: str, container=st, max_chars: int = 100) -> str:
    """A free-text filter seeded once from the link and written back to it ('' = none)."""
    if key not in st.session_state:
        st.session_state[key] = (get(param) or "")[:max_chars]
    text = container.text_input(label, key=key, max_chars=max_chars).strip()
    put(param, text or None)
    view.note_filter(label, text)
    return text


# --- A committee deck in a link (the « Présentation » page) ----------------------------------------


def spec_from_query(query, opts: dict[str, list[str]], lang: str = "fr") -> tuple[DeckSpec, list[str]]:
    """The deck described by the link's parameters, and notices for values that were rejected."""
    state = QueryState(query, lang)
    years = [int(y) for y in opts.get("year", [])]
    year_from = year_to = None
    if years and PARAMS["years"] in query:
        year_from, year_to = state.year_range(PARAMS["years"], (min(years), max(years)))
    reference = query.get(PARAMS["reference"])
    if reference is not None and changes.Reference.parse(reference) is None:
        state.notices.append(t("params.invalid", lang, name=PARAMS["reference"], value=reference[:60]))
        reference = None
    spec = DeckSpec(
        tuple(state.many(PARAMS["slides"], SLIDES)) or SLIDES, year_from, year_to,
        tuple(state.many(PARAMS["entities"], opts.get("entity", []))),
        tuple(state.many(PARAMS["countries"], opts.get("country", []))), reference,
    )
    return spec, state.notices


def spec_to_query(spec: DeckSpec) -> dict[str, str]:
    """The link parameters of a deck (only those that differ from the defaults)."""
    query = {}
    if tuple(spec.slides) != SLIDES:
        query[PARAMS["slides"]] = encode_many(spec.slides)
    if spec.year_from is not None and spec.year_to is not None:
        query[PARAMS["years"]] = encode_year_range((spec.year_from, spec.year_to))
    if spec.entities:
        query[PARAMS["entities"]] = encode_many(spec.entities)
    if spec.countries:
        query[PARAMS["countries"]] = encode_many(spec.countries)
    if spec.reference:
        query[PARAMS["reference"]] = spec.reference
    return query
