"""Runs the named queries of queries/ with bound parameters, cached by data version.

Every cache entry is keyed by the published database's stamp (inode, mtime, size), so an import
or a rollback shows at once and nothing stale survives it.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from atlas.store import Database, execute, over


def database() -> Database:
    return Database()


def ensure_database() -> Database:
    """The published database, built from the shipped sample on first start, and brought to
    this code's schema when an older Atlas wrote it."""
    db = database()
    if not db.exists():
        from atlas.writes.versions import build

        with st.spinner("Première ouverture : construction de la base d'exemple…"):
            build(db)
    elif _missing_columns(str(db.path), db.stamp()):
        db.upgrade()
    return db


@st.cache_resource(max_entries=4, show_spinner=False)
def _missing_columns(path: str, stamp: tuple) -> list[str]:
    return Database(path).missing_columns()


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


def frame(name: str, base: str | None = None, **params) -> pd.DataFrame:
    """The result of the named query, as a DataFrame (a copy: callers may change it).

    `base`: for a query « -- over: other », a named query that stands in for `other`, with the
    same columns (the ODA page's charts drawn over sums stored at import, not over the rows).
    """
    db = database()
    key = tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in params.items()))
    return _frame(str(db.path), db.stamp(), name, key, base)


def stamp() -> tuple | None:
    return database().stamp()
