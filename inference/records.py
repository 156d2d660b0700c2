"""Frozen dataclasses passed between pipeline steps, and their JSON form.

Offsets are character offsets, start inclusive, end exclusive. Inside the pipeline
they refer to the normalised text; `pipeline` maps them back to the input text
before anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

Number = int | float


def _shallow_dict(obj: Any) -> dict[str, Any]:
    """A flat dataclass's fields by name (`dataclasses.asdict` deep-copies every value: 10x slower)."""
    return {f.name: getattr(obj, f.name) for f in fields(obj)}


@dataclass(frozen=True)
class Span:
    """A tagged stretch of text: `text == doc[start:end]`, label in `inference.LABELS`."""

    start: int
    end: int
    label: str
    text: str
    score: float = 1.0


@dataclass(frozen=True)
class Record:
    """One extracted quantity with what it counts, as the spec's `records` entries."""

    metric: str
    categories: tuple[str, ...]
    value: Number
    unit: str
    approx: bool
    field: str | None
    start: int
    end: int
    text: str
    score: float = 1.0
    page: int | None = None  # 1-based page of a paged source (PDF); left out of the JSON when None
    excluded: str | None = None
    """Why a prose count is not the report year's statistic (`prose._excluded`: plan, other year,
    cumulative, charged, counting rule, outline: `等7个部分`, page metadata: `发布机构: 1`, digit
    run, cut off: the text ends inside the number); left out of the JSON when None."""
    linked_by: str | None = None
    """`"linker"` where the learned field linker chose `field` against the lexicons' reading (a
    gap filled or a field switched); left out of the JSON when None."""

    def to_json(self) -> dict[str, Any]:
        out = _shallow_dict(self)
        out["categories"] = list(self.categories)
        for optional in ("page", "excluded", "linked_by"):
            if out[optional] is None:
                del out[optional]
        return out


@dataclass(frozen=True)
class Check:
    """One of the report's own identities (勾稽关系) and whether it holds."""

    name: str
    ok: bool
    message: str

    def to_json(self) -> dict[str, Any]:
        return _shallow_dict(self)


@dataclass
class ReportResult:
    """Everything extracted from one report; `to_json` is the spec's output object."""

    source: str
    issuer: str | None = None
    year: int | None = None
    template: str | None = None
    issuer_level: str | None = None  # province | city | county | township-street | department | zone-park
    region: dict[str, str | None] | None = None  # {province, city, county, adcode}
    published: str | None = None  # ISO date
    issuer_source: dict[str, Any] | None = None  # {kind, start, end, text}: offsets into the input text
    fields: dict[str, Number] = field(default_factory=dict)
    records: list[Record] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    error: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "source": self.source,
            "issuer": self.issuer,
            "year": self.year,
            "template": self.template,
            "issuer_level": self.issuer_level,
            "region": dict(self.region) if self.region else None,
            "published": self.published,
            "issuer_source": dict(self.issuer_source) if self.issuer_source else None,
            "fields": dict(self.fields),
            "records": [r.to_json() for r in self.records],
            "checks": [c.to_json() for c in self.checks],
        }
        if self.error is not None:
            out["error"] = self.error
        if self.meta:
            out["meta"] = dict(self.meta)
        return out
