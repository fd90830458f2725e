"""The benchmark's pandas contestant (benchmarks/pandas_way.py, pandas_app.py) computes what Atlas
computes, and its Streamlit app runs: a comparison with a different sum, or a script that no
longer runs, would be a figure about nothing."""

from __future__ import annotations

import sys

import pytest
from streamlit.testing.v1 import AppTest

from atlas.reading import queries as data
from atlas.store import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
import pandas_way  # noqa: E402


@pytest.fixture
def frames(sample_db, monkeypatch):
    monkeypatch.setenv("ATLAS_DB", str(sample_db))
    return pandas_way.load(str(sample_db))


def test_pandas_map_sums_are_atlas_sums(frames):
    (by_country,) = pandas_way.map_page(frames)
    atlas = data.frame("oda_by_country", year_from=1960, year_to=2100).set_index("country_iso3").amount_eur
    assert len(by_country) == len(atlas) > 10
    assert (by_country.sort_index() - atlas.sort_index()).abs().max() < 0.01
    (wallonia,) = pandas_way.map_page(frames, entity="Wallonie")
    assert 0 < wallonia.sum() < by_country.sum()


def test_pandas_country_totals_are_atlas_totals(frames):
    disbursed, committed, first, last, by_year, by_sector = pandas_way.country(frames, iso3="COD")
    atlas = data.frame("oda_by_country", year_from=1960, year_to=2100).set_index("country_iso3").amount_eur
    assert disbursed == pytest.approx(atlas["COD"]) and disbursed > 0
    assert by_sector.sum() == pytest.approx(disbursed)
    assert first <= last


@pytest.mark.parametrize("page", sorted(pandas_way.CASES))
def test_pandas_app_runs_and_follows_its_filter(page, sample_db, monkeypatch):
    monkeypatch.setenv("ATLAS_DB", str(sample_db))
    at = AppTest.from_file(str(ROOT / "benchmarks" / "pandas_app.py"), default_timeout=120)
    at.query_params["page"] = page
    at.run()
    assert not at.exception and at.get("plotly_chart")
    if page == "country":
        at.selectbox(key="pick").set_value("SEN").run()
    elif page != "home":
        at.multiselect(key="pick").select("Wallonie").run()
    assert not at.exception and at.get("plotly_chart")
