"""From tagged spans to records and canonical fields (prose and tables of every layout).

PLACEHOLDER until issue 5 lands.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from inference.metadata import ReportMeta
from inference.records import Number, Record, Span


@dataclass
class Assembly:
    """Records (offsets into the normalised text) and the fields they state."""

    records: list[Record] = field(default_factory=list)
    fields: dict[str, Number] = field(default_factory=dict)


def assemble(text: str, spans: list[Span], meta: ReportMeta) -> Assembly:
    """Link COUNT spans to METRIC/CATEGORY spans and map them to catalogue fields."""
    return Assembly()
