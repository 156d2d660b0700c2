"""The tagger: a transformers token-classification model over characters. The only torch importer.

PLACEHOLDER until issue 4 lands.
"""

from __future__ import annotations

from pathlib import Path

from inference.errors import NotImplementedYet


def load_tagger(model_dir: str | Path):
    raise NotImplementedYet("the model tagger is not implemented yet (issue 4)")
