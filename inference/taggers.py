"""Tagger selection (the tag step's front door): which tagger to build, checked up front, and its identity.

`TaggerSpec(kind, model_dir)` names one of `TAGGER_KINDS`; `load_tagger_from_spec` builds it
(`rules` from `inference.rules`, `model` from `inference.tag`, `none`, or a combination from
`inference.ensemble`); `tagger_identity` says what predictions depend on besides the report, for the
resume state. Scheduling the taggers over many reports is left to `inference.batch`.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from inference import DEFAULT_MODEL_DIR, DEFAULT_TAGGER
from inference.errors import UserError
from inference.pipeline import Tagger
from inference.records import Span

logger = logging.getLogger(__name__)

TAGGER_KINDS: tuple[str, ...] = ("model", "rules", "model+rules", "rules+model", "none")


@dataclass(frozen=True)
class TaggerSpec:
    """Which tagger to load in each worker: `model` (a model dir), `rules`, `none` (no spans), or a
    combination `model+rules` / `rules+model` (the first one's spans win, the second fills gaps)."""

    kind: str = DEFAULT_TAGGER
    model_dir: Path = DEFAULT_MODEL_DIR

    def validate(self) -> None:
        """Fail early, in the parent, with a message that names the file and says what to do.

        Raises `UserError` for an unknown kind, a missing model directory, no safetensors weights,
        or weights whose header is not valid safetensors (a truncated copy, a renamed pickle).
        """
        if self.kind not in TAGGER_KINDS:
            raise UserError(f"unknown tagger {self.kind!r}: use one of {', '.join(TAGGER_KINDS)}")
        if "model" not in self.kind:
            return
        model_dir = Path(self.model_dir)
        if not model_dir.is_dir():
            hint = " (the default model is not installed)" if model_dir == DEFAULT_MODEL_DIR else ""
            raise UserError(
                f"no model directory at {model_dir}{hint}: pass --model DIR, or use --tagger rules "
                "for the rule-based tagger"
            )
        weights = sorted(model_dir.glob("*.safetensors"))
        if not weights:
            raise UserError(f"{model_dir} has no *.safetensors weights; only safetensors weights are loaded")
        for path in weights:
            check_safetensors(path)


def check_safetensors(path: Path) -> None:
    """Raise `UserError` naming `path` unless its safetensors header parses (reads the header only)."""
    from safetensors import safe_open

    try:
        with safe_open(str(path), framework="numpy") as handle:
            handle.keys()
    except Exception as exc:  # safetensors raises its own SafetensorError, OSError, ValueError…
        raise UserError(
            f"cannot load the model: {path} is not valid safetensors ({exc}); "
            "copy the model again or retrain it (`gia train`)"
        ) from exc


class NoSpansTagger:
    """A tagger that finds nothing: for measuring the pipeline without a tagger, and for tests."""

    def tag_batch(self, texts: list[str]) -> list[list[Span]]:
        return [[] for _ in texts]


def load_tagger_from_spec(spec: TaggerSpec) -> Tagger:
    """Build the tagger a spec names; never touches the network (hub access is switched off)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    # Each worker would otherwise print its own "Loading weights" bar under ours.
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    if spec.kind == "none":
        return NoSpansTagger()
    if spec.kind == "rules":
        from inference.rules import RuleTagger

        return RuleTagger()
    spec.validate()
    from inference.link import load_linker

    if "+" in spec.kind:
        from inference.ensemble import CombinedTagger

        first, second = spec.kind.split("+")
        combined = CombinedTagger(
            load_tagger_from_spec(TaggerSpec(first, spec.model_dir)),
            load_tagger_from_spec(TaggerSpec(second, spec.model_dir)),
        )
        combined.linker, combined.linking = load_linker(spec.model_dir), "fallback"
        return combined
    from inference.tag import load_tagger

    tagger = load_tagger(spec.model_dir)
    # `model` alone: the learned linker decides every prose count (the lexicons' reading is a feature)
    tagger.linker = load_linker(spec.model_dir)
    tagger.linking = "feature"
    return tagger


def set_thread_env(torch_threads: int) -> None:
    """Intra-op threads of a worker process; must run before torch is imported (load_tagger does that)."""
    # One thread per worker lets N workers use N cores without oversubscribing them.
    for name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ[name] = str(torch_threads)


def _hash_files(paths: Iterable[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.name.encode())
        with path.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    return digest.hexdigest()[:16]


def tagger_identity(spec: TaggerSpec) -> str:
    """What the predictions depend on besides the report: the tagger's weights and the gia version.

    `model:<hash of the model dir's files>@gia-<version>`. Retraining or upgrading gia gives a new
    identity, so stale results are not reused. Editing the pipeline code in place does not: a
    developer reruns with `--force` (hashing the source tree made concurrent edits in a shared
    checkout invalidate every resume).
    """
    version = gia_version()
    if "model" in spec.kind:
        model = _hash_files(p for p in Path(spec.model_dir).iterdir() if p.is_file())
        return f"{spec.kind}:{model}@gia-{version}"
    return f"{spec.kind}@gia-{version}"


def gia_version() -> str:
    """The installed gia-extract version, or `unknown` when run from a plain checkout."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("gia-extract")
    except PackageNotFoundError:
        return "unknown"


__all__ = [
    "TAGGER_KINDS",
    "NoSpansTagger",
    "TaggerSpec",
    "check_safetensors",
    "load_tagger_from_spec",
    "set_thread_env",
    "tagger_identity",
]
