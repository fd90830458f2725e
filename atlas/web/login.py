"""Who may change data: analysts log in with a name and a password checked against bcrypt hashes.

Viewing needs no login; uploading, importing and restoring need the analyst role. The hashes live
in `.streamlit/secrets.toml` under `[auth.users]` (name = "hash") and/or in the environment variable
ATLAS_ANALYSTS, a JSON object {"name": "hash"} (for CI and tests). No password is ever stored.

Make a hash with `python -m atlas.web.login` (asks for the password twice, prints the hash).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Mapping

import bcrypt

from atlas.errors import AtlasError

SESSION_KEY = "atlas_analyst"
# Checked when the name is unknown, so that a wrong name costs as long as a wrong password.
_DUMMY_HASH = bcrypt.hashpw(b"not a password", bcrypt.gensalt(rounds=12))


def hash_password(password: str, rounds: int = 12) -> str:
    if not password:
        raise AtlasError("le mot de passe est vide.")
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(rounds=rounds)).decode("ascii")


def analysts(secrets: Mapping | None = None, environ: Mapping | None = None) -> dict[str, str]:
    """Analyst name -> bcrypt hash, from the secrets' [auth.users] table and ATLAS_ANALYSTS."""
    users: dict[str, str] = {}
    table = ((secrets or {}).get("auth") or {}).get("users") or {}
    users.update({str(k): str(v) for k, v in table.items()})
    raw = (os.environ if environ is None else environ).get("ATLAS_ANALYSTS", "").strip()
    if raw:
        try:
            extra = json.loads(raw)
        except ValueError:
            raise AtlasError("la variable ATLAS_ANALYSTS n'est pas un objet JSON {\"nom\": \"hash bcrypt\"}.") from None
        if not isinstance(extra, dict):
            raise AtlasError("la variable ATLAS_ANALYSTS n'est pas un objet JSON {\"nom\": \"hash bcrypt\"}.")
        users.update({str(k): str(v) for k, v in extra.items()})
    return users


def verify(users: Mapping[str, str], name: str, password: str) -> str | None:
    """The analyst's name if the password matches their hash, else None (same cost either way)."""
    name = (name or "").strip()
    stored = users.get(name)
    try:
        ok = bcrypt.checkpw((password or "").encode("utf-8"), stored.encode("ascii") if stored else _DUMMY_HASH)
    except ValueError:  # a malformed hash in the configuration
        ok = False
    return name if stored and ok else None


# --- Streamlit side (imported lazily: the command line never needs it) -------------------------


def configured_analysts() -> dict[str, str]:
    import streamlit as st

    try:
        secrets = st.secrets.to_dict() if st.secrets else {}
    except Exception:  # no secrets.toml at all: only the environment variable counts
        secrets = {}
    return analysts(secrets)


def current_user() -> str | None:
    """The logged-in analyst of this browser session, or None (read-only)."""
    import streamlit as st

    return st.session_state.get(SESSION_KEY)


def log_in(name: str, password: str) -> str | None:
    """Check the credentials; on success remember the analyst for this session."""
    import streamlit as st

    failures = st.session_state.get("atlas_login_failures", 0)
    if failures >= 3:
        time.sleep(min(failures, 10))  # slows down guessing from one session
    user = verify(configured_analysts(), name, password)
    if user:
        st.session_state[SESSION_KEY] = user
        st.session_state["atlas_login_failures"] = 0
    else:
        st.session_state["atlas_login_failures"] = failures + 1
    return user


def log_out() -> None:
    import streamlit as st

    st.session_state.pop(SESSION_KEY, None)


def main() -> int:
    import getpass
    import sys

    first = getpass.getpass("Mot de passe de l'analyste : ")
    if first != getpass.getpass("Répétez-le : "):
        print("erreur : les deux saisies diffèrent.", file=sys.stderr)
        return 1
    try:
        print(hash_password(first))
    except AtlasError as err:
        print(f"erreur : {err.message}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
