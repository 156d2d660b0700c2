"""Tagging throughput (characters per second) of a model vs a bert-base-sized encoder, same code path.

usage: python -m training.bench_tagger [--model models/default] [--chars 60000] [--threads 2] [--json]

Both taggers are `inference.tag.ModelTagger`s over the same normalised seed-report text in the
same run, including span decoding; the bert-base-sized one (hidden 768, 12 layers, random weights,
same vocabulary, window and decoder) only stands in for the cost of a pretrained encoder.
Accuracy is left to `training.evaluate`.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from inference import DEFAULT_MODEL_DIR, REPO_ROOT

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class BenchResult:
    name: str
    chars: int
    seconds: float

    @property
    def chars_per_second(self) -> float:
        return self.chars / self.seconds if self.seconds else float("inf")


def bench_texts(total_chars: int) -> list[str]:
    """Normalised seed reports, repeated until `total_chars` characters, cut into report-sized texts."""
    from inference.normalize import normalize

    seeds = [
        normalize(p.read_text(encoding="utf-8")).text
        for p in sorted((REPO_ROOT / "annotations/seeds").glob("*.txt"))
    ]
    texts, n, i = [], 0, 0
    while n < total_chars:
        text = seeds[i % len(seeds)][: total_chars - n]
        texts.append(text)
        n += len(text)
        i += 1
    return texts


def time_tagger(name: str, tagger, texts: list[str], *, repeats: int = 1) -> BenchResult:
    tagger.tag_batch(texts[:1])  # warm-up: first-call allocations are not throughput
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        tagger.tag_batch(texts)
        best = min(best, time.perf_counter() - started)
    return BenchResult(name, sum(map(len, texts)), best)


def bert_base_like(tagger):
    """A random-weight encoder of bert-base size with the tagger's vocabulary, labels and window."""
    import torch
    from transformers import BertConfig, BertForTokenClassification

    from inference.tag import ModelTagger

    config = BertConfig(
        vocab_size=len(tagger.vocab),
        hidden_size=768,
        num_hidden_layers=12,
        num_attention_heads=12,
        intermediate_size=3072,
        max_position_embeddings=512,
        num_labels=len(tagger.labels),
        id2label=dict(enumerate(tagger.labels)),
        label2id={label: i for i, label in enumerate(tagger.labels)},
    )
    torch.manual_seed(0)
    return ModelTagger(
        BertForTokenClassification(config),
        tagger.vocab,
        window=tagger.window,
        stride=tagger.stride,
        decoder=tagger.decoder,  # same decoding cost on both sides
    )


def run(model_dir: Path, *, chars: int, base_chars: int, threads: int) -> dict:
    import torch

    from inference.tag import load_tagger

    torch.set_num_threads(threads)
    tagger = load_tagger(model_dir)
    small = time_tagger(f"default ({model_dir})", tagger, bench_texts(chars), repeats=2)
    # bert-base is ~100x slower: a shorter text keeps the run short; throughput is per character anyway.
    big = time_tagger("bert-base-sized (random)", bert_base_like(tagger), bench_texts(base_chars))
    return {
        "threads": threads,
        "window": tagger.window,
        "stride": tagger.stride,
        "default": {
            "chars": small.chars,
            "seconds": round(small.seconds, 3),
            "chars_per_s": round(small.chars_per_second),
        },
        "bert_base": {
            "chars": big.chars,
            "seconds": round(big.seconds, 3),
            "chars_per_s": round(big.chars_per_second),
        },
        "speedup": round(small.chars_per_second / big.chars_per_second, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=DEFAULT_MODEL_DIR)
    parser.add_argument("--chars", type=int, default=60000)
    parser.add_argument("--base-chars", type=int, default=6000)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    result = run(args.model, chars=args.chars, base_chars=args.base_chars, threads=args.threads)
    if args.json:
        print(json.dumps(result, indent=1))
    else:
        d, b = result["default"], result["bert_base"]
        print(f"default:   {d['chars_per_s']:>8} chars/s ({d['chars']} chars in {d['seconds']} s)")
        print(f"bert-base: {b['chars_per_s']:>8} chars/s ({b['chars']} chars in {b['seconds']} s)")
        print(
            f"ratio: {result['speedup']}x  (threads={result['threads']}, window={result['window']}, "
            f"stride={result['stride']})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
