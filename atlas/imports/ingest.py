"""Read an analyst's CSV or Excel file into a staging table, validate it whole, report every problem.

The file is decoded and split by DuckDB into a table of text (one row per line, with the line
number a spreadsheet shows); every check is then one SQL query over that table, so validation
costs the same per row whether the file has ten lines or a million. A file written plainly (as
programs export: plain numbers, ISO dates and codes) is staged by a faster path whose guards prove
that the general one would give the same rows and report (`_validate_plain`). Nothing here writes to the
published database: `stage` leaves a typed `_staged` table in a scratch connection, and
`atlas.writes.versions` imports it.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import os
import re
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from atlas.contract import Column, Dataset
from atlas.errors import AtlasError
from atlas.geography import countries as geo
from atlas.imports import crs
from atlas.store import DatabaseError, q, scratch

MAX_BYTES = int(os.environ.get("ATLAS_MAX_UPLOAD_MB", "200")) * 1024 * 1024
# A file with a million bad cells must not cost a million messages: a report keeps the first
# MAX_KEPT problems (the downloadable table) and counts the rest; screens and the command line
# show the first MAX_SHOWN.
MAX_KEPT = 100_000
MAX_SHOWN = 200
PREFIX_BYTES = 65536
EXCEL_MAGIC = b"PK\x03\x04"
OLD_EXCEL_MAGIC = b"\xd0\xcf\x11\xe0"


@dataclass(frozen=True)
class Problem:
    line: int | None
    column: str | None
    value: str | None
    message: str

    def __str__(self) -> str:
        where = ", ".join(
            part
            for part in (
                f"ligne {self.line}" if self.line else "",
                f"colonne {self.column}" if self.column else "",
            )
            if part
        )
        return f"{where} : {self.message}" if where else self.message


@dataclass
class Report:
    """The verdict on one file: problems (nothing may be written) and notices (normalisations).

    The same problem of a line is said once; beyond MAX_KEPT problems, the rest are only counted
    (`omitted`), so `problem_count` is the true total.
    """

    dataset: str
    file_name: str
    rows: int = 0
    problems: list[Problem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    omitted: int = 0
    _said: set = field(default_factory=set, repr=False, compare=False)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def problem_count(self) -> int:
        return len(self.problems) + self.omitted

    @property
    def room(self) -> int:
        """How many more problems the report keeps before only counting them."""
        return max(MAX_KEPT - len(self.problems), 0)

    def fail(self, message: str, line: int | None = None, column: str | None = None, value=None):
        said = (line, column, message)
        if said in self._said:
            return self
        if not self.room:
            self.omitted += 1
            return self
        self._said.add(said)
        self.problems.append(Problem(line, column, value, message))
        return self

    def shown(self) -> list[str]:
        """The problems as lines for a screen or a terminal: the first MAX_SHOWN, then a count."""
        lines = [str(p) for p in sorted(self.problems, key=lambda p: p.line or 0)[:MAX_SHOWN]]
        rest = self.problem_count - len(lines)
        if rest > 0:
            lines.append(
                f"… et {rest} autre{'s' if rest > 1 else ''} problème{'s' if rest > 1 else ''} : "
                "le tableau des problèmes (téléchargeable) les donne "
                + ("tous." if not self.omitted else f"jusqu'au {MAX_KEPT}e ; corrigez d'abord ceux-là.")
            )
        return lines


def size_refusal(size: int) -> str | None:
    """The refusal of a file of `size` bytes over the limit (checked before reading anything)."""
    if size <= MAX_BYTES:
        return None
    return (
        f"le fichier pèse {size / 1024 / 1024:.0f} Mo, au-delà de la limite de "
        f"{MAX_BYTES / 1024 / 1024:.0f} Mo : découpez-le (par exemple par année) et importez "
        "chaque partie en mode years, ou demandez à l'administrateur de relever ATLAS_MAX_UPLOAD_MB."
    )


def stage(con: Any, ds: Dataset, path: str | os.PathLike, file_name: str | None = None) -> Report:
    """Validate the file at `path` for dataset `ds`; if valid, leave it typed in table `_staged`."""
    path = Path(path)
    report = Report(ds.name, file_name or path.name)
    too_big = size_refusal(path.stat().st_size)
    if too_big:
        return report.fail(too_big)
    _drop_temp(con, "_raw", "_staged")  # a previous stage in this connection may have left either kind
    with open(path, "rb") as f:
        prefix = f.read(PREFIX_BYTES)  # enough to see past a BOM, blank lines and comments
    head = prefix[:8]
    if _looks_like_xml(prefix) or crs.looks_like_crs(prefix):
        if ds.name != "oda":
            return report.fail(
                f"un fichier IATI ou SNPC de l'OCDE ne peut alimenter que le jeu oda, pas {ds.name}."
            )
        if _looks_like_xml(prefix):
            from atlas.imports import iati

            header = iati.read(con, path, report, report.file_name)
        else:
            header = crs.read(con, path, report, report.file_name)
    elif head.startswith(EXCEL_MAGIC):
        header = _read_excel(con, path, report)
    elif head.startswith(OLD_EXCEL_MAGIC):
        return report.fail(
            "ce fichier est au format Excel 97-2003 (.xls), non pris en charge : "
            "enregistrez-le au format .xlsx ou .csv."
        )
    else:
        header = _read_csv(con, path, report)
    if header is None:
        return report
    mapping = _map_header(ds, header, report)
    if mapping is None:
        return report
    _validate(con, ds, mapping, report)
    return report


# --- Reading ---------------------------------------------------------------------------------


def _looks_like_xml(prefix: bytes) -> bool:
    # atlas.imports.iati (lxml, pyarrow) is imported only for what may be XML: a third of the start-up
    # of `python -m atlas load` for every CSV otherwise.
    start = prefix.lstrip(b"\xef\xbb\xbf \t\r\n")
    # UTF-16 without a BOM shows a NUL byte among its first bytes (« \x00< », or « <\x00 »).
    if not (start.startswith(b"<") or start.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in prefix[:4]):
        return False
    from atlas.imports import iati

    return iati.looks_like_xml(prefix)


def _drop_temp(con, *names: str) -> None:
    """Drop temporary tables or views by name: CREATE OR REPLACE cannot turn one into the other."""
    kinds = dict(con.execute(
        "SELECT table_name, table_type FROM information_schema.tables WHERE table_catalog = 'temp'"
    ).fetchall())
    for name in names:
        if name in kinds:
            con.execute(f"DROP {'VIEW' if kinds[name] == 'VIEW' else 'TABLE'} {q(name)}")


UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# A valid UTF-8 multi-byte sequence. Windows-1252 decodes almost any bytes, so a file is read as
# Windows-1252 only when it holds none of these: one that holds both is refused, never garbled.
UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
BLOCK = 1 << 23  # bytes read at a time when a file is decoded here
UNSPLITTABLE = (
    "le fichier ne se découpe pas en lignes CSV (guillemet non fermé, fins de ligne mêlées, ligne de plus "
    "de 2 Mo ?) : rien n'a été écrit ; ouvrez-le dans votre tableur et enregistrez-le à nouveau en « CSV UTF-8 »."
)


def _read_csv(con, path: Path, report: Report) -> list[str] | None:
    # A UTF-8 file with LF or CRLF line endings goes to DuckDB untouched (Python never holds it
    # whole). Any other file (Windows-1252, old Mac CR line endings) or one DuckDB cannot split is
    # rewritten here, block by block, as plain UTF-8 with LF, or refused with the lines at fault.
    with open(path, "rb") as f:
        header_bytes = f.readline()
        head = header_bytes + f.read(65536)
    if not head.strip() and (path.stat().st_size <= len(head) or not path.read_bytes().strip()):
        report.fail("le fichier est vide : il faut une ligne d'en-tête puis au moins une ligne de données.")
        return None
    if head.startswith(UTF16_BOMS):
        report.fail(
            "ce fichier est en UTF-16 (« texte Unicode ») : enregistrez-le depuis votre tableur en "
            "« CSV UTF-8 » ou en .xlsx."
        )
        return None
    if b"\x00" in head:
        report.fail(
            "ce fichier n'est ni un CSV ni un classeur Excel (.xlsx) : exportez vos données "
            "depuis le tableur au format CSV ou .xlsx."
        )
        return None
    cr_only = b"\n" not in head and b"\r" in head
    # A carriage return alone, or CRLF and LF mixed, make DuckDB's strict reader fail, and a
    # failed statement would abort the import's transaction: such a file takes the path below.
    header = None if cr_only or _mixed_line_ends(path) else _header(header_bytes)
    if header:
        delimiter = _delimiter(header)
        names = _split_header(header, delimiter)
        # Line numbering counts the file's newlines: a second read of the file, done by a thread
        # while DuckDB reads it (both release the GIL), not after.
        with ThreadPoolExecutor(1) as pool:
            newlines = pool.submit(_count_newlines, path)
            try:
                _read_into_raw(con, str(path), delimiter, len(names))
            except DatabaseError as err:  # not foreseen above; `con` may be unusable now: refuse whole
                raise AtlasError(UNSPLITTABLE, str(err)) from err
        if not con.execute("SELECT count(*) FROM _rejects WHERE error_type = 'INVALID ENCODING'").fetchone()[0]:
            _number_csv_lines(con, path, delimiter, names, report, newlines.result())
            return names
    rewritten = _rewrite_utf8(path, report, cr_only)
    if rewritten is None:
        return None
    try:
        with open(rewritten, "rb") as f:
            header = _header(f.readline())
        if header is None:
            _explain_unreadable(rewritten, report)
            return None
        delimiter = _delimiter(header)
        names = _split_header(header, delimiter)
        if not _readable(rewritten, delimiter, len(names)):
            _explain_unreadable(rewritten, report)
            return None
        _read_into_raw(con, str(rewritten), delimiter, len(names))
        _number_csv_lines(con, rewritten, delimiter, names, report)
        return names
    finally:
        os.unlink(rewritten)


def _mixed_line_ends(path: Path) -> bool:
    """Whether the file holds a carriage return that does not end a line, or mixes CRLF and LF
    line ends: either makes DuckDB's strict reader fail."""
    crlf = cr = lf = 0
    ends_cr = False
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(BLOCK), b""):
            if ends_cr and block.startswith(b"\n"):
                crlf += 1
            lf += block.count(b"\n")
            if b"\r" in block:  # 0.02 s per 100 MB when there is none: the usual case
                cr += block.count(b"\r")
                crlf += block.count(b"\r\n")
            ends_cr = block.endswith(b"\r")
    return cr != crlf or 0 < crlf < lf


def _readable(path: Path, delimiter: str, width: int) -> bool:
    """Whether DuckDB's strict reader can split the file, tried on a scratch connection (a failed
    statement in the import's own connection would abort its transaction)."""
    probe = scratch()
    try:
        _read_into_raw(probe, str(path), delimiter, width)
        return True
    except DatabaseError:
        return False
    finally:
        probe.close()


def _header(line: bytes) -> str | None:
    """The header line as text, or None when it is not plain UTF-8 text DuckDB can take as is."""
    try:
        text = line.decode("utf-8-sig").rstrip("\r\n")
    except UnicodeDecodeError:
        return None
    if "\r" in text:
        return None
    return text


def _split_header(header: str, delimiter: str) -> list[str]:
    return next(csv.reader([header], delimiter=delimiter), [])


def _rewrite_utf8(path: Path, report: Report, cr_only: bool) -> Path | None:
    """The file rewritten as UTF-8 with LF line endings in a temporary file (removed by the
    caller), or None after reporting why it cannot be: lines that are not UTF-8 in a file that is,
    bytes that are neither, an empty first line."""
    encoding = _encoding(path, report)
    if encoding is None:
        return None
    out = tempfile.NamedTemporaryFile("wb", suffix=".csv", delete=False)
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        with out, open(path, "rb") as f:
            pending_cr = False
            for block in iter(lambda: f.read(BLOCK), b""):
                text = decoder.decode(block)
                if pending_cr:
                    text = "\r" + text
                pending_cr = text.endswith("\r") and not cr_only
                if pending_cr:
                    text = text[:-1]
                text = text.replace("\r\n", "\n")
                if cr_only:
                    text = text.replace("\r", "\n")
                out.write(text.encode("utf-8"))
            out.write((("\r" if pending_cr else "") + decoder.decode(b"", final=True)).encode("utf-8"))
    except Exception:
        os.unlink(out.name)
        raise
    if cr_only:
        report.notices.append("fins de ligne Mac (CR) converties.")
    if encoding == "cp1252":
        report.notices.append("encodage Windows-1252 converti en UTF-8.")
    rewritten = Path(out.name)
    with open(rewritten, "rb") as f:
        if not f.readline().strip():
            os.unlink(rewritten)
            report.fail(
                "la première ligne est vide : l'en-tête (les noms des colonnes) doit être sur la ligne 1 ; "
                "supprimez les lignes vides du début du fichier.",
                line=1,
            )
            return None
    return rewritten


def _encoding(path: Path, report: Report) -> str | None:
    """utf-8-sig, or cp1252 for a file with no UTF-8 multi-byte sequence at all; None (reported)
    for a file mixing UTF-8 with other bytes, or holding bytes Windows-1252 does not define."""
    not_utf8, utf8_seen, line = [], False, 1
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(BLOCK) + f.readline(), b""):
            try:
                block.decode("utf-8")
                utf8_seen = utf8_seen or UTF8_SEQUENCE.search(block) is not None
            except UnicodeDecodeError:
                for n, raw in enumerate(block.split(b"\n"), start=line):
                    try:
                        raw.decode("utf-8")
                        utf8_seen = utf8_seen or UTF8_SEQUENCE.search(raw) is not None
                    except UnicodeDecodeError:
                        not_utf8.append(n)
            line += block.count(b"\n")
    if not not_utf8:
        return "utf-8-sig"
    if utf8_seen:
        for n in not_utf8:
            report.fail(
                "octets qui ne sont pas de l'UTF-8 dans un fichier en UTF-8 (deux encodages mêlés, par "
                "exemple des lignes collées depuis un autre fichier) : rien n'est importé pour ne pas "
                "abîmer les accents ; enregistrez le fichier entier en « CSV UTF-8 » depuis votre tableur.",
                line=n,
            )
        return None
    with open(path, "rb") as f:
        line = 1
        for block in iter(lambda: f.read(BLOCK) + f.readline(), b""):
            try:
                block.decode("cp1252")
            except UnicodeDecodeError as err:
                report.fail(
                    f"octets illisibles (0x{block[err.start]:02X}) : le fichier n'est ni en UTF-8 ni en "
                    "Windows-1252 ; enregistrez-le en « CSV UTF-8 » depuis votre tableur.",
                    line=line + block.count(b"\n", 0, err.start),
                )
                return None
            line += block.count(b"\n")
    return "cp1252"


def _explain_unreadable(path: Path, report: Report) -> None:
    """Report why DuckDB cannot split the (rewritten) file into lines: bare CRs by line, else in general."""
    line, found = 1, False
    with open(path, "rb") as f:
        for raw in f:
            if b"\r" in raw.rstrip(b"\n"):
                found = True
                report.fail(
                    "un retour chariot (CR) isolé coupe cette ligne : retirez-le, ou mettez la valeur "
                    "qui le contient entre guillemets.",
                    line=line,
                )
            line += 1
    if not found:
        report.fail(UNSPLITTABLE)


def _delimiter(header_line: str) -> str:
    return ";" if header_line.count(";") > header_line.count(",") else ","


def _read_into_raw(con, csv_path: str, delimiter: str, width: int) -> None:
    """DuckDB splits the file into text columns c0, c1...; malformed lines go to _rejects."""
    columns = {f"c{i}": "VARCHAR" for i in range(width)}
    con.execute("DROP TABLE IF EXISTS _rejects; DROP TABLE IF EXISTS _rejects_scan")
    con.execute(
        """CREATE OR REPLACE TEMP TABLE _rawdata AS
        SELECT * FROM read_csv($path, delim=$delim, header=false, skip=1, columns=$columns,
                               auto_detect=false, quote='"', escape='"', strict_mode=true,
                               store_rejects=true, rejects_table='_rejects', rejects_scan='_rejects_scan',
                               null_padding=false)""",
        {"path": csv_path, "delim": delimiter, "columns": columns},
    )


# DuckDB's names for the lines it rejects, as a person would say them.
REJECTS = {
    "UNQUOTED VALUE": "un guillemet mal placé (une valeur entre guillemets doit l'être en entier)",
    "LINE SIZE OVER MAXIMUM": "une ligne de plus de 2 Mo",
    "INVALID ENCODING": "des octets qui ne sont pas de l'UTF-8",
}


def _number_csv_lines(
    con, path: Path, delimiter: str, header: list[str], report: Report, newlines: tuple[int, bytes] | None = None,
) -> None:
    """Report malformed lines, then give each row the line number a spreadsheet shows."""
    if delimiter == ";":
        report.notices.append("séparateur « ; » détecté.")
    rejects = con.execute("SELECT line, error_type, csv_line FROM _rejects ORDER BY line").fetchall()
    for line, kind, raw in rejects:
        found = len(next(csv.reader([(raw or "").strip("\r\n")], delimiter=delimiter), []))
        if kind in ("TOO MANY COLUMNS", "MISSING COLUMNS"):
            report.fail(
                f"{found} champs alors que l'en-tête en compte {len(header)} : vérifiez les "
                f"séparateurs « {delimiter} » et les guillemets de cette ligne.",
                line=line,
            )
        else:
            why = REJECTS.get(kind, "des guillemets mal fermés")
            report.fail(f"ligne illisible ({why}) : corrigez-la dans votre tableur.", line=line)
    # DuckDB skips empty lines without a trace. When header + rows + rejected lines account for
    # every line of the file, nothing was skipped and row k sits on line k + 1 (the usual case,
    # checked by counting newlines, which costs far less than searching for empty lines).
    read = con.execute("SELECT count(*) FROM _rawdata").fetchone()[0]
    newlines, last = newlines or _count_newlines(path)
    lines = newlines + (0 if last == b"\n" else 1)
    # Row ids start above 2**55 inside a transaction (DuckDB's transaction-local storage): count
    # from the first one. They follow the file's order, as the insertion order is preserved.
    first = con.execute("SELECT coalesce(min(rowid), 0) FROM _rawdata").fetchone()[0]
    if not rejects and lines == 1 + read:
        con.execute(f"CREATE OR REPLACE TEMP VIEW _raw AS SELECT rowid - {int(first)} + 2 AS _line, * FROM _rawdata")
        return
    data = path.read_bytes()
    skipped = [data.count(b"\n", 0, m.start()) + 2 for m in re.finditer(rb"\n(?=\r?\n)", data)]
    _number_lines(con, sorted(skipped + [r[0] for r in rejects]), int(first))


def _count_newlines(path: Path) -> tuple[int, bytes]:
    count, last = 0, b""
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 23), b""):
            count += block.count(b"\n")
            last = block[-1:]
    return count, last


def _number_lines(con, skipped: list[int], first: int) -> None:
    """Give each row the line number a spreadsheet shows (header = line 1) around skipped lines."""
    # The k-th skipped line L shifts every row from ordinal L - k on by one more line.
    starts = [line - k for k, line in enumerate(skipped, start=1)]
    con.execute("CREATE OR REPLACE TEMP TABLE _shifts (start BIGINT)")
    if starts:
        con.execute("INSERT INTO _shifts SELECT unnest($s)", {"s": starts})
    con.execute(
        """CREATE OR REPLACE TEMP TABLE _rawlines AS
        SELECT r._ord + 1 + (SELECT count(*) FROM _shifts s WHERE s.start <= r._ord) AS _line, r.* EXCLUDE (_ord)
        FROM (SELECT rowid - $first + 1 AS _ord, * FROM _rawdata) r""",
        {"first": first},
    )
    con.execute("CREATE OR REPLACE TEMP VIEW _raw AS SELECT * FROM _rawlines")


def _cell(value) -> str | None:
    """An Excel cell as the text a CSV would hold (dates in ISO, whole numbers without .0)."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _excel_rows(book, report: Report) -> tuple[list[str], list[int], list[list[str | None]]] | None:
    """The first sheet's header, line numbers and columns of text, or None (reported)."""
    rows = book.worksheets[0].iter_rows(values_only=True)
    header_cells = next(rows, None)
    if not header_cells or all(c is None for c in header_cells):
        report.fail("la première feuille est vide : il faut une ligne d'en-tête puis des données.")
        return None
    while header_cells and header_cells[-1] is None:
        header_cells = header_cells[:-1]
    header = [_cell(c) or "" for c in header_cells]
    width = len(header)
    lines, columns = [], [[] for _ in range(width)]
    for line, cells in enumerate(rows, start=2):
        texts = [_cell(c) for c in cells]
        if all(t is None or not t.strip() for t in texts):
            continue  # empty rows are layout, not data
        extra = [t for t in texts[width:] if t is not None and t.strip()]
        if extra:
            report.fail(
                f"{width + len(extra)} cellules remplies alors que l'en-tête compte {width} "
                "colonnes : donnez un nom à chaque colonne ou videz les cellules en trop.",
                line=line,
            )
        lines.append(line)
        for i in range(width):
            columns[i].append(texts[i] if i < len(texts) else None)
    return header, lines, columns


def _read_excel(con, path: Path, report: Report) -> list[str] | None:
    import openpyxl
    import pyarrow as pa

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as err:  # a zip that is not a workbook, or a damaged one
        report.fail(
            "ce fichier n'est pas un classeur Excel (.xlsx) lisible : ouvrez-le dans votre "
            f"tableur et enregistrez-le à nouveau en .xlsx ou en CSV ({type(err).__name__})."
        )
        return None
    try:
        read = _excel_rows(book, report)
    except Exception as err:  # openpyxl reads cells lazily: a damaged sheet or a cell of NaN fails here
        report.fail(
            "ce classeur Excel est abîmé (une feuille ou une cellule illisible) : ouvrez-le dans votre "
            f"tableur et enregistrez-le à nouveau en .xlsx ou en CSV ({type(err).__name__})."
        )
        return None
    finally:
        book.close()
    if read is None:
        return None
    header, lines, columns = read
    table = pa.table({"_line": pa.array(lines, pa.int64()), **{f"c{i}": pa.array(col, pa.string()) for i, col in enumerate(columns)}})
    con.register("_excel", table)
    con.execute("CREATE OR REPLACE TEMP TABLE _rawxl AS SELECT * FROM _excel")
    con.unregister("_excel")
    con.execute("CREATE OR REPLACE TEMP VIEW _raw AS SELECT * FROM _rawxl")
    return header


# --- Header ----------------------------------------------------------------------------------


def _map_header(ds: Dataset, header: list[str], report: Report) -> dict[str, str] | None:
    """Contract column -> raw column (c0, c1...), reporting unknown, duplicate and missing ones."""
    mapping: dict[str, str] = {}
    ignored = []
    for i, raw in enumerate(header):
        name = raw.strip().lower()
        if name in ds.column_names:
            if name in mapping:
                report.fail(f"la colonne {name} apparaît deux fois dans l'en-tête : gardez-en une seule.", line=1, column=name)
            mapping[name] = f"c{i}"
        elif name:
            ignored.append(raw.strip())
    if ignored:
        report.notices.append(
            f"colonnes ignorées (inconnues du jeu {ds.name}) : {', '.join(ignored)}."
        )
    missing = [c.name for c in ds.columns if c.required and c.name not in mapping]
    for name in missing:
        report.fail(
            f"colonne obligatoire absente : ajoutez une colonne « {name} » à l'en-tête "
            "(téléchargez le modèle pour voir toutes les colonnes).",
            line=1,
            column=name,
        )
    return mapping


# --- Validation ------------------------------------------------------------------------------

# Belgian spreadsheets write 1 234 567,89 € or 1.234.567,89; English ones 1234567.89.
# _num tries the plain form first: one cheap match for the millions of cells written that way.
# _trim and _empty are trim() and "nothing but spaces", paying for trim() only where a cell
# starts or ends with a space: on a million cells that is the difference between 0.1 s and 2 s.
# Both are CASEs: DuckDB evaluates both sides of an AND over a whole vector, so
# `starts_with(v, ' ') AND trim(v) = ''` would trim every cell.
NUMBER_SQL = r"""
CREATE OR REPLACE TEMP MACRO _trim(v) AS
    CASE WHEN starts_with(v, ' ') OR ends_with(v, ' ') THEN trim(v) ELSE v END;
CREATE OR REPLACE TEMP MACRO _empty(v) AS CASE WHEN v IS NULL THEN true WHEN starts_with(v, ' ') THEN trim(v) = '' ELSE v = '' END;
CREATE OR REPLACE TEMP MACRO _num_text(v) AS
    regexp_replace(trim(v), '[\s\x{00A0}\x{202F}€]', '', 'g');
CREATE OR REPLACE TEMP MACRO _num_belgian(v) AS TRY_CAST(CASE
    WHEN regexp_full_match(_num_text(v), '[-+]?[0-9]+(\.[0-9]+)?') THEN _num_text(v)
    WHEN regexp_full_match(_num_text(v), '[-+]?[0-9]{1,3}(\.[0-9]{3})+(,[0-9]+)?')
        THEN replace(replace(_num_text(v), '.', ''), ',', '.')
    WHEN regexp_full_match(_num_text(v), '[-+]?[0-9]+(,[0-9]+)?') THEN replace(_num_text(v), ',', '.')
    WHEN regexp_full_match(_num_text(v), '[-+]?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?')
        THEN replace(_num_text(v), ',', '')
END AS DOUBLE);
CREATE OR REPLACE TEMP MACRO _num(v) AS CASE
    WHEN regexp_full_match(v, '[-+]?[0-9]+(\.[0-9]+)?') THEN TRY_CAST(v AS DOUBLE)
    ELSE _num_belgian(v) END;
CREATE OR REPLACE TEMP MACRO _date(v) AS coalesce(
    TRY_CAST(try_strptime(trim(v), '%Y-%m-%d') AS DATE),
    TRY_CAST(try_strptime(trim(v), '%d/%m/%Y') AS DATE),
    TRY_CAST(try_strptime(trim(v), '%Y-%m-%d %H:%M:%S') AS DATE));
CREATE OR REPLACE TEMP MACRO _bool(v) AS CASE
    WHEN lower(trim(v)) IN ('true', 'vrai', 'oui', 'yes', 'ja', 'waar', '1') THEN true
    WHEN lower(trim(v)) IN ('false', 'faux', 'non', 'no', 'nee', 'onwaar', '0') THEN false
END;
"""


def _quote_fr(text: str) -> str:
    return "« " + (text if len(text) <= 60 else text[:57] + "…") + " »"


# Text garbled before it reached Atlas: a replacement character, or UTF-8 read as Windows-1252
# (« Ã© » for « é », « â€™ » for « ’ »). Storing it would spread the damage; the analyst can fix it at the source.
GARBLED = r"[\x{FFFD}]|Ã[\x{80}-\x{BF}]|â€"
GARBLED_MESSAGE = (
    "contient du texte abîmé par une conversion d'encodage (« Ã© » pour « é », ou « \ufffd ») : "
    "repartez du fichier d'origine et enregistrez-le en « CSV UTF-8 »."
)


def _check(col: Column) -> tuple[str, str] | None:
    """(SQL condition that flags a bad non-empty value, French message) for a column.

    In the condition, {t} is the converted value (NULL when the text could not be converted)
    and {d} the number before rounding, for integers; both come from the table _conv.
    """
    if col.kind == "number":
        return "{t} IS NULL", "n'est pas un nombre (formes acceptées : 1234,5 ou 1 234 567,89 €)."
    if col.kind == "int":
        return (
            "{d} IS NULL OR {d} <> round({d}) OR {t} IS NULL",
            "n'est pas un nombre entier (écrivez par exemple 12).",
        )
    if col.kind == "date":
        return "{t} IS NULL", "n'est pas une date valide (écrivez 2024-03-31 ou 31/03/2024)."
    if col.kind == "bool":
        return "{t} IS NULL", "n'est pas une valeur oui/non : écrivez true ou false."
    if col.kind == "enum":
        return (
            "{t} NOT IN (SELECT unnest($allowed))",
            "n'est pas une valeur permise ; valeurs permises : " + ", ".join(col.allowed) + ".",
        )
    if col.pattern:
        return "NOT regexp_full_match({t}, $pattern)", f"n'est pas {col.pattern_hint}."
    if col.kind in ("text", "list"):
        return "regexp_matches({t}, $garbled)", GARBLED_MESSAGE
    return None


def _typed(col: Column, v: str) -> str:
    """SQL giving the stored value of column `col` from its text `v`; NULL when not convertible.

    A country comes from the small table _countries_<column> (one row per distinct spelling),
    joined in by _validate: folding a million cells would cost far more than a few hundred.
    """
    empty = f"nullif(_trim({v}), '')"
    default = f"coalesce({empty}, '{col.default}')" if col.default else empty
    return {
        "number": f"_num({default})",
        "int": f"TRY_CAST(_num({default}) AS BIGINT)",
        "date": f"_date({default})",
        "bool": f"_bool({default})",
        "enum": f"lower({default})",
        "code": f"upper({default})",
        "country": f"{q('_countries_' + col.name)}.iso3",
        "list": f"nullif(array_to_string(list_filter(list_transform(string_split({default}, '|'), lambda x: trim(x)), lambda x: x <> ''), '|'), '')",
        "text": default,
    }[col.kind]


def _validate(con, ds: Dataset, mapping: dict[str, str], report: Report) -> None:
    con.execute(NUMBER_SQL)
    con.execute(
        "CREATE OR REPLACE TEMP MACRO _fold(v) AS array_to_string(string_split_regex(nfc_normalize(lower(trim(v))), '\\s+'), ' ')"
    )
    aliases = geo.aliases()
    # Lists as parameters, not a registered Arrow table: registering imports pandas (0.6 s).
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _aliases AS SELECT unnest($alias) AS alias, unnest($iso3) AS iso3",
        {"alias": list(aliases), "iso3": list(aliases.values())},
    )
    if _validate_plain(con, ds, mapping, report):
        return

    # One pass converts every cell (the raw text is kept beside it for the messages); every check
    # below is then a cheap comparison on _conv, and _staged is a view of its converted columns.
    joins = []
    for col in ds.columns:
        if col.kind == "country":
            table = q("_countries_" + col.name)
            if col.name in mapping:
                src = mapping[col.name]
                con.execute(
                    f"""CREATE OR REPLACE TEMP TABLE {table} AS
                    SELECT spelling, (SELECT iso3 FROM _aliases a WHERE a.alias = _fold(spelling)) AS iso3
                    FROM (SELECT DISTINCT {src} AS spelling FROM _raw WHERE {src} IS NOT NULL)"""
                )
                joins.append(f"LEFT JOIN {table} ON {table}.spelling = _raw.{src}")
            else:
                con.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT NULL::VARCHAR AS iso3")
                joins.append(f"CROSS JOIN {table}")
    raw_cols = [f"c{i}" for i in range(_width(con))]
    converted = []
    for c in ds.columns:
        v = f"_raw.{mapping[c.name]}" if c.name in mapping else "NULL"
        converted.append(f"{_typed(c, v)}::{c.sql_type} AS {q(c.name)}")
        if c.kind == "int":
            converted.append(f"_num({v}) AS {q('_d_' + c.name)}")
    # Rows whose every cell is empty are spreadsheet layout (Excel's trailing ;;;), not data.
    not_empty = " OR ".join(f"NOT _empty(_raw.{c})" for c in raw_cols) or "false"
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _conv AS SELECT _raw._line, "
        + "".join(f"_raw.{c}, " for c in raw_cols)
        + ", ".join(converted)
        + " FROM _raw " + " ".join(joins) + f" WHERE {not_empty}"
    )
    report.rows = con.execute("SELECT count(*) FROM _conv").fetchone()[0]
    if report.rows == 0 and report.ok:
        report.fail("le fichier n'a que l'en-tête : ajoutez au moins une ligne de données.")
        return

    checks = []
    for col in ds.columns:
        src = mapping.get(col.name)
        if src is None:
            continue
        v, t = src, q(col.name)
        d = q("_d_" + col.name) if col.kind == "int" else t
        if col.required:
            checks.append((col, f"_empty({v})", "valeur manquante ; cette colonne est obligatoire.", {}))
        check = _check(col)
        if check:
            cond, message = check
            params = {"allowed": list(col.allowed)} if "$allowed" in cond else {}
            if "$pattern" in cond:
                params["pattern"] = col.pattern
            if "$garbled" in cond:
                params["garbled"] = GARBLED
            checks.append((col, f"NOT _empty({v}) AND ({cond.format(t=t, d=d)})", message, params))
        if col.minimum is not None or col.maximum is not None:
            low, high = col.minimum, col.maximum
            outside = [f"{d} {'<=' if col.exclusive_minimum else '<'} {low}"] if low is not None else []
            outside += [f"{d} > {high}"] if high is not None else []
            outside = [f"isfinite({d}) AND ({' OR '.join(outside)})"]  # a non-finite value is said above
            bounds = (
                f"entre {_n(low)} et {_n(high)}" if low is not None and high is not None
                else f"supérieure à {_n(low)}" if col.exclusive_minimum
                else f"d'au moins {_n(low)}" if low is not None
                else f"d'au plus {_n(high)}"
            )
            checks.append((col, " OR ".join(outside), f"est hors des limites : la valeur doit être {bounds}.", {}))
        if col.kind == "number":
            checks.append((col, f"NOT isfinite({t})", "n'est pas un nombre fini (infini ou NaN) : écrivez un montant réel, par exemple 1234,5.", {}))
        if col.magnitude_below is not None:
            checks.append((
                col, f"isfinite({t}) AND abs({t}) >= {col.magnitude_below!r}",
                f"est trop grand : un montant doit rester sous {col.magnitude_below:,.0f} € en valeur absolue "
                "(10^12) ; vérifiez l'unité (des euros, pas des cents) et les séparateurs.".replace(",", " "),
                {},
            ))

    for col, cond, message, params in checks:
        src = mapping[col.name]
        _collect(con, report, col.name, f"SELECT _line, {src} FROM _conv WHERE {cond} ORDER BY _line", message, params)

    for col in ds.columns:
        if col.kind == "country" and col.name in mapping:
            _check_countries(con, report, col.name, mapping[col.name])

    if report.ok:
        con.execute(
            "CREATE OR REPLACE TEMP VIEW _staged AS SELECT _line, "
            + ", ".join(q(c.name) for c in ds.columns)
            + " FROM _conv"
        )
        _check_staged(con, ds, report)
        _report_conversions(con, ds, mapping, report)


# The fast path. Most large files are exported by a program: plain numbers, ISO dates, ISO3 codes,
# nothing to trim. For such a file every check of the general path below passes and no value is
# normalised, so one aggregate query over the raw text can prove it (each "guard" counts the cells
# the plain conversion cannot vouch for), and _staged is then a view converting the text with plain
# casts: no second copy of the rows, no regular expression per cell beyond the guards. If any guard
# counts a cell, nothing is kept and the general path runs: it alone words problems and notices, so
# a file gets the same rows and the same report either way (tests/test_import_speed.py).
PLAIN_NUMBER = r"[-+]?[0-9]+(\.[0-9]+)?"
PLAIN_DATE = "[0-9]{4}-[0-9]{2}-[0-9]{2}"
SMALL_KINDS = ("country",)  # checked on their few distinct spellings (the alias table is looked up)


def _plain(col: Column, v: str) -> tuple[str, str | None]:
    """(SQL of the stored value from raw text `v`, SQL flagging a cell the fast path cannot take)."""
    filled = f"coalesce({v}, {_sql_text(col.default)})" if col.default is not None else v
    if col.kind in ("text", "list"):  # the general conversion itself: cheap, and silent
        return _typed(col, v), f"contains({v}, 'Ã') OR contains({v}, 'â€') OR contains({v}, '\ufffd')"
    if col.kind == "number":
        return f"TRY_CAST({filled} AS DOUBLE)", f"NOT regexp_full_match({v}, '{PLAIN_NUMBER}') OR TRY_CAST({v} AS DOUBLE) IS NULL"
    if col.kind == "int":
        d = f"TRY_CAST({v} AS DOUBLE)"
        return (
            f"TRY_CAST(TRY_CAST({filled} AS DOUBLE) AS BIGINT)",
            f"NOT regexp_full_match({v}, '{PLAIN_NUMBER}') OR {d} IS NULL OR {d} <> round({d}) OR TRY_CAST({d} AS BIGINT) IS NULL",
        )
    if col.kind == "date":
        return (
            f"TRY_CAST(try_strptime({filled}, '%Y-%m-%d') AS DATE)",
            f"NOT regexp_full_match({v}, '{PLAIN_DATE}') OR try_strptime({v}, '%Y-%m-%d') IS NULL",
        )
    if col.kind == "bool":
        return f"CASE {filled} WHEN 'true' THEN true WHEN 'false' THEN false END", f"{v} NOT IN ('true', 'false')"
    if col.kind == "enum":
        return filled, f"{v} NOT IN ({', '.join(_sql_text(a) for a in col.allowed)})"
    if col.kind == "code":
        match = f" OR NOT regexp_full_match({v}, {_sql_text(col.pattern)})" if col.pattern else ""
        return filled, f"{v} = '' OR {v} <> trim({v}) OR {v} <> upper({v}){match}"
    if col.kind == "country":  # only codes that are already the ISO3 they stand for
        return v, f"(SELECT iso3 FROM _aliases a WHERE a.alias = _fold({v})) IS DISTINCT FROM {v}"
    raise ValueError(col.kind)


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _plain_ready(col: Column) -> bool:
    """Whether the plain conversion of the column's default equals the general one."""
    if col.kind == "enum" and not all(a and a == a.strip().lower() for a in col.allowed):
        return False
    if col.default is None or col.kind in ("text", "list"):
        return True
    if col.kind in ("number", "int"):
        return re.fullmatch(PLAIN_NUMBER, col.default) is not None
    if col.kind == "date":
        return re.fullmatch(PLAIN_DATE, col.default) is not None
    if col.kind == "bool":
        return col.default in ("true", "false")
    if col.kind == "enum":
        return col.default == col.default.strip().lower()
    return col.default == col.default.strip().upper() and col.default != ""


def _validate_plain(con, ds: Dataset, mapping: dict[str, str], report: Report) -> bool:
    """Stage a file written plainly, proving with guards that the general path would agree.

    Returns False, having changed nothing, when any cell needs the general path.
    """
    required = [c for c in ds.columns if c.required and c.name in mapping]
    if not required or not all(_plain_ready(c) for c in ds.columns):
        return False
    values, row_guards = [], []
    for col in ds.columns:
        if col.name not in mapping:
            values.append(("NULL" if col.kind == "country" else _typed(col, "NULL")) + f"::{col.sql_type} AS {q(col.name)}")
            continue
        v = f"_raw.{mapping[col.name]}"
        value, guard = _plain(col, v)
        values.append(f"{value}::{col.sql_type} AS {q(col.name)}")
        if col.required:
            # Guards below let only plain text through, so an empty cell is NULL (or blank, for text).
            row_guards.append(f"_empty({v})" if col.kind in ("text", "list") else f"{v} IS NULL")
        if guard is None:
            pass
        elif col.kind in SMALL_KINDS:
            bad = con.execute(
                f"SELECT count(*) FROM (SELECT DISTINCT {mapping[col.name]} AS v FROM _raw) "
                f"WHERE v IS NOT NULL AND ({_plain(col, 'v')[1]})"
            ).fetchone()[0]
            if bad:
                return False
        else:
            row_guards.append(f"{v} IS NOT NULL AND ({guard})")
        if col.kind == "number":
            # A plain cell of 400 digits is a valid DOUBLE literal: infinity, which only the general path words.
            row_guards.append(f"NOT isfinite({value})")
            if col.magnitude_below is not None:
                row_guards.append(f"abs({value}) >= {col.magnitude_below!r}")
        low, high = col.minimum, col.maximum
        if col.kind in ("number", "int") and (low is not None or high is not None):
            # Bounds: on the value (a number) or, for integers, on the number before rounding,
            # which the guard above proved whole.
            x = value if col.kind == "number" else f"TRY_CAST({v} AS DOUBLE)"
            outside = [f"{x} {'<=' if col.exclusive_minimum else '<'} {low}"] if low is not None else []
            outside += [f"{x} > {high}"] if high is not None else []
            row_guards.append(" OR ".join(outside))
    defaults = [c for c in ds.columns if c.default is not None and c.name in mapping]
    found = con.execute(
        "SELECT count(*)"
        + "".join(f", count(*) FILTER ({g})" for g in row_guards)
        + "".join(f", count(*) FILTER (_empty(_raw.{mapping[c.name]}))" for c in defaults)
        + " FROM _raw"
    ).fetchone()
    rows, bad, filled = found[0], found[1 : 1 + len(row_guards)], found[1 + len(row_guards) :]
    if rows == 0 or any(bad):
        return False
    report.rows = rows
    con.execute("CREATE OR REPLACE TEMP VIEW _staged AS SELECT _line, " + ", ".join(values) + " FROM _raw")
    _check_staged(con, ds, report)
    _report_conversions(con, ds, mapping, report, defaults_filled=dict(zip((c.name for c in defaults), filled)))
    return True


def _width(con) -> int:
    return sum(1 for (name,) in con.execute("SELECT column_name FROM (DESCRIBE _raw)").fetchall() if re.fullmatch(r"c\d+", name))


def _n(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x).replace(".", ",")


def _collect(con, report: Report, column: str, sql: str, message: str, params: dict | None = None) -> None:
    """Report each (line, value) row of `sql` with `message`: as many as the report keeps, the rest counted."""
    total = con.execute(f"SELECT count(*) FROM ({sql})", params or {}).fetchone()[0]
    rows = con.execute(f"{sql} LIMIT {report.room}", params or {}).fetchall() if report.room else []
    for line, value in rows:
        shown = _quote_fr(str(value)) + " " if value not in (None, "") else ""
        report.fail(shown + message, line=line, column=column, value=value)
    report.omitted += total - len(rows)


def _check_countries(con, report: Report, column: str, src: str) -> None:
    sql = f"""SELECT _line, {src} FROM _conv WHERE NOT _empty({src}) AND {q(column)} IS NULL ORDER BY _line"""
    total = con.execute(f"SELECT count(*) FROM ({sql})").fetchone()[0]
    rows = con.execute(f"{sql} LIMIT {report.room}").fetchall() if report.room else []
    for line, value in rows:
        close = geo.suggestions(value)
        hint = f" (voulez-vous dire {' ou '.join(close)} ?)" if close else " : utilisez le code à trois lettres, par exemple COD."
        report.fail(f"{_quote_fr(value)} n'est pas un code ISO 3166-1 alpha-3 connu{hint}", line=line, column=column, value=value)
    report.omitted += total - len(rows)


def _check_staged(con, ds: Dataset, report: Report) -> None:
    """Checks across columns and rows: key uniqueness and dates in order."""
    if ds.key:
        keys = ", ".join(q(k) for k in ds.key)
        rows = con.execute(
            f"""SELECT _line, first_line, {keys} FROM (
                SELECT _line, min(_line) OVER (PARTITION BY {keys}) AS first_line, {keys} FROM _staged)
            WHERE _line > first_line ORDER BY _line"""
        ).fetchall()
        for line, first, *key in rows:
            shown = " / ".join(str(k) for k in key)
            report.fail(
                f"{_quote_fr(shown)} apparaît déjà ligne {first} : la clé ({', '.join(ds.key)}) doit être unique ; "
                "supprimez le doublon ou changez la clé.",
                line=line,
                column=ds.key[0],
                value=shown,
            )
    for start, end in ds.ordered:
        rows = con.execute(
            f"SELECT _line, {q(start)}, {q(end)} FROM _staged WHERE {q(end)} < {q(start)} ORDER BY _line"
        ).fetchall()
        for line, a, b in rows:
            report.fail(
                f"{_quote_fr(str(b))} précède {start} {_quote_fr(str(a))} : la fin ne peut pas "
                "venir avant le début ; corrigez l'une des deux valeurs.",
                line=line,
                column=end,
                value=str(b),
            )


def _report_conversions(
    con, ds: Dataset, mapping: dict[str, str], report: Report, defaults_filled: dict[str, int] | None = None
) -> None:
    """Say what was normalised on the way in: every change to a value is reported, counted.

    `defaults_filled` (column -> empty cells), from the fast path, which proved every other count zero.
    """
    kinds = {  # what was converted -> (SQL condition on a filled cell, French notice: one, several)
        "country": ("upper(_trim({src})) IS DISTINCT FROM {t}", ("nom ou code de pays converti en code ISO 3166-1 alpha-3",
                                                                 "noms ou codes de pays convertis en codes ISO 3166-1 alpha-3")),
        "number": ("TRY_CAST(_trim({src}) AS DOUBLE) IS NULL", ("nombre écrit à la belge (virgule décimale, espaces, €) converti",
                                                                "nombres écrits à la belge (virgule décimale, espaces, €) convertis")),
        "date": ("NOT regexp_full_match(trim({src}), '[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}')",
                 ("date convertie au format AAAA-MM-JJ", "dates converties au format AAAA-MM-JJ")),
        "bool": ("lower(trim({src})) NOT IN ('true', 'false')",
                 ("valeur oui/non convertie en true/false", "valeurs oui/non converties en true/false")),
        "enum": ("_trim({src}) <> {t}", ("valeur mise en casse standard", "valeurs mises en casse standard")),
    }
    kinds["int"], kinds["code"] = kinds["number"], kinds["enum"]
    counts, absent = [], []
    for col in ds.columns:
        src, t = mapping.get(col.name), q(col.name)
        if src is None:
            if col.default is not None:
                absent.append(f"colonne {col.name} absente : « {col.default} » partout (valeur par défaut).")
            continue
        if col.kind in kinds:
            cond, text = kinds[col.kind]
            counts.append((f"NOT _empty({src}) AND {cond.format(src=src, t=t)}", text, col.name))
        if col.default is not None:
            counts.append((f"_empty({src})", (f"cellule vide complétée par la valeur par défaut « {col.default} »",
                                               f"cellules vides complétées par la valeur par défaut « {col.default} »"), col.name))
    if counts:
        if defaults_filled is not None:
            found = [defaults_filled.get(column, 0) if cond.startswith("_empty(") else 0 for cond, _, column in counts]
        else:
            found = con.execute(
                "SELECT " + ", ".join(f"count(*) FILTER ({cond})" for cond, _, _ in counts) + " FROM _conv"
            ).fetchone()
        grouped: dict[tuple[str, str], list[tuple[str, int]]] = {}
        for n, (_, text, column) in zip(found, counts):
            if n:
                grouped.setdefault(text, []).append((column, n))
        for text, per_column in grouped.items():
            total = sum(n for _, n in per_column)
            where = ", ".join(c for c, _ in per_column) if len(per_column) == 1 else ", ".join(f"{c} : {n}" for c, n in per_column)
            report.notices.append(f"{total} {text[total > 1]} ({where}).")
    report.notices.extend(absent)


def check_file(ds: Dataset, path, file_name: str | None = None) -> Report:
    """Validate only, in a scratch database: what `python -m atlas check` runs."""
    con = scratch()
    try:
        return stage(con, ds, path, file_name)
    finally:
        con.close()


def problems_table(report: Report) -> list[dict]:
    """The problems as rows for a table or a CSV download, in the order of the file's lines."""
    return [
        {"ligne": p.line, "colonne": p.column, "valeur": p.value, "problème": p.message}
        for p in sorted(report.problems, key=lambda p: p.line or 0)
    ]

