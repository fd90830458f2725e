"""The rendered deployment run without systemd, on loopback, by tests/test_deploy.py and
benchmarks/replicas.py: Debian's nginx in the foreground with every path (pid, logs, temp files,
cache) in one directory, and each replica started as systemd would start atlas@PORT.service: its
WorkingDirectory, its environment (Environment=, then EnvironmentFile= over it) and its ExecStart
line word for word, the instance (%i) substituted. User= and the hardening settings are systemd's
alone: the replicas run as whoever runs this.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import render  # noqa: E402


def tool(name: str) -> str | None:
    """A Debian tool, also where root's PATH has it (/usr/sbin: nginx)."""
    return shutil.which(name, path=os.environ.get("PATH", "") + os.pathsep + "/usr/sbin:/sbin")


def unit_service(text: str, instance: str) -> dict[str, list[str]]:
    """The [Service] settings of a unit, with the instance (%i) and %% substituted, as systemd does."""
    service: dict[str, list[str]] = {}
    section = None
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("["):
            section = line
        elif section == "[Service]" and line and line[0] not in "#;":
            key, _, value = line.partition("=")
            value = re.sub(r"%(.)", lambda m: {"i": instance, "%": "%"}[m.group(1)], value)
            service.setdefault(key, []).append(value)
    return service


def start_replica(unit_text: str, port: int, log: Path) -> subprocess.Popen:
    """atlas@PORT.service as systemd would start it (see the module's docstring)."""
    service = unit_service(unit_text, str(port))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ATLAS_", "STREAMLIT_"))}
    for assignments in service.get("Environment", []):
        env.update(word.split("=", 1) for word in shlex.split(assignments))
    for env_file in service.get("EnvironmentFile", []):
        env.update(render.read_env_file(Path(env_file.lstrip("-"))))
    (exec_start,) = service["ExecStart"]
    (cwd,) = service["WorkingDirectory"]
    with open(log, "wb") as out:
        return subprocess.Popen(shlex.split(exec_start), cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)


def nginx_conf(folder: Path, site: Path) -> Path:
    """A main nginx.conf around the rendered site, in the foreground, every path in `folder`."""
    for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi", "log", "cache"):
        (folder / name).mkdir(exist_ok=True)
    conf = folder / "nginx.conf"
    conf.write_text(f"""
daemon off;
worker_processes 1;
# As root, workers would run as nobody and could not reach a folder private to root (pytest's).
user root;
pid {folder}/nginx.pid;
error_log {folder}/log/nginx.error.log notice;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    client_body_temp_path {folder}/client_body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    include {site};
}}
""", encoding="utf-8")
    return conf


def wait_healthy(url: str, process: subprocess.Popen, log: Path, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url} exited with {process.returncode}:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            if urllib.request.urlopen(url + "/_stcore/health", timeout=2).status == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} not healthy after {seconds} s:\n{log.read_text(errors='replace')[-3000:]}")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@dataclass
class Deployment:
    base: str  # nginx's address
    proxy: subprocess.Popen  # nginx's master process
    replicas: dict[int, subprocess.Popen]  # port -> process
    logs: dict[int, Path]  # port -> the replica's output
    access_log: Path
    folder: Path
    rendered: Path
    extra: dict = field(default_factory=dict)


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_env(folder: Path, db: Path, ports: list[int], listen: int, upload_mb: int, cookie_secret: str,
              analysts_json: str | None = None) -> Path:
    """An env file as an administrator writes /etc/atlas/atlas.env, with every path in `folder`."""
    env_file = folder / "atlas.env"
    env_file.write_text(
        "# written for a loopback run of deploy/ (deploy/local.py)\n"
        f"ATLAS_DB={db}\n"
        f"ATLAS_MAX_UPLOAD_MB={upload_mb}\n"
        f'ATLAS_REPLICA_PORTS="{" ".join(map(str, ports))}"\n'
        f"ATLAS_LISTEN=127.0.0.1:{listen}\n"
        "ATLAS_SERVER_NAME=localhost\n"
        f"ATLAS_NGINX_LOG_DIR={folder}/log\n"
        f"ATLAS_NGINX_CACHE_DIR={folder}/cache\n"
        f"STREAMLIT_SERVER_COOKIE_SECRET={cookie_secret}\n"
        + (f"ATLAS_ANALYSTS='{analysts_json}'\n" if analysts_json else ""),
        encoding="utf-8",
    )
    return env_file


@contextmanager
def running(env_file: Path, folder: Path, nginx: str) -> Iterator[Deployment]:
    """Render with deploy/render.py (this checkout, this interpreter), start the replicas of the env
    file and nginx in front; stop them all on the way out."""
    rendered = folder / "rendered"
    subprocess.run([sys.executable, str(Path(__file__).with_name("render.py")), "--env", str(env_file),
                    "--out", str(rendered)], check=True)
    conf = nginx_conf(folder, rendered / "nginx-atlas.conf")
    error_log = folder / "log" / "nginx.error.log"
    checked = subprocess.run([nginx, "-t", "-c", str(conf), "-e", str(error_log)], capture_output=True, text=True)
    if checked.returncode != 0:
        raise RuntimeError(f"nginx -t refused the rendered site:\n{checked.stderr}")
    settings = render.settings(render.read_env_file(env_file))
    ports = [int(p) for p in settings["ports"].split()]
    unit_text = (rendered / "atlas@.service").read_text(encoding="utf-8")
    with ExitStack() as stack:
        replicas, logs = {}, {}
        for port in ports:
            logs[port] = folder / "log" / f"replica-{port}.log"
            replicas[port] = start_replica(unit_text, port, logs[port])
            stack.callback(stop, replicas[port])
        proxy_log = folder / "log" / "nginx.out"
        with open(proxy_log, "wb") as out:
            proxy = subprocess.Popen([nginx, "-c", str(conf), "-e", str(error_log)], stdout=out, stderr=subprocess.STDOUT)
        stack.callback(stop, proxy)
        for port in ports:
            wait_healthy(f"http://127.0.0.1:{port}", replicas[port], logs[port])
        base = f"http://{settings['ATLAS_LISTEN']}"
        wait_healthy(base, proxy, proxy_log, seconds=10)
        yield Deployment(base, proxy, replicas, logs, folder / "log" / "atlas.access.log", folder, rendered)
