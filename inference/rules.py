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
  negation (没有/未/无), in tables when they are a whole cell (numbering prefixes and trailing
  notes in brackets stripped).

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

import spacy
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc
from spacy.util import filter_spans

from inference import DATA_DIR, LABELS
from inference.records import Span

logger = logging.getLogger(__name__)

RULE_PHRASES_PATH = DATA_DIR / "rule_phrases.tsv"
SCOPES = ("any", "cell")

_CN_DIGITS = "零〇一二两三四五六七八九十百千"
_NUMBER = rf"(?:\d+(?:,\d{{3}})*(?:\.\d+)?|[{_CN_DIGITS}]+)"
_UNITS = "|".join(
    [
        "人次",
        "条次",
        "件次",
        "场次",
        "轮次",
        "个次",
        "万元",
        "亿元",
        "千元",
        "元",
        "件",
        "条",
        "次",
        "人",
        "个",
    ]
    + ["场", "期", "篇", "项", "家", "位", "名", "份", "批", "起", "轮", "户", "处", "台", "套", "部"]
)
# qualifier (约/近), number, optional 余/多 and multiplier, unit; spaces allowed as printed (`2900 余条`)
COUNT_PATTERN = re.compile(
    rf"(?<![第\d.\-{_CN_DIGITS}A-Za-z])(?P<count>(?:约|近)?{_NUMBER}[ \u3000]?(?:余|多)?[ \u3000]?(?:万|亿)?"
    rf"(?:余|多)?[ \u3000]?(?:{_UNITS})(?:余)?)(?![例员目称间数分门]|部分)"
)
_CELL_NUMBER = re.compile(
    r"^(?P<count>[-−]?\d+(?:\.\d+)?(?:[ \u3000]?(?:万元|亿元|元|件|条|个|项|人次|人|次))?)"
    r"[ \u3000]*(?:[(（][^()（）]*[)）])?$"
)
_CELL_SPLIT = re.compile(r"[\t|\n]")
_CELL_PREFIX = re.compile(
    r"^(?:其中[:：]?)?\s*(?:[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十]+[)）]|\d+[.．、](?!\d))?\s*"
)
_CELL_NOTE = re.compile(r"\s*[(（][^()（）]*[)）]\s*$")
_PROTECTED = re.compile(
    r"《[^》\n]*》|〔[^〕\n]*〕|【[^】\n]*】|\[[^\]\n]*\]|(?:https?://|www\.)[\w./\-]+|[\w.\-]+@[\w.\-]+"
)
_QUOTED = re.compile(r"“[^”\n]*”|\"[^\"\n]*\"")
_PLAN_TO_LINE_END = re.compile(r"下一步[^\n]*")
_PLAN_TO_SENTENCE_END = re.compile(r"(?:下步|今后|力争|争取|计划于|拟于)[^。\n]*")
_CLAUSE_SPLIT = re.compile(r"[。；;，,\n\t|]")
_NEGATION = re.compile(r"没有|(?<!尚)未|(?<![毫并])无")
_EXCLUDED_AFTER_NUMBER = re.compile(r"[%％‰年月日号时]")


@dataclass(frozen=True)
class Phrase:
    """One row of `rule_phrases.tsv`: `scope` is `any` (prose and cells) or `cell` (whole cells only)."""

    label: str
    scope: str
    text: str


@cache
def load_phrases(path: str | Path = RULE_PHRASES_PATH) -> tuple[Phrase, ...]:
    """Read the phrase list; a bad label or scope names the file and line."""
    phrases = []
    with Path(path).open(encoding="utf-8", newline="") as handle:
        for number, row in enumerate(csv.DictReader(handle, delimiter="\t"), start=2):
            label, scope, text = row["label"], row["scope"], row["phrase"]
            if label not in LABELS or scope not in SCOPES or not text:
                raise ValueError(f"{path}:{number}: bad phrase row {row!r}")
            phrases.append(Phrase(label, scope, text))
    return tuple(phrases)


def _char_doc(nlp: spacy.language.Language, text: str) -> Doc:
    """One token per character, so token i is character i."""
    return Doc(nlp.vocab, words=list(text), spaces=[False] * len(text))


def _regions(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text)]


def _inside(start: int, end: int, regions: Iterable[tuple[int, int]]) -> bool:
    return any(rs <= start and end <= re_ for rs, re_ in regions)


def _overlaps(start: int, end: int, regions: Iterable[tuple[int, int]]) -> bool:
    return any(start < re_ and rs < end for rs, re_ in regions)


class RuleTagger:
    """Tags normalised texts with rules; same `tag_batch` as the model tagger."""

    def __init__(self, phrases: Iterable[Phrase] | None = None) -> None:
        self.phrases = tuple(phrases) if phrases is not None else load_phrases()
        self.nlp = spacy.blank("xx")
        self.matcher = PhraseMatcher(self.nlp.vocab, attr="ORTH")
        for label in LABELS:
            patterns = [
                _char_doc(self.nlp, p.text) for p in self.phrases if p.label == label and p.scope == "any"
            ]
            if patterns:
                self.matcher.add(label, patterns)
        # a cell phrase and an `any` phrase may share a text; the cell-scope label wins in cells
        self.cell_labels: dict[str, str] = {p.text: p.label for p in self.phrases if p.scope == "any"}
        self.cell_labels.update({p.text: p.label for p in self.phrases if p.scope == "cell"})

    def tag_batch(self, texts: list[str]) -> list[list[Span]]:
        return [self.tag(text) for text in texts]

    def tag(self, text: str) -> list[Span]:
        """Spans (sorted, non-overlapping) for one normalised text."""
        doc = _char_doc(self.nlp, text)
        protected = _regions(_PROTECTED, text)
        quoted = _regions(_QUOTED, text)
        plans = _regions(_PLAN_TO_LINE_END, text) + _regions(_PLAN_TO_SENTENCE_END, text)
        candidates: list[tuple[int, int, str]] = []
        candidates += self._cell_spans(text)
        counts = self._prose_counts(text, protected + quoted)
        candidates += counts
        candidates += self._prose_phrases(doc, text, protected, [(s, e) for s, e, _ in counts])
        spans = []
        for start, end, label in candidates:
            if _overlaps(start, end, plans):
                continue
            span = doc.char_span(start, end, label=label)
            if span is not None:
                spans.append(span)
        kept = sorted(filter_spans(spans), key=lambda s: s.start_char)
        return [Span(s.start_char, s.end_char, s.label_, s.text) for s in kept]

    def _prose_counts(self, text: str, protected: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
        out = []
        for match in COUNT_PATTERN.finditer(text):
            start, end = match.span("count")
            value = match.group("count")
            if _overlaps(start, end, protected):
                continue
            if re.fullmatch(r"(?:约|近)?一[ \u3000]?\D*", value) and not re.match(
                r"(?:约|近)?一[万亿]", value
            ):
                continue  # bare 一 (一个平台, 一次评估) is an article, not a reported quantity
            if _EXCLUDED_AFTER_NUMBER.match(text, end):
                continue
            out.append((start, end, "COUNT"))
        return out

    def _prose_phrases(
        self, doc: Doc, text: str, protected: list[tuple[int, int]], counts: list[tuple[int, int]]
    ) -> list[tuple[int, int, str]]:
        bounds = [0] + [m.end() for m in _CLAUSE_SPLIT.finditer(text)] + [len(text) + 1]
        counts = sorted(counts)
        count_starts = [start for start, _ in counts]
        out = []
        quoted = _regions(_QUOTED, text)
        for match_id, start, end in self.matcher(doc):
            if _overlaps(start, end, protected):
                continue
            # inside quotes only a whole quoted category counts (“同意公开答复”),
            # not part of a name (“政务公开信息管理系统”)
            if _overlaps(start, end, quoted) and not any(
                qs + 1 == start and end == qe - 1 for qs, qe in quoted
            ):
                continue
            clause_start = bounds[bisect.bisect_right(bounds, start) - 1]
            clause_end = bounds[bisect.bisect_left(bounds, end)]
            first = bisect.bisect_left(count_starts, clause_start)
            has_count = first < len(counts) and counts[first][1] <= clause_end
            # a negation before the phrase: 没有收到…行政复议申请, 全年未收取费用 (not 机制尚未健全)
            if has_count or _NEGATION.search(text, clause_start, start):
                out.append((start, end, self.nlp.vocab.strings[match_id]))
        return out

    def _cell_spans(self, text: str) -> list[tuple[int, int, str]]:
        out = []
        starts = [0] + [m.end() for m in _CELL_SPLIT.finditer(text)]
        for cell_start in starts:
            cell_end = _CELL_SPLIT.search(text, cell_start)
            cell_end_index = cell_end.start() if cell_end else len(text)
            raw = text[cell_start:cell_end_index]
            if not raw.strip() or len(raw) > 80:
                continue
            lead = len(raw) - len(raw.lstrip())
            body = raw.strip()
            base = cell_start + lead
            number = _CELL_NUMBER.match(body)
            if number:
                out.append((base, base + number.end("count"), "COUNT"))
                continue
            prefix = _CELL_PREFIX.match(body)
            offset = prefix.end() if prefix else 0
            label_text = body[offset:]
            note = _CELL_NOTE.search(label_text)
            if note and label_text[: note.start()] in self.cell_labels:
                label_text = label_text[: note.start()]
            label = self.cell_labels.get(label_text)
            if label:
                out.append((base + offset, base + offset + len(label_text), label))
                continue
            out += self._label_then_numbers(label_text, base + offset)
        return out

    def _label_then_numbers(self, body: str, base: int) -> list[tuple[int, int, str]]:
        """A cell like `行政许可 205 117 1233` (row flattened with spaces): label plus each number."""
        match = re.fullmatch(
            r"(?P<label>\D+?)[ \u3000]+(?P<numbers>[-−]?\d+(?:\.\d+)?(?:[ \u3000]+[-−]?\d+(?:\.\d+)?)*)", body
        )
        if not match or match.group("label").strip() not in self.cell_labels:
            return []
        label_text = match.group("label").strip()
        out = [(base, base + len(label_text), self.cell_labels[label_text])]
        for number in re.finditer(r"[-−]?\d+(?:\.\d+)?", match.group("numbers")):
            out.append(
                (
                    base + match.start("numbers") + number.start(),
                    base + match.start("numbers") + number.end(),
                    "COUNT",
                )
            )
        return out


@cache
def load_rule_tagger() -> RuleTagger:
    """The default rule tagger (phrase list from `inference/data/rule_phrases.tsv`)."""
    return RuleTagger()
