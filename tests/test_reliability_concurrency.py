"""Repro 03 of shared/reliability/, repeated: two `gia predict` runs sharing one state at the same time.

Run A predicts 30 reports and a copy of each under another name; run B (`-o p.csv`, the same
`p.state.jsonl`) predicts 30 others, at the same moment. A record is wrong when its `meta.sha256`
is not the hash of the bytes of the file it names. Every other try keeps the state of the previous
one, so resumed results are checked too. `GIA_CONCURRENCY_TRIES=20 python -m pytest -q
tests/test_reliability_concurrency.py -s` runs the issue's 20 tries (the suite runs 2).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from training.synth import write_corpus

TRIES = int(os.environ.get("GIA_CONCURRENCY_TRIES", "2"))
PER_RUN = 30


def _predict(inputs: Path, output: Path) -> subprocess.Popen:
    command = [sys.executable, "-m", "gia.cli", "predict", str(inputs), "-o", str(output)]
    command += ["--tagger", "none", "--workers", "1", "-q"]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def _wrong_records(records: list[dict], folder: Path) -> list[str]:
    wrong = []
    for record in records:
        path = Path(record["source"])
        if record.get("meta", {}).get("sha256") != hashlib.sha256(path.read_bytes()).hexdigest():
            wrong.append(path.name)
    assert sorted(Path(r["source"]).name for r in records) == sorted(p.name for p in folder.iterdir())
    return wrong


@pytest.mark.slow
def test_reliability_03_concurrent_runs_on_one_state_give_no_wrong_record(tmp_path):
    write_corpus(2 * PER_RUN, tmp_path / "corpus", seed=5)
    reports = sorted((tmp_path / "corpus" / "reports").iterdir())
    folder_a, folder_b = tmp_path / "A", tmp_path / "B"
    folder_a.mkdir()
    folder_b.mkdir()
    for i, report in enumerate(reports[:PER_RUN]):
        shutil.copy(report, folder_a / f"a_{i:02d}_{report.name}")
        shutil.copy(report, folder_a / f"z_copy_{i:02d}_{report.name}")
    for report in reports[PER_RUN:]:
        shutil.copy(report, folder_b / report.name)
    out = tmp_path / "out"
    wrong_per_try = []
    for attempt in range(TRIES):
        if attempt % 2 == 0:
            shutil.rmtree(out, ignore_errors=True)
        runs = [_predict(folder_a, out / "p.jsonl"), _predict(folder_b, out / "p.csv")]
        for run in runs:
            _, stderr = run.communicate(timeout=600)
            assert run.returncode == 0, stderr
        records = [json.loads(line) for line in (out / "p.jsonl").read_text(encoding="utf-8").splitlines()]
        wrong_per_try.append(len(_wrong_records(records, folder_a)))
        with (out / "p.csv").open(encoding="utf-8") as handle:
            assert sum(1 for _ in handle) == 1 + PER_RUN
    print(f"\n{TRIES} tries, wrong records per try: {wrong_per_try}")
    assert sum(wrong_per_try) == 0
