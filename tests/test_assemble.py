"""Tests for inference.assemble: tables + prose merged into fields, on seed and generated reports."""

from __future__ import annotations

import json
import math

import pytest
from tests_support import assemble_seed, seed_annotations

from inference import REPO_ROOT
from inference.assemble import assemble, field_group, is_table_only, merge_fields
from inference.metadata import detect_metadata
from inference.normalize import normalize
from inference.records import Span
from training.dataset import project_span
from training.synth.generate import generate_corpus

GOLD = REPO_ROOT / "annotations" / "gold"


def same(a, b) -> bool:
    return math.isclose(float(a), float(b), rel_tol=1e-6, abs_tol=1e-9)


def score(predicted: dict, gold: dict, optional: dict) -> tuple[int, int, int]:
    """(correct, predicted not optional, gold) as the reference scorer counts them."""
    correct = sum(1 for k, v in predicted.items() if k in gold and same(v, gold[k]))
    counted = sum(
        1 for k, v in predicted.items() if not (k in optional and k not in gold and same(v, optional[k]))
    )
    return correct, counted, len(gold)


@pytest.mark.parametrize("report_id", sorted(seed_annotations()))
def test_assemble_seed_reports_exact(report_id: str) -> None:
    assembly, _ = assemble_seed(report_id)
    gold = json.loads((GOLD / f"{report_id}.json").read_text(encoding="utf-8"))
    correct, counted, total = score(assembly.fields, gold["fields"], gold["optional"])
    wrong = {
        k: (assembly.fields.get(k), v)
        for k, v in gold["fields"].items()
        if not same(assembly.fields.get(k, -1), v)
    }
    assert correct == counted == total, wrong


def test_assemble_table_wins_over_prose() -> None:
    assembly, text = assemble_seed("003_b003d5ead7b0b73a")
    assert assembly.fields["applications.new.total"] == 94
    prose_96 = [r for r in assembly.records if r.value == 96 and "申请" in text[r.start - 12 : r.start]]
    assert prose_96 and all(r.field is None for r in prose_96)
    # prose-only fields survive: 2900余条 and 200余人次 are not in the tables
    assert assembly.fields["proactive.total"] == 2900
    assert assembly.fields["training.participants"] == 200


def test_assemble_records_every_count_span_with_offsets() -> None:
    annotation = seed_annotations()["000_e66166ac253deb62"]
    doc = normalize(annotation["text"])
    spans = []
    for s in annotation["spans"]:
        start, end = project_span(doc, s["start"], s["end"])
        spans.append(Span(start, end, s["label"], doc.text[start:end]))
    assembly = assemble(doc.text, spans, detect_metadata(doc.text))
    counts = [s for s in spans if s.label == "COUNT"]
    assert len(
        [r for r in assembly.records if r.text[:1].isdigit() or r.text[:1] in "两三四五六七八九十"]
    ) == len(counts)
    assert all(doc.text[r.start : r.end] == r.text for r in assembly.records)
    unmapped = [r for r in assembly.records if r.field is None]
    assert unmapped  # 2303条 (cumulative), 6098条次 (channels outside the catalogue) …


@pytest.mark.parametrize(
    ("table", "prose", "template", "expected"),
    [
        (
            {"applications.new.total": 94},
            {"applications.new.total": 96},
            "2019",
            {"applications.new.total": 94},
        ),
        (
            {"applications.granted.total": 49},
            {"applications.denied_total.total": 8, "proactive.total": 2900, "litigation.total": 3},
            "2019",
            {"applications.granted.total": 49, "proactive.total": 2900, "litigation.total": 3},
        ),
        (
            {"proactive.channel.weibo": 37020},
            {"proactive.channel.weibo+wechat": 60197, "applications.answered.granted": 1504},
            "pre2019",
            {
                "proactive.channel.weibo": 37020,
                "proactive.channel.weibo+wechat": 60197,
                "applications.answered.granted": 1504,
            },
        ),
    ],
)
def test_assemble_merge_fields(table: dict, prose: dict, template: str, expected: dict) -> None:
    merged, _ = merge_fields(table, prose, template=template)
    assert merged == expected


def test_assemble_field_groups() -> None:
    assert field_group("applications.granted.total") == "applications"
    assert field_group("proactive.rules.made") == "proactive.rules"
    assert is_table_only("applications.denied_total.total")
    assert not is_table_only("litigation.total")
    assert not is_table_only("applications.channel.fax+letter")


def test_assemble_generated_reports_field_f1() -> None:
    correct = counted = total = 0
    for report in generate_corpus(24, seed=7):
        doc = normalize(report["text"])
        spans = []
        for s in report["spans"]:
            start, end = project_span(doc, s["start"], s["end"])
            spans.append(Span(start, end, s["label"], doc.text[start:end]))
        fields = assemble(doc.text, spans, detect_metadata(doc.text)).fields
        c, p, g = score(fields, report["gold"]["fields"], report["gold"]["optional"])
        correct, counted, total = correct + c, counted + p, total + g
    precision, recall = correct / counted, correct / total
    f1 = 2 * precision * recall / (precision + recall)
    assert f1 >= 0.98, (precision, recall)


@pytest.mark.parametrize("report_id", sorted(seed_annotations()))
def test_assemble_one_record_per_count_span(report_id: str) -> None:
    annotation = seed_annotations()[report_id]
    doc = normalize(annotation["text"])
    counts = set()
    for s in annotation["spans"]:
        if s["label"] == "COUNT":
            counts.add(project_span(doc, s["start"], s["end"]))
    assembly, _ = assemble_seed(report_id)
    quantity_records = [(r.start, r.end) for r in assembly.records if r.text[:1] not in "没未无均并从"]
    # a table record may cover its whole cell (`5(建设工程规划许可证)` for the COUNT `5`)
    missing = [c for c in counts if not any(a <= c[0] and c[1] <= b for a, b in quantity_records)]
    assert not missing


def test_a_sole_channel_and_its_total_read_by_the_two_linkers_keep_both():
    """`全年通过门户网站主动公开政府信息58条`: gold files take the website or the total, the other
    optional (shared/cases/08; shared/real 005), so a count read both ways states both."""
    from inference.assemble import _sole_channel_pair

    assert _sole_channel_pair("proactive.channel.website", "proactive.total")
    assert _sole_channel_pair("proactive.total", "proactive.channel.website")
    assert not _sole_channel_pair("proactive.channel.wechat", "proactive.total")
    assert not _sole_channel_pair(None, "proactive.total")


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # the report's one proactive figure, through its website alone: the total too
        ("2023年，我区在政府网站平台主动公开政府信息1136条。", {"website": 1136, "total": 1136}),
        # a figure per channel states no total
        (
            "2023年，我区通过政府网站公开政府信息300条，通过政务微博公开信息200条。",
            {"website": 300, "weibo": 200},
        ),
        # a part after 其中, beside another carrier's part: no total (the running total is excluded)
        ("截止2023年12月31日,累计公开65条。其中,网上公开信息20条,揭示板上公开45条。", {"website": 20}),
    ],
)
def test_a_sole_channel_count_states_the_total_only_where_it_is_all_there_is(tmp_path, body, expected):
    """The sole-channel convention (docs/decisions.md) read the other way round: a website count
    that is the report's only proactive figure, alone in its sentence, is its total as well (the
    real 洪泽区 PDF's gold: total 1136, website optional)."""
    from inference.pipeline import WorkItem, predict_items
    from inference.taggers import TaggerSpec, load_tagger_from_spec

    path = tmp_path / "report.txt"
    path.write_text(
        "某区2023年政府信息公开工作年度报告\n一、主动公开政府信息情况\n" + body + "\n", encoding="utf-8"
    )
    (result,), _ = predict_items([WorkItem(str(path), "")], load_tagger_from_spec(TaggerSpec()))
    got = {k.rsplit(".", 1)[-1]: v for k, v in result["fields"].items() if k.startswith("proactive.")}
    assert got == expected


def test_a_breakdown_part_is_never_its_familys_total_whoever_reads_it(tmp_path) -> None:
    """`…公开政府信息117条,其中…;其他应主动公开的政府信息36条`: 36 is a part of the breakdown. The
    lexicons leave it without a field; the shipped linker would fill proactive.total, and the same
    rule (`prose.parallel_totals`) takes it away again."""
    from inference.pipeline import WorkItem, predict_items
    from inference.taggers import TaggerSpec, load_tagger_from_spec

    text = (
        "平潭综合实验区某局2022年政府信息公开工作年度报告\n"
        "一、主动公开政府信息的情况\n"
        "2022年我局共在门户网站公开政府信息117条,其中国民经济和社会发展规划6条;财政预算、决算信息1条;"
        "突发公共事件的应急预案3条;其他应主动公开的政府信息36条;在专题专栏公开信息69条。\n"
    )
    path = tmp_path / "report.txt"
    path.write_text(text, encoding="utf-8")
    (result,), _ = predict_items([WorkItem(str(path), "")], load_tagger_from_spec(TaggerSpec()))
    assert result["fields"].get("proactive.total") != 36


def test_the_linker_never_narrows_a_joined_reading_to_one_of_its_names():
    """`微博微信公开信息2148条`: the lexicons read both names joined (`weibo+wechat`); a linker sure it
    is WeChat alone drops the other name, so it does not override; another field or none it may."""
    from inference.assemble import _overrides
    from inference.link import FieldGuess, FieldLinker, LinkerConfig

    linker = FieldLinker(
        LinkerConfig(), ("",), (), [], threshold=0.7, clear_threshold=0.9, switch_threshold=0.7
    )
    joined = "proactive.channel.weibo+wechat"
    assert not _overrides(linker, joined, FieldGuess("proactive.channel.wechat", 0.99))
    assert _overrides(linker, joined, FieldGuess("proactive.total", 0.99))
    assert _overrides(linker, "proactive.channel.wechat", FieldGuess("proactive.channel.weibo", 0.99))


def test_a_field_the_linker_moves_stays_where_the_lexicons_read_it():
    """The linker clearing a count's field and filling it at another count contradicts the
    lexicons on where it is stated: the clear is undone (and `prose_fields` prefers the lexicons)."""
    from inference.assemble import _keep_moved_fields
    from inference.records import Record

    def count(field, start):
        return Record("", (), 169, "条", False, field, start, start + 4, "169条", 1.0)

    read, other = count("proactive.total", 10), count(None, 40)
    decided = {id(read): None, id(other): "proactive.total"}
    _keep_moved_fields([read, other], decided)
    assert id(read) not in decided and decided[id(other)] == "proactive.total"
    alone = {id(read): None}  # a clear with no fill elsewhere stands
    _keep_moved_fields([read, other], alone)
    assert alone == {id(read): None}


def test_the_linker_gives_no_field_of_another_template_generation() -> None:
    """A 2016 report cannot state a 2019+ table field; applications received exist in every one."""
    from inference.assemble import in_template

    assert not in_template("proactive.normative.made", "pre2019")
    assert not in_template("proactive.normative_docs", "2021")
    assert in_template("applications.new.total", "pre2019")
    assert in_template("proactive.channel.weibo+wechat", "2021")
    assert in_template("proactive.normative.made", None)
