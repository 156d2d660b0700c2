"""The tagger's encoder in ONNX Runtime beside torch: seconds and agreement (issue #10, speed).

`python -m training.bench_onnx annotations/real/reports` exports the model's encoder afresh
(`training.export_onnx`, into a temporary copy of the model directory), runs
`ModelTagger.predict_probs` over the reports' normalised texts with torch and with an ONNX Runtime
session (same windows, same batches), and prints the seconds of each and the largest difference of
a probability. `--threads` sets both libraries' intra-op threads.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import torch

from inference import DEFAULT_MODEL_DIR
from inference.normalize import normalize
from inference.tag import TAGGER_FILE, VOCAB_FILE, ModelTagger, load_tagger
from inference.tag_onnx import BACKEND_ENV
from inference.taggers import set_thread_env
from training.bench_speed import read_reports
from training.export_onnx import export_onnx


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--model", default=str(DEFAULT_MODEL_DIR))
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args(argv)
    set_thread_env(args.threads)  # both libraries read OMP_NUM_THREADS
    torch.set_num_threads(args.threads)
    texts = [normalize(raw.text).text for raw in read_reports(args.paths)]
    with tempfile.TemporaryDirectory() as tmp:
        model_dir = Path(tmp)
        for name in ("config.json", "model.safetensors", VOCAB_FILE, TAGGER_FILE):
            shutil.copy(Path(args.model) / name, model_dir / name)
        export_onnx(model_dir)
        taggers = {backend: _tagger(model_dir, backend) for backend in ("torch", "onnx")}
    print(f"{len(texts)} reports, {sum(map(len, texts)):,} characters, {args.threads} thread(s)")
    probs = {}
    for _ in range(args.repeats):
        for backend, tagger in taggers.items():
            start = time.perf_counter()
            probs[backend] = tagger.predict_probs(texts)
            print(f"{backend:12} {time.perf_counter() - start:6.2f} s")
    diff = max(float(np.abs(a - b).max()) for a, b in zip(probs["torch"], probs["onnx"], strict=True))
    print(f"largest probability difference {diff:.1e}")
    return 0


def _tagger(model_dir: Path, backend: str) -> ModelTagger:
    os.environ[BACKEND_ENV] = backend
    try:
        return load_tagger(model_dir)
    finally:
        del os.environ[BACKEND_ENV]


if __name__ == "__main__":
    raise SystemExit(main())
