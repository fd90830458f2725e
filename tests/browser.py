"""Helpers for end-to-end tests: start the real app, drive Debian's chromium with Playwright."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

from playwright.sync_api import TimeoutError as PlaywrightTimeout

from atlas.store import ROOT

CHROMIUM = os.environ.get("ATLAS_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = ROOT / "tests" / "artifacts"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def app_server(db: Path, env: dict | None = None):
    """`streamlit run app.py` on a free port against the database `db`; yields its URL."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=ROOT, env={**os.environ, "ATLAS_DB": str(db), **(env or {})},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(url + "/_stcore/health", timeout=1)
                break
            except OSError:
                time.sleep(0.5)
        else:
            raise RuntimeError("streamlit did not start")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)


ANALYST, ANALYST_PASSWORD = "Marie Dupont", "mot de passe de test"


@contextmanager
def analyst_server(sample_db: Path, directory: Path):
    """The app on a copy of the sample (in `directory`) with one analyst account, ANALYST."""
    import bcrypt

    db = directory / "atlas.duckdb"
    shutil.copyfile(sample_db, db)
    users = {ANALYST: bcrypt.hashpw(ANALYST_PASSWORD.encode(), bcrypt.gensalt(rounds=4)).decode()}
    with app_server(db, env={"ATLAS_ANALYSTS": json.dumps(users)}) as url:
        yield url


def open_page(browser, url: str, width: int = 1600, height: int = 1000, context_options: dict | None = None):
    """A page in a fresh context; returns (page, list of requests that left localhost)."""
    context = browser.new_context(viewport={"width": width, "height": height}, locale="fr-BE", **(context_options or {}))
    page = context.new_page()
    outside: list[str] = []

    def watch(request):
        parsed = urlparse(request.url)
        if parsed.scheme in ("data", "blob", "about") or parsed.hostname in ("127.0.0.1", "localhost"):
            return
        outside.append(request.url)

    page.on("request", watch)
    page.goto(url)
    page.wait_for_selector("h1", timeout=60_000)
    wait_idle(page)
    return page, outside


def wait_idle(page, timeout: int = 60_000) -> None:
    """Wait until Streamlit has finished running the script: its status widget gone (it shows
    only once a run has lasted a moment) and the app's own script state « notRunning » (a short
    run that has not reached the widget's delay yet, e.g. the one a click starts)."""
    page.wait_for_load_state("networkidle")
    page.wait_for_function(
        "!document.querySelector('[data-testid=\"stStatusWidget\"]') && "
        "document.querySelector('[data-testid=stApp]')?.getAttribute('data-test-script-state') !== 'running'",
        timeout=timeout,
    )


def download(page, key: str) -> bytes:
    """Click the download button whose Streamlit key is `key` and return the file's bytes."""
    button = page.locator(f".st-key-{key} button").first  # with a help tooltip, Streamlit 1.67 draws a second, hidden copy
    # Under a full run's load a click can land while the previous download's rerun is still on its
    # way and be lost (seen: 1 of 7 downloads in a row); a person clicks again, so does this, twice at most.
    # Once (1 run in 3), a download button stayed disabled for over 30 s after the previous one's
    # download: a person reloads the page, so does this (an open question, see the closing note).
    for attempt in range(3):
        button.scroll_into_view_if_needed()
        wait_idle(page)
        try:
            with page.expect_download(timeout=40_000) as info:
                button.click(timeout=40_000)
            break
        except PlaywrightTimeout:
            if attempt == 2:
                raise
            if not button.is_enabled():
                page.reload()
                page.wait_for_selector("h1", timeout=60_000)
    with open(info.value.path(), "rb") as f:
        return f.read()


def map_shapes(page, minimum: int = 150) -> int:
    """Wait for a plotly map to draw, and count its country shapes (SVG paths)."""
    selector = ".js-plotly-plot .choroplethlayer path"
    page.wait_for_function(f"document.querySelectorAll('{selector}').length > {minimum}", timeout=60_000)
    return page.evaluate(f"document.querySelectorAll('{selector}').length")


def errors_on(page) -> list[str]:
    """Texts of Streamlit exception and error boxes on the page."""
    boxes = page.locator("[data-testid='stException'], [data-testid='stAlertContentError']")
    return [boxes.nth(i).inner_text() for i in range(boxes.count())]


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
