"""The country search: usual names and abbreviations in French, Dutch and English, countries with
data first, and one ranking for the suggestions listed and the country Enter opens
(atlas/geography/search.py, atlas/web/country_box.py; typed in Chromium in tests/test_browser_map.py)."""

from __future__ import annotations

import csv

import pytest

from atlas.geography import countries as geo
from atlas.geography import search
from atlas.web import country_box

from conftest import plain, query_rows

# The sample's countries with data include DR Congo, Viêt Nam and Côte d'Ivoire, not the Republic
# of the Congo (data/sample/): what queries/pages/countries_with_data.sql returns there.
WITH_DATA = frozenset({"COD", "CIV", "VNM", "SEN", "MAR", "NER", "NGA", "BEN", "USA", "GBR"})


@pytest.mark.parametrize("typed, first", [
    ("RDC", "COD"), ("R.D.C.", "COD"), ("rdc", "COD"), ("DRC", "COD"), ("DR Congo", "COD"), ("RD Congo", "COD"),
    ("Congo-Kinshasa", "COD"), ("congo kinshasa", "COD"), ("Kinshasa", "COD"), ("Zaïre", "COD"),
    ("Congo-Brazzaville", "COG"), ("Congo Brazza", "COG"),
    ("Ivory Coast", "CIV"), ("Côte d'Ivoire", "CIV"), ("Cote d'Ivoire", "CIV"), ("cote divoire", "CIV"),
    ("Ivoorkust", "CIV"),
    ("Viet", "VNM"), ("Viêt Nam", "VNM"), ("Vietnam", "VNM"),
    ("UK", "GBR"), ("Royaume-Uni", "GBR"), ("VS", "USA"), ("États-Unis", "USA"), ("Etats-Unis", "USA"),
    ("Verenigde Staten", "USA"), ("RCA", "CAF"), ("EAU", "ARE"),
    ("cod", "COD"), ("CD", "COD"), ("Senegal", "SEN"), ("Senegl", "SEN"),
])
def test_usual_names_and_abbreviations_open_the_right_country(typed, first):
    assert search.find(typed, with_data=WITH_DATA)[0] == first
    assert search.first(typed, WITH_DATA) == first


def test_congo_and_kongo_list_both_congos_dr_congo_first():
    for typed in ("congo", "Congo", "Kongo", "kongo"):
        assert search.find(typed, with_data=WITH_DATA)[:2] == ["COD", "COG"]
    # Even if only the Republic had data, a whole name beats a name that merely contains it:
    # « République du Congo » typed whole opens the Republic.
    assert search.find("République du Congo", with_data={"COG"})[0] == "COG"
    assert search.find("Congo", with_data={"COG"})[:2] == ["COG", "COD"]  # ambiguous: data decides


def test_countries_with_data_come_first_within_a_kind_of_match():
    # « ni » is Nicaragua's ISO code (typed whole, it comes first), then names starting with it:
    # Niger and Nigeria hold data, so they precede Niue.
    found = search.find("ni", with_data=WITH_DATA)
    assert found[0] == "NIC" and found[1:3] == ["NER", "NGA"]
    assert found.index("NGA") < found.index("NIU")
    assert search.find("Niger", with_data=WITH_DATA)[:2] == ["NER", "NGA"]  # a name typed whole wins
    assert search.find("Niger", with_data={"NGA"})[:2] == ["NER", "NGA"]


def test_nothing_found_and_no_noise_for_abbreviations():
    assert search.find("") == [] and search.find("   ") == []
    assert search.find("zzzzqqqq") == []
    # An unknown three-letter text is not « corrected » into another code (« RDC » opened La Réunion).
    assert search.find("XQZ") == []


def test_the_box_lists_what_find_returns_and_enter_opens_its_first():
    shown = country_box.shown("Kongo", "nl", WITH_DATA)
    assert [o["iso3"] for o in shown["options"]] == search.find("Kongo", country_box.LIMIT, WITH_DATA, "nl")
    assert [o["label"] for o in shown["options"]] == [
        "Democratische Republiek Congo (COD)", "Republiek Congo (COG)"]
    assert shown["label"] == "Land" and shown["status"] == "2 landen voorgesteld; Enter opent het eerste."
    # Enter with the list shown: the highlighted (first) suggestion; before the list arrived: the
    # first one find lists for the text.
    assert country_box.chosen({"iso3": shown["options"][0]["iso3"]}, "nl", WITH_DATA) == "COD"
    assert country_box.chosen({"text": "RDC"}, "fr", WITH_DATA) == "COD"
    assert country_box.chosen({"text": "Viet"}, "en", WITH_DATA) == "VNM"
    assert country_box.chosen({"text": "zzzz"}, "fr", WITH_DATA) is None
    assert country_box.chosen({"iso3": "<script>"}, "fr", WITH_DATA) is None
    assert country_box.chosen("COD", "fr", WITH_DATA) is None
    nothing = country_box.shown("zzzz", "fr", WITH_DATA)
    assert nothing["options"] == [] and plain(nothing["empty"]) == "Aucun pays ne correspond à « zzzz »."
    assert country_box.shown("x" * 500, "fr")["query"] == "x" * 100


def test_countries_with_data_come_from_the_reading_layer(fixture_db):
    # tests/data/fixture: ODA to COD, SEN, BDI, FRA; agreements, missions, offices and priorities
    # elsewhere. The Republic of the Congo has none.
    found = {r[0] for r in query_rows(fixture_db, "countries_with_data")}
    assert {"COD", "SEN", "BDI", "FRA", "MAR", "CHN", "CAN"} <= found
    assert "COG" not in found and None not in found


def test_every_alias_names_a_known_country():
    kinds = {"abbreviation", "usual", "former", "ambiguous"}
    with open(search.ALIASES_FILE, encoding="utf-8") as f:
        lines = list(csv.DictReader(f))
    assert lines and all(r["iso3"] in geo.countries() and r["lang"] in ("fr", "nl", "en") and r["kind"] in kinds
                         for r in lines)
    ambiguous = {(r["alias"], r["iso3"]) for r in lines if r["kind"] == "ambiguous"}
    assert ambiguous == {("Congo", "COD"), ("Congo", "COG"), ("Kongo", "COD"), ("Kongo", "COG")}
