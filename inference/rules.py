"""A rule-based tagger on spaCy: METRIC/CATEGORY/COUNT spans for a NORMALISED report text.

It pre-annotates reports for people (`gia annotate`) and stands in for the model tagger when no
model is available (it has the same `tag_batch`). It knows nothing about fields: assembly turns
its spans into records. Phrase lists are data (`data/rule_phrases.tsv`); the patterns here encode
the labelling conventions of `annotations/GUIDELINES.md`:

- COUNT: a number (Arabic or 汉字) with qualifier/multiplier/unit in prose (`342件`, `2万余条`,
  `约300人次`, `两件`), or a bare number that is a whole table cell (`94`, `-14`, `5(增加)` -> `5`);
  never years, dates, document numbers, phones, postcodes, percentages, article numbers, numbering
  (`第二十条`, `1.`), quantities inside 《》/“”/〔〕/【】, or anything inside a plan (下一步…).
- METRIC/CATEGORY: phrases from the list; in prose only inside a clause that also has a COUNT or a
  negation (没有/未/无) before them — the METRIC nearest to the COUNT, or the last one named before
  a negation; a COUNT whose clause names nothing borrows the METRIC of its sentence; channel
  phrases need 通过 before or a publishing verb after them (通过网站公开…, 政府网站发布…); in
  tables when they are a whole cell (numbering prefixes and trailing notes in brackets stripped),
  or — for tables flattened onto one line — when numbers follow them (`行政许可 205 117 1233`,
  `收到申请数件13`, digit runs `0001012`) or they touch other headers (`自然人法人或其他组织总计`).
- Taiwan phrasing the normaliser leaves (资讯, 专案, 释出 …) is matched through same-length
  substitutions (the equal-length rows of `data/taiwan_phrasing.tsv`), so offsets never move.
- Units, numerals, numbering, clause and sentence breaks, negation, plan and other-year cues come
  from `inference.lexicon`, which prose linking and the table reader read too.

spaCy's Chinese tokenizer needs jieba/pkuseg, so the doc is tokenised one token per character:
token offsets are character offsets and every `doc.char_span` is exact.

    >>> RuleTagger().tag("全年共受理政府信息公开申请342件")
    [Span(start=5, end=13, label='METRIC', ...), Span(start=13, end=17, label='COUNT', text='342件', ...)]
"""

from __future__ import annotations

import bisect
import csv
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from inference import DATA_DIR, LABELS, spacy_without_torch
from inference.lexicon import (
    CLAUSE_BREAK,
    CN_DIGITS,
    CN_SMALL_SCALES,
    COMPARISON,
    DIGIT_ITEM,
    NEGATION,
    NOT_A_COUNT_AFTER,
    NUMBERING_PREFIX,
    ORDINAL_ITEM,
    ORDINALS,
    PAREN_ORDINAL,
    PLAN_TO_LINE_END,
    PLAN_TO_SENTENCE_END,
    PREVIOUS_YEAR_FIGURE,
    SECTION_NUMBER,
    SENTENCE_BREAK,
    same_length_variants,
    unit_pattern,
)
from inference.records import Span

with spacy_without_torch():
    import spacy
    from spacy.matcher import PhraseMatcher
    from spacy.tokens import Doc
    from spacy.util import filter_spans

logger = logging.getLogger(__name__)

RULE_PHRASES_PATH = DATA_DIR / "rule_phrases.tsv"
SCOPES = ("any", "cell", "channel")

_CN_NUMBER_CHARS = CN_DIGITS + CN_SMALL_SCALES
# 汉字 numbers keep their inner 万/亿 (`一万一千七百二十`); a trailing one is the multiplier below
# digits mixed with 汉字 scales (`1万2千`, `4千5百`, `1万2000`) are one number (`values._MIXED`)
_NUMBER = (
    rf"(?:\d+(?:\.\d+)?[亿万千百](?:\d+[千百十]?)+"
    rf"|\d+(?:,\d{{3}})*(?:\.\d+)?|[{_CN_NUMBER_CHARS}]+(?:[万亿][{_CN_NUMBER_CHARS}]+)*)"
)
# qualifier (约/近), number, optional 余/多 and multiplier, unit; spaces allowed as printed (`2900 余条`)
COUNT_PATTERN = re.compile(
    rf"(?<![第\d.\-{_CN_NUMBER_CHARS}万亿A-Za-z])"
    rf"(?P<count>(?:约|近)?{_NUMBER}[ \u3000]?(?:余|多)?[ \u3000]?(?:万|亿)?"
    rf"(?:余|多)?[ \u3000]?(?:{unit_pattern()})(?:余)?)(?![例员目称间数分门]|部分|实事)"
)
_CELL_NUMBER = re.compile(
    rf"^(?P<count>[-−]?\d+(?:\.\d+)?(?:[ \u3000]?(?:{unit_pattern('table')}))?)"
    r"[ \u3000]*(?:[(（][^()（）]*[)）])?$"
)
_CELL_SPLIT = re.compile(r"[\t|\n]")
_CELL_NOTE = re.compile(r"\s*[(（][^()（）]*[)）]\s*$")
_PROTECTED = re.compile(
    r"《[^》\n]*》|〔[^〕\n]*〕|【[^】\n]*】|\[[^\]\n]*\]|(?:https?://|www\.)[\w./\-]+|[\w.\-]+@[\w.\-]+"
)
_QUOTED = re.compile(r"“[^”\n]*”|\"[^\"\n]*\"")
_LIST_JOINER = re.compile(r"[、及和与]")
_HEADING_BEFORE = re.compile(rf"(?:{SECTION_NUMBER}|{PAREN_ORDINAL})[^。，,；;\n]{{0,20}}$")
# 政府网站发布信息2108条 / 政务微信推送355条, not 政府网站发布财政信息… (the kinds partition it)
_CHANNEL_VERB = re.compile(rf"(?:发布|刊登|推送|公开|发)(?=信息|[\d{ORDINALS}两])")
# a figure of another year: 较2016年(7件), 2014年为11件, 同比上年…
_OTHER_YEAR_BEFORE = re.compile(
    rf"(?:(?:{COMPARISON}|{PREVIOUS_YEAR_FIGURE})[^，,。；;\n]{{0,12}}[（(]?|\d{{4}}年[为為是] ?)$"
)
_TALLY_ONE = re.compile(rf"(?:约|近)?一(?:{unit_pattern('tally')})")
_CLAUSE_END_AFTER = re.compile(r"(?:[(（][^()（）\n]{0,30}[)）])?(?:[,，。;；、)）\n]|$)")
"""After a tally, the end of its clause, a bracketed note between (`一件（涉及商业秘密）,`)."""
# numbers after a table header: optional note, unit, then space-separated values or one digit run
_CELL_FIGURE = r"[-−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
"""A figure in a cell: digits, grouped by thousands or not (`1,366`: not `1` then `,366`)."""
_NUMBERS_AFTER_HEADER = re.compile(
    r"[ \t\u3000]*(?:[(（][^()（）\n]{0,40}[)）])?[ \t\u3000]*"
    rf"(?:{unit_pattern('table')})?[ \t\u3000]*"
    rf"(?P<numbers>{_CELL_FIGURE}(?:[ \t\u3000]+{_CELL_FIGURE})*)"
    r"(?![\d.．、年月日号%％\u4e00-\u9fff]|,\d)"
)
_NUMBER_TOKEN = re.compile(_CELL_FIGURE)
_HEADER_GAP = re.compile(
    r"(?:[(（][^()（）\n]{0,20}[)）])?[ \t\u3000|]*"
    rf"(?:{ORDINAL_ITEM}|{PAREN_ORDINAL}|{DIGIT_ITEM})?[ \t\u3000]*"
)


@dataclass(frozen=True)
class Phrase:
    """One row of `rule_phrases.tsv`.

    `scope`: `any` (prose and tables), `cell` (tables only), `channel` (prose only right after 通过).
    `not_followed_by`: a regex; the phrase does not count when it is followed by it (收费|项目).
    """

    label: str
    scope: str
    text: str
    not_followed_by: str = ""


@cache
def load_phrases(path: str | Path = RULE_PHRASES_PATH) -> tuple[Phrase, ...]:
    """Read the phrase list; a bad label or scope names the file and line."""
    phrases = []
    with Path(path).open(encoding="utf-8", newline="") as handle:
        for number, row in enumerate(csv.DictReader(handle, delimiter="\t"), start=2):
            label, scope, text = row["label"], row["scope"], row["phrase"]
            if label not in LABELS or scope not in SCOPES or not text:
                raise ValueError(f"{path}:{number}: bad phrase row {row!r}")
            phrases.append(Phrase(label, scope, text, row.get("not_followed_by") or ""))
    return tuple(phrases)


def _char_doc(nlp: spacy.language.Language, text: str) -> Doc:
    """One token per character, so token i is character i."""
    return Doc(nlp.vocab, words=list(text), spaces=[False] * len(text))


def _regions(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text)]


def _overlaps(start: int, end: int, regions: Iterable[tuple[int, int]]) -> bool:
    return any(start < re_ and rs < end for rs, re_ in regions)


def _longest_first(hits: list[tuple[int, int, int]], rank: list[int]) -> list[tuple[int, int, int]]:
    """Non-overlapping (start, end, phrase index) hits, longer ones first, in text order.

    Between phrases with the same text the lower `rank` (wider scope) wins.
    """
    kept: list[tuple[int, int, int]] = []
    taken: set[int] = set()
    for start, end, index in sorted(hits, key=lambda h: (h[0] - h[1], h[0], rank[h[2]])):
        if taken.isdisjoint(range(start, end)):
            kept.append((start, end, index))
            taken.update(range(start, end))
    return sorted(kept)


@dataclass(frozen=True)
class _Units:
    """Clauses or sentences of a text: `of(position)` is the index of the one holding it."""

    bounds: tuple[int, ...]

    def __init__(self, text: str, breaks: re.Pattern[str]) -> None:
        bounds = (0, *(m.end() for m in breaks.finditer(text)), len(text) + 1)
        object.__setattr__(self, "bounds", bounds)

    def of(self, position: int) -> int:
        return bisect.bisect_right(self.bounds, position) - 1


def _keeps(
    text: str,
    hit: tuple[int, int, str],
    clauses: _Units,
    clause_counts: list[tuple[int, int]],
    metrics_by_clause: dict[int, list[tuple[int, int, str]]],
) -> bool:
    """Whether a prose phrase goes with a COUNT of its clause or, without one, with a negation."""
    start, end, label = hit
    clause = clauses.of(start)
    if clause_counts:
        if label == "CATEGORY":
            return True
        # a METRIC touching this one (培训|工作人员) is part of the same name, not in between
        others = [m for m in metrics_by_clause[clause] if m != hit and m[0] != end and m[1] != start]
        return any(
            not any(low < other[0] < high for other in others)
            for low, high in (sorted((start, count[0])) for count in clause_counts)
        )
    # a negation before the phrase: 没有收到…行政复议申请, 全年未收取费用 (not 机制尚未健全),
    # but not the occasion of a negation (未因依申请公开产生收费)
    if not NEGATION.search(text, clauses.bounds[clause], start) or text[start - 1 : start] == "因":
        return False
    return label == "CATEGORY" or bool(_LIST_JOINER.match(text, end)) or hit == max(metrics_by_clause[clause])


def _borrowed(
    text: str,
    prose: list[tuple[int, int, str]],
    kept: set[tuple[int, int, str]],
    counts: list[tuple[int, int]],
    counts_by_clause: dict[int, list[tuple[int, int]]],
    clauses: _Units,
) -> set[tuple[int, int, str]]:
    """For each clause with COUNTs and no kept phrase, the nearest METRIC before its first COUNT
    in the same sentence with no other COUNT between them."""
    sentences = _Units(text, SENTENCE_BREAK)
    metrics = sorted(h for h in prose if h[2] == "METRIC")
    metric_starts = [m[0] for m in metrics]
    out: set[tuple[int, int, str]] = set()
    for clause, clause_counts in counts_by_clause.items():
        if any(clauses.of(h[0]) == clause for h in kept):
            continue
        count = min(clause_counts)
        position = bisect.bisect_left(metric_starts, count[0]) - 1
        if position < 0:
            continue
        # the head of touching METRICs: 在线访谈|活动 -> 在线访谈
        while position > 0 and metrics[position - 1][1] == metrics[position][0]:
            position -= 1
        candidate = metrics[position]
        between = [c for c in counts if candidate[1] <= c[0] < count[0]]
        if sentences.of(candidate[0]) == sentences.of(count[0]) and not between:
            out.add(candidate)
    return out


class RuleTagger:
    """Tags normalised texts with rules; same `tag_batch` as the model tagger."""

    def __init__(
        self, phrases: Iterable[Phrase] | None = None, variants: Iterable[tuple[str, str]] | None = None
    ) -> None:
        self.phrases = tuple(phrases) if phrases is not None else load_phrases()
        self.variants = tuple(variants) if variants is not None else same_length_variants()
        self.nlp = spacy.blank("xx")
        self.matcher = PhraseMatcher(self.nlp.vocab, attr="ORTH")
        for index, phrase in enumerate(self.phrases):
            self.matcher.add(str(index), [_char_doc(self.nlp, phrase.text)])
        self.rank = [SCOPES.index(p.scope) for p in self.phrases]
        self.not_followed = [
            re.compile(p.not_followed_by) if p.not_followed_by else None for p in self.phrases
        ]
        # the cell-scope label wins when a text is listed in several scopes
        self.cell_labels: dict[str, str] = {p.text: p.label for p in self.phrases if p.scope != "cell"}
        self.table_labels: dict[str, str] = {p.text: p.label for p in self.phrases if p.scope == "cell"}
        self.cell_labels.update(self.table_labels)

    def tag_batch(self, texts: list[str]) -> list[list[Span]]:
        return [self.tag(text) for text in texts]

    def tag(self, text: str) -> list[Span]:
        """Spans (sorted, non-overlapping) for one normalised text."""
        doc = _char_doc(self.nlp, text)
        match_text = self._match_text(text)
        hits = self._phrase_hits(match_text)
        protected = _regions(_PROTECTED, text)
        quoted = _regions(_QUOTED, text)
        plans = _regions(PLAN_TO_LINE_END, text) + _regions(PLAN_TO_SENTENCE_END, text)
        counts = self._prose_counts(text, protected + quoted)
        candidates: list[tuple[int, int, str]] = []
        candidates += self._cell_spans(text, match_text)
        candidates += self._table_rows(text, hits, protected)
        candidates += counts
        candidates += self._prose_phrases(
            text, match_text, hits, protected, quoted, [(s, e) for s, e, _ in counts]
        )
        spans = []
        for start, end, label in candidates:
            if _overlaps(start, end, plans):
                continue
            span = doc.char_span(start, end, label=label)
            if span is not None:
                spans.append(span)
        kept = sorted(filter_spans(spans), key=lambda s: s.start_char)
        out: list[Span] = []
        for span in kept:
            # 培训|工作人员 200余人次: two METRICs side by side name one thing; the first is the head
            if out and span.label_ == "METRIC" == out[-1].label and out[-1].end == span.start_char:
                continue
            out.append(Span(span.start_char, span.end_char, span.label_, span.text))
        return out

    def _match_text(self, text: str) -> str:
        for source, target in self.variants:
            text = text.replace(source, target)
        return text

    def _phrase_hits(self, match_text: str) -> list[tuple[int, int, int]]:
        doc = _char_doc(self.nlp, match_text)
        hits = []
        for match_id, start, end in self.matcher(doc):
            index = int(self.nlp.vocab.strings[match_id])
            pattern = self.not_followed[index]
            if pattern is not None and pattern.match(match_text, end):
                continue
            hits.append((start, end, index))
        return _longest_first(hits, self.rank)

    def _prose_counts(self, text: str, protected: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
        out = []
        for match in COUNT_PATTERN.finditer(text):
            start, end = match.span("count")
            value = match.group("count")
            if _overlaps(start, end, protected):
                continue
            # a numeral that starts with 一 and carries a magnitude (一千二百三十五条, 一百零五件) is a
            # quantity; 一 straight before its unit is usually the article
            bare_one = re.fullmatch(r"(?:约|近)?一[ \u3000]?\D*", value) and not re.match(
                r"(?:约|近)?一[十百千万亿]", value
            )
            # 一 as an article (一个平台, 一次评估报告) unless a tally ends the clause (专门机构一个,)
            if bare_one and not (_TALLY_ONE.fullmatch(value) and _CLAUSE_END_AFTER.match(text, end)):
                continue
            if NOT_A_COUNT_AFTER.match(text, end):
                continue
            if _OTHER_YEAR_BEFORE.search(text[max(0, start - 16) : start]):
                continue
            out.append((start, end, "COUNT"))
        return out

    def _prose_phrases(
        self,
        text: str,
        match_text: str,
        hits: list[tuple[int, int, int]],
        protected: list[tuple[int, int]],
        quoted: list[tuple[int, int]],
        counts: list[tuple[int, int]],
    ) -> list[tuple[int, int, str]]:
        """METRIC/CATEGORY phrases in prose that go with a COUNT or a negation (see module docstring).

        In a clause with COUNTs a METRIC is kept when no other METRIC stands between it and one of
        the COUNTs; in a clause with a negation and no COUNT, the last METRIC and the list members
        before it (投诉、行政复议申请) are kept. A COUNT whose clause names nothing borrows the
        nearest METRIC before it in the sentence (…开展在线访谈活动,…,全年共举办两场).
        """
        prose = self._prose_candidates(text, match_text, hits, protected, quoted)
        clauses = _Units(text, CLAUSE_BREAK)
        counts_by_clause: dict[int, list[tuple[int, int]]] = {}
        for count in counts:
            counts_by_clause.setdefault(clauses.of(count[0]), []).append(count)
        metrics_by_clause: dict[int, list[tuple[int, int, str]]] = {}
        for hit in prose:
            if hit[2] == "METRIC":
                metrics_by_clause.setdefault(clauses.of(hit[0]), []).append(hit)
        kept = {
            hit
            for hit in prose
            if _keeps(text, hit, clauses, counts_by_clause.get(clauses.of(hit[0]), []), metrics_by_clause)
        }
        kept |= _borrowed(text, prose, kept, counts, counts_by_clause, clauses)
        return sorted(kept)

    def _prose_candidates(
        self,
        text: str,
        match_text: str,
        hits: list[tuple[int, int, int]],
        protected: list[tuple[int, int]],
        quoted: list[tuple[int, int]],
    ) -> list[tuple[int, int, str]]:
        """Phrase hits that may stand in prose: not in a title, heading, name or unlisted channel."""
        prose: list[tuple[int, int, str]] = []
        for start, end, index in hits:
            phrase = self.phrases[index]
            if phrase.scope == "cell" or _overlaps(start, end, protected):
                continue
            # 通过政府网站发布341条, not 通过政府门户网站、政务微博…等渠道 or 通过门户网站及…系统
            if phrase.scope == "channel" and (
                _LIST_JOINER.match(text, end)
                or (text[max(0, start - 2) : start] != "通过" and not _CHANNEL_VERB.match(match_text, end))
            ):
                continue
            # a METRIC naming a section (二、主动公开政府信息情况) is a heading, not a statistic
            if (
                phrase.label == "METRIC"
                and text.startswith("情况", end)
                and _HEADING_BEFORE.search(text, 0, start)
            ):
                continue
            # inside quotes only a whole quoted category counts (“同意公开答复”),
            # not part of a name (“政务公开信息管理系统”)
            if any(qs <= start and end <= qe and (qs + 1, qe - 1) != (start, end) for qs, qe in quoted):
                continue
            prose.append((start, end, phrase.label))
        return prose

    def _table_rows(
        self, text: str, hits: list[tuple[int, int, int]], protected: list[tuple[int, int]]
    ) -> list[tuple[int, int, str]]:
        """Headers of tables flattened onto lines: a header followed by values, or touching headers."""
        # a table label may quote a title (不是《条例》所指政府信息); prose phrases may not
        hits = [h for h in hits if self.phrases[h[2]].scope == "cell" or not _overlaps(h[0], h[1], protected)]
        values = {i: _NUMBERS_AFTER_HEADER.match(text, end) for i, (_, end, _) in enumerate(hits)}
        accepted = {i for i, match in values.items() if match}
        touching = [
            i for i in range(len(hits) - 1) if _HEADER_GAP.fullmatch(text, hits[i][1], hits[i + 1][0])
        ]
        # two touching headers are a header row if at least one of them is a table-only phrase
        for i in touching:
            if "cell" in (self.phrases[hits[i][2]].scope, self.phrases[hits[i + 1][2]].scope):
                accepted.update((i, i + 1))
        changed = True
        while changed:
            changed = False
            for i in touching:
                if (i in accepted) != (i + 1 in accepted):
                    accepted.update((i, i + 1))
                    changed = True
        out = []
        for i in sorted(accepted):
            start, end, index = hits[i]
            out.append((start, end, self.phrases[index].label))
            match = values[i]
            if match:
                base = match.start("numbers")
                for number in _NUMBER_TOKEN.finditer(match.group("numbers")):
                    out.append((base + number.start(), base + number.end(), "COUNT"))
        return out

    def _is_table_line(self, line: str) -> bool:
        body = line.strip().rstrip("|").strip()
        if _CELL_NUMBER.match(body):
            return True
        prefix = NUMBERING_PREFIX.match(body)
        label = body[prefix.end() if prefix else 0 :]
        note = _CELL_NOTE.search(label)
        return label in self.cell_labels or bool(note and label[: note.start()] in self.cell_labels)

    def _table_line_near(self, text: str, start: int, end: int) -> bool:
        """Whether the nearest non-empty line before or after [start, end) is a table line."""
        before = [line for line in text[max(0, start - 200) : start].split("\n") if line.strip()]
        after = [line for line in text[end : end + 200].split("\n") if line.strip()]
        return any(self._is_table_line(lines[i]) for lines, i in ((before, -1), (after, 0)) if lines)

    def _cell_spans(self, text: str, match_text: str) -> list[tuple[int, int, str]]:
        """Whole cells (between tab, | and line breaks): a number, or a header from the phrase list."""
        out = []
        starts = [0] + [m.end() for m in _CELL_SPLIT.finditer(text)]
        for cell_start in starts:
            cell_end = _CELL_SPLIT.search(text, cell_start)
            cell_end_index = cell_end.start() if cell_end else len(text)
            raw = match_text[cell_start:cell_end_index]
            if not raw.strip() or len(raw) > 80:
                continue
            # a line without cell separators may be a prose heading ((二)依申请公开): table-only labels
            before = text[cell_start - 1] if cell_start else "\n"
            after = text[cell_end_index] if cell_end_index < len(text) else "\n"
            whole_line = before == after == "\n"
            lead = len(raw) - len(raw.lstrip())
            body = raw.strip()
            base = cell_start + lead
            number = _CELL_NUMBER.match(body)
            if number:
                out.append((base, base + number.end("count"), "COUNT"))
                continue
            prefix = NUMBERING_PREFIX.match(body)
            offset = prefix.end() if prefix else 0
            label_text = body[offset:]
            note = _CELL_NOTE.search(label_text)
            if note and label_text not in self.cell_labels and label_text[: note.start()] in self.cell_labels:
                label_text = label_text[: note.start()]
            label = self.cell_labels.get(label_text)
            # a whole line may be a prose heading ((二)依申请公开): a label that is not table-only
            # needs a table line (number or label) next to it
            if label and whole_line and label_text not in self.table_labels:
                if not self._table_line_near(text, cell_start, cell_end_index):
                    continue
            if label:
                out.append((base + offset, base + offset + len(label_text), label))
        return out


@cache
def load_rule_tagger() -> RuleTagger:
    """The default rule tagger (phrase list from `inference/data/rule_phrases.tsv`)."""
    return RuleTagger()
