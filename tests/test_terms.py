"""Names that come from the data or from reference tables, in the user's language: DAC sector,
category and group names (data/reference/dac_sectors.csv) and channels of delivery
(atlas/words/locales/terms.toml through i18n.term), on the ODA page and the country profile."""

from __future__ import annotations

import csv
import datetime as dt
import json

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from atlas.figures import charts
from atlas.store import ROOT, execute
from atlas.web import ui
from atlas.words.i18n import catalogue, localize, term

from conftest import headings, run_page

TODAY = dt.date(2026, 11, 23)
ALL_ODA = dict(year_from=2000, year_to=2030, entities=[], sectors=[], countries=[])
NAMES = ["name", "category_name", "group_name"]


# --- The reference table ------------------------------------------------------------------


def test_dac_sectors_have_every_name_in_every_language():
    with open(ROOT / "data" / "reference" / "dac_sectors.csv", encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        rows = list(reader)
    assert reader.fieldnames == [
        "code", "name_fr", "category_code", "category_name_fr", "group_code", "group_name_fr",
        "name_en", "category_name_en", "group_name_en", "name_nl", "category_name_nl", "group_name_nl",
    ]
    assert len(rows) == 259 and len({r["code"] for r in rows}) == 259
    assert all(r[f"{n}_{lang}"].strip() for r in rows for n in NAMES for lang in ("fr", "nl", "en"))
    # One name per category and per group in each language, 41 categories and 8 groups.
    for level, count in (("category", 41), ("group", 8)):
        for lang in ("fr", "nl", "en"):
            pairs = {(r[f"{level}_code"], r[f"{level}_name_{lang}"]) for r in rows}
            assert len(pairs) == count, (level, lang)
    by_code = {r["code"]: r for r in rows}
    assert (by_code["12220"]["name_en"], by_code["12220"]["category_name_en"], by_code["12220"]["group_name_en"]) == (
        "Basic health care", "Basic health", "Social infrastructure and services",
    )
    assert by_code["43010"]["name_en"] == "Multisector aid"
    assert by_code["12220"]["name_nl"] == "Basisgezondheidszorg"


def test_oda_by_sector_gives_the_three_languages(fixture_db):
    con = fixture_db.reader()
    try:
        got = execute(con, "oda_by_sector", ALL_ODA).df()
    finally:
        con.close()
    english = charts.sector_names(got, "en")
    assert list(english.sector_name) == ["Basic health care", "Culture and recreation", "Primary education", "Multisector aid"]
    assert list(english.columns) == [
        "group_code", "group_name", "category_code", "category_name", "sector_code", "sector_name", "amount_eur", "share",
    ]
    assert list(charts.sector_names(got, "nl").group_name)[-1] == "Multisectoraal/transversaal"
    assert list(charts.sector_names(got, "fr").sector_name)[0] == "Soins et services de santé de base"


# --- term and localize --------------------------------------------------------------------


def test_term_translates_known_channels_and_leaves_the_rest_alone():
    assert [term("channel", "Université", lang) for lang in ("fr", "nl", "en")] == ["Université", "Universiteit", "University"]
    assert term("channel", "ONG", "en") == "NGO"
    assert term("channel", "Coopération déléguée", "nl") == "Gedelegeerde samenwerking"
    # Case, accents and spaces of the free text do not matter; an English CRS name is known too.
    assert term("channel", "  bilateral ", "fr") == "Bilatéral"
    assert term("channel", "MULTILATERAL", "nl") == "Multilateraal"
    assert term("channel", "NGOs", "fr") == "ONG"
    assert term("channel", "Public Sector Institutions", "fr") == "Institutions du secteur public"
    # Unknown values, other kinds and missing values come back unchanged, never an error.
    assert term("channel", "Médecins du Monde", "en") == "Médecins du Monde"
    assert term("flavour", "Bilatéral", "en") == "Bilatéral"
    assert term("channel", None, "en") is None
    assert term("channel", "", "en") == ""
    assert term("channel", 12, "en") == 12
    # Translating twice gives the same: pages may translate a frame the chart translates again.
    assert term("channel", term("channel", "ONG", "nl"), "nl") == "Ngo"


def test_every_channel_term_is_complete():
    entries = {k: v for k, v in catalogue().items() if k.startswith("term.channel.")}
    assert len(entries) >= 30
    assert all(set(v) == {"fr", "nl", "en"} and all(x.strip() for x in v.values()) for v in entries.values())


def test_localize_falls_back_to_french_and_drops_the_siblings():
    frame = pd.DataFrame({"label": ["Santé de base", "Autre"], "label_nl": ["Basisgezondheidszorg", None],
                          "label_en": ["Basic health", None], "value": ["122", "x"]})
    english = localize(frame, "en", "label")
    assert list(english.columns) == ["label", "value"]
    assert list(english.label) == ["Basic health", "Autre"]
    assert list(localize(english, "en", "label").label) == ["Basic health", "Autre"]  # idempotent
    assert list(localize(frame, "fr", "label").label) == ["Santé de base", "Autre"]
    assert list(frame.columns) == ["label", "label_nl", "label_en", "value"]  # the cached frame is untouched


# --- Pages in AppTest ---------------------------------------------------------------------


@pytest.fixture
def app(fixture_db, monkeypatch):
    monkeypatch.setattr(ui, "today", lambda: TODAY)
    return AppTest.from_file("../app.py", default_timeout=60)


def bar_labels(app) -> set[str]:
    """Every bar label (y) and legend name of the page's figures."""
    labels = set()
    for chart in app.get("plotly_chart"):
        for trace in json.loads(chart.proto.spec)["data"]:
            labels |= {y for y in trace.get("y", []) if isinstance(y, str)} | {trace.get("name") or ""}
    return labels


def test_oda_page_in_english_names_sectors_and_channels_in_english(app):
    run_page(app, "pages/aide-au-developpement.py", lang="en")
    assert app.title[0].value == "Official development assistance"
    shown = headings(app)
    assert "“Social infrastructure and services” receives 95 % of disbursements; largest sector: Basic health care (380.000 €)" in shown
    assert "NGO: the main channel of delivery, 68 % of disbursements" in shown
    labels = bar_labels(app)
    assert {"Basic health care", "Culture and recreation", "Primary education", "Multisector aid",
            "Social infrastructure and services", "Multi-sector/cross-cutting", "NGO", "Bilateral", "Multilateral"} <= labels
    assert not labels & {"Soins et services de santé de base", "Aide plurisectorielle", "ONG", "Bilatéral"}
    # The sector filter offers English names, sorted in English; its values stay the DAC codes.
    sectors = app.multiselect(key="oda_filter_sectors")
    assert list(sectors.options) == ["Basic education", "Basic health", "Other multisector",
                                     "Other social infrastructure and services"]
    sectors.set_value(["122"]).run()
    assert not app.exception
    assert app.query_params["secteurs"] == "122"
    assert "NGO: the main channel of delivery, 100 % of disbursements" in headings(app)


def test_oda_page_in_dutch(app):
    run_page(app, "pages/aide-au-developpement.py", lang="nl")
    shown = headings(app)
    assert any(h.startswith("“Sociale infrastructuur en diensten” ontvangt 95 %") and "Basisgezondheidszorg" in h
               for h in shown)
    assert "Ngo: belangrijkste kanaal, 68 % van de uitbetalingen" in shown
    assert {"Bilateraal", "Multilateraal", "Multisectorale hulp"} <= bar_labels(app)


def test_country_profile_in_english_names_its_sectors_in_english(app):
    run_page(app, "pages/fiche-pays.py", lang="en", pays="COD")
    assert any("Basic health care" in h for h in headings(app))
    assert "Basic health care" in bar_labels(app) and "Soins et services de santé de base" not in bar_labels(app)
    (table,) = [d.value for d in app.dataframe if "DAC sector" in d.value.columns]
    assert list(table["DAC sector"]) == ["Basic health"]


def test_country_profile_in_french_is_unchanged(app):
    run_page(app, "pages/fiche-pays.py", pays="COD")
    (table,) = [d.value for d in app.dataframe if "Secteur CAD" in d.value.columns]
    assert list(table["Secteur CAD"]) == ["Santé de base"]
    assert "Soins et services de santé de base" in bar_labels(app)


def test_term_list_translates_each_word_of_a_sector_list():
    from atlas.words.i18n import term_list

    assert term_list("sector", "santé|éducation", "en") == "health, education"
    assert term_list("sector", "Santé, jeunesse|tourisme spatial", "nl") == "gezondheid, jeugd, tourisme spatial"
    assert term_list("sector", "santé|éducation", "fr") == "santé, éducation"
    assert term_list("sector", None, "en") == ""


def test_sector_lists_of_agreements_and_priorities_in_english(app):
    run_page(app, "pages/fiche-pays.py", lang="en", pays="COD")
    (priorities,) = [d.value for d in app.dataframe if "Sectors" in d.value.columns]
    assert set(priorities["Sectors"]) == {"", "health"}  # one programme without sectors
    app.switch_page("pages/accords.py").run()
    assert not app.exception
    (table,) = [d.value for d in app.dataframe if "sectors" in d.value.columns]
    assert set(table["sectors"]) == {"health"}  # the link's country (COD) carried over: Kinshasa's « santé »
