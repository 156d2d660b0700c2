"""How reports print quantities: exact, approximate (`2900余条`, `约300人次`), 万/亿, 汉字 numerals.

Each formatter returns the printed text and the value the gold takes from it (spec convention 3:
`2万余条` → 20000), so the gold always follows what is printed, not what was sampled.
"""

from __future__ import annotations

import random

_DIGIT_HANZI = "零一二三四五六七八九"


def int_to_hanzi(n: int, *, liang: bool = True) -> str:
    """Chinese numeral for 0 ≤ n < 100, `两` for a lone 2 before a measure word.

    >>> int_to_hanzi(2), int_to_hanzi(12), int_to_hanzi(30), int_to_hanzi(45)
    ('两', '十二', '三十', '四十五')
    """
    if not 0 <= n < 100:
        raise ValueError(f"int_to_hanzi supports 0..99, got {n}")
    if n == 2 and liang:
        return "两"
    if n < 10:
        return _DIGIT_HANZI[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else _DIGIT_HANZI[tens]
    return head + "十" + (_DIGIT_HANZI[ones] if ones else "")


def big_hanzi(n: int) -> str:
    """Chinese numeral for any count (`一千二百三十五`), via cn2an; `两` for a lone 2.

    >>> big_hanzi(1235), big_hanzi(20300), big_hanzi(2)
    ('一千二百三十五', '二万零三百', '两')
    """
    import cn2an

    return "两" if n == 2 else cn2an.an2cn(n)


def year_to_hanzi(year: int) -> str:
    """`二〇一九` for 2019 (a year, never a COUNT)."""
    return "".join("〇一二三四五六七八九"[int(d)] for d in str(year))


def date_to_hanzi(year: int, month: int, day: int) -> str:
    return f"{year_to_hanzi(year)}年{int_to_hanzi(month, liang=False)}月{int_to_hanzi(day, liang=False)}日"


def _round_down(value: int) -> int:
    """Round down to two significant digits (`2937` → 2900, `86` → 80)."""
    if value < 20:
        return value
    magnitude = 10 ** (len(str(value)) - 2)
    return value // magnitude * magnitude


def clean_number(value: float) -> int | float:
    """Int where the value is integral (floating noise from 万/亿 products removed)."""
    rounded = round(value, 6)
    if abs(rounded - round(rounded)) < 1e-6:
        return int(round(rounded))
    return rounded


def format_decimal(value: float, places: int = 4) -> str:
    text = f"{value:.{places}f}".rstrip("0").rstrip(".")
    return text or "0"


def format_count(
    value: int, unit: str, rng: random.Random, *, style: str | None = None
) -> tuple[str, int | float]:
    """Print a count with its unit in one of the styles reports use; return (text, gold value)."""
    if style is None:
        choices = ["exact"] * 14
        if value >= 20:
            choices += ["approx_yu", "approx_yu", "approx_duo", "approx_yue"]
        if value >= 10000:
            choices += ["wan", "wan_yu"]
        if 0 < value <= 30 and unit not in ("元",):
            choices += ["hanzi"]
        if 30 <= value < 100 and value % 10 == 0:
            choices += ["hanzi_yu"]
        if 100 <= value < 100_000 and unit not in ("元",):
            choices += ["hanzi_big"]
        style = rng.choice(choices)
    if style == "exact":
        return f"{value}{unit}", value
    if style == "approx_yu":
        shown = _round_down(value)
        return f"{shown}余{unit}", shown
    if style == "approx_duo":
        shown = _round_down(value)
        return f"{shown}多{unit}", shown
    if style == "approx_yue":
        shown = _round_down(value)
        return f"约{shown}{unit}", shown
    if style == "wan":
        shown = round(value / 10000, 1 if value < 100000 else 0)
        return f"{format_decimal(shown)}万{unit}", clean_number(shown * 10000)
    if style == "wan_yu":
        shown = value // 10000
        return f"{shown}万余{unit}", shown * 10000
    if style == "hanzi":
        return f"{int_to_hanzi(value)}{unit}", value
    if style == "hanzi_big":
        return f"{big_hanzi(value)}{unit}", value
    if style == "hanzi_yu":
        shown = value // 10 * 10
        return f"{int_to_hanzi(shown)}余{unit}", shown
    raise ValueError(f"unknown count style {style!r}")


def format_money(
    yuan: int | float, rng: random.Random, *, style: str | None = None
) -> tuple[str, int | float]:
    """Money as reports print it (`478822元`, `5万元`, `1.2036 亿元`); gold in yuan."""
    if style is None:
        choices = ["yuan"]
        if yuan >= 1000:
            choices += ["wan", "wan"]
        if yuan >= 10_000_000:
            choices += ["yi", "yi"]
        style = rng.choice(choices)
    if style == "yuan":
        return f"{format_decimal(yuan, 2)}元", clean_number(yuan)
    if style == "wan":
        shown = round(yuan / 10000, rng.choice([0, 1, 2, 4]))
        if shown == 0:
            return f"{format_decimal(yuan, 2)}元", clean_number(yuan)
        space = rng.choice(["", "", " "])
        return f"{format_decimal(shown)}{space}万元", clean_number(shown * 10000)
    if style == "yi":
        shown = round(yuan / 1e8, 4)
        space = rng.choice(["", " "])
        return f"{format_decimal(shown)}{space}亿元", clean_number(shown * 1e8)
    raise ValueError(f"unknown money style {style!r}")
