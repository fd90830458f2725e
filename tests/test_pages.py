"""Each page in AppTest on the fixture database: no exception, the right title and figures."""

from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from atlas.web import ui


@pytest.fixture
def app(fixture_db, monkeypatch):
    monkeypatch.setattr(ui, "today", lambda: dt.date(2026, 11, 23))
    at = AppTest.from_file("../app.py", default_timeout=60)
    return at


def plain(text: str) -> str:
    return text.replace("\u202f", " ").replace("\xa0", " ")


def test_home_in_french(app):
    app.run()
    assert not app.exception
    assert app.title[0].value == "Vue d'ensemble de l'action internationale"
    metrics = {m.label: plain(m.value) for m in app.metric}
    assert metrics == {
        "Accords en vigueur": "2",
        "Pays prioritaires": "2",
        "APD versée en 2024": "380 000 €",
        "Part vers les pays prioritaires": "47 %",
        "APD/RNB de la Belgique en 2023 (provisoire)": "0,44 %",
        "Missions économiques en 2026": "2",
    }
    assert "Données d'exemple" in app.warning[0].value
    assert len(app.get("plotly_chart")) == 1
    # Whose agreements the tile counts, visible under the tiles.
    assert "Accords en vigueur par entité signataire : Wallonie-Bruxelles International 2." in [
        plain(c.value) for c in app.caption]


def test_home_in_dutch_from_the_link(app):
    app.query_params["lang"] = "nl"
    app.run()
    assert not app.exception
    assert app.title[0].value == "Overzicht van het internationale optreden"
    assert "Uitbetaalde ODA in 2024" in [m.label for m in app.metric]


def test_unknown_language_falls_back_to_french(app):
    app.query_params["lang"] = "xx"
    app.run()
    assert not app.exception
    assert app.title[0].value == "Vue d'ensemble de l'action internationale"


def test_a_kept_map_shows_a_new_import_at_once(app, fixture_db, write):
    """The home map is kept by its queries and the data's stamp (queries.ask), not by frames read
    on every view: an import changes the stamp, so the next view draws the new figures."""
    import json

    from atlas.writes import versions

    def rwanda_on_map() -> str:  # Rwanda's ODA as the map's hover says it
        app.run()
        assert not app.exception
        countries = json.loads(app.get("plotly_chart")[0].proto.spec)["data"][0]
        return plain(dict(zip(countries["locations"], countries["customdata"]))["RWA"][1])

    assert rwanda_on_map() == "aucune donnée"
    header = "entity,year,country_iso3,sector_code,channel,project,flow,amount_eur,source\n"
    path = write("rwanda.csv", header + "Wallonie-Bruxelles International,2024,RWA,12220,ONG,Santé Kigali,disbursement,70000,test\n")
    assert versions.load(fixture_db, "oda", path, mode="years").version
    assert rwanda_on_map() == "70 000 €"


def test_map_figures_are_kept_per_language_and_never_changed_by_a_view(app):
    """ui.figure keeps a map's figure for its inputs (the server builds it once); every view shows
    the same figure, and the other language gets its own."""
    import json

    def home_map(lang: str) -> dict:
        if app.selectbox:  # after the first run: the sidebar's language switch
            app.selectbox(key="lang").set_value(lang)
        app.run()
        assert not app.exception
        return json.loads(app.get("plotly_chart")[0].proto.spec)

    first = home_map("fr")
    assert home_map("fr") == first
    dutch = home_map("nl")
    assert dutch != first and home_map("fr") == first
    assert first["layout"]["legend"]["font"]["color"] == "#3d3d3d"  # readable once, in the kept figure
