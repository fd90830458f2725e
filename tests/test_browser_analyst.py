"""End to end in headless Chromium: the analysts' pages on the shipped sample, each downloading
one table whose content is checked. Screenshots go to tests/artifacts/ to be looked at."""

from __future__ import annotations

import io

import openpyxl

from browser import download, errors_on, open_page, screenshot


def visit(browser, url):
    page, outside = open_page(browser, url)
    assert page.locator("[role=dialog]").count() == 0  # no « Page not found », even on a first visit
    return page, outside


def test_oda_page_downloads_belgium_against_the_target(server, browser):
    page, outside = visit(browser, f"{server}/aide-au-developpement")
    assert page.locator("h1").first.inner_text() == "Aide publique au développement"
    assert "à 1,5 Md € de l'objectif de 0,7 %" in page.locator("h3").first.inner_text().replace("\xa0", " ")
    page.wait_for_function("document.querySelectorAll('.js-plotly-plot').length >= 6", timeout=60_000)
    screenshot(page, "oda")
    lines = download(page, "oda_gni-csv").decode("utf-8-sig").replace("\xa0", " ").splitlines()
    # The reader's file: headers in French, the ratio as the percentage shown, whole euros, oui/non.
    assert lines[0] == ("Année;APD de la Belgique (€);RNB de la Belgique (€);APD/RNB (%);0,7 % du RNB (€);"
                        "Manque pour atteindre 0,7 % (€);Provisoire;Source")
    assert lines[-1].startswith("2024;2745000000;610000000000;0,45;4270000000;1525000000;oui;")
    assert errors_on(page) == [] and outside == []
    page.context.close()


def test_agreements_page_downloads_the_table_with_country_names(server, browser):
    page, outside = visit(browser, f"{server}/accords?statuts=in_force&pays=COD")
    assert page.locator("h1").first.inner_text() == "Accords de coopération"
    screenshot(page, "agreements")
    sheet = openpyxl.load_workbook(io.BytesIO(download(page, "agreements_table_dl-xlsx"))).active
    table = [tuple(v.replace("\xa0", " ") if isinstance(v, str) else v for v in row) for row in sheet.values]
    # A block says what the table is, under which filters, from which data version; then the table.
    assert sheet.title == "Données" and table[0][0] == "Tous les accords"
    assert table[1][0] == ("Filtres : Pays : République démocratique du Congo ; Années (accords en cours) : 1998–2028 ; "
                           "Statut : en vigueur")
    assert table[3][0].startswith("Version des données : 1, du ")
    header = table[6]
    assert header[:6] == ("Identifiant de l'accord", "Intitulé", "Partenaire", "Niveau", "Pays", "Entité")
    got = {row[0]: dict(zip(header, row)) for row in table[7:]}
    assert set(got) == {"WBI-COD-2006", "WAL-COD-2019"}  # RBC-COD-2016 has expired
    assert got["WBI-COD-2006"]["Pays"] == "République démocratique du Congo"
    assert got["WBI-COD-2006"]["Statut"] == "en vigueur"
    assert got["WBI-COD-2006"]["Budget (€)"] == 7500000  # a number, not text
    assert sheet.cell(8, header.index("Budget (€)") + 1).number_format.replace("\xa0", " ") == '#,##0 "€"'
    assert got["WAL-COD-2019"]["⚠ Échéance < 12 mois"] == "oui"  # ends 22/05/2027
    assert errors_on(page) == [] and outside == []
    page.context.close()


def test_missions_page_downloads_net_costs_in_dutch(server, browser):
    page, outside = visit(browser, f"{server}/missions-economiques?lang=nl&types=royal")
    assert page.locator("h1").first.inner_text() == "Economische missies"
    screenshot(page, "missions-nl")
    lines = download(page, "missions_table_dl-csv").decode("utf-8-sig").splitlines()
    header = lines[0].split(";")
    assert header[:6] == ["ID van de missie", "Titel", "Organisator", "Entiteit", "Land", "Stad"]
    morocco = dict(zip(header, next(line for line in lines if line.startswith("BEM-2018-MAR")).split(";")))
    assert (morocco["Land"], morocco["Soort"]) == ("Marokko", "koninklijk (prinselijk)")
    # 480 000 € − (322 SMEs × 100 € + 147 large firms × 300 €) = 403 700 €
    assert (morocco["Bijdragen (€)"], morocco["Netto overheidskosten (€)"]) == ("76300", "403700")
    assert len(lines) == 1 + 6  # the six royal missions
    assert errors_on(page) == [] and outside == []
    page.context.close()
