"""The tagger's encoder in ONNX Runtime: the default model's forward pass without importing torch.

`gia train` writes `model.onnx` beside `model.safetensors` (`training.export_onnx`): the same
`CompactBert` forward pass, softmax included, exported with the SHA-256 of the safetensors file it
was made from in the ONNX model's metadata (`WEIGHTS_KEY`). `load_onnx_encoder` runs it only while
that digest still matches the weights, so a directory whose weights were replaced or retrained
without a new export falls back to torch (`inference.tag_torch`) instead of tagging with the old
weights. Probabilities agree with torch's to ~1e-4 (`tests/test_tag.py`).

Why: on the 2-core machine importing torch takes 1.2–1.6 s of every run's start, ONNX Runtime
0.2 s; the encoder itself runs ~10% slower in ONNX Runtime at one thread
(`python -m training.bench_onnx`, `docs/results/speed.txt`).

`GIA_TAGGER_BACKEND=torch` forces torch (benchmarks, debugging); `onnx` makes a missing or stale
export an error instead of a fallback.
"""

from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np

from inference.errors import UserError

logger = logging.getLogger(__name__)

ONNX_FILE = "model.onnx"
WEIGHTS_KEY = "gia.weights_sha256"
"""Metadata key of the export: SHA-256 (hex) of the `model.safetensors` it was exported from."""
BACKEND_ENV = "GIA_TAGGER_BACKEND"
INPUTS = ("ids", "attention", "rows")
"""The export's inputs, int64: token ids and attention mask `(windows, width)`, owned rows `(windows, n)`."""


def weights_sha256(model_dir: Path) -> str:
    """Hex SHA-256 of `model_dir/model.safetensors` (`OSError` where it cannot be read)."""
    return hashlib.sha256((model_dir / "model.safetensors").read_bytes()).hexdigest()


def requested_backend() -> str:
    """`auto` (default), `onnx` or `torch`, from `GIA_TAGGER_BACKEND` (`UserError` for other values)."""
    backend = os.environ.get(BACKEND_ENV, "auto").strip().lower() or "auto"
    if backend not in ("auto", "onnx", "torch"):
        raise UserError(f"{BACKEND_ENV}={backend!r}: expected auto, onnx or torch")
    return backend


class OnnxEncoder:
    """A `model.onnx` export run by an ONNX Runtime session on the calling thread.

    `owned_probs(ids, attention, rows)` gives the label distributions `(windows, n, labels)`, as
    `inference.tag_torch.owned_probs` does for the torch model; `config` is the model's
    config.json (labels, vocabulary size). Intra-op threads follow `OMP_NUM_THREADS` as torch's
    do (`inference.taggers.set_thread_env` sets 1 per worker: no thread pool to lose at a fork);
    unset, ONNX Runtime's default (one per core).
    """

    def __init__(self, path: Path, config: dict[str, Any]) -> None:
        import onnxruntime

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = _env_threads()
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self.path = path
        self.session = onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        self.config = SimpleNamespace(**config)
        self.vocab_size = int(config["vocab_size"])

    def metadata(self) -> dict[str, str]:
        return dict(self.session.get_modelmeta().custom_metadata_map)

    def owned_probs(self, input_ids: np.ndarray, attention: np.ndarray, rows: np.ndarray) -> np.ndarray:
        feeds = dict(zip(INPUTS, (input_ids, attention, rows), strict=True))
        return self.session.run(None, feeds)[0]


def _env_threads() -> int:
    """`OMP_NUM_THREADS` where it is a positive integer, else 0 (ONNX Runtime's default)."""
    value = os.environ.get("OMP_NUM_THREADS", "")
    return int(value) if value.isdigit() and int(value) > 0 else 0


def stale_reason(model_dir: Path, encoder: OnnxEncoder) -> str | None:
    """Why the export does not belong to `model_dir/model.safetensors`, or None where it does."""
    recorded = encoder.metadata().get(WEIGHTS_KEY)
    if not recorded:
        return f"{encoder.path} records no {WEIGHTS_KEY}"
    if recorded != weights_sha256(model_dir):
        return f"{encoder.path} was exported from other weights than {model_dir / 'model.safetensors'}"
    return None


def load_onnx_encoder(model_dir: Path, config: dict[str, Any]) -> OnnxEncoder | None:
    """The directory's current ONNX export, or None where the tagger should run in torch.

    None where the backend asked for is `torch`, where there is no `model.onnx`, where
    onnxruntime is not installed, or where the export is stale (a warning names the file and the
    fix). With `GIA_TAGGER_BACKEND=onnx` each of these is a `UserError` instead.
    """
    backend = requested_backend()
    path = model_dir / ONNX_FILE
    if backend == "torch":
        return None
    problem = None
    encoder = None
    if not path.is_file():
        problem = f"{model_dir} has no {ONNX_FILE}"
    else:
        try:
            encoder = OnnxEncoder(path, config)
            problem = stale_reason(model_dir, encoder)
        except ImportError:
            problem = "onnxruntime is not installed"
        except Exception as exc:  # onnxruntime raises its own Fail / InvalidGraph / RuntimeException
            problem = f"{path}: cannot load the export ({exc})"
    if problem is None:
        return encoder
    fix = f"re-export it: python -m training.export_onnx {model_dir}"
    if backend == "onnx":
        raise UserError(f"{BACKEND_ENV}=onnx but {problem}; {fix}")
    if path.is_file():
        logger.warning("%s; tagging in torch instead (slower start; %s)", problem, fix)
    else:
        logger.debug("%s; tagging in torch", problem)
    return None
