"""Report metadata detected from the normalised text: issuer, statistics year, template generation.

The issuer comes from the title (`青岛市城阳区人民政府2017年政府信息公开工作报告`,
`2017年珠海市政府信息公开工作年度报告`, `德昌县2017年…报告`) or, without a title, from the
first body sentence naming a government or zone (`三厂工业园区认真按照…`). The year is the
statistics year (统计期限, title, `2019年度工作`), never the publication date. The template
generation comes from the table wording and, failing that, from the year.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass


@dataclass(frozen=True)
class ReportMeta:
    issuer: str | None
    year: int | None
    template: str | None  # "pre2019" | "2019" | "2021"


_YEAR = r"((?:19|20)\d{2})\s*年"
TITLE = re.compile(
    rf"^(?P<before>[^\n]*?){_YEAR}(?:度)?(?P<after>[^\n]*?)政府信息公开(?:工作)?(?:年度)?(?:报告|情况)"
)
STATISTICS_PERIOD = re.compile(
    rf"统计(?:期限|时限|区间|时段|范围)[^。\n]{{0,12}}?自?\s*{_YEAR}\s*1\s*月\s*1\s*日"
)
YEAR_OF_WORK = re.compile(rf"{_YEAR}度?(?:工作)?(?:开展)?情况|现将{_YEAR}")
ADMIN_SUFFIX = re.compile(r"(省|市|自治区|自治州|州|盟|地区|县|自治县|区|旗|镇|乡|街道)$")
BODY_ISSUER = re.compile(
    r"(?:^|[,，。:：\s、])((?:[\u4e00-\u9fff]{1,10}?)(?:人民政府|管理委员会|管委会|经济技术开发区|高新技术产业开发区"
    r"|经济开发区|工业园区|开发区|高新区|新区|园区)(?:管委会|管理委员会)?)"
)
GENERIC_PREFIX = re.compile(
    r"^(?:今年以来|近年来|本年度|全年|我|本|各|全|上级|省|市|县|区)(?![\u4e00-\u9fff]*[省市县区州旗])"
)
NOT_A_NAME = re.compile(r"按照|根据|落实|贯彻|认真|关于|报请|经|由|向|对|在|和|及|与|为|将|把|是")

# wording only the national tables print
TEMPLATE_2021 = re.compile(
    r"本年制发件数|现行有效件数|本年处理决定数量|本年收费金额|逾期不补正|逾期未按收费通知"
)
TEMPLATE_2019 = re.compile(
    r"本年新制作数量|本年新公开数量|对外公开总数量|上一年项目数量|本年新收政府信息公开申请数量"
)


def _issuer_from_title_part(part: str) -> str | None:
    part = part.strip(' \u3000|:：《》“”"')
    part = re.sub(r"^.*?(?:关于印发|关于公布|关于发布|关于)", "", part)
    part = re.sub(r"^(?:发布|公布|印发)", "", part)
    if not part or not re.search(r"[\u4e00-\u9fff]", part):
        return None
    if part.endswith("人民政府") or part.endswith("办公室") or part.endswith("委员会"):
        return part
    if part.endswith("政府") and ADMIN_SUFFIX.search(part[:-2]):
        return part[:-2] + "人民政府"
    if ADMIN_SUFFIX.search(part):
        return part + "人民政府"
    return part


def detect_issuer(text: str) -> str | None:
    """The body that publishes the report, as it names itself (`珠海市政府` → `珠海市人民政府`)."""
    head = text[:1500]
    lines = [line.strip(" \u3000|") for line in head.split("\n")]
    for i, line in enumerate(lines):
        match = TITLE.search(line)
        if not match:
            continue
        before, after = match.group("before"), match.group("after")
        # `2017年珠海市政府信息公开…`: the issuer is between the year and 政府信息公开
        if after.strip():
            candidate = after.strip()
            if candidate.endswith("市") or candidate.endswith("县") or candidate.endswith("区"):
                return candidate + "人民政府"
            found = _issuer_from_title_part(candidate)
            if found:
                return found
        if before.strip():
            found = _issuer_from_title_part(re.sub(r"^.*[:：]", "", before))
            if found:
                return found
        # the issuer on its own line above the title
        for prev in reversed(lines[:i]):
            if prev:
                found = _issuer_from_title_part(prev)
                if found and len(found) <= 30 and not re.search(r"报告|公开", prev):
                    return found
                break
    for match in BODY_ISSUER.finditer(head):
        name = match.group(1)
        if GENERIC_PREFIX.match(name) or NOT_A_NAME.search(name):
            continue
        return name
    return None


def detect_year(text: str) -> int | None:
    """The statistics year: 统计期限, then the title, then `2019年度工作`, then the most mentioned year."""
    match = STATISTICS_PERIOD.search(text)
    if match:
        return int(match.group(1))
    for line in text[:1500].split("\n"):
        match = TITLE.search(line)
        if match:
            return int(match.group(2))
    match = YEAR_OF_WORK.search(text)
    if match:
        return int(match.group(1) or match.group(2))
    years = Counter(int(m.group(1)) for m in re.finditer(_YEAR, text))
    return years.most_common(1)[0][0] if years else None


def detect_template(text: str, year: int | None) -> str | None:
    """`2021` or `2019` from the national tables' wording; otherwise from the year."""
    if TEMPLATE_2021.search(text):
        return "2021"
    if TEMPLATE_2019.search(text):
        return "2019"
    if year is None:
        return None
    if year >= 2021:
        return "2021"
    if year >= 2019:
        return "2019"
    return "pre2019"


def detect_metadata(text: str) -> ReportMeta:
    """Detect issuer, statistics year and template from normalised text."""
    year = detect_year(text)
    return ReportMeta(issuer=detect_issuer(text), year=year, template=detect_template(text, year))
