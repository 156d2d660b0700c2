"""Prose records: link each COUNT span outside the tables to what it counts and map it to a field.

A count's *segment* is the text of its clause before it (after the previous count and any open
parenthesis). Words of the prose lexicon (`data/prose_lexicon.tsv`: data, not code branches) found
in the segment say what is counted (a metric *family*: applications, proactive disclosure, staff …)
and how it is broken down (categories: 当面, 信函及传真, 专职 …). A clause that only names
categories (`其中,属于已主动公开的123件`, `(其中保护第三方合法权益3件、…)`) borrows the family of
the sentence's subject. Counts that are plans, figures of other years, cumulative totals or
channels outside the catalogue get no field. Explicit statements of none (`全年未收取费用`) give 0.

Tables are `inference.tables`' job; `assemble` merges both and decides who wins.
"""

from __future__ import annotations

import bisect
import csv
import logging
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from itertools import pairwise

from inference import DATA_DIR
from inference.catalogue import combine_ids, combined_parts, field_order
from inference.lexicon import (
    APPLICANT_ORGANISATION,
    APPLICANT_PERSON,
    ARTICLE_RANGE_BEFORE,
    BOUND_BEFORE,
    CARRIED_INCLUDED_AFTER,
    CATEGORY_TABLE_HEADER,
    CHANGE_CLAUSE,
    CHARGED_AFTER,
    CLAUSE_BREAK,
    CN_DIGITS,
    CN_NUMERAL_CHARS,
    COMPARISON,
    CONTACT_BEFORE,
    COUNTING_RULE_BEFORE,
    CUMULATIVE,
    DATE_TIME_BEFORE,
    DIGIT_ITEM,
    DISCLOSURE_CUE,
    DURATION_AFTER,
    END_DATE,
    GOVERNMENT_BODY,
    GOVERNMENT_OWN_LEVEL,
    LIST_JOIN,
    LIST_SEPARATOR,
    NEGATION,
    NOT_A_COUNT_AFTER,
    NUMBERING_PREFIX,
    ORDINAL_BEFORE,
    OTHER_YEAR,
    OUTLINE_UNIT,
    OWN_BODY,
    OWN_DIVISION,
    OWN_LEVEL_PART,
    PAGE_FIELD_BEFORE,
    PAREN_ITEM,
    PAREN_ORDINAL,
    PART_OF_YEAR,
    PER_UNIT_BEFORE,
    PLAN_CLAUSE,
    PLAN_DEED,
    PLAN_PARAGRAPH,
    QUOTED_SOURCE,
    RANGE_AFTER,
    RANGE_BEFORE,
    REGULATIONS_FIRST_YEAR,
    RESPECTIVELY,
    REVIEWER_WORK,
    SCOPE_RANKS,
    SECTION_NUMBER,
    SENTENCE_BREAK,
    SERVICE_NUMBER_AFTER,
    SEVERAL_YEARS,
    SINCE_REGULATIONS,
    SUBUNITS,
    TABLE_COLUMNS,
    TABLE_NOTE,
    UNITS_COUNTED_AFTER,
    UP_TO_NOW,
    VAGUE_MAGNITUDE,
    VAGUE_PAIR,
    WHOLE_SCOPE,
    WIDER_SCOPE,
    YEAR_CELL,
    YEAR_NUMBER,
    spellings,
    unit_pattern,
)
from inference.records import Number, Record, Span
from inference.values import Quantity, parse_quantity

logger = logging.getLogger(__name__)

PROSE_LEXICON_PATH = DATA_DIR / "prose_lexicon.tsv"

TOTAL_MARKER = re.compile(r"共计|合计|总计|累计|共")
BREAKDOWN = re.compile(r"其中")

SUMMED_LIST = re.compile(r"等[^,，;；。、\n\d]{0,8}?(?:渠道|方式|途径|平台|载体|形式|媒体)|等多种")
POSTINGS_UNIT = "条次"
"""Item-times: postings counted once per channel, not the items disclosed (no total)."""
ENUMERATOR_GAP = re.compile(
    r"^(?:申请|案件|案)?(?:数量?|件数)?[、,，和及与或以]*(?:以及|及|和|与|或|、)(?:被?(?:提起|提出|申请|发生|收到|引发))?"
    r"(?:(?:有关|涉及|关于)[\u4e00-\u9fff]{0,6})?的?$"
)
NEGATION_SKIP = re.compile(r"违规|违法|擅自|乱收费|发现|减免")
SUBJECT_CARRIERS = re.compile(r"^\s*[(（]?\s*(?:其中|包括|分别|具体|主要|含)")
NUMBERING = NUMBERING_PREFIX
YEAR_MENTION = re.compile(rf"(?<!\d)({YEAR_NUMBER})\s*年")
YEAR_SCOPE = re.compile(r"全年|本年|今年|年内|年度|当年")
YEAR_PART = re.compile(rf"其中\s*(?:{YEAR_NUMBER}\s*年|{YEAR_SCOPE.pattern})")
"""A breakdown by year (`其中2024年…`): the year's part of a running total, the year's own total."""
COUNTING_VERB = re.compile(
    r"总数|总量|共|累计|合计|总计|另|又|还|再|已|均|计|达|约|为|有|了|的|在|对|向|通过|发布|公开|推送|受理|收到|接到"
    r"|办理|办结|处理|答复|审发|上报|报送|举办|开展|召开|组织|印发|制发|编发|转发|接待|接听|回复|提供"
)
"""Words of a clause that only says *how* its subject was counted (`全年共发布`), not *what*."""
FACILITY_AFTER = re.compile(r"(?:受理|查询|查阅|服务|办理)?(?:点|窗口|室|场所|大厅|专区|中心)")
"""A place named after a metric word (`信息申请受理点`): the counted noun is the place."""
ZERO_FOR_ALL = re.compile(
    rf"(?:(?P<all>均|都|皆)(?:为|是)?|[\u4e00-\u9fff]为)\s*(?:0|零)(?![\d.])\s*(?:{unit_pattern()})?(?=[,，。;；、\s]|$)"
)
"""A zero stated for everything listed before it (`行政复议和行政诉讼均为0件`), or for the one
count named before it (`收到政府信息公开申请数量为零`, `收取费用为零`: a number without a unit, no
COUNT span)."""
ITEMS_OF_INFORMATION = re.compile(r"信息\s*$")
"""A clause whose counted noun is 信息 (`依申请公开信息12条`): items of information, not requests."""
INCLUDES = re.compile(r"包含|包括|含")
"""Words that say a figure includes a part (`网络申请含…电子邮件…申请3件`, `（含部分公开）`)."""
LISTED_TOTAL = re.compile(
    rf"^(?:其中)?(?:{INCLUDES.pattern})[^,，;；。:：]{{1,30}}?(?:共计|共|合计|总计|累计)$"
)
"""A clause that lists the parts of its subject and then sums them (`…舆情数,包括正面舆情和负面舆情共`)."""
HEADING = re.compile(
    rf"(?:^|(?<=[\s。]))(?:{SECTION_NUMBER}|{PAREN_ORDINAL})[^\s。,，;；]{{0,40}}?(?:情况|事项|措施)?\s+"
)
PARAGRAPH_BREAK = re.compile(rf"\n|(?<=[。\s])\s*{SECTION_NUMBER}")


@dataclass(frozen=True)
class LexiconRow:
    """A prose lexicon row: a family's metric words, a field and its categories, a veto or a negation.

    `kind`: `metric` (words naming what a family counts), `field` (a catalogue id with the category
    words that select it; no words = the family's total), `veto` (categories outside the catalogue:
    the count gets no field), `negation` (words an explicit "none" zeroes), `section` (words of the
    family's own section title), `phrase` (stock phrases read as a whole and meaning nothing:
    `公民、法人或者其他组织` is everyone, not an applicant type). `units`: the units a field accepts
    (empty entry = a bare number);
    `exclude`: words that rule the field out; `rank`: specific categories outrank generic ones;
    `combinable` (note column): categories joined in one count combine their ids (`fax+letter`).
    """

    kind: str  # metric | field | veto | negation | section | phrase
    family: str
    field: str
    keywords: tuple[str, ...]
    units: frozenset[str] | None  # None: any unit
    exclude: tuple[str, ...]
    generations: frozenset[str]
    rank: int
    combinable: bool

    def applies_to(self, template: str | None) -> bool:
        return "any" in self.generations or template is None or template in self.generations


@dataclass(frozen=True)
class Hit:
    """A lexicon word found in the text: what it can mean (several rows may share a word)."""

    start: int
    end: int
    word: str
    rows: tuple[LexiconRow, ...]

    def families(self, kind: str) -> list[str]:
        return [r.family for r in self.rows if r.kind == kind]


def _split(cell: str) -> tuple[str, ...]:
    return tuple(w for w in (cell or "").split("|") if w) if cell else ()


@cache
def load_prose_lexicon() -> tuple[LexiconRow, ...]:
    """All rows of `data/prose_lexicon.tsv` in file order."""
    rows = []
    with PROSE_LEXICON_PATH.open(encoding="utf-8", newline="") as handle:
        for raw in csv.DictReader(handle, delimiter="\t"):
            units_cell = raw["units"]
            units = frozenset(units_cell.split("|")) if units_cell else None
            for word in _split(raw["keywords"]) if raw["kind"] == "negation" else ():
                try:  # negation words are regexes, each used on its own too (`names_its_family`)
                    re.compile(word)
                except re.error as exc:
                    problem = f"negation word {word!r} is no regex: {exc}"
                    raise ValueError(f"{PROSE_LEXICON_PATH}: {problem}") from exc
            rows.append(
                LexiconRow(
                    kind=raw["kind"],
                    family=raw["family"],
                    field=raw["field"] or "",
                    keywords=_split(raw["keywords"]),
                    units=units,
                    exclude=_split(raw["exclude"]),
                    generations=frozenset((raw["generation"] or "any").split("|")),
                    rank=int(raw["rank"] or 1),
                    combinable="combinable" in (raw["note"] or ""),
                )
            )
    return tuple(rows)


@cache
def _matcher(template: str | None) -> tuple[re.Pattern[str], dict[str, tuple[LexiconRow, ...]]]:
    """One regex of all plain lexicon words in every spelling (`lexicon.spellings`: 发布/释出 …),
    longest first (leftmost-longest matching), and spelling → (word, rows)."""
    meaning: dict[str, list[LexiconRow]] = {}
    for row in load_prose_lexicon():
        if row.kind == "negation" or (row.kind == "field" and not row.applies_to(template)):
            continue
        for word in row.keywords:
            meaning.setdefault(word, []).append(row)
    spelled = {variant: word for word in meaning for variant in reversed(spellings(word))}
    spelled.update({word: word for word in meaning})  # a word that is another's Taiwan spelling
    variants = sorted(spelled, key=len, reverse=True)
    pattern = re.compile("|".join(f"{WRAP}*".join(map(re.escape, v)) for v in variants))
    return pattern, {v: (word, tuple(meaning[word])) for v, word in spelled.items()}


def find_hits(text: str, start: int, end: int, template: str | None) -> list[Hit]:
    """Lexicon words in text[start:end] (`Hit.word` the lexicon's spelling), leftmost-longest,
    non-overlapping."""
    pattern, meaning = _matcher(template)
    hits = []
    for m in pattern.finditer(text, start, end):
        word, rows = meaning[m.group(0).replace(WRAP, "")]
        if any(r.kind != "phrase" for r in rows):  # a stock phrase only hides the words inside it
            hits.append(Hit(m.start(), m.end(), word, rows))
    return hits


WRAP = "\u200b"
"""Stands in for a line wrap inside a sentence; `normalize` removes zero-width characters, so it is free."""
_WRAP_BREAK = re.compile(r"(?<=[\u4e00-\u9fff])[ \u3000]*\n[\n \u3000]*(?=[\u4e00-\u9fff])")
_LINE_HEAD = re.compile(rf"\s*(?:{SECTION_NUMBER}|{PAREN_ITEM}|{DIGIT_ITEM}|附表|附件)")
_TITLE_END = re.compile(r"(?:报告|年报)\s*$")


def unwrap_lines(text: str) -> str:
    """Hide line breaks that cut a sentence (`举办新闻发布\n\n会9次`), keeping every offset.

    A break is a wrap when it sits between two Chinese characters after a long line that is not a
    heading, a title (`…政府信息公开工作年度报告`), a table row (cells) or followed by a heading
    (`一、概述`); label/value lists (`…数\n104221`) and headings keep their breaks.
    """
    out = list(text)
    for match in _WRAP_BREAK.finditer(text):
        line_start = text.rfind("\n", 0, match.start()) + 1
        line = text[line_start : match.start()]
        if len(line.strip()) < 15 or _LINE_HEAD.match(line) or _TITLE_END.search(line):
            continue
        if CELL_SEPARATOR.search(line):
            continue  # a table row ends at its line's end, whatever its last cell is
        if _LINE_HEAD.match(text, match.end()):
            continue
        for i in range(match.start(), match.end()):
            out[i] = WRAP
    return "".join(out)


def _rows_of(family: str, template: str | None) -> list[LexiconRow]:
    return [
        r for r in load_prose_lexicon() if r.kind == "field" and r.family == family and r.applies_to(template)
    ]


@cache
def _channel_words() -> tuple[dict[str, tuple[str, ...]], tuple[str, ...]]:
    """Proactive channel field → its lexicon words, and the words of channels outside the catalogue."""
    channels: dict[str, tuple[str, ...]] = {}
    others: list[str] = []
    for row in load_prose_lexicon():
        if row.family != "proactive":
            continue
        if row.kind == "field" and row.field.startswith("proactive.channel."):
            channels[row.field] = row.keywords
        elif row.kind == "veto":
            others.extend(row.keywords)
    return channels, tuple(others)


def sole_channel(text: str, pos: int) -> str | None:
    """The proactive channel field the clause before `pos` names as its only carrier, if it names
    exactly one (`通过区政府网站共公开信息` → proactive.channel.website); None where it names none,
    several, a carrier outside the catalogue (公告栏) or a list (`、`, `等`)."""
    clause = text[_clause_start(text, pos) : pos]
    channels, others = _channel_words()
    if "、" in clause or "等" in clause or any(w in clause for w in others):
        return None
    named = [f for f, words in channels.items() if any(w in clause for w in words)]
    return named[0] if len(named) == 1 else None


def only_count_of_its_family(record: Record, records: list[Record]) -> bool:
    """Whether no other prose count of the report has a field of `record`'s family (its total or
    another part): a count per channel (`网站公开300条,微博公开200条`) states no total."""
    family = _family_of(record.field or "")
    return family is not None and not any(
        r is not record and r.field and _family_of(r.field) == family for r in records
    )


def alone_in_sentence(text: str, record: Record, records: list[Record]) -> bool:
    """Whether `record` is the only count of its sentence and no breakdown (`其中`) precedes it
    there: a statement of all there is, not one item of a list (`其中,网上公开信息20条,…揭示板上公开45条`)."""
    start = _sentence_start(text, record.start)
    if BREAKDOWN.search(text, start, record.start):
        return False
    end = SENTENCE_BREAK.search(text, record.end)
    stop = end.start() if end else len(text)
    return not any(r is not record and start <= r.start < stop for r in records)


# ----------------------------------------------------------------------------- text structure


def _clause_start(text: str, pos: int) -> int:
    i = pos
    while i > 0 and not CLAUSE_BREAK.match(text, i - 1):
        i -= 1
    return i


def _clause_end(text: str, pos: int) -> int:
    match = CLAUSE_BREAK.search(text, pos)
    return match.start() if match else len(text)


def _sentence_start(text: str, pos: int) -> int:
    """Where the sentence holding `pos` begins: after the last `SENTENCE_BREAK` before `pos`."""
    breaks = _sentence_breaks(text)
    i = bisect.bisect_left(breaks, pos)
    return breaks[i - 1] + 1 if i else 0


@lru_cache(maxsize=4)
def _sentence_breaks(text: str) -> list[int]:
    """Offsets of the sentence breaks (one character each) of a text; the few texts in hand cached."""
    return [match.start() for match in SENTENCE_BREAK.finditer(text)]


def _after_heading(text: str, start: int, end: int) -> int:
    """Skip a section heading run into the body (`五、…的情况 2016年度…`, layouts without line breaks)."""
    for match in HEADING.finditer(text, start, end):
        start = max(start, match.end())
    return start


def _open_paren(text: str, start: int, pos: int) -> int | None:
    """Position after the last parenthesis opened in text[start:pos] and not closed."""
    depth_pos = []
    for i in range(start, pos):
        if text[i] in "(（":
            depth_pos.append(i + 1)
        elif text[i] in ")）" and depth_pos:
            depth_pos.pop()
    return depth_pos[-1] if depth_pos else None


def _plan_ranges(text: str) -> list[tuple[int, int]]:
    """From a plan marker (下一步, 明年 …) to the end of its paragraph; from 将 before a deed to the
    end of its sentence."""
    out = []
    for match in PLAN_PARAGRAPH.finditer(text):
        end = PARAGRAPH_BREAK.search(text, match.end())
        out.append((match.start(), end.start() if end else len(text)))
    for match in PLAN_DEED.finditer(text):  # `我局将组织开展培训4次,培训60人次`: to the sentence's end
        end = SENTENCE_BREAK.search(text, match.end())
        out.append((match.start(), end.start() if end else len(text)))
    return out


def _inside(pos: int, ranges: Iterable[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in ranges)


# ----------------------------------------------------------------------------- linking


@dataclass(frozen=True)
class _Context:
    text: str
    spans: tuple[Span, ...]
    counts: tuple[Span, ...]
    template: str | None
    year: int | None
    covered: tuple[tuple[int, int], ...]
    plans: tuple[tuple[int, int], ...]
    dominant_year: int | None = None  # the year the text names most: a guard against a misread report year
    scope: tuple[int, str] | None = None  # the issuer's own division (`metadata.issuer_scope`)


def _previous_count_end(ctx: _Context, index: int, floor: int) -> int:
    """Where the words of count `index` begin: after the previous count past `floor`, skipping counts
    that are a bracketed aside on a noun (`微信公众账号(1个)发布信息149条`: the accounts' number)."""
    for previous in reversed(ctx.counts[:index]):
        if previous.end <= floor:
            break
        if not _bracketed_aside(ctx.text, previous) or _bracketed_item(ctx.text, previous):
            return previous.end
    return floor


def _bracketed_aside(text: str, span: Span) -> bool:
    """The count alone in brackets right after a word: `账号(1个)`, `（共3个）`."""
    before = text[max(0, span.start - 2) : span.start].replace("共", "")
    return bool(before) and before[-1] in "(（" and text[span.end : span.end + 1] in (")", "）")


_ITEM_END = re.compile(r"[)）]\s*(?:[、,，;；。:：\n]|$)")


def _bracketed_item(text: str, span: Span) -> bool:
    """A bracketed count that closes an item of a list: `当面（19件）、网上（17件）`; the count is
    the item's, the word before the bracket names it (not an aside on a noun the clause goes on
    about: `微信公众账号(1个)发布信息149条`)."""
    return _bracketed_aside(text, span) and _ITEM_END.match(text, span.end) is not None


CELL_SEPARATOR = re.compile(r"\t|\|")
HEADER_LINES = 30
"""How many lines above a table row its header may be."""


def column_of(text: str, pos: int, year: int | None) -> tuple[str, int] | None:
    """The column a count at `pos` sits in, where it is a value cell of a table row whose header
    names its columns (`项目 | 本年数 | 上年数 | 增减`): the column's name (`lexicon.TABLE_COLUMNS`;
    a year cell is `this_year` when it is the report's `year`, else `previous`) and where the
    row's label cell ends; None elsewhere, or where header and row do not have as many cells."""
    line_start = text.rfind("\n", 0, pos) + 1
    line_end = text.find("\n", pos)
    cells = _cells(text, line_start, len(text) if line_end < 0 else line_end)
    index = next((i for i, (a, b) in enumerate(cells) if a <= pos < b), 0)
    if index == 0 or len(cells) < 3:
        return None
    above = line_start - 1
    for _ in range(HEADER_LINES):
        if above <= 0:
            return None
        start = text.rfind("\n", 0, above) + 1
        header = _cells(text, start, above)
        if len(header) < 3:
            return None  # the run of table lines ends above without a header
        names = [_column_name(text[a:b], year) for a, b in header[1:]]
        if all(name is not None for name in names):
            return (names[index - 1], cells[0][1]) if len(header) == len(cells) else None
        above = start - 1
    return None


def _cells(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The cells of a line (`\t` or `|` between them), as (start, end) offsets; blank edges dropped."""
    bounds = [start, *(m.start() for m in CELL_SEPARATOR.finditer(text, start, end)), end]
    cells = [(a if i == 0 else a + 1, b) for i, (a, b) in enumerate(pairwise(bounds))]
    while cells and not text[cells[-1][0] : cells[-1][1]].strip():
        cells.pop()
    while cells and not text[cells[0][0] : cells[0][1]].strip():
        cells.pop(0)
    return cells


def _column_name(cell: str, year: int | None) -> str | None:
    """What a header cell names (`本年数` → this_year, `2022年` → this_year or previous), or None."""
    cell = re.sub(r"[（(][^）)]*[）)]|\s", "", cell)
    if re.fullmatch(YEAR_CELL, cell):
        return "this_year" if year is not None and int(cell[:4]) == year else "previous"
    if re.search(r"\d", cell) or len(cell) > 8:
        return None
    return next((name for name, regex in TABLE_COLUMNS if re.fullmatch(f"(?:{regex})[数量]?", cell)), None)


_LABEL_UNIT = re.compile(rf"[(（]({unit_pattern('count')})[)）]\s*$")
"""A count unit in brackets closing a label cell (`接受培训人员（人次）`)."""


def _pair_label(ctx: _Context, span: Span, seg_start: int) -> tuple[int, int] | None:
    """In a 指标/数量 list (`label` cell, then `count` cell) the label is the previous cell; in a
    row of a table whose header names this year's column, the row's first cell (`column_of`)."""
    text = ctx.text
    column = column_of(text, span.start, ctx.year)
    if column is not None and column[0] == "this_year":
        line_start = text.rfind("\n", 0, span.start) + 1
        label = NUMBERING.sub("", text[line_start : column[1]]).strip()
        return (line_start, column[1]) if label and not re.search(r"\d", label) else None
    before = NUMBERING.sub("", text[seg_start : span.start]).strip(" \u3000:：")
    after_end = _clause_end(text, span.end)
    if before or text[span.end : after_end].strip(" \u3000"):
        return None
    cell_end = seg_start - 1
    while cell_end > 0 and text[cell_end - 1] in " \u3000\t|\n":
        cell_end -= 1
    if cell_end <= 0:
        return None
    cell_start = cell_end
    while cell_start > 0 and text[cell_start - 1] not in "\t|\n":
        cell_start -= 1
    label = NUMBERING.sub("", text[cell_start:cell_end]).strip()
    if not label or re.search(r"\d", label) or len(label) > 40:
        return None
    # the next cell must not be another number (that would be a row of a multi-column table)
    nxt = re.match(r"[\s|]*([^\t|\n]*)", text[after_end:])
    if nxt and re.fullmatch(r"\s*[-−]?\d+(?:\.\d+)?\s*", nxt.group(1) or "x"):
        return None
    return cell_start, cell_end


def _respective_slot(ctx: _Context, index: int) -> tuple[int, int, int, int] | None:
    """Where a count sits in a list of counts after 分别 (`微博、微信分别发布信息92条、306条`): the
    segment naming the list's categories (its start and end), the count's place in the list and the
    list's length; None when the count is in no such list."""
    text, counts = ctx.text, ctx.counts
    first = last = index
    while first > 0 and LIST_JOIN.fullmatch(text[counts[first - 1].end : counts[first].start]):
        first -= 1
    while last + 1 < len(counts) and LIST_JOIN.fullmatch(text[counts[last].end : counts[last + 1].start]):
        last += 1
    if first == last:
        return None
    start = _clause_start(text, counts[first].start)
    start = _previous_count_end(ctx, first, start)
    if not RESPECTIVELY.search(text, start, counts[first].start):
        return None
    return start, counts[first].start, index - first, last - first + 1


def _respective_hits(text: str, hits: list[Hit], slot: int, size: int) -> list[Hit] | None:
    """The hits a count in a 分别 list reads: where the list names as many categories (or else as
    many metrics: `行政复议、行政诉讼分别为2件、1件`) as it has counts, the one in the count's place
    and the other words; None where it names no such list (`参训人员分别为46人次和38人次`: the
    figures of things it does not name)."""
    categories = [h for h in hits if not h.families("metric") and any(r.kind == "field" for r in h.rows)]
    metrics = [h for h in hits if h.families("metric")]
    # words both naming the subject and choosing its field (`专职、兼职人员分别为2人、6人`)
    choosing = [h for h in metrics if any(r.kind == "field" for r in h.rows)]
    for named in (categories, metrics, choosing):
        if len(named) == size and _side_by_side(text, named):
            return [h for h in hits if h not in named or h is named[slot]]
    return None


def _side_by_side(text: str, hits: list[Hit]) -> bool:
    """Whether the hits are listed one after the other (`微博、微信`, `行政复议和行政诉讼`), not words
    of one noun (`参训人员`)."""
    return all(LIST_SEPARATOR.search(text, a.end, b.start) is not None for a, b in pairwise(hits))


def _inherited_family(
    ctx: _Context, seg_start: int, *, categories: frozenset[str] = frozenset()
) -> tuple[list[str], Hit, bool] | None:
    """The sentence's subject (earlier clauses), or the previous sentence's when this one starts with 其中
    or only names categories of that subject (`categories`: the families the segment's categories belong to).

    The flag says whether the count may be the subject's own total: `…开展在线访谈活动,邀请…,
    全年共举办17场` counts the subject of its sentence, a breakdown (`其中…`) does not.
    """
    text = ctx.text
    sent_start = _after_heading(text, _sentence_start(text, seg_start), seg_start)
    hits = [h for h in find_hits(text, sent_start, seg_start, ctx.template) if h.families("metric")]
    # `复议11件,其中…;行政诉讼6件,其中…尚在审理2件`: after a semicolon its own subject only
    semicolon = max(text.rfind("；", sent_start, seg_start), text.rfind(";", sent_start, seg_start))
    hits = [h for h in hits if h.start > semicolon] or hits
    same_sentence = bool(hits)
    carried = SUBJECT_CARRIERS.match(text[sent_start:seg_start] or text[sent_start : sent_start + 4])
    # a sentence that only names categories of one family continues the previous one's subject
    # (`…不予公开8件(…)。本机关不掌握相关政府信息27件,…`)
    if not hits and (carried or categories):
        # the previous sentence, or the one before when a line wrap cut it (`…等\n\n各个方面。其中,…`)
        prev_end = sent_start
        for _ in range(3):
            while prev_end > 0 and (SENTENCE_BREAK.match(text, prev_end - 1) or text[prev_end - 1].isspace()):
                prev_end -= 1
            if prev_end <= 0 or sent_start - prev_end > 300:
                break
            prev_start = _sentence_start(text, prev_end)
            hits = [h for h in find_hits(text, prev_start, prev_end, ctx.template) if h.families("metric")]
            cut_by_wrap = prev_start > 0 and text[prev_start - 1] != "。"
            if hits or not cut_by_wrap:
                break
            prev_end = prev_start
    if not hits and categories:
        # no subject in the sentences before: the section's title names it (`二、政府信息依申请公开情况
        # … 其中属于已经主动公开的2件`), for categories of that family only
        titles = _section_metrics(text, seg_start, ctx.template)
        hits = [h for h in titles if set(h.families("metric")) & categories]
    if not hits:
        return None
    if (
        not carried
        and not same_sentence
        and not any(f in categories for h in hits for f in h.families("metric"))
    ):
        return None
    families: list[str] = []
    for hit in reversed(hits):
        families.extend(f for f in reversed(hit.families("metric")) if f not in families)
    if not carried and not same_sentence:
        families = [f for f in families if f in categories]
    counts_subject = same_sentence and "其中" not in text[sent_start:seg_start]
    return families, hits[-1], counts_subject


NOT_DISCLOSURE = re.compile(r"与(?:政府)?(?:信息|政务)公开(?:工作)?无关")
"""A sentence saying its figures are not the disclosure work's (`与信息公开无关`); not an answer
that a request is out of its scope (`不属于政府信息公开范围`, a part of the answers)."""


def _excluded(ctx: _Context, span: Span, seg_start: int) -> str | None:
    """Why a count is not this year's statistic (None if it is)."""
    text = ctx.text
    column = column_of(text, span.start, ctx.year)
    if column is not None and column[0] != "this_year":
        return "other column"  # `上年数`, `增减`, another year's: the table prints this year's apart
    if span.text[-1:].isdigit() and not text[span.end :].strip():
        return "cut off"  # the text ends inside the number (`共收到依申请公开1`): it may go on
    if span.text[-1:].isdigit() and BROKEN_NUMBER_AFTER.match(text, span.end):
        return "broken over a line"  # `主动公开政府信息12-⏎06条`: a converter hyphenated 1206
    if PAGE_FIELD_BEFORE.search(text, text.rfind("\n", 0, span.start) + 1, span.start):
        return "page metadata"
    if CONTACT_BEFORE.search(text, max(0, span.start - 16), span.start):
        return "contact"
    if re.fullmatch(r"\d{3,}", span.text) and SERVICE_NUMBER_AFTER.match(text, span.end):
        return "contact"
    if _own_unit(span) in ("条", "款", "项") and ARTICLE_RANGE_BEFORE.search(
        text, max(0, span.start - 12), span.start
    ):
        return "article"
    if not _own_unit(span) and DATE_TIME_BEFORE.search(text, max(0, span.start - 12), span.start):
        return "date or time"
    if OUTLINE_UNIT.match(_own_unit(span) + text[span.end : span.end + 8]):
        return "outline"
    numeral = span.start + len(span.text) - len(span.text.lstrip("大约将接近上逾超"))
    if VAGUE_MAGNITUDE.match(text, numeral) or VAGUE_PAIR.match(text, numeral):
        return "vague"  # `数千人次`, `七八次`: no number
    if BOUND_BEFORE.search(text, max(0, span.start - 6), span.start):
        return "bound"  # `不少于300条`: a target or an estimate
    if ORDINAL_BEFORE.search(text, max(0, span.start - 2), span.start):
        return "ordinal"  # `第5期`
    if TABLE_NOTE.match(text, _sentence_start(text, span.start), span.start):
        return "table note"  # `注：表中行政诉讼数据含…的案件1件`
    if PER_UNIT_BEFORE.search(text, _clause_start(text, span.start), span.start):
        return "per unit"  # `县档案馆和县图书馆各设立查阅点1个`
    sentence_end = SENTENCE_BREAK.search(text, span.end)
    if NOT_DISCLOSURE.search(
        text, _sentence_start(text, span.start), sentence_end.start() if sentence_end else len(text)
    ):
        return "not disclosure"  # `另受理交易活动投诉27件，…，与信息公开无关`
    if span.text.endswith("个") and UNITS_COUNTED_AFTER.match(text, span.end):
        return "bodies"  # `所辖14个行政村共接待…咨询2,100人次`: 14 villages
    if _inside(span.start, ctx.plans):
        return "plan"
    clause = text[_clause_start(text, span.start) : span.start]
    if PLAN_CLAUSE.search(clause):
        return "plan"
    if OTHER_YEAR.search(clause):
        return "other year"
    if CHANGE_CLAUSE.match(clause):
        return "change"  # `…3,884条,增加674条`
    if ctx.year is not None:
        # the last year named before the count in its sentence scopes it (`2016年,全区共受理…300件`);
        # dates (`2018年2月`) and titles (《…2017年…》) do not
        sentence = text[_sentence_start(text, span.start) : span.start]
        sentence = re.sub(r"《[^》]*》", "", sentence)
        years = [  # a year compared with (`比2017年增加15件;其中网上申请26件`) scopes nothing after it
            int(m.group(1))
            for m in YEAR_MENTION.finditer(sentence)
            if not re.match(r"\s*\d|\s*[0-9]*月", sentence[m.end() :])
            and not re.search(rf"{COMPARISON}\s*$", sentence[: m.start()])
        ]
        if years and years[-1] != ctx.year and years[-1] != ctx.dominant_year:
            return "other year"
    if QUOTED_SOURCE.match(text, _sentence_start(text, span.start), span.start):
        return "quoted"  # another document's figures (`据《…市政府…年度报告》,全市…86435条`)
    if (UP_TO_NOW.search(text[seg_start : span.start]) or _up_to_now_sentence(ctx, span)) and not (
        ctx.year == REGULATIONS_FIRST_YEAR
        and SINCE_REGULATIONS.search(text, _sentence_start(text, span.start), span.start)
    ):
        return "cumulative"
    if _scoped_after(ctx, span, PART_OF_YEAR):
        return "part of the year"
    if _scoped_after(ctx, span, SEVERAL_YEARS):
        return "several years"  # `近三年来,我委共主动公开…2,870条`
    if _wider_scope(clause, ctx.scope):
        return "another body's"  # `全省共受理…86420件` in a city's report
    if _subunits_scope(clause) and not WHOLE_SCOPE.search(clause) and not YEAR_MENTION.search(clause):
        return "subunits"  # `乡镇受理申请8件`, not `全县各级各部门主动公开…14189条`
    if OWN_LEVEL_PART.search(clause):
        return "own level"  # `其中县政府本级主动公开…1250条`: a part of the county's total
    if CHARGED_AFTER.match(text, span.end):
        return "charged"
    if COUNTING_RULE_BEFORE.search(clause):
        return "counting rule"
    if CUMULATIVE.search(text[seg_start : span.start]):
        # `截至2015年12月31日,累计公开…`: an end date names the year without scoping the total to it;
        # a year before a semicolon scopes its own clauses (`全年…637条；开设…公众号,累计推送212条`)
        start = _sentence_start(text, span.start)
        start = max(start, text.rfind("；", start, span.start) + 1, text.rfind(";", start, span.start) + 1)
        sentence = END_DATE.sub("", text[start : span.start])
        scoped = YEAR_SCOPE.search(sentence) or (ctx.year is not None and f"{ctx.year}年" in sentence)
        if not scoped and not _sums_what_it_counted(ctx, span, seg_start):
            return "cumulative"
    return None


def _sums_what_it_counted(ctx: _Context, span: Span, seg_start: int) -> bool:
    """`开展政务公开培训4次，累计培训人数达316人次`: 累计 after a count of its sentence in another unit
    adds up what that count counted (the trainees of those sessions), not a running total."""
    sentence = _sentence_start(ctx.text, span.start)
    unit = _own_unit(span)
    return any(
        sentence <= other.start < seg_start and _own_unit(other) not in ("", unit) for other in ctx.counts
    )


_SERVED_BEFORE = re.compile(r"(?:培训|组织|召集|面向|邀请|指导|帮助)(?:[^，,。；;]{0,10}?[、和及与])?\s*$")
_INCLUDED = re.compile(rf"[（(](?:{INCLUDES.pattern})[^（）()]*[）)]")
"""A bracket saying what a figure includes (`区人民政府（含区政府办公室及区直各部门）`)."""


def _subunits_scope(clause: str) -> bool:
    """Whether the clause scopes its count to the issuer's subunits (`乡镇受理申请8件`), not where
    they are only whom the issuer served (`培训各县区和市直部门工作人员210人次`) or what its own
    figure includes (`（含…区直各部门）`)."""
    clause = _INCLUDED.sub("", clause)
    return any(not _SERVED_BEFORE.search(clause, 0, m.start()) for m in SUBUNITS.finditer(clause))


def _wider_scope(clause: str, own: tuple[int, str] | None) -> bool:
    """Whether the clause scopes its count to a division above the issuer's own (`全省` for a city,
    `全市` for a county or district); a county-level city's `全市` is its own."""
    if own is None:
        return False
    return any(
        SCOPE_RANKS[m.group(1)] < own[0] and m.group(1) != own[1] for m in WIDER_SCOPE.finditer(clause)
    )


def _in_category_table(text: str, pos: int) -> bool:
    """Whether `pos` is in a row of a table of disclosed items by kind (`CATEGORY_TABLE_HEADER`
    heads the run of cell-separated lines it is in)."""
    line_start = text.rfind("\n", 0, pos) + 1
    while True:
        line_end = text.find("\n", line_start)
        line = text[line_start : line_end if line_end >= 0 else len(text)]
        if "\t" not in line and "|" not in line:
            return False
        if CATEGORY_TABLE_HEADER.search(line):
            return True
        if line_start == 0:
            return False
        line_start = text.rfind("\n", 0, line_start - 1) + 1


def _up_to_now_sentence(ctx: _Context, span: Span) -> bool:
    """An earlier clause of the sentence says "up to now" (`我区自开通专栏至今,共计发布信息26289条`)
    and no year scopes the count after it (`…,其中2024年主动公开2900条` is the year's)."""
    return _scoped_after(ctx, span, UP_TO_NOW)


def _scoped_after(ctx: _Context, span: Span, scope: re.Pattern[str]) -> bool:
    """`scope` is named earlier in the count's sentence and no year is named after it."""
    sentence = ctx.text[_sentence_start(ctx.text, span.start) : span.start]
    found = list(scope.finditer(sentence))
    if not found:
        return False
    after = sentence[found[-1].end() :]
    return not (YEAR_SCOPE.search(after) or YEAR_MENTION.search(after))


@dataclass(frozen=True)
class _Link:
    field: str | None
    metric: str
    categories: tuple[str, ...]


def _listed(category_hits: list[tuple[Hit, LexiconRow]], seg: str, seg_start: int) -> bool:
    """Whether categories of different fields are listed side by side (`A、B`, `A和B`): the count
    is theirs together, whatever their ranks."""
    hits = sorted({h.start: h for h, _ in category_hits}.values(), key=lambda h: h.start)
    fields = {h.start: {r.field for g, r in category_hits if g is h} for h in hits}
    for a, b in pairwise(hits):
        gap = seg[a.end - seg_start : b.start - seg_start]
        if fields[a.start] != fields[b.start] and 0 < len(gap) <= 6 and LIST_SEPARATOR.search(gap):
            return True
    return False


_DISCLOSURE_NAMED = re.compile(r"(?:政府)?(?:信息|政务)公开(?:的|类|方面的?|相关的?)?(?:咨询|问询)")
"""A consultation named as the disclosure's own (`政府信息公开咨询`), whatever line it came by."""


def _choose_field(
    family: str,
    hits: list[Hit],
    seg: str,
    unit: str,
    template: str | None,
    own_metric: bool,
    seg_start: int = 0,
) -> str | None:
    rows = _rows_of(family, template)

    def unit_ok(row: LexiconRow) -> bool:
        return row.units is None or unit in row.units

    # `热线接受政府信息公开咨询860人次`: a count the text names as the disclosure's own is not
    # excluded by the channel words before that name
    qualified = _DISCLOSURE_NAMED.search(seg)
    own_words = seg[qualified.start() :] if qualified else seg

    def allowed(row: LexiconRow) -> bool:
        return unit_ok(row) and not any(word in own_words for word in row.exclude)

    if any(h for h in hits for r in h.rows if r.kind == "veto" and r.family == family):
        return None
    if family == "applications" and unit == "条" and ITEMS_OF_INFORMATION.search(seg):
        # `依申请公开信息12条`, `不予公开信息27条`: items of information, not requests or answers
        return None
    category_hits = [
        (h, r) for h in hits for r in h.rows if r.kind == "field" and r.family == family and r.keywords
    ]
    category_hits = [(h, r) for h, r in category_hits if allowed(r)]
    if category_hits:
        top = max(r.rank for _, r in category_hits)
        chosen = {r.field: r for _, r in category_hits if r.rank == top}
        if _listed(category_hits, seg, seg_start):  # `“非政府信息、政府信息不存在、非本机关…”的件数`
            chosen = {r.field: r for _, r in category_hits}
        if len(chosen) == 1:
            return next(iter(chosen))
        if all(r.combinable for r in chosen.values()) and not RESPECTIVELY.search(seg):
            ids = sorted(chosen, key=lambda i: field_order().get(i, 10**6))
            prefixes = {i.rsplit(".", 1)[0] for i in ids}
            return combine_ids(ids) if len(prefixes) == 1 else None
        return None
    if not own_metric or (BREAKDOWN.search(seg) and not YEAR_PART.search(seg)):
        # `其中图解、视频等多形式解读13篇`: a part of the total named before, not the total; a part
        # that is a year (`…至今共发布26289条,其中2024年主动公开政府信息2900条`) is that year's total
        return None
    totals = [r for r in rows if not r.keywords and allowed(r)]
    fields = {r.field for r in totals}
    return next(iter(fields)) if len(fields) == 1 else None


def _drop_summed_channels(
    text: str, hits: list[Hit], seg_start: int, seg_end: int, unit: str = ""
) -> list[Hit]:
    """Channels that are summed are not the count's category: the count is the total.

    `通过门户网站及省系统共公开…` (several channels, then 共) and `通过网站、宣传栏等各类载体公开…`
    (a list closed by 等) state the year's total, not a channel's figure. A list of channels counted
    in item-times (`…电视、报纸、公告栏等渠道…6098条次`) counts postings, not the total.
    """
    cut = None
    for match in TOTAL_MARKER.finditer(text, seg_start, seg_end):
        before = [h for h in hits if h.end <= match.start() and not h.families("metric")]
        if len({(r.kind, r.field) for h in before for r in h.rows if r.kind in ("field", "veto")}) >= 2:
            cut = match.start()
    for match in SUMMED_LIST.finditer(text, seg_start, seg_end):
        listed = [h for h in hits if h.end <= match.start() and not h.families("metric")]
        outside = any(r.kind == "veto" for h in listed for r in h.rows)  # channels outside the catalogue
        if listed and not (outside and unit == POSTINGS_UNIT):
            cut = max(cut or 0, match.start())
    if cut is None:
        return hits
    return [h for h in hits if h.end > cut or h.families("metric")]


_SHARE = re.compile(r"占[^,，;；。]{0,8}?\d+(?:\.\d+)?\s*[%％]\s*$")
"""A share closing a clause (`占总数的60%`), before the count it is a share of."""
_BARE_VERB = re.compile(r"\s*(?:计|共计|合计|计有|有|共有|为|达)?\s*")


def _words_before_bare_verb(ctx: _Context, index: int, clause_start: int, seg_start: int) -> tuple[int, int]:
    """Where the words of a count whose clause is only a counting verb begin and end: the clause
    before it, across a comma, when that clause states no count of its own (`以网上申请方式提交的最多，
    有37件`), without the share it states (`网上申请占总数的60%，计45件`: 网上申请); else `seg_start`
    and the count's start."""
    text = ctx.text
    span = ctx.counts[index]
    unchanged = (seg_start, span.start)
    if seg_start != clause_start or clause_start == 0 or text[clause_start - 1] not in ",，":
        return unchanged
    if not _BARE_VERB.fullmatch(text, seg_start, span.start):
        return unchanged
    earlier = _clause_start(text, clause_start - 1)
    if _previous_count_end(ctx, index, earlier) != earlier:
        return unchanged
    share = _SHARE.search(text, earlier, clause_start - 1)
    return earlier, share.start() if share else span.start


BROKEN_NUMBER_AFTER = re.compile(r"[-‐－][ \t]*\n[ \t]*\d")
"""Right after a count's digits, a hyphen at the line's end and digits on the next line: a number a
converter broke over two lines (or a range): neither part is the count."""
REST_BEFORE = re.compile(r"(?:另外?|另有|还有|其余|剩余|余下)\s*$")
"""Right before a count, the rest of a list (`另1件…`, `其余2件…`): what it is follows the count."""
CHANNEL_RUN = re.compile(r"开设|开通|注册|创建|新建|建立|上线|编印|编发|出版|印发|创办")
"""A channel the issuer opened or publishes (`开设“龙泉发布”政务微信`, `编印《政府公报》12期`): the
clause is about that account or publication, not a medium used once."""


def _after_includes(text: str, hits: list[Hit], start: int, end: int) -> list[Hit]:
    """`网络申请含通过电子邮件提交的申请3件`: the count is the part named after 含, not the whole
    before it and the part together; categories before the last 含 between two categories go. A 含
    in brackets says what the whole includes (`同意公开（含部分公开）1,012件`): no cut."""
    categories = [h for h in hits if _category_rows(h)]
    cuts = [
        m.start()
        for m in INCLUDES.finditer(text, start, end)
        if any(h.end <= m.start() for h in categories)
        and any(h.start >= m.end() for h in categories)
        and _open_paren(text, start, m.start()) is None
    ]
    if not cuts:
        return hits
    return [h for h in hits if not (_category_rows(h) and h.end <= cuts[-1])]


def _category_rows(hit: Hit) -> list[LexiconRow]:
    return [r for r in hit.rows if r.kind == "field" and r.keywords]


def _channel_rows(hit: Hit) -> list[LexiconRow]:
    return [r for r in hit.rows if r.kind == "field" and r.field.startswith("proactive.channel.")]


def _opened_channel(ctx: _Context, index: int, clause_start: int) -> list[Hit]:
    """`开设“龙泉发布”政务微信，发布信息133条`, `编印《政府公报》12期，刊登文件186件`: the one channel a
    clause just before (same sentence) says the issuer opened or publishes (`CHANNEL_RUN`) is where
    the count's items went; else nothing."""
    if clause_start == 0 or ctx.text[clause_start - 1] not in ",，":
        return []
    before = _clause_start(ctx.text, clause_start - 1)
    channels = [h for h in find_hits(ctx.text, before, clause_start - 1, ctx.template) if _channel_rows(h)]
    opened = len(channels) == 1 and CHANNEL_RUN.search(ctx.text, before, clause_start - 1)
    return channels if opened else []


def link_count(ctx: _Context, index: int) -> tuple[_Link, str | None]:
    """What the count `ctx.counts[index]` counts, and why it has no field if it is excluded."""
    span = ctx.counts[index]
    text = ctx.text
    clause_start = _clause_start(text, span.start)
    seg_start = _previous_count_end(ctx, index, clause_start)
    seg_start, words_end = _words_before_bare_verb(ctx, index, clause_start, seg_start)
    paren = _open_paren(text, clause_start, span.start)
    item = _bracketed_item(text, span)
    if paren is not None and paren > seg_start and not item:
        seg_start = paren
    seg_start = _after_heading(text, seg_start, span.start)
    seg_end = span.start - 1 if item and text[span.start - 1] in "(（" else span.start
    seg_end = min(seg_end, words_end)
    pair = _pair_label(ctx, span, seg_start)
    if pair is not None:
        seg_start, seg_end = pair
    respective = _respective_slot(ctx, index) if pair is None else None
    if respective is not None:
        seg_start, seg_end = respective[:2]
    reason = _excluded(ctx, span, seg_start) if pair is None else None
    hits = find_hits(text, seg_start, seg_end, ctx.template)
    quantity = _quantity_of(text, span)
    unit = quantity.unit if quantity is not None else ""
    if not unit and pair is not None and (stated := _LABEL_UNIT.search(text, pair[0], pair[1])):
        unit = stated.group(1)  # `组织培训（次） | 3`: the label cell states the unit
    hits = _drop_summed_channels(text, hits, seg_start, seg_end, unit)
    seg = text[seg_start:seg_end]
    if respective is not None:
        kept = _respective_hits(text, hits, *respective[2:])
        before = (
            _clause_start(text, seg_start - 1) if seg_start > _sentence_start(text, seg_start) else seg_start
        )
        if kept is None and before < seg_start:
            # `分别通过网站、微信和微博发布，数量分别为1,207条、655条、318条`: the list is the clause before
            wider = _drop_summed_channels(
                text, find_hits(text, before, seg_end, ctx.template), before, seg_end, unit
            )
            if (kept := _respective_hits(text, wider, *respective[2:])) is not None:
                hits, seg_start = wider, before
                seg = text[seg_start:seg_end]
        if kept is None:
            reason, kept = reason or "per item", hits
        for h in hits:  # the other places' words do not exclude fields either (`复议…诉讼`)
            if h not in kept:
                seg = seg[: h.start - seg_start] + " " * (h.end - h.start) + seg[h.end - seg_start :]
        hits = kept
    if clause_start > 0 and text[_clause_start(text, clause_start - 1) : clause_start - 1].strip() == "其中":
        seg = "其中," + seg  # `其中,解读13篇`: the breakdown marker sits in a clause of its own
    hits = _after_includes(text, hits, seg_start, seg_end)
    if REST_BEFORE.search(seg) and not any(_category_rows(h) for h in hits):
        # `…同意公开10件，另1件不属于本机关公开范围`: the rest of a list, its category after it
        ahead = find_hits(text, span.end, _clause_end(text, span.end), ctx.template)
        hits = hits + [h for h in ahead if _category_rows(h)]
    own = [h for h in hits if h.families("metric")]
    # `推送招生政策解读等信息655条`: a thing named as an example (`…等`) is not what is counted
    own = sorted(own, key=lambda h: not text.startswith("等", h.end))
    metric_hit: Hit | None = own[-1] if own else None
    families: list[str] = []
    for h in reversed(own):
        families.extend(f for f in reversed(h.families("metric")) if f not in families)
    own_metric = bool(families)
    if not own_metric:
        nxt = ctx.counts[index + 1].start if index + 1 < len(ctx.counts) else len(text)
        clause_end = _clause_end(text, span.end)
        # `6场、微访谈活动2场`: what follows the separator is the next item's noun, not this count's
        sibling = LIST_SEPARATOR.search(text, span.end, nxt) if nxt <= clause_end else None
        stop = min(clause_end, nxt, sibling.start() if sibling else nxt)
        ahead = find_hits(text, span.end, stop, ctx.template)
        # `设立了1个专门的信息申请受理点`: the noun after the count is a place, not its metric
        forward = [h for h in ahead if h.families("metric") and not FACILITY_AFTER.match(text, h.end)]
        if forward:
            metric_hit = forward[0]
            families = list(dict.fromkeys(forward[0].families("metric")))
            own_metric = True
            # the counted noun's own category words (`2名专职工作人员`, `3名工作人员兼职`)
            hits = hits + [h for h in ahead if h.start <= metric_hit.end + 1]
    if not families:
        category_families = frozenset(
            r.family for h in hits for r in h.rows if r.kind == "field" and r.keywords
        )
        inherited = _inherited_family(ctx, seg_start, categories=category_families)
        if inherited is not None:
            families, metric_hit = inherited[0], inherited[1]
            has_category_span = any(
                s.label == "CATEGORY" and seg_start <= s.start and s.end <= seg_end for s in ctx.spans
            )
            bare = YEAR_SCOPE.sub("", YEAR_MENTION.sub("", text[seg_start:seg_end])).strip(" \u3000,，")
            near = span.start - metric_hit.end <= 120 and not re.search(
                r"[;；]", text[metric_hit.end : span.start]
            )
            # an item of a 、 list naming its own noun (`9场、警媒座谈会1场`) is not its subject's total;
            # nor is a count of an object named before it (`…公开政府信息36条,发布平潭要闻1063条`)
            sibling_item = bare.startswith("、") and len(bare) > 1
            own_noun = len(re.findall(r"[\u4e00-\u9fff]", COUNTING_VERB.sub("", bare))) >= 3
            # the parts listed, then their sum (`…舆情数,包括正面舆情和负面舆情共13次`): the subject's total
            # (not where the subject has its count already: `公开信息1000条,包括通知和公告共300条`)
            counted = index > 0 and ctx.counts[index - 1].start >= metric_hit.end
            listed_total = bool(LISTED_TOTAL.match(bare)) and not counted
            own_metric = (
                inherited[2]
                and near
                and (
                    listed_total
                    or (
                        not hits
                        and not has_category_span
                        and len(bare) <= 6
                        and not sibling_item
                        and not own_noun
                    )
                )
            )
    if own_metric and "proactive" in families and not any(_channel_rows(h) for h in hits):
        hits = hits + _opened_channel(ctx, index, clause_start)
    field_id = None
    for family in families:
        field_id = _choose_field(family, hits, seg, unit, ctx.template, own_metric, seg_start)
        if field_id is not None:
            break
    metric_spans = [
        s.text for s in ctx.spans if s.label == "METRIC" and seg_start <= s.start and s.end <= seg_end
    ]
    category_spans = [
        s.text for s in ctx.spans if s.label == "CATEGORY" and seg_start <= s.start and s.end <= seg_end
    ]
    if not metric_spans and metric_hit is not None:
        # a borrowed subject (`…工作人员65人,其中专职人员25人`): the METRIC span it was read from
        metric_spans = [
            s.text
            for s in ctx.spans
            if s.label == "METRIC" and s.start < metric_hit.end and metric_hit.start < s.end
        ]
        in_category = any(
            s.label == "CATEGORY" and s.start <= metric_hit.start and metric_hit.end <= s.end
            for s in ctx.spans
        )
        if not metric_spans and not in_category:
            metric_spans = [metric_hit.word]
    if not metric_spans:
        # a breakdown names its subject earlier in the sentence (`工作人员65人,其中专职人员25人`)
        sentence_start = _sentence_start(text, seg_start)
        metric_spans = [
            s.text
            for s in ctx.spans
            if s.label == "METRIC" and sentence_start <= s.start and s.end <= seg_start
        ]
    metric = metric_spans[-1] if metric_spans else ""
    categories = tuple(category_spans) or tuple(h.word for h in hits if not h.families("metric"))
    return _Link(field_id, metric, categories), reason


# ----------------------------------------------------------------------------- negations


@cache
def _negation_pattern() -> tuple[re.Pattern[str], list[tuple[re.Pattern[str], LexiconRow]]]:
    rows = [r for r in load_prose_lexicon() if r.kind == "negation"]
    return NEGATION, [(re.compile("|".join(r.keywords)), r) for r in rows]


def negation_records(ctx: _Context) -> list[Record]:
    """Zero records for explicit statements of none (`没有收到…行政复议申请`, `全年未收取费用`), and
    for zeros stated for a list at once (`行政复议和行政诉讼均为0件`)."""
    text = ctx.text
    marker_re, _ = _negation_pattern()
    out: list[Record] = []
    for marker in marker_re.finditer(text):
        if _inside(marker.start(), ctx.covered) or _inside(marker.start(), ctx.plans):
            continue
        clause_start = _clause_start(text, marker.start())
        clause_end = _clause_end(text, marker.end())
        clause = text[clause_start:clause_end]
        if (
            NEGATION_SKIP.search(clause)
            or PLAN_CLAUSE.search(clause)
            or re.search(r"\d", text[marker.end() : clause_end])
        ):
            continue
        for start, end, row in _negated(ctx, marker.end(), clause_end):
            out.append(_zero_record(text, row, (start, end), (marker.start(), end)))
        if out and out[-1].start == marker.start():
            continue
        # `四、…行政复议、…行政诉讼的情况 本年度无。`, `行政复议、行政诉讼：无`: named before it
        named, stated_end = _named_before_bare_none(ctx, marker.start(), marker.end())
        for start, end, row in named:
            out.append(_zero_record(text, row, (start, end), (marker.start(), stated_end)))
    for zero in ZERO_FOR_ALL.finditer(text):
        if _inside(zero.start(), ctx.covered) or _inside(zero.start(), ctx.plans):
            continue
        clause_start = _clause_start(text, zero.start())
        before = text[clause_start : zero.start()]
        if PLAN_CLAUSE.search(before) or re.search(COMPARISON, before) or OTHER_YEAR.search(before):
            continue
        negated, needed = _negated(ctx, clause_start, zero.start()), 2 if zero.group("all") else 1
        if not negated and BARE_NONE_BEFORE.fullmatch(before):  # `行政复议、行政诉讼，数量均为0`
            negated, needed = _named_in_clause_before(ctx, clause_start), 1
        if len(negated) >= needed:  # `均` over one thing in its own clause is just its count
            for start, end, row in negated:
                out.append(_zero_record(text, row, (start, end), zero.span()))
    return out


BARE_NONE_BEFORE = re.compile(
    rf"(?:(?:{YEAR_SCOPE.pattern})度?内?|报告期内|{YEAR_NUMBER}年度?)?[，,\s]*(?:(?:我|本)[\u4e00-\u9fff]{{1,5}}[，,\s]*)?"
    r"(?:的)?(?:数量|件数|案件数?)?(?:均|都|皆|暂|亦|也|同样|同)?\s*"
)
"""What may stand before a bare statement of none: the year, the issuer (`本年度，我局…`), 数量, 均."""
NAMED_TAIL = re.compile(r"(?:的)?(?:情况|方面|问题)?\s*")
"""What may follow the things a clause names before a bare none (`行政诉讼方面，同样为零`)."""
BARE_NONE_AFTER = re.compile(
    r"(?:发生|出现|收到|接到|产生)?(?:此类|该类|这类|相关|上述|类似|以上)?(?:情况|案件|事项|情形|现象)?(?:发生)?"
    r"\s*(?:[。；;]|\n|$)"
)
"""What may follow it: `未发生此类情况。`, `无。` — it names nothing of its own."""
NAMED_BEFORE_COLON = re.compile(r"(?:的)?(?:情况|方面|数量?|件数|案件)?\s*[:：]\s*$")
NAMED_IN_HEADING = re.compile(rf"\s*(?:{SECTION_NUMBER}|{PAREN_ORDINAL})[^\n。]{{2,60}}")


def _named_before_bare_none(ctx: _Context, start: int, end: int) -> tuple[list, int]:
    """The things a bare statement of none at text[start:end] is about, named before it: in front
    of a colon in its sentence (`行政复议、行政诉讼情况：本年度均未发生。`) or in the heading it is
    the whole body of (`四、因…申请行政复议、提起行政诉讼的情况` then `本年度无。`); with the end
    of the statement. ([], 0) where the statement names something or stands under no such heading."""
    text = ctx.text
    after = BARE_NONE_AFTER.match(text, end)
    if after is None:
        return [], 0
    sentence = _sentence_start(text, start)
    body = _after_heading(text, sentence, start)
    prefix = text[body:start]
    colon = max(prefix.rfind(":"), prefix.rfind("："))
    if colon >= 0 and BARE_NONE_BEFORE.fullmatch(prefix[colon + 1 :]):
        head = NAMED_BEFORE_COLON.search(text, body, body + colon + 1)
        named_end = head.start() if head else body + colon
        return _negated(ctx, _after_heading(text, sentence, named_end), named_end), after.start()
    clause = _clause_start(text, start)
    named = _named_in_clause_before(ctx, clause) if clause > body else []
    if named and BARE_NONE_BEFORE.fullmatch(text, clause, start):
        return named, after.start()
    if not BARE_NONE_BEFORE.fullmatch(prefix):
        return [], 0
    if body > sentence:  # the heading run into the body on one line
        heading = (sentence, body)
    else:
        line_start = text.rfind("\n", 0, max(0, sentence - 1)) + 1
        heading = (line_start, max(line_start, sentence - 1))
    if not NAMED_IN_HEADING.fullmatch(text, heading[0], heading[1]):
        return [], 0
    return _negated(ctx, heading[0], heading[1]), after.start()


def _named_in_clause_before(ctx: _Context, clause: int) -> list[tuple[int, int, LexiconRow]]:
    """The things the clause before `clause` (same sentence, no digit) names at its end, for a
    clause that only says none (`…行政复议、行政诉讼，2011年度数量均为0`, `行政诉讼方面，同样为零`)."""
    text = ctx.text
    if clause - 1 <= _sentence_start(text, clause):
        return []
    before = _clause_start(text, clause - 1)
    if re.search(r"\d", text[before : clause - 1]):
        return []
    named = _negated(ctx, before, clause - 1)
    if not named or not NAMED_TAIL.fullmatch(text, named[-1][1], clause - 1):
        return []
    return named


def _negated(ctx: _Context, start: int, end: int) -> list[tuple[int, int, LexiconRow]]:
    """The negation-lexicon things named last in text[start:end], with those listed before them
    (`投诉、行政复议申请和行政诉讼`), as (start, end, row) in text order."""
    text = ctx.text
    _, keyword_res = _negation_pattern()
    found: list[tuple[int, int, LexiconRow]] = []
    for pattern, row in keyword_res:
        for m in pattern.finditer(text, start, end):
            found.append((m.start(), m.end(), row))
    # longest first, no overlaps
    found.sort(key=lambda t: (-(t[1] - t[0]), t[0]))
    chosen: list[tuple[int, int, LexiconRow]] = []
    for item in found:
        if all(item[1] <= c[0] or item[0] >= c[1] for c in chosen):
            chosen.append(item)
    # other lexicon words mask shorter negation words inside them (行政复议申请 is not 公开申请)
    masks = [(h.start, h.end) for h in find_hits(text, start, end, ctx.template)]
    chosen = [
        c for c in chosen if not any(a <= c[0] and c[1] <= b and (b - a) > (c[1] - c[0]) for a, b in masks)
    ]
    if not chosen:
        return []
    chosen.sort()
    heads = [chosen[-1]]
    for item in reversed(chosen[:-1]):
        gap = text[item[1] : heads[-1][0]]
        if not gap and item[2].field == heads[-1][2].field:  # `举报投诉`: two words, one thing
            heads[-1] = (item[0], heads[-1][1], heads[-1][2])
            continue
        if not ENUMERATOR_GAP.match(gap):
            break
        heads.append(item)
    return list(reversed(heads))


def _zero_record(text: str, row: LexiconRow, named: tuple[int, int], stated: tuple[int, int]) -> Record:
    """A zero for `row`'s field named at text[named], stated at text[stated] (the record's span)."""
    return Record(
        metric=text[named[0] : named[1]],
        categories=(),
        value=0,
        unit="",
        approx=False,
        field=row.field,
        start=stated[0],
        end=stated[1],
        text=text[stated[0] : stated[1]],
        score=1.0,
    )


EACH_BEFORE = re.compile(rf"(?:各|均|都|同)(?:{COUNTING_VERB.pattern}|是|信息)*\s*$")
"""Words right before a count said of each thing listed before it (`行政复议、行政诉讼各1件`)."""


def each_of_list(text: str, records: list[Record], template: str | None) -> list[Record]:
    """A count said of each thing listed before it is each one's, not their sum: a combined
    category's count (`当面申请、网上申请各6件`) goes to each part, and a count whose list names
    things of the negation lexicon (family totals such as 行政复议, 行政诉讼, 投诉) gets one more
    record per further thing (`行政复议、行政诉讼各1件`: review 1 and litigation 1), where the count's
    own field is one of theirs. A list of units (`各乡镇各1名`) is not read this way."""
    ctx = _Context(text, (), (), template, None, (), ())
    out = []
    taken = {(r.start, r.end, r.field) for r in records}
    for record in records:
        marker = EACH_BEFORE.search(text, max(0, record.start - 8), record.start)
        if not record.field or record.excluded or is_negation_record(record) or marker is None:
            out.append(record)
            continue
        if "+" in record.field:  # `当面申请、网上申请各6件`: 6 of each channel, not 6 of both
            out.extend(replace(record, field=part) for part in combined_parts(record.field))
            continue
        out.append(record)
        listed = _negated(ctx, _clause_start(text, marker.start()), marker.start())
        fields = list(dict.fromkeys(row.field for _, _, row in listed))
        if len(fields) < 2 or record.field not in fields:
            continue
        for start, end, row in listed:
            if (record.start, record.end, row.field) not in taken:
                taken.add((record.start, record.end, row.field))
                out.append(replace(record, field=row.field, metric=text[start:end], categories=()))
    return sorted(out, key=lambda r: (r.start, r.end))


# ----------------------------------------------------------------------------- entry point


_TRAILING_UNIT = re.compile(rf"\s*(?:余|多)?\s*(?:万|亿)?\s*(?:余|多)?(?:{unit_pattern()})")


def _quantity_of(text: str, span: Span) -> Quantity | None:
    """The span's quantity; a unit printed right after a span that stops short of it is read too."""
    quantity = parse_quantity(span.text, cell=True)
    if quantity is not None and not quantity.unit and re.search(rf"[\d{CN_NUMERAL_CHARS}余多]$", span.text):
        tail = _TRAILING_UNIT.match(text, span.end)
        if tail:
            quantity = parse_quantity(span.text + tail.group(0), cell=True) or quantity
    return quantity


def prose_records(
    text: str,
    spans: list[Span],
    *,
    template: str | None,
    year: int | None,
    covered: Iterable[tuple[int, int]] = (),
    lexicon: bool = True,
    scope: tuple[int, str] | None = None,
) -> list[Record]:
    """One record per COUNT span outside `covered` (field None where unmapped), plus negation zeros.

    With `lexicon=False` no record gets a field and statements of none are not read (the learned
    linker, `inference.assemble.relink`, then links alone). Records are in document order; fields
    are not chosen here (see `prose_fields`).
    """
    covered = tuple(covered)
    spans = sorted(spans, key=lambda s: (s.start, s.end))
    counts = tuple(s for s in spans if s.label == "COUNT" and not _inside(s.start, covered))
    reading = unwrap_lines(text)
    mentioned = Counter(int(m.group(1)) for m in YEAR_MENTION.finditer(text))
    top = mentioned.most_common(1)
    dominant = top[0][0] if top and top[0][1] >= 3 and top[0][1] > mentioned.get(year or 0, 0) else None
    ctx = _Context(
        reading, tuple(spans), counts, template, year, covered, tuple(_plan_ranges(reading)), dominant, scope
    )
    records: list[Record] = []
    for index, span in enumerate(counts):
        quantity = _quantity_of(text, span)
        if quantity is None or (not quantity.unit and NOT_A_COUNT_AFTER.match(text, span.end)):
            logger.debug("COUNT span %r at %d is not a quantity", span.text, span.start)
            continue
        if DURATION_AFTER.match(_own_unit(span) + text[span.end : span.end + 8]):
            logger.debug("COUNT span %r at %d is a time limit", span.text, span.start)
            continue
        if RANGE_AFTER.match(text, span.end) or RANGE_BEFORE.search(text, max(0, span.start - 8), span.start):
            logger.debug("COUNT span %r at %d is an end of a range", span.text, span.start)
            continue
        if _in_latin_token(text, span):
            logger.debug("COUNT span %r at %d is part of a code (H5, 5G)", span.text, span.start)
            continue
        link, reason = link_count(ctx, index)
        if reason is None and not quantity.unit and len(re.sub(r"\D", "", span.text)) >= 8:
            reason = "digit run"  # a collapsed table row (`21710000218`) is the tables' to split
        if reason is None and _in_category_table(text, span.start):
            reason = "items by kind"  # `公开类别 | 公开条数` / `机构职能 | 12`: not offices
        field_id = link.field if reason is None and lexicon else None
        if reason is not None and link.field is not None:
            logger.debug("%r at %d: %s, not %s", span.text, span.start, reason, link.field)
        records.append(
            Record(
                metric=link.metric,
                categories=link.categories,
                value=quantity.value,
                unit=quantity.unit,
                approx=quantity.approx,
                field=field_id,
                start=span.start,
                end=span.end,
                text=span.text,
                score=span.score,
                excluded=reason,
            )
        )
    if lexicon:
        records.extend(replace(r, text=text[r.start : r.end]) for r in negation_records(ctx))
    records.sort(key=lambda r: (r.start, r.end))
    return sentence_rules(text, records, template)


def _own_unit(span: Span) -> str:
    """The unit printed inside the span itself (`15个` → 个, `7` → ""), before the text after it."""
    quantity = parse_quantity(span.text)
    return quantity.unit if quantity is not None else ""


def _in_latin_token(text: str, span: Span) -> bool:
    """Whether the span's number is glued to Latin letters: part of a name or code (`H5`, `5G`), or,
    without a unit, next to a Latin word (`Normal 0 7.8 磅 0 2 false`: a word processor's style text)."""
    digits = re.match(r"[\d.]+", span.text)
    after = span.start + digits.end() if digits else span.end
    before_letter = span.start > 0 and text[span.start - 1].isascii() and text[span.start - 1].isalpha()
    after_letter = after < len(text) and text[after].isascii() and text[after].isalpha()
    bare = not _own_unit(span)
    after_word = bare and re.search(r"[A-Za-z]{2,} $", text[max(0, span.start - 12) : span.start])
    before_word = bare and re.match(r"(?: [\d.]+)* [A-Za-z]{2,}", text[span.end : span.end + 16])
    return before_letter or after_letter or bool(after_word) or bool(before_word)


@cache
def _family_totals() -> dict[str, str]:
    """The fields a count gets from its metric alone (`proactive.total`, `review.total` …), with
    their lexicon family."""
    return {r.field: r.family for r in load_prose_lexicon() if r.kind == "field" and not r.keywords}


@cache
def _family_words() -> dict[str, tuple[str, ...]]:
    """Lexicon family → the words that name what it counts (its metric and negation rows)."""
    out: dict[str, list[str]] = {}
    for row in load_prose_lexicon():
        if row.kind in ("metric", "negation"):
            out.setdefault(row.family, []).extend(row.keywords)
    return {family: tuple(words) for family, words in out.items()}


def names_its_family(field_id: str, text: str) -> bool:
    """Whether `text` names what `field_id` counts (a word of its lexicon family); True for a field
    of no family, which the lexicons cannot judge."""
    family = _family_of(field_id.split("+")[0])
    if family is None:
        return True
    return any(re.search(word, text) for word in _family_words().get(family, ()))


def _family_of(field_id: str) -> str | None:
    """The lexicon family of a field: its own as a total, else the one it is a part of (if one)."""
    if field_id in _family_totals():
        return _family_totals()[field_id]
    families = _part_families().get(field_id, frozenset())
    return next(iter(families)) if len(families) == 1 else None


@cache
def _part_families() -> dict[str, frozenset[str]]:
    """The lexicon families in which a field is a part named by category words
    (`proactive.channel.website` in `proactive`)."""
    out: dict[str, set[str]] = {}
    for r in load_prose_lexicon():
        if r.kind == "field" and r.keywords:
            out.setdefault(r.field, set()).add(r.family)
    return {field: frozenset(families) for field, families in out.items()}


def sentence_rules(text: str, records: list[Record], template: str | None = None) -> list[Record]:
    """What a count's sentence says about its field, applied to the lexicons' readings and again to
    the learned linker's (`assemble.relink`): `parallel_totals`, `lone_residuals`, `other_matters`,
    `own_part` …; `template` (the report's generation) chooses the parts a reason names."""
    # whose figure comes first: a wider body's figure is no rival of the issuer's (`parallel_totals`)
    records = other_matters(text, lone_residuals(text, parallel_totals(text, own_part(text, records))))
    records = new_and_carried(text, own_level_beside_whole(text, total_after_parts(text, records)))
    records = disclosure_within_all(text, outcome_of_all(text, reason_in_brackets(text, records, template)))
    return attendees(text, records)


_ATTENDING_AFTER = re.compile(r"[^,，。;；]{0,12}?(?:参加|参训|参与|参会|出席|听课)")
"""A count of people whose clause goes on to say they attended (`38名机关工作人员参加`)."""


def attendees(text: str, records: list[Record]) -> list[Record]:
    """People counted as attending (`举办业务培训1次，38名机关工作人员参加`) are no staff figure: they
    are the training's participants where their sentence names a training, else no field."""
    out = []
    for record in records:
        if (record.field or "").startswith("staff.") and _ATTENDING_AFTER.match(text, record.end):
            before = text[_sentence_start(text, record.start) : record.start]
            trained = "training.participants" if names_its_family("training.participants", before) else None
            record = replace(record, field=trained)
        out.append(record)
    return out


_DISCLOSURE_ITSELF = re.compile(r"主动公开")
"""The words that name proactive disclosure itself, not any item published (`发布各类信息`)."""


def disclosure_within_all(text: str, records: list[Record]) -> list[Record]:
    """`全年共发布各类信息815条，其中主动公开政府信息203条`: a breakdown that names proactive
    disclosure itself, after the sentence's one count of everything published (its clause names
    no 主动公开), is the year's proactive total; the whole of everything published is not (a
    channel's count, `在门户网站…815条`, stays the channel's)."""
    out = list(records)
    for index, record in enumerate(records):
        if record.field is not None or record.excluded is not None:
            continue
        sentence = _sentence_start(text, record.start)
        breakdown = text.rfind("其中", sentence, record.start)
        words = text[breakdown : record.start]
        if breakdown < 0 or not _DISCLOSURE_ITSELF.search(words) or re.search(r"\d", words):
            continue
        wholes = [
            i
            for i, r in enumerate(records)
            if (r.field or "proactive.").startswith("proactive.") and sentence <= r.start < breakdown
        ]
        if len(wholes) != 1:
            continue
        whole = records[wholes[0]]
        whole_words = text[_clause_start(text, whole.start) : whole.start]
        if whole.excluded is not None or _DISCLOSURE_ITSELF.search(whole_words):
            continue  # `主动公开信息876条，其中主动公开…`: the whole is the disclosure's
        if whole.field is None and not names_its_family("proactive.total", whole_words):
            continue  # the whole is not something published (`收到申请12件，其中主动公开…`)
        out[index] = replace(record, field="proactive.total")
        if whole.field == "proactive.total":
            out[wholes[0]] = replace(whole, field=None)
    return out


_ALL_OF_THEM = re.compile(r"均|全部|都|皆|全")
_OUTCOME_STOP = re.compile(r"[。;；\n]")
_WITHDRAWN = re.compile(r"撤[销回]了?(?:复议|诉讼|申请|起诉|案件)|撤诉")
"""The case itself withdrawn (`当事人均已撤销复议`): no outcome of the body that heard it."""


def outcome_of_all(text: str, records: list[Record]) -> list[Record]:
    """`行政复议4件，均维持原答复`, `行政诉讼1件，法院判决驳回原告诉讼请求`: a case total followed, in its
    sentence and before any other figure or another family's word (`复议…，诉讼…`), by one outcome
    (a lexicon part of its family: 维持, 纠正 …) that all of them had (`均`, or a single case)
    counts that outcome too: a second record."""
    out = list(records)
    starts = sorted(r.start for r in records)
    for record in records:
        family = record.field.split(".")[0] if record.field else ""
        if record.field != f"{family}.total" or family not in ("review", "litigation"):
            continue
        outcome = _one_outcome(text, record, family, starts)
        if outcome is not None:
            field_id, words = outcome
            out.append(replace(record, field=field_id, categories=(*record.categories, words)))
    return out


def _one_outcome(text: str, record: Record, family: str, starts: list[int]) -> tuple[str, str] | None:
    """The outcome field all cases of `record` had, and its words; None where the text does not say."""
    stop = _OUTCOME_STOP.search(text, record.end)
    end = stop.start() if stop else len(text)
    later = bisect.bisect_right(starts, record.start)
    next_count = starts[later] if later < len(starts) else len(text)
    hits = find_hits(text, record.end, min(end, next_count), None)
    other = [h.start for h in hits if h.families("metric") and family not in h.families("metric")]
    if next_count < min([end, *other]):
        return None  # `（均已审结，维持2件、撤销1件）`: the outcome words label the next count
    end = min([end, *other])
    window = text[record.end : end]
    if re.search(rf"[\d{CN_DIGITS}]", window) or _WITHDRAWN.search(window):
        return None
    parts = [
        (hit.start, row.field)
        for hit in hits
        if hit.start < end
        for row in hit.rows
        if row.kind == "field" and row.field.startswith(f"{family}.") and row.field != record.field
    ]
    fields = {f for _, f in parts}
    if len(fields) != 1 or any(f.endswith(".other") for f in fields):
        return None
    first = min(start for start, _ in parts)
    if record.value != 1 and not _ALL_OF_THEM.search(text, record.end, first):
        return None
    return fields.pop(), text[first:end]


_REASON_BRACKET = re.compile(
    r"[ \u3000]*(?:[(（]([^()（）\d\n]{2,30})[)）]"
    rf"|[,，]?\s*(?:政府信息|信息)?(?:{_ALL_OF_THEM.pattern})已?(?:属于?|为|系|是|因|通过|以|在|经|采用|由)?"
    r"([^,，。;；\d\n]{2,30}))"
)
"""A reason right after a count: in brackets (`1件（属于国家秘密）`) or said of all
(`2件，均属涉及商业秘密`, `申请6件，均通过网络提交`, `工作人员4人均为兼职`)."""


def reason_in_brackets(text: str, records: list[Record], template: str | None = None) -> list[Record]:
    """`不予公开1件（属于国家秘密）`, `不予公开2件，均属涉及商业秘密`: a count whose reason (in brackets,
    or said of all) names one part of its field, and no figure
    (`applications.answered.refused_state_secret` of `…refused`: a lexicon field whose id extends
    the count's), counts that part too: a second record of the same words is added. A family's
    total whose bracket says all of it are one part (`工作人员3名（均为兼职）`) counts that part of
    the family (`staff.part_time`)."""
    out = list(records)
    for record in records:
        if record.field is None or is_negation_record(record):
            continue
        bracket = _REASON_BRACKET.match(text, record.end)
        if bracket is None:
            continue
        reason = 1 if bracket.group(1) is not None else 2
        said_of_all = reason == 2 or _ALL_OF_THEM.match(bracket.group(1)) is not None
        family = record.field.split(".")[0] + "." if record.field.endswith(".total") and said_of_all else None
        parts = {
            row.field
            for hit in find_hits(text, bracket.start(reason), bracket.end(reason), template)
            for row in hit.rows
            if row.kind == "field"
            and row.field != record.field
            and (row.field.startswith(record.field + "_") or (family and row.field.startswith(family)))
            # `申请12件，均已答复`, `均按时办结`: a kind of the count, not another total or how fast
            and not row.field.endswith((".total", ".on_time"))
        }
        if len(parts) == 1:
            out.append(
                replace(record, field=parts.pop(), categories=(*record.categories, bracket.group(reason)))
            )
    return out


_CLOSING_TOTAL = re.compile(r"(?:共计|合计|总计)\s*$")


def total_after_parts(text: str, records: list[Record]) -> list[Record]:
    """Parts before the total that closes them: in `收取邮寄费24元,复印费36元,合计60元` the counts
    before `合计` (of the same field, other values, not themselves totals) lose the field."""
    out = list(records)
    for i, total in enumerate(out):
        if total.field is None or is_negation_record(total):
            continue
        if not _CLOSING_TOTAL.search(text, _clause_start(text, total.start), total.start):
            continue
        for j in range(i):
            part = out[j]
            if (
                part.field == total.field
                and part.value != total.value
                and not is_negation_record(part)
                and not SENTENCE_BREAK.search(text, part.end, total.start)
                and not TOTAL_MARKER.search(text, _clause_start(text, part.start), part.start)
            ):
                out[j] = replace(part, field=None)
    return out


def own_level_beside_whole(text: str, records: list[Record]) -> list[Record]:
    """A government's own level (`县本级…1,250条`) beside the whole division's figure of the same
    field in its paragraph (`全县合计…5,630条`) is a part: it loses the field (a county government's
    report states the county's figures)."""
    out = list(records)
    for i, part in enumerate(out):
        if part.field is None or is_negation_record(part):
            continue
        if not _named_last(_scope_before(text, part.start), GOVERNMENT_OWN_LEVEL, (WIDER_SCOPE,)):
            continue
        for whole in out:
            if whole is part or whole.field != part.field or is_negation_record(whole):
                continue
            between = text[min(part.end, whole.end) : max(part.start, whole.start)]
            scope = _scope_before(text, whole.start)
            if not PARAGRAPH_BREAK.search(between) and _named_last(
                scope, WIDER_SCOPE, (GOVERNMENT_OWN_LEVEL,)
            ):
                out[i] = replace(part, field=None, excluded="own level")
                break
    return out


_NEW_PART = re.compile(r"新收|新增|本年度?(?:共|新)?(?:收到|受理)")


def new_and_carried(text: str, records: list[Record]) -> list[Record]:
    """A total of applications broken down into new and carried-over ones is not the new ones.

    `共收到政府信息公开申请45件,其中本年新收42件,上年结转3件`: 45 counts both, so it loses
    `applications.new.total` and the part named 新收 takes it (the 2021 template's 本年新收 +
    上年结转).
    """
    out = list(records)
    for i, whole in enumerate(out):
        if whole.field != "applications.new.total" or is_negation_record(whole):
            continue
        if CARRIED_INCLUDED_AFTER.match(text, whole.end):  # `处理申请25件（含上年结转3件）`
            out[i] = replace(whole, field=None, excluded="new and carried over")
            continue
        clause = text[_clause_start(text, whole.start) : whole.start]
        person, organisation = APPLICANT_PERSON.search(clause), APPLICANT_ORGANISATION.search(clause)
        if (person or organisation) and not (person and organisation):
            out[i] = replace(whole, field=None, excluded="one kind of applicant")  # `公民申请34件`
            continue
        found = SENTENCE_BREAK.search(text, whole.end)
        end = found.start() if found else len(text)
        parts = [
            j
            for j in range(i + 1, len(out))
            if out[j].start < end
            and out[j].unit == whole.unit
            and BREAKDOWN.search(text, whole.end, out[j].start)
        ]
        if not any(out[j].field == "applications.carried_over.total" for j in parts):
            continue
        new = [
            j
            for j in parts
            if out[j].field is None
            and _NEW_PART.search(text, _clause_start(text, out[j].start), out[j].start)
        ]
        out[i] = replace(whole, field=None, excluded="new and carried over")
        if len(new) == 1:
            out[new[0]] = replace(out[new[0]], field=whole.field)
    return out


def own_part(text: str, records: list[Record]) -> list[Record]:
    """A department's own figure beside another body's: the own one takes the field.

    In `全县共受理申请200件,其中本局受理18件` (a county bureau's report) 200 is the county's figure and
    18 the bureau's. A count scoped (`_scope_before`) to a whole division (`WIDER_SCOPE`: 全县, 全市 …)
    or a government (`GOVERNMENT_BODY`: 省政府办公厅 …), beside a count of the same unit scoped to the
    department itself (`OWN_BODY`: 本局, 我委, 局机关 …) — in its sentence, or of the same field in its
    paragraph (`全县…213件。本局全年收到申请6件`) — loses its field (`another body's`), and the
    department's takes it. A government's `其中县本级…` is a part of its own whole: no rule.
    """
    out = list(records)
    for i, whole in enumerate(out):
        if whole.field is None or is_negation_record(whole):
            continue
        scope = _scope_before(text, whole.start)
        governments = [m for m in GOVERNMENT_BODY.finditer(scope) if not _posted_on(scope, m)]
        if OWN_BODY.search(scope) or not (WIDER_SCOPE.search(scope) or governments):
            continue
        for j, own in enumerate(out):
            none = is_negation_record(own)  # `本办公室未发生…行政复议。全县共发生…行政复议5件`
            if j == i or own.excluded is not None or (own.unit != whole.unit and not none):
                continue
            between = text[min(own.end, whole.end) : max(own.start, whole.start)]
            same_sentence = not SENTENCE_BREAK.search(between)
            if not (own.field == whole.field or (same_sentence and own.field is None and not none)):
                continue
            own_scope = _subject_scope(text, own.start)
            if PARAGRAPH_BREAK.search(between) or not (
                _names_itself_last(own_scope) or _narrower_division_last(own_scope, scope)
            ):
                continue
            out[j] = replace(own, field=whole.field)
            out[i] = replace(whole, field=None, excluded="another body's")
            break
    return out


def _names_itself_last(scope: str) -> bool:
    """Whether the last subject `scope` names is the department itself (`OWN_BODY`), not a division
    or a government (`全省…680件,厅机关新收…47件`: 厅机关 comes last before 47)."""
    return _named_last(scope, OWN_BODY, (WIDER_SCOPE, GOVERNMENT_BODY))


def _narrower_division_last(own_scope: str, whole_scope: str) -> bool:
    """Whether `own_scope` last names the issuer's division (`我市`) below the whole division the
    other count is scoped to (`全省`): a city's figure beside its province's."""
    wider = list(WIDER_SCOPE.finditer(whole_scope))
    if not wider or not _named_last(own_scope, OWN_DIVISION, (WIDER_SCOPE, GOVERNMENT_BODY)):
        return False
    own = list(OWN_DIVISION.finditer(own_scope))[-1].group(1)
    return SCOPE_RANKS[own] > SCOPE_RANKS[wider[-1].group(1)]


def _named_last(scope: str, subject: re.Pattern[str], others: tuple[re.Pattern[str], ...]) -> bool:
    """Whether `subject` is named in `scope` after every one of `others`."""
    own = [m.end() for m in subject.finditer(scope)]
    other = [m.end() for pattern in others for m in pattern.finditer(scope)]
    return bool(own) and max(own) > max(other, default=-1)


def _scope_before(text: str, pos: int) -> str:
    """What scopes the count at `pos`: its sentence before it, from its last 其中 or semicolon on (the
    subject of `全市…举办培训14期,培训1,360人次` carries to the second count; `其中本局…` starts anew)."""
    sentence = text[_sentence_start(text, pos) : pos]
    cut = max(sentence.rfind("其中"), sentence.rfind("；") + 1, sentence.rfind(";") + 1)
    return sentence[cut:] if cut >= 0 else sentence


_VIA_BEFORE = re.compile(r"(?:通过|在|经|经由|依托|利用|借助|于)\s*$")


def _posted_on(scope: str, government: re.Match[str]) -> bool:
    """A government named as the channel the department posts on (`通过县政府网站公开22条`), not as
    the subject of another body's figure (`河南省政府门户网站全年发布…3.2万条`)."""
    channels, _ = _channel_words()
    carrier = any(scope.startswith(w, government.end()) for words in channels.values() for w in words)
    return carrier and _VIA_BEFORE.search(scope, 0, government.start()) is not None


def _subject_scope(text: str, pos: int) -> str:
    """`_scope_before`, or the whole sentence before `pos` where that names no subject: in
    `我局全年主动公开…876条，其中通过局门户网站公开812条` the part after 其中 is 我局's."""
    scope = _scope_before(text, pos)
    if any(p.search(scope) for p in (OWN_BODY, WIDER_SCOPE, GOVERNMENT_BODY, OWN_DIVISION)):
        return scope
    return text[_sentence_start(text, pos) : pos]


def parallel_totals(text: str, records: list[Record]) -> list[Record]:
    """A total read among its own parts loses its field: in `网站公开信息3698条,微博微信公开信息
    2148条,新闻媒体公开信息12条` the last count names a part the lexicons do not know, not the
    total; so does `其他…信息1053条` after `共公布政府信息2602条(其中…`. A count whose clause marks a
    total (共/合计/累计) keeps it. So does not a count next to another one of its sentence read as the
    same total with another value (`现场咨询500人次,电话咨询400人次`: two parts). Statements of none
    are left alone."""
    out = list(records)

    def between(a: Record, b: Record) -> str:
        return text[min(a.end, b.end) : max(a.start, b.start)]

    for i, record in enumerate(out):
        family = _family_totals().get(record.field or "")
        if (
            family is None
            or is_negation_record(record)
            or TOTAL_MARKER.search(text, _list_item_start(text, record.start), record.start)
        ):
            continue
        same_sentence = [
            p
            for p in out[:i]
            if not is_negation_record(p) and not SENTENCE_BREAK.search(text, p.end, record.start)
        ]
        parts_before = any(family in _part_families().get(p.field or "", ()) for p in same_sentence)
        # `现场咨询500人次,电话咨询400人次`: two figures of one total, side by side, are parts of it
        rival = any(
            p.field == record.field
            and p.value != record.value
            and not is_negation_record(p)
            and not TOTAL_MARKER.search(text, _clause_start(text, p.start), p.start)
            and not re.search(f"{SENTENCE_BREAK.pattern}|{BREAKDOWN.pattern}", between(p, record))
            for p in records[max(0, i - 1) : i + 2]  # the counts next to it
            if p is not record
        )
        in_breakdown = any(  # after 其中 following a count of the same kind (its total, read or not)
            (_family_of(p.field) == family if p.field else p.unit == record.unit)
            and BREAKDOWN.search(text, p.end, record.start)
            and p.excluded is None  # a running total's part of one year is that year's total
            for p in same_sentence
        )
        if parts_before or in_breakdown or rival or _part_after_colon(text, record):
            out[i] = replace(record, field=None)
    return out


def _list_item_start(text: str, pos: int) -> int:
    """Where the words of the count at `pos` begin: its clause, after a colon that opens a list."""
    start = _clause_start(text, pos)
    return max(start, text.rfind("：", start, pos) + 1, text.rfind(":", start, pos) + 1)


def _part_after_colon(text: str, record: Record) -> bool:
    """`全年共接受信息公开咨询：现场咨询152人次，电话咨询96人次`: the clause opened a total and a colon,
    then lists its parts; the first part is no total."""
    start, item = _clause_start(text, record.start), _list_item_start(text, record.start)
    return (
        item > start
        and TOTAL_MARKER.search(text, start, item) is not None
        and not re.search(r"\d", text[start:item])
        and re.search(r"[\u4e00-\u9fff]{2}", text[item : record.start]) is not None  # the part's name
    )


@cache
def _residual_fields() -> frozenset[str]:
    """Fields named by a bare 其他 (`applications.answered.other`, `review.other`): the rest of a
    breakdown, so only read beside another part of it."""
    return frozenset(r.field for r in load_prose_lexicon() if r.kind == "field" and r.keywords == ("其他",))


def lone_residuals(text: str, records: list[Record]) -> list[Record]:
    """A 其他 count without another part of its breakdown in its sentence loses its field: in
    `受理申请40件,其中涉及拆迁的25件,其他15件` the 其他 is the rest of a split by topic the catalogue
    does not have, not the answers' 其他 (`同意公开30件,…,其他2件`)."""
    out = list(records)
    for i, record in enumerate(out):
        if record.field not in _residual_fields():
            continue
        prefix = record.field.rsplit(".", 1)[0] + "."
        siblings = [
            r
            for r in out
            if r is not record
            and (r.field or "").startswith(prefix)
            and not SENTENCE_BREAK.search(text, min(r.end, record.end), max(r.start, record.start))
        ]
        if not siblings:
            out[i] = replace(record, field=None)
    return out


_APPEAL_FAMILIES = ("review.", "litigation.")


def other_matters(text: str, records: list[Record]) -> list[Record]:
    """Reviews and lawsuits that are not about disclosure lose their fields.

    A sentence on the body's own review or court work with no word of disclosure (`全年办理行政复议
    案件86件`) counts cases of any matter. In `行政复议案件共7件,其中涉及政府信息公开的2件` the
    disclosure cases are the part: it takes the field, the count of all cases loses it.
    """
    out = list(records)
    for i, record in enumerate(out):
        if not (record.field or "").startswith(_APPEAL_FAMILIES) or is_negation_record(record):
            continue
        found = SENTENCE_BREAK.search(text, record.end)
        end = found.start() if found else len(text)
        sentence = text[_sentence_start(text, record.start) : end]
        if REVIEWER_WORK.search(sentence) and not DISCLOSURE_CUE.search(sentence):
            out[i] = replace(record, field=None, excluded="other matters")
            continue
        part = _disclosure_part(text, out, i, end)
        if part is not None:
            out[part] = replace(out[part], field=record.field)
            out[i] = replace(record, field=None, excluded="other matters")
    return out


def _disclosure_part(text: str, records: list[Record], total: int, end: int) -> int | None:
    """Index of the count after `其中…信息公开` that breaks `records[total]` down to its disclosure
    cases (in its sentence, which ends at `end`), or None."""
    whole = records[total]
    if DISCLOSURE_CUE.search(text, _sentence_start(text, whole.start), whole.start):
        return None  # the whole is about disclosure already
    for index in range(total + 1, len(records)):
        record = records[index]
        if record.start >= end or record.unit != whole.unit:
            return None
        marker = BREAKDOWN.search(text, whole.end, record.start)
        if marker and DISCLOSURE_CUE.search(text, marker.end(), record.start):
            return index if record.excluded is None and not is_negation_record(record) else None
    return None


def is_negation_record(record: Record) -> bool:
    """A zero derived from a statement of none (its text is the negation or `均为0`, not a number)."""
    return (
        record.value == 0 and (NEGATION.match(record.text) or ZERO_FOR_ALL.fullmatch(record.text)) is not None
    )


SECTION_HEADING = re.compile(rf"(?:^|(?<=[\s。|])){SECTION_NUMBER}([^\n。|]{{0,40}}?)(?=\s|$)", re.M)


@lru_cache(maxsize=4)
def section_titles(text: str) -> list[tuple[int, str]]:
    """Top-level section headings (`二、主动公开政府信息情况`) with their offsets, in order."""
    return [(m.start(), m.group(1)) for m in SECTION_HEADING.finditer(text)]


def _section_metrics(text: str, pos: int, template: str | None) -> list[Hit]:
    """The metric words of the title of the top-level section `pos` is in."""
    titles = [start for start, _ in section_titles(text) if start < pos]
    if not titles:
        return []
    end = _clause_end(text, titles[-1])
    return [h for h in find_hits(text, titles[-1], min(end, pos), template) if h.families("metric")]


@cache
def _field_sections() -> dict[str, tuple[str, ...]]:
    """Field id → words of its own section title (from the lexicon's `section` rows)."""
    by_family = {r.family: r.keywords for r in load_prose_lexicon() if r.kind == "section"}
    out: dict[str, tuple[str, ...]] = {}
    for row in load_prose_lexicon():
        if row.kind in ("field", "negation") and row.family in by_family:
            out[row.field] = by_family[row.family]
    return out


def _in_own_section(record: Record, sections: list[tuple[int, str]]) -> bool:
    field_id = (record.field or "").split("+")[0]
    words = _field_sections().get(field_id) or _field_sections().get(record.field or "")
    if not words:
        return False
    title = ""
    for start, heading in sections:
        if start > record.start:
            break
        title = heading
    return any(w in title for w in words)


def prose_fields(records: Iterable[Record], text: str | None = None) -> dict[str, Number]:
    """Field values from prose records, one statement per field.

    Reports restate figures (概述, then the section itself). A statement in the field's own section
    (`二、主动公开政府信息情况` for `proactive.total`) wins over the others, then one the lexicons read
    over one only the learned linker read (`Record.linked_by`), then an exact figure over a rounded
    one (`100多条` vs `102条`), then the first in the text. Negation zeros fill gaps, and win over
    counts only the linker read: an explicit statement of none is not overruled by a guess
    (`未收到…申诉举报` against `信访投诉事项2905件`).
    """
    sections = section_titles(text) if text is not None else []
    stated: dict[str, list[tuple[tuple[int, int, int], Number]]] = {}
    negated: dict[str, Number] = {}
    for record in records:
        if record.field is None:
            continue
        if is_negation_record(record):
            negated.setdefault(record.field, record.value)
            continue
        own = 0 if _in_own_section(record, sections) else 1
        key = (own, int(record.linked_by is not None), int(record.approx), record.start)
        stated.setdefault(record.field, []).append((key, record.value))
    out = {field_id: min(options, key=lambda o: o[0])[1] for field_id, options in stated.items()}
    for field_id, value in negated.items():
        if all(key[1] == 1 for key, _ in stated.get(field_id, [])):
            out[field_id] = value
    return out
