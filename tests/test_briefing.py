"""The country briefing note (issue 18): its queries, its Word, PDF and Excel files, the command
line, and the profile's projects, upcoming dates and « qui fait quoi », on the fixture by hand."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from atlas.figures import briefing_files
from atlas.figures.briefing import TEXT_WIDTH_MM, build_briefing
from atlas.store import Database, execute
from atlas.words.i18n import t
from atlas.writes.versions import build, load

from conftest import FIXTURE_DIR, plain, query_rows, run_page

TODAY = dt.date(2026, 12, 6)
IATI = Path(__file__).parent / "data" / "iati"
MM = 72 / 25.4  # PDF points per millimetre


def runner_of(db: Database):
    con = db.reader()
    return lambda name, base=None, **params: execute(con, name, params, base).df()


# --- Queries, by hand on tests/data/fixture -----------------------------------------------------


def test_projects_of_dr_congo(fixture_db):
    # COD rows: WBI 2023 « Santé de base Kinshasa » 100 000 paid and 999 999 committed; Wallonie 2024 the
    # same title 200 000 (another entity: another project) and « Remboursement » -20 000.
    got = query_rows(fixture_db, "country_projects", {"iso3": "COD", "search": "", "entities": [], "limit": None})
    assert [(r[0], r[2], r[3], r[4], r[8], r[9], r[11], r[12], r[13], r[14]) for r in got] == [
        ("Wallonie | Santé de base Kinshasa", "Santé de base Kinshasa", "Wallonie", "12220", 1, "ONG", 2024, 2024, 0, 200_000),
        ("Wallonie-Bruxelles International | Santé de base Kinshasa", "Santé de base Kinshasa",
         "Wallonie-Bruxelles International", "12220", 1, "ONG", 2023, 2023, 999_999, 100_000),
        ("Wallonie | Remboursement", "Remboursement", "Wallonie", "12220", 1, "ONG", 2024, 2024, 0, -20_000),
    ]


def test_an_iati_activity_is_one_project_with_its_largest_sector(fixture_db):
    # split_percentages.xml: one activity, CD 50 %, sectors 12220 60 % and 12261 40 %, 1 000,00 € committed
    # and 1 000,01 € paid: for DR Congo 500 € committed (300 + 200) and 500,01 € paid.
    assert load(fixture_db, "oda", IATI / "split_percentages.xml", mode="years", force=True).report.ok
    con = fixture_db.reader()
    assert con.execute("SELECT DISTINCT activity_id FROM oda WHERE entity = 'Région de Bruxelles-Capitale'").fetchall() == [
        ("XM-DAC-2-91-GRANDS-LACS",)]
    assert con.execute("SELECT count(*) FROM oda WHERE activity_id IS NULL").fetchone()[0] == 8  # the fixture's CSV rows
    con.close()
    projects = {r[0]: r for r in query_rows(fixture_db, "country_projects", {"iso3": "COD", "search": "", "entities": [], "limit": None})}
    grands_lacs = projects["iati:XM-DAC-2-91-GRANDS-LACS"]
    assert grands_lacs[1:5] == ("XM-DAC-2-91-GRANDS-LACS", "Programme régional Grands Lacs", "Région de Bruxelles-Capitale",
                                "12220")
    assert grands_lacs[8] == 2  # two sectors: the page says « (plusieurs) »
    assert (grands_lacs[13], grands_lacs[14]) == (pytest.approx(500.0), pytest.approx(500.01))
    assert query_rows(fixture_db, "country_project_years", {"iso3": "COD", "project_key": None})[-1] == (
        "iati:XM-DAC-2-91-GRANDS-LACS", "Programme régional Grands Lacs · Région de Bruxelles-Capitale", 2023,
        pytest.approx(500.0), pytest.approx(500.01))
    # The largest first, cut by DuckDB, with how many matched; the filters run there too.
    top = query_rows(fixture_db, "country_projects", {"iso3": "COD", "search": "", "entities": [], "limit": 1})
    assert len(top) == 1 and top[0][-1] == len(projects)
    found = query_rows(fixture_db, "country_projects", {"iso3": "COD", "search": "grands LACS", "entities": [], "limit": 200})
    assert [r[0] for r in found] == ["iati:XM-DAC-2-91-GRANDS-LACS"]
    assert query_rows(fixture_db, "country_projects", {"iso3": "COD", "search": "", "entities": ["Wallonie"],
                                                       "limit": 200})[0][3] == "Wallonie"


def test_who_does_what_in_dr_congo(fixture_db):
    assert query_rows(fixture_db, "country_who_does_what", {"iso3": "COD"}) == [
        ("Wallonie", 180_000, 0, 2024, 2024, 1, 0, 0, 0),  # 200 000 - 20 000; agreement A4 (negotiating)
        ("Wallonie-Bruxelles International", 100_000, 999_999, 2023, 2023, 0, 0, 0, 0),
    ]
    assert query_rows(fixture_db, "country_oda_by_entity", {"iso3": "COD"}) == [
        ("Wallonie", 2024, 0, 180_000), ("Wallonie-Bruxelles International", 2023, 999_999, 100_000)]


def test_what_is_coming_up_in_senegal(fixture_db):
    # A2 in force ends 2027-06-30; its last joint commission (2016-02-09) is more than 3 years old: due
    # now; mission M2 starts 2026-11-30. From 1 November 2026, all three fall within 12 months.
    got = query_rows(fixture_db, "country_upcoming", {"iso3": "SEN", "today": dt.date(2026, 11, 1)})
    assert [(r[0], r[1]) for r in got] == [
        ("commission_due", dt.date(2026, 11, 1)), ("mission", dt.date(2026, 11, 30)),
        ("agreement_ends", dt.date(2027, 6, 30))]
    assert query_rows(fixture_db, "country_upcoming", {"iso3": "SEN", "today": dt.date(2027, 7, 1)})[0][:2] == (
        "commission_due", dt.date(2027, 7, 1))  # still overdue; the agreement has ended, the mission is past
    assert query_rows(fixture_db, "country_upcoming", {"iso3": "COD", "today": TODAY}) == []


# --- The files -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fixture_files(tmp_path_factory):
    db = Database(tmp_path_factory.mktemp("briefing") / "atlas.duckdb")
    build(db, FIXTURE_DIR)
    note = build_briefing(runner_of(db), "COD", "fr", TODAY)
    return note, briefing_files.build_files(note)


def test_the_word_file_says_what_the_page_says_in_fixed_tables(fixture_files):
    from docx import Document
    from docx.oxml.ns import qn

    note, files = fixture_files
    doc = Document(io.BytesIO(files.docx))
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    from docx.shared import Length

    text_width = Length(section.page_width - section.left_margin - section.right_margin)
    assert round(text_width.mm) == TEXT_WIDTH_MM
    texts = [plain(p.text) for p in doc.paragraphs]
    assert "Population (2017) : 83 301 151 · PIB (2016) : 66 010 millions USD · faible revenu · Afrique" in texts
    assert texts[0] == "Fiche pays : République démocratique du Congo"
    assert "Données d'exemple : une partie des chiffres est illustrative ; ne pas les citer comme officiels." in texts
    assert "De 2023 à 2024, 280 000 € versés et 999 999 € engagés." in texts
    for table in doc.tables:
        layout = table._tbl.tblPr.find(qn("w:tblLayout"))
        assert layout is not None and layout.get(qn("w:type")) == "fixed"
        widths = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
        assert sum(widths) <= text_width.twips  # never wider than the text: nothing runs off the page
    cells = [[plain(c.text) for c in row.cells] for table in doc.tables for row in table.rows]
    assert ["Accords en vigueur\n0 / 1", "APD versée 2023–2024\n280 000 €", "APD engagée\n999 999 €"] in cells
    assert ["Santé de base Kinshasa", "Wallonie-Bruxelles International", "Soins et services de santé de base", "2023",
            "999 999 €", "100 000 €"] in cells
    assert ["Remboursement", "Wallonie", "Soins et services de santé de base", "2024", "0 €", "-20 000 €"] in cells
    assert ["Wallonie", "180 000 €", "0 €", "1 (0)", "0"] in cells  # who does what
    assert len(doc.inline_shapes) == 2  # ODA by year, by entity and year
    # The last page: sources and the data version, after a page break.
    last = texts.index("Sources et version des données")
    assert texts[last + 1].startswith("Données d'Atlas, version 1 du ")
    assert texts[last + 3:] == ["Accords : fixture exemple", "Aide publique au développement : fixture",
                                "Aide publique au développement : fixture exemple", "Pays prioritaires : fixture",
                                "Source : Natural Earth 1:110m (version 4.0.0, domaine public), estimations de population "
                                "de 2017 et de PIB de 2016."]
    assert "w:br" in doc.paragraphs[last - 1]._p.xml and 'w:type="page"' in doc.paragraphs[last - 1]._p.xml


def pdf_words(pdf: bytes, tmp_path) -> list[tuple[int, float, float, float, float, str]]:
    path = tmp_path / "note.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    words, page = [], 0
    for line in out.splitlines():
        if "<page " in line:
            page += 1
            size = tuple(float(v) for v in re.search(r'width="([\d.]+)" height="([\d.]+)"', line).groups())
            assert size == pytest.approx((595.28, 841.89), abs=1)  # A4 in points (chromium rounds to its pixels)
        found = re.search(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*)</word>', line)
        if found:
            words.append((page, *(float(v) for v in found.groups()[:4]), found.group(5)))
    return words


def test_the_pdf_is_a4_and_every_word_lies_inside_the_text_area(fixture_files, tmp_path):
    note, files = fixture_files
    words = pdf_words(files.pdf, tmp_path)
    left, right = 20 * MM, (210 - 20) * MM
    top, bottom = 20 * MM, (297 - 20) * MM
    body = [w for w in words if w[4] <= bottom + 1]
    footer = [w for w in words if w[4] > bottom + 1]
    for page, x0, _, x1, _, word in words:
        assert left - 1 <= x0 and x1 <= right + 1, (page, word, x0, x1)  # never wider than the text
    for page, _, y0, _, _, word in body:
        assert top - 1 <= y0, (page, word, y0)
    for page, _, _, _, y1, word in footer:  # the footer (title, notice, page number) in the bottom margin
        assert y1 <= (297 - 5) * MM, (page, word, y1)
    pages = max(w[0] for w in words)
    assert {w[0] for w in footer} == set(range(1, pages + 1))


def test_the_pdf_holds_the_figures_and_ends_with_sources_and_version(fixture_files, tmp_path):
    note, files = fixture_files
    path = tmp_path / "note.pdf"
    path.write_bytes(files.pdf)
    pages = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                           check=True).stdout.split("\f")
    text = plain(" ".join(pages))
    for expected in ("Fiche pays : République démocratique du Congo", "280 000 €", "999 999 €",
                     "Données d'exemple", "Santé de base Kinshasa", "Remboursement", "-20 000 €", "Kinshasa"):
        assert expected in text, expected
    last = plain(pages[-2] if not pages[-1].strip() else pages[-1])
    assert "Sources et version des données" in last and "Données d'Atlas, version 1 du" in last
    assert "Aide publique au développement : fixture exemple" in last


def test_the_excel_file_has_one_sheet_per_table_with_numbers(fixture_files):
    from openpyxl import load_workbook

    note, files = fixture_files
    book = load_workbook(io.BytesIO(files.xlsx))
    assert book.sheetnames == ["Chiffres clés", "Accords", "APD par année", "Qui fait quoi", "Projets", "Bureaux",
                               "APD par entité et année", "APD par secteur", "Projets par année", "Sources"]
    assert plain(book["Chiffres clés"]["A3"].value).startswith("Données d'exemple")
    projects = list(book["Projets"].values)
    header = projects[0]
    rows = {(r[header.index("title")], r[header.index("entity")]): r for r in projects[1:]}
    wbi = rows[("Santé de base Kinshasa", "Wallonie-Bruxelles International")]
    assert (wbi[header.index("committed_eur")], wbi[header.index("disbursed_eur")]) == (999_999, 100_000)
    assert rows[("Remboursement", "Wallonie")][header.index("disbursed_eur")] == -20_000
    assert sum(r[header.index("disbursed_eur")] for r in projects[1:]) == 280_000


def test_a_country_without_data_gets_a_short_note(tmp_path):
    db = Database(tmp_path / "atlas.duckdb")
    build(db, FIXTURE_DIR)
    note = build_briefing(runner_of(db), "NOR", "en", TODAY)
    assert note.title == "Country briefing: Norway"
    assert not note.charts
    files = briefing_files.build_files(note, ("docx", "xlsx"))
    from docx import Document

    texts = [p.text for p in Document(io.BytesIO(files.docx)).paragraphs]
    assert t("country.no_oda", "en") in texts and t("country.no_agreements", "en") in texts
    assert "Has never been a priority country." in texts


def test_the_command_line_writes_the_format_its_extension_names(tmp_path):
    db = Database(tmp_path / "atlas.duckdb")
    build(db, FIXTURE_DIR)
    out = tmp_path / "note.xlsx"
    done = subprocess.run([sys.executable, "-m", "atlas", "--db", str(db.path), "briefing", "cod", "--lang", "nl",
                           "--out", str(out)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert f"fiche pays COD écrite : {out}" in done.stderr
    from openpyxl import load_workbook

    assert load_workbook(out).sheetnames[0] == "Kerncijfers"
    wrong = subprocess.run([sys.executable, "-m", "atlas", "--db", str(db.path), "briefing", "COD", "--out",
                            str(tmp_path / "note.txt")], capture_output=True, text=True)
    assert wrong.returncode == 1 and "choisissez .docx, .pdf ou .xlsx" in wrong.stderr
    unknown = subprocess.run([sys.executable, "-m", "atlas", "--db", str(db.path), "briefing", "XYZ", "--out",
                              str(tmp_path / "note.pdf")], capture_output=True, text=True)
    assert unknown.returncode == 1 and "« XYZ » n'est pas un code ISO 3166-1 alpha-3 connu" in unknown.stderr
    assert not (tmp_path / "note.pdf").exists()


# --- The profile page (AppTest) ---------------------------------------------------------------------


@pytest.fixture
def app(fixture_db):
    return AppTest.from_file("../app.py", default_timeout=60)


def test_profile_of_dr_congo_lists_projects_and_opens_one(app):
    run_page(app, "pages/fiche-pays.py", pays="COD")
    headers = [h.value for h in app.header]
    assert headers[:2] == ["À venir dans les 12 mois", "Accords de coopération"]
    assert "Qui fait quoi" in headers and "Projets" in headers
    table = next(d for d in app.dataframe if "Engagé (€)" in d.value.columns)
    assert table.value["Intitulé"].tolist() == ["Santé de base Kinshasa", "Santé de base Kinshasa", "Remboursement"]
    assert table.value["Versé (€)"].tolist() == [200_000, 100_000, -20_000]
    app.selectbox(key="country_project").set_value("Wallonie-Bruxelles International | Santé de base Kinshasa").run()
    assert not app.exception
    assert plain(app.subheader[-1].value) == "Les entités versent 100 000 € en 2023"  # the project's chart finding
    assert "Flux annuels de « Santé de base Kinshasa · Wallonie-Bruxelles International »" in [
        plain(s.value) for s in app.subheader]
    years = next(d for d in app.dataframe if list(d.value.columns) == ["Année", "Engagements", "Versements"])
    assert [plain(v) for v in years.value.iloc[0]] == ["2023", "999 999 €", "100 000 €"]
    assert app.query_params["projet"] == "Wallonie-Bruxelles International | Santé de base Kinshasa"
    app.text_input(key="country_projects_search").input("rembours").run()
    table = next(d for d in app.dataframe if "Engagé (€)" in d.value.columns)
    assert table.value["Intitulé"].tolist() == ["Remboursement"]
    assert app.query_params["projets"] == "rembours"


def test_profile_of_a_country_with_no_data(app):
    run_page(app, "pages/fiche-pays.py", pays="NOR")
    assert app.info[0].value.startswith("Aucune donnée pour Norvège")
    assert not app.header and not app.dataframe


def test_country_context_with_its_year_and_source_or_not_available():
    from atlas.figures.briefing import country_context

    line, source = country_context("COD", "fr")
    assert plain(line) == ("Population (2017) : 83 301 151 · PIB (2016) : 66 010 millions USD · faible revenu · Afrique")
    assert plain(source).startswith("Source : Natural Earth 1:110m (version 4.0.0, domaine public)")
    line, source = country_context("CPV", "nl")
    assert line.startswith("Bevolking, bbp, inkomensgroep en regio: niet beschikbaar") and source is None
