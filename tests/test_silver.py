"""Silver annotations from gold values (`training.silver`, `gia annotate --from-gold`).

The reports here are invented (small texts in the layouts real reports print: prose, tab tables,
one-line digit runs, HTML); numbers are made up so that a test fails if alignment guesses.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from inference.read import read_report
from training.annotations import load_annotations
from training.interchange import import_reports
from training.silver import annotate_from_gold, printed_forms, silver_reports, split_run

PROSE = (
    "某某县人民政府2018年政府信息公开工作年度报告\n"
    "一、主动公开情况\n全年主动公开政府信息1234条，其中通过政府网站公开信息1100条。\n"
    "二、依申请公开情况\n全年共受理政府信息公开申请37件，其中当面申请12件。\n"
    "三、咨询情况\n接受群众咨询86人次，组织培训5次。\n"
)
PROSE_GOLD = {
    "proactive.total": 1234,
    "proactive.channel.website": 1100,
    "applications.new.total": 37,
    "applications.channel.in_person": 12,
}

ONE_LINE_OLD_TABLE = (
    "某某区2014年政府信息公开工作年度报告 附件 统计表 指标名称计量单位2014年度历年累计"
    "主动公开政府信息数条6215897其中:1.网站公开条5415797 2.政府公报公开条8100"
    "受理申请总数条3 9其中:1.当面申请数条2 5"
)
ONE_LINE_GOLD = {
    "proactive.total": 621,
    "proactive.channel.website": 541,
    "proactive.channel.gazette": 81,
    "applications.new.total": 3,
    "applications.channel.in_person": 2,
}

NONE_STATEMENT = (
    "某某局2016年政府信息公开工作年度报告\n"
    "一、主动公开情况\n全年主动公开政府信息57条。\n"
    "二、复议诉讼情况\n本年度没有发生因政府信息公开申请行政复议的情况。\n"
)


def _write(tmp_path: Path, name: str, text: str, fields: dict, optional: dict | None = None) -> Path:
    reports, gold = tmp_path / "reports", tmp_path / "gold"
    reports.mkdir(exist_ok=True)
    gold.mkdir(exist_ok=True)
    path = reports / name
    path.write_text(text, encoding="utf-8")
    obj = {"source": name, "issuer": None, "year": None, "template": None, "fields": fields}
    obj["optional"] = optional or {}
    (gold / f"{path.stem}.json").write_text(json.dumps(obj, ensure_ascii=False), encoding="utf-8")
    return path


def _one(tmp_path: Path, name: str, text: str, fields: dict, optional: dict | None = None):
    path = _write(tmp_path, name, text, fields, optional)
    reports, failed = silver_reports([path], tmp_path / "gold")
    assert failed == []
    return reports[0]


def _fields_by_text(report) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for span in report.spans:
        if span.field:
            out.setdefault(span.field, []).append(span.text)
    return out


def test_silver_prose_counts_get_their_fields(tmp_path: Path) -> None:
    report = _one(tmp_path, "prose.txt", PROSE, PROSE_GOLD)
    assert read_report(tmp_path / "reports" / "prose.txt").text == report.text
    found = _fields_by_text(report)
    assert found == {
        "proactive.total": ["1234条"],
        "proactive.channel.website": ["1100条"],
        "applications.new.total": ["37件"],
        "applications.channel.in_person": ["12件"],
    }
    negatives = {s.text: s.confidence for s in report.spans if s.field == ""}
    assert set(negatives) == {"86人次", "5次"}  # counts no gold field takes
    assert report.meta["aligned"] == 4 and report.meta["unaligned"] == [] and not report.meta["review"]
    assert all(0 < s.confidence <= 1 for s in report.spans)


def test_silver_one_line_digit_runs_are_cut_into_cells(tmp_path: Path) -> None:
    report = _one(tmp_path, "oneline.txt", ONE_LINE_OLD_TABLE, ONE_LINE_GOLD)
    spans = {s.field: (s.start, s.text) for s in report.spans if s.field}
    assert spans["proactive.total"][1] == "621"
    assert spans["proactive.channel.website"][1] == "541"
    assert spans["proactive.channel.gazette"][1] == "81"
    start = spans["proactive.channel.website"][0]
    assert report.text[start - 3 : start + 7] == "公开条5415797"[:10]
    assert report.meta["aligned"] == len(ONE_LINE_GOLD)


def test_silver_tab_table_cells(tmp_path: Path) -> None:
    text = (
        "某某区2020年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n"
        "\t\t申请人情况\t\t\t\t\t\t\n\t\t自然人\t法人或其他组织\t\t\t\t\t总计\n"
        "\t\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t\n"
        "一、本年新收政府信息公开申请数量\t\t41\t6\t0\t0\t0\t0\t47\n"
        "二、上年结转政府信息公开申请数量\t\t2\t0\t0\t0\t0\t0\t2\n"
    )
    gold = {
        "applications.new.natural_person": 41,
        "applications.new.business": 6,
        "applications.new.total": 47,
        "applications.carried_over.natural_person": 2,
        "applications.carried_over.total": 2,
    }
    report = _one(tmp_path, "tab.txt", text, gold)
    found = {s.field: s.text for s in report.spans if s.field}
    assert found["applications.new.natural_person"] == "41"
    assert found["applications.new.business"] == "6"
    assert found["applications.new.total"] == "47"
    # the two 2s of the carried-over row are told apart by their column, not guessed
    spans = [s for s in report.spans if s.field and s.field.startswith("applications.carried_over")]
    assert [s.field for s in sorted(spans, key=lambda s: s.start)] == [
        "applications.carried_over.natural_person",
        "applications.carried_over.total",
    ]


def test_silver_html_offsets_are_the_readers(tmp_path: Path) -> None:
    html = (
        "<html><body><p>某某县2012年政府信息公开工作年度报告</p>"
        "<p>全年主动公开政府信息&nbsp;2345条。</p>"
        "<table><tr><td>指标名称</td><td>单位</td><td>本年度</td></tr>"
        "<tr><td>主动公开政府信息数</td><td>条</td><td>2345</td></tr>"
        "<tr><td>受理申请总数</td><td>件</td><td>17</td></tr></table></body></html>"
    )
    report = _one(tmp_path, "page.html", html, {"proactive.total": 2345, "applications.new.total": 17})
    assert report.text == read_report(tmp_path / "reports" / "page.html").text
    for span in report.spans:
        assert report.text[span.start : span.end] == span.text
    found = _fields_by_text(report)
    assert set(found) == {"proactive.total", "applications.new.total"}
    assert "17" in found["applications.new.total"][0]


def test_silver_none_statement_span_on_the_cue(tmp_path: Path) -> None:
    report = _one(tmp_path, "none.txt", NONE_STATEMENT, {"proactive.total": 57, "review.total": 0})
    review = [s for s in report.spans if s.field == "review.total"]
    assert [s.text for s in review] == ["没有"]
    assert report.text[review[0].end :].startswith("发生因政府信息公开申请行政复议")


def test_silver_money_in_wan_yuan(tmp_path: Path) -> None:
    text = "某某县2017年政府信息公开工作年度报告\n全年收取政府信息公开检索费、复制费共1.5万元。\n"
    report = _one(tmp_path, "fees.txt", text, {"fees.collected": 15000})
    assert _fields_by_text(report) == {"fees.collected": ["1.5万元"]}
    assert printed_forms(59490886.67, "proactive.fees.amount") == ["59490886.67", "5949.088667"]


def test_silver_ambiguous_values_are_flagged_not_guessed(tmp_path: Path) -> None:
    text = "某某镇2015年政府信息公开工作年度报告\n今年办理各类事项8项。开展专项检查8次。\n"
    report = _one(tmp_path, "amb.txt", text, {"applications.answered.total": 8})
    assert not any(s.field for s in report.spans)
    assert report.meta["review"]
    entry = (report.meta["ambiguous"] + report.meta["unaligned"])[0]
    assert entry["field"] == "applications.answered.total" and entry["value"] == 8
    # the counts with the unplaced value stay COUNTs, their field left open rather than ""
    assert [s.field for s in report.spans] == [None, None]


def test_silver_optional_values_are_not_negatives(tmp_path: Path) -> None:
    text = "某某区2019年政府信息公开工作年度报告\n全年主动公开政府信息410条，通过两微平台发布信息约1000条。\n"
    report = _one(
        tmp_path, "opt.txt", text, {"proactive.total": 410}, {"proactive.channel.weibo+wechat": 1000}
    )
    by_text = {s.text: s.field for s in report.spans}
    assert by_text["410条"] == "proactive.total"
    assert by_text["约1000条"] is None


@pytest.mark.parametrize(
    ("run", "cells", "expected"),
    [
        (
            "230000023",
            [("x.a", 23), ("x.b", 0), ("x.c", 0), ("x.d", 0), ("x.e", 0), ("x.f", 0), ("x.g", 23)],
            7,
        ),
        ("4181509", [("x.a", 418)], 1),
        ("2648-18538", [("x.a", 2648), ("x.b", -18), ("x.c", 538)], 3),
        ("107105", [("x.a", 10), ("x.b", 8), ("x.c", 105)], None),
    ],
)
def test_silver_split_run(run: str, cells: list, expected: int | None) -> None:
    result = split_run(run, cells)
    assert (None if result is None else len(result)) == expected
    if result:
        assert [run[a:b] for a, b in result] == [str(v) for _, v in cells]


def test_silver_annotate_writes_jsonl_and_review_export(tmp_path: Path) -> None:
    _write(tmp_path, "prose.txt", PROSE, PROSE_GOLD)
    _write(tmp_path, "amb.txt", "某某镇报告\n办理事项8项。检查8次。\n", {"applications.answered.total": 8})
    (tmp_path / "reports" / "nogold.txt").write_text("没有金标准的报告", encoding="utf-8")
    out = tmp_path / "silver.jsonl"
    summary = annotate_from_gold(
        [tmp_path / "reports"], gold_dir=tmp_path / "gold", output=out, review_format="label-studio"
    )
    assert summary.reports == 2 and len(summary.failed) == 1 and "nogold.txt" in summary.failed[0]
    loaded = load_annotations(out)
    assert {r.id for r in loaded} == {"prose", "amb"}
    assert all(r.meta["origin"] == "silver" and r.meta["group"] == r.id for r in loaded)
    flagged = import_reports(summary.review)
    assert [r.id for r in flagged] == ["amb"]


def test_silver_cli_from_gold(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from gia.cli import app

    _write(tmp_path, "prose.txt", PROSE, PROSE_GOLD)
    out = tmp_path / "s.jsonl"
    result = CliRunner().invoke(
        app, ["annotate", str(tmp_path / "reports"), "--from-gold", str(tmp_path / "gold"), "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "4 aligned" in result.output
    assert load_annotations(out)[0].spans


def test_silver_committed_files_are_valid_and_grouped() -> None:
    from inference import REPO_ROOT

    silver = REPO_ROOT / "annotations" / "silver"
    real = {r.id: r for r in load_annotations(silver / "real.jsonl")}
    assert len(real) == 25
    assert real["021_pingtan_zone_2019_html"].meta["group"] == "001_pingtan_zone_2019"
    assert real["024_pingtan_zone_2019_tab"].meta["group"] == "001_pingtan_zone_2019"
    assert real["026_pingtan_county_2013_tab_mirror"].meta["group"] == "014_pingtan_county_2013"
    assert real["007_pingtan_zone_2020"].meta["group"] == "007_pingtan_zone_2020"
    assert real["021_pingtan_zone_2019_html"].meta["source"] == "021_pingtan_zone_2019_html.html"
    passages = load_annotations(silver / "passages.jsonl")
    assert len(passages) == 60 and all(r.meta["group"] == r.id for r in passages)
    seeds = load_annotations(silver / "seeds.jsonl")
    assert len(seeds) == 5 and all(s.label == "COUNT" for r in seeds for s in r.spans)


def test_silver_cells_one_per_line_with_bars(tmp_path: Path) -> None:
    # a table copied one cell per line with `|` (as mirror sites and some converters print it)
    cells = "\n|\n".join(["一、本年新收政府信息公开申请数量", "5", "0", "2", "0", "0", "0", "7"])
    text = "某某街道2022年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n" + cells + "\n|\n"
    columns = (
        "natural_person",
        "business",
        "research",
        "public_interest",
        "legal_service",
        "other_org",
        "total",
    )
    values = (5, 0, 2, 0, 0, 0, 7)
    gold = {f"applications.new.{c}": v for c, v in zip(columns, values, strict=True)}
    report = _one(tmp_path, "bars.txt", text, gold)
    placed = sorted((s.start, s.field) for s in report.spans if s.field)
    assert [f for _, f in placed] == list(gold)
    assert report.meta["aligned"] == 7 and not report.meta["review"]
