"""Combine two taggers' spans: the first tagger's spans stand, the second fills the gaps.

This is spaCy's `EntityRuler(overwrite_ents=False)` pattern applied between two taggers: a span of
the second tagger is added only where it overlaps no span of the first. Which tagger goes first is a
measured choice (see `models/README.md`).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from inference.lexicon import CN_NUMERAL_CHARS, NOT_A_COUNT_AFTER
from inference.records import Span


class _Tagger(Protocol):
    def tag_batch(self, texts: list[str]) -> list[list[Span]]: ...


def merge_spans(first: Sequence[Span], second: Sequence[Span]) -> list[Span]:
    """All of `first`, plus each span of `second` that overlaps none of `first`, sorted by offset.

    >>> a = [Span(0, 2, "COUNT", "12")]
    >>> b = [Span(1, 3, "COUNT", "2件"), Span(5, 7, "METRIC", "复议")]
    >>> [(s.start, s.end) for s in merge_spans(a, b)]
    [(0, 2), (5, 7)]
    """
    taken = sorted((s.start, s.end) for s in first)
    starts = [start for start, _ in taken]
    out = list(first)
    for span in second:
        # first's spans are disjoint: only the one starting at or before span.start and the next
        # one after it can overlap
        i = bisect_right(starts, span.start)
        before = taken[i - 1] if i else None
        after = taken[i] if i < len(taken) else None
        if (before is None or before[1] <= span.start) and (after is None or after[0] >= span.end):
            out.append(span)
    return sorted(out, key=lambda s: (s.start, s.end))


@dataclass
class CombinedTagger:
    """Tag with both taggers; `first`'s spans win, `second` fills where `first` found nothing."""

    first: _Tagger
    second: _Tagger

    def tag_batch(self, texts: list[str]) -> list[list[Span]]:
        ones = self.first.tag_batch(texts)
        twos = self.second.tag_batch(texts)
        return [
            merge_spans(a, [s for s in b if is_whole_count(text, s)])
            for text, a, b in zip(texts, ones, twos, strict=True)
        ]


_NUMERAL = set("0123456789." + CN_NUMERAL_CHARS)


def is_whole_count(text: str, span: Span) -> bool:
    """Whether a gap-filling COUNT span is a whole quantity, not a piece of a number or a label.

    A character model sometimes tags the `0` of `2017`, the `四` of `(四)` or the `两` of `两级机构`;
    such pieces must not fill a gap the first tagger left on purpose. Spelled-out numerals are the
    rule tagger's job, so a gap-filling count needs an Arabic digit. Other labels pass unchanged.

    >>> is_whole_count("2017年共举办17场", Span(3, 4, "COUNT", "7"))
    False
    >>> is_whole_count("(四)平台建设", Span(1, 2, "COUNT", "四"))
    False
    >>> is_whole_count("建立两级机构", Span(2, 3, "COUNT", "两"))
    False
    >>> is_whole_count("新中国成立 70 周年", Span(6, 8, "COUNT", "70"))
    False
    >>> is_whole_count("举办17场", Span(2, 5, "COUNT", "17场"))
    True
    """
    if span.label != "COUNT":
        return True
    if not any(ch.isdigit() for ch in span.text):
        return False
    before = text[span.start - 1] if span.start else ""
    after = text[span.end] if span.end < len(text) else ""
    if before in _NUMERAL or after in _NUMERAL or NOT_A_COUNT_AFTER.match(text, span.end):
        return False
    return not (before in "(（" and after in ")）")
