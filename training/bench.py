"""`gia bench`: end-to-end batch prediction speed on generated reports (read → write, resume off).

Generates N reports with `training.synth.write_corpus`, runs `inference.batch.run_batch` on them
exactly as `gia predict` does, and reports reports/s, characters/s, the tagger's share of the
workers' time, and peak memory (parent + the largest worker, from `getrusage`). A second run
over the same output measures the resume path (every report skipped).
"""

from __future__ import annotations

import json
import logging
import resource
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from inference.batch import BatchOptions, TaggerSpec, run_batch

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class BenchResult:
    """Numbers of one benchmark run; `to_text` is what `gia bench` prints."""

    reports: int
    ok: int
    missing: int
    """Good (generated) reports without a successful output object: must be 0."""
    failed: int
    workers: int
    batch_size: int
    tagger: str
    seconds: float
    reports_per_second: float
    chars_per_second: float
    mean_chars: float
    tag_share: float
    worker_busy_seconds: float
    peak_rss_parent_mb: float
    peak_rss_worker_mb: float
    peak_rss_children_mb: float
    resume_seconds: float

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    def to_text(self) -> str:
        return (
            f"{self.reports} reports ({self.ok} ok, {self.failed} failed, "
            f"{self.missing} good reports missing from the output), "
            f"mean {self.mean_chars:,.0f} chars, "
            f"tagger {self.tagger}, {self.workers} workers × batch {self.batch_size}\n"
            f"  end to end: {self.seconds:.1f} s = {self.reports_per_second:.2f} reports/s, "
            f"{self.chars_per_second:,.0f} chars/s\n"
            f"  tagger share of worker time: {self.tag_share:.0%} "
            f"(workers busy {self.worker_busy_seconds:.1f} s in total)\n"
            f"  peak memory: parent {self.peak_rss_parent_mb:.0f} MB, "
            f"largest worker {self.peak_rss_worker_mb:.0f} MB "
            f"(all finished children {self.peak_rss_children_mb:.0f} MB)\n"
            f"  rerun (resume, all skipped): {self.resume_seconds:.1f} s"
        )


BAD_FILE_KINDS: tuple[tuple[str, bytes], ...] = (
    ("empty.txt", b""),
    ("binary.txt", bytes(range(256)) * 64),
    ("undecodable.txt", bytes([0x81, 0x30, 0xFF, 0xFE, 0x00, 0x01]) * 500),
    (
        "truncated.html",
        "<html><body><p>政府信息公开工作年度报告</p><table><tr><td>收到申请</td><td>1".encode(),
    ),
    ("huge.txt", ("政府信息公开申请1件。" * 1_600_000).encode()),  # ~50 MB of text
    ("no_numbers.txt", "本机关高度重视政府信息公开工作，认真贯彻落实条例要求。".encode() * 20),
    ("not_a_report.txt", "今日股市上涨，沪指收于3050点，两市成交额8000亿元。".encode() * 20),
    ("gbk_not_a_report.txt", "天气预报：明天最高气温25度，最低12度。".encode("gbk") * 10),
    ("image.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"),
    ("word.docx", b"PK\x03\x04 not really a zip"),
)
"""Kinds of bad input `--bad N` mixes into the corpus, cycled: each must become an error record."""


def write_bad_files(directory: Path, n: int) -> list[Path]:
    """`n` bad files (cycling through `BAD_FILE_KINDS`) in `directory`; the 50 MB one is written once."""
    paths = []
    for i in range(n):
        name, data = BAD_FILE_KINDS[i % len(BAD_FILE_KINDS)]
        if name == "huge.txt" and i >= len(BAD_FILE_KINDS):
            name, data = BAD_FILE_KINDS[0]
        path = directory / f"zz_bad_{i:03d}_{name}"
        path.write_bytes(data)
        paths.append(path)
    return paths


def bench(
    n: int = 500,
    *,
    tagger: TaggerSpec | None = None,
    workers: int = 2,
    batch_size: int = 8,
    fmt: str = "jsonl",
    bad: int = 0,
    seed: int = 2024,
    work_dir: str | Path | None = None,
) -> BenchResult:
    """Generate `n` reports and time `run_batch` on them; all files go under `work_dir` (or a temp dir)."""
    from training.synth import write_corpus

    tagger = tagger or TaggerSpec()
    tagger.validate()
    with tempfile.TemporaryDirectory(prefix="gia-bench-") as tmp:
        root = Path(work_dir) if work_dir else Path(tmp)
        reports = root / "reports"
        if not reports.is_dir() or sum(1 for _ in reports.iterdir()) < n:
            logger.info("generating %d reports in %s", n, root)
            write_corpus(n, root, seed=seed)
        paths = sorted(p for p in reports.iterdir() if not p.name.startswith("zz_bad_"))[:n]
        paths += write_bad_files(reports, bad)
        output = root / "out" / f"predictions.{fmt}"
        options = BatchOptions(
            output=output, tagger=tagger, workers=workers, batch_size=batch_size, force=True
        )
        started = time.perf_counter()
        summary = run_batch(paths, options)
        seconds = time.perf_counter() - started
        missing = _missing_good_reports(output, paths, fmt)
        resume_started = time.perf_counter()
        run_batch(paths, BatchOptions(output=output, tagger=tagger, workers=workers, batch_size=batch_size))
        resume_seconds = time.perf_counter() - resume_started
    work = summary.work
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return BenchResult(
        reports=len(paths),
        ok=summary.ok,
        missing=missing,
        failed=summary.failed,
        workers=workers,
        batch_size=batch_size,
        tagger=tagger.kind if tagger.kind != "model" else str(tagger.model_dir),
        seconds=round(seconds, 2),
        reports_per_second=round(len(paths) / seconds, 3),
        chars_per_second=round(work.chars / seconds, 1),
        mean_chars=round(work.chars / max(1, summary.ok), 1),
        tag_share=round(work.tag_seconds / work.busy_seconds, 3) if work.busy_seconds else 0.0,
        worker_busy_seconds=round(work.busy_seconds, 2),
        peak_rss_parent_mb=round(summary.peak_rss_parent_kb / 1024, 1),
        peak_rss_worker_mb=round(work.peak_rss_kb / 1024, 1),
        peak_rss_children_mb=round(children / 1024, 1),
        resume_seconds=round(resume_seconds, 2),
    )


def _missing_good_reports(output: Path, paths: list[Path], fmt: str) -> int:
    """How many generated reports have no successful object in the output (JSON Lines only; else -1)."""
    if fmt != "jsonl":
        return -1
    done = set()
    with output.open(encoding="utf-8") as handle:
        for line in handle:
            obj = json.loads(line)
            if obj.get("error") is None:
                done.add(obj["source"])
    return sum(1 for p in paths if not p.name.startswith("zz_bad_") and str(p) not in done)
