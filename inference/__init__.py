"""Runtime of gia-extract: read → normalise → tag → assemble → check → write.

`training/` may import this package; this package never imports `training/`.
Only `inference.tag_torch` imports torch/transformers, and only where a model directory has no
current ONNX export (`inference.tag_onnx`); spaCy is imported through `spacy_without_torch`.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_ROOT = PACKAGE_DIR.parent
DATA_DIR = PACKAGE_DIR / "data"
DEFAULT_MODEL_DIR = REPO_ROOT / "models" / "default"
LABELS: tuple[str, ...] = ("METRIC", "CATEGORY", "COUNT")
"""The one source of truth for span labels."""
DEFAULT_TAGGER = "rules+model"
"""Default tagger of `gia predict/show/annotate`: rule spans stand, the model fills the gaps the phrase
lists leave (chosen by measurement, see models/README.md)."""


@contextlib.contextmanager
def spacy_without_torch() -> Iterator[None]:
    """Import spaCy inside this block without the torch import thinc makes on the way.

    thinc (spaCy's machine-learning library) imports torch, if installed, when it is first imported
    (`thinc/compat.py`, thinc 8.x): about 2 s per process on this project's 2-core machine, which the
    rule tagger's `PhraseMatcher` never uses. Inside the block `import torch` fails (a `None` entry in
    `sys.modules`, Python's documented way to block an import), so thinc records `has_torch = False`;
    the entry is removed on exit, and a later `import torch` (the model tagger, training) works as
    usual. Where torch is imported already the block changes nothing.
    """
    if "torch" in sys.modules:
        yield
        return
    sys.modules["torch"] = None  # type: ignore[assignment]
    try:
        yield
    finally:
        if "torch" in sys.modules and sys.modules["torch"] is None:
            del sys.modules["torch"]
