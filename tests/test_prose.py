"""Tests for inference.prose: COUNT spans in prose → records and fields (seed sentences, real wording)."""

from __future__ import annotations

import pytest

from inference import prose
from inference.prose import is_negation_record, load_prose_lexicon, prose_fields, prose_records, unwrap_lines
from inference.records import Record, Span
from inference.rules import RuleTagger


def spans_in(text: str, counts: list[str], metrics: list[str] = (), categories: list[str] = ()) -> list[Span]:
    """Spans built from the text with `text.index` (left to right, each occurrence once)."""
    out, cursor = [], {}
    for label, words in (("COUNT", counts), ("METRIC", metrics), ("CATEGORY", categories)):
        for word in words:
            # `\n0\n` locates a whole line; the span is the line's content
            core = word.strip("\n")
            start = text.index(word, cursor.get((label, word), 0)) + word.index(core)
            cursor[(label, word)] = start + 1
            out.append(Span(start, start + len(core), label, core))
    return sorted(out, key=lambda s: s.start)


def fields_of(text: str, counts: list[str], *, template: str = "pre2019", year: int = 2017, **kw) -> dict:
    records = prose_records(text, spans_in(text, counts, **kw), template=template, year=year)
    return prose_fields(records, text)


# Sentences from the seed reports (normalised), with what a careful reader takes from them.
@pytest.mark.parametrize(
    ("text", "counts", "expected"),
    [
        (
            "2017年,全区共受理依申请公开342件。其中,当面申请45件,信函及传真申请70件,网上填表及电子邮件申请227件。",
            ["342件", "45件", "70件", "227件"],
            {
                "applications.new.total": 342,
                "applications.channel.in_person": 45,
                "applications.channel.fax+letter": 70,
                "applications.channel.online+email": 227,
            },
        ),
        (
            "全年受理的342件政府信息公开申请全部按期办理答复。其中,属于已主动公开的123件,占申请总量的36%;"
            "同意公开的78件,占答复总量的22.8%;同意部分公开的64件;不属于本行政机关公开的32件;"
            "申请信息不存在的24件;告知补正的6件,占答复总理的1.8%。",
            ["342件", "123件", "78件", "64件", "32件", "24件", "6件"],
            {
                "applications.new.total": 342,
                "applications.answered.already_public": 123,
                "applications.answered.granted": 78,
                "applications.answered.partial": 64,
                "applications.answered.not_this_agency": 32,
                "applications.answered.nonexistent": 24,
                "applications.answered.correction": 6,
            },
        ),
        (
            "目前,全区共有政府信息公开工作专门机构45个,政府信息公开查阅点44个,从事政府信息公开的工作人员65人,"
            "其中专职人员25人。同时,进一步加强业务培训。全年共组织“政务公开”相关培训4次,9月下旬,组织培训会。",
            ["45个", "44个", "65人", "25人", "4次"],
            {
                "staff.offices": 45,
                "staff.reading_points": 44,
                "staff.total": 65,
                "staff.full_time": 25,
                "training.sessions": 4,
            },
        ),
        (
            "要求各单位同步配发文件解读,对涉及面广、专业性强、社会关注度高的100余条政策性文件、法规、办法等进行了政策解读,增进公众对政府工作的知情和理解。",
            ["100余条"],
            {"responses.interpretations": 100},
        ),
        (
            "2017年,我市主动公开政府信息104221条,通过网站公开信息104221条,通过政府公报公开信息161条,"
            "举办新闻发布会149次,进行政府网站线上访谈17次,通过新闻媒体、政务微博微信公开信息60197条。",
            ["104221条", "104221条", "161条", "149次", "17次", "60197条"],
            {
                "proactive.total": 104221,
                "proactive.channel.website": 104221,
                "proactive.channel.gazette": 161,
                "responses.press_conferences": 149,
                "responses.online_interviews": 17,
                "proactive.channel.weibo+wechat": 60197,  # optional in the seed's gold
            },
        ),
        (
            "市政府和市直各部门2017年共受理政府信息公开申请3561件。其中,当面提交申请的3101件,占87.08%;"
            "网路提交申请的367件,占10.3%;信函提交申请的93件,占2.6%。",
            ["3561件", "3101件", "367件", "93件"],
            {
                "applications.new.total": 3561,
                "applications.channel.in_person": 3101,
                "applications.channel.online": 367,
                "applications.channel.letter": 93,
            },
        ),
        ("2017年,共接受咨询75015人次。", ["75015人次"], {"consultations.total": 75015}),
        (
            "2017年度我市针对各有关单位政府信息公开的行政复议案8件,行政诉讼案5件。",
            ["8件", "5件"],
            {"review.total": 8, "litigation.total": 5},
        ),
        (
            "全县从事政府信息公开工作的专职人员2人、兼职人员50人。2017年,全县用于查阅场所增设计算机等设备,"
            "印刷宣传资料、政府网站建设和更新费用5万元。",
            ["2人", "50人", "5万元"],
            {"staff.full_time": 2, "staff.part_time": 50, "funding.total": 50000},
        ),
        (
            "全年通过县政府门户网站及省政府信息公开系统共向社会公开各类信息数量累计2万余条,其中政府网站发布政务信息4098条、"
            "重要会议15条、政策文件12条;发布政民互动类信息44余条。通过省政信息公开系统公开政府信息2900余条。",
            ["2万余条", "4098条", "15条", "12条", "44余条", "2900余条"],
            {"proactive.total": 20000, "proactive.channel.website": 4098},
        ),
        (
            "今年以来,全区主动公开各类政府信息 2900 余条。共培训工作人员 200 余人次,对不断提高各单位水平。",
            ["2900 余条", "200 余人次"],
            {"proactive.total": 2900, "training.participants": 200},
        ),
        (
            "市政府入口网站定期开展线上访谈活动,邀请各区领导对重大政策进行解读,回应市民关切,2017年共举办17场。",
            ["17场"],
            {"responses.online_interviews": 17},
        ),
    ],
)
def test_prose_seed_sentences(text: str, counts: list[str], expected: dict) -> None:
    assert fields_of(text, counts) == expected


@pytest.mark.parametrize(
    ("text", "counts"),
    [
        # a plan, even several sentences after 下一步
        (
            "下一步,我区将开展四项重点工作。一是加强培训。三是加强信息公开业务培训,举办专题培训2期,提高水平。",
            ["2期"],
        ),
        ("力争全年举办新闻发布会20次。", ["20次"]),
        # other years and comparisons
        ("2016年,全区共受理政府信息公开申请300件。", ["300件"]),
        ("受理政府信息公开申请较上年增加30件。", ["30件"]),
        # a cumulative figure of a sub-catalogue
        ("个性化目录经过年初调整优化后,分类更加科学,公开信息数量持续提高,累计公开2303条。", ["2303条"]),
        # a total up to now, whatever the sentence's year scope
        ("本年度我镇至今通过网站共主动公开政府信息517条。", ["517条"]),
        ("截至目前，我局历年主动公开政府信息1260条。", ["1260条"]),
        # …or an earlier clause says "since" or "up to now" (the count's own clause need not)
        ("我区自开通公开专栏至今，共计对外发布信息26289条。", ["26289条"]),
        ("自开通公开专栏以来，共计主动公开政府信息26289条。", ["26289条"]),
        # an end date names the report's year without scoping a running total to it
        ("截至2017年12月31日,累计公开政府信息1200条。", ["1200条"]),
        # channels outside the catalogue, and unknown kinds of items
        ("全区通过微博、微信、电视、报纸、公告栏等渠道主动公开各类政府信息6098条次。", []),
        ("2019年幸福东城微信公众号共发布341篇信息报道,其中招聘信息13篇,转发信息56篇。", ["13篇", "56篇"]),
        # breakdowns that are not the catalogue's
        ("清理了市政府规范性文件182件,其中保留101件、失效8件、废止56件。", ["182件", "101件", "8件", "56件"]),
        ("调整后,保留市级行政许可351项(子项777项),精减了23项。", ["351项", "777项", "23项"]),
        ("12345州长公开电话交办件按时办理247件,办结率100%。", ["247件"]),
        # applications charged a fee are not the applications received; a counting rule is no count
        ("本年度共对2件政府信息公开申请收取信息处理费,合计520元。", ["2件"]),
        ("全年通过公告栏等渠道发布政府信息共计49条(不同渠道发布的同一信息计为1条)。", ["1条"]),
        # a clean-up of old information and the digitised share are not disclosures
        ("并对我局2010年以来产生的政府信息进行清理,共清理出3条。", ["3条"]),
        ("其中全文电子化主动公开信息35条。", ["35条"]),
        # a web page's own metadata (a crawler's header) is no statistic
        ("标题: 某局政府信息公开工作年度报告\n发布机构: 1\n栏目: 政府信息公开年报\n", ["1"]),
        ("浏览次数：235\n", ["235"]),
        # a phone number or post code is no count (`电话` is also an application channel)
        (
            "如有疑问,请与本机关办公室联系(地址:某路1号,邮编:350400,电话:0591-24321234)。",
            ["350400", "24321234"],
        ),
        ("咨询电话(0591)-8765432,全年受理电话申请3件。", ["8765432"]),
        # the last article of a range is no count (`第9至12条`)
        ("按照《条例》第9至12条规定的主动公开政府信息范围,开展了信息清理工作。", ["12条"]),
        # the minute of a clock time or the day of a date in a page header is no count
        ("首页政务公开政府信息公开 本局2021年度报告 来源: 时间:2022-01-13 17:48 -->", ["13", "48"]),
        # a time limit is no count
        ("我局在接到申请15个工作日内对申请人的申请信息予以了答复。", ["15个"]),
        # a digit of a name or code (H5, 5G) is no count
        ("发布文字、图解、H5等多形式政策解读。", ["5"]),
        ("全年新建5G基站。", ["5"]),
        ("微信 微博 QQ空间 相关链接: Normal 0 7.8 磅 0 2 false false false EN-US ZH-CN X-NONE", ["0", "0"]),
        # the report's outline and kinds of information are no statistics
        ("政务公开工作存在的主要问题及改进情况,其他需要报告的事项等7个部分。", ["7"]),
        ("包括机构信息、政策文件、人事信息、财政预决算等6大项。", ["6大项"]),
        ("本报告由概述、依申请公开情况、复议诉讼情况等七个部分组成。", ["七个部分"]),
        # the text ends inside the number (an excerpt cut mid-figure): `1` may be the start of `12`
        ("2018年,我街道共收到依申请公开1", ["1"]),
        ("全县共受理行政复议4件,其中维持具体行政行为3\n", ["3"]),
    ],
)
def test_prose_not_this_years_statistics(text: str, counts: list[str]) -> None:
    """Counts of plans, other years, running totals and foreign breakdowns are no field of the year."""
    fields = fields_of(text, counts)
    assert "proactive.channel.weibo+wechat" not in fields
    assert all(k == "proactive.total" and v == 6098 for k, v in fields.items()) or not fields


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("全区未因依申请公开产生收费情况。", {"fees.collected": 0}),
        ("2017年,全市无向政府信息公开申请人进行收费的情况。", {"fees.collected": 0}),
        ("全年未收取相关成本费用,也未发现有擅自增加收费项目的违规行为。", {"fees.collected": 0}),
        (
            "全年没有收到涉及政府信息公开事务的投诉、行政复议申请,也没有针对政府信息公开事务的行政诉讼案件。",
            {"complaints.total": 0, "review.total": 0, "litigation.total": 0},
        ),
        (
            "未发生因政府信息公开申请行政复议、提起行政诉讼的情况。",
            {"review.total": 0, "litigation.total": 0},
        ),
        # the short names of review and lawsuits, listed with their nouns
        (
            "2016年无发生因违反政府信息公开工作规定而出现投诉、复议、诉讼情况。",
            {"complaints.total": 0, "review.total": 0, "litigation.total": 0},
        ),
        ("全年无行政复议申请和诉讼案件。", {"review.total": 0, "litigation.total": 0}),
        ("没有未经复议直接起诉的案件。", {}),
        # a zero with no unit after 数/数量 (no COUNT span), not a comparison
        ("本机关收到政府信息公开申请数量为零。", {"applications.new.total": 0}),
        ("本机关政府信息公开申请数为0。", {"applications.new.total": 0}),
        ("政府信息公开申请数量同比增长为零。", {}),
        ("无法提供的申请已告知申请人。", {}),
        ("在政务服务大厅无偿提供政府信息公开申请表。", {}),
        ("对未经复议直接起诉的行政诉讼案件做好应诉。", {}),
    ],
)
def test_prose_negations_give_zero(text: str, expected: dict) -> None:
    records = prose_records(text, [], template="pre2019", year=2017)
    assert all(is_negation_record(r) for r in records)
    assert prose_fields(records, text) == expected


def test_prose_every_count_gets_a_record() -> None:
    text = "全区共有政府信息公开工作专门机构45个,整合了6条电话渠道,未出现问题。"
    records = prose_records(text, spans_in(text, ["45个", "6条"]), template="pre2019", year=2017)
    assert [(r.text, r.field) for r in records] == [("45个", "staff.offices"), ("6条", None)]
    assert all(text[r.start : r.end] == r.text for r in records)


def test_prose_parenthetical_breakdown_in_national_template() -> None:
    text = (
        "2019年,共收到政府信息公开申请96件,不予公开8件"
        "(其中保护第三方合法权益3件、行政执法案卷3件、行政查询事项2件)。"
    )
    counts = ["96件", "8件", "3件", "3件", "2件"]
    records = prose_records(text, spans_in(text, counts), template="2019", year=2019)
    assert [r.field for r in records] == [
        "applications.new.total",
        "applications.denied_total.total",
        "applications.denied_third_party.total",
        "applications.denied_enforcement_file.total",
        "applications.denied_query.total",
    ]


def test_prose_own_section_and_exact_figure_win() -> None:
    text = (
        "一、概述\n全年共公开各类政府信息100多条。\n二、主动公开政府信息情况\n全年共公开各类政府信息102条。\n"
    )
    assert fields_of(text, ["100多条", "102条"], year=2020) == {"proactive.total": 102}


def test_prose_uses_metric_and_category_spans_for_records() -> None:
    text = "从事政府信息公开的工作人员65人,其中专职人员25人。"
    spans = spans_in(text, ["65人", "25人"], metrics=["工作人员"], categories=["专职人员"])
    records = prose_records(text, spans, template="pre2019", year=2017)
    assert (records[1].metric, records[1].categories, records[1].field) == (
        "工作人员",
        ("专职人员",),
        "staff.full_time",
    )


def test_prose_lexicon_fields_are_catalogue_ids() -> None:
    from inference.catalogue import field_ids

    known = set(field_ids())
    for row in load_prose_lexicon():
        if row.field:
            assert row.field in known, row


def test_prose_label_value_lists_read_the_previous_cell() -> None:
    # seed 001's 附表 (one cell per line), read as prose when no table parser claims it
    text = (
        "附表1\n主动公开情况统计表\n指 标\n数量(条)\n主动公开信息数\n104221\n"
        "公开政府信息公开工作年度报告\n179\n"
        "政务微博公开政府信息数\n37020\n附表2\n依申请公开情况统计表\n指 标\n数量(件)\n申请总数\n3561\n"
        "其中:1.当面申请数\n3101\n2.传真电话申请数\n0\n3.网络申请数\n367\n"
    )
    counts = ["104221", "179", "37020", "3561", "3101", "\n0\n", "367"]
    assert fields_of(text, counts) == {
        "proactive.total": 104221,
        "proactive.channel.weibo": 37020,
        "applications.new.total": 3561,
        "applications.channel.in_person": 3101,
        "applications.channel.fax+phone": 0,
        "applications.channel.online": 367,
    }


def test_prose_rows_of_a_multi_column_table_are_not_pairs() -> None:
    text = "一、本年新收政府信息公开申请数量 |\n0 |\n0 |\n0 |\n"
    assert fields_of(text, ["\n0 ", "\n0 ", "\n0 "], template="2019", year=2019) == {}


def test_prose_line_wraps_inside_a_sentence() -> None:
    text = (
        "2022年,我区主动公开政府信息10057条,通过网站公开信息9740条,举办新闻发布\n\n会9次,"
        "通过政务微博公开信息12条。\n"
    )
    assert len(unwrap_lines(text)) == len(text)
    assert "\n" not in unwrap_lines(text).rstrip("\n")
    assert (
        fields_of(text, ["10057条", "9740条", "9次", "12条"], year=2022)["responses.press_conferences"] == 9
    )
    # headings, titles, lines before a heading and label/value lists keep their breaks
    for kept in (
        "二、主动公开政府信息情况\n全年共公开信息20条",
        "政务微博公开政府信息数\n37020",
        "某某县某某局2018年政府信息公开工作年度报告\n我局全年主动公开政府信息1000条。",
        "本报告中所列数据的统计期限自2018年1月1日起至2018年12月31日止\n一、概述",
    ):
        assert unwrap_lines(kept) == kept


def test_a_title_line_is_not_the_first_sentences_subject() -> None:
    text = "某某县某某局2018年政府信息公开工作年度报告\n我局全年主动公开政府信息1000条。"
    assert fields_of(text, ["1000条"], year=2018) == {"proactive.total": 1000}


def test_prose_reads_a_unit_the_span_stops_short_of() -> None:
    text = "2017年,全县用于政府网站建设和更新费用5万元,专职人员2人。"
    start, two = text.index("5万"), text.index("2人")
    spans = [Span(start, start + 2, "COUNT", "5万"), Span(two, two + 1, "COUNT", "2")]
    records = prose_records(text, spans, template="pre2019", year=2017)
    assert [(r.text, r.value, r.unit, r.field) for r in records] == [
        ("5万", 50000, "元", "funding.total"),
        ("2", 2, "人", "staff.full_time"),
    ]


def test_prose_category_sentences_continue_the_subject() -> None:
    # seed 003's wording (national template): the reader carries 申请 across the full stop
    text = (
        "2019年,全区共收到政府信息公开申请96件,予以公开和部分公开53件,不予公开8件(其中行政查询事项2件)。"
        "本机关不掌握相关政府信息27件,补正后仍不明确1件。\n一、其他\n举办新闻发布会3次。查阅点2个。"
    )
    counts = ["96件", "53件", "8件", "2件", "27件", "1件", "3次", "2个"]
    records = prose_records(text, spans_in(text, counts), template="2019", year=2019)
    assert [r.field for r in records] == [
        "applications.new.total",
        None,  # 予以公开和部分公开: two outcomes in one figure
        "applications.denied_total.total",
        "applications.denied_query.total",
        "applications.unavailable_not_held.total",
        "applications.unavailable_unclear.total",
        "responses.press_conferences",
        "staff.reading_points",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "全年共受理行政许可申请5000件。",
        "全区共有执法人员120名。",
        "全市共有中介服务机构30个。",
        "开通咨询热线3条。",
    ],
)
def test_prose_lookalikes_of_catalogue_wording(text: str) -> None:
    count = next(w for w in ("5000件", "120名", "30个", "3条") if w in text)
    assert fields_of(text, [count]) == {}


def test_fee_context_keeps_applications_received_that_were_not_charged() -> None:
    """`均未收费` / `免收` after the applications received does not make them charged ones."""
    got = fields_of("全年受理政府信息公开申请5件均未收费。", ["5件"])
    assert got == {"applications.new.total": 5, "fees.collected": 0}


@pytest.mark.parametrize(
    ("clause", "channel"),
    [
        ("全年通过区政府信息公开网站共公开信息", "proactive.channel.website"),
        ("全年通过县政府门户网站乡镇专栏主动公开政府信息", "proactive.channel.website"),
        ("通过区政府信息公开网、简报信息报送、宣传栏等各类政府公开载体主动公开信息", None),  # a list
        ("通过政府网站和政务微博公开信息", None),  # two channels
        ("全年在公告栏公开信息", None),  # a carrier outside the catalogue
        ("全年主动公开政府信息", None),  # no carrier
    ],
)
def test_sole_channel_of_a_clause(clause: str, channel: str | None) -> None:
    """The one catalogue channel a clause names as its only carrier (the count states it and the total)."""
    from inference.prose import sole_channel

    text = clause + "58条。"
    assert sole_channel(text, len(clause)) == channel


@pytest.mark.parametrize(
    ("text", "count"),
    [
        # a list of catalogue channels closed by 等…渠道 is summed: the count is the total
        ("全年通过门户网站、政务微博、微信等公开渠道主动公开政府信息300条。", "300条"),
        ("通过网站、微博等发布渠道公开信息300条。", "300条"),
        # channels outside the catalogue in the list do not change that (unless counted in 条次)
        ("我局通过区政府信息公开网、简报信息报送、宣传栏等各类政府公开载体主动公开信息43条。", "43条"),
        ("全年通过电子屏幕,公告栏等公开渠道主动发布政府信息共计49条。", "49条"),
        # 累计 scoped to the year is the year's total
        ("全年累计公开信息62条,其中在政府信息公开网上主动公开信息49条。", "62条"),
    ],
)
def test_year_totals_over_channel_lists(text: str, count: str) -> None:
    """A total over a closed list of channels, or a running total within the year, is `proactive.total`."""
    fields = fields_of(text, [count])
    assert fields == {"proactive.total": int(count[:-1])}


def test_list_items_with_their_own_nouns_are_not_their_neighbours() -> None:
    """In `新闻发布会9场、警媒座谈会1场、电台直播活动6场、微访谈活动2场` the unknown items neither inherit
    the first item's field nor take the next item's noun."""
    text = "全年共召开了新闻发布会9场、警媒座谈会1场、电台直播活动6场、微访谈活动2场。"
    fields = fields_of(text, ["9场", "1场", "6场", "2场"])
    assert fields == {"responses.press_conferences": 9, "responses.online_interviews": 2}


def test_listed_categories_of_different_ranks_are_not_one_of_them() -> None:
    """A count of several listed answer kinds is theirs together: not the highest-ranked one alone."""
    text = (
        "2017年我局受理的14件依申请公开全都按规定进行了答复。已答复中“不予公开”的件数0件,"
        "“非政府信息、政府信息不存在、非本机关政府信息”的件数为8件。"
    )
    fields = fields_of(text, ["14件", "0件", "8件"])
    assert fields == {"applications.new.total": 14, "applications.answered.refused": 0}


def test_a_total_amid_its_parts_is_not_read() -> None:
    """In a list of channel counts, one whose channel the lexicons do not know is not the total."""
    text = "政府网站公开信息3698条,微博微信公开信息2148条,新闻媒体公开信息12条,政府公报公开信息0条。"
    fields = fields_of(text, ["3698条", "2148条", "12条", "0条"])
    assert "proactive.total" not in fields
    assert fields["proactive.channel.website"] == 3698
    # a total after its parts that says so keeps its field
    fields = fields_of("其中网站公开信息300条,全年共公开信息500条。", ["300条", "500条"])
    assert fields["proactive.total"] == 500
    # a count inside the breakdown (其中…) of a total of the same kind is a part, not the total
    text = "全年共公布政府信息2602条(其中机构职能类信息82条,其他应主动公开政府信息1053条)。"
    assert fields_of(text, ["2602条", "82条", "1053条"]) == {"proactive.total": 2602}
    # a total of another kind after the breakdown keeps its field
    fields = fields_of("主动公开信息500条,其中网站公开300条,受理申请12件。", ["500条", "300条", "12件"])
    assert fields["applications.new.total"] == 12


@pytest.mark.parametrize(
    ("text", "counts", "expected"),
    [
        (
            "通过官方微博“河西发布”、微信公众号“河之西”分别发布各类信息92条、306条。",
            ["92条", "306条"],
            {"proactive.channel.weibo": 92, "proactive.channel.wechat": 306},
        ),
        (
            "全年通过门户网站、政务微博、微信分别发布信息1200条、120条和340条。",
            ["1200条", "120条", "340条"],
            {
                "proactive.channel.website": 1200,
                "proactive.channel.weibo": 120,
                "proactive.channel.wechat": 340,
            },
        ),
        # metrics paired in order, and the other place's word excludes nothing
        (
            "全年受理行政复议、行政诉讼分别为2件、1件。",
            ["2件", "1件"],
            {"review.total": 2, "litigation.total": 1},
        ),
        # three channels, two counts: which is which cannot be told
        ("通过政府网站、微博、微信分别发布信息92条、306条。", ["92条", "306条"], {}),
        # Taiwan spellings of the lexicon's words (lexicon.spellings): 释出 for 发布, 资讯 for 信息
        (
            "全年通过门户网站、政务微博、微信分别释出资讯1200条、120条和340条。",
            ["1200条", "120条", "340条"],
            {
                "proactive.channel.website": 1200,
                "proactive.channel.weibo": 120,
                "proactive.channel.wechat": 340,
            },
        ),
    ],
)
def test_respectively_lists_pair_counts_in_order(text: str, counts: list[str], expected: dict) -> None:
    """`微博、微信分别发布…92条、306条` pairs counts with the names before 分别, in order, where their
    numbers match; 92 is never weibo+wechat."""
    assert fields_of(text, counts) == expected


@pytest.mark.parametrize(
    ("text", "count", "field"),
    [
        ("配备了2名专职工作人员。", "2名", "staff.full_time"),
        ("安排了3名工作人员兼职负责政务公开的日常工作。", "3名", "staff.part_time"),
        ("全年受理2件政府信息公开申请。", "2件", "applications.new.total"),
    ],
)
def test_category_words_of_the_noun_after_a_count(text: str, count: str, field: str) -> None:
    """The number before its noun: the noun phrase's category words choose the field."""
    assert fields_of(text, [count]) == {field: int(count[:-1])}


def test_a_lexicon_statement_wins_over_a_linker_only_one() -> None:
    """Two statements of one field: the one the lexicons read wins over one only the linker read
    (`审发推送71条` read as weibo by the linker, `官方微博…分别发布…92条` by the lexicons)."""
    from inference.records import Record

    def record(value: int, start: int, linked_by: str | None) -> Record:
        field = "proactive.channel.weibo"
        return Record("", (), value, "条", False, field, start, start + 3, f"{value}条", linked_by=linked_by)

    records = [record(71, 10, "linker"), record(92, 40, None)]
    assert prose_fields(records) == {"proactive.channel.weibo": 92}


def test_a_bracketed_count_on_a_noun_does_not_cut_it_from_its_count() -> None:
    """`公众号(2个)发布信息88条`: the number of accounts is an aside; 88 is still the account's."""
    text = "本镇政务微信公众号(2个)发布信息88条,政务微博账号(1个)发布信息35条。"
    fields = fields_of(text, ["2个", "88条", "1个", "35条"], template="2021", year=2023)
    assert fields == {"proactive.channel.wechat": 88, "proactive.channel.weibo": 35}


def test_categories_with_no_subject_in_their_sentences_take_the_section_title() -> None:
    """`其中属于已主动公开的5件…` after a sentence without a metric word: the section's title
    (`二、政府信息依申请公开情况`) names what the categories are outcomes of."""
    text = (
        "二、政府信息依申请公开情况\n(二)办理情况。本局按时办结数41件,延期办结6件。"
        "其中属于已主动公开的5件,同意公开答复30件,不属于本机关公开的8件。"
    )
    assert fields_of(text, ["41件", "6件", "5件", "30件", "8件"]) == {
        "applications.answered.on_time": 41,
        "applications.answered.extended": 6,
        "applications.answered.already_public": 5,
        "applications.answered.granted": 30,
        "applications.answered.not_this_agency": 8,
    }


def test_the_section_title_names_no_family_the_categories_lack() -> None:
    """Under a proactive-disclosure title, outcome words of applications are not read as outcomes."""
    text = "三、主动公开政府信息情况\n全年办理各类事项80件,其中同意公开答复7件。"
    assert fields_of(text, ["80件", "7件"]) == {}


@pytest.mark.parametrize(
    ("text", "count", "expected"),
    [
        ("全年通过政务微信公众号推送信息45条。", "45条", {"proactive.channel.wechat": 45}),
        ("全年共推送各类政务信息213条。", "213条", {"proactive.total": 213}),
    ],
)
def test_pushed_items_are_proactive_disclosure(text: str, count: str, expected: dict) -> None:
    """推送 (pushing to followers) publishes information like 发布 does."""
    assert fields_of(text, [count]) == expected


def test_a_count_of_an_object_it_names_is_not_its_subjects_total() -> None:
    """`…公开的公文类政府信息,全年共发布36条,发布本地要闻1063条`: 36 counts the sentence's subject;
    1063 counts the news items it names, whether or not the tagger marks them as a CATEGORY."""
    text = "本局在门户网站“最新文件”栏目发布应主动公开的公文类政府信息,全年共发布36条,发布本地要闻1063条。"
    records = prose_records(text, spans_in(text, ["36条", "1063条"]), template="2021", year=2020)
    assert [(r.text, r.field) for r in records] == [("36条", "proactive.total"), ("1063条", None)]


def test_listed_parts_then_their_sum_count_the_subject() -> None:
    """`…舆情数,包括正面舆情和负面舆情共13次`: the parts named after 包括 and summed by 共 are the
    subject's total; not where the subject has its own count before (`…1000条,包括…共300条`)."""
    text = "我办回应公众关注热点或重大舆情数,包括正面舆情和负面舆情共13次。"
    assert fields_of(text, ["13次"], year=2018) == {"responses.hot_topics": 13}
    text = "全年主动公开政府信息,包括规范性文件和工作动态共计260条。"
    assert fields_of(text, ["260条"], year=2018) == {"proactive.total": 260}
    text = "全年主动公开政府信息1000条,包括通知和公告共300条。"
    assert fields_of(text, ["1000条", "300条"], year=2018) == {"proactive.total": 1000}


@pytest.mark.parametrize(
    ("text", "count", "expected"),
    [
        # staff named by the work they do
        ("本乡主要领导高度重视,由1人专门负责此项工作。", "1人", {"staff.total": 1}),
        ("本局安排2人负责政府信息公开工作。", "2人", {"staff.total": 2}),
        ("本局指定专人1名负责信息公开工作。", "1名", {"staff.total": 1}),
        ("我镇共有3人从事政府信息公开工作。", "3人", {"staff.total": 3}),
        # the designated person is not what the clause's own count counts
        ("安排专人负责,全年受理申请3件。", "3件", {"applications.new.total": 3}),
        # the 2014–2018 tables' response rows (微博微信回应事件数, 其他方式回应事件数) in prose
        ("全年举办新闻发布会8场次。", "8场次", {"responses.press_conferences": 8}),
        ("全年通过微博微信回应事件5次。", "5次", {"responses.weibo_wechat": 5}),
        ("通过新闻媒体等其他方式回应事件3次。", "3次", {"responses.other": 3}),
        ("全年回应网民关切50余个。", "50余个", {"responses.hot_topics": 50}),
    ],
)
def test_one_count_sentences_of_many_provinces(text: str, count: str, expected: dict) -> None:
    """Wordings of held-out passages, invented anew: staff named by their work (`由1人专门负责`,
    `指定专人`), and the 2014–2018 response rows stated in prose."""
    assert fields_of(text, [count]) == expected


def test_items_of_information_are_not_requests() -> None:
    """`依申请公开信息12条`, `不予公开信息27条` (old reports) count items of information, not requests
    or answers; the requests are counted apart (`收到政府信息公开申请1条`)."""
    text = "我局主动公开信息734条,依申请公开信息12条,不予公开信息27条。全年我局收到政府信息公开申请1条。"
    fields = fields_of(text, ["734条", "12条", "27条", "1条"], year=2009)
    assert fields == {"proactive.total": 734, "applications.new.total": 1}
    # requests counted in 件 or with their own noun stay requests
    assert fields_of("全年依申请公开政府信息12件。", ["12件"]) == {"applications.new.total": 12}
    assert fields_of("全年共受理政府信息公开申请15条。", ["15条"]) == {"applications.new.total": 15}


def test_the_stock_phrase_for_anyone_is_not_an_applicant_type() -> None:
    """`公民、法人或者其他组织` is the Regulations' phrase for anyone; `法人或其他组织` alone is a type."""
    text = "全年受理公民、法人或者其他组织提出的政府信息公开申请5件。"
    assert fields_of(text, ["5件"]) == {"applications.new.total": 5}
    assert fields_of("全年受理法人或其他组织提出的政府信息公开申请3件。", ["3件"]) == {}


def test_a_place_named_after_the_count_is_what_it_counts() -> None:
    """`设立了1个专门的信息申请受理点`: one reception point, not one request; reading points stay."""
    assert fields_of("为此设立了1个专门的信息申请受理点。", ["1个"]) == {}
    assert fields_of("全年设立政府信息查阅点3个。", ["3个"]) == {"staff.reading_points": 3}
    assert fields_of("全年收到3件政府信息公开申请。", ["3件"]) == {"applications.new.total": 3}


def test_national_template_prose_carries_over_and_completes() -> None:
    """2019+ overviews restate the table in prose: `上年结转2件` is the carried-over requests (not a
    figure of another year), `办结33件` the requests completed (the table's （七）总计), and
    `受理并办结23件` the year's requests."""
    text = "全年共受理政府信息公开申请35件,上年结转2件,办结33件,结转下年度4件。"
    spans = RuleTagger().tag(text)
    records = prose_records(text, spans, template="2021", year=2021)
    assert prose_fields(records, text) == {
        "applications.new.total": 35,
        "applications.carried_over.total": 2,
        "applications.processed_total.total": 33,
        "applications.carried_forward.total": 4,
    }
    text = "年内受理并办结依申请公开23件。"
    assert fields_of(text, ["23件"], template="2021", year=2023) == {"applications.new.total": 23}


def test_review_applications_and_zeros_for_a_list() -> None:
    """`行政复议申请` is a review (not a request for information); `均为0件` zeroes every item listed."""
    assert fields_of("全年收到行政复议申请2件。", ["2件"]) == {"review.total": 2}
    records = prose_records("没有收到行政复议申请。", [], template="pre2019", year=2017)
    assert prose_fields(records, "") == {"review.total": 0}
    text = "涉及政府信息公开的行政复议和行政诉讼均为0件。"
    records = prose_records(text, spans_in(text, ["0件"]), template="pre2019", year=2017)
    assert prose_fields(records, text) == {"review.total": 0, "litigation.total": 0}
    text = "因政府信息公开申请行政复议、提起行政诉讼的情况均为零。"
    records = prose_records(text, [], template="pre2019", year=2017)
    assert all(is_negation_record(r) for r in records)
    assert prose_fields(records, text) == {"review.total": 0, "litigation.total": 0}


def test_public_petitions_are_not_disclosure_complaints() -> None:
    """`信访、来电、网络投诉等信访投诉事项2905件` are the public's petitions, not complaints about
    information disclosure; a statement of none stands against a count only the linker read."""
    text = "共接收处置信访、来电、网络投诉等信访投诉事项2905件。"
    assert fields_of(text, ["2905件"]) == {}
    assert fields_of("全年共收到涉及政府信息公开的投诉2件。", ["2件"]) == {"complaints.total": 2}
    zero = Record("举报", (), 0, "", False, "complaints.total", 0, 8, "未收到行政申诉举报", 1.0)
    guess = Record("", (), 7, "件", False, "complaints.total", 20, 22, "7件", 1.0, linked_by="linker")
    read = Record("", (), 3, "件", False, "complaints.total", 30, 32, "3件", 1.0)
    assert prose_fields([zero, guess]) == {"complaints.total": 0}
    assert prose_fields([zero, guess, read]) == {"complaints.total": 3}


def test_prose_a_years_part_of_a_running_total_is_the_years_total() -> None:
    """`…至今共发布26289条,其中2017年主动公开政府信息2900条`: the part is the year's own total, while
    a breakdown of the year's total by channel stays a channel."""
    text = "我区自开通公开专栏至今，共计对外发布信息26289条，其中2017年主动公开政府信息2900条。"
    assert fields_of(text, ["26289条", "2900条"]) == {"proactive.total": 2900}
    text = "全年共主动公开政府信息3000条，其中通过网站公开政府信息2900条。"
    expected = {"proactive.total": 3000, "proactive.channel.website": 2900}
    assert fields_of(text, ["3000条", "2900条"]) == expected


def test_rule_tagger_reads_a_spelled_number_whole() -> None:
    """`一万一千七百二十条` is one count (11720), not `一千七百二十条` after a stray 万."""
    text = "政府网站上线信息一万一千七百二十条，全年受理申请一千二百三十五件，网站公开信息两万条。"
    counts = [s.text for s in RuleTagger().tag_batch([text])[0] if s.label == "COUNT"]
    assert counts == ["一万一千七百二十条", "一千二百三十五件", "两万条"]


def _record_at(text: str, figure: str, field_id: str) -> Record:
    start = text.index(figure)
    return Record("", (), int(figure.rstrip("条")), "条", False, field_id, start, start + len(figure), figure)


@pytest.mark.parametrize(
    ("text", "own", "other"),
    [
        # the figure after 其中 is the subject's before it (我局), the portal's is another body's
        (
            "河南省政府门户网站全年发布政务信息32000条。我局全年公开信息876条，其中通过局门户网站公开812条。",
            "812条",
            "32000条",
        ),
    ],
)
def test_own_part_reads_the_subject_before_its_breakdown(text, own, other):
    records = [_record_at(text, figure, "proactive.channel.website") for figure in (other, own)]
    out = {r.text: r for r in prose.own_part(text, records)}
    assert out[own].field == "proactive.channel.website"
    assert (out[other].field, out[other].excluded) == (None, "another body's")


def test_own_part_a_government_website_posted_on_is_a_channel():
    text = "镇政府主动公开政府信息96条，其中通过镇政务公开栏公开74条，通过县政府网站公开22条。"
    records = [_record_at(text, figure, "proactive.channel.website") for figure in ("74条", "22条")]
    assert [r.field for r in prose.own_part(text, records)] == ["proactive.channel.website"] * 2
