"""Translations: every string a user reads, in French (complete), Dutch and English.

The catalogue is the TOML files of atlas/locales/, one per area of the app, each key a table
with `fr`, `nl` and `en`. A test fails when a key lacks a language.
"""

from __future__ import annotations

import tomllib
from functools import cache
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


@cache
def catalogue() -> dict[str, dict[str, str]]:
    """key -> {language: text}, from every file of atlas/locales/."""
    entries: dict[str, dict[str, str]] = {}
    for path in sorted(LOCALES_DIR.glob("*.toml")):
        with open(path, "rb") as f:
            for key, value in _flatten(tomllib.load(f)).items():
                if key in entries:
                    raise ValueError(f"translation key {key} defined twice ({path.name})")
                entries[key] = value
    return entries


def t(key: str, lang: str = DEFAULT, **values) -> str:
    """The text of `key` in `lang`, with {placeholders} filled; French if the language lacks it."""
    entry = catalogue().get(key)
    if entry is None:
        raise KeyError(f"no translation for {key!r}")
    text = entry.get(lang) or entry[DEFAULT]
    return text.format(**values) if values else text
