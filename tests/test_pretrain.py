"""`gia pretrain`: a masked-LM checkpoint of the character encoder that `gia train --base-model` loads."""

from __future__ import annotations

from pathlib import Path

from training.model import ModelConfig, load_base_model
from training.pretrain import PretrainConfig, mask_batch, pretrain, report_texts

SEEDS = Path(__file__).resolve().parents[1] / "annotations" / "seeds"
TINY = ModelConfig(hidden_size=16, num_hidden_layers=1, num_attention_heads=2, intermediate_size=32)


def test_pretrained_checkpoint_loads_as_a_tagger_base(tmp_path):
    config = PretrainConfig(minutes=1.0, max_steps=3, batch_size=2, window=64, model=TINY)
    info = pretrain([SEEDS / "000_e66166ac253deb62.txt"], tmp_path, config)
    assert info["steps"] == 3 and info["loss"] > 0
    model, vocab = load_base_model(tmp_path)
    assert model.config.num_labels == 7 and "[MASK]" in vocab.index


def test_masking_labels_only_masked_positions():
    import random

    from training.model import build_char_vocab

    text = report_texts([SEEDS / "000_e66166ac253deb62.txt"])[0][:200]
    vocab = build_char_vocab([text])
    ids, attention, labels = mask_batch([text], vocab, random.Random(1), 0.15)
    masked = (labels != -100).sum().item()
    assert 10 <= masked <= 60  # about 15% of 200 characters
    assert attention.sum().item() == len(text) + 2


def test_masked_only_head_gives_the_models_own_loss():
    import random

    import torch

    from training.model import build_char_vocab
    from training.pretrain import build_mlm, masked_lm_loss

    text = report_texts([SEEDS / "000_e66166ac253deb62.txt"])[0][:120]
    vocab = build_char_vocab([text])
    torch.manual_seed(0)
    model = build_mlm(PretrainConfig(model=TINY), vocab).eval()
    ids, attention, labels = mask_batch([text, text[:60]], vocab, random.Random(2), 0.15)
    full = model(input_ids=ids, attention_mask=attention, labels=labels).loss
    fast = masked_lm_loss(model, ids, attention, labels, labels != -100)
    assert torch.allclose(full, fast, atol=1e-5)


def test_ablation_refuses_a_checkpoint_of_another_shape_or_dropout(tmp_path):
    import json

    import pytest

    from training.pretrain_ablation import bert_sizes, check_sizes, tagger_config

    config = tagger_config("training/default.toml", steps=10, minutes=1.0, threads=1)
    assert config.train.max_steps == 10 and not config.linker.annotations and not config.linker.synth
    m = config.model
    saved = bert_sizes(config)
    (tmp_path / "config.json").write_text(json.dumps(saved))
    assert check_sizes(tmp_path, config)["hidden_size"] == m.hidden_size
    (tmp_path / "config.json").write_text(json.dumps(saved | {"hidden_dropout_prob": 0.1}))
    with pytest.raises(SystemExit, match="hidden_dropout_prob"):
        check_sizes(tmp_path, config)
