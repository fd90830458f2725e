"""Every generated sentence is true of the figure under it: ties said as ties, a trend judged on
every year drawn (not on its two ends), sentences rather than « Par année : … » headings, and one
word for economic missions per language. Expected sentences are computed by hand from the frames
written here or from tests/data/fixture."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from atlas.figures import charts, slides
from atlas.store import runner
from atlas.web import ui
from atlas.words import i18n
from atlas.words.i18n import t

from conftest import plain, query_frame, run_page

TODAY = dt.date(2026, 11, 23)
ALL_MISSIONS = dict(year_from=2000, year_to=2030, organisers=[], countries=[], kinds=[])


def title(fig) -> str:
    return plain(fig.layout.title.text)


frame = query_frame


def count(v) -> str:
    return str(int(v))


# --- Ties, on the map ------------------------------------------------------------------------


def test_ten_countries_with_one_mission_each_have_no_first():
    # /carte?indicateur=missions&annees=2020-2024 on the sample: ten countries, one mission each.
    ten = pd.DataFrame({"country_iso3": ["AUS", "BRA", "CAN", "CIV", "COD", "JPN", "MAR", "RWA", "SEN", "USA"],
                        "value": [1] * 10})
    metric = t("map.metric.missions", "fr")
    assert plain(charts.map_finding(ten, metric, "2022–2024", count, "fr")) == (
        "Missions économiques (nombre), 2022–2024 : 10 pays, 1 chacun")
    assert charts.map_finding(ten, "Economic missions (number)", "2022–2024", count, "en") == (
        "Economic missions (number), 2022–2024: 10 countries, 1 each")
    assert "Australie" not in charts.map_finding(ten, metric, "2022–2024", count, "fr")


def test_countries_tied_first_are_named_together_and_a_lone_first_alone():
    tied = pd.DataFrame({"country_iso3": ["BRA", "AUS", "CAN"], "value": [2, 2, 1]})
    assert plain(charts.map_finding(tied, "Missions", "2024", count, "fr")) == (
        "Missions, 2024 : 3 pays, Australie et Brésil à égalité en tête (2 chacun)")
    assert charts.map_finding(tied, "Missies", "2024", count, "nl") == (
        "Missies, 2024: 3 landen, Australië en Brazilië samen op kop (2 elk)")
    many = pd.DataFrame({"country_iso3": ["AUS", "BRA", "CAN", "CHN", "SEN", "MAR"], "value": [3, 3, 3, 3, 3, 1]})
    assert plain(charts.map_finding(many, "Missions", "2024", count, "fr")) == (
        "Missions, 2024 : 6 pays, Australie, Brésil, Canada et 2 autres à égalité en tête (3 chacun)")
    alone = pd.DataFrame({"country_iso3": ["SEN", "COD"], "value": [50_000.0, 280_000.0]})
    assert plain(charts.map_finding(alone, "APD", "2023–2024", str, "fr")) == (
        "APD, 2023–2024 : 2 pays, République démocratique du Congo en tête (280000.0)")
    one = pd.DataFrame({"country_iso3": ["SEN"], "value": [1]})
    assert charts.map_finding(one, "Missions", "2026", count, "en") == "Missions, 2026: one country, Senegal (1)"


def test_leaders_keep_every_value_equal_to_the_largest():
    assert charts.leaders(["a", "b", "c"], [1, 3, 3]) == ["b", "c"]
    assert charts.leaders(["a", "b"], [100_000.004, 100_000.0]) == ["a", "b"]  # equal to the cent
    assert charts.leaders(["a", "b"], [float("nan"), 2]) == ["b"]
    assert charts.leaders([], []) == []


def test_tied_top_recipients_are_said_tied():
    df = pd.DataFrame({"country_iso3": ["BDI", "FRA", "SEN"], "amount_eur": [100_000.0, 100_000.0, 50_000.0],
                       "share": [0.4, 0.4, 0.2], "priority": [False, False, True]})
    assert title(charts.oda_top_recipients(df, "fr")) == (
        "Burundi et France à égalité en tête avec 40 % des versements chacun ; "
        "1 des 3 premiers bénéficiaires sont prioritaires")


# --- A trend judged on every year ------------------------------------------------------------


def test_trend_reads_the_whole_series():
    assert charts.trend([0.847, 0.882, 0.959, 0.945, 0.805, 0.771, 0.874, 0.842], 0.01) == "mixed"
    assert charts.trend([0.50, 0.495, 0.60, 0.70], 0.01) == "up"  # half a point back: still rising
    assert charts.trend([0.50, 0.45, 0.60, 0.70], 0.01) == "mixed"  # five points back: not « rises »
    assert charts.trend([0.86, 0.47], 0.01) == "down"
    assert charts.trend([0.845, 0.85, 0.848], 0.01) == "steady"


def test_a_swinging_priority_share_is_not_called_stable():
    # The sample's shares 2018–2025: 85 % and 84 % at the ends, 96 % and 77 % between.
    shares = [0.847374, 0.881771, 0.959203, 0.945192, 0.804527, 0.770561, 0.874265, 0.842213]
    df = pd.DataFrame({"year": range(2018, 2026), "priority_share": shares, "amount_eur": [1.0] * 8,
                       "priority_eur": shares})
    sentence = title(charts.oda_priority_share(df, "fr"))
    assert sentence == ("La part de l'APD vers les pays prioritaires varie entre 77 % (2023) et 96 % (2020) ; "
                        "84 % en 2025")
    assert "stable" not in sentence
    assert title(charts.oda_priority_share(df, "en")) == (
        "The share of ODA to priority countries varies between 77 % (2023) and 96 % (2020); 84 % in 2025")


def test_priority_share_steady_rising_and_flat():
    def said(values, lang="fr"):
        df = pd.DataFrame({"year": range(2020, 2020 + len(values)), "priority_share": values,
                           "amount_eur": [1.0] * len(values), "priority_eur": values})
        return title(charts.oda_priority_share(df, lang))

    assert said([0.844, 0.852, 0.848]) == (
        "La part de l'APD vers les pays prioritaires reste stable, entre 84 % et 85 %, de 2020 à 2022")
    assert said([0.801, 0.799, 0.802]) == "La part de l'APD vers les pays prioritaires reste à 80 % de 2020 à 2022"
    assert said([0.50, 0.495, 0.60, 0.70]) == (
        "La part de l'APD vers les pays prioritaires progresse de 50 % en 2020 à 70 % en 2023")


def test_priority_share_on_the_fixture(fixture_db):
    # 2023: COD 100 000 and SEN 50 000 of 175 000 (86 %); 2024: COD 180 000 of 380 000 (47 %).
    share = frame(fixture_db, "oda_priority_share", year_from=2000, year_to=2030, entities=[], sectors=[], countries=[])
    assert title(charts.oda_priority_share(share, "fr")) == (
        "La part de l'APD vers les pays prioritaires recule de 86 % en 2023 à 47 % en 2024")


def test_disbursements_by_year_judged_on_every_year():
    def said(amounts):
        df = pd.DataFrame({"year": range(2020, 2020 + len(amounts)), "flow": "disbursement", "amount_eur": amounts})
        return title(charts.oda_flows(df, "fr"))

    assert said([4_000_000.0, 10_000_000.0, 4_600_000.0]) == (
        "Les versements des entités varient entre 4 M € (2020) et 10 M € (2021) par an ; 4,6 M € en 2022")
    assert said([1_000_000.0, 2_000_000.0, 3_000_000.0]) == (
        "Les versements des entités augmentent de 1 M € en 2020 à 3 M € en 2022")
    # 3 000 000 and 2 990 000: within 2 % of each other, and both « 3 M € » once rounded.
    assert said([3_000_000.0, 2_990_000.0]) == "Les versements des entités restent à 3 M € par an de 2020 à 2021"
    assert said([10_100_000.0, 9_900_000.0]) == (  # 2 % of 10,1 M: 202 000 > 200 000 apart
        "Les versements des entités restent stables, entre 9,9 M € et 10,1 M € par an, de 2020 à 2021")


def test_disbursements_on_the_fixture(fixture_db):
    # 2023: 100 000 + 50 000 + 25 000; 2024: 200 000 + 100 000 + 100 000 - 20 000.
    flows = frame(fixture_db, "oda_by_year", year_from=2000, year_to=2030, entities=[], sectors=[], countries=[])
    assert title(charts.oda_flows(flows, "fr")) == (
        "Les versements des entités augmentent de 175 000 € en 2023 à 380 000 € en 2024")


# --- Sentences, not « Par année : » headings -------------------------------------------------


def test_mission_findings_are_sentences(fixture_db):
    # Net public cost: 2025, M3 80 000 - (100 × 100 + 20 × 300) = 64 000; 2026, M1 100 000 - 1 600
    # and M2 50 000 - 500: 147 900 € for two missions.
    by_year = frame(fixture_db, "missions_by", dimension="year", **ALL_MISSIONS)
    assert title(charts.mission_costs(by_year, "year", "fr")) == (
        "2026 est l'année la plus coûteuse : 147 900 € de coût public net pour 2 missions")
    assert title(charts.mission_costs(by_year, "year", "en")) == (
        "2026 is the costliest year: 147.900 € of net public cost for 2 missions")
    by_country = frame(fixture_db, "missions_by", dimension="country", **ALL_MISSIONS)
    # Morocco 100 000 of 230 000.
    assert title(charts.mission_costs(by_country, "country", "fr")) == (
        "La destination la plus coûteuse : Maroc, avec 43 % du coût total (100 000 €)")
    by_organiser = frame(fixture_db, "missions_by", dimension="organiser", **ALL_MISSIONS)
    assert title(charts.mission_costs(by_organiser, "organiser", "fr")) == (
        "hub.brussels porte 46 % du coût public net des missions (100 000 € de coût total)")
    for dimension, df in (("year", by_year), ("country", by_country), ("organiser", by_organiser)):
        for lang in ("fr", "nl", "en"):
            text = title(charts.mission_costs(df, dimension, lang))
            assert not text.startswith(("Par ", "Per ", "By ")), text


def test_mission_years_tied_or_costing_nothing():
    df = pd.DataFrame({"value": [2024, 2025], "missions": [1, 1], "participants": [10, 10],
                       "cost_eur": [1000.0, 1000.0], "fees_eur": [100.0, 100.0], "net_cost_eur": [900.0, 900.0],
                       "cost_per_participant": [100.0, 100.0]})
    assert title(charts.mission_costs(df, "year", "fr")) == (
        "2024 et 2025 sont à égalité les années les plus coûteuses : 900 € de coût public net chacune")
    one = df.head(1).assign(missions=1)
    assert title(charts.mission_costs(one, "year", "fr")) == (
        "2024 est l'année la plus coûteuse : 900 € de coût public net pour 1 mission")
    free = df.assign(net_cost_eur=0.0, fees_eur=1000.0)
    assert title(charts.mission_costs(free, "year", "fr")) == (
        "Les missions de la période ne coûtent rien au public une fois les frais des entreprises déduits")


def test_the_deck_missions_slide_title_is_a_sentence(fixture_db):
    run = runner(fixture_db)
    slide = slides.build_slide("missions", run, slides.resolve(slides.DeckSpec(("missions",), 2025, 2026), run, TODAY),
                               "fr", TODAY)
    assert plain(slide.title) == "2026 est l'année la plus coûteuse : 147 900 € de coût public net pour 2 missions"


def test_the_deck_map_title_says_a_tie():
    frames = {
        "slides_map_oda": pd.DataFrame({"country_iso3": ["BDI", "FRA", "SEN"], "value": [100_000.0, 100_000.0, 50_000.0]}),
        "slides_priorities": pd.DataFrame({"country_iso3": ["SEN"], "entities": ["Wallonie"], "oda_eur": [50_000.0]}),
        "slides_partners": pd.DataFrame(columns=["country_iso3", "latitude", "longitude", "partner", "title", "entity",
                                                 "status", "signed_on", "ends_on"]),
    }
    spec = slides.DeckSpec(("carte",), 2023, 2024)
    slide = slides.map_slide(lambda name, **params: frames[name], spec, "fr", TODAY)
    assert plain(slide.title) == (
        "L'APD a atteint 3 pays en 2023–2024 ; Burundi et France en reçoivent le plus, à égalité (100 000 € chacun)")


# --- One vocabulary per language -------------------------------------------------------------


def test_one_word_for_economic_missions_in_each_language():
    texts = {lang: [entry.get(lang, "") for entry in i18n.catalogue().values()] for lang in ("fr", "nl", "en")}
    assert not [x for x in texts["en"] if "trade mission" in x.casefold()]
    assert not [x for x in texts["fr"] if "mission commerciale" in x.casefold() or "missions commerciales" in x.casefold()]
    assert not [x for x in texts["nl"] if "handelsmissie" in x.casefold()]
    assert t("missions.nav", "en") == t("presentation.slide.missions", "en") == "Economic missions"


# --- The pages ----------------------------------------------------------------------------------


@pytest.fixture
def app(fixture_db, monkeypatch):
    monkeypatch.setattr(ui, "today", lambda: TODAY)
    return AppTest.from_file("../app.py", default_timeout=60)


def test_map_page_missions_say_each_country_has_one(app):
    # The fixture's missions: Morocco, Senegal (2026), China (2025), one each.
    run_page(app, "pages/carte.py", indicateur="missions")
    assert plain(app.subheader[0].value) == "Missions économiques (nombre), 2025–2026 : 3 pays, 1 chacun"
    english = run_page(AppTest.from_file("../app.py", default_timeout=60), "pages/carte.py", indicateur="missions",
                       lang="en")
    assert english.subheader[0].value == "Economic missions (number), 2025–2026: 3 countries, 1 each"


def test_tied_channels_are_said_tied():
    df = pd.DataFrame({"channel": ["ONG", "Bilatéral", "Multilatéral"], "amount_eur": [200.0, 200.0, 100.0],
                       "share": [0.4, 0.4, 0.2]})
    said = title(charts.oda_channels(df, "fr"))
    assert said.endswith(": premiers canaux d'acheminement à égalité, 40 % des versements chacun")
    assert " et " in said.split(" :")[0]  # both channels named
