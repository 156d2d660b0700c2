"""One report end to end: read → normalise → tag → assemble → check, offsets mapped back to the input."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Protocol

from inference.assemble import assemble
from inference.checks import run_checks
from inference.errors import ReadError
from inference.metadata import detect_metadata
from inference.normalize import NormalizedText, normalize
from inference.read import RawReport, read_report
from inference.records import ReportResult, Span

logger = logging.getLogger(__name__)


class Tagger(Protocol):
    """Anything that tags normalised texts with METRIC/CATEGORY/COUNT spans."""

    def tag_batch(self, texts: list[str]) -> list[list[Span]]: ...


def extract(raw: RawReport, spans: list[Span], doc: NormalizedText) -> ReportResult:
    """Assemble and check one normalised, tagged report; offsets in the result refer to `raw.text`."""
    meta = detect_metadata(doc.text)
    assembly = assemble(doc.text, spans, meta, offsets=doc.offsets)
    checks = run_checks(assembly, doc.text)
    records = []
    for record in assembly.records:
        start, end = doc.to_original(record.start, record.end)
        records.append(replace(record, start=start, end=end, text=raw.text[start:end]))
    return ReportResult(
        source=raw.source,
        issuer=meta.issuer,
        year=meta.year,
        template=meta.template,
        fields=dict(assembly.fields),
        records=records,
        checks=checks,
        meta={"encoding": raw.encoding, "kind": raw.kind},
    )


def predict_raw(raws: list[RawReport], tagger: Tagger) -> list[ReportResult]:
    """Normalise, tag (in one batch) and assemble already-read reports."""
    docs = [normalize(raw.text) for raw in raws]
    all_spans = tagger.tag_batch([doc.text for doc in docs])
    return [extract(raw, spans, doc) for raw, spans, doc in zip(raws, all_spans, docs, strict=True)]


def predict_paths(paths: Iterable[Path], tagger: Tagger, *, batch_size: int = 8) -> Iterator[ReportResult]:
    """Predict reports file by file; an unreadable file yields an error result, never stops the batch."""
    batch: list[RawReport] = []
    for path in paths:
        try:
            batch.append(read_report(path))
        except ReadError as exc:
            logger.warning("%s", exc)
            yield ReportResult(source=str(path), error=exc.problem)
            continue
        if len(batch) >= batch_size:
            yield from predict_raw(batch, tagger)
            batch = []
    if batch:
        yield from predict_raw(batch, tagger)
