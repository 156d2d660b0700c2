"""Build the tagger's character vocabulary and its model (a small BERT from scratch, or a local base model).

The vocabulary is: special tokens, printable ASCII, `\\t`/`\\n`, common CJK punctuation, the
3,755 level-1 hanzi of GB 2312 (the everyday character set, generated from Python's own
`gb2312` codec, so nothing is downloaded) and every character seen in the training texts.
Training itself is left to `training.train`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from inference.errors import UserError
from inference.tag import BIO_LABELS, SPECIAL_TOKENS, CharVocab

logger = logging.getLogger(__name__)

CJK_PUNCTUATION = "，。、；：？！“”‘’（）《》〈〉【】〔〕「」『』—…·％～￥×"


def gb2312_level1_hanzi() -> list[str]:
    """The 3,755 level-1 (常用) hanzi of GB 2312, rows 16–55.

    `gb2312_level1_hanzi()[:3] -> ['啊', '阿', '埃']`
    """
    chars = []
    for row in range(0xB0, 0xD8):
        for cell in range(0xA1, 0xFF):
            try:
                chars.append(bytes([row, cell]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return chars


def build_char_vocab(texts: Iterable[str]) -> CharVocab:
    """Specials, then the fixed base set, then unseen training characters; each once, stable order."""
    base = [chr(c) for c in range(0x20, 0x7F)] + ["\t", "\n"] + list(CJK_PUNCTUATION) + gb2312_level1_hanzi()
    seen = set(SPECIAL_TOKENS)
    tokens = list(SPECIAL_TOKENS)
    for char in base:
        if char not in seen:
            seen.add(char)
            tokens.append(char)
    extra = sorted({char for text in texts for char in text} - seen)
    tokens.extend(extra)
    logger.info("character vocabulary: %d tokens (%d from training texts)", len(tokens), len(extra))
    return CharVocab(tokens=tuple(tokens))


@dataclass(frozen=True)
class ModelConfig:
    """Size of the from-scratch encoder. Defaults are the measured choice recorded in models/README.md."""

    hidden_size: int = 128
    num_hidden_layers: int = 3
    num_attention_heads: int = 4
    intermediate_size: int = 512
    max_position_embeddings: int = 256
    dropout: float = 0.1
    position_init: str = "random"  # "sinusoidal": start position embeddings from a scaled sin/cos table


def label_maps() -> tuple[dict[int, str], dict[str, int]]:
    id2label = dict(enumerate(BIO_LABELS))
    return id2label, {label: i for i, label in id2label.items()}


def build_model(config: ModelConfig, vocab: CharVocab, *, seed: int):
    """A randomly initialised `BertForTokenClassification` sized by `config`, carrying its label maps."""
    import torch
    from transformers import BertConfig, BertForTokenClassification

    id2label, label2id = label_maps()
    bert_config = BertConfig(
        vocab_size=len(vocab),
        hidden_size=config.hidden_size,
        num_hidden_layers=config.num_hidden_layers,
        num_attention_heads=config.num_attention_heads,
        intermediate_size=config.intermediate_size,
        max_position_embeddings=config.max_position_embeddings,
        hidden_dropout_prob=config.dropout,
        attention_probs_dropout_prob=config.dropout,
        pad_token_id=vocab.pad_id,
        num_labels=len(id2label),
        id2label=id2label,
        label2id=label2id,
    )
    torch.manual_seed(seed)
    model = BertForTokenClassification(bert_config)
    if config.position_init == "sinusoidal":
        table = sinusoidal_positions(config.max_position_embeddings, config.hidden_size)
        with torch.no_grad():
            model.bert.embeddings.position_embeddings.weight.copy_(table)
    elif config.position_init != "random":
        raise UserError(f"position_init must be 'random' or 'sinusoidal', got {config.position_init!r}")
    return model


def sinusoidal_positions(length: int, size: int, *, scale: float = 0.05):
    """The Transformer's sin/cos position table, scaled near the token embeddings' size (std 0.02).

    Learned absolute positions start as noise, and a small model trained for a few hundred steps
    has not yet learnt which character precedes which (it tags `6923条` as four COUNTs); a sin/cos
    start gives attention relative offsets from step one. The table stays trainable.
    """
    import torch

    position = torch.arange(length, dtype=torch.float32).unsqueeze(1)
    rate = torch.pow(10000.0, -torch.arange(0, size, 2, dtype=torch.float32) / size)
    table = torch.zeros(length, size)
    table[:, 0::2] = torch.sin(position * rate)
    table[:, 1::2] = torch.cos(position * rate[: size // 2])
    return table * scale


def base_vocab(base_dir: Path) -> CharVocab:
    """Character vocabulary for a base checkpoint: our own `char_vocab.json`, or its BERT-style `vocab.txt`.

    In a `vocab.txt` vocabulary, characters without a token of their own fall back to their lower-case
    form; `\\n` and `\\t` go to `[unused1]`/`[unused2]` when present (else `[UNK]`).
    """
    from inference.tag import VOCAB_FILE

    if (base_dir / VOCAB_FILE).is_file():
        return CharVocab.load(base_dir)
    vocab_txt = base_dir / "vocab.txt"
    if not vocab_txt.is_file():
        raise UserError(f"base model {base_dir} has neither {VOCAB_FILE} nor a BERT-style vocab.txt")
    tokens = tuple(vocab_txt.read_text(encoding="utf-8").split("\n"))
    if tokens and tokens[-1] == "":
        tokens = tokens[:-1]
    present = set(tokens)
    aliases: dict[str, str] = {}
    for char, target in (("\n", "[unused1]"), ("\t", "[unused2]")):
        aliases[char] = target if target in present else "[UNK]"
    for code in range(0x41, 0x5B):
        upper, lower = chr(code), chr(code).lower()
        if upper not in present and lower in present:
            aliases[upper] = lower
    return CharVocab(tokens=tokens, aliases=tuple(sorted(aliases.items())))


def load_base_model(base_dir: str | Path):
    """Load a local HF checkpoint (safetensors only) with a fresh token-classification head for our labels."""
    from transformers import AutoModelForTokenClassification

    base_dir = Path(base_dir)
    if not base_dir.is_dir():
        raise UserError(f"base model directory {base_dir} does not exist")
    if not any(base_dir.glob("*.safetensors")):
        raise UserError(
            f"base model {base_dir} has no .safetensors weights (pickled weights are never loaded)"
        )
    id2label, label2id = label_maps()
    vocab = base_vocab(base_dir)
    try:
        model = AutoModelForTokenClassification.from_pretrained(
            base_dir,
            num_labels=len(id2label),
            id2label=id2label,
            label2id=label2id,
            use_safetensors=True,
            ignore_mismatched_sizes=True,
        )
    except (OSError, ValueError) as exc:
        raise UserError(f"cannot load base model {base_dir}: {exc}") from exc
    if model.get_input_embeddings().num_embeddings < len(vocab):
        raise UserError(f"base model {base_dir}: vocabulary larger than the embedding matrix")
    return model, vocab
