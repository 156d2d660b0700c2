"""Fit a model's `LabelDecoder` (label prior and bigram transitions) on its training tags.

`gia train` does this for every model it writes. As a command it (re)fits the decoder of an
existing model directory from the training data its `train_config.json` names, which is how a
model saved before decoders existed gets one:

    python -m training.decoder models/default

It sits above `training.train` (it reads a saved training config); the fitting itself,
`fit_decoder`, is `training.train`'s, re-exported here.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from inference.tag import TAGGER_FILE, LabelDecoder
from training.dataset import load_examples
from training.train import config_from_dict, fit_decoder, write_json

__all__ = ["fit_decoder", "refit_model_decoder"]


def refit_model_decoder(model_dir: str | Path) -> LabelDecoder:
    """Fit the decoder of `model_dir` from its `train_config.json` and store it in its `tagger.json`."""
    model_dir = Path(model_dir)
    config_path = model_dir / "train_config.json"
    config = config_from_dict(json.loads(config_path.read_text(encoding="utf-8")), str(config_path))
    labels = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))["id2label"]
    labels = [labels[str(i)] for i in range(len(labels))]
    decoder = fit_decoder([e for e in load_examples(config.data) if e.split == "train"], labels)
    settings_path = model_dir / TAGGER_FILE
    settings = json.loads(settings_path.read_text(encoding="utf-8")) if settings_path.is_file() else {}
    settings["decoder"] = decoder.to_json()
    write_json(settings_path, settings)
    return decoder


if __name__ == "__main__":
    for directory in sys.argv[1:] or ["models/default"]:
        refit_model_decoder(directory)
        print(f"{directory}: decoder written to {TAGGER_FILE}")
