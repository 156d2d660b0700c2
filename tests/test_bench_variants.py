"""Tests for training.bench_variants: the changed-numbers variant keeps text and gold consistent."""

from __future__ import annotations

import random

from training.bench_variants import changed_numbers


def test_changed_numbers_map_text_and_gold_alike() -> None:
    text = "2019年共受理申请12件,答复12件,其中公开5件,未收到复议申请0件。"
    gold = {"fields": {"applications.new.total": 12, "applications.answered.granted": 5, "review.total": 0}}
    new_text, new_gold = changed_numbers(text, gold, random.Random(1))
    fields = new_gold["fields"]
    assert fields["review.total"] == 0 and "0件" in new_text  # zeros stay
    assert new_text.startswith("2019年")  # years stay
    assert fields["applications.new.total"] not in (12, 5) and fields["applications.answered.granted"] != 5
    # the same value maps to the same new value wherever it stands
    assert new_text.count(f"{fields['applications.new.total']}件") == 2
    assert f"{fields['applications.answered.granted']}件" in new_text


def test_changed_numbers_terminate_when_every_nearby_number_is_taken() -> None:
    text = "、".join(str(n) for n in range(1, 200)) + "。全年受理申请1件。"
    new_text, new_gold = changed_numbers(text, {"fields": {"applications.new.total": 1}}, random.Random(1))
    assert new_gold["fields"]["applications.new.total"] >= 200
