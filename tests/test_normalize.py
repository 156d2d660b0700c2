"""Tests for inference.normalize: each step on real seed snippets, the offset map, and its properties."""

from __future__ import annotations

import re
import time
from pathlib import Path

import opencc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inference.normalize import NormalizedText, has_taiwan_phrasing, normalize

SEEDS = Path(__file__).resolve().parents[1] / "annotations" / "seeds"
PINYIN_READING = re.compile(r"[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,6}[)）]")


def seed(prefix: str) -> str:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def check_offset_map(doc: NormalizedText) -> None:
    """The map is well formed: sizes, monotonic, inside the original, pieces never overlap."""
    n = len(doc.text)
    assert len(doc.offsets) == n + 1
    assert len(doc.ends) == n
    assert doc.offsets[-1] == len(doc.original)
    for i in range(n):
        assert 0 <= doc.offsets[i] < doc.ends[i] <= len(doc.original)
        if i + 1 < n:
            same_piece = doc.offsets[i + 1] == doc.offsets[i] and doc.ends[i + 1] == doc.ends[i]
            assert same_piece or doc.ends[i] <= doc.offsets[i + 1]


def check_chars_map_back(doc: NormalizedText) -> None:
    """Every normalised char comes from an original char that normalises to it (or a phrase piece)."""
    han = re.compile(r"[\u3400-\u9fff]")
    for i, char in enumerate(doc.text):
        source = doc.original[doc.offsets[i] : doc.ends[i]]
        if len(source) > 1 or (han.match(char) and han.match(source)):
            continue  # a converted piece (\r\n, 最佳化 → 优化) or a phrase-dependent t2s choice
        assert normalize(source).text == char, (i, char, source)


# --- step 1: line breaks and spaces -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2900 余条", "2900 余条"),
        ("21 6", "21 6"),
        ("21  6", "21 6"),
        ("a\r\nb\rc", "a\nb\nc"),
        ("共\u3000\u3000计", "共 计"),
        ("\xa0\xa0 本报告", " 本报告"),
        ("规章\t0\t\t0\n", "规章\t0\t\t0\n"),
        ("规章 |\n0 |\n||||", "规章 |\n0 |\n||||"),
        ("零\u200b宽\ufeff", "零宽"),
    ],
)
def test_normalize_spaces(text, expected):
    doc = normalize(text)
    assert doc.text == expected
    check_offset_map(doc)


def test_normalize_space_run_is_one_piece():
    doc = normalize("a \xa0\u3000b")
    assert doc.text == "a b"
    assert doc.to_original(1, 2) == (1, 4)
    assert doc.to_normalized(2, 3) == (1, 2)
    assert doc.to_original(2, 3) == (4, 5)


# --- step 2: pinyin readings ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("業(yè)務(wù)", "业务"),
        ("綠（lǜ）色", "绿色"),
        ("女(nǚ)士", "女士"),
        ("女(nu\u0308\u030c)士", "女士"),  # tone written with combining marks
        ("創(chuàng)新", "创新"),
        ("工業(yè)園區(qū)", "工业园区"),
        ("5(建设工程规划许可证)", "5(建设工程规划许可证)"),
        ("（一）", "(一)"),
        ("本条例(以下简称《条例》)", "本条例(以下简称《条例》)"),
        ("网站(www.x.cn)", "网站(www.x.cn)"),
        ("年度(2017)", "年度(2017)"),
        ("1(增加)", "1(增加)"),
        ("个性化(业务)目录", "个性化(业务)目录"),
        ("系统(app)", "系统(app)"),
        ("报告(a)", "报告(a)"),  # toneless and no toned readings elsewhere: left alone
        ("We(yè) and (yè)", "We(yè) and (yè)"),  # not after a Han character
    ],
)
def test_normalize_removes_only_pinyin_readings(text, expected):
    doc = normalize(text)
    assert doc.text == expected
    check_offset_map(doc)


def test_normalize_toneless_readings_only_with_toned_evidence():
    assert normalize("我們(men)").text == "我们(men)"
    assert normalize("業(yè)務(wù)園(yuán)我們(men)").text == "业务园我们"


def test_normalize_reading_maps_to_its_character_only():
    original = "業(yè)務(wù)工作"
    doc = normalize(original)
    assert doc.text == "业务工作"
    start, end = doc.to_original(0, 2)
    assert original[start:end] == "業(yè)務"
    assert doc.to_normalized(1, 5) == (1, 1)  # only the reading "(yè)": no normalised char
    assert doc.to_normalized(0, 9) == (0, 2)


def test_normalize_seed_004_has_no_readings_left():
    doc = normalize(seed("004"))
    assert PINYIN_READING.search(doc.text) is None
    assert PINYIN_READING.search(doc.original) is not None
    check_offset_map(doc)


# --- steps 3 and 4: Traditional and Taiwan phrasing -------------------------------------------------


def test_normalize_seed_004_fully_simplified_without_taiwan_phrasing():
    text = normalize(seed("004")).text
    assert opencc.OpenCC("t2s").convert(text) == text
    assert "效能" in text  # tw2sp would say 性能
    assert "工业园区" in text
    assert not has_taiwan_phrasing(opencc.OpenCC("t2s").convert(seed("004")))


def test_normalize_seed_001_taiwan_phrasing():
    doc = normalize(seed("001"))
    for word in ("网络", "门户网站", "数据库", "优化", "应用和智慧城市", "互联网", "发布的文件"):
        assert word in doc.text, word
    for word in ("網路", "入口網站", "网路", "入口网站", "资料库", "最佳化", "套用"):
        assert word not in doc.text, word
    check_offset_map(doc)


@pytest.mark.parametrize("prefix", ["000", "002", "003"])
def test_normalize_mainland_seeds_unchanged_but_width_and_spaces(prefix):
    original = seed(prefix)
    doc = normalize(original)
    check_offset_map(doc)
    for i, char in enumerate(doc.text):
        source = original[doc.offsets[i] : doc.ends[i]]
        if source != char:
            assert normalize(source).text == char, (i, source, char)
            assert not re.match(r"[\u4e00-\u9fff]", source), (i, source, char)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("最佳化服務和網路資料庫", "优化服务和网络数据库"),
        ("市政府入口網站,檔案館,政府檔案", "市政府门户网站,档案馆,政府文件"),
        ("程式化管理和程式規定,網路", "程式化管理和程序规定,网络"),
        # OpenCC s2twp turns 政府信息公开 into 政府資訊公開 (Taiwan's law's name): marker enough
        ("本鎮政府資訊公開工作,全年受理資訊公開申請3件", "本镇政府信息公开工作,全年受理信息公开申请3件"),
    ],
)
def test_normalize_taiwan_phrases(text, expected):
    doc = normalize(text)
    assert doc.text == expected
    check_offset_map(doc)


def test_normalize_single_taiwan_marker_is_not_enough():
    assert normalize("檔案管理").text == "档案管理"
    assert normalize("建立健全執行效能").text == "建立健全执行效能"


def test_normalize_phrase_conversion_maps_to_whole_source_piece():
    original = "推動最佳化服務和網路資料庫"
    doc = normalize(original)
    start = doc.text.index("优化")
    assert original[slice(*doc.to_original(start, start + 2))] == "最佳化"
    assert original[slice(*doc.to_original(start + 1, start + 2))] == "最佳化"
    assert doc.to_normalized(*doc.to_original(start, start + 2)) == (start, start + 2)
    assert doc.to_normalized(original.index("服"), original.index("服") + 2) == (start + 2, start + 4)


# --- step 5: width ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("２０１９年（一）", "2019年(一)"),
        ("ＡＢｃ，：；／－．！？％", "ABc,:;/-.!?%"),
        ("、。《》“”〔〕【】「」", "、。《》“”〔〕【】「」"),
        ("〔２０１７〕２８号", "〔2017〕28号"),
        ("−14", "-14"),
        ("第一项加第二项之和，等于第三项加第四项之和", "第一项加第二项之和,等于第三项加第四项之和"),
    ],
)
def test_normalize_width(text, expected):
    doc = normalize(text)
    assert doc.text == expected
    assert doc.offsets == tuple(range(len(text) + 1))


def test_normalize_seed_003_tabs_and_004_bars_preserved():
    for prefix, sep in (("003", "\t"), ("004", "|"), ("002", "|")):
        original = seed(prefix)
        doc = normalize(original)
        assert doc.text.count(sep) == original.count(sep)
        assert doc.text.count("\n") == original.count("\n") + original.count("\r") - original.count("\r\n")
        assert all(original[doc.offsets[i]] == sep for i, c in enumerate(doc.text) if c == sep)


# --- the map --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_normalize_seed_offset_map(prefix):
    doc = normalize(seed(prefix))
    check_offset_map(doc)
    check_chars_map_back(doc)


def test_normalize_count_spans_project_exactly():
    original = seed("004")
    doc = normalize(original)
    for m in re.finditer(r"\d+", original):
        start, end = doc.to_normalized(m.start(), m.end())
        assert doc.text[start:end] == m.group()
        assert doc.to_original(start, end) == (m.start(), m.end())


def test_normalize_identity_and_empty():
    assert normalize("").text == ""
    assert normalize("").offsets == (0,)
    doc = normalize("abc 123")
    assert doc.text == "abc 123"
    assert doc.to_original(0, 3) == (0, 3)
    assert doc.to_normalized(4, 7) == (4, 7)
    assert doc.to_original(2, 2) == (2, 2)


def test_normalize_speed_on_seeds():
    texts = [seed(p) for p in ("000", "001", "002", "003", "004")] * 4
    normalize(texts[0])  # warm the OpenCC converter
    start = time.perf_counter()
    for text in texts:
        normalize(text)
    elapsed = time.perf_counter() - start
    chars_per_second = sum(map(len, texts)) / elapsed
    assert chars_per_second > 200_000, chars_per_second  # ~2M/s measured; generous for a loaded CI


def test_normalize_is_linear():
    base = seed("004")
    small, large = base * 2, base * 16
    normalize(small)
    t0 = time.perf_counter()
    normalize(small)
    t1 = time.perf_counter()
    normalize(large)
    t2 = time.perf_counter()
    assert (t2 - t1) < 30 * (t1 - t0) + 0.05


# --- properties -----------------------------------------------------------------------------------------

PIECES = [
    "業(yè)務(wù)", "綠（lǜ）", "工業", "園區", "網路", "檔案", "最佳化", "入口網站", "資料庫", "軟體",
    "視窗", "程式", "套用", "效能", "資訊", "乾燥", "瞭解", "著", "（一）", "(2017)", "(增加)",
    "２０１９", "，", "：", "（", "）", "／", "－", "、", "。", "《", "》", " ", "  ", "\xa0", "\u3000",
    "\t", "\n", "\r\n", "\r", "|", "21", "6", "余条", "件", "们(men)", "a", "Ｂ", "\u200b",
]  # fmt: skip
texts = st.one_of(
    st.lists(st.sampled_from(PIECES), max_size=30).map("".join),
    st.text(alphabet=st.sampled_from("業務網路檔案最佳化(yè)（）ǚü 　\t\n\r|１2,，"), max_size=40),
)


@settings(max_examples=300, deadline=None)
@given(texts)
def test_normalize_property_map_is_exact(text):
    doc = normalize(text)
    check_offset_map(doc)
    check_chars_map_back(doc)
    assert normalize(doc.text).text == doc.text  # idempotent


@settings(max_examples=300, deadline=None)
@given(texts, st.data())
def test_normalize_property_round_trip(text, data):
    doc = normalize(text)
    n = len(doc.text)
    start = data.draw(st.integers(0, n))
    end = data.draw(st.integers(start, n))
    o_start, o_end = doc.to_original(start, end)
    assert 0 <= o_start <= o_end <= len(text)
    if start == end:
        return
    back_start, back_end = doc.to_normalized(o_start, o_end)
    # Exactly the span, widened only to whole pieces of a phrase conversion.
    assert back_start <= start and back_end >= end
    assert all(doc.offsets[i] == doc.offsets[start] for i in range(back_start, start))
    assert all(doc.ends[i] == doc.ends[end - 1] for i in range(end, back_end))


@settings(max_examples=300, deadline=None)
@given(texts, st.data())
def test_normalize_property_original_spans_project(text, data):
    doc = normalize(text)
    a = data.draw(st.integers(0, len(text)))
    b = data.draw(st.integers(a, len(text)))
    start, end = doc.to_normalized(a, b)
    assert 0 <= start <= end <= len(doc.text)
    overlapping = [i for i in range(len(doc.text)) if doc.offsets[i] < b and doc.ends[i] > a]
    if a < b:
        assert overlapping == list(range(start, end))


def test_normalize_align_run_keeps_changed_lengths_local():
    # t2s never changes length on today's dictionaries; the fallback must still map exactly.
    from inference.normalize import _align_run, _Builder

    builder = _Builder()
    _align_run(builder, "推動最佳化服務", "推动优化服务", offset=10)
    text, starts, ends = builder.result()
    assert text == "推动优化服务"
    assert starts == [10, 11, 12, 14, 15, 16]  # 最佳 → 优 is one piece, 化 stays 化
    assert ends == [11, 12, 14, 15, 16, 17]


@pytest.mark.parametrize(
    "marker",
    ["- 3 -", "— 12 —", "第3页", "第 3 页 共 12 页", "共8页 第2页", "3/12页", "Page 3 of 12", "－３－"],
)
def test_normalize_empties_page_number_lines(marker):
    """Text copied or converted from a PDF keeps its page numbers as lines of their own."""
    doc = normalize(f"全年共主动公开政府信息\n{marker}\n156条。")
    assert doc.text == "全年共主动公开政府信息\n\n156条。"
    check_offset_map(doc)


@pytest.mark.parametrize("line", ["3", "12件", "2019", "第3条", "- 3", "3/12"])
def test_normalize_keeps_lines_that_may_be_cells(line):
    """A bare number may be a table cell (one cell per line): only explicit page markers go."""
    assert normalize(f"本年新收\n{line}\n").text == f"本年新收\n{line}\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("共收取费用人民币叁拾元", "共收取费用人民币三十元"),
        ("工作经费壹万贰仟元", "工作经费一万二千元"),
        ("复印费伍元", "复印费五元"),
        ("參拾元", "三十元"),  # a Traditional mirror: 參 → 参 by OpenCC, then the number
        ("加强队伍建设陆续开展培训参加人员", "加强队伍建设陆续开展培训参加人员"),
        ("陆人", "陆人"),  # one 大写 digit before a unit other than 元 may be a name: kept
        # one that is no word, before a unit (a mirror's 叄 is 叁 after t2s; probe mirrors m10)
        ("設置政府信息公開查閱點叄處", "设置政府信息公开查阅点三处"),
        ("收到申请壹件", "收到申请一件"),
        ("收拾件", "收拾件"),
    ],
)
def test_normalize_capital_numerals_where_they_are_numbers(text, expected):
    doc = normalize(text)
    assert doc.text == expected
    assert len(doc.offsets) == len(doc.text) + 1


def test_capital_numerals_are_read_end_to_end():
    from inference.pipeline import predict_raw
    from inference.read import RawReport
    from inference.taggers import TaggerSpec, load_tagger_from_spec

    text = "某县人民政府2016年政府信息公开工作年度报告\n全年依申请提供信息收取检索复制费人民币叁拾元。\n"
    result = predict_raw([RawReport("x", text, "utf-8", "text")], load_tagger_from_spec(TaggerSpec("rules")))[
        0
    ]
    assert result.fields.get("fees.collected") == 30
    assert any(r.text == "叁拾元" or r.text.startswith("叁拾") for r in result.records)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a table printed one cell per line: narrow label cells wrapped over two or three lines
        ("一、本年新收政府信息公开\n申请数量\n116\n19", "一、本年新收政府信息公开申请数量\n116\n19"),
        (
            "（二）部分公开（区分处理\n的，只计这一情形，不计其\n他情形）\n16",
            "(二)部分公开(区分处理的,只计这一情形,不计其他情形)\n16",
        ),
        (
            "2.申请人逾期未按收费通知要求缴纳费用、行政机关\n不再处理其政府信息公开申\n请\n0",
            "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请\n0",
        ),
        # a tab row (a PDF's unruled table) whose label wrapped: the blank cells between go too
        (
            "(六)其他处理 2.申请人逾期未按收费通\t\t\t\n\t知要求缴纳费用、行政机关不再处理其政府信\t4\t0\n"
            "\t息公开申请\t\t",
            "(六)其他处理 2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信\t4\t0\n"
            "\t息公开申请\t\t",
        ),
        ("信息内容\t\t\n\t规章\t2", "信息内容\t\t\n\t规章\t2"),
        # rows of their own: a finished label above, a numbered label below, a cell row, a sentence
        ("行政许可\n行政处罚\n5", "行政许可\n行政处罚\n5"),
        ("4.保护第三方合法权益\n5.属于三类内部事务信息", "4.保护第三方合法权益\n5.属于三类内部事务信息"),
        ("一、本年新收政府信息\t3\n公开申请数量", "一、本年新收政府信息\t3\n公开申请数量"),
        ("全年本年新收政府信息。\n公开申请数量5件", "全年本年新收政府信息。\n公开申请数量5件"),
    ],
)
def test_normalize_joins_labels_wrapped_over_lines(text, expected):
    """`lexicon.continues_label` decides; the joined label maps back to its lines exactly."""
    doc = normalize(text)
    assert doc.text == expected
    check_offset_map(doc)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a naive Simplified → Traditional converter's 覆議 for 复议 (probe mirrors m07, m18, m29)
        (
            "因信息公開引發行政覆議1件，覆議結果爲維持原答覆。",
            "因信息公开引发行政复议1件,复议结果为维持原答复。",
        ),
        ("未經覆議直接起訴\t覆議后起訴", "未经复议直接起诉\t复议后起诉"),
    ],
)
def test_normalize_repairs_what_t2s_leaves_of_a_naive_conversion(text, expected):
    assert normalize(text).text == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # letter-spaced mirror text (probe mirrors m24): the digits join too
        ("培 訓 各 單 位 信 息 員 1 8 6 人 次 。", "培训各单位信息员186人次。"),
        ("全 年 主 動 公 開 2 4 3 7 條  其 中 網 站 1 9 8 5 條", "全年主动公开2437条 其中网站1985条"),
        # not letter-spaced: cells separated by spaces, a spaced number in a sentence, tab rows
        ("予以公开 1 0 0 0 1", "予以公开 1 0 0 0 1"),
        ("共收到申请 21 6 件", "共收到申请 21 6 件"),
        ("予 以 公 开\t1\t0", "予 以 公 开\t1\t0"),
    ],
)
def test_normalize_joins_letter_spaced_lines(text, expected):
    doc = normalize(text)
    assert doc.text == expected
    assert len(doc.offsets) == len(doc.text) + 1
    start = doc.text.find("186")
    if start >= 0:  # a span found in the joined text maps back to the spaced digits
        assert text[slice(*doc.to_original(start, start + 3))] == "1 8 6"


def test_normalize_empties_running_titles():
    """A PDF's running header (the title line again) between cells printed one per line ends the
    row; its repeats are emptied, the title itself stays (probe converters c15, c28)."""
    title = "清溪镇人民政府2022年政府信息公开工作年度报告"
    text = f"{title}\n4.保护第三方合法权益\n1\n0\n— 3 —\n{title}\n0\n1\n"
    doc = normalize(text)
    assert doc.text == f"{title}\n4.保护第三方合法权益\n1\n0\n\n\n0\n1\n"
    assert normalize(f"{title}\n正文").text == f"{title}\n正文"


def test_normalize_drops_a_table_header_repeated_inside_a_row():
    """A PDF repeats the table's header after a page break, inside a row whose label the break cut
    (probe pdfs f03): the header line goes and the label joins up; a row of dashes stays."""
    header = "\t\t\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t"
    text = (
        f"{header}\n\t\t1.申请人无正当理由逾期不补正\t2\t0\t0\t0\t0\t0\t2\n"
        "\t\t2.申请人逾期未按收费通知要求缴纳费用、行政机\t\t\t\t\t\t\t\n"
        f"{header}\n\t\t关不再处理其政府信息公开申请\t10\t1\t0\t1\t0\t0\t12\n"
    )
    out = normalize(text).text
    assert out.count("商业企业") == 1
    assert "行政机关不再处理其政府信息公开申请\t10\t1" in out
    rows = "(二)被依法纠错数\t件\t—\n四、行政诉讼\t件\t—\n(二)被依法纠错数\t件\t—\n"
    assert normalize(rows).text == rows
