"""IATI activity files (standard 1.01–1.05 and 2.01–2.03) as ODA rows in euros, with their provenance.

Each commitment (type 2, or C) and disbursement (type 3, or D) becomes one row per recipient
country (or region) and DAC sector: a transaction that names its country and sector keeps them;
otherwise the activity's percentages split it, and the cents are shared out so that the rows add
up exactly to the transaction. Every other transaction is counted in the report with the reason it
was left out. The rows land in the same `_raw` text table as a CSV, so the same validation,
preview, versioning and rollback apply.

The parser cannot be turned against the machine: a DOCTYPE or ENTITY declaration anywhere in the
file is refused before the parser sees it, entities are never expanded, nothing is fetched, and
the file streams through (elements are dropped once read), so memory stays flat on any file.
"""

from __future__ import annotations

import codecs
import csv
import json
import re
import tempfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache
from itertools import islice
from pathlib import Path
from typing import IO, NamedTuple

from lxml import etree

from atlas.geography import countries as geo
from atlas.imports import rates
from atlas.imports.crs import RawRows
from atlas.store import ROOT

REFERENCE = ROOT / "data" / "reference"
FLOWS = {"2": "commitment", "3": "disbursement", "C": "commitment", "D": "disbursement"}
# The other transaction types (IATI codelist TransactionType; 1.0x letters), plural and singular.
TRANSACTION_TYPES = {
    "1": ("fonds reçus", "fonds reçus"),
    "4": ("dépenses", "dépense"),
    "5": ("paiements d'intérêts", "paiement d'intérêts"),
    "6": ("remboursements de prêt", "remboursement de prêt"),
    "7": ("remboursements", "remboursement"),
    "8": ("achats de participations", "achat de participation"),
    "9": ("ventes de participations", "vente de participation"),
    "10": ("garanties de crédit", "garantie de crédit"),
    "11": ("engagements reçus", "engagement reçu"),
    "12": ("promesses de don", "promesse de don"),
    "13": ("promesses reçues", "promesse reçue"),
}
TRANSACTION_TYPES.update(
    {letter: TRANSACTION_TYPES[code] for letter, code in
     (("IF", "1"), ("E", "4"), ("IR", "5"), ("LR", "6"), ("R", "7"), ("QP", "8"), ("QS", "9"), ("CG", "10"))}
)
SUPPORTED_VERSIONS = ("1.01", "1.02", "1.03", "1.04", "1.05", "2.01", "2.02", "2.03")
DAC_SECTOR_VOCABULARIES = ("", "1", "DAC")  # DAC 5-digit purpose codes (2.0x: 1; 1.0x: DAC; the default)
PERCENT_TOLERANCE = Decimal("0.5")  # percentage points either side of 100
EUR_LIMIT_CENTS = 10**14  # DATA_CONTRACT.md: |amount| < 10^12 €
ONE = Decimal(1)
MAX_KEPT_CHILDREN = 10_000  # sub-elements of one title, sector, transaction...: far beyond any real file
SPILL_AFTER = 50_000  # commitments and disbursements of one activity kept in memory; the rest on disk
MAX_UNKNOWN = 10_000  # elements other than <iati-activity> under the root: a real file has none
CHUNK = 1 << 20
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
HEADER = [
    "entity", "year", "country_iso3", "sector_code", "channel", "project", "flow", "amount_eur",
    "source", "region", "currency", "amount_original", "exchange_rate", "activity_id",
]
# Children of <iati-activity> that the conversion reads; every other element is dropped unread.
WANTED = frozenset((
    "iati-identifier", "reporting-org", "title", "participating-org", "recipient-country",
    "recipient-region", "sector", "transaction",
))
DECIMAL_TEXT = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
CURRENCY = re.compile(r"[A-Z]{3}")
DTD_BYTES = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
DTD_TEXT = re.compile(r"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
# A reference to a named entity other than the five XML predefines. Inside a comment or CDATA
# section such text is harmless, so a match is only remembered: it names the culprit if the
# parser then fails (an undefined entity always makes it fail).
ENTITY_BYTES = re.compile(rb"&(?!(?:amp|lt|gt|quot|apos);|#)([^\s;&<>\"'=]{1,100});")
ENTITY_TEXT = re.compile(r"&(?!(?:amp|lt|gt|quot|apos);|#)([^\s;&<>\"'=]{1,100});")
OVERLAP = 128  # bytes or characters kept between chunks so that a pattern cut in two is seen


class _Stop(Exception):
    """The file was refused (already reported): stop reading it."""


# --- Recognising the format ----------------------------------------------------------------


def _encoding(prefix: bytes) -> tuple[str | None, int]:
    """(encoding to tell the parser, or None to let it read the BOM or declaration; BOM length)."""
    if prefix.startswith(b"\xef\xbb\xbf"):
        return None, 3
    if prefix.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, 2
    if len(prefix) >= 2 and prefix[0] and not prefix[1]:
        return "UTF-16LE", 0  # no BOM: libxml2 needs to be told
    if len(prefix) >= 2 and not prefix[0] and prefix[1]:
        return "UTF-16BE", 0
    return None, 0


def _text_codec(prefix: bytes) -> str | None:
    """The codec to scan the file's text with, or None when its bytes are ASCII-compatible."""
    if prefix.startswith(b"\xff\xfe") or (len(prefix) >= 2 and prefix[0] and not prefix[1]):
        return "utf-16-le"
    if prefix.startswith(b"\xfe\xff") or (len(prefix) >= 2 and not prefix[0] and prefix[1]):
        return "utf-16-be"
    return None


def looks_like_xml(prefix: bytes) -> bool:
    """Whether a file starting with `prefix` is XML: after a BOM and blanks, a declaration, a
    comment (however long), a DOCTYPE or an element, in UTF-8 or UTF-16 with or without BOM."""
    codec = _text_codec(prefix)
    _, bom = _encoding(prefix)
    start = prefix[bom:]
    if codec:
        start = start[: len(start) // 2 * 2]
    text = start.decode(codec or "latin-1", errors="replace").lstrip(" \t\r\n")
    if text.startswith(("<?xml", "<!--", "<?")) or text[:9].upper() == "<!DOCTYPE":
        return True
    return len(text) > 1 and text[0] == "<" and (text[1].isalpha() or text[1] in "_:")


# --- Reference data -------------------------------------------------------------------------


@cache
def organisations() -> dict[str, str]:
    """IATI organisation identifier -> our entity (data/reference/iati_organisations.csv)."""
    with open(REFERENCE / "iati_organisations.csv", encoding="utf-8") as f:
        return {r["org_ref"]: r["entity"] for r in csv.DictReader(f)}


@cache
def dac_regions() -> dict[str, str]:
    """OECD DAC region code (IATI region vocabulary 1) -> its French name (crs_recipients.csv)."""
    with open(REFERENCE / "crs_recipients.csv", encoding="utf-8") as f:
        return {r["code"]: r["region"] for r in csv.DictReader(f) if r["region"]}


@cache
def _decimal(x: float) -> Decimal:
    return Decimal(repr(x))


def split_cents(total_cents: int, weights: list[float]) -> list[int]:
    """Share `total_cents` by `weights` so that the parts add up exactly (largest remainder)."""
    if len(weights) == 1:
        return [total_cents]
    whole = sum(weights)
    if whole <= 0:
        weights, whole = [1.0] * len(weights), float(len(weights))
    exact = [total_cents * w / whole for w in weights]
    parts = [int(e // 1) for e in exact]
    for i in sorted(range(len(exact)), key=lambda i: exact[i] - parts[i], reverse=True)[: total_cents - sum(parts)]:
        parts[i] += 1
    return parts


# --- What one activity holds ----------------------------------------------------------------


class Place(NamedTuple):
    """A <recipient-country> or <recipient-region> (or a <sector>) as written, checked later."""

    tag: str
    code: str
    percent: str | None
    line: int
    label: str | None = None  # a region's name


class Flow(NamedTuple):
    """A commitment or disbursement, converted, waiting for its activity's end to become rows."""

    line: int
    flow: str  # commitment or disbursement
    year: int
    currency: str
    rate_year: int
    euros: int  # cents
    original: int  # cents of `currency`
    places: tuple[Place, ...]
    sectors: tuple[Place, ...]


class Transaction(NamedTuple):
    line: int  # of <value>, else of <transaction>
    kind: str
    when: str | None  # transaction-date/@iso-date, else value/@value-date
    value_date: str | None
    value: str | None
    currency: str | None
    places: tuple[Place, ...]
    sectors: tuple[Place, ...]


@dataclass
class Activity:
    line: int
    lang: str
    default_currency: str
    identifier: str = ""
    org_ref: str = ""
    org_names: list[tuple[str | None, str]] = field(default_factory=list)
    titles: list[tuple[str | None, str]] = field(default_factory=list)
    channel: str | None = None
    places: list[Place] = field(default_factory=list)
    sectors: list[Place] = field(default_factory=list)
    elements: int = 0  # places, sectors and texts kept: bounded
    flows: list[Flow] = field(default_factory=list)  # commitments and disbursements read so far
    spill: IO[str] | None = None  # where the first ones went when the activity holds very many

    def add_flow(self, flow: Flow) -> None:
        # An activity's rows need all of it (a country may follow the transactions in 1.0x), so its
        # commitments and disbursements wait for its end; past SPILL_AFTER they wait on disk.
        self.flows.append(flow)
        if len(self.flows) >= SPILL_AFTER:
            if self.spill is None:
                self.spill = tempfile.TemporaryFile("w+", encoding="utf-8")
            self.spill.writelines(json.dumps(t, ensure_ascii=False) + "\n" for t in self.flows)
            self.flows = []

    def all_flows(self) -> Iterator[Flow]:
        if self.spill is not None:
            self.spill.seek(0)
            for text in self.spill:
                *fields, places, sectors = json.loads(text)
                yield Flow(*fields, tuple(Place(*p) for p in places), tuple(Place(*p) for p in sectors))
            self.spill.close()
        yield from self.flows


def _texts(element) -> list[tuple[str | None, str]]:
    """(language, text) of an element's <narrative> children (2.0x) or of its own text (1.0x)."""
    found = [(n.get(XML_LANG), n.text.strip()) for n in element.iterchildren("narrative") if n.text and n.text.strip()]
    if not found and element.text and element.text.strip():
        found = [(element.get(XML_LANG), element.text.strip())]
    return found


def _pick(texts: list[tuple[str | None, str]], lang: str) -> str | None:
    """The French text when there is one, else the first."""
    for text_lang, text in texts:
        if (text_lang or lang) == "fr":
            return text
    return texts[0][1] if texts else None


def _place(element) -> Place:
    label = None
    if element.tag == "recipient-region":
        code = (element.get("code") or "").strip()
        vocabulary = (element.get("vocabulary") or "1").strip()
        label = (dac_regions().get(code) if vocabulary == "1" else None) or _pick(_texts(element), "fr") or f"région {code}"
    return Place(element.tag, (element.get("code") or "").strip(), element.get("percentage"), element.sourceline or 0, label)


def _sector(element) -> Place | None:
    if (element.get("vocabulary") or "").strip() not in DAC_SECTOR_VOCABULARIES:
        return None  # other vocabularies (DAC 3-digit, the publisher's own...) are not purpose codes
    return Place("sector", (element.get("code") or "").strip(), element.get("percentage"), element.sourceline or 0)


def _transaction(element) -> Transaction:
    kind = when = value_date = value = currency = None
    line = element.sourceline or 0
    places, sectors = [], []
    for child in element:  # one pass: transactions are most of a file
        tag = child.tag
        if tag == "value":
            value, currency, value_date, line = child.text, child.get("currency"), child.get("value-date"), child.sourceline or line
        elif tag == "transaction-type":
            kind = child.get("code")
        elif tag == "transaction-date":
            when = child.get("iso-date")
        elif tag == "sector":
            sector = _sector(child)
            if sector:
                sectors.append(sector)
        elif tag in ("recipient-country", "recipient-region"):
            places.append(_place(child))
    return Transaction(
        line=line, kind=(kind or "").strip().upper(), when=when or value_date, value_date=value_date, value=value,
        currency=currency, places=tuple(places), sectors=tuple(sectors),
    )


# --- Reading the file -----------------------------------------------------------------------


class _Reader:
    """One IATI file read into `_raw`: the parse loop, the checks and the rows."""

    def __init__(self, con, report, file_name: str):
        self.con, self.report, self.file_name = con, report, file_name
        self.failed = False
        self.version = ""
        self.lang = "en"
        self.activities = 0
        self.transactions = 0
        self.kept = 0
        self.out = RawRows(con, len(HEADER))
        self.ignored: Counter[str] = Counter()  # transaction type -> count
        self.before_euro: Counter[tuple[str, int]] = Counter()  # (currency, year) -> count
        self.zero = 0
        self.equal_split: Counter[str] = Counter()  # "pays" / "secteurs" -> activities
        self.no_rate: dict[tuple[int, str], list[int]] = {}  # (year, currency) -> [first line, count]
        self.entity_seen: tuple[int, str] | None = None  # first reference to an undefined entity
        self.root = None  # the root element, from the parser's events
        self.activity: Activity | None = None  # the activity being read, and its element
        self.activity_element = None
        self.unknown = self.dropped = 0

    def fail(self, message: str, line: int | None = None, column: str | None = None, value=None) -> None:
        self.failed = True
        self.report.fail(message, line=line, column=column, value=value)

    # The loop: events from a parser fed 1 MB at a time, after each chunk was searched for a DTD.

    def run(self, path: Path) -> None:
        with open(path, "rb") as f:
            prefix = f.read(4)
            encoding, _ = _encoding(prefix)
            codec = _text_codec(prefix)
            f.seek(0)
            options = dict(
                encoding=encoding, resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                huge_tree=False, remove_comments=True, remove_pis=True,
            )
            # A first parser only finds the root (after however many comments); the second reports only
            # the elements read (the activities and their wanted children), which costs far less than
            # an event for every element of the file.
            probe = etree.XMLPullParser(events=("start",), **options)
            parser = etree.XMLPullParser(events=("start", "end"), tag=("iati-activities", "iati-activity", *WANTED), **options)
            decoder = codecs.getincrementaldecoder(codec)(errors="replace") if codec else None
            tail, tail_line = ("" if codec else b""), 1
            try:
                for chunk in iter(lambda: f.read(CHUNK), b""):
                    window = tail + (decoder.decode(chunk) if decoder else chunk)
                    tail, tail_line = self._scan(window, tail_line, codec is not None)
                    if probe is not None:
                        probe.feed(chunk)
                        for _, element in probe.read_events():
                            self._root(element)
                            probe = None
                            break
                    parser.feed(chunk)
                    self._events(parser)
                    self._trim()
                parser.close()
                self._events(parser)
            except etree.XMLSyntaxError as err:
                self._syntax_error(err)
                raise _Stop from None

    def _scan(self, window, line: int, text: bool):
        """Refuse a DTD in `window` (starting at `line`); remember an undefined entity. Returns the tail."""
        newline = "\n" if text else b"\n"
        dtd = (DTD_TEXT if text else DTD_BYTES).search(window)
        if dtd:
            self.fail(
                "ce fichier XML déclare une DTD ou des entités (<!DOCTYPE>, <!ENTITY>), ce que la norme IATI "
                "n'utilise pas : il est refusé par sécurité. Exportez-le à nouveau depuis l'outil de publication IATI.",
                line=line + window.count(newline, 0, dtd.start()),
            )
            raise _Stop
        if self.entity_seen is None:
            entity = (ENTITY_TEXT if text else ENTITY_BYTES).search(window)
            if entity:
                name = entity.group(1)
                name = name if text else name.decode("utf-8", errors="replace")
                self.entity_seen = (line + window.count(newline, 0, entity.start()), name)
        cut = max(0, len(window) - OVERLAP)
        return window[cut:], line + window.count(newline, 0, cut)

    def _syntax_error(self, err: etree.XMLSyntaxError) -> None:
        message = err.msg or ""
        if self.entity_seen is not None:
            line, name = self.entity_seen
            self.fail(
                f"référence à l'entité « &{name}; », que XML ne prédéfinit pas (seules &amp; &lt; &gt; &quot; "
                "&apos; et les références numériques comme &#233; le sont) : refusé par sécurité. Écrivez le "
                "caractère lui-même, ou &amp; pour une esperluette.",
                line=line,
            )
        elif "UTF-8" in message or "encoding" in message.lower():
            self.fail(
                "octets illisibles dans l'encodage du fichier (détail de l'analyseur : "
                f"{message}) : enregistrez le fichier en UTF-8, ou déclarez son encodage dans <?xml … encoding=\"…\"?>.",
                line=err.lineno or None,
            )
        else:
            self.fail(
                f"XML mal formé ({message}) : corrigez le fichier ou exportez-le à nouveau depuis l'outil de "
                "publication IATI.",
                line=err.lineno or None,
            )

    def _events(self, parser) -> None:
        """Read the elements the parser finished: an activity's children as they end, then the activity."""
        root, activity, current = self.root, self.activity, self.activity_element
        for event, element in parser.read_events():
            if event == "start":
                if element.tag == "iati-activity" and element.getparent() is root and root is not None:
                    activity, current = self._start_activity(element), element
                elif root is None and element.getparent() is None:
                    root = self.root = element
                continue
            if current is None:
                continue
            if element is current:
                self._finish(activity)
                activity = current = None
            elif element.getparent() is current:
                self._child(activity, element)
        self.activity, self.activity_element = activity, current

    def _trim(self) -> None:
        """Drop every element already read: all but the open one at each level from the root down.

        Elements are read at their end (above), so whatever precedes the open element of a level is
        done with. Below a child of an activity that is still being read (a title, a transaction),
        nothing may go yet: such an element is only counted, and refused when it grows absurdly.
        """
        root = self.root
        if root is None:
            return
        done = len(root) - 1
        if done > 0:
            self._unknown(root, done)
            del root[:done]
            self.dropped += done
        node, depth = root, 1
        while len(node):
            node, depth = node[-1], depth + 1
            if depth == 3 and self.activity_element is not None and node.tag in WANTED \
                    and node.getparent() is self.activity_element:
                if sum(1 for _ in islice(node.iter(), MAX_KEPT_CHILDREN + 1)) > MAX_KEPT_CHILDREN:
                    self.fail(
                        f"l'élément <{node.tag}> contient plus de {MAX_KEPT_CHILDREN} sous-éléments : ce n'est pas un "
                        "fichier IATI ordinaire ; vérifiez l'export.",
                        line=node.sourceline,
                    )
                    raise _Stop
                return
            if len(node) > 1:
                del node[:-1]

    def _unknown(self, root, done: int) -> None:
        """Count the root's children that are not activities (every one ever seen was dropped or is
        still there); refuse a file made of them."""
        before = self.unknown
        self.unknown = self.dropped + len(root) - self.activities
        if self.unknown <= MAX_UNKNOWN:
            return
        count = before
        for element in root.iterchildren():
            if element.tag != "iati-activity":
                count += 1
                if count > MAX_UNKNOWN:
                    break
        self.fail(
            f"plus de {MAX_UNKNOWN} éléments autres que <iati-activity> (dont <{element.tag}>) directement "
            "sous <iati-activities>, où la norme IATI n'admet que des activités : ce n'est pas un fichier "
            "d'activités IATI ; vérifiez l'export.",
            line=element.sourceline,
        )
        raise _Stop

    def _root(self, element) -> None:
        """Check the root element (from the probe parser): an activity file, or a clear refusal."""
        if element.tag == "iati-organisations":
            self.fail(
                "ce fichier est un fichier d'organisation IATI (<iati-organisations> : budgets et documents d'un "
                "organisme), pas un fichier d'activités : il ne contient aucune transaction. Importez le fichier "
                "d'activités (<iati-activities>) du même éditeur.",
                line=element.sourceline,
            )
            raise _Stop
        if element.tag != "iati-activities":
            self.fail(
                f"ce fichier XML n'est pas un fichier d'activités IATI (élément racine <{element.tag}>, "
                "attendu <iati-activities>).",
                line=element.sourceline,
            )
            raise _Stop
        self.version = (element.get("version") or "").strip()
        if self.version and self.version not in SUPPORTED_VERSIONS:
            self.report.notices.append(
                f"norme IATI {self.version} : Atlas lit les versions 1.01 à 1.05 et 2.01 à 2.03 ; vérifiez les montants."
            )
        self.lang = element.get(XML_LANG) or self.lang

    def _start_activity(self, element) -> Activity:
        self.activities += 1
        return Activity(
            line=element.sourceline or 0,
            lang=element.get(XML_LANG) or self.lang,
            default_currency=(element.get("default-currency") or "").strip(),
        )

    def _child(self, activity: Activity, element) -> None:
        tag = element.tag
        if tag == "transaction":
            transaction = _transaction(element)
            self.transactions += 1
            if transaction.kind not in FLOWS:
                self.ignored[transaction.kind] += 1
                return
            flow = self._convert(transaction, activity.default_currency)
            if flow is not None and (not self.failed or flow.places or flow.sectors or not activity.flows):
                activity.add_flow(flow)  # once the file is refused, only what checks places and sectors
            return
        activity.elements += 1
        if activity.elements > MAX_KEPT_CHILDREN:
            self.fail(
                f"l'activité {activity.identifier or ''} a plus de {MAX_KEPT_CHILDREN} pays, secteurs ou titres : ce n'est "
                "pas un fichier IATI ordinaire ; vérifiez l'export.",
                line=element.sourceline,
            )
            raise _Stop
        if tag in ("recipient-country", "recipient-region"):
            activity.places.append(_place(element))
        elif tag == "sector":
            sector = _sector(element)
            if sector:
                activity.sectors.append(sector)
        elif tag == "iati-identifier":
            activity.identifier = (element.text or "").strip()
        elif tag == "reporting-org":
            activity.org_ref = (element.get("ref") or "").strip()
            activity.org_names = _texts(element)
        elif tag == "title":
            activity.titles.extend(_texts(element))
        elif tag == "participating-org" and activity.channel is None:
            if (element.get("role") or "").strip().lower() in ("4", "implementing"):
                activity.channel = _pick(_texts(element), activity.lang)

    # One activity, once read whole: its transactions become rows.

    def _convert(self, tx: Transaction, default_currency: str) -> Flow | None:
        """A commitment or disbursement in cents of euro, or None after reporting or counting why not."""
        amount = self._amount(tx)
        if amount is None:
            return None
        currency = (tx.currency or default_currency).strip().upper()
        year = int(tx.when[:4])
        rate_year = int(tx.value_date[:4]) if tx.value_date and ISO_DATE.match(tx.value_date) else year
        if not CURRENCY.fullmatch(currency):
            self.fail(
                f"devise « {currency} » illisible ou absente : précisez currency=\"EUR\" (ou USD…) sur <value>, "
                "ou default-currency sur <iati-activity>.",
                line=tx.line, column="value/@currency", value=currency or None,
            )
            return None
        if rates.before_ecb(rate_year, currency):
            self.before_euro[(currency, rate_year)] += 1
            return None
        rate = rates.rate(rate_year, currency)
        if rate is None:
            self.no_rate.setdefault((rate_year, currency), [tx.line, 0])[1] += 1
            return None
        original = int((amount * 100).quantize(ONE, ROUND_HALF_UP))
        euros = original if currency == "EUR" else int((amount * 100 / _decimal(rate.per_euro)).quantize(ONE, ROUND_HALF_UP))
        if abs(euros) >= EUR_LIMIT_CENTS:
            self.fail(
                f"« {tx.value.strip()} » {currency} font {_fr_amount(Decimal(euros) / 100)} € : un montant doit rester "
                "sous 10^12 € en valeur absolue ; vérifiez l'unité et les décimales de <value>.",
                line=tx.line, column="value", value=tx.value.strip(),
            )
            return None
        if euros == 0 and original == 0:
            self.zero += 1
            return None
        return Flow(tx.line, FLOWS[tx.kind], year, currency, rate_year, euros, original, tx.places, tx.sectors)

    def _finish(self, activity: Activity) -> None:
        """The activity's rows, once it was read whole (its places and sectors may follow its transactions)."""
        if not activity.flows and activity.spill is None:
            return
        entity = organisations().get(activity.org_ref) or _pick(activity.org_names, activity.lang) or activity.org_ref
        if not entity:
            self.fail(
                f"l'activité {activity.identifier} n'a pas d'organisation déclarante : ajoutez <reporting-org "
                "ref=\"…\"> (l'identifiant IATI de l'organisme, par exemple XM-DAC-2-80 pour la Wallonie).",
                line=activity.line, column="reporting-org",
            )
            return
        title = _pick(activity.titles, activity.lang)
        splits: dict[tuple[tuple[Place, ...], tuple[Place, ...]], tuple | None] = {}  # checked once per pair
        sources: dict[str, str] = {}
        add = self.out.add
        for flow in activity.all_flows():
            key = (flow.places or tuple(activity.places), flow.sectors or tuple(activity.sectors))
            if key not in splits:
                splits[key] = self._split(*key)
            split = splits[key]
            if split is None or self.failed:
                continue
            cells, weights = split
            rate = rates.rate(flow.rate_year, flow.currency)
            source = sources.get(rate.source)
            if source is None:
                source = sources[rate.source] = f"IATI {activity.identifier} ({self.file_name})" + (
                    f" ; taux {rate.source}" if flow.currency != "EUR" else ""
                )
            year_text, per_euro = str(flow.year), repr(rate.per_euro)
            for (iso3, region, sector), eur, orig in zip(
                cells, split_cents(flow.euros, weights), split_cents(flow.original, weights)
            ):
                if not eur and not orig and len(cells) > 1:
                    continue  # a share too small for a cent: no row of 0 €
                add((
                    flow.line, entity, year_text, iso3, sector, activity.channel, title, flow.flow,
                    _cents(eur), source, region, flow.currency, _cents(orig), per_euro, activity.identifier or None,
                ))
            self.kept += 1

    def _split(self, places: tuple[Place, ...], sectors: tuple[Place, ...]):
        """([(ISO3, region, sector)], weights) of a transaction's rows, or None after reporting why not."""
        where, what = self._places(list(places)), self._sectors(list(sectors))
        if where is None or what is None:
            return None
        # A 0 % share gets no row; the others still add up to the whole transaction.
        cells = [((p[0], p[1], s[0]), float(p[2] * s[1])) for p in where for s in what if p[2] * s[1] > 0]
        return [c for c, _ in cells], [w for _, w in cells]

    def _amount(self, tx: Transaction) -> Decimal | None:
        """The transaction's value, or None after reporting why it cannot be read."""
        text = (tx.value or "").strip()
        if not text or not tx.when or not ISO_DATE.match(tx.when):
            self.fail(
                "transaction sans montant ou sans date lisible : chaque transaction IATI doit avoir "
                "<value> et <transaction-date iso-date=\"AAAA-MM-JJ\">.",
                line=tx.line, column="value" if not text else "transaction-date/@iso-date",
            )
            return None
        if not DECIMAL_TEXT.fullmatch(text):
            self.fail(
                f"« {text[:40]} » n'est pas un montant : <value> doit être un nombre décimal fini, écrit comme "
                "15000.50 (point décimal, sans espace ni séparateur de milliers).",
                line=tx.line, column="value", value=text[:40],
            )
            return None
        amount = Decimal(text)
        if amount and amount.adjusted() > 20:  # beyond any amount, and too large to compute with
            self.fail(
                f"« {text[:40]} » est un montant démesuré : un montant doit rester sous 10^12 € en valeur absolue ; "
                "vérifiez l'unité et les décimales de <value>.",
                line=tx.line, column="value", value=text[:40],
            )
            return None
        return amount

    def _percents(self, items: list[Place], what: str, column: str) -> list[Decimal] | None:
        """Each item's share in percent, by the IATI rule, or None after reporting why not."""
        given, ok = [], True
        for item in items:
            text = (item.percent or "").strip()
            if not text:
                given.append(None)
                continue
            try:
                value = Decimal(text)
            except InvalidOperation:
                value = None
            if value is None or not value.is_finite() or not DECIMAL_TEXT.fullmatch(text):
                self.fail(
                    f"« {text[:40]} » n'est pas un pourcentage : écrivez un nombre entre 0 et 100 (par exemple 33.5).",
                    line=item.line, column=column, value=text[:40],
                )
                ok = False
            elif value < 0 or value > 100:
                self.fail(
                    f"« {text} » : un pourcentage doit être compris entre 0 et 100 ; corrigez-le (les pourcentages "
                    f"des {what} doivent totaliser 100).",
                    line=item.line, column=column, value=text,
                )
                ok = False
            given.append(value)
        if not ok:
            return None
        if all(p is None for p in given):
            if len(items) > 1:
                self.equal_split[what] += 1
            return [Decimal(100) / len(items)] * len(items)
        missing = [item for item, p in zip(items, given) if p is None]
        for item in missing:
            self.fail(
                f"pourcentage absent alors que d'autres {what} de l'activité en ont un : précisez percentage "
                "sur chacun (ils doivent totaliser 100).",
                line=item.line, column=column,
            )
        if missing:
            return None
        total = sum(given)
        if abs(total - 100) > PERCENT_TOLERANCE:
            self.fail(
                f"les pourcentages des {what} totalisent {_fr_amount(total)} % et non 100 % (règle IATI, tolérance "
                f"± {_fr_amount(PERCENT_TOLERANCE)} point) : corrigez les attributs percentage.",
                line=items[0].line, column=column, value=_fr_amount(total),
            )
            return None
        return given

    def _places(self, items: list[Place]) -> list[tuple[str | None, str | None, Decimal]] | None:
        """(ISO3 or None, region or None, percent) of each recipient; None after reporting a problem."""
        if not items:
            return [(None, None, Decimal(100))]
        column = "recipient-country/@percentage" if items[0].tag == "recipient-country" else "recipient-region/@percentage"
        percents = self._percents(items, "pays et régions bénéficiaires", column)
        found, ok = [], percents is not None
        for item, percent in zip(items, percents or [Decimal(0)] * len(items)):
            if item.tag == "recipient-region":
                found.append((None, item.label, percent))
                continue
            iso3 = geo.aliases().get(geo.fold(item.code)) if item.code else None
            if iso3 is None:
                self.fail(
                    f"« {item.code} » n'est pas un code pays ISO 3166-1 connu : <recipient-country code=\"…\"> "
                    "attend un code à deux lettres comme CD.",
                    line=item.line, column="recipient-country/@code", value=item.code or None,
                )
                ok = False
            found.append((iso3, None, percent))
        return found if ok else None

    def _sectors(self, items: list[Place]) -> list[tuple[str | None, Decimal]] | None:
        """(purpose code, percent) of each DAC 5-digit sector; None after reporting a problem."""
        if not items:
            return [(None, Decimal(100))]
        percents = self._percents(items, "secteurs CAD", "sector/@percentage")
        ok = percents is not None
        for item in items:
            if not re.fullmatch(r"[0-9]{5}", item.code):
                self.fail(
                    f"« {item.code} » n'est pas un code-objet CAD à 5 chiffres (vocabulaire 1) : corrigez code, ou "
                    "indiquez le vocabulaire du code (vocabulary=\"2\" pour un code à 3 chiffres).",
                    line=item.line, column="sector/@code", value=item.code or None,
                )
                ok = False
        return [(item.code, p) for item, p in zip(items, percents)] if ok else None

    # After the last activity: what was left out, and the verdicts on the file as a whole.

    def conclude(self) -> None:
        for (year, currency), (line, count) in sorted(self.no_rate.items()):
            times = f" ({count} transactions, la première ici)" if count > 1 else ""
            self.fail(rates.missing(year, currency) + times, line=line, column="value/@currency", value=currency)
        if self.failed:
            return
        if self.activities == 0:
            self.fail("ce fichier IATI ne contient aucune activité (<iati-activity>) : rien à importer.")
            return
        if self.out.count == 0:
            self.fail(self._nothing_to_import())  # which says what was left out, and why
            return
        notices = self.report.notices
        for kind, count in sorted(self.ignored.items(), key=lambda kv: _kind_order(kv[0])):
            notices.append(_ignored_sentence(kind, count) + " : seuls les engagements (type 2) et les versements "
                           "(type 3) sont comptés dans l'APD.")
        for (currency, year), count in sorted(self.before_euro.items(), key=lambda kv: (kv[0][1], kv[0][0])):
            s = "s" if count > 1 else ""
            notices.append(f"{count} transaction{s} en {currency} de {year} ignorée{s} : pas de taux BCE avant {rates.FIRST_YEAR}.")
        if self.zero:
            s = "s" if self.zero > 1 else ""
            notices.append(f"{self.zero} transaction{s} de montant nul ignorée{s}.")
        for what, count in self.equal_split.items():
            s = "s" if count > 1 else ""
            notices.append(
                f"{count} activité{s} à plusieurs {what} sans pourcentage : montants répartis à parts égales."
            )
        kept = f"{self.kept} engagements et versements" if self.kept > 1 else "1 engagement ou versement"
        a = "s" if self.activities > 1 else ""
        notices.append(
            f"fichier IATI{' ' + self.version if self.version else ''} : {kept} de {self.activities} activité{a} "
            f"→ {self.out.count} ligne{'s' if self.out.count > 1 else ''} d'APD."
        )

    def _nothing_to_import(self) -> str:
        if self.transactions == 0:
            s = "s" if self.activities > 1 else ""
            return (
                f"ce fichier IATI a {self.activities} activité{s} mais aucune transaction (<transaction>) : l'APD est tirée "
                "des engagements (type 2) et des versements (type 3) ; rien à importer."
            )
        reasons = [_ignored_sentence(k, n) for k, n in sorted(self.ignored.items(), key=lambda kv: _kind_order(kv[0]))]
        for (currency, year), n in sorted(self.before_euro.items(), key=lambda kv: (kv[0][1], kv[0][0])):
            s = "s" if n > 1 else ""
            reasons.append(f"{n} transaction{s} en {currency} de {year} ignorée{s} (pas de taux BCE avant {rates.FIRST_YEAR})")
        if self.zero:
            s = "s" if self.zero > 1 else ""
            reasons.append(f"{self.zero} transaction{s} de montant nul ignorée{s}")
        commitments = self.transactions - sum(self.ignored.values())
        head = (
            "ce fichier IATI ne contient aucun engagement (type 2) ni versement (type 3)" if commitments == 0
            else "le seul engagement ou versement de ce fichier IATI ne peut être importé" if commitments == 1
            else f"aucun des {commitments} engagements et versements de ce fichier IATI ne peut être importé"
        )
        return f"{head} : {' ; '.join(reasons)}. L'APD n'est tirée que des engagements et des versements ; rien à importer."


def _kind_order(kind: str) -> tuple[int, str]:
    return (int(kind), "") if kind.isdigit() else (99, kind)


def _ignored_sentence(kind: str, count: int) -> str:
    s = "s" if count > 1 else ""
    names = TRANSACTION_TYPES.get(kind)
    if names:
        return f"{count} transaction{s} de type {kind} ({names[0] if count > 1 else names[1]}) ignorée{s}"
    if kind:
        return f"{count} transaction{s} de type inconnu « {kind} » ignorée{s}"
    return f"{count} transaction{s} sans type (<transaction-type code=\"…\">) ignorée{s}"


def _cents(cents: int) -> str:
    if cents >= 0:
        return f"{cents // 100}.{cents % 100:02d}"
    return f"-{-cents // 100}.{-cents % 100:02d}"


def _fr_amount(x: Decimal) -> str:
    """A number as French text: 1 234 567,5 (no exponent, no trailing zeros)."""
    sign, whole, fraction = "-" if x < 0 else "", int(abs(x)), f"{abs(x) % 1:f}"
    digits = f"{whole:,}".replace(",", " ")
    decimals = fraction[2:].rstrip("0") if "." in fraction else ""
    return sign + digits + ("," + decimals if decimals else "")


def read(con, path: Path, report, file_name: str) -> list[str] | None:
    """Parse an IATI activity file into the `_raw` table; returns the header, or None on failure."""
    reader = _Reader(con, report, file_name)
    try:
        reader.run(Path(path))
    except _Stop:
        return None
    reader.conclude()
    if reader.failed:
        return None
    reader.out.flush()
    return list(HEADER)

