"""Exports neutralise formulas and name countries; query parameters are validated."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd

from atlas.exports import spreadsheets as export
from atlas.web.url_state import QueryState


def test_exports_name_countries_keep_numbers_and_neutralise_formulas():
    df = pd.DataFrame({"country_iso3": ["COD", None], "project": ["=HYPERLINK(\"x\")", "@SUM(A1)"], "amount_eur": [-20000.5, 3.0]})
    out = export.prepare(df)
    assert list(out.columns) == ["country_iso3", "country_name", "project", "amount_eur"]
    assert out["country_name"].tolist()[0] == "République démocratique du Congo"
    assert out["project"].tolist() == ["'=HYPERLINK(\"x\")", "'@SUM(A1)"]
    assert out["amount_eur"].tolist() == [-20000.5, 3.0]
    csv_text = export.to_csv(df).decode("utf-8-sig")
    assert csv_text.splitlines()[1] == 'COD;République démocratique du Congo;"\'=HYPERLINK(""x"")";-20000,5'
    sheet = openpyxl.load_workbook(io.BytesIO(export.to_excel(df))).active
    assert [c.value for c in sheet[2]] == ["COD", "République démocratique du Congo", "'=HYPERLINK(\"x\")", -20000.5]


def test_query_state_validates_and_reports():
    state = QueryState({"metrique": "oda", "annees": "2019-2022", "entites": "WBI~Inconnue", "pays": "ZZZ"})
    assert state.choice("metrique", ["oda", "agreements"], "agreements") == "oda"
    assert state.year_range("annees", (2018, 2025)) == (2019, 2022)
    assert state.many("entites", ["WBI", "Wallonie"]) == ["WBI"]
    assert state.choice("pays", ["COD"], None) is None
    assert len(state.notices) == 2


def test_malformed_year_ranges_fall_back_to_bounds():
    for bad in ["2024-2019", "1990-2020", "abcd-2020", "2020", "2020-2021-2022", "DROP TABLE"]:
        state = QueryState({"annees": bad})
        assert state.year_range("annees", (2018, 2025)) == (2018, 2025)
        assert len(state.notices) == 1
