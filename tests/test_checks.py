"""Tests for inference.checks: the report's own identities on assembled seed reports and small field sets."""

from __future__ import annotations

import pytest
from tests_support import assemble_seed

from inference.assemble import Assembly
from inference.checks import prose_checks, run_checks, source_checks, table3_checks, table4_checks
from inference.records import Record


def by_name(checks):
    return {c.name: c for c in checks}


def test_checks_seed_003_table3_balance_fails_by_two() -> None:
    assembly, text = assemble_seed("003_b003d5ead7b0b73a")
    checks = by_name(run_checks(assembly, text))
    balance = checks["table3.balance"]
    assert not balance.ok
    assert balance.message == "new + carried_over (94) != processed_total + carried_forward (96)"
    assert checks["table3.outcomes"].ok
    assert checks["table4.review"].ok and checks["table4.litigation.direct"].ok
    assert checks["records.in_source"].ok


@pytest.mark.parametrize(
    ("report", "message"),
    [
        ("000_e66166ac253deb62", "answered parts (327) != new.total (342)"),
        ("001_3652b83934f3edf5", "answered parts (4851) != answered.total (3561)"),
    ],
)
def test_checks_seed_answered_parts_do_not_sum(report: str, message: str) -> None:
    assembly, text = assemble_seed(report)
    before = dict(assembly.fields)
    checks = by_name(run_checks(assembly, text))
    assert not checks["prose.answered"].ok
    assert checks["prose.answered"].message == message
    assert checks["prose.channels"].ok
    assert checks["records.in_source"].ok
    assert assembly.fields == before  # a failed check never changes a value


def test_checks_seed_004_all_hold() -> None:
    assembly, text = assemble_seed("004_a027c226c6665616")
    assert all(c.ok for c in run_checks(assembly, text))


def test_checks_table3_rows_and_subtotals() -> None:
    fields = {
        "applications.granted.natural_person": 3,
        "applications.granted.business": 1,
        "applications.granted.total": 5,
        "applications.denied_total.total": 4,
        "applications.denied_state_secret.total": 1,
        "applications.denied_third_party.total": 2,
    }
    checks = by_name(table3_checks(fields))
    assert checks["table3.row.granted"].message == "granted applicant columns (4) != granted.total (5)"
    assert checks["table3.subtotal.denied"].message == "denied reasons (3) != denied_total (4)"


def test_checks_table4_totals() -> None:
    fields = {
        "review.upheld": 2,
        "review.corrected": 1,
        "review.other": 0,
        "review.pending": 0,
        "review.total": 3,
    }
    fields |= {"litigation.direct.upheld": 1, "litigation.direct.pending": 1, "litigation.direct.total": 3}
    checks = by_name(table4_checks(fields))
    assert checks["table4.review"].ok
    assert not checks["table4.litigation.direct"].ok


def test_checks_prose_parts_not_above_totals() -> None:
    checks = by_name(prose_checks({"staff.total": 3, "staff.full_time": 5}))
    assert checks["prose.parts.staff.full_time"].message == "staff.full_time (5) > staff.total (3)"


def test_checks_source_finds_values_at_offsets() -> None:
    text = "全区共有政府信息公开工作专门机构45个。"
    start = text.index("45个")
    good = Record("专门机构", (), 45, "个", False, "staff.offices", start, start + 3, "45个")
    assert source_checks(Assembly([good], {"staff.offices": 45}), text)[0].ok
    moved = Record("专门机构", (), 45, "个", False, "staff.offices", start - 1, start + 2, "45个")
    check = source_checks(Assembly([moved], {"staff.offices": 45}), text)[0]
    assert not check.ok and "staff.offices" in check.message


def test_checks_skip_identities_with_a_field_no_reading_decides() -> None:
    """A table prints review.upheld but no reading decides it (two prints disagree): the sum of the
    results is not checked, rather than blamed on the report with the gap counted as 0."""
    fields = {"review.corrected": 1, "review.other": 0, "review.pending": 0, "review.total": 3}
    decided = run_checks(Assembly(fields=dict(fields)), "")
    assert any(c.name == "table4.review" and not c.ok for c in decided)
    undecided = run_checks(Assembly(fields=dict(fields), undecided=frozenset({"review.upheld"})), "")
    assert not any(c.name == "table4.review" for c in undecided)
