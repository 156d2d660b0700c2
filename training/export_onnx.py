"""Export a model directory's tagger encoder to ONNX (`model.onnx`), for prediction without torch.

`gia train` calls `export_onnx` after writing the weights; `python -m training.export_onnx DIR…`
re-exports existing directories (a model trained before the export existed, or weights copied in).
The export is `inference.tag_torch.CompactBert` with the softmax (TorchScript exporter, opset 17,
batch and lengths dynamic; needs the `onnx` package) and carries the SHA-256 of the
`model.safetensors` it came from (`inference.tag_onnx.WEIGHTS_KEY`): prediction uses it only while
the weights are unchanged. Models CompactBert cannot run (other architectures) are not exported.

Before writing, the export is run by ONNX Runtime on a few invented windows and compared with
torch; it is not written where a probability differs by more than `TOLERANCE`.
"""

from __future__ import annotations

import argparse
import logging
import tempfile
import warnings
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import torch

from inference.errors import UserError
from inference.tag import read_model_config
from inference.tag_onnx import INPUTS, ONNX_FILE, WEIGHTS_KEY, OnnxEncoder, weights_sha256
from inference.tag_torch import CompactBert, compact_bert_problem, load_compact_bert, owned_probs

logger = logging.getLogger(__name__)

OPSET = 17
TOLERANCE = 1e-4
"""Largest probability difference allowed between the export and torch on the check inputs."""


class _Exportable(torch.nn.Module):
    """CompactBert with the softmax and an additive attention mask, its layer norms over a constant
    width (the TorchScript exporter cannot trace a shape read inside `layer_norm`'s arguments)."""

    def __init__(self, model: CompactBert) -> None:
        super().__init__()
        self.model = model
        width = int(model.config.hidden_size)
        weights, eps = model.weights, model.eps
        model._norm = lambda x, name: torch.nn.functional.layer_norm(  # type: ignore[method-assign]
            x, (width,), weights[f"{name}.weight"], weights[f"{name}.bias"], eps
        )

    def forward(self, ids: torch.Tensor, attention: torch.Tensor, rows: torch.Tensor) -> torch.Tensor:
        # An additive mask exports as one Add; a boolean one as Where and IsNaN passes over every
        # score, ~15% of ONNX Runtime's time on the real reports (same probabilities).
        mask = ((1.0 - attention.float()) * torch.finfo(torch.float32).min)[:, None, None, :]
        return torch.softmax(self.model.encode(ids, mask, rows), dim=-1)


def check_inputs(vocab_size: int, width: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Invented windows `(3, width)`: random ids, one window padded, owned rows `(3, width // 2)`."""
    rng = np.random.default_rng(seed)
    ids = rng.integers(1, vocab_size, size=(3, width), dtype=np.int64)
    attention = np.ones((3, width), dtype=np.int64)
    attention[1, width * 2 // 3 :] = 0
    ids[1, width * 2 // 3 :] = 0
    rows = np.tile(np.arange(1, width // 2 + 1, dtype=np.int64), (3, 1))
    return ids, attention, rows


def export_onnx(model_dir: str | Path) -> Path | None:
    """Write `model_dir/model.onnx` from its safetensors weights; the path, or None where the
    architecture is not CompactBert's (nothing written). `UserError` where the export disagrees
    with torch or `onnx` is missing."""
    model_dir = Path(model_dir)
    config = read_model_config(model_dir)
    problem = compact_bert_problem(config)
    if problem is not None:
        logger.info("%s: no ONNX export (%s); prediction runs it in torch", model_dir, problem)
        return None
    model = load_compact_bert(model_dir, config).eval()
    width = min(64, int(config.get("max_position_embeddings", 64)))
    inputs = check_inputs(int(config["vocab_size"]), width)
    target = model_dir / ONNX_FILE
    with tempfile.TemporaryDirectory(dir=model_dir) as tmp:
        draft = Path(tmp) / ONNX_FILE
        _trace(model, inputs, draft)
        _stamp(draft, weights_sha256(model_dir))
        encoder = OnnxEncoder(draft, config)
        diff = float(np.abs(encoder.owned_probs(*inputs) - owned_probs(model, *inputs)).max())
        if diff > TOLERANCE:
            raise UserError(f"{target}: the export differs from torch by {diff:.1e} (> {TOLERANCE})")
        del encoder
        draft.replace(target)
    logger.info("wrote %s (largest difference from torch %.1e)", target, diff)
    return target


def _trace(model: CompactBert, inputs: tuple[np.ndarray, ...], path: Path) -> None:
    axes = {"ids": {0: "b", 1: "l"}, "attention": {0: "b", 1: "l"}, "rows": {0: "b", 1: "n"}}
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")  # the TorchScript exporter's deprecation and tracer warnings
        try:
            torch.onnx.export(
                _Exportable(model),
                tuple(map(torch.from_numpy, inputs)),
                str(path),
                dynamo=False,
                opset_version=OPSET,
                input_names=list(INPUTS),
                output_names=["probs"],
                dynamic_axes={**axes, "probs": {0: "b", 1: "n"}},
            )
        except ModuleNotFoundError as exc:
            raise UserError(f"cannot export {path.name}: {exc} (pip install onnx)") from exc
        except torch.onnx.OnnxExporterError as exc:
            raise UserError(f"cannot export {path.name}: {exc}") from exc


def _stamp(path: Path, sha256: str) -> None:
    """Record the weights' digest in the ONNX model's metadata."""
    import onnx

    proto = onnx.load(str(path))
    entry = proto.metadata_props.add()
    entry.key, entry.value = WEIGHTS_KEY, sha256
    onnx.save(proto, str(path))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model_dirs", nargs="+", type=Path)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    failed = 0
    for model_dir in args.model_dirs:
        try:
            export_onnx(model_dir)
        except UserError as exc:
            logger.error("%s", exc)
            failed += 1
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
