"""Tests for inference.metadata: issuer, statistics year and template from normalised report text."""

from __future__ import annotations

import json

import pytest

from inference import REPO_ROOT
from inference.metadata import detect_issuer, detect_metadata, detect_template, detect_year
from inference.normalize import normalize

SEEDS = REPO_ROOT / "annotations" / "seeds"
GOLD = REPO_ROOT / "annotations" / "gold"


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.stem)
def test_metadata_seed_reports_match_gold(path) -> None:
    gold = json.loads((GOLD / f"{path.stem}.json").read_text(encoding="utf-8"))
    meta = detect_metadata(normalize(path.read_text(encoding="utf-8")).text)
    assert (meta.issuer, meta.year, meta.template) == (gold["issuer"], gold["year"], gold["template"])
    assert meta.issuer_level in ("city", "county", "zone-park")
    assert meta.region is not None and meta.region.province


@pytest.mark.parametrize(
    ("text", "issuer"),
    [
        (
            "青岛市城阳区人民政府2017年政府信息公开工作报告\n城阳政务网 发布日期:2018-02-08",
            "青岛市城阳区人民政府",
        ),
        ("2017年珠海市政府信息公开工作年度报告\n", "珠海市人民政府"),
        ("德昌县2017年政府信息公开工作年度报告 |\n来源:德昌县人民政府办公室", "德昌县人民政府"),
        (
            "\n\n烟台市芝罘区人民政府\n\n2019 年政府信息公开工作年度报告\n\n一、总体情况",
            "烟台市芝罘区人民政府",
        ),
        ("一、总体情况\n今年以来,三厂工业园区认真按照市委、市政府工作部署", "三厂工业园区"),
        ("一、总体情况\n2019年,高新区管委会深入推进政务公开", "高新区管委会"),
        ("一、概述\n2019年,认真贯彻落实省人民政府关于推进政务公开的部署", None),
        ("2020年市生态环境局政府信息公开工作年度报告\n", "市生态环境局"),
        ("武汉市人民政府办公厅关于印发武汉市2018年政府信息公开工作年度报告的通知\n", "武汉市人民政府"),
        ("大连市卫生健康委员会2019年度政府信息公开工作年度报告\n", "大连市卫生健康委员会"),
    ],
)
def test_metadata_issuer(text: str, issuer: str | None) -> None:
    assert detect_issuer(text) == issuer


@pytest.mark.parametrize(
    ("text", "year"),
    [
        (
            "城阳政务网 发布日期:2018-02-08\n本报告中所列数据的统计期限自2017年1月1日起至2017年12月31日止。",
            2017,
        ),
        ("2019 年政府信息公开工作年度报告\n2020年1月20日", 2019),
        ("一、总体情况\n今年以来……现将2019年度工作开展情况报告如下:", 2019),
    ],
)
def test_metadata_year_is_the_statistics_year(text: str, year: int) -> None:
    assert detect_year(text) == year


@pytest.mark.parametrize(
    ("text", "year", "template"),
    [
        ("信息内容\t本年制发件数\t本年废止件数\t现行有效件数", 2021, "2021"),
        ("信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量", 2019, "2019"),
        ("一、本年新收政府信息公开申请数量\t75", 2020, "2019"),
        ("二、主动公开政府信息情况", 2017, "pre2019"),
        ("二、主动公开政府信息情况", 2022, "2021"),
        ("二、主动公开政府信息情况", None, None),
    ],
)
def test_metadata_template_from_tables_then_year(text: str, year: int | None, template: str | None) -> None:
    assert detect_template(text, year) == template


def test_the_year_of_the_reports_own_title_not_of_a_list_before_it() -> None:
    """A portal page lists other years' reports before the page's own title."""
    text = (
        "西岭市自然资源和规划局2021年政府信息公开工作年度报告\n"
        "西岭市自然资源和规划局2022年政府信息公开工作年度报告\n"
        "2022年，我局主动公开政府信息1243条。2022年共收到申请5件。"
    )
    assert detect_year(text) == 2022
    assert detect_year(text.replace("2021年", "2023年", 1)) == 2022
