"""OECD CRS files (bulk text with `|`, or CSV, as the OECD publishes them) as ODA rows in euros.

Rows are kept for the donor/agency pairs of data/reference/crs_agencies.csv (Belgium is donor 2;
Walloon agency 80, Brussels 91...) and the ODA flows; recipients are mapped from the numeric DAC
codes to ISO3 with data/reference/crs_recipients.csv (regional and unallocated codes keep their
region and no country); USD millions are converted with the yearly average of the ECB's reference
rates (atlas.imports.rates). The file streams through Python's csv reader, which gives every record the
line it starts on; it is read as UTF-8, or as Windows-1252 when it holds no UTF-8 at all.
"""

from __future__ import annotations

import codecs
import csv
import re
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path

from atlas.imports import rates
from atlas.store import ROOT

REFERENCE = ROOT / "data" / "reference"
REQUIRED = ("year", "donorcode", "agencycode", "recipientcode", "purposecode", "usd_commitment", "usd_disbursement")
ODA_FLOW_CODES = ("11", "12", "13", "19")  # grants, grant-like, loans, equity: the CRS's ODA flows
HEADER = [
    "entity", "year", "country_iso3", "sector_code", "channel", "project", "flow", "amount_eur",
    "source", "region", "currency", "amount_original", "exchange_rate",
]
AMOUNTS = (("commitment", "usd_commitment"), ("disbursement", "usd_disbursement"))
DECIMAL_TEXT = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
EUR_LIMIT_CENTS = 10**14  # DATA_CONTRACT.md: |amount| < 10^12 €
# A valid UTF-8 multi-byte sequence (RFC 3629): one is enough to say the file is not Windows-1252.
UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}|\xed[\x80-\x9f][\x80-\xbf]"
    rb"|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
NOT_CP1252 = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")  # the five bytes Windows-1252 leaves undefined
CHUNK = 1 << 20
BATCH_ROWS = 50_000


# --- Recognising the format ----------------------------------------------------------------


def _first_line(prefix: bytes) -> str:
    """The first non-blank line of the file's first bytes, decoded (UTF-16 with BOM, UTF-8, else cp1252)."""
    if prefix.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = prefix[: len(prefix) // 2 * 2].decode("utf-16", errors="replace")
    else:
        head = prefix.removeprefix(b"\xef\xbb\xbf")
        try:
            text = codecs.getincrementaldecoder("utf-8")().decode(head)  # a cut last character is held back
        except UnicodeDecodeError:
            text = head.decode("cp1252", errors="replace")
    for line in text.splitlines():
        if line.strip():
            return line
    return ""


def delimiter_of(header_line: str) -> str:
    return max("|,;\t", key=header_line.count)


def _names(header_line: str) -> list[str]:
    return [n.strip().strip('"').strip() for n in header_line.split(delimiter_of(header_line))]


def looks_like_crs(prefix: bytes) -> bool:
    """Whether a file starting with `prefix` is an OECD CRS extract (by the names of its header)."""
    line = _first_line(prefix)
    return {"donorcode", "recipientcode", "purposecode"} <= {n.lower() for n in _names(line)}


# --- Reference data -------------------------------------------------------------------------


@cache
def agencies() -> dict[tuple[str, str], str]:
    """(donor code, agency code) -> our entity (data/reference/crs_agencies.csv)."""
    with open(REFERENCE / "crs_agencies.csv", encoding="utf-8") as f:
        return {(r["donor_code"], r["agency_code"]): r["entity"] for r in csv.DictReader(f)}


@cache
def recipients() -> dict[str, tuple[str | None, str | None]]:
    """CRS recipient code -> (ISO3 or None, region or None) (data/reference/crs_recipients.csv)."""
    with open(REFERENCE / "crs_recipients.csv", encoding="utf-8") as f:
        return {r["code"]: (r["iso3"] or None, r["region"] or None) for r in csv.DictReader(f)}


# --- Encoding -------------------------------------------------------------------------------


def text_encoding(path: Path, report) -> str | None:
    """The codec to read the file with, by DATA_CONTRACT.md's rule, or None after reporting why none.

    UTF-8 (with or without BOM) when every byte is UTF-8; Windows-1252 only when the file holds no
    valid UTF-8 multi-byte sequence; a file with both is refused, naming each line that is not UTF-8.
    One pass over the bytes, 1 MB at a time.
    """
    with open(path, "rb") as f:
        if f.read(2) in (b"\xff\xfe", b"\xfe\xff"):
            return "utf-16"
        f.seek(0)
        not_utf8: list[int] = []
        not_cp1252: tuple[int, int] | None = None
        utf8_seen = False
        line, carry = 1, b""
        for chunk in iter(lambda: f.read(CHUNK), b""):
            data = carry + chunk
            cut = data.rfind(b"\n") + 1
            if cut == 0 and len(data) < 16 * CHUNK:
                carry = data  # a line longer than a chunk: wait for its end (bounded)
                continue
            block, carry = (data[:cut], data[cut:]) if cut else (data, b"")
            line, utf8_seen, not_cp1252 = _scan(block, line, not_utf8, utf8_seen, not_cp1252)
        if carry:
            _, utf8_seen, not_cp1252 = _scan(carry, line, not_utf8, utf8_seen, not_cp1252)
    if not not_utf8:
        return "utf-8-sig"
    if utf8_seen:
        for n in not_utf8:
            report.fail(
                "octets qui ne sont pas de l'UTF-8, alors que d'autres lignes du fichier sont en UTF-8 : le fichier "
                "mélange deux encodages. Enregistrez-le entièrement en UTF-8 (« CSV UTF-8 ») et importez-le à nouveau.",
                line=n,
            )
        return None
    if not_cp1252:
        n, byte = not_cp1252
        report.fail(
            f"octet 0x{byte:02X} illisible : le fichier n'est ni en UTF-8 ni en Windows-1252 ; enregistrez-le en "
            "UTF-8 et importez-le à nouveau.",
            line=n,
        )
        return None
    report.notices.append("encodage Windows-1252 converti en UTF-8.")
    return "cp1252"


def _scan(block: bytes, line: int, not_utf8: list[int], utf8_seen: bool, not_cp1252):
    """Check whole lines of bytes starting at `line`; returns the next line, and what was seen."""
    if block.isascii():
        return line + block.count(b"\n"), utf8_seen, not_cp1252
    try:
        block.decode("utf-8")
        return line + block.count(b"\n"), True, not_cp1252
    except UnicodeDecodeError:
        pass
    for n, text in enumerate(block.split(b"\n"), start=line):
        if text.isascii():
            continue
        try:
            text.decode("utf-8")
            utf8_seen = True
            continue
        except UnicodeDecodeError:
            not_utf8.append(n)
        utf8_seen = utf8_seen or UTF8_SEQUENCE.search(text) is not None
        if not_cp1252 is None:
            bad = NOT_CP1252.search(text)
            if bad:
                not_cp1252 = (n, text[bad.start()])
    return line + block.count(b"\n"), utf8_seen, not_cp1252


# --- The staging table --------------------------------------------------------------------


class RawRows:
    """Rows of text for the temporary table `_raw` (`_line`, c0, c1...), written in batches, so
    that a large file's rows never sit all in Python. Shared with atlas.imports.iati."""

    def __init__(self, con, width: int):
        self.con, self.width, self.count = con, width, 0
        self.batch: list[tuple] = []
        con.execute(
            "CREATE OR REPLACE TEMP TABLE _raw (_line BIGINT, " + ", ".join(f"c{i} VARCHAR" for i in range(width)) + ")"
        )

    def add(self, row: tuple) -> None:
        """One row: its line, then its `width` texts (None for empty)."""
        self.batch.append(row)
        self.count += 1
        if len(self.batch) >= BATCH_ROWS:
            self.flush()

    def flush(self) -> None:
        if not self.batch:
            return
        import pyarrow as pa  # only for files that become rows: it costs a CSV's start-up nothing

        columns = list(zip(*self.batch))
        table = pa.table({
            "_line": pa.array(columns[0], pa.int64()),
            **{f"c{i}": pa.array(columns[i + 1], pa.string()) for i in range(self.width)},
        })
        self.con.register("_raw_batch", table)
        self.con.execute("INSERT INTO _raw SELECT * FROM _raw_batch")
        self.con.unregister("_raw_batch")
        self.batch = []


# --- Reading --------------------------------------------------------------------------------


def read(con, path: Path, report, file_name: str) -> list[str] | None:
    """Convert the CRS file into the `_raw` table; returns the header, or None on failure."""
    path = Path(path)
    encoding = text_encoding(path, report)
    if encoding is None:
        return None
    try:
        with open(path, encoding=encoding, newline="") as f:
            return _Reader(con, report, file_name).run(f)
    except UnicodeDecodeError as err:  # a UTF-16 file with a broken character
        report.fail(f"octets illisibles ({err.reason}) : enregistrez le fichier en UTF-8 et importez-le à nouveau.")
        return None


class _Reader:
    def __init__(self, con, report, file_name: str):
        self.con, self.report, self.file_name = con, report, file_name
        self.failed = False
        self.out = RawRows(con, len(HEADER))
        self.total = self.kept = 0
        self.before_euro: Counter[int] = Counter()
        self.no_rate: dict[int, list[int]] = {}  # year -> [first line, count]

    def fail(self, message: str, line: int | None = None, column: str | None = None, value=None) -> None:
        self.failed = True
        self.report.fail(message, line=line, column=column, value=value)

    def run(self, f) -> list[str] | None:
        # The header is the first line that is not blank.
        header_line, line = "", 0
        for text in f:
            line += 1
            if text.strip():
                header_line = text.rstrip("\r\n")
                break
        if not header_line:
            self.fail("le fichier est vide : il faut l'en-tête du fichier SNPC puis ses lignes.")
            return None
        if line > 1:
            s = "s" if line > 2 else ""
            self.report.notices.append(f"{line - 1} ligne{s} vide{s} avant l'en-tête (ligne {line}) ignorée{s}.")
        delimiter = delimiter_of(header_line)
        names = next(csv.reader([header_line], delimiter=delimiter))
        names = [n.strip() for n in names]
        index = {n.lower(): i for i, n in reversed(list(enumerate(names)))}
        missing = [c for c in REQUIRED if c not in index]
        if missing:
            self.fail(
                f"fichier SNPC incomplet : colonnes absentes {', '.join(missing)} ; exportez l'extrait complet "
                "de l'OCDE (avec l'en-tête).",
                line=line,
            )
            return None
        reader = csv.reader(f, delimiter=delimiter)
        reader_line = 0  # reader.line_num counts the lines it read, from its own start
        try:
            for row in reader:
                first = line + reader_line + 1
                reader_line = reader.line_num
                if not row or all(not cell.strip() for cell in row):
                    continue  # a blank line
                self.total += 1
                if len(row) != len(names):
                    self.fail(
                        f"{len(row)} champs alors que l'en-tête en compte {len(names)} : vérifiez les séparateurs "
                        f"« {delimiter} » et les guillemets de cette ligne.",
                        line=first,
                    )
                    continue
                self._record(row, first, index, names)
        except csv.Error as err:  # a field over csv.field_size_limit() (131 072 characters): a quote left open
            self.fail(
                f"ligne illisible : un champ dépasse {csv.field_size_limit()} caractères ({err}) ; vérifiez les "
                "guillemets à partir de cette ligne (un guillemet ouvert et jamais fermé avale la suite du fichier).",
                line=line + reader_line + 1,
            )
        self._conclude()
        if self.failed:
            return None
        self.out.flush()
        return list(HEADER)

    def _record(self, row: list[str], line: int, index: dict[str, int], names: list[str]) -> None:
        def cell(name: str) -> str:
            return row[index[name]].strip() if name in index else ""

        entity = agencies().get((cell("donorcode"), cell("agencycode")))
        if entity is None or ("flowcode" in index and cell("flowcode") not in ODA_FLOW_CODES):
            return
        self.kept += 1
        year_text, code = cell("year"), cell("recipientcode")
        if not re.fullmatch(r"[0-9]{4}", year_text):
            self.fail(
                f"« {year_text} » n'est pas une année : la colonne Year attend quatre chiffres, comme 2023.",
                line=line, column=names[index["year"]], value=year_text,
            )
            return
        place = recipients().get(code)
        if place is None:
            self.fail(
                f"« {code} » n'est pas un code de bénéficiaire du CAD connu : complétez data/reference/crs_recipients.csv.",
                line=line, column=names[index["recipientcode"]], value=code,
            )
        amounts = []
        for flow, column in AMOUNTS:
            text = cell(column)
            if not text:
                continue
            if not DECIMAL_TEXT.fullmatch(text) or (Decimal(text) and Decimal(text).adjusted() > 20):
                self.fail(
                    f"« {text[:40]} » n'est pas un montant fini en millions de USD : écrivez-le comme 1.0530 "
                    "(point décimal, sans séparateur de milliers).",
                    line=line, column=names[index[column]], value=text[:40],
                )
                continue
            usd_cents = (Decimal(text) * 10**8).quantize(Decimal(1), ROUND_HALF_UP)
            if usd_cents:
                amounts.append((flow, column, text, usd_cents))
        if place is None or not amounts:
            return
        year = int(year_text)
        if rates.before_ecb(year, "USD"):
            self.before_euro[year] += 1
            return
        rate = rates.rate(year, "USD")
        if rate is None:
            self.no_rate.setdefault(year, [line, 0])[1] += 1
            return
        donor, agency = cell("donorcode"), cell("agencycode")
        source = (
            f"OCDE SNPC {year}, donneur {donor}, agence {agency} ({self.file_name}) ; taux {rate.source}"
        )
        for flow, column, text, usd_cents in amounts:
            eur_cents = int((usd_cents / Decimal(repr(rate.per_euro))).quantize(Decimal(1), ROUND_HALF_UP))
            if max(abs(eur_cents), abs(usd_cents)) >= EUR_LIMIT_CENTS:
                self.fail(
                    f"« {text} » millions de USD font plus de 10^12 USD ou € : un montant doit rester sous 10^12 € en "
                    "valeur absolue ; vérifiez l'unité (la colonne est en millions de USD).",
                    line=line, column=names[index[column]], value=text,
                )
                continue
            if self.failed:
                continue
            self.out.add((
                line, entity, year_text, place[0], cell("purposecode") or None, cell("channelname") or None,
                cell("projecttitle") or None, flow, _cents(eur_cents), source, place[1], "USD",
                _cents(int(usd_cents)), repr(rate.per_euro),
            ))

    def _conclude(self) -> None:
        for year, (line, count) in sorted(self.no_rate.items()):
            times = f" ({count} lignes, la première ici)" if count > 1 else ""
            self.fail(rates.missing(year, "USD") + times, line=line, column="Year", value=str(year))
        if self.failed:
            return
        notices = self.report.notices
        notices.append(
            f"fichier SNPC de l'OCDE : {self.kept} des {self.total} lignes retenues (donneurs et agences de "
            "data/reference/crs_agencies.csv, flux d'APD)."
        )
        for year, count in sorted(self.before_euro.items()):
            s = "s" if count > 1 else ""
            notices.append(f"{count} ligne{s} en USD de {year} ignorée{s} : pas de taux BCE avant {rates.FIRST_YEAR}.")
        if self.out.count == 0:
            if self.kept == 0:
                self.fail(
                    f"aucune des {self.total} lignes de ce fichier SNPC ne concerne un donneur et une agence de "
                    "data/reference/crs_agencies.csv (flux d'APD) : rien à importer. Ajoutez-y l'agence voulue, ou "
                    "vérifiez l'extrait."
                )
            else:
                self.fail(
                    f"les {self.kept} lignes retenues de ce fichier SNPC n'ont aucun montant à importer (engagements "
                    "et versements vides ou nuls, ou antérieurs à 1999) : rien à importer."
                )


def _cents(cents: int) -> str:
    return f"{'-' if cents < 0 else ''}{abs(cents) // 100}.{abs(cents) % 100:02d}"
