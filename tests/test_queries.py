"""Named queries, with exact figures computed by hand on tests/data/fixture."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from atlas.store import ROOT, sql

from conftest import query_rows, rows

TODAY = dt.date(2026, 11, 23)


def run(db, name, **params):
    return query_rows(db, name, params)


def test_overview_kpis(fixture_db):
    (k,) = rows(fixture_db, f"SELECT * FROM ({sql('overview_kpis')})", {"today": TODAY})
    (
        in_force, countries, priorities, oda_year, oda_eur, oda_priority_eur,
        nat_year, nat_oda, nat_gni, preliminary, nat_source, missions_year, missions, cost,
    ) = k
    assert (in_force, countries, priorities) == (2, 2, 2)  # A1 CAN, A2 SEN; COD and SEN now
    # 2024 disbursements: 200 000 + 100 000 + 100 000 - 20 000; priority then: COD only (BDI ended 2021).
    assert (oda_year, oda_eur, oda_priority_eur) == (2024, 380000.0, 180000.0)
    assert oda_priority_eur / oda_eur == pytest.approx(0.4736842)
    assert (nat_year, preliminary, nat_source) == (2023, True, "fixture")
    assert nat_oda / nat_gni == pytest.approx(0.0044)
    assert 0.007 * nat_gni - nat_oda == pytest.approx(1_560_000_000)
    assert (missions_year, missions, cost) == (2026, 2, 150000.0)


def test_oda_by_country_sums_disbursements_only(fixture_db):
    assert sorted(run(fixture_db, "oda_by_country", year_from=2023, year_to=2024)) == [
        ("BDI", 100000.0), ("COD", 280000.0), ("FRA", 100000.0), ("SEN", 50000.0),
    ]
    assert sorted(run(fixture_db, "oda_by_country", year_from=2023, year_to=2023)) == [("COD", 100000.0), ("SEN", 50000.0)]


def test_priority_countries_now(fixture_db):
    assert run(fixture_db, "priority_countries_now", today=TODAY) == [
        ("COD", "Coopération belge (fédéral) ; Wallonie-Bruxelles International"),
        ("SEN", "Coopération belge (fédéral)"),
    ]
    assert [r[0] for r in run(fixture_db, "priority_countries_now", today=dt.date(2020, 1, 1))] == ["BDI", "COD", "SEN"]


def test_agreement_partners_fall_back_to_the_country_point(fixture_db):
    got = {r[0]: (r[8], r[9]) for r in run(fixture_db, "agreement_partners")}
    assert got["A1"] == (46.813, -71.208)
    lat, lon = got["A4"]  # no seat given: DR Congo's representative point
    assert -13 < lat < 5 and 12 < lon < 31


def test_sample_rows_counts_illustrative_sources(fixture_db):
    assert run(fixture_db, "sample_rows") == [(2,)]


ODA_PAGE_CHARTS = ["oda_by_year", "oda_by_sector", "oda_by_channel", "oda_priority_share", "oda_top_recipients", "oda_sources"]


@pytest.mark.parametrize("filters", [
    {"year_from": 1960, "year_to": 2100, "entities": [], "sectors": []},
    {"year_from": 2018, "year_to": 2022, "entities": ["Wallonie-Bruxelles International"], "sectors": ["122", "151"]},
    {"year_from": 2020, "year_to": 2024, "entities": ["Wallonie", "Région de Bruxelles-Capitale"], "sectors": ["311", "430"]},
])
def test_the_oda_page_charts_read_the_stored_sums_as_the_rows(sample_db, filters):
    """Without a country filter the ODA page's charts read sums stored at import
    (oda_page_stored_cube) instead of the rows (oda_page_cube): the same figures, on the sample."""
    from atlas.store import Database

    db, params = Database(sample_db), {**filters, "countries": []}
    results = {name: query_rows(db, name, params) for name in ODA_PAGE_CHARTS}
    assert all(results.values())  # every chart has something to compare
    assert {name: query_rows(db, name, params, base="oda_page_stored_cube") for name in ODA_PAGE_CHARTS} == results
    # Those sums know no country: with one chosen, the stand-in is empty and the page reads the rows.
    assert query_rows(db, "oda_page_stored_cube", {**filters, "countries": ["COD"]}) == []


def test_queries_take_the_year_of_a_column_with_date_part():
    # DuckDB 2.0 spends 3-5 ms more planning a filter on year(column) than on date_part('year',
    # column), the same function: 25 ms of the missions page's run. year($today) costs nothing.
    for path in sorted((ROOT / "queries").rglob("*.sql")):
        code = "\n".join(line for line in path.read_text(encoding="utf-8").splitlines() if not line.lstrip().startswith("--"))
        assert not re.search(r"(?<![\w$])year\((?!\$)", code), path.name
