"""Build `annotations/seeds.jsonl`: rule pre-annotation of each seed + hand corrections (data) + gold.

Work method (see `annotations/README.md`): the rule tagger drafts spans on a normalised copy of each
seed; the spans are mapped back to the original text (Traditional seeds stay Traditional); then
`annotations/seed_corrections.tsv` — written by a person who read every line of every seed — adds,
removes and relabels spans; the gold file is copied in unchanged. The JSONL that comes out is the
source of truth; this script is how it was made and how a correction is replayed.

The draft uses its own small, frozen normalisation (character-wise Traditional → Simplified, mirror
pinyin readings removed, full-width ASCII folded) so that the committed corrections keep applying
when `inference.normalize` evolves.

Correction rows (tab-separated): `seed  op  label  context  occurrence`, where `op` is `add`,
`remove` or `relabel`, and `context` is a stretch of the ORIGINAL seed text with the span marked
`⟦…⟧` (e.g. `受理依申请公开⟦342件⟧`). The context must occur exactly once unless `occurrence` is
`all` or a 1-based index.

    python -m training.build_seed_annotations            # writes annotations/seeds.jsonl
    python -m training.build_seed_annotations --check    # exit 1 if the file would change
    python -m training.build_seed_annotations --score-rules  # rule tagger vs seeds.jsonl (in-sample)
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import re
import sys
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from inference import LABELS, REPO_ROOT
from inference.errors import AnnotationError
from inference.rules import RuleTagger
from training.annotations import AnnotatedReport, AnnotatedSpan, save_annotations, sort_spans

logger = logging.getLogger(__name__)

ANNOTATIONS_DIR = REPO_ROOT / "annotations"
SEEDS_DIR = ANNOTATIONS_DIR / "seeds"
GOLD_DIR = ANNOTATIONS_DIR / "gold"
CORRECTIONS_PATH = ANNOTATIONS_DIR / "seed_corrections.tsv"
OUTPUT_PATH = ANNOTATIONS_DIR / "seeds.jsonl"
META_PATH = ANNOTATIONS_DIR / "seed_meta.tsv"
OPEN, CLOSE = "⟦", "⟧"

_PINYIN = re.compile(r"(?<=[\u4e00-\u9fff])\([a-züāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]+\)")


@dataclass(frozen=True)
class Correction:
    seed: str
    op: str
    label: str
    context: str
    occurrence: str
    line: int


@cache
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def draft_normalize(text: str) -> tuple[str, list[int]]:
    """Normalised copy for drafting and `offsets[i]` = original index of normalised char i.

    `業(yè)務(wù)` -> `业务`; `（一）` -> `(一)`; one output character per kept input character.
    """
    drop = set()
    for match in _PINYIN.finditer(text):
        drop.update(range(*match.span()))
    kept = [i for i in range(len(text)) if i not in drop]
    folded = "".join(
        unicodedata.normalize("NFKC", text[i]) if "\uff01" <= text[i] <= "\uff5e" else text[i] for i in kept
    )
    # phrase-level conversion (答覆 -> 答复) where it keeps the length, character-wise elsewhere
    converted = _t2s().convert(folded)
    if len(converted) != len(folded):
        converted = "".join(c2 if len(c2 := _t2s().convert(c)) == 1 else c for c in folded)
    return converted, kept + [len(text)]


def draft_spans(text: str, tagger: RuleTagger) -> list[AnnotatedSpan]:
    """Rule spans on the normalised copy, mapped back to `text`."""
    normalised, offsets = draft_normalize(text)
    spans = []
    for span in tagger.tag(normalised):
        start, end = offsets[span.start], offsets[span.end - 1] + 1
        spans.append(AnnotatedSpan(start, end, span.label, text[start:end]))
    return spans


def detect_script(text: str) -> str:
    """`mirror` (pinyin readings after characters), `traditional` or `simplified`."""
    if len(_PINYIN.findall(text)) >= 3:
        return "mirror"
    return "traditional" if _t2s().convert(text) != text else "simplified"


def load_layouts(path: Path = META_PATH) -> dict[str, str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["seed"]: row["layout"] for row in csv.DictReader(handle, delimiter="\t")}


def load_corrections(path: Path = CORRECTIONS_PATH) -> list[Correction]:
    out = []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        for number, row in enumerate(reader, start=1):
            if not row or row[0].startswith("#") or row[0] == "seed":
                continue
            if len(row) < 4:
                raise AnnotationError(f"{path}:{number}: expected seed, op, label, context[, occurrence]")
            seed, op, label, context = row[:4]
            occurrence = row[4] if len(row) > 4 and row[4] else "1"
            if op not in ("add", "remove", "relabel") or label not in LABELS:
                raise AnnotationError(f"{path}:{number}: bad op {op!r} or label {label!r}")
            if context.count(OPEN) != 1 or context.count(CLOSE) != 1:
                raise AnnotationError(f"{path}:{number}: context must mark one span with {OPEN}…{CLOSE}")
            out.append(
                Correction(
                    seed, op, label, context.replace("\\t", "\t").replace("\\n", "\n"), occurrence, number
                )
            )
    return out


def locate(text: str, correction: Correction, path: Path = CORRECTIONS_PATH) -> list[tuple[int, int]]:
    """Offsets of the marked span for each place the context occurs (as selected by `occurrence`)."""
    before, rest = correction.context.split(OPEN)
    inner, after = rest.split(CLOSE)
    plain = before + inner + after
    hits = [m.start() for m in re.finditer(f"(?={re.escape(plain)})", text)]  # overlapping hits
    where = f"{path}:{correction.line}: {correction.seed}: {correction.context!r}"
    if not hits:
        raise AnnotationError(f"{where}: context not found in the seed text")
    if correction.occurrence == "all":
        chosen = hits
    elif correction.occurrence == "1" and len(hits) > 1:
        raise AnnotationError(f"{where}: context occurs {len(hits)} times; lengthen it or give an occurrence")
    else:
        index = int(correction.occurrence) - 1
        if index >= len(hits):
            raise AnnotationError(f"{where}: only {len(hits)} occurrences")
        chosen = [hits[index]]
    return [(h + len(before), h + len(before) + len(inner)) for h in chosen]


def apply_corrections(
    text: str, spans: list[AnnotatedSpan], corrections: list[Correction]
) -> list[AnnotatedSpan]:
    """Apply add/remove/relabel in file order; a removal that finds nothing is an error (stale row)."""
    current = {(s.start, s.end): s for s in spans}
    for correction in corrections:
        for start, end in locate(text, correction):
            where = f"{CORRECTIONS_PATH}:{correction.line}: {correction.seed}: {correction.context!r}"
            if correction.op == "add":
                clash = [
                    s
                    for s in current.values()
                    if s.start < end and start < s.end and (s.start, s.end) != (start, end)
                ]
                for span in clash:
                    del current[(span.start, span.end)]
                current[(start, end)] = AnnotatedSpan(start, end, correction.label, text[start:end])
            else:
                existing = current.get((start, end))
                if existing is None:
                    raise AnnotationError(f"{where}: no drafted span there to {correction.op}")
                if correction.op == "remove":
                    del current[(start, end)]
                else:
                    current[(start, end)] = AnnotatedSpan(start, end, correction.label, existing.text)
    return list(sort_spans(current.values()))


def build_seed_reports(*, tagger: RuleTagger | None = None) -> list[AnnotatedReport]:
    tagger = tagger or RuleTagger()
    corrections = load_corrections()
    layouts = load_layouts()
    reports = []
    for path in sorted(SEEDS_DIR.glob("*.txt")):
        seed = path.stem
        text = path.read_bytes().decode("utf-8")
        gold = json.loads((GOLD_DIR / f"{seed}.json").read_text(encoding="utf-8"))
        spans = apply_corrections(text, draft_spans(text, tagger), [c for c in corrections if c.seed == seed])
        meta = {
            "origin": "seed",
            "generation": gold.get("template"),
            "layout": layouts.get(seed, "as published"),
            "script": detect_script(text),
        }
        reports.append(AnnotatedReport(seed, text, tuple(spans), gold, meta))
    known = {r.id for r in reports}
    unknown = {c.seed for c in corrections} - known
    if unknown:
        raise AnnotationError(f"{CORRECTIONS_PATH}: corrections for unknown seeds {sorted(unknown)}")
    return reports


def score_rules(
    reports: list[AnnotatedReport], tagger: RuleTagger | None = None
) -> dict[str, dict[str, float]]:
    """Exact-span P/R/F1 per label of the rule tagger (run as `gia annotate` runs it) vs `reports`."""
    from inference.normalize import normalize
    from training.annotate import spans_to_original

    tagger = tagger or RuleTagger()
    counts = {label: [0, 0, 0] for label in (*LABELS, "ALL")}  # true positives, predicted, gold
    for report in reports:
        doc = normalize(report.text)
        predicted = {(s.start, s.end, s.label) for s in spans_to_original(doc, tagger.tag(doc.text))}
        gold = {(s.start, s.end, s.label) for s in report.spans}
        for label in (*LABELS, "ALL"):
            p = {x for x in predicted if label in ("ALL", x[2])}
            g = {x for x in gold if label in ("ALL", x[2])}
            counts[label][0] += len(p & g)
            counts[label][1] += len(p)
            counts[label][2] += len(g)
    scores = {}
    for label, (tp, n_pred, n_gold) in counts.items():
        precision = tp / n_pred if n_pred else 0.0
        recall = tp / n_gold if n_gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        scores[label] = {"precision": precision, "recall": recall, "f1": f1, "gold": n_gold}
    return scores


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--output", type=Path, default=OUTPUT_PATH)
    parser.add_argument("--check", action="store_true", help="only report whether the output would change")
    parser.add_argument("--score-rules", action="store_true", help="score the rule tagger against the output")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    if args.score_rules:
        from training.annotations import load_annotations

        for label, score in score_rules(load_annotations(args.output)).items():
            print(
                f"{label:8} P={score['precision']:.3f} R={score['recall']:.3f} "
                f"F1={score['f1']:.3f} (gold spans {score['gold']})"
            )
        return 0
    reports = build_seed_reports()
    if args.check:
        tmp = args.output.with_suffix(".check.jsonl")
        save_annotations(reports, tmp)
        same = args.output.exists() and tmp.read_bytes() == args.output.read_bytes()
        tmp.unlink()
        logger.info("%s is %s", args.output, "up to date" if same else "OUT OF DATE")
        return 0 if same else 1
    save_annotations(reports, args.output)
    for report in reports:
        counts = {label: sum(s.label == label for s in report.spans) for label in LABELS}
        logger.info("%s: %s", report.id, counts)
    return 0


if __name__ == "__main__":
    sys.exit(main())
