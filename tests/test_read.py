"""Tests for inference.read: encodings, HTML rendering, errors and path expansion."""

from __future__ import annotations

from pathlib import Path

import pytest

from inference.errors import ReadError
from inference.read import (
    SUPPORTED_SUFFIXES,
    RawReport,
    decode_text_bytes,
    expand_paths,
    html_to_text,
    plausibility,
    read_report,
)

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "annotations" / "seeds"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "read"


def seed(prefix: str) -> str:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def encodable(text: str, encoding: str) -> str:
    """The seed text without the few characters the legacy encoding cannot represent."""
    return text.encode(encoding, errors="ignore").decode(encoding)


# --- plain text encodings ---------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
@pytest.mark.parametrize(
    ("encoding", "reported"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gb18030", "gb18030"), ("gbk", "gb18030")],
)
def test_read_report_text_encodings(tmp_path, prefix, encoding, reported):
    text = encodable(seed(prefix), encoding)
    path = tmp_path / "report.txt"
    path.write_bytes(text.encode(encoding))
    raw = read_report(path)
    assert raw == RawReport(source=str(path), text=text, encoding=reported, kind="text")


@pytest.mark.parametrize("prefix", ["001", "004"])
def test_read_report_big5(tmp_path, prefix):
    text = encodable(seed(prefix), "big5")
    path = tmp_path / "report.txt"
    path.write_bytes(text.encode("big5"))
    raw = read_report(path)
    assert raw.encoding == "big5"
    assert raw.text == text


@pytest.mark.parametrize("length", [8, 20, 80])
def test_decode_text_bytes_resolves_big5_gb18030_ambiguity_on_short_text(length):
    traditional = seed("001")
    simplified = seed("000")
    for start in range(0, 4000, 250):
        big5_text = encodable(traditional[start : start + length], "big5")
        assert decode_text_bytes(big5_text.encode("big5"))[0] == big5_text
        gb_text = simplified[start : start + length]
        assert decode_text_bytes(gb_text.encode("gb18030"))[0] == gb_text
        gb_traditional = traditional[start : start + length]
        assert decode_text_bytes(gb_traditional.encode("gb18030"))[0] == gb_traditional


def test_plausibility_separates_right_and_wrong_decodes():
    text = encodable(seed("001")[:2000], "big5")
    data = text.encode("big5")
    assert plausibility(data.decode("big5")) > 0.95
    assert plausibility(data.decode("gb18030", errors="replace")) < 0.6
    simplified = seed("002")[:2000].encode("gb18030")
    assert plausibility(simplified.decode("gb18030")) > 0.95
    assert plausibility(simplified.decode("big5", errors="replace")) < 0.6


def test_read_report_text_without_chinese_is_read(tmp_path):
    path = tmp_path / "english.txt"
    path.write_text("Annual report 2019: nothing in Chinese here.\n", encoding="utf-8")
    assert read_report(path).text.startswith("Annual report")


def test_read_report_keeps_text_exactly(tmp_path):
    path = tmp_path / "crlf.txt"
    path.write_bytes("第一行\r\n第二行\t3件\r\n".encode())
    assert read_report(path).text == "第一行\r\n第二行\t3件\r\n"


def test_read_report_damaged_utf8_stays_utf8(tmp_path):
    text = seed("002")
    path = tmp_path / "cut.txt"
    assert text.endswith("篇:")
    path.write_bytes(text.encode("utf-8")[:-2])  # cut in the middle of 篇
    raw = read_report(path)
    assert raw.encoding == "utf-8"
    assert raw.text == text[:-2] + "\ufffd"


# --- errors -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "problem"),
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b" \n\t\n", "empty"),
        ("binary.txt", bytes(range(256)) * 4, "binary"),
        ("nul.txt", "报告".encode() + b"\x00\x00\x01\x02", "binary"),
        ("controls.txt", b"\x01\x02\x03\x04\x05\x06\x07\x08abc" * 20, "non-text"),
        ("undecodable.txt", b"\x80\xff\xfe\x81" * 50, "not decodable"),
        ("report.xls", "报告".encode(), "unsupported file type '.xls'"),
        ("noext", "报告".encode(), "unsupported file type"),
    ],
)
def test_read_report_errors(tmp_path, name, data, problem):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(ReadError) as info:
        read_report(path)
    assert problem in info.value.problem
    assert info.value.path == str(path)
    assert str(path) in str(info.value)


def test_read_report_missing_file(tmp_path):
    with pytest.raises(ReadError, match="cannot open"):
        read_report(tmp_path / "missing.txt")


def test_read_report_directory_is_unreadable(tmp_path):
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    with pytest.raises(ReadError, match=r"not a regular file \(directory\)"):
        read_report(folder)


# --- HTML -------------------------------------------------------------------------------------------

FIXTURE_TEXT = (
    "首页 > 政务公开\n"
    "烟台市芝罘区人民政府\n"
    "2019 年政府信息公开工作年度报告\n"
    "\u3000\u30002019 年以来，芝罘区始终把政务公开工作作为依法行政的重要举措，共计发布职能类信息 80 余条。\n"
    "二、主动公开政府信息情况\n"
    "第二十条第（一）项\t\t\t\n"
    "信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量\n"
    "规章\t0\t0\t0\n"
    "规范性文件\t4\t4\t12\n"
    "政府集中采购\t130\t1.2036 亿元\t\n"
    "全年没有收到行政复议申请。"
)


def test_read_report_html_fixture():
    raw = read_report(FIXTURES / "table.html")
    assert raw.kind == "html"
    assert raw.encoding == "utf-8"
    assert raw.text == FIXTURE_TEXT
    assert "999" not in raw.text and "888" not in raw.text  # script and comment dropped
    assert "芝罘区人民政府2019年政府信息公开工作年度报告" not in raw.text  # <title> (head) dropped


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<p>概述</p><table><tr><td>申请</td><td>3 件</td></tr></table>", "概述\n申请\t3 件"),
        ("<div>政府<br>信息</div>公开", "政府\n信息\n公开"),
        ("<p>政府\n  信息公开</p>", "政府信息公开"),
        ("<p>Total\n 12 <b>items</b></p>", "Total 12 items"),
        ("<p>2900 余条</p>", "2900 余条"),
        ("<table><tr><td>a<br>b</td><td> 1 \n 2 </td></tr></table>", "a b\t1 2"),
        ("<table><tr><td><span>1</span><span>2</span></td><td><p>3</p><p>4</p></td></tr></table>", "12\t3 4"),
        ("<table><tr><th colspan=3>第二十条</th></tr><tr><td>规章</td><td>0</td><td>1</td></tr></table>",
         "第二十条\t\t\n规章\t0\t1"),
        ("<table><tr><td rowspan=2>三、办理结果</td><td>(一) 予以公开</td><td>38</td></tr>"
         "<tr><td>(二) 部分公开</td><td>3</td></tr></table>",
         "三、办理结果\t(一) 予以公开\t38\n\t(二) 部分公开\t3"),
        ("<table><tr><td><p>正文一</p><table><tr><td>申请</td><td>5</td></tr></table><p>正文二</p></td></tr></table>",
         "正文一\n申请\t5\n正文二"),
        ("<script>x=1</script><style>p{}</style><!-- 5 --><p>正文</p>", "正文"),
        # table rows drawn without <table>: a blank cell stays a cell (probe html_layouts h02, h03)
        ("<ul class=tb-row><li>行政强制</li><li>9</li><li></li><li>63</li></ul>", "行政强制\t9\t\t63"),
        ("<div class=tr><span>规范性文件</span><span>14</span><span>3</span><span>61</span></div>",
         "规范性文件\t14\t3\t61"),
        ("<ul><li>网站公开150条</li><li>微信20条</li><li>微博10条</li></ul>",
         "网站公开150条\n微信20条\n微博10条"),
        # a term and its definition on one line (probe html_layouts h30)
        ("<dl><dt>工作人员</dt><dd><b>3</b>人（专职<b>1</b>人）</dd><dt>查阅场所</dt><dd>共6个</dd></dl>",
         "工作人员 3人（专职1人）\n查阅场所 共6个"),
        ("<dl>\n  <dt>工作人员</dt>\n  <dd>3人</dd>\n  <dt>查阅场所</dt>\n  <dd>共6个</dd>\n</dl><p>正文</p>",
         "工作人员 3人\n查阅场所 共6个\n正文"),
        # ruby readings a mirror prints over each character (probe mirrors m05, m28)
        ("<p><ruby>資<rp>(</rp><rt>zī</rt><rp>)</rp></ruby><ruby>訊<rt>xùn</rt></ruby>公開</p>", "資訊公開"),
        ("", ""),
        ("<p>　</p>", ""),
    ],
)  # fmt: skip
def test_html_to_text(html, expected):
    assert html_to_text(html) == expected


def test_html_to_text_recovers_truncated_html():
    html = (FIXTURES / "table.html").read_text(encoding="utf-8")
    cut = html[: html.index("<td>政府集中采购") + 20]
    text = html_to_text(cut)
    assert "规范性文件\t4\t4\t12" in text
    assert text.endswith("政府集中采购\t13") or "政府集中采购" in text
    assert html_to_text("<table><tr><td>申请<td>5<tr><td>办结<td>4") == "申请\t5\n办结\t4"
    assert "公开" in html_to_text("<p>公开<div><span>申请</p></b></table>")


def test_html_to_text_never_fetches(tmp_path):
    html = (
        '<!DOCTYPE html SYSTEM "http://example.invalid/x.dtd"><html><body>'
        '<img src="http://example.invalid/a.png"><iframe src="http://example.invalid/"></iframe>'
        "<p>正文</p></body></html>"
    )
    assert html_to_text(html) == "正文"


@pytest.mark.parametrize(
    ("encoding", "declared", "reported"),
    [
        ("gbk", "gb2312", "gb18030"),
        ("big5", "big5", "big5"),
        ("utf-8", "utf-8", "utf-8"),
        ("gb18030", None, "gb18030"),
    ],
)
def test_read_report_html_charset(tmp_path, encoding, declared, reported):
    body = "<p>政府信息公開申請</p><table><tr><td>自然人</td><td>75</td></tr></table>"
    meta = f'<meta http-equiv="Content-Type" content="text/html; charset={declared}">' if declared else ""
    html = f"<html><head>{meta}</head><body>{body}</body></html>"
    path = tmp_path / "report.htm"
    path.write_bytes(html.encode(encoding))
    raw = read_report(path)
    assert raw.text == "政府信息公開申請\n自然人\t75"
    assert raw.encoding == reported


def test_read_report_html_with_wrong_meta_charset_falls_back(tmp_path):
    html = '<html><head><meta charset="utf-8"></head><body><p>政府信息公开工作年度报告</p></body></html>'
    path = tmp_path / "report.html"
    path.write_bytes(html.encode("gb18030"))
    raw = read_report(path)
    assert raw.text == "政府信息公开工作年度报告"
    assert raw.encoding == "gb18030"


def test_read_report_html_without_text(tmp_path):
    path = tmp_path / "empty.html"
    html = "<html><head><title>x</title></head><body><script>1</script></body></html>"
    path.write_text(html, encoding="utf-8")
    with pytest.raises(ReadError, match="no text"):
        read_report(path)


# --- DOCX / PDF (optional) --------------------------------------------------------------------------


def test_read_report_docx(tmp_path):
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_paragraph("政府信息公开工作年度报告")
    table = document.add_table(rows=2, cols=2)
    for r, row in enumerate([("信息内容", "本年新制作数量"), ("规章", "4")]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    path = tmp_path / "report.docx"
    document.save(str(path))
    raw = read_report(path)
    assert raw.kind == "docx"
    assert raw.text == "政府信息公开工作年度报告\n信息内容\t本年新制作数量\n规章\t4"


def test_read_report_broken_docx(tmp_path):
    pytest.importorskip("docx")
    path = tmp_path / "broken.docx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(ReadError, match="docx"):
        read_report(path)


def test_read_report_pdf(tmp_path):
    pytest.importorskip("pdfplumber")
    pytest.importorskip("reportlab")
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))  # built into reportlab, no font file
    path = tmp_path / "report.pdf"
    page = canvas.Canvas(str(path))
    page.setFont("STSong-Light", 12)
    page.drawString(72, 750, "政府信息公开工作年度报告")
    page.drawString(72, 730, "共受理申请 342 件")
    page.save()
    raw = read_report(path)
    assert (raw.kind, raw.text) == ("pdf", "政府信息公开工作年度报告\n共受理申请 342 件")


def test_read_report_broken_pdf(tmp_path):
    pytest.importorskip("pdfplumber")
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4 not really a pdf")
    with pytest.raises(ReadError, match="pdf"):
        read_report(path)


# --- paths ------------------------------------------------------------------------------------------


def test_expand_paths_recursive_sorted_supported_only(tmp_path):
    for name in ("b.txt", "a.html", "sub/c.htm", "sub/deeper/d.TXT", "notes.md", "sub/e.xls", "f.pdf"):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x", encoding="utf-8")
    single = tmp_path / "notes.md"
    found = expand_paths([tmp_path, single])
    relative = [p.relative_to(tmp_path).as_posix() for p in found]
    assert relative == ["a.html", "b.txt", "f.pdf", "notes.md", "sub/c.htm", "sub/deeper/d.TXT", "notes.md"]
    assert expand_paths([tmp_path]) == expand_paths([str(tmp_path)])


def test_supported_suffixes():
    assert {".txt", ".html", ".htm"} <= set(SUPPORTED_SUFFIXES)


def test_html_a_table_cell_holding_the_pages_paragraphs_lays_the_page_out() -> None:
    """An old portal page puts the report in a `<td>` beside a navigation cell: its paragraphs stay
    lines (a heading run into the next sentence had turned its 复议 into 诉讼)."""
    html = (
        "<html><body><table><tr><td>导航</td><td>"
        "<p>北山县人民政府2016年政府信息公开工作年度报告</p>"
        "<p>四、因政府信息公开申请行政复议、提起行政诉讼的情况</p>"
        "<p>全年发生政府信息公开行政复议1件，无行政诉讼。</p>"
        "</td></tr></table></body></html>"
    )
    lines = html_to_text(html).split("\n")
    assert "四、因政府信息公开申请行政复议、提起行政诉讼的情况" in lines
    assert "全年发生政府信息公开行政复议1件，无行政诉讼。" in lines
