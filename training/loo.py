"""Leave-one-report-out over the real annotated reports: train without report k, score spans on k.

usage: python -m training.loo [--annotations annotations/seeds.jsonl] [--config training/default.toml]
       [--synth-n N] [--pretrain-epochs N] [--finetune-epochs 4] [--work-dir runs/loo] [--json]
(also `gia evaluate --leave-one-out --annotations FILE`)

To stay cheap on 2 cores the generated part is learnt once: stage 1 trains on generated reports
only (no real report), with the config's recipe (by default the default model's: 360 reports,
9 epochs); stage 2, for each real report k, continues from that model on the other
real reports plus a few generated ones and is scored on k alone. No model ever sees report k.
Scores are micro-averaged over all folds (seqeval), plus each fold's own.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from inference.tag import load_tagger
from training.dataset import load_annotation_examples
from training.evaluate import span_scores, span_scores_by
from training.train import load_config, train

logger = logging.getLogger(__name__)

DEFAULT_ANNOTATIONS = "annotations/seeds.jsonl"


def leave_one_out(
    annotations: str | None = None,
    *,
    config_path: str = "training/default.toml",
    synth_n: int | None = None,
    finetune_synth_n: int = 24,
    pretrain_epochs: int | None = None,
    finetune_epochs: int = 4,
    work_dir: str | Path = "runs/loo",
    pretrained: str | None = None,
    progress: bool = False,
) -> dict[str, Any]:
    """Run both stages and return micro and per-fold span scores (see the module docstring)."""
    annotations = annotations or DEFAULT_ANNOTATIONS
    work_dir = Path(work_dir)
    base = load_config(config_path)
    folds = load_annotation_examples(annotations, split="test")
    # Stage 1 follows the config's recipe (its generated reports and epochs) unless told otherwise.
    synth_n = base.data.synth_train if synth_n is None else synth_n
    pretrain_epochs = base.train.epochs if pretrain_epochs is None else pretrain_epochs
    if pretrained is None:
        stage1 = replace(
            base,
            data=replace(base.data, annotations=(), synth_train=synth_n, synth_dev=0, synth_test=0),
            train=replace(base.train, epochs=pretrain_epochs),
        )
        pretrained = str(work_dir / "pretrain")
        logger.info("stage 1: %d generated reports, %d epochs -> %s", synth_n, pretrain_epochs, pretrained)
        train(stage1, pretrained, progress=progress)
    results = []
    predictions = []
    for example in folds:
        stage2 = replace(
            base,
            data=replace(
                base.data,
                annotations=(annotations,),
                annotations_split="train",
                exclude_ids=(example.id,),
                synth_train=finetune_synth_n,
                synth_seed=base.data.synth_seed + 500_000,  # fresh generated reports, not stage 1's
                synth_dev=0,
                synth_test=0,
            ),
            train=replace(base.train, epochs=finetune_epochs, learning_rate=base.train.learning_rate / 2),
            base_model=pretrained,
        )
        out = work_dir / f"fold_{example.id}"
        metrics = train(stage2, out, progress=progress)
        tagger = load_tagger(out)
        (predicted,) = tagger.tag_batch([example.text])
        predictions.append(predicted)
        scores = span_scores([example], [predicted])
        logger.info("fold %s: span F1 %.4f", example.id, scores["f1"])
        results.append({"report": example.id, **scores, "train_minutes": metrics["train_minutes"]})
    return {
        "annotations": annotations,
        "settings": {
            "config": config_path,
            "synth_n": synth_n,
            "finetune_synth_n": finetune_synth_n,
            "pretrain_epochs": pretrain_epochs,
            "finetune_epochs": finetune_epochs,
        },
        "micro": span_scores(folds, predictions),
        "by_generation": span_scores_by(folds, predictions, "generation"),
        "by_script": span_scores_by(folds, predictions, "script"),
        "folds": results,
    }


def format_loo(result: dict[str, Any]) -> str:
    micro = result["micro"]
    lines = [
        f"leave-one-out over {len(result['folds'])} reports: P={micro['p']:.4f} R={micro['r']:.4f} "
        f"F1={micro['f1']:.4f}"
    ]
    for label, v in micro["labels"].items():
        lines.append(f"  {label:<10} P={v['p']:.4f} R={v['r']:.4f} F1={v['f1']:.4f} n={v['support']}")
    for fold in result["folds"]:
        lines.append(f"  {fold['report']}: P={fold['p']:.4f} R={fold['r']:.4f} F1={fold['f1']:.4f}")
    for key in ("by_generation", "by_script"):
        for value, v in result[key].items():
            lines.append(f"  {key[3:]}={value}: F1={v['f1']:.4f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--annotations", default=DEFAULT_ANNOTATIONS)
    parser.add_argument("--config", default="training/default.toml")
    parser.add_argument("--synth-n", type=int, default=None, help="Default: the config's synth_train.")
    parser.add_argument("--finetune-synth-n", type=int, default=24)
    parser.add_argument("--pretrain-epochs", type=int, default=None, help="Default: the config's epochs.")
    parser.add_argument("--finetune-epochs", type=int, default=4)
    parser.add_argument("--work-dir", default="runs/loo")
    parser.add_argument(
        "--pretrained", default=None, help="Skip stage 1 and start from this model directory."
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    result = leave_one_out(
        args.annotations,
        config_path=args.config,
        synth_n=args.synth_n,
        finetune_synth_n=args.finetune_synth_n,
        pretrain_epochs=args.pretrain_epochs,
        finetune_epochs=args.finetune_epochs,
        work_dir=args.work_dir,
        pretrained=args.pretrained,
        progress=True,
    )
    print(json.dumps(result, ensure_ascii=False, indent=1) if args.json else format_loo(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
