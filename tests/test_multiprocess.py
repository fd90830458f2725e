"""Two app processes serve the same published database while `python -m atlas load` publishes a
new version: both keep answering without error, and both show the new figure once it is published
(README « Beyond one machine »). Loopback only; bounded in time."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.request

from atlas.store import ROOT

from browser import app_server, errors_on, map_shapes, open_page, screenshot, wait_idle

NEW_NATIONAL = (
    "year,oda_eur,gni_eur,preliminary,source\n"
    "2025,4200000000,600000000000,true,exemple de test multiprocessus (chiffres fictifs)\n"
)


def metrics(page) -> list[str]:
    """The home page's key figures, once the script has run to its end (the map is drawn)."""
    map_shapes(page)
    return page.locator("[data-testid='stMetricValue']").all_inner_texts()


def footer(page) -> str:
    return page.get_by_text("Version des données").inner_text().replace("\xa0", " ")


def test_two_processes_see_a_new_version_without_error(tmp_path, browser):
    db = tmp_path / "atlas.duckdb"
    subprocess.run([sys.executable, "-m", "atlas", "build", "--db", str(db)], cwd=ROOT, check=True)
    new_file = tmp_path / "oda_national.csv"
    new_file.write_text(NEW_NATIONAL, encoding="utf-8")

    with app_server(db) as first, app_server(db) as second:
        pages = []
        for url in (first, second):
            page, outside = open_page(browser, url)
            assert outside == []
            assert "0,45\xa0%" in metrics(page)  # 2024 in the sample
            assert "Version des données : 1," in footer(page)
            pages.append(page)

        load = subprocess.Popen(
            [sys.executable, "-m", "atlas", "load", "oda_national", str(new_file), "--mode", "upsert", "--db", str(db)],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        # Both processes keep serving while the import runs and publishes (bounded: 120 s).
        deadline, rounds = time.monotonic() + 120, 0
        while rounds == 0 or (load.poll() is None and time.monotonic() < deadline):
            for url, page in zip((first, second), pages):
                assert urllib.request.urlopen(url + "/_stcore/health", timeout=10).status == 200
                page.reload()
                page.wait_for_selector("h1", timeout=60_000)
                wait_idle(page)
                assert errors_on(page) == []
            rounds += 1
        _, err = load.communicate(timeout=120)
        assert load.returncode == 0, err
        assert "version 2" in err

        for name, page in zip(("premier", "second"), pages):
            page.reload()
            page.wait_for_selector("h1", timeout=60_000)
            wait_idle(page)
            assert errors_on(page) == []
            assert "0,70\xa0%" in metrics(page)  # 4,2 Md€ / 600 Md€, published as version 2
            assert page.get_by_text("APD/RNB de la Belgique en 2025").count() == 1
            assert "Version des données : 2," in footer(page)
            screenshot(page, f"multiprocess-{name}-processus")
            page.context.close()
