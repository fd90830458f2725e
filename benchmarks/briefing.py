"""Time the country briefing note (issue 18: « under 5 s »): content, then Word + PDF + Excel, for each
country with data in a database (the shipped sample by default), in the process's one kept chromium
as the app does (atlas/figures/chromium.py): the first note includes the browser's start.

    python benchmarks/briefing.py [--db data/atlas.duckdb] [--lang fr] [--limit N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from atlas.figures import briefing_files  # noqa: E402
from atlas.figures.briefing import build_briefing  # noqa: E402
from atlas.store import Database, execute  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db")
    parser.add_argument("--lang", default="fr")
    parser.add_argument("--limit", type=int, default=0)
    args = parser.parse_args()
    con = Database(args.db).reader()
    run = lambda name, base=None, **params: execute(con, name, params, base).df()  # noqa: E731
    countries = con.execute(
        "SELECT country_iso3 FROM (SELECT country_iso3 FROM oda_country_summary UNION SELECT country_iso3 FROM agreements "
        "UNION SELECT country_iso3 FROM missions UNION SELECT country_iso3 FROM offices) WHERE country_iso3 IS NOT NULL "
        "ORDER BY 1").fetchall()
    countries = [c for (c,) in countries][: args.limit or None]
    times = []
    for iso3 in countries:
        started = time.perf_counter()
        note = build_briefing(run, iso3, args.lang, dt.date.today())
        content = time.perf_counter() - started
        files = briefing_files.build_files(note)
        total = time.perf_counter() - started
        times.append(total)
        print(f"{iso3}  content {content:.2f} s  files {files.seconds:.2f} s  total {total:.2f} s  "
              f"({len(files.pdf) // 1024} KB PDF, {len(note.charts)} charts)")
    print(f"first note (browser start included) {times[0]:.2f} s")
    print(f"{len(times)} countries: median {statistics.median(times):.2f} s, max {max(times):.2f} s")


if __name__ == "__main__":
    main()
