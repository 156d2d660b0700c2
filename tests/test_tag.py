from __future__ import annotations

import json

import numpy as np
import pytest
from tests_support import tiny_model_dir

from inference.errors import UserError
from inference.records import Span
from inference.tag import (
    BIO_LABELS,
    LabelDecoder,
    ModelTagger,
    char_tags_to_spans,
    digit_joins,
    load_tagger,
    probs_to_spans,
    stitch_windows,
    text_to_windows,
    window_owners,
)
from inference.tag_torch import CompactBert, compact_bert_problem
from training.model import ModelConfig, build_char_vocab, build_model


@pytest.mark.parametrize(
    "length,window,stride",
    [(0, 8, 4), (1, 8, 4), (8, 8, 4), (9, 8, 4), (10, 4, 3), (100, 16, 8), (1000, 254, 127), (257, 254, 192)],
)
def test_tag_windows_cover_every_character(length, window, stride):
    windows = text_to_windows(length, window, stride)
    covered = sorted({i for start, end in windows for i in range(start, end)})
    assert covered == list(range(length))
    assert all(0 < end - start <= window for start, end in windows)
    assert all(b[0] - a[0] <= stride for a, b in zip(windows, windows[1:], strict=False))


def test_tag_windows_example():
    assert text_to_windows(10, 4, 3) == [(0, 4), (3, 7), (6, 10)]


@pytest.mark.parametrize("length,window,stride", [(10, 4, 2), (37, 8, 3), (100, 16, 8), (5, 8, 4)])
def test_tag_stitching_takes_the_most_central_window(length, window, stride):
    windows = text_to_windows(length, window, stride)
    # Window k "predicts" label k % 7 for every character; the stitched label must come from the
    # window where the character is most central (earliest on ties).
    probs = []
    for k, (start, end) in enumerate(windows):
        p = np.zeros((end - start, len(BIO_LABELS)), dtype=np.float32)
        p[:, k % len(BIO_LABELS)] = 1.0
        probs.append(p)
    stitched = stitch_windows(length, windows, probs)
    for i in range(length):
        centrality = [min(i - s, e - 1 - i) if s <= i < e else -1 for s, e in windows]
        best = int(np.argmax(centrality))
        assert stitched[i].argmax() == best % len(BIO_LABELS)


def test_tag_stitching_round_trips_identical_windows():
    rng = np.random.default_rng(0)
    length = 50
    full = rng.random((length, len(BIO_LABELS))).astype(np.float32)
    windows = text_to_windows(length, 12, 5)
    stitched = stitch_windows(length, windows, [full[s:e] for s, e in windows])
    assert np.array_equal(stitched, full)


@pytest.mark.parametrize(
    "tags,expected",
    [
        (["B-COUNT", "I-COUNT", "O"], [(0, 2, "COUNT")]),
        (["I-COUNT", "I-COUNT", "O"], [(0, 2, "COUNT")]),
        (["B-METRIC", "I-COUNT", "I-COUNT"], [(0, 1, "METRIC"), (1, 3, "COUNT")]),
        (["B-COUNT", "B-COUNT", "I-COUNT"], [(0, 1, "COUNT"), (1, 3, "COUNT")]),
        (["O", "O", "B-CATEGORY"], [(2, 3, "CATEGORY")]),
    ],
)
def test_tag_char_tags_to_spans(tags, expected):
    text = "abc"
    spans = char_tags_to_spans(text, tags, [0.5, 0.7, 0.9])
    assert [(s.start, s.end, s.label) for s in spans] == expected
    assert all(s.text == text[s.start : s.end] for s in spans)


def test_tag_span_score_is_mean_max_prob():
    (span,) = char_tags_to_spans("342件", ["B-COUNT", "I-COUNT", "I-COUNT", "I-COUNT"], [1.0, 0.5, 1.0, 0.5])
    assert span == Span(0, 4, "COUNT", "342件", 0.75)


def test_tag_random_model_tags_any_length_in_one_batch():
    texts = ["", "甲", "本年共受理申请342件。" * 40]
    vocab = build_char_vocab(texts)
    model = build_model(
        ModelConfig(
            hidden_size=32,
            num_hidden_layers=2,
            num_attention_heads=2,
            intermediate_size=64,
            max_position_embeddings=64,
        ),
        vocab,
        seed=0,
    )
    tagger = ModelTagger(model, vocab, window=30, batch_size=4)
    out = tagger.tag_batch(texts)
    assert len(out) == 3 and out[0] == []
    for text, spans in zip(texts, out, strict=True):
        for span in spans:
            assert text[span.start : span.end] == span.text and 0 < span.score <= 1
    probs = tagger.predict_probs(texts)
    assert [p.shape[0] for p in probs] == [len(t) for t in texts]
    # Batching must not change predictions.
    assert tagger.tag_batch(texts[2:]) == out[2:]


def test_tag_missing_model_dir_is_a_user_error(tmp_path):
    with pytest.raises(UserError, match="does not exist"):
        load_tagger(tmp_path / "nope")


def test_tag_incomplete_model_dir_is_a_user_error(tmp_path):
    (tmp_path / "config.json").write_text("{}")
    with pytest.raises(UserError, match="missing model.safetensors"):
        load_tagger(tmp_path)


def one_hot(tags):
    probs = np.zeros((len(tags), len(BIO_LABELS)), dtype=np.float32)
    for i, tag in enumerate(tags):
        probs[i, BIO_LABELS.index(tag)] = 1.0
    return probs


@pytest.mark.parametrize(
    "tags,expected",
    [
        # B/I confusions inside a run do not fragment it
        (["O", "B-COUNT", "B-COUNT", "I-COUNT", "B-COUNT", "I-COUNT"], [(1, 6, "COUNT")]),
        (
            ["B-METRIC", "I-METRIC", "B-COUNT", "I-COUNT", "O", "I-CATEGORY"],
            [(0, 2, "METRIC"), (2, 4, "COUNT"), (5, 6, "CATEGORY")],
        ),
        (["O", "O", "O", "O", "O", "O"], []),
    ],
)
def test_tag_probs_to_spans_decodes_label_runs(tags, expected):
    text = "共6923条"
    spans = probs_to_spans(text, one_hot(tags), BIO_LABELS)
    assert [(s.start, s.end, s.label) for s in spans] == expected
    assert all(s.score == 1.0 and s.text == text[s.start : s.end] for s in spans)


def test_tag_probs_to_spans_sums_b_and_i():
    # O is the single most likely tag, but B-COUNT + I-COUNT together outweigh it.
    probs = np.zeros((1, len(BIO_LABELS)), dtype=np.float32)
    probs[0, BIO_LABELS.index("O")] = 0.4
    probs[0, BIO_LABELS.index("B-COUNT")] = 0.3
    probs[0, BIO_LABELS.index("I-COUNT")] = 0.3
    (span,) = probs_to_spans("5", probs, BIO_LABELS)
    assert span.label == "COUNT" and span.score == pytest.approx(0.6)


@pytest.mark.parametrize("window,stride", [(30, 15), (30, 7), (62, 31)])
def test_tag_compact_bert_equals_transformers(tmp_path, window, stride):
    """The compact forward pass gives transformers' probabilities and spans, padding included."""
    texts = ["", "甲", "本年共受理申请342件,办结340件。\t其中网上申请12件\n" * 9, "主动公开政府信息1520条。"]
    model_dir = tiny_model_dir(tmp_path, texts)
    compact = load_tagger(model_dir, batch_size=3)
    reference = load_tagger(model_dir, batch_size=3, compact=False)
    assert isinstance(compact.model, CompactBert) and not isinstance(reference.model, CompactBert)
    for tagger in (compact, reference):
        tagger.window, tagger.stride = window, stride
    for ours, theirs in zip(compact.predict_probs(texts), reference.predict_probs(texts), strict=True):
        assert ours.shape == theirs.shape
        np.testing.assert_allclose(ours, theirs, atol=1e-6)
    assert compact.tag_batch(texts) == reference.tag_batch(texts)


def test_tag_compact_bert_refuses_other_architectures(tmp_path):
    model_dir = tiny_model_dir(tmp_path, ["甲乙"])
    config = json.loads((model_dir / "config.json").read_text())
    assert compact_bert_problem(config) is None
    assert "hidden_act" in compact_bert_problem({**config, "hidden_act": "relu"})
    (model_dir / "config.json").write_text(json.dumps({**config, "hidden_act": "relu"}))
    assert not isinstance(load_tagger(model_dir).model, CompactBert)


@pytest.mark.parametrize("length,window,stride", [(10, 6, 4), (37, 8, 3), (1000, 254, 127), (5, 8, 4)])
def test_tag_window_owners_follow_stitching(length, window, stride):
    """Each character is owned by exactly the window `stitch_windows` takes its labels from."""
    windows = text_to_windows(length, window, stride)
    owners = window_owners(length, windows)
    probs = [
        np.full((end - start, len(BIO_LABELS)), k, dtype=np.float32) for k, (start, end) in enumerate(windows)
    ]
    stitched = stitch_windows(length, windows, probs)[:, 0]
    assert sorted(np.concatenate(owners).tolist()) == list(range(length))
    for k, own in enumerate(owners):
        assert (stitched[own] == k).all()


def test_tag_compact_bert_names_a_missing_tensor(tmp_path):
    from safetensors.torch import load_file, save_file

    model_dir = tiny_model_dir(tmp_path, ["甲乙"])
    weights = load_file(str(model_dir / "model.safetensors"))
    del weights["bert.embeddings.LayerNorm.bias"]
    save_file(weights, str(model_dir / "model.safetensors"))
    with pytest.raises(UserError, match="LayerNorm.bias"):
        load_tagger(model_dir)


def test_tag_batched_viterbi_equals_one_by_one():
    """`best_paths` steps all texts at once; its paths are `best_path`'s exactly (lengths differ, 0 too)."""
    tags = [["O", "B-COUNT", "I-COUNT", "O", "B-METRIC", "I-METRIC", "I-METRIC", "B-CATEGORY", "O"]] * 3
    decoder = LabelDecoder.from_tag_sequences(BIO_LABELS, tags)
    rng = np.random.default_rng(1)
    probs = [
        rng.dirichlet(np.full(len(BIO_LABELS), 0.3), size=n).astype(np.float32) for n in (0, 1, 7, 120, 33)
    ]
    joins = [rng.random(len(p)) < 0.3 for p in probs]
    for got, expected in zip(
        decoder.best_paths(probs, joins), map(decoder.best_path, probs, joins), strict=True
    ):
        assert np.array_equal(got, expected)
    texts = ["", "1", "共342件,办结3件", "本年受理申请" * 20, "主动公开政府信息1520条" * 3]
    probs = [rng.dirichlet(np.full(len(BIO_LABELS), 0.3), size=len(t)).astype(np.float32) for t in texts]
    assert decoder.decode_batch(texts, probs) == [
        decoder.decode(t, p) for t, p in zip(texts, probs, strict=True)
    ]


def test_digit_joins_keep_a_grouped_number_whole():
    """`1,003` is one number: a span may not start at its separator or after it (a probe of
    2026-11-30: the model had tagged `003件` in `比上年增加1,003件`, which then read as a count)."""
    text = "增加1,003件，共12，345条，第1,2项"
    joins = digit_joins(text)
    assert [text[i] for i in range(len(text)) if joins[i]] == list(",003") + list("2，345")
    assert not joins[text.index("1,2") + 1]  # `1,2`: a list, not a grouped number
