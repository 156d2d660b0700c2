"""Oracle check: run assembly on generated reports with their gold spans and score the fields.

With perfect spans, every field the assembly misses or gets wrong is either an assembly gap or a
generator/guideline disagreement; this measures both without a trained model:

    python -m training.synth.oracle 216 --seed 0
"""

from __future__ import annotations

import argparse
import bisect
import logging
from collections.abc import Iterable
from typing import Any

from inference.normalize import normalize
from inference.pipeline import extract
from inference.read import RawReport
from inference.records import Span
from training.synth.generate import generate_corpus

logger = logging.getLogger(__name__)


def spans_to_normalized(offsets: tuple[int, ...], spans: Iterable[dict[str, Any]]) -> list[Span]:
    """Project spans in original offsets onto the normalised text (`offsets[i]` = original index of i).

    >>> spans_to_normalized((0, 1, 3, 4), [{"start": 1, "end": 3, "label": "COUNT", "text": "x"}])
    [Span(start=1, end=2, label='COUNT', text='x', score=1.0)]
    """
    body = offsets[:-1]
    out: list[Span] = []
    for span in spans:
        start = bisect.bisect_left(body, span["start"])
        end = bisect.bisect_left(body, span["end"])
        if end > start:
            out.append(Span(start, end, span["label"], span["text"]))
    return out


def oracle_predictions(
    reports: Iterable[dict[str, Any]],
) -> tuple[dict[str, dict], dict[str, dict], dict[str, str]]:
    """(predictions, golds, combination) keyed by report id."""
    predictions: dict[str, dict] = {}
    golds: dict[str, dict] = {}
    groups: dict[str, str] = {}
    for report in reports:
        doc = normalize(report["text"])
        spans = spans_to_normalized(doc.offsets, report["spans"])
        spans = [Span(s.start, s.end, s.label, doc.text[s.start : s.end]) for s in spans]
        raw = RawReport(source=report["id"], text=report["text"], encoding="utf-8", kind="text")
        result = extract(raw, spans, doc)
        predictions[report["id"]] = result.to_json()
        golds[report["id"]] = report["gold"]
        meta = report["meta"]
        groups[report["id"]] = f"{meta['generation']}/{meta['layout']}/{meta['script']}"
    return predictions, golds, groups


def oracle_scores(n: int, seed: int = 0) -> dict[str, Any]:
    """Field scores of assembly-on-gold-spans, overall and per generation, layout and script."""
    from training.evaluate import field_scores_by, field_summary, score_fields

    predictions, golds, groups = oracle_predictions(generate_corpus(n, seed))
    out: dict[str, Any] = {"all": field_summary(score_fields(predictions, golds))}
    for axis, index in (("generation", 0), ("layout", 1), ("script", 2)):
        by = {k: v.split("/")[index] for k, v in groups.items()}
        out[axis] = field_scores_by(predictions, golds, by)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, nargs="?", default=216)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    scores = oracle_scores(args.n, args.seed)

    def line(name: str, s: dict) -> str:
        return (
            f"{name:<16} n={s['reports']:<4} P={s['p']:.3f} R={s['r']:.3f} F1={s['f1']:.3f} "
            f"F1nz={s['f1_nonzero']:.3f} exact={s['exact_reports']}"
        )

    print(line("all", scores["all"]))
    for axis in ("generation", "layout", "script"):
        for name, s in scores[axis].items():
            print(line(f"{axis[:3]}:{name}", s))


if __name__ == "__main__":
    main()
