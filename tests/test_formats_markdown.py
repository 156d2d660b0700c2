"""Markdown reader (inference/read_markdown.py) on what PDF converters write.

Fixture tests/fixtures/formats/generated_2021.md is the generator's Markdown layout of the same
report as generated_2021.html; case 01 is tests/fixtures/cases/01_markdown_table4_single_row.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from inference.read import html_to_text, read_report
from inference.read_markdown import markdown_to_text, split_row

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.mark.parametrize(
    ("markdown", "text"),
    [
        (
            "## 表二：主动公开\n| 信息内容 | 本年制发件数 |\n|---|:---:|\n| 规章 | 2 |",
            "表二：主动公开\n信息内容\t本年制发件数\n规章\t2",
        ),
        ("| 三、本年度<br>办理结果 | （一）予以公开 | 71 |", "三、本年度办理结果\t（一）予以公开\t71"),
        ("| total<br/>count | 3 |", "total count\t3"),
        # MinerU's inline math in cells (probe converters c01, c03, c06, c23): OCR spaces, bold,
        # grouping comma, a spaced minus, note marks, roman zero, a circled item number
        (
            "| 一、新收 | $4 3$ | $\\mathbf{70}$ | $1{,}386$ | $- 3$ | $18^{*}$ "
            "| $5^{\\textcircled{1}}$ | $\\mathrm{0}$ |",
            "一、新收\t43\t70\t1,386\t-3\t18\t5\t0",
        ),
        ("$\\textcircled{3}$ 其他 $x_1$", "③ 其他 x_1"),
        # a pandoc grid table: cells wrap over lines between the rules (probe converters c13, c22)
        (
            "+------+------+\n| 信息 | 本年新 |\n| 内容 | 制作数 |\n+======+======+\n"
            "| 规范 | 4 |\n| 性文件 |  |\n"
            "+------+------+\n| 合计 | 1 | 2 |\n|  | 3 |\n+------+------+\n正文",
            "信息内容\t本年新制作数\n规范性文件\t4\n合计\t1\t2\n\t3\n正文",
        ),
        # footnote references and the label of a footnote's text (probe converters c12, c16)
        (
            "| （一）予以公开 | 5[^1] | 1 |\n主动公开1,024条[^6]。\n[^6]: 含转载。",
            "（一）予以公开\t5\t1\n主动公开1,024条。\n含转载。",
        ),
        ("**全年**共受理申请 *45* 件。", "全年共受理申请 45 件。"),
        ("> - 网站公开 [1980](http://x.cn) 条", "网站公开 1980 条"),
        ("|  | 自然人 | 总计 |\n| 一、新收 | 21 | 21 |", "\t自然人\t总计\n一、新收\t21\t21"),
        ("行政复议行政诉讼\n| 64 | 12 | 40 |", "行政复议行政诉讼\n64\t12\t40"),  # broken: headers merged
        ("前文\n<table><tr><td>规章</td><td>2</td></tr></table>\n后文", "前文\n规章\t2\n后文"),
        # a row split by the converter: its wrapped label continues under it, text only
        (
            "| （二）部分公开（区分处理的， | 29 | 0 |\n| 只计这一情形） |  |  |",
            "（二）部分公开（区分处理的，只计这一情形）\t29\t0",
        ),
        # a label a converter wrapped over two rows that spell one table row label between them
        # (`lexicon.wraps_a_row_label`), the figures on either row (a probe of 2026-12-01: the
        # whole table 3 had been lost, 175 fields, because no row label was found)
        (
            "| 一、本年新收政府信息 | 5 | 0 |\n| 公开申请数量 |  |  |",
            "一、本年新收政府信息公开申请数量\t5\t0",
        ),
        (
            "| 一、本年新收政府信息 |  |  |\n| 公开申请数量 | 5 | 0 |",
            "一、本年新收政府信息公开申请数量\t5\t0",
        ),
        (
            "|  | （六）其他处理 | 1.申请人无正当理由 |  |\n"
            "|  |  | 逾期不补正、行政机关不再处理其政府信息公开申请 | 16 |",
            "\t（六）其他处理\t1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请\t16",
        ),
        ("| 四、结转下年度继续办 | 2 |\n| 理 |  |", "四、结转下年度继续办理\t2"),
        ("| 行政许可 |  |\n| 行政处罚 | 5 |", "行政许可\t\n行政处罚\t5"),  # two rows, no label across
        # ... but a new numbered label or a heading row is a row of its own
        ("| 行政许可 | 550 |\n| 第二十条第（六）项 |  |", "行政许可\t550\n第二十条第（六）项\t"),
        ("| 1.属于国家秘密 | 4 |\n| 2.其他法律 |  |", "1.属于国家秘密\t4\n2.其他法律\t"),
        ("| 信息内容 | 本年处理决定数量 |\n| 行政处罚 |  |", "信息内容\t本年处理决定数量\n行政处罚\t"),
        ("| 行政许可 | 550 |\n| 行政处罚 |  |", "行政许可\t550\n行政处罚\t"),  # a blank-valued row
        ("---\n正文\n```\n| 代码 |\n```", "正文\n| 代码 |"),  # no table inside a code block
        # numbers a converter set as inline math, and escaped punctuation (a probe of 2026-11-30:
        # `$12$` cells and `\-12` had read as blank cells, 0)
        ("| 规章 | $1$ | $ 12 $ | \\(3\\) |", "规章\t1\t12\t3"),
        ("<table><tr><td>规章</td><td>$12$</td></tr></table>", "规章\t12"),
        ("| 行政许可 | 137 | \\-12 | 15942 |", "行政许可\t137\t-12\t15942"),
        ("主动公开政府信息$1234$条，\\*注", "主动公开政府信息1234条，*注"),
    ],
)
def test_markdown_to_text(markdown, text):
    assert markdown_to_text(markdown, render_html=html_to_text) == text


def test_split_row_keeps_empty_cells_and_escaped_bars():
    assert split_row("| a | b \\| c |  |") == ["a", "b | c", ""]
    assert split_row("a | b") == ["a", "b"]


def test_read_markdown_case_01(tmp_path):
    source = FIXTURES / "cases" / "01_markdown_table4_single_row" / "input.txt"
    path = tmp_path / "report.md"
    path.write_bytes(source.read_bytes())
    raw = read_report(path)
    assert raw.kind == "markdown"
    lines = raw.text.split("\n")
    assert "表二：主动公开政府信息情况" in lines
    assert "行政规范性文件\t38\t11\t265" in lines
    assert "64\t12\t40\t9\t125\t5\t1\t8\t3\t17\t11\t2\t4\t6\t23" in lines
    assert not any(line.startswith(("|", "#")) for line in lines)


def test_read_markdown_generated_report_every_pipe_row_becomes_cells():
    path = FIXTURES / "formats" / "generated_2021.md"
    source = path.read_text(encoding="utf-8").split("\n")
    pipe_rows = [line for line in source if line.lstrip().startswith("|") and "---" not in line]
    rows = [line for line in read_report(path).text.split("\n") if "\t" in line]
    assert len(pipe_rows) >= 20
    assert [row.count("\t") + 1 for row in rows] == [len(split_row(line)) for line in pipe_rows]


@pytest.mark.parametrize("marker", ["- 7 -", "— 7 —", "第 7 页"])
def test_a_page_number_line_is_no_list_item(marker):
    """A converter keeps the PDF's page number between a table's header and its row: `- 7 -` must
    not become the text `7 -` (a 16th value in table 4's row)."""
    markdown = f"| 行政复议 | 行政诉讼 |\n|---|---|\n\n{marker}\n\n| 1 | 2 |"
    assert markdown_to_text(markdown) == "行政复议\t行政诉讼\n1\t2"
