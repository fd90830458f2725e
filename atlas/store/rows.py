"""Versioned rows: every dataset keeps all its versions.

Each dataset lives in `_rows_<dataset>` with the version that added each row and the one that
removed it; the view named after the dataset shows the current rows. Any past state can thus be
rebuilt (`state_at_sql`, and the macro `as_of_version` for the queries), and a rollback is one
more import. `apply` makes a dataset hold a new state, recording a version on the rows it touches.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass

import duckdb

from atlas.contract import Dataset
from atlas.errors import AtlasError
from atlas.store.query_files import q

META_COLUMNS = "_added_in INTEGER NOT NULL, _removed_in INTEGER"
# « The rows as they were right after version v », written once: a macro that create_schema puts
# in the published file, used by state_at_sql and by the queries of queries/deck/changes_*.sql.
AS_OF_VERSION = (
    "CREATE OR REPLACE MACRO as_of_version(added_in, removed_in, v) AS "
    "added_in <= v AND (removed_in IS NULL OR removed_in > v)"
)


@dataclass(frozen=True)
class Change:
    added: int = 0
    changed: int = 0
    removed: int = 0

    @property
    def total(self) -> int:
        return self.added + self.changed + self.removed


def next_version(con: duckdb.DuckDBPyConnection) -> int:
    return con.execute("SELECT coalesce(max(version), 0) + 1 FROM _versions").fetchone()[0]


def _same(columns: list[str], left: str, right: str) -> str:
    return " AND ".join(f"{left}.{q(c)} IS NOT DISTINCT FROM {right}.{q(c)}" for c in columns)


def new_state_sql(ds: Dataset, staging: str, mode: str) -> str:
    """SQL for the rows the dataset will hold after importing `staging` in `mode`."""
    names = ", ".join(q(c) for c in ds.column_names)
    scoped, within = scoped_state_sql(ds, staging, mode)
    if within is None:
        return scoped
    return f"{scoped} UNION ALL SELECT {names} FROM {q(ds.name)} cur WHERE NOT ({within})"


def scoped_state_sql(ds: Dataset, staging: str, mode: str) -> tuple[str, str | None]:
    """What importing `staging` in `mode` replaces: (the rows of its scope after the import, the
    scope as a condition on a current row `cur`), or (the whole new state, None) for `replace`.

    `upsert` replaces the current rows whose key is in the file, `years` those whose `years_scope`
    (oda: entity and year) is; every other row is kept as it is. So `apply` compares only the
    scope: a 1 000-row annual file against 5 000 000 stored rows reads the rows of its (entity,
    year) pairs, not all of them, and the change is the same (tests/test_scoped_apply.py checks
    it against the whole new state)."""
    names = ", ".join(q(c) for c in ds.column_names)
    if mode == "replace":
        return f"SELECT {names} FROM {staging}", None
    if mode == "upsert":
        if not ds.key:
            raise AtlasError(
                f"le mode upsert demande une clé ; le jeu {ds.name} n'en a pas : utilisez replace ou years."
            )
        within = f"EXISTS (SELECT 1 FROM {staging} s WHERE {_same(list(ds.key), 'cur', 's')})"
    elif mode == "years":
        if not ds.year_column:
            raise AtlasError(
                f"le mode years ne vaut que pour oda et oda_national, pas pour {ds.name}."
            )
        scope = list(ds.years_scope)
        within = (
            f"EXISTS (SELECT 1 FROM (SELECT DISTINCT {', '.join(map(q, scope))} FROM {staging}) s "
            f"WHERE {_same(scope, 'cur', 's')})"
        )
    else:
        raise AtlasError(f"mode d'import inconnu « {mode} » : replace, upsert ou years.")
    return f"SELECT {names} FROM {staging}", within


def apply(con: duckdb.DuckDBPyConnection, ds: Dataset, new_state: str, version: int, within: str | None = None) -> Change:
    """Make the dataset hold `new_state` (a SELECT), recording `version` on the rows it touches.

    With `within` (a condition on a current row `cur`, from `scoped_state_sql`), `new_state` is
    only what replaces the current rows that meet it; the others stay as they are, unread.
    Rows are matched by the dataset's key; a dataset without a key (ODA transactions) goes to
    `_apply_unkeyed`, which matches whole rows, so duplicates are counted exactly.
    """
    current = f"FROM {q('_rows_' + ds.name)} cur WHERE cur._removed_in IS NULL" + (f" AND ({within})" if within else "")
    if not ds.key:
        return _apply_unkeyed(con, ds, new_state, version, current)
    rows = q("_rows_" + ds.name)
    cols = ds.column_names
    names = ", ".join(q(c) for c in cols)
    ident = list(ds.key)
    con.execute(f"CREATE OR REPLACE TEMP TABLE _new AS SELECT {names} FROM ({new_state})")
    con.execute(f"CREATE OR REPLACE TEMP TABLE _cur AS SELECT rowid AS _rid, {names} {current}")
    dupes = con.execute(
        f"SELECT count(*) FROM (SELECT 1 FROM _new GROUP BY {', '.join(q(k) for k in ds.key)} HAVING count(*) > 1)"
    ).fetchone()[0]
    if dupes:
        raise AtlasError(f"{dupes} clés en double dans le résultat de l'import ({ds.name}).")
    added = con.execute(
        f"SELECT count(*) FROM _new n WHERE NOT EXISTS (SELECT 1 FROM _cur c WHERE {_same(ident, 'c', 'n')})"
    ).fetchone()[0]
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE _gone AS
        SELECT c._rid, EXISTS (SELECT 1 FROM _new n WHERE {_same(ident, 'c', 'n')}) AS _changed
        FROM _cur c
        WHERE NOT EXISTS (SELECT 1 FROM _new n WHERE {_same(ident, 'c', 'n')} AND {_same(cols, 'c', 'n')})"""
    )
    changed, removed = con.execute(
        "SELECT count(*) FILTER (_changed), count(*) FILTER (NOT _changed) FROM _gone"
    ).fetchone()
    con.execute(f"UPDATE {rows} SET _removed_in = $v WHERE rowid IN (SELECT _rid FROM _gone)", {"v": version})
    con.execute(
        f"""INSERT INTO {rows} ({names}, _added_in)
        SELECT {names}, $v FROM _new n
        WHERE NOT EXISTS (SELECT 1 FROM _cur c WHERE {_same(ident, 'c', 'n')} AND {_same(cols, 'c', 'n')})""",
        {"v": version},
    )
    return Change(added=added, changed=changed, removed=removed)


# How `_apply_unkeyed` hashes a row; `{}` is the list of columns. A test swaps in a hash with
# many collisions to check that a collision never loses or invents a row.
ROW_HASH = "hash({})"


def _apply_unkeyed(con: duckdb.DuckDBPyConnection, ds: Dataset, new_state: str, version: int, current: str) -> Change:
    """`apply` for rows without a key: an exact multiset difference, paired by a hash of each row.

    Comparing whole rows (a join or a window over every column of a million rows) cost more than
    the rest of an import, 10 s when reloading an unchanged file. Here rows are paired by a 64-bit
    hash of all their columns: a hash found on one side only is rows added or removed outright.
    For a hash found on both sides, every row bearing it is compared on all columns with one row
    of the current data (its representative); when all are equal the copies are simply counted,
    min(new, current) kept. A hash whose rows differ (a collision) is settled by comparing whole
    rows, numbering the copies of each, so a collision costs time, never a row. `current` is the
    FROM and WHERE of the current rows to compare (all of them, or a scope: see `apply`).
    """
    rows = q("_rows_" + ds.name)
    cols = ds.column_names
    names = ", ".join(q(c) for c in cols)
    row_hash = ROW_HASH.format(names)

    def cols_of(alias: str) -> str:
        return ", ".join(f"{alias}.{q(c)}" for c in cols)

    con.execute(f"CREATE OR REPLACE TEMP TABLE _new AS SELECT {names}, {row_hash} AS _h FROM ({new_state})")
    con.execute(f"CREATE OR REPLACE TEMP TABLE _cur AS SELECT rowid AS _rid, {row_hash} AS _h {current}")
    # Hashes on both sides: copies in the new (_nc) and current (_cc) rows, and a current row (_rep).
    # (Joined before counting the new rows: a first import against a few current rows then
    # counts only those few.)
    con.execute(
        """CREATE OR REPLACE TEMP TABLE _hc AS
        SELECT _h, count(*) AS _nc, any_value(c._cc) AS _cc, any_value(c._rep) AS _rep
        FROM _new JOIN (SELECT _h, count(*) AS _cc, min(_rid) AS _rep FROM _cur GROUP BY _h) c USING (_h)
        GROUP BY _h"""
    )
    # Hashes whose rows are not all equal to their representative, on either side.
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE _mixed AS
        SELECT DISTINCT n._h FROM _new n JOIN _hc g USING (_h) JOIN {rows} r ON r.rowid = g._rep
        WHERE NOT ({_same(cols, 'n', 'r')})"""
    )
    if con.execute("SELECT count(*) FROM _hc WHERE _cc > 1").fetchone()[0]:
        con.execute(
            f"""INSERT INTO _mixed
            SELECT DISTINCT c._h FROM _cur c JOIN _hc g USING (_h) JOIN {rows} x ON x.rowid = c._rid
            JOIN {rows} r ON r.rowid = g._rep
            WHERE g._cc > 1 AND NOT ({_same(cols, 'x', 'r')})"""
        )
    mixed = con.execute("SELECT count(*) FROM _mixed").fetchone()[0]
    # Rows of hashes found on one side only, then surplus copies of hashes whose rows are all equal.
    gone = [
        "SELECT _rid FROM _cur WHERE _h NOT IN (SELECT _h FROM _hc)",
        """SELECT _rid FROM (
            SELECT c._rid, g._nc, row_number() OVER (PARTITION BY c._h ORDER BY c._rid) AS _k
            FROM _cur c JOIN _hc g USING (_h) WHERE g._cc > g._nc AND g._h NOT IN (SELECT _h FROM _mixed))
        WHERE _k > _nc""",
    ]
    added = [
        f"SELECT {names} FROM _new WHERE _h NOT IN (SELECT _h FROM _hc)",
        f"""SELECT {names} FROM (
            SELECT n.*, g._cc, row_number() OVER (PARTITION BY n._h) AS _k FROM _new n JOIN _hc g USING (_h)
            WHERE g._nc > g._cc AND g._h NOT IN (SELECT _h FROM _mixed))
        WHERE _k > _cc""",
    ]
    if mixed:
        # Collisions: the n-th copy of a row pairs with the n-th copy of the same row.
        con.execute(
            f"""CREATE OR REPLACE TEMP TABLE _mn AS
            SELECT {names}, row_number() OVER (PARTITION BY {names}) AS _k
            FROM _new WHERE _h IN (SELECT _h FROM _mixed)"""
        )
        con.execute(
            f"""CREATE OR REPLACE TEMP TABLE _mc AS
            SELECT c._rid, {cols_of('x')}, row_number() OVER (PARTITION BY {cols_of('x')} ORDER BY c._rid) AS _k
            FROM _cur c JOIN {rows} x ON x.rowid = c._rid WHERE c._h IN (SELECT _h FROM _mixed)"""
        )
        pair = f"{_same(cols, 'a', 'b')} AND a._k = b._k"
        gone.append(f"SELECT _rid FROM _mc a WHERE NOT EXISTS (SELECT 1 FROM _mn b WHERE {pair})")
        added.append(f"SELECT {names} FROM _mn a WHERE NOT EXISTS (SELECT 1 FROM _mc b WHERE {pair})")
    con.execute("CREATE OR REPLACE TEMP TABLE _gone AS " + " UNION ALL ".join(gone))
    (removed,) = con.execute(
        f"UPDATE {rows} SET _removed_in = $v WHERE rowid IN (SELECT _rid FROM _gone)", {"v": version}
    ).fetchone()
    (inserted,) = con.execute(
        f"INSERT INTO {rows} ({names}, _added_in) SELECT {names}, $v FROM ("
        + " UNION ALL ".join(added) + ")",
        {"v": version},
    ).fetchone()
    for table in ("_new", "_cur", "_hc", "_mixed", "_gone", "_mn", "_mc"):
        con.execute(f"DROP TABLE IF EXISTS temp.main.{table}")  # a million rows held in memory otherwise
    return Change(added=inserted, changed=0, removed=removed)


def state_at_sql(ds: Dataset, version: int) -> str:
    """SQL for the rows the dataset held right after `version` (an integer we produced)."""
    names = ", ".join(q(c) for c in ds.column_names)
    v = int(version)
    return f"SELECT {names} FROM {q('_rows_' + ds.name)} WHERE as_of_version(_added_in, _removed_in, {v})"


def record_version(
    con: duckdb.DuckDBPyConnection,
    version: int,
    action: str,
    dataset: str,
    change: Change,
    mode: str | None = None,
    file_name: str | None = None,
    sha256: str | None = None,
    user: str | None = None,
) -> None:
    con.execute(
        "INSERT INTO _versions VALUES ($v, now()::TIMESTAMP, $a, $d, $m, $f, $s, $u, $ad, $ch, $rm)",
        {
            "v": version, "a": action, "d": dataset, "m": mode, "f": file_name, "s": sha256,
            "u": user, "ad": change.added, "ch": change.changed, "rm": change.removed,
        },
    )


def sha256_of(path: str | os.PathLike) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
