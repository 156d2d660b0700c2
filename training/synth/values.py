"""Sample a plausible agency and its year's statistics, with the table identities (勾稽关系).

Magnitudes follow the agency size (a street office answers a handful of applications, a
prefecture-level government thousands); small agencies print many zeros. `break_identities`
perturbs printed values in a minority of reports, as real reports fail their own sums.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from inference.catalogue import APPLICANT_COLUMNS, table3_reasons

PROVINCES = (
    (
        "山东省",
        ("青岛市", "烟台市", "济南市", "潍坊市", "临沂市"),
        ("城阳区", "芝罘区", "历下区", "寿光市", "沂南县"),
    ),
    (
        "四川省",
        ("凉山彝族自治州", "成都市", "绵阳市", "宜宾市"),
        ("德昌县", "武侯区", "江油市", "南溪区", "西昌市"),
    ),
    ("广东省", ("珠海市", "广州市", "佛山市", "江门市"), ("香洲区", "天河区", "顺德区", "台山市", "斗门区")),
    ("江苏省", ("南通市", "苏州市", "无锡市", "徐州市"), ("海门市", "吴江区", "江阴市", "沛县", "如皋市")),
    ("浙江省", ("杭州市", "宁波市", "温州市", "金华市"), ("西湖区", "余姚市", "瑞安市", "义乌市", "永康市")),
    ("河南省", ("郑州市", "洛阳市", "南阳市", "周口市"), ("金水区", "偃师市", "邓州市", "项城市", "西峡县")),
    ("湖北省", ("武汉市", "宜昌市", "襄阳市", "荆州市"), ("江汉区", "夷陵区", "枣阳市", "松滋市", "当阳市")),
    (
        "河北省",
        ("石家庄市", "保定市", "唐山市", "邯郸市"),
        ("长安区", "涿州市", "迁安市", "武安市", "正定县"),
    ),
    ("湖南省", ("长沙市", "株洲市", "岳阳市", "常德市"), ("岳麓区", "醴陵市", "汨罗市", "津市市", "浏阳市")),
    ("安徽省", ("合肥市", "芜湖市", "安庆市", "阜阳市"), ("蜀山区", "无为市", "桐城市", "界首市", "肥西县")),
    ("福建省", ("福州市", "厦门市", "泉州市", "漳州市"), ("鼓楼区", "思明区", "晋江市", "龙海区", "南安市")),
    (
        "云南省",
        ("昆明市", "曲靖市", "大理白族自治州", "玉溪市"),
        ("五华区", "宣威市", "大理市", "澄江市", "弥勒市"),
    ),
)

DEPARTMENTS = (
    "发展和改革局",
    "教育局",
    "公安局",
    "民政局",
    "司法局",
    "财政局",
    "人力资源和社会保障局",
    "自然资源局",
    "生态环境局",
    "住房和城乡建设局",
    "交通运输局",
    "水利局",
    "农业农村局",
    "商务局",
    "文化和旅游局",
    "卫生健康委员会",
    "应急管理局",
    "审计局",
    "市场监督管理局",
    "统计局",
    "医疗保障局",
    "城市管理局",
)
TOWNS = (
    ("城关镇", "城关镇人民政府", "本镇"),
    ("北关镇", "北关镇人民政府", "本镇"),
    ("河口乡", "河口乡人民政府", "本乡"),
    ("新华街道", "新华街道办事处", "本街道"),
    ("东城街道", "东城街道办事处", "本街道"),
    ("三厂工业园区", "三厂工业园区管理委员会", "园区"),
    ("经济开发区", "经济开发区管理委员会", "开发区"),
)

SIZES: tuple[str, ...] = ("tiny", "small", "medium", "large")

# (low, high) per size for prose facts; sampled log-uniformly.
_RANGES: dict[str, tuple[tuple[int, int], ...]] = {
    #                tiny          small          medium           large
    "proactive.total": ((15, 600), (100, 4000), (1000, 30000), (8000, 160000)),
    "applications.new.total": ((0, 8), (0, 60), (15, 600), (150, 4000)),
    "responses.interpretations": ((0, 10), (2, 40), (10, 200), (40, 600)),
    "responses.press_conferences": ((0, 3), (0, 12), (3, 60), (20, 200)),
    "responses.online_interviews": ((0, 2), (0, 6), (2, 30), (8, 60)),
    "responses.hot_topics": ((0, 5), (0, 20), (5, 120), (20, 500)),
    "consultations.total": ((0, 80), (20, 1500), (300, 20000), (3000, 90000)),
    "staff.offices": ((1, 1), (1, 3), (10, 60), (30, 120)),
    "staff.reading_points": ((1, 2), (1, 5), (10, 60), (20, 150)),
    "staff.total": ((1, 4), (2, 12), (30, 200), (80, 600)),
    "meetings.total": ((0, 4), (1, 8), (2, 20), (4, 40)),
    "training.sessions": ((0, 3), (1, 6), (2, 20), (5, 50)),
    "training.participants": ((5, 40), (20, 300), (100, 1500), (300, 6000)),
    "complaints.total": ((0, 0), (0, 2), (0, 8), (0, 30)),
    "review.total": ((0, 1), (0, 4), (0, 30), (5, 120)),
    "litigation.total": ((0, 1), (0, 3), (0, 20), (2, 80)),
}


@dataclass(frozen=True)
class Agency:
    """Who publishes the report and how big they are."""

    issuer: str
    place: str  # short name used in prose (`我区`, `城阳区`)
    self_ref: str  # `我区`, `我局`, `本镇`
    size: str
    level: str  # "government" | "department" | "town"


def log_uniform(rng: random.Random, low: int, high: int) -> int:
    """Integer in [low, high], log-uniform so small values are as common as in real reports."""
    if high <= low:
        return low
    import math

    value = math.exp(rng.uniform(math.log(low + 1), math.log(high + 1))) - 1
    return max(low, min(high, int(value)))


def _dept_self(dept: str) -> str:
    return "我委" if dept.endswith("委员会") else "我" + dept[-1]


def sample_agency(rng: random.Random) -> Agency:
    province, cities, counties = rng.choice(PROVINCES)
    city = rng.choice(cities)
    county = rng.choice(counties)
    kind = rng.choices(["city", "county", "city_dept", "county_dept", "town"], weights=[2, 4, 2, 4, 2])[0]
    if kind == "city":
        return Agency(f"{city}人民政府", city, "我市", "large", "government")
    if kind == "county":
        return Agency(
            f"{city}{county}人民政府",
            county,
            "我" + county[-1],
            rng.choice(["medium", "medium", "small"]),
            "government",
        )
    if kind == "city_dept":
        dept = rng.choice(DEPARTMENTS)
        return Agency(
            f"{city}{dept}", city + dept, _dept_self(dept), rng.choice(["small", "medium"]), "department"
        )
    if kind == "county_dept":
        dept = rng.choice(DEPARTMENTS)
        return Agency(
            f"{county}{dept}", county + dept, _dept_self(dept), rng.choice(["tiny", "small"]), "department"
        )
    town, office, self_ref = rng.choice(TOWNS)
    return Agency(f"{county}{office}", town, self_ref, "tiny", "town")


NONE_YEAR_RATE = {"applications.new.total": 0.35}
"""Share of tiny agencies (townships, small offices) with none of this in the year: many township
reports state that they received no application at all."""


def sample_fact(rng: random.Random, field: str, size: str) -> int:
    low, high = _RANGES[field][SIZES.index(size)]
    if size == "tiny" and rng.random() < NONE_YEAR_RATE.get(field, 0.0):
        return 0
    return log_uniform(rng, low, high)


def split_total(rng: random.Random, total: int, weights: list[float], *, zero_rate: float = 0.0) -> list[int]:
    """Split `total` into len(weights) non-negative parts (multinomial-ish, deterministic for rng)."""
    if total <= 0:
        return [0] * len(weights)
    live = [w if rng.random() >= zero_rate else 0.0 for w in weights]
    if sum(live) <= 0:
        live = list(weights)
    noisy = [w * rng.uniform(0.3, 1.7) for w in live]
    scale = total / sum(noisy)
    parts = [int(w * scale) for w in noisy]
    rest = total - sum(parts)
    order = sorted(range(len(parts)), key=lambda i: -noisy[i])
    for k in range(rest):
        parts[order[k % len(order)]] += 1
    return parts


# Table 3 rows in order; ids as in fields.tsv (`applications.<row>.<column>`).
# (the subtotal groups' reasons, in catalogue order: `inference.catalogue.table3_reasons`)
DENIED_ROWS, UNAVAILABLE_ROWS, NOT_PROCESSED_ROWS, OTHER_ROWS_2021 = (
    tuple(f"{group}_{reason}" for reason in reasons) for group, reasons in table3_reasons().items()
)

# Relative frequency of each outcome among processed applications.
_OUTCOME_WEIGHTS = {
    "granted": 40,
    "partial": 8,
    "denied_state_secret": 0.3,
    "denied_law_forbidden": 0.6,
    "denied_security_stability": 0.3,
    "denied_third_party": 1.5,
    "denied_internal_affairs": 1.0,
    "denied_process_info": 1.5,
    "denied_enforcement_file": 0.8,
    "denied_query": 1.0,
    "unavailable_not_held": 22,
    "unavailable_needs_creation": 2,
    "unavailable_unclear": 2,
    "not_processed_petition": 3,
    "not_processed_duplicate": 3,
    "not_processed_publication": 0.5,
    "not_processed_excessive": 0.8,
    "not_processed_confirmation": 0.7,
    "other": 6,
    "other_no_correction": 2.5,
    "other_unpaid_fee": 0.3,
    "other_misc": 3,
}

COLUMN_WEIGHTS = (70, 18, 1, 1, 5, 5)  # natural_person, business, research, public_interest, legal, other


def outcome_rows(generation: str) -> tuple[str, ...]:
    tail = OTHER_ROWS_2021 if generation == "2021" else ("other",)
    return ("granted", "partial", *DENIED_ROWS, *UNAVAILABLE_ROWS, *NOT_PROCESSED_ROWS, *tail)


def sample_table3(rng: random.Random, new_total: int, generation: str) -> dict[str, list[int]]:
    """Consistent table 3: row id → 7 values (six applicant columns + total)."""
    cols = len(COLUMN_WEIGHTS)
    new = split_total(rng, new_total, list(COLUMN_WEIGHTS), zero_rate=0.35)
    carried_total = 0 if rng.random() < 0.55 else log_uniform(rng, 0, max(1, new_total // 8))
    carried = split_total(rng, carried_total, list(COLUMN_WEIGHTS), zero_rate=0.5)
    rows_out = outcome_rows(generation)
    # Rare outcomes mostly absent: a few rows get most of the weight.
    weights = [_OUTCOME_WEIGHTS[r] * (1.0 if rng.random() < 0.6 else 0.05) for r in rows_out]
    table: dict[str, list[int]] = {r: [0] * cols for r in rows_out}
    forward = [0] * cols
    for c in range(cols):
        available = new[c] + carried[c]
        fwd = 0 if available == 0 or rng.random() < 0.6 else rng.randint(0, max(0, available // 6))
        forward[c] = fwd
        parts = split_total(rng, available - fwd, weights, zero_rate=0.2)
        for r, v in zip(rows_out, parts, strict=True):
            table[r][c] = v
    out: dict[str, list[int]] = {"new": new, "carried_over": carried}
    out.update(table)
    out["processed_total"] = [sum(table[r][c] for r in rows_out) for c in range(cols)]
    out["carried_forward"] = forward
    for values in out.values():
        values.append(sum(values))
    return out


def subtotal(table: dict[str, list[int]], rows: tuple[str, ...]) -> list[int]:
    """Column sums (all seven columns, total included) of `rows`."""
    return [sum(table[r][c] for r in rows) for c in range(len(APPLICANT_COLUMNS))]


def break_identities(rng: random.Random, table: dict[str, list[int]]) -> str:
    """Perturb one printed value so a table-3 identity fails; returns what was broken."""
    kind = rng.choice(["row_total", "column_total", "balance", "cell"])
    if kind == "row_total":
        row = rng.choice(["new", "granted", "processed_total", "unavailable_not_held"])
        table[row][-1] += rng.choice([-2, -1, 1, 1, 2, 3])
    elif kind == "column_total":
        table["processed_total"][0] += rng.choice([-1, 1, 2])
    elif kind == "balance":
        table["new"][0] += rng.choice([1, 2, 5])
        table["new"][-1] = sum(table["new"][:-1])
    else:
        row = rng.choice(["granted", "partial", "unavailable_not_held", "carried_forward"])
        table[row][0] += rng.choice([1, 2, 3])
    for values in table.values():
        for i, v in enumerate(values):
            values[i] = max(0, v)
    return kind


def sample_review(rng: random.Random, total: int) -> list[int]:
    """维持, 纠正, 其他, 尚未审结, 总计."""
    parts = split_total(rng, total, [6, 1.5, 1, 1.5], zero_rate=0.3)
    return parts + [sum(parts)]
