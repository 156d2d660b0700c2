"""Tests for the issuer in inference.metadata: each kind of evidence, each failure seen on real reports
(as small invented inputs), level and region, the offsets of the source, and the property that an
issuer is a body name, never a piece of a sentence.

Fixtures: tests/fixtures/issuer/ (heads of two real reports; its README says where they come from).
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inference import REPO_ROOT
from inference.metadata import (
    choose_issuer,
    detect_metadata,
    detect_published,
    is_body_name,
    issuer_level,
    issuer_words,
    metadata_checks,
)
from inference.normalize import normalize
from inference.read import read_report

FIXTURES = REPO_ROOT / "tests" / "fixtures" / "issuer"
SENTENCE_PUNCTUATION = set(",，。;；:：!！?？、《》“”()（）")


@pytest.mark.parametrize(
    ("text", "issuer", "kind"),
    [
        (
            "平潭综合实验区地方税务局2013年信息公开年度报告\n来源:平潭县人民政府",
            "平潭综合实验区地方税务局",
            "title",
        ),
        ("标题: 海安市2019年度政府信息公开工作年度报告\n发布时间: 2020-01-20", "海安市人民政府", "title"),
        ("云溪镇2020年\n政府信息公开工作年度报告\n根据《条例》要求编制。", "云溪镇人民政府", "title"),
        (
            "发布机构: 滨江区审计局\n栏目: 年报\n根据《条例》,现将2020年工作情况报告如下:",
            "滨江区审计局",
            "header",
        ),
        (
            "本报告是根据《条例》要求,由南平市建阳区统计局编制的2018年度政府信息公开年度报告。",
            "南平市建阳区统计局",
            "opening",
        ),
        ("根据《条例》要求,现公布桐庐县民政局2016年政府信息公开工作年度报告。", "桐庐县民政局", "opening"),
        (
            "为贯彻落实《条例》,青田县船寮镇人民政府特向社会公布2020年政府信息公开工作年度报告。",
            "青田县船寮镇人民政府",
            "opening",
        ),
        (
            "一、概述\n我局认真贯彻《条例》。\n六、其他\n无。\n武义县水利局\n2021年1月25日",
            "武义县水利局",
            "signature",
        ),
        ("一、总体情况\n2024年,象山经济开发区坚持以公开促落实。", "象山经济开发区", "subject"),
        (
            "一、概述\n我乡认真贯彻《条例》。如对本报告有疑问,请与龙泉市屏南镇人民政府党政办联系(电话:1)。",
            "龙泉市屏南镇人民政府",
            "contact",
        ),
    ],
)
def test_issuer_each_evidence_kind(text: str, issuer: str, kind: str) -> None:
    chosen = choose_issuer(normalize(text).text)
    assert chosen is not None
    assert (chosen.name, chosen.kind) == (issuer, kind)


@pytest.mark.parametrize(
    ("text", "issuer"),
    [
        # the CMS header names the portal's government, the title the tax bureau that reports (002)
        (
            "标题: 海港区地方税务局2013年信息公开年度报告\n"
            "当前位置: 首页 来源:海港区人民政府 时间:2014-02-25",
            "海港区地方税务局",
        ),
        # a sentence before the name is not part of it
        (
            "根据《中华人民共和国政府信息公开条例》(以下简称《条例》)要求,现编制了龙岗区工务署2022年政府信息公开工作年度报告。",
            "龙岗区工务署",
        ),
        (
            "本报告是根据《中华人民共和国政府信息公开条例》要求,由北京市平谷区信访办编制的2014年度政府信息公开年度报告。",
            "北京市平谷区信访办",
        ),
        # 报送 is a verb, not a body
        ("本报告根据上级要求报送2016年度政府信息公开年度报告。\n一、概述\n我镇认真贯彻《条例》。", None),
        # a Markdown heading marker is not part of the name
        ("# 宁海县人民政府\n\n## 2019年政府信息公开工作年度报告\n\n一、总体情况", "宁海县人民政府"),
        # a street office, not the city government named in the opening
        (
            "根据《宁波市人民政府办公厅关于做好2019年政府信息公开工作的通知》要求,现公布白云街道2019年度政府信息公开工作报告。",
            "白云街道办事处",
        ),
        # the title's short name made fuller by the opening, never replaced by another body
        (
            "云林街道2015年度政府信息公开工作报告\n本报告由无锡市锡山区人民政府云林街道办事处编制。",
            "无锡市锡山区人民政府云林街道办事处",
        ),
        (
            "海岛综合实验区2024年度政府信息公开工作年度报告\n发布机构: 海岛综合实验区管委会办公室",
            "海岛综合实验区",
        ),
        # the office of a division's government is a body of its own; a township's office is not
        (
            "一、概述\n如对本报告有任何疑问,请与来宾市人民政府办公室文电科联系(地址:1号)。",
            "来宾市人民政府办公室",
        ),
        # generic references name no body
        ("2013年,我镇按照县委、县政府统一部署,扎实推进政府信息公开工作。", None),
        ("本年度报告根据上级相关要求,向社会公开2016年度镇政府信息公开年度报告。", None),
    ],
)
def test_issuer_failures_seen_on_real_reports(text: str, issuer: str | None) -> None:
    chosen = choose_issuer(normalize(text).text)
    assert (chosen.name if chosen else None) == issuer


def test_issuer_none_says_why_in_a_check() -> None:
    meta = detect_metadata(normalize("2017年,我乡进一步加强政府信息公开工作。").text)
    assert meta.issuer is None and meta.issuer_source is None
    (check,) = metadata_checks(meta)
    assert check.name == "metadata.issuer" and not check.ok and "names the reporting body" in check.message


def test_issuer_source_offsets_point_at_the_printed_name() -> None:
    text = normalize("根据《条例》要求,现公布2017年珠海市政府信息公开工作年度报告。").text
    meta = detect_metadata(text)
    assert meta.issuer == "珠海市人民政府"
    source = meta.issuer_source
    assert source is not None and text[source.start : source.end] == source.text == "珠海市"


@pytest.mark.parametrize(
    ("name", "level"),
    [
        ("浙江省人民政府", "province"),
        ("北京市人民政府", "province"),
        ("珠海市人民政府", "city"),
        ("荣成市人民政府", "county"),
        ("德昌县人民政府", "county"),
        ("荣成市成山镇人民政府", "township-street"),
        ("曲阜市鲁城街道办事处", "township-street"),
        ("郑州高新区沟赵办事处", "township-street"),
        ("钦州市人民政府办公室", "department"),
        ("平潭综合实验区地方税务局", "department"),
        ("平潭综合实验区", "zone-park"),
        ("高新区管委会", "zone-park"),
    ],
)
def test_issuer_level(name: str, level: str) -> None:
    assert issuer_level(name) == level


@pytest.mark.parametrize(
    ("text", "province", "county"),
    [
        # a township named without its county takes the county from the address
        (
            "文昌阁乡2025年政府信息公开年度报告\n如有疑问请与文昌阁乡党政办联系(地址:张家口市宣化区文昌阁乡)。",
            "河北省",
            "宣化区",
        ),
        ("成山镇2019年政府信息公开工作年度报告\n报告可在荣成市人民政府网站下载。", "山东省", "荣成市"),
        # a zone's place name gives its county
        ("平潭综合实验区2019年政府信息公开工作年度报告", "福建省", "平潭县"),
        # an old county name (宣化县 → 宣化区 in 2016) is read as today's division, with a note
        ("文昌阁乡2014年政府信息公开年度报告\n地址:宣化县文昌阁乡。", "河北省", "宣化区"),
    ],
)
def test_issuer_region_from_the_reports_own_context(text: str, province: str, county: str) -> None:
    meta = detect_metadata(normalize(text).text)
    assert meta.region is not None
    assert (meta.region.province, meta.region.county) == (province, county)


def test_issuer_old_division_name_is_noted() -> None:
    meta = detect_metadata(normalize("文昌阁乡2014年政府信息公开年度报告\n地址:宣化县文昌阁乡。").text)
    (check,) = metadata_checks(meta)
    assert check.name == "metadata.region" and "宣化县" in check.message and "not known" in check.message


def test_issuer_region_left_open_where_the_text_names_no_place() -> None:
    meta = detect_metadata(
        normalize("拖市镇2020年政府信息公开工作年度报告\n一、总体情况\n我镇认真贯彻落实。").text
    )
    assert meta.issuer == "拖市镇人民政府" and meta.region is None
    assert [c.name for c in metadata_checks(meta)] == ["metadata.region"]


@pytest.mark.parametrize(
    ("text", "published"),
    [
        ("标题: X\n发布时间: 2020-01-20 15:22\n", "2020-01-20"),
        ("一、概述\n……\n平潭县人民政府\n二〇一二年三月二十日", "2012-03-20"),
        ("一、概述\n……\n武义县水利局\n2021年1月25日", "2021-01-25"),
        ("一、概述\n没有日期。", None),
    ],
)
def test_issuer_published_date(text: str, published: str | None) -> None:
    assert detect_published(normalize(text).text) == published


@pytest.mark.parametrize(
    "name",
    ["022_pingtan_zone_2024_html.html", "024_pingtan_zone_2019_tab.txt"],
    ids=lambda n: n.split(".")[0],
)
def test_issuer_real_html_and_tab_layouts(name: str) -> None:
    meta = detect_metadata(normalize(read_report(FIXTURES / name).text).text)
    assert (meta.issuer, meta.issuer_level) == ("平潭综合实验区", "zone-park")
    assert meta.region is not None and (meta.region.province, meta.region.adcode) == ("福建省", "350128")


_PIECES = [
    "根据《中华人民共和国政府信息公开条例》",
    "(以下简称《条例》)",
    "要求,",
    "现公布",
    "现将",
    "由",
    "编制",
    "报送",
    "的",
    "2019年",
    "政府信息公开工作年度报告",
    "\n",
    "。",
    "# ",
    "平潭综合实验区",
    "云林街道",
    "沙洋县",
    "我局",
    "认真贯彻落实",
    "特向社会公布",
    "请与",
    "党政办联系",
    "地方税务局",
    "人民政府",
    "发布机构:",
    "来源:",
]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=14))
def test_issuer_is_never_a_sentence(pieces: list[str]) -> None:
    """Whatever the report says around it, an issuer holds no sentence word and no sentence punctuation."""
    issuer = detect_metadata(normalize("".join(pieces)).text).issuer
    if issuer is None:
        return
    assert is_body_name(issuer)
    assert not SENTENCE_PUNCTUATION & set(issuer)
    assert not any(word in issuer for word in issuer_words()["sentence_word"])


class _NoSpans:
    def tag_batch(self, texts: list[str]) -> list[list]:
        return [[] for _ in texts]


def test_issuer_keys_in_every_output_format() -> None:
    """JSON object: issuer_level, region, published, issuer_source (offsets into the input text);
    wide table: one column each for level, province, city, county, adcode and published."""
    from inference.pipeline import predict_raw
    from inference.write import TableColumns, result_to_wide_row

    raw = read_report(FIXTURES / "024_pingtan_zone_2019_tab.txt")
    obj = predict_raw([raw], _NoSpans())[0].to_json()
    assert obj["issuer"] == "平潭综合实验区" and obj["issuer_level"] == "zone-park"
    assert obj["region"] == {"province": "福建省", "city": "福州市", "county": "平潭县", "adcode": "350128"}
    source = obj["issuer_source"]
    assert source["kind"] == "title" and raw.text[source["start"] : source["end"]] == source["text"]
    row = result_to_wide_row(obj, TableColumns((), frozenset()))
    assert (row["issuer_level"], row["province"], row["county"], row["adcode"]) == (
        "zone-park",
        "福建省",
        "平潭县",
        "350128",
    )
