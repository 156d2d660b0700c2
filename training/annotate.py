"""`gia annotate`: pre-annotate reports for Label Studio or doccano, so people correct, not start blank.

Reports are read and normalised exactly as for prediction; the model tagger proposes spans when a
model exists and loads, the rule tagger (`inference.rules`) otherwise. Spans are mapped back to the
text as read (Traditional stays Traditional, mirror pinyin stays) through the normaliser's offset
map, so corrected tasks import straight into the annotation format (`training.interchange`).
Silver annotations from gold values (`gia annotate --from-gold`) are made by `training.silver`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from inference import DEFAULT_MODEL_DIR
from inference.errors import UserError
from inference.normalize import NormalizedText, normalize
from inference.read import expand_paths, read_report
from inference.records import Span
from inference.rules import load_rule_tagger
from training.annotations import AnnotatedReport, AnnotatedSpan, sort_spans
from training.interchange import FORMATS, export_reports

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class AnnotateSummary:
    """What `annotate` wrote: how many reports and spans, which tagger, which files failed."""

    output: Path
    reports: int
    spans: int
    tagger: str
    failed: tuple[str, ...]


def choose_tagger(model_dir: str | Path | None):  # noqa: ANN201 - a Tagger (pipeline protocol)
    """(tagger, name): the model tagger when `model_dir` holds a model that loads, else the rules."""
    model_dir = Path(model_dir) if model_dir is not None else DEFAULT_MODEL_DIR
    if model_dir.exists():
        try:
            from inference.tag import load_tagger

            return load_tagger(model_dir), f"model:{model_dir}"
        except (UserError, OSError, ValueError) as exc:
            logger.warning("model at %s unusable (%s); pre-annotating with rules", model_dir, exc)
    else:
        logger.info("no model at %s; pre-annotating with rules", model_dir)
    return load_rule_tagger(), "rules"


def spans_to_original(doc: NormalizedText, spans: Iterable[Span]) -> tuple[AnnotatedSpan, ...]:
    """Normalised-text spans -> spans on `doc.original`; a span overlapping its predecessor is dropped."""
    out: list[AnnotatedSpan] = []
    for span in sorted(spans, key=lambda s: (s.start, s.end)):
        start, end = doc.to_original(span.start, span.end)
        if end <= start or (out and start < out[-1].end):
            logger.debug("dropping span %s after mapping to [%d:%d]", span, start, end)
            continue
        out.append(AnnotatedSpan(start, end, span.label, doc.original[start:end]))
    return sort_spans(out)


def pre_annotate(
    paths: Iterable[str | Path], *, model_dir: str | Path | None = None
) -> tuple[list[AnnotatedReport], str, list[str]]:
    """Read, normalise and tag reports; returns (reports, tagger name, unreadable files)."""
    tagger, name = choose_tagger(model_dir)
    reports, failed = [], []
    raws, docs = [], []
    for path in expand_paths(list(paths)):
        try:
            raw = read_report(path)
        except UserError as exc:
            logger.warning("%s", exc)
            failed.append(str(path))
            continue
        raws.append(raw)
        docs.append(normalize(raw.text))
    all_spans = tagger.tag_batch([doc.text for doc in docs]) if docs else []
    for raw, doc, spans in zip(raws, docs, all_spans, strict=True):
        meta = {"origin": "pre-annotation", "tagger": name, "source": raw.source, "encoding": raw.encoding}
        reports.append(
            AnnotatedReport(Path(raw.source).stem, raw.text, spans_to_original(doc, spans), None, meta)
        )
    return reports, name, failed


def annotate(
    paths: Iterable[str | Path],
    *,
    output: str | Path,
    format: str = "label-studio",
    model_dir: str | Path | None = None,
) -> AnnotateSummary:
    """Write pre-annotated tasks (Label Studio `predictions`, or doccano JSONL) for the reports."""
    if format not in FORMATS:
        raise UserError(f"unknown format {format!r}; use one of {', '.join(FORMATS)}")
    reports, name, failed = pre_annotate(paths, model_dir=model_dir)
    if not reports:
        raise UserError("no readable reports to annotate")
    export_reports(reports, output, format=format, kind="predictions", model_version=name)
    return AnnotateSummary(
        Path(output), len(reports), sum(len(r.spans) for r in reports), name, tuple(failed)
    )
