"""Every CSV and Excel file that leaves Atlas is written here: country names beside codes, numbers
as numbers, and no text cell that a spreadsheet would run as a formula or split into rows.

The pages offer these files through `atlas.ui.downloads`; Streamlit's own « Download as CSV » of a
table would bypass this module, so `.streamlit/config.toml` turns it off (`client.disableDataExport`).
"""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import io
import re
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from atlas.geography import countries as geo

# A cell whose text starts with one of these is read by Excel, LibreOffice or Google Sheets as a
# formula (OWASP « CSV injection »: = + - @, TAB and CR; LF for the same reason as CR).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
# Text that is only a number (« -71,208 », « +3 ») is a number to every spreadsheet, never a formula:
# it keeps its sign instead of gaining a quote (an upload template's example longitude stays valid).
PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]+)?")
# Control characters other than TAB, CR and LF: openpyxl refuses them (an uploaded file's bad bytes
# shown in a problem table would make the Excel download fail) and CSV readers choke on NUL.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
EXCEL_CELL_MAX = 32_767  # characters: Excel « repairs » a workbook with a longer cell

# The CSV dialect of every file: « ; » and a decimal comma so that Excel in Belgium opens it as
# columns; UTF-8 with BOM so that it keeps the accents; CRLF ends a record, and since the csv module
# quotes a value holding any character of the line terminator, a CR or LF inside a value is quoted
# (with pandas' default "\n", a bare CR went out unquoted and a spreadsheet started a new row there).
SEPARATOR = ";"
DECIMAL = ","
LINE_END = "\r\n"
ENCODING = "utf-8-sig"


def neutralise(value):
    """Text that a spreadsheet would read as a formula, prefixed with a quote; anything else as is."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def _is_kept(value) -> bool:
    """Numbers, booleans, dates and missing values: written as such by pandas and openpyxl."""
    if value is None or isinstance(value, (bool, int, float, decimal.Decimal, np.number, np.bool_, dt.date, dt.time)):
        return True
    return value is pd.NA


def safe_cell(value):
    """A cell as it may leave Atlas: text (or anything written as text) cleaned and neutralised."""
    if _is_kept(value):
        return value
    text = value if isinstance(value, str) else str(value)
    return neutralise(CONTROL.sub("\ufffd", text))


def _fit_excel(value):
    """Text cut to what an Excel cell holds, its end marked."""
    if isinstance(value, str) and len(value) > EXCEL_CELL_MAX:
        return value[: EXCEL_CELL_MAX - 1] + "…"
    return value


def _excel_cell(value):
    return _fit_excel(safe_cell(value))


def excel_row(values: Iterable) -> list:
    """A row for a worksheet built with openpyxl (`sheet.append(excel_row(...))`)."""
    return [_excel_cell(v) for v in values]


def prepare(df, lang: str = "fr") -> pd.DataFrame:
    """A copy ready to export: a country-name column after each *_iso3 column, every text cell
    (and header) neutralised; numeric, boolean and date columns untouched. `df` may be anything
    st.dataframe shows as rows (a list of dicts too)."""
    out = pd.DataFrame(df).copy()
    for column in [c for c in out.columns if str(c).endswith("iso3")]:
        names = out[column].map(lambda code: geo.country_name(code, lang) if isinstance(code, str) else None)
        out.insert(out.columns.get_loc(column) + 1, column[: -len("iso3")] + "name", names)  # country_name
    for column in out.columns:
        if isinstance(out[column].dtype, pd.DatetimeTZDtype):  # Excel has no time zones: local wall time
            out[column] = out[column].dt.tz_localize(None)
    for column in _text_columns(out):  # text, or numbers mixed with text (kept as numbers)
        out[column] = out[column].astype(object).map(safe_cell)
    out.columns = [safe_cell(c) for c in out.columns]
    return out


def _text_columns(df: pd.DataFrame) -> list:
    """Object, string and category columns: those whose cells may hold text."""
    types = pd.api.types
    return [c for c in df.columns if not (types.is_numeric_dtype(df[c]) or types.is_bool_dtype(df[c])
                                          or types.is_datetime64_any_dtype(df[c]) or types.is_timedelta64_dtype(df[c]))]


def to_csv(df, lang: str = "fr") -> bytes:
    """The table as « ; »-separated UTF-8 with BOM, a decimal comma and CR/LF inside values quoted."""
    out = prepare(df, lang)
    for column in _text_columns(out):  # pandas writes a decimal comma only in float columns
        out[column] = out[column].astype(object).map(_csv_number)
    text = out.to_csv(index=False, sep=SEPARATOR, decimal=DECIMAL, lineterminator=LINE_END, quoting=csv.QUOTE_MINIMAL)
    return text.encode(ENCODING)


def _csv_number(value):
    """A float among texts, written as pandas writes a float column: « -12,5 »."""
    if isinstance(value, float) and not isinstance(value, bool) and value == value:
        return repr(float(value)).replace(".", DECIMAL)
    return value


def csv_rows(rows: Iterable[Sequence]) -> bytes:
    """Rows of plain values (an upload template) in the same dialect as `to_csv`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=SEPARATOR, lineterminator=LINE_END, quoting=csv.QUOTE_MINIMAL)
    writer.writerows([safe_cell(v) for v in row] for row in rows)
    return buffer.getvalue().encode(ENCODING)


def to_excel(df, lang: str = "fr", sheet: str = "données") -> bytes:
    """The table as an .xlsx workbook of one sheet: numbers as number cells, no formula cell."""
    out = prepare(df, lang)
    for column in _text_columns(out):
        out[column] = out[column].astype(object).map(_fit_excel)
    out.columns = [_fit_excel(c) for c in out.columns]
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        out.to_excel(writer, index=False, sheet_name=sheet[:31])
    return buffer.getvalue()
