"""Generate whole synthetic reports (text or HTML, spans, gold fields) and write corpora of them.

`generate_report(seed)` is a pure function of its arguments: one `random.Random(seed)` drives every
choice, nothing iterates over sets or reads global state, so the same seed gives the same report.
"""

from __future__ import annotations

import json
import logging
import random
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from inference.catalogue import ANSWERED_PARTS, combine_ids
from inference.lexicon import ORDINALS
from training.synth import boilerplate as B
from training.synth import form as F
from training.synth import prose as P
from training.synth import tables as T
from training.synth import values as V
from training.synth import wording as W
from training.synth.doc import (
    Block,
    Paragraph,
    Piece,
    Table,
    check_spans,
    map_pieces,
    pieces_to_text_and_spans,
)
from training.synth.layouts import LAYOUTS, blocks_to_html, blocks_to_pieces, choose_style, realign_spans
from training.synth.numbers import date_to_hanzi
from training.synth.scripts import SCRIPTS, ascii_punctuation, convert_blocks, fullwidth_digits

logger = logging.getLogger(__name__)

GENERATIONS: tuple[str, ...] = ("pre2019", "2019", "2021")
COMBINATIONS: tuple[tuple[str, str, str], ...] = tuple(
    (g, layout, s) for g in GENERATIONS for layout in LAYOUTS for s in SCRIPTS
)
SEED_STRIDE = 1_000_003

_YEARS = {"pre2019": (2009, 2018), "2019": (2019, 2020), "2021": (2021, 2024)}
_CN_SECTION = ORDINALS


# ---------------------------------------------------------------- facts


def sample_facts(rng: random.Random, agency: V.Agency) -> dict[str, int | float]:
    """This year's statistics for prose and the old 附表 (field id → value)."""
    size = agency.size
    facts: dict[str, int | float] = {}
    for field_id in V._RANGES:
        facts[field_id] = V.sample_fact(rng, field_id, size)
    total = int(facts["proactive.total"])
    facts["proactive.channel.website"] = int(total * rng.uniform(0.4, 1.0))
    facts["proactive.channel.gazette"] = (
        0 if agency.level != "government" else V.log_uniform(rng, 0, max(1, total // 50))
    )
    facts["proactive.channel.weibo"] = V.log_uniform(rng, 0, max(1, total // 2))
    facts["proactive.channel.wechat"] = V.log_uniform(rng, 0, max(1, total // 2))
    facts["proactive.channel.other"] = V.log_uniform(rng, 0, max(1, total // 4))
    facts["proactive.normative_docs"] = V.log_uniform(rng, 0, max(1, total // 100))
    facts["responses.weibo_wechat"] = V.log_uniform(rng, 0, 50)
    facts["responses.other"] = V.log_uniform(rng, 0, 30)
    new = int(facts["applications.new.total"])
    channels = V.split_total(rng, new, [45, 3, 35, 6, 10], zero_rate=0.3)
    for name, v in zip(("in_person", "fax", "online", "email", "letter"), channels, strict=True):
        facts[f"applications.channel.{name}"] = v
    answered = new if rng.random() < 0.8 else max(0, new - rng.randint(0, max(1, new // 10)))
    facts["applications.answered.total"] = answered
    extended = 0 if rng.random() < 0.7 else rng.randint(0, max(0, answered // 10))
    facts["applications.answered.extended"] = extended
    facts["applications.answered.on_time"] = answered - extended
    kinds = tuple(k for k in ANSWERED_PARTS if k != "other")
    for name, v in zip(
        kinds, V.split_total(rng, answered, [20, 35, 10, 8, 10, 10, 3, 4], zero_rate=0.25), strict=True
    ):
        facts[f"applications.answered.{name}"] = v
    facts["applications.answered.other"] = 0
    refused = int(facts["applications.answered.refused"])
    reasons = (
        "state_secret",
        "commercial_secret",
        "privacy",
        "security_stability",
        "not_gov_info",
        "other_law",
    )
    for name, v in zip(reasons, V.split_total(rng, refused, [1, 2, 3, 1, 4, 2], zero_rate=0.4), strict=True):
        facts[f"applications.answered.refused_{name}"] = v
    for prefix, total_id in (("review", "review.total"), ("litigation", "litigation.total")):
        parts = V.split_total(rng, int(facts[total_id]), [6, 1.5, 1], zero_rate=0.3)
        for name, v in zip(("upheld", "corrected", "other"), parts, strict=True):
            facts[f"{prefix}.{name}"] = v
    staff = int(facts["staff.total"])
    full = min(staff, V.log_uniform(rng, 0, max(1, staff // 2)))
    facts["staff.full_time"] = full
    facts["staff.part_time"] = staff - full
    facts["funding.total"] = (
        0 if rng.random() < 0.3 else V.log_uniform(rng, 5, [30, 200, 800, 3000][V.SIZES.index(size)]) * 1000
    )
    facts["fees.collected"] = 0 if rng.random() < 0.85 else V.log_uniform(rng, 10, 2000)
    return facts


_HOSTS = ("qy", "hx", "dn", "bq", "xzq", "jlx", "tms")
_MAILBOXES = ("xxgk", "zwgk", "gkb", "zfxxgk")
_MAIL_HOSTS = ("163.com", "126.com", "qq.com")
_STREETS = ("正阳中路", "惠民路", "人民路", "建设大街", "府前路")


def make_variables(
    rng: random.Random, agency: V.Agency, year: int, facts: dict[str, int | float] | None = None
) -> dict[str, str]:
    """Plain (never labelled) text: dates, document numbers, contacts, plans, other years."""
    scale = int(facts.get("applications.new.total", 0)) if facts else 0
    prev_n = max(1, int(scale * rng.uniform(0.5, 1.6))) if scale else rng.randint(1, 30)
    other_year = ""
    if rng.random() < 0.35:
        other_year = P.pick(rng, P.OTHER_YEAR).format(
            prev_year=year - 1,
            prev_n=prev_n,
            trend="有所下降" if prev_n > scale else "有所增加" if prev_n < scale else "基本持平",
            trend_word="下降" if prev_n > scale else "增长",
            pct=rng.randint(2, 60),
        )
    unit_word = agency.self_ref[1:] if agency.self_ref.startswith(("我", "本")) else agency.self_ref
    area = rng.randint(100, 999)
    return {
        "year": str(year),
        "next_year": str(year + 1),
        "prev_year": str(year - 1),
        "self_ref": agency.self_ref,
        "place": agency.place,
        "issuer": agency.issuer,
        "unit_word": unit_word,
        "other_year": other_year,
        "doc_no": f"{agency.place[:1]}政办发〔{year}〕{rng.randint(1, 150)}号",
        "phone": f"0{rng.randint(10, 999)}-{rng.randint(2000000, 89999999)}",
        "postcode": f"{rng.randint(10, 85)}{rng.randint(0, 9999):04d}",
        "url": f"www.{rng.choice(_HOSTS)}{rng.choice(['', 'gov', 'zw'])}.gov.cn",
        "email": f"{rng.choice(_MAILBOXES)}{rng.randint(1, 999)}@{rng.choice(_MAIL_HOSTS)}",
        "address": f"{agency.place}{rng.choice(_STREETS)}{rng.randint(1, 300)}号",
        "office": f"{agency.issuer}办公室",
        "area": str(area),
        "t_a": str(rng.randint(5, 300)),
        "t_b": str(rng.randint(5, 400)),
        "t_c": str(rng.randint(2, 40)),
        "t_d": str(rng.randint(2, 60)),
        "t_e": str(rng.randint(2, 60)),
        "t_f": str(rng.randint(2, 12)),
        "t_g": str(rng.randint(1, 9)),
        "t_h": str(rng.randint(5, 900)),
        "t_k": str(rng.randint(300, 30000)),
        "plan_a": str(rng.randint(2, 12)),
        "spaced_numbers": "1" if rng.random() < 0.12 else "",
        "plan_b": str(rng.randint(10, 500) * 100),
        "plan_c": str(rng.randint(50, 900)),
    }


# ---------------------------------------------------------------- blocks


def _para(ctx: P.Context, template: str) -> Paragraph:
    return Paragraph(P.render(template, ctx))


def _heading(text: str) -> Paragraph:
    return Paragraph([Piece(text)], heading=True)


def _boilerplate(ctx: P.Context, k: int) -> list[Paragraph]:
    """`k` statistic-free paragraphs of one to three pool items, never repeating an item in a report."""
    if not ctx.pool:
        everything = P.BOILERPLATE_GENERAL + B.all_paragraphs()
        ctx.pool = [everything[i] for i in ctx.rng.sample(range(len(everything)), len(everything))]
    out = []
    for _ in range(k):
        if not ctx.pool:
            break
        n = ctx.rng.choice([1, 1, 2, 2, 3])
        items = [ctx.pool.pop() for _ in range(min(n, len(ctx.pool)))]
        if ctx.rng.random() < 0.3:
            tally = P.pick(ctx.rng, P.TALLIES)
            if tally not in ctx.used_tallies:
                ctx.used_tallies.append(tally)
                items.insert(ctx.rng.randrange(len(items) + 1), tally)
        out.append(_para(ctx, "".join(items)))
    return out


def _numbered(ctx: P.Context, items: tuple[str, ...], w: T.Wording, k: int) -> list[Paragraph]:
    """A numbered list of items in their original order (`1.推进决策公开。…`)."""
    chosen = sorted(ctx.rng.sample(range(len(items)), min(k, len(items))))
    return [_para(ctx, f"{n}{w.dot}{items[i]}") for n, i in enumerate(chosen, start=1)]


def _intro(ctx: P.Context, generation: str) -> Paragraph:
    rng = ctx.rng
    basis = f"《{F.REGULATION}》" if generation == "pre2019" else f"《{F.REGULATION}》和《{F.REPORT_FORMAT}》"
    text = P.pick(
        rng,
        [
            f"按照{basis}的规定，{{self_ref}}编写了本年度报告。",
            f"依据{basis}，现将{{self_ref}}{{year}}年度的公开工作情况报告如下。",
            f"本年度报告依照{basis}的要求起草。",
        ],
    )
    text += P.pick(
        rng,
        [
            "文中数据统计的是{year}年度（自1月初至12月底）的情况。",
            "报告所用数据截止到{year}年12月31日，起点为当年1月1日。",
        ],
    )
    if rng.random() < 0.7:
        text += P.pick(
            rng,
            [
                "报告全文可在{place}门户网站（{url}）查阅和下载；对报告内容有疑问的，可联系{office}"
                "（地址：{address}；邮编：{postcode}；电话：{phone}；邮箱：{email}）。",
                "需要本报告电子文本的，请登录{place}门户网站（{url}）；意见和疑问请反馈至{office}，"
                "电话{phone}，邮箱{email}，通信地址{address}（邮编{postcode}）。",
            ],
        )
    return _para(ctx, text)


def _title(ctx: P.Context, agency: V.Agency, year: int, pub: tuple[int, int, int]) -> list[Paragraph]:
    rng = ctx.rng
    out = [
        _heading(
            rng.choice(
                [
                    f"{agency.issuer}{year}年政府信息公开工作年度报告",
                    f"{agency.issuer}",
                    f"{year}年{agency.issuer}政府信息公开工作年度报告",
                ]
            )
        )
    ]
    if out[0].pieces[0].text == agency.issuer:
        out.append(_heading(f"{year}年政府信息公开工作年度报告"))
    if rng.random() < 0.5:
        out.append(
            _heading(
                f"来源：{agency.issuer}办公室  发布日期：{pub[0]}-{pub[1]:02d}-{pub[2]:02d}  "
                f"点击率：{rng.randint(20, 9000)}"
            )
        )
    return out


def _signature(ctx: P.Context, agency: V.Agency, pub: tuple[int, int, int]) -> list[Paragraph]:
    date = date_to_hanzi(*pub) if ctx.rng.random() < 0.4 else f"{pub[0]}年{pub[1]}月{pub[2]}日"
    return [_heading(agency.issuer), _heading(date)]


def _sentences(ctx: P.Context, templates: list[str]) -> list[Paragraph]:
    if not templates:
        return []
    if ctx.rng.random() < 0.5:
        return [_para(ctx, "".join(templates))]
    return [_para(ctx, t) for t in templates]


def _channel_parts(
    rng: random.Random, facts: dict[str, int | float], *, table_printed: bool
) -> list[tuple[str, tuple[str, str]]]:
    """Channels as prose names them; combined categories get combined ids (`fax+letter`)."""
    # Category words from prose_lexicon.tsv, in this generator's frames (`{word}申请`, `{word}提交申请的`).
    frames = (("{}申请", ""), ("{}申请", ""), ("{}提交申请", "的"), ("{}方式提出申请", "的"))

    def name(channel: str) -> tuple[str, str]:
        words = W.category_words(f"applications.channel.{channel}")[:3]
        frame, suffix = frames[rng.randrange(len(frames))]
        return frame.format(words[rng.randrange(len(words))]), suffix

    def combo(members: tuple[str, str]) -> tuple[str, str]:
        first, second = (W.category_words(f"applications.channel.{m}")[0] for m in members)
        return f"{first}{rng.choice(['及', '、', '和'])}{second}", "申请"

    combos = [("fax", "letter"), ("online", "email")]
    used: list[str] = []
    parts: list[tuple[str, tuple[str, str]]] = []
    if not table_printed:
        for members in combos:
            if rng.random() < 0.4:
                ids = [f"applications.channel.{m}" for m in members]
                fid = combine_ids(ids)
                facts[fid] = sum(int(facts[i]) for i in ids)
                parts.append((fid, combo(members)))
                used.extend(members)
    for channel in ("in_person", "online", "email", "letter", "fax"):
        if channel in used or (table_printed and channel == "email"):
            continue
        fid = f"applications.channel.{channel}"
        if facts.get(fid, 0) or rng.random() < 0.3:
            parts.append((fid, name(channel)))
    order = ["in_person", "fax", "online", "email", "letter"]
    parts.sort(key=lambda p: order.index(p[0].rsplit(".", 1)[1].split("+")[0]))
    return parts


_ANSWER_FIELDS = (
    "applications.answered.already_public",
    "applications.answered.granted",
    "applications.answered.partial",
    "applications.answered.refused",
    "applications.answered.not_this_agency",
    "applications.answered.nonexistent",
    "applications.answered.correction",
    "applications.answered.other_channel",
)


def _table_facts(rng: random.Random, facts: dict[str, int | float]) -> dict[str, int | float]:
    """The 附表's values: the prose's, except that about one report in ten disagrees on one of them."""
    table = dict(facts)
    if rng.random() < 0.1:
        field_id = rng.choice(["proactive.total", "applications.new.total", "staff.total", "review.total"])
        table[field_id] = max(0, int(table.get(field_id, 0)) + rng.choice([-3, -1, 1, 2, 10]))
    return table


def build_pre2019(
    ctx: P.Context, agency: V.Agency, w: T.Wording, layout: str
) -> tuple[list[Block], dict, dict]:
    rng = ctx.rng
    facts = ctx.facts
    table_kind = "none"
    if rng.random() < (0.9 if layout not in ("collapsed", "runs") else 0.7):
        table_kind = rng.choice(["old", "old", "old_cumulative", "seed001"])
    # Small agencies print what they have: drop some prose facts.
    for fid in (
        "proactive.channel.gazette",
        "proactive.channel.weibo",
        "proactive.channel.wechat",
        "responses.hot_topics",
        "staff.reading_points",
        "meetings.total",
        "complaints.total",
        "consultations.total",
    ):
        if rng.random() < 0.35:
            facts.pop(fid, None)
    sections: list[tuple[str, list[Paragraph]]] = []
    overview = _boilerplate(ctx, rng.randint(3, 8)) + _sentences(ctx, P.proactive_sentences(ctx)[:1])
    if rng.random() < 0.6:
        overview.append(_heading(f"{T.paren(1, w)}把“五公开”落到实处。"))
        overview.extend(_numbered(ctx, B.FIVE_OPEN_ITEMS, w, rng.randint(3, 6)))
        overview.append(_heading(f"{T.paren(2, w)}用好平台，拓宽渠道。"))
        overview.extend(_boilerplate(ctx, rng.randint(2, 4)))
    sections.append((rng.choice(["概述", "概述", "基本情况", "总体情况"]), overview))
    sections.append(
        (
            rng.choice([*F.OLD_SECTIONS["proactive"], "主动公开情况"]),
            _sentences(ctx, P.proactive_sentences(ctx)) + _boilerplate(ctx, rng.randint(2, 7)),
        )
    )
    channels = _channel_parts(rng, facts, table_printed=table_kind != "none") if rng.random() < 0.8 else []
    answered = (
        [(fid, W.prose_category(fid)) for fid in _ANSWER_FIELDS if facts.get(fid, 0) or rng.random() < 0.2]
        if rng.random() < 0.7
        else []
    )
    sections.append(
        (
            rng.choice([*F.OLD_SECTIONS["applications"], "依申请公开情况"]),
            _sentences(ctx, P.application_sentences_old(ctx, channels, answered))
            + _boilerplate(ctx, rng.randint(1, 4)),
        )
    )
    fee_title = rng.choice([*F.OLD_SECTIONS["fees"], "收费和减免"])
    sections.append((fee_title, _sentences(ctx, P.fee_sentences(ctx))))
    sections.append(
        (
            rng.choice(
                [
                    *F.OLD_SECTIONS["review"],
                    "复议与诉讼",
                    "复议、诉讼与投诉",
                ]
            ),
            _sentences(ctx, P.review_sentences(ctx)),
        )
    )
    staff = P.staff_sentences(ctx)
    if staff:
        sections.append(
            (
                rng.choice([*F.OLD_SECTIONS["other"], "机构、人员和经费", "人员和经费情况"]),
                _sentences(ctx, staff),
            )
        )
    closing = [
        _para(ctx, rng.choice(P.PROBLEMS)),
        _para(ctx, rng.choice(P.IMPROVEMENTS) + rng.choice(P.PLANS)),
    ]
    sections.append((rng.choice([*F.OLD_SECTIONS["problems"], "问题与下一步打算"]), closing))
    blocks: list[Block] = []
    for k, (title, paras) in enumerate(sections):
        blocks.append(_heading(f"{_CN_SECTION[k]}、{title}"))
        blocks.extend(paras)
    table_gold: dict = {}
    if table_kind in ("old", "old_cumulative"):
        blocks.append(_heading(f"{_CN_SECTION[len(sections)]}、附表"))
        blocks.append(
            _heading(
                rng.choice(
                    [
                        f"{agency.issuer}{ctx.variables['year']}年{F.STATISTICS_TABLE}",
                        F.STATISTICS_TABLE,
                    ]
                )
            )
        )
        table, table_gold = T.old_table(
            rng, _table_facts(rng, facts), w, cumulative=table_kind == "old_cumulative"
        )
        blocks.append(table)
    elif table_kind == "seed001":
        blocks.append(_heading(f"{_CN_SECTION[len(sections)]}、说明与附表"))
        for k, (title, table, gold) in enumerate(T.seed001_tables(rng, _table_facts(rng, facts), w), start=1):
            blocks.extend([_heading(f"附表{k}"), _heading(title), table])
            table_gold.update(gold)
    return blocks, table_gold, {}


def build_national(
    ctx: P.Context, agency: V.Agency, w: T.Wording, generation: str, layout: str
) -> tuple[list[Block], dict, dict]:
    """2019 and 2021 national format: 总体情况 prose and tables 2–4."""
    rng = ctx.rng
    facts = ctx.facts
    t3 = V.sample_table3(rng, int(facts["applications.new.total"]), generation)
    broken = ""
    if rng.random() < 0.15:
        broken = V.break_identities(rng, t3)
    ctx.variables["broken"] = broken
    review = V.sample_review(rng, int(facts["review.total"]))
    lit_total = int(facts["litigation.total"])
    direct_total = V.split_total(rng, lit_total, [3, 2])[0]
    direct = V.sample_review(rng, direct_total)
    after = V.sample_review(rng, lit_total - direct_total)
    if rng.random() < 0.05:
        review[-1] += 1
        broken = broken or "table4"
    for fid in (
        "proactive.channel.gazette",
        "responses.hot_topics",
        "responses.online_interviews",
        "consultations.total",
        "staff.offices",
        "staff.reading_points",
        "staff.total",
        "staff.full_time",
        "meetings.total",
        "funding.total",
    ):
        if rng.random() < 0.6:
            facts.pop(fid, None)
    blocks: list[Block] = [_heading(f"一、{F.NATIONAL_SECTIONS[0]}")]
    blocks.extend(_boilerplate(ctx, rng.randint(1, 4)))
    sub = 1

    def subheading(text: str) -> None:
        nonlocal sub
        blocks.append(_heading(f"{T.paren(sub, w)}{text}"))
        sub += 1

    subheading(rng.choice(["主动公开", "主动公开情况", F.ARTICLE20_HEADING]))
    if rng.random() < 0.6:
        blocks.extend(_numbered(ctx, B.ARTICLE20_ITEMS, w, rng.randint(5, 14)))
    blocks.extend(_sentences(ctx, P.proactive_sentences(ctx)))
    blocks.extend(_boilerplate(ctx, rng.randint(2, 6)))
    subheading(rng.choice(["依申请公开", "依申请公开情况"]))
    sentence, prose_only = P.applications_2019_sentence(ctx, t3)
    blocks.append(_para(ctx, sentence))
    blocks.extend(_boilerplate(ctx, rng.randint(0, 2)))
    subheading(rng.choice(["信息管理", "公开信息的管理"]))
    blocks.extend(_boilerplate(ctx, rng.randint(2, 5)))
    subheading(rng.choice(["平台建设", "平台、机构和人员"]))
    blocks.extend(_boilerplate(ctx, rng.randint(2, 4)) + _sentences(ctx, P.staff_sentences(ctx)))
    if rng.random() < 0.3:
        ctx.facts["review.total"] = review[-1]
        ctx.facts["litigation.total"] = lit_total
        blocks.extend(_sentences(ctx, P.review_sentences(ctx)))
    subheading(rng.choice(["监督保障", "考核与监督"]))
    blocks.extend(_boilerplate(ctx, rng.randint(2, 4)))

    table_gold: dict = {}
    blocks.append(_heading(f"二、{F.NATIONAL_SECTIONS[1]}"))
    table, gold = T.table2(rng, generation, agency.size, w)
    blocks.append(table)
    table_gold.update(gold)
    blocks.append(_heading(f"三、{F.NATIONAL_SECTIONS[2]}"))
    table, gold = T.table3(rng, generation, t3, w, full_header=layout == "scrambled" or rng.random() < 0.7)
    blocks.append(table)
    table_gold.update(gold)
    blocks.append(_heading(f"四、{F.NATIONAL_SECTIONS[3]}"))
    table, gold = T.table4(rng, review, direct, after, w)
    blocks.append(table)
    table_gold.update(gold)
    blocks.append(_heading("五、" + rng.choice([F.NATIONAL_SECTIONS[4], F.NATIONAL_PROBLEMS_LONG])))
    blocks.append(_para(ctx, rng.choice(P.PROBLEMS)))
    blocks.append(_para(ctx, rng.choice(P.IMPROVEMENTS)))
    blocks.append(_para(ctx, rng.choice(P.PLANS)))
    blocks.append(_heading(f"六、{F.NATIONAL_SECTIONS[5]}"))
    if generation == "2021" and rng.random() < 0.7:
        blocks.append(
            _para(
                ctx,
                rng.choice(
                    [
                        f"按照《{F.FEE_MEASURES}》，本年度<0fees.collected:未>向申请人收取[M:信息处理费]。",
                        "{year}年，{self_ref}<0fees.collected:没有>收取过[M:信息处理费]。",
                    ]
                ),
            )
        )
    elif rng.random() < 0.5:
        blocks.extend(_sentences(ctx, P.fee_sentences(ctx)))
    blocks.extend(_boilerplate(ctx, rng.randint(0, 2)))
    optional = dict(prose_only)
    return blocks, table_gold, optional


# ---------------------------------------------------------------- assembly


def pdf_line_breaks(paragraph: Paragraph, rng: random.Random) -> Paragraph:
    """Break a long paragraph where a PDF page or line ended, possibly inside a span (seed 003)."""
    total = sum(len(p.text) for p in paragraph.pieces)
    if paragraph.heading or total < 60 or rng.random() > 0.25:
        return paragraph
    cut = rng.randrange(20, total - 5)
    out: list[Piece] = []
    pos = 0
    for piece in paragraph.pieces:
        end = pos + len(piece.text)
        if pos < cut < end and not piece.text[cut - pos - 1].isdigit():
            k = cut - pos
            out.append(replace(piece, text=piece.text[:k] + "\n\n" + piece.text[k:]))
        else:
            out.append(piece)
        pos = end
    return Paragraph(out, paragraph.heading)


def _finish_gold(prose_gold: dict, table_gold: dict, optional: dict, generation: str) -> tuple[dict, dict]:
    """Table wins over prose; prose mentions of table-3 rows the table does not print are optional."""
    fields = {}
    for fid, value in prose_gold.items():
        if fid in table_gold:
            continue
        prefix, last = fid.rsplit(".", 1)
        if "+" in last and all(f"{prefix}.{part}" in table_gold for part in last.split("+")):
            # Seed 001: prose 微博微信 combined while the 附表 prints both; a careful reader may or may not.
            optional.setdefault(fid, value)
            continue
        if (
            generation != "pre2019"
            and fid.startswith("applications.")
            and not fid.startswith("applications.channel.")
        ):
            optional.setdefault(fid, value)
            continue
        fields[fid] = value
    fields.update(table_gold)
    optional = {k: v for k, v in optional.items() if k not in fields}
    return fields, optional


def settle_fields(blocks: list[Block], fields: dict, optional: dict) -> list[Block]:
    """Span fields as annotations/GUIDELINES.md has them, once the gold is known: a prose count that
    disagrees with the gold value (the table wins, convention 6) states no field (`""`); a count whose
    field is a judgement (`optional` in the gold) leaves `field` absent (None)."""

    def settle(pieces: list[Piece]) -> list[Piece]:
        out = []
        for piece in pieces:
            if piece.label == "COUNT" and piece.field and piece.value is not None:
                if piece.field in fields and fields[piece.field] != piece.value:
                    piece = replace(piece, field="")
                elif piece.field not in fields:
                    piece = replace(piece, field=None)
            out.append(piece)
        return out

    del optional  # fields not in the gold proper are all judgement calls
    return map_pieces(blocks, settle)


def _choose(rng: random.Random, given: str | None, options: tuple[str, ...], name: str) -> str:
    drawn = options[rng.randrange(len(options))]
    if given is None:
        return drawn
    if given not in options:
        raise ValueError(f"unknown {name} {given!r}; expected one of {options}")
    return given


def generate_report(
    seed: int, *, generation: str | None = None, layout: str | None = None, script: str | None = None
) -> dict[str, Any]:
    """One synthetic report as an annotation dict plus `raw` (file content) and `suffix`."""
    rng = random.Random(seed)
    generation = _choose(rng, generation, GENERATIONS, "generation")
    layout = _choose(rng, layout, LAYOUTS, "layout")
    script = _choose(rng, script, SCRIPTS, "script")
    agency = V.sample_agency(rng)
    low, high = _YEARS[generation]
    year = rng.randint(low, high)
    pub = (year + 1, rng.randint(1, 3), rng.randint(1, 28))
    wording = T.choose_wording(rng, generation, layout)
    facts = sample_facts(rng, agency)
    ctx = P.Context(rng, facts, make_variables(rng, agency, year, facts))
    blocks: list[Block] = _title(ctx, agency, year, pub)
    if rng.random() < 0.8:
        blocks.append(_intro(ctx, generation))
    if generation == "pre2019":
        body, table_gold, optional = build_pre2019(ctx, agency, wording, layout)
    else:
        body, table_gold, optional = build_national(ctx, agency, wording, generation, layout)
    blocks.extend(body)
    blocks.extend(_signature(ctx, agency, pub))
    optional = {**ctx.optional, **optional}
    fields, optional = _finish_gold(ctx.gold, table_gold, optional, generation)
    blocks = settle_fields(blocks, fields, optional)

    if layout in ("tabs", "lines", "pipes", "markdown", "scrambled") and rng.random() < 0.2:
        blocks = [pdf_line_breaks(b, rng) if isinstance(b, Paragraph) else b for b in blocks]
    if rng.random() < 0.05:
        blocks = [
            Paragraph(fullwidth_digits(b.pieces), b.heading) if isinstance(b, Paragraph) else b
            for b in blocks
        ]
    blocks = convert_blocks(blocks, script, rng)
    if rng.random() < {"simplified": 0.25, "traditional": 0.5, "mirror": 0.9}[script]:
        blocks = map_pieces(blocks, ascii_punctuation)
    style = choose_style(rng, layout)
    text, spans = pieces_to_text_and_spans(blocks_to_pieces(blocks, layout, rng, style))
    raw = text
    suffix = ".txt"
    if layout == "html":
        raw = blocks_to_html(blocks, f"{agency.issuer}{year}年政府信息公开工作年度报告")
        suffix = ".html"
        text, spans = _html_text(raw, text, spans)
    check_spans(text, spans)
    report_id = f"synth_{seed}"
    return {
        "id": report_id,
        "text": text,
        "spans": spans,
        "gold": {
            "source": report_id + suffix,
            "issuer": agency.issuer,
            "year": year,
            "template": generation,
            "fields": fields,
            "optional": optional,
        },
        "meta": {
            "origin": "synth",
            "generation": generation,
            "layout": layout,
            "script": script,
            "seed": seed,
            "identity_broken": ctx.variables.get("broken", "") or "",
            "tables": [b.name for b in blocks if isinstance(b, Table)],
        },
        "raw": raw,
        "suffix": suffix,
    }


def _html_text(raw: str, text: str, spans: list[dict]) -> tuple[str, list[dict]]:
    """The text `inference.read` extracts from the page; spans moved onto it when it differs."""
    try:
        from inference.read import html_to_text
    except ImportError:
        return text, spans
    target = html_to_text(raw)
    if target == text:
        return text, spans
    moved = realign_spans(text, spans, target)
    if moved is None:
        logger.warning(
            "html_to_text disagrees with the generator's rendering beyond whitespace; keeping ours"
        )
        return text, spans
    return moved


def generate_corpus(n: int, seed: int = 0) -> Iterator[dict[str, Any]]:
    """`n` reports cycling through every generation × layout × script.

    Report i uses seed `seed * 1_000_003 + i`, so corpora with different seeds do not overlap.
    """
    for i in range(n):
        generation, layout, script = COMBINATIONS[i % len(COMBINATIONS)]
        yield generate_report(seed * SEED_STRIDE + i, generation=generation, layout=layout, script=script)


def report_to_annotation(report: dict[str, Any]) -> dict[str, Any]:
    """The annotation-file line of a generated report (without `raw`/`suffix`)."""
    return {k: report[k] for k in ("id", "text", "spans", "gold", "meta")}


def write_corpus(n: int, out_dir: str | Path, seed: int = 0) -> Counter:
    """Write `reports/<id><suffix>`, `gold/<id>.json` and `annotations.jsonl` under `out_dir`.

    If `out_dir` ends in `.jsonl`, write only that annotation file (all a training run needs).
    """
    out = Path(out_dir)
    only_annotations = out.suffix == ".jsonl"
    annotations = out if only_annotations else out / "annotations.jsonl"
    if only_annotations:
        out.parent.mkdir(parents=True, exist_ok=True)
    else:
        (out / "reports").mkdir(parents=True, exist_ok=True)
        (out / "gold").mkdir(parents=True, exist_ok=True)
    counts: Counter = Counter()
    with annotations.open("w", encoding="utf-8") as handle:
        for report in generate_corpus(n, seed):
            if not only_annotations:
                (out / "reports" / f"{report['id']}{report['suffix']}").write_text(
                    report["raw"], encoding="utf-8"
                )
                (out / "gold" / f"{report['id']}.json").write_text(
                    json.dumps(report["gold"], ensure_ascii=False, indent=1), encoding="utf-8"
                )
            handle.write(json.dumps(report_to_annotation(report), ensure_ascii=False) + "\n")
            meta = report["meta"]
            counts[(meta["generation"], meta["layout"], meta["script"])] += 1
    logger.info("wrote %d synthetic reports to %s", sum(counts.values()), out)
    return counts


def summarize(n: int, seed: int = 0) -> Counter:
    """Counts per generation × layout × script of `generate_corpus(n, seed)` (without generating)."""
    del seed
    counts: Counter = Counter()
    for i in range(n):
        counts[COMBINATIONS[i % len(COMBINATIONS)]] += 1
    return counts
