"""Self-training silver (`training.selftrain`): prose counts that the report's own tables pin down."""

from __future__ import annotations

from pathlib import Path

import pytest

from inference.rules import load_rule_tagger
from training.dataset import generated_reports
from training.linker import report_data
from training.selftrain import pinned_values, selftrain_report


def test_pinned_values_drop_a_table_whose_identities_fail() -> None:
    fields = {
        "applications.new.total": 5,
        "applications.carried_over.total": 0,
        "applications.processed.total": 4,
        "applications.carried_forward.total": 0,  # 5 + 0 != 4 + 0: table 3 does not balance
        "review.upheld": 1,
        "review.corrected": 0,
        "review.other": 0,
        "review.pending": 0,
        "review.total": 1,
        "proactive.normative.made": 3,
    }
    pinned = pinned_values(fields)
    assert not any(f.startswith("applications.") for f in pinned)
    assert pinned["review.total"] == 1 and pinned["proactive.normative.made"] == 3


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[object, Path]]:
    folder = tmp_path_factory.mktemp("unlabelled")
    out = []
    for report in generated_reports(24, 500):
        path = folder / f"{report.id}.txt"
        path.write_text(report.text, encoding="utf-8")
        out.append((report, path))
    return out


def test_self_training_spans_agree_with_the_generators_fields(generated) -> None:
    """The generator knows every count's field: self-training silver must agree with it nearly always."""
    tagger = load_rule_tagger()
    right = wrong = 0
    for truth_report, path in generated:
        silver = selftrain_report(path, tagger)
        if silver is None:
            continue
        assert silver.gold is None and silver.meta["partial"] is True
        truth = {(s.start, s.end): s.field for s in truth_report.spans if s.label == "COUNT"}
        for span in silver.spans:
            assert span.field and span.confidence is not None
            if truth.get((span.start, span.end)) == span.field:
                right += 1
            else:
                wrong += 1
    assert right >= 30
    assert wrong <= 0.1 * (right + wrong)


def test_partial_silver_gives_no_none_cue_negatives(generated) -> None:
    """Partial silver does not know which none cues state a zero: no cue examples without a target."""
    tagger = load_rule_tagger()
    for _, path in generated[:8]:
        silver = selftrain_report(path, tagger)
        if silver is not None:
            data = report_data(silver)
            assert data.counts and all(cue.fields for cue in data.cues)
