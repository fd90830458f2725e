"""Imports as versions: counts, modes, the guard against mass deletion, rollback."""

from __future__ import annotations

import duckdb
import pytest

from atlas.store import SUMMARIES, Change, sql
from atlas.writes.versions import Refused, load, rollback

from conftest import FIXTURE_DIR, rows

MISSIONS_HEADER = "mission_id,title,organiser,entity,country_iso3,starts_on,cost_eur\n"


def dataset_rows(db, name):
    return sorted(rows(db, f"SELECT * FROM {name}"), key=repr)


def test_build_records_version_one_with_every_dataset(fixture_db):
    assert rows(fixture_db, "SELECT dataset, rows_added FROM _versions WHERE version = 1 ORDER BY dataset") == [
        ("agreements", 4), ("missions", 3), ("oda", 8), ("oda_national", 2), ("offices", 2), ("priority_countries", 4),
    ]


def test_upsert_counts_added_and_changed(fixture_db, write):
    path = write("m.csv", MISSIONS_HEADER + "M1,Mission au Maroc,hub.brussels,Région de Bruxelles-Capitale,MAR,2026-03-10,120000\nM4,Nouvelle,AWEX,Wallonie,SEN,2027-01-10,5\n")
    result = load(fixture_db, "missions", path, mode="upsert", user="analyste")
    assert result.report.ok
    assert (result.version, result.changes["missions"]) == (2, Change(added=1, changed=1, removed=0))
    assert rows(fixture_db, "SELECT mission_id, cost_eur FROM missions ORDER BY mission_id") == [
        ("M1", 120000.0), ("M2", 50000.0), ("M3", 80000.0), ("M4", 5.0),
    ]
    assert rows(fixture_db, "SELECT user_name, file_name, length(sha256) FROM _versions WHERE version = 2") == [("analyste", "m.csv", 64)]


def test_years_mode_replaces_only_the_years_in_the_file(fixture_db, write):
    path = write("oda.csv", "entity,year,country_iso3,amount_eur\nWallonie,2024,COD,1\nWallonie,2024,COD,1\n")
    result = load(fixture_db, "oda", path, mode="years", force=True)
    assert result.changes["oda"] == Change(added=2, changed=0, removed=4)
    assert rows(fixture_db, "SELECT year, count(*), sum(amount_eur) FROM oda GROUP BY year ORDER BY year") == [
        (2023, 4, 1174999.0), (2024, 2, 2.0),
    ]


def test_replace_that_removes_more_than_half_is_refused_without_force(fixture_db, write):
    before = dataset_rows(fixture_db, "missions")
    path = write("m.csv", MISSIONS_HEADER + "M9,Seule,AWEX,Wallonie,SEN,2027-01-10,5\n")
    with pytest.raises(Refused, match="supprimerait 3 des 3 lignes"):
        load(fixture_db, "missions", path)
    assert dataset_rows(fixture_db, "missions") == before
    assert rows(fixture_db, "SELECT max(version) FROM _versions") == [(1,)]
    assert load(fixture_db, "missions", path, force=True).changes["missions"] == Change(1, 0, 3)


def test_invalid_file_writes_nothing(fixture_db, write):
    stamp = fixture_db.stamp()
    result = load(fixture_db, "missions", write("m.csv", MISSIONS_HEADER + "M1,T,AWEX,Wallonie,XXX,2027-01-10,5\n"))
    assert not result.report.ok and result.version is None
    assert fixture_db.stamp() == stamp


def test_identical_replace_adds_only_the_extra_copy_of_a_row(fixture_db, write):
    path = write("oda.csv", (FIXTURE_DIR / "oda.csv").read_text(encoding="utf-8")
                 + "Wallonie,2024,COD,12220,ONG,Remboursement,disbursement,-20000,fixture\n")
    assert load(fixture_db, "oda", path).changes["oda"] == Change(added=1, changed=0, removed=0)


def test_rollback_restores_identical_content_as_a_new_version(fixture_db, write):
    original = {name: dataset_rows(fixture_db, name) for name in ("missions", "oda")}
    load(fixture_db, "missions", write("m.csv", MISSIONS_HEADER + "M1,Changée,AWEX,Wallonie,SEN,2027-01-10,5\n"), mode="upsert")
    load(fixture_db, "oda", write("o.csv", "entity,year,amount_eur\nWBI,2030,7\n"), mode="years")
    version, changes = rollback(fixture_db, 1)
    assert version == 4
    assert changes["missions"] == Change(0, 1, 0) and changes["oda"] == Change(0, 0, 1)
    assert {name: dataset_rows(fixture_db, name) for name in original} == original
    assert rows(fixture_db, "SELECT DISTINCT action, mode FROM _versions WHERE version = 4") == [("rollback", "version 1")]


def test_the_stored_summaries_follow_every_version(fixture_db, write):
    def cod():
        """Every stored summary equals its query run on the rows now; the country summary of COD."""
        for name in SUMMARIES:
            stored = sorted(rows(fixture_db, f"SELECT * FROM {name}"), key=repr)
            assert stored == sorted(rows(fixture_db, sql(name)), key=repr), name
        return sorted(rows(fixture_db, "SELECT * FROM oda_country_summary WHERE country_iso3 = 'COD'"), key=repr)

    built = cod()
    assert [r for r in built if r[0] == "year"] == [
        ("year", 2023, "commitment", None, None, "COD", None, 999999.0, 1),
        ("year", 2023, "disbursement", None, None, "COD", None, 100000.0, 1),
        ("year", 2024, "disbursement", None, None, "COD", None, 180000.0, 2),
    ]
    load(fixture_db, "oda", write("o.csv", "entity,year,country_iso3,amount_eur,flow\nWBI,2030,COD,7,disbursement\n"), mode="years")
    assert ("year", 2030, "disbursement", None, None, "COD", None, 7.0, 1) in cod()
    assert rows(fixture_db, "SELECT * FROM oda_map_summary WHERE year = 2030") == [("COD", 2030, "WBI", None, None, 7.0)]
    load(fixture_db, "missions", write("m.csv", MISSIONS_HEADER + "M4,Nouvelle,AWEX,Wallonie,COD,2027-01-10,5\n"), mode="upsert")
    assert len(cod()) == len(built) + 4  # the 2030 row: its year, and its sector, channel and source (none)
    rollback(fixture_db, 1)
    assert cod() == built


def test_a_database_written_by_an_older_atlas_is_brought_to_the_schema_at_start(fixture_db):
    from atlas import writes

    with fixture_db.transaction() as con:  # as an Atlas from before the Dutch sector names wrote it
        con.execute("ALTER TABLE dac_sectors DROP COLUMN name_nl")
    before = rows(fixture_db, "SELECT count(*), sum(amount_eur), max(version) FROM oda, _versions")
    con = duckdb.connect(str(fixture_db.path))  # and before the country summary
    con.execute("DROP TABLE oda_country_summary")
    con.close()
    assert fixture_db.missing_columns() == ["oda_country_summary", "dac_sectors.name_nl"]
    writes.ensure_database()
    assert fixture_db.missing_columns() == []
    assert rows(fixture_db, "SELECT count(*), sum(amount_eur), max(version) FROM oda, _versions") == before


def test_a_summary_computed_by_an_older_definition_is_recomputed_at_start(fixture_db):
    from atlas import writes

    assert fixture_db.missing_columns() == []
    con = duckdb.connect(str(fixture_db.path))  # as an Atlas whose map summary left out regional rows
    con.execute("DELETE FROM oda_map_summary WHERE country_iso3 IS NULL")
    con.execute("UPDATE _summaries SET definition = 'older' WHERE name = 'oda_map_summary'")
    con.close()
    assert rows(fixture_db, "SELECT count(*) FROM oda WHERE country_iso3 IS NULL AND flow = 'disbursement'") != [(0,)]
    versions = rows(fixture_db, "SELECT max(version) FROM _versions")
    assert fixture_db.missing_columns() == ["oda_map_summary"]
    writes.ensure_database()
    assert fixture_db.missing_columns() == []
    assert sorted(rows(fixture_db, "SELECT * FROM oda_map_summary"), key=repr) == sorted(rows(fixture_db, sql("oda_map_summary")), key=repr)
    assert rows(fixture_db, "SELECT max(version) FROM _versions") == versions

