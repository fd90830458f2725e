"""« Données »: login, templates, preview counts, the upload flow in AppTest, history and restore."""

from __future__ import annotations

import datetime as dt
import io
import json

import bcrypt
import openpyxl
import pytest
from streamlit.proto.Metric_pb2 import Metric
from streamlit.testing.v1 import AppTest

from atlas.contract import DATASETS
from atlas.imports import upload_templates as templates
from atlas.imports.ingest import check_file
from atlas.store import Change, state_at_sql
from atlas.web import login as auth
from atlas.web import ui
from atlas.writes import versions

from conftest import plain, rows

MISSIONS = "mission_id,title,organiser,entity,country_iso3,starts_on,cost_eur\n"
UPSERT = MISSIONS + "M1,Mission au Maroc,hub.brussels,Région de Bruxelles-Capitale,Maroc,10/03/2026,120 000\nM4,Nouvelle,AWEX,Wallonie,SEN,2027-01-10,5\n"
PASSWORD = "correct horse"


def fast_hash(password: str) -> str:
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds=4)).decode()


# --- Login -------------------------------------------------------------------------------------


def test_verify_checks_bcrypt_hashes_and_names():
    users = {"Marie": fast_hash(PASSWORD), "broken": "not-a-hash"}
    assert auth.verify(users, " Marie ", PASSWORD) == "Marie"
    assert auth.verify(users, "Marie", "wrong") is None
    assert auth.verify(users, "Jean", PASSWORD) is None
    assert auth.verify(users, "broken", "anything") is None


def test_analysts_come_from_secrets_and_environment():
    secrets = {"auth": {"users": {"Marie": "h1"}}}
    assert auth.analysts(secrets, {"ATLAS_ANALYSTS": json.dumps({"Jean": "h2"})}) == {"Marie": "h1", "Jean": "h2"}
    assert auth.analysts(None, {}) == {}
    with pytest.raises(auth.AtlasError, match="ATLAS_ANALYSTS"):
        auth.analysts(None, {"ATLAS_ANALYSTS": "Marie:h1"})


def test_hash_password_makes_a_hash_that_verifies():
    hashed = auth.hash_password("s3cret", rounds=4)
    assert hashed.startswith("$2b$04$") and auth.verify({"x": hashed}, "x", "s3cret") == "x"


# --- Templates ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(DATASETS))
def test_template_example_row_passes_validation(name, write):
    report = check_file(DATASETS[name], write(f"{name}.csv", templates.to_csv(DATASETS[name], with_example=True)))
    assert report.ok and report.rows == 1, [str(p) for p in report.problems]


def test_excel_template_explains_every_column_in_french():
    book = openpyxl.load_workbook(io.BytesIO(templates.to_excel(DATASETS["missions"])))
    assert book.sheetnames == ["données", "colonnes"]
    assert [c.value for c in book["données"][1]] == DATASETS["missions"].column_names
    explained = {row[0]: row for row in book["colonnes"].iter_rows(min_row=5, max_row=20, values_only=True)}
    assert explained["kind"][1:6] == ("non", None, "une valeur de la liste permise", "valeurs permises : royal, regional, multi_regional", "royal")
    assert explained["fee_sme_eur"][4] == "≥ 0 ; vide = 100"
    assert all(row[6] for row in explained.values()), "a column without explanation"
    last = list(book["colonnes"].iter_rows(values_only=True))[-1]
    assert last[0] == "MA-2018" and last[6] == "25/11/2018"  # the example row, as an analyst types it


# --- Preview and compare -----------------------------------------------------------------------


def test_preview_counts_cells_and_writes_nothing(fixture_db, write):
    stamp = fixture_db.stamp()
    preview = versions.preview(fixture_db, "missions", write("m.csv", UPSERT), mode="upsert")
    assert preview.report.ok and fixture_db.stamp() == stamp
    assert (preview.change, preview.rows_before, preview.rows_after, preview.base_version) == (Change(1, 1, 0), 3, 4, 1)
    assert preview.refusal is None
    cells = {(c["key"], c["column"]): (c["old"], c["new"]) for c in preview.diff.cells}
    assert cells[("M1", "cost_eur")] == (100000.0, 120000.0)
    assert cells[("M1", "city")] == ("Casablanca", None)
    assert preview.diff.added["mission_id"].tolist() == ["M4"] and preview.diff.removed.empty
    assert "1 nom ou code de pays converti en code ISO 3166-1 alpha-3 (country_iso3)." in preview.report.notices


def test_preview_of_a_mass_deletion_says_why_and_load_then_needs_force(fixture_db, write):
    path = write("m.csv", MISSIONS + "M9,Seule,AWEX,Wallonie,SEN,2027-01-10,5\n")
    preview = versions.preview(fixture_db, "missions", path)
    assert preview.change == Change(1, 0, 3) and "supprimerait 3 des 3 lignes" in preview.refusal
    with pytest.raises(versions.Refused):
        versions.load(fixture_db, "missions", path, expected_sha256=preview.sha256, base_version=1)
    result = versions.load(fixture_db, "missions", path, force=True, expected_sha256=preview.sha256, base_version=1)
    assert result.changes["missions"] == preview.change


def test_confirm_imports_only_the_previewed_file_on_the_previewed_version(fixture_db, write):
    path = write("m.csv", UPSERT)
    preview = versions.preview(fixture_db, "missions", path, mode="upsert")
    path.write_text(UPSERT.replace("120 000", "130 000"), encoding="utf-8")
    with pytest.raises(versions.Stale, match="SHA-256"):
        versions.load(fixture_db, "missions", path, mode="upsert", expected_sha256=preview.sha256)
    path.write_text(UPSERT, encoding="utf-8")
    versions.load(fixture_db, "oda", write("o.csv", "entity,year,amount_eur\nWBI,2030,7\n"), mode="years")  # someone else
    with pytest.raises(versions.Stale, match="version 2 au lieu de 1"):
        versions.load(fixture_db, "missions", path, mode="upsert", expected_sha256=preview.sha256, base_version=1)
    assert rows(fixture_db, "SELECT max(version) FROM _versions") == [(2,)]


def test_preview_of_oda_agrees_with_the_import(fixture_db, write):
    content = (
        "entity,year,country_iso3,sector_code,channel,project,flow,amount_eur,source\n"
        "Wallonie,2024,COD,12220,ONG,Santé de base Kinshasa,disbursement,200000,fixture exemple\n"
        "Wallonie,2024,COD,12220,ONG,Santé de base Kinshasa,disbursement,200000,fixture exemple\n"
        "Wallonie,2024,FRA,16061,Bilatéral,Culture,disbursement,150000,fixture\n"
    )
    path = write("oda.csv", content)
    preview = versions.preview(fixture_db, "oda", path, mode="years")
    # 2024 held 4 rows: one stays, one gains a twin, three go (one of them « changed » in amount).
    assert preview.change == Change(added=2, changed=0, removed=3)
    assert versions.load(fixture_db, "oda", path, mode="years", force=True).changes["oda"] == preview.change
    step = versions.compare(fixture_db, 1, 2)["oda"]  # one step: read from the rows' marks
    assert step.change == preview.change
    # ... and it is the multiset difference of the two states, compared whole.
    old, new = (state_at_sql(DATASETS["oda"], v) for v in (1, 2))
    assert rows(fixture_db, f"SELECT count(*) FROM ({new} EXCEPT ALL {old})") == [(2,)]
    assert rows(fixture_db, f"SELECT count(*) FROM ({old} EXCEPT ALL {new})") == [(3,)]
    assert sorted(step.added["project"]) == ["Culture", "Santé de base Kinshasa"]


def test_compare_and_rollback_are_inverse(fixture_db, write):
    versions.load(fixture_db, "missions", write("m.csv", UPSERT), mode="upsert")
    forward = versions.compare(fixture_db, 1, 2)
    assert forward["missions"].change == Change(1, 1, 0) and forward["oda"].change == Change()
    new, _ = versions.rollback(fixture_db, 1, user="Marie", base_version=2)
    assert versions.compare(fixture_db, 1, new)["missions"].change == Change()
    assert versions.compare(fixture_db, 2, new)["missions"].change == Change(0, 1, 1)
    with pytest.raises(versions.Stale):
        versions.rollback(fixture_db, 1, base_version=2)


# --- The page in AppTest -----------------------------------------------------------------------


@pytest.fixture
def page(fixture_db, monkeypatch):
    monkeypatch.setattr(ui, "today", lambda: dt.date(2026, 11, 23))
    monkeypatch.setenv("ATLAS_ANALYSTS", json.dumps({"Marie Dupont": fast_hash(PASSWORD)}))
    at = AppTest.from_file("../app.py", default_timeout=60)
    at.switch_page("pages/donnees.py")
    return at


def log_in(at, password=PASSWORD):
    at.text_input(key="data_login_name").set_value("Marie Dupont")
    at.text_input(key="data_login_password").set_value(password)
    at.button[0].click()  # the form's submit button
    at.run()


def table(at, column: str):
    """The first table shown that has `column`."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def choose(at, dataset: str, mode: str = "replace"):
    at.selectbox(key="data_dataset").set_value(dataset).run()
    at.radio(key=f"data_mode_{dataset}").set_value(mode).run()


def test_without_accounts_the_page_is_read_only_and_says_why(page, monkeypatch):
    monkeypatch.delenv("ATLAS_ANALYSTS")
    page.run()
    assert not page.exception
    assert plain(page.title[0].value) == "Données : importer, vérifier, historique"
    assert "Aucun compte d'analyste n'est configuré" in page.info[0].value
    assert len(page.get("file_uploader")) == 0 and len(page.text_input) == 0
    assert page.caption[0].value.startswith("Connectez-vous comme analyste")


def test_wrong_password_keeps_the_page_read_only(page):
    page.run()
    log_in(page, "wrong")
    assert not page.exception
    assert page.error[0].value == "Nom ou mot de passe incorrect."
    assert len(page.get("file_uploader")) == 0


def test_upload_problems_are_listed_and_nothing_is_written(page, fixture_db):
    page.run()
    log_in(page)
    choose(page, "missions")
    stamp = fixture_db.stamp()
    bad = MISSIONS + "M1,T,AWEX,Wallonie,CGO,31/02/2027,abc\n"
    page.get("file_uploader")[0].set_value(("missions.csv", bad.encode(), "text/csv")).run()
    assert not page.exception
    assert "3 problème(s) dans missions.csv : rien n'a été écrit." in plain(page.error[0].value)
    problems = table(page, "problème")
    assert problems["colonne"].tolist() == ["starts_on", "cost_eur", "country_iso3"]
    assert problems["ligne"].tolist() == [2, 2, 2]
    assert not [b for b in page.button if b.label == "Confirmer l'import"]
    assert fixture_db.stamp() == stamp


def test_upload_preview_confirm_records_the_analyst(page, fixture_db):
    page.run()
    log_in(page)
    assert "Marie Dupont" in page.caption[0].value
    choose(page, "missions", "upsert")
    page.get("file_uploader")[0].set_value(("missions.csv", UPSERT.encode("cp1252"), "text/csv")).run()
    assert not page.exception
    metrics = {m.label: m.value for m in page.metric}
    assert metrics == {"Lignes ajoutées": "1", "Lignes modifiées": "1", "Lignes supprimées": "0", "Lignes après l'import": "4"}
    after = next(m for m in page.metric if m.label == "Lignes après l'import")
    assert after.proto.delta == "3 avant" and after.proto.direction == Metric.MetricDirection.UP  # 3 -> 4
    assert [ui.arrow(4, 4), ui.arrow(3, 4)] == ["off", "down"]  # no arrow for an unchanged count
    changes = table(page, "change")
    assert ["M1", "cost_eur", "100\u202f000 → 120\u202f000"] in changes.values.tolist()
    assert rows(fixture_db, "SELECT max(version) FROM _versions") == [(1,)]  # nothing written yet
    page.button(key="data_confirm").click().run()
    assert not page.exception
    assert plain(page.success[0].value).startswith("Version 2 publiée (missions.csv) : 1 ligne(s) ajoutée(s), 1 modifiée(s), 0 supprimée(s).")
    assert rows(fixture_db, "SELECT user_name, file_name, mode, rows_added, rows_changed FROM _versions WHERE version = 2") == [
        ("Marie Dupont", "missions.csv", "upsert", 1, 1)
    ]
    assert rows(fixture_db, "SELECT cost_eur FROM missions WHERE mission_id = 'M1'") == [(120000.0,)]


def test_mass_deletion_needs_the_confirmation_box(page, fixture_db):
    page.run()
    log_in(page)
    choose(page, "missions")
    page.get("file_uploader")[0].set_value(("m.csv", (MISSIONS + "M9,Seule,AWEX,Wallonie,SEN,2027-01-10,5\n").encode(), "text/csv")).run()
    assert "supprimerait 3 des 3 lignes" in page.warning[-1].value
    assert page.button(key="data_confirm").disabled
    page.checkbox(key="data_force").check().run()
    page.button(key="data_confirm").click().run()
    assert not page.exception
    assert rows(fixture_db, "SELECT count(*) FROM missions") == [(1,)]


def test_history_compares_and_restores(page, fixture_db, write):
    versions.load(fixture_db, "missions", write("m.csv", UPSERT), mode="upsert", user="Jean")
    page.run()
    assert not page.exception
    assert not [d for d in page.dataframe if list(d.value.columns) == ["dataset", "added", "changed", "removed"]]
    page.button(key="data_compare").click().run()  # comparing reads every row: only on request
    history = [d.value for d in page.dataframe]
    log_table = next(df for df in history if "sha256" in df.columns)
    assert log_table["version"].tolist()[0] == 2 and log_table["user_name"].tolist()[0] == "Jean"
    summary = next(df for df in history if list(df.columns) == ["dataset", "added", "changed", "removed"])
    assert summary.set_index("dataset").loc["Missions économiques"].tolist() == [1, 1, 0]  # the reader's words
    assert log_table["dataset"].tolist()[0] == "Missions économiques"
    changed = next(df for df in history if "change" in df.columns)["change"].tolist()
    assert "14 mars 2026 → (vide)" in changed  # whole years: babel's short style wrote « 14/03/26 »
    assert "Connectez-vous comme analyste pour restaurer" in " ".join(c.value for c in page.caption)
    log_in(page)
    page.button(key="data_restore").click().run()  # what the restore would change (tests/test_safety.py)
    assert rows(fixture_db, "SELECT max(version) FROM _versions") == [(2,)]
    page.button(key="data_restore_confirm").click().run()
    assert not page.exception
    assert plain(page.success[0].value).startswith("État de la version 1 restauré : c'est la nouvelle version 3")
    assert rows(fixture_db, "SELECT user_name, action FROM _versions WHERE version = 3 LIMIT 1") == [("Marie Dupont", "rollback")]
    assert rows(fixture_db, "SELECT cost_eur FROM missions WHERE mission_id = 'M1'") == [(100000.0,)]


def test_history_table_fits_a_1280_px_screen(page):
    # Its last column was cut to « Supp… » at 1440 (1 232 px in 978): the shown columns now add up
    # to less than a full-width table at 1280 (818 px, wider screens stretch them); the SHA-256 is
    # hidden, a click away in the table's menu (and in the download).
    page.run()
    log = next(d for d in page.dataframe if "sha256" in d.value.columns)
    config = json.loads(log.proto.columns)
    order = list(log.proto.column_order)
    shown = [c for c in order if not config[c].get("hidden")]
    assert shown == ["version", "created_at", "action", "dataset", "mode", "file_name", "user_name",
                     "rows_added", "rows_changed", "rows_removed"]
    assert config["sha256"]["hidden"] is True and order[-1] == "sha256"
    assert sum(config[c]["width"] for c in shown) <= ui.TABLE_ROOM == 914  # 818 before ui.SCREEN_CSS
    assert log.proto.row_height > 64  # long actions and file names wrap
    assert config["created_at"]["width"] >= 134  # « 23/11/2026 21:32:11 »: 117 px of text, whole
    assert config["created_at"]["type_config"]["format"] == "DD/MM/YYYY HH:mm:ss"  # formats unchanged
    assert {config[c]["type_config"]["format"] for c in ["version", "rows_added", "rows_changed", "rows_removed"]} == {"%d"}
    assert config["rows_removed"]["help"] == "Supprimées"  # the header is cut: its full text in a tooltip
