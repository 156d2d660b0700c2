"""Benchmark table extraction on generated reports: table-field accuracy by generation × layout × script.

For each combination it generates reports with `training.synth.generate_report`, normalises the
text as prediction does, runs `inference.tables.extract_tables` (no tagger: the parser works from
the text structure) and compares with the fields the generated tables state.

    python -m training.bench_tables --per-combination 4
    python -m training.bench_tables --generation 2019 --layout runs --show-errors
    python -m training.bench_tables --real REPORTS_DIR GOLD_DIR   # real reports with gold files

Accuracy = correct table fields / table fields in the gold; `extra` counts predicted fields that
are neither table gold nor optional (false positives).
"""

from __future__ import annotations

import argparse
import json
import logging
import time
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from inference.metadata import detect_metadata
from inference.normalize import normalize
from inference.read import read_report
from inference.tables import extract_tables, load_lexicon
from training.synth import GENERATIONS, LAYOUTS, SCRIPTS, generate_report
from training.synth import generate as synth_generate

logger = logging.getLogger(__name__)


@contextmanager
def _capture_table_gold(sink: list[dict]):
    """Record the table part of the gold the generator builds (it merges it with prose gold)."""
    original = synth_generate._finish_gold

    def finish(prose_gold, table_gold, optional, generation):
        sink.append(dict(table_gold))
        return original(prose_gold, table_gold, optional, generation)

    synth_generate._finish_gold = finish
    try:
        yield
    finally:
        synth_generate._finish_gold = original


_NATIONAL_TABLE_PREFIXES = (
    "proactive.rules.",
    "proactive.normative.",
    "proactive.licensing.",
    "proactive.other_services.",
    "proactive.penalty.",
    "proactive.coercion.",
    "proactive.fees.",
    "proactive.procurement.",
    "applications.",
    "review.",
    "litigation.direct.",
    "litigation.after_review.",
)


def generate_with_table_gold(seed: int, **kwargs: str) -> tuple[dict, dict]:
    """A generated report and the fields its printed tables state.

    The generator builds table gold and prose gold separately and merges them; the table part is
    taken where it is built. Should the generator change, the national table fields of the merged
    gold stand in (old-template reports then count prose-only fields too).
    """
    sink: list[dict] = []
    if hasattr(synth_generate, "_finish_gold"):
        with _capture_table_gold(sink):
            report = generate_report(seed, **kwargs)
        if sink:
            return report, sink[-1]
    else:
        report = generate_report(seed, **kwargs)
    fields = report["gold"]["fields"]
    if report["gold"]["template"] == "pre2019":
        return report, dict(fields)
    return report, {k: v for k, v in fields.items() if k.startswith(_NATIONAL_TABLE_PREFIXES)}


@dataclass
class Score:
    correct: int = 0
    gold: int = 0
    extra: int = 0
    reports: int = 0
    exact: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        self.correct += other.correct
        self.gold += other.gold
        self.extra += other.extra
        self.reports += other.reports
        self.exact += other.exact

    @property
    def accuracy(self) -> float:
        return self.correct / self.gold if self.gold else 1.0


def score_report(report: dict, table_gold: dict, *, detect: bool = False, offsets: bool = True) -> Score:
    doc = normalize(report["text"])
    text = doc.text
    template = detect_metadata(text).template if detect else report["gold"]["template"]
    result = extract_tables(text, [], template=template, offsets=doc.offsets if offsets else None)
    optional = report["gold"]["optional"]
    all_gold = report["gold"]["fields"]
    score = Score(reports=1, gold=len(table_gold))
    for fid, value in table_gold.items():
        got = result.fields.get(fid)
        if got is not None and abs(got - value) <= 1e-6 * max(1, abs(value)):
            score.correct += 1
        else:
            score.errors.append(f"{report['id']} {fid}: got {got} want {value}")
    for fid, value in result.fields.items():
        if fid in table_gold or fid in optional:
            continue
        if all_gold.get(fid) == value:
            continue  # a prose-stated value the table parser also found (e.g. an old-table row)
        score.extra += 1
        score.errors.append(f"{report['id']} {fid}: extra {value} (gold {all_gold.get(fid)})")
    score.exact = int(score.correct == score.gold and score.extra == 0)
    return score


def run(
    per_combination: int,
    generations: tuple[str, ...],
    layouts: tuple[str, ...],
    scripts: tuple[str, ...],
    *,
    seed: int = 0,
    detect: bool = False,
    offsets: bool = True,
) -> dict[tuple[str, str, str], Score]:
    scores: dict[tuple[str, str, str], Score] = {}
    n = seed
    for generation in generations:
        for layout in layouts:
            for script in scripts:
                total = Score()
                for _ in range(per_combination):
                    n += 1
                    report, table_gold = generate_with_table_gold(
                        n, generation=generation, layout=layout, script=script
                    )
                    one = score_report(report, table_gold, detect=detect, offsets=offsets)
                    total.add(one)
                    total.errors.extend(one.errors)
                scores[(generation, layout, script)] = total
    return scores


def format_scores(scores: dict[tuple[str, str, str], Score], *, show_errors: int = 0) -> str:
    by_layout: dict[tuple[str, str], Score] = defaultdict(Score)
    by_script: dict[str, Score] = defaultdict(Score)
    overall = Score()
    for (generation, layout, script), s in scores.items():
        by_layout[(generation, layout)].add(s)
        by_script[script].add(s)
        overall.add(s)
    head = ("generation", "layout", "reports", "fields", "accuracy", "extra", "exact")
    lines = ["{:<10} {:<10} {:>7} {:>7} {:>9} {:>6} {:>6}".format(*head)]
    for (generation, layout), s in sorted(by_layout.items()):
        lines.append(
            f"{generation:<10} {layout:<10} {s.reports:>7} {s.gold:>7} "
            f"{s.accuracy:>9.4f} {s.extra:>6} {s.exact:>6}"
        )
    lines.append("")
    for script, s in sorted(by_script.items()):
        lines.append(f"script {script:<12} accuracy {s.accuracy:.4f}  extra {s.extra}  reports {s.reports}")
    lines.append(
        f"overall: {overall.reports} reports, {overall.gold} table fields, accuracy {overall.accuracy:.4f}, "
        f"extra {overall.extra}, exact reports {overall.exact}/{overall.reports}"
    )
    worst = min(scores.items(), key=lambda item: item[1].accuracy, default=None)
    if worst is not None:
        (generation, layout, script), s = worst
        lines.append(
            f"worst generation x layout x script: {generation} {layout} {script} accuracy {s.accuracy:.4f}"
        )
    if show_errors:
        errors = [e for s in scores.values() for e in s.errors]
        lines.append(f"first {min(show_errors, len(errors))} of {len(errors)} errors:")
        lines.extend(errors[:show_errors])
    return "\n".join(lines)


def real_table_scores(reports_dir: Path, gold_dir: Path) -> tuple[Score, Score, list[str]]:
    """Table fields on real reports with gold files (gold/<stem>.json, as the spec's scorer reads).

    Returns (precision score, recall score, errors): precision over every field the table reader
    states (`correct / gold` there means correct / stated); recall over the gold fields a table can
    state (national-table ids in 2019/2021 reports; 统计表 ids in older reports whose table was read).
    """
    stated, recall, errors = Score(), Score(), []
    old_ids = {e.key for e in load_lexicon() if e.table == "old"}
    for gold_path in sorted(gold_dir.glob("*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        path = reports_dir / gold["source"]
        if not path.exists():
            continue
        doc = normalize(read_report(path).text)
        result = extract_tables(doc.text, [], template=gold.get("template"), offsets=doc.offsets)
        fields, optional = gold["fields"], gold.get("optional", {})
        for fid, value in result.fields.items():
            want = fields.get(fid, optional.get(fid))
            stated.gold += 1
            if want is not None and abs(want - value) <= 1e-6 * max(1, abs(value)):
                stated.correct += 1
            else:
                errors.append(f"{path.name} {fid}: stated {value}, gold {want}")
        national = gold.get("template") in ("2019", "2021")
        for fid, value in fields.items():
            if national and not fid.startswith(_NATIONAL_PREFIXES):
                continue
            if not national and (fid not in old_ids or not result.fields):
                continue
            recall.gold += 1
            got = result.fields.get(fid)
            if got is not None and abs(got - value) <= 1e-6 * max(1, abs(value)):
                recall.correct += 1
            elif got is None:
                errors.append(f"{path.name} {fid}: no value, gold {value}")
    return stated, recall, errors


_NATIONAL_PREFIXES = (
    "applications.",
    "review.",
    "litigation.",
    *(
        f"proactive.{k}."
        for k in (
            "rules",
            "normative",
            "licensing",
            "other_services",
            "penalty",
            "coercion",
            "fees",
            "procurement",
        )
    ),
)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-combination", type=int, default=3)
    parser.add_argument("--generation", action="append", choices=GENERATIONS)
    parser.add_argument("--layout", action="append", choices=LAYOUTS)
    parser.add_argument("--script", action="append", choices=SCRIPTS)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--detect", action="store_true", help="template from metadata detection, not gold")
    parser.add_argument(
        "--no-offsets", action="store_true", help="do not pass the normaliser's offsets (space runs lost)"
    )
    parser.add_argument("--show-errors", type=int, default=0, metavar="N")
    parser.add_argument("--real", nargs=2, type=Path, metavar=("REPORTS_DIR", "GOLD_DIR"))
    args = parser.parse_args(argv)
    started = time.perf_counter()
    if args.real:
        stated, recall, errors = real_table_scores(*args.real)
        print(f"table fields stated {stated.gold}, correct {stated.correct}: precision {stated.accuracy:.4f}")
        print(f"table fields in gold {recall.gold}, read {recall.correct}: recall {recall.accuracy:.4f}")
        print("\n".join(errors[: args.show_errors or len(errors)]))
        return
    scores = run(
        args.per_combination,
        tuple(args.generation or GENERATIONS),
        tuple(args.layout or LAYOUTS),
        tuple(args.script or SCRIPTS),
        seed=args.seed,
        detect=args.detect,
        offsets=not args.no_offsets,
    )
    print(format_scores(scores, show_errors=args.show_errors))
    print(f"({time.perf_counter() - started:.1f} s)")


if __name__ == "__main__":
    main()
