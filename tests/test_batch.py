from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gia.cli import app
from inference.batch import (
    MAX_FILE_BYTES,
    MAX_TEXT_CHARS,
    BatchOptions,
    StateStore,
    TaggerSpec,
    WorkItem,
    file_sha256,
    iter_report_paths,
    predict_items,
    run_batch,
    state_path,
    tagger_identity,
)
from inference.errors import UserError
from inference.taggers import NoSpansTagger
from training.synth import write_corpus

NONE = TaggerSpec(kind="none")
RULES = TaggerSpec(kind="rules")

# file name -> (bytes, words the error reason must contain)
BAD_FILES: dict[str, tuple[bytes, str]] = {
    "bad_empty.txt": (b"", "empty"),
    "bad_blank.txt": (b"  \n\t \n", "empty"),
    "bad_binary.txt": (bytes(range(256)) * 40, "binary"),
    "bad_truncated.html": (
        "<html><body><p>政府信息公开工作年度报告</p><table><tr><td>收到申请</td><td>12".encode(),
        "truncated HTML",
    ),
    "bad_no_numbers.txt": ("本机关高度重视政府信息公开工作，认真贯彻落实条例。".encode(), "no numbers"),
    "bad_not_a_report.txt": ("今日股市上涨，沪指收于3050点，成交额8000亿元。".encode(), "not a government"),
    "bad_too_long.txt": (("政府信息公开1件。" * (MAX_TEXT_CHARS // 9 + 10)).encode(), "too large"),
    "bad_huge.txt": (b"1" * (MAX_FILE_BYTES + 1), "too large"),
    "bad_scanned.pdf": (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF", ""),
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """30 generated reports (every layout and script) mixed with the bad files."""
    root = tmp_path_factory.mktemp("corpus")
    write_corpus(30, root / "synth", seed=7)
    reports = root / "reports"
    shutil.move(root / "synth" / "reports", reports)
    for name, (data, _) in BAD_FILES.items():
        (reports / name).write_bytes(data)
    return reports


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _good(objs: list[dict]) -> list[dict]:
    return [o for o in objs if "error" not in o]


def test_batch_acceptance_bad_files_resume_and_force(corpus, tmp_path):
    """The issue's acceptance, small: every input once, right summary, rerun skips, edits redone."""
    reports = tmp_path / "reports"
    shutil.copytree(corpus, reports)
    out = tmp_path / "out" / "p.jsonl"
    # The pool is under test here, not the tagger (test_batch_cli_* runs the rule tagger).
    options = BatchOptions(output=out, tagger=NONE, workers=2, batch_size=4)
    n_inputs = len(list(reports.iterdir()))

    first = run_batch([reports], options)
    objs = _lines(out)
    assert (first.ok, first.failed, first.skipped) == (30, len(BAD_FILES), 0)
    assert sorted(o["source"] for o in objs) == sorted(str(p) for p in reports.iterdir())
    assert len(objs) == n_inputs
    reasons = {Path(o["source"]).name: o["error"] for o in objs if "error" in o}
    for name, (_, words) in BAD_FILES.items():
        assert words in reasons[name], (name, reasons[name])
    assert all(o["fields"] == {} for o in objs if "error" in o)
    assert first.work.busy_seconds > 0 and first.work.peak_rss_kb > 0

    options = BatchOptions(output=out, tagger=NONE, workers=1)  # same identity; no pool start-up
    started = time.perf_counter()
    again = run_batch([reports], options)
    assert time.perf_counter() - started < 10
    assert (again.ok, again.failed, again.skipped) == (0, len(BAD_FILES), 30)
    assert again.work.reports == 0, "bad files are remembered by content hash, not read again"
    assert sorted(again.failures) == sorted(first.failures)
    assert _good(_lines(out)) == _good(objs)

    # A renamed report is not redone (same bytes); an edited one is.
    victim = sorted(reports.glob("synth_*.txt"))[0]
    victim.rename(victim.with_name("renamed.txt"))
    edited = sorted(reports.glob("synth_*.txt"))[0]
    edited.write_text(edited.read_text(encoding="utf-8") + "\n补充说明：无。\n", encoding="utf-8")
    third = run_batch([reports], options)
    assert (third.ok, third.skipped) == (1, 29)
    sources = [o["source"] for o in _good(_lines(out))]
    assert str(reports / "renamed.txt") in sources and str(victim) not in sources

    forced = run_batch([reports], BatchOptions(output=out, tagger=NONE, workers=1, force=True))
    assert (forced.ok, forced.skipped) == (30, 0)


def test_batch_output_follows_input_order(corpus, tmp_path):
    out = tmp_path / "p.jsonl"
    run_batch([corpus], BatchOptions(output=out, tagger=NONE, workers=1, batch_size=3))
    assert [o["source"] for o in _lines(out)] == [str(p) for p in iter_report_paths([corpus])]


def test_batch_interrupted_run_keeps_output_and_finished_reports(corpus, tmp_path):
    out = tmp_path / "p.jsonl"
    out.write_text("previous output\n")
    seen = []

    def stop_after_ten(status: str, source: str) -> None:
        seen.append(source)
        if len(seen) == 10:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_batch(
            [corpus], BatchOptions(output=out, tagger=NONE, workers=1, batch_size=2), progress=stop_after_ten
        )
    assert out.read_text() == "previous output\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.jsonl", "p.state.jsonl", "p.state.jsonl.lock"]
    done = sum(1 for o in seen if "bad_" not in o)
    summary = run_batch([corpus], BatchOptions(output=out, tagger=NONE, workers=1))
    assert summary.skipped == done > 0
    assert summary.ok + summary.skipped == 30


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_batch_tables_next_to_each_other(corpus, tmp_path, fmt):
    out = tmp_path / f"p.{fmt}"
    summary = run_batch([corpus], BatchOptions(output=out, tagger=NONE, workers=1))
    assert summary.outputs == [out, tmp_path / f"p.records.{fmt}"]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [f"p.{fmt}", f"p.records.{fmt}", "p.state.jsonl", "p.state.jsonl.lock"]
    )


def test_batch_state_ignores_a_torn_last_line(tmp_path):
    state = tmp_path / "p.state.jsonl"
    store = StateStore(state, "id-1")
    store.add("aaa", {"source": "a.txt", "fields": {"x": 1}})
    store.close()
    with state.open("ab") as handle:
        handle.write(b'{"sha256": "bbb", "model": "id-1", "res')
    store = StateStore(state, "id-1")
    assert set(store.index) == {"aaa"}
    store.add("ccc", {"source": "c.txt", "fields": {}})
    store.close()
    store = StateStore(state, "id-1")
    assert set(store.index) == {"aaa", "ccc"}
    assert store.read(store.lookup("aaa"), "moved.txt") == {"source": "moved.txt", "fields": {"x": 1}}
    assert StateStore(state, "another-model").index == {}
    store.close()


def test_batch_state_path_is_a_sidecar_of_the_output():
    assert state_path("out/p.jsonl") == Path("out/p.state.jsonl")
    assert state_path("out/p.csv") == Path("out/p.state.jsonl")


def test_batch_identity_follows_the_model_files(tmp_path):
    model = tmp_path / "model"
    model.mkdir()
    (model / "model.safetensors").write_bytes(b"weights-1")
    spec = TaggerSpec(kind="model", model_dir=model)
    first = tagger_identity(spec)
    assert first == tagger_identity(spec)
    (model / "model.safetensors").write_bytes(b"weights-2")
    assert tagger_identity(spec) != first
    assert tagger_identity(RULES) != tagger_identity(NONE)


def test_batch_missing_model_suggests_rules(tmp_path):
    with pytest.raises(UserError, match="--tagger rules"):
        TaggerSpec(kind="model", model_dir=tmp_path / "nope").validate()
    (tmp_path / "pickled").mkdir()
    (tmp_path / "pickled" / "pytorch_model.bin").write_bytes(b"")
    with pytest.raises(UserError, match="safetensors"):
        TaggerSpec(kind="model", model_dir=tmp_path / "pickled").validate()


def test_batch_predict_items_keeps_going_when_assembly_fails(corpus, monkeypatch):
    """An internal error on one report becomes that report's error record, not a stopped batch."""
    import inference.pipeline as batch

    paths = sorted(corpus.glob("synth_*.txt"))[:3]
    real_extract = batch.extract

    def extract_failing_on_second(raw, spans, doc, *more):
        if raw.source == str(paths[1]):
            raise ValueError("boom")
        return real_extract(raw, spans, doc, *more)

    monkeypatch.setattr(batch, "extract", extract_failing_on_second)

    objs, stats = predict_items([WorkItem(str(p), file_sha256(p)) for p in paths], NoSpansTagger())
    assert [o.get("error") is None for o in objs] == [True, False, True]
    assert "internal error while assembling: ValueError: boom" in objs[1]["error"]
    assert stats.reports == 3


def test_batch_cli_summary_and_strict_exit_code(corpus, tmp_path):
    runner = CliRunner()
    files = [str(p) for p in sorted(corpus.glob("synth_*.txt"))[:2]] + [str(corpus / "bad_empty.txt")]
    out = str(tmp_path / "p.jsonl")
    args = ["predict", *files, "-o", out, "--tagger", "rules", "--workers", "1", "-q"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "2 ok, 1 failed, 0 skipped" in result.output
    assert "bad_empty.txt: file is empty" in result.output
    objs = _lines(Path(out))
    assert all(o["fields"] for o in objs[:2]), "the rule tagger finds fields in generated reports"
    strict = runner.invoke(app, [*args, "--strict"])
    assert strict.exit_code == 1
    assert "0 ok, 1 failed, 2 skipped" in strict.output


def test_batch_cli_no_inputs_missing_paths_duplicates_and_all_failed(corpus, tmp_path):
    """A folder without reports is an error (exit 2); a missing path is an error record of its
    own and the batch goes on; a file named twice is predicted once; exit 1 when every input failed."""
    runner = CliRunner()
    (tmp_path / "empty").mkdir()
    out = str(tmp_path / "p.jsonl")
    none = runner.invoke(app, ["predict", str(tmp_path / "empty"), "-o", out, "--tagger", "rules", "-q"])
    assert none.exit_code == 2 and "no report files in" in none.output
    good = str(sorted(corpus.glob("synth_*.txt"))[0])
    again = str(Path(good).parent / "." / Path(good).name)
    args = ["predict", good, str(tmp_path / "absent.txt"), again, "-o", out, "--tagger", "rules", "-q"]
    mixed = runner.invoke(app, [*args, "--workers", "1"])
    assert mixed.exit_code == 0, mixed.output
    objs = _lines(Path(out))
    assert [o["source"] for o in objs] == [good, str(tmp_path / "absent.txt")]
    assert objs[1]["error"] == "no such file or directory" and objs[0]["fields"]
    failed = runner.invoke(
        app, ["predict", str(corpus / "bad_empty.txt"), "-o", str(tmp_path / "f.jsonl"), "-q"]
    )
    assert failed.exit_code == 1 and "0 ok, 1 failed" in failed.output


def test_batch_cli_default_model_missing_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(
        app, ["predict", str(tmp_path), "-o", str(tmp_path / "p.jsonl"), "--model", str(tmp_path / "none")]
    )
    assert result.exit_code == 2
    assert "--tagger rules" in result.output


def test_batch_never_reads_its_own_outputs(corpus, tmp_path):
    reports = tmp_path / "reports"
    shutil.copytree(corpus, reports)
    out = reports / "p.jsonl"
    first = run_batch([reports], BatchOptions(output=out, tagger=NONE, workers=1))
    second = run_batch([reports], BatchOptions(output=out, tagger=NONE, workers=1))
    assert first.total == second.total == 30 + len(BAD_FILES)
    assert os.path.exists(out)


def test_batch_a_report_that_takes_too_long_becomes_an_error(corpus, monkeypatch):
    import inference.pipeline as batch

    paths = sorted(corpus.glob("synth_*.txt"))[:2]
    real_extract = batch.extract

    def extract_stuck_on_first(raw, spans, doc, *more):
        while raw.source == str(paths[0]):
            pass
        return real_extract(raw, spans, doc, *more)

    monkeypatch.setattr(batch, "extract", extract_stuck_on_first)
    monkeypatch.setattr(batch, "REPORT_SECONDS", 0.5)
    objs, _ = predict_items([WorkItem(str(p), file_sha256(p)) for p in paths], NoSpansTagger())
    assert objs[0]["error"] == "timed out: assembling took more than 0.5 s"
    assert objs[1].get("error") is None


def _scheduled(workers: int, batch_size: int, n: int, tmp_path: Path) -> tuple[list[int], bool, list[str]]:
    """Feed `n` reports to a `LocalScheduler`; record the batches it cuts instead of predicting them."""
    import io

    from inference.batch import LocalScheduler, OutputSink, Slot, StateStore, Summary

    options = BatchOptions(output=tmp_path / "p.jsonl", workers=workers, batch_size=batch_size)
    handle = io.StringIO()
    sink = OutputSink(handle, StateStore(tmp_path / "p.state.jsonl", "test"), Summary(), None)
    scheduler = LocalScheduler(options, sink)
    sizes: list[int] = []
    pool: list[bool] = []

    def submit(batch) -> None:  # noqa: ANN001 - a Batch
        sizes.append(len(batch.items))
        batch.results = [{"source": item.source, "fields": {}} for item in batch.items]

    scheduler.submit = submit
    scheduler.start_pool = lambda: pool.append(True)
    for i in range(n):
        scheduler.add(Slot(f"r{i:03d}.txt", sha256=f"{i:064x}"))
    scheduler.finish()
    written = [json.loads(line)["source"] for line in handle.getvalue().splitlines()]
    return sizes, bool(pool) or scheduler.executor is not None, written


def test_balanced_groups_put_big_reports_first_and_even_the_load():
    from inference.batch import Slot, balanced_groups

    sizes = [900, 100, 100, 100, 400, 100, 100, 500]
    slots = [Slot(f"r{i}", size=size) for i, size in enumerate(sizes)]
    groups = balanced_groups(slots, 4, 8)
    loads = [sum(slot.size for slot in group) for group in groups]
    assert loads == sorted(loads, reverse=True) and loads[0] == 900  # the biggest batch goes first
    assert max(loads) - min(loads) <= 100 or loads[0] == 900
    assert sorted(slot.source for group in groups for slot in group) == sorted(s.source for s in slots)
    for group in groups:  # input order kept inside a batch
        assert [slot.source for slot in group] == sorted(slot.source for slot in group)
    assert all(len(group) <= 2 for group in balanced_groups(slots, 1, 2))  # never more than `most`


def test_text_size_estimate_weighs_markup():
    from inference.batch import text_size_estimate

    assert text_size_estimate(Path("a.html"), 25_000) < text_size_estimate(Path("a.txt"), 3_000) * 2


@pytest.mark.parametrize(
    "workers,batch_size,n,sizes,pool",
    [
        (2, 8, 25, [4, 3, 3, 3, 3, 3, 3, 3], True),  # small run: 4 batches per worker, balanced
        (2, 8, 2, [2], False),  # no more reports than workers: in this process
        (2, 8, 3, [1, 1, 1], True),
        (2, 8, 40, [8, 8, 8, 8, 8], True),  # past the look-ahead (4 batches): batches of batch_size
        (2, 8, 32, [8, 8, 8, 8], True),
        (1, 8, 10, [8, 2], False),
    ],
)
def test_batch_small_runs_are_cut_for_the_workers(tmp_path, workers, batch_size, n, sizes, pool):
    got_sizes, got_pool, written = _scheduled(workers, batch_size, n, tmp_path)
    assert got_sizes == sizes and sum(got_sizes) == n
    assert got_pool == pool
    assert written == [f"r{i:03d}.txt" for i in range(n)]


def test_pool_forks_only_a_parent_without_torch_thread_pools(monkeypatch):
    import sys

    from inference.batch import START_METHOD_ENV, pool_start_method

    monkeypatch.delenv(START_METHOD_ENV, raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.delitem(sys.modules, "torch", raising=False)
    assert pool_start_method(1) == "fork"
    assert pool_start_method(2) == "spawn"  # the parent's warm-up would start threads the workers inherit
    monkeypatch.setitem(sys.modules, "torch", object())
    assert pool_start_method(1) == "spawn"  # imported before: it may hold a thread pool already
    monkeypatch.setattr(sys, "platform", "darwin")
    monkeypatch.delitem(sys.modules, "torch")
    assert pool_start_method(1) == "spawn"
    monkeypatch.setenv(START_METHOD_ENV, "fork")  # the user's choice stands
    assert pool_start_method(1) == "fork"
