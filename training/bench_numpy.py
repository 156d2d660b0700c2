"""Would a numpy forward pass of the tagger's encoder beat torch? A measurement, not a product path.

Issue #10 asks for 4 reports/s end to end; each default worker spends ~1.8 s importing torch for
the encoder alone. `python -m training.bench_numpy annotations/real/reports` runs the default
tagger's encoder (`inference.tag_torch.CompactBert`) over the reports' windows (same windows, same
batches) with torch (one thread) and with `NumpyBert`, this module's numpy copy of the same
arithmetic (exact GELU through the Abramowitz–Stegun 7.1.26 erf, |error| ≤ 1.5e-7), and prints the
seconds of each, the largest logit difference and whether every argmax agrees.
Measured 2026-11-30 and 12-01 (session 11): torch 5.1–5.4 s, numpy 12.2–13.1 s, largest difference
1.2e-4, argmax equal: numpy is 2.2–2.6× slower (elementwise erf and an unfused softmax over
32×4×256×256 scores), so saving the ~1.8 s of the torch import is not worth it
(`docs/results/speed.txt`).
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path
from typing import Any

import numpy as np

from inference import DEFAULT_MODEL_DIR
from inference.normalize import normalize
from inference.tag import load_tagger, text_to_windows, window_owners
from inference.tag_onnx import BACKEND_ENV
from training.bench_speed import read_reports


def erf(x: np.ndarray) -> np.ndarray:
    """Abramowitz & Stegun 7.1.26 (|error| ≤ 1.5e-7), elementwise, dtype kept."""
    sign, a = np.sign(x), np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    poly = ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t
    return sign * (1.0 - poly * np.exp(-a * a))


class NumpyBert:
    """`CompactBert`'s forward pass in numpy over the same safetensors weights."""

    def __init__(self, config: dict[str, Any], weights: dict[str, np.ndarray]) -> None:
        self.w = {name: w.astype(np.float32) for name, w in weights.items()}
        self.heads = int(config["num_attention_heads"])
        self.eps = float(config.get("layer_norm_eps", 1e-12))
        self.layers = int(config["num_hidden_layers"])

    def _norm(self, x: np.ndarray, name: str) -> np.ndarray:
        mean = x.mean(-1, keepdims=True)
        var = ((x - mean) ** 2).mean(-1, keepdims=True)
        return (x - mean) / np.sqrt(var + self.eps) * self.w[f"{name}.weight"] + self.w[f"{name}.bias"]

    def _linear(self, x: np.ndarray, name: str) -> np.ndarray:
        return x @ self.w[f"{name}.weight"].T + self.w[f"{name}.bias"]

    def _split(self, x: np.ndarray) -> np.ndarray:
        batch, length, hidden = x.shape
        return x.reshape(batch, length, self.heads, hidden // self.heads).transpose(0, 2, 1, 3)

    def __call__(self, ids: np.ndarray, attention: np.ndarray, rows: np.ndarray) -> np.ndarray:
        w = self.w
        x = (
            w["bert.embeddings.word_embeddings.weight"][ids]
            + w["bert.embeddings.token_type_embeddings.weight"][0]
        )
        x = self._norm(
            x + w["bert.embeddings.position_embeddings.weight"][: ids.shape[1]], "bert.embeddings.LayerNorm"
        )
        bias = (
            None
            if attention.all()
            else np.where(attention[:, None, None, :] > 0, 0.0, -np.inf).astype(np.float32)
        )
        for i in range(self.layers):
            name = f"bert.encoder.layer.{i}"
            own = x if i < self.layers - 1 else np.take_along_axis(x, rows[..., None], 1)
            q = self._split(self._linear(own, f"{name}.attention.self.query"))
            k = self._split(self._linear(x, f"{name}.attention.self.key"))
            v = self._split(self._linear(x, f"{name}.attention.self.value"))
            scores = (q @ k.transpose(0, 1, 3, 2)) * (q.shape[-1] ** -0.5)
            if bias is not None:
                scores = scores + bias
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            scores /= scores.sum(-1, keepdims=True)
            attended = (scores @ v).transpose(0, 2, 1, 3).reshape(own.shape)
            own = self._norm(
                self._linear(attended, f"{name}.attention.output.dense") + own,
                f"{name}.attention.output.LayerNorm",
            )
            inner = self._linear(own, f"{name}.intermediate.dense")
            inner = inner * 0.5 * (1.0 + erf(inner * np.float32(0.7071067811865476)))
            x = self._norm(self._linear(inner, f"{name}.output.dense") + own, f"{name}.output.LayerNorm")
        return self._linear(x, "classifier")


def main(argv: list[str] | None = None) -> None:
    import torch
    from safetensors.numpy import load_file

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("reports", type=Path)
    parser.add_argument("--model", type=Path, default=DEFAULT_MODEL_DIR)
    args = parser.parse_args(argv)
    torch.set_num_threads(1)
    os.environ[BACKEND_ENV] = "torch"  # the reference is torch's forward pass
    tagger = load_tagger(args.model)
    config = json.loads((args.model / "config.json").read_text(encoding="utf-8"))
    numpy_bert = NumpyBert(config, load_file(str(args.model / "model.safetensors")))
    texts = [normalize(raw.text).text for raw in read_reports([args.reports])]
    jobs = []
    for t, text in enumerate(texts):
        windows = text_to_windows(len(text), tagger.window, tagger.stride)
        owners = window_owners(len(text), windows) if windows else []
        jobs += [(t, start, end, own) for (start, end), own in zip(windows, owners, strict=True)]
    jobs.sort(key=lambda job: job[2] - job[1], reverse=True)
    batches = [tagger.window_inputs(texts, jobs[b : b + 32]) for b in range(0, len(jobs), 32)]
    with torch.inference_mode():
        started = time.perf_counter()
        by_torch = [tagger.model(*map(torch.from_numpy, batch)).numpy() for batch in batches]
        torch_seconds = time.perf_counter() - started
    started = time.perf_counter()
    by_numpy = [numpy_bert(*batch) for batch in batches]
    numpy_seconds = time.perf_counter() - started
    diff = max(float(np.abs(a - b).max()) for a, b in zip(by_torch, by_numpy, strict=True))
    same = all((a.argmax(-1) == b.argmax(-1)).all() for a, b in zip(by_torch, by_numpy, strict=True))
    print(f"{len(texts)} reports, {len(jobs)} windows in {len(batches)} batches")
    print(f"torch {torch_seconds:.2f} s, numpy {numpy_seconds:.2f} s")
    print(f"largest logit difference {diff:.1e}; every argmax equal: {same}")


if __name__ == "__main__":
    main()
