"""Spaces PDF text extractors put inside words (normalize step 1b), records' pages, case 03 end to end.

Case 03 is tests/fixtures/cases/03_pdf_spaces_inside_words (copied from shared/cases).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from inference.normalize import has_extractor_spacing, normalize
from inference.read import RawReport
from inference.records import Record
from tests.test_normalize import check_chars_map_back, check_offset_map

CASE_03 = Path(__file__).parent / "fixtures" / "cases" / "03_pdf_spaces_inside_words"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # extractor spacing (a space after most full-width commas): spaces between CJK go
        (
            "全年共受理政府信 息公开申 请45件， 其中当面申 请12件， 网络申 请33件， 信函申 请0件。",
            "全年共受理政府信息公开申请45件,其中当面申请12件,网络申请33件,信函申请0件。",
        ),
        # ... but a space next to a digit stays, as everywhere
        (
            "行政复 议3件， 行政诉 讼1 件， 收费 0 元， 共 2900 余条。",
            "行政复议3件,行政诉讼1 件,收费 0 元,共 2900 余条。",
        ),
        # typed or web text: a space between Han words is kept (table headers, breadcrumbs)
        (
            "信息内容 本年制发件数 本年废止件数，规章 2 0，文件 38 11。",
            "信息内容 本年制发件数 本年废止件数,规章 2 0,文件 38 11。",
        ),
        (
            "首页 政务公开， 年报 平潭综合实验区2013年报告，来源：办公室。",
            "首页 政务公开, 年报 平潭综合实验区2013年报告,来源:办公室。",
        ),
    ],
)
def test_normalize_extractor_spaces_inside_words(text, expected):
    doc = normalize(text)
    assert doc.text == expected
    check_offset_map(doc)
    check_chars_map_back(doc)


def test_has_extractor_spacing_needs_a_habit_not_one_space():
    assert not has_extractor_spacing("共受理申请45件， 其中当面12件。")  # one spaced comma
    assert has_extractor_spacing((CASE_03 / "input.txt").read_text(encoding="utf-8"))


def test_one_line_text_keeps_the_space_after_each_sentence_and_heading():
    """Crawler one-line text prints a space where each line ended (after 。 and after headings):
    no extractor habit. Dropping those spaces had glued `五、行政复议和行政诉讼情况` to the sentence
    after it, and its review count went to litigation (probe mirrors m30)."""
    text = (
        "梧岗市人民政府2012年政府信息公开工作年度报告 四、收费情况 全年收取检索复制费360元。 "
        "五、行政复议和行政诉讼情况 全年发生政府信息公开行政复议5件，其中维持4件，纠错1件；行政诉讼2件。 "
        "六、存在的问题和改进措施 依申请公开答复的规范性还需提高。 主办：梧岗市人民政府办公室"
    )
    assert not has_extractor_spacing(text)
    assert "情况 全年" in normalize(text).text
    from inference.pipeline import predict_raw
    from inference.read import RawReport
    from inference.taggers import TaggerSpec, load_tagger_from_spec

    (result,) = predict_raw(
        [RawReport("m30", text, "utf-8", "text")], load_tagger_from_spec(TaggerSpec("rules"))
    )
    assert {k: result.fields.get(k) for k in ("review.total", "litigation.total")} == {
        "review.total": 5,
        "litigation.total": 2,
    }


def test_normalize_case_03_reads_the_catalogue_wording():
    doc = normalize((CASE_03 / "input.txt").read_text(encoding="utf-8"))
    for words in (
        "主动公开政府信息2316条",
        "其中当面申请12件",
        "行政复议3件",
        "行政诉讼1件",
        "全年未收取任何费用",
    ):
        assert words in doc.text
    start = doc.text.index("行政复议3件")
    original_start, original_end = doc.to_original(start, start + len("行政复议3件"))
    assert doc.original[original_start:original_end] == "行政复 议3件"


def test_record_page_in_json_only_when_known():
    record = Record("申请", ("新收",), 21, "件", False, "applications.new.total", 10, 12, "21")
    assert "page" not in record.to_json()
    assert Record(**{**record.__dict__, "page": 3}).to_json()["page"] == 3


def test_raw_report_page_of_offsets():
    raw = RawReport("r.pdf", "第一页\n第二页\n第三页", "pdf", "pdf", page_starts=(0, 4, 8))
    assert [raw.page_of(i) for i in (0, 3, 4, 7, 8, 10)] == [1, 1, 2, 2, 3, 3]
    assert RawReport("r.txt", "abc", "utf-8", "text").page_of(1) is None
