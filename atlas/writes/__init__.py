"""The one door for every write: the use cases that change the published database or its saved
decks, called by the pages and the command line alike, and nothing else writes.

    build, ensure_database      the database from the shipped sample; brought to this code's schema
    preview_upload, load_upload an upload checked, its change shown, then exactly that file imported
    load                        a file from the command line, validated and imported as a version
    preview_rollback, rollback  what restoring a version would change, shown; then every dataset
                                as it was at that version, imported as a new version
    save_deck                   a committee deck saved by name (data/atlas.decks.json), by an
                                analyst; an existing name is replaced only when asked
    compare, history            what separates two versions, the version log (read-only, beside the
                                writes they describe)

`at` names the published database: a Database, a path, or None for the default (ATLAS_DB, else
data/atlas.duckdb). The engine behind these is atlas/writes/versions.py (staging, `apply`, the
guard against mass deletion) over the store's snapshots and versioned rows.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from functools import lru_cache

from atlas.errors import AtlasError
from atlas.figures.slides import DeckSpec, clean_name
from atlas.store import Change, Database
from atlas.store.decks import DeckExists, Decks
from atlas.writes import versions
from atlas.writes.versions import MODES, Diff, LoadResult, Preview, Refused, RestorePreview, Stale

__all__ = [
    "MODES", "Change", "DeckExists", "Diff", "LoadResult", "Preview", "Refused", "RestorePreview", "Stale", "build",
    "compare", "ensure_database", "history", "load", "load_upload", "preview_rollback", "preview_upload", "rollback",
    "save_deck",
]

Where = Database | str | os.PathLike | None


def _db(at: Where) -> Database:
    return at if isinstance(at, Database) else Database(at)


def build(at: Where = None) -> int:
    return versions.build(_db(at))


@lru_cache(maxsize=4)
def _missing(path: str, stamp: tuple) -> tuple[str, ...]:
    # Checked once per published file (its stamp): every page run asks.
    return tuple(Database(path).missing_columns())


def ensure_database(at: Where = None, building: Callable[[], AbstractContextManager] = nullcontext) -> Database:
    """The published database, built from the shipped sample on first start (inside `building()`,
    the app's spinner), and brought to this code's schema when an older Atlas wrote it."""
    db = _db(at)
    if not db.exists():
        with building():
            versions.build(db)
    elif _missing(str(db.path), db.stamp()):
        db.upgrade()
    return db


def load(name: str, path, mode: str = "replace", force: bool = False, user: str | None = None,
         at: Where = None) -> LoadResult:
    return versions.load(_db(at), name, path, mode=mode, force=force, user=user)


def preview_upload(name: str, data: bytes, file_name: str, mode: str = "replace", at: Where = None) -> Preview:
    return versions.preview_upload(_db(at), name, data, file_name, mode)


def load_upload(name: str, data: bytes, file_name: str, previewed: Preview, user: str, force: bool = False,
                at: Where = None) -> LoadResult:
    return versions.load_upload(_db(at), name, data, file_name, previewed, user, force=force)


def preview_rollback(version: int, at: Where = None) -> RestorePreview:
    return versions.preview_rollback(_db(at), version)


def rollback(version: int, user: str | None = None, base_version: int | None = None,
             at: Where = None) -> tuple[int, dict[str, Change]]:
    return versions.rollback(_db(at), version, user=user, base_version=base_version)


def compare(old: int, new: int, at: Where = None) -> dict[str, Diff]:
    return versions.compare(_db(at), old, new)


def history(at: Where = None) -> list[tuple]:
    return versions.history(_db(at))


def save_deck(spec: DeckSpec, name: str, user: str | None, replace: bool = False, at: Where = None) -> str:
    """Save the deck `name` as `user`'s (its author): a write beside the database, never a data
    version. Saving needs an analyst (`user`, from the login); a deck of that name is replaced
    only with `replace=True`, otherwise DeckExists says who saved it, and nothing is written."""
    if not (user or "").strip():
        raise AtlasError("enregistrer un jeu de diapositives demande le rôle d'analyste : connectez-vous d'abord.")
    name = clean_name(name)
    if not spec.slides:
        raise AtlasError("choisissez au moins une diapositive avant d'enregistrer.")
    Decks(_db(at)).save(name, list(spec.slides), spec.filters(), user=user.strip(), replace=replace)
    return name
