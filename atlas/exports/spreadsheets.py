"""Every CSV and Excel file that leaves Atlas is written here: numbers as numbers, and no text cell
that a spreadsheet would run as a formula or split into rows (numbers are never touched).

Two kinds of file leave Atlas, and each page's help says which is which:

    reader_csv, reader_excel   a page's downloads, for a reader: headers and codes in their language,
                               values as the screen shows them (atlas/exports/columns.py); the Excel
                               file keeps numbers as numbers with a number format, on a sheet named in
                               their language, under a block with the title, the filters, the sources,
                               the data version and the date of the download
    data_csv, data_excel       the « Données » page's export of a dataset: the contract's headers and
                               codes at full precision, to edit and upload again

The pages offer these files through `atlas.web.ui`; Streamlit's own « Download as CSV » of a
table would bypass this module, so `.streamlit/config.toml` turns it off (`client.disableDataExport`).
"""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from atlas.exports.columns import COLUMNS, DIMENSIONS, Column
from atlas.geography import countries as geo
from atlas.words import fmt
from atlas.words.i18n import catalogue, colon, t, term, term_list

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


# --- A page's downloads, for a reader ------------------------------------------------------------

APP_NAME = "Atlas des relations internationales"  # the author of every file, in every language
LANGUAGE_TAGS = {"fr": "fr-BE", "nl": "nl-BE", "en": "en-GB"}
EXCEL_ROWS = 1_048_576  # rows of a worksheet
HEADER_FILL = "F2F2F2"
MUTED = "4D4D4D"


@dataclass
class About:
    """The first block of a reader's workbook: what the table is, under which filters, from where,
    from which data version, downloaded when. `filters`: (label, chosen values) as the page shows
    them; `sources`: one line (atlas/exports/sources.py `one_line`)."""

    title: str
    filters: list[tuple[str, str]] = field(default_factory=list)
    sources: str = ""
    version: int | None = None
    version_date: dt.datetime | None = None
    made: dt.datetime | None = None  # now, unless a test fixes it

    def lines(self, lang: str) -> list[str]:
        filters = " ; ".join(f"{label}{colon(lang)}{values}" for label, values in self.filters)
        made = self.made or dt.datetime.now()
        lines = [self.title or APP_NAME,
                 t("export.filters", lang, filters=filters or t("export.no_filters", lang)),
                 t("export.sources", lang, sources=self.sources or t("export.no_sources", lang))]
        if self.version is not None:
            when = self.version_date.strftime("%d/%m/%Y %H:%M") if self.version_date is not None else "–"
            lines.append(t("export.version", lang, version=self.version, date=when))
        lines.append(t("export.made", lang, date=made.strftime("%d/%m/%Y %H:%M")))
        return lines


@dataclass
class ReaderTable:
    """A table as a reader gets it: headers in their language, one `Column` (kind) per column,
    rows of typed values (numbers, dates, text)."""

    headers: list[str]
    kinds: list[Column]
    rows: list[list]


def _missing(value) -> bool:
    return value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and value != value)


def _code(column: Column, value, lang: str):
    entries = catalogue()
    for prefix in column.codes:
        if f"{prefix}{value}" in entries:
            return t(f"{prefix}{value}", lang)
    return value


def shown(column: Column, value, lang: str):
    """A value as the screen shows it, typed: numbers rounded as shown but still numbers, codes and
    yes/no named in `lang`, dates as dates; None for nothing."""
    if _missing(value):
        return None
    kind = column.kind
    if kind in ("money", "count", "year"):
        return _rounded(value, None)
    if kind == "percent":
        return _rounded(value, column.decimals + 2)
    if kind == "number":
        return _rounded(value, column.decimals)
    if kind == "bool":
        return t("export.yes" if bool(value) else "export.no", lang)
    if kind == "date":
        if isinstance(value, dt.datetime):  # a pandas Timestamp too
            return value.date()
        return value if isinstance(value, dt.date) else pd.Timestamp(value).date()
    if kind == "datetime":
        stamp = pd.Timestamp(value)
        return (stamp.tz_localize(None) if stamp.tzinfo else stamp).to_pydatetime().replace(microsecond=0)
    if not isinstance(value, str):
        return value.item() if isinstance(value, np.generic) else value
    if kind == "country":
        return geo.country_name(value, lang)
    if kind == "term":
        return term(column.codes[0], value, lang)
    if kind == "terms":
        return term_list(column.codes[0], value, lang)
    if kind == "code":
        return _code(column, value, lang)
    return value


def _rounded(value, decimals: int | None):
    """A number rounded as the screen rounds it (`decimals` None: a whole number, as an int); text
    in a number column as it is."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return value
    return int(round(number)) if decimals is None else round(number, decimals)


def reader_table(df, lang: str = "fr") -> ReaderTable:
    """The rows of `df` (a query result, or what st.dataframe shows) for a reader: each column
    known to atlas/exports/columns.py headed and shown in `lang`; an unknown column as it is."""
    frame = pd.DataFrame(df)
    columns: list[tuple[str, Column]] = []
    dimension = frame["dimension"].dropna().unique().tolist() if "dimension" in frame.columns else []
    for name in frame.columns:
        column = COLUMNS.get(str(name))
        if name == "value" and len(dimension) == 1 and dimension[0] in DIMENSIONS:
            column = DIMENSIONS[dimension[0]]
        if column is None:
            column = Column("", "text")
        if column.kind != "drop":
            columns.append((name, column))
    headers = [t(column.label, lang) if column.label else str(name) for name, column in columns]
    rows = [[shown(column, value, lang) for (_, column), value in zip(columns, values)]
            for values in frame[[name for name, _ in columns]].itertuples(index=False, name=None)]
    return ReaderTable(headers, [column for _, column in columns], rows)


def _csv_shown(column: Column, value):
    """A typed value as the reader's CSV holds it, written out here so that pandas cannot turn a
    column of whole numbers with gaps into « 80,0 »: a share as the percentage shown (« 0,45 »), a
    decimal with the digits shown, a date as the screen writes it (dd/mm/yyyy)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if column.kind == "percent" and isinstance(value, float):
        return f"{value * 100:.{column.decimals}f}".replace(".", DECIMAL)
    if column.kind == "number" and isinstance(value, float):
        return f"{value:.{column.decimals}f}".replace(".", DECIMAL)
    if isinstance(value, (int, np.integer)):
        return str(value)
    if isinstance(value, float):
        return _full_precision(value)
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return value


def reader_csv(df, lang: str = "fr") -> bytes:
    """A page's table as its reader reads it (`reader_table`), in the dialect of `to_csv`."""
    table = reader_table(df, lang)
    frame = pd.DataFrame({i: pd.Series([_csv_shown(kind, row[i]) for row in table.rows], dtype=object)
                          for i, kind in enumerate(table.kinds)})
    frame.columns = table.headers
    return to_csv(frame, lang)


def money_format(lang: str) -> str:
    """Excel's number format for whole euros where the language writes the sign: « 1 234 € »,
    « € 1.234 » (Excel puts the reader's own separators)."""
    from babel import Locale

    pattern = Locale.parse(fmt.LOCALES[lang]).currency_formats["standard"].pattern
    return pattern.replace(".00", "").replace("\u00a0", " ").replace("¤", '"€"')


def number_format(column: Column, lang: str) -> str | None:
    decimals = "." + "0" * column.decimals if column.decimals else ""
    return {
        "money": money_format(lang),
        "percent": f"0{decimals} %",
        "count": "#,##0",
        "year": "0",
        "number": f"#,##0{decimals}",
        "date": "DD/MM/YYYY",
        "datetime": "DD/MM/YYYY HH:MM",
    }.get(column.kind)


def reader_excel(df, lang: str = "fr", about: About | None = None) -> bytes:
    """A page's table as an .xlsx for its reader: one sheet named in `lang`, the `about` block on
    top (title, filters, sources, data version, date), then the table: headers in `lang`, numbers
    as number cells with a number format, a frozen header row with filters. No formula cell."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    table = reader_table(df, lang)
    about = about or About("")
    book = Workbook()
    sheet = book.active
    sheet.title = safe_sheet_name(t("export.sheet", lang))
    block = about.lines(lang)
    for i, line in enumerate(block):
        sheet.append(excel_row([line]))
        sheet.cell(i + 1, 1).font = Font(bold=True, size=14) if i == 0 else Font(color=MUTED)
    sheet.append([])
    header_row = len(block) + 2
    sheet.append(excel_row(table.headers))
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell.border = Border(bottom=Side(style="thin"))
    for row in table.rows[: EXCEL_ROWS - header_row]:
        sheet.append(excel_row(row))
    last_row = header_row + min(len(table.rows), EXCEL_ROWS - header_row)
    for i, kind in enumerate(table.kinds, 1):
        pattern = number_format(kind, lang)
        if pattern:
            for (cell,) in sheet.iter_rows(min_row=header_row + 1, max_row=last_row, min_col=i, max_col=i):
                cell.number_format = pattern
        values = [table.headers[i - 1], *(row[i - 1] for row in table.rows[:200])]
        width = max(len(_width_text(v, kind)) for v in values)
        sheet.column_dimensions[get_column_letter(i)].width = min(max(width + 2, 8), 60)
    if table.headers:
        sheet.freeze_panes = sheet.cell(header_row + 1, 1)
        sheet.auto_filter.ref = f"A{header_row}:{get_column_letter(len(table.headers))}{max(last_row, header_row)}"
    _properties(book, about.title, lang, about.made)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _width_text(value, column: Column) -> str:
    if value is None:
        return ""
    if column.kind == "money" and isinstance(value, int):
        return f"{value:,} €"
    if isinstance(value, dt.datetime):
        return "00/00/0000 00:00"
    if isinstance(value, dt.date):
        return "00/00/0000"
    return str(value)


def safe_sheet_name(name: str) -> str:
    """A worksheet's name as Excel takes it: 31 characters, none of []:*?/\\."""
    return re.sub(r"[\[\]:*?/\\]", " ", name)[:31] or "Atlas"


def _properties(book, title: str, lang: str, made: dt.datetime | None) -> None:
    """The workbook's own properties (File > Info): its title, Atlas as author, the language, now."""
    now = (made or dt.datetime.now()).replace(microsecond=0)
    props = book.properties
    props.title, props.creator, props.lastModifiedBy = title or APP_NAME, APP_NAME, APP_NAME
    props.language, props.created, props.modified = LANGUAGE_TAGS.get(lang, lang), now, now


# --- The « Données » page's export of a dataset: the contract, at full precision ------------------


def _contract_value(value):
    """A stored value as the contract writes it: ISO dates, true/false, every digit of a number
    (never an exponent, which the contract refuses), nothing for NULL."""
    if _missing(value):
        return None
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        stamp = pd.Timestamp(value)
        return stamp.date().isoformat() if stamp == stamp.normalize() else stamp.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (float, np.floating)):
        return _full_precision(float(value))
    if isinstance(value, np.integer):
        return int(value)
    return value


def _full_precision(number: float) -> str:
    """The shortest text that reads back as this very double, positional, decimal comma."""
    if number.is_integer():
        return str(int(number))
    text = format(decimal.Decimal(repr(number)), "f")
    return text.replace(".", DECIMAL)


def data_csv(df, columns: Sequence[str]) -> bytes:
    """A dataset's rows under the contract's `columns` (its headers, in its order), in the dialect
    of `to_csv`: the file `python -m atlas load` and the « Données » page take back as they are."""
    frame = pd.DataFrame(df)
    rows = frame.reindex(columns=list(columns)).itertuples(index=False, name=None)
    return csv_rows([list(columns), *([_contract_value(v) for v in row] for row in rows)])


def data_excel(df, columns: Sequence[str], sheet: str = "données") -> bytes:
    """The same as an .xlsx (first sheet `sheet`, as the upload templates): numbers as number
    cells at full precision, dates as date cells, true/false as booleans."""
    from openpyxl import Workbook

    frame = pd.DataFrame(df)
    book = Workbook(write_only=True)  # streamed: a dataset may hold a million rows
    out = book.create_sheet(safe_sheet_name(sheet))
    out.append(excel_row(columns))
    for row in frame.reindex(columns=list(columns)).itertuples(index=False, name=None):
        out.append(excel_row(_contract_cell(v) for v in row))
    _properties(book, sheet, "fr", None)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _contract_cell(value):
    if _missing(value):
        return None
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        stamp = pd.Timestamp(value)
        return stamp.date() if stamp == stamp.normalize() else stamp.to_pydatetime()
    if isinstance(value, np.generic):
        return value.item()
    return value
