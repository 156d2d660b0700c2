"""PDF reader (inference/read_pdf.py): ruled tables to tab rows, paragraphs, page furniture, pages.

Fixtures in tests/fixtures/formats/ (see its README): the real 洪泽区 2023 PDF with gold (from
shared/real/pdf/) and a generated report rendered by Chromium in three table styles, next to the HTML
it was printed from. Other PDFs are drawn here with reportlab's built-in CID font (no font file).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas
from reportlab.platypus import SimpleDocTemplate, Table, TableStyle

from inference.errors import ReadError
from inference.read import read_report
from inference.read_pdf import pdf_to_text

FIXTURES = Path(__file__).parent / "fixtures" / "formats"
REAL = FIXTURES / "101_hongze_district_2023.pdf"
FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def _rows(text: str) -> list[str]:
    return [line for line in text.split("\n") if "\t" in line]


# --- the real report ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real():
    return read_report(REAL)


@pytest.mark.parametrize(
    "row",
    [
        "信息内容\t本年制发件数\t本年废止件数\t现行有效件数",
        "行政规范性文件\t0\t5\t5",
        "信息内容\t本年处理决定数量",  # its 信息内容 cell has no top ruling (continued from page 2)
        "行政事业性收费\t7730.28",
        "\t\t\t自然人\t法人或其他组织\t\t\t\t\t总计",
        "\t\t\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t",  # labels wrapped over 2-3 lines
        "三、本年度办理结果\t（一）予以公开\t\t0\t0\t0\t0\t0\t0\t0",  # vertical label, one char per line
        "\t（二）部分公开（区分处理的，只计这一情形，不计其他情形）\t\t4\t0\t0\t0\t0\t0\t4",
        "\t\t3.补正后申请内容仍不明确\t0\t0\t0\t0\t0\t0\t0",  # first row on page 4: table continues
        "\t\t5.要求行政机关确认或重新出具已获取信息\t0\t0\t0\t0\t0\t0\t0",
        "\t（七）总计\t\t21\t0\t0\t0\t0\t0\t21",
        "10\t1\t0\t0\t0\t0\t0\t0\t0\t0\t5\t0\t0\t0\t0",  # table 4 as printed
    ],
)
def test_read_pdf_real_table_rows(real, row):
    assert row in real.text.split("\n")


def test_read_pdf_real_paragraphs_pages_and_furniture(real):
    lines = real.text.split("\n")
    assert not any(line.strip(" -") in {"1", "2", "3", "4", "5"} for line in lines)  # "- 1 -" footers
    assert (
        "（一）主动公开情况。主要通过政府门户网站主动公开政府文件、项目审批、通知公告等各类政府信息。"
        in real.text
    )
    # a paragraph wrapping over the page 1/2 break is one line
    assert any(line.startswith("加强区政府门户网站") and line.endswith("一律不准发布。") for line in lines)
    assert len(real.page_starts) == 5
    assert real.page_of(real.text.index("四、政府信息公开行政复议")) == 4
    assert real.page_of(0) == 1 and real.page_of(len(real.text) - 1) == 5


# --- generated report rendered by Chromium ------------------------------------------------------------


@pytest.mark.parametrize("style", ["wrapped", "pagebreak"])
def test_read_pdf_rendered_matches_html(style):
    html = read_report(FIXTURES / "generated_2021.html").text
    pdf = read_report(FIXTURES / f"generated_2021_{style}.pdf").text
    assert _rows(pdf) == _rows(html)
    assert "".join(pdf.split()) == "".join(html.split())


# --- drawn here ---------------------------------------------------------------------------------------


def _table_pdf(
    path: Path, data: list[list[str]], spans: list[tuple], *, repeat: int = 0, widths=None
) -> None:
    doc = SimpleDocTemplate(str(path), pagesize=A4)
    table = Table(data, colWidths=widths, repeatRows=repeat)
    style = [("FONT", (0, 0), (-1, -1), FONT, 10), ("GRID", (0, 0), (-1, -1), 0.5, "black")]
    table.setStyle(TableStyle(style + [("SPAN", a, b) for a, b in spans]))
    doc.build([table])


def test_read_pdf_merged_cells_and_vertical_label(tmp_path):
    data = [
        ["行政复议", "", "行政诉讼", ""],
        ["维持", "纠正", "维持", "纠正"],
        ["7", "2", "1", "0"],
        ["三\n、\n本\n年", "（一）予以公开", "5", "5"],
        ["", "（二）部分公开", "1", "1"],
    ]
    path = tmp_path / "merged.pdf"
    _table_pdf(path, data, [((0, 0), (1, 0)), ((2, 0), (3, 0)), ((0, 3), (0, 4))])
    assert _rows(pdf_to_text(path).text) == [
        "行政复议\t\t行政诉讼\t",
        "维持\t纠正\t维持\t纠正",
        "7\t2\t1\t0",
        "三、本年\t（一）予以公开\t5\t5",
        "\t（二）部分公开\t1\t1",
    ]


def test_read_pdf_table_over_page_break_keeps_header_once(tmp_path):
    data = [["信息内容", "本年制发件数"]] + [[f"第{i}类事项", str(i)] for i in range(1, 90)]
    path = tmp_path / "long.pdf"
    _table_pdf(path, data, [], repeat=1)
    pdf = pdf_to_text(path)
    rows = _rows(pdf.text)
    assert len(pdf.page_starts) >= 2
    assert rows == ["信息内容\t本年制发件数"] + [f"第{i}类事项\t{i}" for i in range(1, 90)]


def test_read_pdf_drops_page_numbers_and_running_headers(tmp_path):
    path = tmp_path / "pages.pdf"
    page = canvas.Canvas(str(path), pagesize=A4)
    for number in (1, 2, 3):
        page.setFont(FONT, 10)
        page.drawString(72, 800, "某某区人民政府办公室")
        page.drawString(280, 30, f"第 {number} 页 共 3 页")
        page.setFont(FONT, 12)
        page.drawString(72, 700, f"第{number}页正文：受理申请 {number * 7} 件。")
        page.showPage()
    page.save()
    pdf = pdf_to_text(path)
    assert pdf.text.split("\n") == [
        "第1页正文：受理申请 7 件。",
        "第2页正文：受理申请 14 件。",
        "第3页正文：受理申请 21 件。",
    ]
    assert pdf.page_starts == (0, 16, 33)


def test_read_pdf_keeps_figure_lines_at_page_feet(tmp_path):
    """Text set one cell per line (`规章`, `|`, `0`, `|`, `6`) puts bare figures at the foot and head of
    pages: a figure flush left is the body's, and `0 |` on every page is no running footer. A centred
    bare number is still a page number."""
    path = tmp_path / "cell_lines.pdf"
    page = canvas.Canvas(str(path), pagesize=A4)
    for number, (head, foot) in enumerate(
        [("行政许可 |", "6"), ("行政处罚 |", "0 |"), ("行政强制 |", "0 |")], 1
    ):
        page.setFont(FONT, 12)
        page.drawString(72, 790, head)
        page.drawString(72, 700, f"第{number}页正文：受理申请 {number * 7} 件。")
        page.drawString(72, 45, foot)
        page.drawString(290, 20, str(number))
        page.showPage()
    page.save()
    assert pdf_to_text(path).text.split("\n") == [
        "行政许可 |",
        "第1页正文：受理申请 7 件。",
        "6",
        "行政处罚 |",
        "第2页正文：受理申请 14 件。",
        "0 |",
        "行政强制 |",
        "第3页正文：受理申请 21 件。",
        "0 |",
    ]


def test_read_pdf_unruled_columns_become_cells(tmp_path):
    path = tmp_path / "unruled.pdf"
    page = canvas.Canvas(str(path), pagesize=A4)
    page.setFont(FONT, 11)
    for y, cells in ((700, ("信息内容", "本年制发件数", "现行有效件数")), (680, ("规章", "2", "17"))):
        for x, cell in zip((72, 250, 400), cells, strict=True):
            page.drawString(x, y, cell)
    page.save()
    assert pdf_to_text(path).text == "信息内容\t本年制发件数\t现行有效件数\n规章\t2\t17"


def test_read_pdf_scanned_has_no_text_layer(tmp_path):
    path = tmp_path / "scan.pdf"
    page = canvas.Canvas(str(path), pagesize=A4)
    page.rect(50, 50, 400, 600, fill=1)  # stands for a page image: marks, no characters
    page.showPage()
    page.save()
    with pytest.raises(ReadError, match=r"no text layer \(scanned PDF\)") as caught:
        read_report(path)
    assert caught.value.path == str(path)


def test_read_pdf_damaged_file_is_a_read_error(tmp_path):
    path = tmp_path / "cut.pdf"
    path.write_bytes(REAL.read_bytes()[:5000])
    with pytest.raises(ReadError, match="pdf"):
        read_report(path)


# --- unruled tables: rebuilt from word positions ------------------------------------------------------


def _figure_rows(text: str) -> list[tuple[str, tuple[str, ...]]]:
    """(last label cell, figures) of every row with figures: what the table reader needs of a row."""
    out = []
    for row in _rows(text):
        cells = [cell for cell in row.split("\t") if cell]
        figures = tuple(cell for cell in cells if cell.replace(".", "").isdigit())
        labels = [cell for cell in cells if cell not in figures]
        if figures:
            out.append((labels[-1] if labels else "", figures))
    return out


def test_read_pdf_unruled_rendered_rows_keep_labels_and_figures():
    html = _figure_rows(read_report(FIXTURES / "generated_2021.html").text)
    pdf = _figure_rows(read_report(FIXTURES / "generated_2021_unruled.pdf").text)
    # known weakness: Chromium cuts this row over the page break, its label's last line is read apart
    split = "1．申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"
    kept = [row for row in pdf if not (row[0] and split.startswith(row[0]))]
    assert kept == [row for row in html if row[0] != split]
    assert len(pdf) == len(html)


def _unruled_pdf(path: Path, data: list[list[str]], *, valign: str, widths: list[float]) -> None:
    """A paragraph, a table without rulings (labels wrapped with ``\\n``), a paragraph."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph

    prose = ParagraphStyle("p", fontName=FONT, fontSize=12, leading=18, wordWrap="CJK")
    text = "本机关严格落实政府信息公开条例，" * 6 + "全年共受理申请 21 件。"
    table = Table(data, colWidths=widths)
    table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), FONT, 10), ("VALIGN", (0, 0), (-1, -1), valign)]))
    SimpleDocTemplate(str(path), pagesize=A4).build([Paragraph(text, prose), table, Paragraph(text, prose)])


UNRULED_CASES = {
    # labels wrapped over lines are one cell
    "wrapped": (
        [
            ["信息内容", "本年新收", "上年结转"],
            ["（二）部分公开（区分处理\n的，只计这一情形）", "4", "0"],
            ["（三）不予公开", "12", "3"],
            ["5．要求行政机关确认或重\n新出具已获取信息的申请", "0", "1"],
        ],
        [150, 80, 80],
        [
            "信息内容\t本年新收\t上年结转",
            "（二）部分公开（区分处理的，只计这一情形）\t4\t0",
            "（三）不予公开\t12\t3",
            "5．要求行政机关确认或重新出具已获取信息的申请\t0\t1",
        ],
    ),
    # a row of blank cells under a row of figures: its numbered label (`7．…`) is a row of its own,
    # never the wrapped end of the label above (which moved that label's figures onto it)
    "numbered": (
        [
            ["信息内容", "本年新收", "上年结转"],
            ["6．属于四类过程性信息", "7", "1"],
            ["7．属于行政执法案卷", "", ""],
            ["8．属于行政查询事项", "2", "0"],
        ],
        [125, 80, 80],
        [
            "信息内容\t本年新收\t上年结转",
            "6．属于四类过程性信息\t7\t1",
            "7．属于行政执法案卷\t\t",
            "8．属于行政查询事项\t2\t0",
        ],
    ),
}


@pytest.mark.parametrize("case", sorted(UNRULED_CASES))
@pytest.mark.parametrize("valign", ["MIDDLE", "TOP"])
def test_read_pdf_unruled_rows(tmp_path, valign, case):
    data, widths, expected = UNRULED_CASES[case]
    path = tmp_path / "unruled.pdf"
    _unruled_pdf(path, data, valign=valign, widths=widths)
    pdf = pdf_to_text(path).text
    assert _rows(pdf) == expected
    paragraphs = [line for line in pdf.split("\n") if "\t" not in line]
    assert len(paragraphs) == 2 and all(line.endswith("全年共受理申请 21 件。") for line in paragraphs)


def test_read_pdf_unruled_prose_with_wide_gaps_is_no_table(tmp_path):
    path = tmp_path / "prose.pdf"
    page = canvas.Canvas(str(path), pagesize=A4)
    page.setFont(FONT, 12)
    page.drawString(72, 700, "联系电话：0512-1234567")
    page.drawString(330, 700, "邮编：215000")
    page.drawString(72, 680, "本机关全年共受理政府信息公开申请 21 件，均按期答复。")
    page.drawString(72, 660, "某某区人民政府办公室")
    page.drawString(400, 660, "2024年1月")
    page.save()
    assert pdf_to_text(path).text.split("\n") == [
        "联系电话：0512-1234567\t邮编：215000",
        "本机关全年共受理政府信息公开申请 21 件，均按期答复。",
        "某某区人民政府办公室\t2024年1月",
    ]


def test_read_pdf_row_cut_by_page_break_is_one_row(tmp_path):
    """Word processors let a row break across pages: the label's rest on the next page, beside
    empty figure cells, belongs to the row above the break (it had read as a blank row of zeros)."""
    path = tmp_path / "split_row.pdf"
    pages = [
        [["信息内容", "", "件数"], ["（三）不予公开", "1.属于国家秘密", "0"]]
        + [["（四）无法提供", "1.本机关", "7"]],
        [["", "不掌握相关政府信息", ""], ["", "2.没有现成信息", "0"]],
    ]
    page = canvas.Canvas(str(path), pagesize=A4)
    for rows in pages:
        table = Table(rows, colWidths=[90, 120, 60])
        table.setStyle(
            TableStyle([("FONT", (0, 0), (-1, -1), FONT, 10), ("GRID", (0, 0), (-1, -1), 0.5, "black")])
        )
        _, height = table.wrapOn(page, 400, 700)
        table.drawOn(page, 72, 770 - height if rows is pages[1] else 72)
        page.showPage()
    page.save()
    pdf = pdf_to_text(path)
    assert len(pdf.page_starts) == 2
    assert _rows(pdf.text) == [
        "信息内容\t\t件数",
        "（三）不予公开\t1.属于国家秘密\t0",
        "（四）无法提供\t1.本机关不掌握相关政府信息\t7",
        "\t2.没有现成信息\t0",
    ]


def test_read_pdf_unruled_caption_parts_two_tables(tmp_path):
    """Two borderless tables with a caption line between them (`附表3`, `表三 接受咨询`) are two
    tables: the second one's columns must not put a blank cell into every row of the first (read as
    a printed 0 before each figure)."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph

    def table(data, widths):
        t = Table(data, colWidths=widths, hAlign="LEFT")
        t.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), FONT, 10)]))
        return t

    caption = ParagraphStyle("c", fontName=FONT, fontSize=10, leading=14)
    first = [["指标", "数量(件)"], ["收到申请数", "67"], ["其中:1.属于已主动公开范围数", "30"]]
    second = [["指标", "数量(人次)"], ["咨询人次", "5"]]
    path = tmp_path / "captions.pdf"
    story = [table(first, [200, 60]), Paragraph("附表3", caption), Paragraph("表三 接受咨询", caption)]
    SimpleDocTemplate(str(path), pagesize=A4).build([*story, table(second, [80, 60])])
    assert _rows(pdf_to_text(path).text) == [
        "指标\t数量(件)",
        "收到申请数\t67",
        "其中:1.属于已主动公开范围数\t30",
        "指标\t数量(人次)",
        "咨询人次\t5",
    ]


FULL_LINE = "本机关严格落实政府信息公开条例要求认真做好各项工作全面推进公开工作"  # 33 characters


def _paragraph_pdf(path: Path, lines: tuple[str, ...]) -> str:
    """Text of a page whose `lines` are drawn at 12 pt, 18 pt apart, from the left margin."""
    page = canvas.Canvas(str(path), pagesize=A4)
    page.setFont(FONT, 12)
    for i, line in enumerate(lines):
        page.drawString(72, 720 - 18 * i, line)
    page.save()
    return pdf_to_text(path).text


def test_read_pdf_a_figure_pushed_to_the_next_line_stays_in_its_paragraph(tmp_path):
    """A long figure that does not fit at the end of a line goes to the next line whole; the line
    above ends short of the margin, but the paragraph goes on (`…公开数条` + `2949819162、…`)."""
    first = "统计表指标名称计量单位年度累计主动公开文件数条其中网站数条"  # 29: no room for 10 digits
    lines = (FULL_LINE, FULL_LINE, FULL_LINE, first, "2949819162、政府公报公开数条00。")
    assert first + "2949819162、" in _paragraph_pdf(tmp_path / "pushed.pdf", lines)


def test_read_pdf_figures_on_two_lines_of_a_paragraph_stay_two(tmp_path):
    """Running text breaks between numbers, never inside one: `…条 739` at a line's end and `4359 …`
    on the next are two figures (this year, cumulative), not 7394359. Inside a narrow cell a number
    may wrap, and its parts are joined."""
    lines = (
        FULL_LINE,
        FULL_LINE,
        "统计表的指标名称与计量单位本年度与历年累计的主动公开信息数条 739",
        "4359 其中网站公开条 739 4359。",
    )
    assert "主动公开信息数条 739 4359 其中" in _paragraph_pdf(tmp_path / "two_figures.pdf", lines)


def test_read_pdf_a_line_ending_in_a_dash_goes_on_with_its_number(tmp_path):
    """A one-line table printed as running text wraps inside `26-260` (2 items last year, -2 this
    year, 60 decisions): the dash ends the line, and the figures after it belong to the same run,
    so no space is put between them (a space had made the change 0 and the decisions 260)."""
    lines = (
        FULL_LINE,
        FULL_LINE,
        "本机关认真做好各项工作全面推进公开处理决定数量行政许可000行政处罚26-",
        "260行政强制000第二十条第(八)项信息内容",
    )
    assert "行政处罚26-260行政强制" in _paragraph_pdf(tmp_path / "dash.pdf", lines)


@pytest.mark.parametrize("angle", [90, -90])
def test_read_pdf_sideways_table_is_read_upright(tmp_path, angle):
    """A ruled table drawn turned a quarter on a portrait page, without /Rotate (text matrix b = ±1:
    `read_pdf._turn`): before 2026-12-01 its characters were read one per line, the table lost."""
    data = [["信息内容", "本年制发件数", "本年废止件数"], ["规章", "2", "0"], ["行政规范性文件", "38", "11"]]
    path = tmp_path / "sideways.pdf"
    width, height = A4
    drawing = canvas.Canvas(str(path), pagesize=A4)
    table = Table(data)
    table.setStyle(
        TableStyle([("FONT", (0, 0), (-1, -1), FONT, 10), ("GRID", (0, 0), (-1, -1), 0.5, "black")])
    )
    if angle == 90:
        drawing.translate(width - 100, 100)
    else:
        drawing.translate(100, height - 100)
    drawing.rotate(angle)
    table.wrapOn(drawing, 500, 300)
    table.drawOn(drawing, 0, 0)
    drawing.save()
    assert _rows(pdf_to_text(path).text) == [
        "信息内容\t本年制发件数\t本年废止件数",
        "规章\t2\t0",
        "行政规范性文件\t38\t11",
    ]
