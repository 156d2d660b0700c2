"""Masked-language-model pretraining of the character encoder on real report text (`gia pretrain`).

Real reports without labels are plentiful; labelled ones are few. Pretraining the same small
character BERT the tagger uses (`training.model.ModelConfig`) to predict masked characters of real
report text teaches it the reports' vocabulary and layouts before fine-tuning; `gia train
--base-model DIR` then fine-tunes the saved checkpoint (its `char_vocab.json` travels with it).

Text: every `.txt`/`.html` report under the given folders, read and normalised exactly as at
inference, cut into windows of `window` characters. Masking follows BERT: 15% of characters are
chosen; of those 80% become `[MASK]`, 10% a random character, 10% stay.

Usage: `gia pretrain annotations/unlabelled annotations/real/reports annotations/seeds -o runs/pretrained
--minutes 10` (sizes and dropout from `--config`, default `training/default.toml`, so the fine-tuned
tagger has the default's shape). Whether it helps is measured by `training/pretrain_ablation.py`
(`docs/results/pretrain_ablation.txt`).
"""

from __future__ import annotations

import logging
import random
import time
from dataclasses import dataclass
from pathlib import Path

from inference.normalize import normalize
from inference.read import read_report
from inference.tag import DEFAULT_WINDOW, CharVocab
from training.model import ModelConfig, build_char_vocab

logger = logging.getLogger(__name__)

REPORT_SUFFIXES = (".txt", ".html", ".htm")


@dataclass(frozen=True)
class PretrainConfig:
    """Budget and masking; model sizes are the tagger's (`ModelConfig`)."""

    minutes: float = 10.0
    max_steps: int = 0  # 0: until `minutes` are spent
    batch_size: int = 16
    learning_rate: float = 1e-3
    mask_rate: float = 0.15
    window: int = DEFAULT_WINDOW
    seed: int = 13
    model: ModelConfig = ModelConfig(dropout=0.1, position_init="sinusoidal")


def report_texts(folders: list[Path]) -> list[str]:
    """Normalised text of every report file under `folders` (README files are not reports)."""
    texts = []
    for folder in folders:
        paths = [folder] if folder.is_file() else sorted(folder.rglob("*"))
        for path in paths:
            if path.suffix in REPORT_SUFFIXES and path.stem.upper() != "README" and path.is_file():
                texts.append(normalize(read_report(path).text).text)
    return texts


def windows(texts: list[str], window: int) -> list[str]:
    """Non-overlapping windows of `window` characters (the last one of each text may be shorter)."""
    return [t[i : i + window] for t in texts for i in range(0, len(t), window) if t[i : i + window].strip()]


def mask_batch(pieces: list[str], vocab: CharVocab, rng: random.Random, rate: float):
    """Token ids, attention mask and MLM labels (-100 where not masked), BERT's 80/10/10 scheme."""
    import torch

    width = max(len(p) for p in pieces) + 2
    ids = torch.full((len(pieces), width), vocab.pad_id, dtype=torch.long)
    labels = torch.full((len(pieces), width), -100, dtype=torch.long)
    attention = torch.zeros((len(pieces), width), dtype=torch.long)
    mask_id = vocab.index["[MASK]"]
    for row, piece in enumerate(pieces):
        tokens = [vocab.cls_id, *vocab.encode(piece), vocab.sep_id]
        for pos in range(1, len(tokens) - 1):
            if rng.random() >= rate:
                continue
            labels[row, pos] = tokens[pos]
            roll = rng.random()
            tokens[pos] = mask_id if roll < 0.8 else rng.randrange(len(vocab)) if roll < 0.9 else tokens[pos]
        ids[row, : len(tokens)] = torch.tensor(tokens)
        attention[row, : len(tokens)] = 1
    return ids, attention, labels


def build_mlm(config: PretrainConfig, vocab: CharVocab):
    from transformers import BertConfig, BertForMaskedLM

    from training.model import sinusoidal_positions

    m = config.model
    model = BertForMaskedLM(
        BertConfig(
            vocab_size=len(vocab),
            hidden_size=m.hidden_size,
            num_hidden_layers=m.num_hidden_layers,
            num_attention_heads=m.num_attention_heads,
            intermediate_size=m.intermediate_size,
            max_position_embeddings=m.max_position_embeddings,
            hidden_dropout_prob=m.dropout,
            attention_probs_dropout_prob=m.dropout,
            pad_token_id=vocab.pad_id,
        )
    )
    if m.position_init == "sinusoidal":
        table = sinusoidal_positions(m.max_position_embeddings, m.hidden_size)
        model.bert.embeddings.position_embeddings.weight.data.copy_(table)
    return model


def masked_lm_loss(model, ids, attention, labels, masked):
    """BertForMaskedLM's loss, with the vocabulary head applied to the masked positions only.

    Same value as `model(..., labels=labels).loss` (mean cross-entropy over masked characters), but
    the output layer (hidden × vocabulary, ~40% of a step's arithmetic at 128 × 3) runs on 15% of
    the positions instead of all of them.
    """
    import torch

    hidden = model.bert(input_ids=ids, attention_mask=attention)[0]
    logits = model.cls(hidden[masked])
    return torch.nn.functional.cross_entropy(logits, labels[masked])


def pretrain(folders: list[Path], output: Path, config: PretrainConfig = PretrainConfig()) -> dict:
    """Pretrain on the reports under `folders`; write a checkpoint `gia train --base-model` reads.

    Returns `{"steps", "minutes", "windows", "loss"}` (mean MLM loss of the last 50 steps).
    """
    import torch

    texts = report_texts(folders)
    if not texts:
        from inference.errors import UserError

        raise UserError(f"no .txt/.html reports under {', '.join(map(str, folders))}")
    vocab = build_char_vocab(texts)
    pieces = windows(texts, config.window)
    rng = random.Random(config.seed)
    torch.manual_seed(config.seed)
    model = build_mlm(config, vocab).train()
    optimiser = torch.optim.AdamW(model.parameters(), lr=config.learning_rate, weight_decay=0.01)
    started, step, recent = time.monotonic(), 0, []
    while (time.monotonic() - started) / 60 < config.minutes and (
        not config.max_steps or step < config.max_steps
    ):
        batch = rng.sample(pieces, min(config.batch_size, len(pieces)))
        ids, attention, labels = mask_batch(batch, vocab, rng, config.mask_rate)
        masked = labels != -100
        if not masked.any():
            continue
        loss = masked_lm_loss(model, ids, attention, labels, masked)
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
        recent = (recent + [float(loss.detach())])[-50:]
        step += 1
        if step % 100 == 0:
            logger.info("pretrain step %d: MLM loss %.3f", step, sum(recent) / len(recent))
    output.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(output, safe_serialization=True)
    vocab.save(output)
    minutes = (time.monotonic() - started) / 60
    return {
        "steps": step,
        "minutes": round(minutes, 2),
        "windows": len(pieces),
        "loss": sum(recent) / len(recent),
    }
