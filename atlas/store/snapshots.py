"""Snapshots: read connections, write transactions, the schema, the throwaway databases.

Why snapshots: DuckDB lets one process hold a file read-write, and then no other process may open
it at all. So nobody ever writes the published file in place. A writer takes a lock file, copies
the published database to a temporary file next to it, imports there in one transaction, then
atomically renames the copy over the published file (`os.replace`). Readers attach the published
file read-only from their own in-memory instance: a reader that opened the old file keeps reading
it until it reconnects, a new reader sees the new file, and a writer killed at any moment leaves
only a stray temporary file. The published file's identity (inode, mtime, size) is the data stamp
that keys every cache.
"""

from __future__ import annotations

import csv
import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from atlas.contract import DATASETS
from atlas.errors import AtlasError
from atlas.store.paths import REFERENCE_TABLES, default_path
from atlas.store.query_files import q
from atlas.store.rows import AS_OF_VERSION, META_COLUMNS, next_version
from atlas.store.summaries import SUMMARIES, refresh_summaries, summary_definition


def file_stamp(path) -> tuple[int, int, int] | None:
    """A file's identity (inode, modification time, size), None when absent: a file replaced by an
    atomic rename gets a new one, so caches keyed by it see every publication."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


DatabaseError = duckdb.Error  # what a failed statement raises, for code that must not import duckdb


def scratch() -> duckdb.DuckDBPyConnection:
    """A private in-memory database, for staging and validating a file (atlas/imports/ingest.py)."""
    return duckdb.connect()


class Database:
    def __init__(self, path: str | os.PathLike | None = None):
        self.path = Path(path) if path else default_path()

    def exists(self) -> bool:
        return self.path.exists()

    def stamp(self) -> tuple[int, int, int] | None:
        """Identity of the published file: changes with every publication."""
        return file_stamp(self.path)

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
        """Columns (`table.column`), summary tables and macros this code expects that the published
        file lacks: a file written by an older Atlas, before a contract column, a reference column,
        a summary or the macro `as_of_version` was added, or when a summary was defined otherwise
        (`summary_definition`)."""
        con = self.reader()
        try:
            columns = con.execute(
                "SELECT table_name, column_name FROM information_schema.columns WHERE table_catalog = 'atlas'"
            ).fetchall()
            tables = {table for table, _ in columns}
            stored = dict(con.execute("SELECT name, definition FROM _summaries").fetchall()) if "_summaries" in tables else {}
            macros = {name for (name,) in con.execute(
                "SELECT function_name FROM duckdb_functions() WHERE database_name = 'atlas' AND function_type = 'macro'"
            ).fetchall()}
        finally:
            con.close()
        have = {f"{table}.{column}" for table, column in columns}
        wanted = [f"{ds.name}.{c}" for ds in DATASETS.values() for c in ds.column_names]
        for table, path in REFERENCE_TABLES.items():
            with open(path, encoding="utf-8", newline="") as f:
                wanted += [f"{table}.{c}" for c in next(csv.reader(f))]
        stale = [name for name in SUMMARIES if name not in tables or stored.get(name) != summary_definition(name)]
        return stale + [w for w in wanted if w not in have] + ([] if "as_of_version" in macros else ["as_of_version"])

    def upgrade(self) -> None:
        """Bring the published file to this code's schema; no data changes, no new version."""
        with self.transaction():
            pass  # every transaction runs create_schema before anything else

    @contextmanager
    def lock(self) -> Iterator[None]:
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
        with self.lock():
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
    con.execute("CREATE TABLE IF NOT EXISTS _summaries (name VARCHAR NOT NULL, definition VARCHAR NOT NULL)")
    con.execute(AS_OF_VERSION)
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
