from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from inference import REPO_ROOT
from inference.batch import BatchOptions, TaggerSpec, run_batch

ray = pytest.importorskip("ray", reason="the [ray] extra is part of [dev]; install it to test --engine ray")

SEEDS = REPO_ROOT / "annotations" / "seeds"


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.mark.slow
def test_ray_engine_writes_what_the_local_engine_writes(tmp_path, monkeypatch):
    monkeypatch.delenv("RAY_ADDRESS", raising=False)
    reports = tmp_path / "reports"
    shutil.copytree(SEEDS, reports)
    (reports / "empty.txt").write_bytes(b"")
    spec = TaggerSpec("none")  # the engine is under test here, not the tagger

    local = run_batch([reports], BatchOptions(output=tmp_path / "local" / "p.jsonl", tagger=spec, workers=1))
    on_ray = run_batch(
        [reports],
        BatchOptions(output=tmp_path / "ray" / "p.jsonl", tagger=spec, workers=2, batch_size=2, engine="ray"),
    )
    assert (on_ray.ok, on_ray.failed, on_ray.skipped) == (local.ok, local.failed, local.skipped) == (5, 1, 0)
    assert _lines(tmp_path / "ray" / "p.jsonl") == _lines(tmp_path / "local" / "p.jsonl")
    assert on_ray.work.reports == 6 and on_ray.work.busy_seconds > 0

    # Same resume state as the local engine: a rerun on Ray skips everything without starting Ray.
    again = run_batch([reports], BatchOptions(output=tmp_path / "ray" / "p.jsonl", tagger=spec, engine="ray"))
    assert (again.ok, again.failed, again.skipped) == (0, 1, 5)
    assert not ray.is_initialized()
