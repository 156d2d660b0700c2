"""Parse the text of one COUNT span into a number with unit, multiplier and approximation flag.

Works on NORMALISED text (ASCII digits and punctuation). It knows nothing about what is
counted; linking a quantity to its metric and field is left to `prose` and `tables`.

>>> parse_quantity("2万余条")
Quantity(value=20000, unit='条', approx=True, multiplier=10000, note='')
>>> parse_quantity("1.2036 亿元").value
120360000
>>> parse_quantity("二〇一九") is None
True
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

import cn2an

from inference.lexicon import CN_DIGITS, CN_NUMERAL_CHARS, MULTIPLIERS, unit_scale

logger = logging.getLogger(__name__)

EMPTY_CELLS: frozenset[str] = frozenset({"", "无", "-", "--", "/", "—", "——", "–", "－", "_", "空", "0.0"})
"""Cell contents that mean 0 in a printed standard table (spec convention 2)."""

APPROX_PREFIXES: tuple[str, ...] = ("大约", "将近", "接近", "超过", "多达", "约", "近", "逾", "超")
APPROX_SUFFIXES: tuple[str, ...] = ("有余", "左右", "以上", "上下", "多", "余")
DECREASE_WORDS: tuple[str, ...] = ("减少", "下降", "降低", "减")

_NUMBER = re.compile(
    rf"(?P<sign>[-+−])?\s*(?:(?P<arabic>\d+(?:,\d{{3}})*(?:\.\d+)?)|(?P<cn>[{CN_NUMERAL_CHARS}]+))"
)
_YEAR_DIGITWISE = re.compile(rf"^[{CN_DIGITS}]{{4}}$")


@dataclass(frozen=True)
class Quantity:
    """A parsed quantity. `value` already includes the multiplier and money conversion (yuan).

    `unit` is the counting unit as printed without multiplier (`条`, `件`, `人次`), `元` for money.
    `multiplier` is the scale that was applied (10000 for `万`), `note` any parenthetical cell note.
    """

    value: int | float
    unit: str
    approx: bool
    multiplier: int = 1
    note: str = ""


def _to_number(value: Decimal) -> int | float:
    """Decimal → int where integral, else float."""
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def _cn_to_decimal(text: str) -> Decimal | None:
    """汉字 numeral → Decimal; None for digit-wise years such as 二〇一九."""
    if _YEAR_DIGITWISE.match(text):
        return None
    if text in MULTIPLIERS:  # a bare 百/千 ("百余人") reads as one hundred, a bare 万 as ten thousand
        return Decimal(MULTIPLIERS[text])
    try:
        return Decimal(str(cn2an.cn2an(text, "smart")))
    except (ValueError, KeyError, IndexError, InvalidOperation):
        logger.debug("not a Chinese numeral: %r", text)
        return None


def _strip_note(text: str) -> tuple[str, str]:
    """Split off a parenthetical cell note: `5(建设工程规划许可证)` → ('5', '建设工程规划许可证')."""
    match = re.search(r"\(([^()]*)\)?\s*$", text)
    if match and match.start() > 0:
        return text[: match.start()].strip(), match.group(1).strip()
    return text, ""


def is_empty_cell(text: str) -> bool:
    """True for the cell contents a standard table uses for zero (`无`, `-`, `/`, `—`, blank)."""
    return text.strip().replace(" ", "") in EMPTY_CELLS


_MIXED = re.compile(
    r"(?:\d+(?:\.\d+)?\s*(?:[千百十]?[亿万]|[千百十])\s*){2,}\d*|\d+(?:\.\d+)?\s*(?:[千百]?[亿万]|[千百])\s*\d+"
)
"""Arabic digits mixed with 汉字 scales: `1万2千`, `4千5百`, `1万2000`, `1亿2千万` (one number)."""
_MIXED_GROUP = re.compile(r"(\d+(?:\.\d+)?)\s*([千百十]?)([亿万]?)")


def _mixed_to_digits(body: str) -> str:
    """`1万2千条` → `12000条`: a mixed number written out in digits (others unchanged)."""
    match = _MIXED.search(body)
    if match is None:
        return body
    total, section = Decimal(0), Decimal(0)
    for number, small, big in _MIXED_GROUP.findall(match.group()):
        value = Decimal(number) * (MULTIPLIERS[small] if small else 1)
        if big:
            total += (section + value) * MULTIPLIERS[big]
            section = Decimal(0)
        else:
            section += value
    total += section
    return body[: match.start()] + format(total.normalize(), "f") + body[match.end() :]


@lru_cache(maxsize=1 << 14)  # a report asks for the same cells and spans many times; results are frozen
def parse_quantity(text: str, *, cell: bool = False, default_unit: str | None = None) -> Quantity | None:
    """Parse one COUNT span; None when the text is not a quantity (years, percentages, words).

    `cell=True` reads table-cell conventions: `无`/`-`/`/`/`—`/blank are 0.
    `default_unit` is the unit a table column states for bare cells (`万元` → value ×10000, unit `元`).

    >>> parse_quantity("三十余次")
    Quantity(value=30, unit='次', approx=True, multiplier=1, note='')
    >>> parse_quantity("减少3项").value
    -3
    >>> parse_quantity("1.5", default_unit="万元").value
    15000
    """
    raw = text.strip()
    body, note = _strip_note(raw)
    if cell and (is_empty_cell(raw) or is_empty_cell(body)):
        return Quantity(0, _unit_of(default_unit or "")[0], False, note="" if is_empty_cell(raw) else note)
    if "%" in body or "‰" in body:
        return None
    body = _mixed_to_digits(body)
    match = _NUMBER.search(body)
    if match is None or re.match(r"\s*[年月日号时]", body[match.end() :]):
        return None  # no number, or a date (`2019年`, `3月`, `20日`), not a quantity
    number = _number_of(match)
    if number is None:
        return None
    prefix = body[: match.start()].strip()
    approx = any(prefix.endswith(p) for p in APPROX_PREFIXES)
    negative = match.group("sign") in ("-", "−") or any(
        prefix.endswith(w) or w in note for w in DECREASE_WORDS
    )
    tail = _read_tail(body[match.end() :].strip(), arabic=match.group("arabic") is not None)
    unit_text = tail.unit or default_unit or ""
    unit, unit_scale = _unit_of(unit_text)
    if unit == "年" or unit_text.startswith("年"):
        return None
    value = number * tail.multiplier * unit_scale
    return Quantity(
        _to_number(-value if negative else value),
        unit,
        approx or tail.approx,
        tail.multiplier * unit_scale,
        note,
    )


def _number_of(match: re.Match[str]) -> Decimal | None:
    """The number a `_NUMBER` match writes (Arabic or 汉字), without sign."""
    if match.group("arabic") is None:
        return _cn_to_decimal(match.group("cn"))
    try:
        return Decimal(match.group("arabic").replace(",", ""))
    except InvalidOperation:
        return None


@dataclass(frozen=True)
class _Tail:
    """What follows a number: multiplier (万/亿, 千 after Arabic digits), unit text, approximation."""

    multiplier: int
    unit: str
    approx: bool


def _strip_approx(rest: str, *, before_scale: bool = False) -> tuple[str, bool]:
    """Remove a leading 余/多/左右 …; `before_scale`: only where 万/亿 follows it (`10余万元`)."""
    for suffix in APPROX_SUFFIXES:
        if rest.startswith(suffix) and (
            not before_scale or rest[len(suffix) : len(suffix) + 1] in ("万", "亿")
        ):
            return rest[len(suffix) :], True
    return rest, False


def _read_tail(rest: str, *, arabic: bool) -> _Tail:
    """`余万元` → multiplier 10000, unit `元`, approx; `千米` is a unit, not a multiplier."""
    rest, approx_before = _strip_approx(rest, before_scale=True)
    multiplier = 1
    scales = ("万", "亿", "千") if arabic else ("万", "亿")
    while rest[:1] in scales and not rest.startswith("千米"):
        multiplier *= MULTIPLIERS[rest[0]]
        rest = rest[1:].lstrip()
    rest, approx_after = _strip_approx(rest)
    unit_text = re.match(r"[^\s\d,;:()。、，；]*", rest).group(0)
    approx_unit = False
    for suffix in APPROX_SUFFIXES:
        if unit_text.endswith(suffix) and len(unit_text) > len(suffix):
            approx_unit, unit_text = True, unit_text[: -len(suffix)]
            break
    return _Tail(multiplier, unit_text, approx_before or approx_after or approx_unit)


def _unit_of(unit_text: str) -> tuple[str, int]:
    """`万元` → ('元', 10000); `亿元` → ('元', 10**8); `条` → ('条', 1) (scales from `units.tsv`)."""
    unit_text = unit_text.strip()
    known = unit_scale(unit_text)
    if known is not None:
        return known
    scale = 1
    while unit_text[:1] in ("万", "亿", "千") and len(unit_text) > 1:
        scale *= MULTIPLIERS[unit_text[0]]
        unit_text = unit_text[1:]
    if unit_text.startswith("元"):
        unit_text = "元"
    return unit_text, scale
