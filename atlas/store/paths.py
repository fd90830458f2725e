"""Where things are: the project, the published database, the reference tables every write loads."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # the project: app.py, data/, queries/
DEFAULT_DB = ROOT / "data" / "atlas.duckdb"
QUERIES_DIR = ROOT / "queries"
# Reference tables ship with the code (data/geo, data/reference): every write refreshes them.
REFERENCE_TABLES = {
    "countries": ROOT / "data" / "geo" / "countries.csv",
    "dac_sectors": ROOT / "data" / "reference" / "dac_sectors.csv",
}


def default_path() -> Path:
    """--db, else ATLAS_DB, else data/atlas.duckdb (DATA_CONTRACT.md)."""
    return Path(os.environ.get("ATLAS_DB") or DEFAULT_DB)


def decks_path(database: Path) -> Path:
    """The saved committee decks, beside the published database: data/atlas.decks.json."""
    return database.with_name(database.stem + ".decks.json")
