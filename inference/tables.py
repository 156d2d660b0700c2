"""Rebuild the standard tables from flattened text and map their cells to catalogue fields.

Handles the national tables of the 2019 and 2021 templates (table 2 第二十条 items, table 3
applications × applicant type, table 4 review and litigation) and the old-template 附表/统计表
(指标 / 单位 / [代码] / 本年 / [累计]). Tables are found from their row labels (variants in
`data/table_lexicon.tsv`) in the template's known row order. Flattening scrambles header order, so
headers only say which columns are printed (table 3's applicant columns and 小计, the 统计表's
代码 and 累计 columns); values are placed in the template's order of the printed columns and never
in a column the table does not print. Reading the cells of one row (blank cells, notes, digit
runs) is `inference.table_cells`' job. Where a digit run can be cut several ways the evidence
decides (row identities, 累计 ≥ 本年, the table's own sums, figures the prose states); where it
cannot, the field gets no value and a check says why. Prose is left to `inference.assemble`,
which calls `extract_tables` and lets the tables win over prose.

>>> text = "一、本年新收政府信息公开申请数量21710000218 二、上年结转政府信息公开申请数量0000000 (七)总计 1"
>>> result = extract_tables(text, [], template="2019")
>>> [result.fields[f"applications.new.{c}"] for c in ("natural_person", "business", "total")]
[217, 1, 218]
>>> result.checks[0].message
"本年新收政府信息公开申请数量: digit run '21710000218' read as 217|1|0|0|0|0|218 (row identities hold)"
"""

from __future__ import annotations

import itertools
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher
from functools import cache

from inference.catalogue import ANSWERED_PARTS, APPLICANT_COLUMNS, get_field
from inference.lexicon import (
    CN_NUMERAL_CHARS,
    DIGIT_ITEM,
    ITEM_NUMBER,
    LEXICON_PATH,
    NUMBERING_PREFIX,
    ORDINAL_ITEM,
    ORDINALS,
    OWN_BODY,
    PAREN_ITEM,
    TABLE_COLUMNS,
    TEMPLATE_CUES,
    WHOLE_SYSTEM,
    YEAR_CELL,
    YEAR_NUMBER,
    LexiconEntry,
    circled,
    load_lexicon,
    taiwan_equivalents,
    unit_pattern,
    unit_scale,
)
from inference.records import Check, Number, Record, Span
from inference.table_cells import (
    Identity,
    Piece,
    ReadingCost,
    RowCells,
    RowSolution,
    Token,
    read_cells,
    solve_row,
    starts_like_a_value,
)
from inference.values import parse_quantity

logger = logging.getLogger(__name__)

Offsets = Sequence[int] | None

GENERATIONS = ("2019", "2021")
T3_IDENTITIES = (Identity((0, 1, 2, 3, 4, 5), 6),)
T4_GROUPS = ("review", "direct", "after_review")
T4_COLUMNS = ("upheld", "corrected", "other", "pending", "total")
T4_IDENTITIES = tuple(Identity(tuple(range(5 * g, 5 * g + 4)), 5 * g + 4) for g in range(3))
ROW_WINDOW = 2500
"""How far (characters) the next row label of a table may be from the previous one."""

_SEPARATORS = "\t|\n \u3000\xa0"
_SPACE_RE = "[ \u3000\xa0]*"
_CHAR_CLASSES = {
    "(": "[(（]",
    ")": "[)）]",
    ".": "[.．、]",
    "、": "[、.．,，]",
    ":": "[:：]?",
    ",": "[,，]",
    "“": '["“”]?',
    "”": '["“”]?',
    '"': '["“”]?',
    "/": "[/／]?",
}
_NUMBERING = NUMBERING_PREFIX
_OLD_PREFIX = re.compile(
    r"(?:^|[\t|\n \u3000])[ \u3000\xa0]*(?:其中[:：]?)?[ \u3000\xa0]*"
    rf"(?:[(（]?[{ORDINALS}\d]+[)）.、．]?)?[ \u3000\xa0]*$"
)
_UNIT_CELL = re.compile(rf"({unit_pattern('table')})(?=[\t|\n \u3000\d-]|$)")


@dataclass
class TableExtraction:
    """What the tables of one report state, offsets into the normalised text."""

    records: list[Record] = field(default_factory=list)
    fields: dict[str, Number] = field(default_factory=dict)
    checks: list[Check] = field(default_factory=list)
    covered: list[tuple[int, int]] = field(default_factory=list)
    cut_groups: set[str] = field(default_factory=set)
    """Field groups of a table the text ends inside (an excerpt): the table states only some rows."""
    undecided: set[str] = field(default_factory=set)
    """Fields of printed rows whose values no reading decides (a digit run with several cuts): the
    table states them, so no prose count may fill them."""

    def add(self, other: TableExtraction) -> None:
        self.records.extend(other.records)
        self.cut_groups |= other.cut_groups
        self.undecided |= other.undecided
        for key, value in other.fields.items():
            self.fields.setdefault(key, value)
        self.checks.extend(other.checks)
        self.covered.extend(other.covered)


def entries(table: str, generation: str | None = None) -> list[LexiconEntry]:
    return [e for e in load_lexicon() if e.table == table and e.applies_to(generation)]


def label_to_pattern(label: str) -> str:
    """A regex for a printed label: width/punctuation variants, spaces allowed between characters,
    and the Taiwan-phrasing equivalents of the lexicon's `phrase` rows (信息/资讯, 发布/释出 …).

    >>> bool(re.fullmatch(label_to_pattern("(一)予以公开"), "（一） 予以公开"))
    True
    >>> bool(re.fullmatch(label_to_pattern("政策解读稿件发布数"), "政策解读稿件释出数"))
    True
    >>> bool(re.fullmatch(label_to_pattern("3.其他"), "③ 其他"))
    True
    """
    phrases = _phrase_equivalents()
    parts = []
    i = 0
    if item := _DIGIT_ITEM.match(label):  # `3.其他` is also printed `③其他`
        number = item.group()[:-1]
        ring = circled(int(number))
        parts.append(f"(?:{number}{_CHAR_CLASSES['.']}" + (f"|{ring})" if ring else ")"))
        i = item.end()
    while i < len(label):
        ch = label[i]
        phrase = next((p for p in phrases if label.startswith(p, i)), None)
        if phrase is not None:
            alts = (_chars_to_pattern(v) for v in phrases[phrase])
            parts.append("(?:" + "|".join(alts) + ")")
            i += len(phrase)
            continue
        i += 1
        if not ch.isspace():
            parts.append(_CHAR_CLASSES.get(ch, re.escape(ch)))
    return _SPACE_RE.join(parts)


def label_first_chars(label: str) -> set[str] | None:
    """The characters a match of `label_to_pattern(label)` can begin with; None where that is no
    fixed set (the label opens with an optional character such as `“`).

    >>> sorted(label_first_chars("(一)予以公开"))
    ['(', '（']
    """
    label = label.lstrip()
    phrases = _phrase_equivalents()
    phrase = next((p for p in phrases if label.startswith(p)), None)
    out: set[str] = set()
    for spelling in phrases[phrase] if phrase is not None else (label,):
        first = spelling.lstrip()[:1]
        char_class = _CHAR_CLASSES.get(first)
        if not first or (char_class is not None and char_class.endswith("?")):
            return None
        out.update(char_class[1:-1] if char_class else first)
    if (item := _DIGIT_ITEM.match(label)) and (ring := circled(int(item.group()[:-1]))):
        out.add(ring)
    return out


_DIGIT_ITEM = re.compile(DIGIT_ITEM)


def _chars_to_pattern(text: str) -> str:
    return _SPACE_RE.join(_CHAR_CLASSES.get(ch, re.escape(ch)) for ch in text if not ch.isspace())


@cache
def _phrase_equivalents() -> dict[str, tuple[str, ...]]:
    """Simplified phrase → the spellings a Taiwan-phrased mirror gives it (lexicon `phrase` rows)."""
    return taiwan_equivalents()


@cache
def _entry_regex(entry: LexiconEntry) -> re.Pattern[str]:
    variants = sorted(entry.labels, key=len, reverse=True)
    return re.compile("|".join(f"(?:{label_to_pattern(v)})" for v in variants))


def _find(doc: str, entry: LexiconEntry, start: int, end: int) -> re.Match[str] | None:
    return _entry_regex(entry).search(doc, start, end)


def _printed(label: str) -> str:
    """Printed label without its numbering prefix and inner spaces: `(三) 不予公开` → `不予公开`."""
    return re.sub(r"\s+", "", _NUMBERING.sub("", label, count=1)) or re.sub(r"\s+", "", label)


LABEL_NOTE_CHARS = 200
"""How long a bracketed note in a label cell may be (`规范性文件(行政机关制定发布的…)`)."""


_SUBTOTAL_CELL = re.compile(r"[ \u3000\t|]*(?:小计|合计)(?=[ \u3000\t|])")
"""A cell `小计` after a group's label (table 3's `（三）不予公开 | 小计 | …`): the row is the subtotal."""


def _skip_label_tail(doc: str, pos: int, end: int) -> int:
    """Skip the rest of a label cell a shorter variant matched (`本年新` of `本年新制作数量`)."""
    while pos < end:
        ch = doc[pos]
        if ch in "(（":
            close = re.compile(r"[)）]").search(doc, pos, min(end, pos + LABEL_NOTE_CHARS))
            if close is None or re.search(r"[\t|\n]", doc[pos : close.start()]):
                return pos
            pos = close.end()
            continue
        if ch in _SEPARATORS or ch.isdigit() or ch in "-−—–/／无":
            return pos
        pos += 1
    return pos


@dataclass
class _Row:
    entry: LexiconEntry
    match: re.Match[str]
    cells: RowCells | None = None
    solution: RowSolution | None = None
    parent: _Row | None = None
    region: tuple[int, int] = (0, 0)  # where its cells were read: after the label to the next row
    misprint: bool = False  # the label was matched by `_misprinted_rows`, not by its wording

    @property
    def label(self) -> str:
        return _printed(self.match.group(0))


def _sequential_rows(doc: str, row_entries: list[LexiconEntry], start: int, end: int) -> list[_Row]:
    """Find row labels in the template's order; a label is skipped when a later one comes first."""
    found: list[_Row] = []
    pos = start
    for i, entry in enumerate(row_entries):
        limit = min(end, pos + ROW_WINDOW)
        match = _find(doc, entry, pos, limit)
        if match is None:
            continue
        later = False
        for nxt in row_entries[i + 1 : i + 3]:
            other = _find(doc, nxt, pos, match.start())
            if other is not None and other.end() <= match.start() and entry.labels != nxt.labels:
                later = True
                break
        if later:
            continue
        found.append(_Row(entry, match))
        pos = match.end()
    return _misprinted_rows(doc, row_entries, found)


MISPRINT_MIN_RATIO = 0.75
"""How alike (`difflib` ratio, numbering stripped) a printed label and a template row must be."""
MISPRINT_MARGIN = 0.15
"""How much better than any other missing row the best one must match (else: no row)."""
MISPRINT_MIN_CHARS = 5
# a label cell: between cell separators (or spaces, in collapsed rows), never inside running prose
_LABEL_CANDIDATE = re.compile(
    rf"(?<=[\t|\n \u3000])(?:{ITEM_NUMBER})?[^\d\s|]{{{MISPRINT_MIN_CHARS},60}}(?=[\t|\n \u3000])"
)
_NUMBER_OF = re.compile(rf"^\s*{ITEM_NUMBER}")


def _item_number(label: str) -> str:
    """The numbering of a label without its punctuation: `2.其他` → `2`, `（六）其他` → `六`."""
    match = _NUMBER_OF.match(label)
    return re.sub(r"[^\d" + ORDINALS + "]", "", match.group(0)) if match else ""


def label_similarity(printed: str, entry: LexiconEntry) -> float:
    """How alike a printed label is to a template row: the best `difflib` ratio over the row's
    wordings (numbering stripped); 0 when both are numbered and the numbers differ.

    >>> e = LexiconEntry("t3", "x", "any", "row", ("2.其他法律行政法规禁止公开",), (), "")
    >>> round(label_similarity("2.其他法律行政止公开", e), 2), label_similarity("3.其他法律行政止公开", e)
    (0.86, 0.0)
    """
    number = _item_number(printed)
    expected = _item_number(entry.labels[0]) if entry.labels else ""
    if number and expected and number != expected:
        return 0.0
    text = _printed(printed)
    return max((SequenceMatcher(None, text, _printed(v)).ratio() for v in entry.labels), default=0.0)


MISPRINT_EDGE_CHARS = 300
"""How far before the first row found (after the last) a misprinted first (last) row may be."""


def _misprinted_rows(doc: str, row_entries: list[LexiconEntry], found: list[_Row]) -> list[_Row]:
    """Add rows whose printed label is a misprint of the template's (`其他法律行政止公开`), between
    consecutive rows found by their wording, and just before the first or after the last
    (`_misprints_between`)."""
    if not found:
        return found
    position = {e.key: i for i, e in enumerate(row_entries)}
    first, last = found[0], found[-1]
    before = row_entries[: position[first.entry.key]]
    start = max(0, first.match.start() - MISPRINT_EDGE_CHARS)
    out = _misprints_between(doc, before, start, first.match.start())
    for row, nxt in itertools.pairwise(found):
        out.append(row)
        missing = row_entries[position[row.entry.key] + 1 : position[nxt.entry.key]]
        out.extend(_misprints_between(doc, missing, row.match.end(), nxt.match.start()))
    out.append(last)
    after = row_entries[position[last.entry.key] + 1 :]
    end = min(len(doc), last.match.end() + MISPRINT_EDGE_CHARS)
    return out + _misprints_between(doc, after, last.match.end(), end)


def _misprints_between(doc: str, missing: list[LexiconEntry], start: int, end: int) -> list[_Row]:
    """Rows among `missing` (template rows that belong between two found rows) printed with a
    misprinted label in `doc[start:end]`: a label cell there (after a separator, not a value) is
    taken as the missing row it is most like, when it is like enough (`MISPRINT_MIN_RATIO`) and
    clearly more like it than any other missing row (`MISPRINT_MARGIN`); otherwise no row is
    added and its cells stay unread.
    """
    missing = [e for e in missing if e.role in ("row", "group")]
    rows: list[_Row] = []
    for candidate in _LABEL_CANDIDATE.finditer(doc, start, end):
        if not missing:
            break
        scored = sorted(
            ((label_similarity(candidate.group(0), e), i) for i, e in enumerate(missing)), reverse=True
        )
        best, index = scored[0]
        runner_up = scored[1][0] if len(scored) > 1 else 0.0
        if best < MISPRINT_MIN_RATIO or best - runner_up < MISPRINT_MARGIN:
            continue
        match = re.compile(re.escape(candidate.group(0))).match(doc, candidate.start())
        rows.append(_Row(missing[index], match, misprint=True))
        missing = missing[index + 1 :]
    return rows


def _read_rows(doc: str, rows: list[_Row], end: int, offsets: Offsets = None) -> None:
    for i, row in enumerate(rows):
        stop = rows[i + 1].match.start() if i + 1 < len(rows) else end
        pos = _skip_label_tail(doc, row.match.end(), stop)
        if row.entry.role == "group" and (subtotal := _SUBTOTAL_CELL.match(doc, pos, stop)):
            pos = subtotal.end()  # `（三）不予公开 | 小计 | 2 | 0 …`: the group's printed subtotal
        row.cells = read_cells(doc, pos, stop, offsets=offsets)
        if not row.cells.tokens:
            row.cells = (
                _wrapped_label_cells(doc, row, pos, stop, offsets)
                or _repeated_label_cells(doc, row, pos, stop, offsets)
                or row.cells
            )
        row.region = (pos, stop)


_LABEL_REST = re.compile(r"[ \u3000]*([\u4e00-\u9fff()（）、，,]{1,30}?)[ \u3000]*(?=[\t|\n])")


_NEXT_CELL = re.compile(r"[ \u3000]*[\t|][ \u3000]*([^\t|\n]{1,40}?)[ \u3000]*(?=[\t|])")


def _repeated_label_cells(doc: str, row: _Row, pos: int, stop: int, offsets: Offsets) -> RowCells | None:
    """The cells after a label printed twice (`（一）予以公开 | （一）予以公开 | 11 | 0 …`: a converter
    fills a merged label cell into each column it spans). None where the next cell is no copy."""
    copies = 0
    while (copy := _NEXT_CELL.match(doc, pos, stop)) and _printed(copy.group(1)) == row.label and copies < 3:
        pos, copies = copy.end(), copies + 1  # a label merged over up to the 3 label columns of table 3
    if not copies:
        return None
    cells = read_cells(doc, pos, stop, offsets=offsets)
    return cells if cells.tokens else None


def _wrapped_label_cells(doc: str, row: _Row, pos: int, stop: int, offsets: Offsets) -> RowCells | None:
    """The cells of a row whose label wrapped onto a second row that holds its figures
    (`一、本年新收政府信息 | | … |` then `公开申请数量 | 5 | 0 …`, a converter's split cell): the
    first line has only blank cells, the next opens with the rest of the label. None otherwise."""
    newline = doc.find("\n", pos, stop)
    if newline < 0 or doc[pos:newline].strip("\t| \u3000"):
        return None
    rest = _LABEL_REST.match(doc, newline + 1, stop)
    if rest is None:
        return None
    printed = _printed(doc[row.match.start() : pos] + rest.group(1))
    if not any(_printed(label) in printed for label in row.entry.labels):
        return None  # the next line is another row, not the rest of this label
    cells = read_cells(doc, rest.end(), stop, offsets=offsets)
    return cells if cells.tokens else None


@cache
def _template_2021() -> re.Pattern[str]:
    """The 2021 template's own wording (`lexicon.TEMPLATE_CUES`), matched as printed labels are."""
    return re.compile("|".join(f"(?:{label_to_pattern(cue)})" for cue in TEMPLATE_CUES["2021"]))


def detect_generation(doc: str, template: str | None) -> str:
    """`2021` when the 2021 wording is printed, else the given national template, else `2019`."""
    if _template_2021().search(doc):
        return "2021"
    if template in GENERATIONS:
        return template
    return "2019"


def _record(
    piece: Piece,
    *,
    metric: str,
    categories: tuple[str, ...],
    field_id: str | None,
    unit: str,
    scores: dict[tuple[int, int], float],
) -> Record:
    score = _score_for(piece.start, piece.end, scores)
    return Record(
        metric,
        categories,
        piece.value,
        unit,
        piece.approx,
        field_id,
        piece.start,
        piece.end,
        piece.text,
        score,
    )


def _score_for(start: int, end: int, scores: dict[tuple[int, int], float]) -> float:
    best = 1.0
    for (s, e), score in scores.items():
        if s <= start and end <= e:
            return score
        if s < end and start < e:
            best = min(best, score)
    return best


def _unit_of(field_id: str, default: str) -> str:
    fld = get_field(field_id)
    return fld.unit if fld is not None else default


# ---------------------------------------------------------------------------------------- table 3


def _t3_solution_options(row: _Row) -> list[RowSolution]:
    if row.solution is None:
        return []
    return [row.solution, *row.solution.alternatives]


def _t3_identity_score(rows: dict[str, _Row], choice: dict[str, RowSolution | None]) -> int:
    """How many column identities of table 3 hold under `choice` (rows absent from the table skip)."""

    def vals(key: str) -> tuple[Number, ...] | None:
        if key not in rows:
            return None
        sol = choice.get(key)
        return sol.values(7) if sol is not None else (0,) * 7

    score = 0
    new, carried, processed, forward = (
        vals(k) for k in ("new", "carried_over", "processed_total", "carried_forward")
    )
    leaves = [
        k
        for k, r in rows.items()
        if r.entry.role == "row" and k not in ("new", "carried_over", "processed_total", "carried_forward")
    ]
    for c in range(7):
        if None not in (new, carried, processed, forward):
            score += int(new[c] + carried[c] == processed[c] + forward[c])
        if processed is not None and leaves:
            score += int(sum(vals(k)[c] for k in leaves) == processed[c])
        for key, row in rows.items():
            if row.entry.role == "group" and choice.get(key) is not None:
                children = [k for k, r in rows.items() if r.parent is row]
                if children:
                    score += int(sum(vals(k)[c] for k in children) == vals(key)[c])
    return score


_T3_MARGINS = ("new", "carried_over", "processed_total", "carried_forward")


def _resolve_t3_leaves(rows: dict[str, _Row], max_states: int = 200_000) -> None:
    """Choose readings of ambiguous outcome rows so that they sum to （七）总计 column by column.

    A search over partial column sums (values are never negative, so a sum above the total is
    dropped): collapsed rows that lost their blank cells have many readings each, too many to try in
    combination, but few of them add up. Rows stay ambiguous when several choices add up.
    """
    processed = rows.get("processed_total")
    leaves = [k for k, r in rows.items() if r.entry.role == "row" and k not in _T3_MARGINS]
    options = {k: _t3_solution_options(rows[k]) or [None] for k in leaves}
    if processed is None or all(len(o) < 2 for o in options.values()):
        return
    for target_sol in _t3_solution_options(processed):
        target = target_sol.values(7)
        states: dict[tuple[Number, ...], tuple[tuple[int, ...], bool]] = {(0,) * 7: ((), False)}
        for k in leaves:
            grown: dict[tuple[Number, ...], tuple[tuple[int, ...], bool]] = {}
            for state, (path, multi) in states.items():
                for index, option in enumerate(options[k]):
                    values = option.values(7) if option is not None else (0,) * 7
                    total = tuple(a + b for a, b in zip(state, values, strict=True))
                    if any(t > limit for t, limit in zip(total, target, strict=True)):
                        continue
                    if total in grown:
                        grown[total] = (grown[total][0], True)
                    else:
                        grown[total] = ((*path, index), multi)
            states = grown
            if not states or len(states) > max_states:
                break
        if target not in states:
            continue
        path, multi = states[target]
        processed.solution = target_sol
        for k, index in zip(leaves, path, strict=True):
            chosen, current = options[k][index], rows[k].solution
            if chosen is None or current is None:
                continue
            if chosen is current:
                rows[k].solution = current if multi else replace(current, alternatives=[])
                continue
            note = current.note + "; chosen so rows add up to 总计"
            rows[k].solution = replace(
                chosen, note=note, alternatives=list(current.alternatives) if multi else []
            )
        return


def _resolve_t3(rows: dict[str, _Row], max_combinations: int = 4096) -> None:
    """Among equally good readings of ambiguous rows, prefer those that make column identities hold.

    Small cases are searched jointly (rows read wrongly in the same way can keep an identity
    holding, so changing one row at a time gets stuck); a row stays ambiguous (its
    `alternatives` kept) only when readings that satisfy the most identities disagree on it.
    """
    keys = [k for k, r in rows.items() if len(_t3_solution_options(r)) > 1]
    if not keys:
        return
    options = {k: _t3_solution_options(rows[k]) for k in keys}
    choice = {k: r.solution for k, r in rows.items()}
    total = 1
    for k in keys:
        total *= len(options[k])
    if total <= max_combinations:
        best_score, best_combos = None, []
        for combo in itertools.product(*(options[k] for k in keys)):
            trial = dict(choice)
            trial.update(zip(keys, combo, strict=True))
            score = _t3_identity_score(rows, trial)
            if best_score is None or score > best_score:
                best_score, best_combos = score, [combo]
            elif score == best_score:
                best_combos.append(combo)
        winners = {k: [combo[i] for combo in best_combos] for i, k in enumerate(keys)}
    else:
        for _ in range(3):
            for k in keys:
                scored = []
                for option in options[k]:
                    trial = dict(choice)
                    trial[k] = option
                    scored.append((_t3_identity_score(rows, trial), option))
                top = max(score for score, _ in scored)
                choice[k] = next(option for score, option in scored if score == top)
        winners = {k: [choice[k]] for k in keys}
    for k in keys:
        row = rows[k]
        first = winners[k][0]
        distinct = {id(o): o for o in winners[k] if o.values(7) != first.values(7)}
        note = row.solution.note if row.solution else ""
        if first is not row.solution:
            note += "; chosen to satisfy column identities"
        row.solution = replace(first, note=note, alternatives=list(distinct.values()))


def _parse_t3_at(doc: str, anchor: int, generation: str, end: int, offsets: Offsets = None) -> list[_Row]:
    row_entries = entries("t3", generation)
    rows = _subtotals_below(doc, _one_row_groups(_sequential_rows(doc, row_entries, anchor, end)))
    _read_rows(doc, rows, min(end, (rows[-1].match.end() + ROW_WINDOW) if rows else end), offsets)
    parent = None
    for row in rows:
        if row.entry.role in ("group", "heading"):
            parent = row if row.entry.role == "group" else None
        elif row.entry.key in (
            "processed_total",
            "carried_forward",
            "new",
            "carried_over",
            "granted",
            "partial",
            "other",
        ):
            parent = None
        else:
            row.parent = parent
    return rows


_SUBTOTAL_LINE = re.compile(r"(?m)^[ \u3000\t|]*(?:小计|合计)(?=[ \u3000\t|])")
"""A line that opens with a `小计` cell (blank cells before it: the group's label spans the rows)."""


def _subtotals_below(doc: str, rows: list[_Row]) -> list[_Row]:
    """A group whose first sub-row shares its line (`（三）不予公开 | 1.属于国家秘密 | 1 | 0 …`) and
    whose sub-rows are followed by a `小计` line before the next row of the template (`| | 小计 | 7 |
    3 …`) reads that line: the group's row moves to it, so its last sub-row ends there too."""
    out = list(rows)
    for i, row in enumerate(rows[:-1]):
        if row.entry.role != "group" or "\n" in doc[row.match.end() : rows[i + 1].match.start()]:
            continue
        parts = [r for r in rows[i + 1 :] if r.entry.key.startswith(f"{_group_stem(row)}_")]
        if not parts:
            continue
        after = next((r for r in rows[i + 1 :] if r not in parts), None)
        last = max(r.match.end() for r in parts)
        stop = after.match.start() if after is not None else min(len(doc), last + ROW_WINDOW)
        subtotal = _SUBTOTAL_LINE.search(doc, doc.find("\n", last) + 1 or stop, stop)
        if subtotal is not None:
            out[i] = replace(row, match=re.compile(r"小计|合计").search(doc, subtotal.start()))
    return sorted(out, key=lambda r: r.match.start())


def _group_stem(row: _Row) -> str:
    """The sub-rows' key prefix of a group row (`denied_total` → `denied`)."""
    return row.entry.key.removesuffix("_total")


def _one_row_groups(rows: list[_Row]) -> list[_Row]:
    """A 2021 group row printed with none of its sub-rows (`（六）其他处理` as one row, as the 2019
    template prints it) is that one-row field (`other`), not the subtotal of rows not printed."""
    one_row = {e.key: e for e in entries("t3") if e.role == "row"}
    out = list(rows)
    for i, row in enumerate(out):
        single = one_row.get(row.entry.key.removesuffix("_total"))
        if row.entry.role != "group" or single is None or single.generation == "any":
            continue
        if i + 1 == len(out) or not out[i + 1].entry.key.startswith(single.key + "_"):
            out[i] = replace(row, entry=single)
    return out


def _label_checks(out: TableExtraction, table: str, row: _Row) -> None:
    if row.misprint:
        wording = _printed(row.entry.labels[0])
        out.checks.append(
            Check(f"{table}.label", True, f"{row.label}: read as the row {wording} (misprinted label)")
        )


def _t3_quality(rows: list[_Row]) -> tuple[int, int]:
    data_rows = [r for r in rows if r.entry.role == "row"]
    return (len(data_rows), sum(len(r.cells.tokens) if r.cells else 0 for r in rows))


WHOSE_TABLE_CHARS = 400
"""How far before a table's first row its heading may say whose figures it prints."""


def _whose_table(doc: str, anchor: int) -> int:
    """1 where the heading before a table names the issuer itself (`（二）本局机关情况`), -1 where it
    names a whole division or system (`（一）全市交通运输系统汇总情况`), 0 otherwise: between two
    complete prints, a department's own table wins over its system's."""
    window = doc[max(0, anchor - WHOSE_TABLE_CHARS) : anchor]
    own = [m.end() for m in OWN_BODY.finditer(window)]
    wide = [m.end() for m in WHOLE_SYSTEM.finditer(window)]
    if not own and not wide:
        return 0
    return 1 if max(own, default=-1) > max(wide, default=-1) else -1


def _other_years_table(doc: str, anchor: int, year: int | None) -> bool:
    """Whether the caption nearest before a table names another year than the report's `year`
    (`现将2021年度收到和处理政府信息公开申请情况列示如下`, in a 2022 report)."""
    # the header's lines and the caption's, not an earlier table's
    window = doc[max(0, anchor - CAPTION_CHARS) : anchor].split("\n")[-CAPTION_LINES:]
    captions = list(_CAPTION_YEAR.finditer("\n".join(window)))
    return year is not None and bool(captions) and int(captions[-1].group(1)) != year


CAPTION_CHARS = 300
CAPTION_LINES = 4
"""A table's caption is within the last `CAPTION_LINES` lines and `CAPTION_CHARS` characters
before its first row (header lines included)."""


_CAPTION_YEAR = re.compile(rf"({YEAR_NUMBER})\s*年度?[^。；;，,\n\t|]{{0,24}}(?:申请|情况)")
"""A year in a table's caption (`2021年度收到和处理政府信息公开申请情况`)."""


def parse_table3(
    doc: str,
    generation: str,
    scores: dict[tuple[int, int], float],
    offsets: Offsets = None,
    year: int | None = None,
) -> TableExtraction:
    """Table 3 (applications × applicant type): one field per printed row × column. Of several
    prints, the best-read one whose caption names no other year than `year`, the issuer's own
    before its system's (`_whose_table`)."""
    prints = _t3_prints(doc, generation, offsets, year)
    if not prints:
        return TableExtraction()
    best_key, best = prints[0]
    out = _read_t3(doc, best, scores) or TableExtraction()
    for key, other in prints[1:]:
        if (key[0], key[2]) != (best_key[0], best_key[2]) or key[1][0] < 3:
            continue  # another year's print, or the system's beside the issuer's own: not a reprint
        again = _read_t3(doc, other, {})
        if again is None:
            continue
        _compare_prints(out, again, "table3")
        out.covered.extend(again.covered)
    return out


def _t3_prints(
    doc: str, generation: str, offsets: Offsets, year: int | None
) -> list[tuple[tuple[bool, tuple[int, int], int], list[_Row]]]:
    """Every print of table 3 in the text, best first: (key, rows), the key ranking prints whose
    caption names no other year than `year`, then how completely they were read, then the issuer's
    own before its system's (`_whose_table`)."""
    new_entry = next(e for e in entries("t3") if e.key == "new")
    carried_entry = next(e for e in entries("t3") if e.key == "carried_over")
    anchors = [m.start() for m in _entry_regex(new_entry).finditer(doc)]
    anchors += [m.start() for m in _entry_regex(carried_entry).finditer(doc)]
    prints: dict[int, tuple[tuple[bool, tuple[int, int], int], list[_Row]]] = {}
    for anchor in sorted(set(anchors)):
        rows = _parse_t3_at(doc, anchor, generation, len(doc), offsets)
        quality = _t3_quality(rows)
        if quality <= (0, 0):
            continue
        first = rows[0].match.start()  # the table's first row, whichever anchor found it
        key = (not _other_years_table(doc, first, year), quality, _whose_table(doc, first))
        if first not in prints or key > prints[first][0]:
            prints[first] = (key, rows)
    # the earliest print first among equals, as before
    return sorted(prints.values(), key=lambda p: (p[0], -p[1][0].match.start()), reverse=True)


def _compare_prints(out: TableExtraction, again: TableExtraction, table: str) -> None:
    """A table printed twice: fields the second print gives other figures for lose their value
    (`undecided`), and a failed `{table}.prints` check names them. A print without a single
    figure (labels only: the picture of a table) is not compared."""
    if not again.records or not out.records:
        return  # a print of labels only (an image's caption, blank rows): no figures to compare
    if any(a < d and c < b for a, b in out.covered for c, d in again.covered):
        return  # rows of one print read into the other's cells: one table, not two
    differ = sorted(f for f in out.fields.keys() & again.fields.keys() if out.fields[f] != again.fields[f])
    if not differ:
        return
    shown = ", ".join(f"{f} {out.fields[f]} vs {again.fields[f]}" for f in differ[:3])
    more = f" and {len(differ) - 3} more" if len(differ) > 3 else ""
    message = f"printed twice with different figures ({shown}{more}): no value"
    out.checks.append(Check(f"{table}.prints", False, message))
    for field_id in differ:
        del out.fields[field_id]
        out.undecided.add(field_id)
    out.records = [r for r in out.records if r.field not in differ]


def _read_t3(doc: str, best: list[_Row], scores: dict[tuple[int, int], float]) -> TableExtraction | None:
    """The fields, records and checks of one print of table 3 (None where it is too little of one)."""
    out = TableExtraction()
    header = doc[max(0, best[0].match.start() - T3_HEADER_WINDOW) : best[0].match.start()]
    if not _is_table3(best, header):
        return None
    printed = t3_printed_columns(header)
    if len(printed) < 7 and sum(len(r.cells.tokens) >= 7 for r in best if r.cells) >= 3:
        printed = APPLICANT_COLUMNS  # rows print all seven values: the header lost some words
    by_key = _t3_rows_by_key(doc, out, best, printed)
    _resolve_t3_leaves(by_key)
    _resolve_t3(by_key)
    cut = {k: _columns_before_text_end(doc, r) for k, r in by_key.items()}
    table_end = best[0].match.start()
    for key, row in by_key.items():
        sol = row.solution
        categories_base = (row.parent.label, row.label) if row.parent is not None else (row.label,)
        undecided = _undecided_columns(sol)
        for c, column in enumerate(APPLICANT_COLUMNS):
            if column not in printed or (cut[key] is not None and c >= cut[key]):
                continue  # a column the table does not print (or the excerpt cut off) states nothing
            field_id = f"applications.{key}.{column}"
            if c in undecided:  # readings as good as each other disagree here (`table3.ambiguous`)
                out.undecided.add(field_id)
                continue
            piece = sol.columns.get(c) if sol is not None else None
            out.fields[field_id] = piece.value if piece is not None else 0
            if piece is not None:
                col_label = entries("t3col")[c].labels[0]
                out.records.append(
                    _record(
                        piece,
                        metric="政府信息公开申请",
                        categories=(*categories_base, col_label),
                        field_id=field_id,
                        unit="件",
                        scores=scores,
                    )
                )
                table_end = max(table_end, piece.end)
        table_end = max(table_end, row.match.end(), row.cells.end if row.cells else 0)
        _solution_checks(out, "table3", row.label, sol)
    out.covered.append((best[0].match.start(), table_end))
    if best[-1].entry.key != "carried_forward" and _text_ends_after(doc, best[-1]):
        out.cut_groups.add("applications")
    return out


_YEAR_COLUMN = re.compile(rf"(?:^|[\t|\n ])({YEAR_NUMBER})\s*年度?\s*(?=[\t|\n]|$)")


def _is_table3(rows: list[_Row], header: str) -> bool:
    """Enough of table 3 to read: three data rows, or two with values under its column header (an
    excerpt cut after 二、上年结转)."""
    data_rows = [r for r in rows if r.entry.role == "row"]
    named = sum(bool(_entry_regex(e).search(re.sub(r"[\s|]+", "", header))) for e in entries("t3col"))
    if not named and len(set(_YEAR_COLUMN.findall(header))) >= 2:
        return False  # `项目 | 2020年 | 2019年`: the rows compared over years, no applicant columns
    if len(data_rows) >= 3:
        return True
    return (
        len(data_rows) == 2 and named >= 3 and all(r.cells is not None and r.cells.tokens for r in data_rows)
    )


def _t3_rows_by_key(
    doc: str, out: TableExtraction, rows: list[_Row], printed: tuple[str, ...]
) -> dict[str, _Row]:
    """The rows of table 3 that state values, solved; label notes and unread rows as checks."""
    by_key: dict[str, _Row] = {}
    for row in rows:
        if row.entry.role == "heading" or row.cells is None:
            continue
        tokens = row.cells.tokens
        if row.entry.role == "group" and not tokens and row.cells.width < 6:
            continue  # a subtotal row counts only where the report prints one (blank cells count)
        _label_checks(out, "table3", row)
        if _unread_cells(doc, out, "table3", row):
            continue
        if _columns_before_text_end(doc, row) == 0:
            continue  # the excerpt ends right after this row's label: the row is not printed
        row.solution = _solve_t3_row(row, printed)
        by_key[row.entry.key] = row
    return by_key


CUT_TAIL_CHARS = 30
"""At most this much text (no digits) may follow a row for the text to count as cut inside it."""


def _text_ends_after(doc: str, row: _Row) -> bool:
    """Whether the text ends right after `row` (at most a label fragment and separators follow)."""
    rest = doc[max(row.match.end(), row.cells.end if row.cells else 0) :]
    return not re.search(r"\d", rest) and len(re.sub(r"[\s|]", "", rest)) <= CUT_TAIL_CHARS


def _columns_before_text_end(doc: str, row: _Row) -> int | None:
    """How many template columns a row states: None (all) unless the text ends inside the row (an
    excerpt cut mid-table, with at most a label fragment and one cell separator after it), where
    only the columns up to its last value are printed (0 when no value follows the label).

    >>> text = "行政许可 | 0 |"
    >>> row = _Row(entries("t2")[0], re.match("行政许可", text), read_cells(text, 4))
    >>> _columns_before_text_end(text, row)
    1
    """
    cells = row.cells
    if cells is None:
        return None
    rest = doc[cells.end if cells.tokens else row.match.end() :]
    if not _text_ends_after(doc, row) or len(re.findall(r"[\t|]", rest)) > 1:
        return None  # more text follows, or blank cells are printed after the last value
    if not cells.tokens:
        return 0
    sol = row.solution
    return max(sol.columns) + 1 if sol is not None and sol.columns else len(cells.cells)


def _unread_cells(doc: str, out: TableExtraction, table: str, row: _Row) -> bool:
    """True (and a check) when a row read no value because text that is neither a value nor a cell
    separator follows its label while figures follow that text: blanks must not be assumed."""
    if row.cells is None or row.cells.tokens:
        return False
    tail = doc[row.region[0] : row.region[1]].lstrip(" \u3000\xa0")
    if not tail or tail[0] in "\t|\n" or starts_like_a_value(tail) or not re.search(r"\d", tail):
        return False
    out.checks.append(
        Check(f"{table}.unread", False, f"{row.label}: text after the label not read as cells: no value")
    )
    return True


T3_HEADER_WINDOW = 600
"""How far (characters) before table 3's first row its column header may start."""
_T3_OTHER_COLUMN = re.compile(r"其他(?!组织|对外|处理)")


def t3_printed_columns(header: str) -> tuple[str, ...]:
    """Applicant columns a table 3 prints, in the template's order (`subtotal` for a 小计 column
    before 总计), from the words of its header; all seven when the header names fewer than three.

    >>> t3_printed_columns("申请人情况 自然人 法人或其他组织 总计 商业企业")
    ('natural_person', 'business', 'total')
    """
    heading = header.rfind("收到和处理")
    start = heading if heading >= 0 else max(header.rfind("申请人情况") - 40, header.rfind("勾稽") - 40, 0)
    header = re.sub(r"[\s|]+", "", header[start:])  # `商业 | 企业`: one header cell split by a line break
    found = []
    for entry in entries("t3col"):
        pattern = _T3_OTHER_COLUMN if entry.key == "other_org" else _entry_regex(entry)
        if pattern.search(header):
            found.append(entry.key)
    if len(found) < 3 or "total" not in found:
        return APPLICANT_COLUMNS
    if "小计" in header:
        found.insert(found.index("total"), "subtotal")
    return tuple(found)


def _solve_t3_row(row: _Row, printed: tuple[str, ...]) -> RowSolution | None:
    """Place a table-3 row's cells in the columns the table prints; the solution is indexed by the
    template's seven columns (a 小计 cell dropped, unprinted columns absent)."""
    if printed == APPLICANT_COLUMNS:
        return solve_row(row.cells, 7, T3_IDENTITIES, label_span=row.entry.span)
    persons = [i for i, c in enumerate(printed) if c not in ("subtotal", "total")]
    identities = [Identity(tuple(persons), printed.index("total"))]
    if "subtotal" in printed:
        orgs = tuple(i for i in persons if printed[i] != "natural_person")
        identities.append(Identity(orgs, printed.index("subtotal")))
    sol = solve_row(row.cells, len(printed), tuple(identities), label_span=row.entry.span)
    if sol is None:
        return None
    index = {c: i for i, c in enumerate(APPLICANT_COLUMNS)}

    def template_indexed(one: RowSolution) -> RowSolution:
        columns = {index[printed[i]]: p for i, p in one.columns.items() if printed[i] in index}
        return replace(
            one, columns=columns, n=7, alternatives=[template_indexed(a) for a in one.alternatives]
        )

    return template_indexed(sol)


def _undecided_columns(sol: RowSolution | None) -> set[int]:
    """Columns on which a row's equally good readings (`alternatives`) disagree: `1 1 2` under seven
    columns is natural persons 1, total 2 and one organisation 1 that nothing places."""
    if sol is None or not sol.alternatives:
        return set()

    def value(one: RowSolution, c: int) -> float:
        piece = one.columns.get(c)
        return piece.value if piece is not None else 0

    return {c for a in sol.alternatives for c in range(sol.n) if value(a, c) != value(sol, c)}


def _solution_checks(out: TableExtraction, table: str, label: str, sol: RowSolution | None) -> None:
    if sol is None:
        return
    if sol.note:
        out.checks.append(Check(f"{table}.layout", sol.cost.fails == 0, f"{label}: {sol.note}"))
    if sol.alternatives:
        alts = "; ".join("|".join(str(v) for v in a.values(a.n)) for a in sol.alternatives[:3])
        out.checks.append(
            Check(
                f"{table}.ambiguous",
                False,
                f"{label}: other readings possible ({alts}); no value where they differ",
            )
        )


# ---------------------------------------------------------------------------------------- table 2


def _year_columns(header: str) -> bool:
    """Whether a header line names two or more years (`2021年 | 2022年`): a comparison by year."""
    return bool(_compared_years(header, None)[1])


def parse_table2(
    doc: str,
    template: str | None,
    end: int,
    scores: dict[tuple[int, int], float],
    offsets: Offsets = None,
) -> TableExtraction:
    """Table 2 (第二十条 items): one field per printed row × column of the template.

    A row whose digit run has several equally good cuts gives no value unless the prose states one
    cut's figures; a count glued to an amount (`13575394432.52元`) is cut by `procurement_cut`.
    """
    out = TableExtraction()
    anchor = _table2_anchor(doc, end)
    if anchor is None:
        return out
    region_end = min(end, anchor.start() + 4000)
    generation = None
    for gen in ("2021", "2019"):
        if any(
            _find(doc, e, anchor.start(), region_end) for e in entries("t2col", gen) if e.generation == gen
        ):
            generation = gen
            break
    if generation is None:
        generation = template if template in GENERATIONS else "2019"
    row_entries = [e for e in entries("t2", generation) if e.generation == generation]
    rows = _sequential_rows(doc, row_entries, anchor.start(), region_end)
    if len(rows) < 2:
        return out
    if _year_columns(doc[anchor.start() : rows[0].match.start()]):
        # `信息内容 | 2021年处理决定数量 | 2022年处理决定数量`: years side by side, not the template's columns
        out.checks.append(Check("table2.layout", False, "columns of several years: not read"))
        return out
    prose = _prose_figures(doc, [(anchor.start(), region_end)])
    table_end = anchor.start()
    shared = _labels_sharing_a_cell(doc, rows, anchor.start(), region_end)
    for i, row in enumerate(rows):
        if i in shared:
            if i == 0 or shared.get(i - 1) != shared[i]:
                out.checks.append(Check("table2.layout", False, shared[i]))
            _table2_fields(out, row, None, None, generation, scores)
            continue
        stop = rows[i + 1].match.start() if i + 1 < len(rows) else region_end
        pos = _skip_label_tail(doc, row.match.end(), stop)
        default_unit = _amount_unit(doc, row, generation, rows[i - 1].match.end() if i else anchor.start())
        row.cells = read_cells(doc, pos, stop, offsets=offsets)
        row.region = (pos, stop)
        _label_checks(out, "table2", row)
        if _unread_cells(doc, out, "table2", row):
            continue
        sol = _table2_solution(out, row, _stated_about(doc, prose, (row.entry.metric, row.label)))
        row.solution = sol
        sol = _cut_columns(sol, _columns_before_text_end(doc, row))
        table_end = max(
            table_end, row.match.end(), _table2_fields(out, row, sol, default_unit, generation, scores)
        )
    out.covered.append((anchor.start(), table_end))
    return out


def _labels_sharing_a_cell(doc: str, rows: list[_Row], start: int, end: int) -> dict[int, str]:
    """Rows whose label shares one cell with the next row's (`信息内容行政处罚行政强制\t\t20`), by
    index, with the reason: in a table printed with cell separators the two labels were stacked in
    one cell (a PDF without rulings), so which of them the figures after them belong to cannot be
    told (the other row's cells are blank). Text without separators (a crawler's one-line copy,
    where blank cells vanish and labels meet) is left to the usual reading."""
    if not re.search(r"[\t|]", doc[start:end]):
        return {}
    out: dict[int, str] = {}
    for i, (row, after) in enumerate(itertools.pairwise(rows)):
        between = doc[row.match.end() : after.match.start()]
        if not re.search(r"[\t|\n\d]", between):
            why = f"{row.label} / {after.label}: two row labels in one cell, whose figures follow"
            out[i] = out[i + 1] = why + " cannot be told: no value"
    return out


def _table2_solution(out: TableExtraction, row: _Row, prose: set[int]) -> RowSolution | None:
    """The reading of one table-2 row, its checks; None (no value) where the layout cannot decide."""
    n = len(row.entry.columns)
    tokens = row.cells.tokens
    if row.entry.columns == ("items", "amount") and len(row.cells.cells) == 1 and row.cells.width <= 1:
        cut = procurement_cut(tokens[0])
        if cut is not None:
            sol, note = cut
            out.checks.append(Check("table2.layout", sol is not None, f"{row.label}: {note}"))
            return sol
    sol = solve_row(row.cells, n, implausibility=preferences_to_implausibility(row.entry))
    if sol is None:
        return RowSolution({}, ReadingCost(0), n)  # a printed row of blank cells: zeros (convention 2)
    if sol.split and sol.alternatives:
        readings = [sol, *sol.alternatives]
        stated = _most_stated(readings, n, prose)
        shown = "; ".join("|".join(f"{v:g}" for v in r.values(n)) for r in readings[:4])
        if len(stated) != 1:
            out.checks.append(
                Check("table2.ambiguous", False, f"{row.label}: digit run cuts as {shown}: no value")
            )
            return None
        chosen = "|".join(f"{v:g}" for v in stated[0].values(n))
        note = f"digit run read as {chosen}: the prose states its figures (cuts {shown})"
        sol = replace(stated[0], note=note, alternatives=[])
    _solution_checks(out, "table2", row.label, sol)
    if tokens and len(tokens) < n and not row.cells.strong and not sol.split:
        out.checks.append(
            Check(
                "table2.ambiguous",
                False,
                f"{row.label}: {len(tokens)} values for {n} columns, no cell separators",
            )
        )
    return sol


def _cut_columns(sol: RowSolution | None, width: int | None) -> RowSolution | None:
    """A table-2 row's solution without the columns an excerpt cut off (`width`; None: all kept),
    `n` shrunk so unprinted columns give no value; None when the row printed no cell."""
    if sol is None or width is None:
        return sol
    if width == 0:
        return None
    return replace(sol, columns={c: p for c, p in sol.columns.items() if c < width}, n=width)


def _most_stated(readings: list[RowSolution], n: int, prose: set[int]) -> list[RowSolution]:
    """The reading whose figures (`PROSE_EVIDENCE_MIN` or more) the prose states most often, alone
    (an empty list when none is stated or several tie)."""
    counts = [sum(v >= PROSE_EVIDENCE_MIN and v in prose for v in r.values(n)) for r in readings]
    best = max(counts, default=0)
    return [readings[counts.index(best)]] if best and counts.count(best) == 1 else []


def _table2_fields(
    out: TableExtraction,
    row: _Row,
    sol: RowSolution | None,
    default_unit: str | None,
    generation: str,
    scores: dict[tuple[int, int], float],
) -> int:
    """Fields and records of one table-2 row (blank cells 0; none at all when `sol` is None);
    returns where its last value ends."""
    if sol is None:
        out.undecided.update(f"proactive.{row.entry.key}.{column}" for column in row.entry.columns)
        return row.match.end()
    columns_by_key = {e.key: e for e in entries("t2col", generation) if e.generation == generation}
    end = row.match.end()
    undecided = _undecided_columns(sol)
    for c, column in enumerate(row.entry.columns):
        field_id = f"proactive.{row.entry.key}.{column}"
        if get_field(field_id) is None or c >= sol.n > 0:
            continue  # not a catalogued field, or a column the excerpt cut off
        if c in undecided:  # readings as good as each other disagree here (`table2.ambiguous`)
            out.undecided.add(field_id)
            continue
        piece = sol.columns.get(c)
        if piece is not None and column == "amount" and default_unit:
            piece = _with_unit(piece, default_unit)
        out.fields[field_id] = piece.value if piece is not None else 0
        if piece is None:
            continue
        col = columns_by_key.get(column)
        out.records.append(
            _record(
                piece,
                metric=row.entry.metric or row.label,
                categories=(col.labels[0] if col else column,),
                field_id=field_id,
                unit=_unit_of(field_id, "件"),
                scores=scores,
            )
        )
        end = max(end, piece.end)
    return end


PROCUREMENT_PER_ITEM = (10_000, 10_000_000)
"""Average 元 per procurement item (low, high) that `procurement_cut` takes as plausible."""
_GLUED_AMOUNT = re.compile(r"(\d{2,})(\.\d+)?(万元|亿元|元)?")


def procurement_cut(token: Token) -> tuple[RowSolution | None, str] | None:
    """Cut an item count glued to an amount (`13575394432.52元` → 135 | 75394432.52 元).

    Only a cell that prints a decimal amount or a money unit is cut. A cut is taken when it is the
    only one whose average per item lies within `PROCUREMENT_PER_ITEM` (a prior: the note says so);
    otherwise (None, why). None when the cell is not such a run.
    """
    match = _GLUED_AMOUNT.fullmatch(token.text)
    if match is None or not (match.group(2) or match.group(3)):
        return None
    digits, decimals, unit = match.group(1), match.group(2) or "", match.group(3) or "元"
    scale = {"元": 1, "万元": 10_000, "亿元": 100_000_000}[unit]
    plausible = []
    for k in range(1, len(digits)):
        head, tail = digits[:k], digits[k:]
        if head[0] == "0" or (tail[0] == "0" and len(tail) > 1):
            continue
        amount = float(tail + decimals) * scale
        low, high = PROCUREMENT_PER_ITEM
        if low <= amount / int(head) <= high:
            plausible.append((k, int(head), amount))
    if len(plausible) != 1:
        return (
            None,
            f"count and amount run together in {token.text!r}; {len(plausible)} plausible cuts: no value",
        )
    k, items, amount = plausible[0]
    cut = token.start + k
    amount_value: Number = int(amount) if float(amount).is_integer() else amount
    columns = {
        0: Piece(items, token.start, cut, token.text[:k], ""),
        1: Piece(amount_value, cut, token.end, token.text[k:], "元"),
    }
    note = (
        f"{token.text!r} read as {items} items | {amount:g} 元, the only cut averaging "
        f"{PROCUREMENT_PER_ITEM[0]:,}–{PROCUREMENT_PER_ITEM[1]:,} 元 per item (a prior, no printed figure)"
    )
    return RowSolution(columns, ReadingCost(0), 2, True, note), note


def _table2_anchor(doc: str, end: int) -> re.Match[str] | None:
    """The first `第二十条…`/`信息内容` heading followed by a table-2 column header with no sentence
    punctuation between (prose also says `信息内容`: `确保网上发布信息内容准确完整,…`)."""
    columns = re.compile(
        r"[^。,，;；:：]{0,60}?(?:"
        + "|".join(f"(?:{_entry_regex(e).pattern})" for e in entries("t2col"))
        + ")"
    )
    for match in _entry_regex(entries("t2anchor")[0]).finditer(doc, 0, end):
        if columns.match(doc, match.end(), end):
            return match
    return None


_TERM = re.compile(r"^(?:(\d+)\*)?([a-z_]+|\d+)$")


def _parse_terms(text: str) -> list[tuple[int, str]]:
    terms = []
    for part in text.split("+"):
        match = _TERM.match(part.strip())
        if match is None:
            raise ValueError(f"bad term {part!r}")
        terms.append((int(match.group(1) or 1), match.group(2)))
    return terms


def preferences_to_implausibility(entry: LexiconEntry):
    """A cost for a reading of a row without identities: how many `prefer` rules it breaks.

    Rules are `lhs=rhs` or `lhs>=rhs` where each side is a sum of terms `name`, `k*name` or an
    integer, over the entry's column names, e.g. `published=made;in_force>=made` for 规章/规范性文件
    or `prev_items+2*change>=0` (used to cut glued digit runs and to place values in blank-less rows).
    """
    index = {name: i for i, name in enumerate(entry.columns)}
    rules = []
    for text in entry.prefer:
        op = ">=" if ">=" in text else "="
        left, _, right = text.partition(op)
        try:
            terms = (_parse_terms(left), _parse_terms(right))
        except ValueError as error:
            raise ValueError(f"{LEXICON_PATH}: prefer rule {text!r} for {entry.key}: {error}") from error
        for _, name in terms[0] + terms[1]:
            if not name.isdigit() and name not in index:
                raise ValueError(f"{LEXICON_PATH}: prefer rule {text!r} names unknown column {name!r}")
        rules.append((terms[0], op, terms[1]))

    def total(values: dict[int, Number], terms: list[tuple[int, str]]) -> Number:
        return sum(k * (int(name) if name.isdigit() else values.get(index[name], 0)) for k, name in terms)

    def cost(values: dict[int, Number]) -> int:
        broken = 0
        for left, op, right in rules:
            lhs, rhs = total(values, left), total(values, right)
            broken += int(lhs != rhs) if op == "=" else int(lhs < rhs)
        return broken

    return cost if rules else None


def _with_unit(piece: Piece, default_unit: str) -> Piece:
    """Re-read a money cell with the unit its column header states (bare `105.77` under 万元)."""
    quantity = parse_quantity(piece.text, cell=True, default_unit=default_unit)
    if quantity is None:
        return piece
    return Piece(
        quantity.value, piece.start, piece.end, piece.text, quantity.unit or piece.unit, piece.approx
    )


def _amount_unit(doc: str, row: _Row, generation: str, since: int) -> str | None:
    """Money cells: 2021 fees are printed in 万元 unless their header states 元 (`本年收费金额（单位：
    元）`); a 2019 procurement header may state 万元."""
    if "amount" not in row.entry.columns:
        return None
    header = doc[since : row.match.start()]
    if generation == "2021":
        return None if _stated_money_unit(header) == "元" else "万元"
    return "万元" if "万元" in header else None


_STATED_MONEY_UNIT = re.compile(
    r"(?:[(（]\s*(?:单位\s*[:：]\s*)?|单位\s*[:：]\s*)(万元|亿元|元)(?![\u4e00-\u9fff])"
)
"""A money unit a header, caption or label note states (`（单位：元）`, `（万元）`, `单位：万元`)."""


def _stated_money_unit(text: str, start: int = 0, end: int | None = None) -> str | None:
    """The money unit `text[start:end]` states (`_STATED_MONEY_UNIT`), or None."""
    found = _STATED_MONEY_UNIT.search(text, start, len(text) if end is None else end)
    return found.group(1) if found else None


# ---------------------------------------------------------------------------------------- table 4


def parse_table4(
    doc: str,
    start: int,
    scores: dict[tuple[int, int], float],
    offsets: Offsets = None,
    year: int | None = None,
) -> TableExtraction:
    """Table 4 (review and litigation): 15 values after the header, in the template's order; of
    rows of several years, the report's `year`'s (no values where it has none). Printed again
    further on (an appendix) with other figures, those fields get no value (`_compare_prints`).

    A header cut down to `行政复议行政诉讼` (PDF-to-Markdown converters drop its second level) counts
    only when one row of exactly 15 values follows whose three groups add up to their totals.
    """
    out = _table4_from(doc, start, scores, offsets, year)
    if not out.fields or not out.covered:
        return out
    first = out.covered[0][0]
    again = _table4_from(doc, out.covered[-1][1], {}, offsets, year)
    if again.fields and again.covered:
        second = again.covered[0][0]
        same_kind = _whose_table(doc, first) == _whose_table(doc, second)
        if same_kind and not _other_years_table(doc, second, year):
            _compare_prints(out, again, "table4")
            out.covered.extend(again.covered)
    return out


def _table4_from(
    doc: str, start: int, scores: dict[tuple[int, int], float], offsets: Offsets, year: int | None
) -> TableExtraction:
    """The first table 4 printed after `start` (see `parse_table4`)."""
    out = TableExtraction()
    header_entries = entries("t4")
    direct = next(e for e in header_entries if e.key == "direct")
    review = next(e for e in header_entries if e.key == "review")
    for anchor in _entry_regex(direct).finditer(doc, start):
        first, header_end = _header_cluster(doc, anchor, header_entries)
        if not _entry_regex(review).search(doc, first, header_end):
            continue  # not the table-4 header (no 行政复议 heading in the run of labels)
        transposed = _t4_transposed(doc, first, offsets)
        if transposed is not None:
            message = "行政复议、行政诉讼: one row per result (transposed)"
            out.checks.append(Check("table4.layout", True, message))
            _t4_fields(out, transposed, first, header_end, scores)
            return out
        span = _t4_value_span(doc, header_end, year)
        if span is None:
            message = (
                f"行政复议、行政诉讼: rows of several years, none of them the report's ({year}): no values"
            )
            out.checks.append(Check("table4.layout", False, message))
            return out
        cells = read_cells(doc, *span, offsets=offsets)
        if _PIPE_ROW_END.match(doc, header_end) and cells.cells and cells.cells[0] is None:
            # `总计 |\n||||1 |`: the first pipe ends the header row, the others are blank cells
            cells = RowCells(cells.cells[1:], cells.end, cells.mode, cells.trailing_blank, cells.width - 1)
        sol = solve_row(cells, 15, T4_IDENTITIES)
        if sol is None and cells.width < 10:
            if len(pattern_matches := _header_labels(doc, first, header_end, header_entries)) < 12:
                continue  # no value row after this header
            row = doc[slice(*span)]
            if ("\t" in row or "|" in row) and len(re.findall(r"\d+", row)) >= 10:
                figures = row.strip()[:40]
                message = f"行政复议、行政诉讼: a row of figures it cannot place ({figures!r}…): no values"
                out.checks.append(Check("table4.layout", False, message))
                return out  # figures are printed: reading them as blank would be 15 wrong zeros
            # the whole header is printed and no value follows: an all-blank value row
            # (HTML exports drop empty rows), i.e. zeros by convention 2
            out.checks.append(
                Check(
                    "table4.layout",
                    True,
                    f"行政复议、行政诉讼: header of {len(pattern_matches)} labels, no values: read as blank",
                )
            )
        _t4_fields(out, sol, first, header_end, scores)
        return out
    headers = [(h.start(), h.end(), "a one-line header") for h in _T4_BARE_HEADER.finditer(doc, start)]
    headers += [(*h, "a header whose words are broken up") for h in _t4_broken_headers(doc, start)]
    for first, header_end, kind in headers:
        if (span := _t4_value_span(doc, header_end, year)) is None:
            continue
        cells = read_cells(doc, *span, offsets=offsets)
        sol = solve_row(cells, 15, T4_IDENTITIES)
        if len(cells.tokens) == 15 and sol is not None and not sol.split and sol.cost.fails == 0:
            message = f"行政复议、行政诉讼: one row of 15 values under {kind}"
            out.checks.append(Check("table4.layout", True, message))
            _t4_fields(out, sol, first, header_end, scores)
            return out
    return out


def _t4_transposed(doc: str, first: int, offsets: Offsets) -> RowSolution | None:
    """Table 4 printed one row per result (`结果维持 | 4 | 0 | 1` … `总计 | 5 | 1 | 2`), its three groups
    (review, direct suit, suit after review) as columns: the five rows in order, three values each,
    within `T4_TRANSPOSED_CHARS` of the header, and each column adding up. None otherwise."""
    columns: dict[int, Piece] = {}
    pos = first
    for c, key in enumerate(T4_COLUMNS):
        entry = next(e for e in entries("t4") if e.key == key)
        label = re.compile(rf"(?m)^[ \u3000|]*(?:{_entry_regex(entry).pattern})").search(
            doc, pos, first + T4_TRANSPOSED_CHARS
        )
        if label is None:
            return None
        cells = read_cells(doc, label.end(), offsets=offsets)
        one_line = "\n" not in doc[label.end() : cells.end]
        if len(cells.cells) != 3 or any(cell is None for cell in cells.cells) or not one_line:
            return None
        for g, t in enumerate(cells.tokens):
            columns[5 * g + c] = Piece(t.value, t.start, t.end, t.text, t.unit, t.approx)
        pos = cells.end
    values = {i: piece.value for i, piece in columns.items()}
    if any(sum(values[i] for i in ident.parts) != values[ident.total] for ident in T4_IDENTITIES):
        return None
    return RowSolution(columns, ReadingCost(0), 15)


T4_TRANSPOSED_CHARS = 600
"""How far (characters) from table 4's header a transposed table's last result row may end."""
_T4_BARE_HEADER = re.compile(r"行政复议[ \t|]*行政诉讼[ \t|]*\n")
T4_BROKEN_HEADER_CHARS = 400
"""How far (characters) a broken-up table-4 header may run from 行政复议/行政诉讼 to its values."""


def _t4_broken_headers(doc: str, start: int) -> list[tuple[int, int]]:
    """Table-4 headers whose column words came apart (an unruled PDF prints `结果维持` one character
    per line): both group words 行政复议 and 行政诉讼 close together, then only header lines (no
    sentence, no figure) up to the line before the first figure. Returns (start, end) pairs; the
    caller still requires one row of 15 values whose groups add up."""
    review, litigation = (next(e for e in entries("t4") if e.key == k) for k in ("review", "litigation"))
    found = []
    for match in _entry_regex(review).finditer(doc, start):
        other = _entry_regex(litigation).search(doc, max(start, match.start() - 80), match.end() + 80)
        digit = re.compile(r"\d").search(doc, match.end(), match.end() + T4_BROKEN_HEADER_CHARS)
        if other is None or digit is None:
            continue
        first, end = min(match.start(), other.start()), doc.rfind("\n", match.end(), digit.start())
        if end > max(match.end(), other.end()) and not re.search(r"[。；;，,]", doc[first:end]):
            found.append((first, end))
    return found


def _t4_fields(
    out: TableExtraction,
    sol: RowSolution | None,
    first: int,
    header_end: int,
    scores: dict[tuple[int, int], float],
) -> None:
    """Table 4's 15 fields (blank cells 0), their records, checks and covered range."""
    col_labels = {e.key: e.labels[0] for e in entries("t4")}
    table_end = header_end
    undecided = _undecided_columns(sol)
    for g, group in enumerate(T4_GROUPS):
        for c, column in enumerate(T4_COLUMNS):
            field_id = f"review.{column}" if group == "review" else f"litigation.{group}.{column}"
            if 5 * g + c in undecided:  # readings as good as each other disagree (`table4.ambiguous`)
                out.undecided.add(field_id)
                continue
            piece = sol.columns.get(5 * g + c) if sol is not None else None
            out.fields[field_id] = piece.value if piece is not None else 0
            if piece is None:
                continue
            cats = (col_labels[column],) if group == "review" else (col_labels[group], col_labels[column])
            metric = "行政复议" if group == "review" else "行政诉讼"
            out.records.append(
                _record(piece, metric=metric, categories=cats, field_id=field_id, unit="件", scores=scores)
            )
            table_end = max(table_end, piece.end)
    _solution_checks(out, "table4", "行政复议、行政诉讼", sol)
    out.covered.append((first, table_end))


_PIPE_ROW_END = re.compile(r"[ ]*\|\n(?=\|[^ ])")


def _t4_value_span(doc: str, header_end: int, year: int | None = None) -> tuple[int, int] | None:
    """Where to read table 4's 15 values: the first line with a digit when that line holds a row of
    cells (tabs, markdown; after its label cell, if it has one), else everything after the header
    (one cell per line, pipes, collapsed). Where rows of several years follow one another
    (`2021年 | 5 | 1 …`, `2022年 | 3 | 2 …`), the row of the report's `year`; None when none is."""
    digit = re.compile(r"\d").search(doc, header_end, header_end + 2000)
    if digit is None:
        return header_end, min(len(doc), header_end + 2000)
    line_start = doc.rfind("\n", header_end, digit.start())
    line_end = doc.find("\n", digit.start())
    line_end = len(doc) if line_end < 0 else line_end
    line = doc[line_start + 1 : line_end]
    if line_start >= 0 and (line.count("\t") >= 2 or line.count(" | ") >= 2):
        label = _T4_ROW_LABEL.match(doc, line_start + 1, line_end)
        cell = label.group().strip(" \u3000|") if label else ""
        if re.fullmatch(YEAR_CELL, cell) and _YEAR_ROW.match(doc, line_end):
            return _row_of_year(doc, line_start, year)
        if label and (not starts_like_a_value(cell) or re.fullmatch(YEAR_CELL, cell)):
            return label.end(), line_end  # a label cell (`合计`, a year `2022年`), not a dash for 0
        return line_start, line_end
    return header_end, min(len(doc), header_end + 2000)


def _row_of_year(doc: str, line_start: int, year: int | None) -> tuple[int, int] | None:
    """Of the rows led by a year cell from `line_start` on (one per line), the cells of `year`'s."""
    for row in _YEAR_ROWS.finditer(doc, line_start):
        if row.start() != line_start:
            break
        if year is not None and int(row.group("year")[:4]) == year:
            return row.end("year"), row.end()
        line_start = row.end()
    return None


_YEAR_ROW = re.compile(rf"\n[ \u3000|]*{YEAR_CELL}[ \u3000]*[\t|]")
"""A table row led by a year cell."""
_YEAR_ROWS = re.compile(rf"\n[ \u3000|]*(?P<year>{YEAR_CELL})[ \u3000]*(?=[\t|])[^\n]*")
"""A table row led by a year cell, the whole line (`year`: the cell)."""
_T4_ROW_LABEL = re.compile(rf"[ \u3000|]*(?:[^\d\t|\n]{{1,8}}?|{YEAR_CELL})[ \u3000]*(?=[\t|])")
"""A short text cell that opens table 4's value row (`件数`, `数量`, `合计`, a year `2022年`): its
label, not a value."""


def _header_labels(doc: str, start: int, end: int, header_entries: list[LexiconEntry]) -> list[str]:
    pattern = re.compile("|".join(f"(?:{_entry_regex(e).pattern})" for e in header_entries))
    return [m.group(0) for m in pattern.finditer(doc, start, end)]


def _header_cluster(doc: str, anchor: re.Match[str], header_entries: list[LexiconEntry]) -> tuple[int, int]:
    """Start and end of the run of table-4 header labels around `anchor`.

    Labels in the run are separated only by cell separators and rules (`---`), in any order
    (flattening may scramble the header rows).
    """
    pattern = re.compile("|".join(f"(?:{_entry_regex(e).pattern})" for e in header_entries))
    rule_chars = _SEPARATORS + "-—=:_"
    end = anchor.end()
    while True:
        match = pattern.search(doc, end, end + 400)
        if match is None or doc[end : match.start()].strip(rule_chars):
            break
        end = match.end()
    start = anchor.start()
    before = list(pattern.finditer(doc, max(0, start - 800), start))
    for match in reversed(before):
        if match.end() > start or doc[match.end() : start].strip(rule_chars):
            break
        start = match.start()
    return start, end


# ------------------------------------------------------------------------------------- old tables


OLD_HEADER_WINDOW = 400
"""How far (characters) before a table's first row label its header may start."""
_OLD_NUMBERING = re.compile(
    r"(?:其中[:：]?)?[ \u3000\xa0]*"
    rf"(?:{PAREN_ITEM}|{ORDINAL_ITEM}|(\d+)[.、．])?"
    r"[ \u3000\xa0]*$"
)
_OLD_BEFORE = re.compile(
    r"(?:^|[\t|\n \u3000\xa0\d:：]|累计|累计数|年度|单位|代码|实际|本年数|"
    + _UNIT_CELL.pattern.split("(?=")[0]
    + r")$"
)
_PROSE_NUMBER = re.compile(rf"(?<![\d.\-－—])[1-9]\d*(?![\d.])(?=[ ]?(?:{unit_pattern()}))")
"""A figure the prose states: a count with its unit (`698件`), not a code (`0591-`) or a date."""
_MAX_OLD_COMBINATIONS = 20_000
PROSE_EVIDENCE_MIN = 10
CUMULATIVE_MAX_RATIO = 50


@dataclass(frozen=True)
class OldReading:
    """One reading of an old 统计表 row: this year's value and the cumulative one (None: blank)."""

    this_year: Piece | None
    cumulative: Piece | None = None

    def values(self) -> tuple[Number, Number]:
        return tuple(p.value if p is not None else 0 for p in (self.this_year, self.cumulative))


@dataclass
class _OldRow:
    entry: LexiconEntry
    match: re.Match[str]
    row_start: int  # where the row's cell begins (its numbering `2.` or `其中：` included)
    readings: list[OldReading] = field(default_factory=list)
    evidence: str = ""
    glued: bool = False

    @property
    def label(self) -> str:
        return _printed(self.match.group(0))


def _old_entry(candidates: list[LexiconEntry], last_field: str, gap: int) -> LexiconEntry | None:
    """The entry a label stands for here: `after:` entries only right after their section's rows."""
    for entry in candidates:
        if entry.role.startswith("after:"):
            prefix = entry.role.split(":", 1)[1]
            if last_field.startswith(prefix) and gap <= 300:
                return entry
        else:
            return entry
    return None


@cache
def _old_pattern() -> tuple[re.Pattern[str], tuple[str, ...], dict[str, list[LexiconEntry]]]:
    by_variant: dict[str, list[LexiconEntry]] = {}
    for entry in entries("old"):
        for variant in entry.labels:
            by_variant.setdefault(variant, []).append(entry)
    variants = tuple(sorted(by_variant, key=len, reverse=True))
    alternation = "|".join(f"({label_to_pattern(v)})" for v in variants)
    firsts = [label_first_chars(v) for v in variants]
    if all(first is not None for first in firsts):  # a look-ahead on the first character: 10x faster
        opening = "".join(re.escape(ch) for ch in sorted(set().union(*firsts)))
        alternation = f"(?=[{opening}])(?:{alternation})"
    return re.compile(alternation), variants, by_variant


def _row_start(doc: str, start: int, expected: int) -> tuple[int, int | None]:
    """Where a label's row begins, stripping its numbering (`其中：1.`, `（二）`), and that number.

    A numbering glued to the previous row's digits (`41815092.政府公报公开`) keeps only the digits
    that continue the previous row's numbering (`2`), else one digit.
    """
    match = _OLD_NUMBERING.search(doc, max(0, start - 16), start)
    if match is None or not match.group(0).strip():
        return start, None
    begin = match.start() + len(match.group(0)) - len(match.group(0).lstrip())
    digits = match.group(1)
    if digits is None or begin < match.start(1):
        return begin, int(digits) if digits else None
    keep = str(expected) if digits.endswith(str(expected)) else digits[-1]
    return match.start(1) + len(digits) - len(keep), int(keep)


def _old_rows(doc: str) -> list[_OldRow]:
    """Old-template row labels that start a table row (after a cell boundary, a value, a unit or a
    numbering, never inside a prose sentence), in text order."""
    pattern, variants, by_variant = _old_pattern()
    rows: list[_OldRow] = []
    last_field, last_end, number = "", -10_000, 0
    for match in pattern.finditer(doc):
        start, numbered = _row_start(doc, match.start(), number + 1)
        prefixed = start < match.start()  # a numbering or 其中 opens the row
        if start > 0 and not prefixed and not _OLD_BEFORE.search(doc, max(0, start - 3), start):
            continue
        entry = _old_entry(by_variant[variants[match.lastindex - 1]], last_field, match.start() - last_end)
        if entry is None:
            continue
        rows.append(_OldRow(entry, match, start))
        last_field, last_end, number = entry.key, match.end(), numbered or 0
    return rows


def old_columns(header: str, year: int | None = None) -> tuple[str, ...]:
    """Value columns of an old 统计表 in printed order, from its header text (`代码` and the unit
    column included); `("this_year",)` when the header names none.

    A header comparing years on one line (`主要指标 | 2021年 | 2022年 | 增减`) has the report's
    `year` as this year's column and the other years as `previous`; where the report's year is
    not among them (or unknown) no column is this year's.

    >>> old_columns("指标名称 计量单位 2011 年度 历年累计")
    ('unit', 'this_year', 'cumulative')
    >>> old_columns("主要指标 2021年 2022年 增减", 2022)
    ('previous', 'this_year')
    """
    found, taken = _compared_years(header, year)
    compared = bool(found)
    for name, regex in TABLE_COLUMNS:
        if name == "change":
            continue  # printed after the figures it compares; a caption's 同比 must not shift them
        for match in re.finditer(regex, header):
            if not any(a < match.end() and match.start() < b for a, b in taken):
                found.append((match.start(), name))
                taken.append(match.span())
                break
    columns = tuple(name for _, name in sorted(found))
    if "this_year" in columns or "cumulative" in columns or compared:
        return columns
    return ("this_year",)


def _compared_years(header: str, year: int | None) -> tuple[list[tuple[int, str]], list[tuple[int, int]]]:
    """The year cells of the first header line naming two or more years, as (position, column)
    and their spans; empty lists where no line compares years."""
    offset = 0
    for line in header.split("\n"):
        cells = list(re.finditer(YEAR_CELL, line))
        if len({m.group()[:4] for m in cells}) >= 2:
            spans = [(offset + m.start(), offset + m.end()) for m in cells]
            names = ["this_year" if int(m.group()[:4]) == year else "previous" for m in cells]
            return [(start, name) for (start, _), name in zip(spans, names, strict=True)], spans
        offset += len(line) + 1
    return [], []


def _caption_unit(doc: str, first: _OldRow) -> str | None:
    """The money unit a table's caption or header states (`单位：万元`), before its first row."""
    return _stated_money_unit(doc, max(0, first.row_start - OLD_HEADER_WINDOW), first.row_start)


def _old_header(doc: str, first: _OldRow, year: int | None) -> tuple[str, ...]:
    start = max(0, first.row_start - OLD_HEADER_WINDOW)
    header = doc[start : first.row_start]
    cut = max(header.rfind("指标"), header.rfind("统计"))
    return old_columns(header[cut:] if cut >= 0 else header[-120:], year)


_NOTE_CLOSE = re.compile(r"[)）]")
_ROW_CODE = re.compile(rf"\d{{1,3}}[\t|\n \u3000]+(?={unit_pattern('table')})")
"""A row code cell right before the unit cell (`01 | 条`), in a table whose header prints 代码 first."""


def _label_note_end(doc: str, end: int, stop: int) -> int | None:
    """Where the note opened right after a row label (`（不包括…经费）`) closes, or None."""
    if doc[end : end + 1] not in "(（":
        return None
    close = _NOTE_CLOSE.search(doc, end, min(stop, end + 80))
    return close.end() if close else None


def _column_header(doc: str, row: _OldRow) -> bool:
    """Whether the row label is a cell of a header line, after a text cell on its line (`部门 |
    主动公开政府信息数`): it heads a column, it starts no row."""
    line = doc[doc.rfind("\n", 0, row.row_start) + 1 : row.row_start]
    cells = [c.strip() for c in re.split(r"[\t|]", line)[:-1] if c.strip()]
    return bool(cells) and not any(ch.isdigit() for ch in cells[-1])


def _figure_in_broken_note(doc: str, end: int, stop: int) -> str | None:
    """Why a row's cells cannot be told from its label, or None: the note after the label
    (`（不包括…经费）`) runs over a line break with a figure inside, so the row was printed over two
    lines and its cells lie inside the note (`…及政府万 1.2\n网站建设维护等方面的经费）\t元\t`)."""
    note = doc[end : _label_note_end(doc, end, stop) or end]
    if "\n" in note and any(ch.isdigit() for ch in note):
        return f"a figure inside its note, broken over lines ({note[:30]!r}…)"
    return None


def _old_tokens(
    doc: str, row: _OldRow, stop: int, offsets: Offsets, *, code: bool = False, unit: str | None = None
) -> list[Token] | None:
    """Value cells of one row (its unit cell, and with `code` a row code printed before it,
    skipped); None when the label is prose, not a row. `unit`: the table caption's money unit, for
    a row that names none in a cell or its label."""
    end = row.match.end()
    unit_match = None
    after_note = _label_note_end(doc, end, stop) or end
    for tail in (end, after_note, _skip_label_tail(doc, end, stop)):
        pos = tail
        while pos < stop and doc[pos] in _SEPARATORS:
            pos += 1
        if code and (row_code := _ROW_CODE.match(doc, pos, stop)):
            pos = row_code.end()  # `代码 | 计量单位 | 本年数`: `01 | 条 | 2143`
        unit_match = _UNIT_CELL.match(doc, pos, stop)
        if unit_match:
            break
    start = unit_match.end() if unit_match else tail
    label_end = max(after_note, _skip_label_tail(doc, end, stop))
    # a unit cell, else a money unit in the label's note (`…收取的费用（万元）`), else the caption's
    if unit_match:
        unit = unit_match.group(1)
    else:
        unit = _stated_money_unit(doc, row.match.start(), label_end) or unit
    scale = unit_scale(unit) if unit else None
    default_unit = unit if scale and scale[1] > 1 else None  # 万元, 万条 …: bare cells are scaled
    cells = read_cells(doc, start, min(stop, start + 200), default_unit=default_unit, offsets=offsets)
    tokens = cells.tokens
    if not tokens:
        if _column_header(doc, row):
            return None  # `部门 | 主动公开政府信息数`: a column's header over a table by department
        if re.search(f"[{CN_NUMERAL_CHARS}]", doc[end:stop]) and not unit_match:
            return None  # `…收取的费用三十元。`: a prose statement in 汉字 numerals, not a blank cell
        return [] if (unit_match or cells.trailing_blank or stop - end < 6) else None
    first = tokens[0]
    if first.start - end > 40:
        return None
    if doc[first.end : first.end + 1] in ("年", "月", "%", "％"):
        return None  # `(一)主动公开政府信息数量 2017年度…`: a heading and a date, not a row
    glued = not any(ch in _SEPARATORS for ch in doc[tail : first.start])
    # glued on the left, or wrapped there (`…公开数条\n1194652、政府公报…`, a one-line table a PDF
    # wrapped) and glued on the right to the next row's label
    glued_right = first.end >= stop and stop < len(doc) and doc[stop] not in _SEPARATORS
    row.glued = not any(ch in _SEPARATORS for ch in doc[start : first.start]) or (
        glued_right and not doc[start : first.start].strip(" \n")
    )
    if glued and not unit_match:
        after = doc[first.end : first.end + 1]
        if first.unit or (after and after not in _SEPARATORS and first.end < stop):
            return None  # `申请总数3561件，`: a prose statement
    if cells.cells and cells.cells[0] is None:
        return [None, *tokens]  # type: ignore[list-item]
    return tokens


def _whole_piece(token: Token) -> Piece:
    return Piece(token.value, token.start, token.end, token.text, token.unit, token.approx)


def cumulative_splits(token: Token) -> list[OldReading]:
    """Cuts of a digit run that prints this year's value and the cumulative one run together
    (`4251516`): no part with a leading zero, the cumulative part never below this year's unless it
    is a bare 0 (an unfilled cumulative cell: `740` may be 74 | 0).

    >>> [r.values() for r in cumulative_splits(Token(0, 4, "2121", 2121, "条"))]
    [(2, 121), (21, 21)]
    """
    text, out = token.text, []
    for k in range(1, len(text)):
        head, tail = text[:k], text[k:]
        unfilled = tail == "0"  # a cumulative cell left at 0 (forms filled in a hurry)
        if (len(head) > 1 and head[0] == "0") or (len(tail) > 1 and tail[0] == "0"):
            continue
        if int(tail) < int(head) and not unfilled:
            continue
        cut = token.start + k
        out.append(
            OldReading(
                Piece(int(head), token.start, cut, head, token.unit),
                Piece(int(tail), cut, token.end, tail, token.unit),
            )
        )
    return out


def _old_readings(row: _OldRow, tokens: list[Token | None], columns: tuple[str, ...]) -> list[OldReading]:
    """Candidate readings of a row: cells placed by the header's columns; one glued digit run under
    a this-year + cumulative header gives every cut that `cumulative_splits` allows."""
    value_columns = [c for c in columns if c != "unit"]
    if not tokens:
        return [OldReading(None)]
    if (
        len(tokens) == 1
        and tokens[0] is not None
        and row.glued
        and value_columns[-2:] == ["this_year", "cumulative"]
        and "code" not in value_columns
        and tokens[0].text.isdigit()
        and len(tokens[0].text) > 1
    ):
        return cumulative_splits(tokens[0]) or [OldReading(None)]
    while len(tokens) > len(value_columns) and tokens[0] is None:
        tokens = tokens[1:]  # `…数  2143` under one value column: the spaces pad the label, no blank
    if "code" in value_columns and len(tokens) < len(value_columns) and len(tokens) >= 1:
        value_columns = value_columns[-len(tokens) :] if len(tokens) > 1 else ["this_year"]
    placed = dict(zip(value_columns, tokens, strict=False))
    this, cumulative = placed.get("this_year"), placed.get("cumulative")
    return [
        OldReading(
            _whole_piece(this) if this is not None else None,
            _whole_piece(cumulative) if cumulative is not None else None,
        )
    ]


def _identity_groups(rows: dict[str, _OldRow]) -> list[tuple[str, list[str]]]:
    """(total row, part rows) of the 统计表's own identities that the table prints."""
    groups = {
        "proactive.total": [k for k in rows if k.startswith("proactive.channel.")],
        "applications.new.total": [k for k in rows if k.startswith("applications.channel.")],
        "applications.answered.total": [
            k for k in rows if k.split(".")[-1] in ANSWERED_PARTS and k.startswith("applications.answered.")
        ],
    }
    return [(total, parts) for total, parts in groups.items() if total in rows and parts]


def _resolve_by_identities(rows: dict[str, _OldRow]) -> None:
    """Keep the readings under which a total row equals the sum of its parts in both columns."""
    for total, parts in _identity_groups(rows):
        keys = [total, *parts]
        options = [rows[k].readings for k in keys]
        count = 1
        for option in options:
            count *= len(option)
        if count < 2 or count > _MAX_OLD_COMBINATIONS:
            continue
        winners = []
        for combo in itertools.product(*options):
            values = [r.values() for r in combo]
            if all(values[0][c] == sum(v[c] for v in values[1:]) for c in (0, 1)):
                winners.append(combo)
        if not winners:
            continue
        for i, key in enumerate(keys):
            kept = list({id(c[i]): c[i] for c in winners}.values())
            if len(kept) < len(rows[key].readings):
                rows[key].readings = kept
                names = " + ".join(rows[k].label for k in parts)
                rows[key].evidence = f"{rows[total].label} = {names} in both columns"


PROSE_CONTEXT = 40
"""How far (characters) before a prose figure the words of its row must be (`…规范性文件698件`)."""


def _prose_figures(doc: str, covered: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """(value, start) of every figure the prose outside `covered` states with a unit."""
    return [
        (int(m.group(0)), m.start())
        for m in _PROSE_NUMBER.finditer(doc)
        if not any(a <= m.start() < b for a, b in covered)
    ]


def _stated_about(doc: str, figures: list[tuple[int, int]], words: tuple[str, ...]) -> set[int]:
    """Figures whose preceding `PROSE_CONTEXT` characters name the row (`办结69件` is no statement
    about 规范性文件)."""
    words = tuple(w for w in words if len(w) >= 2)
    return {v for v, start in figures if any(w in doc[max(0, start - PROSE_CONTEXT) : start] for w in words)}


def _resolve_by_prose(doc: str, rows: dict[str, _OldRow], figures: list[tuple[int, int]]) -> None:
    """Among several cuts, keep the one with a figure (`PROSE_EVIDENCE_MIN` or more: smaller ones
    recur by chance) that the prose states about the same row."""
    for row in rows.values():
        if len(row.readings) < 2:
            continue
        prose = _stated_about(doc, figures, (row.entry.metric[:4], row.label[:4]))
        stated = [r for r in row.readings if any(v >= PROSE_EVIDENCE_MIN and v in prose for v in r.values())]
        if len(stated) == 1:
            row.readings = stated
            shown = " and ".join(f"{v:g}" for v in stated[0].values() if v in prose)
            row.evidence = f"the report's prose states {shown}"


def _resolve_by_ratio(rows: dict[str, _OldRow]) -> None:
    """Last resort among several cuts: the only one whose 累计 is at most `CUMULATIVE_MAX_RATIO`
    times this year's (a cumulative column adds up a few years); a prior, said so in the check."""
    for row in rows.values():
        if len(row.readings) < 2:
            continue
        plausible = [
            r
            for r in row.readings
            if 0 < r.values()[0] <= r.values()[1] <= CUMULATIVE_MAX_RATIO * r.values()[0]
        ]
        if len(plausible) == 1:
            row.readings = plausible
            row.evidence = (
                f"the only cut with 累计 at most {CUMULATIVE_MAX_RATIO}× 本年; no printed figure confirms it"
            )


def _old_sum_checks(doc: str, out: TableExtraction, rows: dict[str, _OldRow]) -> None:
    """`old_table.sum`: a total row against its `其中` part rows (this year), printed values kept."""
    for total, parts in _identity_groups(rows):
        if not doc.startswith("其中", rows[parts[0]].row_start):
            continue  # parts not printed as 其中 rows (channels may overlap)
        if any(len(rows[k].readings) != 1 for k in (total, *parts)):
            continue
        value = rows[total].readings[0].values()[0]
        got = sum(rows[k].readings[0].values()[0] for k in parts)
        names = " + ".join(f"{rows[k].label} {rows[k].readings[0].values()[0]:g}" for k in parts)
        ok = abs(value - got) < 1e-6
        relation = "=" if ok else "≠"
        kept = "" if ok else f" (printed values kept: {total}, {', '.join(parts)})"
        out.checks.append(
            Check("old_table.sum", ok, f"{rows[total].label} {value:g} {relation} {names}{kept}")
        )


def _old_checks(out: TableExtraction, row: _OldRow) -> None:
    reading = row.readings[0] if len(row.readings) == 1 else None
    if reading is not None and reading.this_year and reading.cumulative:
        if reading.this_year.end == reading.cumulative.start:  # a cut digit run
            this, cumulative = reading.values()
            why = row.evidence or "the only cut with 累计 ≥ 本年"
            out.checks.append(
                Check(
                    "old_table.split",
                    True,
                    f"{row.label}: digit run read as {this:g} | {cumulative:g} ({why})",
                )
            )
    elif len(row.readings) > 1:
        readings = "; ".join("|".join(f"{v:g}" for v in r.values()) for r in row.readings[:4])
        out.checks.append(
            Check(
                "old_table.ambiguous",
                False,
                f"{row.label}: this year and 累计 run together, several cuts possible ({readings}): no value",
            )
        )


def parse_old_tables(
    doc: str, scores: dict[tuple[int, int], float], offsets: Offsets = None, year: int | None = None
) -> TableExtraction:
    """Old-template 附表/统计表 rows (指标 / 单位 / [代码] / 本年 / [累计]): this year's value of each
    printed row, columns identified by the header (the report's `year` picks its column where the
    header compares years); run-together columns cut with evidence."""
    out = TableExtraction()
    found = _old_rows(doc)
    rows: dict[str, _OldRow] = {}
    columns: tuple[str, ...] = ("this_year",)
    caption_unit: str | None = None
    last_end = -10_000
    for i, row in enumerate(found):
        if row.match.start() - last_end > 300:
            columns = _old_header(doc, row, year)
            caption_unit = _caption_unit(doc, row)
        if row.entry.key in rows:
            continue  # the first printed row of a field is the table's
        stop = found[i + 1].row_start if i + 1 < len(found) else len(doc)
        hidden = _figure_in_broken_note(doc, row.match.end(), stop)
        if hidden is not None:
            out.checks.append(Check("old_table.layout", False, f"{row.label}: {hidden}: no value"))
            out.undecided.add(row.entry.key)
            rows[row.entry.key] = row
            continue
        money = (fld := get_field(row.entry.key.split("+")[0])) is not None and fld.unit == "元"
        unit = caption_unit if money else None
        tokens = _old_tokens(doc, row, max(stop, row.match.end()), offsets, code="code" in columns, unit=unit)
        if tokens is None:
            continue
        if "this_year" not in columns and "previous" in columns:
            message = f"{row.label}: the header compares years, none of them the report's ({year}): no value"
            out.checks.append(Check("old_table.layout", False, message))
            continue
        if "this_year" not in columns:
            message = f"{row.label}: the table prints no column of this year's figures: no value"
            out.checks.append(Check("old_table.layout", True, message))
            continue  # `历年累计` alone: a running total, not this year's (and not 0)
        row.readings = _old_readings(row, tokens, columns)
        rows[row.entry.key] = row
        last_end = row.match.end()
    covered = _old_clusters(rows)
    _resolve_by_identities(rows)
    _resolve_by_prose(doc, rows, _prose_figures(doc, covered))
    _resolve_by_ratio(rows)
    _old_sum_checks(doc, out, rows)
    for key, row in rows.items():
        _old_checks(out, row)
        if len(row.readings) > 1:
            out.undecided.add(key)
        if len(row.readings) != 1:
            continue
        piece = row.readings[0].this_year
        out.fields[key] = piece.value if piece is not None else 0
        if piece is not None:
            fld = get_field(key.split("+")[0])
            unit_out = fld.unit if fld is not None else ""
            piece = Piece(piece.value, piece.start, piece.end, piece.text, unit_out, piece.approx)
            out.records.append(
                _record(
                    piece,
                    metric=row.entry.metric,
                    categories=(row.label,),
                    field_id=key,
                    unit=unit_out,
                    scores=scores,
                )
            )
    out.covered.extend(covered)
    return out


def _old_clusters(rows: dict[str, _OldRow]) -> list[tuple[int, int]]:
    """Character ranges of the table: rows less than 300 characters apart form one range."""
    spans = sorted(
        (
            r.row_start,
            max([r.match.end()] + [p.end for x in r.readings for p in (x.this_year, x.cumulative) if p]),
        )
        for r in rows.values()
    )
    out: list[tuple[int, int]] = []
    for start, end in spans:
        if out and start - out[-1][1] < 300:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


# ------------------------------------------------------------------------------------ entry point


def extract_tables(
    text: str, spans: list[Span], *, template: str | None, offsets: Offsets = None, year: int | None = None
) -> TableExtraction:
    """All standard tables of one report: records, fields, layout notes and covered ranges.

    `text` is normalised text; `spans` the tagger's spans in it (used for record scores only: the
    parser works from the text structure). `template` is `pre2019`, `2019`, `2021` or None; `year`
    the report's year (None: unknown), which picks an old table's column or a table-4 row where
    they compare years.
    `offsets` (optional) is `NormalizedText.offsets`: normalisation squeezes runs of spaces, and in
    tables collapsed onto one line the original run lengths are the only trace of blank cells.
    """
    scores = {(s.start, s.end): s.score for s in spans if s.label == "COUNT"}
    result = TableExtraction()
    # The national tables are anchored on wording no old report prints, so they are looked for
    # whatever the detected template says (a wrong template must not lose a printed table); the
    # old 附表 only where no national table is printed.
    generation = detect_generation(text, template if template != "pre2019" else None)
    t3 = parse_table3(text, generation, scores, offsets, year)
    t3_start = t3.covered[0][0] if t3.covered else len(text)
    t2 = parse_table2(text, template if template in GENERATIONS else generation, t3_start, scores, offsets)
    t4 = parse_table4(text, t3.covered[0][1] if t3.covered else 0, scores, offsets, year)
    for part in (t2, t3, t4):
        result.add(part)
    if not result.fields:
        result.add(parse_old_tables(text, scores, offsets, year))
    result.records.sort(key=lambda r: r.start)
    result.covered.sort()
    return result
