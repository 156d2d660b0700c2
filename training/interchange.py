"""Convert annotated reports to and from annotation tools: Label Studio JSON and doccano JSONL.

Our own format (`training.annotations`) counts offsets in Unicode code points. Label Studio's text
offsets are JavaScript string indices (UTF-16 code units), which differ only after a character
outside the Basic Multilingual Plane (rare CJK extensions, emoji); the converters translate, so a
round trip gives identical spans on any text. doccano offsets are code points, like ours.

Label Studio task (one per report; labelling config in `annotations/label_studio_config.xml`):

    {"data": {"text": "…", "report_id": "000", "gold": {…}, "meta": {…}},
     "annotations": [{"result": [{"id": "000-0", "from_name": "label", "to_name": "text",
                                  "type": "labels",
                                  "value": {"start": 10, "end": 14, "text": "342件", "labels": ["COUNT"]}}]}]}

A COUNT's `field` rides along as a per-region TextArea result (`from_name` "field", the region's
id, text `applications.new.total`, or `none` for `""`), its `confidence` as the region's `score`.

doccano JSONL, both forms read, `entities` written by default; a field is in the label text
(`COUNT|applications.new.total`, `COUNT|none`), a confidence in the entity (entities form only):

    {"id": "000", "text": "…",
     "entities": [{"id": 0, "start_offset": 10, "end_offset": 14, "label": "COUNT|applications.new.total"}]}
    {"id": "000", "text": "…", "label": [[10, 14, "COUNT"]]}
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from inference.errors import AnnotationError
from training.annotations import AnnotatedReport, AnnotatedSpan, report_from_json, sort_spans, validate_report

logger = logging.getLogger(__name__)

FROM_NAME = "label"
TO_NAME = "text"
FIELD_NAME = "field"
"""Label Studio per-region TextArea (`annotations/label_studio_config.xml`) holding a COUNT's field id."""
NO_FIELD = "none"
"""How `field: ""` (a count stating no catalogue field) is written in the tools (no id is `none`)."""
LABEL_FIELD_SEPARATOR = "|"
"""doccano label text of a COUNT with a field: `COUNT|applications.new.total`, `COUNT|none`."""
FORMATS = ("label-studio", "doccano")


def _utf16_index(text: str) -> list[int]:
    """`index[i]` = UTF-16 offset of code point i (len(text)+1 entries)."""
    index = [0]
    for char in text:
        index.append(index[-1] + (2 if ord(char) > 0xFFFF else 1))
    return index


def _to_utf16(text: str, offsets: list[int] | None, position: int) -> int:
    return offsets[position] if offsets is not None else position


def _from_utf16(lookup: dict[int, int] | None, position: int, where: str) -> int:
    if lookup is None:
        return position
    if position not in lookup:
        raise AnnotationError(f"{where}: offset {position} falls inside a surrogate pair")
    return lookup[position]


def _needs_utf16(text: str) -> bool:
    return any(ord(char) > 0xFFFF for char in text)


# --- Label Studio ---------------------------------------------------------------------------------


def field_to_tool(field: str) -> str:
    return NO_FIELD if field == "" else field


def field_from_tool(text: str) -> str:
    text = text.strip()
    return "" if text == NO_FIELD else text


def spans_to_label_studio_result(report: AnnotatedReport) -> list[dict[str, Any]]:
    """Label Studio `result` items for the report's spans (offsets in UTF-16 code units).

    A span's `field` is a per-region TextArea result with the region's id (`none` for `""`), its
    `confidence` the region's `score`.
    """
    offsets = _utf16_index(report.text) if _needs_utf16(report.text) else None
    out: list[dict[str, Any]] = []
    for index, span in enumerate(report.spans):
        region = {
            "start": _to_utf16(report.text, offsets, span.start),
            "end": _to_utf16(report.text, offsets, span.end),
            "text": span.text,
        }
        item: dict[str, Any] = {
            "id": f"{report.id}-{index}",
            "from_name": FROM_NAME,
            "to_name": TO_NAME,
            "type": "labels",
            "value": {**region, "labels": [span.label]},
        }
        if span.confidence is not None:
            item["score"] = span.confidence
        out.append(item)
        if span.field is not None:
            out.append(
                {
                    "id": item["id"],
                    "from_name": FIELD_NAME,
                    "to_name": TO_NAME,
                    "type": "textarea",
                    "value": {**region, "text": [field_to_tool(span.field)]},
                }
            )
    return out


def report_to_label_studio(
    report: AnnotatedReport, *, kind: str = "annotations", model_version: str | None = None
) -> dict[str, Any]:
    """One Label Studio task; `kind` is `annotations` (human, e.g. seeds) or `predictions` (tool output)."""
    if kind not in ("annotations", "predictions"):
        raise ValueError(f"kind must be 'annotations' or 'predictions', not {kind!r}")
    data: dict[str, Any] = {"text": report.text, "report_id": report.id, "meta": dict(report.meta)}
    if report.gold is not None:
        data["gold"] = report.gold
    entry: dict[str, Any] = {"result": spans_to_label_studio_result(report)}
    if kind == "predictions" and model_version:
        entry["model_version"] = model_version
    return {"data": data, kind: [entry]}


def reports_to_label_studio(
    reports: Iterable[AnnotatedReport], *, kind: str = "annotations", model_version: str | None = None
) -> list[dict[str, Any]]:
    return [report_to_label_studio(r, kind=kind, model_version=model_version) for r in reports]


def label_studio_to_report(
    task: dict[str, Any], *, source: str = "<label-studio>", index: int = 0
) -> AnnotatedReport:
    """Report from one task: the last non-cancelled annotation, else the last prediction."""
    where = f"{source}: task #{index}"
    if not isinstance(task, dict) or not isinstance(task.get("data"), dict) or "text" not in task["data"]:
        raise AnnotationError(f"{where}: a task needs data.text")
    data = task["data"]
    text = data["text"]
    report_id = str(data.get("report_id") or task.get("id") or index)
    entries = [a for a in task.get("annotations") or [] if not a.get("was_cancelled")]
    entries = entries or list(task.get("predictions") or [])
    results = entries[-1].get("result", []) if entries else []
    lookup = {u: i for i, u in enumerate(_utf16_index(text))} if _needs_utf16(text) else None
    fields = _region_fields(results)
    spans = []
    for number, item in enumerate(results):
        if item.get("type") != "labels":
            continue  # relations, choices, the field text areas (read above): not spans
        value = item.get("value") or {}
        labels = value.get("labels") or []
        what = f"{where} result #{number} ({item.get('id')})"
        if len(labels) != 1 or "start" not in value or "end" not in value:
            raise AnnotationError(f"{what}: needs start, end and exactly one label, got {value!r}")
        start = _from_utf16(lookup, value["start"], what)
        end = _from_utf16(lookup, value["end"], what)
        span_text = value.get("text", text[start:end])
        spans.append(
            AnnotatedSpan(start, end, labels[0], span_text, fields.get(item.get("id")), item.get("score"))
        )
    report = AnnotatedReport(
        report_id, text, sort_spans(spans), data.get("gold"), dict(data.get("meta") or {})
    )
    validate_report(report, source=where, line=None)
    return report


def _region_fields(results: list[dict[str, Any]]) -> dict[Any, str]:
    """Region id → field id from the per-region `field` TextArea results (last text wins, blank = unset)."""
    out = {}
    for item in results:
        if item.get("type") == "textarea" and item.get("from_name") == FIELD_NAME:
            texts = [t for t in (item.get("value") or {}).get("text") or [] if t.strip()]
            if texts:
                out[item.get("id")] = field_from_tool(texts[-1])
    return out


def label_studio_to_reports(tasks: Any, *, source: str = "<label-studio>") -> list[AnnotatedReport]:
    if isinstance(tasks, dict):
        tasks = [tasks]
    if not isinstance(tasks, list):
        raise AnnotationError(f"{source}: expected a JSON list of tasks")
    return [label_studio_to_report(task, source=source, index=i) for i, task in enumerate(tasks)]


# --- doccano --------------------------------------------------------------------------------------


def label_to_doccano(span: AnnotatedSpan) -> str:
    """`COUNT`, or `COUNT|applications.new.total` / `COUNT|none` when the span carries a field."""
    if span.field is None:
        return span.label
    return f"{span.label}{LABEL_FIELD_SEPARATOR}{field_to_tool(span.field)}"


def label_from_doccano(text: Any) -> tuple[Any, str | None]:
    """(label, field) from a doccano label text (`COUNT|none` → ('COUNT', ''))."""
    if not isinstance(text, str) or LABEL_FIELD_SEPARATOR not in text:
        return text, None
    label, _, field = text.partition(LABEL_FIELD_SEPARATOR)
    return label, field_from_tool(field)


def _doccano_entity(index: int, span: AnnotatedSpan) -> dict[str, Any]:
    entity: dict[str, Any] = {
        "id": index,
        "start_offset": span.start,
        "end_offset": span.end,
        "label": label_to_doccano(span),
    }
    if span.confidence is not None:
        entity["confidence"] = span.confidence  # ours: doccano keeps unknown keys out of its UI
    return entity


def report_to_doccano(report: AnnotatedReport, *, form: str = "entities") -> dict[str, Any]:
    """One doccano JSONL object in the new (`entities`) or old (`label`) form; gold/meta ride along."""
    out: dict[str, Any] = {"id": report.id, "text": report.text}
    if form == "entities":
        out["entities"] = [_doccano_entity(i, s) for i, s in enumerate(report.spans)]
        out["relations"] = []
    elif form == "label":
        out["label"] = [[s.start, s.end, label_to_doccano(s)] for s in report.spans]
    else:
        raise ValueError(f"form must be 'entities' or 'label', not {form!r}")
    if report.gold is not None:
        out["gold"] = report.gold
    out["meta"] = dict(report.meta)
    return out


def doccano_to_report(data: Any, *, source: str = "<doccano>", line: int | None = None) -> AnnotatedReport:
    """Report from a doccano object of either form (offsets are code points)."""
    where = f"{source}:{line}" if line is not None else source
    if not isinstance(data, dict) or "text" not in data:
        raise AnnotationError(f"{where}: a doccano line needs `text`")
    text = data["text"]
    raw_spans: list[tuple[Any, Any, Any, Any]] = []
    if "entities" in data:
        for item in data["entities"]:
            raw_spans.append(
                (item.get("start_offset"), item.get("end_offset"), item.get("label"), item.get("confidence"))
            )
    elif "label" in data:
        for item in data["label"]:
            if not isinstance(item, list | tuple) or len(item) != 3:
                raise AnnotationError(f"{where}: old-form label items are [start, end, label], got {item!r}")
            raw_spans.append((*item, None))
    spans = []
    for number, (start, end, label_text, confidence) in enumerate(raw_spans):
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
            raise AnnotationError(
                f"{where}: span #{number} [{start}:{end}] {label_text}: offsets outside the text"
            )
        label, field = label_from_doccano(label_text)
        span = {"start": start, "end": end, "label": label, "text": text[start:end]}
        if field is not None:
            span["field"] = field
        if confidence is not None:
            span["confidence"] = confidence
        spans.append(span)
    obj = {
        "id": str(data.get("id", line if line is not None else 0)),
        "text": text,
        "spans": sorted(spans, key=lambda s: (s["start"], s["end"])),
        "gold": data.get("gold"),
        "meta": data.get("meta") if isinstance(data.get("meta"), dict) else {},
    }
    return report_from_json(obj, source=source, line=line)


# --- files ----------------------------------------------------------------------------------------


def export_reports(
    reports: Iterable[AnnotatedReport],
    path: str | Path,
    *,
    format: str,
    kind: str = "annotations",
    model_version: str | None = None,
    doccano_form: str = "entities",
) -> None:
    """Write reports as a Label Studio JSON list or doccano JSONL."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    reports = list(reports)
    if format == "label-studio":
        tasks = reports_to_label_studio(reports, kind=kind, model_version=model_version)
        path.write_text(json.dumps(tasks, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    elif format == "doccano":
        with path.open("w", encoding="utf-8", newline="\n") as handle:
            for report in reports:
                handle.write(
                    json.dumps(report_to_doccano(report, form=doccano_form), ensure_ascii=False) + "\n"
                )
    else:
        raise ValueError(f"format must be one of {FORMATS}, not {format!r}")


def import_reports(path: str | Path, *, format: str | None = None) -> list[AnnotatedReport]:
    """Read a Label Studio export (JSON list) or a doccano JSONL file; format guessed from the suffix."""
    path = Path(path)
    format = format or ("label-studio" if path.suffix.lower() == ".json" else "doccano")
    try:
        content = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise AnnotationError(f"{path}: cannot open: {exc.strerror}") from exc
    if format == "label-studio":
        try:
            tasks = json.loads(content)
        except json.JSONDecodeError as exc:
            raise AnnotationError(f"{path}:{exc.lineno}: bad JSON: {exc.msg}") from exc
        return label_studio_to_reports(tasks, source=str(path))
    if format == "doccano":
        reports = []
        for number, line in enumerate(content.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
            except json.JSONDecodeError as exc:
                raise AnnotationError(f"{path}:{number}: bad JSON: {exc.msg} at column {exc.colno}") from exc
            reports.append(doccano_to_report(data, source=str(path), line=number))
        return reports
    raise ValueError(f"format must be one of {FORMATS}, not {format!r}")
