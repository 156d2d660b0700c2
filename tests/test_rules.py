from __future__ import annotations

import pytest

from inference import REPO_ROOT
from inference.normalize import normalize
from inference.rules import RuleTagger, load_phrases, load_rule_tagger
from training.annotate import spans_to_original
from training.annotations import load_annotations


@pytest.fixture(scope="module")
def tagger() -> RuleTagger:
    return load_rule_tagger()


def _counts(tagger: RuleTagger, text: str) -> list[str]:
    return [s.text for s in tagger.tag(text) if s.label == "COUNT"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("全年共受理申请342件。", ["342件"]),
        ("公开各类信息累计2万余条。", ["2万余条"]),
        ("共接受咨询约300人次。", ["约300人次"]),
        ("采购总金额1.2036 亿元。", ["1.2036 亿元"]),
        ("费用5万元。", ["5万元"]),
        ("收到两件,召开三十余次。", ["两件", "三十余次"]),
        ("主动公开各类政府信息 2900 余条。", ["2900 余条"]),
        ("行政许可\t205\t117\t1233\n", ["205", "117", "1233"]),
        ("行政事业性收费\t84\t-14\t\n", ["84", "-14"]),
        ("行政许可 |\n5(建设工程规划许可证) |\n1(增加) |\n", ["5", "1"]),
        ("申请总数\n3561\n", ["3561"]),
        ("共涉及52个部门的事项。", ["52个"]),
    ],
)
def test_rules_count_positive(tagger, text, expected):
    assert _counts(tagger, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "2017年1月1日起至2017年12月31日止。",
        "(青政办发〔2017〕28号)的工作部署。",
        "财税【2017】20号要求。",
        "电话:0532-87866601;邮编:266109。",
        "地址:城阳区正阳中路201号。",
        "占申请总量的36%。",
        "依据第二十条第(一)项规定。",
        "1.申请处理情况\n",
        "下一步,加强培训,举办专题培训2期。",
        "力争全年发布信息500条。",
        "建设一个平台,形成一次评估报告。",
        "坚持“四个全面”战略布局。",
        "本报告包括概述等八个部分。",
        "《关于印发2017年5项要点的通知》",
        "www.chengyang.gov.cn 与 cyzqfxxgk@163.com",
    ],
)
def test_rules_count_negative(tagger, text):
    assert _counts(tagger, text) == []


def test_rules_phrases_only_with_a_count_or_negation(tagger):
    with_count = tagger.tag("全区共有政府信息公开工作专门机构45个。")
    assert [(s.text, s.label) for s in with_count] == [("专门机构", "METRIC"), ("45个", "COUNT")]
    assert tagger.tag("进一步加强业务培训,完善专门机构。") == []
    negation = tagger.tag("全年没有收到涉及政府信息公开事务的投诉、行政复议申请。")
    assert [(s.text, s.label) for s in negation] == [("投诉", "METRIC"), ("行政复议", "METRIC")]
    assert tagger.tag("政策咨询工作长效化机制尚未健全。") == []


def test_rules_table_cells_strip_numbering_and_notes(tagger):
    text = "一、本年新收政府信息公开申请数量\t75\n(二) 部分公开(区分处理的, 只计这一情形, 不计其他情形)\t3\n"
    spans = [(s.text, s.label) for s in tagger.tag(text)]
    assert spans == [
        ("本年新收政府信息公开申请数量", "CATEGORY"),
        ("75", "COUNT"),
        ("部分公开", "CATEGORY"),
        ("3", "COUNT"),
    ]


def test_rules_offsets_are_exact_and_batch_matches_single(tagger):
    texts = ["其中,当面申请45件,信函及传真申请70件。", "行政复议\t行政诉讼\n8\t5\n"]
    batch = tagger.tag_batch(texts)
    assert batch == [tagger.tag(t) for t in texts]
    for text, spans in zip(texts, batch, strict=True):
        assert all(text[s.start : s.end] == s.text for s in spans)
        assert all(a.end <= b.start for a, b in zip(spans, spans[1:], strict=False))


def test_rules_phrase_list_is_data():
    phrases = load_phrases()
    assert len(phrases) > 100
    assert {p.scope for p in phrases} == {"any", "cell", "channel"}


def test_rules_agree_with_seed_annotations(tagger):
    # In-sample: the rules were written while annotating these seeds; this guards against regressions.
    tp = predicted = gold_total = 0
    count_tp = count_gold = 0
    for report in load_annotations(REPO_ROOT / "annotations" / "seeds.jsonl"):
        doc = normalize(report.text)
        predicted_spans = {(s.start, s.end, s.label) for s in spans_to_original(doc, tagger.tag(doc.text))}
        gold = {(s.start, s.end, s.label) for s in report.spans}
        tp += len(predicted_spans & gold)
        predicted += len(predicted_spans)
        gold_total += len(gold)
        count_gold += sum(1 for g in gold if g[2] == "COUNT")
        count_tp += sum(1 for g in gold & predicted_spans if g[2] == "COUNT")
    assert tp / predicted > 0.95
    assert tp / gold_total > 0.9
    assert count_tp / count_gold > 0.98


def test_rules_as_fallback_tagger_recover_seed_fields(tagger):
    # In-sample again, but end to end: normalise -> rules -> assemble gives the gold fields.
    from inference.pipeline import predict_raw
    from inference.read import RawReport

    seeds = load_annotations(REPO_ROOT / "annotations" / "seeds.jsonl")
    raws = [RawReport(f"{r.id}.txt", r.text, "utf-8", "text") for r in seeds]
    correct = predicted = gold_total = 0
    for result, report in zip(predict_raw(raws, tagger), seeds, strict=True):
        gold, optional = report.gold["fields"], report.gold["optional"]
        correct += sum(1 for k, v in result.fields.items() if k in gold and gold[k] == v)
        predicted += sum(1 for k in result.fields if k not in optional)
        gold_total += len(gold)
    assert correct / predicted >= 0.95
    assert correct / gold_total >= 0.95


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # tables flattened onto one line: header, optional unit, values or one digit run
        (
            "第二十条第(五)项 行政许可 205 117 1233 其他对外管理服务事项 17 39 15",
            [
                ("行政许可", "METRIC"),
                ("205", "COUNT"),
                ("117", "COUNT"),
                ("1233", "COUNT"),
                ("其他对外管理服务事项", "METRIC"),
                ("17", "COUNT"),
                ("39", "COUNT"),
                ("15", "COUNT"),
            ],
        ),
        (
            "| (一)收到申请数件13 | 1.当面申请数件11 |",
            [("收到申请数", "METRIC"), ("13", "COUNT"), ("当面申请数", "CATEGORY"), ("11", "COUNT")],
        ),
        (
            "一、本年新收政府信息公开申请数量0001012 二、",
            [("本年新收政府信息公开申请数量", "CATEGORY"), ("0001012", "COUNT")],
        ),
        (
            "申请人情况 自然人法人或其他组织总计",
            [("自然人", "CATEGORY"), ("法人或其他组织", "CATEGORY"), ("总计", "CATEGORY")],
        ),
        # Taiwan phrasing left by the normaliser is matched through same-length variants
        ("共收到政府资讯公开申请12件。", [("政府资讯公开申请", "METRIC"), ("12件", "COUNT")]),
        # channels only with 通过 or a publishing verb, never as a list describing the total
        (
            "其中,政府网站发布信息2108条,政务微博发布信息5条。",
            [("政府网站", "CATEGORY"), ("2108条", "COUNT"), ("政务微博", "CATEGORY"), ("5条", "COUNT")],
        ),
        (
            "通过政府门户网站、政务微博、政务微信等渠道主动公开政府信息713条。",
            [("主动公开政府信息", "METRIC"), ("713条", "COUNT")],
        ),
        # negation: the last METRIC and list members before it; not the occasion (因…)
        ("全年未收取依申请公开政府信息相关费用。", [("费用", "METRIC")]),
        ("全年未因依申请公开产生收费情况。", [("收费", "METRIC")]),
        # a COUNT whose clause names nothing borrows the METRIC of its sentence
        (
            "门户网站定期开展在线访谈活动,回应群众关切,全年共举办两场。",
            [("在线访谈", "METRIC"), ("两场", "COUNT")],
        ),
        (
            "全年举办业务培训1期,培训工作人员138人次。",
            [("培训", "METRIC"), ("1期", "COUNT"), ("培训", "METRIC"), ("138人次", "COUNT")],
        ),
        # headings, other years, names
        ("二、主动公开政府信息情况\n(二)依申请公开\n", []),
        ("共受理申请5件,较2016年(7件)有所增加。", [("5件", "COUNT")]),
        ("主要包括十件实事办理情况。", []),
        (
            "全局共有专门机构一个,查阅点1个。",
            [("专门机构", "METRIC"), ("一个", "COUNT"), ("查阅点", "METRIC"), ("1个", "COUNT")],
        ),
        # a tally before a bracketed reason is a count too (`一件（涉及…）`), `一件事` stays an article
        ("不同意公开的一件（涉及商业秘密）。", [("不同意公开", "CATEGORY"), ("一件", "COUNT")]),
        ("这是一件(大)事。", []),
        ("2011年,计划组织开展专题培训9次。", []),
    ],
)
def test_rules_prose_and_flattened_tables(tagger, text, expected):
    assert [(s.text, s.label) for s in tagger.tag(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # units come from inference/data/units.tsv (宗 included), the same list prose linking reads
        (
            "其中当面申请1宗,网上申请9宗。",
            [("当面申请", "CATEGORY"), ("1宗", "COUNT"), ("网上申请", "CATEGORY"), ("9宗", "COUNT")],
        ),
        # other-year cues from inference.lexicon: 上一年 as well as 上年/去年
        ("本年受理申请5件,上一年为7件。", [("5件", "COUNT")]),
        # negation from inference.lexicon: 未经 is not a negation
        ("全年未经批准的信息不予公开。", []),
        # 无一例 states zero, 无一例外 does not
        ("2016年我局提供政府信息,无一例向申请人收费。", [("收费", "METRIC")]),
        ("各部门无一例外主动公开收费标准。", []),
    ],
)
def test_rules_read_the_shared_lexicon(tagger, text, expected):
    assert [(s.text, s.label) for s in tagger.tag(text)] == expected
