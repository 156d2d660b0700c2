from __future__ import annotations

from inference.batch import TaggerSpec
from training.bench import bench


def test_bench_counts_good_and_bad_reports(tmp_path):
    result = bench(4, tagger=TaggerSpec("none"), workers=1, bad=3, work_dir=tmp_path)
    assert (result.reports, result.ok, result.failed, result.missing) == (7, 4, 3, 0)
    assert result.reports_per_second > 0 and result.chars_per_second > 0
    assert 0 <= result.tag_share <= 1
    assert result.peak_rss_parent_mb > 0
    assert "reports/s" in result.to_text()


def test_bench_formats_prints_text_reports_as_pages(tmp_path):
    """`bench_formats --real` turns a text report into a page: lines as paragraphs, tab rows as one
    table (escaped), which the HTML reader reads back as the same cells."""
    from inference.read import html_to_text
    from training.bench_formats import text_to_html

    text = "二、主动公开<情况>\n信息内容\t本年新制作数量\n规章\t0\n行政规范性文件\t12\n三、收到申请"
    html = text_to_html(text)
    assert html.count("<table>") == 1 and "&lt;情况&gt;" in html
    assert html_to_text(html).split("\n") == text.split("\n")
