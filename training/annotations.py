"""The annotation file format (JSON Lines, one report per line): dataclasses, load, save, validate.

Validation happens here, where annotation files are read, so that every consumer (training, the
synthetic generator, the interchange converters) can trust offsets. Converting to other tools'
formats lives in `training.interchange`; turning spans into model tags lives in training.

Example line (offsets are character offsets into `text`, start inclusive, end exclusive):

    {"id": "000", "text": "受理申请342件",
     "spans": [{"start": 4, "end": 8, "label": "COUNT", "text": "342件"}],
     "gold": {...}, "meta": {"origin": "seed"}}
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from inference import LABELS
from inference.catalogue import field_ids
from inference.errors import AnnotationError
from inference.records import Span

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class AnnotatedSpan:
    """One labelled stretch of an annotated report: `report.text[start:end] == text`."""

    start: int
    end: int
    label: str
    text: str
    field: str | None = None
    """COUNT spans only: the catalogue field id the count states (`+` combinations allowed), `""`
    for a count that states no catalogue field, None where the annotator did not say."""
    confidence: float | None = None
    """Silver spans only (`gia annotate --from-gold`): how sure the alignment is, 0..1."""

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"start": self.start, "end": self.end, "label": self.label, "text": self.text}
        if self.field is not None:
            out["field"] = self.field
        if self.confidence is not None:
            out["confidence"] = self.confidence
        return out

    def to_span(self, score: float = 1.0) -> Span:
        return Span(self.start, self.end, self.label, self.text, score)


@dataclass(frozen=True)
class AnnotatedReport:
    """One report with its spans (sorted by start), gold values and provenance."""

    id: str
    text: str
    spans: tuple[AnnotatedSpan, ...]
    gold: dict[str, Any] | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "text": self.text, "spans": [s.to_json() for s in self.spans]}
        if self.gold is not None:
            out["gold"] = self.gold
        out["meta"] = dict(self.meta)
        return out


def _where(source: str, line: int | None) -> str:
    return f"{source}:{line}" if line is not None else source


def _describe(span: AnnotatedSpan) -> str:
    return f"[{span.start}:{span.end}] {span.label} {span.text!r}"


def field_problem(field_id: object) -> str | None:
    """Why `field_id` is not a valid span field, or None: a catalogue id, a `+` combination, or `""`.

    >>> field_problem("applications.channel.fax+letter") is None
    True
    >>> field_problem("applications.chanel.fax").split(":")[0]
    "unknown field 'applications.chanel.fax'"
    """
    if not isinstance(field_id, str):
        return f'field must be a string (a catalogue id, or "" for none), got {field_id!r}'
    if field_id == "":
        return None
    known = set(field_ids())
    if field_id in known:
        return None
    if "+" in field_id:
        prefix, _, last = field_id.rpartition(".")
        parts = [f"{prefix}.{name}" for name in last.split("+")]
        missing = [p for p in parts if p not in known]
        if not missing and len(parts) > 1 and all(parts):
            return None
        return (
            f"unknown field {field_id!r}: a combination joins catalogue ids of one prefix "
            f"(`applications.channel.fax+letter`); not in the catalogue: {', '.join(missing) or field_id}"
        )
    return (
        f"unknown field {field_id!r}: not in the catalogue (inference/data/fields.tsv); "
        'use "" for a count that states no catalogue field'
    )


def validate_report(report: AnnotatedReport, *, source: str = "<memory>", line: int | None = None) -> None:
    """Raise `AnnotationError` naming file, line and span if the report disagrees with itself.

    Checks: labels in `inference.LABELS`; 0 <= start < end <= len(text); `text[start:end] == span.text`;
    `field` only on COUNT spans and known to the catalogue (`field_problem`); `confidence` in 0..1;
    no two spans overlap. Spans must be sorted by start (as `save_annotations` writes them).
    """
    where = _where(source, line)
    if not isinstance(report.text, str):
        raise AnnotationError(f"{where}: report {report.id!r}: `text` must be a string")
    previous: AnnotatedSpan | None = None
    for index, span in enumerate(report.spans):
        what = f"{where}: report {report.id!r} span #{index} {_describe(span)}"
        if span.label not in LABELS:
            raise AnnotationError(f"{what}: unknown label {span.label!r}; use one of {', '.join(LABELS)}")
        if not (isinstance(span.start, int) and isinstance(span.end, int)):
            raise AnnotationError(f"{what}: start and end must be integers")
        if not 0 <= span.start < span.end <= len(report.text):
            raise AnnotationError(
                f"{what}: offsets outside the text (length {len(report.text)}) or empty span"
            )
        actual = report.text[span.start : span.end]
        if actual != span.text:
            raise AnnotationError(
                f"{what}: text at these offsets is {actual!r}; fix the offsets or the span text"
            )
        if span.field is not None and span.label != "COUNT":
            raise AnnotationError(f"{what}: only COUNT spans carry a field")
        if span.field is not None:
            problem = field_problem(span.field)
            if problem:
                raise AnnotationError(f"{what}: {problem}")
        if span.confidence is not None and not (
            isinstance(span.confidence, int | float) and 0 <= span.confidence <= 1
        ):
            raise AnnotationError(f"{what}: confidence must be a number from 0 to 1, got {span.confidence!r}")
        if previous is not None:
            if span.start < previous.start:
                raise AnnotationError(f"{what}: spans are not sorted by start")
            if span.start < previous.end:
                raise AnnotationError(f"{what}: overlaps span {_describe(previous)}")
        previous = span


def report_from_json(data: Any, *, source: str = "<memory>", line: int | None = None) -> AnnotatedReport:
    """Build and validate one report from its decoded JSON object."""
    where = _where(source, line)
    if not isinstance(data, dict):
        raise AnnotationError(f"{where}: expected a JSON object, got {type(data).__name__}")
    for key in ("id", "text", "spans"):
        if key not in data:
            raise AnnotationError(f"{where}: missing key {key!r}")
    spans = []
    for index, raw in enumerate(data["spans"]):
        if not isinstance(raw, dict) or not {"start", "end", "label", "text"} <= raw.keys():
            raise AnnotationError(
                f"{where}: report {data['id']!r} span #{index}: needs start, end, label, text"
            )
        spans.append(
            AnnotatedSpan(
                raw["start"], raw["end"], raw["label"], raw["text"], raw.get("field"), raw.get("confidence")
            )
        )
    report = AnnotatedReport(
        id=str(data["id"]),
        text=data["text"],
        spans=tuple(spans),
        gold=data.get("gold"),
        meta=dict(data.get("meta") or {}),
    )
    validate_report(report, source=source, line=line)
    return report


def load_annotations(path: str | Path) -> list[AnnotatedReport]:
    """Read and validate a JSON Lines annotation file; blank lines are skipped."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise AnnotationError(f"{path}: cannot open: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise AnnotationError(f"{path}: not UTF-8") from exc
    reports = []
    seen: set[str] = set()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise AnnotationError(f"{path}:{number}: bad JSON: {exc.msg} at column {exc.colno}") from exc
        report = report_from_json(data, source=str(path), line=number)
        if report.id in seen:
            raise AnnotationError(f"{path}:{number}: duplicate report id {report.id!r}")
        seen.add(report.id)
        reports.append(report)
    logger.info("%s: %d reports", path, len(reports))
    return reports


def sort_spans(spans: Iterable[AnnotatedSpan]) -> tuple[AnnotatedSpan, ...]:
    return tuple(sorted(spans, key=lambda s: (s.start, s.end, s.label)))


def save_annotations(reports: Iterable[AnnotatedReport], path: str | Path) -> None:
    """Validate and write reports as JSON Lines (UTF-8, spans sorted by start)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        for number, report in enumerate(reports, start=1):
            report = AnnotatedReport(
                report.id, report.text, sort_spans(report.spans), report.gold, report.meta
            )
            validate_report(report, source=str(path), line=number)
            handle.write(json.dumps(report.to_json(), ensure_ascii=False) + "\n")


def spans_from_text(text: str, spans: Iterable[Span]) -> tuple[AnnotatedSpan, ...]:
    """Annotation spans from pipeline spans on the same text (drops score)."""
    return sort_spans(AnnotatedSpan(s.start, s.end, s.label, text[s.start : s.end]) for s in spans)
