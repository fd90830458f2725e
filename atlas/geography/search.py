"""Find a country from what a person types: a name in French, Dutch or English, a usual name or
an abbreviation (« RDC », « DR Congo », « Ivory Coast », data/geo/country_aliases.csv), or an ISO code.

One ranking serves the suggestions a search box lists and the country Enter opens: Enter opens
`find(text)[0]`, the first suggestion shown. Countries Atlas holds data about come first within
each kind of match; which those are is the reading layer's to say (`with_data`, ISO3 codes).
"""

from __future__ import annotations

import csv
import difflib
import re
import unicodedata
from collections.abc import Collection
from functools import cache

from atlas.geography import countries as geo

ALIASES_FILE = geo.GEO_DIR / "country_aliases.csv"
SHORT = 3  # a code or an abbreviation (« cd », « RDC »): only names that start with it follow it
FUZZY_FROM = 4  # close spellings only for a word long enough to be mistyped, not for « RDC »

_APOSTROPHES = "'\u2019\u2018`\u00b4"
_SEPARATORS = re.compile(r"[\s\-\u2010\u2011\u2013\u2014,;:/()\[\]_]+")


def plain(text: str) -> str:
    """Folded and without accents, so that « cote d'ivoire » finds « Côte d'Ivoire »."""
    decomposed = unicodedata.normalize("NFD", geo.fold(text))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def search_key(text: str) -> str:
    """What is compared: no case, no accents, no dots (« R.D.C. » = « RDC »), hyphens, commas and
    apostrophes as spaces (« Congo-Kinshasa » = « congo kinshasa », « d'Ivoire » = « d ivoire »)."""
    bare = plain(text).replace(".", "")
    for mark in _APOSTROPHES:
        bare = bare.replace(mark, " ")
    return " ".join(_SEPARATORS.sub(" ", bare).split())


def _joined(text: str) -> str:
    # « Côte divoire »: the apostrophe left out rather than spaced.
    bare = plain(text).replace(".", "")
    for mark in _APOSTROPHES:
        bare = bare.replace(mark, "")
    return " ".join(_SEPARATORS.sub(" ", bare).split())


@cache
def aliases() -> tuple[tuple[str, str], ...]:
    """(alias, ISO3) of data/geo/country_aliases.csv: usual names and abbreviations in fr/nl/en
    that the ISO and Natural Earth names lack; « Congo » and « Kongo » name both Congos."""
    with open(ALIASES_FILE, encoding="utf-8") as f:
        return tuple((row["alias"], row["iso3"]) for row in csv.DictReader(f))


@cache
def index() -> dict[str, frozenset[str]]:
    """Search key -> the countries it names: codes, display and ISO names in fr/nl/en, aliases."""
    found: dict[str, set[str]] = {}
    names = [(name, iso3) for name, iso3 in geo.aliases().items()]
    names += [(geo.country_name(iso3, lang), iso3) for iso3 in geo.countries() for lang in geo.LANGUAGES]
    names += list(aliases())
    for name, iso3 in names:
        for key in {search_key(name), _joined(name)}:
            if key:
                found.setdefault(key, set()).add(iso3)
    return {key: frozenset(codes) for key, codes in found.items()}


EXACT, PREFIX, WORD, CONTAINS, CLOSE = range(5)


def _match(key: str, wanted: str) -> int | None:
    """How `key` (one name) matches what was typed, best first, or None."""
    if key == wanted:
        return EXACT
    if key.startswith(wanted):
        return PREFIX
    if f" {wanted}" in f" {key}":  # a later word starts with it: « kinshasa », « ivoire »
        return WORD
    if len(wanted) > SHORT and wanted in key:
        return CONTAINS
    return None


def find(text: str, limit: int = 8, with_data: Collection[str] = (), lang: str = "fr") -> list[str]:
    """ISO3 codes matching `text`, in the order a search box lists them (Enter opens the first):

    1. a name, code or abbreviation typed whole (« Sénégal », « COD », « RDC »; « Congo » names both);
    2. names starting with it, or with a word starting with it (« Viet », « Kinshasa »);
    3. names containing it (four letters or more);
    4. nothing else matched: close spellings of a mistyped name (« Senegl »).
    Within each, countries in `with_data` first, then by name in `lang`.
    """
    wanted = search_key(text or "")
    if not wanted:
        return []
    best: dict[str, int] = {}
    for key, codes in index().items():
        how = _match(key, wanted)
        if how is None:
            continue
        for iso3 in codes:
            if how < best.get(iso3, CLOSE + 1):
                best[iso3] = how
    if not best and len(wanted) >= FUZZY_FROM:
        for key in difflib.get_close_matches(wanted, list(index()), n=limit * 3, cutoff=0.75):
            for iso3 in index()[key]:
                best.setdefault(iso3, CLOSE)
    data = set(with_data)

    def rank(iso3: str) -> tuple:
        how = best[iso3]
        tier = 1 if how in (PREFIX, WORD) else how  # a name and a later word start alike
        return tier, iso3 not in data, how, plain(geo.country_name(iso3, lang)), iso3

    return sorted(best, key=rank)[:limit]


def first(text: str, with_data: Collection[str] = (), lang: str = "fr") -> str | None:
    """The country Enter opens for `text`: the first suggestion `find` lists, or None."""
    found = find(text, 1, with_data, lang)
    return found[0] if found else None


def options(lang: str) -> list[str]:
    """Every known country's ISO3, in the alphabetical order of its name in `lang`."""
    return sorted(geo.countries(), key=lambda iso3: plain(geo.country_name(iso3, lang)))


def label(iso3: str, lang: str) -> str:
    """« République démocratique du Congo (COD) »: what the search box lists."""
    return f"{geo.country_name(iso3, lang)} ({iso3})"
