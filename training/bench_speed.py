"""Prediction speed on real reports, default tagger beside `--tagger rules`, in one run (issue #10).

`python -m training.bench_speed /work/shared/real/reports` times `gia predict` end to end (a fresh
process per run: imports, worker start-up and model loading included, resume off) for each tagger,
alternating the taggers `--repeats` times so that a busy shared machine slows them alike, and prints
each run, the medians (reports/s, characters/s) and the machine's load before and after. It then
times the tag step in this process with the tagger loaded and warmed up on one short text:
`tag_batch` plus the learned field linker's calls during assembly (characters/s of tagging incl.
the linker), `--repeats` times per tagger, and prints the median.

Characters are those of the reports' read text (`RawReport.text`), as `WorkStats.chars` counts them.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from inference import DEFAULT_MODEL_DIR, DEFAULT_TAGGER
from inference.read import RawReport

DEFAULT_TAGGERS: tuple[str, ...] = (DEFAULT_TAGGER, "rules")


@dataclass(frozen=True)
class Run:
    """One end-to-end `gia predict` run."""

    tagger: str
    seconds: float
    cpu_seconds: float
    """User + system time of the run's process and its workers."""
    reports: int
    chars: int

    @property
    def reports_per_second(self) -> float:
        return self.reports / self.seconds

    @property
    def chars_per_second(self) -> float:
        return self.chars / self.seconds


@dataclass(frozen=True)
class TagTiming:
    """The tag step in one process, tagger loaded: `tag_batch` and the field linker's calls."""

    tagger: str
    chars: int
    tag_seconds: float
    linker_seconds: float

    @property
    def chars_per_second(self) -> float:
        return self.chars / max(self.tag_seconds + self.linker_seconds, 1e-6)


@dataclass
class SpeedReport:
    """Everything `bench_speed` measured; `to_text` is what the command prints."""

    reports: int
    chars: int
    workers: int
    runs: list[Run] = field(default_factory=list)
    tagging: list[TagTiming] = field(default_factory=list)
    load_before: tuple[float, ...] = ()
    load_after: tuple[float, ...] = ()

    def median(self, tagger: str, key: Callable[[Run], float]) -> float:
        return statistics.median(key(run) for run in self.runs if run.tagger == tagger)

    def to_text(self) -> str:
        lines = [
            f"{self.reports} reports, {self.chars:,} characters, {self.workers} workers, "
            f"{os.cpu_count()} CPUs; load average {_load(self.load_before)} before, "
            f"{_load(self.load_after)} after",
            "end to end (gia predict, fresh process, model loading included):",
        ]
        for i, run in enumerate(self.runs):
            lines.append(
                f"  run {i + 1:2d} {run.tagger:12s} {run.seconds:6.2f} s  "
                f"{run.reports_per_second:5.2f} reports/s  {run.chars_per_second:8,.0f} chars/s  "
                f"cpu {run.cpu_seconds:6.2f} s"
            )
        for tagger in dict.fromkeys(run.tagger for run in self.runs):
            lines.append(
                f"  median {tagger:12s} "
                f"{self.median(tagger, lambda r: r.reports_per_second):5.2f} reports/s  "
                f"{self.median(tagger, lambda r: r.chars_per_second):8,.0f} chars/s  "
                f"cpu {self.median(tagger, lambda r: r.cpu_seconds):6.2f} s"
            )
        if self.tagging:
            lines.append("tagging in one process, tagger loaded (tag_batch + field linker):")
        for timing in self.tagging:
            lines.append(
                f"  {timing.tagger:12s} {timing.chars_per_second:8,.0f} chars/s  "
                f"(tag {timing.tag_seconds:.2f} s, linker {timing.linker_seconds:.2f} s)"
            )
        for tagger, speed in self.tagging_medians().items():
            lines.append(f"  median {tagger:12s} {speed:8,.0f} chars/s")
        return "\n".join(lines)

    def tagging_medians(self) -> dict[str, float]:
        """Median characters/s of the tag-step timings, per tagger."""
        taggers = dict.fromkeys(t.tagger for t in self.tagging)
        return {
            tagger: statistics.median(t.chars_per_second for t in self.tagging if t.tagger == tagger)
            for tagger in taggers
        }

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["medians"] = {
            tagger: {
                "reports_per_second": self.median(tagger, lambda r: r.reports_per_second),
                "chars_per_second": self.median(tagger, lambda r: r.chars_per_second),
            }
            for tagger in dict.fromkeys(run.tagger for run in self.runs)
        }
        out["tagging_medians"] = self.tagging_medians()
        return out


def _load(values: Sequence[float]) -> str:
    return " ".join(f"{v:.2f}" for v in values) or "?"


def read_reports(paths: Sequence[str | Path]) -> list[RawReport]:
    """Every report under `paths` that `gia predict` would predict, read."""
    from inference.batch import InputProblem, iter_report_paths
    from inference.read import read_report

    return [read_report(path) for path in iter_report_paths(paths) if not isinstance(path, InputProblem)]


def time_predict(
    paths: Sequence[str | Path], tagger: str, *, workers: int, model_dir: Path, output: Path
) -> tuple[float, float]:
    """Wall and CPU seconds (user + system, workers included) of one `gia predict --force` process."""
    command = [sys.executable, "-m", "gia.cli", "predict", *map(str, paths), "-o", str(output)]
    command += ["--tagger", tagger, "--model", str(model_dir), "--workers", str(workers), "--force", "-q"]
    before = os.times()
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    seconds = time.perf_counter() - started
    after = os.times()
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return seconds, cpu


class TimedLinker:
    """Stands in for a `FieldLinker` and adds the time of every method call to `seconds`."""

    def __init__(self, linker: Any) -> None:
        self._linker = linker
        self.seconds = 0.0

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._linker, name)
        if not callable(value):
            return value

        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return value(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - started

        return timed


def time_tagging(raws: Sequence[RawReport], tagger: str, *, model_dir: Path) -> TagTiming:
    """Load `tagger`, then time `tag_batch` on the reports and the linker's calls while assembling them."""
    from inference.normalize import normalize
    from inference.pipeline import Linking, extract, linking_of
    from inference.taggers import TaggerSpec, load_tagger_from_spec

    loaded = load_tagger_from_spec(TaggerSpec(tagger, model_dir))
    docs = [normalize(raw.text) for raw in raws]
    loaded.tag_batch([docs[0].text[:2000]])  # warm-up: one-time kernel and matcher set-up, untimed
    started = time.perf_counter()
    all_spans = loaded.tag_batch([doc.text for doc in docs])
    tag_seconds = time.perf_counter() - started
    linking = linking_of(loaded)
    timed = TimedLinker(linking.linker) if linking.linker is not None else None
    for raw, doc, spans in zip(raws, docs, all_spans, strict=True):
        extract(raw, spans, doc, Linking(timed, linking.mode) if timed else linking)
    chars = sum(len(raw.text) for raw in raws)
    return TagTiming(tagger, chars, tag_seconds, timed.seconds if timed else 0.0)


def bench_speed(
    paths: Sequence[str | Path],
    *,
    taggers: Sequence[str] = DEFAULT_TAGGERS,
    repeats: int = 3,
    workers: int = 2,
    model_dir: Path = DEFAULT_MODEL_DIR,
    tagging: bool = True,
) -> SpeedReport:
    """Time `gia predict` over `paths` for each tagger, alternated `repeats` times; then the tag step."""
    raws = read_reports(paths)
    report = SpeedReport(reports=len(raws), chars=sum(len(raw.text) for raw in raws), workers=workers)
    report.load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="gia-speed-") as tmp:
        for _ in range(repeats):
            for tagger in taggers:
                output = Path(tmp) / f"{tagger}.jsonl"
                seconds, cpu = time_predict(
                    paths, tagger, workers=workers, model_dir=model_dir, output=output
                )
                report.runs.append(
                    Run(tagger, round(seconds, 3), round(cpu, 3), report.reports, report.chars)
                )
    if tagging:
        report.tagging = [
            time_tagging(raws, tagger, model_dir=model_dir) for _ in range(repeats) for tagger in taggers
        ]
    report.load_after = os.getloadavg()
    return report


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="+", help="report files or directories")
    parser.add_argument("--taggers", default=",".join(DEFAULT_TAGGERS), help="comma-separated tagger kinds")
    parser.add_argument("--repeats", type=int, default=3, help="alternations of the taggers")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--model", type=Path, default=DEFAULT_MODEL_DIR)
    parser.add_argument("--no-tagging", action="store_true", help="skip the in-process tag-step timing")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    report = bench_speed(
        args.paths,
        taggers=args.taggers.split(","),
        repeats=args.repeats,
        workers=args.workers,
        model_dir=args.model,
        tagging=not args.no_tagging,
    )
    print(json.dumps(report.to_json(), indent=1) if args.json else report.to_text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
