from __future__ import annotations

import importlib.util
import json
import random
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gia.cli import app
from inference import REPO_ROOT
from inference.records import Span
from training.dataset import Example
from training.evaluate import field_summary, load_golds, score_fields, span_scores, span_scores_by

GOLD_DIR = REPO_ROOT / "annotations" / "gold"


def reference_scorer():
    spec = importlib.util.spec_from_file_location(
        "score_fields_reference", REPO_ROOT / "tests/score_fields_reference.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def perturbed_predictions(golds, seed):
    """Predictions derived from the gold: some fields dropped, changed, added, optional ones predicted."""
    rng = random.Random(seed)
    preds = {}
    for key, gold in golds.items():
        if rng.random() < 0.15:
            continue  # a report with no prediction at all
        fields = {}
        for k, v in gold["fields"].items():
            r = rng.random()
            if r < 0.1:
                continue
            fields[k] = v + 1 if r < 0.2 else (0 if r < 0.25 else v)
        for k, v in gold.get("optional", {}).items():
            if rng.random() < 0.5:
                fields[k] = v if rng.random() < 0.7 else v + 3
        if rng.random() < 0.5:
            fields["made.up.field"] = rng.choice([0, 7])
        preds[key] = {"source": f"x/{key}.txt", "fields": fields}
    return preds


@pytest.mark.parametrize("seed", range(8))
def test_evaluate_fields_agree_with_reference_scorer(seed):
    golds = load_golds(str(GOLD_DIR))
    preds = perturbed_predictions(golds, seed)
    ref = reference_scorer()
    ref_tot, ref_per = ref.score(preds, golds)
    ours = score_fields(preds, golds)
    summary = field_summary(ours)
    p, r, f = ref.prf(ref_tot["tp"], ref_tot["pred"], ref_tot["gold"])
    pn, rn, fn = ref.prf(ref_tot["tp_nz"], ref_tot["pred_nz"], ref_tot["gold_nz"])
    assert (summary["p"], summary["r"], summary["f1"]) == (p, r, f)
    assert (summary["p_nonzero"], summary["r_nonzero"], summary["f1_nonzero"]) == (pn, rn, fn)
    assert summary["exact_reports"] == ref_tot["exact"] and summary["missing"] == ref_tot["missing"]
    assert [row["exact"] for row in ours.per_report] == [row["exact"] for row in ref_per]


def test_evaluate_gold_predicted_exactly_scores_one():
    golds = load_golds(str(GOLD_DIR))
    preds = {k: {"fields": dict(g["fields"])} for k, g in golds.items()}
    summary = field_summary(score_fields(preds, golds))
    assert summary["f1"] == 1.0 and summary["exact_reports"] == len(golds)


def test_evaluate_span_scores_per_label_and_group():
    examples = [
        Example(
            "a",
            "申请12件",
            (Span(0, 2, "CATEGORY", "申请"), Span(2, 5, "COUNT", "12件")),
            "test",
            {"layout": "x"},
        ),
        Example(
            "b",
            "复议3件",
            (Span(0, 2, "METRIC", "复议"), Span(2, 4, "COUNT", "3件")),
            "test",
            {"layout": "y"},
        ),
    ]
    predicted = [list(examples[0].spans), [Span(0, 2, "METRIC", "复议"), Span(2, 3, "COUNT", "3")]]
    scores = span_scores(examples, predicted)
    assert scores["p"] == scores["r"] == 0.75
    assert scores["labels"]["COUNT"]["f1"] == 0.5 and scores["labels"]["METRIC"]["f1"] == 1.0
    by = span_scores_by(examples, predicted, "layout")
    assert by["x"]["f1"] == 1.0 and by["y"]["f1"] == 0.5


def write_tiny_corpus(tmp_path: Path) -> tuple[Path, Path, Path]:
    texts = {
        "r1": "本年共受理政府信息公开申请342件，其中当面申请12件。",
        "r2": "本年共受理政府信息公开申请15件，其中当面申请3件。",
    }
    reports, gold = tmp_path / "reports", tmp_path / "gold"
    reports.mkdir()
    gold.mkdir()
    lines = []
    for key, text in texts.items():
        (reports / f"{key}.txt").write_text(text, encoding="utf-8")
        (gold / f"{key}.json").write_text(
            json.dumps({"source": f"{key}.txt", "fields": {"applications.new.total": 1}})
        )
        spans, cursor = [], 0
        for piece, label in [
            ("政府信息公开申请", "METRIC"),
            (text.split("申请")[1].split("，")[0], "COUNT"),
            ("当面申请", "CATEGORY"),
            (text.split("当面申请")[1].rstrip("。"), "COUNT"),
        ]:
            start = text.index(piece, cursor)
            spans.append({"start": start, "end": start + len(piece), "label": label, "text": piece})
            cursor = start + len(piece)
        lines.append(
            json.dumps(
                {
                    "id": key,
                    "text": text,
                    "spans": spans,
                    "gold": {"source": f"{key}.txt", "template": "pre2019", "fields": {}},
                    "meta": {"origin": "seed", "generation": "pre2019", "layout": "prose"},
                },
                ensure_ascii=False,
            )
        )
    annotations = tmp_path / "ann.jsonl"
    annotations.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return reports, gold, annotations


def test_evaluate_cli_end_to_end(tmp_path):
    reports, gold, annotations = write_tiny_corpus(tmp_path)
    config = tmp_path / "baby.toml"
    baby = (REPO_ROOT / "training/baby.toml").read_text(encoding="utf-8")
    config.write_text(
        baby.replace('"annotations/seeds.jsonl"', json.dumps(str(annotations))), encoding="utf-8"
    )
    runner = CliRunner()
    model = tmp_path / "model"
    result = runner.invoke(
        app, ["train", "--config", str(config), "--output", str(model), "--max-steps", "5", "-q"]
    )
    assert result.exit_code == 0, result.output
    assert (model / "model.safetensors").is_file()

    out = tmp_path / "pred.jsonl"
    result = runner.invoke(app, ["predict", str(reports), "--model", str(model), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert len(out.read_text(encoding="utf-8").splitlines()) == 2

    result = runner.invoke(
        app,
        [
            "evaluate",
            str(reports),
            "--gold",
            str(gold),
            "--model",
            str(model),
            "--annotations",
            str(annotations),
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    scores = json.loads(result.stdout)
    assert scores["fields"]["reports"] == 2
    assert set(scores["spans"]) >= {"p", "r", "f1", "labels"}
    assert set(scores["fields_by_layout"]) == {"prose"}
    assert set(scores["fields_by_generation"]) == {"pre2019"}


def test_evaluate_cli_missing_model_is_a_clear_error(tmp_path):
    reports, gold, _ = write_tiny_corpus(tmp_path)
    result = CliRunner().invoke(
        app, ["evaluate", str(reports), "--gold", str(gold), "--model", str(tmp_path / "no")]
    )
    assert result.exit_code == 2
    assert str(tmp_path / "no") in result.output
    assert "no model directory" in result.output


def test_evaluate_leave_one_out_never_trains_on_the_held_out_report(tmp_path):
    from training.loo import format_loo, leave_one_out

    _, _, annotations = write_tiny_corpus(tmp_path)
    result = leave_one_out(
        str(annotations),
        config_path="training/baby.toml",
        synth_n=1,
        finetune_synth_n=0,
        pretrain_epochs=1,
        finetune_epochs=1,
        work_dir=tmp_path / "loo",
    )
    assert [fold["report"] for fold in result["folds"]] == ["r1", "r2"]
    for fold in ("r1", "r2"):
        summary = json.loads((tmp_path / "loo" / f"fold_{fold}" / "data_summary.json").read_text())
        assert summary["train"]["reports"] == 1  # the other tiny report only
    assert "leave-one-out over 2 reports" in format_loo(result)
