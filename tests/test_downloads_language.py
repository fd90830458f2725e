"""Files that leave Atlas speak their reader's language: a page's CSV and Excel downloads carry
headers and codes in French or Dutch and values as the screen shows them (the Excel file keeps
numbers as typed numbers with a number format, on a sheet named in that language, under a block
with the title, the filters, the sources, the data version and the date); the « Données » page's
export keeps the contract's headers and codes at full precision and uploads again unchanged."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from atlas import writes
from atlas.contract import DATASETS
from atlas.exports import spreadsheets as export
from atlas.exports.columns import COLUMNS
from atlas.imports import ingest
from atlas.store import runner
from atlas.web import ui

from conftest import plain, run_page

TODAY = dt.date(2026, 11, 23)
MADE = dt.datetime(2026, 12, 1, 9, 30)
ALL_YEARS = dict(year_from=2000, year_to=2030)


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return [[plain(c) for c in row] for row in csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";")]


def sheet_of(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data)).active


def header_row(sheet) -> int:
    """The row of the table's headers: the first after the blank line under the block."""
    return next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r - 1, 1).value is None and sheet.cell(r, 1).value)


# --- A page's downloads, for a reader ------------------------------------------------------------


def test_oda_gni_csv_in_french_and_dutch(fixture_db):
    gni = runner(fixture_db)("oda_gni", **ALL_YEARS)
    fr = read_csv(export.reader_csv(gni, "fr"))
    assert fr == [
        ["Année", "APD de la Belgique (€)", "RNB de la Belgique (€)", "APD/RNB (%)", "0,7 % du RNB (€)",
         "Manque pour atteindre 0,7 % (€)", "Provisoire", "Source"],
        ["2022", "2500000000", "550000000000", "0,45", "3850000000", "1350000000", "non", "fixture"],
        ["2023", "2640000000", "600000000000", "0,44", "4200000000", "1560000000", "oui", "fixture"],
    ]
    nl = read_csv(export.reader_csv(gni, "nl"))
    assert nl[0] == ["Jaar", "ODA van België (€)", "BNI van België (€)", "ODA/BNI (%)", "0,7 % van het BNI (€)",
                     "Tekort om 0,7 % te halen (€)", "Voorlopig", "Bron"]
    assert nl[1][3] == "0,45" and [row[6] for row in nl[1:]] == ["nee", "ja"]


def test_codes_dates_and_terms_as_the_screen_shows_them(fixture_db):
    agreements = runner(fixture_db)("agreements_list", year_from=None, year_to=None, entities=[], countries=[], levels=[], statuses=[], search="",
                                    follow_up_only=False, today=TODAY)
    fr = read_csv(export.reader_csv(agreements, "fr"))
    header = fr[0]
    assert "gantt_end" not in " ".join(header) and "Fin" in header  # a drawing aid is not the reader's
    a1 = dict(zip(header, fr[1]))
    assert {k: a1[k] for k in ("Identifiant de l'accord", "Niveau", "Pays", "Signé le", "Statut", "Secteurs",
                               "Budget (€)", "Projets", "⚠ Échéance < 12 mois", "⚠ Commission > 3 ans")} == {
        "Identifiant de l'accord": "A1", "Niveau": "Région", "Pays": "Canada", "Signé le": "15/03/1999",
        "Statut": "en vigueur", "Secteurs": "culture, recherche", "Budget (€)": "1500000", "Projets": "80",
        "⚠ Échéance < 12 mois": "non", "⚠ Commission > 3 ans": "oui",
    }
    nl = read_csv(export.reader_csv(agreements, "nl"))
    a4 = dict(zip(nl[0], nl[4]))
    assert (a4["Niveau"], a4["Land"], a4["Status"], a4["Sectoren"], a4["Einde"], a4["Budget (€)"]) == (
        "Stad", "Democratische Republiek Congo", "in onderhandeling", "gezondheid", "", "")
    assert not [c for row in fr + nl for c in row if c in ("in_force", "region", "True", "False", "COD")]


def test_counts_by_dimension_take_the_dimensions_header(fixture_db):
    kinds = runner(fixture_db)("missions_by", dimension="kind", organisers=[], countries=[], kinds=[], **ALL_YEARS)
    assert read_csv(export.reader_csv(kinds, "fr")) == [
        ["Type", "Missions", "Participants", "Coût (€)", "Frais perçus (€)", "Coût public net (€)",
         "Coût par participant (€)"],
        ["régionale", "2", "17", "150000", "2100", "147900", "8824"],  # 708.0 participants, 8 823,53 € on screen
        ["royale (princière)", "1", "120", "80000", "16000", "64000", "667"],
    ]
    flows = runner(fixture_db)("oda_by_year", entities=[], sectors=[], countries=[], **ALL_YEARS)
    assert [row[1] for row in read_csv(export.reader_csv(flows, "nl"))] == ["Stroom", "vastlegging", "uitbetaling", "uitbetaling"]


def test_excel_for_a_reader_in_french(fixture_db):
    gni = runner(fixture_db)("oda_gni", **ALL_YEARS)
    about = export.About("L'APD de la Belgique atteint 0,44 % du RNB en 2023", [("Années", "2022–2023")],
                         "Documents : fixture", 1, dt.datetime(2026, 11, 30, 14, 5), MADE)
    sheet = sheet_of(export.reader_excel(gni, "fr", about))
    assert sheet.title == "Données"
    block = [plain(sheet.cell(r, 1).value) for r in range(1, 6)]
    assert block == ["L'APD de la Belgique atteint 0,44 % du RNB en 2023", "Filtres : Années : 2022–2023",
                     "Sources : Documents : fixture", "Version des données : 1, du 30/11/2026 14:05",
                     "Téléchargé le 01/12/2026 09:30 depuis l'Atlas des relations internationales"]
    top = header_row(sheet)
    assert top == 7 and sheet.freeze_panes == "A8" and sheet.auto_filter.ref == "A7:H9"
    assert [plain(c.value) for c in sheet[top]][:4] == ["Année", "APD de la Belgique (€)", "RNB de la Belgique (€)", "APD/RNB (%)"]
    year, oda, _, ratio, _, gap, preliminary, source = sheet[top + 1]
    assert (year.value, year.data_type, year.number_format) == (2022, "n", "0")
    assert (oda.value, oda.data_type, plain(oda.number_format)) == (2500000000, "n", '#,##0 "€"')
    assert (ratio.value, ratio.data_type, ratio.number_format) == (0.0045, "n", "0.00 %")
    assert (gap.value, preliminary.value, source.value) == (1350000000, "non", "fixture")
    assert not [c for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    props = sheet.parent.properties
    assert (props.creator, props.language, props.title) == ("Atlas des relations internationales", "fr-BE", about.title)


def test_excel_for_a_reader_in_dutch(fixture_db):
    agreements = runner(fixture_db)("agreements_list", year_from=None, year_to=None, entities=[], countries=[], levels=[], statuses=[], search="",
                                    follow_up_only=False, today=TODAY)
    about = export.About("Alle akkoorden", [], "", 1, dt.datetime(2026, 11, 30, 14, 5), MADE)
    sheet = sheet_of(export.reader_excel(agreements, "nl", about))
    assert sheet.title == "Gegevens"
    assert [plain(sheet.cell(r, 1).value) for r in range(2, 6)] == [
        "Filters: geen (alle gegevens)", "Bronnen: niet vermeld in deze gegevens", "Versie van de gegevens: 1, van 30/11/2026 14:05",
        "Gedownload op 01/12/2026 09:30 uit de Atlas van de internationale betrekkingen"]
    top = header_row(sheet)
    cells = dict(zip([c.value for c in sheet[top]], sheet[top + 1]))
    assert cells["Status"].value == "van kracht" and cells["Niveau"].value == "Regio" and cells["Land"].value == "Canada"
    assert cells["Ondertekend op"].is_date and cells["Ondertekend op"].value.date() == dt.date(1999, 3, 15)
    assert cells["Ondertekend op"].number_format == "DD/MM/YYYY"
    budget = cells["Budget (€)"]
    assert (budget.value, budget.data_type, plain(budget.number_format)) == (1500000, "n", '"€" #,##0;"€" -#,##0')
    assert (cells["Projecten"].value, cells["Projecten"].number_format) == (80, "#,##0")
    assert cells["⚠ Commissie > 3 jaar"].value == "ja"
    assert sheet.parent.properties.language == "nl-BE"


def test_formulas_neutralised_in_text_cells_only():
    frame = pd.DataFrame({"title": ["=HYPERLINK(\"http://x\")", "-2 projets"], "amount_eur": [-1234.4, 5.6],
                          "share": [-0.25, 0.5]})
    rows = read_csv(export.reader_csv(frame, "fr"))
    assert rows[1:] == [["'=HYPERLINK(\"http://x\")", "-1234", "-25,0"], ["'-2 projets", "6", "50,0"]]
    sheet = sheet_of(export.reader_excel(frame, "fr"))
    top = header_row(sheet)
    assert [c.value for c in sheet[top + 1]] == ["'=HYPERLINK(\"http://x\")", -1234, -0.25]
    assert sheet.cell(top + 1, 2).data_type == "n"


# --- Every page: every downloaded column is the reader's, every Excel opens on what it shows -------


PAGES = [("pages/vue-d-ensemble.py", {}), ("pages/fiche-pays.py", {"pays": "SEN"}),
         ("pages/aide-au-developpement.py", {"annees": "2023-2024"}), ("pages/accords.py", {}),
         ("pages/missions-economiques.py", {}), ("pages/donnees.py", {}), ("pages/presentation.py", {}),
         ("pages/comparer.py", {"pays": "COD~SEN"})]


@pytest.fixture
def downloads_seen(fixture_db, monkeypatch):
    """Run each page in French, recording what each download button would write."""
    seen = {}
    shown = ui.downloads

    def spy(df, name, lang, key=None, fig=None, title=None):
        rows = df() if callable(df) else df  # some pages hand a function: rows read on click
        seen[name] = (pd.DataFrame(rows), title, ui.about(rows, title, lang))
        return shown(df, name, lang, key=key, fig=fig, title=title)

    monkeypatch.setattr(ui, "downloads", spy)
    monkeypatch.setattr(ui, "today", lambda: TODAY)
    for path, query in PAGES:
        run_page(AppTest.from_file("../app.py", default_timeout=120), path, **query)
    return seen


def test_every_page_download_has_headers_in_the_readers_language(downloads_seen):
    assert {"apd-rnb-objectif-0-7", "accords-de-cooperation", "missions-economiques", "historique-versions"} <= set(downloads_seen)
    unknown = {name: [c for c in frame.columns if c not in COLUMNS and c != "value"]
               for name, (frame, _, _) in downloads_seen.items()}
    assert {name: cols for name, cols in unknown.items() if cols} == {}
    for name, (frame, _, _) in downloads_seen.items():
        header = read_csv(export.reader_csv(frame, "fr"))[0]
        assert not [h for h in header if "_" in h], (name, header)  # no code name (oda_gni, priority_share)


def test_the_excel_block_says_the_pages_filters_and_sources(downloads_seen):
    frame, title, about = downloads_seen["apd-rnb-objectif-0-7"]
    block = about()
    assert title.startswith("L'APD de la Belgique atteint") and block.title == title
    assert [(label, plain(values)) for label, values in block.filters] == [("Années", "2023–2024")]
    assert plain(block.sources) == "Documents : fixture"  # the rows' own source
    _, _, about = downloads_seen["apd-entites-par-annee"]  # no source column: the sources the page lists
    assert plain(about().sources) == "Documents : fixture ; Exemple illustratif, chiffres fictifs : 1 ligne"
    sheet = sheet_of(export.reader_excel(frame, "fr", block))
    assert plain(sheet["A2"].value) == "Filtres : Années : 2023–2024"
    assert plain(sheet["A4"].value).startswith("Version des données : 1, du ")
    _, title, _ = downloads_seen["accords-de-cooperation"]
    assert title == "Tous les accords"


# --- The « Données » page's export: the contract, to edit and upload again ------------------------


@pytest.mark.parametrize("name", list(DATASETS))
@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_data_export_uploads_again_unchanged(fixture_db, name, kind, tmp_path):
    ds = DATASETS[name]
    rows = runner(fixture_db)("dataset_rows", dataset=name)
    assert list(rows.columns) == ds.column_names and len(rows)
    data = (export.data_csv if kind == "csv" else export.data_excel)(rows, ds.column_names)
    if kind == "csv":
        assert read_csv(data)[0] == ds.column_names  # the contract's headers, in its order
    else:
        sheet = sheet_of(data)
        assert sheet.title == "données" and [c.value for c in sheet[1]] == ds.column_names
    path = tmp_path / f"export.{kind}"
    path.write_bytes(data)
    assert ingest.check_file(ds, path).ok
    preview = writes.preview_upload(name, data, path.name, "replace", at=fixture_db)
    assert preview.report.ok and preview.change.total == 0 and preview.rows_after == len(rows)


def test_data_export_keeps_codes_and_every_digit_and_an_edit_is_one_change(fixture_db):
    agreements = runner(fixture_db)("dataset_rows", dataset="agreements")
    table = read_csv(export.data_csv(agreements, DATASETS["agreements"].column_names))
    a1 = dict(zip(table[0], table[1]))
    assert {k: a1[k] for k in ("partner_level", "status", "sectors", "signed_on", "ends_on", "latitude", "longitude")} == {
        "partner_level": "region", "status": "in_force", "sectors": "culture|recherche", "signed_on": "1999-03-15",
        "ends_on": "", "latitude": "46,813", "longitude": "-71,208"}
    # Full precision, never an exponent (the contract refuses « 1e-07 »).
    frame = pd.DataFrame({"amount_eur": [1234.5678901234567, 1e-07, 3e15, 0.1 + 0.2], "preliminary": [True, False, None, True]})
    assert read_csv(export.data_csv(frame, ["amount_eur", "preliminary"]))[1:] == [
        ["1234,5678901234567", "true"], ["0,0000001", "false"], ["3000000000000000", ""], ["0,30000000000000004", "true"]]
    # An analyst edits one budget and uploads the file: exactly that row changes.
    edited = [row[:] for row in table]
    budget = table[0].index("budget_eur")
    edited[1][budget] = "1750000"
    data = export.csv_rows(edited)
    preview = writes.preview_upload("agreements", data, "accords.csv", "replace", at=fixture_db)
    assert (preview.change.added, preview.change.changed, preview.change.removed) == (0, 1, 0)


def test_data_export_neutralises_text_cells_only():
    frame = pd.DataFrame({"title": ["=1+1", "@SUM(A1)"], "amount_eur": [-12.5, 3.0]})
    assert read_csv(export.data_csv(frame, ["title", "amount_eur"]))[1:] == [["'=1+1", "-12,5"], ["'@SUM(A1)", "3"]]
    sheet = sheet_of(export.data_excel(frame, ["title", "amount_eur"]))
    assert [(c.value, c.data_type) for c in sheet[2]] == [("'=1+1", "s"), (-12.5, "n")]


def test_the_data_page_offers_the_export_and_says_which_file_is_which(fixture_db, monkeypatch):
    monkeypatch.setattr(ui, "today", lambda: TODAY)
    app = run_page(AppTest.from_file("../app.py", default_timeout=120), "pages/donnees.py")
    buttons = {b.proto.label: b.proto.help for b in app.get("download_button")}
    assert "Exporter les données (CSV)" in buttons and "Exporter les données (Excel)" in buttons
    assert "format du contrat d'import" in buttons["Exporter les données (CSV)"]
    assert plain(buttons["Exporter les données (CSV)"]).endswith("« agreements » : 4 lignes.")
    assert "page « Données »" in plain(buttons["Télécharger (CSV)"])  # a table's download points to the export
