"""k-fold cross-validation by report over the real annotated reports, with the ablation side by side.

The real reports in the repository (annotations/real: one portal's reports and their layout
variants; annotations/real/passages: passages of many provinces and levels; annotations/seeds) are
split into k folds *by report*: layout variants of one report (the same gold values) always share a
fold. For each fold the learned field linker is trained on the silver annotations of the other folds,
generated reports and the self-training silver of the 60 unlabelled reports (`training.selftrain`;
in no fold: they have no gold, and they come from the portal of annotations/real, not from the
passages' provinces), and the held-out fold is predicted four ways:

| config     | spans             | fields of prose counts                                          |
|------------|-------------------|-----------------------------------------------------------------|
| none       | none              | tables only (+ the lexicon's statements of none)                |
| rules      | spaCy rule tagger | hand-written lexicons                                           |
| model      | model tagger      | the learned linker decides every count (lexicon reading a feature) |
| model-pure | model tagger      | a linker trained and asked without the lexicons: no lexicon at all |
| default    | rules+model       | the linker where confident, else the lexicons                   |

Scores are the spec's field scores (`training.evaluate.score_fields`): all fields, non-zero fields,
and *prose-stated* fields — gold fields whose id the table reader does not read from the report's
printed tables (that is where linking matters) — per fold, per corpus and per template.

The tagger is the one given (`--model`, default models/default), not retrained per fold: it was
trained on generated reports and the 5 seeds, so seed folds are in-sample for the tagger (not for
the linker). Usage: `python -m training.kfold [--k 5] [--synth 240] [--json out.json]` (~10 min).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from inference import DEFAULT_MODEL_DIR, REPO_ROOT
from inference.assemble import assemble
from inference.link import FieldLinker
from inference.metadata import detect_metadata
from inference.normalize import NormalizedText, normalize
from inference.read import read_report
from inference.records import Span
from inference.tables import extract_tables
from training.annotations import load_annotations
from training.dataset import generated_reports
from training.evaluate import field_summary, load_golds, score_fields, source_stem
from training.linker import LinkerData, collect, fit
from training.train import load_config

logger = logging.getLogger(__name__)

CORPORA: dict[str, tuple[str, str]] = {
    "real": ("annotations/real/reports", "annotations/real/gold"),
    "passages": ("annotations/real/passages", "annotations/real/passages/gold"),
    "seeds": ("annotations/seeds", "annotations/gold"),
}
"""Corpus → (report folder, gold folder), relative to the repository root."""
SILVER = (
    "annotations/silver/real.jsonl",
    "annotations/silver/passages.jsonl",
    "annotations/silver/seeds.jsonl",
)
DEFAULT_CONFIG = "training/default.toml"
"""The shipped recipe: each fold's linker is trained with its `[linker]` section (data aside)."""
CONFIGS = ("none", "rules", "model", "model-pure", "default")
LINKING = {"model": "feature", "model-pure": "pure", "default": "fallback"}


def gold_group(gold: dict[str, Any]) -> str:
    """Reports with the same gold values are layout variants of one report: one fold for all."""
    payload = json.dumps([gold.get("fields", {}), gold.get("year")], sort_keys=True, ensure_ascii=False)
    return hashlib.sha1(payload.encode("utf-8")).hexdigest()[:12]


@dataclass
class Item:
    """One held-out report: its text, gold, fold group, and the spans of every tagger (tagged once)."""

    key: str
    corpus: str
    gold: dict[str, Any]
    group: str
    doc: NormalizedText
    template: str | None
    table_ids: frozenset[str]
    spans: dict[str, list[Span]]


def load_items(corpora: Sequence[str], taggers: dict[str, Any]) -> list[Item]:
    """Read, normalise and tag every report of `corpora` that has a gold file."""
    items = []
    for corpus in corpora:
        reports, golds = (REPO_ROOT / p for p in CORPORA[corpus])
        gold_by_key = load_golds(str(golds))
        for path in sorted(p for p in reports.iterdir() if p.suffix in (".txt", ".html", ".htm")):
            gold = gold_by_key.get(source_stem(path.name))
            if gold is None:
                continue
            doc = normalize(read_report(path).text)
            meta = detect_metadata(doc.text)
            tables = extract_tables(doc.text, [], template=meta.template, offsets=doc.offsets)
            spans = {name: tagger.tag_batch([doc.text])[0] for name, tagger in taggers.items()}
            items.append(
                Item(
                    source_stem(path.name),
                    corpus,
                    gold,
                    gold_group(gold),
                    doc,
                    meta.template,
                    frozenset(tables.fields),
                    spans,
                )
            )
    return items


def predict(item: Item, config: str, linker: FieldLinker | None) -> dict[str, Any]:
    """Fields of one item under one ablation config."""
    meta = detect_metadata(item.doc.text)
    tagger = {"none": None, "model-pure": "model"}.get(config, config)
    spans = item.spans[tagger] if tagger else []
    result = assemble(
        item.doc.text,
        spans,
        meta,
        offsets=item.doc.offsets,
        linker=linker if config in LINKING else None,
        linking=LINKING.get(config, "fallback"),
    )
    return {"fields": dict(result.fields)}


def _prose_only(fields: dict[str, Any], table_ids: frozenset[str]) -> dict[str, Any]:
    return {k: v for k, v in fields.items() if k not in table_ids}


def summarize(items: list[Item], predictions: dict[str, dict[str, dict[str, Any]]]) -> dict[str, Any]:
    """Scores per config: all fields, prose-stated fields, per corpus and per template."""
    out: dict[str, Any] = {}
    for config, preds in predictions.items():
        golds = {i.key: i.gold for i in items}
        entry = {"all": field_summary(score_fields(preds, golds))}
        prose_preds = {i.key: {"fields": _prose_only(preds[i.key]["fields"], i.table_ids)} for i in items}
        prose_golds = {i.key: {**i.gold, "fields": _prose_only(i.gold["fields"], i.table_ids)} for i in items}
        entry["prose"] = field_summary(score_fields(prose_preds, prose_golds))
        for attr in ("corpus", "template"):
            for value in sorted({str(getattr(i, attr)) for i in items}):
                keys = {i.key for i in items if str(getattr(i, attr)) == value}
                sub = {k: g for k, g in golds.items() if k in keys}
                entry[f"{attr}={value}"] = field_summary(score_fields(preds, sub))
                sub_p = {k: g for k, g in prose_golds.items() if k in keys}
                entry[f"{attr}={value} prose"] = field_summary(score_fields(prose_preds, sub_p))
        out[config] = entry
    return out


def assign_folds(items: list[Item], k: int) -> dict[str, int]:
    """Group → fold, stable (groups sorted by hash, dealt round-robin per corpus)."""
    folds: dict[str, int] = {}
    for corpus in sorted({i.corpus for i in items}):
        groups = sorted({i.group for i in items if i.corpus == corpus and i.group not in folds})
        for n, group in enumerate(groups):
            folds[group] = n % k
    return folds


def silver_data(paths: Sequence[str]) -> dict[str, LinkerData]:
    """Linker examples of every silver report, by gold group (collected once, filtered per fold)."""
    by_group: dict[str, LinkerData] = {}
    for path in paths:
        full = REPO_ROOT / path
        if not full.is_file():
            logger.warning("no silver annotations at %s", full)
            continue
        for report in load_annotations(full):
            group = gold_group(report.gold or {"fields": {"id": report.id}})
            by_group.setdefault(group, LinkerData()).extend(collect([report]))
    return by_group


def _cached(cache: Path | None, name: str, build):
    """`build()`, pickled under `cache/name` and read back on the next run (experiments only)."""
    import pickle

    if cache is None:
        return build()
    path = cache / f"{name}.pkl"
    if path.is_file():
        return pickle.loads(path.read_bytes())
    value = build()
    cache.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(value))
    return value


def run(
    k: int, synth: int, model_dir: Path, corpora: Sequence[str], cache: Path | None = None
) -> dict[str, Any]:
    from inference.ensemble import CombinedTagger
    from inference.rules import RuleTagger
    from inference.tag import load_tagger

    def tag_items() -> list[Item]:
        rules, model = RuleTagger(), load_tagger(model_dir)
        return load_items(corpora, {"rules": rules, "model": model, "default": CombinedTagger(rules, model)})

    started = time.perf_counter()
    items = _cached(cache, f"items-{'-'.join(corpora)}", tag_items)
    logger.info("%d items read and tagged in %.0f s", len(items), time.perf_counter() - started)
    silver = _cached(cache, "silver", lambda: silver_data(SILVER))
    synthetic = _cached(cache, f"synth-{synth}", lambda: collect(generated_reports(synth, 1)))
    folds = assign_folds(items, k)
    config = load_config(DEFAULT_CONFIG).linker
    # the recipe's self-training silver (unlabelled reports: in no fold, in every fold's training)
    self_training = _cached(cache, "self-training", lambda: silver_data(config.self_training))
    # the recipe's invented reports (annotations/probes: in no fold, in every fold's training)
    invented = _cached(cache, "invented", lambda: silver_data(config.invented))
    predictions: dict[str, dict[str, dict[str, Any]]] = {c: {} for c in CONFIGS}
    per_fold = []
    for fold in range(k):
        held = [i for i in items if folds[i.group] == fold]
        data = LinkerData(list(synthetic.counts), list(synthetic.cues))
        for group, part in silver.items():
            if folds.get(group) != fold:
                for _ in range(config.annotations_weight):
                    data.extend(part)
        for part in [*self_training.values(), *invented.values()]:
            data.extend(part)
        linker = fit(data, config)
        # the no-lexicon ablation asks without the lexicons' reading: a linker trained that way
        pure = linker if config.hints == "both" else fit(data, replace(config, hints="without"))
        fold_preds = {
            c: {i.key: predict(i, c, pure if c == "model-pure" else linker) for i in held} for c in CONFIGS
        }
        for c in CONFIGS:
            predictions[c].update(fold_preds[c])
        per_fold.append(summarize(held, fold_preds))
        logger.info("fold %d: %d reports, %.0f s", fold, len(held), time.perf_counter() - started)
    return {
        "k": k,
        "synth": synth,
        "folds": per_fold,
        "total": summarize(items, predictions),
        "predictions": predictions,
    }


def format_table(result: dict[str, Any]) -> str:
    """Side-by-side F1 table: rows = scope, columns = config × (all, non-zero)."""
    lines = [f"k-fold by report (k={result['k']}), held-out fields, F1 all / non-zero"]
    header = "scope".ljust(34) + "".join(c.rjust(14) for c in CONFIGS)
    total = result["total"]
    scopes = list(total["default"].keys())
    for title, block in [("total", total)] + [(f"fold {n}", f) for n, f in enumerate(result["folds"])]:
        lines += ["", f"== {title}", header]
        for scope in scopes if title == "total" else ["all", "prose"]:
            cells = []
            for c in CONFIGS:
                s = block[c].get(scope)
                cells.append(f"{s['f1']:.3f}/{s['f1_nonzero']:.3f}".rjust(14) if s else "-".rjust(14))
            n = block["default"][scope]["reports"]
            lines.append(f"{scope} (n={n})".ljust(34) + "".join(cells))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="k-fold evaluation of the ablation on real reports")
    parser.add_argument("--k", type=int, default=5)
    parser.add_argument("--synth", type=int, default=240, help="generated reports in each fold's linker data")
    parser.add_argument("--model", type=Path, default=DEFAULT_MODEL_DIR)
    parser.add_argument("--corpora", nargs="*", default=list(CORPORA))
    parser.add_argument("--json", type=Path, help="also write the full result here")
    parser.add_argument("--cache", type=Path, help="keep tagged reports and generated examples here (reruns)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    result = run(args.k, args.synth, args.model, args.corpora, args.cache)
    print(format_table(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
