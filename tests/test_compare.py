"""« Comparer des pays »: key figures side by side from the fixture by hand, the link kept, limits."""

from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from conftest import plain, query_rows, run_page


def test_compare_key_figures_by_hand(fixture_db):
    got = query_rows(fixture_db, "compare_kpis", {"countries": ["SEN", "COD", "NOR"], "today": dt.date(2026, 12, 6)})
    assert got == [
        # A2 in force; 50 000 paid by WBI in 2023; M2 with 5 SME; federal priority since 2010
        ("SEN", 1, 1, 50_000, 0, 1, 5, 0, "Coopération belge (fédéral)"),
        # A4 negotiating; 100 000 + 200 000 - 20 000 paid, 999 999 committed; office O2
        ("COD", 0, 1, 280_000, 999_999, 0, 0, 1, "Coopération belge (fédéral) ; Wallonie-Bruxelles International"),
        ("NOR", 0, 0, 0, 0, 0, 0, 0, None),  # no data: a row of zeros, never a missing country
    ]
    assert query_rows(fixture_db, "compare_oda_by_year", {"countries": ["SEN", "COD"]}) == [
        ("COD", 2023, 999_999, 100_000), ("COD", 2024, 0, 180_000), ("SEN", 2023, 0, 50_000)]


@pytest.fixture
def app(fixture_db):
    return AppTest.from_file("../app.py", default_timeout=60)


def test_compare_three_countries_from_a_shared_link(app):
    run_page(app, "pages/comparer.py", pays="COD~SEN~MAR")
    assert app.title[0].value == "Comparer des pays"
    assert app.multiselect(key="compare_countries").value == ["COD", "SEN", "MAR"]
    figures = app.dataframe[0].value
    assert list(figures.columns) == ["", "République démocratique du Congo", "Sénégal", "Maroc"]
    rows = {r[""]: [plain(v) for v in list(r.values())[1:]] for r in figures.to_dict("records")}
    assert rows["APD versée"] == ["280 000 €", "50 000 €", "0 €"]
    assert rows["Missions économiques"] == ["0", "1", "1"]
    assert rows["Bureaux sur place"] == ["1", "0", "1"]
    assert plain(app.subheader[0].value) == "République démocratique du Congo reçoit le plus d'aide versée : 280 000 € en tout"
    assert len(app.get("plotly_chart")) == 1
    assert app.dataframe[1].value["Pays"].tolist() == ["République démocratique du Congo", "Sénégal"]  # agreements
    assert app.dataframe[2].value["Pays"].tolist() == ["Maroc", "Sénégal"]  # missions M1, M2
    app.multiselect(key="compare_countries").unselect("MAR").run()
    assert app.query_params["pays"] == "COD~SEN"


def test_compare_needs_two_countries_and_keeps_four(app):
    run_page(app, "pages/comparer.py", pays="COD")
    assert app.info[0].value == "Choisissez de deux à quatre pays."
    other = AppTest.from_file("../app.py", default_timeout=60)
    run_page(other, "pages/comparer.py", pays="COD~SEN~MAR~CHN~FRA", lang="en")
    assert other.warning[-1].value == "Four countries at most: the others are left out."
    assert list(other.dataframe[0].value.columns)[1:] == ["Democratic Republic of the Congo", "Senegal", "Morocco", "China"]
