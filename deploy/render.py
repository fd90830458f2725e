"""Renders Atlas's deployment from the one env file (/etc/atlas/atlas.env): the nginx site, the unit
template atlas@.service with this installation's paths, atlas.target. README « Deployment for many
users » is the runbook.

    python deploy/render.py --env /etc/atlas/atlas.env --out DIR    # render into DIR, touch nothing
    sudo /opt/atlas/.venv/bin/python deploy/render.py --install     # into /etc, then prints what to run

ATLAS_MAX_UPLOAD_MB is the only upload setting: Atlas refuses above it (in French), Streamlit's
widget above it + 10 (the unit's STREAMLIT_SERVER_MAX_UPLOAD_SIZE), nginx above it + 12
(client_max_body_size: Streamlit's ceiling plus its form's envelope). The code and its interpreter
default to where this script runs from: the checkout it sits in and the Python that runs it.
"""

from __future__ import annotations

import argparse
import re
import shlex
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
STREAMLIT_MARGIN_MB = 10
NGINX_MARGIN_MB = 12
# The defaults written in deploy/atlas@.service, replaced by this installation's.
UNIT_HOME = "/opt/atlas"
UNIT_ENV_FILE = "/etc/atlas/atlas.env"
DEFAULTS = {
    "ATLAS_MAX_UPLOAD_MB": "200",
    "ATLAS_LISTEN": "80",
    "ATLAS_SERVER_NAME": "_",
    "ATLAS_NGINX_LOG_DIR": "/var/log/nginx",
    "ATLAS_NGINX_CACHE_DIR": "/var/cache/nginx/atlas",
    "ATLAS_MAX_FAILS": "3",
    "ATLAS_FAIL_TIMEOUT": "10s",
}
# Derived here from ATLAS_MAX_UPLOAD_MB; set by hand they would let the three limits drift apart.
DERIVED = ("STREAMLIT_SERVER_MAX_UPLOAD_SIZE", "STREAMLIT_SERVER_MAXUPLOADSIZE")


class ConfigError(Exception):
    """A problem in the env file, said so that the administrator can fix that line."""


def read_env_file(path: Path) -> dict[str, str]:
    """KEY=value lines as systemd's EnvironmentFile= reads them: # and ; start comments, a value may
    be in single quotes (literal) or double quotes (backslash escapes), unquoted values are trimmed."""
    values: dict[str, str] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = line.strip()
        if not line or line[0] in "#;":
            continue
        key, sep, value = line.partition("=")
        key, value = key.strip(), value.strip()
        if not sep or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key):
            raise ConfigError(f"{path}:{number}: expected KEY=value, got {line!r}")
        if value[:1] in ("'", '"'):
            try:
                (value,) = shlex.split(value)
            except ValueError as error:
                raise ConfigError(f"{path}:{number}: {key}: one quoted value expected ({error})") from None
        values[key] = value
    return values


def settings(env: dict[str, str]) -> dict[str, str]:
    """The values the templates need, checked."""
    merged = {**DEFAULTS, **{k: v for k, v in env.items() if v != ""}}
    for key in DERIVED:
        if key in env:
            raise ConfigError(f"{key} is derived from ATLAS_MAX_UPLOAD_MB: remove it from the env file")
    if not env.get("ATLAS_DB", "").startswith("/"):
        raise ConfigError("ATLAS_DB must be the absolute path of the published database")
    if not env.get("STREAMLIT_SERVER_COOKIE_SECRET"):
        raise ConfigError('STREAMLIT_SERVER_COOKIE_SECRET is empty: python -c "import secrets; '
                          'print(secrets.token_hex(32))" gives one (the same for every replica)')
    upload = merged["ATLAS_MAX_UPLOAD_MB"]
    if not upload.isdigit() or int(upload) < 1:
        raise ConfigError(f"ATLAS_MAX_UPLOAD_MB must be a whole number of megabytes, not {upload!r}")
    ports = env.get("ATLAS_REPLICA_PORTS", "").split()
    if not ports or not all(p.isdigit() and 1024 <= int(p) < 65536 for p in ports) or len(set(ports)) != len(ports):
        raise ConfigError(f"ATLAS_REPLICA_PORTS must list distinct ports (1024-65535), not {ports!r}")
    return {
        **merged,
        "ports": " ".join(ports),
        "streamlit_upload_mb": str(int(upload) + STREAMLIT_MARGIN_MB),
        "body_limit_mb": str(int(upload) + NGINX_MARGIN_MB),
    }


def nginx_site(s: dict[str, str]) -> str:
    servers = "\n".join(
        f"    server 127.0.0.1:{port} max_fails={s['ATLAS_MAX_FAILS']} fail_timeout={s['ATLAS_FAIL_TIMEOUT']};"
        for port in s["ports"].split()
    )
    values = {
        "UPSTREAM_SERVERS": servers,
        "MAX_FAILS": s["ATLAS_MAX_FAILS"],
        "FAIL_TIMEOUT": s["ATLAS_FAIL_TIMEOUT"],
        "CACHE_DIR": s["ATLAS_NGINX_CACHE_DIR"],
        "LISTEN": s["ATLAS_LISTEN"],
        "SERVER_NAME": s["ATLAS_SERVER_NAME"],
        "LOG_DIR": s["ATLAS_NGINX_LOG_DIR"],
        "MAX_UPLOAD_MB": s["ATLAS_MAX_UPLOAD_MB"],
        "STREAMLIT_UPLOAD_MB": s["streamlit_upload_mb"],
        "BODY_LIMIT_MB": s["body_limit_mb"],
    }
    template = (HERE / "nginx-atlas.conf").read_text(encoding="utf-8")
    unknown = set(re.findall(r"@([A-Z_]+)@", template)) - set(values)
    if unknown:
        raise ConfigError(f"deploy/nginx-atlas.conf: no value for {', '.join(sorted(unknown))}")
    return re.sub(r"@([A-Z_]+)@", lambda m: values[m.group(1)], template)


def unit(s: dict[str, str], home: Path, python: Path, env_file: Path) -> str:
    """deploy/atlas@.service with this installation's code, interpreter, env file and upload ceiling."""
    lines = []
    for line in (HERE / "atlas@.service").read_text(encoding="utf-8").splitlines():
        key, _, value = line.partition("=")
        if key == "WorkingDirectory":
            line = f"WorkingDirectory={home}"
        elif key == "EnvironmentFile":
            line = f"EnvironmentFile={env_file}"
        elif line.startswith("Environment=STREAMLIT_SERVER_MAX_UPLOAD_SIZE="):
            line = f"Environment=STREAMLIT_SERVER_MAX_UPLOAD_SIZE={s['streamlit_upload_mb']}"
        elif key == "ExecStart":
            interpreter, _, arguments = value.partition(" ")
            if interpreter != f"{UNIT_HOME}/.venv/bin/python":
                raise ConfigError(f"deploy/atlas@.service: unexpected interpreter {interpreter}")
            line = f"ExecStart={python} {arguments}"
        lines.append(line)
    return "\n".join(lines) + "\n"


def render(env_file: Path, home: Path, python: Path) -> dict[str, str]:
    """File name → content: atlas@.service, atlas.target, nginx-atlas.conf."""
    s = settings(read_env_file(env_file))
    return {
        "atlas@.service": unit(s, home, python, env_file),
        "atlas.target": (HERE / "atlas.target").read_text(encoding="utf-8"),
        "nginx-atlas.conf": nginx_site(s),
    }


INSTALLED = {
    "atlas@.service": "etc/systemd/system/atlas@.service",
    "atlas.target": "etc/systemd/system/atlas.target",
    "nginx-atlas.conf": "etc/nginx/sites-available/atlas",
}


def install(files: dict[str, str], root: Path, ports: list[str]) -> list[str]:
    """Writes the files under `root` (/ on a server), links the site; returns the commands to run."""
    for name, content in files.items():
        target = root / INSTALLED[name]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")
    enabled = root / "etc/nginx/sites-enabled/atlas"
    enabled.parent.mkdir(parents=True, exist_ok=True)
    if not enabled.is_symlink():
        enabled.symlink_to("/etc/nginx/sites-available/atlas")
    return [
        "systemctl daemon-reload",
        f"systemctl enable atlas.target {' '.join(f'atlas@{p}.service' for p in ports)}",
        "nginx -t && systemctl reload nginx",
        "systemctl restart atlas.target",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--env", type=Path, default=Path("/etc/atlas/atlas.env"), help="the env file (default: %(default)s)")
    parser.add_argument("--home", type=Path, default=HERE.parent, help="the Atlas code (default: this checkout)")
    parser.add_argument("--python", type=Path, default=Path(sys.executable), help="its interpreter (default: this one)")
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--out", type=Path, help="render into this directory")
    where.add_argument("--install", action="store_true", help="install into --root (default /)")
    parser.add_argument("--root", type=Path, default=Path("/"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    try:
        files = render(args.env.resolve(), args.home.resolve(), args.python.absolute())
    except (ConfigError, OSError) as error:
        print(f"render.py: {error}", file=sys.stderr)
        return 2
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        for name, content in files.items():
            (args.out / name).write_text(content, encoding="utf-8")
        return 0
    ports = settings(read_env_file(args.env))["ports"].split()
    print("Installed. Now run:\n  " + "\n  ".join(install(files, args.root, ports)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
