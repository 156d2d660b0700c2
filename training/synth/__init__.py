"""Seeded generator of realistic synthetic annual reports with exact spans and gold fields.

Public API: `generate_report(seed, *, generation=None, layout=None, script=None)`,
`generate_corpus(n, seed=0)`, `write_corpus(n, out_dir, seed=0)`; see `README.md` here.
"""

from __future__ import annotations

from training.synth.generate import (
    COMBINATIONS,
    GENERATIONS,
    generate_corpus,
    generate_report,
    report_to_annotation,
    summarize,
    write_corpus,
)
from training.synth.layouts import LAYOUTS
from training.synth.scripts import SCRIPTS

__all__ = [
    "COMBINATIONS",
    "GENERATIONS",
    "LAYOUTS",
    "SCRIPTS",
    "generate_corpus",
    "generate_report",
    "report_to_annotation",
    "summarize",
    "write_corpus",
]
