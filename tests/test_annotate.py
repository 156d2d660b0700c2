from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from gia.cli import app
from inference import REPO_ROOT
from inference.errors import UserError
from training.annotate import annotate, choose_tagger
from training.interchange import export_reports, import_reports

SEEDS = REPO_ROOT / "annotations" / "seeds"
TRADITIONAL = SEEDS / "004_a027c226c6665616.txt"
SIMPLIFIED = SEEDS / "000_e66166ac253deb62.txt"


def test_annotate_writes_label_studio_predictions_that_round_trip(tmp_path):
    output = tmp_path / "tasks.json"
    summary = annotate(
        [TRADITIONAL, SIMPLIFIED], output=output, format="label-studio", model_dir=tmp_path / "none"
    )
    assert summary.tagger == "rules" and summary.reports == 2 and summary.spans > 200
    tasks = json.loads(output.read_text(encoding="utf-8"))
    assert all(
        set(t) == {"data", "predictions"} and t["predictions"][0]["model_version"] == "rules" for t in tasks
    )
    reports = import_reports(output)
    assert [r.text for r in reports] == [p.read_bytes().decode("utf-8") for p in (TRADITIONAL, SIMPLIFIED)]
    again = tmp_path / "again.json"
    export_reports(reports, again, format="label-studio", kind="predictions")
    assert import_reports(again) == reports


def test_annotate_spans_point_into_the_original_traditional_text(tmp_path):
    output = tmp_path / "tasks.json"
    annotate([TRADITIONAL], output=output, model_dir=tmp_path / "none")
    (report,) = import_reports(output)
    texts = [s.text for s in report.spans]
    assert "規(guī)章" in texts  # Traditional with its mirror pinyin, as printed
    assert "478822元" in texts
    assert all(report.text[s.start : s.end] == s.text for s in report.spans)


def test_annotate_doccano_output(tmp_path):
    output = tmp_path / "tasks.jsonl"
    annotate([SIMPLIFIED], output=output, format="doccano", model_dir=tmp_path / "none")
    line = json.loads(output.read_text(encoding="utf-8").splitlines()[0])
    assert {"text", "entities"} <= set(line)
    (report,) = import_reports(output)
    assert any(s.text == "342件" and s.label == "COUNT" for s in report.spans)


def test_annotate_unusable_model_falls_back_to_rules(tmp_path):
    broken = tmp_path / "model"
    broken.mkdir()
    (broken / "config.json").write_text("{not json", encoding="utf-8")
    _, name = choose_tagger(broken)
    assert name == "rules"


def test_annotate_skips_unreadable_files(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    summary = annotate([empty, SIMPLIFIED], output=tmp_path / "t.json", model_dir=tmp_path / "none")
    assert summary.failed == (str(empty),) and summary.reports == 1


def test_annotate_refuses_unknown_format(tmp_path):
    with pytest.raises(UserError, match="unknown format"):
        annotate([SIMPLIFIED], output=tmp_path / "t.json", format="brat")


def test_annotate_cli(tmp_path):
    output = tmp_path / "tasks.json"
    result = CliRunner().invoke(
        app,
        [
            "annotate",
            str(SIMPLIFIED),
            "--format",
            "label-studio",
            "-o",
            str(output),
            "--model",
            str(tmp_path / "none"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert len(import_reports(output)) == 1


@pytest.mark.slow
def test_annotate_uses_a_working_model(tmp_path):
    # a baby model trained for a few steps on two seeds: the point is the model path, not its quality
    from training.dataset import DataConfig
    from training.model import ModelConfig
    from training.train import OptimConfig, TrainConfig, train

    seeds = tmp_path / "two.jsonl"
    lines = (REPO_ROOT / "annotations" / "seeds.jsonl").read_text(encoding="utf-8").splitlines()
    seeds.write_text("\n".join(lines[2:4]) + "\n", encoding="utf-8")
    config = TrainConfig(
        data=DataConfig(annotations=(str(seeds),), window=40, stride=30),
        model=ModelConfig(
            hidden_size=32,
            num_hidden_layers=1,
            num_attention_heads=2,
            intermediate_size=32,
            max_position_embeddings=64,
            dropout=0.0,
        ),
        train=OptimConfig(epochs=1, batch_size=8, max_steps=3, max_minutes=1.0, threads=1, seed=1),
    )
    model_dir = tmp_path / "model"
    train(config, model_dir, progress=False)
    output = tmp_path / "tasks.json"
    summary = annotate([SIMPLIFIED], output=output, model_dir=model_dir)
    assert summary.tagger == f"model:{model_dir}"
    (report,) = import_reports(output)
    assert all(report.text[s.start : s.end] == s.text for s in report.spans)
