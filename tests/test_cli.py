"""The command line of DATA_CONTRACT.md, run as a real subprocess."""

from __future__ import annotations

import subprocess
import sys

from atlas.store import ROOT, Database

from conftest import FIXTURE_DIR, rows


def atlas(*args, env_db=None):
    return subprocess.run(
        [sys.executable, "-m", "atlas", *args], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def test_check_valid_and_invalid_files(tmp_path):
    ok = atlas("check", "missions", str(FIXTURE_DIR / "missions.csv"))
    assert ok.returncode == 0 and "valide (3 lignes)" in ok.stderr
    bad = tmp_path / "bad.csv"
    bad.write_text("mission_id,title\nM1,T\n", encoding="utf-8")
    result = atlas("check", "missions", str(bad))
    assert result.returncode == 1
    assert "ligne 1, colonne organiser : colonne obligatoire absente" in result.stderr
    assert "rien n'a été écrit" in result.stderr


def test_load_versions_rollback_round_trip(fixture_db, tmp_path):
    db = str(fixture_db.path)
    new = tmp_path / "missions.csv"
    new.write_text(
        "mission_id;title;organiser;entity;country_iso3;starts_on;cost_eur\nM4;Mission;AWEX;Wallonie;Sénégal;01/02/2027;1 000,50 €\n",
        encoding="cp1252",
    )
    load = atlas("load", "missions", str(new), "--mode", "upsert", "--db", db)
    assert load.returncode == 0, load.stderr
    assert "missions : 1 ajoutée(s), 0 modifiée(s), 0 supprimée(s) — version 2." in load.stderr
    assert rows(fixture_db, "SELECT country_iso3, cost_eur FROM missions WHERE mission_id = 'M4'") == [("SEN", 1000.5)]
    listing = atlas("versions", "--db", db)
    assert listing.returncode == 0 and "| load | missions | upsert | missions.csv |" in listing.stderr
    back = atlas("rollback", "1", "--db", db)
    assert back.returncode == 0 and "version 3" in back.stderr
    assert rows(fixture_db, "SELECT count(*) FROM missions") == [(3,)]


def test_refused_load_and_unknown_version_exit_1(fixture_db, tmp_path):
    db = str(fixture_db.path)
    one = tmp_path / "m.csv"
    one.write_text("mission_id,title,organiser,entity,country_iso3,starts_on,cost_eur\nM9,T,AWEX,W,SEN,2027-01-01,1\n")
    refused = atlas("load", "missions", str(one), "--db", db)
    assert refused.returncode == 1 and "--force" in refused.stderr
    assert atlas("rollback", "99", "--db", db).returncode == 1
    assert rows(Database(db), "SELECT max(version) FROM _versions") == [(1,)]


def test_build_is_idempotent(tmp_path):
    db = tmp_path / "sample.duckdb"
    for _ in range(2):
        result = atlas("build", "--db", str(db))
        assert result.returncode == 0, result.stderr
    counts = rows(Database(db), "SELECT count(*) FROM _versions")
    assert counts == [(6,)]
