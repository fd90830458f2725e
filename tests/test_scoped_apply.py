"""An import in `years` or `upsert` mode compares only the rows it replaces (rows.scoped_state_sql):
for any stored rows and any file, the versioned rows and the counted change are exactly those of
comparing the whole new state with every stored row, duplicates and hash collisions included."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from atlas.contract import DATASETS
from atlas.store import create_schema, scratch
from atlas.store import rows as dbmod

ODA = DATASETS["oda"]
OFFICES = DATASETS["offices"]

oda_rows = st.lists(
    st.fixed_dictionaries({
        "entity": st.sampled_from(["Wallonie", "FWB"]),
        "year": st.sampled_from([2023, 2024, 2025]),
        "country_iso3": st.sampled_from(["COD", "RWA", None]),
        "amount_eur": st.sampled_from([1.0, 2.5, 3.0]),
    }),
    max_size=12,
)
office_rows = st.lists(
    st.fixed_dictionaries({
        "office_id": st.sampled_from(["a", "b", "c", "d", "e"]),
        "city": st.sampled_from(["Kinshasa", "Kigali"]),
        "country_iso3": st.sampled_from(["COD", "RWA"]),
    }),
    max_size=6,
    unique_by=lambda r: r["office_id"],
)


def _insert(con, table: str, rows: list[dict], extra: dict | None = None) -> None:
    for row in rows:
        row = {**row, **(extra or {})}
        names = ", ".join(dbmod.q(c) for c in row)
        con.execute(f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' * len(row))})", list(row.values()))


def _import(ds, stored: list[dict], file: list[dict], mode: str, scoped: bool, row_hash: str):
    """The versioned rows and the change after importing `file` over `stored` as version 2."""
    old_hash, dbmod.ROW_HASH = dbmod.ROW_HASH, row_hash
    con = scratch()
    try:
        create_schema(con)
        _insert(con, dbmod.q("_rows_" + ds.name), stored, {"_added_in": 1})
        names = ", ".join(f"{dbmod.q(c.name)} {c.sql_type}" for c in ds.columns)
        con.execute(f"CREATE TEMP TABLE _staged ({names})")
        _insert(con, "_staged", file)
        if scoped:
            new_rows, within = dbmod.scoped_state_sql(ds, "_staged", mode)
            change = dbmod.apply(con, ds, new_rows, 2, within)
        else:
            change = dbmod.apply(con, ds, dbmod.new_state_sql(ds, "_staged", mode), 2)
        kept = con.execute(f"SELECT * FROM {dbmod.q('_rows_' + ds.name)}").fetchall()
        return Counter(kept), change
    finally:
        con.close()
        dbmod.ROW_HASH = old_hash


@pytest.mark.parametrize("row_hash", ["hash({})", "hash({}) % 2"])  # real hashes, and many collisions
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(stored=oda_rows, file=oda_rows.filter(bool))
def test_a_years_import_of_oda_compares_only_its_entity_years(row_hash, stored, file):
    scoped = _import(ODA, stored, file, "years", True, row_hash)
    assert scoped == _import(ODA, stored, file, "years", False, row_hash)
    # and the rows now current are the file's plus the stored ones of the other (entity, year) pairs
    pairs = {(r["entity"], r["year"]) for r in file}
    expected = Counter(_key(r) for r in file + [r for r in stored if (r["entity"], r["year"]) not in pairs])
    names = ODA.column_names
    current = Counter()
    for row, n in scoped[0].items():
        if row[-1] is None:
            current[_key(dict(zip(names, row)))] += n
    assert current == expected


def _key(row: dict) -> tuple:
    return row["entity"], row["year"], row.get("country_iso3"), row["amount_eur"]


@settings(max_examples=60, deadline=None)
@given(stored=office_rows, file=office_rows.filter(bool))
def test_an_upsert_compares_only_the_keys_in_the_file(stored, file):
    assert _import(OFFICES, stored, file, "upsert", True, "hash({})") == _import(OFFICES, stored, file, "upsert", False, "hash({})")


def test_a_years_import_leaves_other_entity_years_unread_and_untouched():
    stored = [{"entity": "Wallonie", "year": 2024, "amount_eur": 1.0}, {"entity": "FWB", "year": 2024, "amount_eur": 1.0},
              {"entity": "Wallonie", "year": 2025, "amount_eur": 7.0}]
    kept, change = _import(ODA, stored, [{"entity": "Wallonie", "year": 2024, "amount_eur": 2.0}], "years", True, "hash({})")
    assert change == dbmod.Change(added=1, changed=0, removed=1)
    removed = [row for row, n in kept.items() if row[-1] == 2]
    assert len(removed) == 1 and "Wallonie" in removed[0] and 2024 in removed[0] and 1.0 in removed[0]
