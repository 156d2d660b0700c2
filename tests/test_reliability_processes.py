"""Repro 07 of shared/reliability/: killing `gia predict` leaves no workers and no temp files behind.

Workers watch their parent and exit when it is gone (even after `kill -9`); SIGTERM is handled
like Ctrl-C (exit 130, temp output removed, finished reports kept in the state).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from training.synth import write_corpus


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _wait(condition, seconds: float) -> bool:  # noqa: ANN001 - a callable
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


def _start(reports: Path, output: Path) -> subprocess.Popen:
    command = [sys.executable, "-m", "gia.cli", "predict", str(reports), "-o", str(output)]
    command += ["--tagger", "rules", "--workers", "2", "--batch-size", "1", "-q"]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("corpus")
    write_corpus(40, root, seed=11)
    return root / "reports"


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads process parents from /proc")
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_reliability_07_killed_parent_leaves_no_workers(reports, tmp_path, sig):
    output = tmp_path / "out" / "p.jsonl"
    run = _start(reports, output)
    try:
        assert _wait(lambda: len(_children(run.pid)) >= 2, 120), "the worker pool did not start"
        state = output.with_name("p.state.jsonl")
        assert _wait(state.exists, 120), "no report was finished"  # the workers are predicting
        workers = _children(run.pid)
        run.send_signal(sig)
        run.wait(timeout=60)
        assert _wait(lambda: not any(_alive(pid) for pid in workers), 15), "workers outlived the parent"
    finally:
        if run.poll() is None:
            run.kill()
    if sig == signal.SIGTERM:
        assert run.returncode == 130, run.stderr.read()
        assert not list(output.parent.glob(".*.tmp")), "the temp output is removed"
        assert not output.exists(), "an interrupted run leaves the output as it was"


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_pooled_workers_predict_as_this_process_does(tmp_path, method):
    """Workers forked from a parent that loaded the default tagger, or spawned and loading it
    themselves (`pool_start_method`), give a one-process run's outputs, object for object."""
    if method == "fork" and sys.platform != "linux":
        pytest.skip("the pool forks on Linux only")
    seeds = sorted(Path("annotations/seeds").glob("*.txt"))[:3]
    outputs = {}
    for workers in ("2", "1"):
        output = tmp_path / f"w{workers}.jsonl"
        command = [sys.executable, "-m", "gia.cli", "-v", "predict", *map(str, seeds), "-o", str(output)]
        env = {**os.environ, "GIA_START_METHOD": method}
        run = subprocess.run(
            [*command, "--workers", workers, "-q"], capture_output=True, text=True, timeout=300, env=env
        )
        assert run.returncode == 0, run.stderr
        if workers == "2":
            assert f"worker processes ({method})" in run.stderr
        outputs[workers] = [
            {key: value for key, value in json.loads(line).items() if key != "meta"}
            for line in output.read_text(encoding="utf-8").splitlines()
        ]
    assert outputs["2"] == outputs["1"]
    assert all(obj["fields"] for obj in outputs["1"])
