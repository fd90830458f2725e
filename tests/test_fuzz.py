"""The fuzzer of scripts/fuzz.py: a few hundred damaged or hostile files through `versions.load`,
none of which may raise, change the database when refused, or store garbled or out-of-range values;
and the fuzzer's own judges, checked on inputs whose verdict is known."""

from __future__ import annotations

import importlib.util
import sys
from collections import Counter
from pathlib import Path

import pytest

from atlas.store import ROOT

CASES = 300  # about a minute, one process; `python scripts/fuzz.py --count 10000` runs the long one


def _load_fuzz():
    spec = importlib.util.spec_from_file_location("atlas_fuzz", ROOT / "scripts" / "fuzz.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


fuzz = _load_fuzz()


@pytest.fixture(scope="session")
def fuzz_base(tmp_path_factory) -> tuple[Path, str]:
    """One database built from data/sample for the whole session; each case loads into a copy."""
    return fuzz.build_base(tmp_path_factory.mktemp("fuzz-base"))


def test_damaged_and_hostile_files_never_hurt_the_data(fuzz_base, tmp_path):
    base, base_sha = fuzz_base
    outcomes = [fuzz.run_case(fuzz.make_case(0, i), base, base_sha, tmp_path) for i in range(CASES)]
    found = fuzz.counts(outcomes)
    if any(found.values()):
        examples = []
        for (category, signature), group in sorted(fuzz.distinct(outcomes).items()):
            o = group[0]
            message = next(f.message for f in o.failures if (f.category, f.signature) == (category, signature))
            examples.append(
                f"{category} [{signature}] x{len(group)}: #{o.index} {o.kind} ({o.dataset}): {message[:200]}\n"
                f"    python scripts/fuzz.py --seed 0 --case {o.index} --show 1 --save /tmp/fuzz-failures"
            )
        pytest.fail(f"defects per category: {found}\n" + "\n".join(examples))
    # Not a fuzzer that only knocks on a closed door: many of its files get through.
    verdicts = [o.verdict for o in outcomes]
    assert verdicts.count("accepted") >= 50 and verdicts.count("refused") >= 100, Counter(verdicts)


def test_cases_are_the_same_on_every_run_and_differ_by_seed():
    for index in (0, 7, 123):
        first, again = fuzz.make_case(0, index), fuzz.make_case(0, index)
        assert (first.kind, first.dataset, first.data) == (again.kind, again.dataset, again.data)
    assert [fuzz.make_case(0, i).data for i in range(5)] != [fuzz.make_case(1, i).data for i in range(5)]


def test_the_ci_cases_cover_every_kind_of_damage():
    slots = fuzz.plan(0)
    assert len(slots) <= CASES
    assert set(slots) == set(fuzz.GENERATORS)
    kinds = {fuzz.make_case(0, i).kind for i in range(len(slots))}
    assert {"byte_flip", "cr_only", "cp1252_lines", "number", "huge_field", "iati_doctype_late", "iati_percent"} <= kinds
    assert any(k.startswith("xlsx_") for k in kinds) and any(k.startswith("crs_") for k in kinds)


def test_garbled_text_is_recognised_and_the_sample_is_clean():
    assert fuzz.garbled("CoopÃ©ration") == "Ã©"
    assert fuzz.garbled("25â€“30 nov.") == "â€“"
    assert fuzz.garbled("numÃ¨rique") == "Ã¨"
    assert fuzz.garbled("l\u2019aide\ufffd") == "\ufffd"
    assert fuzz.garbled("Coopération « au développement » – Île-de-France, São Tomé, Œuvre") is None
    for name in fuzz.DATASETS:
        header, rows = fuzz.sample_table(name)
        assert [cell for row in rows for cell in row if fuzz.garbled(cell)] == [], name


def test_data_lines_and_mixed_encodings():
    assert fuzz.data_lines(b"\n\r\na,b\r1,2\r\n\r\n3,4") == 2  # blank lines and CR-only endings
    assert fuzz.data_lines("a,b\n1,é\n".encode("utf-16")) == 1
    assert fuzz.mixes_encodings("café ".encode() + "déjà".encode("cp1252"))
    assert not fuzz.mixes_encodings("déjà".encode("cp1252"))
    assert not fuzz.mixes_encodings("déjà".encode())
    assert fuzz.breaks_range("1e300", "amount_eur") and fuzz.breaks_range("-inf", "participants_sme")
    assert fuzz.breaks_range("1 000 000 000 000", "cost_eur")
    assert not fuzz.breaks_range("999999999999", "amount_eur") and not fuzz.breaks_range("12,5", "amount_eur")
    assert not fuzz.breaks_range("1000000000000", "participants_sme")  # a count, not an amount: unbounded


def _case(data: bytes):
    return fuzz.Case(0, 0, "handmade", "oda_national", ".csv", data, max_rows=fuzz.data_lines(data))


def test_the_judge_on_loads_whose_verdict_is_known(fuzz_base, tmp_path):
    base, base_sha = fuzz_base
    sample = fuzz.sample_bytes("oda_national")
    header = sample.split(b"\n", 1)[0]
    one_row = header + b"\n2031,100,200,true,essai\n"
    # The sample itself: accepted, nothing to say.
    outcome = fuzz.run_case(_case(sample), base, base_sha, tmp_path)
    assert (outcome.verdict, outcome.failures) == ("accepted", [])
    # A valid one-row upsert said to break a rule, and allowed no rows: both reported.
    told = fuzz.Case(0, 0, "handmade", "oda_national", ".csv", one_row, max_rows=0, must_refuse="pour le test")
    outcome = fuzz.run_case(told, base, base_sha, tmp_path)
    assert outcome.verdict == "accepted"
    assert sorted(f.category for f in outcome.failures) == ["accepted_invalid", "too_many_rows"]
    # An invalid file: refused, database unchanged.
    outcome = fuzz.run_case(_case(header + b"\nvingt,1,2,false,x\n"), base, base_sha, tmp_path)
    assert (outcome.verdict, outcome.failures) == ("refused", [])
    assert "year" in outcome.note
