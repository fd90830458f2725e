"""Runs the named queries of queries/ with bound parameters, cached by data version.

Every cache entry is keyed by the published database's stamp (inode, mtime, size), so an import
or a rollback shows at once and nothing stale survives it. Saved decks are cached on their own
file's stamp. A query over the ODA page's aggregate reads the stored stand-in that
atlas/reading/stand_ins.py names for its parameters.
"""

from __future__ import annotations

from typing import NamedTuple

import pandas as pd
import streamlit as st

from atlas.reading.stand_ins import stand_in
from atlas.store import Database, execute, over
from atlas.store.decks import Decks


def database() -> Database:
    return Database()


@st.cache_resource(max_entries=2, show_spinner=False)
def _reader(path: str, stamp: tuple):
    # One read-only instance per published file; a new stamp opens the new file.
    return Database(path).reader()


@st.cache_data(max_entries=512, show_spinner=False)
def _frame(path: str, stamp: tuple, name: str, params: tuple, base: str | None = None) -> pd.DataFrame:
    # DuckDB connections are not thread-safe; one cursor per query.
    cursor = _reader(path, stamp).cursor()
    try:
        cursor.execute("USE atlas")
        # A query over another's result (atlas.store.query_files.over) takes that result, or `base`'s, from this cache too.
        table = _frame(path, stamp, base or over(name), params) if over(name) else None
        return execute(cursor, name, dict(params), table).df()
    finally:
        cursor.close()


class Ask(NamedTuple):
    """A named query asked of one version of the data: its result without reading it. A small key
    for what is built from the result and kept (atlas.web.ui.figure): hashing a few values instead
    of the frames, which Streamlit's cache would unpickle and hash on every view."""

    path: str
    stamp: tuple | None
    name: str
    params: tuple
    base: str | None

    def frame(self) -> pd.DataFrame:
        return _frame(*self)


def ask(name: str, base: str | None = None, **params) -> Ask:
    """The named query with these parameters, on the published data as it is now (see `frame`)."""
    db = database()
    key = tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in params.items()))
    return Ask(str(db.path), db.stamp(), name, key, base or stand_in(over(name), params))


def frame(name: str, base: str | None = None, **params) -> pd.DataFrame:
    """The result of the named query, as a DataFrame (a copy: callers may change it).

    For a query « -- over: other », `other` comes from the stand-in the rule table names for
    these parameters (sums stored at import), else from the rows; `base` names another query
    with the same columns to use instead (benchmarks and tests compare both ways).
    """
    return ask(name, base, **params).frame()


def stamp() -> tuple | None:
    return database().stamp()


@st.cache_data(max_entries=4, show_spinner=False)
def _decks(path: str, stamp: tuple | None) -> pd.DataFrame:
    return Decks(Database(path)).frame()


def saved_decks() -> pd.DataFrame:
    """The committee decks saved by name (name, slides, filters, created_at, user_name), newest first."""
    decks = Decks(database())
    return _decks(str(decks.db.path), decks.stamp())
