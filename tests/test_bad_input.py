"""Files that a person or a program got wrong: each is refused with a French message naming the
line, or accepted with its meaning intact; a refusal leaves the database byte for byte as it was."""

from __future__ import annotations

import hashlib
import subprocess
import sys

import pytest

from atlas.contract import dataset
from atlas.imports import ingest
from atlas.imports.ingest import Report, check_file
from atlas.store import ROOT, Change
from atlas.writes.versions import load, preview

from conftest import rows

ODA = "entity,year,country_iso3,sector_code,channel,project,flow,amount_eur,source\n"


def oda_row(project="Coopération santé", amount="1000", entity="Wallonie", year=2024) -> str:
    return f"{entity},{year},COD,12220,ONG,{project},disbursement,{amount},test\n"


def problems(report: Report) -> list[tuple[int | None, str | None]]:
    return [(p.line, p.column) for p in report.problems]


def digest(db) -> str:
    return hashlib.sha256(db.path.read_bytes()).hexdigest()


def test_blank_first_line_is_refused_with_the_header_rule(write):
    report = check_file(dataset("oda"), write("a.csv", "\n" + ODA + oda_row()))
    assert problems(report) == [(1, None)]
    assert "première ligne est vide" in report.problems[0].message


def test_bare_cr_outside_quotes_is_refused_on_its_line_and_inside_quotes_kept(fixture_db, write):
    bad = write("cr.csv", ODA + oda_row() + oda_row("Coop\rération"))
    report = check_file(dataset("oda"), bad)
    assert problems(report) == [(3, None)]
    assert "retour chariot" in report.problems[0].message

    good = write("crq.csv", ODA + oda_row('"Coop\rération"'))
    assert load(fixture_db, "oda", good, force=True).report.ok
    assert rows(fixture_db, "SELECT project FROM oda") == [("Coop\rération",)]


def test_old_mac_line_endings_load_with_spreadsheet_line_numbers(write):
    text = (ODA + oda_row() + oda_row(amount="abc") + oda_row()).replace("\n", "\r")
    report = check_file(dataset("oda"), write("mac.csv", text))
    assert problems(report) == [(3, "amount_eur")]
    assert "fins de ligne Mac (CR) converties." in report.notices


def test_utf8_mixed_with_windows_1252_is_refused_naming_the_lines(fixture_db, write):
    data = (ODA + oda_row()).encode() + oda_row("Santé").encode("cp1252") + oda_row("Santé").encode()
    data += oda_row("Éducation").encode("cp1252")
    before = digest(fixture_db)
    result = load(fixture_db, "oda", write("mixed.csv", data))
    assert problems(result.report) == [(3, None), (5, None)]
    assert "deux encodages mêlés" in result.report.problems[0].message
    assert digest(fixture_db) == before


def test_windows_1252_alone_keeps_its_accents(fixture_db, write):
    path = write("w.csv", ODA + oda_row("Santé à Kinshasa – phase 2"), encoding="cp1252")
    result = load(fixture_db, "oda", path, force=True)
    assert result.report.ok and "encodage Windows-1252 converti en UTF-8." in result.report.notices
    assert rows(fixture_db, "SELECT project FROM oda") == [("Santé à Kinshasa – phase 2",)]


@pytest.mark.parametrize("amount", ["inf", "-Infinity", "NaN", "9" * 400, "1e300", "1000000000000", "-1000000000000",
                                    "1.000.000.000.000,00"])
def test_non_finite_or_huge_amounts_are_refused(fixture_db, write, amount):
    before = digest(fixture_db)
    text = ODA + oda_row(amount="AMOUNT")
    text = text.replace(",", ";").replace("AMOUNT", amount) if "," in amount else text.replace("AMOUNT", amount)
    result = load(fixture_db, "oda", write("n.csv", text))
    assert problems(result.report) == [(2, "amount_eur")]
    assert digest(fixture_db) == before


def test_amount_just_under_the_limit_is_kept_exactly(fixture_db, write):
    result = load(fixture_db, "oda", write("n.csv", ODA + oda_row(amount="999999999999.5")), force=True)
    assert result.report.ok
    assert rows(fixture_db, "SELECT amount_eur FROM oda") == [(999999999999.5,)]


def test_every_eur_amount_of_the_contract_is_bounded():
    bounded = sorted(c.name for ds in ("agreements", "oda", "oda_national", "missions") for c in dataset(ds).columns
                     if c.magnitude_below == 1e12)
    assert bounded == ["amount_eur", "budget_eur", "cost_eur", "fee_large_eur", "fee_sme_eur", "gni_eur", "oda_eur"]


@pytest.mark.parametrize("project", ["CoopÃ©ration", "Coop\ufffdration", "lâ€™aide"])
def test_garbled_text_is_refused(write, project):
    report = check_file(dataset("oda"), write("g.csv", ODA + oda_row(project)))
    assert problems(report) == [(2, "project")]


@pytest.mark.parametrize("project", ["SÃO TOMÉ", "l’aide – 2024", "Coopération"])
def test_accents_that_look_alike_are_not_garbled(write, project):
    assert check_file(dataset("oda"), write("g.csv", ODA + oda_row(project))).ok


def test_a_short_row_is_said_once_and_not_as_an_empty_file(write):
    report = check_file(dataset("oda"), write("s.csv", ODA + "Wallonie,2020,COD\n"))
    assert problems(report) == [(2, None)]
    assert "3 champs alors que l'en-tête en compte 9" in report.problems[0].message


def test_utf16_gets_a_sentence_of_its_own(write):
    report = check_file(dataset("oda"), write("u.csv", (ODA + oda_row()).encode("utf-16")))
    assert "UTF-16" in report.problems[0].message


def test_reports_keep_a_cap_count_the_rest_and_say_a_line_once(write, monkeypatch):
    monkeypatch.setattr(ingest, "MAX_KEPT", 5)
    monkeypatch.setattr(ingest, "MAX_SHOWN", 3)
    report = check_file(dataset("oda"), write("many.csv", ODA + oda_row(amount="x") * 20))
    assert (len(report.problems), report.omitted, report.problem_count) == (5, 15, 20)
    assert [p.line for p in report.problems] == [2, 3, 4, 5, 6]
    shown = report.shown()
    assert len(shown) == 4 and shown[-1].startswith("… et 17 autres problèmes")

    once = Report("oda", "f.csv")
    for _ in range(3):
        once.fail("même problème", line=4, column="year")
    assert once.problem_count == 1


def test_command_line_prints_a_bounded_report(tmp_path):
    path = tmp_path / "many.csv"
    path.write_text(ODA + oda_row(amount="x") * 5000, encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "atlas", "check", "oda", str(path)], cwd=ROOT,
                          capture_output=True, text=True)
    assert done.returncode == 1
    lines = done.stderr.splitlines()
    assert lines[0] == "many.csv : 5000 problème(s), rien n'a été écrit."
    assert len(lines) == 1 + ingest.MAX_SHOWN + 1
    assert lines[-1].strip().startswith("… et 4800 autres problèmes")


def test_years_replaces_only_the_entity_years_in_the_file(fixture_db, write):
    # Wallonie's 2024 file: WBI's 2023 rows (and any other entity's 2024 rows) stay as they were.
    extra = write("wbi.csv", ODA + oda_row(entity="Wallonie-Bruxelles International", year=2024, amount="7"))
    assert load(fixture_db, "oda", extra, mode="years").changes["oda"] == Change(added=1, changed=0, removed=0)
    others = rows(fixture_db, "SELECT * FROM oda WHERE entity <> 'Wallonie' ORDER BY ALL")

    path = write("w.csv", ODA + oda_row(amount="5") + oda_row(amount="6"))
    seen = preview(fixture_db, "oda", path, mode="years")
    assert seen.replaced == [
        {"entity": "Wallonie", "year": 2024, "rows_in_file": 2, "rows_before": 4, "rows_removed": 4},
    ]
    result = load(fixture_db, "oda", path, mode="years", force=True)
    assert result.changes["oda"] == Change(added=2, changed=0, removed=4)
    assert result.replaced == seen.replaced
    assert rows(fixture_db, "SELECT * FROM oda WHERE entity <> 'Wallonie' ORDER BY ALL") == others
    assert rows(fixture_db, "SELECT amount_eur FROM oda WHERE entity = 'Wallonie' ORDER BY ALL") == [(5.0,), (6.0,)]


def test_years_in_oda_national_still_replace_whole_years(fixture_db, write):
    path = write("n.csv", "year,oda_eur,gni_eur\n2023,1,100\n")
    result = load(fixture_db, "oda_national", path, mode="years")
    assert result.replaced == [{"year": 2023, "rows_in_file": 1, "rows_before": 1, "rows_removed": 1}]


def test_mixed_line_ends_load_and_a_bad_line_is_named(fixture_db, write):
    mixed = (ODA + oda_row()).replace("\n", "\r\n") + oda_row() + oda_row(amount="abc")
    report = check_file(dataset("oda"), write("m.csv", mixed))
    assert problems(report) == [(4, "amount_eur")]


@pytest.mark.parametrize("data", [
    b"\nyear,oda_eur,gni_eur\n2031,1,2\n",  # blank first line
    b"year,oda_eur,gni_eur\n2031,1,a\rb\n",  # a bare CR outside quotes
    b"year,oda_eur,gni_eur\r\n2031,1,2\n2032,1,2\r2033,1,2\n",  # CRLF, LF and a bare CR
])
def test_a_refusal_inside_the_import_transaction_is_a_report(fixture_db, write, data):
    before = digest(fixture_db)
    result = load(fixture_db, "oda_national", write("n.csv", data), mode="upsert")
    assert not result.report.ok and result.version is None
    assert digest(fixture_db) == before


def test_a_workbook_with_an_unreadable_cell_is_refused(tmp_path):
    import zipfile

    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["year", "oda_eur", "gni_eur"])
    book.active.append([2031, 12345, 2])
    good = tmp_path / "good.xlsx"
    book.save(good)
    bad = tmp_path / "bad.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w") as out:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<v>12345</v>", b"<v>NaN</v>")
            out.writestr(item, data)
    report = check_file(dataset("oda_national"), bad)
    assert [p.message.split(" (")[0] for p in report.problems] == [
        "ce classeur Excel est abîmé"
    ]
