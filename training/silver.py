"""Silver annotations from values users already have: align gold field values to the report text.

`gia annotate REPORTS --from-gold GOLD_DIR -o silver.jsonl` reads each report exactly as
`inference.read` does (so offsets are offsets into the reader's text), finds the places that state
each gold value and writes COUNT spans carrying `field` and a `confidence`:

1. **Structure and lexicons as evidence.** The rule tagger tags the normalised text; the table
   reader (`inference.tables`, which knows which cell of a rebuilt table it read for which field,
   digit runs split included) and prose linking (`inference.prose`, lexicons and none-statements)
   propose a field for every count. A proposal whose value equals the gold value of its field is
   aligned (tables 0.95, prose 0.85, none-statements 0.8).
2. **Search for the rest.** A gold value no proposal states is looked for among all counts of the
   text (prose counts, 汉字 numerals, money in 元/万元/亿元, bare table cells); each occurrence is
   scored by the field's own wording (`fields.tsv` labels, `table_lexicon.tsv`, `prose_lexicon.tsv`)
   in the clause before it. One clear best place is aligned (0.7, 0.4 when only the value's
   uniqueness speaks for it); equally good places are `meta.ambiguous`; none is `meta.unaligned`.
   A zero no proposal states is looked for as a none cue (`没有`, `未`, `无`) in a clause naming
   the field.
3. **Negatives.** Every other count the rule tagger finds is a COUNT with `field: ""` (the gold lists
   every catalogued value the report states), except counts whose value equals a gold or optional
   value that was not placed, table cells the reader assigned to a field whose gold differs, and
   counts the lexicons read as a gold field with another value: those keep `field` unset (None) —
   a COUNT, field unknown. A count with the value of a gold field placed elsewhere is a
   restatement of that field when its clause names it (`其中主动公开政府信息425条` beside the
   table's 425), else unknown: never a negative, which would teach the linker that the field's
   own wording states no field.

Spans are mapped back to the reader's text through the normaliser's offset map; they never overlap.
Reports with unaligned or ambiguous values get `meta.review = true` and can be exported for review
(Label Studio / doccano, `training.interchange`).
"""

from __future__ import annotations

import csv
import json
import logging
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from inference import REPO_ROOT
from inference.catalogue import get_field
from inference.errors import UserError
from inference.lexicon import ORDINALS, unit_pattern
from inference.metadata import detect_metadata
from inference.normalize import NormalizedText, normalize
from inference.prose import NEGATION, is_negation_record, load_prose_lexicon, prose_records
from inference.read import expand_paths, read_report
from inference.records import Number, Record, Span
from inference.rules import load_rule_tagger
from inference.tables import extract_tables, load_lexicon
from inference.values import parse_quantity
from training.annotations import AnnotatedReport, AnnotatedSpan, save_annotations, sort_spans
from training.interchange import FORMATS, export_reports

logger = logging.getLogger(__name__)

CONFIDENCE_TABLE = 0.95
"""A rebuilt table put the gold value in this cell: structure agrees with the value."""
CONFIDENCE_TABLE_UNCONFIRMED = 0.6
"""A table cell in a row whose gold values are all equal: the column rests on the reader alone."""
CONFIDENCE_PROSE = 0.85
"""Prose linking (lexicons) names this field for a count with the gold value."""
CONFIDENCE_NONE_CUE = 0.8
"""A none-statement that prose linking reads as this field, gold 0."""
CONFIDENCE_RUN = 0.75
"""A digit run after the field's row label cuts exactly into the row's gold values."""
CONFIDENCE_SEARCH = 0.7
"""Found by search: the field's own wording in the clause before the only best occurrence."""
CONFIDENCE_SEARCH_NONE = 0.6
"""Found by search: a none cue in a clause with the field's wording, gold 0."""
CONFIDENCE_UNIQUE = 0.4
"""Found by search on the value alone: it occurs once and no wording speaks against it."""
CONFIDENCE_NEGATIVE = 0.9
"""A count whose value no gold field takes: not a catalogued field of this report."""
CONFIDENCE_RESTATED = 0.6
"""A count whose value equals a gold value placed elsewhere, its clause naming that field: a restatement."""
CONFIDENCE_UNKNOWN = 0.3
"""A COUNT whose field is left open (None)."""

CLAUSE_BREAK = re.compile(r"[。;；!?！？\n]")
CONTEXT_CHARS = 40
"""How far before a count its field's wording is looked for (same clause only)."""
STRONG_EVIDENCE = 3.0
"""Evidence score from which a search hit stands on its own (a 3-character field term next to it)."""
FOREIGN_FAMILY = 0.6
"""Evidence weight when the clause names none of the field's family (a piece of a long label only)."""
NOUN_WEIGHT = 1.5
"""The counted noun right after a count (`2名|兼职工作人员`) names it more surely than a clause before."""
MIN_DISTINCTIVE = 10
MIN_UNIQUE_EVIDENCE = 1.5
"""A value placed by its uniqueness still needs some of the field's wording before it (`政府信息`)."""
"""Values below this occur too often by chance to be placed by uniqueness alone."""


@dataclass(frozen=True)
class Placement:
    """A candidate place for one value, offsets in the normalised text."""

    start: int
    end: int
    field: str | None
    confidence: float
    how: str


@dataclass
class Alignment:
    """The silver spans of one report (normalised offsets) and what could not be placed."""

    placements: list[Placement] = field(default_factory=list)
    unaligned: list[dict[str, Any]] = field(default_factory=list)
    ambiguous: list[dict[str, Any]] = field(default_factory=list)
    aligned: list[str] = field(default_factory=list)
    blank: list[str] = field(default_factory=list)
    shared_cue: list[dict[str, str]] = field(default_factory=list)
    """Zeros whose none cue another zero field's span carries (one span, one field): placed, no span."""
    """Zeros a rebuilt table reads from empty printed cells (convention 2): placed, but no span."""


@dataclass(frozen=True)
class SilverSummary:
    """What `annotate_from_gold` wrote, with alignment counts over all reports."""

    output: Path
    reports: int
    spans: int
    gold_values: int
    aligned: int
    ambiguous: int
    unaligned: int
    failed: tuple[str, ...]
    review: Path | None = None


# ----------------------------------------------------------------------------- evidence


def _terms_of_label(label: str) -> list[str]:
    """`（一）予以公开 × 自然人` → ['予以公开', '自然人']; numbering and notes dropped."""
    out = []
    for part in re.split(r"\s*[×|]\s*", label):
        part = re.sub(rf"^[（(]?[{ORDINALS}0-9]+[）)、.．]\s*", "", part)
        part = re.sub(r"[（(][^)）]*[)）]", "", part).strip()
        if len(part) >= 2:
            out.append(part)
    return out


@cache
def field_terms(field_id: str) -> tuple[str, ...]:
    """The wording that names `field_id` (longest first): catalogue labels and lexicon rows.

    Catalogue `labels`, `table_lexicon.tsv` rows for the field (old 附表 rows by id, national table
    rows and columns by key) and `prose_lexicon.tsv` field keywords. `+` ids take their parts' terms.
    """
    terms: set[str] = set()
    for part in _split_combined(field_id):
        entry = get_field(part)
        if entry is not None:
            terms.update(_terms_of_label(entry.labels))
        pieces = part.split(".")
        for row in load_lexicon():
            if row.key == part or (len(pieces) >= 2 and row.key in pieces[1:] and row.table != "old"):
                for label in row.labels:
                    terms.update(_terms_of_label(label))
        for row in load_prose_lexicon():
            if row.kind in ("field", "negation") and row.field == part:
                terms.update(k for k in row.keywords if len(k) >= 2)
    return tuple(sorted(terms, key=lambda t: (-len(t), t)))


@cache
def family_terms(field_id: str) -> tuple[str, ...]:
    """Wording of the field's family (`applications` → 政府信息公开申请, 申请 …): weaker evidence."""
    family = field_id.split(".", 1)[0]
    terms = {k for r in load_prose_lexicon() if r.kind == "metric" and r.family == family for k in r.keywords}
    return tuple(sorted((t for t in terms if len(t) >= 2), key=lambda t: (-len(t), t)))


def _split_combined(field_id: str) -> list[str]:
    """`applications.channel.fax+letter` → the two catalogue ids."""
    if "+" not in field_id:
        return [field_id]
    prefix, last = field_id.rsplit(".", 1)
    return [f"{prefix}.{name}" for name in last.split("+")]


def _context_start(text: str, pos: int) -> int:
    floor = max(0, pos - CONTEXT_CHARS)
    breaks = [m.end() for m in CLAUSE_BREAK.finditer(text, floor, pos)]
    return breaks[-1] if breaks else floor


def evidence(text: str, start: int, field_id: str, end: int | None = None) -> float:
    """How strongly the clause before `start` names `field_id`: matched wording, discounted by distance.

    A term need not be printed whole: the longest piece of it (2+ characters) found in the clause
    counts, so `网站公开条` speaks for `网站公开政府信息数` (4 characters) as a table's abridged row label.
    Family wording (`申请` for applications) weighs half. With the count's `end`, the counted noun
    right after it (up to the next comma or number: `配备了2名|兼职工作人员`) speaks too.

    >>> evidence("共受理政府信息公开申请23件", 11, "applications.new.total") > STRONG_EVIDENCE
    True
    >>> evidence("配备了2名兼职工作人员，", 3, "staff.part_time", 5) >= STRONG_EVIDENCE
    True
    """
    lo = _context_start(text, start)
    before = _window_evidence(text[lo:start].replace("它", "他"), field_id)  # 其它 = 其他
    if end is None:
        return before
    return max(before, NOUN_WEIGHT * _window_evidence(_counted_noun(text, end), field_id, reverse=True))


def _counted_noun(text: str, end: int) -> str:
    """What a count counts when the noun follows it: up to the next clause break or digit."""
    stop = re.search(r"[,，;；。:：!！?？\n\t|、\d]", text[end : end + CONTEXT_CHARS])
    return text[end : end + (stop.start() if stop else CONTEXT_CHARS)]


@lru_cache(maxsize=65536)
def _window_evidence(window: str, field_id: str, reverse: bool = False) -> float:
    """Evidence of `window`: the clause before a count, or with `reverse` the noun after it (scanned
    from its far end, so that wording next to the count is the nearest)."""
    best = 0.0
    scan = window[::-1] if reverse else window
    for terms, weight in ((field_terms(field_id), 1.0), (family_terms(field_id), 0.5)):
        for term in terms:
            if weight * len(term) <= best:
                break  # terms are longest first: none of the rest can beat `best`
            best = max(best, weight * _piece_score(scan, term[::-1] if reverse else term))
    family = family_terms(field_id)
    if family and not any(term in window for term in family):
        best *= FOREIGN_FAMILY  # 依申请公开信息 is wording of applications, not of fees
    return best


def _piece_score(window: str, term: str) -> float:
    """Length of the longest piece of `term` in `window`, discounted by its distance from the end."""
    for size in range(len(term), 1, -1):
        ends = [window.rfind(term[i : i + size]) for i in range(len(term) - size + 1)]
        at = max(ends)
        if at >= 0:
            distance = len(window) - (at + size)
            return size / (1 + distance / 15)
    return 0.0


# ----------------------------------------------------------------------------- values


def same_value(a: Number, b: Number) -> bool:
    return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-6)


def is_money(field_id: str) -> bool:
    entry = get_field(_split_combined(field_id)[0])
    return entry is not None and entry.unit == "元"


def value_matches(stated: Number, unit: str, gold: Number, field_id: str) -> bool:
    """Does a stated quantity give the gold value? Money in a unitless cell may be 万元 (convention 1)."""
    if same_value(stated, gold):
        return True
    return is_money(field_id) and not unit and same_value(float(stated) * 10_000, gold)


def gold_values(gold: dict[str, Any]) -> dict[str, Number]:
    """The numeric `fields` of a gold object (non-numbers are skipped with a warning)."""
    out = {}
    for key, value in (gold.get("fields") or {}).items():
        if isinstance(value, bool) or not isinstance(value, int | float):
            logger.warning("gold %s: %s is not a number (%r), skipped", gold.get("source"), key, value)
            continue
        out[key] = value
    return out


# ----------------------------------------------------------------------------- alignment


@dataclass(frozen=True)
class _Reading:
    """A report as the pipeline reads it: normalised text, rule spans, table and prose records."""

    doc: NormalizedText
    spans: tuple[Span, ...]
    table: tuple[Record, ...]
    prose: tuple[Record, ...]
    table_fields: dict[str, Number] = field(default_factory=dict)


def read_structure(doc: NormalizedText, spans: Sequence[Span]) -> _Reading:
    """Run the table reader and prose linking on tagged normalised text (no merging, no checks)."""
    meta = detect_metadata(doc.text)
    spans = list(spans)
    tables = extract_tables(doc.text, spans, template=meta.template, offsets=doc.offsets)
    prose = prose_records(doc.text, spans, template=meta.template, year=meta.year, covered=tables.covered)
    return _Reading(doc, tuple(spans), tuple(tables.records), tuple(prose), dict(tables.fields))


def _cue(text: str, record: Record) -> tuple[int, int]:
    """The none cue nearest before the counted thing of a negation record (`未收到…申请，未收到…复议`)."""
    keyword_start = record.end - len(record.metric)
    cues = list(NEGATION.finditer(text, record.start, max(record.start + 1, keyword_start)))
    return (cues[-1].start(), cues[-1].end()) if cues else (record.start, record.end)


def _before_note(record: Record) -> int:
    """End of a cell's number before its printed note: `5(建设工程规划许可证)` → `5` (GUIDELINES.md)."""
    m = re.search(r"\s*[(（]", record.text)
    return record.start + m.start() if m and m.start() > 0 else record.end


def _uniform_row(field_id: str, golds: dict[str, Number]) -> bool:
    """Every gold cell of the field's row has the same value (`0 0 0 0 0 0 0`): the value cannot
    confirm which column the table reader took the cell for."""
    row = field_id.rsplit(".", 1)[0]
    values = [v for f, v in golds.items() if f.rsplit(".", 1)[0] == row]
    return len(values) > 1 and all(same_value(v, values[0]) for v in values)


def _proposals(reading: _Reading, golds: dict[str, Number]) -> dict[str, list[Placement]]:
    """Field → places where the table reader or prose linking states the gold value of that field."""
    out: dict[str, list[Placement]] = {}
    text = reading.doc.text
    for record, how, confidence in [(r, "table", CONFIDENCE_TABLE) for r in reading.table] + [
        (r, "prose", CONFIDENCE_PROSE) for r in reading.prose
    ]:
        if record.field is None or record.field not in golds:
            continue
        if not value_matches(record.value, record.unit, golds[record.field], record.field):
            continue
        if how == "table" and _uniform_row(record.field, golds):
            confidence = CONFIDENCE_TABLE_UNCONFIRMED
        start, end = record.start, _before_note(record)
        if how == "prose" and is_negation_record(record):
            (start, end), how, confidence = _cue(text, record), "none-cue", CONFIDENCE_NONE_CUE
        out.setdefault(record.field, []).append(Placement(start, end, record.field, confidence, how))
    return out


def count_candidates(reading: _Reading) -> list[tuple[int, int, Number, str]]:
    """Every count the text states: (start, end, value, unit) of rule COUNT spans and table cells."""
    found: dict[tuple[int, int], tuple[int, int, Number, str]] = {}
    for record in reading.table:
        found[(record.start, record.end)] = (record.start, record.end, record.value, record.unit)
    for record in reading.prose:
        if not is_negation_record(record):
            found.setdefault(
                (record.start, record.end), (record.start, record.end, record.value, record.unit)
            )
    for span in reading.spans:
        if span.label != "COUNT" or (span.start, span.end) in found:
            continue
        quantity = parse_quantity(span.text, cell=True)
        if quantity is not None:
            found[(span.start, span.end)] = (span.start, span.end, quantity.value, quantity.unit)
    return sorted(found.values())


NUMBER_TOKEN = re.compile(r"(?<![\d.])\d+(?:\.\d+)?(?![\d.])")
DIGIT_RUN = re.compile(r"-?\d[\d.\-]*\d")
NOT_A_CELL_RUN = re.compile(rf"\s*(?:[%％‰]|[万亿]?(?:{unit_pattern('count')}))")
"""What follows a number that is a prose count or a rate, not cells of a collapsed table (money `元` is
a table-2 column and stays)."""
RUN_LABEL_GAP = 4
"""At most this many characters (a unit `条`, spaces) between a row label and its digit run."""


def _number_tokens(text: str) -> list[tuple[int, int, Number, str]]:
    """Every bare number of the text (table cells the tagger left untagged), as search candidates."""
    out = []
    for m in NUMBER_TOKEN.finditer(text):
        if re.match(r"0\d", m.group(0)):
            continue  # `00`: two cells of a collapsed table, not one number
        quantity = parse_quantity(m.group(0), cell=True)
        if quantity is not None:
            out.append((m.start(), m.end(), quantity.value, ""))
    return out


def printed_forms(value: Number, field_id: str) -> list[str]:
    """How a table cell may print a gold value: `75394432.52`, `73802895.90`, `-18`; 万元 for money.

    >>> printed_forms(73802895.9, "proactive.procurement.amount")[:2]
    ['73802895.9', '73802895.90']
    """
    forms: list[str] = []
    for number, cents in [(value, True)] + (
        [(value / 10_000, False)] if is_money(field_id) and value else []
    ):
        if float(number).is_integer():
            forms.append(str(int(number)))
        else:
            forms.append(repr(round(float(number), 8)).rstrip("0").rstrip("."))
            if cents:
                forms.append(f"{float(number):.2f}")  # 73802895.90元: yuan printed with cents
    return list(dict.fromkeys(forms))


def split_run(run: str, cells: Sequence[tuple[str, Number]]) -> list[tuple[int, int]] | None:
    """Cut a digit run into the printed forms of `cells` (field, value) in order; None if it does not fit.

    The run may go on after the last cell (an old 附表's 历年累计 column, not a field).

    >>> split_run("230000023", [("a.b.x", 23), ("a.b.y", 0), ("a.b.z", 0)])
    [(0, 2), (2, 3), (3, 4)]
    """
    pos, out = 0, []
    for field_id, value in cells:
        form = next((f for f in printed_forms(value, field_id) if run.startswith(f, pos)), None)
        if form is None:
            return None
        out.append((pos, pos + len(form)))
        pos += len(form)
    return out


def _row_fields(text: str, start: int, golds: dict[str, Number]) -> list[str]:
    """The fields whose row label ends right before `start`: the best one's row, in catalogue order.

    All gold fields compete, placed or not: a table row restating a value placed in prose is that
    field's row, not the next best field's.
    """
    lo = max(0, start - RUN_LABEL_GAP - 30)
    scored = [(evidence(text[lo:start], start - lo, f), f) for f in golds]
    scored = [t for t in scored if t[0] >= 2.0]
    if not scored:
        return []
    best = max(score for score, _ in scored)
    leaders = [f for score, f in scored if score == best]
    row = leaders[0].rsplit(".", 1)[0]
    same_row = [f for f in golds if f.rsplit(".", 1)[0] == row and f in leaders + [g for _, g in scored]]
    return same_row if len(leaders) == 1 or all(f.rsplit(".", 1)[0] == row for f in leaders) else []


def _split_runs(reading: _Reading, golds: dict[str, Number], result: Alignment) -> None:
    """Place gold values inside digit runs of collapsed tables (`条4181509` = 418 | 1509).

    The row is the one whose label best matches the wording before the run; a row whose field is
    placed already (a restatement in prose) is left alone rather than given to the next best field.
    """
    text = reading.doc.text
    forms = {f: printed_forms(v, f) for f, v in golds.items()}
    for run in DIGIT_RUN.finditer(text):
        if any(p.start < run.end() and run.start() < p.end for p in result.placements):
            continue
        if NOT_A_CELL_RUN.match(text, run.end()) or text[max(0, run.start() - 1) : run.start()] in (
            "占",
            "第",
        ):
            continue  # `占90%`, `1084条`: a prose number, not table cells run together
        fitting = {f: golds[f] for f in golds if any(run.group(0).startswith(form) for form in forms[f])}
        if not fitting:
            continue
        row = _row_fields(text, run.start(), fitting)
        if not row or row[0] in result.aligned:
            continue
        leader = row[0]
        row = [
            f for f in golds if f.rsplit(".", 1)[0] == leader.rsplit(".", 1)[0] and f not in result.aligned
        ]
        for fields in (row, [leader]):
            cells = split_run(run.group(0), [(f, golds[f]) for f in fields])
            if cells == [(0, len(run.group(0)))]:
                break  # a number of its own, not a run of cells: search places it with its unit
            if cells:
                for field_id, (a, b) in zip(fields, cells, strict=True):
                    a, b = run.start() + a, run.start() + b
                    placed = _add(result.placements, Placement(a, b, field_id, CONFIDENCE_RUN, "digit-run"))
                    if placed and field_id not in result.aligned:
                        result.aligned.append(field_id)
                break


CELL_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
CELL_SEPARATOR = re.compile(r"[\s|\u3000]+")


def cell_sequences(text: str) -> list[list[re.Match[str]]]:
    """Runs of 2+ numbers separated only by spaces, tabs, line breaks or `|` (a printed table row)."""
    out: list[list[re.Match[str]]] = []
    current: list[re.Match[str]] = []
    for m in CELL_NUMBER.finditer(text):
        if NOT_A_CELL_RUN.match(text, m.end()):
            current = []
            continue
        if current and CELL_SEPARATOR.fullmatch(text, current[-1].end(), m.start()):
            current.append(m)
        else:
            current = [m]
            out.append(current)
    return [seq for seq in out if len(seq) >= 2]


def _split_sequences(reading: _Reading, golds: dict[str, Number], result: Alignment) -> None:
    """Place a row's gold values on a row of separate cells (`数量\n|\n0\n|\n0…`, `| 3 | 0 | 0 |`).

    The row is chosen by the label before the first cell; the cells must equal the row's gold values
    in catalogue (column) order, else only the first cell is taken for the best-matching field.
    """
    text = reading.doc.text
    for seq in cell_sequences(text):
        if any(p.start < seq[-1].end() and seq[0].start() < p.end for p in result.placements):
            continue
        label_end = seq[0].start()
        while label_end > 0 and text[label_end - 1] in " \t\n|\u3000":
            label_end -= 1
        first = seq[0].group(0)
        fitting = {f: v for f, v in golds.items() if first in printed_forms(v, f)}
        row = _row_fields(text, label_end, fitting) if fitting else []
        if not row or row[0] in result.aligned:
            continue
        leader = row[0]
        row = [
            f for f in golds if f.rsplit(".", 1)[0] == leader.rsplit(".", 1)[0] and f not in result.aligned
        ]
        cells = list(zip(row, seq, strict=False))
        whole = len(seq) >= len(row) and all(m.group(0) in printed_forms(golds[f], f) for f, m in cells)
        for field_id, m in cells if whole else [(leader, seq[0])]:
            confidence = CONFIDENCE_TABLE_UNCONFIRMED if _uniform_row(field_id, golds) else CONFIDENCE_RUN
            if _add(result.placements, Placement(m.start(), m.end(), field_id, confidence, "cell-row")):
                result.aligned.append(field_id)


def _none_cues(text: str, field_id: str) -> list[tuple[int, int, float]]:
    """None cues (`没有`, `未`, `无`) followed in their clause by the field's wording, no digit between."""
    out = []
    terms = field_terms(field_id)
    for cue in NEGATION.finditer(text):
        stop = CLAUSE_BREAK.search(text, cue.end())
        clause = text[cue.end() : stop.start() if stop else len(text)][:CONTEXT_CHARS]
        if re.search(r"\d", clause):
            continue
        score = max((len(t) for t in terms if t in clause), default=0)
        if score >= 2:
            out.append((cue.start(), cue.end(), float(score)))
    return out


def _search(
    reading: _Reading, field_id: str, gold: Number, candidates: list[tuple[int, int, Number, str]]
) -> tuple[list[Placement], list[list[int]]]:
    """Places found by search for one gold value: (chosen placements, tied places when ambiguous)."""
    text = reading.doc.text
    scored = [
        (evidence(text, start, field_id, end), start, end)
        for start, end, value, unit in candidates
        if value_matches(value, unit, gold, field_id)
    ]
    how, strong_confidence = "search", CONFIDENCE_SEARCH
    if not scored and same_value(gold, 0):
        scored = [(score, start, end) for start, end, score in _none_cues(text, field_id)]
        how, strong_confidence = "search-none-cue", CONFIDENCE_SEARCH_NONE
    if not scored:
        return [], []
    scored.sort(key=lambda t: (-t[0], t[1]))
    best = scored[0][0]
    if best >= STRONG_EVIDENCE:
        ties = [t for t in scored if t[0] >= best * 0.9]
        if len(ties) == 1:
            _, start, end = ties[0]
            return [Placement(start, end, field_id, strong_confidence, how)], []
        return [], [[s, e] for _, s, e in ties]
    if len(scored) == 1 and abs(float(gold)) >= MIN_DISTINCTIVE and best >= MIN_UNIQUE_EVIDENCE:
        _, start, end = scored[0]
        return [Placement(start, end, field_id, CONFIDENCE_UNIQUE, how + "-unique")], []
    return [], [[s, e] for _, s, e in scored[:5]]


def _overlaps(a: Placement, b: Placement) -> bool:
    return a.start < b.end and b.start < a.end


def _add(placements: list[Placement], new: Placement) -> bool:
    """Add `new` unless it overlaps a placement already taken (those were more certain)."""
    if any(_overlaps(new, p) for p in placements):
        return False
    placements.append(new)
    return True


def _search_missing(
    reading: _Reading,
    golds: dict[str, Number],
    candidates: list[tuple[int, int, Number, str]],
    result: Alignment,
) -> None:
    """Search places for the gold values no proposal placed; record ties and misses."""
    for field_id, value in golds.items():
        if field_id in result.aligned:
            continue
        free = [c for c in candidates if not any(p.start < c[1] and c[0] < p.end for p in result.placements)]
        chosen, ties = _search(reading, field_id, value, free)
        placed = [p for p in chosen if _add(result.placements, p)]
        shared = (
            _shared_cue(reading.doc.text, field_id, result.placements, golds)
            if same_value(value, 0)
            else None
        )
        if placed:
            result.aligned.append(field_id)
        elif shared:
            result.shared_cue.append({"field": field_id, "with": shared})
            result.aligned.append(field_id)
        elif ties:
            result.ambiguous.append({"field": field_id, "value": value, "places": ties})
        else:
            result.unaligned.append({"field": field_id, "value": value})


def _negative_field(
    reading: _Reading,
    candidate: tuple[int, int, Number, str],
    golds: dict[str, Number],
    open_values: list[Number],
) -> tuple[str | None, float]:
    """Field and confidence for a count no gold value was placed on: `""`, or None when unsure."""
    start, end, value, unit = candidate
    text = reading.doc.text[start:end]
    if re.fullmatch(r"\d{6,}", text) and not unit:
        return None, CONFIDENCE_UNKNOWN  # an unsplit run of table cells holds catalogued values
    for record in reading.table:
        if (record.start, record.end) == (start, end) and record.field in golds:
            return None, CONFIDENCE_UNKNOWN  # the reader put a cell here whose gold differs: split unsure
    if any(same_value(value, v) or same_value(float(value) * 10_000, v) for v in open_values):
        return None, CONFIDENCE_UNKNOWN
    lexicon = next((r.field for r in reading.prose if (r.start, r.end) == (start, end) and r.field), None)
    if lexicon in golds:
        return None, CONFIDENCE_UNKNOWN  # worded as a gold field, another value: a part, a slip, a mix-up
    restated = [f for f, v in golds.items() if same_value(value, v)]
    if restated:
        # the value of a field placed elsewhere: a restatement where the clause names the field
        text = reading.doc.text
        named = [f for f in restated if evidence(text, start, f, end) >= STRONG_EVIDENCE]
        if len(named) == 1:
            return named[0], CONFIDENCE_RESTATED
        return None, CONFIDENCE_UNKNOWN
    return "", CONFIDENCE_NEGATIVE


def _outvoted(text: str, placement: Placement, golds: dict[str, Number]) -> bool:
    """A prose reading whose value another gold field shares, and whose clause names that field better.

    `收到…行政复议申请0件` read as applications by prose linking: the zero is review's (gold has both).
    Table cells are never outvoted: their row and column say more than wording.
    """
    if placement.how != "prose" or placement.field is None:
        return False
    value = golds[placement.field]
    mine = evidence(text, placement.start, placement.field)
    return any(
        evidence(text, placement.start, other) > mine + 1.0
        for other, v in golds.items()
        if other != placement.field and same_value(v, value)
    )


def _shared_cue(
    text: str, field_id: str, placements: list[Placement], golds: dict[str, Number]
) -> str | None:
    """The zero field whose none cue also states `field_id` (`未发生…行政复议案件、行政诉讼案件`)."""
    for start, _end, _ in _none_cues(text, field_id):
        for p in placements:
            if p.start <= start < p.end and p.field and same_value(golds.get(p.field, 1), 0):
                return p.field
    return None


def align(reading: _Reading, gold: dict[str, Any]) -> Alignment:
    """Place every gold value of one report; every other count becomes a negative (normalised offsets)."""
    golds = gold_values(gold)
    result = Alignment()
    proposals = _proposals(reading, golds)
    for field_id in golds:
        placed = [
            p
            for p in sorted(proposals.get(field_id, []), key=lambda p: p.start)
            if not _outvoted(reading.doc.text, p, golds) and _add(result.placements, p)
        ]
        if placed:
            result.aligned.append(field_id)
    _split_runs(reading, golds, result)
    _split_sequences(reading, golds, result)
    for field_id, value in golds.items():
        cell_free = not any(r.field == field_id for r in reading.table)
        if field_id not in result.aligned and cell_free and same_value(value, 0):
            if field_id in reading.table_fields and same_value(reading.table_fields[field_id], 0):
                result.blank.append(field_id)
                result.aligned.append(field_id)
    candidates = count_candidates(reading)
    bare = [
        c
        for c in _number_tokens(reading.doc.text)
        if not any(a < c[1] and c[0] < b for a, b, _, _ in candidates)
    ]
    _search_missing(reading, golds, candidates + bare, result)
    open_values = [entry["value"] for entry in result.unaligned + result.ambiguous]
    open_values += [v for v in (gold.get("optional") or {}).values() if isinstance(v, int | float)]
    table_cells = {(r.start, r.end) for r in reading.table}
    # table cells first, so that a digit run the reader split is not also taken whole
    for candidate in sorted(candidates, key=lambda c: ((c[0], c[1]) not in table_cells, c[0])):
        field_id, confidence = _negative_field(reading, candidate, golds, open_values)
        _add(result.placements, Placement(candidate[0], candidate[1], field_id, confidence, "negative"))
    result.placements.sort(key=lambda p: p.start)
    return result


# ----------------------------------------------------------------------------- reports and files


def placements_to_spans(doc: NormalizedText, placements: Iterable[Placement]) -> tuple[AnnotatedSpan, ...]:
    """Normalised placements → COUNT spans on `doc.original`; one that would overlap is dropped."""
    out: list[AnnotatedSpan] = []
    for p in sorted(placements, key=lambda p: (p.start, p.end)):
        start, end = doc.to_original(p.start, p.end)
        if end <= start or (out and start < out[-1].end):
            logger.debug("dropping placement %s after mapping to [%d:%d]", p, start, end)
            continue
        out.append(AnnotatedSpan(start, end, "COUNT", doc.original[start:end], p.field, p.confidence))
    return sort_spans(out)


def _places_to_original(doc: NormalizedText, places: list[list[int]]) -> list[list[int]]:
    return [list(doc.to_original(start, end)) for start, end in places]


def silver_report(
    report_id: str, doc: NormalizedText, spans: Sequence[Span], gold: dict[str, Any], meta: dict[str, Any]
) -> AnnotatedReport:
    """One silver report from its normalised text, rule spans and gold object."""
    result = align(read_structure(doc, spans), gold)
    ambiguous = [dict(a, places=_places_to_original(doc, a["places"])) for a in result.ambiguous]
    meta = {
        **meta,
        "origin": "silver",
        "gold_values": len(gold_values(gold)),
        "aligned": len(result.aligned),
        "blank_cells": len(result.blank),
        "shared_cue": result.shared_cue,
        "unaligned": result.unaligned,
        "ambiguous": ambiguous,
        "review": bool(result.unaligned or ambiguous),
    }
    return AnnotatedReport(report_id, doc.original, placements_to_spans(doc, result.placements), gold, meta)


def find_gold(report: Path, gold_dir: Path) -> Path | None:
    """The gold file of a report: `<stem>.json` in `gold_dir`, else one whose `source` names it."""
    direct = gold_dir / f"{report.stem}.json"
    if direct.is_file():
        return direct
    for candidate in sorted(gold_dir.glob("*.json")):
        try:
            if json.loads(candidate.read_text(encoding="utf-8")).get("source") == report.name:
                return candidate
        except (OSError, json.JSONDecodeError, AttributeError):
            continue
    return None


def _load_gold(path: Path) -> dict[str, Any]:
    try:
        gold = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UserError(f"{path}: unreadable gold file: {exc}") from exc
    if not isinstance(gold, dict) or not isinstance(gold.get("fields"), dict):
        raise UserError(f"{path}: a gold file is a JSON object with `fields` (docs/spec/README.md)")
    return gold


def silver_reports(
    paths: Iterable[str | Path], gold_dir: str | Path, *, groups: dict[str, str] | None = None
) -> tuple[list[AnnotatedReport], list[str]]:
    """Silver annotations for every readable report with a gold file; returns (reports, failures).

    `groups` maps a file name to its `meta.group` (the distinct report a layout variant belongs to);
    by default a report is its own group. A report without gold or unreadable is skipped with a
    message naming it (the rest of the batch goes on).
    """
    gold_dir = Path(gold_dir)
    if not gold_dir.is_dir():
        raise UserError(f"{gold_dir}: gold directory not found")
    ready: list[tuple[Path, NormalizedText, dict[str, Any]]] = []
    failed: list[str] = []
    gold_root = gold_dir.resolve()
    for path in expand_paths(list(paths)):
        if gold_root in path.resolve().parents:
            continue  # `passages/` holds its `gold/`: gold files and notes are not reports
        gold_path = find_gold(path, gold_dir)
        try:
            if gold_path is None:
                raise UserError(f"{path}: no gold file in {gold_dir} (looked for {path.stem}.json)")
            gold = _load_gold(gold_path)
            raw = read_report(path)
        except UserError as exc:
            logger.warning("%s", exc)
            failed.append(str(exc))
            continue
        ready.append((path, normalize(raw.text), gold))
    all_spans = load_rule_tagger().tag_batch([doc.text for _, doc, _ in ready]) if ready else []
    reports = []
    for (path, doc, gold), spans in zip(ready, all_spans, strict=True):
        group = (groups or {}).get(path.name, path.stem)
        meta = {"source": path.name, "group": group}
        reports.append(silver_report(path.stem, doc, spans, gold, meta))
    return reports, failed


def summarise(reports: Sequence[AnnotatedReport]) -> dict[str, int]:
    """Gold values, aligned, ambiguous and unaligned over reports (from their meta)."""
    return {
        "reports": len(reports),
        "gold_values": sum(r.meta["gold_values"] for r in reports),
        "aligned": sum(r.meta["aligned"] for r in reports),
        "blank_cells": sum(r.meta.get("blank_cells", 0) for r in reports),
        "shared_cue": sum(len(r.meta.get("shared_cue", [])) for r in reports),
        "ambiguous": sum(len(r.meta["ambiguous"]) for r in reports),
        "unaligned": sum(len(r.meta["unaligned"]) for r in reports),
        "spans": sum(len(r.spans) for r in reports),
        "field_spans": sum(1 for r in reports for s in r.spans if s.field),
        "negative_spans": sum(1 for r in reports for s in r.spans if s.field == ""),
        "review": sum(1 for r in reports if r.meta["review"]),
    }


def annotate_from_gold(
    paths: Iterable[str | Path],
    *,
    gold_dir: str | Path,
    output: str | Path,
    review_format: str | None = None,
    review_output: str | Path | None = None,
    groups: dict[str, str] | None = None,
) -> SilverSummary:
    """Write silver annotations (JSONL) and, with `review_format`, the flagged reports for review."""
    if review_format is not None and review_format not in FORMATS:
        raise UserError(f"unknown review format {review_format!r}; use one of {', '.join(FORMATS)}")
    reports, failed = silver_reports(paths, gold_dir, groups=groups)
    if not reports:
        raise UserError("no readable reports with gold to align")
    output = Path(output)
    save_annotations(reports, output)
    review_path = None
    if review_format is not None:
        suffix = ".review.json" if review_format == "label-studio" else ".review.jsonl"
        review_path = Path(review_output) if review_output else output.with_name(output.stem + suffix)
        flagged = [r for r in reports if r.meta["review"]]
        export_reports(flagged, review_path, format=review_format, kind="predictions", model_version="silver")
    counts = summarise(reports)
    return SilverSummary(
        output,
        len(reports),
        counts["spans"],
        counts["gold_values"],
        counts["aligned"],
        counts["ambiguous"],
        counts["unaligned"],
        tuple(failed),
        review_path,
    )


# ----------------------------------------------------------------------------- committed sets

ANNOTATIONS_DIR = REPO_ROOT / "annotations"


@dataclass(frozen=True)
class SilverSet:
    """One committed silver file: where its reports and gold are, how its reports are grouped."""

    name: str
    reports: Path
    gold: Path
    output: Path
    groups: Path | None = None


SILVER_SETS: tuple[SilverSet, ...] = (
    SilverSet(
        "real",
        ANNOTATIONS_DIR / "real" / "reports",
        ANNOTATIONS_DIR / "real" / "gold",
        ANNOTATIONS_DIR / "silver" / "real.jsonl",
        ANNOTATIONS_DIR / "real" / "groups.tsv",
    ),
    SilverSet(
        "passages",
        ANNOTATIONS_DIR / "real" / "passages",
        ANNOTATIONS_DIR / "real" / "passages" / "gold",
        ANNOTATIONS_DIR / "silver" / "passages.jsonl",
    ),
    SilverSet(
        "seeds",
        ANNOTATIONS_DIR / "seeds",
        ANNOTATIONS_DIR / "gold",
        ANNOTATIONS_DIR / "silver" / "seeds.jsonl",
    ),
)


def load_groups(path: Path | None) -> dict[str, str]:
    """File name → group (the distinct report a layout variant belongs to) from a `file\\tgroup` TSV."""
    if path is None:
        return {}
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["file"]: row["group"] for row in csv.DictReader(handle, delimiter="\t")}


def build_set(silver_set: SilverSet) -> list[AnnotatedReport]:
    """The silver reports of one committed set (report files directly in `reports`, not `gold/`)."""
    paths = sorted(p for p in silver_set.reports.iterdir() if p.is_file() and p.suffix in (".txt", ".html"))
    reports, failed = silver_reports(paths, silver_set.gold, groups=load_groups(silver_set.groups))
    if failed:
        raise UserError(f"{silver_set.name}: {len(failed)} reports failed: {failed[0]}")
    return reports


def to_jsonl(reports: Iterable[AnnotatedReport]) -> str:
    return "".join(json.dumps(r.to_json(), ensure_ascii=False) + "\n" for r in reports)


def compare_to_hand(silver: Sequence[AnnotatedReport], hand: Sequence[AnnotatedReport]) -> dict[str, int]:
    """How silver spans with a field sit on hand COUNT spans of the same reports.

    `on_hand`: inside a hand COUNT span (a cell of a digit run the hand annotation keeps whole counts);
    `exact`: same offsets; `hand_counts_covered`: hand COUNT spans with a silver field span inside.
    """
    by_id = {r.id: r for r in hand}
    out = {"field_spans": 0, "on_hand": 0, "exact": 0, "hand_counts": 0, "hand_counts_covered": 0}
    for report in silver:
        counts = [s for s in by_id[report.id].spans if s.label == "COUNT"] if report.id in by_id else []
        mine = [s for s in report.spans if s.field]
        out["field_spans"] += len(mine)
        out["on_hand"] += sum(any(h.start <= s.start and s.end <= h.end for h in counts) for s in mine)
        out["exact"] += sum(any((h.start, h.end) == (s.start, s.end) for h in counts) for s in mine)
        out["hand_counts"] += len(counts)
        out["hand_counts_covered"] += sum(
            any(h.start <= s.start and s.end <= h.end for s in mine) for h in counts
        )
    return out


class _HandTagger:
    """Tags each normalised report with its hand annotations, projected through the offset map."""

    def __init__(self, reports: Sequence[AnnotatedReport]) -> None:
        self.reports = list(reports)

    def tag_batch(self, texts: list[str]) -> list[list[Span]]:
        out = []
        for text, report in zip(texts, self.reports, strict=True):
            doc = normalize(report.text)
            spans = []
            for span in report.spans:
                start, end = doc.to_normalized(span.start, span.end)
                spans.append(Span(start, end, span.label, text[start:end]))
            out.append(spans)
        return out


def compare_fields_to_hand(
    silver: Sequence[AnnotatedReport], hand: Sequence[AnnotatedReport]
) -> dict[str, int]:
    """Silver fields against the fields assembly gives the hand spans (which reproduce the gold exactly).

    For each silver span with a field that sits inside a hand COUNT span whose assembled record has a
    field: `agree` when it is the same field. Records of the hand spans come from `predict_raw`.
    """
    from inference.pipeline import predict_raw
    from inference.read import RawReport

    raws = [RawReport(f"{r.id}.txt", r.text, "utf-8", "text") for r in hand]
    results = predict_raw(raws, _HandTagger(hand))
    records = {r.id: [x for x in result.records if x.field] for r, result in zip(hand, results, strict=True)}
    out = {"compared": 0, "agree": 0}
    for report in silver:
        for span in report.spans:
            if not span.field:
                continue
            under = [x for x in records.get(report.id, []) if x.start <= span.start and span.end <= x.end]
            if under:
                out["compared"] += 1
                out["agree"] += any(x.field == span.field for x in under)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m training.silver [--check]`: rebuild (or check) annotations/silver/*.jsonl; print shares."""
    import argparse

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--check", action="store_true", help="fail if a committed file is out of date")
    args = parser.parse_args(argv)
    stale = []
    for silver_set in SILVER_SETS:
        reports = build_set(silver_set)
        content = to_jsonl(reports)
        if args.check:
            current = silver_set.output.read_text(encoding="utf-8") if silver_set.output.exists() else ""
            if current != content:
                stale.append(str(silver_set.output))
        else:
            save_annotations(reports, silver_set.output)
        counts = summarise(reports)
        total = counts["gold_values"] or 1
        print(
            f"{silver_set.name}: {counts['reports']} reports, {counts['gold_values']} gold values: "
            f"aligned {counts['aligned'] / total:.3f} (blank cells {counts['blank_cells'] / total:.3f}, "
            f"shared none cues {counts['shared_cue'] / total:.3f}), "
            f"ambiguous {counts['ambiguous'] / total:.3f}, unaligned {counts['unaligned'] / total:.3f}; "
            f"[{counts['aligned']}/{counts['ambiguous']}/{counts['unaligned']}]; "
            f"{counts['field_spans']} field spans, {counts['negative_spans']} negatives, "
            f"{counts['review']} reports flagged"
        )
        if silver_set.name == "seeds":
            from training.annotations import load_annotations

            hand_reports = load_annotations(ANNOTATIONS_DIR / "seeds.jsonl")
            hand = compare_to_hand(reports, hand_reports)
            print(f"seeds vs hand COUNT spans (annotations/seeds.jsonl): {hand}")
            agreement = compare_fields_to_hand(reports, hand_reports)
            print(f"seeds: fields vs assembly of the hand spans: {agreement}")
    if stale:
        print("out of date (rebuild with python -m training.silver): " + ", ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
