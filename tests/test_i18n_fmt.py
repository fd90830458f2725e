"""Translations complete in every language; Belgian formats."""

from __future__ import annotations

import re
from pathlib import Path

from atlas.words import fmt
from atlas.words.i18n import LANGUAGES, catalogue

ROOT = Path(__file__).resolve().parent.parent


def plain(text: str) -> str:
    return text.replace("\u202f", " ").replace("\xa0", " ")


def test_every_key_has_every_language_with_the_same_placeholders():
    for key, entry in catalogue().items():
        assert set(entry) == set(LANGUAGES), key
        placeholders = {lang: set(re.findall(r"{(\w+)}", text)) for lang, text in entry.items()}
        assert len({frozenset(p) for p in placeholders.values()}) == 1, key


def test_every_key_used_in_the_code_exists():
    used = set()
    for path in [*ROOT.glob("atlas/*.py"), *ROOT.glob("pages/*.py"), ROOT / "app.py"]:
        used |= set(re.findall(r"""\bt\(\s*f?["']([a-z_]+\.[a-z_.]+)["']""", path.read_text()))
    missing = {k for k in used if "{" not in k} - set(catalogue())
    assert not missing


def test_belgian_formats():
    assert plain(fmt.money(1234567.4)) == "1 234 567 €"
    assert plain(fmt.money(1234567.4, "nl")) == "€ 1.234.567"
    assert plain(fmt.percent(0.0044)) == "0,44 %"
    assert fmt.date("2018-11-19") == "19 novembre 2018"
    assert fmt.date("2018-11-19", "nl") == "19 november 2018"
    assert fmt.date("2024-01-01") == "1er janvier 2024" and fmt.date("2024-01-01", "en") == "1 January 2024"
    assert plain(fmt.number(1234567)) == "1 234 567"
    assert plain(fmt.money_short(2.6e9)) == "2,6 Md €"
    assert plain(fmt.money_short(4.6e6, "en")) == "4,6M €"  # € last, as in its full amounts
    assert fmt.money(None) == "–"


def test_a_key_added_to_a_locale_file_while_the_app_runs_is_found(tmp_path, monkeypatch):
    from atlas.words import i18n

    monkeypatch.setattr(i18n, "LOCALES_DIR", tmp_path)
    monkeypatch.setattr(i18n, "_seen", [float("-inf"), ()])
    (tmp_path / "a.toml").write_text('[a.one]\nfr = "un"\nnl = "een"\nen = "one"\n', encoding="utf-8")
    assert i18n.t("a.one", "nl") == "een"
    (tmp_path / "b.toml").write_text('[b.two]\nfr = "deux"\nnl = "twee"\nen = "two"\n', encoding="utf-8")
    i18n._seen[0] = float("-inf")  # as a second later: the files are looked at again
    assert i18n.t("b.two", "en") == "two"


def test_plural_takes_each_language_rule():
    from atlas.words.i18n import plural

    assert [plural("agreements.count", n, "fr", n=n) for n in (0, 1, 2)] == ["0 accord", "1 accord", "2 accords"]
    assert [plural("agreements.count", n, "en", n=n) for n in (0, 1, 2)] == ["0 agreements", "1 agreement", "2 agreements"]
    assert plural("country.large", 1, "nl", n=1) == "1 grote onderneming"


def test_dutch_and_english_texts_use_their_own_quotation_marks():
    # French writes « … »; Dutch and English sentences showed them too (« a « agreements » file »).
    import tomllib

    from atlas.store import ROOT

    def walk(node, key):
        for name, value in node.items():
            if isinstance(value, dict):
                yield from walk(value, f"{key}.{name}")
            elif name in ("nl", "en") and ("«" in value or "»" in value):
                yield f"{key}.{name}"

    found = [f"{path.name}: {key}" for path in sorted((ROOT / "atlas" / "words" / "locales").glob("*.toml"))
             for key in walk(tomllib.loads(path.read_text(encoding="utf-8")), "")]
    assert not found
