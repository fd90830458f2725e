"""Shareable views: filters read from the URL's query parameters, validated on the way in.

A link that a decision-maker copies must reopen exactly the same view; a link that was mistyped
or tampered with must give a notice and the defaults, never an exception. Values are parsed
from text only (typed, bounded); nothing is ever unpickled or evaluated.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from atlas.words.i18n import t

SEPARATOR = "~"  # between several values: never part of a code or an entity name


class QueryState:
    """Reads typed values from a mapping of query parameters and collects French notices."""

    def __init__(self, query: Mapping[str, str], lang: str = "fr"):
        self.query = query
        self.lang = lang
        self.notices: list[str] = []

    def _reject(self, name: str, value: str) -> None:
        self.notices.append(t("params.invalid", self.lang, name=name, value=value[:60]))

    def choice(self, name: str, allowed: Sequence[str], default: str | None) -> str | None:
        value = self.query.get(name)
        if value is None:
            return default
        if value in allowed:
            return value
        self._reject(name, value)
        return default

    def many(self, name: str, allowed: Sequence[str]) -> list[str]:
        """Several values from `allowed`, in the order given; unknown ones are dropped with a notice."""
        value = self.query.get(name)
        if not value:
            return []
        chosen = [v for v in value.split(SEPARATOR) if v]
        unknown = [v for v in chosen if v not in allowed]
        if unknown:
            self._reject(name, SEPARATOR.join(unknown))
        return list(dict.fromkeys(v for v in chosen if v in allowed))

    def year_range(self, name: str, bounds: tuple[int, int]) -> tuple[int, int]:
        """`2018-2024` within bounds (inclusive); the whole span by default."""
        value = self.query.get(name)
        if value is None:
            return bounds
        parts = value.split("-")
        if len(parts) == 2 and all(p.isdigit() and len(p) == 4 for p in parts):
            start, end = int(parts[0]), int(parts[1])
            if bounds[0] <= start <= end <= bounds[1]:
                return start, end
        self._reject(name, value)
        return bounds


def encode_many(values: Sequence[str]) -> str:
    return SEPARATOR.join(values)


def encode_year_range(years: tuple[int, int]) -> str:
    return f"{years[0]}-{years[1]}"
