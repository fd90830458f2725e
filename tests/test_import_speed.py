"""The fast paths of an import give exactly what the general paths give.

- Staging: a plainly written file is staged by `ingest._validate_plain` (guards, then plain casts);
  any other file by the general conversion. For the same content both must give the same staged
  rows and the same report (rows, problems with line and column, notices).
- Applying rows without a key: rows are paired by a hash; a hash with many collisions must give
  the same versions and counts as the real one.
"""

from __future__ import annotations

from collections import Counter

import pytest

from atlas.contract import DATASETS
from atlas.imports import ingest
from atlas.store import Change, Database, scratch
from atlas.store import rows as dbmod
from atlas.writes.versions import SAMPLE_DIR, build, load, preview, rollback

from conftest import FIXTURE_DIR, rows
from synth import write_oda


def staged(ds_name: str, path, plain: bool, monkeypatch) -> tuple[list, tuple, bool]:
    """(staged rows, report, whether the fast path staged it), with the fast path allowed or not."""
    taken = []
    fast = ingest._validate_plain

    def spy(*args):
        taken.append(plain and fast(*args))
        return taken[-1]

    monkeypatch.setattr(ingest, "_validate_plain", spy)
    ds = DATASETS[ds_name]
    con = scratch()
    try:
        report = ingest.stage(con, ds, path)
        names = ", ".join(dbmod.q(c) for c in ds.column_names)
        got = con.execute(f"SELECT _line, {names} FROM _staged ORDER BY _line").fetchall() if report.ok else []
    finally:
        con.close()
    return got, (report.rows, [str(p) for p in report.problems], report.notices), bool(taken and taken[0])


def same_both_ways(ds_name, path, monkeypatch) -> bool:
    fast = staged(ds_name, path, True, monkeypatch)
    general = staged(ds_name, path, False, monkeypatch)
    assert fast[:2] == general[:2]
    assert not general[2]
    return fast[2]


@pytest.mark.parametrize("name", sorted(DATASETS))
def test_sample_and_fixture_files_stage_the_same_both_ways(name, monkeypatch):
    for directory in (SAMPLE_DIR, FIXTURE_DIR):
        if (directory / f"{name}.csv").exists():
            same_both_ways(name, directory / f"{name}.csv", monkeypatch)


def test_synthetic_oda_takes_the_fast_path_with_the_same_result(tmp_path, monkeypatch):
    path = write_oda(tmp_path / "oda.csv", 3000, seed=3)
    assert same_both_ways("oda", path, monkeypatch)


ODA = "entity,year,country_iso3,sector_code,flow,amount_eur,exchange_rate,source\n"
MISSIONS = "mission_id,title,organiser,entity,country_iso3,starts_on,ends_on,kind,participants_sme,cost_eur,fee_sme_eur\n"
OFFICES = "office_id,city,country_iso3,agency,kind,shared,latitude,longitude\n"


@pytest.mark.parametrize(
    "name, content, fast",
    [
        # plain: empty optional cells, a default to fill, a quoted field with a comma
        ("oda", ODA + 'Wallonie,2024,COD,12220,,-1.5,,"a, b"\nFWB,2023,,,commitment,3,0.9,\n', True),
        ("oda", "entity;year;amount_eur\nWallonie;2024;12\n", True),  # « ; » noticed, flow absent
        ("oda", "entity,year,amount_eur,extra\nWallonie,2024,12,x\n", True),  # ignored column
        ("oda", ODA + " Wallonie ,2024,COD,12220,,1,,s\n", True),  # text trimmed silently
        ("oda", ODA + "Wallonie,2024,cod,12220,,1,,s\n", False),  # country converted (notice)
        ("oda", ODA + "Wallonie,2024,Maroc,12220,,1,,s\n", False),
        ("oda", ODA + "Wallonie,2024,CGO,12220,,1,,s\n", False),  # unknown country
        ("oda", ODA + 'Wallonie,2024,COD,12220,,"1 234,5",,s\n', False),  # Belgian number
        ("oda", ODA + "Wallonie,2024,COD,12220,,1e3,,s\n", False),  # not a number
        ("oda", ODA + "Wallonie,2024.0,COD,12220,,1,,s\n", True),  # a whole number, silently 2024 both ways
        ("oda", ODA + "Wallonie,2024.5,COD,12220,,1,,s\n", False),
        ("oda", ODA + "Wallonie,1900,COD,12220,,1,,s\n", False),  # out of range
        ("oda", ODA + "Wallonie,2024,COD,12220,,1,0,s\n", False),  # exclusive minimum
        ("oda", ODA + "Wallonie,2024,COD,1222,,1,,s\n", False),  # pattern
        ("oda", ODA + "Wallonie,2024,COD,12220,Commitment,1,,s\n", False),  # case of an enum
        ("oda", ODA + ",2024,COD,12220,,1,,s\n", False),  # required missing
        ("oda", ODA + " ,2024,COD,12220,,1,,s\n", False),  # blank required text
        ("oda", ODA + ",,,,,,,\nWallonie,2024,COD,12220,,1,,s\n", False),  # empty row (layout)
        ("oda", ODA, False),  # header only
        (
            "missions",
            MISSIONS + "M1,Mission,AWEX,Wallonie,MAR,2024-03-01,2024-03-05,royal,3,1000,\n"
            "M2,Autre,FIT,Flandre,SEN,2024-05-01,,,,20.5,150\n",
            True,
        ),
        ("missions", MISSIONS + "M1,M,A,W,MAR,2024-03-01,2024-02-05,,,1,\n", True),  # end before start
        ("missions", MISSIONS + "M1,M,A,W,MAR,2024-03-01,,,,1,\nM1,N,A,W,MAR,2024-03-01,,,,1,\n", True),  # key twice
        ("missions", MISSIONS + "M1,M,A,W,MAR,01/03/2024,,,,1,\n", False),  # Belgian date
        ("missions", MISSIONS + "M1,M,A,W,MAR,2024-02-30,,,,1,\n", False),  # impossible date
        ("missions", MISSIONS + "M1,M,A,W,MAR,2024-03-01,,,-1,1,\n", False),  # negative count
        ("missions", MISSIONS + "M1,M,A,W,MAR,2024-03-01,,,1.5,1,\n", False),  # not whole
        ("offices", OFFICES + "O1,Rabat,MAR,AWEX,economic,true,34.0,-6.8\nO2,Dakar,SEN,WBI,,,,\n", True),
        ("offices", OFFICES + "O1,Rabat,MAR,AWEX,economic,oui,34.0,-6.8\n", False),
        ("offices", OFFICES + "O1,Rabat,MAR,AWEX,economic,true,94.0,-6.8\n", False),
    ],
)
def test_plain_and_general_paths_agree(name, content, fast, write, monkeypatch):
    path = write(f"{name}.csv", content)
    assert same_both_ways(name, path, monkeypatch) == fast


# --- Rows without a key, paired by hash -------------------------------------------------------


def oda_file(write, name: str, amounts: list[int]):
    lines = "".join(f"Wallonie,2024,COD,{a}\n" for a in amounts)
    return write(name, "entity,year,country_iso3,amount_eur\n" + lines)


def history_of(db: Database) -> list:
    return rows(
        db,
        "SELECT amount_eur, _added_in, _removed_in FROM _rows_oda ORDER BY amount_eur, _added_in, _removed_in NULLS LAST",
    )


def run_loads(tmp_path, write, files: list[list[int]]) -> tuple[list, list[Change]]:
    db = Database(tmp_path / "atlas.duckdb")
    build(db, FIXTURE_DIR)
    changes = []
    for i, amounts in enumerate(files):
        path = oda_file(write, f"oda{i}.csv", amounts)
        assert preview(db, "oda", path).change is not None  # preview asserts its diff agrees with apply
        changes.append(load(db, "oda", path, force=True).changes["oda"])
    _, back = rollback(db, 2)
    changes.append(back["oda"])
    return history_of(db), changes


FILES = [
    [1, 1, 1, 2, 3, 4, 5, 6],
    [1, 1, 2, 2, 2, 3, 7, 8, 8],  # one copy of 1 fewer, two of 2 more, 4-6 gone, 7-8 new
    [1, 1, 2, 2, 2, 3, 7, 8, 8],  # unchanged
    [9],
]


def expected_changes(files: list[list[int]]) -> list[Change]:
    """Loads of files[1:], then the rollback to files[0]: a multiset difference each."""
    states = [*map(Counter, files), Counter(files[0])]
    return [
        Change(added=sum((new - old).values()), changed=0, removed=sum((old - new).values()))
        for old, new in zip(states, states[1:])
    ]


@pytest.mark.parametrize("row_hash", ["hash({})", "hash({}) % 3", "0"])
def test_unkeyed_apply_is_exact_whatever_the_hash(row_hash, tmp_path, write, monkeypatch):
    monkeypatch.setattr(dbmod, "ROW_HASH", row_hash)
    history, changes = run_loads(tmp_path, write, FILES)
    assert changes[0] == Change(added=8, changed=0, removed=8)  # the fixture's 8 ODA rows replaced
    assert changes[1:] == expected_changes(FILES)
    # After each version, the rows present are exactly that file's multiset.
    for version, amounts in [(2, FILES[0]), (3, FILES[1]), (4, FILES[2]), (5, FILES[3]), (6, FILES[0])]:
        present = Counter(a for a, added, removed in history if added <= version and (removed is None or removed > version))
        assert present == Counter(float(a) for a in amounts), version
