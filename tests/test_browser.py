"""End to end in headless Chromium: the real app on the shipped sample, as a person sees it.

Screenshots go to tests/artifacts/ (kept by CI as artefacts, ignored by git).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

from atlas.db import ROOT

playwright = pytest.importorskip("playwright.sync_api")
CHROMIUM = os.environ.get("ATLAS_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = ROOT / "tests" / "artifacts"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"]
PAGES = [("", "Vue d'ensemble de l'action internationale")]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    db = tmp_path_factory.mktemp("e2e") / "atlas.duckdb"
    subprocess.run([sys.executable, "-m", "atlas", "build", "--db", str(db)], cwd=ROOT, check=True)
    port = free_port()
    env = {**os.environ, "ATLAS_DB": str(db)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            urllib.request.urlopen(url + "/_stcore/health", timeout=1)
            break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail("streamlit did not start")
    yield url
    proc.terminate()
    proc.wait(timeout=20)


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run scripts/test, which installs it")
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield b
        b.close()


def open_page(browser, url, width=1600, height=1000):
    """A fresh page that records every request leaving localhost."""
    context = browser.new_context(viewport={"width": width, "height": height}, locale="fr-BE")
    page = context.new_page()
    outside = []

    def watch(request):
        parsed = urlparse(request.url)
        if parsed.scheme in ("data", "blob", "about") or parsed.hostname in ("127.0.0.1", "localhost"):
            return
        outside.append(request.url)

    page.on("request", watch)
    page.goto(url)
    page.wait_for_selector("h1", timeout=60_000)
    page.wait_for_load_state("networkidle")
    return page, outside


def wait_for_map(page, minimum=150):
    page.wait_for_function(
        f"document.querySelectorAll('.js-plotly-plot .geo path, .js-plotly-plot .choroplethlayer path').length > {minimum}",
        timeout=60_000,
    )
    return page.evaluate("document.querySelectorAll('.js-plotly-plot .choroplethlayer path').length")


@pytest.mark.parametrize("path, title", PAGES)
def test_page_opens_without_error_and_draws_the_map(server, browser, path, title):
    page, outside = open_page(browser, f"{server}/{path}")
    assert page.locator("h1").first.inner_text() == title
    shapes = wait_for_map(page)
    assert shapes > 150
    time.sleep(1)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{path or 'home'}.png"), full_page=True)
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.locator("[data-testid='stAlertContentError']").count() == 0
    assert "Données d'exemple" in page.locator("[data-testid='stAlert']").first.inner_text()
    assert outside == []
    page.context.close()


def test_home_in_dutch_at_projector_size(server, browser):
    page, outside = open_page(browser, f"{server}/?lang=nl", width=1280, height=720)
    assert page.locator("h1").first.inner_text() == "Overzicht van het internationale optreden"
    wait_for_map(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "home-nl-1280.png"), full_page=True)
    assert outside == []
    page.context.close()
