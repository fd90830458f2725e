"""The store: the only code that opens DuckDB.

    paths.py        where the project, the published database and the reference tables are
    query_files.py  the named queries of queries/ (loaded by name, « -- over: », bound parameters)
    snapshots.py    Database: read-only readers, write transactions published by atomic rename,
                    throwaway copies for previews, the schema
    rows.py         versioned rows: apply a new state, record a version, rebuild an old state
    summaries.py    the sums stored beside the rows, rebuilt by every write that changes them
    decks.py        committee decks saved by name, in a small file beside the database

Only atlas/writes calls what changes the published file; the names below are the store's surface.
"""

from atlas.store.paths import DEFAULT_DB, REFERENCE_TABLES, ROOT, default_path
from atlas.store.query_files import execute, over, q, runner, sql
from atlas.store.rows import (
    Change,
    apply,
    new_state_sql,
    next_version,
    record_version,
    scoped_state_sql,
    sha256_of,
    state_at_sql,
)
from atlas.store.snapshots import Database, DatabaseError, create_schema, scratch
from atlas.store.summaries import SUMMARIES, refresh_summaries, summary_definition

__all__ = [
    "DEFAULT_DB", "REFERENCE_TABLES", "ROOT", "SUMMARIES", "Change", "Database", "DatabaseError", "apply", "create_schema",
    "default_path", "execute", "new_state_sql", "next_version", "over", "q", "record_version", "refresh_summaries", "scoped_state_sql",
    "runner", "scratch", "sha256_of", "sql", "state_at_sql", "summary_definition",
]
