"""Sums stored beside the rows, so that pages read sums, not rows.

Each is the result of queries/summaries/<name>.sql kept as the table <name>, with the dataset it
summarises: a write that changes that dataset rebuilds it in the same transaction
(`refresh_summaries`, run by `Database.transaction`), so a summary is never older than its rows.
"""

from __future__ import annotations

import hashlib
from functools import cache

import duckdb

from atlas.store.paths import REFERENCE_TABLES
from atlas.store.query_files import COMMENT, q, sql

# Aggregates stored beside the rows, each the result of queries/<name>.sql kept as the table
# <name>, with the dataset it summarises: a write that changes that dataset rebuilds it in the same
# transaction, so a summary is never older than its rows. Table _summaries records the definition
# each was computed by (`summary_definition`): a file from an Atlas whose query or reference data
# differed is brought up to date at start, like a missing column.
SUMMARIES = {
    "oda_country_summary": "oda", "oda_map_summary": "oda", "oda_flow_summary": "oda", "oda_provenance_summary": "oda",
}


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
