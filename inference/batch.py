"""Batch prediction people can rely on: resume, parallel workers, bounded memory, one record per input.

`run_batch(paths, options)` streams report paths, skips reports already predicted (keyed by the
sha256 of the file's bytes + the tagger identity and gia version, kept in the sidecar `OUT.state.jsonl`),
predicts the rest in batches on a pool of worker processes (on Linux forked from this process once
it has loaded the tagger, elsewhere each loading it: `pool_start_method`) with the one per-report
function `inference.pipeline.predict_items`, and writes the outputs atomically in input
order. Every input — a file, a link, a pipe, an unreadable directory — gets exactly one output
object; a bad one an error object naming the problem, and the batch goes on.

Runs that share a state file (`-o out/p.jsonl` and `-o out/p.csv`) are serialised by a lock on it;
the output path is checked before any report is predicted; temp files are removed on every exit
path we can see (stale ones of killed runs at the next start); workers exit when the parent dies.
Progress display and exit codes are left to the CLI; output formats to `inference.write`; the Ray
Data engine to `inference.ray_engine`; tagger choice to `inference.taggers`.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import logging
import multiprocessing
import os
import resource
import signal
import stat
import sys
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from inference import DATA_DIR
from inference.errors import GiaError, ReadError, UserError
from inference.pipeline import (
    INPUT_ERROR_KEY,
    MAX_TEXT_CHARS,
    Tagger,
    WorkItem,
    WorkStats,
    describe,
    error_object,
    predict_items,
    predict_raw,
)
from inference.read import MAX_FILE_BYTES, SUPPORTED_SUFFIXES, RawReport, file_kind, read_regular_file
from inference.taggers import (
    NoSpansTagger,
    TaggerSpec,
    load_tagger_from_spec,
    set_thread_env,
    tagger_identity,
)
from inference.write import atomic_path, format_from_path, records_path, result_to_line, write_tables

logger = logging.getLogger(__name__)

STATE_SUFFIX = ".state.jsonl"
LOCK_SUFFIX = ".lock"
COMPACT_MIN_BYTES = 1 << 20
"""A state file is rewritten without its dead lines once it is this big and mostly dead."""


# ------------------------------------------------------------------------------------------- paths


@dataclass(frozen=True)
class InputProblem:
    """An input found while walking that cannot be a report (an unreadable directory, a linked one)."""

    source: str
    reason: str


def iter_report_paths(
    paths: Iterable[str | Path], *, exclude: Iterable[Path] = ()
) -> Iterator[Path | InputProblem]:
    """Files given explicitly, then supported, non-hidden files of directories, recursively, sorted; streamed.

    A file named on the command line is always tried (so a bad one gets an error record), whatever
    it is (a pipe, a device, a broken link); one that does not exist at all is an `InputProblem`, so
    a typo costs its own record and never the rest of the batch. Inside directories only
    `inference.read.SUPPORTED_SUFFIXES` are picked up; links to files are followed when read; links
    to directories are not walked (no loops) and, like directories that cannot be listed, become an
    `InputProblem` each. A path reached twice (named twice, `a.txt` and `./a.txt`, or named and
    inside a named directory) is given once; links are not resolved for this.
    """
    excluded = {os.path.realpath(p) for p in exclude}
    seen: set[str] = set()
    for p in map(Path, paths):
        if not os.path.lexists(p):
            yield InputProblem(str(p), "no such file or directory")
            continue
        try:
            is_dir = stat.S_ISDIR(os.stat(p).st_mode)  # a link to a directory named here is walked
        except OSError:
            is_dir = False  # a loop or a dangling link: its error record comes from `classify`
        for entry in _walk_directory(p, excluded) if is_dir else [p]:
            key = os.path.abspath(entry.source if isinstance(entry, InputProblem) else entry)
            if key not in seen:
                seen.add(key)
                yield entry


def _walk_directory(root: Path, excluded: set[str]) -> Iterator[Path | InputProblem]:
    problems: list[OSError] = []
    for folder, dirs, files in os.walk(root, onerror=problems.append):
        while problems:
            exc = problems.pop(0)
            yield InputProblem(str(exc.filename), f"cannot list directory: {exc.strerror or exc}")
        linked = sorted(d for d in dirs if not d.startswith(".") and os.path.islink(os.path.join(folder, d)))
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in linked)
        for name in sorted([*files, *linked]):
            path = Path(folder) / name
            if name in linked:
                yield InputProblem(str(path), "symbolic link to a directory: not followed (name it directly)")
                continue
            if name.startswith(".") or path.suffix.lower() not in SUPPORTED_SUFFIXES:
                continue
            if os.path.realpath(path) not in excluded:
                yield path
    while problems:  # the root itself could not be listed
        exc = problems.pop(0)
        yield InputProblem(str(exc.filename), f"cannot list directory: {exc.strerror or exc}")


def count_report_paths(paths: Iterable[str | Path]) -> int:
    """How many output objects `iter_report_paths` will lead to (walks names only, reads nothing)."""
    return sum(1 for _ in iter_report_paths(paths))


def file_sha256(path: str | Path) -> str:
    """Hex sha256 of a regular file's bytes; raises `ReadError` for anything else (never blocks)."""
    return hashlib.sha256(read_regular_file(path)).hexdigest()


# ------------------------------------------------------------------------------------------- state


def state_path(output: str | Path) -> Path:
    """The resume sidecar of an output: `out/p.jsonl` -> `out/p.state.jsonl` (shared by p.csv, p.parquet)."""
    output = Path(output)
    return output.with_name(output.stem + STATE_SUFFIX)


class StateStore:
    """Append-only JSON Lines of finished reports: `{"sha256", "model", "result"}`, one per line.

    Each line is flushed as soon as its report is done, so an interrupted run loses at most the
    batches in flight. Successes and input errors are stored; internal and environment errors are
    retried. A torn last line (killed mid-write) is ignored. Only one run may write a state at a
    time (`run_batch` holds `state_lock`); `get` still checks that the line it reads is the one it
    indexed, so a stale offset can never serve another report's result. A file that is mostly dead
    lines (superseded results, `--force` reruns) is compacted when opened.
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
        latest: dict[tuple[str, str], tuple[int, int]] = {}  # (model, sha) -> (offset, length)
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
                if isinstance(entry, dict) and "sha256" in entry and "model" in entry:
                    latest[(entry["model"], entry["sha256"])] = (start, len(line))
        live = sum(length for _, length in latest.values())
        if offset >= COMPACT_MIN_BYTES and offset > 2 * live:
            latest = self._compact(latest)
        self.index = {sha: start for (model, sha), (start, _) in latest.items() if model == self.identity}

    def _compact(
        self, latest: dict[tuple[str, str], tuple[int, int]]
    ) -> dict[tuple[str, str], tuple[int, int]]:
        """Keep only the latest line per (model, sha256), rewritten atomically; return the new index."""
        kept: dict[tuple[str, str], tuple[int, int]] = {}
        with self.path.open("rb") as source, atomic_path(self.path) as tmp, tmp.open("wb") as target:
            for key, (start, length) in sorted(latest.items(), key=lambda item: item[1][0]):
                source.seek(start)
                kept[key] = (target.tell(), length)
                target.write(source.read(length))
        logger.info("%s: compacted to %d entries", self.path, len(kept))
        return kept

    def lookup(self, sha256: str) -> int | None:
        return self.index.get(sha256)

    def get(self, sha256: str, source: str) -> dict[str, Any] | None:
        """The stored result for these bytes, with `source` set to the path it has now; None if absent."""
        offset = self.index.get(sha256)
        return None if offset is None else self.read(offset, source, sha256)

    def read(self, offset: int, source: str, sha256: str | None = None) -> dict[str, Any] | None:
        """The stored result at `offset` (None if the line there is not this identity's `sha256`)."""
        if self._read is None:
            self._read = self.path.open("rb")
        self._read.seek(offset)
        try:
            entry = json.loads(self._read.readline())
        except json.JSONDecodeError:
            entry = {}
        if entry.get("model") != self.identity or (sha256 is not None and entry.get("sha256") != sha256):
            logger.warning("%s: the entry at byte %d is not the one indexed; redoing it", self.path, offset)
            return None
        result = entry["result"]
        result["source"] = source
        return result

    def add(self, sha256: str, result: dict[str, Any]) -> None:
        if self._append is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._append = self.path.open("ab")
        self._append.seek(0, os.SEEK_END)
        if self._append.tell() > 0 and not self._ends_with_newline():
            self._append.write(b"\n")
        offset = self._append.tell()
        line = result_to_line({"sha256": sha256, "model": self.identity, "result": result})
        self._append.write(line.encode("utf-8"))
        self._append.flush()
        self.index[sha256] = offset

    def _ends_with_newline(self) -> bool:
        with self.path.open("rb") as handle:
            handle.seek(-1, os.SEEK_END)
            return handle.read(1) == b"\n"

    def close(self) -> None:
        for handle in (self._append, self._read):
            if handle is not None:
                handle.close()
        self._append = self._read = None


@contextlib.contextmanager
def state_lock(state: Path) -> Iterator[None]:
    """Hold the lock of a state file (`STATE.lock`, via `filelock`) for a whole run; wait for another run.

    Two runs writing one state would each index offsets the other moves; serialising them is the
    only way both get right results. The wait is announced once on the log (WARNING).
    """
    from filelock import FileLock, Timeout

    lock = FileLock(str(state) + LOCK_SUFFIX)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        logger.warning("another gia run is using %s; waiting for it to finish", state)
        lock.acquire()
    except OSError as exc:
        raise UserError(f"cannot lock {state}{LOCK_SUFFIX}: {exc.strerror or exc}") from exc
    try:
        yield
    finally:
        lock.release()


# ------------------------------------------------------------------------------------------- outputs


def check_output(output: Path, fmt: str) -> None:
    """Refuse an output we could not write, before any report is predicted (`UserError`, naming it).

    The output, its records table and its state must not be directories or symbolic links (outputs
    are replaced by an atomic rename, which would replace the link itself: give the real path); the
    folder must exist or be creatable, and be writable.
    """
    targets = [output, state_path(output)] + ([records_path(output)] if fmt != "jsonl" else [])
    for target in targets:
        if target.is_symlink():
            raise UserError(
                f"{target} is a symbolic link; outputs are written by renaming a finished file over "
                "the path, which would replace the link: give the real path instead"
            )
        if target.is_dir():
            raise UserError(f"{target} is a directory; give a file name, e.g. {target / 'predictions.jsonl'}")
    folder = output.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        raise UserError(f"cannot write the output in {folder}: {exc.strerror or exc}") from exc


def remove_stale_temp_files(output: Path, jsonl_target: Path) -> None:
    """Delete temp files that killed runs left next to these outputs (we hold the state lock)."""
    for target in {output, records_path(output), jsonl_target, state_path(output)}:
        for tmp in target.parent.glob(f".{target.name}.*.tmp"):
            with contextlib.suppress(OSError):
                tmp.unlink()
    if jsonl_target != output:
        with contextlib.suppress(OSError):
            jsonl_target.unlink()


@contextlib.contextmanager
def terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM raises `KeyboardInterrupt` in the block (main thread only), so cleanup runs as for Ctrl-C."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def on_term(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, on_term)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


# --------------------------------------------------------------------------------------------- workers

_WORKER_TAGGER: Tagger | None = None
_WORKER_LOAD_ERROR: str | None = None
PARENT_POLL_SECONDS = 1.0


class TaggerLoadError(Exception):
    """The tagger could not be loaded in a worker: fatal for the run, reported once."""


def exit_when_parent_dies(parent: int, poll_seconds: float = PARENT_POLL_SECONDS) -> None:
    """Start a daemon thread that ends this (worker) process once `parent` is gone (even `kill -9`).

    The parent's pid is passed in, not read here: a parent killed while this worker was still
    starting would otherwise already be replaced by init, and the worker would never notice.
    """

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(poll_seconds)
        os._exit(1)

    threading.Thread(target=watch, name="gia-parent-watch", daemon=True).start()


def _init_worker(spec: TaggerSpec, torch_threads: int, parent: int) -> None:
    global _WORKER_TAGGER, _WORKER_LOAD_ERROR
    exit_when_parent_dies(parent)
    set_thread_env(torch_threads)
    try:
        _WORKER_TAGGER = load_tagger_from_spec(spec)
    except Exception as exc:  # reported once by the parent, not as "worker died" per report
        _WORKER_LOAD_ERROR = describe(exc)


def _init_forked_worker(parent: int) -> None:
    """A forked worker: the tagger is the parent's (`_WORKER_TAGGER`, loaded before the fork)."""
    exit_when_parent_dies(parent)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the parent's handler raises KeyboardInterrupt


WARM_UP_FILE = DATA_DIR / "warm_up.txt"
"""Two short invented reports (a 2019-template one, an old one; separated by a form feed) a forking
parent predicts before the fork, so the workers inherit the regular expressions, lexicons and
matchers that first use builds (the results are thrown away)."""


START_METHOD_ENV = "GIA_START_METHOD"


def pool_start_method(torch_threads: int) -> str:
    """`fork` where the parent can load the tagger once for every worker, else `spawn`.

    Forking a loaded parent spares each worker ~3 s of imports and loading (torch, spaCy, the
    tagger) on a 2-core machine. It needs Linux (macOS frameworks are not fork-safe) and a torch
    without thread pools to inherit: not imported before the run (we then import it with one
    intra-op thread, `set_thread_env`) and one thread per worker. `GIA_START_METHOD=fork|spawn`
    overrides the choice (a way around a platform where forking misbehaves; benchmarks).
    """
    forced = os.environ.get(START_METHOD_ENV, "")
    if forced in ("fork", "spawn"):
        return forced
    if sys.platform != "linux" or torch_threads != 1 or "torch" in sys.modules:
        return "spawn"
    return "fork"


def _worker_ready() -> None:
    """A no-op task: submitting one per worker makes the pool start its processes at once."""


def _predict_in_worker(items: list[WorkItem]) -> tuple[list[dict[str, Any]], WorkStats]:
    if _WORKER_TAGGER is None:
        raise TaggerLoadError(_WORKER_LOAD_ERROR or "worker initializer did not run")
    return predict_items(items, _WORKER_TAGGER)


def load_tagger_or_fail(spec: TaggerSpec) -> Tagger:
    """`load_tagger_from_spec`, with any failure turned into one `UserError` naming the tagger."""
    try:
        return load_tagger_from_spec(spec)
    except GiaError:
        raise
    except Exception as exc:
        raise UserError(f"cannot load the {spec.kind} tagger ({spec.model_dir}): {describe(exc)}") from exc


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
CHUNKS_PER_WORKER = 4
"""A run smaller than the look-ahead is cut into this many batches per worker: small batches balance
the workers' load, and tagging 2–4 reports at once still fills the model's batches."""
MAX_POOL_BREAKS = 3
ProgressCallback = Callable[[str, str], None]
"""Called once per report with (status, source); status is `ok`, `failed` or `skipped`."""


class OutputSink:
    """Writes objects, in order, to the temp JSON Lines file, the state, and the summary."""

    def __init__(
        self, handle, store: StateStore, summary: Summary, progress: ProgressCallback | None
    ) -> None:
        self.handle = handle
        self.store = store
        self.summary = summary
        self.progress = progress

    def emit(self, obj: dict[str, Any], *, stored: bool = False) -> None:
        """Write one object; `stored` = it came from the resume state (a success is then "skipped").

        Successes and input errors (the file's own fault) are stored under the sha256 of the bytes
        that were actually read (`meta.sha256`); internal and environment errors are not, so a
        rerun retries them.
        """
        input_error = obj.pop(INPUT_ERROR_KEY, False)
        self.handle.write(result_to_line(obj))
        sha256 = (obj.get("meta") or {}).get("sha256")
        failed = obj.get("error") is not None
        if failed:
            self.summary.failed += 1
            if len(self.summary.failures) < MAX_LISTED_FAILURES:
                self.summary.failures.append((obj["source"], obj["error"]))
        elif stored:
            self.summary.skipped += 1
        else:
            self.summary.ok += 1
        if sha256 and not stored and (input_error or not failed):
            self.store.add(sha256, obj)
        if self.progress is not None:
            self.progress("failed" if failed else "skipped" if stored else "ok", obj["source"])


@dataclass
class Slot:
    """One input in output order: a finished object, or a place in a batch to predict."""

    source: str
    sha256: str | None = None
    obj: dict[str, Any] | None = None
    stored: bool = False
    batch: Batch | None = None
    index: int = 0
    size: int = 0
    """About the characters of text it holds (`text_size_estimate`), to balance a small run's batches."""


@dataclass
class Batch:
    items: list[WorkItem]
    future: Future | None = None
    results: list[dict[str, Any]] | None = None


def classify(entry: Path | InputProblem, store: StateStore, force: bool) -> Slot:
    """Hash an input and decide: stored result (skip), refused up front (error), or to predict.

    Only regular files are opened (non-blocking), so pipes, devices and link loops become error
    objects at once and nothing here can hang.
    """
    if isinstance(entry, InputProblem):
        return Slot(entry.source, obj=error_object(entry.source, entry.reason))
    source = str(entry)
    try:
        info = os.stat(entry)
    except OSError as exc:
        return Slot(source, obj=error_object(source, f"cannot open: {exc.strerror or exc}"))
    if not stat.S_ISREG(info.st_mode):
        return Slot(source, obj=error_object(source, f"not a regular file ({file_kind(info.st_mode)})"))
    if info.st_size > MAX_FILE_BYTES:
        reason = f"too large: {info.st_size:,} bytes (limit {MAX_FILE_BYTES:,})"
        return Slot(source, obj=error_object(source, reason))
    try:
        sha = file_sha256(entry)
    except ReadError as exc:
        return Slot(source, obj=error_object(source, exc.problem))
    stored = None if force else store.get(sha, source)
    if stored is not None:
        return Slot(source, sha256=sha, obj=stored, stored=True)
    return Slot(source, sha256=sha, size=text_size_estimate(entry, info.st_size))


def run_batch(
    paths: Iterable[str | Path],
    options: BatchOptions,
    *,
    progress: ProgressCallback | None = None,
) -> Summary:
    """Predict every report under `paths` into `options.output`; see the module docstring.

    Raises `UserError` (bad option, unusable output path, broken model), `KeyboardInterrupt` on
    Ctrl-C or SIGTERM (finished reports stay in the state; the output is left as it was).
    """
    started = time.perf_counter()
    output = Path(options.output)
    fmt = format_from_path(output, options.fmt)
    _check_options(options)
    check_output(output, fmt)
    identity = tagger_identity(options.tagger)
    summary = Summary()
    jsonl_target = output if fmt == "jsonl" else output.with_name(f".{output.name}.jsonl")
    # Outputs may sit inside an input directory: never read them back.
    inputs = iter_report_paths(paths, exclude=[output, state_path(output)])
    with terminate_as_interrupt(), state_lock(state_path(output)):
        remove_stale_temp_files(output, jsonl_target)
        store = StateStore(state_path(output), identity)
        try:
            with atomic_path(jsonl_target) as tmp, tmp.open("w", encoding="utf-8") as handle:
                sink = OutputSink(handle, store, summary, progress)
                if options.engine == "ray":
                    _run_ray(inputs, options, sink)
                else:
                    _run_local(inputs, options, sink)
            summary.outputs = _write_tables(jsonl_target, output, fmt)
        finally:
            store.close()
    summary.seconds = time.perf_counter() - started
    summary.peak_rss_parent_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return summary


def _check_options(options: BatchOptions) -> None:
    options.tagger.validate()
    if options.engine not in ("local", "ray"):
        raise UserError(f"unknown engine {options.engine!r}: use local or ray")
    if options.batch_size < 1 or options.workers < 0:
        raise UserError("--batch-size must be ≥ 1 and --workers ≥ 0")


def _write_tables(jsonl_target: Path, output: Path, fmt: str) -> list[Path]:
    if fmt == "jsonl":
        return [output]
    try:
        long_path = write_tables(jsonl_target, output, fmt)
    finally:
        jsonl_target.unlink(missing_ok=True)
    return [output, long_path] if long_path else [output]


def _run_ray(inputs: Iterator[Path | InputProblem], options: BatchOptions, sink: OutputSink) -> None:
    """Classify every input, predict the rest on Ray (`inference.ray_engine`), write in input order."""
    from inference.ray_engine import predict_on_ray

    slots = [classify(entry, sink.store, options.force) for entry in inputs]
    todo = [WorkItem(str(Path(s.source).resolve()), s.sha256 or "") for s in slots if s.obj is None]
    results = predict_on_ray(
        todo,
        options.tagger,
        workers=options.workers,
        batch_size=options.batch_size,
        torch_threads=options.torch_threads,
    )
    for slot in slots:
        if slot.obj is None:
            slot.obj, stats = next(results)
            sink.summary.work.add(stats)
            slot.obj["source"] = slot.source
        sink.emit(slot.obj, stored=slot.stored)
    for _ in results:  # let the generator finish (shuts Ray down)
        raise AssertionError("Ray returned more results than reports")


def _run_local(inputs: Iterator[Path | InputProblem], options: BatchOptions, sink: OutputSink) -> None:
    """In-process (`workers` 0 or 1) or on a process pool, with a bounded number of batches in flight."""
    scheduler = LocalScheduler(options, sink)
    try:
        for entry in inputs:
            scheduler.add(classify(entry, sink.store, options.force))
        scheduler.finish()
    except BaseException:
        scheduler.abort()
        raise
    scheduler.close()


BYTES_PER_CHAR = {".html": 25, ".htm": 25, ".pdf": 20, ".docx": 8, ".doc": 8, ".wps": 8}
"""Rough file bytes per character of text read, by suffix (markup, fonts, zip), for balancing only:
UTF-8 text is ~3 bytes per character of Chinese; the real portal's HTML pages ~28."""


def text_size_estimate(path: Path, size: int) -> int:
    """About how many characters of text a file of `size` bytes yields (a balancing weight, not a limit)."""
    return size // BYTES_PER_CHAR.get(path.suffix.lower(), 3)


def balanced_groups(slots: list[Slot], count: int, most: int) -> list[list[Slot]]:
    """Cut `slots` into about `count` groups of at most `most`, of even total `size`, biggest first.

    Longest-processing-time-first: each slot, largest first, joins the lightest group with room, so
    the pool's last batches are small and the workers finish together. Within a group, input
    order is kept.
    """
    count = max(count, -(-len(slots) // most))
    groups: list[list[int]] = [[] for _ in range(min(count, len(slots)))]
    loads = [0] * len(groups)
    for i in sorted(range(len(slots)), key=lambda i: -slots[i].size):
        open_groups = (g for g in range(len(groups)) if len(groups[g]) < most)
        g = min(open_groups, key=lambda g: (loads[g], len(groups[g])))
        groups[g].append(i)
        loads[g] += slots[i].size
    order = sorted(range(len(groups)), key=lambda g: -loads[g])
    return [[slots[i] for i in sorted(groups[g])] for g in order if groups[g]]


class LocalScheduler:
    """Schedules batches on the pool and writes results in input order (its state, in one place).

    A batch that finishes early waits (its results in memory) until the batches before it are
    written, so a slow batch never idles the other workers; the inputs waiting to be written are
    capped at `pending_limit`, beyond which we wait for the oldest batch.

    With several workers the first `lookahead` reports to predict (as many as `max_in_flight` full
    batches hold) are held before any batch is cut; the pool starts as soon as there are more than
    `workers` of them (spawned processes load the tagger meanwhile; a forking parent loads it
    first). A run that ends within them is small: it is cut into `CHUNKS_PER_WORKER` batches per
    worker of even estimated text, biggest first (`balanced_groups`), so the workers finish together
    (25 reports in batches of 8 left one worker idle for a whole batch), or, with at most `workers`
    reports, predicted in this process, which saves starting workers.
    """

    def __init__(self, options: BatchOptions, sink: OutputSink) -> None:
        self.options = options
        self.sink = sink
        self.max_in_flight = options.max_in_flight or max(2, 2 * options.workers)
        self.pending_limit = max(64, 4 * self.max_in_flight * options.batch_size)
        self.slots: deque[Slot] = deque()
        self.current = Batch([])
        self.running: dict[int, Batch] = {}  # id -> submitted batch whose result is not collected yet
        self.breaks = 0  # consecutive pool breaks without a finished batch in between
        self.executor: ProcessPoolExecutor | None = None
        self.tagger: Tagger | None = None
        self.forked = False
        """The pool forks this process once it has loaded the tagger (`pool_start_method`)."""
        self.in_process = options.workers <= 1
        self.held: list[Slot] | None = [] if options.workers > 1 else None
        self.lookahead = self.max_in_flight * options.batch_size
        """Slots to predict not yet cut into batches while the run may still be small (None after)."""

    def add(self, slot: Slot) -> None:
        self.slots.append(slot)
        if slot.obj is None and self.held is not None:
            self.hold(slot)
        elif slot.obj is None:
            self.assign(slot)
        if self.held and len(self.slots) > self.pending_limit:
            self.release_held()  # many resumed results wait behind the held reports: predict them now
        self.pump(final=False)

    def hold(self, slot: Slot) -> None:
        """Keep `slot` unbatched; start the pool once it will be used, batch normally past the look-ahead."""
        assert self.held is not None
        self.held.append(slot)
        if len(self.held) > self.options.workers:
            self.start_pool()
        if len(self.held) >= self.lookahead:
            self.release_held()

    def release_held(self) -> None:
        """Stop holding: the held slots go into batches of `batch_size` (the last one submitted too)."""
        held, self.held = self.held or [], None
        for waiting in held:
            self.assign(waiting)
        if self.current.items:
            self.submit(self.current)
            self.current = Batch([])

    def assign(self, slot: Slot) -> None:
        """Put `slot` in the current batch; submit it when full (or when many slots wait behind it)."""
        slot.batch, slot.index = self.current, len(self.current.items)
        self.current.items.append(WorkItem(slot.source, slot.sha256 or ""))
        # A part-filled batch holds back every slot behind it: submit it early if many are waiting.
        items = self.current.items
        if len(items) >= self.options.batch_size or len(self.slots) > self.pending_limit:
            self.submit(self.current)
            self.current = Batch([])

    def finish(self) -> None:
        if self.held:
            self.cut_small_run(self.held)
        self.held = None
        if self.current.items:
            self.submit(self.current)
        self.pump(final=True)
        assert not self.slots, "every input must have been written"

    def cut_small_run(self, held: list[Slot]) -> None:
        """Batches for a run that ended within the look-ahead (see the class docstring)."""
        workers = self.options.workers
        if len(held) <= workers and self.executor is None:
            self.in_process = True
            groups = [held]
        else:
            groups = balanced_groups(held, CHUNKS_PER_WORKER * workers, self.options.batch_size)
        for group in groups:
            batch = Batch([])
            for slot in group:
                slot.batch, slot.index = batch, len(batch.items)
                batch.items.append(WorkItem(slot.source, slot.sha256 or ""))
            self.submit(batch)
            self.pump(final=False)  # keeps at most `max_in_flight` batches submitted

    def start_pool(self) -> None:
        """Start the worker processes now: forked once this process has loaded the tagger, or
        spawned, loading it while we hash the other inputs (`pool_start_method`)."""
        if self.executor is not None:
            return
        threads = self.options.torch_threads
        if self.forked or pool_start_method(threads) == "fork":
            self._load_before_fork()
            initializer, initargs = _init_forked_worker, (os.getpid(),)
        else:
            initializer, initargs = _init_worker, (self.options.tagger, threads, os.getpid())
        method = "fork" if self.forked else "spawn"
        logger.info("starting %d worker processes (%s)", self.options.workers, method)
        self.executor = ProcessPoolExecutor(
            max_workers=self.options.workers,
            mp_context=multiprocessing.get_context(method),
            initializer=initializer,
            initargs=initargs,
        )
        # The pool starts a process per task submitted while none is idle: one no-op task each.
        for _ in range(self.options.workers):
            self.executor.submit(_worker_ready)

    def _load_before_fork(self) -> None:
        """Load the tagger here (one thread per worker) and warm it up; the forked workers share it."""
        global _WORKER_TAGGER
        if self.tagger is None:
            set_thread_env(self.options.torch_threads)
            self.tagger = load_tagger_or_fail(self.options.tagger)
            texts = WARM_UP_FILE.read_text(encoding="utf-8").split("\f")
            predict_raw([RawReport(str(WARM_UP_FILE), text, "utf-8", "text") for text in texts], self.tagger)
        _WORKER_TAGGER = self.tagger
        # Python's advice for forking servers (`gc.freeze`): the workers' collections then skip the
        # inherited objects, which also keeps those pages shared instead of copied.
        gc.freeze()
        self.forked = True

    def submit(self, batch: Batch) -> None:
        if self.in_process:
            if self.tagger is None:
                self.tagger = load_tagger_or_fail(self.options.tagger)
            batch.results = self._collect(predict_items(batch.items, self.tagger))
            return
        self.start_pool()
        assert self.executor is not None
        batch.future = self.executor.submit(_predict_in_worker, batch.items)
        self.running[id(batch)] = batch

    def _collect(self, outcome: tuple[list[dict[str, Any]], WorkStats]) -> list[dict[str, Any]]:
        objs, stats = outcome
        self.sink.summary.work.add(stats)
        return objs

    def resolve(self, batch: Batch) -> None:
        """Collect a submitted batch's results (waiting if needed); failures become error objects."""
        assert batch.future is not None
        try:
            batch.results = self._collect(batch.future.result())
            self.breaks = 0
        except TaggerLoadError as exc:
            raise UserError(f"cannot load the {self.options.tagger.kind} tagger: {exc}") from None
        except BrokenProcessPool as exc:
            self._pool_broke(batch, exc)
        except Exception as exc:
            logger.error("batch failed: %s", describe(exc))
            reason = f"internal error: {describe(exc)}"
            batch.results = [error_object(i.source, reason, i.sha256) for i in batch.items]
        self.running.pop(id(batch), None)

    def _pool_broke(self, batch: Batch, exc: BrokenProcessPool) -> None:
        """A worker died (killed, out of memory, crashed in native code): the whole pool is gone."""
        logger.error("a worker process died: %s", exc)
        self.breaks += 1
        if self.breaks >= MAX_POOL_BREAKS:
            raise GiaError(
                f"worker processes died {self.breaks} times in a row ({exc}); "
                "rerun with --workers 1 to see the error in this process"
            ) from exc
        reason = "worker process died while predicting"
        batch.results = [error_object(i.source, reason, i.sha256) for i in batch.items]
        self.running.pop(id(batch), None)
        if self.executor is not None:
            self.executor.shutdown(wait=False, cancel_futures=True)
        self.executor = None
        for other in list(self.running.values()):  # their futures died with the pool
            self.running.pop(id(other))
            self.submit(other)

    def emit_ready(self) -> None:
        """Write slots from the front while they are finished."""
        while self.slots:
            slot = self.slots[0]
            batch = slot.batch
            if batch is None and slot.obj is None:
                return  # held, not in a batch yet
            if batch is not None and batch.results is None:
                if batch.future is None or not batch.future.done():
                    return
                self.resolve(batch)
            self.slots.popleft()
            if batch is None:
                self.sink.emit(slot.obj, stored=slot.stored)
            else:
                obj = batch.results[slot.index]
                obj["source"] = slot.source
                self.sink.emit(obj)

    def pump(self, *, final: bool) -> None:
        """Write what is ready; wait while the pool is full, the backlog too long, or (final) until done."""
        while True:
            self.emit_ready()
            if not self.slots:
                return
            head = self.slots[0].batch
            if head is None:
                return  # held: finish() cuts the batches
            assert head.results is None
            if final or (len(self.slots) > self.pending_limit and head.future is not None):
                self.resolve(head)
            elif len(self.running) >= self.max_in_flight:
                done, _ = wait([b.future for b in self.running.values()], return_when=FIRST_COMPLETED)
                for batch in [b for b in self.running.values() if b.future in done]:
                    if batch.results is None:
                        self.resolve(batch)
            else:
                return

    def close(self) -> None:
        """End the workers once every result is in: they hold nothing, so they are stopped rather
        than left to tear down torch and spaCy (~0.7 s of a short run's wall time)."""
        assert not self.running, "close() after finish(): every batch has been collected"
        self.abort()

    def abort(self) -> None:
        """Stop now (Ctrl-C, SIGTERM, a fatal error): cancel queued batches, end the workers."""
        if self.executor is None:
            return
        processes = list((getattr(self.executor, "_processes", None) or {}).values())
        self.executor.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            with contextlib.suppress(Exception):
                process.terminate()
        for process in processes:
            with contextlib.suppress(Exception):
                process.join(timeout=5)
        self.executor = None


__all__ = [
    "BatchOptions",
    "InputProblem",
    "MAX_FILE_BYTES",
    "MAX_TEXT_CHARS",
    "NoSpansTagger",
    "StateStore",
    "Summary",
    "TaggerSpec",
    "WorkItem",
    "WorkStats",
    "check_output",
    "count_report_paths",
    "error_object",
    "file_sha256",
    "iter_report_paths",
    "load_tagger_from_spec",
    "predict_items",
    "run_batch",
    "state_path",
    "tagger_identity",
]
