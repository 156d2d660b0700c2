"""The Viterbi label decoder: counting, constraints, what it fixes, persistence."""

from __future__ import annotations

import json

import numpy as np
import pytest

from inference.errors import UserError
from inference.tag import BIO_LABELS, LabelDecoder, ModelTagger, load_tagger, spans_to_char_tags
from training.dataset import generate_examples
from training.decoder import fit_decoder
from training.model import ModelConfig, build_char_vocab, build_model
from training.train import save_model

TEXT = "行政复议3件"
GOLD = [("METRIC", 0, 4), ("COUNT", 4, 6)]


def soft(tags, confidence=0.9):
    """Per-character distributions putting `confidence` on the given tag, the rest spread evenly."""
    probs = np.full((len(tags), len(BIO_LABELS)), (1 - confidence) / (len(BIO_LABELS) - 1), dtype=np.float32)
    for i, tag in enumerate(tags):
        probs[i, BIO_LABELS.index(tag)] = confidence
    return probs


@pytest.fixture(scope="module")
def decoder():
    return fit_decoder(generate_examples(6, 1, "train"))


def test_decoder_counts_prior_and_transitions():
    sequences = [["O", "B-COUNT", "I-COUNT", "O"], ["B-METRIC", "I-METRIC", "O"]]
    decoder = LabelDecoder.from_tag_sequences(BIO_LABELS, sequences, smoothing=1e-9)
    index = {label: i for i, label in enumerate(BIO_LABELS)}
    transitions = np.exp(np.array(decoder.log_transitions))
    prior = np.exp(np.array(decoder.log_prior))
    assert transitions[index["B-COUNT"], index["I-COUNT"]] == pytest.approx(1.0, rel=1e-4)
    assert transitions[index["I-METRIC"], index["O"]] == pytest.approx(1.0, rel=1e-4)
    assert prior[index["O"]] == pytest.approx(3 / 7, rel=1e-4)
    with pytest.raises(ValueError, match="positive"):
        LabelDecoder.from_tag_sequences(BIO_LABELS, sequences, smoothing=0)
    assert np.allclose(transitions[[index["O"], index["B-COUNT"]]].sum(axis=1), 1.0, rtol=1e-4)


def test_decoder_never_opens_a_span_with_i(decoder):
    # The most likely tag at every character is I-COUNT; a valid path must start it with B-COUNT.
    probs = soft(["I-COUNT", "I-COUNT", "I-COUNT"], confidence=0.6)
    path = [BIO_LABELS[i] for i in decoder.best_path(probs)]
    assert path[0] != "I-COUNT"
    for previous, tag in zip(path, path[1:], strict=False):
        assert not tag.startswith("I-") or previous[2:] == tag[2:]


def test_decoder_mends_a_fragmented_span(decoder):
    # The model wavers on 政 (O slightly ahead of I-METRIC); argmax runs split 行政复议 in two.
    probs = soft(["B-METRIC", "I-METRIC", "I-METRIC", "I-METRIC", "B-COUNT", "I-COUNT"])
    probs[1] = soft(["O"], confidence=0.5)[0]
    probs[1, BIO_LABELS.index("I-METRIC")] = 0.45
    spans = decoder.decode(TEXT, probs)
    assert [(s.label, s.start, s.end) for s in spans] == GOLD
    assert spans[0].text == "行政复议" and 0 < spans[0].score <= 1


def test_decoder_splits_adjacent_spans_of_one_label(decoder):
    # Header cells glued together (`结果维持结果纠正`): B-CATEGORY marks where the second begins.
    text = "结果维持结果纠正"
    probs = soft(["B-CATEGORY"] + ["I-CATEGORY"] * 3 + ["B-CATEGORY"] + ["I-CATEGORY"] * 3)
    spans = decoder.decode(text, probs)
    assert [s.text for s in spans] == ["结果维持", "结果纠正"]


def test_decoder_recovers_gold_from_confident_gold_probabilities(decoder):
    example = generate_examples(1, 5, "train")[0]
    tags = spans_to_char_tags(len(example.text), example.spans)
    spans = decoder.decode(example.text, soft(tags, confidence=0.95))
    assert [(s.start, s.end, s.label) for s in spans] == [(s.start, s.end, s.label) for s in example.spans]


def test_decoder_json_round_trip_and_validation(decoder):
    assert LabelDecoder.from_json(json.loads(json.dumps(decoder.to_json()))) == decoder
    broken = decoder.to_json()
    broken["log_prior"] = broken["log_prior"][:-1]
    with pytest.raises(ValueError, match="do not match"):
        LabelDecoder.from_json(broken)


def test_decoder_is_saved_with_the_model_and_loaded(tmp_path, decoder):
    from training.train import TrainConfig

    vocab = build_char_vocab([TEXT])
    model = build_model(
        ModelConfig(hidden_size=16, num_hidden_layers=1, num_attention_heads=2, intermediate_size=32),
        vocab,
        seed=0,
    )
    save_model(
        model, vocab, tmp_path, window=30, config=TrainConfig(), examples=[], metrics={}, decoder=decoder
    )
    tagger = load_tagger(tmp_path)
    assert tagger.decoder == decoder
    assert tagger.tag_batch([TEXT]) == [decoder.decode(TEXT, tagger.predict_probs([TEXT])[0])]
    # Broken decoder tables are a clear error naming the file.
    settings = json.loads((tmp_path / "tagger.json").read_text())
    settings["decoder"]["log_transitions"] = [[0.0]]
    (tmp_path / "tagger.json").write_text(json.dumps(settings))
    with pytest.raises(UserError, match="tagger.json: invalid decoder"):
        load_tagger(tmp_path)


def test_decoder_labels_must_match_the_model(decoder):
    vocab = build_char_vocab([TEXT])
    model = build_model(
        ModelConfig(hidden_size=16, num_hidden_layers=1, num_attention_heads=2, intermediate_size=32),
        vocab,
        seed=0,
    )
    other = LabelDecoder.from_tag_sequences(("O", "B-COUNT", "I-COUNT"), [["O", "B-COUNT"]])
    with pytest.raises(UserError, match="decoder labels"):
        ModelTagger(model, vocab, decoder=other)


def test_decoder_never_cuts_a_number(decoder):
    # The model thinks the `2` and the `1` of a year are counts (a real leave-one-out error):
    # spans may not start or end between two digits, so the year is one unit, and O here.
    text = "城阳区2017年报告"
    tags = ["O"] * len(text)
    tags[3], tags[5] = "B-COUNT", "B-COUNT"
    probs = soft(tags, confidence=0.6)
    spans = decoder.decode(text, probs)
    assert all(not (s.start > 0 and text[s.start - 1].isdigit() and text[s.start].isdigit()) for s in spans)
    assert all(not (s.end < len(text) and text[s.end - 1].isdigit() and text[s.end].isdigit()) for s in spans)
    # …and a count split by a wavering B tag (`4` + `4个`) is kept whole.
    text = "查阅点44个"
    probs = soft(["O", "O", "O", "B-COUNT", "B-COUNT", "I-COUNT"])
    assert [s.text for s in decoder.decode(text, probs)] == ["44个"]


def test_digit_joins():
    from inference.tag import digit_joins

    assert digit_joins("a12 3").tolist() == [False, False, True, False, False]
    assert digit_joins("").tolist() == []
