# ruff: noqa: E501 -- templates are long Chinese sentences; wrapping them hurts reading.
"""Prose of a report in the register of real ones, written in a tiny markup that carries the spans.

Markup: `[M:行政复议]` is a METRIC span (`[M:@review]`: the family's
METRIC word from `inference/data/prose_lexicon.tsv`), `[C:当面申请]` a CATEGORY span, `<field:件>` prints the
fact for `field` as a COUNT span with its unit (exact, `余`, `约`, 万, 汉字) and records the printed
value as gold, `<#120:个>` prints a tally no field uses (a COUNT, never gold), `<!field>` records an explicit zero without printing anything, `<0field:未>` prints the
none-cue `未` as a COUNT of `field` with gold 0 (statements of none), `<?field>` records
the fact as optional gold (implied, not printed: `全部按期办理答复`), `<~field:条>` prints the
fact but records it as optional (an ambiguous reading, seed 002's 政府网站发布政务信息4098条), and
`{name}` is filled from the context's plain variables (dates, document numbers, phone numbers,
URLs, percentages, plans, other years' figures) — text that is never labelled.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

from inference.catalogue import combine_ids
from training.synth.doc import Piece
from training.synth.numbers import format_count, format_money
from training.synth.values import DENIED_ROWS
from training.synth.wording import metric_word

_TOKEN = re.compile(r"\[(M|C):([^\]]+)\]|<([!?~0]?)([a-z_.+]+|#\d+)(?::([^>:]*))?(?::([a-z_]+))?>")
MONEY_UNIT = "元"
_SPACED = re.compile(r"^(约?[\d.]+)([^\d.].*)$")


@dataclass
class Context:
    """What prose templates can print: facts by field id, plain variables, and the gold they make."""

    rng: random.Random
    facts: dict[str, int | float]
    variables: dict[str, str]
    gold: dict[str, int | float] = field(default_factory=dict)
    optional: dict[str, int | float] = field(default_factory=dict)
    pool: list[str] = field(default_factory=list)  # boilerplate not used yet in this report
    used_tallies: list[str] = field(default_factory=list)
    moved: set[str] = field(default_factory=set)  # fields stated outside their usual section

    def has(self, *fields: str) -> bool:
        return all(f in self.facts for f in fields)


def render(template: str, ctx: Context) -> list[Piece]:
    """Markup → pieces; records printed facts in `ctx.gold`.

    >>> ctx = Context(random.Random(0), {"review.total": 9}, {"year": "2017"})
    >>> [(p.text, p.label) for p in render("{year}年受理[M:行政复议]<review.total:件:exact>。", ctx)]
    [('2017年受理', None), ('行政复议', 'METRIC'), ('9件', 'COUNT'), ('。', None)]
    """
    text = template.format_map(ctx.variables) if "{" in template else template
    out: list[Piece] = []
    pos = 0
    for match in _TOKEN.finditer(text):
        if match.start() > pos:
            out.append(Piece(text[pos : match.start()]))
        pos = match.end()
        if match.group(1):
            word = match.group(2)
            if word.startswith("@"):  # `[M:@review]`: the family's METRIC word from prose_lexicon.tsv
                word = metric_word(ctx.rng, word[1:])
            out.append(Piece(word, "METRIC" if match.group(1) == "M" else "CATEGORY"))
            continue
        negated, field_id, unit, style = match.group(3), match.group(4), match.group(5) or "", match.group(6)
        if negated == "!":
            ctx.gold[field_id] = 0
            continue
        if negated == "0":
            # A statement of none: the none-cue (`没有`, `未`, `无`) is the COUNT, value 0.
            ctx.gold[field_id] = 0
            out.append(Piece(unit, "COUNT", field_id, 0))
            continue
        if negated == "?":
            ctx.optional[field_id] = ctx.facts[field_id]
            continue
        tally = field_id.startswith("#")
        value = int(field_id[1:]) if tally else ctx.facts[field_id]
        if unit == MONEY_UNIT:
            shown_text, shown = format_money(value, ctx.rng, style=style)
        else:
            shown_text, shown = format_count(int(value), unit, ctx.rng, style=style)
        if negated == "~":
            ctx.optional[field_id] = shown
        elif not tally:
            ctx.gold[field_id] = shown
        spaced = _SPACED.match(shown_text) if ctx.variables.get("spaced_numbers") else None
        if spaced:
            # PDF-extracted text (seed 003): ` 94 件`, ` 2900 余条`; the inner space is part of the COUNT.
            shown_text = spaced.group(1) + " " + spaced.group(2)
            if out and out[-1].label is None and not out[-1].text.endswith((" ", "（", "(")):
                out.append(Piece(" "))
            out.append(Piece(shown_text, "COUNT", "" if tally else field_id, shown))
            if match.end() < len(text) and text[match.end()] not in "，。；、）)":
                out.append(Piece(" "))
            continue
        out.append(Piece(shown_text, "COUNT", "" if tally else field_id, shown))
    if pos < len(text):
        out.append(Piece(text[pos:]))
    return out


def pick(rng: random.Random, options: list[str] | tuple[str, ...]) -> str:
    return options[rng.randrange(len(options))]


# ------------------------------------------------------------------ boilerplate (no statistics)

BOILERPLATE_GENERAL = (
    "{year}年，{self_ref}把政务公开摆在更加突出的位置，围绕中心工作抓公开、以公开促落实，公开的覆盖面和时效性都有新的进步。",
    "我们把公开透明当作依法行政的内在要求，能公开的尽量公开，该解读的主动解读，让群众看得到、听得懂、能监督。",
    "领导小组成员根据人事变动作了调整（{doc_no}），分管负责同志牵头，办公室承担具体事务，各科室明确一名联络员。",
    "信息发布前实行起草科室初审、办公室复审、分管领导终审的三级把关流程，配套出台了依申请办理、保密审核等内部规程。",
    "对发布的信息实行日常巡查，发现错漏及时更正；对不按规定发布或造成不良影响的，按规定追究相关人员责任。",
    "保密审核贯穿信息发布全过程，坚持先审后发、一事一审，把住涉密信息和敏感信息上网关口，年内没有出现失泄密问题。",
    "财政资金、重大项目、公共资源交易、食品药品、生态环境、安全生产等领域的信息按要求集中发布，群众关注度高的事项优先安排。",
    "依申请办理坚持登记、审核、答复、归档全流程闭环，答复前主动与申请人沟通，帮助其准确描述所需信息。",
    "遇有跨部门的申请，由办公室牵头会同相关单位共同研究答复口径；答复中发现具有普遍关注价值的信息，同步转为主动发布。",
    "网站内容保障实行日巡查、周通报、月考核，发现的问题当天交办，整改情况纳入季度讲评。",
    "实体大厅推行综合窗口受理，后台分类办理、统一出件，群众办事少跑腿、好找门。",
    "规范性文件从起草到发布全程留痕，印发后三个工作日内上网，同步配发解读，方便群众理解政策。",
    "领导分工、机构设置、联系方式等基础信息实行动态维护，人员和职能一有变化即同步更新网上内容。",
    "预决算和“三公”经费信息在专栏集中展示，口径与报送人大的文本保持一致，接受社会查阅。",
    "依申请答复严格在法定期限内作出，答复书载明依据和救济途径，切实保障申请人的合法权益。",
    "政务公开成效列入单位年度绩效考评，平时检查与年终考评结合打分，考评结果在一定范围内通报。",
    "新闻发言人和舆情联络员队伍保持稳定，重大事项出台前先做舆情风险评估，出现苗头性问题及时处置。",
    "基层政务公开事项目录逐项编制完成，从权力运行到服务办理的各环节公开内容基本实现全覆盖。",
    "在办事大厅开辟公开查阅区，摆放电脑和自助查询机，群众可随时翻阅已发布的政府信息。",
    "数据共享平台建设稳步推进，部门间数据按需调用，为审批服务和城市治理提供支撑。",
    "便民热线和网上信箱受理的诉求实行台账管理，办结一件、销号一件，群众满意度持续提高。",
    "机构改革后及时调整工作分工，各科室明确分管领导和具体经办人员，形成上下贯通、各负其责的工作格局。",
)

PROBLEMS = (
    "回顾{year}年，{self_ref}的公开工作虽有进步，但对照上级要求和群众期待仍有差距：个别科室答复申请不够规范，政策解读形式单一，信息更新有时不够及时。",
    "主要问题有两方面：一是少数单位对公开工作认识不到位，认为这只是办公室或信息中心的事；二是基层公开人员多为兼职，业务能力参差不齐。",
    "部分科室报送信息不够主动，基层公开平台更新滞后，一些信息发布时已过了最佳时效。",
    "公开内容的深度和广度还不够，发布的多为工作动态，决策过程、政策解读类信息比重偏低。",
)

IMPROVEMENTS = (
    "下阶段重点抓好三件事：一是强化督查考核，用好考核这根指挥棒；二是升级公开平台，优化栏目设置，统一发布入口；三是加强队伍建设，定期组织业务轮训，提高经办人员的能力。",
    "我们将着力做好以下工作：依法规范办理依申请公开，提升答复质量；加大政策解读力度，对群众关心的文件逐件解读，力求通俗易懂；加强监督检查，确保公开工作依法有序。",
    "今后将持续完善公开制度体系，把群众最关心的领域作为重点，督促学校、医院、水电气等公用单位做好办事公开。",
)

# Plans and targets: numbers here are never labelled and never gold (spec convention 7).
PLANS = (
    "下一步，{self_ref}将加强业务培训，计划举办专题培训{plan_a}期，帮助经办人员熟悉新规定、新要求。",
    "{next_year}年，{self_ref}力争主动发布信息{plan_b}条以上，重要文件解读率保持100%。",
    "下一步，将对现有制度逐项评估修订，计划在{next_year}年6月底前完成{plan_a}项制度的修订工作。",
    "{next_year}年，计划组织专题培训{plan_a}次、参训{plan_c}人次，实现经办人员轮训全覆盖。",
    "争取在{next_year}年7月底前见到初步成效，把开放日活动推广到{plan_a}个部门。",
)

# This year's tallies that no catalogue field uses: still COUNT spans (annotations/GUIDELINES.md).
TALLIES = (
    "配合开展网站检查，自查发现并整改[M:问题]<#{t_a}:个>，修复失效链接<#{t_b}:个>。",
    "年内承办[M:人大建议]<#{t_c}:件>、[M:政协提案]<#{t_d}:件>，均按期办结，答复内容已公开。",
    "对<#{t_e}:个>[M:政务新媒体]账号逐一复核，关停长期不更新的账号，其余账号纳入统一管理。",
    "全年开展各类为民服务[M:活动]<#{t_c}:次>，向上级平台报送[M:经验材料]<#{t_f}:篇>。",
    "领导小组召开[M:工作调度会]<#{t_f}:次>，针对检查中发现的问题编发[M:督查通报]<#{t_g}:期>。",
    "年内处理[M:书记市长信箱来信]<#{t_h}:件>，全部办结。",
    "归并[M:热线号码]<#{t_g}:条>、[M:网上诉求渠道]<#{t_f}:条>，群众诉求实现一个平台受理。",
    # Further everyday tallies: varied counted nouns and units (项, 个, 场, 家, 份, 批, 人次 …),
    # breakdowns by CATEGORY, large figures; annotated by annotations/GUIDELINES.md.
    "梳理本级[M:权责事项]<#{t_k}:项>，涉及部门<#{t_e}:个>，清单在网站集中发布。",
    "机构调整后重新核定[M:许可事项]<#{t_c}:项>，保留[M:行政许可]<#{t_b}:项>。",
    "开展[M:证明材料]清理，共清理<#{t_h}:项>，其中[C:保留]<#{t_a}:项>、[C:取消]<#{t_f}:项>、[C:调整]<#{t_g}:项>。",
    "服务中心现有进驻[M:服务事项]<#{t_k}:项>，综合窗口统一收件。",
    "编制[M:公共服务事项]清单<#{t_b}:项>、[M:证明事项]清单<#{t_d}:项>，逐项写明依据和流程。",
    "年内经网上平台受理[M:办件]<#{t_k}:件>，全部在承诺时限内办完。",
    "举办机关开放日[M:活动]<#{t_f}:场>，接待群众代表<#{t_a}:人次>。",
    "在镇街、村居设置[M:公开专区]<#{t_d}:个>，基层公开点位实现全覆盖。",
    "修订[M:公开指南]<#{t_g}:份>，更新[M:公开目录]<#{t_c}:个>。",
    "年内收到[M:代表建议]<#{t_d}:件>、[M:委员提案]<#{t_c}:件>，均已答复代表委员。",
    "每季度巡检[M:政务新媒体]，累计检查账号<#{t_e}:个>，督促整改[M:问题]<#{t_a}:个>。",
    "网站新开设[M:专题专栏]<#{t_d}:个>，集中展示重点领域信息。",
    "完成[M:服务事项]标准化梳理<#{t_b}:项>，配套编写办事指南<#{t_b}:份>。",
    "年内组织[M:新闻发布活动]<#{t_c}:场>，及时回应群众关切。",
    "开展[M:双随机抽查]<#{t_d}:批次>，上网公示抽查结果<#{t_h}:条>。",
    "网站共有[M:栏目]<#{t_a}:个>，年内更新[C:工作动态]<#{t_h}:条>、[C:通知公告]<#{t_b}:条>。",
    "编制[M:重大决策事项]目录，列入事项<#{t_g}:项>，均按程序征求公众意见。",
    "年内开展[M:政策宣讲]<#{t_c}:场>，发放宣传资料<#{t_k}:份>。",
    "网站收到网民[M:留言]<#{t_h}:条>，已全部回复。",
    "对<#{t_e}:家>[M:市场主体]的信用公示信息进行抽查，抽查结果全部上网。",
    "组织干部[M:旁听庭审]<#{t_g}:次>，以案学法，提升依法行政能力。",
    "编印[M:工作简报]<#{t_d}:期>，报送[M:政务信息]<#{t_a}:篇>，被上级录用<#{t_f}:篇>。",
)

OTHER_YEAR = (
    "，较{prev_year}年（{prev_n}件）{trend}",
    "，{prev_year}年为{prev_n}件",
    "，同比{trend_word}{pct}%",
)


# ------------------------------------------------------------------ statistic sentences
# Frames are this project's own wording. Each function returns markup templates; `pick` draws
# one of several frames so the same fact is stated in many ways (number before or after its
# noun, far from it, in Chinese numerals, as a statement of none with the cue far from the noun).


def _proactive_combined(ctx: Context) -> str:
    """One sentence with the total, channels and responses; 微博微信 combined (seed 001's shape)."""
    facts = ctx.facts
    combined = combine_ids(["proactive.channel.weibo", "proactive.channel.wechat"])
    facts[combined] = facts["proactive.channel.weibo"] + facts["proactive.channel.wechat"]
    parts = [
        pick(
            ctx.rng,
            [
                "{year}年，{self_ref}累计[M:主动公开政府信息]<proactive.total:条:exact>",
                "全年{self_ref}对外[M:主动公开各类政府信息]<proactive.total:条:exact>",
            ],
        ),
        pick(
            ctx.rng,
            [
                "依托[C:网站]发布<proactive.channel.website:条:exact>",
                "[C:网站]上线<proactive.channel.website:条:exact>",
            ],
        ),
    ]
    if ctx.has("proactive.channel.gazette"):
        parts.append("在[C:政府公报]刊发<proactive.channel.gazette:条:exact>")
    if ctx.has("responses.press_conferences"):
        parts.append("组织[M:@press]<responses.press_conferences:次>")
    if ctx.has("responses.online_interviews"):
        parts.append("开展网上[M:@interviews]<responses.online_interviews:次>")
    parts.append(f"在[C:政务微博微信]上推送<{combined}:条:exact>")
    return "，".join(parts) + "。"


def _proactive_kinds(ctx: Context) -> str:
    """A total, then what the website carried by kind of information (the kinds partition it)."""
    rng = ctx.rng
    kinds = rng.sample(["政务动态", "会议信息", "政策文件", "发展规划", "人事任免", "财政资金"], 3)
    tallies = "、".join(f"[C:{k}]<#{rng.randint(2, 60)}:条>" for k in kinds[1:])
    if ctx.facts["proactive.total"] >= 10000:
        return (
            "{year}年经门户网站和公开平台向社会[M:公开各类信息]合计<proactive.total:条:wan_yu>，"
            f"网站方面，刊载[C:{kinds[0]}]<~proactive.channel.website:条:exact>、{tallies}；"
            f"另有[C:互动交流信息]<#{rng.randint(5, 90)}:条>，开设[M:专题]<#{rng.randint(2, 30)}:个>。"
        )
    return (
        "年内[M:公开各类政府信息]总量为<proactive.total:条>，"
        f"网站方面，刊载[C:{kinds[0]}]<~proactive.channel.website:条:exact>、{tallies}。"
    )


_PROACTIVE_TOTAL = (
    "{year}年，{self_ref}经网站、微博、微信等多个渠道[M:主动公开政府信息]<proactive.total:条>。",
    "年内[M:公开各类政府信息]合计<proactive.total:条>，比往年内容更丰富、更新更及时。",
    "{year}年，全{unit_word}依托信息发布系统[M:公开各类政府信息]<proactive.total:条>。",
    "{self_ref}本年度[M:主动公开各类政府信息]<proactive.total:条>，覆盖通知公告、人事、计划总结等类别。",
    "{year}年{self_ref}坚持应公开尽公开，全年[M:主动公开政府信息]<proactive.total:条>{other_year}。",
    "截至{year}年底，{self_ref}当年[M:主动公开政府信息]<proactive.total:条>，其中经公开平台发布<#{share}:条>。",
    "{year}年对外[M:主动公开政府信息]的数量达到<proactive.total:条>，各科室报送信息的积极性明显提高。",
    "本年度经审核后上网的[M:主动公开政府信息]，数量上一共是<proactive.total:条>。",
)


_CARRIERS = (
    "门户网站",
    "公开专栏",
    "政务公开栏",
    "电子显示屏",
    "宣传栏",
    "工作简报",
    "便民服务大厅",
    "村（居）务公开栏",
    "公众号",
    "公告栏",
    "信息公开平台",
)


def _composed_total(ctx: Context) -> str:
    """The year's total in a sentence composed of interchangeable parts: when, who, through which
    carriers (a list ending in 等…, which names no single channel), what verb, what object, and a
    word for "in all" (共/共计/总计/合计/累计 or none) before the count."""
    rng = ctx.rng
    when = pick(rng, ["全年", "{year}年", "本年度", "年内", "{year}年度"])
    who = pick(rng, ["", "{self_ref}", "我们"])
    carriers = ""
    if rng.random() < 0.6:
        listed = "、".join(rng.sample(_CARRIERS, rng.randint(2, 4)))
        kind = pick(rng, ["载体", "渠道", "平台", "方式", "途径"])
        carriers = (
            pick(rng, ["通过", "依托", "利用", "借助"])
            + listed
            + "等"
            + pick(rng, ["", "多种", "各类"])
            + kind
        )
    verb = pick(rng, ["主动公开", "对外发布", "主动发布", "公开", "发布"])
    obj = pick(rng, ["政府信息", "各类信息", "信息", "政务信息", "各类政府信息", "工作信息和动态"])
    tally = pick(rng, ["", "共", "共计", "总计", "合计", "累计", "总共"])
    return f"{when}{who}{carriers}[M:{verb}{obj}]{tally}<proactive.total:条>。"


def proactive_sentences(ctx: Context) -> list[str]:
    rng = ctx.rng
    out: list[str] = []
    facts = ctx.facts
    style = rng.random()
    if style < 0.2 and ctx.has(
        "proactive.total", "proactive.channel.website", "proactive.channel.weibo", "proactive.channel.wechat"
    ):
        return [_proactive_combined(ctx)]
    if style < 0.35 and ctx.has("proactive.total", "proactive.channel.website"):
        return [_proactive_kinds(ctx)]
    if ctx.has("proactive.total"):
        if rng.random() < 0.15:
            out.append(_proactive_up_to_now(ctx))
        else:
            share = str(max(1, int(facts.get("proactive.total", 1) * 0.6)))
            if rng.random() < 0.4:
                out.append(_composed_total(ctx))
            else:
                out.append(pick(rng, _PROACTIVE_TOTAL).replace("{share}", share))
    if rng.random() < 0.15:
        out.append(_proactive_kind_tallies(ctx))
    out.extend(_channel_sentences(ctx))
    if rng.random() < 0.25:
        out.append(
            "此外，还借助[C:报纸、电视、微博、微信、村务公开栏等渠道]对外[M:主动公开各类政府信息]"
            f"<#{rng.randint(50, 9000)}:条次>（同一信息多渠道发布的未重复计算）。"
        )
    out.extend(_response_sentences(ctx))
    return out


def _proactive_up_to_now(ctx: Context) -> str:
    """A running total up to now (never gold) before the year's own figure."""
    earlier = int(ctx.facts["proactive.total"]) * ctx.rng.randint(2, 9)
    return pick(
        ctx.rng,
        [
            f"{{self_ref}}自开通公开专栏至今，共计对外发布信息<#{earlier}:条>，其中{{year}}年[M:主动公开政府信息]<proactive.total:条>。",
            f"截至目前，平台历年上线的各类信息已有<#{earlier}:条>；本年度新增[M:主动公开]内容<proactive.total:条>。",
            f"本年度[M:主动公开政府信息]<proactive.total:条>，连同往年，迄今已公开<#{earlier}:条>。",
        ],
    )


def _proactive_kind_tallies(ctx: Context) -> str:
    """What was published, by kind; 依申请公开 here is a kind of item, not the applications received."""
    rng = ctx.rng
    kinds = rng.sample(
        ["工作动态", "公开指南", "依申请公开", "人事信息", "财政信息", "通知公告", "解读回应"], 4
    )
    if "依申请公开" not in kinds:
        kinds[rng.randrange(4)] = "依申请公开"
    tallies = "；".join(f"[C:{k}]<#{rng.randint(1, 40)}:条>" for k in kinds)
    return f"按栏目统计，{tallies}。"


_ACCOUNT_NAMES = ("清风", "云岭", "江畔", "东湖", "石桥", "掌上", "惠民")
_CHANNELS = (
    ("政府网站", "proactive.channel.website", "上线"),
    ("政府公报", "proactive.channel.gazette", "刊发"),
    ("政务微博", "proactive.channel.weibo", "推送"),
    ("政务微信", "proactive.channel.wechat", "推送"),
)


def _channel_sentences(ctx: Context) -> list[str]:
    """Channels listed one by one, as `分别` lists, or as accounts with a name far from the number."""
    rng = ctx.rng
    present = [c for c in _CHANNELS if ctx.has(c[1])]
    if not present or rng.random() >= 0.8:
        return []
    style = rng.random()
    social = [c for c in present if c[1] in ("proactive.channel.weibo", "proactive.channel.wechat")]
    if style < 0.2 and len(social) == 2:
        return [
            "借助[C:政务微博]与[C:政务微信公众号]两个平台，分别推送信息<proactive.channel.weibo:条>、<proactive.channel.wechat:条>。"
        ]
    if style < 0.5 and social and rng.random() < 0.75:
        return _new_media_sentences(ctx, social)
    if style < 0.35 and social:
        name = pick(rng, _ACCOUNT_NAMES) + pick(rng, ["发布", "之声", "政务"])
        kind = "微信公众号" if social[0][1].endswith("wechat") else "官方微博"
        return [
            f"依托“{name}”[C:{kind}]，全年向群众推送涉及社保、医疗、教育等方面的政务动态<{social[0][1]}:条>。"
        ]
    if style < 0.65:
        parts = "、".join(f"经[C:{name}]{verb}<{fid}:条>" for name, fid, verb in present)
    else:
        parts = "，".join(f"[C:{name}]{verb}信息<{fid}:条>" for name, fid, verb in present)
    return [f"分渠道看，{parts}。"]


_MEDIA_KINDS = {
    "proactive.channel.wechat": ("微信公众号", "政务微信号", "微信服务号"),
    "proactive.channel.weibo": ("官方微博", "政务微博账号", "微博号"),
}
_MEDIA_TOPICS = ("政策解读、办事提醒", "惠民补贴、便民服务", "工作动态、通知公告", "政策问答、解读图解")


def _new_media_sentences(ctx: Context, social: list[tuple[str, str, str]]) -> list[str]:
    """WeChat / Weibo accounts as real reports name them: a quoted account name with the count in a
    later clause, accounts tallied with `（1个）`, `分别` over named accounts, a follower count that
    is no field. The category nearest the count is often a topic (政策解读), not the channel."""
    rng = ctx.rng
    fids = [fid for _, fid, _ in social]
    names = [pick(rng, _ACCOUNT_NAMES) + pick(rng, ["发布", "微言", "政声", "在线"]) for _ in fids]
    kinds = [pick(rng, _MEDIA_KINDS[fid]) for fid in fids]
    style = rng.randrange(4)
    if style == 0:
        fid, name, kind = fids[0], names[0], kinds[0]
        topics = pick(rng, _MEDIA_TOPICS)
        return [
            f"{{self_ref}}运营的“{name}”[C:{kind}]坚持日常更新，围绕{topics}等内容持续发声，{{year}}年推送稿件<{fid}:条>，成为网站之外的重要补充。"
        ]
    if style == 1:
        parts = "；".join(
            f"[C:{kind}]（<#1:个>）{pick(rng, ['发布信息', '编发内容', '推送信息'])}<{fid}:条>"
            for fid, kind in zip(fids, kinds, strict=True)
        )
        video = f"；[C:短视频账号]（<#1:个>）发布作品<#{rng.randint(5, 90)}:条>" if rng.random() < 0.5 else ""
        return [f"政务新媒体建设方面，{{year}}年{{self_ref}}{parts}{video}。"]
    if style == 2 and len(fids) == 2:
        accounts = "、".join(f"{kind}“{name}”" for kind, name in zip(kinds, names, strict=True))
        return [
            f"经由{accounts}两个账号，分别编发各类稿件<{fids[0]}:条>、<{fids[1]}:条>，扩大了政策的到达面。"
        ]
    fid, name, kind = fids[0], names[0], kinds[0]
    return [
        f"“{name}”[C:{kind}]目前关注用户约<#{rng.randint(2, 90) * 100}:人>，{{year}}年发布信息<{fid}:条>，阅读量稳步上升。"
    ]


def _response_sentences(ctx: Context) -> list[str]:
    """Interpretations, press conferences, interviews, hot topics (often with the count far away)."""
    rng = ctx.rng
    out: list[str] = []
    if ctx.has("responses.interpretations") and rng.random() < 0.3:
        out.append(
            "对覆盖面大、专业门槛高、群众关注多的<responses.interpretations:条>文件开展了[M:@interpretations]，帮助群众弄懂政策本意。"
        )
    elif ctx.has("responses.interpretations", "responses.press_conferences") and rng.random() < 0.8:
        thirds = str(max(1, int(ctx.facts.get("responses.interpretations", 2)) // 3))
        out.append(
            pick(
                rng,
                [
                    "配合重要政策出台，刊发[M:@interpretations]<responses.interpretations:条>，组织[M:@press]<responses.press_conferences:次>。",
                    "[M:@interpretations]方面，我们坚持文件与解读同步起草，年内推出的解读材料共有<responses.interpretations:篇>；[M:@press]全年召开或参加<responses.press_conferences:场>。",
                    "年内编发[M:@interpretations]稿<responses.interpretations:篇>，其中[C:图解、视频等形式]<#"
                    + thirds
                    + ":篇>；另外举行[M:@press]<responses.press_conferences:场>。",
                    "全年举行的[M:@press]有<responses.press_conferences:场>，配套推出的[M:@interpretations]合计<responses.interpretations:条>。",
                ],
            )
        )
    if ctx.has("responses.online_interviews") and rng.random() < 0.7:
        out.append(
            pick(
                rng,
                [
                    "网站开设[M:@interviews]栏目，请各部门负责人上线讲政策、答疑问，年内共做了<responses.online_interviews:场>。",
                    "{year}年组织[M:@interviews]<responses.online_interviews:期>，部门负责人在线与网民交流。",
                    "<responses.online_interviews:期>[M:@interviews]节目年内陆续播出，话题集中在就业、教育和医保。",
                ],
            )
        )
    if ctx.has("responses.hot_topics") and rng.random() < 0.5:
        out.append(
            pick(
                rng,
                [
                    "对群众关心的热点问题，年内主动[M:@hot_topics]<responses.hot_topics:次>。",
                    "涉及本地的舆论热点出现后第一时间发声，年内[M:@hot_topics]累计<responses.hot_topics:次>。",
                ],
            )
        )
    return out


_NONE_APPLICATIONS = (
    "{year}年，{self_ref}<0applications.new.total:未>收到[M:@applications]。",
    "{year}年度{self_ref}<0applications.new.total:没有>接到过单位或个人提交的[M:@applications]。",
    "本年度<0applications.new.total:没有>公民、企业就本{unit_word}事务提出[M:@applications]。",
    "{year}年{self_ref}办公室<0applications.new.total:未>曾受理过一件[M:依申请公开]的事项。",
)


def _none_applications(ctx: Context) -> str:
    """No application this year: a fixed frame or a composed one."""
    if ctx.rng.random() < 0.6:
        return _composed_none_applications(ctx)
    return pick(ctx.rng, _NONE_APPLICATIONS)


def _composed_none_applications(ctx: Context) -> str:
    """No application received, the cue far from the noun: cue, verb, who asked, what for, and the
    application noun are drawn apart (`没有` … `…的书面或口头申请`)."""
    rng = ctx.rng
    before, cue, after = rng.choice(
        [("", "没有", ""), ("", "未", ""), ("", "未", "曾"), ("并", "未", ""), ("从", "未", "")]
    )
    verb = pick(rng, ["接到", "收到", "受理", "接收到"])
    who = pick(rng, ["", "公民、法人和其他组织", "群众和企业", "任何单位和个人", "社会公众"])
    purpose = pick(rng, ["", "要求本{unit_word}公开相关信息的", "针对本机关政府信息的", "就公开事项提出的"])
    noun = pick(rng, ["书面或口头申请", "[M:@applications]", "公开申请", "[M:依申请公开]请求"])
    when = pick(rng, ["{year}年，{self_ref}", "本年度{self_ref}", "{year}年度", "年内"])
    return f"{when}{before}<0applications.new.total:{cue}>{after}{verb}{who}{purpose}{noun}。"


def application_sentences_old(
    ctx: Context, channel_parts: list[tuple[str, tuple[str, str]]], answered: list[tuple[str, str]]
) -> list[str]:
    """Pre-2019 prose on applications: total, channels (with combined categories), answers."""
    rng = ctx.rng
    if not ctx.has("applications.new.total"):
        return []
    if ctx.facts["applications.new.total"] == 0 and rng.random() < 0.7:
        return [_none_applications(ctx)]
    head = pick(
        rng,
        [
            "{year}年，{self_ref}登记受理[M:@applications]<applications.new.total:件:exact>{other_year}。",
            "年内共接到[M:@applications]<applications.new.total:件:exact>{other_year}。",
            "{year}年，全{unit_word}办理的[M:依申请公开]事项为<applications.new.total:件:exact>。",
            "本年度[M:@applications]的受理量是<applications.new.total:件:exact>，与申请人沟通顺畅。",
        ],
    )
    if channel_parts:
        sep = pick(rng, ["，", "；"])
        parts = sep.join(
            f"[C:{label}]{suffix}<{fid}:件:exact>" + (f"，占{_pct(ctx, fid)}%" if rng.random() < 0.3 else "")
            for fid, (label, suffix) in channel_parts
        )
        head += f"按提交方式分，{parts}。"
    out = [head]
    if answered:
        out.append(_answers_old(ctx, answered))
    if ctx.has("consultations.total") and rng.random() < 0.6:
        # many reports count consultations in the applications section, right after the applications
        ctx.moved.add("consultations.total")
        out.append(pick(rng, _CONSULTATIONS_AFTER_APPLICATIONS))
    return out


_CONSULTATIONS_AFTER_APPLICATIONS = (
    "此外，窗口和热线还受理群众来电来访[M:@consultations]<consultations.total:人次>，均当场解答。",
    "除正式申请外，{self_ref}接听、接待有关公开事项的[M:@consultations]<consultations.total:人次>。",
    "另有<consultations.total:人次>群众到窗口或来电[M:@consultations]办事流程，工作人员逐一作了说明。",
)


def _answers_old(ctx: Context, answered: list[tuple[str, str]]) -> str:
    rng = ctx.rng
    total_part = ""
    new = ctx.facts["applications.new.total"]
    answered_all = ctx.facts.get("applications.answered.total") == new
    on_time = answered_all and ctx.facts.get("applications.answered.extended", 0) == 0
    choice = rng.random()
    if on_time and choice < 0.3:
        # The statement implies answered/on-time totals without printing them (optional gold).
        total_part = "年内受理的<applications.new.total:件:exact>[M:@applications]均在规定时限内答复完毕。<?applications.answered.total><?applications.answered.on_time>"
    elif ctx.has("applications.answered.total") and choice < 0.7:
        rate = "全部办结" if answered_all else "其余的仍在办理"
        total_part = f"上述<applications.new.total:件:exact>[M:@applications]里，[C:已作出答复]的有<applications.answered.total:件:exact>，{rate}。"
    items = []
    for fid, label in answered:
        pct = f"，占答复量的{_pct(ctx, fid, 'applications.answered.total')}%" if rng.random() < 0.5 else ""
        items.append(
            pick(rng, [f"[C:{label}]的<{fid}:件:exact>{pct}", f"“[C:{label}]”<{fid}:件:exact>{pct}"])
        )
    return total_part + "从答复结果看，" + "；".join(items) + "。"


def _pct(ctx: Context, fid: str, total: str = "applications.new.total") -> str:
    whole = ctx.facts.get(total) or 0
    part = ctx.facts.get(fid) or 0
    if not whole:
        return "0"
    return f"{100 * part / whole:.1f}".rstrip("0").rstrip(".")


_NONE_FEES = (
    "{year}年，{self_ref}办理依申请公开<0fees.collected:未>收取任何[M:费用]。",
    "依照国家关于信息公开收费的规定，本年度<0fees.collected:未>向申请人收取检索、复制等[M:费用]，也没有自行设立收费项目。",
    "依申请公开收费项目已于2017年取消，年内<0fees.collected:没有>发生过向申请人[M:收费]的情形。",
    "{year}年{self_ref}提供政府信息，<0fees.collected:无>一例向申请人[M:收费]。",
)


def fee_sentences(ctx: Context) -> list[str]:
    rng = ctx.rng
    if ctx.facts.get("fees.collected", 0) == 0:
        return [pick(rng, _NONE_FEES)]
    return [
        pick(
            rng,
            [
                "{year}年，{self_ref}依申请提供信息收取[M:费用]<fees.collected:元>，均为检索、复印和邮寄的成本。",
                "年内向申请人收取的[M:费用]合计<fees.collected:元>，按标准收取、开具票据。",
                f"全年向<#{rng.randint(1, 6)}:件>公开申请的申请人计收[M:信息处理费]，金额合计<fees.collected:元>。",
                f"按收费标准，{{year}}年对其中<#{rng.randint(1, 6)}:件>申请收取了[M:信息处理费]，总额为<fees.collected:元>。",
            ],
        )
    ]


_NONE_REVIEW = (
    "{year}年，{self_ref}<0review.total:未>出现因公开事项而被申请[M:@review]的情况，也<0litigation.total:未>被提起[M:@litigation]。",
    "全年<0review.total:没有>人就本机关的公开答复申请[M:@review]，<0litigation.total:没有>发生相关[M:@litigation]。",
    "年内本{unit_word}<0review.total:未>发生过由公开答复引起的[M:@review]，同样<0litigation.total:未>有人提起[M:@litigation]。",
)


def review_sentences(ctx: Context) -> list[str]:
    rng = ctx.rng
    review = ctx.facts.get("review.total", 0)
    litigation = ctx.facts.get("litigation.total", 0)
    complaints = ctx.facts.get("complaints.total")
    if review == 0 and litigation == 0 and rng.random() < 0.7:
        if complaints == 0:
            return [
                "全年<0complaints.total:没有>收到有关公开工作的[M:投诉]，<0review.total:没有>因公开答复被申请[M:@review]，也<0litigation.total:没有>被提起[M:@litigation]。"
            ]
        return [pick(rng, _NONE_REVIEW)]
    out = [
        pick(
            rng,
            [
                "{self_ref}在{year}年收到以公开答复为由的[M:@review]申请<review.total:件:exact>，以公开答复为由的[M:@litigation]<litigation.total:件:exact>。",
                "{year}年度，涉及公开工作的[M:@review]案<review.total:件:exact>，[M:@litigation]案<litigation.total:件:exact>。",
                "年内因公开事项引发[M:@review]<review.total:件:exact>、[M:@litigation]<litigation.total:件:exact>{other_year}。",
                "被申请[M:@review]的公开答复，年内共计<review.total:件:exact>；被诉至法院、形成[M:@litigation]的，共计<litigation.total:件:exact>。",
            ],
        )
    ]
    if complaints is not None and rng.random() < 0.6:
        if complaints == 0:
            out.append("年内<0complaints.total:未>收到针对公开工作的[M:举报投诉]。")
        else:
            out.append("年内收到涉及公开工作的[M:举报投诉]<complaints.total:件:exact>，已逐件核实处理。")
    return out


def staff_sentences(ctx: Context) -> list[str]:
    """Offices, reading points, staff (全职/专职/兼职, number before or after the noun), funding,
    training, meetings and consultations (咨询)."""
    rng = ctx.rng
    out: list[str] = []
    if ctx.has("staff.offices", "staff.reading_points", "staff.total", "staff.full_time"):
        out.append(
            pick(
                rng,
                [
                    "目前全{unit_word}设有公开工作[M:@offices]<staff.offices:个>、[M:@reading_points]<staff.reading_points:个>，公开工作由<staff.total:名>[M:@staff]承担，其中[C:专职]的<staff.full_time:人>。",
                    "{self_ref}共设置[M:@offices]<staff.offices:个>和[M:@reading_points]<staff.reading_points:个>，安排[M:@staff]<staff.total:人>（其中[C:专职人员]<staff.full_time:人>）。",
                ],
            )
        )
    elif ctx.has("staff.full_time", "staff.part_time"):
        out.append(_staff_split(ctx))
    elif ctx.has("staff.part_time") and ctx.facts["staff.part_time"]:
        out.append(pick(rng, _STAFF_PART_ONLY))
    if ctx.has("funding.total") and rng.random() < 0.8:
        out.append(
            pick(
                rng,
                [
                    "{year}年，全{unit_word}为查阅场所添置电脑和查询机、印制宣传材料及维护网站，投入的[M:@funding]为<funding.total:元>。",
                    "本年度用于公开工作的专项[M:@funding]共<funding.total:元>，列入部门预算。",
                ],
            )
        )
    out.extend(_training_sentences(ctx))
    if ctx.has("meetings.total") and rng.random() < 0.6:
        out.append("年内召开公开工作专题[M:会议]<meetings.total:次>，研究安排重点任务。")
    if ctx.has("consultations.total") and "consultations.total" not in ctx.moved and rng.random() < 0.8:
        out.append(pick(rng, _CONSULTATIONS))
    return out


_STAFF_PART_ONLY = (
    "{self_ref}没有设置专门岗位，由办公室<staff.part_time:名>同志[C:兼职]办理公开事务。",
    "目前由<staff.part_time:名>[C:兼职]同事负责公开工作的日常事务。",
    "单位未设专门编制，明确了<staff.part_time:名>[C:兼职工作人员]，负责信息的收集、审核和发布。",
    "公开工作由<staff.part_time:位>工作人员[C:兼职]承担，分管领导定期过问。",
)


def _staff_split(ctx: Context) -> str:
    """全职/专职 and 兼职 staff, with the number before or after the noun."""
    full = pick(ctx.rng, ["专职", "全职"])
    return pick(
        ctx.rng,
        [
            f"全{{unit_word}}负责公开工作的[C:{full}人员]<staff.full_time:人>、[C:兼职人员]<staff.part_time:人>。",
            f"公开工作配备<staff.full_time:名>[C:{full}]人员和<staff.part_time:名>[C:兼职]人员。",
            f"目前有[C:{full}]工作人员<staff.full_time:名>，另有<staff.part_time:名>同志[C:兼职]从事此项工作。",
            f"经办队伍中，[C:兼职]的<staff.part_time:人>，[C:{full}]的<staff.full_time:人>。",
        ],
    )


def _training_sentences(ctx: Context) -> list[str]:
    rng = ctx.rng
    if ctx.facts.get("training.sessions") and rng.random() < 0.8:
        part = (
            "，参加[M:培训]的干部职工<training.participants:人次>" if ctx.has("training.participants") else ""
        )
        return [
            pick(
                rng,
                [
                    f"年内举办公开业务[M:培训]<training.sessions:次>{part}，经办人员的业务能力有了明显提升。",
                    f"采取集中授课与跟班学习相结合的办法，全年组织[M:培训]<training.sessions:期>{part}。",
                    f"<training.sessions:期>专题[M:培训]班在年内陆续举办{part}。",
                ],
            )
        ]
    if ctx.has("training.participants") and rng.random() < 0.8:
        return ["请来专家讲解公开条例和实务操作，[M:培训]干部<training.participants:人次>，收到良好效果。"]
    return []


_CONSULTATIONS = (
    "{year}年，共接待公众[M:@consultations]<consultations.total:人次>。",
    "全年通过电话、窗口和网上留言解答群众[M:@consultations]<consultations.total:人次>，做到有问必答。",
    "接待来电来访的[M:@consultations]，年内合计达到<consultations.total:人次>。",
    "<consultations.total:人次>的群众[M:@consultations]在年内得到当场或限时答复。",
)


_DENIED_KEYS = DENIED_ROWS


def applications_2019_sentence(ctx: Context, t3: dict[str, list[int]]) -> tuple[str, dict[str, int]]:
    """2019+ prose summary of table 3 (the printed table wins; prose-only subtotals are optional).

    Returns the markup and the prose-only fields (ids not printed by the table) with their values.
    Category names are the table's row labels (`inference/data/table_lexicon.tsv`).
    """
    rng = ctx.rng
    total = t3["new"][-1]
    ctx.facts["applications.new.total"] = total if rng.random() > 0.15 else total + rng.choice([1, 2, -1])
    ctx.facts["applications.new.total"] = max(0, int(ctx.facts["applications.new.total"]))
    if ctx.facts["applications.new.total"] == 0:
        return _none_applications(ctx), {}
    sep = pick(rng, ["，", "，", "；"])
    parts = [
        pick(
            rng,
            [
                "{year}年，{self_ref}新收[M:@applications]<applications.new.total:件:exact>",
                "{year}年，全{unit_word}各单位合计接收[M:@applications]<applications.new.total:件:exact>",
                "{year}年度，{self_ref}登记[M:@applications]<applications.new.total:件:exact>{other_year}",
            ],
        )
    ]
    extra: dict[str, int] = {}
    parts.extend(_outcome_parts(ctx, t3, extra))
    text = sep.join(parts) + "。"
    if ctx.facts.get("fees.collected", 0) == 0 and rng.random() < 0.3:
        text += "对年内收到的<applications.new.total:件:exact>申请，一律免收相关费用。<?fees.collected>"
    return text, extra


def _outcome_parts(ctx: Context, t3: dict[str, list[int]], extra: dict[str, int]) -> list[str]:
    """Outcome clauses (予以公开, 不予公开 with its breakdown, …) in the table's row wording."""
    from training.synth.wording import printed

    rng = ctx.rng
    granted, partial = t3["granted"][-1], t3["partial"][-1]
    denied = sum(t3[r][-1] for r in _DENIED_KEYS)
    other = (
        t3["other"][-1]
        if "other" in t3
        else sum(t3[r][-1] for r in ("other_no_correction", "other_unpaid_fee", "other_misc"))
    )
    parts: list[str] = []
    if rng.random() < 0.3 and granted + partial:
        # 予以公开和部分公开 combined (a CATEGORY; no catalogue id for a combined table-3 row).
        parts.append(
            f"[C:{printed('t3', 'granted')}和{printed('t3', 'partial')}]<#{granted + partial}:件:exact>"
        )
    else:
        ctx.facts["applications.granted.total"] = granted
        parts.append(f"[C:{printed('t3', 'granted')}]<applications.granted.total:件:exact>")
        if partial:
            ctx.facts["applications.partial.total"] = partial
            parts.append(f"[C:{printed('t3', 'partial')}]<applications.partial.total:件:exact>")
    if denied:
        ctx.facts["applications.denied_total.total"] = denied
        extra["applications.denied_total.total"] = denied
        breakdown = []
        for row in _DENIED_KEYS:
            if t3[row][-1]:
                ctx.facts[f"applications.{row}.total"] = t3[row][-1]
                breakdown.append(f"[C:{printed('t3', row)}]<applications.{row}.total:件:exact>")
        inner = f"（包括{'、'.join(breakdown)}）" if breakdown and rng.random() < 0.7 else ""
        parts.append(f"[C:{printed('t3', 'denied_total')}]<applications.denied_total.total:件:exact>" + inner)
    for row, rate in (("unavailable_not_held", 1.0), ("unavailable_unclear", 0.6)):
        if t3[row][-1] and rng.random() < rate:
            ctx.facts[f"applications.{row}.total"] = t3[row][-1]
            parts.append(f"[C:{printed('t3', row)}]<applications.{row}.total:件:exact>")
    if other and rng.random() < 0.6:
        key = "applications.other.total" if "other" in t3 else "applications.other_total.total"
        ctx.facts[key] = other
        parts.append(
            f"[C:{printed('t3', 'other' if 'other' in t3 else 'other_total', '2021' if 'other' not in t3 else '2019')}]<{key}:件:exact>"
        )
    if t3["carried_forward"][-1]:
        ctx.facts["applications.carried_forward.total"] = t3["carried_forward"][-1]
        parts.append(f"[C:{printed('t3', 'carried_forward')}]<applications.carried_forward.total:件:exact>")
    return parts
