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
