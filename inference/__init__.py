"""Runtime of gia-extract: read → normalise → tag → assemble → check → write.

`training/` may import this package; this package never imports `training/`.
Only `inference.tag` imports torch/transformers.
"""

from __future__ import annotations

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
