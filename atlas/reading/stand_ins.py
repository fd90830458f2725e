"""Which sums stored at import answer which query, for which filters: the one rule table.

A query « -- over: oda_page_cube » (the ODA page's charts) reads that aggregate as a table. The
aggregate can come from the rows (queries/pages/oda_page_cube.sql) or, for some filters, from a
stand-in over the summaries stored at import (queries/stand_ins/), which gives the same figures
at the cost of a lookup: tests/test_queries.py and tests/test_map_country.py check each rule's
stand-in against the rows. `frame` (atlas/reading/queries.py) asks here; pages never choose.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class StandIn:
    over: str  # the aggregate that queries « -- over: » it read
    stored: str  # the named query over stored sums that answers instead
    applies: Callable[[Mapping], bool]  # given the query's parameters
    why: str


RULES = (
    StandIn("oda_page_cube", "country_oda_cube", lambda p: "iso3" in p,
            "one country's profile ($iso3): the country summary holds its years, sectors, channels, sources"),
    StandIn("oda_page_cube", "oda_page_stored_cube", lambda p: "countries" in p and not p["countries"] and "iso3" not in p,
            "the ODA page without a country filter: the flow and map summaries know no single country"),
)


def stand_in(over: str | None, params: Mapping) -> str | None:
    """The stored stand-in for aggregate `over` under `params` (first rule that applies), or None:
    then the aggregate is computed from the rows."""
    for rule in RULES:
        if rule.over == over and rule.applies(params):
            return rule.stored
    return None
