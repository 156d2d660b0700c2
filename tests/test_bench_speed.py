from __future__ import annotations

import json
import shutil
from pathlib import Path

from training.bench_speed import bench_speed, main

SEEDS = Path(__file__).resolve().parents[1] / "annotations" / "seeds"


def two_reports(tmp_path: Path) -> Path:
    folder = tmp_path / "reports"
    folder.mkdir()
    for path in sorted(SEEDS.glob("*.txt"))[:2]:
        shutil.copy(path, folder / path.name)
    return folder


def test_bench_speed_times_each_tagger_alternately(tmp_path):
    folder = two_reports(tmp_path)
    report = bench_speed([folder], taggers=("rules", "none"), repeats=1, workers=1)
    assert [run.tagger for run in report.runs] == ["rules", "none"]
    assert report.reports == 2 and report.chars > 0
    assert all(run.seconds > 0 and run.reports_per_second > 0 for run in report.runs)
    assert [timing.tagger for timing in report.tagging] == ["rules", "none"]
    assert all(timing.chars_per_second > 0 for timing in report.tagging)
    text = report.to_text()
    assert "median rules" in text and "reports/s" in text and "load average" in text


def test_bench_speed_command_prints_json(tmp_path, capsys):
    folder = two_reports(tmp_path)
    assert main([str(folder), "--taggers", "none", "--repeats", "1", "--workers", "1", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["reports"] == 2 and out["medians"]["none"]["reports_per_second"] > 0
