"""Nothing lost, whatever happens: every bad input refused with the database unchanged, a load
killed at random moments, loads while another process reads through the app's own read path."""

from __future__ import annotations

import random
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from atlas.__main__ import main
from atlas.store import ROOT, Database
from atlas.writes import versions

from conftest import rows

ODA = "entity,year,country_iso3,sector_code,channel,project,flow,amount_eur,source\n"
MISSIONS = "mission_id,title,organiser,entity,country_iso3,starts_on,ends_on,cost_eur\n"
AGREEMENTS = "agreement_id,title,partner,partner_level,country_iso3,entity,signed_on,status\n"


def everything(db: Database) -> dict[str, list]:
    """The whole content of the database: every versioned row and the version log."""
    tables = ["_versions"] + [f"_rows_{n}" for n in ("agreements", "priority_countries", "oda", "oda_national", "missions", "offices")]
    return {t: sorted(rows(db, f"SELECT * FROM {t}"), key=repr) for t in tables}


# One test per bad input of DATA_CONTRACT.md: exit status 1, the message names the line and the
# column where there is one, and the database is exactly as it was.
BAD_INPUTS = {
    "empty file": ("oda", b"", "le fichier est vide"),
    "header only": ("oda", ODA.encode(), "n'a que l'en-tête"),
    "not a csv": ("oda", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "ni un CSV ni un classeur Excel"),
    "not an xlsx": ("oda", b"PK\x03\x04\x14\x00broken zip", "n'est pas un classeur Excel"),
    "undecodable bytes": ("oda", ODA.encode() + b"Wallonie,2024,COD,,,,,\x81,x\n", "ligne 2 : octets illisibles"),
    "too many fields": ("oda", (ODA + "Wallonie,2024,COD,,,,,10,x,extra\n").encode(), "ligne 2 : 10 champs alors que l'en-tête en compte 9"),
    "too few fields": ("oda", (ODA + "Wallonie,2024,COD,,,,10\n").encode(), "ligne 2 : 7 champs alors que l'en-tête en compte 9"),
    "missing column": ("oda", b"entity,year\nWallonie,2024\n", "ligne 1, colonne amount_eur : colonne obligatoire absente"),
    "wrong type": ("oda", (ODA + "Wallonie,2024,COD,,,,,dix,x\n").encode(), "ligne 2, colonne amount_eur : « dix » n'est pas un nombre"),
    "impossible date": ("missions", (MISSIONS + "M9,T,AWEX,Wallonie,SEN,30/02/2027,,5\n").encode(), "ligne 2, colonne starts_on : « 30/02/2027 » n'est pas une date valide"),
    "unknown country": ("oda", (ODA + "Wallonie,2024,CGO,,,,,10,x\n").encode(), "ligne 2, colonne country_iso3 : « CGO » n'est pas un code ISO 3166-1 alpha-3 connu (voulez-vous dire COG ou COD ?)"),
    "duplicate key": ("missions", (MISSIONS + "M9,T,AWEX,Wallonie,SEN,2027-01-01,,5\nM9,T,AWEX,Wallonie,SEN,2027-01-01,,5\n").encode(), "ligne 3, colonne mission_id : « M9 » apparaît déjà ligne 2"),
    "value outside allowed set": ("agreements", (AGREEMENTS + "A9,T,P,province,CAN,WBI,2020-01-01,in_force\n").encode(), "ligne 2, colonne partner_level : « province » n'est pas une valeur permise"),
    "value outside range": ("oda", (ODA + "Wallonie,1950,COD,,,,,10,x\n").encode(), "ligne 2, colonne year : « 1950 » est hors des limites"),
    "end before start": ("missions", (MISSIONS + "M9,T,AWEX,Wallonie,SEN,2027-01-10,2027-01-01,5\n").encode(), "ligne 2, colonne ends_on : « 2027-01-01 » précède starts_on"),
}


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_input_is_refused_and_changes_nothing(case, fixture_db, write, capsys):
    dataset, content, expected = BAD_INPUTS[case]
    before, stamp = everything(fixture_db), fixture_db.stamp()
    status = main(["load", dataset, str(write("upload.csv", content)), "--force", "--db", str(fixture_db.path)])
    err = capsys.readouterr().err
    assert status == 1
    assert expected in err, err
    assert "rien n'a été écrit" in err
    assert fixture_db.stamp() == stamp and everything(fixture_db) == before


def test_file_over_the_limit_is_refused_before_it_is_read(fixture_db, write, monkeypatch, capsys):
    monkeypatch.setattr("atlas.imports.ingest.MAX_BYTES", 1000)

    def never(*args, **kwargs):
        raise AssertionError("the file was read")

    monkeypatch.setattr("atlas.imports.ingest._read_csv", never)
    monkeypatch.setattr("atlas.imports.ingest._read_excel", never)
    stamp = fixture_db.stamp()
    status = main(["load", "oda", str(write("big.csv", ODA + "Wallonie,2024,COD,,,,,10,x\n" * 100)), "--db", str(fixture_db.path)])
    assert status == 1 and "au-delà de la limite de 0 Mo" in capsys.readouterr().err
    assert fixture_db.stamp() == stamp
    # The page refuses the upload from its size alone, before reading its bytes.
    refused = versions.preview_upload(fixture_db, "oda", b"x" * 2000, "big.csv")
    assert not refused.report.ok and "au-delà de la limite" in refused.report.problems[0].message


def test_messy_belgian_file_round_trips_to_exact_values(fixture_db, write):
    content = (
        "Mission_ID ; Title;organiser;entity;country_iso3;starts_on;ends_on;cost_eur;fee_sme_eur;kind;Remarque\r\n"
        "M7;Mission « Québec » 2027;AWEX;Wallonie-Bruxelles International;Canada;31/03/2027;2027-04-04;1 234 567,89 €;1.250,5;ROYAL;à voir\r\n"
        "M8;Mission Sénégal;hub.brussels;Région de Bruxelles-Capitale;SN;01/12/2027;;12500;;;\r\n"
        ";;;;;;;;;;\r\n"
    ).encode("cp1252")
    result = versions.load(fixture_db, "missions", write("missions.csv", content), mode="upsert", user="test")
    assert result.report.ok, [str(p) for p in result.report.problems]
    assert rows(fixture_db, "SELECT mission_id, title, entity, country_iso3, starts_on::VARCHAR, ends_on::VARCHAR, cost_eur, "
                            "fee_sme_eur, fee_large_eur, kind FROM missions WHERE mission_id IN ('M7', 'M8') ORDER BY 1") == [
        ("M7", "Mission « Québec » 2027", "Wallonie-Bruxelles International", "CAN", "2027-03-31", "2027-04-04",
         1234567.89, 1250.5, 300.0, "royal"),
        ("M8", "Mission Sénégal", "Région de Bruxelles-Capitale", "SEN", "2027-12-01", None, 12500.0, 100.0, 300.0, None),
    ]
    notices = " | ".join(result.report.notices)
    for expected in ("Windows-1252", "séparateur « ; »", "2 noms ou codes de pays convertis", "2 dates converties",
                     "nombres écrits à la belge", "1 valeur mise en casse standard (kind)", "Remarque"):
        assert expected in notices, notices


# --- A load killed at random moments -----------------------------------------------------------


def oda_file(path: Path, n: int, amount: int) -> Path:
    with open(path, "w", encoding="utf-8") as f:
        f.write(ODA)
        f.writelines(f"Wallonie,{2000 + i % 25},COD,12220,ONG,Projet {i},disbursement,{amount},kill\n" for i in range(n))
    return path


def oda_state(db: Database) -> tuple:
    return rows(db, "SELECT count(*), sum(amount_eur), (SELECT max(version) FROM _versions) FROM oda")[0]


def test_load_killed_at_random_moments_leaves_old_or_new_data(fixture_db, tmp_path):
    files = {amount: oda_file(tmp_path / f"oda-{amount}.csv", 100_000, amount) for amount in (1, 2)}
    cmd = [sys.executable, "-m", "atlas", "load", "oda", "", "--force", "--db", str(fixture_db.path)]
    start = time.perf_counter()
    subprocess.run([*cmd[:5], str(files[1]), *cmd[6:]], cwd=ROOT, check=True, capture_output=True)
    duration = time.perf_counter() - start
    rng = random.Random(6)
    state, killed, completed = oda_state(fixture_db), 0, 0
    for i in range(24):
        amount = 2 if i % 2 == 0 else 1
        if state[1] == 100_000 * amount:
            amount = 3 - amount  # always load something that differs from what is there
        proc = subprocess.Popen([*cmd[:5], str(files[amount]), *cmd[6:]], cwd=ROOT,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        # Every sixth load runs to its end (a load's time varies with the machine's load, so
        # random kills alone may never let one finish); the others die at a random moment.
        # A kill lands within the shortest load seen so far: the first one, timed on a busy
        # machine, may last far longer than the next (seen: 2 kills out of 24 at load average 7).
        if i % 6 == 5:
            began = time.perf_counter()
            proc.wait()
            duration = min(duration, time.perf_counter() - began)
        else:
            time.sleep(rng.uniform(0.05, duration * 1.2))
        if proc.poll() is None:
            proc.kill()
            killed += 1
        proc.wait()
        after = oda_state(fixture_db)  # opens: the published file is a whole database
        new = (100_000, 100_000.0 * amount, state[2] + 1)
        assert after in (state, new), (i, state, after)
        completed += after == new
        state = after
    assert killed >= 10 and completed >= 3, (killed, completed)
    # A killed writer leaves at most a temporary file; the next writer removes it.
    assert versions.load(fixture_db, "oda", files[1], force=True).report.ok
    assert not list(fixture_db.path.parent.glob(fixture_db.path.name + ".tmp-*"))


# --- Loads while another process reads, through the app's own cached read path -----------------

READER = textwrap.dedent(
    """
    import sys, time, warnings
    warnings.filterwarnings("ignore")
    import logging; logging.disable(logging.CRITICAL)
    from atlas.reading import queries as data
    # Reads until it has seen the last version (argv[1]), or gives up after argv[2] seconds.
    seen, errors, end = [], [], time.time() + float(sys.argv[2])
    while time.time() < end and (not seen or seen[-1] < int(sys.argv[1])):
        try:
            v = int(data.frame("data_version")["version"].iloc[0])
            n = int(data.frame("versions_history").query("version == @v")["rows_added"].sum())
            if not seen or seen[-1] != v:
                seen.append(v)
        except Exception as err:
            errors.append(repr(err))
    print("SEEN", seen)
    print("ERRORS", errors[:5], len(errors))
    """
)


def test_loads_while_another_process_reads(fixture_db, tmp_path):
    files = [oda_file(tmp_path / f"oda-{k}.csv", 2_000, k) for k in (1, 2, 3, 4, 5)]
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, "6", "300"], cwd=ROOT, text=True, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        env={**__import__("os").environ, "ATLAS_DB": str(fixture_db.path), "PYTHONPATH": str(ROOT)},
    )
    time.sleep(3)
    for path in files:
        done = subprocess.run([sys.executable, "-m", "atlas", "load", "oda", str(path), "--force", "--db", str(fixture_db.path)],
                              cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        time.sleep(1)
    out, _ = reader.communicate(timeout=320)
    seen = eval(out.split("SEEN", 1)[1].split("\n", 1)[0])
    assert "ERRORS [] 0" in out, out
    assert seen == sorted(seen) and seen[-1] == 6, seen  # every new version seen at once, in order
    assert len(seen) >= 5, seen
