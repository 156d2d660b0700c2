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


@pytest.mark.parametrize(
    ("text", "cut_at"),
    [
        # another year's whole report appended: its title, then its opening
        (
            "溪口街道办事处2023年政府信息公开工作年度报告\n一、总体情况\n2023年，街道主动公开政府信息642条。\n"
            "溪口街道办事处2022年政府信息公开工作年度报告\n一、总体情况\n街道全年举办新闻发布会2次。",
            "溪口街道办事处2022年",
        ),
        # an appendix of the subunits' figures, and another body's table 供参考
        (
            "云岭县人民政府2021年政府信息公开工作年度报告\n全县主动公开政府信息9246条。\n"
            "附件：各乡镇情况\n石门镇…",
            "附件：各乡镇",
        ),
        (
            "西关街道办事处2021年政府信息公开工作年度报告\n全年本街道新收政府信息公开申请4件。\n"
            "附件：定远区人民政府2021年政府信息公开工作情况统计表（供参考）\n…",
            "附件：定远区",
        ),
        # the report's own statistics table as an appendix, and a list of attached files: no cut
        (
            "某县人民政府2021年政府信息公开工作年度报告\n全县主动公开政府信息9246条。\n"
            "附件：政府信息公开情况统计表\n…",
            None,
        ),
        # the issuer's own table under a caption with a short name or 年度 first: no cut
        (
            "榕东区人民政府2015年政府信息公开工作年度报告\n全年主动公开信息4386条。\n"
            "附件：2015年度榕东区政府信息公开情况统计表\n…",
            None,
        ),
        (
            "峡江市人民政府国有资产监督管理委员会2015年政府信息公开工作年度报告\n全年公开信息455条。\n"
            "附：峡江市国资委2015年政府信息公开情况统计表\n…",
            None,
        ),
        (
            "峡江市人民政府国有资产监督管理委员会2015年政府信息公开工作年度报告\n全年公开信息455条。\n"
            "附：峡江市财政局2015年政府信息公开情况统计表\n…",
            "附：峡江市财政局",
        ),
        (
            "平湖街道办事处2022年政府信息公开工作年度报告\n附件：1. 平湖街道办事处2021年度报告.pdf\n"
            "本年度公开236条。",
            None,
        ),
        # links to other years' reports before the report: no cut
        (
            "某县2020年政府信息公开工作年度报告\n某县2019年政府信息公开工作年度报告\n"
            "某县2021年政府信息公开工作年度报告\n一、总体情况\n公开12条。",
            None,
        ),
    ],
)
def test_foreign_part_start(text, cut_at):
    """Where a file stops being the report (probes of 2026-12-01: an appended earlier report, an
    appendix of townships' or another body's figures had been read as the issuer's)."""
    from inference.metadata import foreign_part_start

    cut = foreign_part_start(text, detect_metadata(text))
    assert (cut is None) if cut_at is None else (cut == text.index(cut_at))


def test_year_is_the_title_a_body_follows_not_a_sidebar_link() -> None:
    """A portal page lists next year's report and plan above this report's heading, and its plans
    name next year again (`2022年将…`): the title the body follows gives the year (probe html_layouts
    h02, h03 and nine more)."""
    text = (
        "首页 > 政务公开 > 年度报告\n云岭县人民政府2022年政府信息公开工作年度报告\n"
        "云岭县2022年政务公开工作要点\n"
        "云岭县人民政府2021年政府信息公开工作年度报告\n"
        "根据《中华人民共和国政府信息公开条例》，现公布本县年度报告。\n一、总体情况\n全县主动公开信息1200条。\n"
        "五、存在的主要问题及改进情况\n2022年将进一步规范公开。\n相关链接：云岭县政府信息公开指南（2022年修订）"
    )
    assert detect_year(text) == 2021
