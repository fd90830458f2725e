"""Find a country from what a person types: a name in French, Dutch or English, or an ISO code."""

from __future__ import annotations

import unicodedata

from atlas.geography import countries as geo


def plain(text: str) -> str:
    """Folded and without accents, so that « cote d'ivoire » finds « Côte d'Ivoire »."""
    decomposed = unicodedata.normalize("NFD", geo.fold(text))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def find(text: str, limit: int = 8) -> list[str]:
    """ISO3 codes matching `text`, best first: an exact name or code (COD, CD, « Kongo »...), then
    names starting with it, then names containing it, then close spellings of a mistyped one."""
    if not text or not text.strip():
        return []
    names = geo.aliases()
    exact = names.get(geo.fold(text))
    if exact and len(text.strip()) <= 3:
        return [exact]  # an ISO code: other names containing « cod » are noise
    wanted = plain(text)
    plain_names = [(plain(name), iso3) for name, iso3 in names.items()]
    starts = [iso3 for name, iso3 in plain_names if name.startswith(wanted)]
    contains = [iso3 for name, iso3 in plain_names if wanted in name]
    # « Congo » is the Republic of the Congo's name, and part of DR Congo's: both are offered.
    found = list(dict.fromkeys(([exact] if exact else []) + starts + contains)) or geo.suggestions(text, limit)
    return found[:limit]


def options(lang: str) -> list[str]:
    """Every known country's ISO3, in the alphabetical order of its name in `lang`."""
    return sorted(geo.countries(), key=lambda iso3: plain(geo.country_name(iso3, lang)))


def label(iso3: str, lang: str) -> str:
    """« République démocratique du Congo (COD) »: what the search box lists."""
    return f"{geo.country_name(iso3, lang)} ({iso3})"
