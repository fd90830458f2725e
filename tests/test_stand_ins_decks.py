"""The rule table of stored stand-ins, and saved decks kept beside the database."""

from __future__ import annotations

import json

from atlas import writes
from atlas.figures import slides
from atlas.reading.stand_ins import stand_in
from atlas.store.decks import Decks


def test_the_rule_table_names_what_the_pages_chose_before():
    # The country profile: the country's stored summary; the ODA page without a country: the
    # flow and map summaries; with a country chosen, the rows.
    assert stand_in("oda_page_cube", {"iso3": "COD"}) == "country_oda_cube"
    page = {"year_from": 2015, "year_to": 2024, "entities": [], "sectors": []}
    assert stand_in("oda_page_cube", {**page, "countries": []}) == "oda_page_stored_cube"
    assert stand_in("oda_page_cube", {**page, "countries": ["COD"]}) is None
    assert stand_in(None, {**page, "countries": []}) is None


def test_a_saved_deck_is_a_file_beside_the_database_not_a_new_database(fixture_db):
    stamp = fixture_db.stamp()
    decks = Decks(fixture_db)
    assert decks.stamp() is None and decks.frame().empty
    writes.save_deck(slides.DeckSpec(("carte",), 2022, 2024), "Comité", user="analyste", at=fixture_db)
    assert fixture_db.stamp() == stamp  # the published database is untouched: no cache emptied
    assert decks.path == fixture_db.path.with_name("atlas.decks.json")
    saved = json.loads(decks.path.read_text(encoding="utf-8"))
    assert [(d["name"], json.loads(d["slides"]), d["user_name"]) for d in saved] == [("Comité", ["carte"], "analyste")]
    assert not list(decks.path.parent.glob(".atlas.decks.json.*"))  # no temporary file left
