"""Report metadata detected from the text: issuer, statistics year, template generation.

PLACEHOLDER until issue 5 lands.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ReportMeta:
    issuer: str | None
    year: int | None
    template: str | None  # "pre2019" | "2019" | "2021"


def detect_metadata(text: str) -> ReportMeta:
    """Detect issuer, statistics year and template from normalised text."""
    return ReportMeta(issuer=None, year=None, template=None)
