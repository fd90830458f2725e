"""Capacity of the deployment of deploy/ (issue 19, part 3): CPU milliseconds per page view, page by
page, of the replicas behind nginx, at 1 000 000 ODA rows; from it, the page views per second that
one core sustains.

    python benchmarks/replicas.py [--rows 1000000] [--replicas 2] [--views 12]

Run as root (nginx), with Debian's chromium. The database (the sample's datasets, then N synthetic
ODA rows from `python -m atlas synth`, loaded in replace mode) is built once into
/tmp/atlas-bench/replicas-N/. deploy/ is rendered by deploy/render.py and run by deploy/local.py as
tests/test_deploy.py runs it: nginx in front, each replica started with its unit's ExecStart line.

One browser context is pinned to each replica (its route cookie). For each page, in turn:
- cold: one view on each replica, its first view of that page since the replica started (empty
  caches: what the first visitor after an import or a restart costs);
- warm: `views` more views, spread over the replicas (each a new Streamlit session, like a new
  visitor or a link opened; queries cached, keyed by the data version).
A view is a navigation through nginx until Streamlit's script has finished (and the map drawn, on
the two map pages). The replicas' CPU time (user + system, from /proc/PID/stat: what psutil's
cpu_times reads; psutil is not a dependency of Atlas) is read before and after: CPU-ms per view is
their sum over the views. nginx's CPU is given beside. Views run one at a time, so a view's CPU is
its own; the browser's CPU is not counted (it is the visitor's).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "deploy"))
import local  # noqa: E402  deploy/local.py

CACHE = Path(os.environ.get("ATLAS_BENCH_CACHE", "/tmp/atlas-bench"))
CHROMIUM = os.environ.get("ATLAS_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"]
# page -> URL path; the two map pages wait for the map's shapes.
PAGES = {
    "home": "/", "map": "/carte", "country": "/fiche-pays?pays=COD", "oda": "/aide-au-developpement",
    "agreements": "/accords", "missions": "/missions-economiques", "presentation": "/presentation",
    "data": "/donnees",
}
MAP_PAGES = ("home", "map")
TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process (all its threads), as psutil.Process(pid).cpu_times() reads it."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def tree_cpu_seconds(pid: int) -> float:
    """A process's CPU with that of its children: live ones, and those it has reaped (nginx's cache
    loader exits after a minute)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    own = sum(int(f) for f in fields[11:15]) / TICK
    return own + sum(cpu_seconds(child) for child in children(pid))


def children(pid: int) -> list[int]:
    """The direct children of a process (nginx's workers)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(stat.parent.name))
        except (OSError, ValueError):
            continue
    return found


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def database(rows: int) -> Path:
    """The sample's datasets with `rows` synthetic ODA rows, built once."""
    folder = CACHE / f"replicas-{rows}"
    db = folder / "atlas.duckdb"
    if (folder / "done").exists():
        return db
    folder.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "ATLAS_MAX_UPLOAD_MB": "4000"}
    atlas = [sys.executable, "-m", "atlas"]
    subprocess.run([*atlas, "build", "--db", str(db)], cwd=ROOT, check=True, env=env)
    subprocess.run([*atlas, "synth", str(folder / "synth"), "--oda-rows", str(rows)], cwd=ROOT, check=True, env=env)
    subprocess.run([*atlas, "load", "oda", str(folder / "synth" / "oda.csv"), "--mode", "replace", "--force",
                    "--db", str(db)], cwd=ROOT, check=True, env=env)
    (folder / "done").write_text("ok")
    return db


def routes_per_replica(base: str, access_log: Path, ports: list[int]) -> dict[int, str]:
    """A route cookie that nginx hashes to each replica (found from its access log)."""
    import http.client

    found: dict[int, str] = {}
    host, port = base.removeprefix("http://").split(":")
    for _ in range(200):
        con = http.client.HTTPConnection(host, int(port), timeout=10)
        con.request("GET", "/_stcore/health")
        con.getresponse().read()
        con.close()
        con = http.client.HTTPConnection(host, int(port), timeout=10)
        con.request("GET", "/")
        response = con.getresponse()
        response.read()
        con.close()
        route = response.getheader("Set-Cookie").split(";")[0].split("=")[1]
        for _ in range(50):
            served = [line for line in access_log.read_text().splitlines() if f"route={route} " in line]
            if served:
                break
            time.sleep(0.05)
        upstream = int(served[0].split(" upstream=")[1].split()[0].rsplit(":", 1)[1])
        found.setdefault(upstream, route)
        if len(found) == len(ports):
            return found
    raise SystemExit("nginx never chose some replica")


def view(page, url: str, name: str) -> float:
    start = time.perf_counter()
    page.goto(url)
    page.wait_for_selector("h1", timeout=120_000)
    page.wait_for_load_state("networkidle")
    page.wait_for_function("!document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=120_000)
    if name in MAP_PAGES:
        page.wait_for_function(
            "document.querySelectorAll('.js-plotly-plot .choroplethlayer path').length > 150", timeout=120_000)
    if page.locator("[data-testid='stException']").count():
        raise SystemExit(f"{name}: exception on the page")
    return time.perf_counter() - start


def measure(rows: int, replicas: int, views: int) -> dict:
    from playwright.sync_api import sync_playwright

    nginx = local.tool("nginx")
    if nginx is None:
        raise SystemExit("nginx not found: apt-get install nginx (scripts/test installs it)")
    db = database(rows)
    results: dict = {"pages": {}}
    with tempfile.TemporaryDirectory(prefix="atlas-replicas-") as tmp:
        folder = Path(tmp)
        env_file = local.write_env(folder, db, [local.free_port() for _ in range(replicas)], local.free_port(),
                                   200, secrets.token_hex(32))
        with local.running(env_file, folder, nginx) as deployed, sync_playwright() as p:
            ports = list(deployed.replicas)
            pids = {port: proc.pid for port, proc in deployed.replicas.items()}
            routes = routes_per_replica(deployed.base, deployed.access_log, ports)
            browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
            pinned = {}
            for port, route in routes.items():
                context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="fr-BE")
                context.add_cookies([{"name": "atlas_route", "value": route, "url": deployed.base}])
                pinned[port] = context.new_page()
            # Streamlit's assets into each browser and nginx's cache, Atlas's modules into each
            # replica: a first view of the data page (its own « cold » figure is then not measured).
            for page in pinned.values():
                view(page, deployed.base + PAGES["data"], "data")

            def cpu() -> dict[int, float]:
                return {port: cpu_seconds(pid) for port, pid in pids.items()}

            # What idle replicas spend anyway (Streamlit's own loops), taken off every measure.
            before, idle_start = cpu(), time.perf_counter()
            time.sleep(5)
            idle_rate = sum(cpu().values()) - sum(before.values())
            idle_rate /= time.perf_counter() - idle_start
            results["idle_ms_per_s"] = 1000 * idle_rate

            nginx_before = tree_cpu_seconds(deployed.proxy.pid)
            started = time.perf_counter()
            for name, path in PAGES.items():
                cold, cold_walls = [], []
                for port, page in ([] if name == "data" else pinned.items()):
                    before = cpu_seconds(pids[port])
                    cold_walls.append(view(page, deployed.base + path, name))
                    cold.append(cpu_seconds(pids[port]) - before)
                before, walls, window = cpu(), [], time.perf_counter()
                for number in range(views):
                    walls.append(view(pinned[ports[number % len(ports)]], deployed.base + path, name))
                after, window = cpu(), time.perf_counter() - window
                warm = (sum(after[port] - before[port] for port in ports) - idle_rate * window) / views
                results["pages"][name] = {
                    "cold_ms": 1000 * statistics.median(cold) if cold else None, "warm_ms": 1000 * warm,
                    "cold_wall": statistics.median(cold_walls) if cold else None, "warm_wall": statistics.median(walls),
                }
                print(f"{name}: cold {cold}, warm {1000 * warm:.0f} CPU-ms ({statistics.median(walls):.2f} s)",
                      file=sys.stderr)
            elapsed = time.perf_counter() - started
            browser.close()
            results["nginx_cpu_s"] = tree_cpu_seconds(deployed.proxy.pid) - nginx_before
            results["elapsed_s"] = elapsed
            results["views"] = len(PAGES) * (views + len(ports))
            results["rss_mb"] = {port: rss_mb(pid) for port, pid in pids.items()}
    return results


def report(rows: int, replicas: int, views: int, res: dict) -> str:
    load = os.getloadavg()[0]
    lines = [
        f"Replicas behind nginx: CPU per page view, {rows:_} ODA rows".replace("_", " "),
        f"{dt.datetime.now():%Y-%m-%d %H:%M}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{replicas} replicas, {views} warm views per page, load average {load:.1f} at the end",
        "",
        "| page | CPU-ms per view, warm | views/s per core, warm | CPU-ms, cold (first view on a replica) "
        "| wall time, warm |",
        "|---|---|---|---|---|",
    ]
    for name, r in res["pages"].items():
        cold = "—" if r["cold_ms"] is None else f"{r['cold_ms']:.0f}"
        lines.append(f"| {name} | {r['warm_ms']:.0f} | {1000 / r['warm_ms']:.1f} | {cold} | {r['warm_wall']:.2f} s |")
    mean = statistics.mean(r["warm_ms"] for r in res["pages"].values())
    lines += [
        "",
        f"Mean over the pages, warm: {mean:.0f} CPU-ms per view ({1000 / mean:.1f} views/s per core). "
        f"nginx: {1000 * res['nginx_cpu_s'] / res['views']:.1f} CPU-ms per view. Idle replicas: "
        f"{res['idle_ms_per_s']:.1f} CPU-ms per second in all, taken off the warm figures. "
        f"Replicas' RSS at the end: {', '.join(f'{v:.0f}' for v in res['rss_mb'].values())} MB.",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--replicas", type=int, default=2)
    parser.add_argument("--views", type=int, default=12, help="warm views per page")
    args = parser.parse_args()
    res = measure(args.rows, args.replicas, args.views)
    print(report(args.rows, args.replicas, args.views, res))


if __name__ == "__main__":
    main()
