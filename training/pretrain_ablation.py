"""Does masked-LM pretraining (`gia pretrain`) help the tagger? One rerunnable experiment, with and without.

1. `pretrain`: MLM-pretrain the tagger's encoder (the `[model]` sizes of the config, so the
   checkpoint is exactly the tagger's shape, dropout included) on real report text that is never
   scored as a passage: `annotations/unlabelled` (60 reports, no gold), `annotations/real/reports`
   and `annotations/seeds`. `annotations/real/passages` is left out: it is the held-out test of
   wording never seen.
2. `train`: two taggers with the same config, data, seed and step budget (`--train-steps`; the
   learning-rate schedule decays over exactly those steps): `scratch` (random init) and
   `pretrained` (`base_model` = the checkpoint). No field linker is trained with them.
3. `eval`: for both (and, as a reference, the shipped `models/default`):
   - span F1 on held-out generated reports (`training.evaluate.evaluate_generated`, seeds 2,000,001…);
   - the k-fold by report over the real files (`training.kfold`): one linker per fold, trained on
     the other folds' silver + generated reports, shared by every tagger (the linker does not depend
     on the tagger), field F1 of the configs where the tagger matters (`model`, `default`), plus
     `rules` as the tagger-free anchor.

Caveat written into the result: `annotations/real/reports` and the seeds were in the pretraining
text, so the k-fold's `real` and `seeds` corpora are transductive for `pretrained` (text seen,
labels not); `passages` is clean for both.

Usage (the defaults are the budgets of docs/results/pretrain_ablation.txt; ~1.5 h on one busy core):
`python -m training.pretrain_ablation --out runs/pretrain_ablation --long-steps 3800`
Stages can be run one at a time (`--stage pretrain|train|eval`); finished stages are not redone.
"""

from __future__ import annotations

import argparse
import json
import logging
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from inference import DEFAULT_MODEL_DIR, REPO_ROOT
from training.linker import LinkerTrainConfig
from training.train import TrainConfig, load_config

logger = logging.getLogger(__name__)

PRETRAIN_TEXT = ("annotations/unlabelled", "annotations/real/reports", "annotations/seeds")
"""Real report text for MLM pretraining; never `annotations/real/passages` (held-out wording)."""
ARMS = ("scratch", "pretrained")
KFOLD_CONFIGS = ("rules", "model", "default")


def tagger_config(config_path: str, steps: int, minutes: float, threads: int) -> TrainConfig:
    """The config's recipe with a fixed step budget and no linker (the k-fold trains its own)."""
    config = load_config(config_path)
    train = replace(config.train, max_steps=steps, max_minutes=minutes, threads=threads)
    return replace(config, train=train, linker=LinkerTrainConfig())


def bert_sizes(config: TrainConfig) -> dict[str, Any]:
    """The `config.json` keys of a BERT checkpoint that the tagger config's `[model]` fixes."""
    m = config.model
    return {
        "hidden_size": m.hidden_size,
        "num_hidden_layers": m.num_hidden_layers,
        "num_attention_heads": m.num_attention_heads,
        "intermediate_size": m.intermediate_size,
        "max_position_embeddings": m.max_position_embeddings,
        "hidden_dropout_prob": m.dropout,
        "attention_probs_dropout_prob": m.dropout,
    }


def check_sizes(checkpoint: Path, config: TrainConfig) -> dict[str, Any]:
    """The checkpoint's BERT sizes (and dropout) equal the tagger config's `[model]`; raise if not."""
    saved = json.loads((checkpoint / "config.json").read_text(encoding="utf-8"))
    want = bert_sizes(config)
    wrong = {k: (saved.get(k), v) for k, v in want.items() if saved.get(k) != v}
    if wrong:
        raise SystemExit(f"{checkpoint}: sizes differ from the tagger config (saved, wanted): {wrong}")
    return want


def run_pretrain(out: Path, config: TrainConfig, steps: int, minutes: float) -> dict[str, Any]:
    from training.pretrain import PretrainConfig, pretrain

    target = out / "pretrained-mlm"
    info_path = out / "pretrain.json"
    if info_path.is_file():
        return json.loads(info_path.read_text(encoding="utf-8"))
    pc = PretrainConfig(minutes=minutes, max_steps=steps, model=config.model, seed=config.train.seed)
    info = pretrain([REPO_ROOT / p for p in PRETRAIN_TEXT], target, pc)
    info["sizes"] = check_sizes(target, config)
    info["text"] = list(PRETRAIN_TEXT)
    info["batch_size"], info["learning_rate"], info["mask_rate"] = (
        pc.batch_size,
        pc.learning_rate,
        pc.mask_rate,
    )
    info_path.write_text(json.dumps(info, indent=1) + "\n", encoding="utf-8")
    return info


def arms(long_steps: int) -> tuple[str, ...]:
    """`scratch`, `pretrained`, and with `--long-steps N` a from-scratch arm of N steps (compute-matched)."""
    return ARMS + ((f"scratch-{long_steps}",) if long_steps else ())


def run_train(out: Path, config: TrainConfig, long_steps: int = 0) -> dict[str, Any]:
    from training.train import train

    result = {}
    for arm in arms(long_steps):
        target = out / arm
        if (target / "metrics.json").is_file():
            metrics = json.loads((target / "metrics.json").read_text(encoding="utf-8"))
        else:
            if arm == "pretrained":
                check_sizes(out / "pretrained-mlm", config)
            arm_config = replace(
                config, base_model=str(out / "pretrained-mlm") if arm == "pretrained" else ""
            )
            if arm.startswith("scratch-"):
                arm_config = replace(arm_config, train=replace(config.train, max_steps=long_steps))
            metrics = train(arm_config, target, progress=False)
        result[arm] = {k: metrics.get(k) for k in ("steps", "best_step", "stop_reason", "train_minutes")}
        result[arm]["dev_f1"] = metrics.get("dev", {}).get("f1")
        logger.info("%s: %s", arm, result[arm])
    return result


def model_dirs(out: Path, reference: Path | None, long_steps: int = 0) -> dict[str, Path]:
    dirs = {arm: out / arm for arm in arms(long_steps)}
    if reference is not None:
        dirs["shipped"] = reference
    return dirs


def run_heldout(dirs: dict[str, Path], n: int) -> dict[str, Any]:
    from training.evaluate import evaluate_generated

    out = {}
    for name, path in dirs.items():
        spans = evaluate_generated(str(path), n=n)["spans"]
        out[name] = {"f1": spans["f1"], "p": spans["p"], "r": spans["r"]} | {
            label: v["f1"] for label, v in spans["labels"].items()
        }
        logger.info("held-out generated, %s: %s", name, out[name])
    return out


def run_kfold(dirs: dict[str, Path], k: int, synth: int, cache: Path) -> dict[str, Any]:
    """`training.kfold` with every tagger scored against the same per-fold linkers."""
    from inference.ensemble import CombinedTagger
    from inference.rules import RuleTagger
    from inference.tag import load_tagger
    from training import kfold
    from training.dataset import generated_reports
    from training.linker import LinkerData, collect, fit

    def tag_items(path: Path):
        rules, model = RuleTagger(), load_tagger(path)
        taggers = {"rules": rules, "model": model, "default": CombinedTagger(rules, model)}
        return kfold.load_items(list(kfold.CORPORA), taggers)

    # tagged reports per tagger, cached by arm name (delete the cache after retraining an arm)
    views = {
        name: kfold._cached(cache, f"items-{name}", lambda path=path: tag_items(path))
        for name, path in dirs.items()
    }
    items = next(iter(views.values()))
    silver = kfold._cached(cache, "silver", lambda: kfold.silver_data(kfold.SILVER))
    synthetic = kfold._cached(cache, f"synth-{synth}", lambda: collect(generated_reports(synth, 1)))
    folds = kfold.assign_folds(items, k)
    linker_config = load_config(kfold.DEFAULT_CONFIG).linker
    predictions: dict[str, dict[str, dict[str, Any]]] = {
        name: {c: {} for c in KFOLD_CONFIGS} for name in dirs
    }
    started = time.perf_counter()
    for fold in range(k):

        def build(fold=fold):
            data = LinkerData(list(synthetic.counts), list(synthetic.cues))
            for group, part in silver.items():
                if folds.get(group) != fold:
                    for _ in range(linker_config.annotations_weight):
                        data.extend(part)
            return fit(data, linker_config)

        linker = kfold._cached(cache, f"linker-k{k}-synth{synth}-fold{fold}", build)
        for name, view in views.items():
            for item in view:
                if folds[item.group] == fold:
                    for c in KFOLD_CONFIGS:
                        predictions[name][c][item.key] = kfold.predict(item, c, linker)
        logger.info("fold %d done, %.0f s", fold, time.perf_counter() - started)
    return {name: kfold.summarize(views[name], predictions[name]) for name in dirs}


SCOPES = (
    ("all", "all"),
    ("prose", "prose"),
    ("corpus=passages", "passages"),
    ("corpus=passages prose", "passages prose"),
    ("corpus=real", "real (pretrain text)"),
    ("corpus=real prose", "real prose"),
    ("corpus=seeds", "seeds (in pretrain + tagger)"),
    ("template=pre2019 prose", "pre-2019 prose"),
)


def provenance() -> dict[str, Any]:
    """Code and data state scored: git HEAD, uncommitted paths, SHA-1 of the silver the linkers learn."""
    import hashlib
    import subprocess

    def git(*cmd: str) -> str:
        try:
            return subprocess.run(["git", *cmd], cwd=REPO_ROOT, capture_output=True, text=True).stdout.strip()
        except OSError:
            return ""

    from training import kfold

    silver = {
        p: hashlib.sha1((REPO_ROOT / p).read_bytes()).hexdigest()[:12]
        for p in kfold.SILVER
        if (REPO_ROOT / p).is_file()
    }
    return {
        "head": git("rev-parse", "--short", "HEAD"),
        "dirty": git("status", "--short").splitlines(),
        "silver": silver,
    }


def format_result(result: dict[str, Any]) -> str:
    lines = []
    if "heldout" in result:
        names = list(result["heldout"])
        lines += [f"held-out generated reports ({result['heldout_n']}), span P / R / F1 and F1 per label", ""]
        lines.append(
            "tagger".ljust(12) + "".join(s.rjust(10) for s in ("P", "R", "F1", "METRIC", "CATEGORY", "COUNT"))
        )
        for name in names:
            h = result["heldout"][name]
            cells = [h["p"], h["r"], h["f1"], h.get("METRIC"), h.get("CATEGORY"), h.get("COUNT")]
            lines.append(name.ljust(12) + "".join(f"{c:.4f}".rjust(10) for c in cells))
        lines.append("")
    if "kfold" in result:
        names = list(result["kfold"])
        lines.append(f"k-fold by report (k={result['k']}), held-out fields, F1 all / non-zero")
        columns = [(c, n, f"{c}:{n}") for c in ("model", "default") for n in names]
        width = max(len(label) for _, _, label in columns) + 2
        header = "scope".ljust(34) + "rules".rjust(14) + "".join(label.rjust(width) for *_, label in columns)
        lines += ["", header]
        first = result["kfold"][names[0]]
        for key, title in SCOPES:
            if key not in first["default"]:
                continue
            n = first["default"][key]["reports"]
            s = first["rules"][key]
            row = f"{title} (n={n})".ljust(34) + f"{s['f1']:.3f}/{s['f1_nonzero']:.3f}".rjust(14)
            for c, name, _ in columns:
                s = result["kfold"][name][c][key]
                row += f"{s['f1']:.3f}/{s['f1_nonzero']:.3f}".rjust(width)
            lines.append(row)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="MLM pretraining ablation: tagger with and without")
    parser.add_argument("--out", type=Path, default=Path("runs/pretrain_ablation"))
    parser.add_argument("--config", default="training/default.toml")
    parser.add_argument("--stage", choices=("all", "pretrain", "train", "eval"), default="all")
    parser.add_argument("--pretrain-steps", type=int, default=1500)
    parser.add_argument(
        "--pretrain-minutes", type=float, default=20.0, help="time cap (the run below hit it)"
    )
    parser.add_argument("--train-steps", type=int, default=1500)
    parser.add_argument("--train-minutes", type=float, default=22.0, help="safety cap (keep it unreached)")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--heldout", type=int, default=72, help="held-out generated reports (0: skip)")
    parser.add_argument("--k", type=int, default=5, help="k-fold over the real files (0: skip)")
    parser.add_argument("--synth", type=int, default=240, help="generated reports in each fold's linker data")
    parser.add_argument("--reference", type=Path, default=DEFAULT_MODEL_DIR, help="also score this model")
    parser.add_argument("--no-reference", action="store_true")
    parser.add_argument(
        "--long-steps",
        type=int,
        default=0,
        help="also train a from-scratch arm for this many steps (0: none)",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")

    import torch

    torch.set_num_threads(args.threads)
    args.out.mkdir(parents=True, exist_ok=True)
    config = tagger_config(args.config, args.train_steps, args.train_minutes, args.threads)
    result: dict[str, Any] = {"args": {k: str(v) for k, v in vars(args).items()}}
    if args.stage in ("all", "pretrain"):
        result["pretrain"] = run_pretrain(args.out, config, args.pretrain_steps, args.pretrain_minutes)
    if args.stage in ("all", "train"):
        result["train"] = run_train(args.out, config, args.long_steps)
    if args.stage in ("all", "eval"):
        dirs = model_dirs(args.out, None if args.no_reference else args.reference, args.long_steps)
        result["provenance"] = provenance()
        if args.heldout:
            result["heldout_n"] = args.heldout
            result["heldout"] = run_heldout(dirs, args.heldout)
        if args.k:
            result["k"] = args.k
            result["kfold"] = run_kfold(dirs, args.k, args.synth, args.out / "cache")
        print(format_result(result))
    (args.out / f"result-{args.stage}.json").write_text(
        json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )


if __name__ == "__main__":
    main()
