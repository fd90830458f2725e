"""End to end in headless Chromium: an analyst logs in, uploads a bad file (problems table), then a
good one (preview), confirms, sees the new figure on the home page, and rolls back.

Runs on its own copy of the sample database and its own app process, with a test analyst given
through ATLAS_ANALYSTS. Screenshots go to tests/artifacts/data-*.png.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from browser import ANALYST_PASSWORD, analyst_server, errors_on, open_page, screenshot, wait_idle

PASSWORD = ANALYST_PASSWORD
NEW_YEAR = (
    "year;oda_eur;gni_eur;preliminary;source\r\n"
    "2025;3 100 000 000 €;620 000 000 000 €;oui;Test navigateur (exemple)\r\n"
).encode("cp1252")
BAD = (
    "year;oda_eur;gni_eur;preliminary\r\n"
    "2025;beaucoup;620 000 000 000;oui\r\n"
    "1950;1;0;peut-être\r\n"
).encode("cp1252")


@pytest.fixture(scope="module")
def data_server(sample_db, tmp_path_factory):
    with analyst_server(sample_db, tmp_path_factory.mktemp("browser-data")) as url:
        yield url


def go_to_data_page(page):
    page.get_by_role("link", name="Données").click()
    page.wait_for_selector("h1:has-text('Données')", timeout=60_000)
    wait_idle(page)


def upload(page, name: str, content: bytes) -> None:
    page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(
        files=[{"name": name, "mimeType": "text/csv", "buffer": content}]
    )
    page.wait_for_timeout(500)
    wait_idle(page)


def home_gni_tile(page) -> str:
    page.get_by_role("link", name="Vue d'ensemble").click()
    page.wait_for_selector("[data-testid='stMetric']", timeout=60_000)
    wait_idle(page)
    tile = page.locator("[data-testid='stMetric']", has_text="APD/RNB de la Belgique")
    return " ".join(tile.inner_text().replace("\u202f", " ").replace("\xa0", " ").split())


def test_analyst_uploads_previews_imports_and_rolls_back(data_server, browser):
    # Tall: Streamlit scrolls inside its own container, so a screenshot shows only the viewport.
    page, outside = open_page(browser, data_server, width=1400, height=2400)
    before = home_gni_tile(page)
    assert "en 2024" in before

    go_to_data_page(page)
    assert "Lecture seule" in page.locator("[data-testid='stAlert']", has_text="Lecture seule").inner_text()
    assert page.locator("[data-testid='stFileUploader']").count() == 0
    page.wait_for_selector("text=Connectez-vous comme analyste pour importer un fichier", timeout=60_000)
    page.wait_for_selector("button:has-text('Modèle CSV')", timeout=60_000)
    screenshot(page, "data-readonly")

    page.get_by_label("Nom d'analyste").fill("Marie Dupont")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_selector("text=Connecté·e comme analyste", timeout=60_000)
    wait_idle(page)

    dataset = page.locator("[data-testid='stSelectbox']", has_text="Jeu de données")
    expect(dataset).to_have_count(1, timeout=60_000)  # the previous run's copy may linger a moment
    dataset.click()
    page.get_by_role("option", name="APD et RNB de la Belgique", exact=True).click()  # the reader's words, not « oda_national »
    page.wait_for_selector("text=Colonnes attendues : APD et RNB de la Belgique", timeout=60_000)
    wait_idle(page)
    upsert = page.get_by_role("radio", name="ajouter ou mettre à jour (upsert)")
    upsert.check(force=True)  # Streamlit draws its own radio over the input
    page.wait_for_function(
        "[...document.querySelectorAll('input[type=radio]')].some(r => r.checked && r.closest('label').innerText.includes('upsert'))",
        timeout=60_000,
    )
    wait_idle(page)
    screenshot(page, "data-logged-in")

    upload(page, "apd-erreurs.csv", BAD)
    page.wait_for_selector("text=rien n'a été écrit", timeout=60_000)
    problems = page.locator("[data-testid='stAlertContentError']").first.inner_text()
    assert "4 problème(s) dans apd-erreurs.csv" in problems
    screenshot(page, "data-problems")

    upload(page, "apd-2025.csv", NEW_YEAR)
    page.wait_for_selector("text=Aperçu de la modification", timeout=60_000)
    metrics = page.locator("[data-testid='stMetric']").all_inner_texts()
    assert any("Lignes ajoutées" in m and m.strip().endswith("1") for m in metrics), metrics
    assert "Windows-1252" in page.locator("[data-testid='stAlert']", has_text="Normalisations").inner_text()
    screenshot(page, "data-preview")
    page.get_by_role("button", name="Confirmer l'import").click()
    page.wait_for_selector("text=Version 2 publiée", timeout=60_000)
    wait_idle(page)
    assert errors_on(page) == []

    after = home_gni_tile(page)
    assert "en 2025 (provisoire)" in after and "0,50 %" in after, after

    go_to_data_page(page)
    page.get_by_role("tab", name="Historique").click()
    page.wait_for_selector("text=Comparer deux versions", timeout=60_000)
    wait_idle(page)
    page.get_by_role("button", name="Comparer", exact=True).click()
    page.wait_for_function("document.querySelectorAll('[data-testid=\"stDataFrame\"]').length >= 2", timeout=60_000)
    wait_idle(page)
    page.wait_for_timeout(1000)
    screenshot(page, "data-history")
    page.get_by_role("button", name="Voir ce que la restauration de la version 1 changerait").click()
    page.get_by_role("button", name="Confirmer la restauration de la version 1").click()  # after seeing the change
    page.wait_for_selector("text=c'est la nouvelle version 3", timeout=60_000)
    wait_idle(page)
    assert errors_on(page) == []

    assert home_gni_tile(page) == before
    assert outside == []
    page.context.close()
