"""Tables: seed reports of every real layout, small hand-made layouts, and the cell solver."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import pytest
from tests_support import layout_rows

from inference.table_cells import Identity, read_cells, solve_row
from inference.tables import extract_tables, label_to_pattern, load_lexicon

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "annotations" / "seeds"
GOLD = ROOT / "annotations" / "gold"
T3 = (Identity((0, 1, 2, 3, 4, 5), 6),)


@cache
def _normalize():
    """The project's normaliser when it is real, else Traditional→Simplified + pinyin + widths."""
    from inference.normalize import normalize

    if normalize("業(yè)務(wù)（一）").text == "业务(一)":
        return lambda text: normalize(text).text
    import opencc

    converter = opencc.OpenCC("t2s")
    widths = str.maketrans({"（": "(", "）": ")", "：": ":", "，": ",", "；": ";"})

    def fallback(text: str) -> str:
        text = re.sub(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)", "", text)
        return converter.convert(text).translate(widths)

    return fallback


def _seed(prefix: str) -> tuple[str, dict]:
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    gold = json.loads((GOLD / f"{path.stem}.json").read_text(encoding="utf-8"))
    return _normalize()(path.read_text(encoding="utf-8")), gold


TABLE_PREFIXES = (
    "proactive.rules",
    "proactive.normative",
    "proactive.licensing",
    "proactive.other_services",
    "proactive.penalty",
    "proactive.coercion",
    "proactive.fees",
    "proactive.procurement",
    "applications.",
    "review.",
    "litigation.",
)


@pytest.mark.parametrize("prefix", ["003", "004"])
def test_tables_national_seed_fields_equal_gold(prefix: str) -> None:
    text, gold = _seed(prefix)
    result = extract_tables(text, [], template=gold["template"])
    expected = {k: v for k, v in gold["fields"].items() if k.startswith(TABLE_PREFIXES)}
    assert {k: v for k, v in result.fields.items() if k in expected} == expected
    assert set(result.fields) - set(expected) - set(gold["optional"]) == set()


def test_tables_old_template_seed_001_fields_are_gold() -> None:
    text, gold = _seed("001")
    result = extract_tables(text, [], template="pre2019")
    wrong = {
        k: v for k, v in result.fields.items() if gold["fields"].get(k) != v and k not in gold["optional"]
    }
    assert wrong == {}
    assert result.fields["applications.channel.fax+phone"] == 0
    assert result.fields["applications.answered.other"] == 781
    assert len(result.fields) >= 20


@pytest.mark.parametrize("prefix", ["000", "002"])
def test_tables_prose_only_seeds_give_nothing(prefix: str) -> None:
    text, gold = _seed(prefix)
    assert extract_tables(text, [], template=gold["template"]).fields == {}


def test_tables_records_point_at_their_text() -> None:
    text, gold = _seed("003")
    result = extract_tables(text, [], template="2019")
    assert result.records
    for record in result.records:
        assert text[record.start : record.end] == record.text
    by_field = {r.field: r for r in result.records}
    assert by_field["applications.new.total"].categories == ("本年新收政府信息公开申请数量", "总计")
    assert by_field["proactive.procurement.amount"].value == 120_360_000
    assert by_field["proactive.fees.change"].value == -14
    for start, end in result.covered:
        assert 0 <= start < end <= len(text)


T3_ROWS_2019 = [
    ("一、本年新收政府信息公开申请数量", "217 1 0 0 0 0 218"),
    ("二、上年结转政府信息公开申请数量", "3 0 0 0 0 0 3"),
    ("三、本年度办理结果", ""),
    ("(一)予以公开", "100 1 0 0 0 0 101"),
    ("(二)部分公开(区分处理的,只计这一情形,不计其他情形)", "20 0 0 0 0 0 20"),
    ("(三)不予公开", ""),
    ("1.属于国家秘密", "0 0 0 0 0 0 0"),
    ("2.其他法律行政法规禁止公开", "0 0 0 0 0 0 0"),
    ("3.危及“三安全一稳定”", "0 0 0 0 0 0 0"),
    ("4.保护第三方合法权益", "0 0 0 0 0 0 0"),
    ("5.属于三类内部事务信息", "0 0 0 0 0 0 0"),
    ("6.属于四类过程性信息", "0 0 0 0 0 0 0"),
    ("7.属于行政执法案卷", "0 0 0 0 0 0 0"),
    ("8.属于行政查询事项", "0 0 0 0 0 0 0"),
    ("(四)无法提供", ""),
    ("1.本机关不掌握相关政府信息", "90 0 0 0 0 0 90"),
    ("2.没有现成信息需要另行制作", "0 0 0 0 0 0 0"),
    ("3.补正后申请内容仍不明确", "0 0 0 0 0 0 0"),
    ("(五)不予处理", ""),
    ("1.信访举报投诉类申请", "0 0 0 0 0 0 0"),
    ("2.重复申请", "0 0 0 0 0 0 0"),
    ("3.要求提供公开出版物", "0 0 0 0 0 0 0"),
    ("4.无正当理由大量反复申请", "0 0 0 0 0 0 0"),
    ("5.要求行政机关确认或重新出具已获取信息", "0 0 0 0 0 0 0"),
    ("(六)其他处理", "5 0 0 0 0 0 5"),
    ("(七)总计", "215 1 0 0 0 0 216"),
    ("四、结转下年度继续办理", "5 0 0 0 0 0 5"),
]


def _layout(rows: list[tuple[str, str]], layout: str) -> str:
    lines = layout_rows(rows, layout)
    sep = " " if layout in ("collapsed", "digit_run") else "\n"
    return "三、收到和处理政府信息公开申请情况\n" + sep.join(lines) + "\n四、其他\n"


@pytest.mark.parametrize("layout", ["tab", "markdown", "cell_per_line", "collapsed", "digit_run"])
def test_tables_table3_layouts(layout: str) -> None:
    text = _layout(T3_ROWS_2019, layout)
    result = extract_tables(text, [], template="2019")
    assert result.fields["applications.new.natural_person"] == 217
    assert result.fields["applications.new.business"] == 1
    assert result.fields["applications.new.total"] == 218
    assert result.fields["applications.processed_total.total"] == 216
    assert result.fields["applications.unavailable_not_held.total"] == 90
    assert result.fields["applications.carried_forward.total"] == 5
    assert "applications.denied_total.total" not in result.fields
    assert len([k for k in result.fields if k.startswith("applications.")]) == 23 * 7
    if layout == "digit_run":
        assert any(c.name == "table3.layout" and "217|1|0|0|0|0|218" in c.message for c in result.checks)


def test_tables_table3_2021_subtotals_and_other_rows() -> None:
    rows = [r for r in T3_ROWS_2019 if not r[0].startswith("(六)")]
    i = [r[0] for r in rows].index("(七)总计")
    rows[i:i] = [
        ("(六)其他处理", "5 0 0 0 0 0 5"),
        ("1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "3 0 0 0 0 0 3"),
        ("2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "0 0 0 0 0 0 0"),
        ("3.其他", "2 0 0 0 0 0 2"),
    ]
    text = _layout(rows, "tab")
    result = extract_tables(text, [], template="2021")
    assert result.fields["applications.other_total.total"] == 5
    assert result.fields["applications.other_no_correction.total"] == 3
    assert result.fields["applications.other_misc.natural_person"] == 2
    assert "applications.other.total" not in result.fields


def test_tables_table2_2021_fee_amount_in_wan_yuan() -> None:
    text = (
        "二、主动公开政府信息情况\n第二十条第(一)项\n信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n"
        "规章\t1\t0\t5\n行政规范性文件\t3\t1\t20\n第二十条第(五)项\n信息内容\t本年处理决定数量\n行政许可\t120\n"
        "第二十条第(六)项\n信息内容\t本年处理决定数量\n行政处罚\t30\n行政强制\t0\n"
        "第二十条第(八)项\n信息内容\t本年收费金额(单位:万元)\n行政事业性收费\t1.5\n"
    )
    result = extract_tables(text, [], template="2021")
    assert result.fields["proactive.normative.repealed"] == 1
    assert result.fields["proactive.licensing.decisions"] == 120
    assert result.fields["proactive.fees.amount"] == 15000
    assert "proactive.rules.published" not in result.fields


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("\t75\t19\t\t\t\t\t94", (75, 19, 0, 0, 0, 0, 94)),
        ("\t\t1\t1\t\t\t\t\t2\t", (1, 1, 0, 0, 0, 0, 2)),
        ("\t3\t\t\t\t\t\t3", (3, 0, 0, 0, 0, 0, 3)),
        (" 21710000218", (217, 1, 0, 0, 0, 0, 218)),
        (" 0000000", (0, 0, 0, 0, 0, 0, 0)),
        (" 5 0 0 0 0 0 5", (5, 0, 0, 0, 0, 0, 5)),
        (" 无 - / — 0 0 0", (0, 0, 0, 0, 0, 0, 0)),
    ],
)
def test_table_cells_solve_row(row: str, expected: tuple) -> None:
    cells = read_cells("x" + row + "\n二、", 1)
    assert solve_row(cells, 7, T3).values(7) == expected


@pytest.mark.parametrize("first", ["x |\n8 |\n", "x | 8 |\n"])
def test_table_cells_row_goes_on_over_lines_that_open_with_a_value(first: str) -> None:
    """A cell-per-line row whose first value got onto the label's line (a PDF paragraph joiner):
    the lines after it that open with a value cell are still its cells, not blanks after a row end."""
    doc = first + "0 |\n0 |\n0 |\n0 |\n0 |\n8 | |||||\n|\n二、上年结转 |\n"
    cells = read_cells(doc, 1)
    assert solve_row(cells, 7, T3).values(7) == (8, 0, 0, 0, 0, 0, 8)
    horizontal = read_cells("x\t75\t19\t\t94\n二\t1", 1)  # a horizontal row ends at its line's end
    assert [c.value if c else None for c in horizontal.cells] == [75, 19, None, 94]


def test_table_cells_year_glued_after_the_last_row() -> None:
    """One-line text glues the next sentence's year to the last cell: `…办理2000002` + `2025年，…`."""
    doc = "四、结转下年度继续办理20000022025年，我局共收到申请21件。"
    cells = read_cells(doc, len("四、结转下年度继续办理"))
    assert [c.text for c in cells.cells if c] == ["2000002"]
    assert solve_row(cells, 7, T3).values(7) == (2, 0, 0, 0, 0, 0, 2)
    # a heading, then a sentence opening with the year: no cell, and no blank cell read as 0
    doc = "(一)主动公开信息数量\n2013年,我镇主动公开政府信息共455条。"
    assert extract_tables(doc, [], template="pre2019").fields == {}


@pytest.mark.parametrize(
    ("label", "printed"),
    [
        ("(一)予以公开", "（一） 予以公开"),
        ("结果维持", "结果 维持"),
        ("1.属于国家秘密", "1、属于国家秘密"),
        ("3.危及“三安全一稳定”", '3.危及"三安全一稳定"'),
    ],
)
def test_tables_label_variants_match(label: str, printed: str) -> None:
    assert re.fullmatch(label_to_pattern(label), printed)


@pytest.mark.parametrize("printed", ["7.属于行政执法案卷", "7.属于行政执法案件"])
def test_tables_enforcement_file_row_as_printed(printed: str) -> None:
    """Reports print 案卷 (the template) or 案件 for the enforcement-file refusal row."""
    entry = next(e for e in load_lexicon() if e.table == "t3" and e.key == "denied_enforcement_file")
    assert any(re.fullmatch(label_to_pattern(label), printed) for label in entry.labels)


def test_tables_lexicon_maps_to_catalogue_fields() -> None:
    from inference.catalogue import field_ids

    ids = set(field_ids())
    for entry in load_lexicon():
        if entry.table == "old":
            base = entry.key.split("+")[0]
            assert base in ids or entry.key in ids, entry.key
        if entry.table == "t2":
            for column in entry.columns:
                assert f"proactive.{entry.key}.{column}" in ids or entry.key == "other_services", (
                    entry,
                    column,
                )


def test_tables_pipe_layout_blank_cells_and_row_end_pipes() -> None:
    # seed-004-like pipes: each cell `X |` on its own line, blank cells as runs of `|`
    text = (
        "第二十条第(五)项 |\n||||信息内容 |\n上一年项目数量 |\n本年增/减 |\n处理决定数量 |\n"
        "|行政许可 |\n|1 |\n16 |\n|其他对外管理服务事项 |\n30 |\n|29 |\n|第二十条第(六)项 |\n"
    )
    result = extract_tables(text, [], template="2019")
    assert result.fields["proactive.licensing.prev_items"] == 0
    assert result.fields["proactive.licensing.change"] == 1
    assert result.fields["proactive.licensing.decisions"] == 16
    assert result.fields["proactive.other_services.change"] == 0
    assert result.fields["proactive.other_services.decisions"] == 29


def test_tables_markdown_label_padding() -> None:
    # a label spanning three template columns leaves two empty cells after it
    def row(label: str, cells: list[str]) -> str:
        return "| " + " | ".join([label, "", "", *cells]) + " |"

    lines = [row(label, values.split()) for label, values in T3_ROWS_2019 if values]
    lines[-1] = row("四、结转下年度继续办理", ["5", "", "", "", "", "", ""])
    result = extract_tables("三、收到和处理政府信息公开申请情况\n" + "\n".join(lines), [], template="2019")
    assert result.fields["applications.carried_forward.natural_person"] == 5
    assert result.fields["applications.carried_forward.total"] == 0


def test_tables_offsets_restore_squeezed_blank_cells() -> None:
    from inference.normalize import normalize

    raw = (
        "四、政府信息公开行政复议、行政诉讼情况 行政复议 行政诉讼 结果维持 结果纠正 其他结果 尚未审结 总计 "
        "未经复议直接起诉 复议后起诉 结果维持 结果纠正 其他结果 尚未审结 总计 "
        "结果维持 结果纠正 其他结果 尚未审结 总计 "
        "2  1  3 4 1 0 0 5 1 0 0 0 1 五、存在的主要问题"
    )
    doc = normalize(raw)
    result = extract_tables(doc.text, [], template="2019", offsets=doc.offsets)
    assert result.fields["review.upheld"] == 2
    assert result.fields["review.corrected"] == 0
    assert result.fields["review.other"] == 1
    assert result.fields["review.total"] == 3


def _synth_cases() -> list[tuple[str, str]]:
    from training.synth import GENERATIONS, LAYOUTS

    return [(g, layout) for g in GENERATIONS for layout in LAYOUTS]


@pytest.mark.parametrize(("generation", "layout"), _synth_cases())
def test_tables_generated_reports_every_layout(generation: str, layout: str) -> None:
    from training.bench_tables import generate_with_table_gold, score_report

    correct = total = 0
    for k, script in enumerate(("simplified", "traditional", "mirror")):
        report, table_gold = generate_with_table_gold(
            7000 + 31 * k + len(layout), generation=generation, layout=layout, script=script
        )
        score = score_report(report, table_gold)
        correct, total = correct + score.correct, total + score.gold
        assert score.extra == 0, score.errors
    assert total == 0 or correct / total >= 0.97


def test_tables_generated_records_point_at_their_text() -> None:
    from inference.normalize import normalize
    from training.bench_tables import generate_with_table_gold

    for layout in ("tabs", "runs", "pipes", "html"):
        report, _ = generate_with_table_gold(7100, generation="2019", layout=layout, script="simplified")
        doc = normalize(report["text"])
        result = extract_tables(doc.text, [], template="2019", offsets=doc.offsets)
        assert result.records
        for record in result.records:
            assert doc.text[record.start : record.end] == record.text


@pytest.mark.parametrize("module", ["inference.tables", "inference.table_cells"])
def test_tables_docstring_examples(module: str) -> None:
    import doctest
    import importlib

    failures, _ = doctest.testmod(importlib.import_module(module))
    assert failures == 0


@pytest.mark.parametrize("digits", ["7" * 40, "7" * 200, "12" * 20])
def test_table_cells_long_digit_runs_finish(digits: str) -> None:
    # glued runs with no reading that satisfies the identities are searched within a budget
    header = "行政复议 行政诉讼 结果维持 结果纠正 其他结果 尚未审结 总计 未经复议直接起诉 复议后起诉 "
    header += "结果维持 结果纠正 其他结果 尚未审结 总计 " * 2
    result = extract_tables(header + digits, [], template="2019")
    stated = {k for k in result.fields if k.startswith(("review.", "litigation."))}
    # each of the 15 fields is either read or, where equally good cuts disagree, left undecided
    assert len(stated | {k for k in result.undecided if k.startswith(("review.", "litigation."))}) == 15


def test_label_first_chars_cover_every_spelling_of_the_old_labels():
    """The old-table pattern's look-ahead (`label_first_chars`) must admit every label it can match,
    in simplified and in Taiwan-phrased spelling."""
    import opencc

    from inference.tables import _old_pattern, label_first_chars

    pattern, variants, _ = _old_pattern()
    to_taiwan = opencc.OpenCC("s2twp")
    for variant in variants:
        for spelling in {variant, to_taiwan.convert(variant)}:
            if re.fullmatch(label_to_pattern(variant), spelling):
                assert spelling[0] in label_first_chars(variant), spelling
                assert pattern.match(spelling), spelling
