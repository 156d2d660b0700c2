"""The field catalogue (`data/fields.tsv`, copied from the output contract): ids, wording, units."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache

from inference import DATA_DIR

APPLICANT_COLUMNS: tuple[str, ...] = (
    "natural_person",
    "business",
    "research",
    "public_interest",
    "legal_service",
    "other_org",
    "total",
)


@dataclass(frozen=True)
class Field:
    """One canonical field id with the template wording it comes from."""

    id: str
    labels: str
    generation: str
    unit: str
    note: str


@cache
def load_fields() -> tuple[Field, ...]:
    """All catalogue fields in catalogue order."""
    with (DATA_DIR / "fields.tsv").open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(handle, delimiter="\t")
        return tuple(Field(r["id"], r["labels"], r["generation"], r["unit"], r["note"] or "") for r in rows)


@cache
def field_ids() -> tuple[str, ...]:
    return tuple(f.id for f in load_fields())


@cache
def field_order() -> dict[str, int]:
    """Position of each id, used to order combined ids (`fax+letter`) and output columns."""
    return {fid: i for i, fid in enumerate(field_ids())}


def get_field(field_id: str) -> Field | None:
    return {f.id: f for f in load_fields()}.get(field_id)


def combine_ids(ids: list[str]) -> str:
    """Join ids of a combined prose category in catalogue order.

    >>> combine_ids(["applications.channel.letter", "applications.channel.fax"])
    'applications.channel.fax+letter'
    """
    order = field_order()
    ids = sorted(set(ids), key=lambda i: order.get(i, 10**6))
    if len(ids) == 1:
        return ids[0]
    prefix = ids[0].rsplit(".", 1)[0]
    return prefix + "." + "+".join(i.rsplit(".", 1)[1] for i in ids)
