"""Traditional mirrors of real reports read like their Simplified originals.

Mirror sites publish reports converted to Traditional characters, some with Taiwan phrasing
(OpenCC `s2twp`: 信息公开 → 資訊公開, 发布 → 釋出, 类型 → 型別). The fields must not change. The rule
tagger is used so that the test pins the normaliser's and the lexicons' knowledge, not the model's
(whose character vocabulary sees the converted characters).
"""

from __future__ import annotations

import opencc
import pytest

from inference import REPO_ROOT
from inference.pipeline import WorkItem, predict_items
from inference.rules import RuleTagger

REPORTS = (
    "annotations/real/reports/006_pingtan_zone_2015.txt",  # one-line old table: 其他类型答复数
    "annotations/real/passages/p020_lizhou_hexi_2019.txt",  # 分别发布各类信息92条、306条
    "annotations/real/passages/p045_jiulongpo_erlang_2022.txt",  # 区政府信息公开网站共公开信息314条
)


@pytest.fixture(scope="module")
def tagger() -> RuleTagger:
    return RuleTagger()


def _fields(path, tagger) -> dict:
    objs, _ = predict_items([WorkItem(str(path), "")], tagger)
    assert objs[0].get("fields"), objs[0]
    return objs[0]["fields"]


@pytest.mark.parametrize("config", ["s2t", "s2hk", "s2twp"])
@pytest.mark.parametrize("report", REPORTS)
def test_mirror_gives_the_original_fields(report: str, config: str, tagger, tmp_path) -> None:
    original = REPO_ROOT / report
    mirror = tmp_path / original.name
    mirror.write_text(opencc.OpenCC(config).convert(original.read_text(encoding="utf-8")), encoding="utf-8")
    assert _fields(mirror, tagger) == _fields(original, tagger)


def test_a_report_whose_only_disclosure_word_is_taiwan_spelled_is_a_report() -> None:
    """s2twp writes 政府資訊公開; a short report with no other disclosure word is still a report."""
    from inference.normalize import normalize
    from inference.pipeline import report_problem

    text = opencc.OpenCC("s2twp").convert("2018年政府信息公开工作年度报告\n全年受理申请5件。")
    assert "資訊公開" in text
    assert report_problem(normalize(text).text) is None
    assert report_problem("今日股市上涨,沪指收于3050点。") is not None
