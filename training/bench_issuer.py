"""Benchmark the issuer metadata (no tagger needed): issuer exact / acceptable, level and province accuracy.

    python training/bench_issuer.py ../shared/real/reports ../shared/real/gold
    python training/bench_issuer.py ../shared/real/passages ../shared/real/passages/gold
    python training/bench_issuer.py annotations/seeds annotations/gold
    python training/bench_issuer.py ../shared/real/unlabelled        # no gold: coverage and name checks

Each report is read, normalised and passed to `inference.metadata.detect_metadata`. A gold issuer of
None counts as right when nothing is predicted. Level and province gold come from the gold file
(`issuer_level`, `region.province`) or else from `training/issuer_gold.tsv` (hand-labelled; `-` =
the text does not say, not scored). `not_a_name` counts predicted issuers that fail
`is_body_name` (sentence fragments): it must stay 0 on every input. `issuer_scores` is also what
`gia evaluate` reports.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

from inference.metadata import detect_metadata, is_body_name

LEVELS_TSV = Path(__file__).with_name("issuer_gold.tsv")
_PAREN = re.compile(r"[（(][^）)]*[）)]")
_DIVISION_PREFIX = re.compile(r"(?:省|市|县|区|旗|州|盟|人民政府)$")


def load_level_gold(path: Path = LEVELS_TSV) -> dict[str, tuple[str | None, str | None]]:
    """`{source stem: (level, province)}` from the hand-labelled TSV (`-` → None)."""
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        stem, level, province = line.split("\t")
        out[stem] = (None if level == "-" else level, None if province == "-" else province)
    return out


def _norm(name: str) -> str:
    return _PAREN.sub("", name).replace("管理委员会", "管委会").strip()


def same_body(predicted: str | None, gold: str | None) -> bool:
    """Acceptable: the same body, maybe with the divisions above it left out or added, a zone with or
    without its 管委会, a note in brackets dropped.

    >>> same_body("思明区嘉莲街道办事处", "厦门市思明区嘉莲街道办事处")
    True
    >>> same_body("钦州市人民政府", "钦州市人民政府办公室")
    False
    """
    if predicted is None or gold is None:
        return predicted is gold
    p, g = _norm(predicted), _norm(gold)
    if p == g or p.removesuffix("管委会") == g.removesuffix("管委会"):
        return True
    short, long = sorted((p, g), key=len)
    return long.endswith(short) and bool(_DIVISION_PREFIX.search(long[: -len(short)]))


def issuer_scores(
    predictions: dict[str, dict[str, Any]],
    golds: dict[str, dict[str, Any]],
    level_gold: dict[str, tuple[str | None, str | None]] | None = None,
) -> dict[str, Any]:
    """Counts over reports with a gold file: `{key: {issuer, issuer_level, region}}` predictions
    against gold objects (keyed alike). Returns counts and accuracies (None where nothing to score)."""
    level_gold = load_level_gold() if level_gold is None else level_gold
    c = {"reports": 0, "exact": 0, "acceptable": 0, "missing": 0, "wrong": 0, "not_a_name": 0}
    c |= {"level_scored": 0, "level_right": 0, "province_scored": 0, "province_right": 0}
    wrong = []
    for key, gold in golds.items():
        pred = predictions.get(key)
        if pred is None:
            continue
        c["reports"] += 1
        issuer, gold_issuer = pred.get("issuer"), gold.get("issuer")
        c["not_a_name"] += bool(issuer) and not is_body_name(issuer)
        c["exact"] += issuer == gold_issuer
        ok = same_body(issuer, gold_issuer)
        c["acceptable"] += ok
        c["missing"] += issuer is None and gold_issuer is not None
        if not ok:
            c["wrong"] += issuer is not None
            wrong.append(f"{key}: {issuer} (gold {gold_issuer})")
        level, province = gold.get("issuer_level"), (gold.get("region") or {}).get("province")
        if key in level_gold:
            level, province = level or level_gold[key][0], province or level_gold[key][1]
        if level:
            c["level_scored"] += 1
            c["level_right"] += pred.get("issuer_level") == level
        if province:
            c["province_scored"] += 1
            c["province_right"] += (pred.get("region") or {}).get("province") == province
    n = c["reports"]
    return c | {
        "exact_rate": c["exact"] / n if n else None,
        "acceptable_rate": c["acceptable"] / n if n else None,
        "level_accuracy": c["level_right"] / c["level_scored"] if c["level_scored"] else None,
        "province_accuracy": c["province_right"] / c["province_scored"] if c["province_scored"] else None,
        "wrong_list": wrong,
    }


def format_issuer_scores(s: dict[str, Any]) -> str:
    """One line of counts plus the reports whose issuer is not acceptable."""
    lines = [
        f"issuer ({s['reports']} reports): exact {s['exact']}, acceptable {s['acceptable']}, "
        f"missing {s['missing']}, wrong {s['wrong']}, not a name {s['not_a_name']}; "
        f"level {s['level_right']}/{s['level_scored']}, province {s['province_right']}/{s['province_scored']}"
    ]
    lines += [f"  not acceptable: {w}" for w in s["wrong_list"]]
    return "\n".join(lines)


def predict_metadata(directory: Path) -> dict[str, dict[str, Any]]:
    """`{stem: {issuer, issuer_level, region, year, published, issuer_source}}` for each report file."""
    from inference.normalize import normalize
    from inference.read import SUPPORTED_SUFFIXES, read_report

    out = {}
    for path in sorted(directory.iterdir()):
        if path.suffix.lower() not in SUPPORTED_SUFFIXES or path.name.startswith("README"):
            continue
        meta = detect_metadata(normalize(read_report(path).text).text)
        out[path.stem] = {
            "issuer": meta.issuer,
            "issuer_level": meta.issuer_level,
            "region": meta.region.to_json() if meta.region else None,
            "published": meta.published,
            "source_kind": meta.issuer_source.kind if meta.issuer_source else None,
        }
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("reports", type=Path)
    parser.add_argument("gold", type=Path, nargs="?")
    parser.add_argument("--levels", type=Path, default=LEVELS_TSV)
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    args = parser.parse_args(argv)
    predictions = predict_metadata(args.reports)
    if args.gold is None:
        named = [p["issuer"] for p in predictions.values() if p["issuer"]]
        bad = [n for n in named if not is_body_name(n)]
        print(
            f"{len(predictions)} reports: issuer named in {len(named)}, not a name {len(bad)}, "
            f"longest {max(map(len, named), default=0)} chars"
        )
        for name in bad:
            print(f"  not a name: {name}")
        return 0
    golds = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(args.gold.glob("*.json"))}
    scores = issuer_scores(predictions, golds, load_level_gold(args.levels))
    print(json.dumps(scores, ensure_ascii=False, indent=1) if args.json else format_issuer_scores(scores))
    return 0


if __name__ == "__main__":
    sys.exit(main())
