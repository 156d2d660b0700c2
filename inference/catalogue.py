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


TABLE3_GROUPS: tuple[str, ...] = ("denied", "unavailable", "not_processed", "other")
"""Table 3 outcome rows with a printed subtotal (`applications.denied_total.*`) and reasons."""
ANSWERED_PARTS: tuple[str, ...] = (
    "already_public",
    "granted",
    "partial",
    "refused",
    "not_this_agency",
    "nonexistent",
    "correction",
    "other_channel",
    "other",
)
"""Old-template answers (`applications.answered.<part>`) that sum to the answered total."""
ANSWERED_REFUSED: tuple[str, ...] = (
    "refused_state_secret",
    "refused_commercial_secret",
    "refused_privacy",
    "refused_security_stability",
    "refused_not_gov_info",
    "refused_other_law",
)
"""The reasons (`applications.answered.<reason>`) that sum to `applications.answered.refused`."""
PARTS_OF: dict[str, str] = {
    "staff.full_time": "staff.total",
    "staff.part_time": "staff.total",
    "proactive.normative_docs": "proactive.total",
}
"""Fields that are a part of another (at most it). Proactive channels overlap (a document on the
website and on WeChat), so they are not parts of the total."""
SOLE_CHANNEL_TOTALS: dict[str, str] = {"proactive.channel.website": "proactive.total"}
"""A channel whose count, stated as all a body published (`全年通过门户网站主动公开政府信息58条`),
is the total as well. Gold files take one reading and list the other as optional (the spec's
"ambiguous channels"; `shared/cases/08`: the website; `shared/real` 005: the total), so where the
lexicons read one and the learned linker the other, the count states both (`inference.assemble`)."""


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


def combined_parts(field_id: str) -> tuple[str, ...]:
    """The ids a combined id joins (`combine_ids` reversed); a plain id is its own one part.

    >>> combined_parts("proactive.channel.weibo+wechat")
    ('proactive.channel.weibo', 'proactive.channel.wechat')
    """
    prefix, _, last = field_id.rpartition(".")
    return tuple(f"{prefix}.{name}" if prefix else name for name in last.split("+"))


@cache
def table3_reasons() -> dict[str, tuple[str, ...]]:
    """Each `TABLE3_GROUPS` group's reasons in catalogue order, read from the field ids.

    >>> table3_reasons()["unavailable"]
    ('not_held', 'needs_creation', 'unclear')
    """
    rows = [
        f.id.split(".")[1]
        for f in load_fields()
        if f.id.startswith("applications.") and f.id.endswith(".total")
    ]
    return {
        group: tuple(r[len(group) + 1 :] for r in rows if r.startswith(group + "_") and r != f"{group}_total")
        for group in TABLE3_GROUPS
    }
