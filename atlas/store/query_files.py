"""The named queries of queries/: one SELECT per .sql file, found by name in its folder
(pages/, summaries/, stand_ins/, deck/), run with bound parameters.

A first line « -- over: other » makes a query read named query `other`'s result as a table: the
ODA page's six charts read one aggregate (queries/pages/oda_page_cube.sql), computed once per
filters, or a stand-in over sums stored at import (atlas/reading/stand_ins.py says which).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import duckdb
import pandas as pd

from atlas.errors import AtlasError
from atlas.store.paths import QUERIES_DIR

OVER = re.compile(r"^-- over: (\w+)\s*$", re.M)
COMMENT = re.compile(r"--[^\n]*")


@cache
def _files() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for path in sorted(QUERIES_DIR.rglob("*.sql")):
        if path.stem in found:  # a name must say which query it is, whatever its folder
            raise AtlasError(f"deux requêtes s'appellent {path.stem} : {found[path.stem]} et {path}.")
        found[path.stem] = path
    return found


def path_of(name: str) -> Path:
    """The file of named query `name`, in whichever folder of queries/ it sits."""
    try:
        return _files()[name]
    except KeyError:
        raise AtlasError(f"aucune requête ne s'appelle {name} dans queries/.") from None


@cache
def sql(name: str) -> str:
    """The text of the named query `name` (queries/<folder>/<name>.sql)."""
    return path_of(name).read_text(encoding="utf-8")


def over(name: str) -> str | None:
    """The named query whose result query `name` reads as a table, from its « -- over: » line.

    Such a query works on a small aggregate computed once for several queries (the ODA page's
    charts: queries/pages/oda_page_cube.sql) rather than on the rows.
    """
    found = OVER.search(sql(name))
    return found.group(1) if found else None


def execute(con: duckdb.DuckDBPyConnection, name: str, params: dict, base=None) -> duckdb.DuckDBPyConnection:
    """Run the named query on `con`; fetch the result from what this returns (`.df()`, ...).

    A query « -- over: other » gets `other`'s result as a table named `other`, and only the
    parameters its own text uses. That result is `base` when it is a DataFrame; else the named
    query `base` (one with the same columns, standing in for `other`), or `other`, run here with
    all the parameters.
    """
    source = over(name)
    if source is None:
        return con.execute(sql(name), params)
    if base is None or isinstance(base, str):
        base = execute(con, base or source, params).df()
    con.register(source, base)
    text = COMMENT.sub("", sql(name))
    return con.execute(sql(name), {k: v for k, v in params.items() if re.search(rf"\${k}\b", text)})


def q(identifier: str) -> str:
    """Quote an identifier that comes from the contract, never from a user."""
    return '"' + identifier.replace('"', '""') + '"'


def runner(db):
    """Run named queries on `db` (a Database) outside Streamlit: the command line, tests."""
    con = db.reader()

    def run(name: str, **params) -> pd.DataFrame:
        return execute(con, name, params).df()

    return run
