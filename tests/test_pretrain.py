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
