"""Self-training silver from unlabelled reports: values their own tables pin down, found in their prose.

Reports without gold still teach the field linker how prose states a count when the same report
prints the count in a table as well: `全年共受理政府信息公开申请12件` before a table 3 whose 总计 row
says 12. For every unlabelled report:

1. **Pinned values.** The table reader (`inference.tables`, precision 1.000 on the real annotated
   reports: `python -m training.bench_tables --real …`) reads the printed tables. Table-3 fields
   count only when every table-3 identity holds (`inference.checks.table3_checks`: balance,
   outcomes, rows) and at least one was checked; table-4 fields only when its identities hold. Other
   table fields (proactive disclosure, fees) are taken as read.
2. **Prose places.** Every count outside the printed tables (rule COUNT spans and prose records)
   whose value equals a pinned value is scored with the field's own wording in its clause
   (`training.silver.evidence`). It becomes a COUNT span with that field when the evidence is strong
   (`STRONG_EVIDENCE`) and no other pinned field of the same value is nearly as well named.
3. **No negatives.** A count that matches no pinned value may still be a catalogued field the
   tables do not print (staff, prose-only proactive counts), so it gets no span: the silver is
   *partial* (`meta.partial`), and the linker takes no none-cue negatives from it either.

Spans carry `confidence` `CONFIDENCE_SELF`. Nothing here is a score: these reports have no gold.

Usage: `python -m training.selftrain [REPORTS…] [-o annotations/silver/unlabelled.jsonl]`
(default input `annotations/unlabelled/`).
"""

from __future__ import annotations

import argparse
import logging
from collections.abc import Iterable, Sequence
from pathlib import Path

from inference import REPO_ROOT
from inference.checks import table3_checks, table4_checks
from inference.normalize import NormalizedText, normalize
from inference.read import expand_paths, read_report
from inference.records import Number, Span
from inference.rules import load_rule_tagger
from training.annotations import AnnotatedReport, save_annotations
from training.silver import (
    STRONG_EVIDENCE,
    Placement,
    count_candidates,
    evidence,
    placements_to_spans,
    read_structure,
    same_value,
    value_matches,
)

logger = logging.getLogger(__name__)

CONFIDENCE_SELF = 0.7
"""A prose count whose value a printed table of the same report pins down, its clause naming the field."""
MIN_VALUE = 1
"""Zeros are left out: a `0` in prose is as often a none-statement's part as a restated cell."""
RIVAL_SHARE = 0.9
"""Another pinned field with the same value and at least this share of the best evidence: ambiguous."""
UNLABELLED_DIR = REPO_ROOT / "annotations" / "unlabelled"
OUTPUT = REPO_ROOT / "annotations" / "silver" / "unlabelled.jsonl"


def pinned_values(table_fields: dict[str, Number]) -> dict[str, Number]:
    """The table fields whose report's own identities confirm them (see the module docstring)."""
    t3 = table3_checks(table_fields)
    t4 = table4_checks(table_fields)
    drop = set()
    if not t3 or not all(c.ok for c in t3):
        drop.add("applications.")
    if not all(c.ok for c in t4):
        drop.update(("review.", "litigation."))
    return {f: v for f, v in table_fields.items() if not f.startswith(tuple(drop))}


def _covered(reading, start: int) -> bool:
    return any(r.start <= start < r.end for r in reading.table)


def prose_placements(
    doc: NormalizedText, spans: Sequence[Span], pinned: dict[str, Number]
) -> list[Placement]:
    """Prose counts whose value and clause wording single out one pinned field."""
    reading = read_structure(doc, spans)
    text = doc.text
    lexicon = {(r.start, r.end): r.field for r in reading.prose if r.field}
    out = []
    for start, end, value, unit in count_candidates(reading):
        if _covered(reading, start) or float(value) < MIN_VALUE:
            continue
        if lexicon.get((start, end)) in pinned and not same_value(pinned[lexicon[(start, end)]], value):
            continue  # the lexicons read another pinned field here, and the table disagrees: unsure
        matching = [f for f, v in pinned.items() if value_matches(value, unit, v, f)]
        scored = sorted(((evidence(text, start, f, end), f) for f in matching), reverse=True)
        if not scored or scored[0][0] < STRONG_EVIDENCE:
            continue
        if len(scored) > 1 and scored[1][0] >= scored[0][0] * RIVAL_SHARE:
            continue
        out.append(Placement(start, end, scored[0][1], CONFIDENCE_SELF, "self"))
    return out


def selftrain_report(path: Path, tagger) -> AnnotatedReport | None:
    """Partial silver of one unlabelled report, or None when its tables pin nothing down in prose."""
    doc = normalize(read_report(path).text)
    spans = tagger.tag_batch([doc.text])[0]
    reading = read_structure(doc, spans)
    pinned = pinned_values(reading.table_fields)
    placements = prose_placements(doc, spans, pinned)
    if not placements:
        return None
    meta = {
        "origin": "self-training",
        "source": path.name,
        "group": path.stem,
        "partial": True,
        "pinned": len(pinned),
        "placed": len(placements),
    }
    return AnnotatedReport(path.stem, doc.original, placements_to_spans(doc, placements), None, meta)


def selftrain_reports(paths: Iterable[str | Path]) -> list[AnnotatedReport]:
    """Self-training silver of every readable report; an unreadable one is skipped with a message."""
    tagger = load_rule_tagger()
    reports = []
    for path in expand_paths(list(paths)):
        if path.suffix not in (".txt", ".html", ".htm") or path.stem.upper() == "README":
            continue
        try:
            report = selftrain_report(path, tagger)
        except Exception as exc:  # noqa: BLE001 — one bad report never loses the batch
            logger.warning("%s: skipped: %s", path, exc)
            continue
        if report is not None:
            reports.append(report)
    return reports


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("reports", nargs="*", default=[str(UNLABELLED_DIR)])
    parser.add_argument("-o", "--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    reports = selftrain_reports(args.reports)
    save_annotations(reports, args.output)
    spans = sum(len(r.spans) for r in reports)
    logger.info("%s: %d reports, %d prose spans with a field", args.output, len(reports), spans)


if __name__ == "__main__":
    main()
