"""One report from text to checked result: normalise → tag → assemble → check, offsets mapped back.

Reading files, refusing bad input and batching across workers live in `inference/batch.py`.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Protocol

from inference.assemble import assemble
from inference.checks import run_checks
from inference.metadata import detect_metadata, metadata_checks, report_columns
from inference.normalize import NormalizedText, normalize
from inference.read import RawReport
from inference.records import ReportResult, Span


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
        **report_columns(meta, doc.to_original, raw.text),
        fields=dict(assembly.fields),
        records=records,
        checks=checks + metadata_checks(meta),
        meta={"encoding": raw.encoding, "kind": raw.kind},
    )


def predict_raw(raws: list[RawReport], tagger: Tagger) -> list[ReportResult]:
    """Normalise, tag (in one batch) and assemble already-read reports."""
    docs = [normalize(raw.text) for raw in raws]
    all_spans = tagger.tag_batch([doc.text for doc in docs])
    return [extract(raw, spans, doc) for raw, spans, doc in zip(raws, all_spans, docs, strict=True)]
