from __future__ import annotations

import json

import pytest

from inference.normalize import normalize
from inference.records import Span
from inference.tag import BIO_LABELS, CharVocab, char_tags_to_spans, spans_to_char_tags
from training.dataset import (
    IGNORE_INDEX,
    DataConfig,
    Example,
    annotation_to_example,
    example_to_windows,
    examples_to_dataset,
    hash_split,
    load_examples,
)
from training.model import build_char_vocab


def make_example(
    text: str, marked: list[tuple[str, str]], split: str = "train", report_id: str = "r"
) -> Example:
    spans, cursor = [], 0
    for piece, label in marked:
        start = text.index(piece, cursor)
        spans.append(Span(start, start + len(piece), label, piece))
        cursor = start + len(piece)
    return Example(id=report_id, text=text, spans=tuple(spans), split=split)


def write_annotations(path, reports):
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in reports) + "\n", encoding="utf-8")


def annotation(report_id: str, text: str, marked: list[tuple[str, str]], **meta) -> dict:
    spans, cursor = [], 0
    for piece, label in marked:
        start = text.index(piece, cursor)
        spans.append({"start": start, "end": start + len(piece), "label": label, "text": piece})
        cursor = start + len(piece)
    return {"id": report_id, "text": text, "spans": spans, "meta": meta}


@pytest.mark.parametrize(
    "text,marked",
    [
        ("共收到申请342件", [("申请", "CATEGORY"), ("342件", "COUNT")]),
        (
            "行政复议\t5\n行政诉讼\t0",
            [("行政复议", "METRIC"), ("5", "COUNT"), ("行政诉讼", "METRIC"), ("0", "COUNT")],
        ),
        ("12", [("1", "COUNT"), ("2", "COUNT")]),
        ("无", []),
    ],
)
def test_dataset_tags_round_trip(text, marked):
    example = make_example(text, marked)
    tags = spans_to_char_tags(len(text), example.spans)
    assert [(s.start, s.end, s.label, s.text) for s in char_tags_to_spans(text, tags)] == [
        (s.start, s.end, s.label, s.text) for s in example.spans
    ]


def test_dataset_overlapping_spans_are_rejected():
    with pytest.raises(ValueError, match="overlap"):
        spans_to_char_tags(5, [Span(0, 3, "COUNT", "abc"), Span(2, 4, "METRIC", "cd")])


@pytest.mark.parametrize("window,stride", [(8, 4), (8, 8), (5, 3), (64, 48)])
def test_dataset_windows_align_labels_the_run_ner_way(window, stride):
    text = "本年度共受理政府信息公开申请342件，其中当面申请12件，网络申请330件。"
    example = make_example(
        text, [("政府信息公开申请", "METRIC"), ("342件", "COUNT"), ("当面申请", "CATEGORY")]
    )
    vocab = build_char_vocab([text])
    rows = example_to_windows(example, vocab, window=window, stride=stride)
    covered = set()
    tags = spans_to_char_tags(len(text), example.spans)
    for row in rows:
        assert row["input_ids"][0] == vocab.cls_id and row["input_ids"][-1] == vocab.sep_id
        assert row["labels"][0] == IGNORE_INDEX and row["labels"][-1] == IGNORE_INDEX
        assert len(row["input_ids"]) == len(row["labels"]) == len(row["offsets"]) <= window + 2
        for token, label, offset in zip(
            row["input_ids"][1:-1], row["labels"][1:-1], row["offsets"][1:-1], strict=True
        ):
            assert token == vocab.index[text[offset]]
            assert BIO_LABELS[label] == tags[offset]
            covered.add(offset)
    assert covered == set(range(len(text)))


def test_dataset_spans_are_projected_through_normalisation():
    # Traditional text with a full-width number: spans stay on the same characters after normalising.
    text = "本年共受理政府資訊公開申請３４２件。"
    start = text.index("３４２件")
    example = annotation_to_example(
        "t", text, [{"start": start, "end": start + 4, "label": "COUNT"}], split="train"
    )
    assert example.text == normalize(text).text
    (span,) = example.spans
    assert span.text == example.text[span.start : span.end]
    assert span.text == "342件"


def test_dataset_unknown_characters_map_to_unk():
    vocab = build_char_vocab(["abc"])
    assert vocab.encode("a\U0002a6a5")[1] == vocab.unk_id
    assert "啊" in vocab.index and "\t" in vocab.index and "\n" in vocab.index


def test_dataset_vocab_save_load_round_trip(tmp_path):
    vocab = build_char_vocab(["甲乙丙\t\n"])
    vocab.save(tmp_path)
    again = CharVocab.load(tmp_path)
    assert again.tokens == vocab.tokens
    assert again.encode("甲\t乙\n") == vocab.encode("甲\t乙\n")


def test_dataset_splits_never_leak(tmp_path):
    reports = [annotation(f"r{i}", "受理申请12件。" * 30, [("12件", "COUNT")]) for i in range(30)]
    path = tmp_path / "a.jsonl"
    write_annotations(path, reports)
    examples = load_examples(DataConfig(annotations=(str(path),), annotations_split="hash"))
    assert {e.split for e in examples} <= {"train", "dev", "test"}
    assert all(e.split == hash_split(e.id) for e in examples)
    vocab = build_char_vocab(e.text for e in examples)
    data = examples_to_dataset(examples, vocab, window=32, stride=24)
    ids_by_split = {split: set(data[split]["report_id"]) for split in data}
    splits = list(ids_by_split)
    for i, a in enumerate(splits):
        for b in splits[i + 1 :]:
            assert not ids_by_split[a] & ids_by_split[b]
    assert sum(len(ids) for ids in ids_by_split.values()) == 30


def test_dataset_generated_reports_split_by_seed(tmp_path):
    pytest.importorskip("training.synth", reason="generator not available")
    from training import synth

    if not hasattr(synth, "generate_report"):
        pytest.skip("training.synth.generate_report not available yet")
    config = DataConfig(annotations=(), synth_train=2, synth_dev=1, synth_test=1, synth_seed=5)
    examples = load_examples(config)
    seeds = {
        split: {e.meta["seed"] for e in examples if e.split == split} for split in ("train", "dev", "test")
    }
    assert seeds == {"train": {5, 6}, "dev": {1_000_005}, "test": {2_000_005}}
    for example in examples:
        for span in example.spans:
            assert example.text[span.start : span.end] == span.text


def test_dataset_excluded_ids_are_left_out(tmp_path):
    path = tmp_path / "a.jsonl"
    write_annotations(
        path, [annotation("a", "申请1件", [("1件", "COUNT")]), annotation("b", "申请2件", [("2件", "COUNT")])]
    )
    examples = load_examples(DataConfig(annotations=(str(path),), exclude_ids=("a",)))
    assert [e.id for e in examples] == ["b"]
