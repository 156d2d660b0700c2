"""The tagger's encoder in torch: `CompactBert` and the transformers fallback. The only torch importer.

A saved `BertForTokenClassification` runs through `CompactBert`, this module's own forward pass
over its safetensors weights (same arithmetic as transformers' BERT with SDPA attention), so
predicting never imports transformers (≈ 4 s of CPU per worker process, more than tagging a small
batch takes); other architectures load through transformers. Each character's labels come from one
window only, so the last layer computes only the positions whose labels are used.

`inference.tag` imports this module only where it runs the encoder in torch: a model directory
with a current `model.onnx` runs through ONNX Runtime instead (`inference.tag_onnx`), and the
prediction never imports torch (≈ 1.2–1.6 s per run on the 2-core machine).
"""

from __future__ import annotations

import logging
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import torch

from inference.errors import UserError

logger = logging.getLogger(__name__)

COMPACT_ARCHITECTURE = "BertForTokenClassification"


def compact_bert_problem(config: dict[str, Any]) -> str | None:
    """Why `CompactBert` cannot run a model with this `config.json`, or None if it can."""
    expected = {
        "model_type": "bert",
        "architectures": [COMPACT_ARCHITECTURE],
        "hidden_act": "gelu",
        "position_embedding_type": "absolute",
        "is_decoder": False,
        "add_cross_attention": False,
    }
    for key, value in expected.items():
        if config.get(key, value) != value:
            return f"{key} is {config.get(key)!r}, not {value!r}"
    if config.get("dtype", "float32") != "float32":
        return f"dtype is {config.get('dtype')!r}"
    return None


class CompactBert(torch.nn.Module):
    """The forward pass of a saved `BertForTokenClassification`, for inference, without transformers.

    Mirrors transformers' BERT with SDPA attention operation for operation (embeddings word +
    token type 0 + absolute position, post-norm layers, exact GELU, no dropout), so its logits equal
    that model's up to float rounding (`tests/test_tag.py` checks). `weights` are the safetensors
    tensors as saved (`bert.…`, `classifier.…`).
    """

    def __init__(self, config: dict[str, Any], weights: dict[str, torch.Tensor]) -> None:
        super().__init__()
        self.config = SimpleNamespace(**config)
        self.heads = int(config["num_attention_heads"])
        self.eps = float(config.get("layer_norm_eps", 1e-12))
        self.layers = int(config["num_hidden_layers"])
        self.weights = {name: tensor.float() for name, tensor in weights.items()}
        missing = [name for name in self.weight_names() if name not in self.weights]
        if missing:
            raise ValueError(f"weights lack {', '.join(missing[:3])}")

    def weight_names(self) -> list[str]:
        """Every tensor the forward pass reads."""
        names = [f"bert.embeddings.{n}.weight" for n in ("word_embeddings", "position_embeddings")]
        names += ["bert.embeddings.token_type_embeddings.weight", "classifier.weight", "classifier.bias"]
        names += ["bert.embeddings.LayerNorm.weight", "bert.embeddings.LayerNorm.bias"]
        parts = ("attention.self.query", "attention.self.key", "attention.self.value")
        parts += ("attention.output.dense", "attention.output.LayerNorm", "intermediate.dense")
        parts += ("output.dense", "output.LayerNorm")
        for i in range(self.layers):
            names += [
                f"bert.encoder.layer.{i}.{part}.{kind}" for part in parts for kind in ("weight", "bias")
            ]
        return names

    @property
    def vocab_size(self) -> int:
        return int(self.weights["bert.embeddings.word_embeddings.weight"].shape[0])

    def _norm(self, x: torch.Tensor, name: str) -> torch.Tensor:
        w = self.weights
        return torch.nn.functional.layer_norm(
            x, (x.shape[-1],), w[f"{name}.weight"], w[f"{name}.bias"], self.eps
        )

    def _linear(self, x: torch.Tensor, name: str) -> torch.Tensor:
        return torch.nn.functional.linear(x, self.weights[f"{name}.weight"], self.weights[f"{name}.bias"])

    def _heads(self, x: torch.Tensor) -> torch.Tensor:
        batch, length, hidden = x.shape
        return x.view(batch, length, self.heads, hidden // self.heads).transpose(1, 2)

    def embed(self, input_ids: torch.Tensor) -> torch.Tensor:
        w = self.weights
        x = w["bert.embeddings.word_embeddings.weight"][input_ids]
        x = x + w["bert.embeddings.token_type_embeddings.weight"][0]
        x = x + w["bert.embeddings.position_embeddings.weight"][: input_ids.shape[1]]
        return self._norm(x, "bert.embeddings.LayerNorm")

    def layer(
        self, i: int, x: torch.Tensor, mask: torch.Tensor | None, rows: torch.Tensor | None = None
    ) -> torch.Tensor:
        """Layer `i`; with `rows` (batch, n) only those positions' outputs (keys see every position)."""
        name = f"bert.encoder.layer.{i}"
        own = x if rows is None else torch.gather(x, 1, rows[..., None].expand(-1, -1, x.shape[-1]))
        query = self._heads(self._linear(own, f"{name}.attention.self.query"))
        key = self._heads(self._linear(x, f"{name}.attention.self.key"))
        value = self._heads(self._linear(x, f"{name}.attention.self.value"))
        scale = (x.shape[-1] // self.heads) ** -0.5
        attended = torch.nn.functional.scaled_dot_product_attention(
            query, key, value, attn_mask=mask, dropout_p=0.0, scale=scale, is_causal=False
        )
        attended = attended.transpose(1, 2).reshape(own.shape)
        own = self._norm(
            self._linear(attended, f"{name}.attention.output.dense") + own,
            f"{name}.attention.output.LayerNorm",
        )
        inner = torch.nn.functional.gelu(self._linear(own, f"{name}.intermediate.dense"))
        return self._norm(self._linear(inner, f"{name}.output.dense") + own, f"{name}.output.LayerNorm")

    def forward(
        self,
        input_ids: torch.Tensor,
        attention_mask: torch.Tensor | None = None,
        rows: torch.Tensor | None = None,
    ) -> torch.Tensor:
        """Logits `(batch, positions, labels)`; with `rows` `(batch, n)`, only those positions'."""
        mask = None
        if attention_mask is not None and not bool(attention_mask.all()):
            # transformers drops an all-ones mask too, and passes SDPA a boolean one
            mask = attention_mask.bool()[:, None, None, :]
        return self.encode(input_ids, mask, rows)

    def encode(
        self, input_ids: torch.Tensor, mask: torch.Tensor | None, rows: torch.Tensor | None = None
    ) -> torch.Tensor:
        """`forward` with the attention mask as SDPA takes it: None, boolean (True attends) or
        additive float, broadcast to `(batch, heads, positions, positions)`."""
        x = self.embed(input_ids)
        for i in range(self.layers):
            x = self.layer(i, x, mask, rows if i == self.layers - 1 else None)
        return self._linear(x, "classifier")


def load_compact_bert(model_dir: Path, config: dict[str, Any]) -> CompactBert:
    """`CompactBert` over `model_dir/model.safetensors` (`UserError` if the weights do not fit)."""
    from safetensors.torch import load_file

    path = model_dir / "model.safetensors"
    try:
        return CompactBert(config, load_file(str(path)))
    except (OSError, ValueError, KeyError) as exc:
        raise UserError(f"{path}: cannot load the model ({exc})") from exc


def load_model(model_dir: Path, config: dict[str, Any], *, compact: bool = True) -> torch.nn.Module:
    """The token classifier of `model_dir` (`config`: its config.json): a `CompactBert` when it can
    run it (and `compact`), else the transformers model (`UserError` when neither loads)."""
    problem = compact_bert_problem(config)
    if compact and problem is None:
        return load_compact_bert(model_dir, config)
    logger.debug("%s: loading through transformers (%s)", model_dir, problem or "asked to")
    from transformers import AutoModelForTokenClassification

    try:
        return AutoModelForTokenClassification.from_pretrained(model_dir, use_safetensors=True)
    except (OSError, ValueError, KeyError) as exc:
        raise UserError(f"{model_dir}: cannot load the model ({exc})") from exc


def owned_probs(
    model: torch.nn.Module, input_ids: np.ndarray, attention: np.ndarray, rows: np.ndarray
) -> np.ndarray:
    """Label distributions `(windows, n, labels)` at `rows` `(windows, n)` of a batch of windows
    (`input_ids`, `attention`: `(windows, width)` int64), by a `CompactBert` or a transformers model."""
    ids_t, attention_t, rows_t = map(torch.from_numpy, (input_ids, attention, rows))
    with torch.inference_mode():
        if isinstance(model, CompactBert):
            logits = model(ids_t, attention_t, rows_t)
        else:
            logits = model(input_ids=ids_t, attention_mask=attention_t).logits
            logits = torch.gather(logits, 1, rows_t[..., None].expand(-1, -1, logits.shape[-1]))
        return torch.softmax(logits.float(), dim=-1).numpy()
