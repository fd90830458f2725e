"""« Depuis la dernière réunion »: what changed in the data between a reference and now.

The reference is a data version (« v3 ») or a date (the data as they stood at the end of that
day). Every dataset keeps its rows with the version that added and the one that removed them
(atlas/store/rows.py), so the state at the reference is a filter on `_rows_<dataset>`; the queries
changes_*.sql pair it with the current rows and keep only what differs, old → new.
No Streamlit here: the page, the slide and the command line share it through a query runner
`run(name, **params) -> DataFrame`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from atlas.errors import AtlasError
from atlas.geography import countries as geo
from atlas.words import fmt
from atlas.words.i18n import t

Runner = Callable[..., pd.DataFrame]


@dataclass(frozen=True)
class Reference:
    """What « last time » means: a data version, or a date (exactly one of them)."""

    version: int | None = None
    on: dt.date | None = None

    def encode(self) -> str:
        """The form kept in links and saved decks: « v3 » or « 2026-10-01 »."""
        return f"v{self.version}" if self.version is not None else self.on.isoformat()

    @staticmethod
    def parse(text: str | None) -> Reference | None:
        """« v3 » or « 2026-10-01 »; None for anything else (a mistyped link gets the default)."""
        text = (text or "").strip()
        if re.fullmatch(r"v\d{1,6}", text):
            return Reference(version=int(text[1:]))
        try:
            return Reference(on=dt.date.fromisoformat(text)) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) else None
        except ValueError:
            return None


@dataclass
class Changes:
    """The differences between the data at `reference_version` and the current data."""

    reference: Reference
    reference_version: int
    reference_at: dt.datetime | None
    current_version: int
    agreements: pd.DataFrame = field(repr=False)
    oda: pd.DataFrame = field(repr=False)
    missions: pd.DataFrame = field(repr=False)

    @property
    def new_agreements(self) -> int:
        return int((self.agreements.change == "added").sum())

    @property
    def status_changes(self) -> int:
        a = self.agreements
        return int(((a.change == "changed") & (a.old_status != a.new_status)).sum())

    @property
    def oda_revisions(self) -> int:
        return len(self.oda)

    @property
    def oda_delta_eur(self) -> float:
        return float(self.oda.delta_eur.sum()) if len(self.oda) else 0.0

    @property
    def new_missions(self) -> int:
        return int((self.missions.change == "added").sum())

    @property
    def empty(self) -> bool:
        return self.agreements.empty and self.oda.empty and self.missions.empty

    def describe_reference(self, lang: str) -> str:
        """« version 3 du 12 octobre 2026 » (or the date asked, when no version existed then)."""
        if self.reference_version == 0:
            return t("presentation.changes.reference_none", lang, date=fmt.date(self.reference.on, lang))
        return t("presentation.changes.reference_version", lang, version=self.reference_version,
                 date=fmt.date(self.reference_at, lang))

    def lines(self, lang: str) -> list[str]:
        """Every change as one sentence with its old and new values, agreements first."""
        return agreement_lines(self.agreements, lang) + oda_lines(self.oda, lang) + mission_lines(self.missions, lang)


def default_reference(run: Runner) -> Reference:
    """The version before the latest one: what the last import changed."""
    versions = run("changes_versions")
    latest = int(versions.version.max()) if len(versions) else 0
    return Reference(version=max(1, latest - 1))


def compute(run: Runner, reference: Reference, entities: list[str], countries: list[str]) -> Changes:
    """The changes since `reference` for the `entities` and `countries` (empty = all)."""
    versions = run("changes_versions")
    current = int(versions.version.max()) if len(versions) else 0
    if reference.version is not None:
        if not 1 <= reference.version <= current:
            raise AtlasError(t("presentation.changes.unknown_version", "fr", version=reference.version, last=current))
        version = reference.version
        created_at = versions.loc[versions.version == version, "created_at"].iloc[0]
    else:
        row = run("changes_reference", on=reference.on).iloc[0]
        version, created_at = int(row.version), row.created_at
    params = dict(ref=version, entities=list(entities), countries=list(countries))
    return Changes(
        reference, version, None if pd.isna(created_at) else pd.Timestamp(created_at).to_pydatetime(), current,
        agreements=run("changes_agreements", **params),
        oda=run("changes_oda", **params),
        missions=run("changes_missions", **params),
    )


def _country(iso3, lang: str) -> str:
    return geo.country_name(iso3, lang) if isinstance(iso3, str) else t("presentation.changes.regional", lang)


def _date(value, lang: str) -> str:
    return fmt.date(value, lang) if not pd.isna(value) else t("presentation.changes.no_end", lang)


def _status(value, lang: str) -> str:
    return t(f"status.{value}", lang) if isinstance(value, str) else "–"


def agreement_lines(df: pd.DataFrame, lang: str) -> list[str]:
    lines = []
    for r in df.itertuples():
        who = f"{r.partner} ({_country(r.country_iso3, lang)})"
        if r.change == "added":
            lines.append(t("presentation.changes.agreement_added", lang, who=who, title=r.title,
                           status=_status(r.new_status, lang), date=fmt.date(r.signed_on, lang)))
        elif r.change == "removed":
            lines.append(t("presentation.changes.agreement_removed", lang, who=who, title=r.title))
        else:
            if r.old_status != r.new_status:
                lines.append(t("presentation.changes.agreement_status", lang, who=who,
                               old=_status(r.old_status, lang), new=_status(r.new_status, lang)))
            if not (pd.isna(r.old_ends_on) and pd.isna(r.new_ends_on)) and r.old_ends_on != r.new_ends_on:
                lines.append(t("presentation.changes.agreement_end", lang, who=who,
                               old=_date(r.old_ends_on, lang), new=_date(r.new_ends_on, lang)))
    return lines


def _signed_money(value: float, lang: str) -> str:
    return ("+" if value > 0 else "") + fmt.money(value, lang)


def oda_lines(df: pd.DataFrame, lang: str) -> list[str]:
    return [
        t("presentation.changes.oda_line", lang, country=_country(r.country_iso3, lang), year=int(r.year),
          old=fmt.money(r.old_eur, lang), new=fmt.money(r.new_eur, lang), delta=_signed_money(r.delta_eur, lang))
        for r in df.itertuples()
    ]


def mission_lines(df: pd.DataFrame, lang: str) -> list[str]:
    lines = []
    for r in df.itertuples():
        what = f"{r.title} ({_country(r.country_iso3, lang)})"
        if r.change == "added":
            lines.append(t("presentation.changes.mission_added", lang, what=what, date=fmt.date(r.new_starts_on, lang),
                           cost=fmt.money(r.new_cost_eur, lang)))
        elif r.change == "removed":
            lines.append(t("presentation.changes.mission_removed", lang, what=what))
        else:
            parts = []
            if r.old_starts_on != r.new_starts_on:
                parts.append(t("presentation.changes.mission_dates", lang, old=fmt.date(r.old_starts_on, lang),
                               new=fmt.date(r.new_starts_on, lang)))
            if r.old_cost_eur != r.new_cost_eur:
                parts.append(t("presentation.changes.mission_cost", lang, old=fmt.money(r.old_cost_eur, lang),
                               new=fmt.money(r.new_cost_eur, lang)))
            if r.old_participants != r.new_participants:
                parts.append(t("presentation.changes.mission_participants", lang,
                               old=fmt.number(r.old_participants, lang), new=fmt.number(r.new_participants, lang)))
            lines.append(t("presentation.changes.mission_changed", lang, what=what, changes=" ; ".join(parts)))
    return lines
