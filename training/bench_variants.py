"""Robustness bench: the same real reports with their numbers changed, and as Traditional mirrors.

Two variants of each report of a corpus with gold, scored with the spec's field scores beside the
original:

- `numbers`: every number that is a gold value (other than 0 and year-like values 1990–2030) is
  replaced, wherever it stands alone in the text, by another value absent from the text (one map
  per report, so a value stated twice stays consistent); the gold is mapped the same way. A value
  also printed inside a longer digit run (crawler text that glued table cells) is left as it is. A model or
  lexicon that memorised the reports' figures drops here; the reports' own sums no longer add up,
  as in real reports with typing errors.
- `s2t`, `s2twp`: the text converted to Traditional by OpenCC, plain or with Taiwan phrasing
  (信息公开 → 資訊公開, 发布 → 釋出), as mirror sites publish them.

Usage: `python -m training.bench_variants [--corpus annotations/real/passages] [--tagger rules+model]`
(~30 s for the 60 passages). Plain-text reports only (`*.txt`).
"""

from __future__ import annotations

import argparse
import random
import re
from pathlib import Path
from typing import Any

import opencc

from inference import DEFAULT_MODEL_DIR
from inference.pipeline import WorkItem, predict_items
from inference.taggers import TaggerSpec, load_tagger_from_spec
from training.evaluate import field_summary, load_golds, score_fields, source_stem

VARIANTS = ("original", "numbers", "s2t", "s2twp")
_NUMBER = re.compile(r"(?<![\d.])\d+(?![\d.])")


def _year_like(value: int) -> bool:
    return 1990 <= value <= 2030


def changed_numbers(text: str, gold: dict[str, Any], rng: random.Random) -> tuple[str, dict[str, Any]]:
    """`text` and `gold` with every non-zero, non-year gold value replaced by a fresh one."""
    values = {
        v
        for part in ("fields", "optional")
        for v in gold.get(part, {}).values()
        if isinstance(v, int) and v > 0 and not _year_like(v)
    }
    # a value also printed inside a longer digit run (a crawler's glued table cells) stays as it is
    runs = re.findall(r"\d{6,}", text)
    values = {v for v in values if not any(str(v) in run for run in runs)}
    taken = {int(n) for n in _NUMBER.findall(text)}
    mapping: dict[int, int] = {}
    for value in sorted(values):
        new, step = value, max(1, value // 10)
        while new in taken or _year_like(new) or new in mapping.values():
            new = value + rng.randint(1, 9) * step
            step += 1  # small reports can hold every nearby number: widen the search
        mapping[value] = new
    new_text = _NUMBER.sub(lambda m: str(mapping.get(int(m.group()), m.group())), text)
    new_gold = dict(gold)
    for part in ("fields", "optional"):
        if part in gold:
            new_gold[part] = {
                k: mapping.get(v, v) if isinstance(v, int) else v for k, v in gold[part].items()
            }
    return new_text, new_gold


def variant(name: str, text: str, gold: dict[str, Any], rng: random.Random) -> tuple[str, dict[str, Any]]:
    """One variant (`VARIANTS`) of a report's text and gold."""
    if name == "numbers":
        return changed_numbers(text, gold, rng)
    if name in ("s2t", "s2twp"):
        return opencc.OpenCC(name).convert(text), gold
    return text, gold


def run(corpus: Path, gold_dir: Path, tagger_kind: str, out: Path, seed: int = 5) -> dict[str, dict]:
    """Field scores per variant: {variant: field_summary}."""
    golds = load_golds(str(gold_dir))
    reports = {source_stem(p): p for p in sorted(corpus.glob("*.txt")) if source_stem(p) in golds}
    tagger = load_tagger_from_spec(TaggerSpec(tagger_kind, DEFAULT_MODEL_DIR))
    result = {}
    for name in VARIANTS:
        rng = random.Random(seed)
        folder = out / name
        folder.mkdir(parents=True, exist_ok=True)
        variant_golds = {}
        for stem, path in reports.items():
            text, gold = variant(name, path.read_text(encoding="utf-8"), golds[stem], rng)
            (folder / path.name).write_text(text, encoding="utf-8")
            variant_golds[stem] = gold
        objs, _ = predict_items([WorkItem(str(folder / p.name), "") for p in reports.values()], tagger)
        predictions = {source_stem(o["source"]): o for o in objs if "source" in o}
        result[name] = field_summary(score_fields(predictions, variant_golds))
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=Path("annotations/real/passages"))
    parser.add_argument("--gold", type=Path, help="gold folder (default: CORPUS/gold)")
    parser.add_argument("--tagger", default="rules+model")
    parser.add_argument("--out", type=Path, default=Path("out/bench_variants"))
    args = parser.parse_args(argv)
    result = run(args.corpus, args.gold or args.corpus / "gold", args.tagger, args.out)
    print(f"{args.corpus} ({args.tagger}): field F1 all / non-zero, exact reports")
    for name, summary in result.items():
        print(
            f"  {name:9} {summary['f1']:.3f} / {summary['f1_nonzero']:.3f}"
            f"   exact {summary['exact_reports']}/{summary['reports']}"
        )


if __name__ == "__main__":
    main()
