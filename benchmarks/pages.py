"""Benchmark: script time of the « Carte » and « Fiche pays » pages, measured with AppTest.

    python benchmarks/pages.py --db PATH [--runs 3]
    python benchmarks/pages.py --db /tmp/big.duckdb --make 1000000   # builds it first

`--make N` builds a database from data/sample/ and replaces its ODA with N synthetic rows
(atlas/synth.py, the generator of `python -m atlas synth`). For each page it prints the first run
with empty caches (cold), a rerun (warm), and a run after a filter change. benchmarks/run.py
measures every page this way, with floors and the pandas comparison, in one table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def make(db: Path, rows: int) -> None:
    from load import write_file

    csv_path = db.with_suffix(".oda.csv")
    write_file(csv_path, rows)
    for args in (["build"], ["load", "oda", str(csv_path), "--force"]):
        subprocess.run([sys.executable, "-m", "atlas", *args, "--db", str(db)], cwd=ROOT, check=True)
    csv_path.unlink()


def measure(page: str, params: dict, change, runs: int) -> dict[str, list[float]]:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    results: dict[str, list[float]] = {"cold": [], "warm": [], "filter": []}
    for _ in range(runs):
        st.cache_data.clear()
        st.cache_resource.clear()
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
        at.switch_page(page)
        for key, value in params.items():
            at.query_params[key] = value
        for name, step in (("cold", None), ("warm", None), ("filter", change)):
            if step:
                step(at)
            start = time.perf_counter()
            at.run()
            results[name].append(time.perf_counter() - start)
            assert not at.exception, [e.value for e in at.exception]
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True, type=Path)
    parser.add_argument("--make", type=int, help="first build the database with this many synthetic ODA rows")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "benchmarks"))
    if args.make:
        make(args.db, args.make)
    os.environ["ATLAS_DB"] = str(args.db)

    from atlas import ui

    ui.today = lambda: dt.date(2026, 11, 23)  # the same « today » as the tests
    pages = {
        "pages/map.py": ({}, lambda at: at.multiselect(key="map_entities").select("Wallonie")),
        "pages/country.py": ({"pays": "COD"}, lambda at: at.selectbox(key="country_pick").set_value("SEN")),
    }
    for page, (params, change) in pages.items():
        results = measure(page, params, change, args.runs)
        summary = ", ".join(f"{name} {statistics.median(v) * 1000:.0f} ms" for name, v in results.items())
        print(f"{page:18} {summary} (médiane de {args.runs})")


if __name__ == "__main__":
    main()
