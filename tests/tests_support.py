"""Shared helpers for assembly tests: seed reports assembled from their gold spans (no model involved)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from inference import REPO_ROOT
from inference.assemble import Assembly, assemble
from inference.metadata import detect_metadata
from inference.normalize import normalize
from inference.records import Span
from training.dataset import project_span

SEEDS_JSONL = REPO_ROOT / "annotations" / "seeds.jsonl"


@cache
def seed_annotations() -> dict[str, dict]:
    with SEEDS_JSONL.open(encoding="utf-8") as handle:
        return {d["id"]: d for d in map(json.loads, handle)}


def gold_spans_normalised(annotation: dict) -> tuple[str, list[Span]]:
    """The normalised text and the annotation's spans projected onto it."""
    doc = normalize(annotation["text"])
    spans = []
    for s in annotation["spans"]:
        start, end = project_span(doc, s["start"], s["end"])
        spans.append(Span(start, end, s["label"], doc.text[start:end]))
    return doc.text, spans


def assemble_seed(report_id: str) -> tuple[Assembly, str]:
    text, spans = gold_spans_normalised(seed_annotations()[report_id])
    return assemble(text, spans, detect_metadata(text)), text


def layout_rows(rows: list[tuple[str, str]], layout: str) -> list[str]:
    """Table rows `(label, "v1 v2 …")` printed as one layout prints them: `tab`, `markdown`,
    `cell_per_line`, `collapsed` (cells after the label, spaces) or `digit_run` (cells run together)."""
    lines: list[str] = []
    for label, values in rows:
        cells = values.split()
        if layout == "tab":
            lines.append("\t".join([label, *cells]))
        elif layout == "markdown":
            lines.append("| " + " | ".join([label, *cells]) + " |")
        elif layout == "cell_per_line":
            lines.extend([label, *cells])
        elif layout == "collapsed":
            lines.append(" ".join([label, *cells]))
        elif layout == "digit_run":
            lines.append(label + "".join(cells))
    return lines


def tiny_model_dir(model_dir: Path, texts: list[str], seed: int = 0) -> Path:
    """A random-init tiny BERT (hidden 32, 2 layers) over `texts`' characters, saved as `gia train`
    saves one (weights, config, vocabulary), without the ONNX export."""
    from training.model import ModelConfig, build_char_vocab, build_model

    vocab = build_char_vocab(texts)
    config = ModelConfig(
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=64,
    )
    build_model(config, vocab, seed=seed).save_pretrained(model_dir, safe_serialization=True)
    vocab.save(model_dir)
    return model_dir
