"""The learned field linker: features, save/load, and proof that training on annotations changes output.

The wording below is invented for these tests (no lexicon row and no real report has it), so only
what the linker learns from the annotated examples can link it to a field.
"""

from __future__ import annotations

import random

import pytest

from inference.assemble import assemble
from inference.link import FieldLinker, LinkerConfig, load_linker, none_cues, span_features
from inference.metadata import detect_metadata
from inference.records import Span
from training.annotations import AnnotatedReport, AnnotatedSpan
from training.linker import LinkerTrainConfig, collect, fit, select_examples

TINY = LinkerConfig(buckets=1 << 12, dim=16, hidden=16)
# invented wording for applications.new.total, and an invented decoy that states no field
NEW_WORDING = "本机关登记在册的信息获取诉求计{n}宗"
DECOY = "会务接待往来{n}宗"


def _report(i: int, n: int, decoy: int) -> AnnotatedReport:
    first = NEW_WORDING.format(n=n)
    second = DECOY.format(n=decoy)
    text = f"二、依申请公开情况\n{first}。{second}。\n"
    a = text.index(f"{n}宗")
    b = text.index(f"{decoy}宗", text.index("会务"))
    spans = (
        AnnotatedSpan(a, a + len(f"{n}宗"), "COUNT", f"{n}宗", "applications.new.total"),
        AnnotatedSpan(b, b + len(f"{decoy}宗"), "COUNT", f"{decoy}宗", ""),
    )
    return AnnotatedReport(f"r{i}", text, spans)


def _train(reports: list[AnnotatedReport]) -> FieldLinker:
    config = LinkerTrainConfig(epochs=40, learning_rate=0.05, threshold=0.6, model=TINY)
    return fit(collect(reports), config)


def _fields(text: str, linker: FieldLinker | None) -> dict:
    spans = [Span(m, m + len(t), "COUNT", t) for t in ("37宗", "9宗") if (m := text.find(t)) >= 0]
    return assemble(text, spans, detect_metadata(text), linker=linker).fields


def test_training_on_new_wording_changes_the_output():
    rng = random.Random(3)
    reports = [_report(i, rng.randint(10, 99), rng.randint(1, 9)) for i in range(8)]
    unseen = f"二、依申请公开情况\n{NEW_WORDING.format(n=37)}。{DECOY.format(n=9)}。\n"
    before = _fields(unseen, None)
    assert "applications.new.total" not in before  # no lexicon knows this wording
    after = _fields(unseen, _train(reports))
    assert after.get("applications.new.total") == 37
    assert 9 not in after.values()  # the decoy learned as "no field"


def test_a_linker_trained_with_hints_only_learns_new_wording_too():
    """The shipped recipe (`hints = "with"`) keeps only the examples asked with the lexicons'
    reading; the learning test holds for it, and `without` keeps the others."""
    rng = random.Random(5)
    reports = [_report(i, rng.randint(10, 99), rng.randint(1, 9)) for i in range(8)]
    data = collect(reports)
    hinted, bare = (select_examples(data, h) for h in ("with", "without"))
    assert len(hinted.counts) + len(bare.counts) == len(data.counts) and hinted.counts and bare.counts
    assert all(any(f.startswith("L|") for f in c.features) for c in hinted.counts)
    config = LinkerTrainConfig(epochs=40, learning_rate=0.05, threshold=0.6, model=TINY, hints="with")
    unseen = f"二、依申请公开情况\n{NEW_WORDING.format(n=37)}。{DECOY.format(n=9)}。\n"
    assert _fields(unseen, fit(data, config)).get("applications.new.total") == 37
    with pytest.raises(ValueError, match="hints"):
        LinkerTrainConfig(hints="sometimes")


def test_linker_round_trips_through_its_files(tmp_path):
    reports = [_report(i, 20 + i, 3) for i in range(4)]
    linker = _train(reports)
    linker.save(tmp_path)
    loaded = load_linker(tmp_path)
    assert loaded is not None and loaded.count_classes == linker.count_classes
    text = reports[0].text
    span = Span(reports[0].spans[0].start, reports[0].spans[0].end, "COUNT", reports[0].spans[0].text)
    assert loaded.link(text, [span], None)[0].field == linker.link(text, [span], None)[0].field
    assert len(loaded.members) == len(linker.members) == LinkerTrainConfig().members > 1
    assert load_linker(tmp_path / "nothing") is None


def test_ensemble_members_differ_and_average(tmp_path):
    reports = [_report(i, 20 + i, 3) for i in range(4)]
    linker = _train(reports)
    first, second = linker.members[:2]
    assert not (first["hidden.weight"] == second["hidden.weight"]).all()  # seeds differ
    text = reports[0].text
    rows = [span_features(text, reports[0].spans[0].start, reports[0].spans[0].end, None, linker.cfg)]
    masks = [[True] * len(linker.count_classes)]
    import numpy as np

    averaged = linker.count_probs(rows, np.array(masks))
    singles = [
        FieldLinker(linker.cfg, linker.count_classes, linker.none_classes, m).count_probs(
            rows, np.array(masks)
        )
        for m in linker.members
    ]
    assert np.allclose(averaged, np.mean(singles, axis=0))


def test_linker_saved_before_regions_and_ensembles_still_loads(tmp_path):
    """A linker.json without `regions`/`cue_right_chars` and unprefixed weights: one member, one bag."""
    import json

    reports = [_report(i, 20 + i, 3) for i in range(4)]
    config = LinkerTrainConfig(
        epochs=5, members=1, model=LinkerConfig(buckets=1 << 10, dim=8, hidden=8, regions="")
    )
    linker = fit(collect(reports), config)
    linker.save(tmp_path)
    meta = json.loads((tmp_path / "linker.json").read_text(encoding="utf-8"))
    del meta["config"]["regions"], meta["config"]["cue_right_chars"]
    (tmp_path / "linker.json").write_text(json.dumps(meta), encoding="utf-8")
    loaded = load_linker(tmp_path)
    assert loaded.cfg.regions == "" and loaded.cfg.cue_right_chars == LinkerConfig.right_chars
    assert len(loaded.members) == 1


def test_unit_of_a_count_in_chinese_numerals_is_its_unit():
    """三十万元 is money like 30万元: the linker may give it a money field (case 02's 工作经费)."""
    from inference.link import MONEY_UNITS, _unit_of

    assert _unit_of("三十万元") == _unit_of("30万元") == "万元" and "万元" in MONEY_UNITS
    assert _unit_of("一千二百三十五条") == "条"
    assert _unit_of("68余条") == "条"


def test_regions_pool_the_clause_apart_from_the_wider_context():
    from inference.link import region_features

    feats = span_features("全年共受理申请105件。", 7, 11, "pre2019")
    near, clause, wide = region_features(feats, LinkerConfig().regions)
    assert "u|件" in near and "c|申请" in clause and all(f[0] in "sh" for f in wide)
    assert region_features(feats, "") == [feats]


def test_corrupt_linker_is_a_clear_error(tmp_path):
    (tmp_path / "linker.json").write_text("{not json", encoding="utf-8")
    from inference.errors import UserError

    with pytest.raises(UserError, match="field linker"):
        load_linker(tmp_path)


def test_features_are_regional():
    text = "全年共受理申请105件。"
    feats = span_features(text, 7, 11, "pre2019")
    assert feats[:2] == ["t|pre2019", "u|件"]
    assert "c|申请" in feats and "r|申请" not in feats


def test_none_cues_skip_clauses_with_numbers_and_tables():
    text = "全年没有收到申请,未发生复议3件。无收费。"
    cues = none_cues(text)
    assert [c.text for c in cues] == ["没有", "无"]
    assert none_cues(text, covered=((0, len(text)),)) == []


def test_none_head_learns_zero_statements():
    texts = [
        ("本单位{}遇到行政复议之事,亦无诉讼。", ("review.total",)),
        ("全年{}发生行政复议,也没有行政诉讼。", ("review.total",)),
    ]
    reports = []
    for i in range(6):
        frame, fields = texts[i % 2]
        cue = "未" if i % 2 else "从未"
        text = "五、复议诉讼情况\n" + frame.format(cue)
        at = text.index(cue)
        spans = (AnnotatedSpan(at, at + len(cue), "COUNT", cue, fields[0]),)
        reports.append(AnnotatedReport(f"z{i}", text, spans))
    linker = _train(reports)
    text = "五、复议诉讼情况\n全年未发生行政复议。"
    result = assemble(text, [], detect_metadata(text), linker=linker, linking="pure")
    assert result.fields.get("review.total") == 0
