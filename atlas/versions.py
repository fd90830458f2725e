"""Imports as versions: build from the sample, load a file, roll back, list the history.

The command line and the upload page both call these functions, so a file gets the same verdict
and the same import in both.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from atlas import db as dbmod
from atlas.contract import DATASETS, dataset
from atlas.db import Change, Database
from atlas.errors import AtlasError
from atlas.ingest import Report, stage

SAMPLE_DIR = dbmod.ROOT / "data" / "sample"
MODES = ("replace", "upsert", "years")


@dataclass
class LoadResult:
    report: Report
    version: int | None = None
    changes: dict[str, Change] = field(default_factory=dict)


class Refused(AtlasError):
    """A valid file whose import would remove too much without --force."""


def _guard(con, name: str, change: Change, force: bool) -> None:
    before = con.execute("SELECT count(*) FROM _cur").fetchone()[0]
    if force or before == 0:
        return
    if change.removed > before / 2:
        raise Refused(
            f"cet import supprimerait {change.removed} des {before} lignes de {name} (plus de la moitié) : "
            "refusé. Vérifiez le fichier et le mode (upsert et years ne suppriment que ce qu'ils remplacent) ; "
            "si c'est voulu, confirmez (option --force en ligne de commande)."
        )


def load(
    db: Database,
    name: str,
    path: str | os.PathLike,
    mode: str = "replace",
    force: bool = False,
    user: str | None = None,
    file_name: str | None = None,
) -> LoadResult:
    """Validate the file, then import it in one transaction as a new version.

    Returns the report when the file is invalid (nothing written); raises Refused when the import
    would remove too much; the database is unchanged in both cases.
    """
    ds = dataset(name)
    if mode not in MODES:
        raise AtlasError(f"mode d'import inconnu « {mode} » : choisissez replace, upsert ou years.")
    if not db.exists():
        build(db)
    result = LoadResult(Report(ds.name, file_name or Path(path).name))
    try:
        with db.transaction() as con:
            result.report = stage(con, ds, path, file_name)
            if not result.report.ok:
                raise _Invalid  # leaves the published database untouched
            version = dbmod.next_version(con)
            change = dbmod.apply(con, ds, dbmod.new_state_sql(ds, "_staged", mode), version)
            _guard(con, ds.name, change, force)
            dbmod.record_version(
                con, version, "load", ds.name, change, mode=mode,
                file_name=result.report.file_name, sha256=dbmod.sha256_of(path), user=user,
            )
            result.version, result.changes = version, {ds.name: change}
    except _Invalid:
        pass
    return result


class _Invalid(Exception):
    """Aborts the transaction of an invalid file; `load` returns its report instead."""


def build(db: Database, sample_dir: Path = SAMPLE_DIR) -> int:
    """(Re)create the database from the shipped sample, through the same validation as uploads."""
    with db.transaction(fresh=True) as con:
        version = 1
        for ds in DATASETS.values():
            path = sample_dir / f"{ds.name}.csv"
            report = stage(con, ds, path)
            if not report.ok:
                raise AtlasError(
                    f"l'échantillon {path.name} est invalide :\n" + "\n".join(map(str, report.problems))
                )
            change = dbmod.apply(con, ds, dbmod.new_state_sql(ds, "_staged", "replace"), version)
            dbmod.record_version(
                con, version, "build", ds.name, change, mode="replace",
                file_name=f"data/sample/{path.name}", sha256=dbmod.sha256_of(path),
            )
    return version


def rollback(db: Database, version: int, user: str | None = None) -> tuple[int, dict[str, Change]]:
    """Restore every dataset as it was right after `version`; the restore is a new version."""
    with db.transaction() as con:
        last = dbmod.next_version(con) - 1
        if not 1 <= version <= last:
            raise AtlasError(f"la version {version} n'existe pas : les versions vont de 1 à {last}.")
        new = last + 1
        changes = {}
        for ds in DATASETS.values():
            change = dbmod.apply(con, ds, dbmod.state_at_sql(ds, version), new)
            changes[ds.name] = change
            dbmod.record_version(con, new, "rollback", ds.name, change, mode=f"version {version}", user=user)
    return new, changes


def history(db: Database) -> list[tuple]:
    """The version log, newest first."""
    con = db.reader()
    try:
        return con.execute(
            """SELECT version, created_at, action, dataset, mode, file_name, sha256, user_name,
                      rows_added, rows_changed, rows_removed
            FROM _versions ORDER BY version DESC, dataset"""
        ).fetchall()
    finally:
        con.close()
