"""`python -m atlas synth`: deterministic, the asked size, valid for import, marked synthetic."""

from __future__ import annotations

import subprocess
import sys

import duckdb
import pytest

from atlas.contract import DATASETS, dataset
from atlas.errors import AtlasError
from atlas.imports.ingest import check_file
from atlas.store import ROOT

import synth


def test_same_seed_same_bytes_other_seed_other_rows(tmp_path):
    a = synth.write_oda(tmp_path / "a.csv", 2_000, seed=7)
    b = synth.write_oda(tmp_path / "b.csv", 2_000, seed=7)
    c = synth.write_oda(tmp_path / "c.csv", 2_000, seed=8)
    assert a.read_bytes() == b.read_bytes()
    assert a.read_bytes() != c.read_bytes()


def test_row_counts_across_chunks(tmp_path, monkeypatch):
    monkeypatch.setattr(synth, "CHUNK", 1_000)  # several chunks, the last one partial
    path = synth.write_oda(tmp_path / "oda.csv", 2_345, seed=1)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == ",".join(synth.ODA_COLUMNS)
    assert len(lines) == 1 + 2_345
    con = duckdb.connect()
    assert con.execute("SELECT count(*) FROM read_csv($p)", {"p": str(path)}).fetchone()[0] == 2_345


def test_every_file_valid_and_marked_synthetic(tmp_path):
    written = synth.generate(tmp_path / "out", 5_000, seed=3)
    assert set(written) == set(DATASETS)
    for name, path in written.items():
        report = check_file(dataset(name), path)
        assert report.ok, (name, [str(p) for p in report.problems[:5]])
        if "source" in DATASETS[name].column_names:
            con = duckdb.connect()
            unmarked = con.execute(
                "SELECT count(*) FROM read_csv($p, all_varchar=true) WHERE source NOT LIKE '%synthétique%'",
                {"p": str(path)},
            ).fetchone()[0]
            assert unmarked == 0, name
    assert check_file(dataset("oda"), written["oda"]).rows == 5_000


def test_distributions_are_realistic(tmp_path):
    path = synth.write_oda(tmp_path / "oda.csv", 50_000, seed=1)
    con = duckdb.connect()
    con.execute("CREATE TABLE o AS SELECT * FROM read_csv($p, all_varchar=true)", {"p": str(path)})
    one = con.execute(
        """SELECT count(DISTINCT country_iso3), min(year::INT), max(year::INT),
                  count(*) FILTER (year::INT >= 2015) / count(*),
                  count(*) FILTER (amount_eur::DOUBLE < 0), count(DISTINCT flow), count(DISTINCT entity),
                  count(*) FILTER (country_iso3 IS NULL AND region IS NOT NULL) / count(*)
           FROM o"""
    ).fetchone()
    countries, first, last, recent, negative, flows, entities, regional = one
    assert 120 <= countries <= 160
    assert (first, last) == (2000, 2025)
    assert recent > 0.6  # weighted to recent years
    assert 0 < negative < 50_000 * 0.01
    assert flows == 2 and entities == 4
    assert 0.03 < regional < 0.08
    # A long tail: the first country weighs far more than the median one.
    shares = [n for (n,) in con.execute(
        "SELECT count(*) FROM o WHERE country_iso3 IS NOT NULL GROUP BY country_iso3 ORDER BY 1 DESC").fetchall()]
    assert shares[0] > 20 * shares[len(shares) // 2]
    codes = {r[0] for r in con.execute("SELECT CAST(code AS VARCHAR) FROM read_csv($p)",
                                       {"p": str(ROOT / "data" / "reference" / "dac_sectors.csv")}).fetchall()}
    used = {r[0] for r in con.execute("SELECT DISTINCT sector_code FROM o WHERE sector_code IS NOT NULL").fetchall()}
    assert used <= codes and len(used) > 100
    homes = {r[0] for r in con.execute("SELECT DISTINCT entity FROM read_csv($p)",
                                       {"p": str(ROOT / "data" / "sample" / "oda.csv")}).fetchall()}
    assert {r[0] for r in con.execute("SELECT DISTINCT entity FROM o").fetchall()} == homes


def test_never_into_the_sample(tmp_path):
    with pytest.raises(AtlasError, match="data/sample"):
        synth.generate(ROOT / "data" / "sample", 10)
    with pytest.raises(AtlasError, match="data/sample"):
        synth.generate(ROOT / "data" / "sample" / "sub", 10)
    with pytest.raises(AtlasError):
        synth.write_oda(tmp_path / "x.csv", synth.MAX_ODA_ROWS + 1)


def test_command_line(tmp_path):
    out = tmp_path / "synth"
    done = subprocess.run(
        [sys.executable, "-m", "atlas", "synth", str(out), "--oda-rows", "1000", "--seed", "2"],
        cwd=ROOT, capture_output=True, text=True,
    )
    assert done.returncode == 0, done.stderr
    assert "1000 lignes ODA" in done.stderr
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{n}.csv" for n in DATASETS)
    refused = subprocess.run(
        [sys.executable, "-m", "atlas", "synth", str(ROOT / "data" / "sample"), "--oda-rows", "10"],
        cwd=ROOT, capture_output=True, text=True,
    )
    assert refused.returncode == 1 and "data/sample" in refused.stderr
