"""Shared fixtures: a small database built from tests/data/fixture, values computable by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from atlas.store import Database, execute
from atlas.writes.versions import build

FIXTURE_DIR = Path(__file__).parent / "data" / "fixture"


@pytest.fixture
def fixture_db(tmp_path, monkeypatch) -> Database:
    db = Database(tmp_path / "atlas.duckdb")
    build(db, FIXTURE_DIR)
    monkeypatch.setenv("ATLAS_DB", str(db.path))
    return db


@pytest.fixture
def write(tmp_path):
    """Write bytes or text to a file in tmp_path and return its path."""

    def _write(name: str, content: str | bytes, encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
        return path

    return _write


def rows(db: Database, sql: str, params: dict | None = None) -> list[tuple]:
    con = db.reader()
    try:
        return con.execute(sql, params or {}).fetchall()
    finally:
        con.close()


def query_rows(db: Database, name: str, params: dict | None = None, base: str | None = None) -> list[tuple]:
    """The rows of the named query, run as the app runs it (atlas.store.query_files.execute)."""
    con = db.reader()
    try:
        return execute(con, name, params or {}, base).fetchall()
    finally:
        con.close()


def query_frame(db: Database, name: str, **params):
    """The named query's result as a DataFrame, run as the app runs it."""
    con = db.reader()
    try:
        return execute(con, name, params).df()
    finally:
        con.close()


def plain(text: str) -> str:
    """Text with babel's narrow and non-breaking spaces as plain spaces, to compare with."""
    return text.replace("\u202f", " ").replace("\xa0", " ")


def run_page(app, path: str, **query):
    """Run the AppTest app once (st.navigation registers the pages), switch to `path` with the
    given query parameters, run it, and fail on any exception."""
    for key, value in query.items():
        app.query_params[key] = value
    app.run()
    app.switch_page(path)
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def headings(app) -> list[str]:
    return [plain(h.value) for h in app.subheader]


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory) -> Path:
    """The shipped sample, built by the command line as a newcomer would."""
    import subprocess
    import sys

    from atlas.store import ROOT

    db = tmp_path_factory.mktemp("sample") / "atlas.duckdb"
    subprocess.run([sys.executable, "-m", "atlas", "build", "--db", str(db)], cwd=ROOT, check=True)
    return db


@pytest.fixture(scope="session")
def server(sample_db):
    """The app on the sample, shared by the read-only browser tests."""
    from browser import app_server

    with app_server(sample_db) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium, headless, driven by Playwright."""
    from browser import CHROMIUM, FLAGS

    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run scripts/test, which installs it")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield b
        b.close()
