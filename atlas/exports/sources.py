"""The sources behind a file that leaves Atlas, said for a committee: grouped by dataset and by
kind, each document named once, illustrative figures counted as such.

A row's `source` is free text, written by whoever made the row: the sample's documents (« Accord
du 26 oct. 1999 ; dernière commission, budget et projets : exemple »), the IATI and OECD CRS
imports (« IATI XM-DAC-2-10-123 (fichier.xml) ; taux USD 2023 : moyenne annuelle… », « OCDE SNPC
2022, donneur 2, agence 80 (crs.txt) ; taux… »), an analyst's upload. Listed as written, five
lines of one document (one per row) looked alike once shortened, and the internal notes (« jour
non précisé : 1er retenu ») reached the committee. `summary` groups them instead:

    IATI            one line per publisher (the entity the file reported for): activities, years
    OECD CRS        one line: years and entities
    OECD DAC        the national ODA/GNI figures: years, and whether part of them is estimated
    illustrative    « exemple » in the source's first part: rows counted, never cited as documents
    documents       everything else: the first part of each source (the document, without its
                    details in brackets or after « : »), each named once; parts shared by several
                    sources (« frais 100 €/300 € (Parlement bruxellois…) ») named once too
    exchange rates  the origin of the rates used for converted amounts, named once
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from atlas.words import fmt
from atlas.words.i18n import catalogue, colon, plural, t

# The datasets in the order a reader meets them (the deck's and the pages' order).
ORDER = ("oda_national", "oda", "priority_countries", "agreements", "missions", "offices")

PART = " ; "  # between the parts of one source, as Atlas and the sample write them
CITATION = re.compile(r"\([^()]*\b[12][0-9]{3}\)$")  # « frais … (Parlement bruxellois, question n° 907, 2023) »
IATI = re.compile(r"^IATI (?P<activity>\S+) \((?P<file>[^)]*)\)$")
CRS = re.compile(r"^OCDE SNPC (?P<year>\d{4}), donneur (?P<donor>\d+), agence (?P<agency>\d+)")
RATE = re.compile(r"^taux [A-Z]{3} \d{4} : (?P<origin>.+)$")
DAC = re.compile(r"\bOCDE CAD\b")
ILLUSTRATIVE = re.compile(r"\bexemple\b|\bsynthétique\b", re.I)
# A document's details: « … : 10 projets … », or a closing bracket that says more than an acronym
# (« (jour non précisé : 1er retenu) », « (469 participants) »; « (DGD) » stays).
DETAIL = re.compile(r" : .*$| \((?=[^()]*(?:[0-9:;,]|[^()]{13}))[^()]*\)$")


@dataclass(frozen=True)
class Cited:
    """A distinct source as a query reports it: its dataset, its rows and their years."""

    source: str
    dataset: str | None = None
    rows: int = 1
    year_from: int | None = None
    year_to: int | None = None
    entity: str | None = None  # for IATI rows: the publisher


@dataclass
class Group:
    """What one dataset's sources say, in the reader's language: a heading and its lines."""

    dataset: str | None
    heading: str
    lines: list[str] = field(default_factory=list)


@dataclass
class _Kinds:
    """One dataset's sources, sorted by kind (see the module's docstring)."""

    iati: dict[str, tuple[set, set]] = field(default_factory=dict)  # publisher -> (activities, years)
    crs: bool = False
    crs_years: set = field(default_factory=set)
    crs_entities: set = field(default_factory=set)
    dac: bool = False
    dac_years: set = field(default_factory=set)
    dac_estimated: bool = False
    illustrative_rows: int = 0
    illustrative_years: set = field(default_factory=set)
    documents: dict[str, int] = field(default_factory=dict)  # document -> rows
    shared_parts: dict[str, set] = field(default_factory=dict)  # a cited part -> the sources citing it
    partly_illustrative: bool = False
    rates: dict[str, None] = field(default_factory=dict)  # the rates' origins, an ordered set


def _years(cited: Cited) -> set[int]:
    return {y for y in (cited.year_from, cited.year_to) if y is not None}


def _span(years: set[int]) -> str:
    if not years:
        return ""
    low, high = min(years), max(years)
    return str(low) if low == high else f"{low}–{high}"


def document(head: str) -> str:
    """The document a source's first part names, without its details: « Accord de nov. 1998 »
    for « Accord de nov. 1998 (jour non précisé : 1er retenu) »."""
    previous = None
    while previous != head:
        previous, head = head, DETAIL.sub("", head).strip()
    return head


def parts(source: str) -> list[str]:
    """The parts of a source, split at « ; » outside brackets and guillemets."""
    found, depth, start = [], 0, 0
    for i, char in enumerate(source):
        if char in "(«[":
            depth += 1
        elif char in ")»]":
            depth -= 1
        elif depth <= 0 and source.startswith(PART, i):
            found.append(source[start:i])
            start = i + len(PART)
    found.append(source[start:])
    return [p.strip() for p in found if p.strip()]


def _sort(kinds: _Kinds, cited: Cited) -> None:
    kept = []
    for part in parts(cited.source):
        rate = RATE.match(part)
        if rate:
            kinds.rates[rate.group("origin")] = None
        else:
            kept.append(part)
    if not kept:
        return
    head, details = kept[0], kept[1:]
    if match := IATI.match(head):
        activities, years = kinds.iati.setdefault(cited.entity or match.group("file"), (set(), set()))
        activities.add(match.group("activity"))
        years |= _years(cited)
    elif match := CRS.match(head):
        kinds.crs = True
        kinds.crs_years |= _years(cited) or {int(match.group("year"))}
        kinds.crs_entities |= {cited.entity} if cited.entity else set()
    elif DAC.search(head) and not head.lower().startswith("exemple"):
        kinds.dac = True
        kinds.dac_years |= _years(cited)
        kinds.dac_estimated = kinds.dac_estimated or bool(re.search(r"estim|exemple|non officiel", cited.source, re.I))
    elif ILLUSTRATIVE.search(head):
        kinds.illustrative_rows += cited.rows
        kinds.illustrative_years |= _years(cited)
    else:
        name = document(head)
        kinds.documents[name] = kinds.documents.get(name, 0) + cited.rows
        for part in details:
            if ILLUSTRATIVE.search(part):
                kinds.partly_illustrative = True
            elif CITATION.search(part):
                kinds.shared_parts.setdefault(part, set()).add(cited.source)


def _lines(kinds: _Kinds, dataset: str | None, lang: str, documents_shown: int) -> list[str]:
    lines = []
    if kinds.dac:
        lines.append(t("sources.dac", lang, years=_after(kinds.dac_years, lang))
                     + (t("sources.dac_estimated", lang) if kinds.dac_estimated else ""))
    for publisher, (activities, years) in sorted(kinds.iati.items()):
        lines.append(plural("sources.iati", len(activities), lang, n=fmt.number(len(activities), lang),
                            publisher=publisher, years=_after(years, lang, ", ")))
    if kinds.crs:
        lines.append(t("sources.crs", lang, years=_after(kinds.crs_years, lang),
                       entities=", ".join(sorted(kinds.crs_entities)) or "–"))
    if kinds.documents:
        names = _series(kinds.documents, lang)
        text = " ; ".join(names[:documents_shown])
        if len(names) > documents_shown:
            text += t("sources.documents_more", lang, count=len(names) - documents_shown)
        shared = [part for part, sources in kinds.shared_parts.items() if len(sources) > 1]
        if shared:
            text += " ; " + " ; ".join(shared)
        if kinds.partly_illustrative:
            text += t("sources.partly_illustrative", lang)
        lines.append(t("sources.documents", lang, documents=text))
    if kinds.illustrative_rows:
        unit = f"sources.unit.{dataset}" if f"sources.unit.{dataset}_one" in catalogue() else "sources.unit.rows"
        count = plural(unit, kinds.illustrative_rows, lang, n=fmt.number(kinds.illustrative_rows, lang))
        lines.append(t("sources.illustrative", lang, rows=count, years=_after(kinds.illustrative_years, lang, ", ")))
    if kinds.rates:
        lines.append(t("sources.rates", lang, origins=" ; ".join(kinds.rates)))
    return lines


def _series(documents: dict[str, int], lang: str) -> list[str]:
    """Documents named once, most rows first; several of one series (« Mission économique belge,
    25–30 nov. 2018 », « …, juin 2022 ») as one: « Mission économique belge (6 sources) »."""
    series: dict[str, list[str]] = {}
    for name in documents:
        series.setdefault(name.split(", ")[0], []).append(name)
    named = {}
    for head, members in series.items():
        rows = sum(documents[m] for m in members)
        named[members[0] if len(members) == 1 else t("sources.series", lang, name=head, count=len(members))] = rows
    return sorted(named, key=lambda n: (-named[n], n))


def _after(years: set[int], lang: str, glue: str | None = None) -> str:
    """The span of `years` to follow a name: « , 2019–2023 » (`glue`) or « : 2019–2023 »; '' for none."""
    span = _span(years)
    return (glue if glue is not None else colon(lang)) + span if span else ""


def summary(cited: Iterable[Cited], lang: str = "fr", documents_shown: int = 4) -> list[Group]:
    """The sources grouped by dataset (in ORDER), each group's lines written for a reader;
    `documents_shown`: documents named per dataset before « et N autres »."""
    by_dataset: dict[str | None, _Kinds] = {}
    for c in cited:
        if isinstance(c.source, str) and c.source.strip():
            _sort(by_dataset.setdefault(c.dataset, _Kinds()), c)
    order = {name: i for i, name in enumerate(ORDER)}
    groups = []
    for dataset in sorted(by_dataset, key=lambda d: (order.get(d, len(ORDER)), d or "")):
        heading = t(f"presentation.dataset.{dataset}", lang) if dataset in order else ""
        lines = _lines(by_dataset[dataset], dataset, lang, documents_shown)
        if lines:
            groups.append(Group(dataset, heading[:1].upper() + heading[1:], lines))
    return groups


def one_line(cited: Iterable[Cited], lang: str = "fr", documents_shown: int = 4) -> str:
    """The summary in one line (a spreadsheet's « Sources » cell): « Heading : line ; line · … »."""
    return " · ".join((g.heading + colon(lang) if g.heading else "") + " ; ".join(g.lines)
                      for g in summary(cited, lang, documents_shown))
