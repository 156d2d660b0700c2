"""Batch prediction people can rely on: resume, parallel workers, bounded memory, one record per input.

`run_batch(paths, options)` streams report paths, skips reports already predicted (keyed by the
sha256 of the file's bytes + the tagger identity and gia version, kept in the sidecar `OUT.state.jsonl`),
predicts the rest in batches on a pool of worker processes (each loads the tagger once), and
writes the outputs atomically in input order. A bad file becomes an error object with a reason;
the batch always goes on. Progress display and exit codes are left to the CLI; output formats to
`inference.write`; the Ray Data engine to `inference.ray_engine`.

Limits (see docs/decisions.md): files over `MAX_FILE_BYTES` and texts over `MAX_TEXT_CHARS` are
refused as too large; a text with no digits, or without any of `REPORT_KEYWORDS` after
normalisation, is refused as not a report.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import multiprocessing
import os
import re
import resource
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from inference import DEFAULT_MODEL_DIR, DEFAULT_TAGGER
from inference.errors import GiaError, ReadError, UserError
from inference.normalize import normalize
from inference.pipeline import Tagger, extract
from inference.read import SUPPORTED_SUFFIXES, RawReport, read_report
from inference.records import ReportResult, Span
from inference.write import atomic_path, format_from_path, result_to_line, write_tables

logger = logging.getLogger(__name__)

MAX_FILE_BYTES = 20 * 1024 * 1024
"""Larger files are refused ("too large"): real reports are 10 KB–2 MB even as HTML."""
MAX_TEXT_CHARS = 1_000_000
"""Longer decoded texts are refused: real reports are 5k–100k characters; 1M would take minutes to tag."""
REPORT_SECONDS = 60
"""Assembling one report may take this long (typical: 0.1–0.5 s); longer becomes an error record."""
REPORT_KEYWORDS: tuple[str, ...] = ("信息公开", "政务公开", "依申请公开", "主动公开")
"""A text (normalised, so Traditional and mirror pinyin are covered) with none of these is not a report."""
STATE_SUFFIX = ".state.jsonl"


# --------------------------------------------------------------------------------------------- taggers


TAGGER_KINDS: tuple[str, ...] = ("model", "rules", "model+rules", "rules+model", "none")


@dataclass(frozen=True)
class TaggerSpec:
    """Which tagger to load in each worker: `model` (a model dir), `rules`, `none` (no spans), or a
    combination `model+rules` / `rules+model` (the first one's spans win, the second fills gaps)."""

    kind: str = DEFAULT_TAGGER
    model_dir: Path = DEFAULT_MODEL_DIR

    def validate(self) -> None:
        """Fail early, in the parent, with a message that says what to do."""
        if self.kind not in TAGGER_KINDS:
            raise UserError(f"unknown tagger {self.kind!r}: use one of {', '.join(TAGGER_KINDS)}")
        if "model" not in self.kind:
            return
        model_dir = Path(self.model_dir)
        if not model_dir.is_dir():
            hint = " (the default model is not installed)" if model_dir == DEFAULT_MODEL_DIR else ""
            raise UserError(
                f"no model directory at {model_dir}{hint}: pass --model DIR, or use --tagger rules "
                "for the rule-based tagger"
            )
        if not any(model_dir.glob("*.safetensors")):
            raise UserError(f"{model_dir} has no *.safetensors weights; only safetensors weights are loaded")


class NoSpansTagger:
    """A tagger that finds nothing: for measuring the pipeline without a tagger, and for tests."""

    def tag_batch(self, texts: list[str]) -> list[list[Span]]:
        return [[] for _ in texts]


def load_tagger_from_spec(spec: TaggerSpec) -> Tagger:
    """Load the tagger a spec names; never touches the network (hub access is switched off)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    # Each worker would otherwise print its own "Loading weights" bar under ours.
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    if spec.kind == "none":
        return NoSpansTagger()
    if spec.kind == "rules":
        from inference.rules import RuleTagger

        return RuleTagger()
    spec.validate()
    if "+" in spec.kind:
        from inference.ensemble import CombinedTagger

        first, second = spec.kind.split("+")
        return CombinedTagger(
            load_tagger_from_spec(TaggerSpec(first, spec.model_dir)),
            load_tagger_from_spec(TaggerSpec(second, spec.model_dir)),
        )
    from inference.tag import load_tagger

    return load_tagger(spec.model_dir)


def _hash_files(paths: Iterable[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.name.encode())
        with path.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    return digest.hexdigest()[:16]


def tagger_identity(spec: TaggerSpec) -> str:
    """What the predictions depend on besides the report: the tagger's weights and the gia version.

    `model:<hash of the model dir's files>@gia-<version>`. Retraining or upgrading gia gives a new
    identity, so stale results are not reused. Editing the pipeline code in place does not: a
    developer reruns with `--force` (hashing the source tree made concurrent edits in a shared
    checkout invalidate every resume).
    """
    version = _gia_version()
    if "model" in spec.kind:
        model = _hash_files(p for p in Path(spec.model_dir).iterdir() if p.is_file())
        return f"{spec.kind}:{model}@gia-{version}"
    return f"{spec.kind}@gia-{version}"


def _gia_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("gia-extract")
    except PackageNotFoundError:
        return "unknown"


# ------------------------------------------------------------------------------------ per-report work


@dataclass(frozen=True)
class WorkItem:
    """One report to predict: its path as given (the output's `source`) and the sha256 of its bytes."""

    source: str
    sha256: str


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


INPUT_ERROR_KEY = "_input_error"
"""Set (in memory only) on error objects caused by the file itself: stored for resume like successes."""


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
    if not any(keyword in normalized_text for keyword in REPORT_KEYWORDS):
        return "not a government information-disclosure report (none of " + "/".join(REPORT_KEYWORDS) + ")"
    return None


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:300]


def _read_item(item: WorkItem) -> RawReport | str:
    """The report's text, or the reason it cannot be read."""
    try:
        raw = read_report(item.source)
    except ReadError as exc:
        return exc.problem
    except Exception as exc:  # a reader bug on a strange file must not stop the batch
        logger.exception("reading %s failed", item.source)
        return f"cannot read: {_describe(exc)}"
    if raw.kind == "html" and html_is_truncated(Path(item.source)):
        return "truncated HTML: the page has no closing </html> or </body> tag (incomplete download?)"
    return raw


def html_is_truncated(path: Path) -> bool:
    """An HTML page that opens `<html>`/`<body>` but closes neither: cut off mid-download.

    Parsers recover silently from a cut page and would give half a report; refusing it is safer.
    UTF-16 pages (NUL bytes) are not checked: the byte patterns below are ASCII.
    """
    with path.open("rb") as handle:
        head = handle.read(65536)
        handle.seek(max(0, path.stat().st_size - 65536))
        tail = handle.read()
    if b"\x00" in head:
        return False
    opened = re.search(rb"<(html|body)[\s>]", head, re.IGNORECASE)
    closed = re.search(rb"</(html|body)\s*>", tail, re.IGNORECASE)
    return bool(opened) and not closed


def predict_items(items: list[WorkItem], tagger: Tagger) -> tuple[list[dict[str, Any]], WorkStats]:
    """Predict a batch of reports: one spec object (or error object) per item, in order.

    The per-report function shared by the local and Ray engines: read, refuse bad input with a
    reason, normalise, tag all good reports in one `tag_batch` call, assemble and check each.
    """
    started = time.perf_counter()
    stats = WorkStats(reports=len(items))
    out: list[dict[str, Any] | None] = [None] * len(items)
    good: list[tuple[int, RawReport, Any]] = []
    for i, item in enumerate(items):
        raw = _read_item(item)
        if isinstance(raw, str):
            out[i] = error_object(item.source, raw, item.sha256, input_error=True)
            continue
        problem = text_problem(raw.text)
        doc = None
        if problem is None:
            doc = normalize(raw.text)
            problem = report_problem(doc.text)
        if problem is not None:
            out[i] = error_object(item.source, problem, item.sha256, input_error=True)
            continue
        stats.chars += len(raw.text)
        good.append((i, raw, doc))

    tag_started = time.perf_counter()
    all_spans = _tag_all([doc.text for _, _, doc in good], tagger)
    stats.tag_seconds = time.perf_counter() - tag_started

    for (i, raw, doc), spans in zip(good, all_spans, strict=True):
        item = items[i]
        if isinstance(spans, str):
            out[i] = error_object(item.source, spans, item.sha256)
            continue
        try:
            with time_limit(REPORT_SECONDS):
                obj = extract(raw, spans, doc).to_json()
        except ReportTimeout:
            logger.error("assembling %s took more than %s s", item.source, REPORT_SECONDS)
            out[i] = error_object(
                item.source,
                f"timed out: assembling took more than {REPORT_SECONDS} s",
                item.sha256,
                input_error=True,  # same bytes, same code: it would time out again; not retried
            )
            continue
        except Exception as exc:  # an assembly bug on one report must not lose the others
            logger.exception("assembling %s failed", item.source)
            out[i] = error_object(
                item.source, f"internal error while assembling: {_describe(exc)}", item.sha256
            )
            continue
        obj.setdefault("meta", {})["sha256"] = item.sha256
        out[i] = obj
    stats.busy_seconds = time.perf_counter() - started
    stats.peak_rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return [obj for obj in out if obj is not None], stats


class ReportTimeout(Exception):
    """One report took longer than `REPORT_SECONDS` to assemble."""


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise `ReportTimeout` in the block after `seconds` (SIGALRM; only in a main thread, else no limit).

    Assembly is pure Python, so the signal lands between bytecodes; one pathological report (an
    exponential table search) then costs `seconds`, not the whole batch.
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


def _tag_all(texts: list[str], tagger: Tagger) -> list[list[Span] | str]:
    """Tag in one batch; if the batch fails, tag one by one so only the culprit gets an error."""
    if not texts:
        return []
    try:
        return list(tagger.tag_batch(texts))
    except Exception as exc:
        logger.warning("tagging a batch failed (%s); retrying one by one", _describe(exc))
    out: list[list[Span] | str] = []
    for text in texts:
        try:
            out.append(tagger.tag_batch([text])[0])
        except Exception as exc:
            logger.exception("tagging failed")
            out.append(f"internal error while tagging: {_describe(exc)}")
    return out


# Worker processes: the tagger is loaded once per process by the pool initializer.
_WORKER_TAGGER: Tagger | None = None


def set_thread_env(torch_threads: int) -> None:
    """Intra-op threads of a worker process; must run before torch is imported (load_tagger does that)."""
    # One thread per worker lets N workers use N cores without oversubscribing them.
    for name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ[name] = str(torch_threads)


def _init_worker(spec: TaggerSpec, torch_threads: int) -> None:
    global _WORKER_TAGGER
    set_thread_env(torch_threads)
    _WORKER_TAGGER = load_tagger_from_spec(spec)


def _predict_in_worker(items: list[WorkItem]) -> tuple[list[dict[str, Any]], WorkStats]:
    assert _WORKER_TAGGER is not None, "worker initializer did not run"
    return predict_items(items, _WORKER_TAGGER)


# ------------------------------------------------------------------------------------------- paths


def iter_report_paths(paths: Iterable[str | Path], *, exclude: Iterable[Path] = ()) -> Iterator[Path]:
    """Files given explicitly, then supported, non-hidden files of directories, recursively, sorted; streamed.

    A file named on the command line is always tried (so a bad one gets an error record);
    inside directories only `inference.read.SUPPORTED_SUFFIXES` are picked up.
    """
    excluded = {p.resolve() for p in exclude}
    for p in map(Path, paths):
        if not p.exists():
            raise UserError(f"no such file or directory: {p}")
        if not p.is_dir():
            yield p
            continue
        for root, dirs, files in os.walk(p):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                path = Path(root) / name
                if name.startswith(".") or path.suffix.lower() not in SUPPORTED_SUFFIXES:
                    continue
                if path.resolve() in excluded:
                    continue
                yield path


def count_report_paths(paths: Iterable[str | Path]) -> int:
    """How many reports `iter_report_paths` will yield (walks names only, reads nothing)."""
    return sum(1 for _ in iter_report_paths(paths))


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


# ------------------------------------------------------------------------------------------- state


def state_path(output: str | Path) -> Path:
    """The resume sidecar of an output: `out/p.jsonl` -> `out/p.state.jsonl` (shared by p.csv, p.parquet)."""
    output = Path(output)
    return output.with_name(output.stem + STATE_SUFFIX)


class StateStore:
    """Append-only JSON Lines of finished reports: `{"sha256", "model", "result"}`, one per line.

    Each line is flushed as soon as its report is done, so an interrupted run loses at most the
    batches in flight. Successes and input errors are stored; internal errors are retried.
    A torn last line (killed mid-write) is ignored.
    """

    def __init__(self, path: Path, identity: str) -> None:
        self.path = path
        self.identity = identity
        self.index: dict[str, int] = {}
        self._append = None
        self._read = None
        if path.exists():
            self._load()

    def _load(self) -> None:
        offset = 0
        with self.path.open("rb") as handle:
            for line in handle:
                start, offset = offset, offset + len(line)
                if not line.endswith(b"\n"):
                    break
                try:
                    entry = json.loads(line)
                except json.JSONDecodeError:
                    logger.warning("%s: ignoring a corrupt line at byte %d", self.path, start)
                    continue
                if entry.get("model") == self.identity and "sha256" in entry:
                    self.index[entry["sha256"]] = start

    def lookup(self, sha256: str) -> int | None:
        return self.index.get(sha256)

    def read(self, offset: int, source: str) -> dict[str, Any]:
        """The stored result at `offset`, with `source` set to the path it has now."""
        if self._read is None:
            self._read = self.path.open("rb")
        self._read.seek(offset)
        result = json.loads(self._read.readline())["result"]
        result["source"] = source
        return result

    def add(self, sha256: str, result: dict[str, Any]) -> None:
        if self._append is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._append = self.path.open("ab")
            if self._append.tell() > 0:
                with self.path.open("rb") as handle:
                    handle.seek(-1, os.SEEK_END)
                    if handle.read(1) != b"\n":
                        self._append.write(b"\n")
        offset = self._append.tell()
        line = json.dumps({"sha256": sha256, "model": self.identity, "result": result}, ensure_ascii=False)
        self._append.write(line.encode("utf-8") + b"\n")
        self._append.flush()
        self.index[sha256] = offset

    def close(self) -> None:
        for handle in (self._append, self._read):
            if handle is not None:
                handle.close()
        self._append = self._read = None


# --------------------------------------------------------------------------------------------- runner


@dataclass(frozen=True)
class BatchOptions:
    """How to run a batch. Defaults: 2 worker processes (this project's machines have 2 cores)."""

    output: Path
    fmt: str | None = None
    tagger: TaggerSpec = field(default_factory=TaggerSpec)
    workers: int = 2
    batch_size: int = 8
    force: bool = False
    engine: str = "local"
    torch_threads: int = 1
    max_in_flight: int | None = None
    """Batches submitted but not written yet; default 2 per worker (keeps workers busy, memory bounded)."""


@dataclass
class Summary:
    """Counts and timings of one run."""

    ok: int = 0
    failed: int = 0
    skipped: int = 0
    seconds: float = 0.0
    work: WorkStats = field(default_factory=WorkStats)
    peak_rss_parent_kb: int = 0
    outputs: list[Path] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)
    """(source, reason) of the first `MAX_LISTED_FAILURES` failures."""

    @property
    def total(self) -> int:
        return self.ok + self.failed + self.skipped

    def line(self) -> str:
        done = f"{self.ok} ok, {self.failed} failed, {self.skipped} skipped (already done)"
        return f"{done} in {self.seconds:.1f} s"


MAX_LISTED_FAILURES = 50
MAX_POOL_BREAKS = 3
ProgressCallback = Callable[[str, str], None]
"""Called once per report with (status, source); status is `ok`, `failed` or `skipped`."""


@dataclass
class _Slot:
    """One input in output order: a finished object, a stored result, or a place in a batch in flight."""

    source: str
    sha256: str | None = None
    obj: dict[str, Any] | None = None
    offset: int | None = None
    batch: _Batch | None = None
    index: int = 0


@dataclass
class _Batch:
    items: list[WorkItem]
    future: Future | None = None
    results: list[dict[str, Any]] | None = None


class _Output:
    """Writes objects, in order, to the temp JSON Lines file, the state, and the summary."""

    def __init__(
        self, handle, store: StateStore, summary: Summary, progress: ProgressCallback | None
    ) -> None:
        self.handle = handle
        self.store = store
        self.summary = summary
        self.progress = progress

    def emit(self, obj: dict[str, Any], *, stored: bool = False, sha256: str | None = None) -> None:
        """Write one object; `stored` = it came from the resume state (a success is then "skipped").

        Input errors (the file's own fault) are stored like successes and reported again on a
        rerun without being redone; internal errors are not stored, so a rerun retries them.
        """
        input_error = obj.pop(INPUT_ERROR_KEY, False)
        self.handle.write(result_to_line(obj))
        if obj.get("error") is not None:
            status = "failed"
            self.summary.failed += 1
            if len(self.summary.failures) < MAX_LISTED_FAILURES:
                self.summary.failures.append((obj["source"], obj["error"]))
            if input_error and sha256 and not stored:
                self.store.add(sha256, obj)
        elif stored:
            status = "skipped"
            self.summary.skipped += 1
        else:
            status = "ok"
            self.summary.ok += 1
            if sha256:
                self.store.add(sha256, obj)
        if self.progress is not None:
            self.progress(status, obj["source"])


def _classify(path: Path, store: StateStore, force: bool) -> _Slot:
    """Hash a path and decide: stored result (skip), refused up front (error), or to predict."""
    source = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return _Slot(
                source, obj=error_object(source, f"too large: {size:,} bytes (limit {MAX_FILE_BYTES:,})")
            )
        sha = file_sha256(path)
    except OSError as exc:
        return _Slot(source, obj=error_object(source, f"cannot open: {exc.strerror or exc}"))
    offset = None if force else store.lookup(sha)
    return _Slot(source, sha256=sha, offset=offset)


def run_batch(
    paths: Iterable[str | Path],
    options: BatchOptions,
    *,
    progress: ProgressCallback | None = None,
) -> Summary:
    """Predict every report under `paths` into `options.output`; see the module docstring."""
    started = time.perf_counter()
    output = Path(options.output)
    fmt = format_from_path(output, options.fmt)
    options.tagger.validate()
    if options.engine not in ("local", "ray"):
        raise UserError(f"unknown engine {options.engine!r}: use local or ray")
    if options.batch_size < 1 or options.workers < 0:
        raise UserError("--batch-size must be ≥ 1 and --workers ≥ 0")
    identity = tagger_identity(options.tagger)
    store = StateStore(state_path(output), identity)
    summary = Summary()
    # Outputs (and their temp files) may sit inside an input directory: never read them back.
    input_paths = iter_report_paths(paths, exclude=[output, state_path(output)])
    jsonl_target = output if fmt == "jsonl" else output.with_name(f".{output.name}.jsonl")
    try:
        with atomic_path(jsonl_target) as tmp, tmp.open("w", encoding="utf-8") as handle:
            sink = _Output(handle, store, summary, progress)
            if options.engine == "ray":
                from inference.ray_engine import run_ray

                run_ray(input_paths, options, store, sink)
            else:
                _run_local(input_paths, options, store, sink)
        if fmt != "jsonl":
            try:
                long_path = write_tables(jsonl_target, output, fmt)
            finally:
                jsonl_target.unlink(missing_ok=True)
            summary.outputs = [output, long_path] if long_path else [output]
        else:
            summary.outputs = [output]
    finally:
        store.close()
    summary.seconds = time.perf_counter() - started
    summary.peak_rss_parent_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return summary


def _run_local(paths: Iterator[Path], options: BatchOptions, store: StateStore, sink: _Output) -> None:
    """In-process (`workers` 0 or 1) or on a process pool, with a bounded number of batches in flight.

    Outputs are written in input order. A batch that finishes early waits (its results in memory)
    until the batches before it are written, so a slow batch never idles the other workers; the
    number of inputs waiting to be written is capped at `pending_limit`, beyond which we wait
    for the oldest batch.
    """
    executor: ProcessPoolExecutor | None = None
    tagger: Tagger | None = None
    max_in_flight = options.max_in_flight or max(2, 2 * options.workers)
    pending_limit = max(64, 4 * max_in_flight * options.batch_size)
    slots: deque[_Slot] = deque()
    current = _Batch([])
    running: dict[int, _Batch] = {}  # id -> submitted batch whose result is not collected yet
    breaks = [0]  # consecutive pool breaks without a finished batch in between

    def new_executor() -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=options.workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_init_worker,
            initargs=(options.tagger, options.torch_threads),
        )

    def submit(batch: _Batch) -> None:
        nonlocal executor, tagger
        if options.workers <= 1:
            if tagger is None:
                tagger = load_tagger_from_spec(options.tagger)
            batch.results = _finish(predict_items(batch.items, tagger))
            return
        if executor is None:
            executor = new_executor()
        batch.future = executor.submit(_predict_in_worker, batch.items)
        running[id(batch)] = batch

    def _finish(outcome: tuple[list[dict[str, Any]], WorkStats]) -> list[dict[str, Any]]:
        objs, stats = outcome
        sink.summary.work.add(stats)
        return objs

    def resolve(batch: _Batch) -> None:
        """Collect a submitted batch's results (waiting if needed); failures become error objects."""
        nonlocal executor
        assert batch.future is not None
        try:
            batch.results = _finish(batch.future.result())
            breaks[0] = 0
        except BrokenProcessPool as exc:
            # A worker died (killed, out of memory, crashed in native code): the whole pool is gone.
            logger.error("a worker process died: %s", exc)
            breaks[0] += 1
            if breaks[0] >= MAX_POOL_BREAKS:
                raise GiaError(
                    f"worker processes died {breaks[0]} times in a row ({exc}); "
                    "rerun with --workers 1 to see the error in this process"
                ) from exc
            batch.results = [
                error_object(i.source, "worker process died while predicting", i.sha256) for i in batch.items
            ]
            running.pop(id(batch), None)
            if executor is not None:
                executor.shutdown(wait=False, cancel_futures=True)
            executor = None
            for other in list(running.values()):  # their futures died with the pool
                running.pop(id(other))
                submit(other)
        except Exception as exc:
            logger.error("batch failed: %s", _describe(exc))
            reason = f"internal error: {_describe(exc)}"
            batch.results = [error_object(i.source, reason, i.sha256) for i in batch.items]
        running.pop(id(batch), None)

    def emit_ready() -> None:
        """Write slots from the front while they are finished."""
        while slots:
            slot = slots[0]
            batch = slot.batch
            if batch is not None and batch.results is None:
                if batch.future is None or not batch.future.done():
                    return
                resolve(batch)
            slots.popleft()
            if slot.obj is not None:
                sink.emit(slot.obj)
            elif slot.offset is not None:
                sink.emit(store.read(slot.offset, slot.source), stored=True)
            else:
                obj = batch.results[slot.index]
                obj["source"] = slot.source
                sink.emit(obj, sha256=slot.sha256)

    def pump(final: bool = False) -> None:
        """Write what is ready; wait while the pool is full, the backlog too long, or (final) until done."""
        while True:
            emit_ready()
            if not slots:
                return
            head = slots[0].batch
            assert head is not None and head.results is None
            if final or (len(slots) > pending_limit and head.future is not None):
                resolve(head)
            elif len(running) >= max_in_flight:
                done, _ = wait([b.future for b in running.values()], return_when=FIRST_COMPLETED)
                for batch in [b for b in running.values() if b.future in done]:
                    if batch.results is None:
                        resolve(batch)
            else:
                return

    try:
        for path in paths:
            slot = _classify(path, store, options.force)
            if slot.obj is None and slot.offset is None:
                slot.batch, slot.index = current, len(current.items)
                current.items.append(WorkItem(slot.source, slot.sha256))
            slots.append(slot)
            # A part-filled batch holds back every slot behind it: submit it early if many are waiting.
            if len(current.items) >= options.batch_size or (current.items and len(slots) > pending_limit):
                submit(current)
                current = _Batch([])
            pump()
        if current.items:
            submit(current)
        pump(final=True)
    finally:
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)
    assert not slots, "every input must have been written"


__all__ = [
    "BatchOptions",
    "MAX_FILE_BYTES",
    "MAX_TEXT_CHARS",
    "NoSpansTagger",
    "StateStore",
    "Summary",
    "TaggerSpec",
    "WorkItem",
    "WorkStats",
    "count_report_paths",
    "error_object",
    "iter_report_paths",
    "load_tagger_from_spec",
    "predict_items",
    "run_batch",
    "state_path",
    "tagger_identity",
]
