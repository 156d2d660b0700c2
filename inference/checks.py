"""The report's own identities (勾稽关系). A failed check never changes a value.

PLACEHOLDER until issue 5 lands.
"""

from __future__ import annotations

from inference.assemble import Assembly
from inference.records import Check


def run_checks(assembly: Assembly, text: str) -> list[Check]:
    return []
