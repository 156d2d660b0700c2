# ruff: noqa: E501 -- templates are long Chinese sentences; wrapping them hurts reading.
"""Prose of a report in the register of real ones, written in a tiny markup that carries the spans.

Markup: `[M:行政复议]` is a METRIC span, `[C:当面申请]` a CATEGORY span, `<field:件>` prints the
fact for `field` as a COUNT span with its unit (exact, `余`, `约`, 万, 汉字) and records the printed
value as gold, `<#120:个>` prints a tally no field uses (a COUNT, never gold), `<!field>` records an explicit zero without printing anything (negations), `<?field>` records
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

_TOKEN = re.compile(r"\[(M|C):([^\]]+)\]|<([!?~]?)([a-z_.+]+|#\d+)(?::([^>:]*))?(?::([a-z_]+))?>")
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
            out.append(Piece(match.group(2), "METRIC" if match.group(1) == "M" else "CATEGORY"))
            continue
        negated, field_id, unit, style = match.group(3), match.group(4), match.group(5) or "", match.group(6)
        if negated == "!":
            ctx.gold[field_id] = 0
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
            out.append(Piece(shown_text, "COUNT", "" if tally else field_id))
            if match.end() < len(text) and text[match.end()] not in "，。；、）)":
                out.append(Piece(" "))
            continue
        out.append(Piece(shown_text, "COUNT", "" if tally else field_id))
    if pos < len(text):
        out.append(Piece(text[pos:]))
    return out


def pick(rng: random.Random, options: list[str] | tuple[str, ...]) -> str:
    return options[rng.randrange(len(options))]


# ------------------------------------------------------------------ boilerplate (no statistics)

BOILERPLATE_GENERAL = (
    "{year}年，{self_ref}深入贯彻落实党中央、国务院关于全面推进政务公开工作的决策部署，认真落实《中华人民共和国政府信息公开条例》，坚持以公开为常态、不公开为例外，推进行政决策公开、执行公开、管理公开、服务公开和结果公开，政府信息公开数量和质量显著提升。",
    "坚持把政府信息公开作为政府工作的基本制度，将公开透明作为依法行政、回应社会关切、提升政府公信力的基本要求，不断扩大公开范围，细化公开内容，拓展公开渠道。",
    "调整和充实政府信息公开工作领导小组（{doc_no}），由政府常务副职任组长，办公室主任任副组长，各有关部门负责人为成员，领导小组办公室设在政府办公室，负责日常工作。",
    "对政府信息公开审核、发布、监督评议、问责等工作流程进行了细化和完善，制定和完善了《政府信息依申请公开办法》《政府信息公开指南》《政府信息公开保密审查办法》等制度，按照部门报送、办公室推送、逐层把关的原则，依法公开。",
    "加强对政府信息公开情况的日常监管，针对公开中的问题逐一提出更新和改进要求。政府信息公开工作中有违规、违纪或泄密行为的，严格问责追究。",
    "建立健全审查机制，做好政府信息公开保密审查工作。根据《中华人民共和国保守国家秘密法》及其实施条例和上级保密审查有关规定，明确信息公开保密审查原则，规范保密审查程序，强化审查责任，全年未发生泄密事件。",
    "围绕财政预决算、重大建设项目、公共资源配置、社会公益事业、食品药品安全、环境保护、安全生产等重点领域，进一步加大信息公开力度，及时发布群众关注的热点信息，主动接受社会监督。",
    "进一步规范依申请公开工作流程，完善受理、审查、处理、答复以及保存备查等各环节，加强与申请人沟通，做好解疑释惑工作，引导公众正确行使申请权和救济权。",
    "对涉及多个部门的申请事项，加强会商协调，积极稳妥处置。对于经审核认定可以让社会广泛知晓的政府信息，在答复申请人的同时通过主动公开方式予以公开，减少对同一政府信息的重复申请。",
    "加强政府网站和政务新媒体建设管理，按照全国政府网站普查标准开展日常监测，每季度形成一次评估报告，对网站存在的问题逐一梳理整改，确保网站内容及时准确。",
    "整合各单位实体办事窗口和各部门审批服务系统，建立“前台综合受理、后台分类审批、统一窗口出件”的服务模式，使群众只需进一个门、登录一个网站，即可完成办理。",
    "严格执行行政规范性文件的制作、发布和解读要求，建立规范性文件登记台账，第一时间公开规范性文件，并同步发布政策解读材料，增进公众对政府工作的知情和理解。",
    "设置“领导信息”“机构职能”等专栏，集中发布领导分工、机构设置、办公地址、办公时间、联系方式等信息，实行动态管理，及时维护更新相关内容。",
    "开设“财政信息”专栏，集中发布部门预决算和“三公”经费信息，不断加大财政信息公开力度，积极接受社会监督。",
    "严格按照《条例》规定的期限答复申请人，答复文书格式规范，告知救济途径，依法保障公众的知情权、参与权、表达权和监督权。",
    "把政务公开工作纳入年度绩效考核体系，采取平时考核与年度考核相结合的办法，对各单位政务公开工作进行评价打分，考核结果纳入年终综合评价。",
    "建立健全新闻发言人和舆情联络员制度，完善重大事项舆情风险评估工作机制，切实抓好舆情的监测、收集、研判和报送等各项工作。",
    "进一步推进基层政务公开标准化规范化建设，梳理编制基层政务公开事项标准目录，推动公开内容覆盖权力运行全流程、政务服务全过程。",
    "在政务服务大厅设置政府信息公开查阅场所，配备电脑、触摸屏等设备，方便公众查阅主动公开的政府信息。",
    "积极推进政府数据开放，加快建设统一的政务服务大数据库，实现各部门、各层级、各领域数据共享，有效支撑行政审批、公共服务和智慧城市建设。",
    "加强“12345”政务服务便民热线和网上信箱的办理工作，及时回应群众诉求，做到件件有落实、事事有回音，办结率达到100%。",
    "根据机构改革后的职责设置、人员变动情况和工作需要，对政务公开领导小组组成单位和人员进行了调整，要求各部门明确分管领导和具体工作人员，形成统一领导、共同配合的工作局面。",
)

PROBLEMS = (
    "{year}年{self_ref}政府信息公开工作虽然取得了一定成效，但与上级要求和公众期待相比还有一定差距。主要表现在：个别部门依申请公开受理、答复不够规范，政策解读的形式比较单一，信息公开的及时性和准确性有待进一步提升。",
    "一是政务公开意识有待提升。个别单位对政务公开工作重视不够、认识不到位，认为政务公开是宣传部门或信息中心的工作职能。二是政务公开队伍有待加强。基层负责政务公开工作的人员多数为兼职人员，业务能力参差不齐。",
    "工作人员收集各条线工作信息不够及时，基层政务公开平台的内容更新不够及时，导致公开信息滞后，存在信息公开的时效性不够强等问题。",
    "部分单位公开的内容、公开的深度和广度还不够，公开的信息类型也较为单一，主要以工作动态为主，特别是政策解读、决策信息等内容数量较少。",
)

IMPROVEMENTS = (
    "一是进一步加大考核督查力度，充分发挥考核督查“指挥棒”作用，强化对政务公开工作的检查指导。二是夯实平台基础，整合升级政务公开平台，优化调整栏目板块，规范发布渠道。三是加强机构队伍建设，定期组织开展集中业务培训，不断提高工作人员的业务素质和能力水平。",
    "一是依法依规做好依申请公开工作，提高答复质量和水平。二是加大政策解读力度，对涉及群众切身利益、社会关注度高的政策性文件进行全面解读，让群众看得懂、听得懂。三是加强监督检查，确保政府信息公开工作依法规范开展。",
    "继续加大政府信息公开工作力度，进一步建立健全政府信息公开工作制度体系，把涉及人民群众切身利益、社会普遍关心的领域和行业作为推进重点，促进教育、医疗卫生、供水、供电等公共企事业单位的信息公开。",
)

# Plans and targets: numbers here are never labelled and never gold (spec convention 7).
PLANS = (
    "下一步，{self_ref}将加强信息公开业务培训，计划举办专题培训{plan_a}期，进一步提高工作人员业务水平。",
    "{next_year}年，{self_ref}将力争主动公开政府信息{plan_b}条以上，政策解读覆盖率达到100%。",
    "下一步，将按照制度化、规范化、标准化的原则，修订完善政府信息公开各项工作制度，计划在{next_year}年6月底前完成{plan_a}项制度的修订。",
    "{next_year}年，计划组织开展政务公开专题培训{plan_a}次，培训人员{plan_c}人次，力争实现全员培训。",
    "争取在{next_year}年7月底前取得初步成效，将政务开放活动拓展到{plan_a}个部门。",
)

# This year's tallies that no catalogue field uses: still COUNT spans (annotations/GUIDELINES.md).
TALLIES = (
    "积极配合上级完成政府网站普查工作，共自查整改各类[M:问题]<#{t_a}:个>，解决错误链接等问题<#{t_b}:个>。",
    "今年，共计承办[M:人大建议]<#{t_c}:件>、[M:政协提案]<#{t_d}:件>，已全部办结，办理结果均已公开。",
    "对<#{t_e}:个>[M:政务新媒体]进行备案审查，关停整合“僵尸”账号，推进政务新媒体规范运营。",
    "围绕为民服务举办各类[M:活动]<#{t_c}:次>，先后在上级平台发布[M:创新工作做法和活动总结]<#{t_f}:篇>。",
    "先后组织各成员单位召开[M:工作调度会]<#{t_f}:次>，针对发现的问题印发[M:政务督查通报]<#{t_g}:期>。",
    "全年处理[M:市长信箱信件]<#{t_h}:件>，办结率100%。",
    "整合[M:电话渠道]<#{t_g}:条>、[M:网信渠道]<#{t_f}:条>，建成统一的群众诉求综合服务平台。",
    # Further everyday tallies of real reports: varied counted nouns and units (项, 个, 场, 家, 份,
    # 批, 人次 …), breakdowns by CATEGORY, large figures; annotated by annotations/GUIDELINES.md.
    "全面梳理本级[M:权责事项]<#{t_k}:项>，涉及<#{t_e}:个>部门，并在门户网站集中公布。",
    "根据机构改革情况调整[M:行政许可事项]<#{t_c}:项>，调整后保留[M:行政许可]<#{t_b}:项>。",
    "对本级[M:证明材料]进行全面清理，共清理<#{t_h}:项>，其中[C:保留]<#{t_a}:项>、[C:取消]<#{t_f}:项>、[C:调整]<#{t_g}:项>。",
    "政务服务中心共进驻[M:政务服务事项]<#{t_k}:项>，实现“一窗受理、集成服务”。",
    "梳理公布[M:公共服务事项]<#{t_b}:项>、[M:证明事项]<#{t_d}:项>，逐项明确办理依据和流程。",
    "全年通过政务服务网办理[M:网上办件]<#{t_k}:件>，按时办结率100%。",
    "组织开展政务公开“开放日”[M:活动]<#{t_f}:场>，邀请群众代表<#{t_a}:人次>走进机关。",
    "在镇（街道）、村（社区）设立[M:政务公开专区]<#{t_d}:个>，实现基层公开全覆盖。",
    "完成[M:政府信息公开指南]修订<#{t_g}:份>，更新[M:政府信息公开目录]<#{t_c}:个>。",
    "全年共接收[M:人大代表建议]<#{t_d}:件>和[M:政协委员提案]<#{t_c}:件>，办结率100%。",
    "对辖区[M:政务新媒体]开展季度检查，共检查账号<#{t_e}:个>，督促整改[M:问题]<#{t_a}:个>。",
    "通过门户网站开设[M:专题专栏]<#{t_d}:个>，集中发布重点领域信息。",
    "完成[M:政务服务事项]标准化梳理<#{t_b}:项>，编制办事指南<#{t_b}:份>。",
    "全年组织[M:新闻发布活动]<#{t_c}:场>，回应社会关切。",
    "开展“双随机、一公开”[M:抽查]<#{t_d}:批次>，公开抽查结果<#{t_h}:条>。",
    "网站共设置[M:栏目]<#{t_a}:个>，全年发布[C:工作动态]<#{t_h}:条>、[C:通知公告]<#{t_b}:条>。",
    "编制[M:重大行政决策事项]目录，列入目录事项<#{t_g}:项>，全部按程序公开征求意见。",
    "全年开展[M:政策宣讲]<#{t_c}:场>，发放宣传资料<#{t_k}:份>。",
    "共收到网民[M:留言]<#{t_h}:条>，已回复<#{t_h}:条>，回复率100%。",
    "对<#{t_e}:家>[M:市场主体]开展信用信息公示抽查，抽查结果全部公开。",
    "组织[M:旁听庭审]活动<#{t_g}:次>，以案释法，提升依法行政水平。",
    "印发[M:工作简报]<#{t_d}:期>，报送[M:政务信息]<#{t_a}:篇>，被上级采用<#{t_f}:篇>。",
)

OTHER_YEAR = (
    "，较{prev_year}年（{prev_n}件）{trend}",
    "，{prev_year}年为{prev_n}件",
    "，同比{trend_word}{pct}%",
)


# ------------------------------------------------------------------ statistic sentences


def proactive_sentences(ctx: Context) -> list[str]:
    rng = ctx.rng
    out: list[str] = []
    facts = ctx.facts
    style = rng.random()
    if style < 0.2 and ctx.has(
        "proactive.total", "proactive.channel.website", "proactive.channel.weibo", "proactive.channel.wechat"
    ):
        # Seed 001: one sentence with channels and responses, 微博微信 combined.
        combined = combine_ids(["proactive.channel.weibo", "proactive.channel.wechat"])
        facts[combined] = facts["proactive.channel.weibo"] + facts["proactive.channel.wechat"]
        parts = [
            "{year}年，{self_ref}[M:主动公开政府信息]<proactive.total:条:exact>",
            "通过[C:网站]公开信息<proactive.channel.website:条:exact>",
        ]
        if ctx.has("proactive.channel.gazette"):
            parts.append("通过[C:政府公报]公开信息<proactive.channel.gazette:条:exact>")
        if ctx.has("responses.press_conferences"):
            parts.append("举办[M:新闻发布会]<responses.press_conferences:次>")
        if ctx.has("responses.online_interviews"):
            parts.append("进行政府网站[M:在线访谈]<responses.online_interviews:次>")
        parts.append(f"通过新闻媒体、[C:政务微博微信]公开信息<{combined}:条:exact>")
        out.append("，".join(parts) + "。")
        return out
    if style < 0.35 and ctx.has("proactive.total", "proactive.channel.website"):
        # Seed 002: a rounded total, then what the website published by kind.
        kinds = rng.sample(["政务信息", "重要会议", "政策文件", "规划计划类信息", "人事信息", "财政信息"], 3)
        tallies = "、".join(f"[C:{k}]<#{rng.randint(2, 60)}:条>" for k in kinds[1:])
        out.append(
            "全年通过门户网站及政府信息公开系统共向社会[M:公开各类信息]数量累计<proactive.total:条:wan_yu>，"
            f"其中政府网站发布[C:{kinds[0]}]<~proactive.channel.website:条:exact>、{tallies}；"
            f"发布[C:政民互动类信息]<#{rng.randint(5, 90)}:条>，制作[M:政务专题]<#{rng.randint(2, 30)}:个>。"
            if facts["proactive.total"] >= 10000
            else "全年共[M:公开各类政府信息]<proactive.total:条>，"
            f"其中政府网站发布[C:{kinds[0]}]<~proactive.channel.website:条:exact>、{tallies}。"
        )
        return out
    if ctx.has("proactive.total"):
        out.append(
            pick(
                rng,
                [
                    "{year}年，{self_ref}通过政府门户网站、政务微博、政务微信等渠道[M:主动公开政府信息]<proactive.total:条>。",
                    "全年共[M:公开各类政府信息]<proactive.total:条>，信息数量和服务内容明显增加。",
                    "{year}年，全{unit_word}通过“政务公开信息管理系统”[M:公开各类政府信息]<proactive.total:条>。",
                    "今年以来，{self_ref}[M:主动公开各类政府信息]<proactive.total:条>，涵盖公告公示、领导分工、计划总结等各个方面。",
                    "全年通过门户网站及政府信息公开系统共向社会[M:公开各类政府信息]累计<proactive.total:条>。",
                    "{year}年，{self_ref}按照“公开为常态、不公开为例外”的原则，全年[M:主动公开政府信息]<proactive.total:条>{other_year}。",
                    "截至{year}年12月31日，{self_ref}共[M:主动公开政府信息]<proactive.total:条>，其中通过政府信息公开平台发布<#"
                    + str(max(1, int(facts.get("proactive.total", 1) * 0.6)))
                    + ":条>。",
                ],
            )
        )
    channels = [
        ("政府网站", "proactive.channel.website", "发布"),
        ("政府公报", "proactive.channel.gazette", "刊登"),
        ("政务微博", "proactive.channel.weibo", "发布"),
        ("政务微信", "proactive.channel.wechat", "推送"),
    ]
    present = [c for c in channels if ctx.has(c[1])]
    if present and rng.random() < 0.8:
        if rng.random() < 0.5:
            parts = "、".join(f"通过[C:{name}]{verb}<{fid}:条>" for name, fid, verb in present)
        else:
            parts = "，".join(f"[C:{name}]{verb}信息<{fid}:条>" for name, fid, verb in present)
        out.append(f"其中，{parts}。")
    if rng.random() < 0.25:
        out.append(
            "同时，积极利用各种渠道公开政府信息，通过[C:微博、微信、电视、报纸、公告栏等渠道][M:主动公开各类政府信息]"
            f"<#{rng.randint(50, 9000)}:条次>（不含通过不同渠道公开的重复信息）。"
        )
    if ctx.has("responses.interpretations") and rng.random() < 0.3:
        out.append(
            "对涉及面广、专业性强、社会关注度高的<responses.interpretations:条>政策性文件、法规、办法等进行了[M:政策解读]，增进公众对政府工作的知情和理解。"
        )
    elif ctx.has("responses.interpretations", "responses.press_conferences") and rng.random() < 0.8:
        out.append(
            pick(
                rng,
                [
                    "围绕重大政策出台，发布[M:政策解读]<responses.interpretations:条>，举办[M:新闻发布会]<responses.press_conferences:次>。",
                    "对涉及面广、专业性强、社会关注度高的政策性文件进行了[M:政策解读]，全年发布解读材料<responses.interpretations:篇>；举办或参加[M:新闻发布会]<responses.press_conferences:场>。",
                    "全年发布[M:政策解读]稿件<responses.interpretations:篇>，其中[C:图解、视频等多形式]解读<#"
                    + str(max(1, int(facts.get("responses.interpretations", 2)) // 3))
                    + ":篇>；召开[M:新闻发布会]<responses.press_conferences:场>。",
                ],
            )
        )
    if ctx.has("responses.online_interviews") and rng.random() < 0.7:
        out.append(
            pick(
                rng,
                [
                    "门户网站定期开展[M:在线访谈]活动，邀请各部门负责同志对重大政策进行解读，回应群众关切，全年共举办<responses.online_interviews:场>。",
                    "{year}年共举办[M:在线访谈]<responses.online_interviews:期>，邀请部门主要负责人走进直播间，解读政策、回应关切。",
                ],
            )
        )
    if ctx.has("responses.hot_topics") and rng.random() < 0.5:
        out.append(
            "及时回应公众关注热点或重大舆情，全年[M:回应公众关注热点或重大舆情]<responses.hot_topics:次>。"
        )
    return out


def application_sentences_old(
    ctx: Context, channel_parts: list[tuple[str, str]], answered: list[tuple[str, str]]
) -> list[str]:
    """Pre-2019 prose on applications: total, channels (with combined categories), answers."""
    rng = ctx.rng
    out: list[str] = []
    if not ctx.has("applications.new.total"):
        return out
    if ctx.facts["applications.new.total"] == 0 and rng.random() < 0.7:
        out.append("{year}年，{self_ref}未收到[M:政府信息公开申请]。<!applications.new.total>")
        return out
    head = pick(
        rng,
        [
            "{year}年，{self_ref}共受理[M:政府信息公开申请]<applications.new.total:件:exact>{other_year}。",
            "全年共收到[M:政府信息公开申请]<applications.new.total:件:exact>{other_year}。",
            "{year}年，全{unit_word}共受理[M:依申请公开]<applications.new.total:件:exact>。",
        ],
    )
    if channel_parts:
        sep = pick(rng, ["，", "；"])
        parts = sep.join(
            f"[C:{label}]{suffix}<{fid}:件:exact>" + (f"，占{_pct(ctx, fid)}%" if rng.random() < 0.3 else "")
            for fid, (label, suffix) in channel_parts
        )
        head += f"其中，{parts}。"
    out.append(head)
    if answered:
        total_part = ""
        new = ctx.facts["applications.new.total"]
        answered_all = ctx.facts.get("applications.answered.total") == new
        on_time = answered_all and ctx.facts.get("applications.answered.extended", 0) == 0
        choice = rng.random()
        if on_time and choice < 0.3:
            # Seed 000: the statement implies answered/on-time totals without printing them.
            total_part = "全年受理的<applications.new.total:件:exact>[M:政府信息公开申请]全部按期办理答复。<?applications.answered.total><?applications.answered.on_time>"
        elif ctx.has("applications.answered.total") and choice < 0.7:
            rate = "答复率100%" if answered_all else "其余正在办理中"
            total_part = f"在<applications.new.total:件:exact>[M:政府信息公开申请]中，[C:已经答复]的<applications.answered.total:件:exact>，{rate}。"
        items = []
        for fid, label in answered:
            pct = (
                f"，占答复总量的{_pct(ctx, fid, 'applications.answered.total')}%"
                if rng.random() < 0.5
                else ""
            )
            items.append(
                pick(rng, [f"[C:{label}]的<{fid}:件:exact>{pct}", f"“[C:{label}]”<{fid}:件:exact>{pct}"])
            )
        out.append(total_part + "其中，" + "；".join(items) + "。")
    return out


def _pct(ctx: Context, fid: str, total: str = "applications.new.total") -> str:
    whole = ctx.facts.get(total) or 0
    part = ctx.facts.get(fid) or 0
    if not whole:
        return "0"
    return f"{100 * part / whole:.1f}".rstrip("0").rstrip(".")


def fee_sentences(ctx: Context) -> list[str]:
    rng = ctx.rng
    if ctx.facts.get("fees.collected", 0) == 0:
        return [
            pick(
                rng,
                [
                    "{year}年，{self_ref}全年未收取依申请公开政府信息相关[M:费用]。<!fees.collected>",
                    "按照《国家发展改革委 财政部关于行政机关依申请提供政府公开信息收费标准及有关问题的通知》（发改价格〔2008〕1828号）要求，全年未收取相关成本[M:费用]，也未发现擅自增加收费项目、扩大收费范围或提高收费标准的行为。<!fees.collected>",
                    "根据《财政部 国家发展改革委关于清理规范一批行政事业性收费有关政策的通知》（财税〔2017〕20号）要求，取消了依申请提供政府公开信息收费，全年未因依申请公开产生[M:收费]情况。<!fees.collected>",
                    "{year}年，{self_ref}无向政府信息公开申请人进行[M:收费]的情况。<!fees.collected>",
                ],
            )
        ]
    return [
        "{year}年，{self_ref}依申请提供政府信息共收取[M:费用]<fees.collected:元>，全部为检索、复制、邮寄成本费。"
    ]


def review_sentences(ctx: Context) -> list[str]:
    rng = ctx.rng
    review = ctx.facts.get("review.total", 0)
    litigation = ctx.facts.get("litigation.total", 0)
    complaints = ctx.facts.get("complaints.total")
    if review == 0 and litigation == 0 and rng.random() < 0.7:
        if complaints == 0:
            return [
                "全年没有收到涉及政府信息公开事务的[M:投诉]、[M:行政复议]申请，也没有针对政府信息公开事务的[M:行政诉讼]案件。<!complaints.total><!review.total><!litigation.total>"
            ]
        return [
            "{year}年，{self_ref}未发生因政府信息公开申请提起[M:行政复议]和[M:行政诉讼]的情况。<!review.total><!litigation.total>"
        ]
    out = [
        pick(
            rng,
            [
                "{year}年{self_ref}受理以信息公开为案由的[M:行政复议]案件<review.total:件:exact>，因政府信息公开为案由的[M:行政诉讼]案件<litigation.total:件:exact>。",
                "{year}年度针对政府信息公开的[M:行政复议]案<review.total:件:exact>，[M:行政诉讼]案<litigation.total:件:exact>。",
                "全年发生涉及政府信息公开的[M:行政复议]<review.total:件:exact>、[M:行政诉讼]<litigation.total:件:exact>{other_year}。",
            ],
        )
    ]
    if complaints is not None and rng.random() < 0.6:
        if complaints == 0:
            out.append("全年未收到有关政府信息公开工作的[M:举报投诉]。<!complaints.total>")
        else:
            out.append("全年收到有关政府信息公开的[M:举报投诉]<complaints.total:件:exact>，均已按规定办理。")
    return out


def staff_sentences(ctx: Context) -> list[str]:
    rng = ctx.rng
    out: list[str] = []
    if ctx.has("staff.offices", "staff.reading_points", "staff.total", "staff.full_time"):
        out.append(
            pick(
                rng,
                [
                    "目前，全{unit_word}共有政府信息公开工作[M:专门机构]<staff.offices:个>，政府信息公开[M:查阅点]<staff.reading_points:个>，从事政府信息公开的[M:工作人员]<staff.total:人>，其中[C:专职人员]<staff.full_time:人>。",
                    "{self_ref}设立政府信息公开[M:专门机构]<staff.offices:个>、[M:查阅点]<staff.reading_points:个>，配备[M:工作人员]<staff.total:人>（其中[C:专职人员]<staff.full_time:人>）。",
                ],
            )
        )
    elif ctx.has("staff.full_time", "staff.part_time"):
        out.append(
            "全{unit_word}从事政府信息公开工作的[C:专职人员]<staff.full_time:人>、[C:兼职人员]<staff.part_time:人>。"
        )
    if ctx.has("funding.total") and rng.random() < 0.8:
        out.append(
            pick(
                rng,
                [
                    "{year}年，全{unit_word}用于政府信息公开查阅场所增设计算机、触摸屏等设备，印刷宣传资料、培训资料和政府网站建设更新的[M:经费]<funding.total:元>。",
                    "全年政府信息公开工作专项[M:经费]<funding.total:元>，纳入年度财政预算。",
                ],
            )
        )
    if ctx.facts.get("training.sessions") and rng.random() < 0.8:
        part = "，[M:培训]工作人员<training.participants:人次>" if ctx.has("training.participants") else ""
        out.append(
            pick(
                rng,
                [
                    f"全年共组织政务公开相关[M:培训]<training.sessions:次>{part}，进一步提升了工作人员的业务水平。",
                    f"通过以干代训和集中培训的方式不断提高队伍整体水平，全年举办政府信息公开业务[M:培训]<training.sessions:期>{part}。",
                ],
            )
        )
    elif ctx.has("training.participants") and rng.random() < 0.8:
        out.append(
            "邀请政务公开有关专家进行授课，共[M:培训]工作人员<training.participants:人次>，对强化工作措施、提升工作水平具有显著成效。"
        )
    if ctx.has("meetings.total") and rng.random() < 0.6:
        out.append("全年召开政府信息公开工作[M:会议]<meetings.total:次>，研究部署政务公开重点工作。")
    if ctx.has("consultations.total") and rng.random() < 0.8:
        out.append(
            pick(
                rng,
                [
                    "{year}年，共接受[M:咨询]<consultations.total:人次>。",
                    "全年通过电话、现场和网络等方式接受公众[M:咨询]<consultations.total:人次>，均予以耐心解答。",
                ],
            )
        )
    return out


_DENIED_SHORT = (
    ("denied_state_secret", "属于国家秘密"),
    ("denied_law_forbidden", "其他法律行政法规禁止公开"),
    ("denied_security_stability", "危及“三安全一稳定”"),
    ("denied_third_party", "保护第三方合法权益"),
    ("denied_internal_affairs", "属于三类内部事务信息"),
    ("denied_process_info", "属于四类过程性信息"),
    ("denied_enforcement_file", "行政执法案卷"),
    ("denied_query", "行政查询事项"),
)


def applications_2019_sentence(ctx: Context, t3: dict[str, list[int]]) -> tuple[str, dict[str, int]]:
    """2019+ prose summary of table 3 (the printed table wins; prose-only subtotals are optional).

    Returns the markup and the prose-only fields (ids not printed by the table) with their values.
    """
    rng = ctx.rng
    total = t3["new"][-1]
    granted, partial = t3["granted"][-1], t3["partial"][-1]
    denied = sum(t3[r][-1] for r in t3 if r.startswith("denied_") and r != "denied_total")
    not_held = t3["unavailable_not_held"][-1]
    unclear = t3["unavailable_unclear"][-1]
    other = (
        t3["other"][-1]
        if "other" in t3
        else sum(t3[r][-1] for r in ("other_no_correction", "other_unpaid_fee", "other_misc"))
    )
    forward = t3["carried_forward"][-1]
    ctx.facts["applications.new.total"] = total if rng.random() > 0.15 else total + rng.choice([1, 2, -1])
    ctx.facts["applications.new.total"] = max(0, int(ctx.facts["applications.new.total"]))
    if ctx.facts["applications.new.total"] == 0:
        return "{year}年，{self_ref}未收到[M:政府信息公开申请]。<!applications.new.total>", {}
    sep = pick(rng, ["，", "，", "；"])
    parts = [
        pick(
            rng,
            [
                "{year}年，{self_ref}共收到[M:政府信息公开申请]<applications.new.total:件:exact>",
                "{year}年，全{unit_word}各部门共收到[M:政府信息公开申请]<applications.new.total:件:exact>",
                "{year}年度，{self_ref}新收[M:政府信息公开申请]<applications.new.total:件:exact>{other_year}",
            ],
        )
    ]
    extra: dict[str, int] = {}
    if rng.random() < 0.3 and granted + partial:
        # Seed 003: 予以公开和部分公开 combined (a CATEGORY; no catalogue id for a combined table-3 row).
        parts.append(f"[C:予以公开和部分公开]<#{granted + partial}:件:exact>")
    else:
        ctx.facts["applications.granted.total"] = granted
        parts.append("[C:予以公开]<applications.granted.total:件:exact>")
        if partial:
            ctx.facts["applications.partial.total"] = partial
            parts.append("[C:部分公开]<applications.partial.total:件:exact>")
    if denied:
        ctx.facts["applications.denied_total.total"] = denied
        extra["applications.denied_total.total"] = denied
        breakdown = []
        for row, label in _DENIED_SHORT:
            if t3[row][-1]:
                ctx.facts[f"applications.{row}.total"] = t3[row][-1]
                breakdown.append(f"[C:{label}]<applications.{row}.total:件:exact>")
        inner = f"（其中{'、'.join(breakdown)}）" if breakdown and rng.random() < 0.7 else ""
        parts.append("[C:不予公开]<applications.denied_total.total:件:exact>" + inner)
    if not_held:
        ctx.facts["applications.unavailable_not_held.total"] = not_held
        parts.append("[C:本机关不掌握相关政府信息]<applications.unavailable_not_held.total:件:exact>")
    if unclear and rng.random() < 0.6:
        ctx.facts["applications.unavailable_unclear.total"] = unclear
        parts.append(
            f"[C:{pick(rng, ['补正后仍不明确', '补正后申请内容仍不明确'])}]<applications.unavailable_unclear.total:件:exact>"
        )
    if other and rng.random() < 0.6:
        key = "applications.other.total" if "other" in t3 else "applications.other_total.total"
        ctx.facts[key] = other
        parts.append(f"[C:其他处理]<{key}:件:exact>")
    if forward:
        ctx.facts["applications.carried_forward.total"] = forward
        parts.append("[C:结转下年度继续处理]<applications.carried_forward.total:件:exact>")
    text = sep.join(parts) + "。"
    if ctx.facts.get("fees.collected", 0) == 0 and rng.random() < 0.3:
        text += "依据《中华人民共和国政府信息公开条例》规定，对本年度收到的<applications.new.total:件:exact>信息公开申请全部进行了费用减免。<?fees.collected>"
    return text, extra
