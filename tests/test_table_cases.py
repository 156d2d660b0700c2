"""The real-shaped table cases of issue 11 (tests/fixtures/cases/, copied from shared/cases/).

Each case's table fields must equal `expected.json` (fields the prose states, such as 收费, are
left to the prose tests), and the tables state nothing that is neither expected nor optional.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from inference.normalize import normalize
from inference.read import read_report
from inference.tables import extract_tables

CASES = Path(__file__).resolve().parent / "fixtures" / "cases"
PROSE_FIELDS = ("fees.",)


def _case(name: str) -> tuple[dict, dict]:
    folder = CASES / name
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    doc = normalize(read_report(next(folder.glob("input.*"))).text)
    result = extract_tables(doc.text, [], template=None, offsets=doc.offsets)
    return result.fields, expected


@pytest.mark.parametrize(
    "name",
    [
        "01_markdown_table4_single_row",
        "04_statform_code_column",
        "05_table2_plus_sign_change",
        "06_table3_subtotal_column",
        "07_table3_reduced_columns",
    ],
)
def test_table_case_fields_exact(name: str) -> None:
    fields, expected = _case(name)
    want = {k: v for k, v in expected["fields"].items() if not k.startswith(PROSE_FIELDS)}
    optional = expected.get("optional", {})
    assert {k: fields.get(k) for k in want} == want
    extra = {k: v for k, v in fields.items() if k not in want and optional.get(k) != v}
    assert extra == {}
