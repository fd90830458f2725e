"""Shared fixtures: a small database built from tests/data/fixture, values computable by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from atlas.db import Database
from atlas.versions import build

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
