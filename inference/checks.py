"""The report's own identities (勾稽关系), checked on the assembled fields.

A failed check never changes a value.

- `table3.balance[.<column>]`: 一 + 二 = 三（七） + 四
  (new + carried_over = processed_total + carried_forward);
- `table3.row.<row>`: a row's applicant columns sum to its 总计;
- `table3.outcomes[.<column>]`: the outcome rows（一）…（六）sum to（七）总计;
- `table3.subtotal.<group>[.<column>]`: a printed subtotal row equals the sum of its reasons;
- `table4.<group>`: 维持 + 纠正 + 其他 + 尚未审结 = 总计 (review, litigation direct / after review);
- `prose.answered`: old-template answers sum to the answered total (else to the applications received);
- `prose.channels`: the application channels a report lists sum to at most the applications received;
- `prose.parts.<field>`: a part is at most its total (专职 ≤ 工作人员 …);
- `records.in_source`: every field value is what the source says at its record's offsets.
"""

from __future__ import annotations

import math

from inference.assemble import Assembly
from inference.catalogue import (
    ANSWERED_PARTS,
    ANSWERED_REFUSED,
    APPLICANT_COLUMNS,
    PARTS_OF,
    table3_reasons,
)
from inference.prose import is_negation_record
from inference.records import Check, Number
from inference.values import parse_quantity

PERSON_COLUMNS = APPLICANT_COLUMNS[:-1]


def _fmt(value: Number) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _equal(a: Number, b: Number) -> bool:
    return abs(float(a) - float(b)) < 1e-6


UNDECIDED = math.nan
"""Stands for a field the report prints but no reading decides (`Assembly.undecided`): an identity
with it cannot be checked, so no check is made (its sum would blame the report for our gap)."""


def _sum_check(
    name: str, fields: dict[str, Number], parts: list[str], total: str, parts_label: str, total_label: str
) -> Check | None:
    """`sum(parts) == total` where the total and at least one part are stated (and all decided)."""
    present = [p for p in parts if p in fields]
    if total not in fields or not present or _undecided(fields, [*present, total]):
        return None
    got = sum(fields[p] for p in present)
    ok = _equal(got, fields[total])
    relation = "==" if ok else "!="
    return Check(name, ok, f"{parts_label} ({_fmt(got)}) {relation} {total_label} ({_fmt(fields[total])})")


def _undecided(fields: dict[str, Number], keys: list[str]) -> bool:
    return any(isinstance(fields[k], float) and math.isnan(fields[k]) for k in keys)


def _outcome_parts(fields: dict[str, Number], column: str) -> list[str]:
    """The outcome rows of table 3 for one column, subtotal rows where printed, otherwise their reasons."""
    parts = [f"applications.granted.{column}", f"applications.partial.{column}"]
    for group, reasons in table3_reasons().items():
        total = f"applications.{group}_total.{column}"
        if total in fields:
            parts.append(total)
        else:
            parts.extend(f"applications.{group}_{r}.{column}" for r in reasons)
    parts.append(f"applications.other.{column}")
    return parts


def _balance_check(fields: dict[str, Number], column: str, suffix: str) -> Check | None:
    """一 + 二 = 三（七） + 四 for one column, where all four rows are stated."""
    a = [f"applications.new.{column}", f"applications.carried_over.{column}"]
    b = [f"applications.processed_total.{column}", f"applications.carried_forward.{column}"]
    if not all(k in fields for k in a + b) or _undecided(fields, a + b):
        return None
    left, right = sum(fields[k] for k in a), sum(fields[k] for k in b)
    ok = _equal(left, right)
    return Check(
        f"table3.balance{suffix}",
        ok,
        f"new + carried_over ({_fmt(left)}) {'==' if ok else '!='} "
        f"processed_total + carried_forward ({_fmt(right)})",
    )


def _column_checks(fields: dict[str, Number], column: str) -> list[Check | None]:
    """Balance, outcome rows and printed subtotals of one applicant column of table 3."""
    suffix = "" if column == "total" else f".{column}"
    total = f"applications.processed_total.{column}"
    checks = [
        _balance_check(fields, column, suffix),
        _sum_check(
            f"table3.outcomes{suffix}",
            fields,
            _outcome_parts(fields, column),
            total,
            "sum of outcome rows",
            "processed_total",
        ),
    ]
    for group, reasons in table3_reasons().items():
        parts = [f"applications.{group}_{r}.{column}" for r in reasons]
        total = f"applications.{group}_total.{column}"
        label = f"table3.subtotal.{group}{suffix}"
        checks.append(_sum_check(label, fields, parts, total, f"{group} reasons", f"{group}_total"))
    return checks


def _row_checks(fields: dict[str, Number]) -> list[Check | None]:
    """Each table 3 row's applicant columns sum to its 总计 (rows with at least one column stated)."""
    rows = sorted(
        {
            k.split(".")[1]
            for k in fields
            if k.startswith("applications.")
            and k.endswith(".total")
            and k.split(".")[1] not in ("channel", "answered")
        }
    )
    checks: list[Check | None] = []
    for row in rows:
        parts = [f"applications.{row}.{c}" for c in PERSON_COLUMNS]
        if any(p in fields for p in parts):
            label = f"{row} applicant columns"
            checks.append(
                _sum_check(
                    f"table3.row.{row}", fields, parts, f"applications.{row}.total", label, f"{row}.total"
                )
            )
    return checks


def table3_checks(fields: dict[str, Number]) -> list[Check]:
    """Balance, outcomes, subtotals per applicant column, then each row's columns against its 总计."""
    found = [check for column in APPLICANT_COLUMNS for check in _column_checks(fields, column)]
    return [check for check in found + _row_checks(fields) if check is not None]


def table4_checks(fields: dict[str, Number]) -> list[Check]:
    out = []
    for group in ("review", "litigation.direct", "litigation.after_review", "litigation"):
        parts = [f"{group}.{k}" for k in ("upheld", "corrected", "other", "pending")]
        check = _sum_check(
            f"table4.{group}",
            fields,
            parts,
            f"{group}.total",
            "upheld + corrected + other + pending",
            "total",
        )
        # an old-template prose total with a single stated part is not an identity to check
        if check and sum(p in fields for p in parts) >= 2:
            out.append(check)
    return out


def prose_checks(fields: dict[str, Number]) -> list[Check]:
    out = []
    parts = [f"applications.answered.{p}" for p in ANSWERED_PARTS]
    total = (
        "applications.answered.total" if "applications.answered.total" in fields else "applications.new.total"
    )
    if sum(p in fields for p in parts) >= 2:
        check = _sum_check("prose.answered", fields, parts, total, "answered parts", total.split(".", 1)[1])
        if check:
            out.append(check)
    refused = [f"applications.answered.{p}" for p in ANSWERED_REFUSED]
    check = _sum_check(
        "prose.refused",
        fields,
        refused,
        "applications.answered.refused",
        "refusal reasons",
        "answered.refused",
    )
    if check:
        out.append(check)
    # channels a report lists need not be all of them: their sum is at most the total
    channels = [k for k in fields if k.startswith("applications.channel.")]
    total_known = "applications.new.total" in fields and not _undecided(fields, ["applications.new.total"])
    if len(channels) >= 2 and total_known and not _undecided(fields, channels):
        got, total_value = sum(fields[k] for k in channels), fields["applications.new.total"]
        ok = got <= total_value + 1e-6
        relation = ("==" if _equal(got, total_value) else "<") if ok else ">"
        out.append(
            Check("prose.channels", ok, f"channels ({_fmt(got)}) {relation} new.total ({_fmt(total_value)})")
        )
    for part, total in PARTS_OF.items():
        if part in fields and total in fields and not _undecided(fields, [part, total]):
            ok = fields[part] <= fields[total]
            out.append(
                Check(
                    f"prose.parts.{part}",
                    ok,
                    f"{part} ({_fmt(fields[part])}) {'<=' if ok else '>'} {total} ({_fmt(fields[total])})",
                )
            )
    return out


def _record_matches(record_text: str, source: str, value: Number) -> bool:
    if source != record_text:
        return False
    quantity = parse_quantity(source, cell=True)
    if quantity is None:
        return False
    if _equal(quantity.value, value):
        return True
    # a bare cell in a column whose header states the unit (万元)
    return any(_equal(quantity.value * scale, value) for scale in (10_000, 100_000_000, 1000))


def source_checks(assembly: Assembly, text: str) -> list[Check]:
    """Every field value is found in the source at the offsets of a record that states it."""
    wrong = []
    backed: set[str] = set()
    for record in assembly.records:
        if record.field is None or record.field not in assembly.fields:
            continue
        source = text[record.start : record.end]
        if is_negation_record(record):
            ok = source == record.text
        else:
            ok = _record_matches(record.text, source, record.value)
        if ok and _equal(record.value, assembly.fields[record.field]):
            backed.add(record.field)
        elif not ok:
            wrong.append(f"{record.field} = {_fmt(record.value)} at {record.start}-{record.end} ({source!r})")
    # a blank table cell states 0 without any text to point at
    missing = sorted(k for k in set(assembly.fields) - backed if not _equal(assembly.fields[k], 0))
    problems = wrong + [f"{k} has no record stating {_fmt(assembly.fields[k])}" for k in missing]
    if not problems:
        return [
            Check(
                "records.in_source", True, f"all {len(assembly.fields)} field values found at their offsets"
            )
        ]
    shown = "; ".join(problems[:5]) + (f"; … {len(problems) - 5} more" if len(problems) > 5 else "")
    return [Check("records.in_source", False, shown)]


def run_checks(assembly: Assembly, text: str) -> list[Check]:
    """All identities that the stated fields make checkable, table layout notes first."""
    fields = {**assembly.fields, **dict.fromkeys(assembly.undecided, UNDECIDED)}
    checks = list(assembly.checks)
    checks += table3_checks(fields)
    checks += table4_checks(fields)
    checks += prose_checks(fields)
    checks += source_checks(assembly, text)
    return checks
