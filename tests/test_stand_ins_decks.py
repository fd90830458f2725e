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


def test_decks_an_older_atlas_kept_in_the_database_are_read_then_carried_into_the_file(tmp_path):
    import duckdb

    from atlas.store import Database

    db = Database(tmp_path / "atlas.duckdb")
    con = duckdb.connect(str(db.path))
    con.execute("CREATE TABLE _decks (name VARCHAR NOT NULL, slides VARCHAR NOT NULL, filters VARCHAR NOT NULL,"
                " created_at TIMESTAMP NOT NULL, user_name VARCHAR)")
    con.execute("""INSERT INTO _decks VALUES ('Ancien', '["carte"]', '{}', TIMESTAMP '2026-11-20 10:00:00', 'marie')""")
    con.close()
    decks = Decks(db)
    assert decks.frame()["name"].tolist() == ["Ancien"]
    decks.save("Nouveau", ["oda"], {})
    saved = json.loads(decks.path.read_text(encoding="utf-8"))
    assert sorted(d["name"] for d in saved) == ["Ancien", "Nouveau"]
