"""The analysts' pages (ODA, agreements, missions): their queries with exact figures computed by
hand on tests/data/fixture, the findings their chart titles state, and each page in AppTest."""

from __future__ import annotations

import datetime as dt
import json
import shutil

import pytest
from streamlit.testing.v1 import AppTest

from atlas.figures import charts
from atlas.store import Database
from atlas.web import ui
from atlas.writes.versions import build

from conftest import FIXTURE_DIR, headings, plain, query_frame, query_rows, run_page

TODAY = dt.date(2026, 11, 23)
ALL_ODA = dict(year_from=2000, year_to=2030, entities=[], sectors=[], countries=[])
ALL_AGREEMENTS = dict(year_from=None, year_to=None, entities=[], countries=[], levels=[], statuses=[], search="",
                      follow_up_only=False)
ALL_MISSIONS = dict(year_from=2000, year_to=2030, organisers=[], countries=[], kinds=[])


def run(db, name, **params):
    return query_rows(db, name, params)


frame = query_frame


# --- ODA -------------------------------------------------------------------------------------


def test_oda_gni_gives_the_ratio_and_the_gap_to_0_7_percent(fixture_db):
    got = run(fixture_db, "oda_gni", year_from=2000, year_to=2030)
    assert [(r[0], r[6]) for r in got] == [(2022, False), (2023, True)]
    year, oda, gni, ratio, target, gap, _, source = got[-1]
    assert ratio == pytest.approx(0.0044)  # 2 640 000 000 / 600 000 000 000
    assert float(target) == pytest.approx(4_200_000_000)
    assert float(gap) == pytest.approx(1_560_000_000)  # 0.007 × 600 bn − 2.64 bn
    assert float(got[0][5]) == pytest.approx(1_350_000_000)  # 2022: 3.85 bn − 2.5 bn
    assert run(fixture_db, "oda_gni", year_from=2024, year_to=2030) == []


def test_oda_by_year_keeps_commitments_and_disbursements_apart(fixture_db):
    assert run(fixture_db, "oda_by_year", **ALL_ODA) == [
        (2023, "commitment", 999999.0), (2023, "disbursement", 175000.0), (2024, "disbursement", 380000.0),
    ]
    # Basic health (DAC category 122): the Kinshasa and Bujumbura rows, the reimbursement deducted.
    assert run(fixture_db, "oda_by_year", **{**ALL_ODA, "sectors": ["122"]}) == [
        (2023, "commitment", 999999.0), (2023, "disbursement", 100000.0), (2024, "disbursement", 280000.0),
    ]
    assert run(fixture_db, "oda_by_year", **{**ALL_ODA, "countries": ["SEN"]}) == [(2023, "disbursement", 50000.0)]
    assert run(fixture_db, "oda_by_year", **{**ALL_ODA, "entities": ["Wallonie"], "year_from": 2023, "year_to": 2023}) == []


def test_oda_by_sector_names_the_dac_codes_in_french(fixture_db):
    got = run(fixture_db, "oda_by_sector", **ALL_ODA)
    assert [(r[1], r[3], r[4], r[5], r[6]) for r in got] == [
        ("Infrastructures et services sociaux", "Santé de base", "12220", "Soins et services de santé de base", 380000.0),
        ("Infrastructures et services sociaux", "Infrastructure et services sociaux divers", "16061", "Culture et loisirs", 100000.0),
        ("Infrastructures et services sociaux", "Éducation de base", "11220", "Enseignement primaire", 50000.0),
        ("Destination plurisectorielle ou transversale", "Autres multi secteurs", "43010", "Aide plurisectorielle", 25000.0),
    ]
    assert got[0][7] == pytest.approx(380000 / 555000)


def test_oda_by_channel(fixture_db):
    got = run(fixture_db, "oda_by_channel", **ALL_ODA)
    assert [(r[0], r[1]) for r in got] == [("ONG", 380000.0), ("Bilatéral", 150000.0), ("Multilatéral", 25000.0)]
    assert got[2][2] == pytest.approx(25000 / 555000)


def test_priority_share_counts_a_country_priority_that_year(fixture_db):
    got = run(fixture_db, "oda_priority_share", **ALL_ODA)
    # 2023: COD 100 000 + SEN 50 000 of 175 000 (the regional 25 000 counts in the total only).
    # 2024: COD 200 000 − 20 000; BDI stopped being a priority in 2021, France never was.
    assert [(r[0], r[1], r[2]) for r in got] == [(2023, 175000.0, 150000.0), (2024, 380000.0, 180000.0)]
    assert got[0][3] == pytest.approx(150000 / 175000)
    assert got[1][3] == pytest.approx(0.4736842)  # the home page's figure, same definition
    kpis = frame(fixture_db, "overview_kpis", today=TODAY).iloc[0]
    assert got[1][3] == pytest.approx(kpis.oda_priority_eur / kpis.oda_eur)


def test_top_recipients_flag_priorities_of_the_last_year(fixture_db):
    got = run(fixture_db, "oda_top_recipients", **{**ALL_ODA, "year_to": 2024})
    assert [(r[0], r[1], r[3]) for r in got] == [
        ("COD", 280000.0, True), ("BDI", 100000.0, False), ("FRA", 100000.0, False), ("SEN", 50000.0, True),
    ]
    assert got[0][2] == pytest.approx(280000 / 555000)  # of all disbursements, unallocated included


def test_oda_sources_follow_the_filters(fixture_db):
    assert run(fixture_db, "oda_sources", **ALL_ODA) == [("fixture",), ("fixture exemple",)]
    assert run(fixture_db, "oda_sources", **{**ALL_ODA, "entities": ["Wallonie-Bruxelles International"]}) == [("fixture",)]


def test_oda_findings(fixture_db):
    gni = frame(fixture_db, "oda_gni", year_from=2000, year_to=2030)
    assert plain(charts.oda_gni(gni, "fr").layout.title.text) == (
        "L'APD de la Belgique atteint 0,44 % du RNB en 2023 (provisoire), à 1,6 Md € de l'objectif de 0,7 %"
    )
    share = frame(fixture_db, "oda_priority_share", **ALL_ODA)
    assert plain(charts.oda_priority_share(share, "fr").layout.title.text) == (
        "La part de l'APD vers les pays prioritaires recule de 86 % en 2023 à 47 % en 2024"
    )
    top = frame(fixture_db, "oda_top_recipients", **{**ALL_ODA, "year_to": 2024})
    assert plain(charts.oda_top_recipients(top, "nl").layout.title.text) == (
        "Democratische Republiek Congo op kop met 50 % van de uitbetalingen; 2 van de 4 grootste begunstigden zijn prioritair"
    )


# --- Agreements ------------------------------------------------------------------------------


def test_follow_up_flags(fixture_db):
    got = {r[0]: (r[13], r[14], r[15], r[16]) for r in run(fixture_db, "agreements_list", today=TODAY, **ALL_AGREEMENTS)}
    # A1: in force, no end, last commission 20/05/2015 (over 3 years). A2: ends 30/06/2027, within
    # 12 months of 23/11/2026, and last commission 2016. A3 expired and A4 negotiating: never flagged.
    assert got == {
        "A1": (False, True, True, TODAY),
        "A2": (True, True, True, dt.date(2027, 6, 30)),
        "A3": (False, False, False, dt.date(2021, 11, 19)),
        "A4": (False, False, False, TODAY),  # no end: the bar runs to today
    }
    earlier = {r[0]: r[13] for r in run(fixture_db, "agreements_list", today=dt.date(2026, 6, 29), **ALL_AGREEMENTS)}
    assert earlier["A2"] is False  # 30/06/2027 is more than 12 months after 29/06/2026
    follow = run(fixture_db, "agreements_list", today=TODAY, **{**ALL_AGREEMENTS, "follow_up_only": True})
    assert [r[0] for r in follow] == ["A1", "A2"]


def test_agreement_search_ignores_case_and_accents(fixture_db):
    def ids(search):
        return [r[0] for r in run(fixture_db, "agreements_list", today=TODAY, **{**ALL_AGREEMENTS, "search": search})]

    assert ids("quebec") == ["A1"]
    assert ids("SANTE") == ["A4"]
    assert ids("'; DROP TABLE agreements; --") == []
    assert run(fixture_db, "agreements_list", today=TODAY, **{**ALL_AGREEMENTS, "statuses": ["expired"]})[0][0] == "A3"


def test_agreement_counts(fixture_db):
    def counts(dimension, **extra):
        return run(fixture_db, "agreements_counts", dimension=dimension, today=TODAY, **{**ALL_AGREEMENTS, **extra})

    assert counts("sector") == [
        ("sector", "culture", "expired", 1), ("sector", "culture", "in_force", 1), ("sector", "recherche", "in_force", 1),
        ("sector", "santé", "negotiating", 1), ("sector", "éducation", "in_force", 1),
    ]
    assert counts("level") == [
        ("level", "city", "expired", 1), ("level", "city", "negotiating", 1),
        ("level", "region", "in_force", 1), ("level", "state", "in_force", 1),
    ]
    assert counts("entity", follow_up_only=True) == [("entity", "Wallonie-Bruxelles International", "in_force", 2)]


def test_agreement_findings(fixture_db):
    agreements = frame(fixture_db, "agreements_list", today=TODAY, **ALL_AGREEMENTS)
    fig = charts.agreements_gantt(agreements, "fr", TODAY)
    assert plain(fig.layout.title.text) == (
        "2 accords en vigueur, 2 à suivre — échéance dans les 12 mois : 1 ; sans commission mixte depuis 3 ans : 2"
    )
    assert "⚠ Gouvernement du Québec (1999)" in fig.data[0].y
    levels = frame(fixture_db, "agreements_counts", dimension="level", today=TODAY, **ALL_AGREEMENTS)
    assert plain(charts.agreement_counts(levels, "level", "fr").layout.title.text) == "Par niveau de partenaire : Ville en tête (2 accords)"


# --- Missions --------------------------------------------------------------------------------


def test_mission_net_cost_and_cost_per_participant(fixture_db):
    got = {r[0]: r for r in run(fixture_db, "missions_list", today=TODAY, upcoming_only=False, **ALL_MISSIONS)}
    # M1: fees left empty, so the contract's defaults: 10 SMEs × 100 € + 2 large firms × 300 €.
    assert got["M1"][12:16] == (12, 100000.0, 1600.0, 98400.0)
    assert got["M1"][16] == pytest.approx(100000 / 12)
    assert got["M3"][12:16] == (120, 80000.0, 16000.0, 64000.0)  # 100 × 100 + 20 × 300
    assert got["M2"][15:19] == (49500.0, 10000.0, True, True)  # Senegal: a priority; after 23/11/2026
    assert got["M1"][17:19] == (False, False)
    upcoming = run(fixture_db, "missions_list", today=TODAY, upcoming_only=True, **ALL_MISSIONS)
    assert [r[0] for r in upcoming] == ["M2"]


def test_missions_by_dimension(fixture_db):
    (total,) = run(fixture_db, "missions_by", dimension="total", **ALL_MISSIONS)
    assert total[2:7] == (3, 137, 230000.0, 18100.0, 211900.0)
    assert total[7] == pytest.approx(230000 / 137)
    assert [r[1:3] + r[6:7] for r in run(fixture_db, "missions_by", dimension="kind", **ALL_MISSIONS)] == [
        ("regional", 2, 147900.0), ("royal", 1, 64000.0),
    ]
    assert run(fixture_db, "missions_by", dimension="year", **{**ALL_MISSIONS, "kinds": ["royal"]}) == [
        ("year", "2025", 1, 120, 80000.0, 16000.0, 64000.0, pytest.approx(80000 / 120)),
    ]


def test_a_mission_without_participants_has_no_cost_per_participant(tmp_path):
    source = tmp_path / "data"
    shutil.copytree(FIXTURE_DIR, source)
    with open(source / "missions.csv", "a", encoding="utf-8") as f:
        f.write("M4,Mission annulée,AWEX,Wallonie,BEN,Cotonou,2026-01-10,,regional,,0,0,5000,,,fixture\n")
    db = Database(tmp_path / "atlas.duckdb")
    build(db, source)
    got = {r[0]: r for r in run(db, "missions_list", today=TODAY, upcoming_only=False, **ALL_MISSIONS)}
    assert got["M4"][12:17] == (0, 5000.0, 0.0, 5000.0, None)


def test_mission_findings(fixture_db):
    by_organiser = frame(fixture_db, "missions_by", dimension="organiser", **ALL_MISSIONS)
    assert plain(charts.mission_costs(by_organiser, "organiser", "fr").layout.title.text) == (
        "hub.brussels porte 46 % du coût public net des missions (100 000 € de coût total)"
    )


def test_mission_costs_by_year_keep_the_years_without_missions():
    import pandas as pd

    by_year = pd.DataFrame({"value": [2019, 2022], "missions": [1, 2], "participants": [10, 20],
                            "cost_eur": [1000.0, 3000.0], "fees_eur": [100.0, 300.0],
                            "net_cost_eur": [900.0, 2700.0], "cost_per_participant": [100.0, 150.0]})
    fig = charts.mission_costs(by_year, "year", "fr")
    net = fig.data[0]
    assert list(net.x) == ["2019", "2020", "2021", "2022"]
    assert list(net.y) == [900.0, 0.0, 0.0, 2700.0]


# --- Pages in AppTest ------------------------------------------------------------------------


@pytest.fixture
def app(fixture_db, monkeypatch):
    monkeypatch.setattr(ui, "today", lambda: TODAY)
    return AppTest.from_file("../app.py", default_timeout=60)


def test_oda_page_and_its_filters(app):
    run_page(app, "pages/aide-au-developpement.py")
    assert app.title[0].value == "Aide publique au développement"
    assert len(app.get("plotly_chart")) == 6
    assert headings(app)[0].startswith("L'APD de la Belgique atteint 0,44 % du RNB en 2023 (provisoire)")
    assert "Sources (2)" in [e.label for e in app.expander]
    app.multiselect(key="oda_filter_countries").set_value(["SEN"]).run()
    assert not app.exception
    assert app.query_params["pays"] == "SEN"
    assert "Les entités versent 50 000 € en 2023" in headings(app)
    # An empty selection: France received no basic education aid. Messages, not empty axes.
    app.multiselect(key="oda_filter_countries").set_value(["FRA"]).run()
    app.multiselect(key="oda_filter_sectors").set_value(["112"]).run()
    assert not app.exception
    assert len(app.get("plotly_chart")) == 1  # only Belgium's ODA/GNI, which the filters do not touch
    assert sum("Aucune donnée pour cette sélection" in i.value for i in app.info) == 1  # said once, not per chart


def test_oda_page_reopens_a_shared_link(app):
    app.query_params["entites"] = "Wallonie"
    app.query_params["annees"] = "2024-2024"
    run_page(app, "pages/aide-au-developpement.py")
    assert app.multiselect(key="oda_filter_entities").value == ["Wallonie"]
    assert "Les entités versent 380 000 € en 2024" in headings(app)


def test_oda_provenance_table_fits_a_1280_px_screen(app):
    # At 1280×800 a table in an expander is 784 px wide, at 1440 944 (measured in chromium): the
    # nine columns took 1 177 px and scrolled sideways. Their widths now add up to less (wider
    # screens stretch them), long sources wrap, and a missing analyst or currency reads blank.
    run_page(app, "pages/aide-au-developpement.py")
    table = app.dataframe[-1]
    config = json.loads(table.proto.columns)
    shown = [column for column in config if not config[column].get("hidden")]
    assert shown == ["source", "file_name", "action", "version", "imported_at", "user_name", "currencies", "rows",
                     "amount_eur"]
    assert sum(config[column]["width"] for column in shown) <= ui.EXPANDER_ROOM == 880  # 784 before ui.SCREEN_CSS
    assert table.proto.row_height > 64  # long texts wrap
    assert config["currencies"]["help"] == "Devises d'origine"  # the header is cut: its full text in a tooltip
    assert config["imported_at"]["width"] >= 110  # « 23/11/2026 23:12 » takes 100 px and does not wrap
    assert not table.value[["user_name", "currencies"]].isna().any().any()  # blank, not « None »


def test_agreements_page_search_and_follow_up(app):
    run_page(app, "pages/accords.py")
    assert app.title[0].value == "Accords de coopération"
    assert len(app.get("plotly_chart")) == 5  # the timeline and four counts
    assert len(app.dataframe) == 1 and len(app.dataframe[0].value) == 4
    app.toggle(key="agreements_filter_follow_up").set_value(True).run()
    assert app.query_params["suivi"] == "1"
    assert list(app.dataframe[0].value.partner) == ["Gouvernement du Québec", "République du Sénégal"]
    app.text_input(key="agreements_filter_search").input("Erevan").run()
    assert not app.exception
    assert len(app.dataframe) == 0 and len(app.get("plotly_chart")) == 0
    assert app.info[-1].value.startswith("Aucune donnée pour cette sélection")
    assert sum("Aucune donnée" in i.value for i in app.info) == 1  # said once, not per chart and table


def test_agreements_page_year_filter_keeps_the_agreements_running_then(app):
    # Signed by the end of the span and not ended before it: Erevan (2018–2021) is left out of
    # 2022–2026; the slider spans the years of signature and of end (1998–2027).
    app.query_params["annees"] = "2022-2026"
    run_page(app, "pages/accords.py")
    assert app.slider(key="agreements_filter_years").value == (2022, 2026)
    assert app.slider(key="agreements_filter_years").min == 1998 and app.slider(key="agreements_filter_years").max == 2027
    assert sorted(app.dataframe[0].value.partner) == ["Gouvernement du Québec", "République du Sénégal", "Ville de Kinshasa"]
    app.slider(key="agreements_filter_years").set_range(2018, 2019).run()
    assert app.query_params["annees"] == "2018-2019"
    assert "Ville d'Erevan" in list(app.dataframe[0].value.partner)
    assert "Ville de Kinshasa" not in list(app.dataframe[0].value.partner)


def columns_of(table) -> tuple[dict, list[str], list[str]]:
    """A st.dataframe's column configuration, its shown columns and its hidden ones (not the index), in order."""
    config = json.loads(table.proto.columns)
    config.pop("_index", None)  # hide_index=True
    return (config, [c for c in config if not config[c].get("hidden")], [c for c in config if config[c].get("hidden")])


def test_agreements_table_fits_a_1280_px_screen(app):
    # The fourteen columns took 2 026 px in 978 at 1440: the shown ones now add up to less than a
    # full-width table at 1280 (818 px, wider screens stretch them), long texts wrap, and four
    # columns are hidden, a click away in the table's menu (and in the downloads).
    run_page(app, "pages/accords.py")
    config, shown, hidden = columns_of(app.dataframe[0])
    assert shown == ["partner", "country", "entity", "title", "signed_on", "ends_on", "status", "budget_eur",
                     "expires_soon", "commission_overdue"]
    assert hidden == ["partner_level", "sectors", "projects", "last_commission_on"]
    assert sum(config[column]["width"] for column in shown) <= ui.TABLE_ROOM == 914  # 818 before ui.SCREEN_CSS
    assert app.dataframe[0].proto.row_height > 64  # long texts wrap
    assert config["signed_on"]["width"] >= 82  # « 14/11/2017 »: 65 px of text and 16 of padding, whole
    assert config["entity"]["width"] >= 126  # « Wallonie-Bruxelles » (109 px) is not broken
    assert config["expires_soon"]["help"] == "⚠ Échéance < 12 mois"  # the header is cut: its full text in a tooltip
    formats = {c: config[c]["type_config"].get("format") for c in config}  # unchanged
    assert formats["signed_on"] == formats["ends_on"] == formats["last_commission_on"] == "DD/MM/YYYY"
    assert formats["budget_eur"] == formats["projects"] == "localized"
    assert len(app.dataframe[0].value.columns) == 14  # every column is still there

def test_missions_page_in_dutch_with_a_kind_from_the_link(app):
    app.query_params["lang"] = "nl"
    app.query_params["types"] = "royal"
    run_page(app, "pages/missions-economiques.py")
    assert app.title[0].value == "Economische missies"
    assert app.multiselect(key="missions_filter_kinds").value == ["royal"]
    metrics = {m.label: plain(m.value) for m in app.metric}
    assert metrics["Netto overheidskosten"] == "€ 64.000"
    assert "Geen komende missies in deze selectie." in [i.value for i in app.info]
    app.multiselect(key="missions_filter_kinds").set_value([]).run()
    assert not app.exception
    assert {m.label: plain(m.value) for m in app.metric}["Netto overheidskosten"] == "€ 211.900"
    assert len(app.dataframe) == 2  # the upcoming missions and all missions


def test_the_sector_chart_draws_the_20_largest_codes_and_its_finding_counts_them_all():
    import pandas as pd

    rows = pd.DataFrame({
        "group_code": [100] * 30, "group_name": ["Infrastructures et services sociaux"] * 30,
        "category_code": [111] * 30, "category_name": ["Éducation"] * 30,
        "sector_code": [str(11110 + i) for i in range(30)], "sector_name": [f"Secteur {i}" for i in range(30)],
        "amount_eur": [float(300 - i) for i in range(30)],
    })
    rows["share"] = rows.amount_eur / rows.amount_eur.sum()
    fig = charts.oda_sectors(rows, "fr")
    assert sum(len(trace.y) for trace in fig.data) == 20
    assert list(fig.data[0].y[:2]) == ["Secteur 0", "Secteur 1"]
    assert "reçoit 100 % des versements" in plain(fig.layout.title.text)


def test_mission_tables_fit_a_1280_px_screen(app):
    # « Missions à venir » took 1 030 px and « Toutes les missions » 1 291, in 978 at 1440.
    run_page(app, "pages/missions-economiques.py")
    assert len(app.dataframe) == 2
    upcoming, everything = app.dataframe
    config, shown, hidden = columns_of(upcoming)
    assert shown == ["starts_on", "ends_on", "destination", "city", "title", "organiser", "kind", "sector"]
    assert hidden == [] and sum(config[c]["width"] for c in shown) <= ui.TABLE_ROOM
    config, shown, hidden = columns_of(everything)
    assert shown == ["starts_on", "destination", "title", "organiser", "kind", "participants_sme",
                     "participants_large", "cost_eur", "fees_eur", "net_cost_eur"]
    assert hidden == ["city", "cost_per_participant"]  # a click away in the table's menu, and in the downloads
    assert sum(config[c]["width"] for c in shown) <= ui.TABLE_ROOM
    assert config["fees_eur"]["help"] == "Frais perçus (€)"  # cut header, full text in a tooltip
    assert config["starts_on"]["type_config"]["format"] == "DD/MM/YYYY"
    assert {config[c]["type_config"]["format"] for c in shown[5:]} == {"localized"}
    assert config["destination"]["pinned"] is True
    assert upcoming.proto.row_height > 64 and everything.proto.row_height > 64
