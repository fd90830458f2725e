"""The only module that opens DuckDB: read connections, write transactions, versioned datasets.

Why snapshots: DuckDB lets one process hold a file read-write, and then no other process may open
it at all. So nobody ever writes the published file in place. A writer takes a lock file, copies
the published database to a temporary file next to it, imports there in one transaction, then
atomically renames the copy over the published file (`os.replace`). Readers attach the published
file read-only from their own in-memory instance: a reader that opened the old file keeps reading
it until it reconnects, a new reader sees the new file, and a writer killed at any moment leaves
only a stray temporary file. The published file's identity (inode, mtime, size) is the data stamp
that keys every cache.

Versions: each dataset lives in `_rows_<dataset>` with the version that added each row and the
one that removed it; the view named after the dataset shows the current rows. Any past state can
thus be rebuilt, and a rollback is one more import.
"""

from __future__ import annotations

import csv
import fcntl
import hashlib
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import duckdb

from atlas.contract import DATASETS, Dataset
from atlas.errors import AtlasError

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DB = ROOT / "data" / "atlas.duckdb"
REFERENCE_TABLES = {
    "countries": ROOT / "data" / "geo" / "countries.csv",
    "dac_sectors": ROOT / "data" / "reference" / "dac_sectors.csv",
}
META_COLUMNS = "_added_in INTEGER NOT NULL, _removed_in INTEGER"
# Aggregates stored beside the rows, each the result of queries/<name>.sql kept as the table
# <name>, with the dataset it summarises: a write that changes that dataset rebuilds it in the same
# transaction, so a summary is never older than its rows. Table _summaries records the definition
# each was computed by (`summary_definition`): a file from an Atlas whose query or reference data
# differed is brought up to date at start, like a missing column.
SUMMARIES = {
    "oda_country_summary": "oda", "oda_map_summary": "oda", "oda_flow_summary": "oda", "oda_provenance_summary": "oda",
}


def default_path() -> Path:
    """--db, else ATLAS_DB, else data/atlas.duckdb (DATA_CONTRACT.md)."""
    return Path(os.environ.get("ATLAS_DB") or DEFAULT_DB)


QUERIES_DIR = ROOT / "queries"


@cache
def sql(name: str) -> str:
    """The text of queries/<name>.sql."""
    return (QUERIES_DIR / f"{name}.sql").read_text(encoding="utf-8")


OVER = re.compile(r"^-- over: (\w+)\s*$", re.M)
COMMENT = re.compile(r"--[^\n]*")


def over(name: str) -> str | None:
    """The named query whose result query `name` reads as a table, from its « -- over: » line.

    Such a query works on a small aggregate computed once for several queries (the ODA page's
    charts: queries/oda_page_cube.sql) rather than on the rows.
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


def scratch() -> duckdb.DuckDBPyConnection:
    """A private in-memory database, for staging and validating a file."""
    return duckdb.connect()


@dataclass(frozen=True)
class Change:
    added: int = 0
    changed: int = 0
    removed: int = 0

    @property
    def total(self) -> int:
        return self.added + self.changed + self.removed


class Database:
    def __init__(self, path: str | os.PathLike | None = None):
        self.path = Path(path) if path else default_path()

    def exists(self) -> bool:
        return self.path.exists()

    def stamp(self) -> tuple[int, int, int] | None:
        """Identity of the published file: changes with every publication."""
        try:
            st = self.path.stat()
        except FileNotFoundError:
            return None
        return (st.st_ino, st.st_mtime_ns, st.st_size)

    def reader(self) -> duckdb.DuckDBPyConnection:
        """A read-only connection to the published file, in an instance of its own.

        An in-memory instance that attaches the file, rather than `connect(path)`: DuckDB caches
        instances by path within a process, which would keep serving a replaced file.
        """
        if not self.exists():
            raise AtlasError(
                f"la base de données {self.path} n'existe pas : lancez « python -m atlas build »."
            )
        con = duckdb.connect()
        con.execute("ATTACH $path AS atlas (READ_ONLY)", {"path": str(self.path)})
        con.execute("USE atlas")
        return con

    def missing_columns(self) -> list[str]:
        """Columns (`table.column`) and summary tables this code expects that the published file
        lacks: a file written by an older Atlas, before a contract column, a reference column or a
        summary was added, or when a summary was defined otherwise (`summary_definition`)."""
        con = self.reader()
        try:
            columns = con.execute(
                "SELECT table_name, column_name FROM information_schema.columns WHERE table_catalog = 'atlas'"
            ).fetchall()
            tables = {table for table, _ in columns}
            stored = dict(con.execute("SELECT name, definition FROM _summaries").fetchall()) if "_summaries" in tables else {}
        finally:
            con.close()
        have = {f"{table}.{column}" for table, column in columns}
        wanted = [f"{ds.name}.{c}" for ds in DATASETS.values() for c in ds.column_names]
        for table, path in REFERENCE_TABLES.items():
            with open(path, encoding="utf-8", newline="") as f:
                wanted += [f"{table}.{c}" for c in next(csv.reader(f))]
        stale = [name for name in SUMMARIES if name not in tables or stored.get(name) != summary_definition(name)]
        return stale + [w for w in wanted if w not in have]

    def upgrade(self) -> None:
        """Bring the published file to this code's schema; no data changes, no new version."""
        with self.transaction():
            pass  # every transaction runs create_schema before anything else

    @contextmanager
    def _lock(self) -> Iterator[None]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path.with_name(self.path.name + ".lock"), "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # one writer at a time; readers never wait
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    @contextmanager
    def sandbox(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A throwaway private copy of the published database, in an open transaction.

        For previews: the same staging and `apply` as an import, on a copy that is never
        published. No lock is taken: copying opens the published file once, so the copy is one
        snapshot (the old or the new one if a writer publishes meanwhile), never a mix.
        """
        if not self.exists():
            raise AtlasError(f"la base de données {self.path} n'existe pas : lancez « python -m atlas build ».")
        fd, name = tempfile.mkstemp(prefix="atlas-preview-", suffix=".duckdb")
        os.close(fd)
        tmp = Path(name)
        try:
            shutil.copyfile(self.path, tmp)
            con = duckdb.connect(str(tmp))
            try:
                con.execute("BEGIN TRANSACTION")
                create_schema(con)
                yield con
            finally:
                con.close()  # never committed: everything done here is discarded
        finally:
            for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
                leftover.unlink(missing_ok=True)

    @contextmanager
    def transaction(self, fresh: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        """Write to a private copy in one transaction, then publish it atomically."""
        with self._lock():
            tmp = self.path.with_name(f"{self.path.name}.tmp-{os.getpid()}")
            for stray in self.path.parent.glob(self.path.name + ".tmp-*"):
                stray.unlink()  # left by a writer that was killed; we hold the lock
            if self.exists() and not fresh:
                shutil.copyfile(self.path, tmp)
            con = duckdb.connect(str(tmp))
            try:
                con.execute("BEGIN TRANSACTION")
                create_schema(con)
                first = next_version(con)
                yield con
                refresh_summaries(con, since=first)
                con.execute("COMMIT")
                con.execute("CHECKPOINT")
                con.close()
                with open(tmp, "rb+") as f:
                    os.fsync(f.fileno())
                os.replace(tmp, self.path)
                dir_fd = os.open(self.path.parent, os.O_RDONLY)
                try:
                    os.fsync(dir_fd)
                finally:
                    os.close(dir_fd)
            finally:
                con.close()
                for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
                    leftover.unlink(missing_ok=True)


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Tables for every dataset, their current-rows views, the version log and references."""
    con.execute(
        """CREATE TABLE IF NOT EXISTS _versions (
            version INTEGER NOT NULL, created_at TIMESTAMP NOT NULL, action VARCHAR NOT NULL,
            dataset VARCHAR NOT NULL, mode VARCHAR, file_name VARCHAR, sha256 VARCHAR,
            user_name VARCHAR, rows_added BIGINT, rows_changed BIGINT, rows_removed BIGINT)"""
    )
    # Committee decks saved by name (atlas/slides.py): a choice of slides and filters, not data,
    # so saving one is a write but never a dataset version.
    con.execute("CREATE TABLE IF NOT EXISTS _summaries (name VARCHAR NOT NULL, definition VARCHAR NOT NULL)")
    con.execute(
        """CREATE TABLE IF NOT EXISTS _decks (
            name VARCHAR NOT NULL, slides VARCHAR NOT NULL, filters VARCHAR NOT NULL,
            created_at TIMESTAMP NOT NULL, user_name VARCHAR)"""
    )
    for ds in DATASETS.values():
        rows = q("_rows_" + ds.name)
        cols = ", ".join(f"{q(c.name)} {c.sql_type}" for c in ds.columns)
        con.execute(f"CREATE TABLE IF NOT EXISTS {rows} ({cols}, {META_COLUMNS})")
        for c in ds.columns:  # a database made before an optional column was added to the contract
            con.execute(f"ALTER TABLE {rows} ADD COLUMN IF NOT EXISTS {q(c.name)} {c.sql_type}")
        names = ", ".join(q(c) for c in ds.column_names)
        con.execute(f"CREATE OR REPLACE VIEW {q(ds.name)} AS SELECT {names} FROM {rows} WHERE _removed_in IS NULL")
    # Reference tables ship with the code (data/geo, data/reference): every write refreshes them.
    for table, path in REFERENCE_TABLES.items():
        con.execute(
            f"CREATE OR REPLACE TABLE {q(table)} AS SELECT * FROM read_csv($path, header=true)",
            {"path": str(path)},
        )


@cache
def summary_definition(name: str) -> str:
    """What the stored summary `name` is computed from, besides the rows: the SHA-256 of its query
    (comments left out: editing one recomputes nothing) and of the reference tables (a summary may
    join them, as the map's joins dac_sectors)."""
    digest = hashlib.sha256(COMMENT.sub("", sql(name)).encode("utf-8"))
    for path in REFERENCE_TABLES.values():
        digest.update(path.read_bytes())
    return digest.hexdigest()


def refresh_summaries(con: duckdb.DuckDBPyConnection, since: int) -> None:
    """Rebuild each summary whose dataset changed in version `since` or later, or that is missing
    or was computed by another definition."""
    have = {
        name for (name,) in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database()"
        ).fetchall()
    }
    stored = dict(con.execute("SELECT name, definition FROM _summaries").fetchall())
    changed = {
        dataset for (dataset,) in con.execute(
            "SELECT dataset FROM _versions WHERE version >= $v AND rows_added + rows_changed + rows_removed > 0",
            {"v": since},
        ).fetchall()
    }
    for name, dataset in SUMMARIES.items():
        if name not in have or dataset in changed or stored.get(name) != summary_definition(name):
            con.execute(f"CREATE OR REPLACE TABLE {q(name)} AS {sql(name)}")
            con.execute("DELETE FROM _summaries WHERE name = $name", {"name": name})
            con.execute("INSERT INTO _summaries VALUES ($name, $definition)",
                        {"name": name, "definition": summary_definition(name)})


def next_version(con: duckdb.DuckDBPyConnection) -> int:
    return con.execute("SELECT coalesce(max(version), 0) + 1 FROM _versions").fetchone()[0]


def _same(columns: list[str], left: str, right: str) -> str:
    return " AND ".join(f"{left}.{q(c)} IS NOT DISTINCT FROM {right}.{q(c)}" for c in columns)


def new_state_sql(ds: Dataset, staging: str, mode: str) -> str:
    """SQL for the rows the dataset will hold after importing `staging` in `mode`."""
    names = ", ".join(q(c) for c in ds.column_names)
    if mode == "replace":
        return f"SELECT {names} FROM {staging}"
    if mode == "upsert":
        if not ds.key:
            raise AtlasError(
                f"le mode upsert demande une clé ; le jeu {ds.name} n'en a pas : utilisez replace ou years."
            )
        kept = f"SELECT {names} FROM {q(ds.name)} cur WHERE NOT EXISTS (SELECT 1 FROM {staging} s WHERE {_same(list(ds.key), 'cur', 's')})"
    elif mode == "years":
        if not ds.year_column:
            raise AtlasError(
                f"le mode years ne vaut que pour oda et oda_national, pas pour {ds.name}."
            )
        y = q(ds.year_column)
        kept = f"SELECT {names} FROM {q(ds.name)} WHERE {y} NOT IN (SELECT DISTINCT {y} FROM {staging})"
    else:
        raise AtlasError(f"mode d'import inconnu « {mode} » : replace, upsert ou years.")
    return f"SELECT {names} FROM {staging} UNION ALL {kept}"


def apply(con: duckdb.DuckDBPyConnection, ds: Dataset, new_state: str, version: int) -> Change:
    """Make the dataset hold `new_state` (a SELECT), recording `version` on the rows it touches.

    Rows are matched by the dataset's key; a dataset without a key (ODA transactions) matches
    whole rows, the n-th copy of a row with the n-th copy, so duplicates are counted exactly.
    """
    if not ds.key:
        return _apply_unkeyed(con, ds, new_state, version)
    rows = q("_rows_" + ds.name)
    cols = ds.column_names
    names = ", ".join(q(c) for c in cols)
    ident = list(ds.key) or [*cols, "_n"]
    numbered = "" if ds.key else f", row_number() OVER (PARTITION BY {names}) AS _n"
    con.execute(f"CREATE OR REPLACE TEMP TABLE _new AS SELECT {names}{numbered} FROM ({new_state})")
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE _cur AS SELECT rowid AS _rid, {names}{numbered} "
        f"FROM {rows} WHERE _removed_in IS NULL"
    )
    if ds.key:
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


def _apply_unkeyed(con: duckdb.DuckDBPyConnection, ds: Dataset, new_state: str, version: int) -> Change:
    """`apply` for rows without a key: an exact multiset difference, paired by a hash of each row.

    Comparing whole rows (a join or a window over every column of a million rows) cost more than
    the rest of an import, 10 s when reloading an unchanged file. Here rows are paired by a 64-bit
    hash of all their columns: a hash found on one side only is rows added or removed outright.
    For a hash found on both sides, every row bearing it is compared on all columns with one row
    of the current data (its representative); when all are equal the copies are simply counted,
    min(new, current) kept. A hash whose rows differ (a collision) is settled by comparing whole
    rows, numbering the copies of each, so a collision costs time, never a row.
    """
    rows = q("_rows_" + ds.name)
    cols = ds.column_names
    names = ", ".join(q(c) for c in cols)
    row_hash = ROW_HASH.format(names)

    def cols_of(alias: str) -> str:
        return ", ".join(f"{alias}.{q(c)}" for c in cols)

    con.execute(f"CREATE OR REPLACE TEMP TABLE _new AS SELECT {names}, {row_hash} AS _h FROM ({new_state})")
    con.execute(f"CREATE OR REPLACE TEMP TABLE _cur AS SELECT rowid AS _rid, {row_hash} AS _h FROM {rows} WHERE _removed_in IS NULL")
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
    return (
        f"SELECT {names} FROM {q('_rows_' + ds.name)} "
        f"WHERE _added_in <= {v} AND (_removed_in IS NULL OR _removed_in > {v})"
    )


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
