"""Translations: every string a user reads, in French (complete), Dutch and English.

The catalogue is the TOML files of atlas/words/locales/, one per area of the app, each key a table
with `fr`, `nl` and `en`. A test fails when a key lacks a language.
"""

from __future__ import annotations

import re
import time
import tomllib
from functools import lru_cache
from pathlib import Path

LOCALES_DIR = Path(__file__).resolve().parent / "locales"
LANGUAGES = {"fr": "Français", "nl": "Nederlands", "en": "English"}
DEFAULT = "fr"


def _flatten(table: dict, prefix: str = "") -> dict[str, dict[str, str]]:
    entries = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and any(isinstance(v, dict) for v in value.values()):
            entries.update(_flatten(value, name + "."))
        elif isinstance(value, dict):
            entries[name] = value
    return entries


def _stamp() -> tuple:
    """The locale files' names and modification times: a deployment that edits them without
    restarting the app gets the new texts at the next rerun, never a missing key."""
    return tuple((p.name, p.stat().st_mtime_ns) for p in sorted(LOCALES_DIR.glob("*.toml")))


_seen = [float("-inf"), ()]  # [when the locale files were last looked at, their stamp]


def catalogue() -> dict[str, dict[str, str]]:
    """key -> {language: text}, from every file of atlas/words/locales/ (looked at once a second)."""
    now = time.monotonic()
    if now - _seen[0] > 1.0:
        _seen[:] = [now, _stamp()]
    return _load(_seen[1])


@lru_cache(maxsize=1)
def _load(stamp: tuple) -> dict[str, dict[str, str]]:
    entries: dict[str, dict[str, str]] = {}
    for path in sorted(LOCALES_DIR.glob("*.toml")):
        with open(path, "rb") as f:
            for key, value in _flatten(tomllib.load(f)).items():
                if key in entries:
                    raise ValueError(f"translation key {key} defined twice ({path.name})")
                entries[key] = {lang: _french(text) if lang == "fr" else text for lang, text in value.items()}
    return entries


# French sets a space before « : ; ? ! » and inside « »: a space the line must never break at
# (a chart title wrapped with « : Aide plurisectorielle » at the start of a line). Written as
# plain spaces in the catalogue, they are made non-breaking here.
_FRENCH_SPACES = re.compile(r" (?=[:;?!»])|(?<=«) ")


def _french(text: str) -> str:
    return _FRENCH_SPACES.sub("\u00a0", text)


def t(key: str, lang: str = DEFAULT, **values) -> str:
    """The text of `key` in `lang`, with {placeholders} filled; French if the language lacks it."""
    entry = catalogue().get(key)
    if entry is None:
        raise KeyError(f"no translation for {key!r}")
    text = entry.get(lang) or entry[DEFAULT]
    return text.format(**values) if values else text


def plural(key: str, count: int, lang: str = DEFAULT, **values) -> str:
    """`t` of `key_one` or `key_other`, the form the language's plural rule (CLDR, through babel)
    wants for `count`: « 0 accord » and « 1 accord » in French, « 0 agreements » in English."""
    from babel import Locale

    form = "one" if Locale.parse(lang).plural_form(abs(count)) == "one" else "other"
    return t(f"{key}_{form}", lang, **values)


def colon(lang: str) -> str:
    """« : » with the space French typography wants before it; « : » without it in Dutch and English."""
    return "\u00a0: " if lang == "fr" else ": "


# --- Terms from the data and names of reference tables in the user's language -------------------
# Appended here (not with t() above) so that this part stays one block: free text of the data
# (atlas/words/locales/terms.toml) and the _nl/_en columns of reference tables such as dac_sectors.

_TERMS: tuple = (None, {})  # (the catalogue the index was built from, its index): swapped whole


def _term_key(text: str) -> str:
    """Case, accents, apostrophes and spaces do not tell terms apart (« bilateral » = « Bilatéral »)."""
    import unicodedata

    bare = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(bare.replace("\u2019", "'").casefold().split())


def _term_index() -> dict[tuple[str, str], dict[str, str]]:
    global _TERMS
    entries, (indexed, index) = catalogue(), _TERMS
    if indexed is entries:
        return index
    index = {}  # a new catalogue (first call, or locale files edited): index it again
    terms = [(k.split(".", 2)[1:], v) for k, v in entries.items() if k.startswith("term.") and k.count(".") >= 2]
    # Keys first, then the French, Dutch and English texts: a data value equal to a key always
    # finds that entry, even where another entry's translation reads the same.
    for field in (None, "fr", "nl", "en"):
        for (kind, key), entry in terms:
            index.setdefault((kind, _term_key(key if field is None else entry[field])), entry)
    _TERMS = (entries, index)
    return index


def term(kind: str, value, lang: str = DEFAULT):
    """A term of the data (`kind` "channel"…) in `lang` when atlas/words/locales/terms.toml knows it;
    the value unchanged otherwise (an organisation's name, None, a number): never raises."""
    if not isinstance(value, str) or not value.strip():
        return value
    entry = _term_index().get((kind, _term_key(value)))
    if entry is None:
        return value
    return entry.get(lang) or entry[DEFAULT]


def term_list(kind: str, value, lang: str = DEFAULT) -> str:
    """A list of terms as the data write it (« santé|éducation », or « santé, éducation »), each
    translated by `term`, joined by commas: « health, education »; empty for no value."""
    if not isinstance(value, str):
        return ""
    return ", ".join(term(kind, part.strip(), lang) for part in re.split(r"[|,]", value) if part.strip())


def localize(frame, lang: str, *columns: str):
    """A copy of a query result whose `columns` (French, as the queries name them) hold the text
    in `lang`, from their `<column>_nl` / `<column>_en` siblings (French where a sibling is
    empty), with the siblings dropped: downloads then carry one language. Idempotent."""
    out = frame.copy()
    for column in columns:
        own = out.get(f"{column}_{lang}")
        if own is not None and column in out:
            out[column] = own.where(own.notna(), out[column])
        out = out.drop(columns=[f"{column}_{code}" for code in LANGUAGES if f"{column}_{code}" in out.columns])
    return out
