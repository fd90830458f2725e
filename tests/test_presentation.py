"""« Présentation »: the slides under filters, « depuis la dernière réunion » on a fixture history
(four versions with known dates), saved decks, deck links, and the page in AppTest."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from atlas import writes
from atlas.errors import AtlasError
from atlas.figures import since_last_meeting as changes
from atlas.figures import slides
from atlas.figures.since_last_meeting import Reference
from atlas.store import runner
from atlas.store.decks import Decks
from atlas.web import ui, url_state
from atlas.words import fmt
from atlas.words.i18n import t
from atlas.writes.versions import load

from conftest import rows

TODAY = dt.date(2026, 11, 23)
AGREEMENTS_HEADER = "agreement_id,title,partner,partner_level,country_iso3,entity,signed_on,ends_on,status,source\n"
MISSIONS_HEADER = "mission_id,title,organiser,entity,country_iso3,starts_on,participants_sme,participants_large,cost_eur,source\n"


def plain(text: str) -> str:
    return text.replace("\u202f", " ").replace("\xa0", " ")


@pytest.fixture
def history(fixture_db, write):
    """The fixture (version 1), then three imports: agreements (2), ODA 2024 (3), missions (4)."""
    db = fixture_db
    load(db, "agreements", write("a.csv", AGREEMENTS_HEADER
         + "A4,Accord Wallonie/Kinshasa,Ville de Kinshasa,city,COD,Wallonie,2024-01-01,,in_force,fixture\n"
         + "A2,Accord Wallonie-Bruxelles/Sénégal,République du Sénégal,state,SEN,Wallonie-Bruxelles International,1998-11-10,2029-06-30,in_force,fixture\n"
         + "A5,Accord Wallonie/Bénin,République du Bénin,state,BEN,Wallonie,2026-10-15,,negotiating,fixture\n"),
         mode="upsert")
    # ODA 2024 re-imported: COD revised (200 000 - 20 000 → 250 000), FRA unchanged, BDI withdrawn, BEN added.
    load(db, "oda", write("o.csv", "entity,year,country_iso3,flow,amount_eur,source\n"
         "Wallonie,2024,COD,disbursement,250000,fixture\n"
         "Wallonie,2024,FRA,disbursement,100000,fixture\n"
         "Wallonie,2024,BEN,disbursement,40000,fixture\n"), mode="years", force=True)
    load(db, "missions", write("m.csv", MISSIONS_HEADER
         + "M1,Mission au Maroc,hub.brussels,Région de Bruxelles-Capitale,MAR,2026-03-10,10,2,110000,fixture\n"
         + "M4,Mission au Bénin,AWEX,Wallonie,BEN,2027-02-01,8,0,60000,fixture\n"), mode="upsert")
    with db.transaction() as con:  # known dates, so that a date picks a known version
        for version, day in ((1, "2026-09-01"), (2, "2026-10-05"), (3, "2026-11-10"), (4, "2026-11-20")):
            con.execute("UPDATE _versions SET created_at = CAST($d AS TIMESTAMP) + INTERVAL 10 HOUR WHERE version = $v",
                        {"d": day, "v": version})
    return db


def test_reference_parsing():
    assert Reference.parse("v3") == Reference(version=3)
    assert Reference.parse("2026-10-31") == Reference(on=dt.date(2026, 10, 31))
    assert Reference.parse("2026-02-30") is None and Reference.parse("v") is None and Reference.parse("'; DROP") is None
    assert Reference(version=3).encode() == "v3" and Reference(on=dt.date(2026, 10, 31)).encode() == "2026-10-31"


def test_changes_since_the_first_version_are_exact(history):
    run = runner(history)
    found = changes.compute(run, Reference(version=1), [], [])
    assert (found.reference_version, found.current_version) == (1, 4)
    a = found.agreements.set_index("agreement_id")
    assert list(a.index) == ["A5", "A4", "A2"]
    assert a.loc["A5", "change"] == "added" and a.loc["A5", "new_status"] == "negotiating"
    assert (a.loc["A4", "old_status"], a.loc["A4", "new_status"]) == ("negotiating", "in_force")
    assert (str(a.loc["A2", "old_ends_on"])[:10], str(a.loc["A2", "new_ends_on"])[:10]) == ("2027-06-30", "2029-06-30")
    assert (found.new_agreements, found.status_changes) == (1, 1)
    oda = {(r.country_iso3, r.year): tuple(None if v != v else v for v in (r.old_eur, r.new_eur, r.delta_eur))
           for r in found.oda.itertuples()}
    assert oda == {("COD", 2024): (180000.0, 250000.0, 70000.0), ("BDI", 2024): (100000.0, None, -100000.0),
                   ("BEN", 2024): (None, 40000.0, 40000.0)}
    assert (found.oda_revisions, found.oda_delta_eur) == (3, 10000.0)
    m = found.missions.set_index("mission_id")
    assert list(m.index) == ["M4", "M1"] and found.new_missions == 1
    assert (m.loc["M1", "old_cost_eur"], m.loc["M1", "new_cost_eur"]) == (100000.0, 110000.0)
    lines = [plain(line) for line in found.lines("fr")]
    assert lines == [
        "Nouvel accord : République du Bénin (Bénin), « Accord Wallonie/Bénin », en négociation, signé le 15 octobre 2026",
        "Statut : Ville de Kinshasa (République démocratique du Congo) : en négociation → en vigueur",
        "Échéance : République du Sénégal (Sénégal) : 30 juin 2027 → 30 juin 2029",
        "APD Burundi 2024 : 100 000 € → – (-100 000 €)",  # largest change first
        "APD République démocratique du Congo 2024 : 180 000 € → 250 000 € (+70 000 €)",
        "APD Bénin 2024 : – → 40 000 € (+40 000 €)",
        "Nouvelle mission : Mission au Bénin (Bénin), le 1er février 2027, coût 60 000 €",
        "Mission Mission au Maroc (Maroc) : coût 100 000 € → 110 000 €",
    ]


def test_a_date_means_the_data_at_the_end_of_that_day(history):
    run = runner(history)
    found = changes.compute(run, Reference(on=dt.date(2026, 11, 10)), [], [])
    assert found.reference_version == 3  # version 3 was made that day at 10:00
    assert found.agreements.empty and found.oda.empty and found.new_missions == 1
    assert changes.compute(run, Reference(on=dt.date(2026, 10, 31)), [], []).reference_version == 2
    before = changes.compute(run, Reference(on=dt.date(2026, 8, 1)), [], [])
    assert before.reference_version == 0 and before.new_agreements == 5  # nothing existed: all is new
    assert "aucune donnée n'existait encore" in before.describe_reference("fr")


def test_changes_follow_the_filters_and_refuse_unknown_versions(history):
    run = runner(history)
    found = changes.compute(run, Reference(version=1), ["Wallonie"], ["BEN"])
    assert list(found.agreements.agreement_id) == ["A5"]
    assert list(found.oda.country_iso3) == ["BEN"] and list(found.missions.mission_id) == ["M4"]
    with pytest.raises(AtlasError, match="la version 9 n'existe pas"):
        changes.compute(run, Reference(version=9), [], [])


def test_the_changes_slide_states_counts_and_lines(history):
    run = runner(history)
    spec = slides.resolve(slides.DeckSpec(reference="v1"), run, TODAY)
    slide = slides.build_slide("depuis-derniere-reunion", run, spec, "fr", TODAY)
    assert plain(slide.title) == "Depuis la version 1 des données, du 1er septembre 2026"
    assert [(f.label, plain(f.value)) for f in slide.figures] == [
        ("Nouveaux accords", "1"), ("Statuts changés", "1"), ("APD ajoutée ou révisée (pays × année)", "3"),
        ("Missions ajoutées", "1")]
    assert plain(slide.figures[2].note) == "+10 000 €"
    assert len(slide.lines) == slides.MAX_LINES  # eight changes: they all fit
    country = slides.build_slide("depuis-derniere-reunion", run, dataclasses.replace(spec, countries=("BEN",)), "fr", TODAY)
    assert [plain(f.value) for f in country.figures] == ["1", "0", "1", "1"] and len(country.lines) == 3


def test_default_reference_is_the_version_before_the_last(history):
    assert slides.resolve(slides.DeckSpec(), runner(history), TODAY).reference == "v3"


# --- Slides on the fixture ---------------------------------------------------------------------


@pytest.fixture
def run(fixture_db):
    return runner(fixture_db)


def test_default_years_are_the_last_five_within_the_data(run):
    spec = slides.resolve(slides.DeckSpec(), run, TODAY)
    assert (spec.year_from, spec.year_to) == (2021, 2026)  # data from 1998 to 2026
    clamped = slides.resolve(slides.DeckSpec(year_from=2030, year_to=1990), run, TODAY)
    assert (clamped.year_from, clamped.year_to) == (1998, 2026)


def test_key_figures_under_filters(run):
    spec = slides.resolve(slides.DeckSpec(year_from=2023, year_to=2026), run, TODAY)
    slide = slides.build_slide("chiffres-cles", run, spec, "fr", TODAY)
    got = [(f.label, plain(f.value), plain(f.note)) for f in slide.figures]
    assert got == [
        ("Accords en vigueur", "2", "1 signés en 2023–2026"),
        ("Pays prioritaires", "2", "en 2026"),
        # 2024: 200 000 + 100 000 + 100 000 - 20 000; COD is a priority (180 000 / 380 000 = 47 %).
        ("APD versée en 2024", "380 000 €", "dont 47 % vers les pays prioritaires"),
        ("APD/RNB de la Belgique en 2023", "0,44 %", "provisoire · objectif : 0,7 %"),
        # M1 100 000 - (10×100 + 2×300), M2 50 000 - 5×100, M3 80 000 - (100×100 + 20×300): 211 900 €.
        ("Missions économiques 2023–2026", "3", "coût net : 211 900 €"),
    ]
    wallonie = slides.resolve(slides.DeckSpec(year_from=2023, year_to=2026, entities=("Wallonie",)), run, TODAY)
    figures = slides.build_slide("chiffres-cles", run, wallonie, "fr", TODAY).figures
    assert [plain(f.value) for f in figures] == ["0", "0", "380 000 €", "0,44 %", "2"]


def test_agreements_slide_lists_what_ends_within_a_year(run):
    spec = slides.resolve(slides.DeckSpec(year_from=2021, year_to=2026), run, TODAY)
    slide = slides.build_slide("accords", run, spec, "fr", TODAY)
    assert slide.title == "2 accords en vigueur, 1 signé sur la période, 1 arrive à échéance d'ici un an"
    assert [plain(line) for line in slide.lines] == ["Échéance le 30 juin 2027 : République du Sénégal (Sénégal)",
                           "En négociation depuis le 1er janvier 2024 : Ville de Kinshasa (République démocratique du Congo)"]


def test_every_slide_builds_with_its_figure_and_an_empty_selection_gives_messages(run):
    deck = slides.build_deck(run, slides.DeckSpec(year_from=2021, year_to=2026), "fr", TODAY)
    assert [s.id for s in deck.slides] == list(slides.SLIDES)
    assert [s.id for s in deck.slides if s.chart is not None] == ["carte", "apd", "pays-prioritaires", "missions"]
    assert deck.sample and plain(deck.footer).startswith("Atlas des relations internationales · données : version 1 du ")
    assert deck.sources == ["fixture", "fixture exemple"]
    nothing = slides.build_deck(run, slides.DeckSpec(("apd", "missions", "accords"), 1998, 2000), "fr", TODAY)
    no_data = t("app.no_data", "fr")
    assert [s.message for s in nothing.slides] == [no_data, no_data, ""]
    assert nothing.slides[0].chart is None and nothing.slides[1].chart is None


def test_deck_link_round_trip_and_tampered_values(run):
    opts = slides.options(run)
    spec = slides.DeckSpec(("carte", "apd"), 2022, 2024, ("Wallonie",), ("COD", "SEN"), "2026-10-01")
    query = url_state.spec_to_query(spec)
    assert query == {"diapos": "carte~apd", "annees": "2022-2024", "entites": "Wallonie", "pays": "COD~SEN",
                     "reference": "2026-10-01"}
    assert url_state.spec_from_query(query, opts) == (spec, [])
    tampered, notices = url_state.spec_from_query({"diapos": "carte~x", "annees": "1900-2024", "reference": "v1;drop"}, opts)
    assert tampered.slides == ("carte",) and tampered.reference is None
    assert (tampered.year_from, tampered.year_to) == (1998, 2026)  # the whole span, with a notice
    assert len(notices) == 3


def test_saved_deck_reopens_and_is_not_a_data_version(fixture_db, run):
    spec = slides.DeckSpec(("carte", "accords"), 2022, 2024, ("Wallonie",), (), "v1")
    assert writes.save_deck(spec, "  Comité   de décembre ", user="analyste", at=fixture_db) == "Comité de décembre"
    with pytest.raises(writes.DeckExists):  # the same name again: asked first, never overwritten silently
        writes.save_deck(spec, "Comité de décembre", user="analyste", at=fixture_db)
    assert writes.save_deck(spec, "Comité de décembre", user="analyste", replace=True, at=fixture_db) == (
        "Comité de décembre")  # replaced when asked, not doubled
    run = runner(fixture_db)
    assert Decks(fixture_db).frame().name.tolist() == ["Comité de décembre"]
    assert slides.load_deck(Decks(fixture_db).frame(), "Comité de décembre") == slides.DeckSpec(
        ("carte", "accords"), 2022, 2024, ("Wallonie",), (), "v1", "Comité de décembre")
    assert run("data_version").version.iloc[0] == 1
    with pytest.raises(AtlasError):
        slides.load_deck(Decks(fixture_db).frame(), "inconnu")
    with pytest.raises(AtlasError):
        writes.save_deck(spec, "   ", user="analyste", at=fixture_db)


# --- The page in AppTest -----------------------------------------------------------------------


@pytest.fixture
def app(fixture_db, monkeypatch):
    monkeypatch.setattr(ui, "today", lambda: TODAY)
    return AppTest.from_file("../app.py", default_timeout=90)


def open_page(app, query: dict | None = None):
    app.run()
    for key, value in (query or {}).items():
        app.query_params[key] = value
    app.switch_page("pages/presentation.py")
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def test_page_prepares_the_deck(app, fixture_db):
    open_page(app)
    assert app.title[0].value == "Présentation en comité"
    assert "Données d'exemple" in app.warning[0].value
    assert app.query_params["annees"] == "2021-2026"
    assert app.query_params["reference"] == "v1"
    ((built,),) = rows(fixture_db, "SELECT created_at FROM _versions WHERE version = 1 LIMIT 1")  # the fixture's build: today
    assert [plain(h.value) for h in app.subheader] == [f"Depuis la version 1 des données, du {plain(fmt.date(built))}"]


def test_page_projects_one_slide_and_moves_with_the_buttons(app):
    open_page(app, {"diapos": "chiffres-cles~apd", "annees": "2022-2023", "projeter": "1", "diapo": "1"})
    assert app.title[0].value == "Chiffres clés 2022–2023"
    assert len(app.metric) == 5 and not app.get("plotly_chart")
    app.button(key="slide_next").click().run()
    assert not app.exception
    assert plain(app.title[0].value).startswith("L'APD de la Belgique atteint 0,44 % du RNB en 2023")
    assert len(app.get("plotly_chart")) == 1 and app.button(key="slide_next").disabled
    app.button(key="slide_exit").click().run()
    assert app.title[0].value == "Présentation en comité" and "projeter" not in app.query_params


def test_page_opens_a_saved_deck_from_the_link(app, fixture_db):
    writes.save_deck(slides.DeckSpec(("missions",), 2025, 2026), "Comité", user="analyste", at=fixture_db)
    open_page(app, {"jeu": "Comité", "projeter": "1"})
    assert plain(app.title[0].value).startswith("2026 est l'année la plus coûteuse")  # a sentence, not « Par année : »
    open_page(app, {"jeu": "nulle part"})
    assert any("n'existe pas" in w.value for w in app.warning)
