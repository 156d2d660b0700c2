"""Every real-shaped case of tests/fixtures/cases/ (copied from shared/cases/), end to end.

Each input goes through the one per-report function (`inference.pipeline.predict_items`) with the
default tagger and the shipped model (tagger + field linker), and its fields must equal
`expected.json`: every expected field with its value, nothing else but the `optional` readings.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from inference.pipeline import WorkItem, predict_items
from inference.taggers import TaggerSpec, load_tagger_from_spec

CASES = Path(__file__).resolve().parent / "fixtures" / "cases"


@pytest.fixture(scope="module")
def default_tagger():
    return load_tagger_from_spec(TaggerSpec())


def _mismatch(fields: dict, expected: dict) -> dict:
    want, optional = expected["fields"], expected.get("optional", {})
    wrong = {k: (fields.get(k), v) for k, v in want.items() if fields.get(k) != v}
    extra = {k: (v, None) for k, v in fields.items() if k not in want and optional.get(k) != v}
    return {**wrong, **extra}


KNOWN_FAILURES: dict[str, str] = {}
"""Case → why it fails today (an xfail, strict: a fix must remove its entry)."""


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(name, marks=pytest.mark.xfail(reason=KNOWN_FAILURES[name], strict=True))
        if name in KNOWN_FAILURES
        else name
        for name in sorted(p.name for p in CASES.iterdir() if p.is_dir())
    ],
)
def test_case_exact(case: str, default_tagger) -> None:
    folder = CASES / case
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    source = str(next(folder.glob("input.*")))
    [result], _ = predict_items([WorkItem(source)], default_tagger)
    assert "error" not in result, result.get("error")
    assert _mismatch(result["fields"], expected) == {}, expected["note"]
