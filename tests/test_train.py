from __future__ import annotations

import json
from dataclasses import replace

import pytest

from inference.tag import load_tagger
from inference.tag_onnx import OnnxEncoder
from training.dataset import DataConfig
from training.model import ModelConfig
from training.train import OptimConfig, TrainConfig, load_config, train

REPORTS = [
    (
        "a",
        "本年共受理政府信息公开申请342件，其中当面申请12件。",
        [("政府信息公开申请", "METRIC"), ("342件", "COUNT"), ("当面申请", "CATEGORY"), ("12件", "COUNT")],
    ),
    (
        "b",
        "行政复议\t结果维持\t5\n行政诉讼\t总计\t7\n",
        [
            ("行政复议", "METRIC"),
            ("结果维持", "CATEGORY"),
            ("5", "COUNT"),
            ("行政诉讼", "METRIC"),
            ("总计", "CATEGORY"),
            ("7", "COUNT"),
        ],
    ),
]

TINY_MODEL = ModelConfig(
    hidden_size=32,
    num_hidden_layers=2,
    num_attention_heads=2,
    intermediate_size=64,
    max_position_embeddings=64,
    dropout=0.0,
)


def annotation(report_id, text, marked):
    spans, cursor = [], 0
    for piece, label in marked:
        start = text.index(piece, cursor)
        spans.append({"start": start, "end": start + len(piece), "label": label, "text": piece})
        cursor = start + len(piece)
    return {"id": report_id, "text": text, "spans": spans, "meta": {"origin": "seed", "layout": "test"}}


@pytest.fixture
def tiny_annotations(tmp_path):
    path = tmp_path / "tiny.jsonl"
    path.write_text(
        "\n".join(json.dumps(annotation(*r), ensure_ascii=False) for r in REPORTS) + "\n", encoding="utf-8"
    )
    return path


def tiny_config(path, **train) -> TrainConfig:
    options = dict(
        epochs=150, batch_size=2, learning_rate=3e-3, unk_rate=0.0, seed=3, max_minutes=2.0, threads=1
    )
    options.update(train)
    return TrainConfig(
        data=DataConfig(annotations=(str(path),), window=40, stride=30),
        model=TINY_MODEL,
        train=OptimConfig(**options),
    )


def spans_of(tagger, texts):
    return [[(s.start, s.end, s.label, s.text) for s in spans] for spans in tagger.tag_batch(texts)]


def gold_spans():
    out = []
    for _, text, marked in REPORTS:
        spans, cursor = [], 0
        for piece, label in marked:
            start = text.index(piece, cursor)
            spans.append((start, start + len(piece), label, piece))
            cursor = start + len(piece)
        out.append(spans)
    return out


def test_train_overfits_two_reports_and_round_trips(tiny_annotations, tmp_path):
    out = tmp_path / "model"
    metrics = train(tiny_config(tiny_annotations), out, progress=False)
    assert metrics["history"][-1]["loss"] < 0.1
    tagger = load_tagger(out)
    texts = [text for _, text, _ in REPORTS]
    predicted = spans_of(tagger, texts)
    assert predicted == gold_spans()
    again = load_tagger(out)
    assert spans_of(again, texts) == predicted
    for name in (
        "model.safetensors",
        "config.json",
        "char_vocab.json",
        "tagger.json",
        "train_config.json",
        "data_summary.json",
        "metrics.json",
        "model.onnx",
    ):
        assert (out / name).is_file()
    assert not list(out.glob("*.bin")), "weights must be safetensors only"
    # prediction runs the export (no torch); the trained spans are the torch model's
    assert isinstance(tagger.model, OnnxEncoder)
    config = json.loads((out / "config.json").read_text())
    assert config["id2label"]["0"] == "O" and set(config["label2id"]) >= {"B-COUNT", "I-METRIC"}
    # The label decoder is fitted on the training tags and saved with the model; refitting it from
    # the saved train_config.json (`python -m training.decoder DIR`) gives the same tables.
    assert tagger.decoder is not None
    from training.decoder import refit_model_decoder

    assert refit_model_decoder(out) == tagger.decoder


def test_train_is_deterministic_for_a_seed(tiny_annotations, tmp_path):
    a = train(tiny_config(tiny_annotations, epochs=3), tmp_path / "a", progress=False)
    b = train(tiny_config(tiny_annotations, epochs=3), tmp_path / "b", progress=False)
    assert a["history"] == b["history"]
    assert (tmp_path / "a" / "model.safetensors").read_bytes() == (
        tmp_path / "b" / "model.safetensors"
    ).read_bytes()


def test_train_fine_tunes_a_local_base_model(tiny_annotations, tmp_path):
    from transformers import BertConfig, BertModel

    base = tmp_path / "base"
    tokens = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "[unused1]", "[unused2]"]
    tokens += sorted({c for _, text, _ in REPORTS for c in text} - {"\t", "\n"})
    config = BertConfig(
        vocab_size=len(tokens),
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=64,
    )
    BertModel(config).save_pretrained(base, safe_serialization=True)
    (base / "vocab.txt").write_text("\n".join(tokens) + "\n", encoding="utf-8")
    out = tmp_path / "tuned"
    cfg = replace(tiny_config(tiny_annotations), base_model=str(base))
    train(cfg, out, progress=False)
    tagger = load_tagger(out)
    assert tagger.vocab.encode("\t")[0] == tokens.index("[unused2]")
    assert spans_of(tagger, [text for _, text, _ in REPORTS]) == gold_spans()


def test_train_config_files_load():
    baby = load_config("training/baby.toml")
    default = load_config("training/default.toml")
    assert baby.model.hidden_size == 32 and baby.model.num_hidden_layers == 2
    assert default.data.annotations == ("annotations/seeds.jsonl",)


def test_train_unknown_config_key_is_a_user_error(tmp_path):
    from inference.errors import UserError

    path = tmp_path / "bad.toml"
    path.write_text("[train]\nepoch = 3\n")
    with pytest.raises(UserError, match="unknown keys"):
        load_config(path)


def test_linker_only_training_records_its_recipe(tmp_path):
    """`gia train --linker-only` into a model directory records the linker recipe it used."""
    import json

    from training.train import config_from_dict, train_and_save_linker

    (tmp_path / "train_config.json").write_text(json.dumps({"linker": {"threshold": 0.9}}), encoding="utf-8")
    raw = {"linker": {"synth": 2, "epochs": 1, "members": 1, "hints": "with", "threshold": 0.6}}
    train_and_save_linker(config_from_dict(raw), tmp_path)
    recorded = json.loads((tmp_path / "train_config.json").read_text(encoding="utf-8"))
    assert recorded["linker"]["hints"] == "with" and recorded["linker"]["threshold"] == 0.6
    assert (tmp_path / "linker.safetensors").is_file()
