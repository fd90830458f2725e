"""The layers of « How it is built » hold: import-linter's contracts (pyproject.toml,
[tool.importlinter]) pass on the code, and fail on a deliberate violation."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib

from atlas.store import ROOT


def lint_imports(cwd, config) -> subprocess.CompletedProcess:
    # `lint-imports` is the console script of importlinter.cli.lint_imports_command.
    code = "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())"
    return subprocess.run(
        [sys.executable, "-c", code, "--config", str(config), "--no-cache"],
        cwd=cwd, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(cwd)},
    )


def test_the_contracts_hold_on_the_code():
    done = lint_imports(ROOT, ROOT / "pyproject.toml")
    assert done.returncode == 0, done.stdout + done.stderr
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]["contracts"]
    assert done.stdout.count(" KEPT") == len(contracts) == 5


def skeleton(root, violations: dict[str, str]) -> None:
    """A tiny atlas with every wing and a page, importing as the real one does, plus `violations`."""
    files = {
        "atlas/__init__.py": "", "atlas/__main__.py": "from atlas import writes\n",
        "atlas/errors.py": "", "atlas/contract.py": "from atlas import errors\n",
        "atlas/store/__init__.py": "import duckdb\nfrom atlas import contract\n",
        "atlas/imports/__init__.py": "from atlas import exports, store\n",
        "atlas/exports/__init__.py": "from atlas import geography\n",
        "atlas/figures/__init__.py": "from atlas.words import i18n\n",
        "atlas/writes/__init__.py": "from atlas import figures, imports, store\n",
        "atlas/reading/__init__.py": "import streamlit\nfrom atlas import store\n",
        "atlas/web/__init__.py": "import streamlit\nfrom atlas import figures, reading\n",
        "atlas/geography/__init__.py": "", "atlas/words/__init__.py": "", "atlas/words/i18n.py": "",
        "pages/donnees.py": "import streamlit\nfrom atlas import reading, web, writes\n",
    }
    for path, text in {**files, **violations}.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, encoding="utf-8")


def test_a_deliberate_violation_breaks_them(tmp_path):
    config = ROOT / "pyproject.toml"
    skeleton(tmp_path / "kept", {})
    kept = lint_imports(tmp_path / "kept", config)
    assert kept.returncode == 0, kept.stdout + kept.stderr  # the skeleton alone keeps every contract
    skeleton(tmp_path / "broken", {
        "atlas/figures/charts.py": "import streamlit\n",  # a figure drawn with Streamlit
        "pages/donnees.py": "import streamlit\nfrom atlas.store import Database\n",  # a page holding the store
        "atlas/words/fmt.py": "from atlas.figures import charts\n",  # words above figures
    })
    broken = lint_imports(tmp_path / "broken", config)
    assert broken.returncode == 1
    out = broken.stdout
    assert "Imports, figures, geography and words never import streamlit BROKEN" in out
    assert "Pages never import the store BROKEN" in out
    assert "Layers: each wing imports only the wings below it BROKEN" in out
    assert "Only the store imports duckdb KEPT" in out
    assert "atlas.figures.charts -> streamlit" in out and "pages.donnees -> atlas.store" in out
