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

import fcntl
import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

from atlas.contract import DATASETS, Dataset
from atlas.errors import AtlasError

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = ROOT / "data" / "atlas.duckdb"
REFERENCE_TABLES = {
    "countries": ROOT / "data" / "geo" / "countries.csv",
    "dac_sectors": ROOT / "data" / "reference" / "dac_sectors.csv",
}
META_COLUMNS = "_added_in INTEGER NOT NULL, _removed_in INTEGER"


def default_path() -> Path:
    """--db, else ATLAS_DB, else data/atlas.duckdb (DATA_CONTRACT.md)."""
    return Path(os.environ.get("ATLAS_DB") or DEFAULT_DB)


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
                yield con
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
    for table, path in REFERENCE_TABLES.items():
        con.execute(
            f"CREATE TABLE IF NOT EXISTS {q(table)} AS SELECT * FROM read_csv($path, header=true)",
            {"path": str(path)},
        )


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


def _apply_unkeyed(con: duckdb.DuckDBPyConnection, ds: Dataset, new_state: str, version: int) -> Change:
    """`apply` for rows without a key: a multiset difference, as cheap as the rows that match.

    Numbering every copy of every row (a window over all columns of a million rows) cost more
    than the rest of an import. Here only rows with an identical twin on the other side are
    grouped and counted; the others are added or removed outright. Same counts, same content.
    """
    rows = q("_rows_" + ds.name)
    cols = ds.column_names
    names = ", ".join(q(c) for c in cols)
    a_names = ", ".join(f"a.{q(c)}" for c in cols)
    same = _same(cols, "a", "b")
    con.execute(f"CREATE OR REPLACE TEMP TABLE _new AS SELECT {names} FROM ({new_state})")
    con.execute(f"CREATE OR REPLACE TEMP TABLE _cur AS SELECT rowid AS _rid, {names} FROM {rows} WHERE _removed_in IS NULL")
    # Every value found on both sides, with its number of copies in the new (_nc) and current (_cc) rows.
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE _both AS
        WITH n AS (SELECT {names}, count(*) AS _nc FROM _new a
                   WHERE EXISTS (SELECT 1 FROM _cur b WHERE {same}) GROUP BY ALL),
             c AS (SELECT {names}, count(*) AS _cc FROM _cur a
                   WHERE EXISTS (SELECT 1 FROM n b WHERE {same}) GROUP BY ALL)
        SELECT {a_names}, a._nc, b._cc FROM n a JOIN c b ON {same}"""
    )
    total_new, total_cur, kept = con.execute(
        "SELECT (SELECT count(*) FROM _new), (SELECT count(*) FROM _cur), "
        "(SELECT coalesce(sum(least(_nc, _cc)), 0) FROM _both)"
    ).fetchone()
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE _gone AS
        SELECT _rid, false AS _changed FROM _cur a WHERE NOT EXISTS (SELECT 1 FROM _both b WHERE {same})
        UNION ALL
        SELECT _rid, false FROM (
            SELECT a._rid, b._nc, row_number() OVER (PARTITION BY {a_names} ORDER BY a._rid) AS _k
            FROM _cur a JOIN _both b ON {same} WHERE b._cc > b._nc)
        WHERE _k > _nc"""
    )
    con.execute(f"UPDATE {rows} SET _removed_in = $v WHERE rowid IN (SELECT _rid FROM _gone)", {"v": version})
    con.execute(
        f"""INSERT INTO {rows} ({names}, _added_in)
        SELECT {names}, $v FROM _new a WHERE NOT EXISTS (SELECT 1 FROM _both b WHERE {same})
        UNION ALL
        SELECT {names}, $v FROM (SELECT {names}, unnest(range(_nc - _cc)) FROM _both WHERE _nc > _cc)""",
        {"v": version},
    )
    return Change(added=total_new - kept, changed=0, removed=total_cur - kept)


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
