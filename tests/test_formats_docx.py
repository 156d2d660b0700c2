"""Word reader (inference/read_docx.py): merged cells on the grid, tabs kept, legacy formats.

Fixture tests/fixtures/formats/generated_2021.docx is the generated report generated_2021.html
written by `training.render.html_to_docx` (merged cells as Word merges); other files are built here.
"""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from inference.errors import ReadError
from inference.read import read_report
from inference.read_docx import docx_to_text

FIXTURES = Path(__file__).parent / "fixtures" / "formats"


def test_read_docx_generated_report_matches_html():
    html = read_report(FIXTURES / "generated_2021.html").text
    word = read_report(FIXTURES / "generated_2021.docx")
    assert word.kind == "docx"
    assert word.text == html


def test_read_docx_merged_cells_and_tabs(tmp_path):
    document = docx.Document()
    document.add_paragraph("二、主动公开政府信息情况")
    document.add_paragraph("规章\t2\t0\t17")  # a tab-aligned "table" in a paragraph
    table = document.add_table(rows=4, cols=4)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "行政复议"  # gridSpan
    table.cell(0, 2).merge(table.cell(0, 3)).text = "行政诉讼"
    for c, text in enumerate(("维持", "纠正", "维持", "纠正")):
        table.cell(1, c).text = text
    table.cell(2, 0).merge(table.cell(3, 0)).text = "三、本年度\n办理结果"  # vMerge, two paragraphs
    for r, values in ((2, ("予以公开", "3", "4")), (3, ("部分公开", "1", "0"))):
        for c, text in enumerate(values, start=1):
            table.cell(r, c).text = text
    path = tmp_path / "merged.docx"
    document.save(str(path))
    assert docx_to_text(path).split("\n") == [
        "二、主动公开政府信息情况",
        "规章\t2\t0\t17",
        "行政复议\t\t行政诉讼\t",
        "维持\t纠正\t维持\t纠正",
        "三、本年度办理结果\t予以公开\t3\t4",
        "\t部分公开\t1\t0",
    ]


def test_read_docx_broken_file(tmp_path):
    path = tmp_path / "broken.docx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(ReadError, match="not a readable .docx"):
        read_report(path)


@pytest.mark.parametrize("suffix", [".doc", ".wps"])
def test_read_legacy_word_without_converter_names_what_to_install(tmp_path, monkeypatch, suffix):
    monkeypatch.setattr("shutil.which", lambda name: None)
    path = tmp_path / f"report{suffix}"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)  # OLE header of .doc/.wps
    with pytest.raises(ReadError, match="LibreOffice") as caught:
        read_report(path)
    assert caught.value.path == str(path)
    assert ("antiword" in caught.value.problem) == (suffix == ".doc")


def test_read_docx_looks_into_content_controls(tmp_path):
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    document.add_paragraph("一、总体情况")
    control = parse_xml(
        f"<w:sdt {nsdecls('w')}><w:sdtContent><w:p><w:r><w:t>全年受理申请45件。</w:t></w:r></w:p>"
        "</w:sdtContent></w:sdt>"
    )
    document.element.body.insert(1, control)
    path = tmp_path / "sdt.docx"
    document.save(str(path))
    assert docx_to_text(path) == "一、总体情况\n全年受理申请45件。"
