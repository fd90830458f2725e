"""End to end in headless Chromium: a table offers no download of Streamlit's own (its « Download
as CSV » would bypass atlas/export.py; `client.disableDataExport` turns it off), and Atlas's own
CSV and Excel files under each table hold exactly the rows the table shows."""

from __future__ import annotations

import csv
import io

import openpyxl

from browser import download, errors_on, open_page

# What a table's toolbar holds in Streamlit 1.67 with data export off. With it on, « Download as
# CSV » sits between the first two (frontend: DataFrame.*.js, canExportCsv; seen in this browser).
TOOLBAR = ["Show/hide columns", "Search", "Fullscreen"]
ACTIVE = ("=", "+", "-", "@", "\t", "\r", "\n")


def test_tables_offer_only_atlas_downloads(server, browser):
    page, outside = open_page(browser, f"{server}/fiche-pays?pays=COD", width=1400, height=1000)
    page.wait_for_function("document.querySelectorAll('[data-testid=stDataFrame] table[role=grid]').length >= 6",
                           timeout=60_000)
    # The country profile's tables outside an expander: coming up, agreements, who does what, projects,
    # missions, offices.
    tables = dict.fromkeys(["country_upcoming_dl", "country_agreements_dl", "country_who_dl", "country_projects_dl",
                            "country_missions_dl", "country_offices_dl"])
    frames = page.locator("[data-testid=stDataFrame]:visible")
    assert frames.count() == len(tables)
    for key, i in zip(tables, range(frames.count())):
        frame = frames.nth(i)
        frame.scroll_into_view_if_needed()
        frame.hover()
        buttons = frame.locator("[data-testid=stElementToolbar] [data-testid=stElementToolbarButton] button")
        buttons.first.wait_for(state="visible", timeout=10_000)
        labels = [buttons.nth(j).get_attribute("aria-label") for j in range(buttons.count())]
        assert labels == TOOLBAR, labels  # no « Download as CSV »
        assert page.locator("[data-testid=stElementToolbar] button[aria-label^='Download']").count() == 0
        shown = int(frame.locator("table[role=grid]").get_attribute("aria-rowcount")) - 1  # minus the header
        tables[key] = shown
    assert tables == {"country_upcoming_dl": 4, "country_agreements_dl": 3, "country_who_dl": 4, "country_projects_dl": 26,
                      "country_missions_dl": 2, "country_offices_dl": 2}

    # Ours, under each table: the rows the table shows, through atlas.export (no active cell).
    for key, shown in tables.items():
        rows = list(csv.reader(io.StringIO(download(page, f"{key}-csv").decode("utf-8-sig"), newline=""),
                               delimiter=";"))
        assert len(rows) == 1 + shown, key
        assert not [c for row in rows for c in row if c.startswith(ACTIVE) and not c.lstrip("-").replace(",", "").isdigit()]
    sheet = openpyxl.load_workbook(io.BytesIO(download(page, "country_offices_dl-xlsx"))).active
    # The reader's workbook: a block (title, filters, sources, data version, date), a blank row, the table.
    assert sheet.max_row == 7 + tables["country_offices_dl"]
    assert [c.value for c in sheet[7]] == ["Identifiant du bureau", "Ville", "Agence", "Type", "Poste partagé"]
    assert errors_on(page) == [] and outside == []
    page.context.close()
