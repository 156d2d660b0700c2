"""Train the character tagger on CPU: config → examples → windows → BERT → early-stopped on dev → model dir.

The model directory gets the safetensors weights and `config.json` (with `id2label`/`label2id`),
the character vocabulary, `tagger.json` (inference window), the resolved training config,
a summary of the training data, the metrics and `model.onnx` (the encoder for prediction without
torch, `training.export_onnx`). Prediction is left to `inference.tag`.
"""

from __future__ import annotations

import copy
import json
import logging
import math
import random
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from inference.errors import UserError
from inference.link import LinkerConfig
from inference.tag import BIO_LABELS, TAGGER_FILE, CharVocab, LabelDecoder, ModelTagger, spans_to_char_tags
from inference.tag_onnx import ONNX_FILE
from training.dataset import (
    IGNORE_INDEX,
    DataConfig,
    Example,
    examples_to_dataset,
    load_examples,
    resolve_path,
    summarize_examples,
)
from training.export_onnx import export_onnx
from training.linker import LinkerTrainConfig, train_linker
from training.model import ModelConfig, build_char_vocab, build_model, load_base_model

logger = logging.getLogger(__name__)

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]


@dataclass(frozen=True)
class OptimConfig:
    """Optimisation and stopping. Defaults suit the from-scratch default model on 2 CPU cores."""

    epochs: int = 6
    batch_size: int = 16
    learning_rate: float = 1e-3
    weight_decay: float = 0.01
    warmup_ratio: float = 0.05
    unk_rate: float = 0.01  # share of input characters replaced by [UNK], so unseen characters are familiar
    eval_every: int = 0  # steps between dev evaluations; 0 = once per epoch
    patience: int = 3  # dev evaluations without improvement before stopping
    max_minutes: float = 18.0  # hard budget; the best checkpoint so far is kept
    seed: int = 13
    threads: int = 2
    max_steps: int = 0  # 0 = no limit (tests use a few steps)


@dataclass(frozen=True)
class TrainConfig:
    data: DataConfig = field(default_factory=DataConfig)
    model: ModelConfig = field(default_factory=ModelConfig)
    train: OptimConfig = field(default_factory=OptimConfig)
    linker: LinkerTrainConfig = field(default_factory=LinkerTrainConfig)
    base_model: str = ""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def _section(cls, values: dict[str, Any], name: str):
    known = {f.name: f for f in fields(cls)}
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise UserError(f"config section [{name}]: unknown keys {unknown}; known: {sorted(known)}")
    converted = {k: tuple(v) if isinstance(v, list) else v for k, v in values.items()}
    return cls(**converted)


def _linker_section(values: dict[str, Any]) -> LinkerTrainConfig:
    """`[linker]`: the recipe keys, with the featuriser/model sizes nested under `model`."""
    values = dict(values)
    sizes = values.pop("model", {})
    recipe = _section(LinkerTrainConfig, values, "linker")
    return replace(recipe, model=_section(LinkerConfig, sizes, "linker.model"))


def train_and_save_linker(config: TrainConfig, output: str | Path) -> dict[str, Any]:
    """Train the field linker of `config.linker` and write it into `output` (next to the tagger);
    the linker recipe is recorded in `output/train_config.json` (its `linker` section)."""
    linker = train_linker(config.linker)
    linker.save(output)
    saved = Path(output) / "train_config.json"
    try:
        recorded = json.loads(saved.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        recorded = config.to_json()
    recorded["linker"] = config.to_json()["linker"]
    write_json(saved, recorded)
    return {"count_classes": len(linker.count_classes), "none_classes": len(linker.none_classes)}


def load_config(path: str | Path | None) -> TrainConfig:
    """Read a TOML config (sections [data], [model], [train], optional top-level `base_model`)."""
    if path is None:
        return TrainConfig()
    path = resolve_path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise UserError(f"cannot read config {path}: {exc.strerror}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"{path}: invalid TOML: {exc}") from exc
    return config_from_dict(raw, str(path))


def config_from_dict(raw: dict[str, Any], source: str = "config") -> TrainConfig:
    """A `TrainConfig` from parsed TOML or a saved `train_config.json`; unknown keys are errors."""
    unknown = sorted(set(raw) - {"data", "model", "train", "linker", "base_model"})
    if unknown:
        raise UserError(f"{source}: unknown sections/keys {unknown}")
    return TrainConfig(
        data=_section(DataConfig, raw.get("data", {}), "data"),
        model=_section(ModelConfig, raw.get("model", {}), "model"),
        train=_section(OptimConfig, raw.get("train", {}), "train"),
        linker=_linker_section(raw.get("linker", {})),
        base_model=str(raw.get("base_model", "")),
    )


def override_config(
    config: TrainConfig,
    *,
    synth_n: int | None = None,
    epochs: int | None = None,
    seed: int | None = None,
    base_model: str | Path | None = None,
    max_steps: int | None = None,
) -> TrainConfig:
    """Apply command-line overrides (None = keep the config's value)."""
    if synth_n is not None:
        config = replace(config, data=replace(config.data, synth_train=synth_n))
    train = config.train
    if epochs is not None:
        train = replace(train, epochs=epochs)
    if seed is not None:
        train = replace(train, seed=seed)
    if max_steps is not None:
        train = replace(train, max_steps=max_steps)
    config = replace(config, train=train)
    if base_model is not None:
        config = replace(config, base_model=str(base_model))
    return config


def _collate(
    rows: list[dict[str, Any]], pad_id: int, unk_id: int, unk_rate: float, generator
) -> dict[str, Any]:
    import torch

    width = max(len(row["input_ids"]) for row in rows)
    input_ids = torch.full((len(rows), width), pad_id, dtype=torch.long)
    labels = torch.full((len(rows), width), IGNORE_INDEX, dtype=torch.long)
    attention = torch.zeros((len(rows), width), dtype=torch.long)
    for i, row in enumerate(rows):
        n = len(row["input_ids"])
        input_ids[i, :n] = torch.tensor(row["input_ids"])
        labels[i, :n] = torch.tensor(row["labels"])
        attention[i, :n] = 1
    if unk_rate > 0:
        drop = (torch.rand(input_ids.shape, generator=generator) < unk_rate) & (labels != IGNORE_INDEX)
        input_ids[drop] = unk_id
    return {"input_ids": input_ids, "attention_mask": attention, "labels": labels}


def drop_unlabelled(dataset, keep: float, *, seed: int):
    """Keep every window with a span and a seeded `keep` share of the all-`O` ones (prose without numbers)."""
    rng = random.Random(seed)
    outside = {IGNORE_INDEX, 0}
    kept = [
        i for i, labels in enumerate(dataset["labels"]) if not set(labels) <= outside or rng.random() < keep
    ]
    logger.info("kept %d of %d training windows (unlabelled kept at %.2f)", len(kept), len(dataset), keep)
    return dataset.select(kept)


def evaluate_examples(tagger: ModelTagger, examples: list[Example]) -> dict[str, Any]:
    from training.evaluate import span_scores

    predicted = tagger.tag_batch([example.text for example in examples])
    return span_scores(examples, predicted)


def train(config: TrainConfig, output: str | Path, *, progress: bool = True) -> dict[str, Any]:
    """Train a tagger as `config` says, write it to `output`, return its metrics."""
    import torch
    from tqdm.auto import tqdm

    started = time.monotonic()
    output = Path(output)
    opt = config.train
    torch.set_num_threads(opt.threads)
    torch.manual_seed(opt.seed)
    random.seed(opt.seed)

    examples = load_examples(config.data)
    train_examples = [e for e in examples if e.split == "train"]
    dev_examples = [e for e in examples if e.split == "dev"]
    test_examples = [e for e in examples if e.split == "test"]
    if not train_examples:
        raise UserError("no training reports: check [data] annotations / synth_train in the config")
    logger.info(
        "reports: %d train, %d dev, %d test", len(train_examples), len(dev_examples), len(test_examples)
    )

    if config.base_model:
        model, vocab = load_base_model(resolve_path(config.base_model))
        window = min(config.data.window, model.config.max_position_embeddings - 2)
    else:
        vocab = build_char_vocab(e.text for e in train_examples)
        window = min(config.data.window, config.model.max_position_embeddings - 2)
        model = build_model(config.model, vocab, seed=opt.seed)
    stride = min(config.data.stride, window)
    dataset = examples_to_dataset(train_examples, vocab, window=window, stride=stride)["train"]
    dataset = dataset.remove_columns(["offsets"])
    if config.data.keep_unlabelled < 1.0:
        dataset = drop_unlabelled(dataset, config.data.keep_unlabelled, seed=opt.seed)

    generator = torch.Generator().manual_seed(opt.seed)
    loader = torch.utils.data.DataLoader(
        dataset,
        batch_size=opt.batch_size,
        shuffle=True,
        generator=generator,
        num_workers=0,
        collate_fn=lambda rows: _collate(rows, vocab.pad_id, vocab.unk_id, opt.unk_rate, generator),
    )
    steps_per_epoch = len(loader)
    total_steps = steps_per_epoch * opt.epochs
    if opt.max_steps:
        total_steps = min(total_steps, opt.max_steps)
    warmup = max(1, int(total_steps * opt.warmup_ratio))
    optimizer = torch.optim.AdamW(model.parameters(), lr=opt.learning_rate, weight_decay=opt.weight_decay)
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer,
        lambda step: min((step + 1) / warmup, max(0.0, (total_steps - step) / max(1, total_steps - warmup))),
    )
    eval_every = opt.eval_every or steps_per_epoch
    labels = [model.config.id2label[i] for i in range(len(model.config.id2label))]
    decoder = fit_decoder(train_examples, labels)
    tagger = ModelTagger(model, vocab, window=window, decoder=decoder)

    history: list[dict[str, Any]] = []
    best_f1, best_state, best_step, stale = -1.0, None, 0, 0
    best_scores: dict[str, Any] = {}
    step, stop_reason = 0, "epochs done"
    bar = tqdm(total=total_steps, desc="train", unit="step", disable=not progress, dynamic_ncols=True)
    running = None
    for epoch in range(opt.epochs):
        model.train()
        for batch in loader:
            loss = model(**batch).loss
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad()
            step += 1
            running = loss.item() if running is None else 0.95 * running + 0.05 * loss.item()
            bar.update(1)
            bar.set_postfix(epoch=epoch + 1, loss=f"{running:.4f}", best_dev_f1=f"{max(best_f1, 0):.4f}")
            over_time = (time.monotonic() - started) / 60 > opt.max_minutes
            last = step >= total_steps or over_time
            if dev_examples and (step % eval_every == 0 or last):
                model.eval()
                scores = evaluate_examples(tagger, dev_examples)
                model.train()
                entry = {"step": step, "epoch": epoch + 1, "loss": round(running, 5), "dev_f1": scores["f1"]}
                history.append(entry)
                logger.info("step %d: loss %.4f dev F1 %.4f", step, running, scores["f1"])
                if scores["f1"] > best_f1:
                    best_f1, best_step, stale, best_scores = scores["f1"], step, 0, scores
                    best_state = copy.deepcopy(model.state_dict())
                else:
                    stale += 1
                    if stale >= opt.patience:
                        stop_reason = f"early stop: no dev improvement in {opt.patience} evaluations"
                        last = True
            if over_time:
                stop_reason = f"time budget of {opt.max_minutes} min reached"
            if last:
                break
        else:
            continue
        break
    bar.close()
    if not dev_examples:
        history.append({"step": step, "epoch": epoch + 1, "loss": round(running or math.nan, 5)})
    if best_state is not None:
        model.load_state_dict(best_state)
    model.eval()

    metrics: dict[str, Any] = {
        "steps": step,
        "best_step": best_step or step,
        "stop_reason": stop_reason,
        "train_minutes": round((time.monotonic() - started) / 60, 2),
        "parameters": sum(p.numel() for p in model.parameters()),
        "history": history,
    }
    if dev_examples:
        metrics["dev"] = best_scores or evaluate_examples(tagger, dev_examples)
    if test_examples:
        metrics["test"] = evaluate_examples(tagger, test_examples)
    save_model(
        model,
        vocab,
        output,
        window=window,
        config=config,
        examples=examples,
        metrics=metrics,
        decoder=decoder,
    )
    if config.linker.annotations or config.linker.synth:
        metrics["linker"] = train_and_save_linker(config, output)
        write_json(output / "metrics.json", metrics)
    return metrics


def save_model(
    model,
    vocab: CharVocab,
    output: Path,
    *,
    window: int,
    config: TrainConfig,
    examples,
    metrics,
    decoder: LabelDecoder | None = None,
) -> None:
    """Write weights (safetensors), vocabulary, inference settings, resolved config, data summary,
    metrics, and the encoder's ONNX export (`training.export_onnx`; a warning where it fails)."""
    output.mkdir(parents=True, exist_ok=True)
    (output / ONNX_FILE).unlink(missing_ok=True)  # an export of earlier weights (stale either way)
    model.save_pretrained(output, safe_serialization=True)
    vocab.save(output)
    stride = min(config.data.inference_stride, window) or max(1, window // 2)
    settings: dict[str, Any] = {"window": window, "stride": stride}
    if decoder is not None:
        settings["decoder"] = decoder.to_json()
    write_json(output / TAGGER_FILE, settings)
    write_json(output / "train_config.json", config.to_json())
    write_json(output / "data_summary.json", summarize_examples(examples))
    write_json(output / "metrics.json", metrics)
    try:
        export_onnx(output)
    except UserError as exc:
        logger.warning("%s; prediction will run the tagger in torch", exc)
    logger.info("model written to %s", output)


def fit_decoder(
    examples: Sequence[Example], labels: Sequence[str] = BIO_LABELS, **weights: float
) -> LabelDecoder:
    """A `LabelDecoder` whose prior and transitions are counted on the examples' gold BIO tags."""
    return LabelDecoder.from_tag_sequences(
        labels, (spans_to_char_tags(len(e.text), e.spans) for e in examples), **weights
    )


def write_json(path: Path, payload: Any) -> None:
    path.write_text(
        json.dumps(payload, ensure_ascii=False, indent=1, sort_keys=False) + "\n", encoding="utf-8"
    )
