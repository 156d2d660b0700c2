from __future__ import annotations

import pytest

from inference.ensemble import CombinedTagger, merge_spans
from inference.records import Span
from inference.rules import RuleTagger


def _s(start: int, end: int, label: str = "COUNT") -> Span:
    return Span(start, end, label, "x" * (end - start))


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        ([], [_s(0, 2)], [(0, 2)]),
        ([_s(0, 2)], [], [(0, 2)]),
        ([_s(0, 2)], [_s(1, 3)], [(0, 2)]),
        ([_s(2, 4)], [_s(0, 3)], [(2, 4)]),
        ([_s(2, 4)], [_s(0, 2), _s(4, 6)], [(0, 2), (2, 4), (4, 6)]),
        ([_s(2, 4)], [_s(0, 9)], [(2, 4)]),
        ([_s(0, 2), _s(6, 8)], [_s(3, 5), _s(5, 7)], [(0, 2), (3, 5), (6, 8)]),
    ],
)
def test_ensemble_merge_keeps_first_and_fills_gaps(first, second, expected):
    assert [(s.start, s.end) for s in merge_spans(first, second)] == expected


def test_ensemble_combined_tagger_on_seed_text():
    text = "全年共受理政府信息公开申请342件，其中当面申请45件。"
    rules = RuleTagger()
    alone = rules.tag_batch([text])[0]
    combined = CombinedTagger(rules, rules).tag_batch([text])[0]
    assert combined == alone
    assert any(s.label == "COUNT" and s.text.startswith("342") for s in combined)
