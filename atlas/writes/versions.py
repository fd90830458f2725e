"""Imports as versions: build from the sample, load a file, roll back, list the history.

The command line and the upload page both call these functions, so a file gets the same verdict
and the same import in both. `preview` runs that very import (staging, `apply`, the guard) on a
throwaway copy of the database and reports what it would change; `load` then imports exactly the
previewed file (same SHA-256) on the version the preview saw.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from atlas import store as dbmod
from atlas.contract import DATASETS, dataset
from atlas.errors import AtlasError
from atlas.imports.ingest import Report, size_refusal, stage
from atlas.store import Change, Database

SAMPLE_DIR = dbmod.ROOT / "data" / "sample"
MODES = ("replace", "upsert", "years")


@dataclass
class LoadResult:
    report: Report
    version: int | None = None
    changes: dict[str, Change] = field(default_factory=dict)
    replaced: list[dict] = field(default_factory=list)  # a `years` import: see `replaced_scope`


class Refused(AtlasError):
    """A valid file whose import would remove too much without --force."""


# How each door confirms an import the guard stopped: the command line's option, the page's box.
CONFIRM_ON_COMMAND_LINE = "relancez la commande avec l'option --force"
CONFIRM_ON_PAGE = "cochez la case de confirmation sous l'aperçu, puis confirmez l'import"


def refusal(name: str, before: int, change: Change, confirm: str = CONFIRM_ON_COMMAND_LINE) -> str | None:
    """Why an import needs an explicit confirmation (it removes more than half the rows), or None;
    `confirm` says how to give it where the person is (the page shows its own words, translated)."""
    if before == 0 or change.removed <= before / 2:
        return None
    return (
        f"cet import supprimerait {change.removed} des {before} lignes de {name} (plus de la moitié) : "
        "refusé. Vérifiez le fichier et le mode (upsert et years ne suppriment que ce qu'ils remplacent) ; "
        f"si c'est voulu, {confirm}."
    )


class Stale(AtlasError):
    """The file or the database changed between the preview and the confirmation."""


def _count(con, name: str) -> int:
    return con.execute(f"SELECT count(*) FROM {dbmod.q(name)}").fetchone()[0]


def _check_mode(mode: str) -> None:
    if mode not in MODES:
        raise AtlasError(f"mode d'import inconnu « {mode} » : choisissez replace, upsert ou years.")


def _import(con, ds, path, mode: str, report_name: str | None) -> tuple[Report, int, int, Change | None]:
    """Stage and apply the file in `con` (published or not): (report, version, rows before, change)."""
    version = dbmod.next_version(con)  # before staging: nothing may run in `con` after a refusal
    report = stage(con, ds, path, report_name)
    if not report.ok:
        return report, version, 0, None
    before = _count(con, ds.name)
    scoped, within = dbmod.scoped_state_sql(ds, "_staged", mode)
    return report, version, before, dbmod.apply(con, ds, scoped, version, within)


def load(
    db: Database,
    name: str,
    path: str | os.PathLike,
    mode: str = "replace",
    force: bool = False,
    user: str | None = None,
    file_name: str | None = None,
    expected_sha256: str | None = None,
    base_version: int | None = None,
    confirm: str = CONFIRM_ON_COMMAND_LINE,
) -> LoadResult:
    """Validate the file, then import it in one transaction as a new version.

    Returns the report when the file is invalid (nothing written); raises Refused when the import
    would remove too much; the database is unchanged in both cases. From the page, the file must
    still be the previewed one (`expected_sha256`) and the database still at the previewed
    version (`base_version`), or Stale is raised: what was confirmed is what gets imported.
    """
    ds = dataset(name)
    _check_mode(mode)
    if not db.exists():
        build(db)
    # The SHA-256 is computed by a thread while the file is staged (hashlib releases the GIL);
    # a confirmation from the page waits for it first, to refuse a file that changed.
    with ThreadPoolExecutor(1) as pool:
        sha = pool.submit(dbmod.sha256_of, path)
        if expected_sha256 is not None and sha.result() != expected_sha256:
            raise Stale("le fichier n'est plus celui de l'aperçu (empreinte SHA-256 différente) : rien n'a été importé ; refaites l'aperçu.")
        return _load(db, ds, path, mode, force, user, file_name, sha, base_version, confirm)


def _load(db, ds, path, mode, force, user, file_name, sha: Future, base_version, confirm) -> LoadResult:
    """`load` once the file's SHA-256 is under way (`sha`), waited for only to record the version."""
    result = LoadResult(Report(ds.name, file_name or Path(path).name))
    try:
        with db.transaction() as con:
            if base_version is not None and dbmod.next_version(con) - 1 != base_version:
                raise Stale(
                    f"la base a changé depuis l'aperçu (version {dbmod.next_version(con) - 1} au lieu de "
                    f"{base_version}) : rien n'a été importé ; refaites l'aperçu."
                )
            result.report, version, before, change = _import(con, ds, path, mode, file_name)
            if change is None:
                raise _Invalid  # leaves the published database untouched
            reason = refusal(ds.name, before, change, confirm)
            if reason and not force:
                raise Refused(reason)
            dbmod.record_version(
                con, version, "load", ds.name, change, mode=mode,
                file_name=result.report.file_name, sha256=sha.result(), user=user,
            )
            result.version, result.changes = version, {ds.name: change}
            if mode == "years":
                result.replaced = replaced_scope(con, ds, version)
    except _Invalid:
        pass
    return result


@dataclass
class Diff:
    """What separates two states of one dataset: counts, and samples to show."""

    change: Change
    cells: list[dict[str, Any]] = field(default_factory=list)  # key, column, old, new (keyed datasets)
    added: Any = None  # DataFrame samples of whole rows
    removed: Any = None


@dataclass
class Preview:
    """What importing a file would do, computed by running the import on a throwaway copy."""

    report: Report
    dataset: str
    mode: str
    sha256: str
    base_version: int  # the published version the preview was computed on
    rows_before: int = 0
    rows_after: int = 0
    diff: Diff | None = None
    refusal: str | None = None  # set when the import needs an explicit confirmation (the page's box)
    replaced: list[dict] = field(default_factory=list)  # a `years` import: see `replaced_scope`

    @property
    def change(self) -> Change | None:
        return self.diff.change if self.diff else None


SAMPLE_ROWS = 200  # rows and changed cells shown in a preview; counts are always exact


def preview(
    db: Database, name: str, path: str | os.PathLike, mode: str = "replace", file_name: str | None = None,
) -> Preview:
    """Validate the file and compute the change its import would make, writing nothing."""
    ds = dataset(name)
    _check_mode(mode)
    if not db.exists():
        build(db)
    sha = dbmod.sha256_of(path)
    with db.sandbox() as con:
        report, version, before, change = _import(con, ds, path, mode, file_name)
        result = Preview(report, ds.name, mode, sha, base_version=version - 1)
        if change is None:
            return result
        result.rows_before, result.rows_after = before, _count(con, ds.name)
        result.refusal = refusal(ds.name, before, change, CONFIRM_ON_PAGE)
        result.diff = diff(con, ds, version - 1, version)
        if mode == "years":
            result.replaced = replaced_scope(con, ds, version)
        # `apply` counted the change; the rows it marked must agree (one truth, shown twice).
        assert result.diff.change == change, (result.diff.change, change)
    return result


def replaced_scope(con, ds, version: int) -> list[dict]:
    """What a `years` import in `version` replaced: one dict per combination of `ds.years_scope`
    present in the file (oda: entity and year), with its rows in the file, before, and removed."""
    q = dbmod.q
    scope = ", ".join(q(c) for c in ds.years_scope)
    rows = q("_rows_" + ds.name)
    v = int(version)
    found = con.execute(
        f"""WITH file AS (SELECT {scope}, count(*) AS n FROM _staged GROUP BY ALL),
        before AS (SELECT {scope}, count(*) AS n FROM ({dbmod.state_at_sql(ds, v - 1)}) GROUP BY ALL),
        removed AS (SELECT {scope}, count(*) AS n FROM {rows} WHERE _removed_in = {v} GROUP BY ALL)
        SELECT {scope}, file.n, coalesce(before.n, 0), coalesce(removed.n, 0)
        FROM file LEFT JOIN before USING ({scope}) LEFT JOIN removed USING ({scope})
        ORDER BY {scope}"""
    ).fetchall()
    names = [*ds.years_scope, "rows_in_file", "rows_before", "rows_removed"]
    return [dict(zip(names, row)) for row in found]


def diff(con, ds, old: int, new: int, sample: int = SAMPLE_ROWS) -> Diff:
    """Rows added, removed and changed in dataset `ds` from version `old` to version `new`.

    Keyed datasets pair rows by key and list the changed cells; rows without a key are compared
    as a multiset (a changed ODA row is one removed and one added). One step (new = old + 1)
    reads the marks `apply` left: it added exactly the rows marked `_added_in = new` and removed
    exactly those marked `_removed_in = new`, never both for equal rows, so those are the
    difference (a preview of a million-row file: 0.1 s instead of 6 s comparing both states).
    Over several versions a row removed then restored bears both marks: the states are compared.
    """
    q = dbmod.q
    cols = ds.column_names
    names = ", ".join(q(c) for c in cols)
    step = new == old + 1
    if step:
        rows = q("_rows_" + ds.name)
        con.execute(f"CREATE OR REPLACE TEMP VIEW _d_old AS SELECT {names} FROM {rows} WHERE _removed_in = {int(new)}")
        con.execute(f"CREATE OR REPLACE TEMP VIEW _d_new AS SELECT {names} FROM {rows} WHERE _added_in = {int(new)}")
    else:
        con.execute(f"CREATE OR REPLACE TEMP TABLE _d_old AS {dbmod.state_at_sql(ds, old)}")
        con.execute(f"CREATE OR REPLACE TEMP TABLE _d_new AS {dbmod.state_at_sql(ds, new)}")
    if not ds.key:
        added_sql = f"SELECT {names} FROM _d_new" + ("" if step else f" EXCEPT ALL SELECT {names} FROM _d_old")
        removed_sql = f"SELECT {names} FROM _d_old" + ("" if step else f" EXCEPT ALL SELECT {names} FROM _d_new")
        pairs_sql = None
    else:
        on = " AND ".join(f"o.{q(k)} IS NOT DISTINCT FROM n.{q(k)}" for k in ds.key)
        added_sql = f"SELECT n.* FROM _d_new n WHERE NOT EXISTS (SELECT 1 FROM _d_old o WHERE {on})"
        removed_sql = f"SELECT o.* FROM _d_old o WHERE NOT EXISTS (SELECT 1 FROM _d_new n WHERE {on})"
        differs = " OR ".join(f"o.{q(c)} IS DISTINCT FROM n.{q(c)}" for c in cols)
        pairs_sql = f"FROM _d_old o JOIN _d_new n ON {on} WHERE {differs}"
    added, removed = (con.execute(f"SELECT count(*) FROM ({s})").fetchone()[0] for s in (added_sql, removed_sql))
    changed = con.execute(f"SELECT count(*) {pairs_sql}").fetchone()[0] if pairs_sql else 0
    order = ", ".join(q(c) for c in (ds.key or cols))
    result = Diff(
        Change(added=added, changed=changed, removed=removed),
        added=con.execute(f"SELECT * FROM ({added_sql}) ORDER BY {order} LIMIT {int(sample)}").df(),
        removed=con.execute(f"SELECT * FROM ({removed_sql}) ORDER BY {order} LIMIT {int(sample)}").df(),
    )
    if pairs_sql:
        select = ", ".join(f"o.{q(c)}, n.{q(c)}" for c in cols)
        for row in con.execute(f"SELECT {select} {pairs_sql} ORDER BY {', '.join('o.' + q(k) for k in ds.key)}").fetchall():
            old_row, new_row = dict(zip(cols, row[0::2])), dict(zip(cols, row[1::2]))
            key = " / ".join(str(old_row[k]) for k in ds.key)
            for c in cols:
                if c not in ds.key and old_row[c] != new_row[c] and not (old_row[c] is None and new_row[c] is None):
                    result.cells.append({"key": key, "column": c, "old": old_row[c], "new": new_row[c]})
            if len(result.cells) >= sample:
                break
    kind = "VIEW" if step else "TABLE"
    con.execute(f"DROP {kind} _d_old; DROP {kind} _d_new")
    return result


def compare(db: Database, old: int, new: int) -> dict[str, Diff]:
    """What changed in each dataset from version `old` to version `new` (read-only)."""
    con = db.reader()
    try:
        last = dbmod.next_version(con) - 1
        for v in (old, new):
            if not 1 <= v <= last:
                raise AtlasError(f"la version {v} n'existe pas : les versions vont de 1 à {last}.")
        return {
            ds.name: diff(con, ds, old, new)
            for ds in DATASETS.values()
        }
    finally:
        con.close()


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


@dataclass
class RestorePreview:
    """What restoring `version` would change, dataset by dataset, from the published `base_version`."""

    version: int
    base_version: int
    diffs: dict[str, Diff]

    @property
    def total(self) -> int:
        return sum(d.change.total for d in self.diffs.values())


def preview_rollback(db: Database, version: int) -> RestorePreview:
    """What `rollback(version)` would change, computed on one read of the published file and
    writing nothing; confirming with base_version=preview.base_version restores exactly that."""
    con = db.reader()
    try:
        last = dbmod.next_version(con) - 1
        if not 1 <= version <= last:
            raise AtlasError(f"la version {version} n'existe pas : les versions vont de 1 à {last}.")
        return RestorePreview(version, last, {ds.name: diff(con, ds, last, version) for ds in DATASETS.values()})
    finally:
        con.close()


def rollback(
    db: Database, version: int, user: str | None = None, base_version: int | None = None
) -> tuple[int, dict[str, Change]]:
    """Restore every dataset as it was right after `version`; the restore is a new version.

    `base_version`, from the page: the version the user saw when choosing; if another import
    came in since, nothing is done (Stale).
    """
    with db.transaction() as con:
        last = dbmod.next_version(con) - 1
        if base_version is not None and last != base_version:
            raise Stale(
                f"la base a changé entre-temps (version {last} au lieu de {base_version}) : "
                "rien n'a été restauré ; vérifiez l'historique puis recommencez."
            )
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


@contextmanager
def _upload_file(data: bytes, file_name: str) -> Iterator[Path]:
    """The bytes of an upload as a private temporary file (its suffix kept), removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="atlas-upload-") as tmp:
        path = Path(tmp) / ("upload" + Path(file_name).suffix.lower()[:10])
        path.write_bytes(data)
        yield path


def preview_upload(db: Database, name: str, data: bytes, file_name: str, mode: str = "replace") -> Preview:
    """`preview` of the bytes of an upload (the page's entry point; same code as the command line)."""
    refused = size_refusal(len(data))
    if refused:
        report = Report(name, file_name).fail(refused)
        return Preview(report, name, mode, sha256="", base_version=0)
    with _upload_file(data, file_name) as path:
        return preview(db, name, path, mode, file_name=file_name)


def load_upload(db: Database, name: str, data: bytes, file_name: str, previewed: Preview, user: str, force: bool = False) -> LoadResult:
    """Import exactly the previewed upload: same bytes (SHA-256), same mode, same base version."""
    with _upload_file(data, file_name) as path:
        return load(
            db, name, path, mode=previewed.mode, force=force, user=user, file_name=file_name,
            expected_sha256=previewed.sha256, base_version=previewed.base_version, confirm=CONFIRM_ON_PAGE,
        )
