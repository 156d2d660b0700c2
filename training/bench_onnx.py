"""Would ONNX Runtime tag faster than torch? A measurement, not a product path (issue #10, speed).

`pip install onnxruntime onnx && python -m training.bench_onnx annotations/real/reports` exports the
default tagger's encoder (`inference.tag.CompactBert`, softmax included) to ONNX with torch's
TorchScript exporter, runs `ModelTagger.predict_probs` over the reports' normalised texts with torch
and with an ONNX Runtime session (same windows, same batches), and prints the seconds of each and
the largest difference of a probability. `--threads` sets both libraries' intra-op threads.

Neither package is a dependency of gia: the script says so and exits 2 where they are missing.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import torch

from inference import DEFAULT_MODEL_DIR
from inference.normalize import normalize
from inference.tag import CompactBert, ModelTagger, load_tagger
from training.bench_speed import read_reports


class _Exportable(torch.nn.Module):
    """The encoder with softmax, layer norms over a constant width (the exporter cannot trace a
    shape read inside `layer_norm`'s arguments)."""

    def __init__(self, model: CompactBert) -> None:
        super().__init__()
        self.model = model
        width = int(model.config.hidden_size)
        weights, eps = model.weights, model.eps
        model._norm = lambda x, name: torch.nn.functional.layer_norm(  # type: ignore[method-assign]
            x, (width,), weights[f"{name}.weight"], weights[f"{name}.bias"], eps
        )

    def forward(self, ids: torch.Tensor, attention: torch.Tensor, rows: torch.Tensor) -> torch.Tensor:
        return torch.softmax(self.model(ids, attention, rows), dim=-1)


def export(tagger: ModelTagger, path: Path) -> None:
    """Write the tagger's encoder to `path` (ONNX, opset 17, batch and lengths dynamic)."""
    ids = torch.randint(5, 100, (4, 256))
    attention = torch.ones(4, 256, dtype=torch.int64)
    attention[0, 200:] = 0
    rows = torch.arange(1, 171)[None].expand(4, -1).contiguous()
    axes = {"ids": {0: "b", 1: "l"}, "attention": {0: "b", 1: "l"}, "rows": {0: "b", 1: "n"}}
    torch.onnx.export(
        _Exportable(tagger.model),
        (ids, attention, rows),
        str(path),
        dynamo=False,
        opset_version=17,
        input_names=["ids", "attention", "rows"],
        output_names=["probs"],
        dynamic_axes={**axes, "probs": {0: "b", 1: "n"}},
    )


def ort_probs(tagger: ModelTagger, session, texts: list[str]) -> list[np.ndarray]:
    """`tagger.predict_probs(texts)` with the encoder run by `session` (its batching unchanged)."""

    def owned(texts_: list[str], batch: list[tuple[int, int, int, np.ndarray]]) -> np.ndarray:
        ids, attention, rows = tagger.window_inputs(texts_, batch)
        return session.run(None, {"ids": ids, "attention": attention, "rows": rows})[0]

    tagger._owned_probs = owned  # type: ignore[method-assign]
    try:
        return tagger.predict_probs(texts)
    finally:
        del tagger._owned_probs


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--model", default=str(DEFAULT_MODEL_DIR))
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args(argv)
    try:
        import onnxruntime
    except ImportError:
        print("needs onnxruntime and onnx (pip install onnxruntime onnx); neither is a gia dependency")
        return 2
    texts = [normalize(raw.text).text for raw in read_reports(args.paths)]
    tagger = load_tagger(args.model)
    torch.set_num_threads(args.threads)
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads, options.inter_op_num_threads = args.threads, 1
    with tempfile.TemporaryDirectory() as tmp:
        export(tagger, Path(tmp) / "tagger.onnx")
        session = onnxruntime.InferenceSession(str(Path(tmp) / "tagger.onnx"), options)
    print(f"{len(texts)} reports, {sum(map(len, texts)):,} characters, {args.threads} thread(s)")
    for _ in range(args.repeats):
        start = time.perf_counter()
        reference = tagger.predict_probs(texts)
        print(f"torch        {time.perf_counter() - start:6.2f} s")
        start = time.perf_counter()
        probs = ort_probs(tagger, session, texts)
        print(f"onnxruntime  {time.perf_counter() - start:6.2f} s")
    diff = max(float(np.abs(a - b).max()) for a, b in zip(reference, probs, strict=True))
    print(f"largest probability difference {diff:.1e}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
