"""Country reference and geometry: ISO codes, names in French, Dutch and English, shapes.

The reference is derived once from Natural Earth and pycountry by scripts/build_country_reference.py
and shipped under data/geo/, so nothing is downloaded at run time.
"""

from __future__ import annotations

import csv
import gettext
import json
import unicodedata
from functools import cache
from pathlib import Path

import pycountry

GEO_DIR = Path(__file__).resolve().parents[2] / "data" / "geo"
LANGUAGES = ("fr", "nl", "en")


@cache
def countries() -> dict[str, dict[str, str]]:
    """ISO3 -> row of data/geo/countries.csv (names, continent, representative point)."""
    with open(GEO_DIR / "countries.csv", encoding="utf-8") as f:
        return {row["iso3"]: row for row in csv.DictReader(f)}


def country_name(iso3: str | None, lang: str = "fr") -> str:
    """The readable display name of a country, or the code itself when unknown."""
    if not iso3:
        return ""
    row = countries().get(iso3)
    return row[f"name_{lang}"] if row else iso3


def fold(text: str) -> str:
    """Case- and space-insensitive form of a name, accents kept (they distinguish names)."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


@cache
def aliases() -> dict[str, str]:
    """Every accepted spelling of a country -> ISO3: codes, display and ISO names in fr/nl/en."""
    table: dict[str, str] = {}
    translations = {
        lang: gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang], fallback=True)
        for lang in LANGUAGES
    }
    for iso3, row in countries().items():
        names = [iso3, row["iso2"], *(row[f"name_{lang}"] for lang in LANGUAGES)]
        official = pycountry.countries.get(alpha_3=iso3)
        if official:
            for attr in ("name", "official_name", "common_name"):
                english = getattr(official, attr, None)
                if english:
                    names += [t.gettext(english) for t in translations.values()]
        for name in names:
            if name:
                table.setdefault(fold(name), iso3)
    return table


def suggestions(value: str, limit: int = 2) -> list[str]:
    """Close ISO3 codes for a mistyped code (CGO -> COG, COD), or codes of close names."""
    import difflib

    text = value.strip().upper()
    codes = list(countries())
    if len(text) == 3 and text.isalpha():

        def distance(a: str, b: str) -> int:
            # Damerau-Levenshtein for 3 letters: a swap of neighbours counts as one edit.
            if sorted(a) == sorted(b) and sum(x != y for x, y in zip(a, b)) == 2:
                return 1
            return sum(x != y for x, y in zip(a, b))

        ranked = sorted(
            (c for c in codes if distance(text, c) <= 2),
            key=lambda c: (c[0] != text[0], distance(text, c), -len(set(c) & set(text)), c),
        )
        return ranked[:limit]
    names = aliases()
    close = difflib.get_close_matches(fold(value), list(names), n=limit * 3, cutoff=0.75)
    return list(dict.fromkeys(names[n] for n in close))[:limit]


@cache
def geojson() -> dict:
    """Country shapes (Natural Earth, simplified), feature ids = ISO3."""
    with open(GEO_DIR / "countries.geojson", encoding="utf-8") as f:
        return json.load(f)
