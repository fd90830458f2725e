"""End to end in headless Chromium: the analysts' pages on the shipped sample, each downloading
one table whose content is checked. Screenshots go to tests/artifacts/ to be looked at."""

from __future__ import annotations

import io

import openpyxl

from browser import errors_on, open_page, screenshot


def visit(browser, url):
    page, outside = open_page(browser, url)
    assert page.locator("[role=dialog]").count() == 0  # no « Page not found », even on a first visit
    return page, outside


def download(page, key: str) -> bytes:
    """Click the download button whose Streamlit key is `key` and return the file's bytes."""
    button = page.locator(f".st-key-{key} button")
    button.scroll_into_view_if_needed()
    with page.expect_download() as info:
        button.click()
    with open(info.value.path(), "rb") as f:
        return f.read()


def test_oda_page_downloads_belgium_against_the_target(server, browser):
    page, outside = visit(browser, f"{server}/aide-au-developpement")
    assert page.locator("h1").first.inner_text() == "Aide publique au développement"
    assert "à 1,5 Md € de l'objectif de 0,7 %" in page.locator("h3").first.inner_text().replace("\xa0", " ")
    page.wait_for_function("document.querySelectorAll('.js-plotly-plot').length >= 6", timeout=60_000)
    screenshot(page, "oda")
    lines = download(page, "oda_gni-csv").decode("utf-8-sig").splitlines()
    assert lines[0] == "year;oda_eur;gni_eur;oda_gni;target_eur;gap_eur;preliminary;source"
    assert lines[-1].startswith("2024;2745000000,0;610000000000,0;0,0045;4270000000,0;1525000000,0;True;")
    assert errors_on(page) == [] and outside == []
    page.context.close()


def test_agreements_page_downloads_the_table_with_country_names(server, browser):
    page, outside = visit(browser, f"{server}/accords?statuts=in_force&pays=COD")
    assert page.locator("h1").first.inner_text() == "Accords de coopération"
    screenshot(page, "agreements")
    sheet = openpyxl.load_workbook(io.BytesIO(download(page, "agreements_table_dl-xlsx"))).active
    table = list(sheet.values)
    header = table[0]
    assert header[:7] == ("agreement_id", "title", "partner", "partner_level", "country_iso3", "country_name", "entity")
    got = {row[0]: dict(zip(header, row)) for row in table[1:]}
    assert set(got) == {"WBI-COD-2006", "WAL-COD-2019"}  # RBC-COD-2016 has expired
    assert got["WBI-COD-2006"]["country_name"] == "République démocratique du Congo"
    assert got["WBI-COD-2006"]["budget_eur"] == 7500000  # a number, not text
    assert got["WAL-COD-2019"]["expires_soon"] is True  # ends 22/05/2027
    assert errors_on(page) == [] and outside == []
    page.context.close()


def test_missions_page_downloads_net_costs_in_dutch(server, browser):
    page, outside = visit(browser, f"{server}/missions-economiques?lang=nl&types=royal")
    assert page.locator("h1").first.inner_text() == "Economische missies"
    screenshot(page, "missions-nl")
    lines = download(page, "missions_table_dl-csv").decode("utf-8-sig").splitlines()
    header = lines[0].split(";")
    assert header[:6] == ["mission_id", "title", "organiser", "entity", "country_iso3", "country_name"]
    morocco = dict(zip(header, next(line for line in lines if line.startswith("BEM-2018-MAR")).split(";")))
    assert morocco["country_name"] == "Marokko"
    # 480 000 € − (322 SMEs × 100 € + 147 large firms × 300 €) = 403 700 €
    assert (morocco["fees_eur"], morocco["net_cost_eur"]) == ("76300,0", "403700,0")
    assert len(lines) == 1 + 6  # the six royal missions
    assert errors_on(page) == [] and outside == []
    page.context.close()
