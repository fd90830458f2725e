"""IATI activity files (standard 2.01–2.03) as ODA rows, in euros, with their provenance.

Each commitment (type 2) or disbursement (type 3) becomes one row per recipient country (or
region) and DAC sector: a transaction that names its country and sector keeps them; otherwise
the activity's percentages split it, and the cents are shared out so that the rows add up
exactly to the transaction. The rows land in the same `_raw` text table as a CSV, so the same
validation, preview, versioning and rollback apply.

The parser is hardened: no DTD, no entity expansion, no network, bounded tree.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pyarrow as pa
from lxml import etree

from atlas.geography import countries as geo
from atlas.store import ROOT

REFERENCE = ROOT / "data" / "reference"
FLOWS = {"2": "commitment", "3": "disbursement", "C": "commitment", "D": "disbursement"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
HEADER = [
    "entity", "year", "country_iso3", "sector_code", "channel", "project", "flow", "amount_eur",
    "source", "region", "currency", "amount_original", "exchange_rate",
]


def looks_like_xml(head: bytes) -> bool:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return text.startswith(b"<?xml") or text.startswith(b"<iati-activities")


@cache
def exchange_rates() -> dict[tuple[int, str], float]:
    """(year, currency) -> units of the currency per euro (data/reference/exchange_rates.csv)."""
    with open(REFERENCE / "exchange_rates.csv", encoding="utf-8") as f:
        return {(int(r["year"]), r["currency"]): float(r["per_eur"]) for r in csv.DictReader(f)}


@cache
def organisations() -> dict[str, str]:
    """IATI organisation identifier -> our entity (data/reference/iati_organisations.csv)."""
    with open(REFERENCE / "iati_organisations.csv", encoding="utf-8") as f:
        return {r["org_ref"]: r["entity"] for r in csv.DictReader(f)}


@dataclass(frozen=True)
class Share:
    code: str | None  # ISO3 country or DAC code; None when regional or unallocated
    percent: float
    label: str | None = None  # a region's name


def split_cents(total_cents: int, weights: list[float]) -> list[int]:
    """Share `total_cents` by `weights` so that the parts add up exactly (largest remainder)."""
    whole = sum(weights)
    if whole <= 0:
        weights, whole = [1.0] * len(weights), float(len(weights))
    exact = [total_cents * w / whole for w in weights]
    parts = [int(e // 1) for e in exact]
    for i in sorted(range(len(exact)), key=lambda i: exact[i] - parts[i], reverse=True)[: total_cents - sum(parts)]:
        parts[i] += 1
    return parts


def _narrative(element, lang: str) -> str | None:
    if element is None:
        return None
    narratives = element.findall("narrative")
    for n in narratives:
        if (n.get(XML_LANG) or lang) == "fr" and n.text:
            return n.text.strip()
    texts = [n.text.strip() for n in narratives if n.text and n.text.strip()]
    return texts[0] if texts else (element.text or "").strip() or None


def _percent(element) -> float | None:
    try:
        return float(element.get("percentage")) if element.get("percentage") not in (None, "") else None
    except ValueError:
        return None


def _countries(parent, lang: str) -> list[Share]:
    shares = []
    for c in parent.findall("recipient-country"):
        code = (c.get("code") or "").strip()
        shares.append(Share(geo.aliases().get(geo.fold(code), code.upper() or None), _percent(c) or 0.0))
    for r in parent.findall("recipient-region"):
        shares.append(Share(None, _percent(r) or 0.0, _narrative(r, lang) or f"région {r.get('code')}"))
    return _fill_percent(shares)


def _sectors(parent) -> list[Share]:
    shares = [
        Share((s.get("code") or "").strip(), _percent(s) or 0.0)
        for s in parent.findall("sector")
        if s.get("vocabulary", "1") in ("1", "DAC")
    ]
    return _fill_percent(shares)


def _fill_percent(shares: list[Share]) -> list[Share]:
    """One share without a percentage is 100 %; several without any are split equally."""
    if shares and all(s.percent == 0 for s in shares):
        return [Share(s.code, 100 / len(shares), s.label) for s in shares]
    return shares


def _rows(activity, default_lang: str, report, file_name: str) -> Iterable[tuple[int, list[str | None]]]:
    lang = activity.get(XML_LANG) or default_lang
    identifier = (activity.findtext("iati-identifier") or "").strip()
    org = activity.find("reporting-org")
    org_ref = (org.get("ref") or "").strip() if org is not None else ""
    entity = organisations().get(org_ref) or _narrative(org, lang) or org_ref
    title = _narrative(activity.find("title"), lang)
    channel = next(
        (_narrative(p, lang) for p in activity.findall("participating-org") if p.get("role") == "4"), None
    )
    default_currency = activity.get("default-currency")
    countries, sectors = _countries(activity, lang), _sectors(activity)
    for tx in activity.findall("transaction"):
        kind = tx.find("transaction-type")
        flow = FLOWS.get(kind.get("code", "") if kind is not None else "")
        if flow is None:
            continue  # incoming funds, expenditure, interest…: not ODA flows of this entity
        value = tx.find("value")
        line = (value if value is not None else tx).sourceline
        date = tx.find("transaction-date")
        when = (date.get("iso-date") if date is not None else None) or (value.get("value-date") if value is not None else None)
        currency = ((value.get("currency") if value is not None else None) or default_currency or "").upper()
        try:
            amount = float((value.text or "").strip()) if value is not None else None
        except ValueError:
            amount = None
        if amount is None or not when or len(when) < 4 or not when[:4].isdigit():
            report.fail(
                "transaction sans montant ou sans date lisible : chaque transaction IATI doit avoir "
                "<value> et <transaction-date iso-date=\"AAAA-MM-JJ\">.",
                line=line, column="amount_eur",
            )
            continue
        year = int(when[:4])
        rate = 1.0 if currency == "EUR" else exchange_rates().get((year, currency))
        if rate is None:
            report.fail(
                f"pas de taux de change pour {currency or 'une devise non précisée'} en {year} : ajoutez-le à "
                "data/reference/exchange_rates.csv (moyenne annuelle de la BCE) ou précisez default-currency.",
                line=line, column="currency", value=currency,
            )
            continue
        here_countries = _countries(tx, lang) or countries or [Share(None, 100.0)]
        here_sectors = _sectors(tx) or sectors or [Share(None, 100.0)]
        cells = [(c, s) for c in here_countries for s in here_sectors if c.percent * s.percent > 0]
        cents = split_cents(round(amount / rate * 100), [c.percent * s.percent for c, s in cells])
        originals = split_cents(round(amount * 100), [c.percent * s.percent for c, s in cells])
        for (country, sector), eur, original in zip(cells, cents, originals):
            yield line, [
                entity, str(year), country.code, sector.code, channel, title, flow, f"{eur / 100:.2f}",
                f"IATI {identifier} ({file_name})", country.label, currency, f"{original / 100:.2f}", repr(rate),
            ]


def read(con, path: Path, report, file_name: str) -> list[str] | None:
    """Parse an IATI activity file into the `_raw` table; returns the header, or None on failure."""
    with open(path, "rb") as f:
        head = f.read(4096)
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        report.fail(
            "ce fichier XML déclare une DTD ou des entités, ce que la norme IATI n'utilise pas : "
            "il est refusé par sécurité. Exportez-le à nouveau depuis l'outil de publication IATI."
        )
        return None
    lines, rows = [], []
    try:
        parser = etree.iterparse(
            str(path), events=("start", "end"), resolve_entities=False, no_network=True,
            load_dtd=False, huge_tree=False, remove_comments=True,
        )
        default_lang, root_seen = "en", False
        for event, element in parser:
            if event == "start":
                if not root_seen:
                    root_seen = True
                    if element.tag != "iati-activities":
                        report.fail(
                            f"ce fichier XML n'est pas un fichier d'activités IATI (élément racine <{element.tag}>, "
                            "attendu <iati-activities>)."
                        )
                        return None
                    version = element.get("version", "")
                    if version and not version.startswith("2."):
                        report.notices.append(f"norme IATI {version} : seules les versions 2.01 à 2.03 sont garanties.")
                    default_lang = element.get(XML_LANG) or default_lang
                continue
            if element.tag == "iati-activity":
                for line, row in _rows(element, default_lang, report, file_name):
                    lines.append(line)
                    rows.append(row)
                element.clear()  # keeps memory flat on large files
    except etree.XMLSyntaxError as err:
        report.fail(f"XML mal formé : {err.msg} ; corrigez le fichier ou exportez-le à nouveau.", line=err.lineno)
        return None
    if report.problems:
        return None
    report.notices.append(f"fichier IATI : {len(rows)} lignes d'APD tirées des engagements et versements.")
    columns = {f"c{i}": pa.array([r[i] for r in rows], pa.string()) for i in range(len(HEADER))}
    con.register("_iati", pa.table({"_line": pa.array(lines, pa.int64()), **columns}))
    con.execute("CREATE OR REPLACE TEMP TABLE _raw AS SELECT * FROM _iati")
    con.unregister("_iati")
    return list(HEADER)
