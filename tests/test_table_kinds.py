"""Issue 11's failure kinds, each with invented numbers in several layouts (one line, spaces, tabs,
HTML, pipes): table 2 behind prose, glued cells, the old 统计表 with run-together columns, odd table
shapes, table 4 as one row, and identities that fail."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests_support import layout_rows

from inference.assemble import Assembly, merge_fields
from inference.catalogue import APPLICANT_COLUMNS
from inference.checks import run_checks
from inference.normalize import normalize
from inference.read import read_report
from inference.table_cells import Token
from inference.tables import (
    TableExtraction,
    entries,
    extract_tables,
    label_similarity,
    old_columns,
    procurement_cut,
    t3_printed_columns,
)


def _tables(text: str, template: str | None = None) -> TableExtraction:
    doc = normalize(text)
    return extract_tables(doc.text, [], template=template, offsets=doc.offsets)


def _html_tables(tmp_path: Path, rows: list[list[str]], before: str = "", after: str = "") -> TableExtraction:
    cells = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    path = tmp_path / "report.html"
    html = f"<html><body>{before}<table>{cells}</table>{after}</body></html>"
    path.write_text(html, encoding="utf-8")
    doc = normalize(read_report(path).text)
    return extract_tables(doc.text, [], template=None, offsets=doc.offsets)


def _fields(result: TableExtraction, prefix: str) -> dict[str, float]:
    return {k: v for k, v in result.fields.items() if k.startswith(prefix)}


# ------------------------------------------------------------------ kind 1: table 2 behind prose

PROSE_T2 = "二、主动公开政府信息情况 确保网上发布信息内容准确完整,公开行政许可信息68条。"
T2_ROWS = [
    ["第二十条第(一)项"],
    ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"],
    ["规章", "0", "0", "0"],
    ["规范性文件", "12", "12", "45"],
    ["第二十条第(五)项"],
    ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
    ["行政许可", "512", "0", "317"],
]
T2_WANT = {
    "proactive.rules.made": 0,
    "proactive.rules.published": 0,
    "proactive.rules.in_force": 0,
    "proactive.normative.made": 12,
    "proactive.normative.published": 12,
    "proactive.normative.in_force": 45,
    "proactive.licensing.prev_items": 512,
    "proactive.licensing.change": 0,
    "proactive.licensing.decisions": 317,
}


@pytest.mark.parametrize("sep", ["\t", " ", " | "])
def test_table2_rows_found_behind_prose_that_says_xinxi_neirong(sep: str) -> None:
    text = (
        PROSE_T2
        + "\n"
        + "\n".join(sep.join(row) for row in T2_ROWS)
        + "\n三、收到和处理政府信息公开申请情况\n"
    )
    assert _fields(_tables(text, "2019"), "proactive.") == T2_WANT


def test_table2_rows_found_behind_prose_in_html(tmp_path: Path) -> None:
    result = _html_tables(tmp_path, T2_ROWS, before=f"<p>{PROSE_T2}</p>", after="<p>三、收到和处理</p>")
    assert _fields(result, "proactive.") == T2_WANT


def test_table2_labels_stacked_in_one_cell_give_no_value() -> None:
    """`信息内容行政处罚行政强制\t\t20`: two row labels in one cell of a cell-separated table (a PDF
    without rulings stacked them); the 20 may be either row's. No value for both, and a check; the
    same labels met in a crawler's one-line copy (no separators: a blank row vanished) keep the usual
    reading."""
    head = "第二十条第(五)项\n信息内容\t\t本年处理决定数量\n行政许可\t\t55\n第二十条第(六)项\n"
    result = _tables(head + "信息内容行政处罚行政强制\t\t20\n第二十条第(八)项\n", "2021")
    assert result.fields["proactive.licensing.decisions"] == 55
    assert not any(k.startswith(("proactive.penalty", "proactive.coercion")) for k in result.fields)
    assert any(c.name == "table2.layout" and "行政处罚 / 行政强制" in c.message for c in result.checks)
    glued = _tables(
        "第二十条第(五)项信息内容本年处理决定数量行政许可55第二十条第(六)项信息内容行政处罚行政强制20", "2021"
    )
    assert glued.fields["proactive.coercion.decisions"] == 20


# ------------------------------------------------------------------------- kind 2: glued cells

T2_HEAD = (
    "第二十条第(一)项信息内容本年新制作数量本年新公开数量对外公开总数量规章000规范性文件4412"
    "第二十条第(五)项信息内容上一年项目数量本年增/减处理决定数量"
)


def test_count_glued_to_amount_is_cut_where_one_cut_is_plausible() -> None:
    text = T2_HEAD + "第二十条第(九)项信息内容采购项目数量采购总金额政府集中采购243816500.00元三、收到和处理"
    result = _tables(text, "2019")
    assert result.fields["proactive.procurement.items"] == 24
    assert result.fields["proactive.procurement.amount"] == 3816500
    assert any("a prior" in c.message for c in result.checks if c.name == "table2.layout")


def test_glued_amount_cut_abstains_when_no_cut_is_plausible() -> None:
    assert procurement_cut(Token(0, 4, "1950", 1950, "")) is None  # no decimals, no unit: not an amount
    sol, note = procurement_cut(Token(0, 11, "2987654321元", 2987654321, "元"))
    assert sol is None and "no value" in note


def test_amount_alone_in_its_cell_is_not_cut() -> None:
    text = (
        T2_HEAD.replace("规范性文件4412", "规范性文件\t4\t4\t12")
        + "\n政府集中采购\t\t386500.00元\n三、收到和处理"
    )
    result = _tables(text, "2019")
    assert result.fields["proactive.procurement.items"] == 0
    assert result.fields["proactive.procurement.amount"] == 386500


def test_ambiguous_three_cell_run_gives_no_value_and_a_check() -> None:
    text = T2_HEAD + "行政许可3960181其他对外管理服务事项107105第二十条第(六)项三、收到和处理"
    result = _tables(text, "2019")
    assert result.fields["proactive.licensing.prev_items"] == 396
    assert not any(k.startswith("proactive.other_services.") for k in result.fields)
    assert any(c.name == "table2.ambiguous" and not c.ok and "其他对外" in c.message for c in result.checks)
    # the row is printed: prose elsewhere may not fill what the table leaves undecided
    assert "proactive.other_services.decisions" in result.undecided
    prose = {"proactive.other_services.decisions": 500, "review.total": 1}
    merged = merge_fields(result.fields, prose, template="2019", undecided=result.undecided)[0]
    assert "proactive.other_services.decisions" not in merged and merged["review.total"] == 1


def test_three_cells_with_separators_are_read_as_printed() -> None:
    text = (
        T2_HEAD.replace("规范性文件4412", "规范性文件\t4\t4\t12")
        + "\n其他对外管理服务事项\t10\t7\t105\n三、收到和处理"
    )
    result = _tables(text, "2019")
    assert _fields(result, "proactive.other_services.") == {
        "proactive.other_services.prev_items": 10,
        "proactive.other_services.change": 7,
        "proactive.other_services.decisions": 105,
    }


# ----------------------------------------------------- kind 3 and 4: old 统计表 with two columns

OLD_ROWS = [
    ("主动公开信息数", "条", 512, 2048),
    ("其中:1.网站公开", "条", 490, 2015),
    ("2.政府公报公开", "条", 22, 33),
    ("受理依申请公开信息总数", "条", 9, 30),
    ("其中:1.当面申请数", "条", 6, 18),
    ("2.网上申请数", "条", 3, 12),
    ("对申请的答复数", "条", 9, 30),
    ("其中:1.同意公开答复数", "条", 7, 25),
    ("2.同意部分公开答复数", "条", 2, 5),
    ("3.否决公开答复数", "条", 0, 0),
    ("行政复议数", "件", 0, 1),
    ("行政诉讼数", "件", 0, 0),
    ("行政申诉数", "件", 0, 0),
]
OLD_WANT = {
    "proactive.total": 512,
    "proactive.channel.website": 490,
    "proactive.channel.gazette": 22,
    "applications.new.total": 9,
    "applications.channel.in_person": 6,
    "applications.channel.online": 3,
    "applications.answered.total": 9,
    "applications.answered.granted": 7,
    "applications.answered.partial": 2,
    "applications.answered.refused": 0,
    "review.total": 0,
    "litigation.total": 0,
    "complaints.total": 0,
}
OLD_HEAD = "附件:政府信息公开情况统计表 指标名称 计量单位 2016年度 历年累计 "


def _old_text(sep: str, glue: bool) -> str:
    rows = [
        f"{label}{sep}{unit}{sep}{this}{'' if glue else sep}{total}" for label, unit, this, total in OLD_ROWS
    ]
    return (
        "四、依申请公开情况 本年未收到行政复议申请。"
        + OLD_HEAD
        + ("" if glue else sep).join(rows)
        + " 附件下载"
    )


@pytest.mark.parametrize(("sep", "glue"), [("", True), (" ", False), ("\t", False)])
def test_old_table_every_printed_row_gives_its_field(sep: str, glue: bool) -> None:
    assert _tables(_old_text(sep, glue)).fields == OLD_WANT


def test_old_table_rows_in_html(tmp_path: Path) -> None:
    rows = [["指标名称", "计量单位", "2016年度", "历年累计"]] + [
        [a, b, str(c), str(d)] for a, b, c, d in OLD_ROWS
    ]
    assert _html_tables(tmp_path, rows, before="<p>附件:政府信息公开情况统计表</p>").fields == OLD_WANT


def test_old_table_run_together_split_by_the_tables_own_sums() -> None:
    result = _tables(_old_text("", True))
    splits = {c.message.split(":")[0]: c.message for c in result.checks if c.name == "old_table.split"}
    assert "512 | 2048" in splits["主动公开信息数"] and "=" in splits["主动公开信息数"]
    assert "9 | 30" in splits["受理依申请公开信息总数"]


def test_old_table_split_by_prose_when_the_sums_fail() -> None:
    text = (
        "全年共主动公开政府信息1853条。"
        + OLD_HEAD
        + "主动公开信息数条18535395其中:1.网站公开条171350172.政府公报公开条07"
        "受理依申请公开信息总数条00"
    )
    result = _tables(text)
    assert result.fields["proactive.total"] == 1853
    assert result.fields["proactive.channel.website"] == 1713
    assert result.fields["proactive.channel.gazette"] == 0
    messages = " ".join(c.message for c in result.checks)
    assert "prose states 1853" in messages and "no printed figure confirms it" in messages


def test_old_table_abstains_where_no_evidence_decides() -> None:
    result = _tables(OLD_HEAD + "行政复议数件1999999行政诉讼数件00")
    assert "review.total" not in result.fields
    assert result.fields["litigation.total"] == 0
    assert any(c.name == "old_table.ambiguous" and not c.ok for c in result.checks)


# ------------------------------------------------------------------ kind 5: odd table shapes


def test_old_columns_come_from_the_header() -> None:
    assert old_columns("指标名称 计量单位 代码 本期实际 本年累计") == (
        "unit",
        "code",
        "this_year",
        "cumulative",
    )
    assert old_columns("指标 单位 统计数") == ("unit", "this_year")
    columns = ("unit", "previous", "this_year", "cumulative")
    assert old_columns("指标名称 计量单位 上年数 本年 累计") == columns
    assert old_columns("主要指标 2018年 2019年 增减", 2019) == ("previous", "this_year")
    assert old_columns("指标 2012年 历年累计", 2012) == ("this_year", "cumulative")  # one year: not compared


@pytest.mark.parametrize("sep", ["\t", " | "])
@pytest.mark.parametrize(("year", "expected"), [(2019, 812), (2018, 640), (2017, None), (None, None)])
def test_a_table_comparing_years_gives_the_report_years_column(sep: str, year, expected) -> None:
    """`指标 | 2018年 | 2019年 | 增减`: the report's year picks the column; where it is not printed
    (or unknown) no value, and a failed check says why (the first column was read as this year's)."""
    lines = [
        sep.join(["工作数据", "2018年", "2019年", "增减"]),
        sep.join(["主动公开政府信息数（条）", "640", "812", "172"]),
        sep.join(["受理政府信息公开申请数（件）", "21", "35", "14"]),
    ]
    doc = normalize("二、主要数据对比\n" + "\n".join(lines) + "\n")
    result = extract_tables(doc.text, [], template="pre2019", offsets=doc.offsets, year=year)
    assert result.fields.get("proactive.total") == expected
    if expected is None:
        assert any(c.name == "old_table.layout" and not c.ok for c in result.checks)


@pytest.mark.parametrize("sep", ["\t", "\n| "])
def test_code_column_is_not_a_value(sep: str) -> None:
    rows = [
        ("主动公开信息数", "条", "01", 77, 300),
        ("申请总数", "条", "10", 5, 9),
        ("1.当面申请数", "条", "11", 5, 8),
    ]
    body = "\n".join(sep.join(str(c) for c in row) for row in rows)
    text = (
        "政府信息公开情况统计报表\n指标名称"
        + sep
        + sep.join(["计量单位", "代码", "本期实际", "本年累计"])
        + "\n"
        + body
    )
    assert _tables(text).fields == {
        "proactive.total": 77,
        "applications.new.total": 5,
        "applications.channel.in_person": 5,
    }


def test_signed_changes_in_html_table2(tmp_path: Path) -> None:
    rows = [
        ["第二十条第(五)项"],
        ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
        ["行政许可", "41", "+2", "980"],
        ["其他对外管理服务事项", "7", "-3", "66"],
    ]
    result = _html_tables(tmp_path, rows, after="<p>三、收到和处理</p>")
    assert result.fields["proactive.licensing.change"] == 2
    assert result.fields["proactive.other_services.change"] == -3
    assert result.fields["proactive.other_services.decisions"] == 66


def test_t3_header_words_split_over_lines_still_name_all_columns() -> None:
    header = (
        "三、收到和处理\n申请人情况\n|\n自然人\n|\n法人或其他组织\n|\n总计\n|\n商业\n企业\n|\n科研\n机构\n|\n"
    )
    header += "社会公益组织\n|\n法律服务机构\n|\n其他\n|\n"
    assert len(t3_printed_columns(header)) == 7


def test_t3_printed_columns_from_header() -> None:
    assert t3_printed_columns(
        "三、收到和处理 申请人情况 自然人 法人或其他组织 总计 商业企业 科研机构 社会公益组织 法律服务机构 "
        "其他 小计"
    )[-2:] == ("subtotal", "total")
    assert t3_printed_columns("三、收到和处理 申请人情况 自然人 法人或其他组织 总计 商业企业") == (
        "natural_person",
        "business",
        "total",
    )


T3_REDUCED = [
    ("一、本年新收政府信息公开申请数量", 31, 4, 35),
    ("二、上年结转政府信息公开申请数量", 1, 0, 1),
    ("(一)予以公开", 20, 3, 23),
    ("(二)部分公开", 5, 0, 5),
    ("(七)总计", 25, 3, 28),
    ("四、结转下年度继续办理", 7, 1, 8),
]


def test_reduced_table3_in_tabs_puts_values_only_in_printed_columns() -> None:
    head = (
        "三、收到和处理政府信息公开申请情况\n\t申请人情况\n\t自然人\t法人或其他组织\t总计\n\t\t商业企业\t\n"
    )
    text = (
        head + "\n".join("\t".join(str(c) for c in row) for row in T3_REDUCED) + "\n四、政府信息公开行政复议"
    )
    fields = _tables(text, "2021").fields
    assert fields["applications.new.natural_person"] == 31
    assert fields["applications.new.business"] == 4
    assert fields["applications.processed_total.total"] == 28
    assert not any(
        k.endswith((".research", ".public_interest", ".legal_service", ".other_org")) for k in fields
    )


# ---------------------------------------------------------- kind 6: table 4 as one row, page header

T4_VALUES = [3, 1, 2, 0, 6, 4, 0, 1, 1, 6, 2, 2, 0, 0, 4]


@pytest.mark.parametrize("row", [" | ".join(map(str, T4_VALUES)), "\t".join(map(str, T4_VALUES))])
def test_table4_one_row_under_a_one_line_header(row: str) -> None:
    text = f"四、政府信息公开行政复议、行政诉讼情况\n行政复议行政诉讼\n| {row} |\n五、存在的主要问题"
    fields = _tables(text, "2021").fields
    assert [
        fields["review.total"],
        fields["litigation.direct.total"],
        fields["litigation.after_review.total"],
    ] == [
        6,
        6,
        4,
    ]
    assert fields["litigation.direct.pending"] == 1


def test_table4_one_row_that_does_not_add_up_is_not_taken() -> None:
    values = " | ".join(map(str, [3, 1, 2, 0, 9, *T4_VALUES[5:]]))
    text = f"四、政府信息公开行政复议、行政诉讼情况\n行政复议行政诉讼\n| {values} |\n"
    assert _fields(_tables(text, "2021"), "review.") == {}


T3_HEAD = (
    "三、收到和处理政府信息公开申请情况\n申请人情况\n自然人\t法人或其他组织\t总计\n"
    "商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\n"
)


def test_table3_broken_by_a_page_header() -> None:
    head = T3_HEAD
    rows = [
        "一、本年新收政府信息公开申请数量\t5\t1\t0\t0\t0\t0\t6",
        "二、上年结转政府信息公开申请数量\t0\t0\t0\t0\t0\t0\t0",
        "三、本年度办理结果\t(一)予以公开\t4\t1\t0\t0\t0\t0\t5",
        "— 7 —",
        "(二)部分公开\t1\t0\t0\t0\t0\t0\t1",
        "(七)总计\t5\t1\t0\t0\t0\t0\t6",
        "四、结转下年度继续办理\t0\t0\t0\t0\t0\t0\t0",
    ]
    fields = _tables(head + "\n".join(rows) + "\n四、政府信息公开行政复议", "2019").fields
    assert fields["applications.partial.natural_person"] == 1
    assert fields["applications.processed_total.total"] == 6


# ------------------------------------------------------------ kind 7: identities that fail


def test_failed_identity_keeps_printed_values_and_is_marked() -> None:
    head = T3_HEAD
    rows = [
        "一、本年新收政府信息公开申请数量\t5\t1\t0\t0\t0\t0\t6",
        "二、上年结转政府信息公开申请数量\t0\t0\t0\t0\t0\t0\t0",
        "三、本年度办理结果\t(一)予以公开\t4\t1\t0\t0\t0\t0\t5",
        "(二)部分公开\t3\t0\t0\t0\t0\t0\t3",
        "(七)总计\t5\t1\t0\t0\t0\t0\t6",
        "四、结转下年度继续办理\t0\t0\t0\t0\t0\t0\t0",
    ]
    text = normalize(head + "\n".join(rows) + "\n").text
    result = extract_tables(text, [], template="2019")
    assert result.fields["applications.partial.natural_person"] == 3  # printed, not repaired
    checks = run_checks(Assembly(fields=result.fields, template="2019"), text)
    failed = [c for c in checks if not c.ok and c.name.startswith("table3.outcomes")]
    assert failed and any("natural_person" in c.name or "natural_person" in c.message for c in failed)


def test_old_table_sum_that_fails_keeps_printed_values_and_names_the_fields() -> None:
    text = (
        OLD_HEAD
        + "主动公开信息数 条 600 2400 其中:1.网站公开 条 550 2300 2.政府公报公开 条 20 60 "
        + "受理依申请公开信息总数 条 0 0"
    )
    result = _tables(text)
    assert result.fields["proactive.total"] == 600 and result.fields["proactive.channel.website"] == 550
    failed = [c for c in result.checks if c.name == "old_table.sum" and not c.ok]
    assert failed and "proactive.total" in failed[0].message and "600 ≠" in failed[0].message


def test_unfilled_cumulative_zero_is_read_where_the_prose_states_the_year() -> None:
    text = (
        "本年主动公开政府信息74条。"
        + OLD_HEAD
        + "主动公开文件数条740 其中:1.政府网站公开数条740 2.政府公报公开数条00"
    )
    fields = _tables(text).fields
    assert fields["proactive.total"] == 74 and fields["proactive.channel.website"] == 74


def test_run_cut_only_after_a_unit_cell_glued_to_its_digits() -> None:
    text = "统计表 指标 单位 本年数 累计数 | (一)主动公开政府信息数 条285025680 | 1、政府公报公开 条042 |"
    fields = _tables(text).fields
    assert fields["proactive.total"] == 2850 and fields["proactive.channel.gazette"] == 0


def test_a_numbered_heading_followed_by_a_year_is_not_a_row() -> None:
    text = "二、主动公开情况 (一)主动公开政府信息数量 2017年度,我局主动公开政府信息733条。"
    assert "proactive.total" not in _tables(text).fields


def test_unit_after_a_label_note() -> None:
    text = (
        "统计表 指标 单位 数量 (四)政府信息公开专项经费(不包括政府网站建设维护等方面的经费)万元4.5 九、会议"
    )
    assert _tables(text).fields["funding.total"] == 45000


T2_2021 = (
    "第二十条第(一)项信息内容本年制发件数本年废止件数现行有效件数规章000行政规范性文件693665第二十条第(五)项"
)


@pytest.mark.parametrize(
    ("prose", "want"),
    [
        ("全年制发行政规范性文件69件,现行有效规范性文件665件。", 69),  # the prose states this row's figures
        ("全年收到申请70件,办结69件。", None),  # a 69 about something else decides nothing
    ],
)
def test_table2_cut_decided_only_by_prose_about_the_same_row(prose: str, want: int | None) -> None:
    result = _tables(prose + T2_2021 + "信息内容本年处理决定数量行政许可5 三、收到和处理", "2021")
    assert result.fields.get("proactive.normative.made") == want


# ------------------------------------------------------------------ issue 12: rows as printed

T3_COLUMN_HEAD = (
    "三、收到和处理政府信息公开申请情况\n申请人情况\n自然人\t法人或其他组织\t总计\n"
    "商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\n"
)
T3_2021 = [
    ("一、本年新收政府信息公开申请数量", "31 2 0 0 1 0 34"),
    ("二、上年结转政府信息公开申请数量", "1 0 0 0 0 0 1"),
    ("三、本年度办理结果", ""),
    ("(一)予以公开", "11 1 0 0 0 0 12"),
    ("(二)部分公开(区分处理的,只计这一情形,不计其他情形)", "6 0 0 0 0 0 6"),
    ("(三)不予公开", ""),
    ("1.属于国家秘密", "1 0 0 0 0 0 1"),
    ("2.其他法律行政法规禁止公开", "2 0 0 0 1 0 3"),
    ("3.危及“三安全一稳定”", "0 0 0 0 0 0 0"),
    ("4.保护第三方合法权益", "0 0 0 0 0 0 0"),
    ("5.属于三类内部事务信息", "0 0 0 0 0 0 0"),
    ("6.属于四类过程性信息", "2 0 0 0 0 0 2"),
    ("7.属于行政执法案卷", "0 0 0 0 0 0 0"),
    ("8.属于行政查询事项", "0 0 0 0 0 0 0"),
    ("(四)无法提供", ""),
    ("1.本机关不掌握相关政府信息", "7 1 0 0 0 0 8"),
    ("2.没有现成信息需要另行制作", "1 0 0 0 0 0 1"),
    ("3.补正后申请内容仍不明确", "0 0 0 0 0 0 0"),
    ("(五)不予处理", ""),
    ("1.信访举报投诉类申请", "2 0 0 0 0 0 2"),
    ("2.重复申请", "0 0 0 0 0 0 0"),
    ("3.要求提供公开出版物", "0 0 0 0 0 0 0"),
    ("4.无正当理由大量反复申请", "0 0 0 0 0 0 0"),
    ("5.要求行政机关确认或重新出具已获取信息", "0 0 0 0 0 0 0"),
    ("(六)其他处理", "0 0 0 0 0 0 0"),  # printed as one row, as the 2019 template does
    ("(七)总计", "30 2 0 0 1 0 33"),
    ("四、结转下年度继续办理", "2 0 0 0 0 0 2"),
]
LAYOUTS = ["tab", "markdown", "cell_per_line", "collapsed"]


def _t3_text(rows: list[tuple[str, str]], layout: str, *, after: str = "\n四、政府信息公开行政复议\n") -> str:
    lines = layout_rows(rows, layout)
    sep = " " if layout == "collapsed" else "\n"
    return T3_COLUMN_HEAD + sep.join(lines) + after


def _t3_html(tmp_path: Path, rows: list[tuple[str, str]]) -> TableExtraction:
    cells = [[label, *values.split()] for label, values in rows]
    return _html_tables(
        tmp_path, cells, before="<p>三、收到和处理政府信息公开申请情况</p>", after="<p>四、其他</p>"
    )


def _row(result: TableExtraction, key: str) -> tuple[float | None, ...]:
    return tuple(result.fields.get(f"applications.{key}.{c}") for c in APPLICANT_COLUMNS)


def _misprinted(label: str) -> list[tuple[str, str]]:
    return [(label if lab.startswith("2.其他法律") else lab, v) for lab, v in T3_2021]


@pytest.mark.parametrize("layout", LAYOUTS)
def test_misprinted_row_label_is_read_as_the_template_row_in_its_place(layout: str) -> None:
    result = _tables(_t3_text(_misprinted("2.其他法律行政止公开"), layout), "2021")
    assert _row(result, "denied_law_forbidden") == (2, 0, 0, 0, 1, 0, 3)
    assert _row(result, "denied_state_secret") == (1, 0, 0, 0, 0, 0, 1)
    assert any(c.name == "table3.label" and "其他法律行政止公开" in c.message for c in result.checks)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_misprinted_first_and_last_rows_are_read(layout: str) -> None:
    rows = list(T3_2021)
    rows[0] = ("一、本年新政府信息公开申请数量", rows[0][1])
    rows[-1] = ("四、结转下年度继续处理", rows[-1][1])
    result = _tables(_t3_text(rows, layout), "2021")
    assert _row(result, "new") == (31, 2, 0, 0, 1, 0, 34)
    assert _row(result, "carried_forward") == (2, 0, 0, 0, 0, 0, 2)
    assert sum(c.name == "table3.label" for c in result.checks) == 2


def test_misprinted_row_label_in_html(tmp_path: Path) -> None:
    result = _t3_html(tmp_path, _misprinted("2.其他法律行政止公开"))
    assert _row(result, "denied_law_forbidden") == (2, 0, 0, 0, 1, 0, 3)


@pytest.mark.parametrize(
    "label",
    [
        "2.其他事项",  # too unlike any missing row
        "5.其他法律行政止公开",  # its number is not the missing row's
    ],
)
def test_label_unlike_the_missing_row_gives_that_row_no_value(label: str) -> None:
    result = _tables(_t3_text(_misprinted(label), "tab"), "2021")
    assert _row(result, "denied_law_forbidden") == (None,) * 7
    assert _row(result, "denied_security_stability") == (0,) * 7


def test_misprint_as_like_two_missing_rows_gives_neither() -> None:
    rows = [r for r in T3_2021 if r[0] != "(七)总计"]
    rows[-1:-1] = [
        ("申请人逾期、行政机关不再处理其政府信息公开申请", "4 0 0 0 0 0 4"),  # 1. or 2.?
        ("3.其他", "1 0 0 0 0 0 1"),
        ("(七)总计", "35 2 0 0 1 0 38"),
    ]
    rows[rows.index(("(六)其他处理", "0 0 0 0 0 0 0"))] = ("(六)其他处理", "5 0 0 0 0 0 5")
    result = _tables(_t3_text(rows, "tab"), "2021")
    assert _row(result, "other_no_correction") == (None,) * 7
    assert _row(result, "other_unpaid_fee") == (None,) * 7
    assert _row(result, "other_misc") == (1, 0, 0, 0, 0, 0, 1)
    assert _row(result, "other_total") == (5, 0, 0, 0, 0, 0, 5)


def test_label_similarity_needs_the_same_number() -> None:
    entry = next(e for e in entries("t3") if e.key == "denied_law_forbidden")
    assert label_similarity("其他法律行政止公开", entry) > 0.8
    assert label_similarity("3.其他法律行政止公开", entry) == 0.0


@pytest.mark.parametrize("layout", LAYOUTS)
def test_2021_table3_other_printed_as_one_row_is_the_one_row_field(layout: str) -> None:
    rows = [
        (lab, v.replace("0 0 0 0 0 0 0", "1 0 0 0 0 0 1") if lab == "(六)其他处理" else v)
        for lab, v in T3_2021
    ]
    result = _tables(_t3_text(rows, layout), "2021")
    assert _row(result, "other") == (1, 0, 0, 0, 0, 0, 1)
    assert _row(result, "other_total") == (None,) * 7
    assert _row(result, "processed_total") == (30, 2, 0, 0, 1, 0, 33)


def test_2021_table3_other_as_one_row_in_html(tmp_path: Path) -> None:
    result = _t3_html(tmp_path, T3_2021)
    assert _row(result, "other") == (0,) * 7
    assert not any(k.startswith("applications.other_total.") for k in result.fields)


# ------------------------------------------------------------ issue 12: excerpts cut mid-table


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("tail", ["三、本年度办理结果", "三、本年度", ""])
def test_table3_cut_after_its_second_row_is_read(layout: str, tail: str) -> None:
    rows = T3_2021[:3] if tail == "三、本年度办理结果" else T3_2021[:2]
    result = _tables(_t3_text(rows, layout, after=" " + tail if tail != "三、本年度办理结果" else ""), "2021")
    assert _row(result, "new") == (31, 2, 0, 0, 1, 0, 34)
    assert _row(result, "carried_over") == (1, 0, 0, 0, 0, 0, 1)
    assert [
        k for k in result.fields if not k.startswith(("applications.new.", "applications.carried_over."))
    ] == []
    assert result.cut_groups == {"applications"}


def test_two_table3_rows_without_the_column_header_are_not_a_table() -> None:
    text = "本年新收政府信息公开申请数量 31 件,上年结转政府信息公开申请数量 1 件。"
    assert _tables(text, "2021").fields == {}


def test_complete_table3_is_not_cut() -> None:
    assert _tables(_t3_text(T3_2021, "tab", after=""), "2021").cut_groups == set()


@pytest.mark.parametrize("layout", LAYOUTS)
def test_row_label_at_the_end_of_an_excerpt_states_nothing(layout: str) -> None:
    rows = [*T3_2021[:4], ("(二)部分公开", "")]
    for after in ("", "(区"):
        result = _tables(_t3_text(rows, layout, after=after), "2021")
        assert _row(result, "granted") == (11, 1, 0, 0, 0, 0, 12)
        assert _row(result, "partial") == (None,) * 7


@pytest.mark.parametrize("sep", ["\n|\n", " | ", "\t"])
def test_table2_row_cut_after_its_first_cell_states_that_cell_only(sep: str) -> None:
    text = (
        "第二十条第(一)项\n信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量\n规章\t0\t0\t0\n规范性文件\t3\t2\t9\n"
        "第二十条第(五)项\n信息内容\t上一年项目数量\t本年增/减\t处理决定数量\n"
        f"行政许可{sep}14"
    )
    fields = _fields(_tables(text, "2019"), "proactive.licensing")
    assert fields == {"proactive.licensing.prev_items": 14}


def test_prose_fills_the_rows_a_cut_table_does_not_print() -> None:
    table = {"applications.new.total": 8}
    prose = {"applications.granted.total": 2}
    assert merge_fields(table, prose, template="2021")[0] == table
    assert merge_fields(table, prose, template="2021", cut_groups={"applications"})[0] == {**table, **prose}


# ------------------------------------------------------------ issue 12: label notes


LONG_NOTE = (
    "(行政机关制定发布的决定、公告、通告、意见、通知,以及标题采用“规定”“办法”“细则”“规范”“规程”“规则”等字样的公文,"
    "一般情况下属于规范性文件)"
)


@pytest.mark.parametrize("sep", ["\t", " | ", "\n"])
def test_long_bracketed_note_in_a_label_is_skipped(sep: str) -> None:
    text = (
        "第二十条第(一)项\n信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量\n"
        f"规章(设区的市、自治州人民政府应提供相关数据){sep}0{sep}0{sep}0\n"
        f"规范性文件{LONG_NOTE}{sep}27{sep}5{sep}61\n第二十条第(五)项\n三、收到和处理"
    )
    fields = _fields(_tables(text, "2019"), "proactive.normative")
    assert fields == {
        "proactive.normative.made": 27,
        "proactive.normative.published": 5,
        "proactive.normative.in_force": 61,
    }


def test_label_tail_that_is_not_a_cell_gives_no_value_and_a_check() -> None:
    text = (
        "第二十条第(一)项\n信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量\n规章\t0\t0\t0\n"
        "规范性文件(说明见附注\t27\t5\t61\n第二十条第(五)项\n三、收到和处理"
    )
    result = _tables(text, "2019")
    assert _fields(result, "proactive.normative") == {}
    assert _fields(result, "proactive.rules") == {
        f"proactive.rules.{c}": 0 for c in ("made", "published", "in_force")
    }
    assert any(c.name == "table2.unread" and not c.ok for c in result.checks)


# --------------------------------------------------- issue 12: table 4 header broken into characters

T4_BROKEN_HEAD = (
    "四、政府信息公开行政复议、行政诉讼情况\n\t\t\t\t\t行政诉讼\t\n行政复议结\t\t\t\t\t\t\n"
    "\t结\t其\t尚\t总\t未经复议直接起诉\t复议后起诉\n果果他未计结结其尚总结结其尚总\n"
    "维持\t纠正\t结果\t审结\t\t维持\t纠正\t结果\t审结\t\t维持\t纠正\t结果\t审结\t\n"
)
T4_BROKEN_VALUES = [2, 5, 1, 0, 8, 0, 1, 0, 1, 2, 3, 0, 0, 0, 3]


@pytest.mark.parametrize("sep", ["\t", " "])
def test_table4_under_a_header_broken_into_characters(sep: str) -> None:
    text = T4_BROKEN_HEAD + sep.join(map(str, T4_BROKEN_VALUES)) + "\n五、存在的主要问题及改进情况\n"
    fields = _tables(text, "2019").fields
    assert fields["review.total"] == 8
    assert fields["litigation.direct.pending"] == 1
    assert fields["litigation.after_review.total"] == 3


def test_table4_under_a_broken_header_that_does_not_add_up_is_not_taken() -> None:
    values = [*T4_BROKEN_VALUES[:4], 9, *T4_BROKEN_VALUES[5:]]
    text = T4_BROKEN_HEAD + "\t".join(map(str, values)) + "\n五、存在的主要问题及改进情况\n"
    assert _tables(text, "2019").fields == {}


def test_prose_about_review_is_not_a_broken_table4_header() -> None:
    text = "四、政府信息公开行政复议、行政诉讼情况\n本年度发生行政复议和行政诉讼案件,结果如下:\n" + " ".join(
        map(str, T4_BROKEN_VALUES)
    )
    assert _tables(text, "2019").fields == {}


def test_old_table_row_broken_inside_its_note_gives_no_value() -> None:
    """A PDF row printed over two lines with its note (`（不包括…）`) wrapped around the figure: the
    cells after the note are blank, the figure sits inside the note. No value (not the blank's 0)."""
    text = (
        "指标\t单位\t数量\n（三）从事政府信息公开工作人员数\t人\t252\n"
        "（四）政府信息公开专项经费（不包括用于政府公报编辑管理及政府万 1.2\n"
        "网站建设维护等方面的经费）\t元\t\n"
    )
    result = _tables(text, "pre2019")
    assert result.fields["staff.total"] == 252
    assert "funding.total" not in result.fields
    assert any(c.name == "old_table.layout" and not c.ok and "专项经费" in c.message for c in result.checks)


def test_a_one_line_table_row_wrapped_before_its_digit_run_is_still_cut() -> None:
    """A crawler's one-line 统计表 printed as a PDF: the line wraps after the unit cell, and the digit
    run (this year + 累计, then the next row's numbering) opens the next line. It is cut like the
    glued rows, not read whole as this year's 119465."""
    header = "六、政府信息公开情况统计表指标名称计量单位2017年度历年累计"
    rows = "主动公开文件数条119465其中:1、政府网站公开数条\n1194652、政府公报公开数条00"
    rows += "受理依申请公开信息总数条00"
    fields = _tables(header + rows, "pre2019").fields
    assert fields["proactive.total"] == 119 and fields["proactive.channel.website"] == 119
    assert fields["proactive.channel.gazette"] == 0


def test_a_unit_parts_two_cells_that_print_lost_the_space_between() -> None:
    """`3个3443000元`: the space between a table-2 row's two cells was lost at a line wrap; the unit
    after the item count ends its cell, and the amount is the next one (not a missing cell, 0)."""
    text = (
        "三、主动公开政府信息情况 第二十条第(一)项 信息内容 本年新 制作数量 本年新 公开数量 对外公开 总数量 "
        "规章 0 0 0 规范性文件 5 5 5 第二十条第(八)项 信息内容 上一年 项目数量 本年增/减量 "
        "行政事业性收费 0 0 第二十条第(九)项 信息内容 采购项目数量 采购总金额 政府集中采购 3个3443000元 "
        "四、收到和处理政府信息公开申请情况"
    )
    fields = _tables(text, "2019").fields
    assert fields["proactive.procurement.items"] == 3
    assert fields["proactive.procurement.amount"] == 3443000


T3_COLUMNS_ROW = "项目\t自然人\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t总计\n"
T4_TAB_HEADER = (
    "四、政府信息公开行政复议、行政诉讼情况\n"
    "行政复议\t\t\t\t\t行政诉讼\n"
    "结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t\t\t\t\t复议后起诉\n"
    "\t\t\t\t\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计\n"
)
T4_VALUES = "0\t1\t1\t2\t4\t3\t1\t0\t0\t4\t2\t0\t0\t0\t2"


@pytest.mark.parametrize("label", ["件数", "数量", "合计"])
def test_table4_value_row_with_a_label_cell(label: str) -> None:
    """A value row that opens with its own label cell had read as no values, and the table as
    blank: 15 zeros, every check passing."""
    fields = _tables(T4_TAB_HEADER + f"{label}\t{T4_VALUES}\n", "2021").fields
    assert (fields["review.total"], fields["litigation.direct.total"], fields["review.pending"]) == (4, 4, 2)


def test_table4_figures_it_cannot_place_are_no_zeros() -> None:
    extraction = _tables(T4_TAB_HEADER + f"件数(单位:件)说明\t{T4_VALUES}\n", "2021")
    assert "review.total" not in extraction.fields
    assert any(c.name == "table4.layout" and not c.ok for c in extraction.checks)


def test_table4_extra_value_takes_the_only_run_whose_sums_hold() -> None:
    """A page number between the header and the value row (`7`, one cell per line) makes 16
    values; the first 15 fail the group sums, the last 15 hold them."""
    values = "\n".join(["7", *T4_VALUES.split("\t")])
    fields = _tables(T4_TAB_HEADER + values + "\n五、存在的主要问题", "2021").fields
    assert (fields["review.upheld"], fields["review.total"]) == (0, 4)
    assert fields["litigation.after_review.total"] == 2


def test_table4_transposed_one_row_per_result() -> None:
    text = (
        "四、政府信息公开行政复议、行政诉讼情况\n类别\t行政复议\t行政诉讼\t\n\t\t未经复议直接起诉\t复议后起诉\n"
        "结果维持\t4\t0\t1\n结果纠正\t1\t0\t0\n其他结果\t0\t0\t1\n尚未审结\t0\t1\t0\n总计\t5\t1\t2\n"
    )
    fields = _tables(text, "2021").fields
    assert (fields["review.upheld"], fields["review.corrected"], fields["review.total"]) == (4, 1, 5)
    assert (fields["litigation.direct.pending"], fields["litigation.direct.total"]) == (1, 1)
    assert (fields["litigation.after_review.other"], fields["litigation.after_review.total"]) == (1, 2)


@pytest.mark.parametrize(
    "rows",
    [
        "一、本年新收政府信息\t\t\t\t\t\t\t\n公开申请数量\t5\t0\t0\t0\t0\t1\t6\n",
        "一、本年新收政府信息\n公开申请数量\n5\n0\n0\n0\n0\n1\n6\n",
    ],
)
def test_table3_label_wrapped_onto_the_row_with_its_figures(rows: str) -> None:
    """A converter split a wrapped label cell into two rows, the figures on the second: the first
    row's blank cells are no zeros."""
    text = "三、收到和处理政府信息公开申请情况\n" + T3_COLUMNS_ROW + rows
    text += "二、上年结转政府信息公开申请数量\t0\t0\t0\t0\t0\t0\t0\n(一)予以公开\t5\t0\t0\t0\t0\t1\t6\n"
    fields = _tables(text, "2021").fields
    assert (fields["applications.new.natural_person"], fields["applications.new.total"]) == (5, 6)


def test_table3_label_repeated_over_its_merged_cells() -> None:
    """A converter fills a merged label cell into each column it spans: the copies are no values."""
    text = (
        "三、收到和处理政府信息公开申请情况\n" + T3_COLUMNS_ROW
        + "一、本年新收政府信息公开申请数量\t一、本年新收政府信息公开申请数量\t11\t0\t0\t0\t0\t2\t13\n"
        + "二、上年结转政府信息公开申请数量\t0\t0\t0\t0\t0\t0\t0\n"
        + "三、本年度办理结果\t(一)予以公开\t(一)予以公开\t11\t0\t0\t0\t0\t0\t11\n"
    )  # fmt: skip
    fields = _tables(text, "2021").fields
    assert (fields["applications.new.total"], fields["applications.granted.natural_person"]) == (13, 11)


@pytest.mark.parametrize(
    ("header", "amount"), [("本年收费金额(单位:元)", 3820), ("本年收费金额(单位:万元)", 38200000)]
)
def test_table2_fee_amount_in_the_unit_its_header_states(header: str, amount: int) -> None:
    text = (
        "第二十条第(一)项\n信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n规章\t0\t0\t0\n"
        f"行政规范性文件\t3\t1\t40\n第二十条第(八)项\n信息内容\t{header}\n行政事业性收费\t3820\n"
    )
    assert _tables(text, "2021").fields["proactive.fees.amount"] == amount


def test_table2_change_written_in_words() -> None:
    text = (
        "第二十条第(五)项\n信息内容\t上一年项目数量\t本年增/减\t处理决定数量\n"
        "行政许可\t20\t增加2\t300\n其他对外管理服务事项\t5\t减少1\t10\n"
    )
    fields = _tables(text, "2019").fields
    assert (fields["proactive.licensing.change"], fields["proactive.licensing.decisions"]) == (2, 300)
    assert fields["proactive.other_services.change"] == -1


# ------------------------------------------------- old 统计表 shapes from a probe of 2008–2018 layouts


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        ("主动公开政府信息数  2143", "proactive.total", 2143),  # spaces pad the label: no blank cell
        ("指标名称\t代码\t计量单位\t本年数\n主动公开政府信息数\t01\t条\t2143", "proactive.total", 2143),
        ("指标名称\n代码\n计量单位\n本年数\n主动公开政府信息数\n02\n条\n2143\n", "proactive.total", 2143),
        ("指标名称\t计量单位\t上年数\t本年数\n主动公开政府信息数\t条\t872\t875", "proactive.total", 875),
        ("指标名称\t计量单位\t本年\t累计\n主动公开政府信息数\t条\t517\t2071", "proactive.total", 517),
        ("指标名称\t计量单位\t本年数\n主动公开政府信息数\t条\t1.2万", "proactive.total", 12000),
        ("指标名称\t计量单位\t本年数\n主动公开政府信息数\t万条\t1.2", "proactive.total", 12000),
        ("统计表\n指标名称\t本年数\n依申请公开信息收取的费用(万元)\t0.08", "fees.collected", 800),
        ("费用及经费情况\t单位:万元\n项目\t本年数\n政府信息公开专项经费\t4.5", "funding.total", 45000),
    ],
)
def test_old_table_shapes(text: str, field: str, value: int) -> None:
    assert _tables(text + "\n特此报告。", "pre2019").fields[field] == value


def test_old_table_of_running_totals_only_states_no_year() -> None:
    extraction = _tables("指标名称\t计量单位\t历年累计\n主动公开政府信息数\t条\t2071\n特此报告。", "pre2019")
    assert "proactive.total" not in extraction.fields


def test_a_cell_of_about_so_many_is_that_many() -> None:
    fields = _tables("指标\t单位\t数量\n接受咨询数\t人次\t约3000\n特此报告。", "pre2019").fields
    assert fields["consultations.total"] == 3000


def test_a_row_label_heading_a_column_is_no_row() -> None:
    """`部门 | 主动公开政府信息数` heads a table by department: not a printed row with blank (0) cells."""
    assert "proactive.total" not in _tables("部门\t主动公开政府信息数\n县教育局\t612\n", "pre2019").fields


def test_table3_rows_compared_over_years_are_no_applicant_columns() -> None:
    text = (
        "项目\t2020年\t2019年\n本年新收政府信息公开申请数量\t143\t121\n"
        "上年结转政府信息公开申请数量\t6\t2\n予以公开\t61\t55\n"
    )
    assert not any(k.startswith("applications.") for k in _tables(text, "2019").fields)


def test_a_cell_spelled_in_hanzi_numerals() -> None:
    fields = _tables("指标\t单位\t数量\n主动公开政府信息数\t条\t一千二百零六\n特此报告。", "pre2019").fields
    assert fields["proactive.total"] == 1206
    text = "第二十条第(一)项\n信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n"
    text += "规章\t零\t零\t零\n行政规范性文件\t五\t零\t三十六\n"
    fields = _tables(text, "2021").fields
    assert (fields["proactive.normative.made"], fields["proactive.normative.in_force"]) == (5, 36)


def test_table3_group_row_with_a_subtotal_cell_gives_the_subtotal() -> None:
    """`（三）不予公开 | 小计 | …` prints the group's subtotal (a probe of 2026-11-30: the 小计 cell had
    hidden the whole row, 28 fields of a PDF)."""
    head = (
        "三、收到和处理政府信息公开申请情况\n"
        "申请人情况\t自然人\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t总计\n"
    )
    rows = [
        "一、本年新收政府信息公开申请数量\t10\t2\t0\t0\t0\t0\t12",
        "三、本年度办理结果 （一）予以公开\t4\t1\t0\t0\t0\t0\t5",
        "（三）不予公开 小计\t2\t0\t0\t0\t0\t0\t2",
        "1.属于国家秘密\t1\t0\t0\t0\t0\t0\t1",
        "2.其他法律行政法规禁止公开\t1\t0\t0\t0\t0\t0\t1",
        "（四）无法提供\t合计\t3\t1\t0\t0\t0\t0\t4",
        "1.本机关不掌握相关政府信息\t3\t1\t0\t0\t0\t0\t4",
    ]
    fields = _tables(head + "\n".join(rows), "2021").fields
    assert fields["applications.denied_total.total"] == 2
    assert fields["applications.denied_total.natural_person"] == 2
    assert fields["applications.unavailable_total.business"] == 1


def test_table3_html_row_one_cell_short_fills_from_the_left(tmp_path: Path) -> None:
    """Six `<td>` under seven columns after a label spanning three: HTML fills from the left, so the
    label's padding stays padding and the missing cell is the last (a probe of 2026-11-30: the
    values had moved one column right, natural persons 0 and total 1)."""
    header = [
        ["", "", "", "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"],
    ]
    rows = [
        ["一、本年新收政府信息公开申请数量", "", "", "20", "3", "0", "0", "1", "1", "25"],
        ["二、上年结转政府信息公开申请数量", "", "", "1", "0", "0", "0", "0", "1", "2"],
        ["四、结转下年度继续办理", "", "", "2", "0", "0", "0", "0", "1"],
    ]
    result = _html_tables(tmp_path, header + rows, before="<p>三、收到和处理政府信息公开申请情况</p>")
    fields = _fields(result, "applications.carried_forward.")
    assert fields.get("applications.carried_forward.natural_person") == 2
    assert fields.get("applications.carried_forward.other_org") == 1
    assert fields.get("applications.carried_forward.total") in (None, 3)


def test_table4_row_led_by_a_year_cell() -> None:
    """`2022年 | 3 | 2 …`: the year labels the row (a probe of 2026-12-01: it had read as
    review.upheld 2022 and every other field 0)."""
    header = (
        "四、政府信息公开行政复议、行政诉讼情况\n年度\t行政复议\t\t\t\t\t行政诉讼\n"
        "\t\t\t\t\t\t未经复议直接起诉\t\t\t\t\t复议后起诉\n"
        "\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计"
        + "\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计" * 2
        + "\n"
    )
    row = "2022年\t3\t2\t1\t1\t7\t1\t1\t0\t2\t4\t0\t1\t0\t1\t2"
    fields = _tables(header + row, "2021").fields
    assert (fields["review.upheld"], fields["review.total"], fields["litigation.direct.total"]) == (3, 7, 4)


def test_table4_row_opening_with_a_dash_reads_the_dash_as_zero() -> None:
    """`— | — | 1 | — | 1 | …`: the first dash is a blank cell (0), not the row's label (it had
    shifted every value one column left: review.corrected 1, review.other 0)."""
    header = (
        "四、政府信息公开行政复议、行政诉讼情况\n行政复议\t\t\t\t\t行政诉讼\n"
        "结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t\t\t\t\t复议后起诉\n"
        "\t\t\t\t\t" + "结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t" * 2 + "\n"
    )
    row = "\t".join(["—", "—", "1", "—", "1", "/", "/", "/", "/", "2", "—", "—", "—", "—", "—"])
    fields = _tables(header + row + "\n", "2021").fields
    assert (fields["review.corrected"], fields["review.other"], fields["review.total"]) == (0, 1, 1)


@pytest.mark.parametrize(("year", "expected"), [(2023, (6, 5)), (2024, (7, 4)), (2022, None), (None, None)])
@pytest.mark.parametrize("order", [1, -1])
def test_table4_rows_of_several_years_give_the_report_years(year, expected, order) -> None:
    """`2023年 | …` and `2024年 | …` under one header: the report's year's row, in either order (a
    probe: the first row's year cell had read as review.upheld 2021 and the rest as 0); no row of
    the report's year (or no year): no values, and a failed check says why."""
    header = (
        "四、行政复议及行政诉讼情况\n年份\t行政复议\t\t\t\t\t行政诉讼\n"
        "\t\t\t\t\t\t未经复议直接起诉\t\t\t\t\t复议后起诉\n"
        "\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计"
        + "\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计" * 2
        + "\n"
    )
    rows = [
        "2023年\t4\t1\t0\t1\t6\t3\t0\t1\t1\t5\t0\t0\t0\t0\t0",
        "2024年\t5\t0\t1\t1\t7\t2\t1\t0\t1\t4\t1\t0\t0\t0\t1",
    ]
    doc = normalize(header + "\n".join(rows[::order]) + "\n五、其他\n")
    result = extract_tables(doc.text, [], template="2021", offsets=doc.offsets, year=year)
    if expected is None:
        assert "review.total" not in result.fields
        assert any(c.name == "table4.layout" and not c.ok for c in result.checks)
    else:
        assert (result.fields["review.total"], result.fields["litigation.direct.total"]) == expected


def _table3(new: list[int]) -> str:
    """A short table 3 (header, new and carried-over rows, granted, total, carried forward) whose new
    applications by applicant are `new` (their sum is the total column); the rest zeros."""
    head = "申请人情况\t自然人\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t总计\n"
    cells = "\t".join(map(str, [*new, sum(new)]))
    zeros = "\t".join(["0"] * 7)
    return (
        f"{head}一、本年新收政府信息公开申请数量\t{cells}\n二、上年结转政府信息公开申请数量\t{zeros}\n"
        f"三、本年度办理结果\n（一）予以公开\t{cells}\n（七）总计\t{cells}\n四、结转下年度继续办理\t{zeros}\n"
    )


@pytest.mark.parametrize("this_first", [True, False])
def test_table3_of_another_year_printed_for_comparison_is_not_this_years(this_first: bool) -> None:
    """A 2023 report that also prints its 2022 table 3 (`为便于比较，附2022年度…申请情况如下`), after or
    before its own: this year's figures (a probe: the second print, read as the whole district's
    own, had won)."""
    own = "2023年，全县共办理依申请公开事项。\n三、收到和处理政府信息公开申请情况\n" + _table3(
        [40, 5, 0, 1, 0, 2]
    )
    other = "为便于比较，附2022年度收到和处理政府信息公开申请情况如下：\n" + _table3([31, 9, 1, 0, 2, 0])
    doc = normalize(own + other if this_first else other + own)
    result = extract_tables(doc.text, [], template="2021", offsets=doc.offsets, year=2023)
    assert result.fields["applications.new.total"] == 48


@pytest.mark.parametrize("differ", [True, False])
def test_table3_printed_again_with_other_figures_gives_no_value_there(differ: bool) -> None:
    """The body's table 3 and an appendix (`附表`) printing it again: where the two prints give
    other figures, no value and a failed `table3.prints` check (the first print had been taken
    whatever the second said); where they agree, the values stand."""
    section = "三、收到和处理政府信息公开申请情况\n"
    text = section + _table3([12, 2, 0, 0, 0, 1]) + "四、其他\n附表\n" + section
    text += _table3([13, 2, 0, 0, 0, 1] if differ else [12, 2, 0, 0, 0, 1])
    result = _tables(text, "2021")
    failed = [c for c in result.checks if c.name == "table3.prints" and not c.ok]
    assert result.fields.get("applications.new.natural_person") == (None if differ else 12)
    assert result.fields["applications.new.business"] == 2
    assert bool(failed) == differ


def test_table3_labels_only_print_is_not_a_reprint() -> None:
    """A picture of table 3 whose text layer kept only the labels, then the table: its values stand."""
    section = "三、收到和处理政府信息公开申请情况\n"
    labels = "".join(line.split("\t")[0] + "\n" for line in _table3([0] * 6).splitlines()[1:])
    result = _tables(section + labels + "（图片版结束）\n" + section + _table3([12, 2, 0, 0, 0, 1]), "2021")
    assert result.fields["applications.new.natural_person"] == 12
    assert not any(c.name == "table3.prints" for c in result.checks)


def test_table4_printed_again_with_other_figures_gives_no_value_there() -> None:
    header = (
        "四、政府信息公开行政复议、行政诉讼情况\n行政复议\t\t\t\t\t行政诉讼\n"
        "结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t\t\t\t\t复议后起诉\n"
        "\t\t\t\t\t" + "结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t" * 2 + "\n"
    )
    first = "\t".join(map(str, [2, 1, 0, 0, 3] + [1, 0, 0, 0, 1] + [0] * 5))
    second = "\t".join(map(str, [1, 1, 1, 0, 3] + [1, 0, 0, 0, 1] + [0] * 5))
    result = _tables(header + first + "\n五、其他\n附表\n" + header + second + "\n", "2021")
    assert "review.upheld" not in result.fields and "review.other" not in result.fields
    assert (result.fields["review.total"], result.fields["litigation.direct.total"]) == (3, 1)
    assert any(c.name == "table4.prints" and not c.ok for c in result.checks)


def test_table3_a_departments_own_print_wins_over_its_systems() -> None:
    """`（一）全市…系统汇总情况` + table 3, then `（二）本局机关情况` + table 3: the department's own
    (a probe of 2026-12-01: the system's, printed first, had been read)."""
    section = "三、收到和处理政府信息公开申请情况\n"
    text = "（一）全市交通运输系统汇总情况\n" + section + _table3([500, 80, 5, 3, 20, 10])
    text += "（二）本局机关情况\n" + section + _table3([24, 6, 0, 0, 1, 0])
    assert _tables(text, "2021").fields["applications.new.total"] == 31


def test_table2_with_year_columns_is_not_read() -> None:
    """`信息内容 | 2021年处理决定数量 | 2022年处理决定数量`: two years side by side are no template
    columns (a probe of 2026-12-01: 1873 had read as the previous items and 2140 as the change)."""
    text = (
        "二、主动公开政府信息情况\n第二十条第（五）项\n信息内容\t2021年处理决定数量\t2022年处理决定数量\n"
        "行政许可\t1873\t2140\n第二十条第（六）项\n信息内容\t2021年处理决定数量\t2022年处理决定数量\n"
        "行政处罚\t412\t388\n"
    )
    result = _tables(text, "2021")
    assert not _fields(result, "proactive.") and any(c.name == "table2.layout" for c in result.checks)


@pytest.mark.parametrize(
    "name",
    [
        "r09_citydept2021_mdsplit.md",  # Markdown: labels wrapped over two rows, figures on the first
        "r32_citydept2024_mdsplit2.md",  # ... figures on the second row
        "r21_county2024_cellscentre.txt",  # one cell per line, labels wrapped over two or three lines
    ],
)
def test_table3_with_labels_wrapped_over_rows_is_read_whole(name):
    """A table 3 whose narrow label cells wrap (invented probes of `annotations/probes/formats_2019`;
    before 2026-12-01 the whole table was lost: no row label was found): every field of table 3
    as the gold gives it."""
    probes = Path(__file__).parents[1] / "annotations" / "probes" / "formats_2019"
    gold = json.loads((probes / "gold" / f"{Path(name).stem}.json").read_text(encoding="utf-8"))
    text = normalize(read_report(probes / name).text).text
    fields = extract_tables(text, [], template="2021", year=gold.get("year")).fields
    expected = {k: v for k, v in gold["fields"].items() if k.startswith("applications.")}
    assert len(expected) == 175
    assert {k: fields.get(k) for k in expected} == expected


def _t3_row_text(label: str, cells: list[str], sep: str) -> str:
    return label + sep + sep.join(cells)


@pytest.mark.parametrize("sep", ["\n", " "])
def test_table3_zero_marks_between_figures_are_blank_cells(sep: str) -> None:
    """One cell per line with `-` for zero (web probe w08: `-`/`1`/`-` had been emptied as a page
    number `- 1 -`, shifting the row), and one-line text with `无` cells whose spaces the normaliser
    joins as a PDF extractor's (w20: `无 无` → `无无` ended the row)."""
    mark = "-" if sep == "\n" else "无"
    columns = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
    header = sep.join(["申请人情况", *columns])
    rows = [
        _t3_row_text("一、本年新收政府信息公开申请数量", ["14", "4", mark, mark, "6", "5", "29"], sep),
        _t3_row_text("（一）予以公开", ["17", "4", mark, mark, "1", mark, "22"], sep),
    ]
    spaced = "，" + " 。 ".join(["本年度共收到申请29件", "办理及时", "答复规范", "无行政复议"]) + "。 "
    text = "某区人力资源和社会保障局2021年政府信息公开工作年度报告" + sep + spaced + sep.join([header, *rows])
    fields = _tables(text, template="2021").fields
    assert [fields.get(f"applications.granted.{c}") for c in APPLICANT_COLUMNS] == [17, 4, 0, 0, 1, 0, 22]
    assert fields.get("applications.new.total") == 29


def _t3_2021(subtotals: bool) -> str:
    """A 2021 table 3 whose (三) and (四) groups print their first sub-row on the group's line and,
    with `subtotals`, a 小计 line under their sub-rows (invented figures; probe converters c14)."""
    zeros = "\t0" * 6
    lines = [
        "\t\t自然人\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t总计",
        "一、本年新收政府信息公开申请数量\t\t12\t4\t0\t0\t0\t1\t17",
        "二、上年结转政府信息公开申请数量\t\t0" + zeros,
        "三、本年度办理结果\t（一）予以公开\t5\t2\t0\t0\t0\t0\t7",
        "\t（二）部分公开（区分处理的，只计这一情形，不计其他情形）\t1\t0\t0\t0\t0\t0\t1",
        "\t（三）不予公开\t1.属于国家秘密\t1\t0\t0\t0\t0\t0\t1",
    ]
    lines += [f"\t\t{n}.{label}\t0{zeros}" for n, label in enumerate(
        ["其他法律行政法规禁止公开", "危及“三安全一稳定”", "保护第三方合法权益", "属于三类内部事务信息",
         "属于四类过程性信息", "属于行政执法案卷", "属于行政查询事项"], start=2)]  # fmt: skip
    lines += ["\t\t小计\t1\t0\t0\t0\t0\t0\t1"] if subtotals else []
    lines += [
        "\t（四）无法提供\t1.本机关不掌握相关政府信息\t4\t1\t0\t0\t0\t1\t6",
        "\t\t2.没有现成信息需要另行制作\t1\t1\t0\t0\t0\t0\t2",
        "\t\t3.补正后申请内容仍不明确\t0" + zeros,
    ]
    lines += ["\t\t小计\t5\t2\t0\t0\t0\t1\t8"] if subtotals else []
    lines += ["\t（七）总计\t\t12\t4\t0\t0\t0\t1\t17", "四、结转下年度继续办理\t\t0" + zeros]
    return "某市自然资源局2021年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n" + "\n".join(
        lines
    )


def test_table3_subtotal_lines_under_the_sub_rows_are_the_groups_rows() -> None:
    fields = _tables(_t3_2021(subtotals=True), "2021").fields
    assert fields["applications.denied_total.total"] == 1
    assert fields["applications.unavailable_total.natural_person"] == 5
    assert fields["applications.unavailable_total.total"] == 8
    # the last sub-row of each group keeps its own line
    assert fields["applications.denied_query.total"] == 0
    assert fields["applications.unavailable_unclear.total"] == 0
    without = _tables(_t3_2021(subtotals=False), "2021").fields
    assert "applications.unavailable_total.total" not in without
    assert without["applications.unavailable_unclear.total"] == 0
