"""One test per repro in shared/reliability/ (issue 14), plus a bounded fuzz test over hostile inputs.

The hostile inputs are built here from the seed reports (`tests/reliability_inputs.py`) as the
repro scripts build them; the two files that cannot be built are copied in tests/fixtures/reliability/.
Reading-level tests use the readers directly; batch-level ones run `run_batch` with the `none`
tagger (the pipeline around the tagger is under test, not the tagger).
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reliability_inputs import (
    FIXTURES,
    GBK_NAME,
    docx_bomb,
    hostile_tree,
    rowspan_page,
    seed_text,
    text_to_html,
    with_nul,
)
from typer.testing import CliRunner

from gia.cli import app
from inference import REPO_ROOT
from inference.batch import BatchOptions, InputProblem, StateStore, iter_report_paths, run_batch, state_path
from inference.errors import ReadError, UserError
from inference.pipeline import WorkItem, predict_items
from inference.read import SUPPORTED_SUFFIXES, read_report
from inference.taggers import NoSpansTagger, TaggerSpec
from inference.write import result_to_line

NONE = TaggerSpec("none")
SEEDS = REPO_ROOT / "annotations" / "seeds"


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _run(inputs: list[Path], out: Path, **options) -> tuple[list[dict], object]:
    summary = run_batch(inputs, BatchOptions(output=out, tagger=NONE, workers=1, **options))
    return _lines(out), summary


def _by_name(objs: list[dict]) -> dict[str, dict]:
    return {os.path.basename(o["source"]): o for o in objs}


# --- 01 file names that are not UTF-8 -------------------------------------------------------------


def test_reliability_01_non_utf8_file_name_round_trips(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(next(SEEDS.glob("002_*.txt")), folder / "a.txt")
    raw_name = os.path.join(os.fsencode(folder), GBK_NAME)
    with open(raw_name, "wb") as handle:
        handle.write(next(SEEDS.glob("000_*.txt")).read_bytes())
    out = tmp_path / "out" / "p.jsonl"
    objs, summary = _run([folder], out)
    assert (summary.ok, summary.failed) == (2, 0)
    assert os.fsencode(objs[1]["source"]) == raw_name, "the name's bytes come back from the JSON"
    again = run_batch([folder], BatchOptions(output=out, tagger=NONE, workers=1))
    assert again.skipped == 2 and os.fsencode(_lines(out)[1]["source"]) == raw_name
    run_batch([folder], BatchOptions(output=tmp_path / "out" / "p.csv", tagger=NONE, workers=1))
    assert "zz_\\xb1\\xa8\\xb8\\xe6.txt" in (tmp_path / "out" / "p.csv").read_text(encoding="utf-8")


# --- 02 links and loops, 04 pipes and devices, 11 unreadable folders ------------------------------


def test_reliability_02_04_links_loops_pipes_devices_give_one_error_each(tmp_path):
    folder = hostile_tree(tmp_path / "in")
    started = time.monotonic()
    objs, summary = _run([folder, Path("/dev/zero")], tmp_path / "out" / "p.jsonl")
    assert time.monotonic() - started < 120
    names = _by_name(objs)
    assert len(objs) == summary.total == len(list(iter_report_paths([folder]))) + 1
    assert "Too many levels of symbolic links" in names["self.txt"]["error"]
    assert "Too many levels of symbolic links" in names["loop_a.txt"]["error"]
    assert "No such file" in names["dangling.txt"]["error"]
    assert names["again"]["error"].startswith("symbolic link to a directory")
    assert names["pipe.txt"]["error"] == "not a regular file (named pipe)"
    assert names["zero"]["error"] == "not a regular file (character device)"


def test_reliability_02_a_linked_directory_named_on_the_command_line_is_walked(tmp_path):
    (tmp_path / "link").symlink_to(SEEDS)
    assert len(list(iter_report_paths([tmp_path / "link"]))) == len(list(SEEDS.glob("*.txt")))
    # a path that does not exist is an error record of its own, never the end of the batch
    assert list(iter_report_paths([tmp_path / "absent"])) == [
        InputProblem(str(tmp_path / "absent"), "no such file or directory")
    ]


def _can_drop_root() -> bool:
    return os.geteuid() != 0 or shutil.which("capsh") is not None


@pytest.mark.skipif(not _can_drop_root(), reason="as root, needs capsh to lose the right to read any folder")
def test_reliability_11_unreadable_folder_gets_an_error_record(tmp_path):
    folder = tmp_path / "in"
    (folder / "locked").mkdir(parents=True)
    shutil.copy(next(SEEDS.glob("000_*.txt")), folder / "a.txt")
    shutil.copy(next(SEEDS.glob("003_*.txt")), folder / "locked" / "b.txt")
    os.chmod(folder / "locked", 0)
    out = tmp_path / "out" / "p.jsonl"
    script = tmp_path / "run.py"
    script.write_text(
        "from inference.batch import BatchOptions, run_batch\nfrom inference.taggers import TaggerSpec\n"
        f"run_batch([{str(folder)!r}], BatchOptions(output={str(out)!r}, tagger=TaggerSpec('none'), "
        "workers=1))\n"
    )
    command = [sys.executable, str(script)]
    if os.geteuid() == 0:
        command = ["capsh", "--drop=cap_dac_override,cap_dac_read_search", "--", "-c", shlex.join(command)]
    try:
        subprocess.run(command, check=True, timeout=120, cwd=REPO_ROOT)
    finally:
        os.chmod(folder / "locked", 0o755)
    objs = _lines(out)
    assert [Path(o["source"]).name for o in objs] == ["a.txt", "locked"]
    assert objs[1]["error"] == "cannot list directory: Permission denied"


# --- 03 concurrent runs, duplicates --------------------------------------------------------------


def test_reliability_03_duplicate_inputs_get_their_own_content(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for prefix in ("000", "002", "003"):
        seed = next(SEEDS.glob(f"{prefix}_*.txt"))
        shutil.copy(seed, folder / f"a_{prefix}.txt")
        shutil.copy(seed, folder / f"z_copy_{prefix}.txt")
    out = tmp_path / "p.jsonl"
    for _ in range(2):  # the second run serves everything from the state
        objs = _by_name(_run([folder], out)[0])
        for prefix in ("000", "002", "003"):
            original, copy = objs[f"a_{prefix}.txt"], objs[f"z_copy_{prefix}.txt"]
            assert copy["meta"]["sha256"] == original["meta"]["sha256"]
            assert {**copy, "source": None} == {**original, "source": None}


def test_reliability_03_a_stale_offset_never_serves_another_report(tmp_path):
    store = StateStore(tmp_path / "p.state.jsonl", "id")
    store.add("aaa", {"source": "a.txt", "fields": {"x": 1}})
    store.add("bbb", {"source": "b.txt", "fields": {"x": 2}})
    store.index["bbb"] = store.index["aaa"]  # what a second writer's append used to cause
    assert store.get("bbb", "b.txt") is None
    assert store.get("aaa", "a.txt") == {"source": "a.txt", "fields": {"x": 1}}
    store.close()


def test_reliability_03_runs_sharing_a_state_are_serialised(tmp_path):
    """While one run holds the state's lock, a second run on the same state waits, then resumes."""
    from filelock import FileLock

    folder = tmp_path / "in"
    shutil.copytree(SEEDS, folder)
    lock = FileLock(str(state_path(tmp_path / "p.jsonl")) + ".lock")
    lock.acquire()
    done = threading.Event()
    options = BatchOptions(output=tmp_path / "p.csv", tagger=NONE, workers=1)
    thread = threading.Thread(target=lambda: (run_batch([folder], options), done.set()), daemon=True)
    thread.start()
    time.sleep(2)
    assert not done.is_set(), "the second run must wait for the lock"
    lock.release()
    thread.join(60)
    assert done.is_set()


def test_reliability_state_is_compacted(tmp_path, monkeypatch):
    import inference.batch as batch

    monkeypatch.setattr(batch, "COMPACT_MIN_BYTES", 1000)
    state = tmp_path / "p.state.jsonl"
    store = StateStore(state, "id")
    for _ in range(20):  # --force reruns append the same reports again
        for sha in ("aaa", "bbb"):
            store.add(sha, {"source": f"{sha}.txt", "fields": {"x": 1}, "pad": "x" * 100})
    store.close()
    before = state.stat().st_size
    store = StateStore(state, "id")
    assert state.stat().st_size < before / 10
    assert store.get("bbb", "b.txt")["pad"] == "x" * 100
    store.close()


# --- 05 zip bomb, 06 table expansion, 12 nesting: budgets -----------------------------------------


def test_reliability_05_docx_zip_bomb_refused_before_inflating(tmp_path):
    bomb = docx_bomb(tmp_path / "bomb.docx", 20)
    assert bomb.stat().st_size < 100_000
    started = time.monotonic()
    with pytest.raises(ReadError, match="too large: the .docx inflates to"):
        read_report(bomb)
    assert time.monotonic() - started < 5


def test_reliability_06_rowspan_blow_up_stops_at_the_cell_budget(tmp_path):
    page = tmp_path / "rowspan.html"
    page.write_text(rowspan_page(), encoding="utf-8")
    started = time.monotonic()
    with pytest.raises(ReadError, match="tables expand to more than"):
        read_report(page)
    assert time.monotonic() - started < 10


def test_reliability_12_deep_nesting_reads_everything_or_says_why(tmp_path):
    flat, deep, deeper = tmp_path / "flat.html", tmp_path / "deep.html", tmp_path / "deeper.html"
    flat.write_text(text_to_html(seed_text("003")), encoding="utf-8")
    deep.write_text(text_to_html(seed_text("003"), nest=300), encoding="utf-8")
    deeper.write_text(text_to_html(seed_text("003"), nest=5000), encoding="utf-8")
    assert read_report(deep).text == read_report(flat).text, "nothing after the nesting is lost"
    with pytest.raises(ReadError, match="nested too deeply"):
        read_report(deeper)


# --- 13 NUL bytes, 14 lying charset, 15 content after </html>, 16 UTF-16 without BOM ---------------


@pytest.mark.parametrize("at", [100, 12000])
def test_reliability_13_a_nul_byte_is_dropped_wherever_it_is(tmp_path, at):
    clean = seed_text("003")
    path = tmp_path / "nul.txt"
    path.write_bytes(with_nul(clean.encode("utf-8"), at))
    assert read_report(path).text == clean


def test_reliability_13_many_nul_bytes_are_binary(tmp_path):
    path = tmp_path / "bin.txt"
    path.write_bytes(b"\x00\x01\x02abc" * 500)
    with pytest.raises(ReadError, match="binary file"):
        read_report(path)


def test_reliability_14_declared_charset_loses_to_the_content():
    raw = read_report(FIXTURES / "big5_declared_gbk__001.html")
    assert raw.encoding in ("big5", "cp950", "big5hkscs")
    assert "政府信息公開" in raw.text


def test_reliability_15_content_after_the_closing_tag_is_not_truncation(tmp_path):
    flat, page = tmp_path / "flat.html", tmp_path / "page.html"
    flat.write_text(text_to_html(seed_text("003")), encoding="utf-8")
    page.write_text(
        text_to_html(seed_text("003")) + '<script>var s = "' + "x" * 70000 + '";</script>\n', encoding="utf-8"
    )
    assert read_report(page).text == read_report(flat).text
    cut = tmp_path / "cut.html"
    cut.write_bytes(page.read_bytes()[:5000])
    with pytest.raises(ReadError, match="truncated HTML"):
        read_report(cut)


@pytest.mark.parametrize(("codec", "name"), [("utf-16-le", "utf-16-le"), ("utf-16-be", "utf-16-be")])
def test_reliability_16_utf16_without_bom_is_read(tmp_path, codec, name):
    text = seed_text("000")
    path = tmp_path / "r.txt"
    path.write_bytes(text.encode(codec))
    raw = read_report(path)
    assert (raw.text, raw.encoding) == (text, name)


def test_reliability_16_utf32_with_bom_is_read(tmp_path):
    text = seed_text("000")
    path = tmp_path / "r.txt"
    path.write_bytes(text.encode("utf-32"))
    assert read_report(path).text == text


# --- 08 environment errors are not cached ---------------------------------------------------------


def test_reliability_08_missing_library_error_is_not_stored(tmp_path, monkeypatch):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(FIXTURES / "png.pdf", folder / "png.pdf")
    out = tmp_path / "p.jsonl"
    monkeypatch.setitem(sys.modules, "pdfplumber", None)  # as if it were not installed
    objs, _ = _run([folder], out)
    assert "pdfplumber" in objs[0]["error"]
    monkeypatch.delitem(sys.modules, "pdfplumber")
    objs, summary = _run([folder], out)
    assert summary.work.reports == 1, "read again once the library is there"
    assert "pdfplumber" not in objs[0]["error"]


# --- 09 output links, 17 clean failures, temp files -----------------------------------------------


def test_reliability_09_output_link_is_refused_and_kept(tmp_path):
    target = tmp_path / "real.jsonl"
    target.write_text("keep\n")
    link = tmp_path / "p.jsonl"
    link.symlink_to(target)
    with pytest.raises(UserError, match="symbolic link"):
        run_batch([SEEDS], BatchOptions(output=link, tagger=NONE, workers=1))
    assert link.is_symlink() and target.read_text() == "keep\n"
    assert not state_path(link).exists()


@pytest.mark.parametrize(
    ("make_output", "message"),
    [
        (lambda tmp: (tmp / "p.jsonl").mkdir() or tmp / "p.jsonl", "is a directory"),
        (lambda tmp: (tmp / "file").write_text("") or tmp / "file" / "p.jsonl", "cannot write the output"),
    ],
)
def test_reliability_17_bad_output_is_a_clean_early_error(tmp_path, make_output, message):
    output = make_output(tmp_path)
    result = CliRunner().invoke(app, ["predict", str(SEEDS), "-o", str(output), "--tagger", "none", "-q"])
    assert result.exit_code == 2, result.output
    assert message in result.output and "Traceback" not in result.output


def test_reliability_17_internal_error_has_no_traceback_without_debug(tmp_path, monkeypatch):
    import inference.batch as batch

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(batch, "run_batch", broken)
    args = ["predict", str(SEEDS), "-o", str(tmp_path / "p.jsonl"), "--tagger", "none", "-q"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 3
    assert "internal error: RuntimeError: boom (rerun with --debug" in result.output
    assert "Traceback" not in result.output
    debug = CliRunner().invoke(app, ["--debug", *args])
    assert isinstance(debug.exception, RuntimeError)


def test_reliability_07_stale_temp_files_of_killed_runs_are_removed(tmp_path):
    out = tmp_path / "p.csv"
    leftovers = [
        tmp_path / ".p.csv.abc123.tmp",
        tmp_path / "..p.csv.jsonl.def456.tmp",
        tmp_path / ".p.csv.jsonl",
    ]
    for path in leftovers:
        path.write_text("partial")
    run_batch([SEEDS], BatchOptions(output=out, tagger=NONE, workers=1))
    assert not any(path.exists() for path in leftovers)
    assert not list(tmp_path.glob("*.tmp")) and not list(tmp_path.glob(".*.tmp"))


# --- 10 a corrupt model -------------------------------------------------------------------------


def test_reliability_10_corrupt_model_is_reported_once_up_front(tmp_path):
    model = tmp_path / "m"
    shutil.copytree(REPO_ROOT / "models" / "default", model)
    (model / "model.safetensors").write_bytes(os.urandom(1000))
    args = [
        "predict",
        str(SEEDS),
        "-o",
        str(tmp_path / "p.jsonl"),
        "--model",
        str(model),
        "--tagger",
        "model",
    ]
    result = CliRunner().invoke(app, [*args, "-q"])
    assert result.exit_code == 2
    assert result.output.count("is not valid safetensors") == 1
    assert str(model / "model.safetensors") in result.output
    assert not (tmp_path / "p.jsonl").exists()


# --- fuzz ---------------------------------------------------------------------------------------

REPORT = seed_text("002")
PIECES = st.sampled_from(
    [
        b"\x00",
        b"\xff\xfe",
        b"\xef\xbb\xbf",
        b"\xb1\xa8\xb8\xe6",
        b"<table><tr><td rowspan=999 colspan=99>1</td></tr>",
        b"<div>" * 400,
        b"</html>",
        "信息公开 12 件\t3\n".encode("gb18030"),
        REPORT[:400].encode("utf-8"),
        REPORT[:400].encode("big5", "ignore"),
        REPORT[:200].encode("utf-16-le"),
    ]
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    parts=st.lists(st.one_of(PIECES, st.binary(max_size=64)), max_size=12),
    name=st.binary(min_size=1, max_size=12).filter(lambda b: b"/" not in b and b"\x00" not in b),
    suffix=st.sampled_from(SUPPORTED_SUFFIXES),
)
def test_reliability_fuzz_every_hostile_file_gives_one_clean_record(tmp_path, parts, name, suffix):
    folder = tmp_path / "fuzz"
    folder.mkdir(exist_ok=True)
    path = os.path.join(os.fsencode(folder), b"f_" + name + suffix.encode())
    with open(path, "wb") as handle:
        handle.write(b"".join(parts))
    started = time.monotonic()
    objs, _ = predict_items([WorkItem(os.fsdecode(path))], NoSpansTagger())
    assert time.monotonic() - started < 60
    assert len(objs) == 1
    obj = objs[0]
    assert os.fsencode(obj["source"]) == path
    assert obj.get("error") is None or (isinstance(obj["error"], str) and obj["error"])
    line = result_to_line({k: v for k, v in obj.items() if not k.startswith("_")})
    assert os.fsencode(json.loads(line.encode("utf-8"))["source"]) == path
    os.unlink(path)
