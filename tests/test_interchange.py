from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from inference import LABELS, REPO_ROOT
from inference.errors import AnnotationError
from training.annotations import AnnotatedReport, AnnotatedSpan, load_annotations
from training.interchange import (
    FIELD_NAME,
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
    field = root.find("TextArea")
    assert (field.get("name"), field.get("toName"), field.get("perRegion")) == (FIELD_NAME, TO_NAME, "true")


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


SILVER_TEXT = "𠀀共受理申请342件,当面申请12件,培训5次,其中传真及信函3件"


def _span(piece: str, label: str = "COUNT", field: str | None = None, confidence: float | None = None):
    start = SILVER_TEXT.index(piece)
    return AnnotatedSpan(start, start + len(piece), label, piece, field, confidence)


SILVER = AnnotatedReport(
    "silver",
    SILVER_TEXT,
    (
        _span("受理", "METRIC"),
        _span("342件", field="applications.new.total", confidence=0.85),
        _span("12件", field="applications.channel.in_person", confidence=0.7),
        _span("5次", field="", confidence=0.9),
        _span("3件", field="applications.channel.fax+letter"),
    ),
    {"fields": {"applications.new.total": 342}},
    {"origin": "silver", "group": "silver", "unaligned": [], "ambiguous": [], "review": False},
)


@pytest.mark.parametrize(
    ("fmt", "options", "suffix"),
    [
        ("label-studio", {}, ".json"),
        ("label-studio", {"kind": "predictions", "model_version": "silver"}, ".json"),
        ("doccano", {"doccano_form": "entities"}, ".jsonl"),
    ],
)
def test_interchange_round_trip_carries_field_and_confidence(tmp_path, fmt, options, suffix):
    silver = load_annotations(REPO_ROOT / "annotations" / "silver" / "seeds.jsonl")
    reports = [SILVER, *silver]
    path = tmp_path / f"tasks{suffix}"
    export_reports(reports, path, format=fmt, **options)
    assert import_reports(path) == reports


def test_interchange_doccano_label_form_carries_field_in_the_label_text():
    line = report_to_doccano(SILVER, form="label")
    assert [s.field for s in SILVER.spans][3] == ""
    assert [item[2] for item in line["label"]] == [
        "METRIC",
        "COUNT|applications.new.total",
        "COUNT|applications.channel.in_person",
        "COUNT|none",
        "COUNT|applications.channel.fax+letter",
    ]
    back = doccano_to_report(line)
    assert [(s.field, s.confidence) for s in back.spans] == [
        (None, None),
        ("applications.new.total", None),
        ("applications.channel.in_person", None),
        ("", None),
        ("applications.channel.fax+letter", None),
    ]


def test_interchange_label_studio_reads_a_typed_field_and_ignores_a_blank_one():
    task = report_to_label_studio(SILVER)
    result = task["annotations"][0]["result"]
    areas = [r for r in result if r["type"] == "textarea"]
    assert len(areas) == 4 and all(r["from_name"] == FIELD_NAME for r in areas)
    areas[0]["value"]["text"] = ["  applications.new.total\n"]  # as typed
    areas[1]["value"]["text"] = [""]  # cleared by the reviewer: field unknown
    (back,) = label_studio_to_reports([task])
    counts = [s for s in back.spans if s.label == "COUNT"]
    assert [s.field for s in counts] == [
        "applications.new.total",
        None,
        "",
        "applications.channel.fax+letter",
    ]


def test_interchange_unknown_field_names_task_and_span():
    task = report_to_label_studio(SILVER)
    areas = [r for r in task["annotations"][0]["result"] if r["type"] == "textarea"]
    areas[0]["value"]["text"] = ["applications.new.totl"]
    with pytest.raises(AnnotationError) as info:
        label_studio_to_reports([task], source="export.json")
    assert "export.json: task #0" in str(info.value)
    assert "unknown field 'applications.new.totl'" in str(info.value)
    assert "342件" in str(info.value)
