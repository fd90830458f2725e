"""Belgian number, money, percentage and date formats (babel), in the user's language."""

from __future__ import annotations

import datetime as dt
import math
from functools import cache, lru_cache

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_compact_decimal, format_currency, format_decimal, format_percent

LOCALES = {"fr": "fr_BE", "nl": "nl_BE", "en": "en_BE"}


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


@cache
def _euro_pattern(lang: str) -> str:
    # The locale's own currency pattern, without cents: amounts here are in whole euros.
    pattern = Locale.parse(LOCALES[lang]).currency_formats["standard"].pattern
    return pattern.replace(".00", "")


def money(value, lang: str = "fr") -> str:
    """1 234 567 € (fr), € 1.234.567 (nl)."""
    if _missing(value):
        return "–"
    return _money(round(value), lang)


@lru_cache(maxsize=65536)
def _money(euros: int, lang: str) -> str:
    # babel formats in ~0.1 ms; charts label hundreds of bars on every rerun with the same amounts.
    return format_currency(euros, "EUR", format=_euro_pattern(lang), locale=LOCALES[lang], currency_digits=False)


def money_short(value, lang: str = "fr") -> str:
    """2,6 Md € for tiles where the full figure would not fit."""
    if _missing(value):
        return "–"
    if abs(value) < 1_000_000:
        return money(value, lang)
    # The compact number where `money` puts its digits: babel's compact currency pattern puts € first
    # in English (« €4,6M ») where its full amounts put it last (« 140.910 € »).
    return money(1, lang).replace("1", format_compact_decimal(value, locale=LOCALES[lang], fraction_digits=1), 1)


def number(value, lang: str = "fr", decimals: int = 0) -> str:
    """1 234 567 (fr), 1.234.567 (nl, en in Belgium)."""
    if _missing(value):
        return "–"
    # -0.0 and 0 are one cache key, but babel writes « -0 » for -0.0: zeros are not cached.
    return (_number if value else _number.__wrapped__)(value, lang, decimals)


@lru_cache(maxsize=65536)
def _number(value, lang: str, decimals: int) -> str:
    # Cached like _money: tables and hover texts repeat the same counts on every rerun.
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=LOCALES[lang])


def percent(ratio, lang: str = "fr", decimals: int = 2) -> str:
    """0.0044 -> 0,44 %."""
    if _missing(ratio):
        return "–"
    return (_percent if ratio else _percent.__wrapped__)(ratio, lang, decimals)  # zeros: see number()


@lru_cache(maxsize=65536)
def _percent(ratio, lang: str, decimals: int) -> str:
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "") + "\u00a0%"
    return format_percent(ratio, format=pattern, locale=LOCALES[lang])


def date(value, lang: str = "fr", style: str = "long") -> str:
    """19 novembre 2018."""
    if _missing(value) or value is None:
        return "–"
    if isinstance(value, dt.datetime):
        value = value.date()
    elif not isinstance(value, dt.date):
        value = dt.date.fromisoformat(str(value)[:10])
    return _date(value, lang, style)


@lru_cache(maxsize=65536)
def _date(day: dt.date, lang: str, style: str) -> str:
    # babel takes ~0.1 ms a date; the agreements' timeline writes two per bar on every rerun.
    text = format_date(day, format=style, locale=LOCALES[lang])
    if lang == "fr" and day.day == 1 and text.startswith("1 "):
        text = "1er" + text[1:]  # French writes the first of the month as an ordinal: 1er janvier
    return text


_SIZE_UNITS = ("digital-byte", "digital-kilobyte", "digital-megabyte", "digital-gigabyte")


def file_size(size: int, lang: str = "fr") -> str:
    """A file's size in units of 1024, as the reader writes it: 11,5 ko (fr), 11,5 kB (nl, en),
    200 Mo; the same units as the upload limit (ATLAS_MAX_UPLOAD_MB megabytes of 1024 × 1024 bytes)."""
    from babel.units import format_unit

    value, unit = float(size), 0
    while round(value, 1) >= 1024 and unit < len(_SIZE_UNITS) - 1:
        value, unit = value / 1024, unit + 1
    value = round(value, 1)
    # CLDR's short English byte is « byte » whatever the count: its long form says « 512 bytes ».
    length = "long" if unit == 0 and lang == "en" else "short"
    return format_unit(value, _SIZE_UNITS[unit], length=length, format="#,##0.#", locale=LOCALES[lang])
