"""The generator's wording is its own: no run of 12 characters of a real report (issue 10 point 5).

Real text compared against (never ../shared at run time):
- `annotations/seeds/*.txt` (the five seed reports),
- `annotations/real/reports/*` and `annotations/real/passages/*.txt` (real reports and passages,
  copied into the repo from ../shared/real by the silver-annotation work),
- `tests/fixtures/cases/*/input.*` (the real-shaped failing cases of ../shared/cases: benchmarks
  too, so the generator must not teach their sentences),
- `tests/fixtures/originality/unlabelled_windows.npy`: hashes of every 12-character window of the
  60 unlabelled real reports of ../shared/real/unlabelled (rebuilt by
  `tests/fixtures/originality/build.py`; see the README there).

Both sides are compared in `training.synth.originality.canonical` form (script, punctuation,
whitespace and Taiwan phrasing folded). Exempt: the forms' fixed text (`training/synth/form.py`),
the wording of `inference/data/*.tsv` (row labels, metric and category phrases) and the issuer's
name — names, not sentences.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
import pytest

from training.synth import COMBINATIONS, generate_corpus
from training.synth.originality import (
    WINDOW,
    bank_segments,
    canonical,
    copied_runs,
    exemptions,
    window_hashes,
)

ROOT = Path(__file__).resolve().parents[1]
FINGERPRINT = ROOT / "tests" / "fixtures" / "originality" / "unlabelled_windows.npy"


def _real_paths() -> list[Path]:
    paths = sorted((ROOT / "annotations" / "seeds").glob("*.txt"))
    real = ROOT / "annotations" / "real"
    paths += sorted(p for p in (real / "reports").glob("*") if p.suffix in (".txt", ".html"))
    paths += sorted((real / "passages").glob("*.txt"))
    paths += sorted((ROOT / "tests" / "fixtures" / "cases").glob("*/input.*"))
    return paths


@cache
def real_hashes() -> np.ndarray:
    texts = [canonical(p.read_text(encoding="utf-8")) for p in _real_paths()]
    return np.union1d(window_hashes(texts), np.load(FINGERPRINT))


def test_originality_has_real_text_to_compare_with():
    assert len(_real_paths()) >= 5
    fingerprint = np.load(FINGERPRINT)
    assert fingerprint.dtype == np.uint64 and len(fingerprint) > 10_000
    assert np.all(fingerprint[1:] > fingerprint[:-1]), "fingerprint must be sorted and unique"


def test_originality_check_flags_a_copied_sentence():
    """The check can fail: a sentence of a seed report planted in generated prose is found."""
    first = sorted((ROOT / "annotations" / "seeds").glob("*.txt"))[0]
    seed = canonical(first.read_text(encoding="utf-8"))
    start = len(seed) // 2
    planted = "我们自己写的话" + seed[start : start + 3 * WINDOW] + "再接我们的话"
    assert copied_runs(canonical(planted), real_hashes(), exemptions())


def test_generator_banks_copy_no_real_sentence():
    found = [
        (name, line, runs)
        for name, line, text in bank_segments()
        if (runs := copied_runs(text, real_hashes(), exemptions()))
    ]
    assert not found, found


def _linker_corpus_size() -> int:
    from training.train import load_config

    return load_config(ROOT / "training" / "default.toml").linker.synth


@pytest.mark.parametrize(("seed", "count"), [(3, len(COMBINATIONS)), (1, _linker_corpus_size())])
def test_generated_reports_copy_no_real_sentence(seed, count):
    """Seed 1 with the recipe's count is the generated corpus the field linker trains on: the
    composed frames draw their parts at random, so only a corpus that large meets most mixes."""
    found = []
    for report in generate_corpus(count, seed=seed):
        extra = [report["gold"]["issuer"]]
        runs = copied_runs(canonical(report["text"]), real_hashes(), exemptions(extra))
        if runs:
            found.append((report["id"], report["meta"]["script"], runs))
    assert not found, found
