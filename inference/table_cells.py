"""Read the value cells that follow a row label in a flattened table, and place them in columns.

Tables reach us flattened in many ways (tab cells, one cell per line, `|` cells, markdown,
collapsed onto one line, digit runs with no separator at all). This module knows nothing about
which table it reads: `read_cells` turns the text after a row label into value tokens and blank
cells, and `solve_row` chooses which token goes to which of the template's columns, splitting
digit runs (`21710000218` → 217|1|0|0|0|0|218) where the row's identities (parts sum to a total)
single out a reading. Label matching and field mapping are left to `inference.tables`.
"""

from __future__ import annotations

import itertools
import logging
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from inference.lexicon import CN_NUMERAL_CHARS, ORDINALS, YEAR_NUMBER, unit_pattern
from inference.records import Number
from inference.values import parse_quantity

logger = logging.getLogger(__name__)

STRONG_SEPARATORS = "\t|"
SPACES = " \u3000\xa0"

_UNITS = unit_pattern("table")
_VALUE = re.compile(
    rf"(?:约|大约|近)?[-−+＋]?\d+(?:,\d{{3}})*(?:\.\d+)?(?:[ ]?(?:{_UNITS}|[万亿](?![\u4e00-\u9fff])))?"
    # a cell note `5(建设工程规划许可证)`, not the numbering of the next label `(二)`
    rf"(?:[ ]?[(（](?![{ORDINALS}\d]+[)）])[^()（）\t|\n]{{0,30}}[)）])?"
)
# a line that opens with a value cell (`0 |`, `12\t`) continues a row: no row starts without its label
_VALUE_LINE = re.compile(rf"[ \u3000]*(?:{_VALUE.pattern})[ \u3000]*[\t|]")
_EMPTY = re.compile(r"(?:无(?=无)|(?:无|—+|–|-+|－|/|／|_)(?=[\t|\n \u3000]|$))")
"""A blank cell printed as a mark; 无 glued to the next 无 too (one-line text whose spaces between Han
characters the normaliser took for a PDF extractor's: `无 无 6` → `无无 6`)."""
_SIGNED_RUN = re.compile(r"[-−+＋]?(\d+)")
_MAX_CANDIDATES = 40_000
_MAX_PLACEMENTS = 30_000
_MAX_PIECE_DIGITS = 7  # a cut never makes a cell above 9,999,999


@dataclass(frozen=True)
class Token:
    """One value cell: `text == doc[start:end]`, `value` already in output units."""

    start: int
    end: int
    text: str
    value: Number
    unit: str
    approx: bool = False
    glued: bool = False  # printed right after text with no separator (`申请数量21710000218`)


@dataclass(frozen=True)
class RowCells:
    """The cells after a row label: tokens in order, with blank cells as None."""

    cells: tuple[Token | None, ...]
    end: int
    mode: str = "strong"  # "strong": tabs/pipes/newlines delimit cells; "spaces": collapsed layout
    trailing_blank: bool = False  # a delimited blank cell followed the last value (or the label)
    width: int = 0  # cells counted up to the row's end, trailing blanks included

    @property
    def strong(self) -> bool:
        return self.mode == "strong"

    @property
    def tokens(self) -> list[Token]:
        return [c for c in self.cells if c is not None]


@dataclass(frozen=True)
class Piece:
    """A value placed in a column: a whole token or part of a split digit run."""

    value: Number
    start: int
    end: int
    text: str
    unit: str
    approx: bool = False


@dataclass
class RowSolution:
    """Column index → piece; `note` says what choice was made where the layout was ambiguous."""

    columns: dict[int, Piece]
    cost: ReadingCost
    n: int = 0
    split: bool = False
    note: str = ""
    alternatives: list[RowSolution] = field(default_factory=list)

    def values(self, n: int) -> tuple[Number, ...]:
        return tuple(self.columns[i].value if i in self.columns else 0 for i in range(n))


def _parse_token(text: str, start: int, end: int, default_unit: str | None) -> Token | None:
    quantity = parse_quantity(text, cell=True, default_unit=default_unit)
    if quantity is None:
        return None
    return Token(start, end, text, quantity.value, quantity.unit, quantity.approx)


def read_cells(
    doc: str,
    start: int,
    end: int | None = None,
    *,
    default_unit: str | None = None,
    offsets: Sequence[int] | None = None,
) -> RowCells:
    """Read value cells from `doc[start:]` up to the first text that is not a value cell.

    A row whose first value sits on the label's line ends at that line's end; a label alone on
    its line starts a one-cell-per-line row that continues across lines. Blank cells are recorded
    between consecutive tabs or pipes (and consecutive newlines in one-cell-per-line rows); the
    first separator closes the label's own cell. A row with no tab, pipe or newline between its
    values (collapsed layouts) counts blanks from runs of spaces instead (`offsets`, the
    normaliser's map to the original text, restores runs it squeezed). Trailing blanks are
    dropped.

    >>> [c.value if c else None for c in read_cells("x\\t75\\t19\\t\\t94\\n二", 1).cells]
    [75, 19, None, 94]
    >>> [c.value if c else None for c in read_cells("x 75 19   94 二", 1).cells]
    [75, 19, None, None, 94]
    """
    end = len(doc) if end is None else end
    i = start
    cells: list[Token | None] = []
    spaced: list[Token | None] = []
    strong_seen = False
    strong_before_last = False
    label_cell_open = True
    on_label_line = True
    pending = False
    last_sep = ""
    spaces = 0
    trailing_spaces: int | None = None  # spaces right after the last value (collapsed blanks)
    trailing_blank = False
    separators = 0  # cell separators seen since the label
    while i < end:
        ch = doc[i]
        if ch in STRONG_SEPARATORS or ch == "\n":
            if ch == "\n" and on_label_line:
                on_label_line = False
                if cells and not _VALUE_LINE.match(doc, i + 1, end):
                    break  # values on the label's line: the row is laid out horizontally
            strong_seen = True
            if trailing_spaces is None:
                trailing_spaces = spaces
            # `X\t\n` and `X |\n` end a line of cells (one separator, not a blank cell); a markdown
            # row starts `| ` on a new line (that pipe opens the row). `\n\t` and `\n|` do mark a
            # blank first cell (tab rows, pipe runs).
            # A pipe alone on the line after the label (`label\n|\n5`, a cell per line between pipe
            # lines) closes the label's cell too, as `label |\n5` does.
            merged = (
                (last_sep in STRONG_SEPARATORS and last_sep and ch == "\n")
                or (last_sep == "\n" and ch == "|" and doc[i + 1 : i + 2] == " ")
                or (ch == "|" and separators == 1 and last_sep == "\n" and doc[i + 1 : i + 2] in ("\n", ""))
            )
            separators += 1
            if not merged:
                if label_cell_open:
                    label_cell_open = False
                elif pending:
                    cells.append(None)
            pending = True
            last_sep = ch
            spaces = 0
            i += 1
            continue
        if ch in SPACES:
            # a squeezed run of spaces keeps its original width in the offset map
            spaces += (offsets[i + 1] - offsets[i]) if offsets is not None else 1
            i += 1
            continue
        token = _match_value(doc, i, end, default_unit)
        if token is None:
            break
        if i == start and i > 0 and doc[i - 1] not in STRONG_SEPARATORS + SPACES + "\n":
            token = Token(token.start, token.end, token.text, token.value, token.unit, token.approx, True)
        spaced.extend([None] * max(0, spaces - 1))
        spaced.append(token)
        cells.append(token)
        strong_before_last = strong_seen
        label_cell_open = pending = False
        last_sep, spaces, trailing_spaces = "", 0, None
        i = token.end
        if doc[i : i + 1].isdigit() and not (token.unit and _unit_value(doc, i, end)):
            break  # `_drop_glued_year` cut the run: the next sentence's year follows
    if strong_before_last or (not spaced and strong_seen):
        mode = "strong"
    else:
        mode, cells = "spaces", spaced
    if trailing_spaces is None:
        trailing_spaces = spaces
    width = len(cells) + int(mode == "strong" and last_sep == "\t" and pending)
    if mode == "spaces" and cells and not any(c is not None and c.glued for c in cells):
        width += max(0, trailing_spaces - 1)  # (a row glued to its label has no blank cells)
    if not on_label_line and i > start and doc[i - 1] == "|" and cells and cells[-1] is None:
        width -= 1  # `…|` right before the next label: the row-end pipe of a cell-per-line pipe layout
    while cells and cells[-1] is None:
        cells.pop()
        trailing_blank = True
    stop = cells[-1].end if cells else start
    return RowCells(tuple(cells), stop, mode, trailing_blank or (pending and not label_cell_open), width)


def _unit_value(doc: str, i: int, end: int) -> bool:
    """A value with its own unit starts at `i` (`3个3443000元`: the unit parted two cells)."""
    token = _match_value(doc, i, end, None)
    return token is not None and bool(token.unit)


def starts_like_a_value(text: str) -> bool:
    """Whether `text` starts like a value cell (a figure, or a blank mark such as `-`), not like text.

    >>> starts_like_a_value("12 | 3"), starts_like_a_value("— |"), starts_like_a_value("(说明)")
    (True, True, False)
    """
    return bool(_VALUE.match(text) or _EMPTY.match(text))


_CHANGE = re.compile(r"(增加|新增|增|减少|减|下降)[ ]?(\d+)(?![\d.])")
"""A change cell in words (`增加2`, `减少1`): table 2's 本年增/减 column, signed."""


_SPELLED_CELL = re.compile(rf"[{CN_NUMERAL_CHARS}]{{1,12}}(?=[\t|\n]|$)")
"""A whole cell written in 汉字 numerals (`一千二百零六`, `三十六`, `零`)."""


def _match_value(doc: str, i: int, end: int, default_unit: str | None) -> Token | None:
    spelled = _SPELLED_CELL.match(doc, i, end)
    if spelled and (i == 0 or doc[i - 1] in STRONG_SEPARATORS + "\n"):
        return _parse_token(spelled.group(0), i, spelled.end(), default_unit)
    change = _CHANGE.match(doc, i, end)
    if change:
        sign = -1 if change.group(1) in ("减少", "减", "下降") else 1
        return Token(i, change.end(), change.group(0), sign * int(change.group(2)), "")
    match = _VALUE.match(doc, i, end)
    if match:
        if doc[match.end() : match.end() + 1] in (".", "、", "．"):
            return None  # a numbering prefix such as `1.属于国家秘密`, not a value
        text = _drop_glued_year(doc, match.group(0).rstrip(), i)
        return _parse_token(text, i, i + len(text), default_unit)
    match = _EMPTY.match(doc, i, end)
    if match:
        return _parse_token(match.group(0), i, match.end(), default_unit)
    return None


GLUED_YEAR = re.compile(rf"{YEAR_NUMBER}$")


def _drop_glued_year(doc: str, text: str, start: int) -> str:
    """A digit run followed by 年 whose last four digits are a year ends before them: in one-line
    text the next sentence's year is glued to the last cell (`结转下年度继续办理2000002` +
    `2025年，我局…`); the row ends there (`read_cells`)."""
    end = start + len(text)
    if text.isdigit() and len(text) > 4 and doc.startswith("年", end) and GLUED_YEAR.search(text):
        return text[:-4]
    return text


@dataclass(frozen=True)
class Identity:
    """`sum(columns[parts]) == columns[total]` inside one row."""

    parts: tuple[int, ...]
    total: int


def _identity_failures(values: dict[int, Number], identities: tuple[Identity, ...]) -> int:
    fails = 0
    for ident in identities:
        total = values.get(ident.total, 0)
        if abs(sum(values.get(p, 0) for p in ident.parts) - total) > 1e-6:
            fails += 1
    return fails


def _splits(digits: str, pieces: int) -> Iterator[list[str]]:
    """All ways to cut a digit run into exactly `pieces` numbers without leading zeros (lazily).

    >>> list(_splits("105", 2))
    [['10', '5']]
    """

    def rec(start: int, left: int, acc: list[str]) -> Iterator[list[str]]:
        rest = len(digits) - start
        if left == 0:
            if rest == 0:
                yield list(acc)
            return
        if rest < left or rest > left * _MAX_PIECE_DIGITS:
            return
        limit = 1 if digits[start] == "0" else min(rest - left + 1, _MAX_PIECE_DIGITS)
        for k in range(1, limit + 1):
            acc.append(digits[start : start + k])
            yield from rec(start + k, left - 1, acc)
            acc.pop()

    yield from rec(0, pieces, [])


def _run_digits(token: Token) -> str | None:
    """Digits of a cell a collapsed layout may have glued to its neighbours (`-3450` → `3450`)."""
    match = _SIGNED_RUN.fullmatch(token.text)
    return match.group(1) if match and len(match.group(1)) > 1 else None


# A cell value while readings are enumerated: (value, start, end, token it comes from); made into
# a `Piece` only for readings that are kept (cutting long runs enumerates many).
_Cut = tuple[Number, int, int, Token]


def _split_options(tokens: list[Token], total: int, cuttable: set[int]) -> Iterator[list[_Cut]]:
    """Readings of the row's tokens as exactly `total` pieces (digit runs cut, others whole), lazily."""

    runs = [_run_digits(t) if k in cuttable else None for k, t in enumerate(tokens)]
    fewest = [-(-len(d) // _MAX_PIECE_DIGITS) if d else 1 for d in runs]
    most = [len(d) if d else 1 for d in runs]
    # pieces the tokens after position i can make at least / at most
    rest_fewest = [sum(fewest[i + 1 :]) for i in range(len(tokens))]
    rest_most = [sum(most[i + 1 :]) for i in range(len(tokens))]

    def rec(i: int, left: int, acc: list[_Cut]) -> Iterator[list[_Cut]]:
        if i == len(tokens):
            if left == 0:
                yield list(acc)
            return
        token = tokens[i]
        digits = runs[i]
        low = max(fewest[i], left - rest_most[i])
        high = min(most[i], left - rest_fewest[i])
        counts = range(low, high + 1)
        for count in counts:
            if count == 1:
                if digits and digits[0] == "0":
                    continue  # `05` is not a number: a glued run must be cut
                acc.append(_whole(token))
                yield from rec(i + 1, left - 1, acc)
                acc.pop()
                continue
            for parts in _splits(digits, count):
                acc.extend(_split_cuts(token, parts))
                yield from rec(i + 1, left - count, acc)
                del acc[len(acc) - count :]

    yield from rec(0, total, [])


def _whole(token: Token) -> _Cut:
    return (token.value, token.start, token.end, token)


def _cut_to_piece(cut: _Cut) -> Piece:
    value, start, end, token = cut
    if start == token.start and end == token.end:
        return Piece(token.value, start, end, token.text, token.unit, token.approx)
    return Piece(value, start, end, token.text[start - token.start : end - token.start], token.unit)


def _split_cuts(token: Token, parts: list[str]) -> list[_Cut]:
    """Pieces of a cut digit run; a leading sign (`-`, `+`) stays with the first piece."""
    signed = token.text.startswith(("-", "−", "+", "＋"))
    negative = token.text.startswith(("-", "−"))
    cuts, offset = [], token.start + int(signed)
    for k, part in enumerate(parts):
        first = k == 0 and signed
        value = -int(part) if first and negative else int(part)
        cuts.append((value, offset - 1 if first else offset, offset + len(part), token))
        offset += len(part)
    return cuts


def _position_cost(observed: list[int], columns: tuple[int, ...], pads: tuple[int, ...], free: int) -> int:
    """Distance between observed cell positions and columns, over the possible label pads.

    A label spanning several template columns may leave that many empty cells after it (tab
    exports), or none (exports that print one cell per label); the reading with `free` pads is not
    penalised, the others cost one per pad of difference (stray cells, as in seed 003).
    """
    return min(
        sum(abs(o - k - c) for o, c in zip(observed, columns, strict=True)) + abs(k - free) for k in pads
    )


class ReadingCost(NamedTuple):
    """How a reading of a row's cells compares with others: tuples order readings, lower first.

    `fails`: row identities broken; `unexplained` (collapsed rows): columns left empty that no
    printed blank explains; `split`: 1 when a digit run was cut; `empty`: columns a cut leaves
    empty; `position`: distance from the observed cell positions; `implausible`: `prefer` rules
    broken; `spread`: length difference between cut pieces (22|22|232 before 2|2|22232); `leftness`:
    columns used, parts packed left and a lone value in a total column last.
    """

    fails: int
    unexplained: int = 0
    split: int = 0
    empty: int = 0
    position: int = 0
    implausible: int = 0
    spread: int = 0
    leftness: tuple[int, ...] = ()


TIE_CUT = ReadingCost._fields.index("position")
"""Cuts of a digit run that agree up to here are equally good on the evidence (piece lengths and
positions are only a guess), so they are reported as alternatives."""
TIE_PRINTED = ReadingCost._fields.index("leftness")
"""Readings of printed cells that agree up to here are alternatives (only their leftness differs)."""


@dataclass
class _Search:
    """Readings of one row enumerated so far, with the budget that bounds the enumeration."""

    row: RowCells
    n: int
    identities: tuple[Identity, ...]
    implausibility: Callable[[dict[int, Number]], int] | None
    pads: tuple[int, ...]
    free: int
    candidates: list[RowSolution] = field(default_factory=list)
    best_fails: int = 1_000_000
    budget: int = _MAX_PLACEMENTS

    @property
    def exhausted(self) -> bool:
        return self.budget < 0 or len(self.candidates) > _MAX_CANDIDATES

    def add(self, pieces: list[_Cut], observed: list[int] | None, split: bool) -> None:
        """Every placement of `pieces` (in order) into the row's columns, scored."""
        p = len(pieces)
        combos = [tuple(range(self.n))] if p == self.n else itertools.combinations(range(self.n), p)
        for cols in combos:
            self.budget -= 1
            if self.exhausted:
                return
            values = {c: pc[0] for c, pc in zip(cols, pieces, strict=True)}
            fails = _identity_failures(values, self.identities)
            if fails > self.best_fails:
                continue  # identities come first: this reading cannot win
            self.best_fails = fails
            cost = self._cost(fails, pieces, cols, values, observed, split)
            columns = {c: _cut_to_piece(pc) for c, pc in zip(cols, pieces, strict=True)}
            self.candidates.append(RowSolution(columns, cost, self.n, split))

    def _cost(self, fails, pieces, cols, values, observed, split) -> ReadingCost:
        row, p = self.row, len(pieces)
        blanks = max(row.width, len(row.cells)) - len(row.tokens)
        totals = {ident.total for ident in self.identities}
        lengths = [pc[2] - pc[1] for pc in pieces]
        return ReadingCost(
            fails=fails,
            unexplained=max(0, self.n - p - blanks) if row.mode == "spaces" else 0,
            split=int(split),
            empty=(self.n - p) if split else 0,
            position=(
                _position_cost(observed, cols, self.pads, self.free)
                if observed is not None and (blanks or row.strong)
                else 0
            ),
            implausible=self.implausibility(values) if self.implausibility else 0,
            spread=(max(lengths) - min(lengths)) if split else 0,
            leftness=tuple(c if c not in totals else -1 for c in cols),
        )


def solve_row(
    row: RowCells,
    n: int,
    identities: tuple[Identity, ...] = (),
    *,
    implausibility: Callable[[dict[int, Number]], int] | None = None,
    label_span: int = 1,
) -> RowSolution | None:
    """Place a row's tokens in `n` columns, preferring readings that satisfy `identities`.

    Readings are ordered by `ReadingCost`; the best is returned with the readings as good on the
    evidence as `alternatives` (see `TIE_CUT`, `TIE_PRINTED`) and a `note` when a digit run was cut.
    A row with at least `n` tokens is read as printed (the first `n`).

    >>> r = read_cells("x 21710000218", 1)
    >>> solve_row(r, 7, (Identity((0, 1, 2, 3, 4, 5), 6),)).values(7)
    (217, 1, 0, 0, 0, 0, 218)
    """
    tokens = row.tokens
    if not tokens:
        return None
    if len(tokens) >= n:
        return _as_printed(tokens, n, identities)
    # leading cells that belong to the label: none, or the label's template span; a row exactly
    # that much wider than the table says which
    width = max(row.width, len(row.cells))
    span_pad = label_span - 1
    pads = tuple(range(0, max(span_pad, width - n, 0) + 1))
    leading_blanks = next((i for i, c in enumerate(row.cells) if c is not None), 0)
    # a row one cell short that opens with the label's padding lost a trailing cell, not its padding
    # (an HTML row of six `<td>` under seven columns fills from the left)
    padded = row.strong and span_pad and leading_blanks == span_pad and width == n + span_pad - 1
    free = span_pad if width >= n + span_pad or padded else 0
    search = _Search(row, n, identities, implausibility, pads, free)
    cuttable = _cuttable(row, identities)
    if not any(_run_digits(tokens[k])[0] == "0" for k in cuttable):  # `05` must be cut
        search.add([_whole(t) for t in tokens], [i for i, c in enumerate(row.cells) if c is not None], False)
    best_plain = min((c.cost for c in search.candidates), default=None)
    if identities and (best_plain is None or best_plain.fails > 0):
        cuttable = {k for k, t in enumerate(tokens) if _run_digits(t)}
    if cuttable and (best_plain is None or best_plain[:2] != (0, 0)):
        _add_cuts(search, tokens, cuttable)
    if not search.candidates:
        return None
    return _best_with_alternatives(search.candidates, n, identities, [tokens[k] for k in sorted(cuttable)])


def _as_printed(tokens: list[Token], n: int, identities: tuple[Identity, ...]) -> RowSolution:
    """The first `n` tokens; with more than `n`, the only run of `n` whose sums hold, where the first
    run's do not (a page number between a header and its row: `7 | 1 | 1 | 0 …`)."""
    windows = [[_cut_to_piece(_whole(t)) for t in tokens[k : k + n]] for k in range(len(tokens) - n + 1)]
    fails = [_identity_failures({i: p.value for i, p in enumerate(w)}, identities) for w in windows]
    start = 0
    holding = [k for k, f in enumerate(fails) if f == 0]
    if identities and fails[0] and len(holding) == 1:
        start = holding[0]
    note = ""
    if len(tokens) > n:
        only = f"values {start + 1}–{start + n}, the only run whose sums hold"
        kept = f"the first {n}" if start == 0 else only
        note = f"{len(tokens)} values for {n} columns; kept {kept}"
    return RowSolution(dict(enumerate(windows[start])), ReadingCost(fails[start]), n, False, note)


def _cuttable(row: RowCells, identities: tuple[Identity, ...]) -> set[int]:
    """Digit runs cut at first: glued to the label, not a number as printed (`029`), or (no
    identities, collapsed row) a signed cell that may carry its glued neighbour (`-312` for -3|12).
    Every run becomes cuttable when no reading as printed satisfies the identities."""

    def cuttable(t: Token) -> bool:
        signed = t.text.startswith(("-", "−", "+", "＋"))
        return t.glued or _run_digits(t)[0] == "0" or (not identities and row.mode == "spaces" and signed)

    return {k for k, t in enumerate(row.tokens) if _run_digits(t) and cuttable(t)}


def _add_cuts(search: _Search, tokens: list[Token], cuttable: set[int]) -> None:
    """Readings with runs cut into as many pieces as columns, or up to two fewer (blank columns)."""
    for total in range(search.n, max(len(tokens), search.n - 3), -1):
        for pieces in _split_options(tokens, total, cuttable):
            search.add(pieces, None, True)
            if search.exhausted:
                return
        if any(c.cost.fails == 0 and c.split for c in search.candidates):
            return


def _best_with_alternatives(
    candidates: list[RowSolution], n: int, identities: tuple[Identity, ...], runs: list[Token]
) -> RowSolution:
    candidates.sort(key=lambda c: c.cost)
    best = candidates[0]
    seen = {best.values(n)}
    tie = TIE_CUT if best.split and identities else TIE_PRINTED
    for cand in candidates[1:]:
        if cand.cost[:tie] != best.cost[:tie]:
            break
        if (key := cand.values(n)) not in seen:
            seen.add(key)
            best.alternatives.append(cand)
        if len(best.alternatives) >= 200:
            break
    if best.split:
        parts = "|".join(str(best.columns[i].value) if i in best.columns else "" for i in range(n))
        runs_text = ", ".join(repr(t.text) for t in runs)
        how = "row identities hold" if best.cost.fails == 0 else "no split satisfies the row identities"
        best.note = f"digit run {runs_text} read as {parts} ({how})"
    return best
