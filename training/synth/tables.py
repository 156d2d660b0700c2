"""The statistics tables of the three template generations, with their gold fields.

Each builder returns a `doc.Table` (cells made of labelled pieces: header cells CATEGORY or METRIC
without their numbering prefix, value cells COUNT) and the gold fields the printed table states
(blank cell → 0, spec convention 2). Wording variants are the ones real reports print.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from inference.catalogue import APPLICANT_COLUMNS
from training.synth import values as V
from training.synth.doc import Cell, Piece, Table
from training.synth.numbers import clean_number, format_decimal, format_money

Gold = dict[str, int | float]


@dataclass(frozen=True)
class Wording:
    """Per-report choices of numbering and label variants."""

    paren_full: bool = True  # （一） vs (一)
    dot: str = "."  # 1. vs 1、 vs 1．
    blank_zero: float = 0.5  # share of zero cells printed blank
    normative: str = "规范性文件"
    other_label: str = "其他"
    made_label: str = "本年新制作数量"
    spaced_headers: bool = False  # `结果 维持` (seed 003)


def choose_wording(rng: random.Random, generation: str, layout: str) -> Wording:
    # Agencies either print zeros or leave zero cells blank; a few mix both.
    blank = rng.choice([0.0, 0.0, 0.0, 1.0, 1.0, 0.97])
    if layout == "runs":
        blank = 0.0
    elif layout == "collapsed":
        blank = min(blank, 0.2)
    return Wording(
        paren_full=rng.random() < 0.6,
        dot=rng.choice([".", ".", "、", "．"]),
        blank_zero=blank,
        normative=rng.choice(["规范性文件", "行政规范性文件"])
        if generation == "2019"
        else rng.choice(["行政规范性文件", "行政规范性文件", "规范性文件"]),
        other_label=rng.choice(["其他", "其他", "其他（法人或其他组织）"]),
        made_label=rng.choice(["本年新制作数量", "本年新制作数量", "本年新", "本年制发件数"]),
        spaced_headers=rng.random() < 0.2,
    )


_CN = "一二三四五六七八九十"


def paren(n: int, w: Wording) -> str:
    return f"（{_CN[n - 1]}）" if w.paren_full else f"({_CN[n - 1]})"


def labelled(prefix: str, text: str, label: str = "CATEGORY", suffix: str = "") -> list[Piece]:
    out = [Piece(prefix)] if prefix else []
    out.append(Piece(text, label))
    if suffix:
        out.append(Piece(suffix))
    return out


def value_cell(value: int, rng: random.Random, w: Wording, field: str = "") -> Cell:
    """A COUNT cell stating `field` (`""`: a count no field takes); zeros sometimes blank."""
    if value == 0 and rng.random() < w.blank_zero:
        return Cell([])
    return Cell([Piece(str(value), "COUNT", field)])


def header(text: str, w: Wording, label: str = "CATEGORY", **span: int) -> Cell:
    if w.spaced_headers and len(text) == 4 and text.startswith(("结果", "其他", "尚未")):
        text = text[:2] + " " + text[2:]
    return Cell([Piece(text, label)], **span)


# ---------------------------------------------------------------- table 3 (2019 and 2021)

DENIED_LABELS = (
    "属于国家秘密",
    "其他法律行政法规禁止公开",
    "危及“三安全一稳定”",
    "保护第三方合法权益",
    "属于三类内部事务信息",
    "属于四类过程性信息",
    "属于行政执法案卷",
    "属于行政查询事项",
)
UNAVAILABLE_LABELS = ("本机关不掌握相关政府信息", "没有现成信息需要另行制作", "补正后申请内容仍不明确")
NOT_PROCESSED_LABELS = (
    "信访举报投诉类申请",
    "重复申请",
    "要求提供公开出版物",
    "无正当理由大量反复申请",
    "要求行政机关确认或重新出具已获取信息",
)
OTHER_LABELS_2021 = (
    "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "其他",
)
PARTIAL_NOTE = "（区分处理的，只计这一情形，不计其他情形）"
TABLE3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"


def _t3_values(row: str, values: list[int], rng: random.Random, w: Wording, gold: Gold) -> list[Cell]:
    ids = [f"applications.{row}.{col}" for col in APPLICANT_COLUMNS]
    for field_id, v in zip(ids, values, strict=True):
        gold[field_id] = v
    return [value_cell(v, rng, w, f) for f, v in zip(ids, values, strict=True)]


def table3(
    rng: random.Random, generation: str, t3: dict[str, list[int]], w: Wording, *, full_header: bool
) -> tuple[Table, Gold]:
    """Table 3: applications by applicant type; optional subtotal rows for （三）–（六）."""
    gold: Gold = {}
    rows: list[list[Cell]] = []
    other = w.other_label
    note = [Piece(TABLE3_NOTE if w.paren_full else TABLE3_NOTE.replace("（", "(").replace("）", ")"))]
    if full_header:
        rows.append([Cell(note, rowspan=3, colspan=3), Cell([Piece("申请人情况")], colspan=7)])
        rows.append(
            [
                header("自然人", w, rowspan=2),
                header("法人或其他组织", w, colspan=5),
                header("总计", w, rowspan=2),
            ]
        )
        rows.append([header(x, w) for x in ("商业企业", "科研机构", "社会公益组织", "法律服务机构", other)])
        header_rows = 3
    else:
        other_full = "其他（法人或其他组织）" if rng.random() < 0.5 else other
        first = Cell(note if rng.random() < 0.5 else [], colspan=3)
        labels = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", other_full, "总计")
        rows.append([first, *(header(x, w) for x in labels)])
        header_rows = 1
    rows.append(
        [
            Cell(labelled("一、", "本年新收政府信息公开申请数量"), colspan=3),
            *_t3_values("new", t3["new"], rng, w, gold),
        ]
    )
    rows.append(
        [
            Cell(labelled("二、", "上年结转政府信息公开申请数量"), colspan=3),
            *_t3_values("carried_over", t3["carried_over"], rng, w, gold),
        ]
    )

    subtotals = generation == "2021" and rng.random() < 0.35 or generation == "2019" and rng.random() < 0.1
    outcome: list[list[Cell]] = []
    outcome.append(
        [
            Cell(labelled(paren(1, w), "予以公开"), colspan=2),
            *_t3_values("granted", t3["granted"], rng, w, gold),
        ]
    )
    # The trailing note is not part of the CATEGORY (annotations/GUIDELINES.md).
    note_text = (
        PARTIAL_NOTE
        if w.paren_full
        else PARTIAL_NOTE.replace("（", "(").replace("）", ")").replace("，", ",")
    )
    outcome.append(
        [
            Cell(labelled(paren(2, w), "部分公开", suffix=note_text), colspan=2),
            *_t3_values("partial", t3["partial"], rng, w, gold),
        ]
    )
    groups = [
        (3, "不予公开", "denied_total", V.DENIED_ROWS, DENIED_LABELS),
        (4, "无法提供", "unavailable_total", V.UNAVAILABLE_ROWS, UNAVAILABLE_LABELS),
        (5, "不予处理", "not_processed_total", V.NOT_PROCESSED_ROWS, NOT_PROCESSED_LABELS),
    ]
    if generation == "2021":
        groups.append((6, "其他处理", "other_total", V.OTHER_ROWS_2021, OTHER_LABELS_2021))
    for number, title, total_id, row_ids, labels in groups:
        if subtotals:
            sub = V.subtotal(t3, row_ids)
            outcome.append(
                [Cell(labelled(paren(number, w), title), colspan=2), *_t3_values(total_id, sub, rng, w, gold)]
            )
            for k, (row_id, label) in enumerate(zip(row_ids, labels, strict=True), start=1):
                outcome.append(
                    [Cell(labelled(f"{k}{w.dot}", label)), *_t3_values(row_id, t3[row_id], rng, w, gold)]
                )
                if k == 1:
                    outcome[-1].insert(0, Cell([], rowspan=len(row_ids)))
        else:
            for k, (row_id, label) in enumerate(zip(row_ids, labels, strict=True), start=1):
                row = [Cell(labelled(f"{k}{w.dot}", label)), *_t3_values(row_id, t3[row_id], rng, w, gold)]
                if k == 1:
                    row.insert(0, Cell(labelled(paren(number, w), title), rowspan=len(row_ids)))
                outcome.append(row)
    if generation != "2021":
        outcome.append(
            [
                Cell(labelled(paren(6, w), "其他处理"), colspan=2),
                *_t3_values("other", t3["other"], rng, w, gold),
            ]
        )
    outcome.append(
        [
            Cell(labelled(paren(7, w), "总计"), colspan=2),
            *_t3_values("processed_total", t3["processed_total"], rng, w, gold),
        ]
    )
    outcome[0].insert(0, Cell(labelled("三、", "本年度办理结果"), rowspan=len(outcome)))
    rows.extend(outcome)
    rows.append(
        [
            Cell(labelled("四、", "结转下年度继续办理"), colspan=3),
            *_t3_values("carried_forward", t3["carried_forward"], rng, w, gold),
        ]
    )
    return Table(rows, header_rows, "table3"), gold


# ---------------------------------------------------------------- table 4

REVIEW_COLS = ("upheld", "corrected", "other", "pending", "total")
REVIEW_LABELS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")


def table4(
    rng: random.Random, review: list[int], direct: list[int], after: list[int], w: Wording
) -> tuple[Table, Gold]:
    gold: Gold = {}
    rows = [
        [header("行政复议", w, "METRIC", colspan=5), header("行政诉讼", w, "METRIC", colspan=10)],
        [
            *(header(x, w, rowspan=2) for x in REVIEW_LABELS),
            header("未经复议直接起诉", w, colspan=5),
            header("复议后起诉", w, colspan=5),
        ],
        [header(x, w) for x in REVIEW_LABELS * 2],
    ]
    cells: list[Cell] = []
    for prefix, vals in (
        ("review", review),
        ("litigation.direct", direct),
        ("litigation.after_review", after),
    ):
        for col, v in zip(REVIEW_COLS, vals, strict=True):
            gold[f"{prefix}.{col}"] = v
            cells.append(value_cell(v, rng, w, f"{prefix}.{col}"))
    rows.append(cells)
    return Table(rows, 3, "table4"), gold


# ---------------------------------------------------------------- table 2


def _article(n: str, w: Wording, width: int) -> list[Cell]:
    text = f"第二十条第（{n}）项" if w.paren_full else f"第二十条第({n})项"
    return [Cell([Piece(text)], colspan=width)]


def _change_cell(v: int, rng: random.Random, w: Wording, field: str) -> Cell:
    if v == 0 and rng.random() < w.blank_zero:
        return Cell([])
    if v > 0 and rng.random() < 0.08:
        return Cell([Piece(str(v), "COUNT", field), Piece("(增加)" if not w.paren_full else "（增加）")])
    return Cell([Piece(str(v), "COUNT", field)])


def table2(rng: random.Random, generation: str, size: str, w: Wording) -> tuple[Table, Gold]:
    """Table 2 (第二十条第（一）（五）（六）（八）（九）项); 2021 has the revised columns."""
    gold: Gold = {}
    rows: list[list[Cell]] = []
    big = V.SIZES.index(size)
    info = Cell([Piece("信息内容")])
    rules = (
        [0, 0, 0]
        if big < 3 or rng.random() < 0.5
        else [rng.randint(0, 5), rng.randint(0, 5), rng.randint(5, 80)]
    )
    normative_made = V.log_uniform(rng, 0, [3, 8, 40, 120][big])
    normative = [
        normative_made,
        normative_made if rng.random() < 0.8 else max(0, normative_made - rng.randint(0, 2)),
        normative_made + V.log_uniform(rng, 0, [10, 40, 300, 900][big]),
    ]
    if generation == "2019":
        rows.append(_article("一", w, 4))
        made = w.made_label if w.made_label != "本年制发件数" else "本年新制作数量"
        published = "本年新" if made == "本年新" else "本年新公开数量"
        rows.append([info, header(made, w), header(published, w), header("对外公开总数量", w)])
        for name, key, vals in (("规章", "rules", rules), (w.normative, "normative", normative)):
            ids = [f"proactive.{key}.{col}" for col in ("made", "published", "in_force")]
            gold.update(zip(ids, vals, strict=True))
            cells = [value_cell(v, rng, w, f) for f, v in zip(ids, vals, strict=True)]
            rows.append([header(name, w, "METRIC"), *cells])
        items = (
            (
                "五",
                (
                    ("行政许可", "licensing", [50, 150, 400, 900]),
                    ("其他对外管理服务事项", "other_services", [10, 40, 100, 300]),
                ),
            ),
            (
                "六",
                (("行政处罚", "penalty", [50, 300, 900, 3000]), ("行政强制", "coercion", [5, 20, 60, 150])),
            ),
        )
        for article, subjects in items:
            rows.append(_article(article, w, 4))
            rows.append(
                [info, header("上一年项目数量", w), header("本年增/减", w), header("处理决定数量", w)]
            )
            for name, key, scale in subjects:
                prev = V.log_uniform(rng, 0, scale[big])
                change = rng.choice([0, 0, 0, rng.randint(-max(1, prev // 5), max(1, prev // 2))])
                decisions = V.log_uniform(rng, 0, scale[big] * 4)
                gold.update(
                    {
                        f"proactive.{key}.prev_items": prev,
                        f"proactive.{key}.change": change,
                        f"proactive.{key}.decisions": decisions,
                    }
                )
                rows.append(
                    [
                        header(name, w, "METRIC"),
                        value_cell(prev, rng, w, f"proactive.{key}.prev_items"),
                        _change_cell(change, rng, w, f"proactive.{key}.change"),
                        value_cell(decisions, rng, w, f"proactive.{key}.decisions"),
                    ]
                )
        rows.append(_article("八", w, 4))
        rows.append([info, header("上一年项目数量", w), header("本年增/减", w), Cell([])])
        prev = V.log_uniform(rng, 0, [5, 20, 80, 200][big])
        change = rng.choice([0, 0, -rng.randint(0, max(1, prev // 4))])
        gold.update({"proactive.fees.prev_items": prev, "proactive.fees.change": change})
        rows.append(
            [
                header("行政事业性收费", w, "METRIC"),
                value_cell(prev, rng, w, "proactive.fees.prev_items"),
                _change_cell(change, rng, w, "proactive.fees.change"),
                Cell([]),
            ]
        )
        rows.append(_article("九", w, 4))
        unit_in_header = rng.random() < 0.3
        rows.append(
            [
                info,
                header("采购项目数量", w),
                header("采购总金额", w)
                if not unit_in_header
                else Cell([Piece("采购总金额", "CATEGORY"), Piece("（万元）" if w.paren_full else "(万元)")]),
                Cell([]),
            ]
        )
        n_items = V.log_uniform(rng, 0, [60, 150, 400, 1500][big])
        amount_yuan = (
            0
            if n_items == 0
            else V.log_uniform(rng, 10_000, [2_000_000, 20_000_000, 300_000_000, 3_000_000_000][big])
        )
        gold["proactive.procurement.items"] = n_items
        if n_items == 0 and rng.random() < w.blank_zero:
            amount_cell = Cell([])
            gold["proactive.procurement.amount"] = 0
        elif unit_in_header:
            shown = round(amount_yuan / 10000, 2)
            amount_cell = Cell([Piece(format_decimal(shown), "COUNT", "proactive.procurement.amount")])
            gold["proactive.procurement.amount"] = clean_number(shown * 10000)
        else:
            text, value = format_money(amount_yuan, rng)
            amount_cell = Cell([Piece(text, "COUNT", "proactive.procurement.amount")])
            gold["proactive.procurement.amount"] = value
        rows.append(
            [
                header("政府集中采购", w, "METRIC"),
                value_cell(n_items, rng, w, "proactive.procurement.items"),
                amount_cell,
                Cell([]),
            ]
        )
    else:
        rows.append(_article("一", w, 4))
        made = "本年新制作数量" if w.made_label == "本年新制作数量" and rng.random() < 0.2 else "本年制发件数"
        rows.append([info, header(made, w), header("本年废止件数", w), header("现行有效件数", w)])
        for name, key, vals in (("规章", "rules", rules), (w.normative, "normative", normative)):
            repealed = 0 if rng.random() < 0.6 else rng.randint(0, max(1, vals[2] // 10))
            printed = [vals[0], repealed, vals[2]]
            for col, v in zip(("made", "repealed", "in_force"), printed, strict=True):
                gold[f"proactive.{key}.{col}"] = v
            rows.append(
                [
                    header(name, w, "METRIC"),
                    *(
                        value_cell(v, rng, w, f"proactive.{key}.{col}")
                        for col, v in zip(("made", "repealed", "in_force"), printed, strict=True)
                    ),
                ]
            )
        rows.append(_article("五", w, 4))
        rows.append([Cell([Piece("信息内容")], colspan=3), header("本年处理决定数量", w)])
        decisions = V.log_uniform(rng, 0, [200, 1500, 20000, 90000][big])
        gold["proactive.licensing.decisions"] = decisions
        rows.append(
            [
                Cell([Piece("行政许可", "METRIC")], colspan=3),
                value_cell(decisions, rng, w, "proactive.licensing.decisions"),
            ]
        )
        rows.append(_article("六", w, 4))
        rows.append([Cell([Piece("信息内容")], colspan=3), header("本年处理决定数量", w)])
        for name, key, scale in (
            ("行政处罚", "penalty", [50, 400, 5000, 30000]),
            ("行政强制", "coercion", [5, 30, 300, 2000]),
        ):
            v = V.log_uniform(rng, 0, scale[big])
            gold[f"proactive.{key}.decisions"] = v
            rows.append(
                [
                    Cell([Piece(name, "METRIC")], colspan=3),
                    value_cell(v, rng, w, f"proactive.{key}.decisions"),
                ]
            )
        rows.append(_article("八", w, 4))
        unit = "（单位：万元）" if w.paren_full else "(单位:万元)"
        rows.append(
            [Cell([Piece("信息内容")], colspan=3), Cell([Piece("本年收费金额", "CATEGORY"), Piece(unit)])]
        )
        wan = (
            0.0
            if rng.random() < 0.4
            else round(V.log_uniform(rng, 1, [50, 2000, 50000, 400000][big]) / 100, rng.choice([0, 1, 2, 2]))
        )
        gold["proactive.fees.amount"] = clean_number(wan * 10000)
        fee_cell = (
            value_cell(0, rng, w, "proactive.fees.amount")
            if wan == 0
            else Cell([Piece(format_decimal(wan), "COUNT", "proactive.fees.amount")])
        )
        rows.append([Cell([Piece("行政事业性收费", "METRIC")], colspan=3), fee_cell])
    return Table(rows, 0, "table2"), gold


# ---------------------------------------------------------------- old-template 附表 (pre2019)


@dataclass(frozen=True)
class OldRow:
    """One 指标 row of the old national statistics table."""

    prefix: str
    label: str
    unit: str
    field: str | None
    depth: int  # 0 = section heading (no value), 1 = indicator (METRIC), 2 = breakdown (CATEGORY)


OLD_ROWS: tuple[OldRow, ...] = (
    OldRow("一、", "主动公开情况", "", None, 0),
    OldRow("（一）", "主动公开政府信息数", "条", "proactive.total", 1),
    OldRow("其中：", "主动公开规范性文件数", "条", "proactive.normative_docs", 2),
    OldRow("（二）", "通过不同渠道和方式公开政府信息的情况", "", None, 0),
    OldRow("1.", "政府公报公开政府信息数", "条", "proactive.channel.gazette", 1),
    OldRow("2.", "政府网站公开政府信息数", "条", "proactive.channel.website", 1),
    OldRow("3.", "政务微博公开政府信息数", "条", "proactive.channel.weibo", 1),
    OldRow("4.", "政务微信公开政府信息数", "条", "proactive.channel.wechat", 1),
    OldRow("5.", "其他方式公开政府信息数", "条", "proactive.channel.other", 1),
    OldRow("二、", "回应解读情况", "", None, 0),
    OldRow("（一）", "回应公众关注热点或重大舆情数", "次", "responses.hot_topics", 1),
    OldRow("（二）", "通过不同渠道和方式回应解读的情况", "", None, 0),
    OldRow("1.", "参加或举办新闻发布会总次数", "次", "responses.press_conferences", 1),
    OldRow("其中：", "主要负责同志参加新闻发布会次数", "次", None, 2),
    OldRow("2.", "政府网站在线访谈次数", "次", "responses.online_interviews", 1),
    OldRow("其中：", "主要负责同志参加政府网站在线访谈次数", "次", None, 2),
    OldRow("3.", "政策解读稿件发布数", "篇", "responses.interpretations", 1),
    OldRow("4.", "微博微信回应事件数", "次", "responses.weibo_wechat", 1),
    OldRow("5.", "其他方式回应事件数", "次", "responses.other", 1),
    OldRow("三、", "依申请公开情况", "", None, 0),
    OldRow("（一）", "收到申请数", "件", "applications.new.total", 1),
    OldRow("1.", "当面申请数", "件", "applications.channel.in_person", 2),
    OldRow("2.", "传真申请数", "件", "applications.channel.fax", 2),
    OldRow("3.", "网络申请数", "件", "applications.channel.online", 2),
    OldRow("4.", "信函申请数", "件", "applications.channel.letter", 2),
    OldRow("（二）", "申请办结数", "件", "applications.answered.total", 1),
    OldRow("1.", "按时办结数", "件", "applications.answered.on_time", 2),
    OldRow("2.", "延期办结数", "件", "applications.answered.extended", 2),
    OldRow("（三）", "申请答复数", "件", "applications.answered.total", 1),
    OldRow("1.", "属于已主动公开范围数", "件", "applications.answered.already_public", 2),
    OldRow("2.", "同意公开答复数", "件", "applications.answered.granted", 2),
    OldRow("3.", "同意部分公开答复数", "件", "applications.answered.partial", 2),
    OldRow("4.", "不同意公开答复数", "件", "applications.answered.refused", 2),
    OldRow("其中：", "涉及国家秘密", "件", "applications.answered.refused_state_secret", 2),
    OldRow("", "涉及商业秘密", "件", "applications.answered.refused_commercial_secret", 2),
    OldRow("", "涉及个人隐私", "件", "applications.answered.refused_privacy", 2),
    OldRow(
        "",
        "危及国家安全、公共安全、经济安全和社会稳定",
        "件",
        "applications.answered.refused_security_stability",
        2,
    ),
    OldRow("", "不是《条例》所指政府信息", "件", "applications.answered.refused_not_gov_info", 2),
    OldRow("", "法律法规规定的其他情形", "件", "applications.answered.refused_other_law", 2),
    OldRow("5.", "不属于本行政机关公开数", "件", "applications.answered.not_this_agency", 2),
    OldRow("6.", "申请信息不存在数", "件", "applications.answered.nonexistent", 2),
    OldRow("7.", "告知作出更改补充数", "件", "applications.answered.correction", 2),
    OldRow("8.", "告知通过其他途径办理数", "件", "applications.answered.other_channel", 2),
    OldRow("四、", "行政复议数量", "件", "review.total", 1),
    OldRow("（一）", "维持具体行政行为数", "件", "review.upheld", 2),
    OldRow("（二）", "被依法纠错数", "件", "review.corrected", 2),
    OldRow("（三）", "其他情形数", "件", "review.other", 2),
    OldRow("五、", "行政诉讼数量", "件", "litigation.total", 1),
    OldRow("（一）", "维持具体行政行为或者驳回原告诉讼请求数", "件", "litigation.upheld", 2),
    OldRow("（二）", "被依法纠错数", "件", "litigation.corrected", 2),
    OldRow("（三）", "其他情形数", "件", "litigation.other", 2),
    OldRow("六、", "举报投诉数量", "件", "complaints.total", 1),
    OldRow("七、", "依申请公开信息收取的费用", "万元", "fees.collected", 1),
    OldRow("八、", "机构建设和保障经费情况", "", None, 0),
    OldRow("（一）", "政府信息公开工作专门机构数", "个", "staff.offices", 1),
    OldRow("（二）", "设置政府信息公开查阅点数", "个", "staff.reading_points", 1),
    OldRow("（三）", "从事政府信息公开工作人员数", "人", "staff.total", 1),
    OldRow("1.", "专职人员数（不包括政府公报及政府网站工作人员数）", "人", "staff.full_time", 2),
    OldRow("2.", "兼职人员数", "人", "staff.part_time", 2),
    OldRow(
        "（四）",
        "政府信息公开专项经费（不包括用于政府公报编辑管理及政府网站建设维护等方面的经费）",
        "万元",
        "funding.total",
        1,
    ),
    OldRow("九、", "政府信息公开会议和培训情况", "", None, 0),
    OldRow("（一）", "召开政府信息公开工作会议或专题会议数", "次", "meetings.total", 1),
    OldRow("（二）", "举办各类培训班数", "次", "training.sessions", 1),
    OldRow("（三）", "接受培训人员数", "人次", "training.participants", 1),
)

MONEY_FIELDS = ("fees.collected", "funding.total")
_TOP_PREFIXES = ("一、", "二、", "三、", "四、", "五、", "六、", "七、", "八、", "九、")


def _old_prefix(prefix: str, w: Wording) -> str:
    if not w.paren_full:
        prefix = prefix.replace("（", "(").replace("）", ")").replace("：", ":")
    if prefix[:1].isdigit():
        prefix = prefix.replace(".", w.dot)
    return prefix


def old_table(
    rng: random.Random, facts: dict[str, int | float], w: Wording, *, cumulative: bool
) -> tuple[Table, Gold]:
    """The old national 附表 (统计指标 / 单位 / 统计数, optionally 本年数 / 累计数)."""
    gold: Gold = {}
    head = [Cell([Piece(rng.choice(["统计指标", "指标", "指 标"]))]), Cell([Piece("单位")])]
    if cumulative:
        head += [header("本年数", w), header("累计数", w)]
    else:
        head.append(Cell([Piece(rng.choice(["统计数", "数量", "数 量"]))]))
    rows = [head]
    width = len(head)
    skipped = {k for k in range(1, 10) if rng.random() < 0.12}
    section = 0
    for row in OLD_ROWS:
        if row.prefix in _TOP_PREFIXES:
            section += 1
        if section in skipped:
            continue
        prefix = _old_prefix(row.prefix, w)
        if row.depth == 0:
            rows.append([Cell([Piece(prefix + row.label)], colspan=width)])
            continue
        label = "METRIC" if row.depth == 1 else "CATEGORY"
        pieces = [Piece(prefix)] if prefix else []
        if "（" in row.label and row.label.endswith("）"):
            core, rest = row.label.split("（", 1)
            pieces += [Piece(core, label), Piece("（" + rest)]
        else:
            pieces.append(Piece(row.label, label))
        value = facts.get(row.field, 0) if row.field else rng.choice([0, 0, rng.randint(0, 20)])
        if row.field in MONEY_FIELDS:
            wan = round(value / 10000, 2)
            text = format_decimal(wan) if value else "0"
            if row.field:
                gold[row.field] = clean_number(wan * 10000)
            blank = value == 0 and rng.random() < w.blank_zero
            cell = Cell([]) if blank else Cell([Piece(text, "COUNT", row.field or "")])
        else:
            if row.field:
                gold[row.field] = value
            cell = value_cell(int(value), rng, w, row.field or "")
        cells = [Cell(pieces), Cell([Piece(row.unit)]), cell]
        if cumulative:
            cum = (
                int(value) * rng.randint(2, 9) + rng.randint(0, 50) if not isinstance(value, float) else value
            )
            cells.append(
                Cell([Piece(str(cum), "COUNT", "")])
                if row.field not in MONEY_FIELDS
                else Cell([Piece(format_decimal(round(value / 10000 * 4, 2)), "COUNT", "")])
            )
        rows.append(cells)
    return Table(rows, 1, "old"), gold


def seed001_tables(
    rng: random.Random, facts: dict[str, int | float], w: Wording
) -> list[tuple[str, Table, Gold]]:
    """Seed 001's small 附表1–4: 指标 / 数量(条) pairs, one value per indicator."""
    out: list[tuple[str, Table, Gold]] = []
    specs = (
        (
            "主动公开情况统计表",
            "条",
            (
                ("", "主动公开信息数", "proactive.total", "METRIC"),
                ("", "政府网站公开政府信息数", "proactive.channel.website", "METRIC"),
                ("", "政府公报发布政府信息数", "proactive.channel.gazette", "METRIC"),
                ("", "政务微博公开政府信息数", "proactive.channel.weibo", "METRIC"),
                ("", "政务微信公开政府信息数", "proactive.channel.wechat", "METRIC"),
                ("", "其他方式公开政府信息数", "proactive.channel.other", "METRIC"),
            ),
        ),
        (
            "依申请公开情况统计表",
            "件",
            (
                ("", "申请总数", "applications.new.total", "METRIC"),
                ("其中：1.", "当面申请数", "applications.channel.in_person", "CATEGORY"),
                ("2.", "传真申请数", "applications.channel.fax", "CATEGORY"),
                ("3.", "网络申请数", "applications.channel.online", "CATEGORY"),
                ("4.", "信函申请数", "applications.channel.letter", "CATEGORY"),
                ("", "对申请答复总数", "applications.answered.total", "METRIC"),
                ("其中：1.", "属于已主动公开范围数", "applications.answered.already_public", "CATEGORY"),
                ("2.", "同意公开答复数", "applications.answered.granted", "CATEGORY"),
                ("3.", "同意部分公开答复数", "applications.answered.partial", "CATEGORY"),
                ("4.", "不同意公开答复数", "applications.answered.refused", "CATEGORY"),
                ("5.", "其他", "applications.answered.other", "CATEGORY"),
            ),
        ),
        ("咨询情况统计表", "人次", (("", "接受咨询数量", "consultations.total", "METRIC"),)),
        (
            "申诉情况统计表",
            "件",
            (("", "行政复议数", "review.total", "METRIC"), ("", "行政诉讼数", "litigation.total", "METRIC")),
        ),
    )
    for title, unit, items in specs:
        gold: Gold = {}
        head_label = rng.choice(["指 标", "指标"])
        rows = [
            [Cell([Piece(head_label)]), Cell([Piece(f"数量（{unit}）" if w.paren_full else f"数量({unit})")])]
        ]
        for prefix, label, field, kind in items:
            value = int(facts.get(field, 0))
            gold[field] = value
            rows.append(
                [
                    Cell(labelled(_old_prefix(prefix, w), label, kind)),
                    Cell([Piece(str(value), "COUNT", field)]),
                ]
            )
        out.append((title, Table(rows, 1, "old"), gold))
    return out
