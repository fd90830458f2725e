"""Committee decks saved by name: a choice of slides and filters, not data.

They live in a small JSON file beside the published database (data/atlas.decks.json), so saving
one never copies nor republishes the database and empties no data cache. It is written like the
database: under the same lock, to a temporary file renamed over it atomically; every process of a
multi-process deployment sees it at its next read (readers cache it on its own stamp), and a
backup of data/ takes it too.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile

import pandas as pd

from atlas.errors import AtlasError
from atlas.store.paths import decks_path
from atlas.store.snapshots import Database, file_stamp

COLUMNS = ["name", "slides", "filters", "created_at", "user_name"]


class DeckExists(AtlasError):
    """A deck of that name is saved already: replacing it must be asked for (replace=True)."""

    def __init__(self, name: str, user_name: str | None, created_at: str | None):
        self.name, self.user_name, self.created_at = name, user_name, created_at
        by = f" par {user_name}" if user_name else ""
        super().__init__(f"un jeu de diapositives s'appelle déjà « {name} » (enregistré{by}) : "
                         "remplacez-le explicitement ou choisissez un autre nom.")


class Decks:
    def __init__(self, db: Database):
        self.db = db
        self.path = decks_path(db.path)

    def stamp(self) -> tuple[int, int, int] | None:
        return file_stamp(self.path)

    def _read(self) -> list[dict]:
        try:
            return json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return self._kept_in_database()

    def _kept_in_database(self) -> list[dict]:
        """Decks saved by an Atlas that kept them in the database's `_decks` table (until December
        2026): read from there until the first save, which writes them all into the file."""
        if not self.db.exists():
            return []
        con = self.db.reader()
        try:
            if not con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = '_decks' "
                               "AND database_name = current_database()").fetchone()[0]:
                return []
            found = con.execute("SELECT name, slides, filters, created_at, user_name FROM _decks").fetchall()
        finally:
            con.close()
        return [dict(zip(COLUMNS, (n, s, f, c.isoformat(timespec="microseconds"), u))) for n, s, f, c, u in found]

    def frame(self) -> pd.DataFrame:
        """name, slides (JSON), filters (JSON), created_at, user_name: newest first, then by name."""
        decks = pd.DataFrame(self._read(), columns=COLUMNS)
        decks["created_at"] = pd.to_datetime(decks["created_at"])
        return decks.sort_values(["created_at", "name"], ascending=[False, True], ignore_index=True)

    def save(self, name: str, slides: list[str], filters: dict, user: str | None = None, replace: bool = False) -> None:
        """Save the deck `name`. One of that name is replaced only when `replace` says so; otherwise
        DeckExists is raised, checked under the lock (two people saving the same name at once:
        the second is asked, never silently overwrites the first)."""
        with self.db.lock():
            found = self._read()
            same = [d for d in found if d["name"] == name]
            if same and not replace:
                raise DeckExists(name, same[0].get("user_name"), same[0].get("created_at"))
            decks = [d for d in found if d["name"] != name]
            decks.append({"name": name, "slides": json.dumps(slides), "filters": json.dumps(filters),
                          "created_at": dt.datetime.now().isoformat(timespec="microseconds"), "user_name": user})
            fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent)
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as f:
                    json.dump(decks, f, ensure_ascii=False, indent=1)
                    f.flush()
                    os.fsync(f.fileno())
                os.replace(tmp, self.path)
            except BaseException:
                os.unlink(tmp)
                raise
