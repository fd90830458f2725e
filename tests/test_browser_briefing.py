"""End to end in headless Chromium on the sample: the profile of DR Congo, a click on a project shows its
yearly flows, the briefing note downloads as Word, PDF and Excel in one click each, and three countries
compare from a shared link; nothing leaves localhost."""

from __future__ import annotations

import io
import subprocess

import openpyxl
from docx import Document

from browser import download, errors_on, open_page, screenshot, wait_idle


def test_profile_project_click_and_briefing_downloads(server, browser, tmp_path):
    page, outside = open_page(browser, f"{server}/fiche-pays?pays=COD", width=1400, height=1000)
    grid = page.locator(".st-key-country_projects_table [data-testid=stDataFrame]")
    grid.scroll_into_view_if_needed()
    grid.locator("table[role=grid]").wait_for(state="attached", timeout=60_000)
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 12, box["y"] + 35 + 33)  # the selection box of the first row (66 px rows)
    page.get_by_text("Flux annuels de «").wait_for(timeout=60_000)
    wait_idle(page)
    assert "projet=" in page.url
    screenshot(page, "briefing-profile-project")

    docx = Document(io.BytesIO(download(page, "country-briefing-docx")))
    assert docx.paragraphs[0].text.replace("\xa0", " ") == "Fiche pays : République démocratique du Congo"
    pdf = download(page, "country-briefing-pdf")
    assert pdf.startswith(b"%PDF")
    (tmp_path / "note.pdf").write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(tmp_path / "note.pdf"), "-"], capture_output=True, text=True).stdout
    assert "Sources et version des données" in text
    book = openpyxl.load_workbook(io.BytesIO(download(page, "country-briefing-xlsx")))
    assert book.sheetnames[0] == "Chiffres clés" and "Projets" in book.sheetnames
    assert errors_on(page) == [] and outside == []


def test_compare_three_countries_from_a_link(server, browser):
    page, outside = open_page(browser, f"{server}/comparer?pays=COD~SEN~MAR", width=1400, height=1000)
    page.locator(".js-plotly-plot").first.wait_for(timeout=60_000)
    assert page.locator("h1").inner_text() == "Comparer des pays"
    assert page.locator("[data-testid=stDataFrame]").count() == 3  # key figures, agreements, missions
    assert errors_on(page) == [] and outside == []
