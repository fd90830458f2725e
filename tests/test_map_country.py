"""« Carte » and « Fiche pays »: exact figures on tests/data/fixture, the map figure, the search,
and both pages in AppTest (metric and filters, links in and out, invalid links, empty states)."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from atlas.figures import charts, maps
from atlas.geography import search as country_search
from atlas.reading import queries as data
from atlas.web import ui

from conftest import query_rows

TODAY = dt.date(2026, 11, 23)
ALL = {"year_from": 2023, "year_to": 2026, "entities": [], "sector_groups": [], "statuses": []}


def run(db, name, **params):
    return query_rows(db, name, params)


def plain(text: str) -> str:
    return text.replace("\u202f", " ").replace("\xa0", " ")


# --- Named queries: exact figures computed by hand on tests/data/fixture --------------------


def test_map_year_bounds_are_each_metric_s_own(fixture_db):
    # One span for all metrics made the ODA slider run into the missions' years (and back).
    assert run(fixture_db, "map_year_bounds") == [("apd", 2023, 2024), ("missions", 2025, 2026), ("accords", 1998, 2027)]


def test_map_oda_sums_disbursements_with_filters(fixture_db):
    # COD: 100 000 (2023) + 200 000 - 20 000 (2024); the 999 999 commitment is left out. The
    # filter asks 2023–2026, the disbursements span 2023–2024: the title names the latter.
    assert run(fixture_db, "map_oda", year_from=2023, year_to=2026, entities=[], sector_groups=[]) == [
        ("COD", 280000.0, 2023, 2024), ("BDI", 100000.0, 2023, 2024), ("FRA", 100000.0, 2023, 2024),
        ("SEN", 50000.0, 2023, 2024),
    ]
    assert [r[:2] for r in run(fixture_db, "map_oda", year_from=2024, year_to=2024, entities=["Wallonie"], sector_groups=[])] == [
        ("COD", 180000.0), ("BDI", 100000.0), ("FRA", 100000.0),
    ]
    # 43010 (group 400) is the only multisector row, and it has no country.
    assert run(fixture_db, "map_oda", year_from=2023, year_to=2026, entities=[], sector_groups=["400"]) == []


def test_map_agreements_by_status_and_period(fixture_db):
    assert run(fixture_db, "map_agreements", year_from=2023, year_to=2026, entities=[], statuses=["in_force"]) == [
        ("CAN", 1), ("SEN", 1),
    ]
    # A3 (Erevan) ran 2018–2021: in from 2018, out from 2023.
    assert run(fixture_db, "map_agreements", year_from=2018, year_to=2026, entities=[], statuses=[]) == [
        ("ARM", 1), ("CAN", 1), ("COD", 1), ("SEN", 1),
    ]
    assert [r[0] for r in run(fixture_db, "map_agreements", year_from=2023, year_to=2026, entities=[], statuses=[])] == [
        "CAN", "COD", "SEN",
    ]


def test_map_partners_fall_back_to_the_country_point(fixture_db):
    got = {r[0]: (r[8], r[9]) for r in run(fixture_db, "map_partners", year_from=2023, year_to=2026, entities=[], statuses=[])}
    assert set(got) == {"A1", "A2", "A4"}
    lat, lon = got["A4"]  # Kinshasa's agreement has no seat: DR Congo's representative point
    assert -13 < lat < 5 and 12 < lon < 31


def test_map_missions_count_cost_and_entity(fixture_db):
    assert run(fixture_db, "map_missions", year_from=2023, year_to=2026, entities=[]) == [
        ("CHN", 1, 80000.0, 120, 2025, 2026), ("MAR", 1, 100000.0, 12, 2025, 2026), ("SEN", 1, 50000.0, 5, 2025, 2026),
    ]
    assert [r[0] for r in run(fixture_db, "map_missions", year_from=2026, year_to=2026, entities=["Wallonie"])] == ["SEN"]


def test_map_offices_follow_their_agency(fixture_db):
    assert run(fixture_db, "map_office_counts", entities=[]) == [("COD", 1), ("MAR", 1)]
    assert run(fixture_db, "map_office_counts", entities=["Région de Bruxelles-Capitale"]) == []
    # AWEX (Casablanca) and WBI (Kinshasa) both work for Wallonie.
    assert [r[0] for r in run(fixture_db, "map_offices", entities=["Wallonie"])] == ["O2", "O1"]


def test_map_priorities_during_the_period(fixture_db):
    assert run(fixture_db, "map_priorities", year_from=2023, year_to=2026, entities=[]) == [
        ("COD", "Coopération belge (fédéral) ; Wallonie-Bruxelles International"),
        ("SEN", "Coopération belge (fédéral)"),
    ]
    assert run(fixture_db, "map_priorities", year_from=2020, year_to=2021, entities=["Wallonie-Bruxelles International"]) == [
        ("BDI", "Wallonie-Bruxelles International"), ("COD", "Wallonie-Bruxelles International"),
    ]


def test_dr_congo_profile(fixture_db):
    (k,) = run(fixture_db, "country_kpis", iso3="COD", today=TODAY)
    assert k == (
        0, 1, True, 280000.0, 999999.0, 2023, 2024, 0, 0.0, 0, 1,
        "Coopération belge (fédéral) ; Wallonie-Bruxelles International",
    )
    assert [(r[0], r[1], r[2], r[4]) for r in run(fixture_db, "country_priorities", iso3="COD", today=TODAY)] == [
        ("Coopération belge (fédéral)", 2000, None, True),
        ("Wallonie-Bruxelles International", 2000, None, True),
    ]
    assert run(fixture_db, "country_oda_by_sector", iso3="COD") == [("122", "Santé de base", 999999.0, 280000.0)]
    assert run(fixture_db, "country_offices", iso3="COD") == [("O2", "Kinshasa", "WBI", "delegation", False)]
    assert run(fixture_db, "country_sources", iso3="COD") == [
        ("agreements", "fixture exemple", 1), ("oda", "fixture", 3), ("oda", "fixture exemple", 1),
        ("priority_countries", "fixture", 2),
    ]


@pytest.mark.parametrize("name", ["oda_by_year", "oda_by_sector", "oda_by_channel"])
def test_a_profile_draws_the_oda_page_charts_from_its_stored_summary_as_from_the_rows(fixture_db, name):
    every = {"year_from": 1960, "year_to": 2100, "entities": [], "sectors": []}
    for iso3 in ("COD", "SEN", "NOR"):
        from_rows = run(fixture_db, name, **every, countries=[iso3])
        assert query_rows(fixture_db, name, {"iso3": iso3}, base="country_oda_cube") == from_rows
        assert bool(from_rows) == (iso3 != "NOR")


def test_a_country_without_data_has_zeros_not_nulls(fixture_db):
    (k,) = run(fixture_db, "country_kpis", iso3="NOR", today=TODAY)
    assert k == (0, 0, False, 0.0, 0.0, 0, 0, 0, 0.0, 0, 0, None)


# --- Figure and search ----------------------------------------------------------------------


def test_map_figure_one_trace_for_every_country_in_belgian_formats(fixture_db):
    values = data.frame("map_oda", **{k: ALL[k] for k in maps.METRICS["apd"].params})
    priorities = data.frame("map_priorities", year_from=2023, year_to=2026, entities=[])
    fig = maps.choropleth_map(values, "fr", legend="APD reçue (€)", hover="APD reçue", money=True, priorities=priorities)
    countries, outline = fig.data[0], fig.data[1]
    assert len(countries.locations) == len(countries.geojson["features"]) > 150
    at = list(countries.locations).index("COD")
    assert countries.z[at] == 3  # the darkest of three classes: 50 000, 100 000 (BDI, FRA), 280 000
    assert plain(countries.customdata[at][1]) == "280 000 €"
    assert "Pays prioritaire de : Coopération belge (fédéral)" in plain(countries.customdata[at][2])
    norway = list(countries.locations).index("NOR")
    assert countries.z[norway] == 0 and countries.customdata[norway][1] == "aucune donnée"
    assert [plain(x) for x in countries.colorbar.ticktext] == ["aucune donnée", "50 000 €", "100 000 €", "280 000 €"]
    assert "une couleur par valeur" in countries.colorbar.title.text  # the legend says how colours are cut
    # The outline trace carries only the priority countries' shapes, not the world again.
    assert sorted(outline.locations) == ["COD", "SEN"] and len(outline.geojson["features"]) == 2
    nl = maps.choropleth_map(values, "nl", legend="ODA", hover="ODA", money=True)
    assert plain(nl.data[0].customdata[at][1]) == "€ 280.000"


def test_map_colours_separate_recipients_that_one_large_one_would_wash_out():
    # DR Congo's 5 M€ made every other recipient look white on a linear scale: classes of as many
    # countries each give the nine small ones four different blues, and the legend says so.
    amounts = {"COD": 5e6, "RWA": 1e5, "BDI": 8e4, "SEN": 6e4, "MAR": 5e4, "TUN": 4e4, "BEN": 3e4, "NER": 2e4, "MLI": 1e4}
    values = pd.DataFrame({"country_iso3": list(amounts), "value": list(amounts.values())})
    trace = maps.choropleth_map(values, "en", legend="ODA", hover="ODA", money=True).data[0]
    z = dict(zip(trace.locations, trace.z))
    assert len({z[c] for c in amounts if c != "COD"}) >= 4 and z["COD"] == max(trace.z) == 5
    assert z["MLI"] < z["BEN"] < z["MAR"] < z["RWA"] < z["COD"]
    assert "classes of equal country counts" in trace.colorbar.title.text
    assert len(trace.colorbar.ticktext) == 6 and trace.colorbar.ticktext[0] == "no data"


def test_a_long_agreement_title_hovers_in_two_short_lines():
    partners = pd.DataFrame([{"partner": "Région Casablanca-Settat", "title": "Accord " + "de coopération " * 12,
                              "entity": "Bruxelles", "status": "in_force", "signed_on": dt.date(2016, 5, 1),
                              "country_iso3": "MAR", "latitude": 33.6, "longitude": -7.6}])
    fig = maps.choropleth_map(pd.DataFrame(columns=["country_iso3", "value"]), "fr", legend="x", hover="x", money=False,
                              partners=partners)
    title = fig.data[-1].customdata[0][1]
    assert title.count("<br>") == 1 and all(len(line) <= 42 for line in title.split("<br>")) and title.endswith("…")


def test_country_search_in_three_languages_and_codes():
    assert country_search.find("République démocratique du Congo")[0] == "COD"
    assert country_search.find("cd") == ["COD"]
    assert country_search.find("cod") == ["COD"]
    assert country_search.find("Congo")[:2] == ["COD", "COG"]  # both Congos; DR Congo first (tests/test_search.py)
    assert country_search.find("Kongo")[:2] == ["COD", "COG"]
    assert country_search.find("Senegal") == ["SEN"]
    assert country_search.find("Verenigde Staten")[0] == "USA"
    assert country_search.find("cote d'ivoire")[0] == "CIV"  # accents optional
    assert country_search.find("") == []
    assert country_search.find("zzzzqqqq") == []


# --- Pages in AppTest ------------------------------------------------------------------------


@pytest.fixture
def app(fixture_db, monkeypatch):
    monkeypatch.setattr(ui, "today", lambda: TODAY)
    return AppTest.from_file("../app.py", default_timeout=60)


def open_map(app, **query) -> AppTest:
    # The first run goes through app.py (language switch, navigation), as a browser's would.
    for key, value in query.items():
        app.query_params[key] = value
    app.run()
    app.switch_page("pages/carte.py")
    return app.run()


def test_map_page_defaults(app):
    open_map(app)
    assert not app.exception
    assert app.title[0].value == "Carte du monde de l'action internationale"
    assert plain(app.subheader[0].value) == (
        "APD reçue (versements), 2023–2024 : 4 pays, République démocratique du Congo en tête (280 000 €)"
    )
    assert len(app.get("plotly_chart")) == 1
    assert "n'impliquent aucune prise de position officielle" in app.caption[-2].value or any(
        "prise de position officielle" in c.value for c in app.caption
    )
    assert not app.query_params.get("indicateur")


def test_map_page_switching_metric_and_filters_updates_figures_and_link(app):
    open_map(app)
    app.selectbox(key="map_metric").set_value("missions").run()
    assert not app.exception
    assert plain(app.subheader[0].value) == "Missions économiques (nombre), 2025–2026 : 3 pays, 1 chacun"  # a tie, not « Chine en tête »
    assert app.query_params["indicateur"] == "missions"
    app.multiselect(key="map_entities").select("Wallonie").run()
    assert plain(app.subheader[0].value) == "Missions économiques (nombre), 2025–2026 : 2 pays, 1 chacun"
    assert app.query_params["entites"] == "Wallonie"
    app.selectbox(key="map_metric").set_value("apd").run()
    app.slider(key="map_years").set_range(2024, 2024).run()
    assert plain(app.subheader[0].value) == (
        "APD reçue (versements), 2024 : 3 pays, République démocratique du Congo en tête (180 000 €)"
    )
    assert app.query_params["annees"] == "2024-2024"
    app.multiselect(key="map_groups").select("400").run()
    # Nothing to colour: one clear message, and the world stays drawn (countries grey, layers on).
    assert len(app.get("plotly_chart")) == 1
    assert [i.value for i in app.info if "Aucun pays n'a de donnée" in i.value] and len(app.info) == 1


def test_map_year_slider_spans_the_chosen_metric_s_years(app):
    open_map(app)
    years = app.slider(key="map_years")
    assert (years.min, years.max, years.value) == (2023, 2024, (2023, 2024))  # the ODA's years
    app.selectbox(key="map_metric").set_value("missions").run()
    years = app.slider(key="map_years")
    assert (years.min, years.max, years.value) == (2025, 2026, (2025, 2026))  # the missions', planned ones included
    assert "annees" not in app.query_params  # the whole span: the default, out of the link
    app.slider(key="map_years").set_range(2026, 2026).run()
    app.selectbox(key="map_metric").set_value("accords").run()
    years = app.slider(key="map_years")
    assert (years.min, years.max, years.value) == (1998, 2027, (2026, 2026))  # a chosen year is kept when it exists
    app.selectbox(key="map_metric").set_value("bureaux").run()
    assert not app.slider and "annees" not in app.query_params and not app.exception  # offices have no years


def test_map_page_reopens_a_shared_link_exactly(app):
    open_map(app, indicateur="accords", annees="2024-2025", statuts="tous", couches="bureaux", lang="nl")
    assert not app.exception
    assert app.title[0].value == "Wereldkaart van het internationale optreden"
    assert plain(app.subheader[0].value) == "Samenwerkingsakkoorden, 2024–2025: 3 landen, elk 1"
    assert app.selectbox(key="map_metric").value == "accords"
    assert app.multiselect(key="map_statuses").value == []
    assert app.slider(key="map_years").value == (2024, 2025)
    assert not [w for w in app.warning if "Le lien" in w.value or "De link" in w.value]
    fig = app.get("plotly_chart")[0].proto.spec
    assert '"Kantoor WBI"' in fig and '"Prioritair land"' not in fig  # only the offices layer is on


def test_map_page_invalid_link_gives_notices_and_defaults(app):
    open_map(app, indicateur="<script>", annees="2026-2020", entites="Nulle part~Wallonie", secteurs="1OO", pays="x")
    assert not app.exception
    notices = [w.value for w in app.warning if "Le lien contient" in w.value]
    assert len(notices) == 4
    assert plain(app.subheader[0].value).startswith("APD reçue (versements), 2024 : 3 pays")  # Wallonie kept; its ODA is all of 2024
    assert app.query_params["entites"] == "Wallonie"


def open_country(app, **query) -> AppTest:
    # The first run goes through app.py (language switch, navigation), as a browser's would.
    for key, value in query.items():
        app.query_params[key] = value
    app.run()
    app.switch_page("pages/fiche-pays.py")
    return app.run()


def test_country_page_dr_congo(app):
    open_country(app, pays="COD")
    assert not app.exception
    assert app.title[0].value == "République démocratique du Congo"
    assert plain(app.success[0].value) == (
        "Pays prioritaire en 2026 de : Coopération belge (fédéral) ; Wallonie-Bruxelles International."
    )
    metrics = {m.label: plain(m.value) for m in app.metric}
    assert metrics == {
        "Accords en vigueur": "0",
        "APD versée": "280 000 €",
        "APD engagée": "999 999 €",
        "Missions économiques": "0",
        "Participants aux missions": "0",
        "Bureaux sur place": "1",
    }
    # the locator, agreements timeline, ODA by year, ODA by sector, ODA by entity and year (who does what)
    charts = app.get("plotly_chart")
    assert len(charts) == 5 and charts[0].key == "country_locator"
    locator = json.loads(charts[0].proto.spec)
    assert locator["data"][1]["locations"] == ["COD"] and locator["layout"]["geo"]["projection"]["type"] == "orthographic"
    assert len(charts[0].proto.spec) < 60_000  # coarse shapes of the facing half of the world only
    assert [plain(i.value) for i in app.info] == [
        "Rien de prévu dans les 12 mois : aucun accord n'expire, aucune commission mixte n'est due, aucune mission "
        "n'est prévue.", "Aucune mission économique vers ce pays."]


def test_country_page_picking_a_country_updates_the_link(app):
    open_country(app)
    assert "Choisissez un pays" in app.info[0].value
    # What the search box does on a pick (atlas.web.country_box: typed names in tests/test_search.py
    # and the browser test): the country goes into the link, and the page runs again.
    app.query_params["pays"] = "SEN"
    app.run()
    assert not app.exception
    assert app.title[0].value == "Sénégal"
    assert app.query_params["pays"] == "SEN"


def test_country_page_without_data_and_with_an_unknown_code(app):
    open_country(app, pays="NOR")
    assert not app.exception
    assert app.info[0].value.startswith("Aucune donnée pour Norvège")
    assert [c.key for c in app.get("plotly_chart")] == ["country_locator"] and not app.metric  # where it is, no figure
    other = AppTest.from_file("../app.py", default_timeout=60)
    open_country(other, pays="ZZZ")
    assert not other.exception
    assert any("« pays » (ZZZ)" in plain(w.value) for w in other.warning)
    assert "Choisissez un pays" in other.info[0].value


def test_country_page_tables_fit_a_1280_px_screen(app):
    # At 1280×800 the page is 818 px wide, 784 inside an expander (measured in chromium): tables
    # whose columns add up to more scroll sideways and hide their last columns. Long texts wrap.
    open_country(app, pays="SEN")
    assert not app.exception
    wrapped = [table for table in app.dataframe if table.proto.row_height > 64]
    # priority history, coming up, agreements, projects, missions
    assert [list(table.value.columns)[:2] for table in wrapped] == [
        ["Entité", "Période"], ["Date", "Échéance"], ["Intitulé", "Entité"], ["Intitulé", "Entité"], ["Début", "Intitulé"]]
    for table, room in zip(wrapped, (880, 914, 914, 914, 914)):  # 784 and 818 before ui.SCREEN_CSS
        config = json.loads(table.proto.columns)
        assert sum(config[column]["width"] for column in table.value.columns) <= room
    fees = json.loads(wrapped[-1].proto.columns)["Frais payés par les entreprises"]
    assert fees["help"] == "Frais payés par les entreprises"  # the header is cut: its full text in a tooltip


@pytest.mark.parametrize("lang", ["fr", "nl", "en"])
def test_country_page_metric_labels_fit_a_1280_px_screen(app, lang):
    # At 1280 px the page is 818 px wide and columns 16 px apart; a label takes at most 7 px a
    # character (« Deelnemers aan de missies »: 158 px), a help icon 34 (measured in chromium). In
    # one row of six tiles (123 px each) « Missions économiques » was cut short even at 1440 px.
    open_country(app, pays="COD", **({} if lang == "fr" else {"lang": lang}))
    assert not app.exception
    rows = []
    for block in app.main.children.values():
        columns = list(getattr(block, "children", {}).values())
        tiles = [e for column in columns for e in getattr(column, "children", {}).values() if type(e).__name__ == "Metric"]
        if tiles:
            rows.append((len(columns), tiles))
    assert sum(len(tiles) for _, tiles in rows) == 6
    for count, tiles in rows:
        room = (818 - 16 * (count - 1)) / count
        for tile in tiles:
            assert 7 * len(tile.label) + (34 if tile.proto.help else 0) <= room, tile.label


def test_sector_and_channel_amounts_sit_past_the_bars_with_room_for_them():
    import pandas as pd

    sectors = pd.DataFrame({
        "group_code": [100, 300], "group_name": ["Infrastructures et services sociaux", "Production"],
        "category_code": [121, 311], "category_name": ["Santé", "Agriculture"],
        "sector_code": ["12110", "31120"], "sector_name": ["Politique de la santé", "Développement agricole"],
        "amount_eur": [1234567.0, 89000.0], "share": [0.9327, 0.0673],
    })
    channels = pd.DataFrame({"channel": ["ONG", None], "amount_eur": [1234567.0, 89000.0], "share": [0.9327, 0.0673]})
    for fig in (charts.oda_sectors(sectors, "fr"), charts.oda_channels(channels, "fr")):
        assert {(trace.textposition, trace.cliponaxis) for trace in fig.data} == {("outside", False)}
        assert plain(fig.data[0].text[0]) == "1 234 567 €"
        assert fig.layout.margin.r >= 7 * len("1 234 567 €")  # the longest amount fits in the margin
        # and the axis reaches past the longest bar, for the PNG export that sets its own margin
        assert fig.layout.xaxis.autorangeoptions.include[0] == pytest.approx(1234567 * 1.12)
