from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from inference import LABELS, REPO_ROOT
from inference.errors import AnnotationError
from training.annotations import AnnotatedReport, AnnotatedSpan, load_annotations
from training.interchange import (
    FROM_NAME,
    TO_NAME,
    doccano_to_report,
    export_reports,
    import_reports,
    label_studio_to_reports,
    report_to_doccano,
    report_to_label_studio,
)

SEEDS = load_annotations(REPO_ROOT / "annotations" / "seeds.jsonl")
ASTRAL = AnnotatedReport(
    "astral",
    "𠀀𠀁受理申请342件",
    (AnnotatedSpan(4, 6, "METRIC", "申请"), AnnotatedSpan(6, 10, "COUNT", "342件")),
)


@pytest.mark.parametrize(
    ("fmt", "options", "suffix"),
    [
        ("label-studio", {}, ".json"),
        ("label-studio", {"kind": "predictions", "model_version": "rules"}, ".json"),
        ("doccano", {"doccano_form": "entities"}, ".jsonl"),
        ("doccano", {"doccano_form": "label"}, ".jsonl"),
    ],
)
def test_interchange_round_trip_is_lossless_on_seeds(tmp_path, fmt, options, suffix):
    path = tmp_path / f"tasks{suffix}"
    export_reports([*SEEDS, ASTRAL], path, format=fmt, **options)
    assert import_reports(path) == [*SEEDS, ASTRAL]


def test_interchange_label_studio_task_follows_documented_schema():
    task = report_to_label_studio(SEEDS[0])
    assert set(task) == {"data", "annotations"}
    assert task["data"]["text"] == SEEDS[0].text
    (entry,) = task["annotations"]
    assert len(entry["result"]) == len(SEEDS[0].spans)
    for item, span in zip(entry["result"], SEEDS[0].spans, strict=True):
        assert set(item) == {"id", "from_name", "to_name", "type", "value"}
        assert (item["from_name"], item["to_name"], item["type"]) == ("label", "text", "labels")
        assert item["value"] == {
            "start": span.start,
            "end": span.end,
            "text": span.text,
            "labels": [span.label],
        }
    json.dumps(task, ensure_ascii=False)  # plain JSON


def test_interchange_label_studio_config_matches_converter():
    root = ET.parse(REPO_ROOT / "annotations" / "label_studio_config.xml").getroot()
    labels = root.find("Labels")
    text = root.find("Text")
    assert labels.get("name") == FROM_NAME and labels.get("toName") == TO_NAME == text.get("name")
    assert tuple(label.get("value") for label in labels.findall("Label")) == LABELS


def test_interchange_label_studio_offsets_are_utf16_outside_the_bmp():
    result = report_to_label_studio(ASTRAL)["annotations"][0]["result"]
    assert [(r["value"]["start"], r["value"]["end"]) for r in result] == [(6, 8), (8, 12)]


def test_interchange_label_studio_prefers_annotations_over_predictions():
    task = report_to_label_studio(SEEDS[2])
    task["predictions"] = [{"result": []}]
    assert label_studio_to_reports([task])[0] == SEEDS[2]
    del task["annotations"]
    assert label_studio_to_reports([task])[0].spans == ()


def test_interchange_label_studio_mismatched_text_names_task_and_result():
    task = report_to_label_studio(ASTRAL)
    task["annotations"][0]["result"][1]["value"]["text"] = "343件"
    with pytest.raises(AnnotationError, match=r"task #0: report 'astral' span #1 \[6:10\] COUNT '343件'"):
        label_studio_to_reports([task], source="ls.json")


def test_interchange_doccano_old_and_new_forms_agree():
    report = SEEDS[1]
    assert doccano_to_report(report_to_doccano(report, form="label")) == doccano_to_report(
        report_to_doccano(report, form="entities")
    )


def test_interchange_doccano_plain_export_without_gold_imports():
    data = {"text": "当面申请45件", "label": [[0, 4, "CATEGORY"], [4, 7, "COUNT"]]}
    report = doccano_to_report(data)
    assert [(s.text, s.label) for s in report.spans] == [("当面申请", "CATEGORY"), ("45件", "COUNT")]


def test_interchange_doccano_bad_line_names_file_and_line(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_text(
        '{"text": "abc", "label": [[0, 2, "COUNT"]]}\n{"text": "abc", "label": [[1, 9, "COUNT"]]}\n'
    )
    with pytest.raises(AnnotationError, match=rf"{path}:2: span #0 \[1:9\]"):
        import_reports(path)
