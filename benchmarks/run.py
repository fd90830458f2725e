"""The benchmark of issue #8: Atlas against its floor (DuckDB alone) and against the usual pandas
app, at several ODA sizes, printed as ONE table.

    python benchmarks/run.py                                  # sample, 100 000, 1 000 000, 5 000 000
    python benchmarks/run.py --sizes sample,100000 --runs 2   # small and quick
    python benchmarks/run.py --sizes 1000000 --load-sessions 20 --load-seconds 60

For each size (synthetic ODA from `python -m atlas synth`, cached in /tmp/atlas-bench/ by size and
seed; the other datasets are the sample's), in a fresh subprocess each:

- import: `versions.load` (validation + versioned import + atomic publication: what
  `python -m atlas load oda FILE --force` runs, without the interpreter start-up) next to DuckDB's
  bare `read_csv` of the same file into a table in memory (the floor), and into a table of a
  database file, written to disk (CHECKPOINT): the least an import that keeps the rows must do;
- pages: every page of app.py in AppTest (`ui.today` fixed to 2026-11-23): a first run on empty
  caches (cold), a second run (warm: cached queries) and a run after changing one filter (its
  queries are new: cold for them). The goals are judged on the changed-filter run. Every
  `atlas.reading.queries.frame` call of a run is logged, and the same named queries with the same
  parameters are then timed on a plain DuckDB reader: the floor;
- pandas: the usual Streamlit app (benchmarks/pandas_app.py): the ODA table loaded with
  `st.cache_data`, then filtered, grouped (benchmarks/pandas_way.py) and drawn with plotly express
  on every rerun; its script run in AppTest with the same filter change as Atlas's page (the goal
  is judged on it), and its aggregates alone on a DataFrame already in memory;
- browser: `streamlit run` on the database, Chromium (Playwright) through every page: what a person
  feels, from navigation to the page drawn (Streamlit's script finished and every plotly chart's
  SVG present), warm (a browser context that already loaded the app) and cold (a fresh one), the
  median of --runs after a warm-up, with the bytes each view moved (HTTP and websocket, counted on
  the wire by a loopback relay); the app process's peak RSS (VmHWM); the figure JSON that st.plotly_chart
  receives is measured in AppTest; then, within one session, each page after a click on its link
  in the sidebar (no page load); and a bare Streamlit page (a title; a title and one plotly chart)
  served with Atlas's config and measured the same way: the floor of any Streamlit page here;
- load test (optional, on the largest size): two app processes on two ports (as behind a reverse
  proxy), N concurrent browser sessions opening the home and map pages for a bounded time,
  loopback only; errors and p50/p95 latency.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CACHE = Path(os.environ.get("ATLAS_BENCH_CACHE", "/tmp/atlas-bench"))
TODAY = dt.date(2026, 11, 23)  # the tests' « today »
DEFAULT_SIZES = "sample,100000,1000000,5000000"
CHROMIUM = os.environ.get("ATLAS_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"]
ENV = {"ATLAS_MAX_UPLOAD_MB": "4000"}  # a 5 000 000-row CSV is ~700 MB, beyond the default 200 MB


def _select_first(key: str):
    def change(at):
        widget = at.multiselect(key=key)
        widget.select(widget.options[0])
    return change


# page -> (script, query parameters, the filter change, URL path in the browser)
PAGES = {
    "home": ("pages/vue-d-ensemble.py", {}, None, ""),
    "map": ("pages/carte.py", {}, lambda at: at.multiselect(key="map_entities").select("Wallonie"), "carte"),
    # Another country, as the search box does: it writes the link (a component AppTest cannot type in).
    "country": ("pages/fiche-pays.py", {"pays": "COD"}, lambda at: at.query_params.__setitem__("pays", "SEN"),
                "fiche-pays?pays=COD"),
    "oda": ("pages/aide-au-developpement.py", {}, lambda at: at.multiselect(key="oda_filter_entities").select("Wallonie"),
            "aide-au-developpement"),
    "agreements": ("pages/accords.py", {}, _select_first("agreements_filter_entities"), "accords"),
    "missions": ("pages/missions-economiques.py", {}, _select_first("missions_filter_organisers"), "missions-economiques"),
    "data": ("pages/donnees.py", {}, lambda at: at.selectbox(key="data_dataset").set_value("missions"), "donnees"),
}
MAP_PAGES = ("home", "map")


# --- Data: synthetic files and databases, cached by size and seed ------------------------------


def size_dir(size: str, seed: int) -> Path:
    return CACHE / ("sample" if size == "sample" else f"oda-{int(size)}-seed{seed}")


def prepare(size: str, seed: int) -> tuple[Path, float | None]:
    """The ODA CSV of this size (generated once), and the seconds its generation took now."""
    if size == "sample":
        return ROOT / "data" / "sample" / "oda.csv", None
    folder = size_dir(size, seed)
    csv_path = folder / "oda.csv"
    if csv_path.exists() and (folder / "done").exists():
        return csv_path, None
    import synth

    start = time.perf_counter()
    synth.generate(folder, int(size), seed=seed)
    (folder / "done").write_text("ok")
    return csv_path, time.perf_counter() - start


def worker(kind: str, **args) -> dict:
    """Run one measurement in a fresh Python process (clean caches, honest memory), as JSON."""
    done = subprocess.run(
        [sys.executable, __file__, "--worker", kind, "--args", json.dumps(args)],
        cwd=ROOT, capture_output=True, text=True, env={**os.environ, **ENV, "ATLAS_DB": args.get("db", "")},
    )
    if done.returncode != 0:
        sys.exit(f"worker {kind} failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- Workers (run in their own process) --------------------------------------------------------


def work_import(csv: str, db: str) -> dict:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from atlas.store import Database
    from atlas.writes import versions

    with open(csv, "rb") as f:  # the file in the page cache for both contestants
        while f.read(1 << 24):
            pass
    from load import bare_read_csv

    floor, rows = bare_read_csv(Path(csv))
    stored, _ = bare_read_csv(Path(csv), into=Path(db).with_name("floor.duckdb"))
    database = Database(db)
    for stale in Path(db).parent.glob(Path(db).name + "*"):
        stale.unlink()
    versions.build(database)
    start = time.perf_counter()
    result = versions.load(database, "oda", csv, mode="replace", force=True)
    elapsed = time.perf_counter() - start
    if not result.report.ok:
        raise SystemExit("\n".join(map(str, result.report.problems[:20])))
    return {"import_s": elapsed, "read_csv_s": floor, "read_csv_stored_s": stored, "rows": rows,
            "db_mb": Path(db).stat().st_size / 1e6}


def work_round_trip(db: str, rows: int = 1000) -> dict:
    """An analyst's round trip on a copy of `db` (issue 19: ≤ 3 s of server time in all), step by
    step as the page does it: the upload's preview (`writes.preview_upload`), the confirmation
    (`writes.load_upload`), then the ODA page's first run on the new version (AppTest: its queries
    are new for the new data stamp) and the new figure checked on it. The file: `rows` ODA rows of
    a year the database does not hold yet, imported in `years` mode (nothing else replaced)."""
    import csv
    import io
    import shutil
    import tempfile

    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from atlas import writes
    from atlas.store import Database
    from atlas.web import ui

    ui.today = lambda: TODAY
    year = 2026
    with open(ROOT / "data" / "sample" / "oda.csv", encoding="utf-8") as f:
        sample = [r for r in csv.DictReader(f) if r["country_iso3"]]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(sample[0]))
    writer.writeheader()
    for i in range(rows):
        row = dict(sample[i % len(sample)], year=year, entity="Wallonie", amount_eur=1000 + i,
                   source="synthétique : aller-retour du benchmark")
        writer.writerow(row)
    data = out.getvalue().encode("utf-8")
    with tempfile.TemporaryDirectory(prefix="atlas-round-trip-") as tmp:
        copy = Path(tmp) / "atlas.duckdb"
        shutil.copyfile(db, copy)
        os.environ["ATLAS_DB"] = str(copy)
        database = Database(copy)
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
        at.switch_page(PAGES["oda"][0])
        at.run()  # the page as the analyst left it, caches warm
        steps = {}
        start = time.perf_counter()
        previewed = writes.preview_upload("oda", data, "apd-2026.csv", mode="years", at=database)
        steps["preview_s"] = time.perf_counter() - start
        if not previewed.report.ok or previewed.change.added != rows:
            raise SystemExit(f"round trip: preview refused or wrong: {previewed.report.problems[:5]}")
        start = time.perf_counter()
        loaded = writes.load_upload("oda", data, "apd-2026.csv", previewed, user="benchmark", at=database)
        steps["import_s"] = time.perf_counter() - start
        start = time.perf_counter()
        at.run()
        steps["page_s"] = time.perf_counter() - start
        years = at.slider(key="oda_filter_years")
        if at.exception or loaded.version is None or years.max != year:
            raise SystemExit(f"round trip: the ODA page's years end in {years.max}, not {year}, after the import")
        st.cache_data.clear()
        steps["db_mb"] = copy.stat().st_size / 1e6
    steps["total_s"] = steps["preview_s"] + steps["import_s"] + steps["page_s"]
    return steps


def work_pages(db: str, runs: int) -> dict:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from atlas.reading import queries as data
    from atlas.reading import stand_ins
    from atlas.store import Database, execute, over
    from atlas.web import ui

    ui.today = lambda: TODAY
    calls: list[tuple[str, dict]] = []
    original = data.frame

    def logged(name, **params):
        calls.append((name, params))
        return original(name, **params)

    data.frame = logged
    results = {}
    for page, (script, params, change, _) in PAGES.items():
        times: dict[str, list[float]] = {"cold": [], "warm": [], "filter": []}
        logs: dict[str, list] = {}
        spec_bytes = 0
        for _ in range(runs):
            st.cache_data.clear()
            st.cache_resource.clear()
            at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
            at.switch_page(script)
            for key, value in params.items():
                at.query_params[key] = value
            for step in ("cold", "warm", "filter"):
                if step == "filter" and change:
                    change(at)
                calls.clear()
                start = time.perf_counter()
                at.run()
                times[step].append(time.perf_counter() - start)
                if at.exception:
                    raise SystemExit(f"{page} ({step}): {[e.value for e in at.exception]}")
                logs[step] = list(calls)
                if step == "warm":
                    spec_bytes = max([len(e.proto.spec.encode()) for e in at.get("plotly_chart")] or [0])
        results[page] = {step: statistics.median(v) for step, v in times.items()}
        results[page]["map_json_bytes"] = spec_bytes if page in MAP_PAGES else None
        results[page]["_calls"] = logs

    # The floor: the same named queries with the same parameters, on a plain DuckDB reader (a
    # query over another's result gets it computed once per parameters, as the app does).
    con = Database(db).reader()
    for result in results.values():
        for step in ("warm", "filter"):
            per_run = []
            for _ in range(max(runs, 3)):
                start = time.perf_counter()
                bases: dict = {}
                for name, params in result["_calls"][step]:
                    params = dict(params)
                    # the query standing in for the base: passed to queries.frame, else the rule table's
                    stand_in = params.pop("base", None) or stand_ins.stand_in(over(name), params)
                    source = over(name) and (stand_in or over(name))
                    key = (source, repr(sorted(params.items())))
                    if source and key not in bases:
                        bases[key] = execute(con, source, params).df()
                    execute(con, name, params, bases.get(key)).df()
                per_run.append(time.perf_counter() - start)
            result[f"floor_{step}"] = min(per_run[1:]) if len(per_run) > 1 else per_run[0]
        result["queries"] = len(result["_calls"]["filter"])
        del result["_calls"]
    return results


def work_pandas(db: str, runs: int) -> dict:
    """The usual Streamlit app (pandas_app.py): its script runs in AppTest, measured like Atlas's
    pages; and its aggregates alone (pandas_way.py), the DataFrame already in memory."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    sys.path.insert(0, str(ROOT / "benchmarks"))
    import pandas_way

    start = time.perf_counter()
    frames = pandas_way.load(db)
    results = {"load_s": time.perf_counter() - start, "rows": len(frames.oda)}
    for page, (aggregate, default, changed) in pandas_way.CASES.items():
        for step, kwargs in (("warm", default), ("filter", changed)):
            per_run = []
            for _ in range(runs):
                start = time.perf_counter()
                aggregate(frames, **kwargs)
                per_run.append(time.perf_counter() - start)
            results[f"{page}_{step}"] = statistics.median(per_run)
    del frames
    for page, (_, _, changed) in pandas_way.CASES.items():
        times: dict[str, list[float]] = {"warm": [], "filter": []}
        for _ in range(runs):
            st.cache_data.clear()
            at = AppTest.from_file(str(ROOT / "benchmarks" / "pandas_app.py"), default_timeout=600)
            at.query_params["page"] = page
            at.run()  # cold: the table read into the DataFrame
            for step in ("warm", "filter"):
                if step == "filter" and "iso3" in changed:
                    at.selectbox(key="pick").set_value(changed["iso3"])
                elif step == "filter" and "entity" in changed:
                    at.multiselect(key="pick").select(changed["entity"])
                start = time.perf_counter()
                at.run()
                times[step].append(time.perf_counter() - start)
                if at.exception:
                    raise SystemExit(f"pandas app, {page} ({step}): {[e.value for e in at.exception]}")
        for step, values in times.items():
            results[f"{page}_app_{step}"] = statistics.median(values)
    return results


@contextmanager
def serve(db: str, port: int, app: Path = ROOT / "app.py"):
    """`streamlit run app.py` (or another `app` script, run from its folder: its .streamlit/config.toml)
    on 127.0.0.1:port against `db`; yields the process."""
    import urllib.request

    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", app.name, "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=app.parent, env={**os.environ, **ENV, "ATLAS_DB": db},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(240):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1)
                break
            except OSError:
                time.sleep(0.5)
        else:
            raise SystemExit("streamlit did not start")
        yield proc
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process so far (/proc/PID/stat), threads included."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def vm_hwm_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def _idle(page, timeout=180_000) -> None:
    await page.wait_for_selector("h1", timeout=timeout)
    await page.wait_for_function("!document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=timeout)


# Drawn: the script finished, and no element still waits for its code (Streamlit shows a skeleton
# while the chart's code, plotly.js, loads: until then no stPlotlyChart exists to be counted), and
# every plotly chart has its SVG.
DRAWN = """() => {
    const app = document.querySelector('[data-testid=stApp]');
    if (!app || app.getAttribute('data-test-script-state') !== 'notRunning' || !document.querySelector('h1')) return false;
    if (document.querySelector('[data-testid=stMain] [data-testid=stSkeleton]')) return false;
    const plots = [...document.querySelectorAll('[data-testid=stPlotlyChart]')];
    return plots.every(p => p.querySelector('.main-svg'));
}"""
FINISHED = "() => document.querySelector('[data-testid=stApp]')?.getAttribute('data-test-script-state') === 'notRunning'"


class Wire:
    """A loopback TCP relay in front of the app that counts the bytes that cross it both ways: what
    a view really sends over the network (HTTP and websocket frames as compressed on the wire;
    Chromium's DevTools report websocket payloads inflated)."""

    def __init__(self, port: int):
        self.port, self.bytes = port, 0

    async def start(self) -> int:
        self.server = await asyncio.start_server(self._relay, "127.0.0.1", 0)
        return self.server.sockets[0].getsockname()[1]

    async def _relay(self, reader, writer):
        upstream_reader, upstream_writer = await asyncio.open_connection("127.0.0.1", self.port)

        async def pipe(source, sink):
            try:
                while data := await source.read(65536):
                    self.bytes += len(data)
                    sink.write(data)
                    await sink.drain()
            except (ConnectionError, asyncio.CancelledError):
                pass
            finally:
                sink.close()

        await asyncio.gather(pipe(reader, upstream_writer), pipe(upstream_reader, writer))


async def _view(context, url: str, map_page: bool, wire: Wire) -> dict:
    """One page view: seconds from navigation to the script finished and to the page drawn (the
    script finished and every plotly chart's SVG present; the map's countries on a map page),
    and the bytes that crossed the wire for it (`url` goes through `wire`)."""
    page = await context.new_page()
    wire.bytes = 0
    start = time.perf_counter()
    await page.goto(url, timeout=PAGE_LOAD_LIMIT * 1000)
    await page.wait_for_function(FINISHED, timeout=PAGE_LOAD_LIMIT * 1000, polling=20)
    script = time.perf_counter() - start
    await page.wait_for_function(DRAWN, timeout=PAGE_LOAD_LIMIT * 1000, polling=20)
    if map_page:
        await page.wait_for_function(
            "document.querySelectorAll('.js-plotly-plot .choroplethlayer path').length > 150",
            timeout=PAGE_LOAD_LIMIT * 1000, polling=20)
    drawn = time.perf_counter() - start
    await asyncio.sleep(0.3)  # frames still in flight
    failed = await page.locator("[data-testid='stException']").count() > 0
    moved = wire.bytes
    await page.close()
    return {"script": script, "drawn": drawn, "bytes": moved, "failed": failed}


async def _warm_and_cold(browser, warm_context, options, url, map_page, wire, pid, runs) -> tuple[dict, bool]:
    """One page measured: a warm-up view, `runs` warm views (in `warm_context`) with the app's CPU
    per view (process `pid`), `runs` cold ones (each in a fresh context); medians, and whether any
    view showed an exception."""
    await _view(warm_context, url, map_page, wire)  # warm-up: server caches, assets
    used = cpu_seconds(pid)
    warm = [await _view(warm_context, url, map_page, wire) for _ in range(runs)]
    cpu_per_view = (cpu_seconds(pid) - used) / runs  # the app process's CPU for a warm view
    cold = []
    for _ in range(runs):
        context = await browser.new_context(**options)
        cold.append(await _view(context, url, map_page, wire))
        await context.close()
    medians = {
        f"{kind}_{measure}": statistics.median(v[measure] for v in seen)
        for kind, seen in (("warm", warm), ("cold", cold)) for measure in ("script", "drawn", "bytes")
    }
    return medians | {"cpu_per_view": cpu_per_view}, any(v["failed"] for v in warm + cold)


VIEWPORT = dict(viewport={"width": 1280, "height": 900}, locale="fr-BE")


@asynccontextmanager
async def _measured(db: str, app: Path = ROOT / "app.py"):
    """`app` served on `db` behind a Wire, and a Chromium with one context that will have loaded
    it (warm): yields (the app's process, its URL through the wire, the wire, the browser, the
    warm context)."""
    from playwright.async_api import async_playwright

    port = free_port()
    with serve(db, port, app) as proc:
        wire = Wire(port)
        url = f"http://127.0.0.1:{await wire.start()}"
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
            try:
                yield proc, url, wire, browser, await browser.new_context(**VIEWPORT)
            finally:
                await browser.close()


async def _browse(db: str, runs: int = 3) -> dict:
    """Every page in Chromium: cold (a fresh browser context: the first visit, assets included)
    and warm (a context that already loaded the app: Streamlit's assets cached), the median of
    `runs` after one warm-up view; server caches warm. Then the app's peak RSS."""
    views, errors = {}, []
    async with _measured(db) as (proc, url, wire, browser, warm_context):
        for page_name, (*_, path) in PAGES.items():
            views[page_name], failed = await _warm_and_cold(
                browser, warm_context, VIEWPORT, f"{url}/{path}", page_name in MAP_PAGES, wire, proc.pid, runs)
            if failed:
                errors.append(page_name)
        for page_name, seconds in (await _sidebar_views(warm_context, url, wire, runs)).items():
            views[page_name]["sidebar_drawn"] = seconds
        rss = vm_hwm_mb(proc.pid)
    return {"rss_mb": rss, "views": views, "errors": errors}


def work_browser(db: str, runs: int = 3) -> dict:
    return asyncio.run(_browse(db, runs))


async def _sidebar_views(context, url: str, wire: Wire, runs: int) -> dict:
    """Within one session, as a person moves: the home page, then a click on each page's link in
    the sidebar (no page load: Streamlit's and plotly's code stay in the page), seconds from the
    click to the new page drawn; the median over `runs` rounds."""
    page = await context.new_page()
    await page.goto(url, timeout=PAGE_LOAD_LIMIT * 1000)
    await page.wait_for_function(DRAWN, timeout=PAGE_LOAD_LIMIT * 1000, polling=20)
    seen: dict[str, list[float]] = {}
    for _ in range(runs):
        for page_name, (*_, path) in [*list(PAGES.items())[1:], next(iter(PAGES.items()))]:
            title = await page.locator("h1").first.inner_text()
            link = page.locator(f'[data-testid="stSidebarNav"] a[href$="/{path.split("?")[0]}"]').first
            start = time.perf_counter()
            await link.click()
            await page.wait_for_function(
                f"(old) => ({DRAWN})() && document.querySelector('h1').innerText !== old", arg=title,
                timeout=PAGE_LOAD_LIMIT * 1000, polling=20)
            if page_name in MAP_PAGES:
                await page.wait_for_function(
                    "document.querySelectorAll('.js-plotly-plot .choroplethlayer path').length > 150",
                    timeout=PAGE_LOAD_LIMIT * 1000, polling=20)
            seen.setdefault(page_name, []).append(time.perf_counter() - start)
    await page.close()
    return {name: statistics.median(times) for name, times in seen.items()}


FLOOR_APPS = {  # what Streamlit itself costs on this machine: a page with a title, and with one chart
    "title": 'import streamlit as st\nst.title("Atlas")\nst.write("Texte.")\n',
    "chart": ('import plotly.graph_objects as go\nimport streamlit as st\nst.title("Atlas")\n'
              'st.plotly_chart(go.Figure(go.Bar(x=["a", "b"], y=[1, 2])))\n'),
}


async def _floor(runs: int) -> dict:
    """The two FLOOR_APPS served with Atlas's own .streamlit/config.toml and measured as the pages
    are (warm and cold drawn, CPU per warm view): no page of any Streamlit app with a plotly chart
    is drawn sooner on this machine."""
    import shutil
    import tempfile

    out = {}
    with tempfile.TemporaryDirectory(prefix="atlas-floor-") as tmp:
        shutil.copytree(ROOT / ".streamlit", Path(tmp) / ".streamlit")
        for name, code in FLOOR_APPS.items():
            app = Path(tmp) / f"{name}.py"
            app.write_text(code)
            async with _measured("", app) as (proc, url, wire, browser, warm_context):
                out[name], _ = await _warm_and_cold(browser, warm_context, VIEWPORT, url + "/", False, wire, proc.pid, runs)
    return out


def work_floor(runs: int = 3) -> dict:
    return asyncio.run(_floor(runs))


PAGE_LOAD_LIMIT = 60  # seconds: a page load slower than this counts as an error, and bounds the test


async def open_map_page(page, url: str) -> None:
    await page.goto(url, timeout=PAGE_LOAD_LIMIT * 1000)
    await _idle(page, PAGE_LOAD_LIMIT * 1000)
    await page.wait_for_function(
        "document.querySelectorAll('.js-plotly-plot .choroplethlayer path').length > 150",
        timeout=PAGE_LOAD_LIMIT * 1000)


async def _load_test(db: str, sessions: int, seconds: float) -> dict:
    """`sessions` browser contexts, alternating between two app processes, opening the home and
    map pages in a loop for `seconds`; latency = navigation until the script finished and the map
    is drawn."""
    from playwright.async_api import async_playwright

    ports = [free_port(), free_port()]
    latencies: dict[str, list[float]] = {"home": [], "map": []}
    errors: list[str] = []
    with serve(db, ports[0]) as first, serve(db, ports[1]) as second:
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
            deadline = time.monotonic() + seconds

            async def session(i: int) -> None:
                context = await browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-BE")
                page = await context.new_page()
                base = f"http://127.0.0.1:{ports[i % 2]}"
                while time.monotonic() < deadline:
                    for name, path in (("home", ""), ("map", "carte")):
                        start = time.perf_counter()
                        try:
                            await asyncio.wait_for(open_map_page(page, f"{base}/{path}"), PAGE_LOAD_LIMIT)
                            if await page.locator("[data-testid='stException']").count():
                                errors.append(f"{name}: exception")
                            latencies[name].append(time.perf_counter() - start)
                        except Exception as err:  # a timeout or a crash is an error of the test
                            errors.append(f"{name}: {type(err).__name__}")
                await context.close()

            await asyncio.gather(*(session(i) for i in range(sessions)))
            await browser.close()
        rss = [vm_hwm_mb(first.pid), vm_hwm_mb(second.pid)]
    every = sorted(latencies["home"] + latencies["map"])

    def pct(values, q):
        values = sorted(values)
        return values[min(len(values) - 1, int(q * len(values)))] if values else float("nan")

    return {
        "sessions": sessions, "seconds": seconds, "loads": len(every), "errors": errors,
        "p50": pct(every, 0.5), "p95": pct(every, 0.95),
        "home_p50": pct(latencies["home"], 0.5), "map_p50": pct(latencies["map"], 0.5), "rss_mb": rss,
    }


def work_load_test(db: str, sessions: int, seconds: float) -> dict:
    return asyncio.run(_load_test(db, sessions, seconds))


# --- The table ---------------------------------------------------------------------------------


def ms(seconds) -> str:
    return "–" if seconds is None else f"{seconds * 1000:,.0f}".replace(",", " ")


def sec(seconds) -> str:
    return "–" if seconds is None else f"{seconds:.2f}"


def ratio(a, b) -> str:
    return "–" if a is None or not b else f"{a / b:.1f}×"


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal"))
    import duckdb
    import pandas
    import streamlit

    return (f"{os.cpu_count()} cores ({cpu}), {mem / 1024 / 1024:.0f} GB RAM, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}, DuckDB {duckdb.__version__}, pandas {pandas.__version__}, "
            f"Streamlit {streamlit.__version__}; load average {os.getloadavg()[0]:.1f} at the end")


def table(sizes: list[str], res: dict) -> str:
    head = ["measure"] + [("sample (" + str(res[s]["import"]["rows"]) + " rows)") if s == "sample"
                          else f"{int(s):,} rows".replace(",", " ") for s in sizes] + ["goal (at the largest size)"]
    rows: list[list[str]] = []

    def row(label, fn, goal=""):
        rows.append([label] + [fn(res[s]) for s in sizes] + [goal])

    row("import with validation (s)", lambda r: sec(r["import"]["import_s"]))
    row("DuckDB read_csv alone, floor (s)", lambda r: sec(r["import"]["read_csv_s"]))
    row("import / floor", lambda r: ratio(r["import"]["import_s"], r["import"]["read_csv_s"]), "≤ 2×")
    row("read_csv into a database file, stored (s)", lambda r: sec(r["import"]["read_csv_stored_s"]))
    row("import / stored read_csv", lambda r: ratio(r["import"]["import_s"], r["import"]["read_csv_stored_s"]))
    row("pandas: ODA into a DataFrame (s)", lambda r: sec(r["pandas"]["load_s"]))
    row("round trip, 1 000-row upload: preview (s)", lambda r: sec(r["round_trip"]["preview_s"]))
    row("round trip: confirmed import (s)", lambda r: sec(r["round_trip"]["import_s"]))
    row("round trip: ODA page on the new version (s)", lambda r: sec(r["round_trip"]["page_s"]))
    row("round trip: server time in all (s)", lambda r: sec(r["round_trip"]["total_s"]), "≤ 3 s")
    row("database file (MB)", lambda r: f"{r['round_trip']['db_mb']:.0f}")
    base = res[sizes[0]]["pages"]
    for page in PAGES:
        def p(r, page=page):
            return r["pages"][page]
        row(f"{page}: first run, cold (ms)", lambda r, p=p: ms(p(r)["cold"]))
        row(f"{page}: rerun, warm (ms)", lambda r, p=p: ms(p(r)["warm"]))
        row(f"{page}: filter changed (ms)", lambda r, p=p: ms(p(r)["filter"]), "< 500 ms")
        row(f"{page}: its {base[page]['queries']} queries in DuckDB, floor (ms)", lambda r, p=p: ms(p(r)["floor_filter"]))
        row(f"{page}: filter changed / floor", lambda r, p=p: ratio(p(r)["filter"], p(r)["floor_filter"]), "≤ 3×")
        row(f"{page}: filter changed / same on {sizes[0]}", lambda r, p=p, page=page: ratio(p(r)["filter"], base[page]["filter"]),
            "≤ 1.5×")
        if f"{page}_filter" in res[sizes[0]]["pandas"]:
            row(f"{page}: pandas app, filter changed (ms)", lambda r, page=page: ms(r["pandas"][f"{page}_app_filter"]))
            row(f"{page}: pandas app / Atlas", lambda r, page=page, p=p: ratio(r["pandas"][f"{page}_app_filter"], p(r)["filter"]),
                "≥ 5×")
            row(f"{page}: its pandas aggregates alone (ms)", lambda r, page=page: ms(r["pandas"][f"{page}_filter"]))
            row(f"{page}: pandas aggregates alone / Atlas", lambda r, page=page, p=p: ratio(r["pandas"][f"{page}_filter"], p(r)["filter"]))
    row("app peak RSS, all pages in Chromium (MB)", lambda r: f"{r['browser']['rss_mb']:.0f}" if r.get("browser") else "–", "< 1 000 MB")
    for page in MAP_PAGES:
        row(f"{page}: map figure JSON (KB)", lambda r, page=page: f"{r['pages'][page]['map_json_bytes'] / 1000:.0f}", "< 300 KB")

    def view(page, key, fmt):
        return lambda r: fmt(r["browser"]["views"][page][key]) if r.get("browser") else "–"

    floor = res[sizes[0]].get("floor")
    if floor:  # the same measure of a bare Streamlit page: what no Streamlit page does better here
        for name, label in (("title", "a title"), ("chart", "a title and one plotly chart")):
            row(f"Streamlit floor, {label}: drawn warm (ms)", lambda r, name=name: ms(floor[name]["warm_drawn"]))
            row(f"Streamlit floor, {label}: drawn cold (ms)", lambda r, name=name: ms(floor[name]["cold_drawn"]))
            row(f"Streamlit floor, {label}: CPU per warm view (ms)", lambda r, name=name: ms(floor[name]["cpu_per_view"]))
    for page in PAGES:  # what a person feels: navigation to the page drawn, in Chromium
        row(f"{page}: drawn in Chromium, warm (ms)", view(page, "warm_drawn", ms), "≤ 500 ms")
        row(f"{page}:   of which the script finished (ms)", view(page, "warm_script", ms))
        if floor:
            row(f"{page}:   warm / Streamlit floor with a chart",
                lambda r, page=page: ratio(r["browser"]["views"][page]["warm_drawn"], floor["chart"]["warm_drawn"])
                if r.get("browser") else "–")
        row(f"{page}: drawn in Chromium, cold (ms)", view(page, "cold_drawn", ms), "≤ 1 000 ms")
        row(f"{page}: drawn after a click in the sidebar (ms)", view(page, "sidebar_drawn", ms))
        row(f"{page}: bytes per view, warm (KB)", view(page, "warm_bytes", lambda b: f"{b / 1000:.0f}"),
            "≤ 150 KB" if page in MAP_PAGES else "")
        row(f"{page}: bytes per view, cold (KB)", view(page, "cold_bytes", lambda b: f"{b / 1000:.0f}"))
        row(f"{page}: app CPU per warm view (ms)", view(page, "cpu_per_view", ms), "≤ 100 ms" if page in MAP_PAGES else "")
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(head, widths)) + " |",
             "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    lines += ["| " + " | ".join(c.ljust(w) for c, w in zip(r, widths)) + " |" for r in rows]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default=DEFAULT_SIZES, help=f"ODA sizes, comma-separated (default {DEFAULT_SIZES})")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=3, help="AppTest runs per page (median)")
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium memory and websocket measure")
    parser.add_argument("--load-sessions", type=int, default=0, help="concurrent sessions of the load test (0: none)")
    parser.add_argument("--load-seconds", type=float, default=60)
    parser.add_argument("--load-only", action="store_true", help="only the load test, on the (cached) largest size")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--args", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(globals()[f"work_{args.worker}"](**json.loads(args.args))))
        return

    sizes = [s.strip().replace("_", "").replace(" ", "") for s in args.sizes.split(",") if s.strip()]
    began = time.perf_counter()
    results: dict[str, dict] = {}
    if args.load_only:
        csv_path, _ = prepare(sizes[-1], args.seed)
        db = size_dir(sizes[-1], args.seed) / "atlas.duckdb"
        if not db.exists():
            worker("import", csv=str(csv_path), db=str(db))
        sizes = []
    for size in sizes:
        csv_path, generated = prepare(size, args.seed)
        db = str(size_dir(size, args.seed) / "atlas.duckdb")
        Path(db).parent.mkdir(parents=True, exist_ok=True)
        log = f"[{time.perf_counter() - began:5.0f} s] {size}:"
        if generated is not None:
            print(f"{log} synthetic files written in {generated:.1f} s", file=sys.stderr)
        r = results[size] = {"import": worker("import", csv=str(csv_path), db=db)}
        print(f"{log} import {r['import']['import_s']:.2f} s", file=sys.stderr)
        r["round_trip"] = worker("round_trip", db=db)
        print(f"[{time.perf_counter() - began:5.0f} s] {size}: round trip {r['round_trip']['total_s']:.2f} s", file=sys.stderr)
        r["pages"] = worker("pages", db=db, runs=args.runs)
        print(f"[{time.perf_counter() - began:5.0f} s] {size}: pages measured", file=sys.stderr)
        r["pandas"] = worker("pandas", db=db, runs=args.runs)
        print(f"[{time.perf_counter() - began:5.0f} s] {size}: pandas measured", file=sys.stderr)
        if not args.no_browser:
            r["browser"] = worker("browser", db=db, runs=args.runs)
            print(f"[{time.perf_counter() - began:5.0f} s] {size}: browser measured", file=sys.stderr)
    load, load_size = None, args.sizes.split(",")[-1].strip()
    if args.load_sessions:
        db = str(size_dir(load_size, args.seed) / "atlas.duckdb")
        load = worker("load_test", db=db, sessions=args.load_sessions, seconds=args.load_seconds)
    if sizes and not args.no_browser:
        results[sizes[0]]["floor"] = worker("floor", runs=args.runs)
        print(f"[{time.perf_counter() - began:5.0f} s] Streamlit floor measured", file=sys.stderr)
    if sizes:
        print(table(sizes, results))
        print()
    print(f"Machine: {machine()}.")
    if sizes:
        print(f"Synthetic ODA from `python -m atlas synth` (seed {args.seed}); page times: median of {args.runs} AppTest runs.")
    errors = {s: results[s]["browser"]["errors"] for s in sizes if results[s].get("browser", {}).get("errors")}
    if errors:
        print(f"Pages showing an exception in Chromium: {errors}")
    if load:
        print(
            f"Load test on {load_size} ODA rows: {load['sessions']} concurrent sessions over 2 app processes for "
            f"{load['seconds']:.0f} s, {load['loads']} page loads (home + map, until the map is drawn), "
            f"{len(load['errors'])} errors{' ' + str(sorted(set(load['errors']))) if load['errors'] else ''}; "
            f"latency p50 {load['p50']:.2f} s, p95 {load['p95']:.2f} s (home p50 {load['home_p50']:.2f} s, "
            f"map p50 {load['map_p50']:.2f} s); peak RSS of the two processes "
            f"{load['rss_mb'][0]:.0f} and {load['rss_mb'][1]:.0f} MB."
        )
    print(f"Total benchmark time: {time.perf_counter() - began:.0f} s.")


if __name__ == "__main__":
    main()
