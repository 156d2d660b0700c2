"""Evaluate extraction: span-level P/R/F1 (seqeval, local) and field-level P/R/F1 against gold files.

Field-level scoring follows `docs/spec/README.md` exactly as `tests/score_fields_reference.py`
computes it (micro over reports; `optional` gold values neither rewarded nor penalised; also
non-zero gold fields and the share of exactly matched reports), broken down by template
generation and by layout. Producing predictions is left to `inference.pipeline`.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from inference import DEFAULT_TAGGER
from inference.records import Span
from inference.tag import spans_to_char_tags
from training.bench_issuer import format_issuer_scores, issuer_scores

logger = logging.getLogger(__name__)


def span_scores(examples: Sequence[Any], predicted: Sequence[Sequence[Span]]) -> dict[str, Any]:
    """Micro and per-label span P/R/F1 (exact boundaries and label) with seqeval over per-character BIO tags.

    `examples` need `.text` and `.spans` (normalised offsets, as `training.dataset.Example`).
    """
    from seqeval.metrics import classification_report, f1_score, precision_score, recall_score

    y_true = [spans_to_char_tags(len(e.text), e.spans) for e in examples]
    y_pred = [spans_to_char_tags(len(e.text), spans) for e, spans in zip(examples, predicted, strict=True)]
    if not any(any(tag != "O" for tag in tags) for tags in y_true + y_pred):
        return {"p": 1.0, "r": 1.0, "f1": 1.0, "reports": len(examples), "labels": {}}
    report = classification_report(y_true, y_pred, output_dict=True, zero_division=0)
    labels = {
        label: {
            "p": round(v["precision"], 4),
            "r": round(v["recall"], 4),
            "f1": round(v["f1-score"], 4),
            "support": int(v["support"]),
        }
        for label, v in report.items()
        if label not in ("micro avg", "macro avg", "weighted avg")
    }
    return {
        "p": round(precision_score(y_true, y_pred, zero_division=0), 4),
        "r": round(recall_score(y_true, y_pred, zero_division=0), 4),
        "f1": round(f1_score(y_true, y_pred, zero_division=0), 4),
        "reports": len(examples),
        "labels": labels,
    }


def span_scores_by(examples: Sequence[Any], predicted: Sequence[Sequence[Span]], key: str) -> dict[str, Any]:
    """`span_scores` per value of `example.meta[key]` (e.g. "generation", "layout")."""
    groups: dict[str, list[int]] = {}
    for i, example in enumerate(examples):
        groups.setdefault(str(example.meta.get(key, "unknown")), []).append(i)
    return {
        value: span_scores([examples[i] for i in idx], [predicted[i] for i in idx])
        for value, idx in sorted(groups.items())
    }


# -- field level: same arithmetic as tests/score_fields_reference.py -------------------------------


def source_stem(path: Any) -> str:
    """`source_stem("reports/003.txt") -> "003"` (how predictions are matched to gold files)."""
    return PurePath(str(path)).name.rsplit(".", 1)[0]


def _same(a: Any, b: Any) -> bool:
    try:
        a, b = float(a), float(b)
    except (TypeError, ValueError):
        return False
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-9)


def _number(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("nan")


@dataclass
class FieldTotals:
    tp: int = 0
    pred: int = 0
    gold: int = 0
    tp_nz: int = 0
    pred_nz: int = 0
    gold_nz: int = 0
    exact: int = 0
    n: int = 0
    missing: int = 0
    per_report: list[dict[str, Any]] = field(default_factory=list)


def score_fields(predictions: dict[str, dict[str, Any]], golds: dict[str, dict[str, Any]]) -> FieldTotals:
    """Field-level counts over the gold reports (keys are source stems)."""
    tot = FieldTotals()
    for key, gold in sorted(golds.items()):
        tot.n += 1
        prediction = predictions.get(key)
        if prediction is None:
            tot.missing += 1
            pf: dict[str, Any] = {}
        else:
            pf = prediction.get("fields") or {}
        gf, opt = gold["fields"], gold.get("optional", {})

        def neutral(k: str, v: Any, gf=gf, opt=opt) -> bool:
            return k in opt and k not in gf and _same(v, opt[k])

        tp = sum(1 for k, v in pf.items() if k in gf and _same(v, gf[k]))
        npred = sum(1 for k, v in pf.items() if not neutral(k, v))
        nz_gold = {k for k, v in gf.items() if float(v) != 0}
        tp_nz = sum(1 for k in nz_gold if k in pf and _same(pf[k], gf[k]))
        pred_nz = sum(1 for k, v in pf.items() if _number(v) != 0 and not neutral(k, v))
        tot.tp += tp
        tot.pred += npred
        tot.gold += len(gf)
        tot.tp_nz += tp_nz
        tot.pred_nz += pred_nz
        tot.gold_nz += len(nz_gold)
        exact = tp == len(gf) and npred == tp
        tot.exact += exact
        tot.per_report.append(
            {
                "report": key,
                "gold": len(gf),
                "correct": tp,
                "predicted": npred,
                "exact": exact,
                "missed_or_wrong": {
                    k: (pf.get(k), gf[k]) for k in gf if not (k in pf and _same(pf[k], gf[k]))
                },
                "extra": {k: v for k, v in pf.items() if k not in gf and not (k in opt and _same(v, opt[k]))},
            }
        )
    return tot


def prf(tp: int, pred: int, gold: int) -> tuple[float, float, float]:
    p = tp / pred if pred else 0.0
    r = tp / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def field_summary(tot: FieldTotals) -> dict[str, Any]:
    """The reference scorer's summary: all fields, non-zero fields, exact reports."""
    p, r, f = prf(tot.tp, tot.pred, tot.gold)
    pn, rn, fn = prf(tot.tp_nz, tot.pred_nz, tot.gold_nz)
    return {
        "reports": tot.n,
        "missing": tot.missing,
        "p": p,
        "r": r,
        "f1": f,
        "p_nonzero": pn,
        "r_nonzero": rn,
        "f1_nonzero": fn,
        "exact_reports": tot.exact,
    }


def field_scores_by(
    predictions: dict[str, dict[str, Any]], golds: dict[str, dict[str, Any]], groups: dict[str, str]
) -> dict[str, Any]:
    """`field_summary` per group value; `groups` maps a gold key to its group (missing keys → "unknown")."""
    by: dict[str, dict[str, dict[str, Any]]] = {}
    for key, gold in golds.items():
        by.setdefault(groups.get(key, "unknown"), {})[key] = gold
    return {value: field_summary(score_fields(predictions, subset)) for value, subset in sorted(by.items())}


def load_golds(gold_dir: str) -> dict[str, dict[str, Any]]:
    from pathlib import Path

    from inference.errors import UserError

    directory = Path(gold_dir)
    if not directory.is_dir():
        raise UserError(f"gold directory {directory} does not exist")
    golds = {}
    for path in sorted(directory.glob("*.json")):
        try:
            gold = json.loads(path.read_text(encoding="utf-8"))
        except ValueError as exc:
            raise UserError(f"{path}: invalid JSON ({exc})") from exc
        if "fields" not in gold:
            raise UserError(f"{path}: gold file has no `fields`")
        golds[source_stem(gold.get("source", path.name))] = gold
    if not golds:
        raise UserError(f"{directory} holds no gold *.json files")
    return golds


def evaluate(
    reports: Iterable[str],
    gold_dir: str,
    *,
    model_dir: str,
    tagger_kind: str = DEFAULT_TAGGER,
    annotations: str | None = None,
    predictions_out: str | None = None,
) -> dict[str, Any]:
    """Predict `reports` with the tagger `gia predict` uses, score fields against `gold_dir`, and
    spans on `annotations` if given."""
    from pathlib import Path

    from inference.pipeline import WorkItem, predict_items
    from inference.read import expand_paths
    from inference.taggers import TaggerSpec, load_tagger_from_spec
    from training.dataset import load_annotation_examples

    tagger = load_tagger_from_spec(TaggerSpec(tagger_kind, Path(model_dir)))
    golds = load_golds(gold_dir)
    files = expand_paths(list(reports))
    predictions: dict[str, dict[str, Any]] = {}
    lines = []
    # the per-report function of `gia predict`, so evaluation scores exactly what predict writes
    # (no resume state here, so no content hash)
    for start in range(0, len(files), 8):
        items = [WorkItem(str(path), "") for path in files[start : start + 8]]
        objects, _ = predict_items(items, tagger)
        for data in objects:
            lines.append(json.dumps(data, ensure_ascii=False))
            predictions[source_stem(data["source"])] = data
    if predictions_out:
        Path(predictions_out).write_text("\n".join(lines) + "\n", encoding="utf-8")
    scored_golds = {k: g for k, g in golds.items() if k in predictions}
    if not scored_golds:
        from inference.errors import UserError

        raise UserError(f"no report among the inputs has a gold file in {gold_dir} (matched by file stem)")
    totals = score_fields(predictions, scored_golds)
    out: dict[str, Any] = {"fields": field_summary(totals)}
    out["fields"]["reports_detail"] = totals.per_report
    out["issuer"] = issuer_scores(predictions, scored_golds)

    generation = {k: str(g["template"]) for k, g in scored_golds.items() if g.get("template")}
    layout: dict[str, str] = {}
    examples = []
    if annotations:
        examples = load_annotation_examples(annotations, split="test")
        for example in examples:
            key = source_stem((example.gold or {}).get("source") or example.id)
            layout[key] = str(example.meta.get("layout", "unknown"))
            if example.meta.get("generation"):
                generation.setdefault(key, str(example.meta["generation"]))
    out["fields_by_generation"] = field_scores_by(predictions, scored_golds, generation)
    out["fields_by_layout"] = field_scores_by(predictions, scored_golds, layout)
    if examples:
        predicted = tagger.tag_batch([e.text for e in examples])
        out["spans"] = span_scores(examples, predicted)
        out["spans_by_generation"] = span_scores_by(examples, predicted, "generation")
        out["spans_by_layout"] = span_scores_by(examples, predicted, "layout")
    return out


def format_evaluation(result: dict[str, Any]) -> str:
    """Human-readable tables of an `evaluate` result."""
    lines = []
    if "spans" in result:
        s = result["spans"]
        lines.append(f"spans ({s['reports']} reports): P={s['p']:.4f} R={s['r']:.4f} F1={s['f1']:.4f}")
        for label, v in s["labels"].items():
            lines.append(f"  {label:<10} P={v['p']:.4f} R={v['r']:.4f} F1={v['f1']:.4f} n={v['support']}")
        for key in ("spans_by_generation", "spans_by_layout"):
            for value, v in result.get(key, {}).items():
                lines.append(f"  {key[9:]}={value}: F1={v['f1']:.4f} ({v['reports']} reports)")
    if "issuer" in result:
        lines.append(format_issuer_scores(result["issuer"]))
    f = result["fields"]
    lines.append(f"fields ({f['reports']} reports, {f['missing']} missing, {f['exact_reports']} exact):")
    lines.append(f"  all fields: P={f['p']:.3f} R={f['r']:.3f} F1={f['f1']:.3f}")
    lines.append(f"  non-zero fields: P={f['p_nonzero']:.3f} R={f['r_nonzero']:.3f} F1={f['f1_nonzero']:.3f}")
    for key in ("fields_by_generation", "fields_by_layout"):
        for value, v in result.get(key, {}).items():
            lines.append(
                f"  {key[10:]}={value}: F1={v['f1']:.3f} non-zero F1={v['f1_nonzero']:.3f} "
                f"exact={v['exact_reports']}/{v['reports']}"
            )
    return "\n".join(lines)


def evaluate_generated(model_dir: str, *, n: int = 24, base_seed: int = 2_000_001) -> dict[str, Any]:
    """Span scores on `n` held-out generated reports (test seeds), overall and by layout/generation/script."""
    from inference.tag import load_tagger
    from training.dataset import generate_examples

    examples = generate_examples(n, base_seed, "test")
    predicted = load_tagger(model_dir).tag_batch([e.text for e in examples])
    out = {"spans": span_scores(examples, predicted)}
    for key in ("layout", "generation", "script"):
        out[f"spans_by_{key}"] = span_scores_by(examples, predicted, key)
    return out


if __name__ == "__main__":
    # python -m training.evaluate [MODEL_DIR] [N]: held-out generated reports (seeds 2,000,001 …).
    import sys

    from inference import DEFAULT_MODEL_DIR

    args = sys.argv[1:]
    result = evaluate_generated(
        args[0] if args else str(DEFAULT_MODEL_DIR), n=int(args[1]) if len(args) > 1 else 24
    )
    print(json.dumps(result, ensure_ascii=False, indent=1))
