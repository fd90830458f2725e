"""A deterministic mutation fuzzer for the load path: damaged and hostile files must never hurt the data.

Each case derives one file from `data/sample/` (bytes flipped, lines cut, fields added, encodings
mixed, odd line endings, numbers out of range, huge fields, Excel variants, hostile IATI XML, OECD
CRS text) and loads it with `atlas.writes.versions.load`, in-process, into its own copy of a database
built once from the sample (mode `years` for oda, `upsert` where the dataset has a key). A case is
a defect when:

- the load raises anything but a domain error (AtlasError, such as versions.Refused): a traceback;
- the load is refused (report not ok, or an AtlasError) and the database file's SHA-256 changed;
- an accepted load stored U+FFFD, mojibake (« Ã© », « â€™ ») or C1 control characters in a text
  column, a non-finite number (rows or stored summaries) or one of 10^12 or more in absolute value
  (rows), or added and changed more rows than the file has data lines (CRS: two per line,
  commitment and disbursement; IATI: per transaction, times its countries and sectors);
- and, beyond those: the file breaks a rule of the contract that the case was built to break (a
  DTD, a non-finite amount, a negative percentage, UTF-8 mixed with other bytes) yet was accepted;
  an accepted IATI file in euros whose rows do not add up to its commitments and disbursements; a
  `years` import of oda that removed rows of an (entity, year) pair that the file does not hold.

Case `i` of seed `s` is always the same file, so a failure reproduces with `--case i --seed s`.

    python scripts/fuzz.py --count 10000 --seed 0          # counts per category and kind (~30 min, 2 workers)
    python scripts/fuzz.py --count 500 --show 20            # and the first 20 failing cases
    python scripts/fuzz.py --case 17,42 --save /tmp/fails   # rerun two cases, write their files
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import math
import multiprocessing
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
import traceback
import zipfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from atlas.contract import DATASETS  # noqa: E402
from atlas.errors import AtlasError  # noqa: E402

SAMPLE_DIR = ROOT / "data" / "sample"
REFERENCE_DIR = ROOT / "data" / "reference"
LIMIT = 1e12  # DATA_CONTRACT.md: an amount whose absolute value reaches 10^12 € is refused

# The categories of defects, in the order they are printed. The first five are issue 15's.
CATEGORIES = (
    "exception",  # a traceback instead of a French message
    "refused_db_changed",  # refused (or raised), yet the database file is not byte for byte the same
    "stored_garbled",  # U+FFFD, mojibake or C1 controls stored in a text column
    "stored_out_of_range",  # a non-finite number, or |value| >= 10^12, stored
    "too_many_rows",  # more rows added or changed than the file has data lines
    "accepted_invalid",  # a file built to break a rule of the contract was accepted
    "wrong_total",  # accepted IATI rows (EUR) that do not add up to the file's transactions
    "removed_other_rows",  # `years` removed rows of an (entity, year) pair the file does not hold
)


# --- Cases ---------------------------------------------------------------------------------------


@dataclass
class Case:
    seed: int
    index: int
    kind: str
    dataset: str
    suffix: str  # .csv, .xlsx, .xml or .txt: the uploaded file's name is "upload" + suffix
    data: bytes
    max_rows: int = 0  # rows an accepted load may add or change at most
    must_refuse: str | None = None  # the contract rule the file breaks, when it was built to break one
    expected_eur: float | None = None  # IATI in euros: what the accepted rows must add up to
    transactions: int = 0  # IATI: transactions expected to become rows (rounding tolerance)
    must_accept: bool = False  # a file the contract accepts (a refusal is reported, not counted as a defect)

    @property
    def mode(self) -> str:
        return mode_for(self.dataset)

    @property
    def file_name(self) -> str:
        return f"{self.index:05d}-{self.kind}-{self.dataset}{self.suffix}"


def mode_for(dataset: str) -> str:
    """`years` for oda, `upsert` where the dataset has a key, else `replace` (issue 15, item 8)."""
    if dataset == "oda":
        return "years"
    return "upsert" if DATASETS[dataset].key else "replace"


@cache
def sample_bytes(name: str) -> bytes:
    return (SAMPLE_DIR / f"{name}.csv").read_bytes()


@cache
def sample_table(name: str) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """The sample's header and rows, as text."""
    rows = list(csv.reader(io.StringIO(sample_bytes(name).decode("utf-8"), newline="")))
    return tuple(rows[0]), tuple(tuple(r) for r in rows[1:] if r)


def columns_of(name: str, *kinds: str) -> list[str]:
    header = sample_table(name)[0]
    return [c.name for c in DATASETS[name].columns if c.kind in kinds and c.name in header]


def to_csv(header, rows, delimiter: str = ",", newline: str = "\n") -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator=newline)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


LINE = re.compile(rb"\r\n|\r|\n")
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# A valid UTF-8 multi-byte sequence (DATA_CONTRACT.md: a file holding one is never read as
# Windows-1252, and a file holding one and other bytes ≥ 0x80 is refused).
UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)


def as_text(data: bytes) -> str:
    """The file's characters when it is UTF-16 (by its BOM), else its bytes one by one."""
    if data.startswith(UTF16_BOMS):
        return data.decode("utf-16", errors="replace")
    return data.decode("latin-1")


def data_lines(data: bytes) -> int:
    """Non-blank lines after the first non-blank one (the header): a bound on a CSV's records."""
    text = as_text(data).replace("\ufeff", "")
    lines = [line for line in re.split(r"\r\n|\r|\n", text) if line.strip()]
    return max(len(lines) - 1, 0)


def mixes_encodings(data: bytes) -> bool:
    """UTF-8 with other bytes ≥ 0x80: the contract refuses such a file (it names the lines)."""
    if data.startswith(UTF16_BOMS):
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return bool(UTF8_SEQUENCE.search(data))
    return False


# --- CSV mutations: (rng, dataset, bytes) -> (bytes, rule the result breaks or None) ------------

HOSTILE_NUMBERS = (
    "1e300", "-1e300", "1e400", "-1e400", "9" * 400, "-" + "9" * 400, "inf", "-inf", "+inf", "Infinity",
    "-Infinity", "nan", "NaN", "-nan", "1e12", "-1e12", "1000000000000", "999999999999.995", "1 000 000 000 000",
    "1.000.000.000.000,00", "1,7976931348623157e308", "2e308", "9223372036854775808", "-9223372036854775809",
    "18446744073709551616", "1" + "0" * 20, "0.1e13", "1e-400", "0x1p1023", "1_000", "١٢٣", "12,5", "1e12 €",
)


def breaks_range(text: str, column: str) -> bool:
    """Whether a number as written breaks the contract in `column`: non-finite anywhere, or reaching
    10^12 in absolute value in an amount (a column in euros); counts such as participants are not amounts."""
    cleaned = text.replace(" ", "").replace("€", "").replace("_", "")
    if re.fullmatch(r"[-+]?\d{1,3}(\.\d{3})+(,\d+)?", cleaned):
        cleaned = cleaned.replace(".", "").replace(",", ".")
    else:
        cleaned = cleaned.replace(",", ".")
    try:
        value = float(cleaned)
    except ValueError:
        return False
    return not math.isfinite(value) or (column.endswith("_eur") and abs(value) >= LIMIT)


def _lines(data: bytes) -> list[bytes]:
    return data.splitlines(keepends=True)


def _pick(rng: random.Random, lines: list, first: int = 1) -> int:
    return rng.randrange(first, len(lines)) if len(lines) > first else len(lines) - 1


def _split_fields(line: bytes) -> tuple[list[str], bytes]:
    body = line.rstrip(b"\r\n")
    ending = line[len(body):]
    text = body.decode("utf-8", "surrogateescape")
    try:
        fields = next(csv.reader([text]), [])
    except csv.Error:  # a line an earlier mutation broke (a bare CR inside): split it plainly
        fields = text.split(",")
    return fields, ending


def _join_fields(fields: list[str], ending: bytes) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(fields)
    return out.getvalue().encode("utf-8", "surrogateescape") + ending


def m_byte_flip(rng, name, data):
    out = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        i = rng.randrange(len(out))
        out[i] = out[i] ^ (1 << rng.randrange(8)) if rng.random() < 0.7 else rng.randrange(256)
    return bytes(out), None


def m_byte_insert(rng, name, data):
    out = bytearray(data)
    for _ in range(rng.randint(1, 5)):
        junk = rng.choice([b"\x00", b"\xff", b"\xfe", b"\r", b"\n", b'"', b",", b";", b"\t", b"\x1a", b"\xc3", b"\xe2\x80"])
        out[rng.randrange(len(out) + 1):0] = junk
    return bytes(out), None


def m_truncate(rng, name, data):
    return data[: rng.randrange(1, len(data))], None


def m_line_cut(rng, name, data):
    lines = _lines(data)
    i = _pick(rng, lines, 0)
    body = lines[i].rstrip(b"\r\n")
    lines[i] = body[: rng.randrange(len(body) + 1)] + lines[i][len(body):]
    return b"".join(lines), None


def m_line_dup(rng, name, data):
    lines = _lines(data)
    for _ in range(rng.randint(1, 5)):
        i = _pick(rng, lines, 0 if rng.random() < 0.1 else 1)
        line = lines[i] if lines[i].endswith((b"\n", b"\r")) else lines[i] + b"\n"
        lines.insert(rng.randrange(1, len(lines) + 1), line)
    return b"".join(lines), None


def m_line_drop(rng, name, data):
    lines = _lines(data)
    for _ in range(rng.randint(1, max(1, len(lines) // 3) if rng.random() < 0.3 else 3)):
        if len(lines) > 1:
            del lines[_pick(rng, lines, 0 if rng.random() < 0.1 else 1)]
    return b"".join(lines), None


def m_field_add(rng, name, data):
    lines = _lines(data)
    for _ in range(rng.randint(1, 4)):
        i = _pick(rng, lines, 0 if rng.random() < 0.2 else 1)
        fields, ending = _split_fields(lines[i])
        fields.insert(rng.randrange(len(fields) + 1), rng.choice(["", "x", "extra", "1", "é", '"']))
        lines[i] = _join_fields(fields, ending)
    return b"".join(lines), None


def m_field_remove(rng, name, data):
    lines = _lines(data)
    for _ in range(rng.randint(1, 4)):
        i = _pick(rng, lines, 0 if rng.random() < 0.2 else 1)
        fields, ending = _split_fields(lines[i])
        if fields:
            del fields[rng.randrange(len(fields))]
        lines[i] = _join_fields(fields, ending)
    return b"".join(lines), None


def m_quote_unbalanced(rng, name, data):
    lines = _lines(data)
    for _ in range(rng.randint(1, 3)):
        i = _pick(rng, lines, 0 if rng.random() < 0.1 else 1)
        body = lines[i].rstrip(b"\r\n")
        commas = [m.end() for m in re.finditer(rb",", body)]
        at = rng.choice([0, len(body), rng.randrange(len(body) + 1), *(commas or [0])])
        lines[i] = body[:at] + rng.choice([b'"', b'"x', b'""', b'x"']) + body[at:] + lines[i][len(body):]
    return b"".join(lines), None


def m_cp1252_lines(rng, name, data):
    """A few lines in Windows-1252 inside a UTF-8 file (mixed encodings)."""
    lines = _lines(data)
    accented = [i for i, line in enumerate(lines) if i and re.search(rb"[\x80-\xff]", line)]
    if not accented:  # give a line an accent first
        i = _pick(rng, lines)
        fields, ending = _split_fields(lines[i])
        fields[-1] = fields[-1] + " Coopération" if fields else "é"
        lines[i] = _join_fields(fields, ending)
        accented = [i]
    for i in rng.sample(accented, min(len(accented), rng.randint(1, 3))):
        lines[i] = lines[i].decode("utf-8", "surrogateescape").encode("cp1252", "replace")
    return b"".join(lines), None


def m_cp1252_file(rng, name, data):
    return data.decode("utf-8").encode("cp1252", "replace"), None


def m_utf16(rng, name, data):
    text = data.decode("utf-8")
    codec = rng.choice(["utf-16", "utf-16-le", "utf-16-be", "utf-16-bom-be"])
    if codec == "utf-16-bom-be":
        return b"\xfe\xff" + text.encode("utf-16-be"), None
    return text.encode(codec), None


def m_bom(rng, name, data):
    bom = b"\xef\xbb\xbf"
    choice = rng.randrange(4)
    if choice == 0:
        return bom + data, None
    if choice == 1:
        return bom + bom + data, None
    if choice == 2:  # a BOM at the start of a data line
        lines = _lines(data)
        i = _pick(rng, lines)
        lines[i] = bom + lines[i]
        return bom + b"".join(lines), None
    return b"\xff\xfe" + data, None  # a UTF-16 BOM on UTF-8 bytes


def m_cr_only(rng, name, data):
    return data.replace(b"\r\n", b"\n").replace(b"\n", b"\r"), None


def m_crlf_mixed(rng, name, data):
    lines = _lines(data)
    endings = [b"\r\n", b"\n", b"\r", b"\r\r\n", b"\n\r"]
    return b"".join(line.rstrip(b"\r\n") + rng.choice(endings) for line in lines), None


def m_cr_in_field(rng, name, data):
    lines = _lines(data)
    for _ in range(rng.randint(1, 3)):
        i = _pick(rng, lines)
        fields, ending = _split_fields(lines[i])
        if not fields:
            continue
        j = rng.randrange(len(fields))
        at = rng.randrange(len(fields[j]) + 1)
        piece = rng.choice(["\r", "\r\n", "\n", "\r=cmd|' /C calc'!A0"])
        fields[j] = fields[j][:at] + piece + fields[j][at:]
        if rng.random() < 0.5:  # written bare, not quoted: the record breaks
            lines[i] = ",".join(fields).encode("utf-8", "surrogateescape") + ending
        else:
            lines[i] = _join_fields(fields, ending)
    return b"".join(lines), None


def m_blank_first(rng, name, data):
    lead = rng.choice([b"\n", b"\r\n", b"\r", b" \n", b"\n\n\n", b",,,\n", b"\t\r\n", b"\xef\xbb\xbf\n", b"\n\xef\xbb\xbf"])
    return lead + data, None


def m_blank_lines(rng, name, data):
    lines = _lines(data)
    for _ in range(rng.randint(1, 5)):
        lines.insert(rng.randrange(1, len(lines) + 1), rng.choice([b"\n", b"\r\n", b" \n", b",,,,\n", b'""\n']))
    return b"".join(lines), None


def m_number(rng, name, data):
    numeric = columns_of(name, "number", "int")
    header, _ = _split_fields(_lines(data)[0])
    lines = _lines(data)
    broken = None
    for _ in range(rng.randint(1, 3)):
        column = rng.choice(numeric)
        if column not in header:
            continue
        i = _pick(rng, lines)
        fields, ending = _split_fields(lines[i])
        j = header.index(column)
        if j < len(fields):
            value = rng.choice(HOSTILE_NUMBERS)
            fields[j] = value
            lines[i] = _join_fields(fields, ending)
            if breaks_range(value, column):
                broken = f"« {value} » en {column} (non fini, ou montant ≥ 10^12 €)"
    return b"".join(lines), broken


def m_huge_field(rng, name, data):
    lines = _lines(data)
    i = _pick(rng, lines)
    fields, ending = _split_fields(lines[i])
    if not fields:
        return data, None
    size = rng.choice([10_000, 50_000, 200_000, 1_000_000, 2_000_000])
    unit = rng.choice(["x", "é", "Coopération ", "9", ",", '"', "\u202f", "😀"])
    fields[rng.randrange(len(fields))] = (unit * (size // len(unit.encode("utf-8")) + 1))[:size]
    lines[i] = _join_fields(fields, ending)
    return b"".join(lines), None


def m_nul_and_controls(rng, name, data):
    lines = _lines(data)
    for _ in range(rng.randint(1, 3)):
        i = _pick(rng, lines)
        fields, ending = _split_fields(lines[i])
        if fields:
            j = rng.randrange(len(fields))
            fields[j] = fields[j] + rng.choice(["\x00", "\x01", "\x1b[31m", "\x7f", "\u2028", "\ufeff"])
            lines[i] = _join_fields(fields, ending)
    return b"".join(lines), None


def m_header_mangle(rng, name, data):
    lines = _lines(data)
    fields, ending = _split_fields(lines[0])
    choice = rng.randrange(5)
    if choice == 0:
        fields = [f.upper() for f in fields]
    elif choice == 1:
        fields = [f" {f} " for f in fields]
    elif choice == 2 and fields:
        fields[rng.randrange(len(fields))] = fields[rng.randrange(len(fields))]  # a duplicate column
    elif choice == 3:
        rng.shuffle(fields)
    else:
        fields = fields + [fields[0]]
    lines[0] = _join_fields(fields, ending)
    return b"".join(lines), None


def m_delimiter(rng, name, data):
    header, rows = sample_table(name)
    delimiter = rng.choice([";", "\t", "|"])
    text = to_csv(header, rows, delimiter=delimiter)
    if rng.random() < 0.3:  # one line left with commas
        lines = text.splitlines(keepends=True)
        lines[_pick(rng, lines)] = _join_fields(list(rows[0]), b"\n").decode("utf-8")
        text = "".join(lines)
    return text.encode("utf-8"), None


HOSTILE_VALUES = {
    "date": ("2024-02-30", "31/12/2024", "2024-13-01", "0000-00-00", "294247-01-10", "5881580-07-11", "-2024-01-01",
             "infinity", "-infinity", "epoch", "2024-1-1", "1e300", "٢٠٢٤-٠١-٠١", "2024-01-01T25:00"),
    "bool": ("vrai", "oui", "1", " TRUE ", "yes", "nan", "2", "faux\u00a0"),
    "country": ("XK", "xkx", "\U0001f1e7\U0001f1ea", "Belgique", "Congo", "\u200bBEL", "ZZZ", "B E L"),
    "enum": ("IN_FORCE", " in_force", "in force", "disbursement\u00a0", "0"),
    "code": ("ca-qc", "CA_QC", "12 220", "1222O", "\u0661\u0662\u0662\u0662\u0660"),
    "list": ("a||b", "|", "|||", "santé|", "a|" * 5000),
    "text": ("=cmd|' /C calc'!A0", "\u202eevil", "NULL", "\\N", "N/A", "#N/A", "-", " ", "\u00a0", "x" * 70000),
    "int": ("12.0", "12.5", "1e3", "0012", "-0", "+7", "1 000", "1.000"),
    "number": ("12,5", "1.234,56", "1 234,56", "-0", "+7", ".5", "5.", "1e-5", "€ 12"),
}


def m_values(rng, name, data):
    """Odd but plausible cells of each column's kind (dates, booleans, countries, codes...)."""
    lines = _lines(data)
    header, _ = _split_fields(lines[0])
    kinds = {c.name: c.kind for c in DATASETS[name].columns}
    for _ in range(rng.randint(1, 4)):
        i = _pick(rng, lines)
        fields, ending = _split_fields(lines[i])
        if not fields or not header:
            continue
        j = rng.randrange(min(len(fields), len(header)))
        fields[j] = rng.choice(HOSTILE_VALUES.get(kinds.get(header[j]), HOSTILE_VALUES["text"]))
        lines[i] = _join_fields(fields, ending)
    return b"".join(lines), None


def m_empty(rng, name, data):
    return rng.choice([b"", b"\xef\xbb\xbf", b"\n", b"\r\n\r\n", _lines(data)[0], _lines(data)[0].rstrip(b"\r\n"), b"\x00" * 64]), None


CSV_MUTATIONS = {
    "byte_flip": m_byte_flip,
    "byte_insert": m_byte_insert,
    "truncate": m_truncate,
    "line_cut": m_line_cut,
    "line_dup": m_line_dup,
    "line_drop": m_line_drop,
    "field_add": m_field_add,
    "field_remove": m_field_remove,
    "quote_unbalanced": m_quote_unbalanced,
    "cp1252_lines": m_cp1252_lines,
    "cp1252_file": m_cp1252_file,
    "utf16": m_utf16,
    "bom": m_bom,
    "cr_only": m_cr_only,
    "crlf_mixed": m_crlf_mixed,
    "cr_in_field": m_cr_in_field,
    "blank_first": m_blank_first,
    "blank_lines": m_blank_lines,
    "number": m_number,
    "huge_field": m_huge_field,
    "controls": m_nul_and_controls,
    "header_mangle": m_header_mangle,
    "delimiter": m_delimiter,
    "empty": m_empty,
    "values": m_values,
}
# Mutations that keep a file's bytes readable enough to stack another one on top.
STACKABLE = [k for k in CSV_MUTATIONS if k not in ("empty", "delimiter", "utf16", "huge_field", "cp1252_file")]


def pick_dataset(rng: random.Random) -> str:
    return rng.choice([*DATASETS, "oda"])  # oda twice: it is what the field sends


def csv_case(kind: str):
    def make(rng, seed, index):
        name = pick_dataset(rng)
        data, broken = CSV_MUTATIONS[kind](rng, name, sample_bytes(name))
        case = finish(Case(seed, index, kind, name, ".csv", data, must_refuse=broken))
        case.must_accept = kind == "cp1252_file"
        return case

    return make


def stacked_case(rng, seed, index):
    name = pick_dataset(rng)
    data = sample_bytes(name)
    for kind in rng.sample(STACKABLE, rng.randint(2, 3)):
        # What one mutation breaks, the next may remove: only the mix of encodings is judged (finish).
        try:
            data, _ = CSV_MUTATIONS[kind](rng, name, data)
        except (ValueError, IndexError):  # an earlier mutation left too little to work on
            pass
    return finish(Case(seed, index, "stacked", name, ".csv", data))


def finish(case: Case) -> Case:
    """Bound the rows and note a mix of encodings, from the file's final bytes."""
    if case.suffix in (".csv", ".txt"):
        lines = data_lines(case.data)
        case.max_rows = lines * (2 if case.suffix == ".txt" else 1)  # CRS: commitment and disbursement
        if case.must_refuse is None and mixes_encodings(case.data):
            case.must_refuse = "UTF-8 mêlé à d'autres octets"
    return case


# --- Excel ---------------------------------------------------------------------------------------

MARK = 314159265358979  # a number written by openpyxl, then replaced in the sheet's XML


def typed(name: str, header, row) -> list:
    """The sample row with numbers, dates and booleans as Excel values."""
    import datetime as dt

    kinds = {c.name: c.kind for c in DATASETS[name].columns}
    out = []
    for column, value in zip(header, row):
        kind = kinds.get(column)
        try:
            if value == "":
                out.append(None)
            elif kind == "int":
                out.append(int(value))
            elif kind == "number":
                out.append(float(value))
            elif kind == "date":
                out.append(dt.date.fromisoformat(value))
            elif kind == "bool":
                out.append(value == "true")
            else:
                out.append(value)
        except ValueError:
            out.append(value)
    return out


CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # openpyxl cannot write these


def xlsx_bytes(sheets: list[list[list]], replacements: list[str] = ()) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    for n, rows in enumerate(sheets):
        sheet = book.active if n == 0 else book.create_sheet(f"Feuille{n + 1}")
        for row in rows:
            sheet.append([CONTROL.sub("", v) if isinstance(v, str) else v for v in row])
    out = io.BytesIO()
    book.save(out)
    data = out.getvalue()
    if replacements:  # numbers openpyxl refuses to write (inf, NaN, 400 digits) put in the XML itself
        zin = zipfile.ZipFile(io.BytesIO(data))
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
            for item in zin.infolist():
                content = zin.read(item.filename)
                if item.filename.startswith("xl/worksheets/"):
                    text = content.decode("utf-8")
                    for value in replacements:
                        text = text.replace(f"<v>{MARK}</v>", f"<v>{value}</v>", 1)
                    content = text.encode("utf-8")
                zout.writestr(item, content)
        data = out.getvalue()
    return data


def xlsx_case(rng, seed, index):
    name = pick_dataset(rng)
    header, rows = sample_table(name)
    rows = [list(r) for r in rows]
    variant = rng.choice(["typed", "text", "numbers", "blank_rows", "formula", "second_sheet", "mutated", "corrupt", "cells"])
    broken, replacements = None, []
    kind = f"xlsx_{variant}"
    if variant == "text":
        sheet = [list(header), *rows]
    elif variant == "mutated":  # a CSV mutation first, then the rows it left, as text cells
        mutation = rng.choice(["line_dup", "line_drop", "field_add", "field_remove", "number", "cr_in_field", "controls", "header_mangle"])
        data, broken = CSV_MUTATIONS[mutation](rng, name, sample_bytes(name))
        sheet = list(csv.reader(io.StringIO(data.decode("utf-8", "replace"), newline="")))
        kind = f"xlsx_{mutation}"
    else:
        sheet = [list(header), *(typed(name, header, r) for r in rows)]
    if variant == "numbers":
        numeric = columns_of(name, "number", "int")
        for _ in range(rng.randint(1, 3)):
            column = rng.choice(numeric)
            i = rng.randrange(1, len(sheet))
            value = rng.choice(["<inf>", "<-inf>", "<NaN>", "<1e400>", "<" + "9" * 400 + ">", 1e300, -1e300, 1e12, 10**15, 2**63, "1e12"])
            if isinstance(value, str) and value.startswith("<"):  # a number cell openpyxl would not write
                value = value.strip("<>")
                sheet[i][header.index(column)] = MARK
                replacements.append(value)
            else:
                sheet[i][header.index(column)] = value
            if breaks_range(str(value), column):
                broken = (broken + ", " if broken else "") + f"{str(value)[:20]} en {column}"
    elif variant == "blank_rows":
        sheet = [[None] * len(header)] * rng.randint(1, 3) + sheet
        if rng.random() < 0.5:
            sheet = [[None, *r] for r in sheet]  # and an empty first column
    elif variant == "formula":
        for _ in range(rng.randint(1, 3)):
            i = rng.randrange(1, len(sheet))
            sheet[i][rng.randrange(len(header))] = rng.choice(["=1/0", "=A1", '=HYPERLINK("http://127.0.0.1/")', "=1e300*1e300"])
    elif variant == "cells":
        for _ in range(rng.randint(1, 3)):
            i = rng.randrange(1, len(sheet))
            sheet[i][rng.randrange(len(header))] = rng.choice([True, 0.1 + 0.2, -0.0, "\u00a0", " x ", "é" * 40000, 3.5, "2024-02-30"])
    sheets = [[], sheet] if variant == "second_sheet" else [sheet]
    data = xlsx_bytes(sheets, replacements)
    if variant == "corrupt":
        data, _ = rng.choice([m_byte_flip, m_truncate, m_byte_insert])(rng, name, data)
    rows_written = sum(1 for r in sheet if any(v not in (None, "") for v in r))
    case = Case(seed, index, kind, name, ".xlsx", data, max_rows=max(rows_written - 1, 0), must_refuse=broken)
    case.must_accept = variant in ("typed", "text")  # the contract reads the first sheet only
    return case


# --- IATI activity XML, made from the ODA sample -------------------------------------------------

ORG_REFS = {
    "Wallonie": "XM-DAC-2-80",
    "Région de Bruxelles-Capitale": "XM-DAC-2-91",
    "Coopération belge (fédéral)": "XM-DAC-2-10",
}


@cache
def iso2_of() -> dict[str, str]:
    with open(ROOT / "data" / "geo" / "countries.csv", encoding="utf-8") as f:
        return {r["iso3"]: r["iso2"] for r in csv.DictReader(f)}


@dataclass
class Activity:
    entity: str
    title: str
    channel: str
    countries: list[tuple[str, str]] = field(default_factory=list)  # (code, percentage) at activity level
    regions: list[tuple[str, str]] = field(default_factory=list)
    sectors: list[tuple[str, str, str]] = field(default_factory=list)  # (vocabulary, code, percentage)
    transactions: list[dict] = field(default_factory=list)  # type, date, value, currency, country, sector
    currency: str = "EUR"


def one_entity_rows(rng: random.Random, years=None) -> list[tuple[str, ...]]:
    """Sample ODA rows of one entity in one or two years, as a publisher's annual file holds: so
    that a `years` import replaces little and the guard against mass deletion lets it through."""
    header, rows = sample_table("oda")
    entity_at, year_at = header.index("entity"), header.index("year")
    entity = rng.choice(sorted({r[entity_at] for r in rows}))
    have = sorted({int(r[year_at]) for r in rows if r[entity_at] == entity and (years is None or int(r[year_at]) in years)})
    chosen = set(rng.sample(have, min(len(have), rng.randint(1, 2))))
    mine = [r for r in rows if r[entity_at] == entity and int(r[year_at]) in chosen]
    return rng.sample(mine, min(len(mine), rng.randint(3, 30)))


def oda_activities(rng: random.Random, split: bool) -> list[Activity]:
    """Activities from the ODA sample: one transaction per row, or (split) one activity per
    project whose transactions are shared across two countries and two sectors by percentage."""
    header, _ = sample_table("oda")
    col = {c: i for i, c in enumerate(header)}
    chosen = one_entity_rows(rng)
    by_project: dict[tuple[str, str], Activity] = {}
    for row in chosen:
        key = (row[col["entity"]], row[col["project"]])
        activity = by_project.setdefault(key, Activity(key[0], key[1], row[col["channel"]]))
        tx = {
            "type": "2" if row[col["flow"]] == "commitment" else "3",
            "date": f"{row[col['year']]}-06-30",
            "value": row[col["amount_eur"]],
            "country": iso2_of().get(row[col["country_iso3"]]) if not split else None,
            "sector": row[col["sector_code"]] or None if not split else None,
        }
        activity.transactions.append(tx)
    activities = list(by_project.values())
    if split:
        codes = sorted(iso2_of().values())
        for activity in activities:
            first, second = rng.sample(["CD", "BI", "RW", "SN", "BJ", "MA", "HT", "PE", "VN", rng.choice(codes)], 2)
            share = rng.choice([50, 60, 75, 90])
            activity.countries = [(first, str(share)), (second, str(100 - share))]
            activity.sectors = [("1", "12220", "50"), ("1", "11220", "50")]
    return activities


def render_iati(activities: list[Activity], version: str = "2.03", codes=("2", "3")) -> str:
    out = [f'<iati-activities version="{version}" generated-datetime="2024-02-01T00:00:00Z">']
    for n, a in enumerate(activities, 1):
        ref = ORG_REFS.get(a.entity, "BE-FUZZ-1")
        out.append(f' <iati-activity default-currency="{a.currency}" xml:lang="fr">')
        out.append(f"  <iati-identifier>{ref}-{n:04d}</iati-identifier>")
        out.append(f'  <reporting-org ref="{ref}" type="10"><narrative>{escape(a.entity)}</narrative></reporting-org>')
        out.append(f"  <title><narrative>{escape(a.title)}</narrative></title>")
        if a.channel:
            out.append(f'  <participating-org role="4"><narrative>{escape(a.channel)}</narrative></participating-org>')
        for code, pct in a.countries:
            out.append(f"  <recipient-country code={quoteattr(code)} percentage={quoteattr(pct)}/>")
        for code, pct in a.regions:
            out.append(f'  <recipient-region code={quoteattr(code)} vocabulary="1" percentage={quoteattr(pct)}/>')
        for vocabulary, code, pct in a.sectors:
            out.append(f"  <sector vocabulary={quoteattr(vocabulary)} code={quoteattr(code)} percentage={quoteattr(pct)}/>")
        for tx in a.transactions:
            code = {"2": codes[0], "3": codes[1]}.get(tx["type"], tx["type"])
            out.append("  <transaction>")
            out.append(f'   <transaction-type code="{code}"/>')
            out.append(f"   <transaction-date iso-date={quoteattr(tx['date'])}/>")
            currency = f" currency={quoteattr(tx['currency'])}" if tx.get("currency") else ""
            out.append(f"   <value{currency} value-date={quoteattr(tx['date'])}>{escape(tx['value'])}</value>")
            if tx.get("country"):
                out.append(f"   <recipient-country code={quoteattr(tx['country'])}/>")
            if tx.get("sector"):
                out.append(f'   <sector vocabulary="1" code={quoteattr(tx["sector"])}/>')
            out.append("  </transaction>")
        out.append(" </iati-activity>")
    out.append("</iati-activities>")
    return "\n".join(out) + "\n"


DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'


def iati_total(activities: list[Activity]) -> tuple[float, int]:
    """Euros of the commitments and disbursements, and their number (all in EUR)."""
    txs = [tx for a in activities for tx in a.transactions if tx["type"] in ("2", "3")]
    return sum(float(tx["value"]) for tx in txs), len(txs)


def iati_bound(data: bytes) -> int:
    """Rows an IATI file may become: per transaction, its activity's countries times sectors."""
    text = as_text(data)
    bound = 0
    for chunk in text.split("<iati-activity")[1:]:
        transactions = len(re.findall(r"<transaction[\s>]", chunk))
        places = len(re.findall(r"<recipient-(?:country|region)[\s/>]", chunk))
        sectors = len(re.findall(r"<sector[\s/>]", chunk))
        bound += transactions * max(places, 1) * max(sectors, 1)
    return bound


def iati_case(kind: str, make_text):
    def make(rng, seed, index):
        activities = oda_activities(rng, split=rng.random() < 0.4)
        result = make_text(rng, activities)
        text, broken, in_euros = result[0], result[1], result[2]
        data = result[3] if len(result) > 3 else (text.encode("utf-8"))
        case = Case(seed, index, kind, "oda", ".xml", data, must_refuse=broken)
        case.max_rows = iati_bound(data)
        case.must_accept = kind in ("iati_valid", "iati_utf16", "iati_predefined_entity")
        if in_euros:
            case.expected_eur, case.transactions = iati_total(activities)
        return case

    return make


# Each x_ function turns activities into a file: (text, the rule it breaks or None, whether every
# amount is in euros so that the accepted rows must add up to the transactions[, the bytes when
# they are not the text in UTF-8]).


def x_valid(rng, activities):
    text = render_iati(activities)
    lead = rng.choice(["decl", "none", "comment", "blank", "bom", "crlf", "bom_comment"])
    if lead == "decl":
        text = DECLARATION + text
    elif lead == "comment":
        text = DECLARATION * rng.randint(0, 1) + "<!-- exporté par l'outil de publication -->\n" + text
    elif lead == "blank":
        text = "\n\n  \n" + text
    elif lead == "crlf":
        text = (DECLARATION + text).replace("\n", "\r\n")
    elif lead == "bom_comment":
        text = "\ufeff<!-- IATI -->\n" + text
    elif lead == "bom":
        text = "\ufeff" + DECLARATION + text
    return text, None, True


def x_utf16(rng, activities):
    text = '<?xml version="1.0" encoding="UTF-16"?>\n' + render_iati(activities)
    data = text.encode("utf-16") if rng.random() < 0.5 else b"\xfe\xff" + text.encode("utf-16-be")
    return text, None, True, data


def x_doctype(rng, activities):
    body = render_iati(activities)
    use = rng.random() < 0.5
    subset = rng.choice(['<!ENTITY titre "Titre injecté">', '<!ELEMENT iati-activities ANY>', ""])
    if use and "ENTITY" in subset:
        body = body.replace("<title><narrative>", "<title><narrative>&titre; ", 1)
    doctype = f"<!DOCTYPE iati-activities [{subset}]>\n" if subset or rng.random() < 0.5 else "<!DOCTYPE iati-activities>\n"
    return DECLARATION + doctype + body, "DTD", True


def x_doctype_late(rng, activities):
    pad = "<!-- " + "remplissage " * rng.choice([400, 800, 6000]) + "-->\n"
    subset = rng.choice(['<!ENTITY titre "Titre injecté">', '<!ENTITY ext SYSTEM "file:///etc/hostname">', ""])
    body = render_iati(activities)
    if "ENTITY" in subset and rng.random() < 0.5:
        name = "titre" if "titre" in subset else "ext"
        body = body.replace("<title><narrative>", f"<title><narrative>&{name}; ", 1)
    return DECLARATION + pad + f"<!DOCTYPE iati-activities [{subset}]>\n" + body, "DTD après 4 Ko", True


def x_external_entity(rng, activities):
    target = rng.choice(["file:///etc/passwd", "file:///etc/hostname", "http://127.0.0.1:9/x", "https://example.org/e.dtd"])
    parameter = rng.random() < 0.3
    if parameter:
        subset = f'<!ENTITY % p SYSTEM "{target}"> %p;'
        body = render_iati(activities)
    else:
        subset = f'<!ENTITY ext SYSTEM "{target}">'
        body = render_iati(activities).replace("<title><narrative>", "<title><narrative>&ext; ", 1)
    return DECLARATION + f"<!DOCTYPE iati-activities [{subset}]>\n" + body, "entité externe", True


def x_entity_bomb(rng, activities):
    levels = ['<!ENTITY a0 "rire">'] + [f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 8)]
    body = render_iati(activities).replace("<title><narrative>", "<title><narrative>&a7; ", 1)
    return DECLARATION + "<!DOCTYPE iati-activities [" + "".join(levels) + "]>\n" + body, "entités imbriquées", True


def x_undefined_entity(rng, activities):
    entity = rng.choice(["&eacute;", "&nbsp;", "&copy;", "&foo;", "&ext;"])
    body = render_iati(activities).replace("<title><narrative>", f"<title><narrative>Coop{entity}ration ", 1)
    return DECLARATION * rng.randint(0, 1) + body, f"entité non prédéfinie {entity}", True


def x_predefined_entity(rng, activities):
    body = render_iati(activities).replace(
        "<title><narrative>", "<title><narrative>R&amp;D &lt;santé&gt; &#233;t&#xE9; &quot;x&quot; &apos;y&apos; ", 1
    )
    return DECLARATION + body, None, True


def x_value(rng, activities):
    value = rng.choice(["NaN", "nan", "inf", "-inf", "INF", "Infinity", "1e400", "-1e400", "1e300", "9" * 400,
                        "1e12", "-1e12", "1000000000000.00", "", " ", "1,5", "12 000", "0x10", "1e-400", "-0",
                        "+12.5", "1.5e3", "990000000000"])
    tx = rng.choice([tx for a in activities for tx in a.transactions])
    tx["value"] = value
    broken = f"<value>{value}</value>" if breaks_range(value, "amount_eur") else None
    if value == "990000000000":  # under 10^12 as written, over it in euros
        tx["currency"] = "GBP"
        tx["date"] = "2023-06-30"
        broken = "990000000000 GBP ≥ 10^12 €"
    return DECLARATION + render_iati(activities), broken, False


def x_percent(rng, activities):
    """Bad percentages on the activity's recipients or DAC sectors (shares of the transactions)."""
    activity = rng.choice(activities)
    for tx in activity.transactions:
        tx["country"] = tx["sector"] = None
    scenario = rng.choice(["country", "sector", "sum", "region", "other_vocabulary", "one_missing", "thirds"])
    bad = rng.choice(["-40", "0", "nan", "NaN", "inf", "-inf", "1e308", "abc", "1e400"])
    broken = f"pourcentage {bad}"
    sectors = [("1", "12220", "100")]
    if scenario == "country":
        activity.countries = [("CD", "60"), ("RW", bad)]
        if bad == "0":
            broken = "pourcentages 60 + 0 ≠ 100"
    elif scenario == "sector":
        activity.countries = [("CD", "100")]
        sectors = [("1", "12220", "50"), ("1", "11220", bad)]
        if bad == "0":
            broken = "pourcentages 50 + 0 ≠ 100"
    elif scenario == "sum":
        total = rng.choice([(100, 50), (30, 20), (99, 99)])
        activity.countries = [("CD", str(total[0])), ("RW", str(total[1]))]
        broken = f"pourcentages {total[0]} + {total[1]} ≠ 100"
    elif scenario == "region":
        activity.countries = [("SN", "75")]
        activity.regions = [("289", rng.choice(["75", bad]))]
        broken = "pays et régions ≠ 100"
    elif scenario == "one_missing":
        activity.countries = [("CD", "60"), ("RW", "")]
        broken = "un pays sans pourcentage parmi plusieurs"
    elif scenario == "thirds":  # 99.99 or 100: within any tolerance; the cents must still add up
        activity.countries = [("CD", "33.33"), ("RW", "33.33"), ("BI", rng.choice(["33.33", "33.34"]))]
        sectors = [("1", "12220", "66.67"), ("1", "11220", "33.33")]
        broken = None
    else:  # another vocabulary's bad percentages are ignored: the file is valid
        activity.countries = [("CD", "100")]
        sectors = [("1", "12220", "100"), ("2", "122", bad), ("99", "X", "30")]
        broken = None
    activity.sectors = sectors
    return DECLARATION + render_iati(activities), broken, True


def x_date(rng, activities):
    tx = rng.choice([tx for a in activities for tx in a.transactions])
    tx["date"] = rng.choice(["", "20x3-01-01", "2023-13-45", "99999-01-01", "0001-01-01", "2023", "1999-12-31", "2030-01-01", "1959-06-30"])
    return DECLARATION + render_iati(activities), None, False


def x_currency(rng, activities):
    for a in activities:
        a.currency = rng.choice(["USD", "GBP", "CHF", "XXX", "usd", "", "EUR"])
        for tx in a.transactions:
            if rng.random() < 0.3:
                tx["currency"] = rng.choice(["USD", "GBP", "JPY", "XXX", "eur"])
            if rng.random() < 0.2:
                tx["date"] = f"{rng.choice([1995, 1999, 2009, 2014, 2025, 2026])}-03-01"
    return DECLARATION + render_iati(activities), None, False


def x_structure(rng, activities):
    variant = rng.choice(["organisation", "no_flows", "version1", "no_identifier", "no_org", "no_type", "nested", "empty",
                          "foreign_root", "namespaced", "huge_text", "cr_text"])
    if variant == "organisation":
        return DECLARATION + '<iati-organisations version="2.03"><iati-organisation/></iati-organisations>\n', None, False
    if variant == "no_flows":
        for a in activities:
            for tx in a.transactions:
                tx["type"] = rng.choice(["1", "4", "11"])
        return DECLARATION + render_iati(activities), None, True
    if variant == "version1":
        return DECLARATION + render_iati(activities, version=rng.choice(["1.05", "1.01"]), codes=("C", "D")), None, True
    if variant == "empty":
        return DECLARATION + '<iati-activities version="2.03"/>\n', None, False
    if variant == "foreign_root":
        return DECLARATION + "<html><body>pas IATI</body></html>\n", None, False
    text = DECLARATION + render_iati(activities)
    if variant == "no_identifier":
        text = re.sub(r"<iati-identifier>[^<]*</iati-identifier>", "", text)
    elif variant == "no_org":
        text = re.sub(r"<reporting-org[^>]*>.*?</reporting-org>", "", text)
    elif variant == "no_type":
        text = text.replace('<transaction-type code="3"/>', "", 1)
    elif variant == "nested":
        text = text.replace("<transaction>", "<transaction><transaction><value>1</value></transaction>", 1)
    elif variant == "namespaced":
        text = text.replace("<iati-activities ", '<iati-activities xmlns="http://example.org/iati" ', 1)
    elif variant == "huge_text":
        text = text.replace("<title><narrative>", "<title><narrative>" + "Coopération " * rng.choice([1000, 200_000]), 1)
    elif variant == "cr_text":
        text = text.replace("<title><narrative>", "<title><narrative>=cmd|' /C calc'!A0&#13;\r\n", 1)
    return text, None, False


def x_bytes(rng, activities):
    data = (DECLARATION + render_iati(activities)).encode("utf-8")
    mutation = rng.choice([m_byte_flip, m_byte_insert, m_truncate, m_line_drop, m_line_dup, m_cp1252_file, m_cr_only])
    data, _ = mutation(rng, "oda", data)
    return "", None, False, data


def x_deep(rng, activities):
    depth = rng.choice([300, 3000, 30000])
    nest = "<x>" * depth + "</x>" * depth
    body = render_iati(activities).replace("</iati-activity>", nest + "</iati-activity>", 1)
    return DECLARATION + body, None, False


def x_many(rng, activities):
    count = rng.choice([20_000, 100_000])
    siblings = "<y/>" * count if rng.random() < 0.5 else "<transaction><value>x</value></transaction>" * (count // 10)
    body = render_iati(activities).replace("</iati-activity>", siblings + "</iati-activity>", 1)
    return DECLARATION + body, None, False


def x_declared_latin1(rng, activities):
    """UTF-8 bytes under a Latin-1 declaration: read as declared, every accent would be garbled."""
    text = '<?xml version="1.0" encoding="ISO-8859-1"?>\n' + render_iati(activities).replace(
        "<title><narrative>", "<title><narrative>Coopération ", 1
    )
    return text, None, False, text.encode("utf-8")


def x_cp1252(rng, activities):
    text = render_iati(activities).replace("<title><narrative>", "<title><narrative>Coopération ", 1)
    declared = rng.choice(["", DECLARATION, '<?xml version="1.0" encoding="windows-1252"?>\n'])
    return declared + text, None, True, (declared + text).encode("cp1252", "replace")


IATI_KINDS = {
    "iati_valid": x_valid,
    "iati_utf16": x_utf16,
    "iati_doctype": x_doctype,
    "iati_doctype_late": x_doctype_late,
    "iati_external_entity": x_external_entity,
    "iati_entity_bomb": x_entity_bomb,
    "iati_undefined_entity": x_undefined_entity,
    "iati_predefined_entity": x_predefined_entity,
    "iati_value": x_value,
    "iati_percent": x_percent,
    "iati_date": x_date,
    "iati_currency": x_currency,
    "iati_structure": x_structure,
    "iati_bytes": x_bytes,
    "iati_deep": x_deep,
    "iati_many": x_many,
    "iati_declared_latin1": x_declared_latin1,
    "iati_cp1252": x_cp1252,
}


# --- OECD CRS text, made from the ODA sample -----------------------------------------------------

CRS_HEADER = [
    "Year", "DonorCode", "DonorName", "AgencyCode", "AgencyName", "RecipientCode", "RecipientName",
    "FlowCode", "USD_Commitment", "USD_Disbursement", "ProjectTitle", "PurposeCode", "ChannelName",
]
CRS_AGENCIES = {"Wallonie": ("2", "80"), "Région de Bruxelles-Capitale": ("2", "91"), "Coopération belge (fédéral)": ("2", "10")}
USD_PER_EUR = {2018: 1.1810, 2019: 1.1195, 2020: 1.1422, 2021: 1.1827, 2022: 1.0530, 2023: 1.0813, 2024: 1.0824}


@cache
def crs_recipient_codes() -> dict[str, str]:
    with open(REFERENCE_DIR / "crs_recipients.csv", encoding="utf-8") as f:
        return {r["iso3"]: r["code"] for r in csv.DictReader(f) if r["iso3"]}


def crs_rows(rng: random.Random) -> list[list[str]]:
    header, _ = sample_table("oda")
    col = {c: i for i, c in enumerate(header)}
    out = []
    belgian = rng.choice(["80", "91"])  # one Belgian agency's rows, and a few of others that are left out
    for row in one_entity_rows(rng, years=USD_PER_EUR):
        year = int(row[col["year"]])
        donor, agency = ("2", belgian) if not out or rng.random() < 0.85 else rng.choice([("4", "10"), ("2", "70")])
        usd = f"{float(row[col['amount_eur']]) * USD_PER_EUR[year] / 1e6:.6f}"
        commitment = row[col["flow"]] == "commitment"
        code = crs_recipient_codes().get(row[col["country_iso3"]], "289" if not row[col["country_iso3"]] else "998")
        out.append([
            str(year), donor, "Belgium", agency, row[col["entity"]], code, row[col["country_iso3"]] or "régional",
            rng.choice(["11", "11", "13", "14"]) if out else "11", usd if commitment else "", "" if commitment else usd,
            row[col["project"]], row[col["sector_code"]] or "99810", row[col["channel"]],
        ])
    return out


def crs_case(rng, seed, index):
    rows = crs_rows(rng)
    variant = rng.choice(["valid", "comma", "cp1252", "mixed_encoding", "short_row", "long_row", "amount", "cr_only",
                          "quote", "bytes", "year", "bom", "utf16", "crlf"])
    broken = None
    if variant in ("short_row", "long_row") and rows:
        row = rng.choice(rows)
        if variant == "short_row":
            del row[rng.randrange(len(row))]
        else:
            row.insert(rng.randrange(len(row) + 1), "en trop")
    elif variant == "amount" and rows:
        row = rng.choice([r for r in rows if r[1] == "2" and r[3] in ("10", "80", "91")] or rows)
        value = rng.choice(["nan", "inf", "-inf", "1e300", "1e7", "-1e7", "9" * 400, "1e400", "0x10", "1 000", "1100000", "999999"])
        row[8 if row[8] else 9] = value
        kept = row[1] == "2" and row[3] in ("10", "80", "91") and row[7] in ("11", "12", "13", "19")
        if kept and breaks_range(str(float(value) * 1e6) if _is_float(value) else value, "amount_eur"):
            broken = f"USD millions {value}"
    elif variant == "year" and rows:
        rng.choice(rows)[0] = rng.choice(["20x2", "1990", "", "2022.0", "99999"])
    delimiter = "," if variant == "comma" else "|"
    text = to_csv(CRS_HEADER, rows, delimiter=delimiter) if delimiter == "," else "\n".join(
        "|".join(r) for r in [CRS_HEADER, *rows]) + "\n"
    data = text.encode("utf-8")
    if variant == "cp1252":
        data = text.encode("cp1252", "replace")
    elif variant == "mixed_encoding":
        data, _ = m_cp1252_lines(rng, "oda", data)
    elif variant == "cr_only":
        data = data.replace(b"\n", b"\r")
    elif variant == "crlf":
        data = data.replace(b"\n", b"\r\n")
    elif variant == "quote":
        data, _ = m_quote_unbalanced(rng, "oda", data)
    elif variant == "bytes":
        data, _ = rng.choice([m_byte_flip, m_truncate, m_line_dup, m_line_drop, m_field_remove])(rng, "oda", data)
    elif variant == "bom":
        data = b"\xef\xbb\xbf" + data
    elif variant == "utf16":
        data = text.encode("utf-16")
    case = finish(Case(seed, index, f"crs_{variant}", "oda", ".txt", data, must_refuse=broken))
    case.must_accept = variant in ("valid", "comma", "cp1252", "bom", "crlf")
    return case


def _is_float(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


# --- The plan: which kind each case index gets ---------------------------------------------------

GENERATORS = {
    **{kind: csv_case(kind) for kind in CSV_MUTATIONS},
    "stacked": stacked_case,
    "xlsx": xlsx_case,
    **{kind: iati_case(kind, make) for kind, make in IATI_KINDS.items()},
    "crs": crs_case,
}
# Weights: how many slots of the round-robin each generator gets.
WEIGHTS = {**dict.fromkeys(GENERATORS, 1), "stacked": 3, "xlsx": 4, "crs": 4, "number": 2, "byte_flip": 2, "iati_percent": 2, "iati_value": 2}


def plan(seed: int, kinds: list[str] | None = None) -> list[str]:
    """The generators in the order case indices cycle through them (every kind within one cycle)."""
    slots = [kind for kind, weight in WEIGHTS.items() for _ in range(weight) if not kinds or kind in kinds]
    random.Random(f"atlas-fuzz-plan:{seed}").shuffle(slots)
    return slots


def make_case(seed: int, index: int, kinds: list[str] | None = None) -> Case:
    """Case `index` of `seed`: the same bytes on every run and machine."""
    slots = plan(seed, kinds)
    rng = random.Random(f"atlas-fuzz:{seed}:{index}")
    return GENERATORS[slots[index % len(slots)]](rng, seed, index)


# --- Running a case ------------------------------------------------------------------------------

CONT = "\u0080-\u00bf€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ"  # a UTF-8 continuation byte read as Windows-1252/Latin-1
MOJIBAKE = re.compile(f"[ÂÃÅÆ][{CONT}]|â[€\u0080][{CONT}]?|â[{CONT}][{CONT}]|ï»¿|[\u0080-\u009f]|\ufffd")


def garbled(text: str) -> str | None:
    """The first garbled sequence in `text` (U+FFFD, « Ã© »-style mojibake, a C1 control), or None."""
    found = MOJIBAKE.search(text)
    return found.group(0) if found else None


@dataclass
class Failure:
    category: str
    signature: str  # what tells two failures apart (exception type and place, column...)
    message: str


@dataclass
class Outcome:
    seed: int
    index: int
    kind: str
    dataset: str
    verdict: str  # accepted, refused or exception
    seconds: float
    failures: list[Failure] = field(default_factory=list)
    note: str = ""  # the refusal's first problem, for --show
    valid_refused: bool = False  # a file the contract accepts was refused (reported, not a defect here)


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def build_base(directory: Path) -> tuple[Path, str]:
    """The database built once from data/sample (copied for each case) and its SHA-256."""
    from atlas.store import Database
    from atlas.writes.versions import build

    db = Database(Path(directory) / "base.duckdb")
    build(db)
    return db.path, sha256_of(db.path)


def _where(tb) -> str:
    """The innermost frame of the project in a traceback: file:line (function)."""
    frames = [f for f in traceback.extract_tb(tb) if f.filename.startswith(str(ROOT / "atlas"))]
    frame = frames[-1] if frames else traceback.extract_tb(tb)[-1]
    return f"{Path(frame.filename).relative_to(ROOT) if frame.filename.startswith(str(ROOT)) else frame.filename}:{frame.lineno} ({frame.name})"


def run_case(case: Case, base: Path, base_sha: str, workdir: Path) -> Outcome:
    """Load the case's file into a fresh copy of the base database and judge what happened."""
    from atlas.store import Database
    from atlas.writes.versions import load

    with tempfile.TemporaryDirectory(prefix=f"case-{case.index}-", dir=workdir) as tmp:
        path = Path(tmp) / "atlas.duckdb"
        shutil.copyfile(base, path)
        upload = Path(tmp) / ("upload" + case.suffix)
        upload.write_bytes(case.data)
        outcome = Outcome(case.seed, case.index, case.kind, case.dataset, "accepted", 0.0)
        start = time.perf_counter()
        result = None
        try:
            result = load(Database(path), case.dataset, upload, mode=case.mode)
        except AtlasError as err:
            outcome.verdict, outcome.note = "refused", err.message
        except Exception as err:  # anything else reaches the user as a traceback
            outcome.verdict = "exception"
            where = _where(err.__traceback__)
            outcome.failures.append(Failure("exception", f"{type(err).__name__} at {where}", f"{type(err).__name__}: {str(err)[:300]}"))
        outcome.seconds = time.perf_counter() - start
        if result is not None and result.version is None:
            outcome.verdict = "refused"
            problems = result.report.problems
            outcome.note = f"{len(problems)} problème(s), dont : {problems[0]}" if problems else "refusé sans problème listé"
        outcome.valid_refused = case.must_accept and outcome.verdict == "refused"
        if outcome.verdict != "accepted":
            if sha256_of(path) != base_sha:
                outcome.failures.append(Failure("refused_db_changed", outcome.verdict, "la base a changé alors que l'import a été refusé"))
        else:
            outcome.failures += inspect(Database(path), case, result)
        return outcome


def inspect(db, case: Case, result) -> list[Failure]:
    """What an accepted load stored that it should not have."""
    from atlas.store import SUMMARIES, q

    failures = []
    version = result.version
    change = result.changes.get(case.dataset)
    if case.must_refuse:
        failures.append(Failure("accepted_invalid", case.kind, f"accepté alors que le fichier enfreint le contrat : {case.must_refuse}"))
    if change is not None and change.added + change.changed > case.max_rows:
        failures.append(Failure(
            "too_many_rows", case.kind,
            f"{change.added} lignes ajoutées et {change.changed} modifiées pour {case.max_rows} lignes de données au plus",
        ))
    con = db.reader()
    try:
        rows_table = q("_rows_" + case.dataset)
        added = con.execute(f"SELECT * FROM {rows_table} WHERE _added_in = $v", {"v": version})
        names = [d[0] for d in added.description]
        for row in added.fetchall():
            for name, value in zip(names, row):
                if isinstance(value, str):
                    bad = garbled(value)
                    if bad:
                        failures.append(Failure("stored_garbled", name, f"{name} = {value[:80]!r} (contient {bad!r})"))
                elif isinstance(value, (int, float)) and not isinstance(value, bool) and not name.startswith("_"):
                    # Every number must be finite; an amount (a column in euros) must stay under 10^12 €.
                    if not math.isfinite(value) or (name.endswith("_eur") and abs(value) >= LIMIT):
                        failures.append(Failure("stored_out_of_range", name, f"{name} = {value!r}"))
        if case.dataset == "oda":
            for summary in SUMMARIES:
                numeric = [c for c, t in con.execute(
                    "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = $t AND table_catalog = 'atlas'",
                    {"t": summary},
                ).fetchall() if t in ("DOUBLE", "FLOAT")]
                for c in numeric:  # a sum of many valid amounts may pass 10^12: only finiteness is judged
                    (bad,) = con.execute(f"SELECT count(*) FROM {q(summary)} WHERE NOT isfinite({q(c)})").fetchone()
                    if bad:
                        failures.append(Failure("stored_out_of_range", f"{summary}.{c}", f"{bad} valeur(s) non finie(s) dans {summary}.{c}"))
            if case.expected_eur is not None:
                (stored,) = con.execute(f"SELECT coalesce(sum(amount_eur), 0) FROM {rows_table} WHERE _added_in = $v", {"v": version}).fetchone()
                if abs(stored - case.expected_eur) > 0.005 * max(case.transactions, 1) + 0.01:
                    failures.append(Failure("wrong_total", case.kind, f"lignes acceptées : {stored:.2f} €, transactions du fichier : {case.expected_eur:.2f} €"))
            if case.mode == "years":
                (gone,) = con.execute(
                    f"""SELECT count(*) FROM {rows_table} r WHERE _removed_in = $v AND NOT EXISTS (
                        SELECT 1 FROM oda c WHERE c.entity IS NOT DISTINCT FROM r.entity AND c.year = r.year)""",
                    {"v": version},
                ).fetchone()
                if gone:
                    failures.append(Failure("removed_other_rows", case.kind, f"{gone} lignes supprimées de couples (entité, année) absents du fichier"))
    finally:
        con.close()
    # One failure per category and signature is enough to describe a case.
    seen, unique = set(), []
    for f in failures:
        if (f.category, f.signature) not in seen:
            seen.add((f.category, f.signature))
            unique.append(f)
    return unique


# --- Running many ---------------------------------------------------------------------------------

_worker: dict = {}


def _init(base: Path, base_sha: str, workdir: Path, kinds) -> None:
    _worker.update(base=base, base_sha=base_sha, workdir=workdir, kinds=kinds)


def _run_index(job: tuple[int, int]) -> Outcome:
    seed, index = job
    case = make_case(seed, index, _worker["kinds"])
    return run_case(case, _worker["base"], _worker["base_sha"], _worker["workdir"])


def run(seed: int, indices: list[int], workers: int, workdir: Path, kinds=None, progress=None) -> list[Outcome]:
    """Run the cases `indices` of `seed` (in `workers` processes when more than one)."""
    base, base_sha = build_base(workdir)
    jobs = [(seed, i) for i in indices]
    if workers <= 1:
        _init(base, base_sha, workdir, kinds)
        outcomes = []
        for job in jobs:
            outcomes.append(_run_index(job))
            if progress:
                progress(len(outcomes), len(jobs))
        return outcomes
    # Spawned, not forked: DuckDB's threads in this process must not be copied mid-flight.
    context = multiprocessing.get_context("spawn")
    outcomes = []
    with context.Pool(workers, initializer=_init, initargs=(base, base_sha, workdir, kinds), maxtasksperchild=500) as pool:
        for outcome in pool.imap_unordered(_run_index, jobs, chunksize=4):
            outcomes.append(outcome)
            if progress:
                progress(len(outcomes), len(jobs))
    return sorted(outcomes, key=lambda o: o.index)


def counts(outcomes: list[Outcome]) -> dict[str, int]:
    """Cases per defect category (a case counts once per category)."""
    found = Counter({c: 0 for c in CATEGORIES})
    for o in outcomes:
        for category in {f.category for f in o.failures}:
            found[category] += 1
    return dict(found)


SHORT = {"exception": "exc", "refused_db_changed": "dbchg", "stored_garbled": "garbl", "stored_out_of_range": "range",
         "too_many_rows": "rows", "accepted_invalid": "inval", "wrong_total": "total", "removed_other_rows": "remov"}


def table(outcomes: list[Outcome], seconds: float, workers: int, seed: int) -> str:
    lines = []
    verdicts = Counter(o.verdict for o in outcomes)
    per_case = [o.seconds for o in outcomes]
    lines.append(
        f"Atlas fuzzer: {len(outcomes)} cases, seed {seed}, {workers} worker(s), {seconds:.1f} s elapsed "
        f"({seconds / max(len(outcomes), 1):.3f} s per case; a load: median {statistics.median(per_case) if per_case else 0:.3f} s, "
        f"max {max(per_case, default=0):.2f} s)"
    )
    lines.append(f"verdicts: accepted {verdicts['accepted']}, refused {verdicts['refused']}, exception {verdicts['exception']}")
    lines.append("")
    lines.append("defects by category (cases)")
    found = counts(outcomes)
    for category in CATEGORIES:
        lines.append(f"  {category:<22} {found[category]:>6}")
    lines.append(f"  {'TOTAL failing cases':<22} {sum(1 for o in outcomes if o.failures):>6}")
    refused = Counter(o.kind for o in outcomes if o.valid_refused)
    built_valid = sum(1 for o in outcomes if o.valid_refused) if refused else 0
    lines.append(
        f"  (not a defect of this fuzzer's kinds, for the record: {built_valid} file(s) built valid were refused"
        + (": " + ", ".join(f"{k} {n}" for k, n in sorted(refused.items())) if refused else "") + ")"
    )
    lines.append("")
    by_kind: dict[str, list[Outcome]] = defaultdict(list)
    for o in outcomes:
        by_kind[o.kind].append(o)
    head = f"  {'mutation kind':<28} {'cases':>5} {'acc':>4} {'ref':>4} " + " ".join(f"{SHORT[c]:>5}" for c in CATEGORIES) + f" {'s/case':>6}"
    lines.append("by mutation kind")
    lines.append(head)
    for kind in sorted(by_kind):
        group = by_kind[kind]
        v = Counter(o.verdict for o in group)
        c = counts(group)
        lines.append(
            f"  {kind:<28} {len(group):>5} {v['accepted']:>4} {v['refused']:>4} "
            + " ".join(f"{c[cat]:>5}" for cat in CATEGORIES)
            + f" {statistics.mean(o.seconds for o in group):>6.2f}"
        )
    return "\n".join(lines)


def distinct(outcomes: list[Outcome]) -> dict[tuple[str, str], list[Outcome]]:
    """Failing cases grouped by (category, signature): one group per distinct defect."""
    groups: dict[tuple[str, str], list[Outcome]] = defaultdict(list)
    for o in outcomes:
        for f in o.failures:
            groups[(f.category, f.signature)].append(o)
    return dict(groups)


def describe(outcomes: list[Outcome], limit: int, kinds=None) -> str:
    """The first `limit` failing cases, with what reproduces each."""
    lines = []
    only = f" --kinds {','.join(kinds)}" if kinds else ""
    failing = [o for o in outcomes if o.failures]
    for o in failing[:limit]:
        for f in o.failures:
            lines.append(f"#{o.index} {o.kind} ({o.dataset}, {mode_for(o.dataset)}): {f.category}: {f.message}")
        lines.append(f"    reproduce: python scripts/fuzz.py --seed {o.seed}{only} --case {o.index} --save DIR")
    return "\n".join(lines)


def save(outcomes: list[Outcome], directory: Path, kinds=None) -> int:
    """Write each failing case's file, and an index of what failed."""
    directory.mkdir(parents=True, exist_ok=True)
    written = 0
    with open(directory / "failures.txt", "a", encoding="utf-8") as index:
        for o in outcomes:
            if not o.failures:
                continue
            case = make_case(o.seed, o.index, kinds)
            (directory / case.file_name).write_bytes(case.data)
            for f in o.failures:
                index.write(f"{case.file_name}\t{case.dataset}\t{case.mode}\t{f.category}\t{f.signature}\t{f.message}\n")
            written += 1
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=500, help="cases to run (indices 0 to count-1)")
    parser.add_argument("--start", type=int, default=0, help="first case index")
    parser.add_argument("--seed", type=int, default=0, help="another seed, other files (default 0)")
    parser.add_argument("--case", help="only these case indices, comma-separated (to reproduce)")
    parser.add_argument("--kinds", help="only these generators, comma-separated (see --list-kinds)")
    parser.add_argument("--workers", type=int, default=2, help="processes (default 2)")
    parser.add_argument("--show", type=int, default=0, help="print the first N failing cases")
    parser.add_argument("--distinct", action="store_true", help="print one example per distinct defect")
    parser.add_argument("--save", type=Path, help="write the failing files into this directory")
    parser.add_argument("--log", type=Path, help="write one line per case (verdict, seconds, first problem) to this file")
    parser.add_argument("--list-kinds", action="store_true")
    args = parser.parse_args(argv)
    if args.list_kinds:
        print("\n".join(GENERATORS))
        return 0
    kinds = args.kinds.split(",") if args.kinds else None
    if kinds and (unknown := [k for k in kinds if k not in GENERATORS]):
        parser.error(f"unknown kinds: {', '.join(unknown)} (see --list-kinds)")
    indices = [int(i) for i in args.case.split(",")] if args.case else list(range(args.start, args.start + args.count))
    workers = max(1, min(args.workers, len(indices)))

    def progress(done: int, total: int) -> None:
        if sys.stderr.isatty():
            print(f"\r{done}/{total}", end="" if done < total else "\n", file=sys.stderr, flush=True)
        elif done % 500 == 0:
            print(f"{done}/{total}", file=sys.stderr, flush=True)

    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="atlas-fuzz-") as workdir:
        outcomes = run(args.seed, indices, workers, Path(workdir), kinds, progress)
    elapsed = time.perf_counter() - started
    print(table(outcomes, elapsed, workers, args.seed))
    if args.distinct:
        print("\none example per distinct defect (category, signature: cases)")
        for (category, signature), group in sorted(distinct(outcomes).items()):
            o = group[0]
            message = next(f.message for f in o.failures if (f.category, f.signature) == (category, signature))
            print(f"  {category} | {signature}: {len(group)} case(s), e.g. #{o.index} {o.kind} ({o.dataset}): {message}")
    if args.distinct:
        valid_refused = [o for o in outcomes if o.valid_refused]
        if valid_refused:
            print("\nfiles built valid yet refused (first of each kind)")
            for kind in sorted({o.kind for o in valid_refused}):
                o = next(o for o in valid_refused if o.kind == kind)
                print(f"  {kind}: #{o.index}: {o.note[:200]}")
    if args.show:
        print("\nfailing cases")
        print(describe(outcomes, args.show, kinds))
    if args.log:
        with open(args.log, "w", encoding="utf-8") as log:
            for o in outcomes:
                what = "; ".join(f"{f.category}: {f.message}" for f in o.failures) or o.note
                log.write(f"{o.index}\t{o.kind}\t{o.dataset}\t{o.verdict}\t{o.seconds:.3f}\t{what[:300]!r}\n")
    if args.save:
        written = save(outcomes, args.save, kinds)
        print(f"\n{written} failing file(s) written to {args.save}")
    return 1 if any(o.failures for o in outcomes) else 0


if __name__ == "__main__":
    sys.exit(main())
