"""The statistics tables of the three template generations, with their gold fields.

Each builder returns a `doc.Table` (cells made of labelled pieces: header cells CATEGORY or METRIC
without their numbering prefix, value cells COUNT) and the gold fields the printed table states
(blank cell → 0, spec convention 2). Wording variants are the ones real reports print.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from inference.catalogue import APPLICANT_COLUMNS
from inference.lexicon import ORDINALS
from training.synth import form as F
from training.synth import values as V
from training.synth import wording as W
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
    made_label: str = "made"  # "made" (2019 label), "truncated" (`本年新`), "made_2021" (2021 label)
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
        normative=rng.choice(W.variants("t2", "normative", generation if generation != "pre2019" else None)),
        other_label=rng.choice([_OTHER, _OTHER, f"{_OTHER}（{F.ORGANISATIONS}）"]),
        made_label=rng.choice(["made", "made", "truncated", "made_2021"]),
        spaced_headers=rng.random() < 0.2,
    )


_CN = ORDINALS
_OTHER = W.printed("t3col", "other_org")


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

PARTIAL_NOTE = F.PARTIAL_NOTE
TABLE3_NOTE = F.TABLE3_NOTE


def _t3_values(row: str, values: list[int], rng: random.Random, w: Wording, gold: Gold) -> list[Cell]:
    ids = [f"applications.{row}.{col}" for col in APPLICANT_COLUMNS]
    for field_id, v in zip(ids, values, strict=True):
        gold[field_id] = v
    return [value_cell(v, rng, w, f) for f, v in zip(ids, values, strict=True)]


def table3(
    rng: random.Random, generation: str, t3_values: dict[str, list[int]], w: Wording, *, full_header: bool
) -> tuple[Table, Gold]:
    """Table 3: applications by applicant type; optional subtotal rows for （三）–（六）."""
    gold: Gold = {}
    rows: list[list[Cell]] = []
    other = w.other_label
    t3 = t3_values
    note = [Piece(TABLE3_NOTE if w.paren_full else TABLE3_NOTE.replace("（", "(").replace("）", ")"))]
    if full_header:
        rows.append([Cell(note, rowspan=3, colspan=3), Cell([Piece(F.APPLICANTS)], colspan=7)])
        rows.append(
            [
                header(W.printed("t3col", "natural_person"), w, rowspan=2),
                header(F.ORGANISATIONS, w, colspan=5),
                header(W.printed("t3col", "total"), w, rowspan=2),
            ]
        )
        rows.append([header(x, w) for x in (*_ORG_COLUMNS(), other)])
        header_rows = 3
    else:
        other_full = f"{_OTHER}（{F.ORGANISATIONS}）" if rng.random() < 0.5 else other
        first = Cell(note if rng.random() < 0.5 else [], colspan=3)
        labels = (
            W.printed("t3col", "natural_person"),
            *_ORG_COLUMNS(),
            other_full,
            W.printed("t3col", "total"),
        )
        rows.append([first, *(header(x, w) for x in labels)])
        header_rows = 1
    rows.append(
        [
            Cell(labelled("一、", W.printed("t3", "new")), colspan=3),
            *_t3_values("new", t3["new"], rng, w, gold),
        ]
    )
    rows.append(
        [
            Cell(labelled("二、", W.printed("t3", "carried_over")), colspan=3),
            *_t3_values("carried_over", t3["carried_over"], rng, w, gold),
        ]
    )

    subtotals = generation == "2021" and rng.random() < 0.35 or generation == "2019" and rng.random() < 0.1
    outcome: list[list[Cell]] = []
    outcome.append(
        [
            Cell(labelled(paren(1, w), W.printed("t3", "granted")), colspan=2),
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
            Cell(labelled(paren(2, w), W.printed("t3", "partial"), suffix=note_text), colspan=2),
            *_t3_values("partial", t3["partial"], rng, w, gold),
        ]
    )
    groups = [
        (3, "denied_total", V.DENIED_ROWS),
        (4, "unavailable_total", V.UNAVAILABLE_ROWS),
        (5, "not_processed_total", V.NOT_PROCESSED_ROWS),
    ]
    if generation == "2021":
        groups.append((6, "other_total", V.OTHER_ROWS_2021))
    for number, total_id, row_ids in groups:
        title = W.printed("t3", total_id, generation)
        labels = [W.printed("t3", row_id, generation) for row_id in row_ids]
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
                Cell(labelled(paren(6, w), W.printed("t3", "other", generation)), colspan=2),
                *_t3_values("other", t3["other"], rng, w, gold),
            ]
        )
    outcome.append(
        [
            Cell(labelled(paren(7, w), W.printed("t3", "processed_total")), colspan=2),
            *_t3_values("processed_total", t3["processed_total"], rng, w, gold),
        ]
    )
    outcome[0].insert(0, Cell(labelled("三、", W.printed("t3", "results")), rowspan=len(outcome)))
    rows.extend(outcome)
    rows.append(
        [
            Cell(labelled("四、", W.printed("t3", "carried_forward")), colspan=3),
            *_t3_values("carried_forward", t3["carried_forward"], rng, w, gold),
        ]
    )
    return Table(rows, header_rows, "table3"), gold


# ---------------------------------------------------------------- table 4

REVIEW_COLS = ("upheld", "corrected", "other", "pending", "total")


def _ORG_COLUMNS() -> tuple[str, ...]:  # noqa: N802 -- reads like the constant it replaces
    return tuple(W.printed("t3col", c) for c in ("business", "research", "public_interest", "legal_service"))


def review_labels() -> tuple[str, ...]:
    """Table 4 column labels (结果维持 … 总计), from table_lexicon.tsv."""
    return tuple(W.printed("t4", c) for c in REVIEW_COLS)


def table4(
    rng: random.Random, review: list[int], direct: list[int], after: list[int], w: Wording
) -> tuple[Table, Gold]:
    gold: Gold = {}
    rows = [
        [
            header(W.printed("t4", "review"), w, "METRIC", colspan=5),
            header(W.printed("t4", "litigation"), w, "METRIC", colspan=10),
        ],
        [
            *(header(x, w, rowspan=2) for x in review_labels()),
            header(W.printed("t4", "direct"), w, colspan=5),
            header(W.printed("t4", "after_review"), w, colspan=5),
        ],
        [header(x, w) for x in review_labels() * 2],
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
    info = Cell([Piece(F.INFO_CONTENT)])
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
        made = W.printed("t2col", "made", "2019")
        published = W.printed("t2col", "published", "2019")
        if w.made_label == "truncated":  # seed 004 prints both headers cut short: `本年新`
            made = published = made[:3]
        rows.append(
            [info, header(made, w), header(published, w), header(W.printed("t2col", "in_force", "2019"), w)]
        )
        for name, key, vals in (
            (W.printed("t2", "rules"), "rules", rules),
            (w.normative, "normative", normative),
        ):
            ids = [f"proactive.{key}.{col}" for col in ("made", "published", "in_force")]
            gold.update(zip(ids, vals, strict=True))
            cells = [value_cell(v, rng, w, f) for f, v in zip(ids, vals, strict=True)]
            rows.append([header(name, w, "METRIC"), *cells])
        items = (
            (
                "五",
                (
                    (W.printed("t2", "licensing"), "licensing", [50, 150, 400, 900]),
                    (W.printed("t2", "other_services"), "other_services", [10, 40, 100, 300]),
                ),
            ),
            (
                "六",
                (
                    (W.printed("t2", "penalty"), "penalty", [50, 300, 900, 3000]),
                    (W.printed("t2", "coercion"), "coercion", [5, 20, 60, 150]),
                ),
            ),
        )
        for article, subjects in items:
            rows.append(_article(article, w, 4))
            rows.append(
                [
                    info,
                    *(
                        header(W.printed("t2col", c, "2019"), w)
                        for c in ("prev_items", "change", "decisions")
                    ),
                ]
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
        rows.append(
            [info, *(header(W.printed("t2col", c, "2019"), w) for c in ("prev_items", "change")), Cell([])]
        )
        prev = V.log_uniform(rng, 0, [5, 20, 80, 200][big])
        change = rng.choice([0, 0, -rng.randint(0, max(1, prev // 4))])
        gold.update({"proactive.fees.prev_items": prev, "proactive.fees.change": change})
        rows.append(
            [
                header(W.printed("t2", "fees"), w, "METRIC"),
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
                header(W.printed("t2col", "items", "2019"), w),
                header(W.printed("t2col", "amount", "2019"), w)
                if not unit_in_header
                else Cell(
                    [
                        Piece(W.printed("t2col", "amount", "2019"), "CATEGORY"),
                        Piece("（万元）" if w.paren_full else "(万元)"),
                    ]
                ),
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
                header(W.printed("t2", "procurement"), w, "METRIC"),
                value_cell(n_items, rng, w, "proactive.procurement.items"),
                amount_cell,
                Cell([]),
            ]
        )
    else:
        rows.append(_article("一", w, 4))
        made = W.printed("t2col", "made", "2019" if w.made_label == "made" and rng.random() < 0.2 else "2021")
        rows.append(
            [
                info,
                header(made, w),
                *(header(W.printed("t2col", c, "2021"), w) for c in ("repealed", "in_force")),
            ]
        )
        for name, key, vals in (
            (W.printed("t2", "rules"), "rules", rules),
            (w.normative, "normative", normative),
        ):
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
        rows.append(
            [Cell([Piece(F.INFO_CONTENT)], colspan=3), header(W.printed("t2col", "decisions", "2021"), w)]
        )
        decisions = V.log_uniform(rng, 0, [200, 1500, 20000, 90000][big])
        gold["proactive.licensing.decisions"] = decisions
        rows.append(
            [
                Cell([Piece(W.printed("t2", "licensing"), "METRIC")], colspan=3),
                value_cell(decisions, rng, w, "proactive.licensing.decisions"),
            ]
        )
        rows.append(_article("六", w, 4))
        rows.append(
            [Cell([Piece(F.INFO_CONTENT)], colspan=3), header(W.printed("t2col", "decisions", "2021"), w)]
        )
        for name, key, scale in (
            (W.printed("t2", "penalty"), "penalty", [50, 400, 5000, 30000]),
            (W.printed("t2", "coercion"), "coercion", [5, 30, 300, 2000]),
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
            [
                Cell([Piece(F.INFO_CONTENT)], colspan=3),
                Cell([Piece(W.printed("t2col", "amount", "2021"), "CATEGORY"), Piece(unit)]),
            ]
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
        rows.append([Cell([Piece(W.printed("t2", "fees"), "METRIC")], colspan=3), fee_cell])
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


H = F.OLD_HEADINGS
# Labels: "" = drawn from the row's variants in table_lexicon.tsv; a given label must be one of them.
OLD_ROWS: tuple[OldRow, ...] = (
    OldRow("一、", H["proactive"], "", None, 0),
    OldRow("（一）", "", "条", "proactive.total", 1),
    OldRow("其中：", "主动公开规范性文件数", "条", "proactive.normative_docs", 2),
    OldRow("（二）", H["proactive_channels"], "", None, 0),
    OldRow("1.", "", "条", "proactive.channel.gazette", 1),
    OldRow("2.", "", "条", "proactive.channel.website", 1),
    OldRow("3.", "", "条", "proactive.channel.weibo", 1),
    OldRow("4.", "", "条", "proactive.channel.wechat", 1),
    OldRow("5.", "", "条", "proactive.channel.other", 1),
    OldRow("二、", H["responses"], "", None, 0),
    OldRow("（一）", "", "次", "responses.hot_topics", 1),
    OldRow("（二）", H["responses_channels"], "", None, 0),
    OldRow("1.", "", "次", "responses.press_conferences", 1),
    OldRow("其中：", F.OLD_UNFIELDED["press_leaders"], "次", None, 2),
    OldRow("2.", "", "次", "responses.online_interviews", 1),
    OldRow("其中：", F.OLD_UNFIELDED["interview_leaders"], "次", None, 2),
    OldRow("3.", "", "篇", "responses.interpretations", 1),
    OldRow("4.", "", "次", "responses.weibo_wechat", 1),
    OldRow("5.", "", "次", "responses.other", 1),
    OldRow("三、", H["applications"], "", None, 0),
    OldRow("（一）", "", "件", "applications.new.total", 1),
    OldRow("1.", "", "件", "applications.channel.in_person", 2),
    OldRow("2.", "", "件", "applications.channel.fax", 2),
    OldRow("3.", "", "件", "applications.channel.online", 2),
    OldRow("4.", "", "件", "applications.channel.letter", 2),
    OldRow("（二）", "申请办结数", "件", "applications.answered.total", 1),
    OldRow("1.", "", "件", "applications.answered.on_time", 2),
    OldRow("2.", "", "件", "applications.answered.extended", 2),
    OldRow("（三）", "申请答复数", "件", "applications.answered.total", 1),
    OldRow("1.", "", "件", "applications.answered.already_public", 2),
    OldRow("2.", "", "件", "applications.answered.granted", 2),
    OldRow("3.", "", "件", "applications.answered.partial", 2),
    OldRow("4.", "不同意公开答复数", "件", "applications.answered.refused", 2),
    OldRow("其中：", "", "件", "applications.answered.refused_state_secret", 2),
    OldRow("", "", "件", "applications.answered.refused_commercial_secret", 2),
    OldRow("", "", "件", "applications.answered.refused_privacy", 2),
    OldRow("", "", "件", "applications.answered.refused_security_stability", 2),
    OldRow("", "不是《条例》所指政府信息", "件", "applications.answered.refused_not_gov_info", 2),
    OldRow("", "", "件", "applications.answered.refused_other_law", 2),
    OldRow("5.", "", "件", "applications.answered.not_this_agency", 2),
    OldRow("6.", "", "件", "applications.answered.nonexistent", 2),
    OldRow("7.", "", "件", "applications.answered.correction", 2),
    OldRow("8.", "", "件", "applications.answered.other_channel", 2),
    OldRow("四、", "", "件", "review.total", 1),
    OldRow("（一）", "", "件", "review.upheld", 2),
    OldRow("（二）", "", "件", "review.corrected", 2),
    OldRow("（三）", "", "件", "review.other", 2),
    OldRow("五、", "", "件", "litigation.total", 1),
    OldRow("（一）", "", "件", "litigation.upheld", 2),
    OldRow("（二）", "", "件", "litigation.corrected", 2),
    OldRow("（三）", "", "件", "litigation.other", 2),
    OldRow("六、", "", "件", "complaints.total", 1),
    OldRow("七、", "", "万元", "fees.collected", 1),
    OldRow("八、", H["staff"], "", None, 0),
    OldRow("（一）", "", "个", "staff.offices", 1),
    OldRow("（二）", "", "个", "staff.reading_points", 1),
    OldRow("（三）", "", "人", "staff.total", 1),
    OldRow("1.", "", "人", "staff.full_time", 2),
    OldRow("2.", "", "人", "staff.part_time", 2),
    OldRow("（四）", "", "万元", "funding.total", 1),
    OldRow("九、", H["meetings"], "", None, 0),
    OldRow("（一）", "", "次", "meetings.total", 1),
    OldRow("（二）", "", "次", "training.sessions", 1),
    OldRow("（三）", "", "人次", "training.participants", 1),
)
for _row in OLD_ROWS:
    if _row.field and _row.label and _row.label not in W.variants("old", _row.field):
        raise ValueError(f"{_row.label!r} is not a table_lexicon.tsv label of {_row.field}")


def old_row_label(row: OldRow, rng: random.Random) -> str:
    """The printed label of an old-table row: given, or one of its lexicon variants."""
    if row.label or not row.field:
        return row.label
    # Mostly the form's own label; sometimes another wording real 附表 print (table_lexicon.tsv).
    if rng.random() < 0.7:
        return W.printed("old", row.field)
    return W.any_variant(rng, "old", row.field)


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
        text = old_row_label(row, rng)
        if text.startswith("其中"):
            prefix = ""
        pieces = [Piece(prefix)] if prefix else []
        pieces.append(Piece(text, label))
        note = F.OLD_NOTES.get(row.field or "")
        if note and rng.random() < 0.7:
            pieces.append(Piece(note if w.paren_full else note.replace("（", "(").replace("）", ")")))
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
            "表一 主动公开",
            "条",
            (
                ("", "", "proactive.total", "METRIC"),
                ("", "", "proactive.channel.website", "METRIC"),
                ("", "", "proactive.channel.gazette", "METRIC"),
                ("", "", "proactive.channel.weibo", "METRIC"),
                ("", "", "proactive.channel.wechat", "METRIC"),
                ("", "", "proactive.channel.other", "METRIC"),
            ),
        ),
        (
            "表二 依申请公开",
            "件",
            (
                ("", "", "applications.new.total", "METRIC"),
                ("其中：1.", "", "applications.channel.in_person", "CATEGORY"),
                ("2.", "", "applications.channel.fax", "CATEGORY"),
                ("3.", "", "applications.channel.online", "CATEGORY"),
                ("4.", "", "applications.channel.letter", "CATEGORY"),
                ("", "", "applications.answered.total", "METRIC"),
                ("其中：1.", "", "applications.answered.already_public", "CATEGORY"),
                ("2.", "", "applications.answered.granted", "CATEGORY"),
                ("3.", "", "applications.answered.partial", "CATEGORY"),
                ("4.", "", "applications.answered.refused", "CATEGORY"),
                ("5.", "", "applications.answered.other", "CATEGORY"),
            ),
        ),
        ("表三 接受咨询", "人次", (("", "", "consultations.total", "METRIC"),)),
        (
            "表四 复议与诉讼",
            "件",
            (("", "", "review.total", "METRIC"), ("", "", "litigation.total", "METRIC")),
        ),
    )
    for title, unit, items in specs:
        gold: Gold = {}
        head_label = rng.choice(["指 标", "指标"])
        rows = [
            [Cell([Piece(head_label)]), Cell([Piece(f"数量（{unit}）" if w.paren_full else f"数量({unit})")])]
        ]
        for prefix, given, field, kind in items:
            label = given or (
                W.printed("old", field) if rng.random() < 0.7 else W.any_variant(rng, "old", field)
            )
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
