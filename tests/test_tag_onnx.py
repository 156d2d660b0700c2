"""The tagger's ONNX export: same probabilities and spans as torch, used only while it matches the
weights, and the default prediction path never imports torch."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from tests_support import tiny_model_dir

from inference.errors import UserError
from inference.tag import load_tagger
from inference.tag_onnx import BACKEND_ENV, ONNX_FILE, OnnxEncoder
from inference.tag_torch import CompactBert
from training.export_onnx import export_onnx

REPO_ROOT = Path(__file__).resolve().parent.parent
TEXTS = [
    "",
    "甲",
    "本年共受理申请342件,办结340件。\t其中网上申请12件\n" * 9,
    "主动公开政府信息1520条。",
]


@pytest.fixture
def exported(tmp_path) -> Path:
    model_dir = tiny_model_dir(tmp_path / "model", TEXTS)
    assert export_onnx(model_dir) == model_dir / ONNX_FILE
    return model_dir


@pytest.mark.parametrize("window,stride", [(30, 15), (62, 31)])
def test_onnx_export_tags_as_torch_does(exported, monkeypatch, window, stride):
    """Several windows per text, padded batches: probabilities within 1e-5, spans identical."""
    onnx_tagger = load_tagger(exported, batch_size=3)
    monkeypatch.setenv(BACKEND_ENV, "torch")
    torch_tagger = load_tagger(exported, batch_size=3)
    assert isinstance(onnx_tagger.model, OnnxEncoder) and isinstance(torch_tagger.model, CompactBert)
    for tagger in (onnx_tagger, torch_tagger):
        tagger.window, tagger.stride = window, stride
    for ours, theirs in zip(onnx_tagger.predict_probs(TEXTS), torch_tagger.predict_probs(TEXTS), strict=True):
        assert ours.shape == theirs.shape
        np.testing.assert_allclose(ours, theirs, atol=1e-5)
    assert onnx_tagger.tag_batch(TEXTS) == torch_tagger.tag_batch(TEXTS)


class Warnings(logging.Handler):
    """The messages `inference.tag_onnx` logs at WARNING or above (whatever other tests did to the
    logging configuration)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.text = ""

    def emit(self, record: logging.LogRecord) -> None:
        self.text += record.getMessage() + "\n"

    def __enter__(self) -> Warnings:
        logger = logging.getLogger("inference.tag_onnx")
        self.saved = (logger.level, logger.disabled, logging.root.manager.disable)
        logger.setLevel(logging.WARNING)  # other tests' libraries may have quietened logging
        logger.disabled = False
        logging.disable(logging.NOTSET)
        logger.addHandler(self)
        return self

    def __exit__(self, *exc: object) -> None:
        logger = logging.getLogger("inference.tag_onnx")
        logger.removeHandler(self)
        logger.level, logger.disabled, disabled_below = self.saved
        logging.disable(disabled_below)


def test_stale_export_falls_back_to_torch_with_a_warning(exported, monkeypatch):
    """Weights replaced after the export (a retrain without `gia train`): the new weights tag."""
    tiny_model_dir(exported, TEXTS, seed=1)
    with Warnings() as said:
        tagger = load_tagger(exported)
    assert isinstance(tagger.model, CompactBert)
    assert "exported from other weights" in said.text and "training.export_onnx" in said.text
    monkeypatch.setenv(BACKEND_ENV, "onnx")
    with pytest.raises(UserError, match="exported from other weights"):
        load_tagger(exported)
    export_onnx(exported)
    assert isinstance(load_tagger(exported).model, OnnxEncoder)


def test_backend_setting_is_checked(exported, monkeypatch):
    monkeypatch.setenv(BACKEND_ENV, "gpu")
    with pytest.raises(UserError, match=BACKEND_ENV):
        load_tagger(exported)
    monkeypatch.setenv(BACKEND_ENV, "onnx")
    (exported / ONNX_FILE).unlink()
    with pytest.raises(UserError, match="no model.onnx"):
        load_tagger(exported)


def test_a_damaged_export_falls_back_to_torch(exported):
    (exported / ONNX_FILE).write_bytes(b"not an onnx model")
    with Warnings() as said:
        assert isinstance(load_tagger(exported).model, CompactBert)
    assert "cannot load the export" in said.text


def test_default_prediction_never_imports_torch():
    """The bundled model's export is current: `gia predict`'s default tagger runs without torch."""
    script = (
        "import sys\n"
        "from inference.pipeline import predict_raw\n"
        "from inference.read import read_report\n"
        "from inference.taggers import TaggerSpec, load_tagger_from_spec\n"
        "tagger = load_tagger_from_spec(TaggerSpec())\n"
        "(result,) = predict_raw([read_report('annotations/seeds/003_b003d5ead7b0b73a.txt')], tagger)\n"
        "assert result.fields, 'no fields'\n"
        "assert 'torch' not in sys.modules, 'torch imported'\n"
        "print(type(tagger.second.model).__name__)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO_ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "OnnxEncoder"
