"""The deployment of deploy/ for many users, run for real on loopback: Debian's nginx rendered by
deploy/render.py in front of three replicas, each started by deploy/local.py with its unit's own
ExecStart line (and its WorkingDirectory, Environment= and EnvironmentFile=, as systemd would), all
on one published database.

Chromium goes through nginx to every page, from one browser context per replica (the route cookie
decides which), while `python -m atlas load` publishes a new version; nginx's access log, which names
the replica of each request, shows that every replica served pages and that each browser stayed on
its own; each replica, asked on its own port, shows the new data version. An analyst uploads through
nginx a file just under Streamlit's ceiling: Atlas refuses it, in French; a file over that ceiling
is stopped by the widget (ATLAS_MAX_UPLOAD_MB drives the three limits). `systemd-analyze verify` checks the unit. README « Deployment for many users ».

Runs as root in CI (scripts/test installs nginx and systemd); nothing is skipped: a missing tool
fails with what to do. Every path (pid, logs, temp files, cache) lives in tmp_path.
"""

from __future__ import annotations

import http.client
import json
import re
import secrets
import subprocess
import sys
import time
from pathlib import Path

import bcrypt
import pytest

from atlas.store import ROOT

from browser import errors_on, wait_idle

sys.path.insert(0, str(ROOT / "deploy"))
import local  # noqa: E402  deploy/local.py: the rendered deployment on loopback, without systemd
import render  # noqa: E402  deploy/render.py, the script an administrator runs

REPLICAS = 3
PASSWORD = "mot de passe de test"
UPLOAD_MB = 1  # small, so that a file over it and under Streamlit's ceiling is quick to send
# Every page of app.py's st.navigation, by its url_path (the country profile with a country).
PAGES = ["/", "/carte", "/fiche-pays?pays=COD", "/aide-au-developpement", "/accords",
         "/missions-economiques", "/presentation", "/donnees"]
NEW_NATIONAL = (
    "year,oda_eur,gni_eur,preliminary,source\n"
    "2025,4200000000,600000000000,true,exemple de test du déploiement (chiffres fictifs)\n"
)
LOG_LINE = re.compile(
    r'"(?P<method>\S+) (?P<path>\S+) [^"]*" (?P<status>\d{3}) \d+ '
    r"route=(?P<route>\S*) upstream=(?P<upstream>\S*) cache=(?P<cache>\S*)"
)


def tool(name: str) -> str:
    """A Debian tool the deployment relies on, or a failure saying how to get it."""
    path = local.tool(name)
    if path is None:
        pytest.fail(f"{name} not found: run scripts/test, which installs Debian's nginx and systemd")
    return path


def access_log(path: Path) -> list[dict[str, str]]:
    return [m.groupdict() for m in map(LOG_LINE.search, path.read_text().splitlines()) if m]


def logged_upstream(log: Path, route: str) -> str:
    """The replica that served `route`'s request (nginx writes the line once the response is sent)."""
    for _ in range(50):
        served = [e["upstream"] for e in access_log(log) if e["route"] == route]
        if served:
            (upstream,) = served
            return upstream
        time.sleep(0.05)
    raise AssertionError(f"route {route} not in nginx's access log")


def route_cookie(base: str) -> str:
    """A first visit without cookie: nginx answers with a fresh route (Set-Cookie atlas_route=…)."""
    host, port = base.removeprefix("http://").split(":")
    con = http.client.HTTPConnection(host, int(port), timeout=10)
    con.request("GET", "/")
    response = con.getresponse()
    response.read()
    con.close()
    assert response.status == 200
    cookie = response.getheader("Set-Cookie") or ""
    assert re.fullmatch(r"atlas_route=[0-9a-f]{32}; Path=/; HttpOnly; SameSite=Lax", cookie), cookie
    return cookie.split(";")[0].split("=")[1]


def visit(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("h1", timeout=60_000)
    wait_idle(page)
    assert errors_on(page) == [], url


def data_version(page) -> str:
    """« Version des données : 2, … », the footer of the home and data pages."""
    return page.get_by_text("Version des données").inner_text().replace("\xa0", " ")


@pytest.fixture
def deployment(tmp_path):
    """The sample database, three replicas and nginx, as deploy/render.py renders them."""
    nginx = tool("nginx")
    db = tmp_path / "atlas.duckdb"
    subprocess.run([sys.executable, "-m", "atlas", "build", "--db", str(db)], cwd=ROOT, check=True)
    analysts = {"Marie Dupont": bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt(rounds=4)).decode()}
    env_file = local.write_env(tmp_path, db, [local.free_port() for _ in range(REPLICAS)], local.free_port(),
                               UPLOAD_MB, secrets.token_hex(32), json.dumps(analysts))
    with local.running(env_file, tmp_path, nginx) as deployed:
        deployed.extra["db"] = db
        yield deployed


def test_rendered_limits_follow_one_setting(tmp_path):
    """ATLAS_MAX_UPLOAD_MB drives Streamlit's ceiling (+10, in the unit) and nginx's (+12)."""
    env_file = tmp_path / "atlas.env"
    env_file.write_text((ROOT / "deploy" / "atlas.env.example").read_text()
                        .replace("ATLAS_MAX_UPLOAD_MB=200", "ATLAS_MAX_UPLOAD_MB=50")
                        .replace("STREAMLIT_SERVER_COOKIE_SECRET=", "STREAMLIT_SERVER_COOKIE_SECRET=0123abcd"))
    files = render.render(env_file, ROOT, Path(sys.executable))
    assert "Environment=STREAMLIT_SERVER_MAX_UPLOAD_SIZE=60\n" in files["atlas@.service"]
    site = files["nginx-atlas.conf"]
    assert "client_max_body_size 62m;" in site
    assert re.findall(r"@[A-Z_]+@", site) == []
    assert re.findall(r"server 127\.0\.0\.1:(\d+) max_fails=3 fail_timeout=10s;", site) == ["8501", "8502", "8503"]


def test_unit_verifies(tmp_path):
    """`systemd-analyze verify` on the unit as installed (this checkout's paths), instance 8501."""
    analyze = tool("systemd-analyze")
    env_file = tmp_path / "atlas.env"
    env_file.write_text((ROOT / "deploy" / "atlas.env.example").read_text().replace(
        "STREAMLIT_SERVER_COOKIE_SECRET=", "STREAMLIT_SERVER_COOKIE_SECRET=0123abcd"))
    out = tmp_path / "units"
    assert render.main(["--env", str(env_file), "--out", str(out)]) == 0
    (out / "atlas@8501.service").symlink_to(out / "atlas@.service")
    result = subprocess.run([analyze, "verify", str(out / "atlas@8501.service"), str(out / "atlas.target")],
                            capture_output=True, text=True)
    assert result.returncode == 0 and result.stderr.strip() == "", result.stderr
    # The template differs from what is installed only by this installation's paths and limit.
    template = local.unit_service((ROOT / "deploy" / "atlas@.service").read_text(), "8501")["ExecStart"][0]
    installed = local.unit_service((out / "atlas@8501.service").read_text(), "8501")["ExecStart"][0]
    assert installed.split(" ", 1)[1] == template.split(" ", 1)[1]
    assert "--server.port=8501 --server.address=127.0.0.1" in installed


def test_render_refuses_a_second_upload_setting(tmp_path):
    env_file = tmp_path / "atlas.env"
    env_file.write_text("ATLAS_DB=/var/lib/atlas/atlas.duckdb\nATLAS_REPLICA_PORTS=8501\n"
                        "STREAMLIT_SERVER_COOKIE_SECRET=x\nSTREAMLIT_SERVER_MAX_UPLOAD_SIZE=500\n")
    with pytest.raises(render.ConfigError, match="derived from ATLAS_MAX_UPLOAD_MB"):
        render.render(env_file, ROOT, Path(sys.executable))


def test_replicas_behind_nginx_serve_every_page_and_one_new_version(deployment, browser):
    base, ports, log = deployment.base, list(deployment.replicas), deployment.access_log
    upstream_of = {f"127.0.0.1:{p}": p for p in ports}

    # One route per replica: new visitors get random routes; keep one that lands on each replica.
    routes: dict[int, str] = {}
    for _ in range(60):
        route = route_cookie(base)
        served = logged_upstream(log, route)
        routes.setdefault(upstream_of[served], route)
        if len(routes) == REPLICAS:
            break
    assert sorted(routes) == sorted(ports), "consistent hashing never chose some replica"

    pages = {}
    for port, route in routes.items():
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="fr-BE")
        context.add_cookies([{"name": "atlas_route", "value": route, "url": base}])
        pages[port] = context.new_page()
        visit(pages[port], base + "/")
        assert "Version des données : 1," in data_version(pages[port])

    new_file = deployment.folder / "oda_national.csv"
    new_file.write_text(NEW_NATIONAL, encoding="utf-8")
    load = subprocess.Popen(
        [sys.executable, "-m", "atlas", "load", "oda_national", str(new_file), "--mode", "upsert",
         "--db", str(deployment.extra["db"])],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    # Every other page while the import runs and publishes, spread over the three browsers.
    for number, path in enumerate(PAGES[1:]):
        visit(pages[ports[number % REPLICAS]], base + path)
    _, err = load.communicate(timeout=120)
    assert load.returncode == 0, err
    assert "version 2" in err

    # Each replica, asked on its own port, reads the version just published.
    for port in ports:
        context = browser.new_context(locale="fr-BE")
        direct = context.new_page()
        visit(direct, f"http://127.0.0.1:{port}/donnees")  # the lightest page with the footer
        assert "Version des données : 2," in data_version(direct), port
        context.close()
    for page in pages.values():
        page.context.close()

    # Every replica served pages: each page view opens Streamlit's websocket on its replica (nginx
    # logs it once the socket closes). Sticky: each browser's every request went to one replica.
    for _ in range(100):
        entries = access_log(log)
        sockets = {upstream_of[e["upstream"]] for e in entries if e["path"] == "/_stcore/stream" and e["status"] == "101"}
        if sockets == set(ports):
            break
        time.sleep(0.1)
    assert sockets == set(ports)
    for route in routes.values():
        served = {e["upstream"] for e in entries if e["route"] == route and e["upstream"] != "-"}
        assert len(served) == 1, (route, served)

    # A new browser through nginx: nginx gives it a route; an analyst sends a file over Atlas's
    # limit and just under Streamlit's ceiling: it passes nginx and Streamlit, and Atlas refuses it.
    context = browser.new_context(viewport={"width": 1400, "height": 2000}, locale="fr-BE")
    analyst = context.new_page()
    analyst.goto(base + "/donnees")
    analyst.wait_for_selector("h1", timeout=60_000)
    wait_idle(analyst)
    analyst.get_by_label("Nom d'analyste").fill("Marie Dupont")
    analyst.get_by_label("Mot de passe").fill(PASSWORD)
    analyst.get_by_role("button", name="Se connecter").click()
    analyst.wait_for_selector("text=Connecté·e comme analyste", timeout=60_000)
    wait_idle(analyst)
    big = b"year,oda_eur,gni_eur,preliminary,source\n" + b"2025,1,1,true,x\n" * (10_400_000 // 16)
    analyst.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(
        files=[{"name": "trop_gros.csv", "mimeType": "text/csv", "buffer": big}])
    refusal = analyst.get_by_text("au-delà de la limite de 1 Mo")
    refusal.wait_for(timeout=30_000)
    assert "le fichier pèse 10 Mo" in refusal.inner_text()
    # Over Streamlit's ceiling (the unit's Environment=): the widget stops it before sending.
    analyst.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(
        files=[{"name": "bien_trop_gros.csv", "mimeType": "text/csv", "buffer": big + b"2025,1,1,true,x\n" * (2_000_000 // 16)}])
    # Streamlit's own English (« File must be 11.0MB or smaller ») is replaced by Atlas's words
    # (atlas/web/uploads.py), which state the limit Atlas enforces.
    analyst.wait_for_function(
        """() => {
            const size = document.querySelector('[data-testid="stFileChip"][aria-invalid="true"] [data-testid="stFileChipName"] + div');
            return size && /Non reçu\\s:\\s1\\sMo au plus/.test(getComputedStyle(size, '::after').content);
        }""", timeout=30_000)
    (analyst_route,) = [c["value"] for c in context.cookies() if c["name"] == "atlas_route"]
    context.close()

    entries = access_log(log)
    uploads = [e for e in entries if e["path"].startswith("/_stcore/upload_file/") and e["method"] == "PUT"]
    assert [(e["route"], e["status"]) for e in uploads] == [(analyst_route, "204")]
    assert len({e["upstream"] for e in entries if e["route"] == analyst_route and e["upstream"] != "-"}) == 1
    # Streamlit's assets came from nginx's cache after the first browser.
    assert any(e["path"].startswith("/static/") and e["cache"] == "HIT" for e in entries)
    assert [e for e in entries if e["status"].startswith("5")] == []
    for port, replica_log in deployment.logs.items():
        assert "Traceback" not in replica_log.read_text(errors="replace"), port
