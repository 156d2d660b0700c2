"""One report from file to checked result: read → refuse bad input → normalise → tag → assemble → check.

`predict_items(items, tagger)` is THE per-report function: the batch runner, the Ray engine, the
review page, the evaluator and the tests all call it (or `predict_raw`, its second half, for texts
already in memory). A bad report becomes an error object with a reason; nothing here stops a batch.
Scheduling many reports (workers, resume state, output order) is left to `inference.batch`; choosing
the tagger to `inference.taggers`.

Limits (see docs/decisions.md): texts over `MAX_TEXT_CHARS` are refused as too large; a text with no
digits, or without any of `REPORT_KEYWORDS` after normalisation, is refused as not a report; reading
and assembling one report may take `REPORT_SECONDS` each.
"""

from __future__ import annotations

import contextlib
import logging
import resource
import signal
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any, Protocol

from inference.assemble import assemble
from inference.checks import run_checks
from inference.errors import MissingDependency, ReadError
from inference.lexicon import spellings
from inference.link import FieldLinker
from inference.metadata import detect_metadata, metadata_checks, report_columns
from inference.normalize import NormalizedText, normalize
from inference.read import RawReport, read_report
from inference.records import ReportResult, Span

logger = logging.getLogger(__name__)

MAX_TEXT_CHARS = 1_000_000
"""Longer decoded texts are refused: real reports are 5k–100k characters; 1M would take minutes to tag."""
REPORT_SECONDS = 60
"""Reading, and then assembling, one report may take this long each (typical: 0.1–0.5 s)."""
REPORT_KEYWORDS: tuple[str, ...] = ("信息公开", "政务公开", "依申请公开", "主动公开")
"""A text (normalised, so Traditional and mirror pinyin are covered) with none of these, in any
spelling (`lexicon.spellings`: 资讯公开), is not a report."""
INPUT_ERROR_KEY = "_input_error"
"""Set (in memory only) on error objects caused by the file itself: stored for resume like successes."""


class Tagger(Protocol):
    """Anything that tags normalised texts with METRIC/CATEGORY/COUNT spans."""

    def tag_batch(self, texts: list[str]) -> list[list[Span]]: ...


@dataclass(frozen=True)
class Linking:
    """The field linking a tagger comes with (see `linking_of`)."""

    linker: FieldLinker | None = None
    mode: str = "fallback"  # inference.assemble.LINKING_MODES


@dataclass(frozen=True)
class WorkItem:
    """One report to predict: its path as given (the output's `source`) and the sha256 the parent saw."""

    source: str
    sha256: str = ""


@dataclass
class WorkStats:
    """What a worker spent on a batch: for the summary and `gia bench`."""

    reports: int = 0
    chars: int = 0
    tag_seconds: float = 0.0
    busy_seconds: float = 0.0
    peak_rss_kb: int = 0

    def add(self, other: WorkStats) -> None:
        self.reports += other.reports
        self.chars += other.chars
        self.tag_seconds += other.tag_seconds
        self.busy_seconds += other.busy_seconds
        self.peak_rss_kb = max(self.peak_rss_kb, other.peak_rss_kb)


@dataclass(frozen=True)
class Outcome:
    """A report's result and whether a failure is the file's own fault (then it is stored for resume)."""

    result: ReportResult
    input_error: bool = False


def error_object(
    source: str, reason: str, sha256: str | None = None, *, input_error: bool = False
) -> dict[str, Any]:
    """The output object of a report that could not be predicted (docs/decisions.md, entry 1)."""
    obj = ReportResult(source=source, error=reason).to_json()
    if sha256:
        obj["meta"] = {"sha256": sha256}
    if input_error:
        obj[INPUT_ERROR_KEY] = True
    return obj


def text_problem(text: str) -> str | None:
    """Why a decoded text is not worth tagging, or None."""
    if len(text) > MAX_TEXT_CHARS:
        return f"too large: {len(text):,} characters of text (limit {MAX_TEXT_CHARS:,})"
    if not any(ch.isdigit() for ch in text):
        return "no numbers in the text: nothing to extract"
    return None


def report_problem(normalized_text: str) -> str | None:
    """Why a normalised text is not a disclosure report, or None."""
    # Taiwan spellings too (`资讯公开`: a mirror the normaliser leaves in Taiwan phrasing)
    if not any(word in normalized_text for keyword in REPORT_KEYWORDS for word in spellings(keyword)):
        return "not a government information-disclosure report (none of " + "/".join(REPORT_KEYWORDS) + ")"
    return None


def _traceback_wanted() -> bool:
    """Tracebacks of a report's internal error go to the log only at DEBUG (`gia --debug`)."""
    return logger.isEnabledFor(logging.DEBUG)


def describe(exc: BaseException) -> str:
    """`Type: message`, at most 300 characters: for error records and logs."""
    return f"{type(exc).__name__}: {exc}"[:300]


def read_item(item: WorkItem) -> RawReport | Outcome:
    """The report's text, or an error outcome saying why it cannot be read.

    A missing optional library is the environment's fault, not the file's: not an input error,
    so it is never stored as the file's result and a rerun after installing the library reads it.
    """
    try:
        with time_limit(REPORT_SECONDS):
            return read_report(item.source)
    except MissingDependency as exc:
        return Outcome(ReportResult(item.source, error=exc.problem))
    except ImportError as exc:  # an optional reader library: the environment's fault, never stored
        reason = f"reading this file needs the Python package {exc.name or exc}: pip install it"
        return Outcome(ReportResult(item.source, error=reason))
    except ReadError as exc:
        return Outcome(ReportResult(item.source, error=exc.problem), input_error=True)
    except ReportTimeout:
        reason = f"timed out: reading took more than {REPORT_SECONDS} s"
        return Outcome(ReportResult(item.source, error=reason), input_error=True)
    except Exception as exc:  # a reader bug on a strange file must not stop the batch
        logger.error("reading %s failed: %s", item.source, describe(exc), exc_info=_traceback_wanted())
        return Outcome(ReportResult(item.source, error=f"cannot read: {describe(exc)}"))


def predict_items(items: list[WorkItem], tagger: Tagger) -> tuple[list[dict[str, Any]], WorkStats]:
    """Read and predict a batch of report files: one output object (or error object) per item, in order.

    Each object's `meta.sha256` is the hash of the bytes actually read (so a file changed since the
    parent hashed it is stored under its new content); `INPUT_ERROR_KEY` marks the file's own faults.
    """
    started = time.perf_counter()
    stats = WorkStats(reports=len(items))
    reads = [read_item(item) for item in items]
    raws = [r for r in reads if isinstance(r, RawReport)]
    outcomes = iter(predict_outcomes(raws, tagger, stats))
    out = []
    for item, read in zip(items, reads, strict=True):
        outcome = next(outcomes) if isinstance(read, RawReport) else read
        obj = outcome.result.to_json()
        sha256 = read.sha256 if isinstance(read, RawReport) and read.sha256 else item.sha256
        if sha256:
            obj.setdefault("meta", {})["sha256"] = sha256
        if outcome.input_error:
            obj[INPUT_ERROR_KEY] = True
        out.append(obj)
    stats.busy_seconds = time.perf_counter() - started
    stats.peak_rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return out, stats


def predict_raw(raws: list[RawReport], tagger: Tagger) -> list[ReportResult]:
    """`predict_items` for reports already read: one result (maybe with `error`) per report, in order."""
    return [outcome.result for outcome in predict_outcomes(raws, tagger, WorkStats())]


def predict_outcomes(raws: list[RawReport], tagger: Tagger, stats: WorkStats) -> list[Outcome]:
    """Refuse non-reports, normalise, tag all good reports in one `tag_batch` call, assemble each."""
    out: list[Outcome | None] = [None] * len(raws)
    good: list[tuple[int, NormalizedText]] = []
    for i, raw in enumerate(raws):
        problem = text_problem(raw.text)
        doc = None
        if problem is None:
            doc = normalize(raw.text)
            problem = report_problem(doc.text)
        if problem is not None:
            out[i] = Outcome(ReportResult(raw.source, error=problem), input_error=True)
            continue
        stats.chars += len(raw.text)
        good.append((i, doc))
    tag_started = time.perf_counter()
    all_spans = tag_all([doc.text for _, doc in good], tagger)
    stats.tag_seconds += time.perf_counter() - tag_started
    for (i, doc), spans in zip(good, all_spans, strict=True):
        if isinstance(spans, str):
            out[i] = Outcome(ReportResult(raws[i].source, error=spans))
        else:
            out[i] = extract_within_limit(raws[i], spans, doc, linking_of(tagger))
    return [outcome for outcome in out if outcome is not None]


def linking_of(tagger: Tagger) -> Linking:
    """How a tagger's COUNT spans get their fields: its learned linker (a model directory's
    `linker.json`, None for the rule tagger) and how it shares the work with the lexicons."""
    return Linking(getattr(tagger, "linker", None), getattr(tagger, "linking", "fallback"))


def extract_within_limit(
    raw: RawReport, spans: list[Span], doc: NormalizedText, linking: Linking = Linking()
) -> Outcome:
    """`extract` under `REPORT_SECONDS`; a timeout or an assembly bug becomes this report's error."""
    try:
        with time_limit(REPORT_SECONDS):
            return Outcome(extract(raw, spans, doc, linking))
    except ReportTimeout:
        logger.error("assembling %s took more than %s s", raw.source, REPORT_SECONDS)
        reason = f"timed out: assembling took more than {REPORT_SECONDS} s"
        # same bytes, same code: it would time out again, so it is stored and not retried
        return Outcome(ReportResult(raw.source, error=reason), input_error=True)
    except Exception as exc:  # an assembly bug on one report must not lose the others
        logger.error("assembling %s failed: %s", raw.source, describe(exc), exc_info=_traceback_wanted())
        return Outcome(ReportResult(raw.source, error=f"internal error while assembling: {describe(exc)}"))


def extract(
    raw: RawReport, spans: list[Span], doc: NormalizedText, linking: Linking = Linking()
) -> ReportResult:
    """Assemble and check one normalised, tagged report; offsets in the result refer to `raw.text`."""
    meta = detect_metadata(doc.text)
    assembly = assemble(
        doc.text, spans, meta, offsets=doc.offsets, linker=linking.linker, linking=linking.mode
    )
    checks = run_checks(assembly, doc.text)
    records = []
    for record in assembly.records:
        start, end = doc.to_original(record.start, record.end)
        page = raw.page_of(start)
        records.append(replace(record, start=start, end=end, text=raw.text[start:end], page=page))
    return ReportResult(
        source=raw.source,
        issuer=meta.issuer,
        year=meta.year,
        template=meta.template,
        **report_columns(meta, doc.to_original, raw.text),
        fields=dict(assembly.fields),
        records=records,
        checks=checks + metadata_checks(meta),
        meta={"encoding": raw.encoding, "kind": raw.kind},
    )


def tag_all(texts: list[str], tagger: Tagger) -> list[list[Span] | str]:
    """Tag in one batch; if the batch fails, tag one by one so only the culprit gets an error (a str)."""
    if not texts:
        return []
    try:
        return list(tagger.tag_batch(texts))
    except Exception as exc:
        logger.warning("tagging a batch failed (%s); retrying one by one", describe(exc))
    out: list[list[Span] | str] = []
    for text in texts:
        try:
            out.append(tagger.tag_batch([text])[0])
        except Exception as exc:
            logger.error("tagging failed: %s", describe(exc), exc_info=_traceback_wanted())
            out.append(f"internal error while tagging: {describe(exc)}")
    return out


class ReportTimeout(Exception):
    """Reading or assembling one report took longer than `REPORT_SECONDS`."""


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise `ReportTimeout` in the block after `seconds` (SIGALRM; only in a main thread, else no limit).

    Reading and assembly are mostly Python, so the signal lands between bytecodes; one pathological
    report (an exponential table search, a table that expands without end) then costs `seconds`.
    """
    if (
        seconds <= 0
        or threading.current_thread() is not threading.main_thread()
        or not hasattr(signal, "SIGALRM")
    ):
        yield
        return

    def on_alarm(signum: int, frame: Any) -> None:
        raise ReportTimeout

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
