"""Benchmark: `python -m atlas load` of a synthetic 1 000 000-row ODA file against DuckDB's bare
`read_csv` of the same file, measured in the same run (the goal is at most 2×).

    python benchmarks/load.py [--rows 1000000] [--keep DIR]

A focused companion of benchmarks/run.py (the one table of issue #8): this one times the whole
command-line process (interpreter start-up included) and a second, unchanged load. It also times
`read_csv` into a table of a database file written to disk: the least any import that keeps
the rows must do, beside the issue's floor (a table in memory). The file comes
from benchmarks/synth.py (`python -m atlas synth`), like every benchmark file. The load runs as a real
subprocess on a database built from data/sample/, in replace mode with --force (it removes the
sample's rows).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def write_file(path: Path, n: int, seed: int = 1) -> None:
    """`n` synthetic ODA rows: the same generator as `python -m atlas synth` (benchmarks/synth.py)."""
    from synth import write_oda

    write_oda(path, n, seed=seed)


def bare_read_csv(path: Path, into: Path | None = None) -> tuple[float, int]:
    """Seconds DuckDB takes to read the file into a table (the floor), and its rows.

    In memory by default, as the issue's floor; `into` a database file, the table is also written
    to disk (CHECKPOINT), which any import that keeps the rows must do.
    """
    if into is not None:
        for stale in (into, into.with_name(into.name + ".wal")):
            stale.unlink(missing_ok=True)
    start = time.perf_counter()
    con = duckdb.connect(str(into) if into else ":memory:")
    con.execute("CREATE TABLE t AS SELECT * FROM read_csv($p)", {"p": str(path)})
    if into is not None:
        con.execute("CHECKPOINT")  # in memory it would compress the table: 0.4 s at 1 000 000 rows
    elapsed = time.perf_counter() - start
    rows = con.execute("SELECT count(*) FROM t").fetchone()[0]
    con.close()
    if into is not None:
        into.unlink()
    return elapsed, rows


def atlas(*args: str) -> float:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "atlas", *args], cwd=ROOT, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(done.stderr)
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--keep", help="directory to keep the file and database in")
    args = parser.parse_args()
    work = Path(args.keep or tempfile.mkdtemp(prefix="atlas-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    csv_path, db = work / "oda.csv", work / "atlas.duckdb"
    write_file(csv_path, args.rows)
    print(f"fichier         : {csv_path} ({csv_path.stat().st_size / 1e6:.0f} Mo, {args.rows} lignes)")
    atlas("build", "--db", str(db))
    bare, rows = bare_read_csv(csv_path)
    print(f"read_csv        : {bare:6.2f} s ({rows:,} lignes, table en mémoire)".replace(",", " "))
    stored, _ = bare_read_csv(csv_path, into=work / "floor.duckdb")
    print(f"read_csv stocké : {stored:6.2f} s (table d'un fichier DuckDB, écrite sur disque)")
    load = atlas("load", "oda", str(csv_path), "--force", "--db", str(db))
    print(f"atlas load      : {load:6.2f} s (processus complet : démarrage, validation, import, publication)")
    # A second load of the same file: every row matched, nothing written but the version.
    again = atlas("load", "oda", str(csv_path), "--db", str(db))
    print(f"atlas load (=)  : {again:6.2f} s (même fichier, base déjà à 1 M lignes)")
    print(f"rapport         : {load / bare:.1f}× (objectif ≤ 2×) ; {load / stored:.1f}× le read_csv stocké")
    # Figures on a shared machine mean little without its load: print it with them.
    print("charge (1, 5, 15 min) : " + ", ".join(f"{x:.2f}" for x in os.getloadavg()) + f" sur {os.cpu_count()} cœurs")


if __name__ == "__main__":
    main()
