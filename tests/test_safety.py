"""Shared state and safety: saving a deck needs the analyst role, records its author and asks
before replacing one; restoring a version shows what it would change, then asks; the guard
against mass deletion offers the page's own confirmation (not the command line's --force)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from streamlit.testing.v1 import AppTest

from atlas import writes
from atlas.errors import AtlasError
from atlas.figures import slides
from atlas.store import Change
from atlas.store.decks import Decks
from atlas.web import login as auth
from atlas.web import ui
from atlas.writes import versions

from conftest import plain, rows

TODAY = dt.date(2026, 11, 23)
MISSIONS = "mission_id,title,organiser,entity,country_iso3,starts_on,cost_eur\n"
# M1's cost 100 000 -> 120 000 and its city emptied (not in the file); M4 added.
UPSERT = MISSIONS + "M1,Mission au Maroc,hub.brussels,Région de Bruxelles-Capitale,MAR,2026-03-10,120000\n" \
                    "M4,Nouvelle,AWEX,Wallonie,SEN,2027-01-10,5\n"
DECK = slides.DeckSpec(("carte", "apd"), 2022, 2024)


# --- Decks: the door -----------------------------------------------------------------------------


def test_saving_a_deck_needs_an_analyst_and_records_the_author(fixture_db):
    for nobody in (None, "", "   "):
        with pytest.raises(AtlasError, match="rôle d'analyste"):
            writes.save_deck(DECK, "Comité", user=nobody, at=fixture_db)
    assert Decks(fixture_db).frame().empty  # nothing written
    assert writes.save_deck(DECK, "Comité", user="Marie Dupont", at=fixture_db) == "Comité"
    saved = Decks(fixture_db).frame()
    assert saved[["name", "user_name"]].values.tolist() == [["Comité", "Marie Dupont"]]


def test_a_deck_of_the_same_name_is_replaced_only_when_asked(fixture_db):
    writes.save_deck(DECK, "Comité", user="Marie Dupont", at=fixture_db)
    before = Decks(fixture_db).path.read_bytes()
    with pytest.raises(writes.DeckExists) as asked:
        writes.save_deck(slides.DeckSpec(("missions",), 2025, 2026), " Comité ", user="Jean Martin", at=fixture_db)
    assert (asked.value.name, asked.value.user_name) == ("Comité", "Marie Dupont")
    assert asked.value.created_at.startswith(str(dt.date.today().year))
    assert "Marie Dupont" in asked.value.message
    assert Decks(fixture_db).path.read_bytes() == before  # not a byte changed
    writes.save_deck(slides.DeckSpec(("missions",), 2025, 2026), "Comité", user="Jean Martin", replace=True,
                     at=fixture_db)
    saved = Decks(fixture_db).frame()
    assert saved[["name", "user_name"]].values.tolist() == [["Comité", "Jean Martin"]]  # replaced, not doubled
    assert slides.load_deck(saved, "Comité").slides == ("missions",)


# --- Decks: the page ----------------------------------------------------------------------------


@pytest.fixture
def app(fixture_db, monkeypatch):
    monkeypatch.setattr(ui, "today", lambda: TODAY)
    return AppTest.from_file("../app.py", default_timeout=90)


def open_presentation(app, user: str | None = None):
    if user:
        app.session_state[auth.SESSION_KEY] = user  # what the login form of « Données » sets
    app.run()
    app.switch_page("pages/presentation.py")
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def save_form(app, name: str):
    field = next(f for f in app.text_input if f.label == "Nom du jeu")
    field.set_value(name)
    next(b for b in app.button if b.label == "Enregistrer ce jeu").click()
    app.run()
    assert not app.exception, [e.value for e in app.exception]


def test_without_the_analyst_role_the_page_offers_no_save(app, fixture_db):
    open_presentation(app)
    assert not [f for f in app.text_input if f.label == "Nom du jeu"]
    assert any("demande le rôle d'analyste" in i.value for i in app.info)
    assert Decks(fixture_db).frame().empty


def test_the_page_saves_as_the_analyst_and_asks_before_replacing(app, fixture_db):
    writes.save_deck(DECK, "Comité", user="Jean Martin", at=fixture_db)
    open_presentation(app, "Marie Dupont")
    save_form(app, "Décembre")
    assert any(plain(s.value) == "Jeu « Décembre » enregistré au nom de Marie Dupont : le lien de cette page le rouvre."
               for s in app.success)
    assert app.query_params["jeu"] == "Décembre"
    # The same name as Jean's deck: asked, nothing written until answered.
    before = Decks(fixture_db).path.read_bytes()
    save_form(app, "Comité")
    question = next(w.value for w in app.warning if "existe déjà" in w.value)
    assert "enregistré par Jean Martin le" in plain(question)
    assert Decks(fixture_db).path.read_bytes() == before
    app.button(key="pres_replace_no").click().run()
    assert not [w for w in app.warning if "existe déjà" in w.value]
    assert Decks(fixture_db).frame().set_index("name").loc["Comité", "user_name"] == "Jean Martin"
    save_form(app, "Comité")
    app.button(key="pres_replace_yes").click().run()
    assert not app.exception
    decks = Decks(fixture_db).frame().set_index("name")
    assert decks.loc["Comité", "user_name"] == "Marie Dupont" and sorted(decks.index) == ["Comité", "Décembre"]
    assert any("enregistré au nom de Marie Dupont" in plain(s.value) for s in app.success)
    # The list of saved decks says who saved each.
    options = app.selectbox(key="pres_open").options
    assert any(o.startswith("Comité — Marie Dupont, ") for o in options)


# --- Restore: shown, then confirmed -------------------------------------------------------------


def test_a_restore_preview_says_what_the_restore_then_does(fixture_db, write):
    versions.load(fixture_db, "missions", write("m.csv", UPSERT), mode="upsert", user="Jean")
    stamp = fixture_db.stamp()
    preview = writes.preview_rollback(1, at=fixture_db)
    assert fixture_db.stamp() == stamp  # nothing written
    assert (preview.version, preview.base_version) == (1, 2)
    missions = preview.diffs["missions"]
    assert missions.change == Change(added=0, changed=1, removed=1)  # M1 back to 100 000, M4 gone
    cells = {(c["key"], c["column"]): (c["old"], c["new"]) for c in missions.cells}
    assert cells[("M1", "cost_eur")] == (120000.0, 100000.0)
    assert cells[("M1", "city")] == (None, "Casablanca")
    assert missions.removed["mission_id"].tolist() == ["M4"]
    assert preview.total == 2 and all(d.change.total == 0 for n, d in preview.diffs.items() if n != "missions")
    new, changes = writes.rollback(1, user="Marie", base_version=preview.base_version, at=fixture_db)
    assert new == 3 and changes["missions"] == missions.change
    assert writes.preview_rollback(3, at=fixture_db).total == 0  # restoring what is published changes nothing
    with pytest.raises(AtlasError, match="n'existe pas"):
        writes.preview_rollback(9, at=fixture_db)


def test_a_restore_confirmed_after_another_import_restores_nothing(fixture_db, write):
    versions.load(fixture_db, "missions", write("m.csv", UPSERT), mode="upsert")
    preview = writes.preview_rollback(1, at=fixture_db)
    versions.load(fixture_db, "oda", write("o.csv", "entity,year,amount_eur\nWBI,2030,7\n"), mode="years")
    with pytest.raises(versions.Stale, match="version 3 au lieu de 2"):
        writes.rollback(1, user="Marie", base_version=preview.base_version, at=fixture_db)
    assert rows(fixture_db, "SELECT max(version) FROM _versions") == [(3,)]


@pytest.fixture
def data_page(fixture_db, monkeypatch):
    monkeypatch.setattr(ui, "today", lambda: TODAY)
    monkeypatch.setenv("ATLAS_ANALYSTS", json.dumps({}))
    at = AppTest.from_file("../app.py", default_timeout=60)
    at.session_state[auth.SESSION_KEY] = "Marie Dupont"
    at.switch_page("pages/donnees.py")
    return at


def test_the_data_page_shows_the_restore_then_asks(data_page, fixture_db, write):
    versions.load(fixture_db, "missions", write("m.csv", UPSERT), mode="upsert", user="Jean")
    data_page.run()
    assert not data_page.exception
    data_page.button(key="data_restore").click().run()  # « Voir ce que la restauration … changerait »
    assert not data_page.exception
    assert rows(fixture_db, "SELECT max(version) FROM _versions") == [(2,)]  # one click writes nothing
    assert "Restaurer la version 1 : ce qui changerait" in plain(" ".join(m.value for m in data_page.markdown))
    metrics = {m.label: m.value for m in data_page.metric}
    assert metrics == {"Lignes ajoutées": "0", "Lignes modifiées": "1", "Lignes supprimées": "1"}
    summary = next(d.value for d in data_page.dataframe if list(d.value.columns) == ["dataset", "added", "changed", "removed"])
    assert summary.values.tolist() == [["Missions économiques", 0, 1, 1]]
    data_page.button(key="data_restore_cancel").click().run()
    assert not [b for b in data_page.button if b.key == "data_restore_confirm"]
    assert rows(fixture_db, "SELECT max(version) FROM _versions") == [(2,)]
    data_page.button(key="data_restore").click().run()
    data_page.button(key="data_restore_confirm").click().run()
    assert not data_page.exception
    assert plain(data_page.success[0].value).startswith("État de la version 1 restauré : c'est la nouvelle version 3")
    assert rows(fixture_db, "SELECT user_name, action FROM _versions WHERE version = 3 LIMIT 1") == [("Marie Dupont", "rollback")]
    assert rows(fixture_db, "SELECT cost_eur FROM missions WHERE mission_id = 'M1'") == [(100000.0,)]


# --- The guard against mass deletion ------------------------------------------------------------


def test_the_guard_offers_the_page_s_confirmation_on_the_page_and_force_on_the_command_line(fixture_db, write):
    path = write("m.csv", MISSIONS + "M9,Seule,AWEX,Wallonie,SEN,2027-01-10,5\n")
    preview = versions.preview(fixture_db, "missions", path)
    assert "supprimerait 3 des 3 lignes" in preview.refusal
    assert "--force" not in preview.refusal and "ligne de commande" not in preview.refusal
    assert "cochez la case de confirmation" in preview.refusal
    with pytest.raises(versions.Refused, match="relancez la commande avec l'option --force"):
        versions.load(fixture_db, "missions", path)


@pytest.mark.parametrize("lang, says", [
    ("fr", "cochez la case ci-dessous, puis confirmez l'import"),
    ("nl", "vink dan het vakje hieronder aan en bevestig de import"),
    ("en", "tick the box below, then confirm the import"),
])
def test_the_page_s_guard_speaks_of_its_own_box(data_page, fixture_db, lang, says):
    data_page.query_params["lang"] = lang
    data_page.run()
    data_page.selectbox(key="data_dataset").set_value("missions").run()
    data_page.radio(key="data_mode_missions").set_value("replace").run()
    upload = (MISSIONS + "M9,Seule,AWEX,Wallonie,SEN,2027-01-10,5\n").encode()
    data_page.get("file_uploader")[0].set_value(("m.csv", upload, "text/csv")).run()
    assert not data_page.exception
    guard = plain(data_page.warning[-1].value)
    assert says in guard and "3" in guard
    assert "--force" not in guard and "ligne de commande" not in guard and "command line" not in guard
    assert data_page.button(key="data_confirm").disabled
