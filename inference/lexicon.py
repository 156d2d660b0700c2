"""Report knowledge shared by the pipeline steps, each piece defined once.

Every step that needs one of these reads it from here (or from the data file named), never from a
copy of its own; `tests/test_architecture.py` fails when a second copy of a list appears.

- numerals: the characters of 汉字 numbers (`CN_DIGITS`, `CN_NUMERAL_CHARS`, `MULTIPLIERS`) and
  of section/item numbering (`ORDINALS`);
- numbering and headings: regex pieces for `一、`, `(一)`, `1.` and the prefix of a numbered
  label (`NUMBERING_PREFIX`);
- units: `data/units.tsv` (`units()`, `unit_pattern()`): every counting/money unit with its base
  unit and scale, and whether tables print it and whether `一` + it is a tally (`一个`);
- clause cues: clause and sentence breaks, negation, plans, other years (`CLAUSE_BREAK`, …);
- Taiwan phrasing: `data/taiwan_phrasing.tsv` (`taiwan_rows()`): what the normaliser rewrites,
  which mainland words it must keep, which spellings only matching accepts, and the markers;
- template cues: wording only one national template prints (`TEMPLATE_CUES`).

Row, metric and category wording stays in its own data files (`rule_phrases.tsv`,
`prose_lexicon.tsv`, `table_lexicon.tsv`), read by the step that owns them.

>>> unit_pattern("table")
'万人次|人次|万元|亿元|万条|万件|元|件|条|次|人|个|篇|项'
>>> unit_scale("万元")
('元', 10000)
>>> bool(NUMBERING_PREFIX.fullmatch("其中: (三) "))
True
"""

from __future__ import annotations

import csv
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TypeVar

from inference import DATA_DIR

UNITS_PATH = DATA_DIR / "units.tsv"
TAIWAN_PATH = DATA_DIR / "taiwan_phrasing.tsv"
T = TypeVar("T")

# ----------------------------------------------------------------------------- numerals

YEAR_NUMBER = r"(?:19|20)\d{2}"
"""A year in Arabic digits (`2019`), as reports print them."""
YEAR_CELL = rf"{YEAR_NUMBER}\s*年\s*度?"
"""A table cell that is a year (`2022年`, `2021 年度`): a column or row of that year's figures."""
TABLE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("cumulative", r"本年累计|历年累计|累计数|累计"),
    ("code", r"代\s*码"),
    ("unit", r"计\s*量\s*单\s*位|单\s*位"),
    ("previous", r"上年数|上年同期数?|上年度数|去年同期数?|上年|去年"),
    ("change", r"(?:同比|比上年|较上年)?(?:增减|增长|增幅|变化|变动)(?:幅度|情况|量|率)?|同比|比上年|较上年"),
    (
        "this_year",
        r"本期实际|本期数|本年数|本年度|本年实际|本年|本期|当年数|年度数|统计数|数量"
        rf"|{YEAR_CELL}",
    ),
)
"""Value columns a statistics table may print after its label column, by their header words, in
the order they are looked for (`tables.old_columns`, `prose.column_of`); a year names this year's
column or another's, as the report's year says."""
CN_DIGITS = "零〇一二两三四五六七八九"
"""The 汉字 digits (两 and 〇 included)."""
YEAR_DIGITS = CN_DIGITS.replace("两", "")
"""The digits of a year written digit by digit (二〇一九)."""
CAPITAL_NUMERALS = dict(zip("壹贰叁参肆伍陆柒捌玖拾佰仟", "一二三三四五六七八九十百千", strict=True))
"""大写 numerals (financial writing: `叁拾元`, `壹万贰仟元`) → the common ones; `参` stands for 叁
in a Traditional mirror simplified by OpenCC (參 → 参). `normalize` rewrites them where they are
a number, so every step downstream reads one set of numerals."""
CAPITAL_AS_WORD = "参"
"""大写 numerals that are common words too (`参加`): a number only beside another 大写 numeral."""
CN_SMALL_SCALES = "十百千"
CN_LARGE_SCALES = "万亿"
CN_NUMERAL_CHARS = CN_DIGITS + CN_SMALL_SCALES + CN_LARGE_SCALES
"""Every character a 汉字 number is written with."""
MULTIPLIERS: dict[str, int] = {"十": 10, "百": 100, "千": 1000, "万": 10_000, "亿": 100_000_000}
ORDINALS = "一二三四五六七八九十"
"""The characters of section and item numbers (`三、`, `(十二)`)."""

# ----------------------------------------------------------------------------- numbering and headings
# regex sources, to be combined; each names one printed form

SECTION_NUMBER = f"[{ORDINALS}]+、"
"""`三、`: a section number."""
PAREN_ORDINAL = f"[(（][{ORDINALS}]+[)）]"
"""`(三)`: an item number in brackets."""
PAREN_ITEM = rf"[(（][{ORDINALS}\d]+[)）]"
"""`(三)` or `(3)`."""
ORDINAL_ITEM = f"[{ORDINALS}]+[、.．]"
"""`三、`, `三.`."""
DIGIT_ITEM = r"\d+[.．、]"
"""`3.`, `3、`."""
CIRCLED = "".join(chr(0x2460 + i) for i in range(20))
"""`①`–`⑳`: what some reports print for an item's `3.` (converters write `\\textcircled{3}`)."""


def circled(number: int) -> str | None:
    """The circled number of 1–20 (`circled(3)` is `③`), else None."""
    return CIRCLED[number - 1] if 0 < number <= len(CIRCLED) else None


SUBITEM_LEAD = r"其中[:：]?"
"""`其中:` before a sub-row label."""
ITEM_NUMBER = rf"(?:[(（]?[\d{ORDINALS}]+[)）]|[(（]?[\d{ORDINALS}]+[.．、](?!\d))"
"""Any numbering before a label: `(三)`, `三)`, `(3)`, `三、`, `3.` (not the `3.` of `3.5`)."""
NUMBERING_PREFIX = re.compile(rf"^\s*(?:{SUBITEM_LEAD})?\s*{ITEM_NUMBER}?\s*")
"""The numbering (and `其中:`) before a row label; `NUMBERING_PREFIX.sub("", label, count=1)`."""

# ----------------------------------------------------------------------------- clause cues

CLAUSE_BREAK = re.compile(r"[,，;；。!！?？\n\t|]")
"""Ends a clause (a table cell ends one too)."""
SENTENCE_BREAK = re.compile(r"[。!！?？\n\t|]")
"""Ends a sentence (a table cell ends one too)."""
NEGATION = re.compile(
    r"没有|均未|并未|从未|(?<!尚)未(?!来|经|能|按)|无(?!法|正当|论|需|须|偿|障碍|纸|缝|误|一(?!例(?!外))|不)"
)
"""A negation that states zero (没有收到…, 未收取…, 无一例),
not 尚未健全, 未来, 无法, 无正当理由, 无一例外."""
PLAN_PARAGRAPH = re.compile(r"下一步|下步|明年|下一年度|来年")
"""Opens a paragraph about next year's plans: nothing in it is a statistic of the report's year."""
PLAN_DEED = re.compile(
    r"将(?=组织|开展|举办|召开|继续|进一步|加大|加强|持续|定期|适时|不断|全面|积极|做好|完成|推进|建立|实现|确保)"
)
"""将 before a deed (`我局将组织开展培训4次`): the spec's plan word, to the end of its sentence; not
将 as the object marker (`将3条信息予以公开`)."""
PLAN_CLAUSE = re.compile(
    rf"(?:计划|拟|力争|争取|预计|将要|将会|准备|目标是)(?!类|总结|信息|生育|单列)|{PLAN_DEED.pattern}"
)
"""Makes a clause a plan (计划开展3次), not 计划类/计划总结 (nouns)."""
PLAN_TO_LINE_END = re.compile(rf"下一步(?:(?![\n\t|]|\s{SECTION_NUMBER}).){{0,400}}")
"""The region of a plan for the rule tagger: 下一步 to the end of its line, table cell or the next
section heading. Narrower than `PLAN_PARAGRAPH`: the tagger drops every span inside it."""
PLAN_TO_SENTENCE_END = re.compile(
    r"(?:下步|今后|力争|争取|计划于|拟于|计划(?=组织|开展|举办|在|将|完成|新增|实现))[^。\n]*"
)
"""The region of a plan verb for the rule tagger, to the end of its sentence; 计划 only before an
action (`规划计划3条` is a category, not a plan), unlike `PLAN_CLAUSE`, which judges a clause."""
PREVIOUS_YEAR = r"(?:上年|去年|上一年|前一年)"
"""Names the year before the report's."""
PREVIOUS_YEAR_FIGURE = rf"{PREVIOUS_YEAR}(?!度?结转)"
"""The year before, naming its figure: not 上年结转 (the requests carried over into this year)."""
OTHER_YEAR = re.compile(rf"{PREVIOUS_YEAR_FIGURE}|同比|环比|较上年|比上年|比去年|(?:比|较)\s*\d{{4}}\s*年")
"""Makes a clause about another year's figure (同比增加, 较上年, 比2017年), not 上年结转 (a table row)."""
CHANGE_CLAUSE = re.compile(r"^\s*(?:并|共|又|再)?(?<!新)(?:增加|增长|减少|下降|上升|多出|少了)了?\s*$")
"""A clause that is only a change (`…3,884条,增加674条`): the count is a difference, not a figure."""
NOT_A_COUNT_AFTER = re.compile(r"[ \u3000]?(?:[%％‰年月日号时]|周年|周岁|岁)")
"""What follows a number that is a rate, a date, a time or an age, not a count (`70 周年`, `3个月`)."""
DATE_TIME_BEFORE = re.compile(r"(?:(?<![\d.])\d{1,2}\s*[:：]|\d{4}\s*[-/.]\s*\d{1,2}\s*[-/.])\s*$")
"""Right before a bare number, the hour of a clock time or the year and month of a date
(`17:48`, `2022-01-13`): the number is a minute or a day, not a count."""
PAGE_FIELD_BEFORE = re.compile(
    r"(?:标题|发布时间|发布日期|成文日期|文号|发文字号|索引号|发布机构|发文机关|来源|信息来源|栏目|所属栏目"
    r"|浏览次数|浏览量|点击数|点击量|阅读数|阅读量|访问量|访问次数|字号|主题分类)\s*[:：]\s*$"
)
"""A web page's own field name right before a count on its line (`发布机构: 1`, `浏览次数：235`):
the page's metadata, not the report's statistics."""
CONTACT_BEFORE = re.compile(
    r"(?:(?:电话|传真|手机|热线|邮编|邮政编码|信箱)\s*(?:号码)?\s*[:：]\s*(?:[(（]?0\d{2,3}[)）]?\s*[-—–]?\s*)?"
    r"|(?<![\d.])0\d{2,3}\s*[-—–]\s*|[(（]0\d{2,3}[)）]\s*[-—–]?\s*)$"
)
"""Right before a number, a contact field or an area code (`电话:0750-8288286`, `邮编:529724`,
`(0591)-24321234`): a phone number or post code, not a count."""
SERVICE_NUMBER_AFTER = re.compile(
    r"[ \u3000]?(?:[\u4e00-\u9fff]{0,6}?)(?:热线|专线|服务电话|咨询电话|投诉电话|举报电话|服务号码)"
)
"""Right after a bare number of 3 or more digits, a hotline's name (`12366热线`, `12345政务服务便民
热线`): the number is the line's, not a count."""
ARTICLE_RANGE_BEFORE = re.compile(
    r"第\s*[\d〇零一二三四五六七八九十百]+\s*(?:条\s*)?(?:至|到|和|、|-|—|–|~|～)\s*$"
)
"""Right before a number in 条/款/项, the first article of a range (`《条例》第9至12条规定的`):
the number is the last article, not a count."""
RANGE_AFTER = re.compile(rf"\s*(?:至|到|~|～|—|–)\s*[\d{ORDINALS}]+(?![\d{ORDINALS}]|\s*[年月日号])")
"""Right after a count, the rest of a range (`3至5个工作日`, `20至30人`): the count is the range's
lower end, not a statistic; not before a date (`3000条至2022年底`)."""
RANGE_BEFORE = re.compile(r"\d\s*[\u4e00-\u9fff]?\s*(?:至|到|~|～|—|–)\s*$")
"""Right before a count, the lower end of a range, with its unit (`3个至`): the count is its upper end."""
DURATION_AFTER = re.compile(r"\s*个?\s*(?:工作日|自然日|日内|天内|个月|小时|分钟)")
"""What follows a number (its unit included) that is a time limit, not a count (`15个工作日内`)."""
OUTLINE_UNIT = re.compile(r"\s*个?(?:部分|方面|大项|大类|类别|板块)")
"""Right after a count (its unit included), a count of the report's own parts or of kinds of
information (`等7个部分`, `等6大项`): an outline, not a statistic."""
FIGURE_CELL = re.compile(r"[ \u3000]*(?:[-−+]?\d[\d,，.]*\s*[%％]?|[-—–/／])[ \u3000]*")
"""A table cell that is a value (`12`, `-3`, `38.22`, `1,203`, `12%`) or a dash or slash printed for
none: `fullmatch` it. A row with one is a figure row, not the rest of a wrapped label."""
_LINE_SPACE = r"[ \t\u3000]*"
"""Spaces within one line (`\\s` would run a pattern across lines: `-` / `1` / `-` cells)."""
PAGE_MARKER = (
    rf"[-—–]*{_LINE_SPACE}(?:第{_LINE_SPACE}\d{{1,3}}{_LINE_SPACE}页"
    rf"(?:{_LINE_SPACE}[,，、/／]?{_LINE_SPACE}共{_LINE_SPACE}\d{{1,3}}{_LINE_SPACE}页)?"
    rf"|共{_LINE_SPACE}\d{{1,3}}{_LINE_SPACE}页{_LINE_SPACE}[,，]?{_LINE_SPACE}第{_LINE_SPACE}\d{{1,3}}{_LINE_SPACE}页"
    rf"|\d{{1,3}}{_LINE_SPACE}(?:[/／]{_LINE_SPACE}\d{{1,3}}{_LINE_SPACE})?页"
    rf"|[Pp]age{_LINE_SPACE}\d{{1,3}}(?:{_LINE_SPACE}(?:of|/){_LINE_SPACE}\d{{1,3}})?){_LINE_SPACE}[-—–]*"
    rf"|[-—–]+{_LINE_SPACE}\d{{1,3}}{_LINE_SPACE}[-—–]+"
)
"""A printed page number, as a line of its own in text copied or converted from a PDF: `- 3 -`,
`第3页`, `第 3 页 共 12 页`, `3/12页`, `Page 3 of 12` (a bare `3` is a page number only in a PDF's
footer zone, `read_pdf`; elsewhere it may be a table cell)."""
CUMULATIVE = re.compile(r"累计")
"""A running total (`累计公开…`), unless its sentence scopes it to the report's year."""
END_DATE = re.compile(
    r"(?:截至|截止到|截止|截至到|到)\s*\d{4}\s*年(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?|底|末)?"
)
"""An end date with no start (`截至2015年12月31日`): it does not scope a running total to its year."""
PART_OF_YEAR = re.compile(r"[上下]半年|第?[一二三四1-4１-４]\s*季度")
"""Scopes a figure to part of the year (`上半年受理申请3件`, `第一季度`): a part, not the year's total."""


@cache
def issuer_words() -> dict[str, tuple[str, ...]]:
    """`data/issuer_words.tsv` by kind, longest word first (so alternations prefer `街道办事处` to `处`).

    Read by `inference.region` (zones shorten the place names they carry), `inference.metadata` and
    here (`WHOLE_SCOPE`'s township words).
    """
    words: dict[str, list[str]] = {}
    for line in (DATA_DIR / "issuer_words.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, word = line.split("\t")[:2]
        words.setdefault(kind, []).append(word)
    return {kind: tuple(sorted(ws, key=len, reverse=True)) for kind, ws in words.items()}


SCOPE_RANKS: dict[str, int] = {
    "国": 0, "省": 1, "自治区": 1, "市": 2, "州": 2, "盟": 2, "县": 3, "区": 3, "旗": 3,
}  # fmt: skip
"""Division words by level, the nation 0 to a county 3 (a township is 4): a scope ranked above the
issuer's own division is another body's (`全省…` in a city's report)."""
WIDER_SCOPE = re.compile(rf"全({'|'.join(SCOPE_RANKS)})")
"""A whole division named as a count's scope (`全省共受理…`), ranked by `SCOPE_RANKS`."""
_DIVISIONS = "|".join(sorted((w for w in SCOPE_RANKS if w != "国"), key=len, reverse=True))
"""The division words below the nation (`自治区|省|市 …`), for the patterns that name a division."""
WHOLE_SYSTEM = re.compile(rf"全(?:{'|'.join(SCOPE_RANKS)})|系统(?:汇总|合计)?|汇总")
"""A whole division or a department's whole system named over a table (`全市交通运输系统汇总情况`)."""
OWN_DIVISION = re.compile(rf"[我本]({_DIVISIONS})")
"""The issuer's division named as its own (`我市`, `本县`): beside a wider division's figure
(`全省…86420件;我市共新收…1268件`) it is the issuer's."""
_LOCAL_DIVISIONS = "|".join(
    [*(word for word, rank in SCOPE_RANKS.items() if rank), *issuer_words()["township_suffix"]]
)
_COUNTED_BODIES = "单位|学校|医院|村委会|居委会|村|社区|乡镇|街道"
"""Bodies a report counts by number (`3个事业单位`, `14个行政村`)."""
SUBUNITS = re.compile(
    r"各(?:乡镇|街道|镇|乡|社区|村|部门|单位|委办局|学校|医院)|(?<![\u4e00-\u9fff])乡镇"
    r"|(?:^|(?<=[，,。；;\n]))(?:社区工作站|社区服务站|村委会|居委会)"
    r"|(?:所属|下属|直属|局属|委属|厅属|区直|县直|市直|省直|二级)各?(?:部门|单位|机构|学校|医院)"
    rf"|(?:所属|下属|直属|所辖|辖区内?|局属|委属|厅属)\s*[\d{CN_DIGITS}十]+\s*个?(?:事业|行政)?"
    rf"(?:部门|机构|{_COUNTED_BODIES})"
)
"""Names the issuer's subunits (`各街道`, `乡镇`, `局属单位`): a figure of theirs in the same clause is
a part, not the issuer's total, unless the clause names the whole (`WHOLE_SCOPE`) or a year."""
WHOLE_SCOPE = re.compile(
    rf"全(?:{_LOCAL_DIVISIONS}|系统)|[我本](?:{_LOCAL_DIVISIONS}|局|委|办|厅|部门|单位|机关)|机关本级|局机关|本级"
)
"""Names the issuer as a whole (`全县`, `我区`, `本局`, `机关本级`); division words from `SCOPE_RANKS`
and the township suffixes of `data/issuer_words.tsv`."""
OWN_BODY = re.compile(
    r"[本我](?:局|委|厅|办|署|单位|部门|镇|乡|街道)|(?:局|委|厅)机关|(?:局|委|厅)本级"
    r"|(?:镇|乡)(?:人民)?政府|(?:镇|乡)党政办|街道办事处|街道(?=自行|本级)"
)
"""A department, township or street office naming itself (`本局`, `我委`, `局机关`, `镇政府`): beside
a division's or a government's figure (`全县共受理申请200件,其中本局受理18件`, `区政务公开办…12期;
街道自行组织培训2期`) its figure is the issuer's, the other is not. A county or city government's
`本级`/`本机关` are parts of its own whole, so they are not here (`GOVERNMENT_OWN_LEVEL`)."""
UNITS_COUNTED_AFTER = re.compile(rf"(?:事业|行政)?(?:{_COUNTED_BODIES})")
"""Right after `N个`, the bodies counted (`所辖14个行政村`, `3个事业单位`): a number of bodies, not
of what they did (机构 and 部门 are not here: `设立1个机构` states `staff.offices`)."""
TABLE_NOTE = re.compile(
    r"\s*(?:注|说明|备注)\s*\d?\s*[:：][^。\n]*?(?:表中|本表|上表|该表|以上数据|上述数据)"
)
"""A note on a table (`注：表中行政诉讼数据含上年度结转…的案件1件`): it explains the table's figures,
its own counts are parts of them, not fields."""
APPLICANT_PERSON = re.compile(r"公民|自然人|个人")
APPLICANT_ORGANISATION = re.compile(r"法人|企业|其他组织|社会组织")
"""Applicant types (`公民申请34件`): a clause naming one kind of applicant, not all of them
(`公民、法人和其他组织申请40件`), counts a part of the applications, which no pre-2019 field holds."""
PER_UNIT_BEFORE = re.compile(r"各(?:自)?(?:设立|设置|明确|配备|确定|安排|指定|落实|配置)[^，,。；;]*$")
"""`各设立查阅点1个`, `各明确1名兼职信息员`: a count for each of several units, not their total."""
CARRIED_INCLUDED_AFTER = re.compile(r"\s*[(（]\s*(?:含|包括|其中)\s*上年(?:度)?结转")
"""`处理申请25件（含上年结转3件）`: a total of this year's and carried-over applications."""
GOVERNMENT_BODY = re.compile(rf"(?:{_DIVISIONS})(?:人民)?政府(?:办公厅|办公室)?|政务公开办|上级")
"""A government or its office named as a figure's subject (`省政府办公厅本年度共受理…`): in a
department's report, beside the department's own figure (`OWN_BODY`), another body's."""
GOVERNMENT_OWN_LEVEL = re.compile(rf"(?:{_DIVISIONS}|政府)(?:机关)?本级|本级政府")
"""A government's own level (`县本级`, `县政府本级`): a part of the division the government reports on."""
OWN_LEVEL_PART = re.compile(
    rf"其中[^，,。；;]{{0,12}}?(?:{_DIVISIONS}|政府)(?:机关)?本级|其中[^，,。；;]{{0,6}}?本级政府"
)
"""A government's own level as a part of its whole (`全县…8650条,其中县政府本级…1250条`): no field of
the catalogue counts it (a department's own figure is `OWN_BODY`'s)."""
_COUNT_DIGITS = CN_DIGITS[2:]
"""一二两三四五六七八九: the digits a count starts with."""
_SECOND_DIGITS = _COUNT_DIGITS[1:].replace("两", "")
"""二三四五六七八九: the second of two numerals side by side (`七八`, `两三`)."""
VAGUE_MAGNITUDE = re.compile(
    rf"(?<=[数几上近好成])[{CN_SMALL_SCALES}{CN_LARGE_SCALES}](?![0-9０-９{CN_NUMERAL_CHARS}])"
)
"""A bare order of magnitude after 数/几/上/近 (`数千人次`, `数十件`, `上万条`, `近千人次`): no number
(`千余条` and `近3000条` are: the spec's `N余`, `约N`)."""
VAGUE_PAIR = re.compile(
    rf"[{_COUNT_DIGITS}][{_SECOND_DIGITS}](?=[{CN_SMALL_SCALES}万]?[^{CN_NUMERAL_CHARS}])|十几|几十"
)
"""Two numerals side by side for "a few" (`七八次`, `两三次`, `三五次`, `二三十人`, `十几次`): no number."""
BOUND_BEFORE = re.compile(r"(?:不少于|不低于|不多于|不超过|不足|不到|少于|低于|多于|高于|至少|最少|最多)\s*$")
"""A bound, not a figure (`不少于300条`, `不足10件`): a target or an estimate, no value."""
ORDINAL_BEFORE = re.compile(r"第\s*$")
"""Which one, not how many (`举办第5期培训班`)."""
SEVERAL_YEARS = re.compile(
    r"近[两二三四五六七八九十\d]+年|[“\"]?十[一二三四五]五[”\"]?(?:期间|时期|以来)"
    r"|\d{4}\s*年?\s*(?:至|到|—|－|-|~)\s*\d{4}\s*年"
)
"""Names a span of several years (`近三年来`, `“十三五”期间`, `2016年至2018年`): a figure under it is
theirs together, not the report year's."""
DISCLOSURE_CUE = re.compile(r"信息公开|公开申请|依申请|申请公开|不予公开|公开答复")
"""Says a review or lawsuit is about disclosure (`因政府信息公开申请行政复议`)."""
REVIEWER_WORK = re.compile(
    r"(?:办理|审理|审结|办结)[^，,。；;]{0,8}?(?:行政复议|复议|行政诉讼|诉讼)(?:案件|案)|行政应诉|应诉案件"
)
"""The body's own work on reviews and lawsuits of any matter (`全年办理行政复议案件86件`), as a
justice bureau or a reviewing government reports it: not reviews of its disclosure."""
CATEGORY_TABLE_HEADER = re.compile(
    r"(?:公开|信息|主要)?(?:类别|类型|分类|种类|栏目|内容)[ \u3000]*[\t|][ \u3000]*"
    r"(?:公开|发布|信息)?(?:条数|数量|件数|信息数|篇数|条)"
)
"""The header of a table of disclosed items by kind (`公开类别 | 公开条数`): its rows (`机构职能 | 12`,
`工作会议 | 18`) count items of information, not offices or meetings."""
UP_TO_NOW = re.compile(
    r"(?<!今年)(?:至今|迄今|截至目前|截止目前|截至当前|历年)|自(?!今年|本年|年初)[^，,。；;\d]{1,20}以来"
)
"""A total up to now (`至今共主动公开…234条`, `自开通专栏以来`): never the report year's figure,
unless a year scopes the count after it in its sentence (`自…至今,…其中2024年公开…2900条`)."""
QUOTED_SOURCE = re.compile(
    rf"[ \u3000]*(?:{YEAR_NUMBER}年度?[,，]?[ \u3000]*)?(?:据|根据|引自|摘自|援引)"
    r"《[^》\n]{2,60}?(?:报告|公报|年鉴|统计)[^》\n]{0,8}》"
)
"""A sentence opening by citing another document's figures (`据《江宁市人民政府2022年政府信息公开工作
年度报告》,全市共主动公开…`): its counts are that document's, not the issuer's. `根据《条例》` (no
report, bulletin, yearbook or statistics named) cites a rule, not figures."""
REGULATIONS_FIRST_YEAR = 2008
"""The year the 政府信息公开条例 took effect (国务院令第492号, in force from 2008-05-01): a 2008 report
covers May to December, so "since the Regulations took effect" is its own year."""
SINCE_REGULATIONS = re.compile(
    r"自\s*《?(?:中华人民共和国)?(?:政府信息公开)?条例》?\s*(?:正式)?(?:颁布)?(?:施行|实施|生效)(?:以来|后)"
)
"""`自《条例》施行以来`: in a report of `REGULATIONS_FIRST_YEAR`, that year's figures (`UP_TO_NOW`
otherwise)."""
CONJUNCTIONS = "以及|和|及|与|或"
"""Words that join the items of a list (`微博和微信`); 、 joins them too."""
LIST_SEPARATOR = re.compile(rf"[、/／]|{CONJUNCTIONS}")
"""Between two listed items (`非政府信息、政府信息不存在`, `6场、微访谈活动2场`)."""
LIST_JOIN = re.compile(rf"\s*(?:[、,，]|{CONJUNCTIONS})\s*")
"""All that stands between two counts of one list (`92条、306条`, `1200条、120条和340条`)."""
RESPECTIVELY = re.compile(r"分别")
"""Counts listed after it pair off with the categories named before it, in order (`微博、微信分别发布
信息92条、306条`): the categories are not one combined count."""
COUNTING_RULE_BEFORE = re.compile(r"(?:计为|记为|计作|算作|视为)\s*$")
"""Right before a count, marks a counting rule, not a statistic (`不同渠道发布的同一信息计为1条`, the
2019 template's note under the proactive total)."""
CHARGED_AFTER = re.compile(r"[^,，;；。\n]{0,16}?(?<![未不免没])收(?:取|费)")
"""After a count of applications in its clause, marks the applications charged a fee (`共对2件政府信息
公开申请收取信息处理费`), not those received; `均未收费`, `免收` do not."""
COMPARISON = r"(?:较|比|同比|环比)"
"""Compares with another figure (较2016年, 比上年)."""

# ----------------------------------------------------------------------------- template cues

TEMPLATE_CUES: dict[str, tuple[str, ...]] = {
    "2021": (
        "本年制发件数",
        "本年废止件数",
        "现行有效件数",
        "本年处理决定数量",
        "本年收费金额",
        "逾期不补正",
        "逾期未按收费通知",
    ),
    "2019": (
        "本年新制作数量",
        "本年新公开数量",
        "对外公开总数量",
        "上一年项目数量",
        "本年新收政府信息公开申请数量",
    ),
}
"""Wording only one national template's tables print (2021 first: it is checked first)."""


# ----------------------------------------------------------------------------- units


@dataclass(frozen=True)
class Unit:
    """One row of `units.tsv`: `万元` counts `元` at scale 10000; `table`: tables print it;
    `tally`: `一` + it is a count (`一个`), not an article."""

    unit: str
    base: str
    scale: int
    table: bool
    tally: bool


def _tsv_rows(path: Path, parse: Callable[[dict[str, str]], T]) -> tuple[T, ...]:
    """`parse(row)` for every row of a TSV file; a row it rejects (ValueError, KeyError, TypeError)
    is an error naming the file and line."""
    out = []
    with path.open(encoding="utf-8", newline="") as handle:
        for number, row in enumerate(csv.DictReader(handle, delimiter="\t"), start=2):
            try:
                out.append(parse(row))
            except (KeyError, TypeError, ValueError) as exc:
                raise ValueError(f"{path}:{number}: bad row {row!r} ({exc})") from exc
    return tuple(out)


def _unit(row: dict[str, str]) -> Unit:
    return Unit(row["unit"], row["base"], int(row["scale"]), row["table"] == "yes", row["tally"] == "yes")


@cache
def units() -> tuple[Unit, ...]:
    """All units of `units.tsv` in file order; a bad row names the file and line."""
    return _tsv_rows(UNITS_PATH, _unit)


@cache
def unit_pattern(role: str = "any") -> str:
    """Regex alternation of the units, longest first (`人次` before `人`): `any`, `table` (printed in
    tables), `tally` (`一` + unit is a count) or `count` (not money)."""
    if role not in ("any", "table", "tally", "count"):
        raise ValueError(f"unknown unit role {role!r}")
    if role == "count":
        chosen = [u.unit for u in units() if u.base != "元"]
    else:
        chosen = [u.unit for u in units() if role == "any" or getattr(u, role)]
    return "|".join(sorted(chosen, key=len, reverse=True))


def unit_scale(unit: str) -> tuple[str, int] | None:
    """`万元` → ('元', 10000); None for a unit not in `units.tsv`."""
    found = next((u for u in units() if u.unit == unit), None)
    return None if found is None else (found.base, found.scale)


# ----------------------------------------------------------------------------- Taiwan phrasing

TAIWAN_USES = ("rewrite", "keep", "match")


@dataclass(frozen=True)
class TaiwanRow:
    """One row of `taiwan_phrasing.tsv` (the text as it reads after t2s conversion).

    `use`: `rewrite` (the normaliser rewrites it in a Taiwan-phrased document), `keep` (a mainland
    word the rewrite must leave alone: 档案馆), `match` (only matching accepts it: mainland
    reports use 设定/专案/影片 too, so the text keeps them). `marker`: `strong`/`weak` evidence of
    Taiwan phrasing, or empty.
    """

    taiwan: str
    mainland: str
    use: str
    marker: str


def _taiwan_row(row: dict[str, str]) -> TaiwanRow:
    item = TaiwanRow(row["taiwan"], row["mainland"], row["use"], row["marker"] or "")
    if item.use not in TAIWAN_USES or item.marker not in ("", "strong", "weak") or not item.taiwan:
        raise ValueError("use must be rewrite/keep/match, marker strong/weak/empty, taiwan not empty")
    return item


@cache
def taiwan_rows() -> tuple[TaiwanRow, ...]:
    """All rows of `taiwan_phrasing.tsv` in file order; a bad row names the file and line."""
    return _tsv_rows(TAIWAN_PATH, _taiwan_row)


def taiwan_rewrites() -> dict[str, str]:
    """What the normaliser replaces (Taiwan → mainland), the `keep` words mapping to themselves."""
    return {r.taiwan: r.mainland for r in taiwan_rows() if r.use in ("rewrite", "keep")}


def taiwan_markers(strength: str) -> tuple[str, ...]:
    """The `strong` or `weak` markers of Taiwan phrasing."""
    return tuple(r.taiwan for r in taiwan_rows() if r.marker == strength)


def taiwan_equivalents() -> dict[str, tuple[str, ...]]:
    """Mainland word → its spellings, mainland first (`信息` → (信息, 资讯)), for matching labels.

    >>> taiwan_equivalents()["设置"]
    ('设置', '设定')
    """
    out: dict[str, tuple[str, ...]] = {}
    for row in taiwan_rows():
        if row.use != "keep" and row.taiwan != row.mainland:
            out[row.mainland] = out.get(row.mainland, (row.mainland,)) + (row.taiwan,)
    return out


def spellings(word: str) -> tuple[str, ...]:
    """`word` as mainland and Taiwan-phrased text spell it, mainland first: every combination of the
    `taiwan_equivalents` of the phrases in it (leftmost-longest).

    >>> spellings("发布信息")
    ('发布信息', '发布资讯', '释出信息', '释出资讯')
    """
    equivalents = taiwan_equivalents()
    phrases = sorted(equivalents, key=len, reverse=True)
    parts: list[tuple[str, ...]] = []
    i = 0
    while i < len(word):
        phrase = next((p for p in phrases if word.startswith(p, i)), None)
        parts.append(equivalents[phrase] if phrase else (word[i],))
        i += len(phrase) if phrase else 1
    return tuple("".join(combination) for combination in itertools.product(*parts))


def same_length_variants() -> tuple[tuple[str, str], ...]:
    """(Taiwan, mainland) pairs of equal length: substituting them keeps every offset."""
    return tuple(
        (r.taiwan, r.mainland)
        for r in taiwan_rows()
        if r.use != "keep" and r.taiwan != r.mainland and len(r.taiwan) == len(r.mainland)
    )


LEXICON_PATH = DATA_DIR / "table_lexicon.tsv"


@dataclass(frozen=True)
class LexiconEntry:
    """One row of `table_lexicon.tsv`: a table row, column, heading or anchor with its wording."""

    table: str
    key: str
    generation: str
    role: str
    labels: tuple[str, ...]
    columns: tuple[str, ...]
    metric: str
    prefer: tuple[str, ...] = ()
    span: int = 1  # columns the row label spans in the template (a tab export pads the rest)

    def applies_to(self, generation: str | None) -> bool:
        return self.generation == "any" or generation is None or generation in self.generation.split("|")


def _lexicon_entry(r: dict[str, str]) -> LexiconEntry:
    return LexiconEntry(
        table=r["table"],
        key=r["key"],
        generation=r["generation"],
        role=r["role"],
        labels=tuple(v for v in r["labels"].split("|") if v),
        columns=tuple(c for c in (r["columns"] or "").split(",") if c),
        metric=r["metric"] or "",
        prefer=tuple(p for p in (r.get("prefer") or "").split(";") if p),
        span=int(r.get("span") or 1),
    )


@cache
def load_lexicon() -> tuple[LexiconEntry, ...]:
    """All entries of `table_lexicon.tsv` in file order (the order of rows in each template table);
    a bad row names the file and line."""
    return _tsv_rows(LEXICON_PATH, _lexicon_entry)


_BARE_LABEL_DROP = re.compile(r"[\s(（)）、,，.．:：“”\"]")


def _bare_label(text: str) -> str:
    """A label as compared across a wrap: numbering, spaces and punctuation dropped."""
    return _BARE_LABEL_DROP.sub("", NUMBERING_PREFIX.sub("", text, count=1))


@cache
def _row_label_splits() -> dict[str, tuple[str, ...]]:
    """Every row and group label of `table_lexicon.tsv` (bare, `_bare_label`; four characters or
    more) cut in two after its second character or later: head → the rests that complete it."""
    words = {_bare_label(v) for e in load_lexicon() if e.role in ("row", "group") for v in e.labels}
    splits: dict[str, set[str]] = {}
    for word in (w for w in words if len(w) >= 4):
        for cut in range(2, len(word)):
            splits.setdefault(word[:cut], set()).add(word[cut:])
    return {head: tuple(rests) for head, rests in splits.items()}


_NEW_ROW_LABEL = re.compile(rf"\s*(?:{ITEM_NUMBER}|第[{ORDINALS}]|其中)")
"""A numbered label, a 第…条 heading or 其中: a row of its own, not the rest of the one above."""


def continues_label(upper: str, lower: str) -> bool:
    """Whether the text `lower` is the rest of the label `upper`, wrapped onto the next line or table
    row: `upper` is left open (a bracket, or a trailing comma or 、), or a row label of
    `table_lexicon.tsv` runs across the two (`wraps_a_row_label`); never where `lower` opens a label
    of its own (`1.`, `（三）`, `第二十条`, `其中`). A label like `行政处罚` looks finished, so the
    row below it stays a row.

    >>> continues_label("（二）部分公开（区分处理的，", "只计这一情形）")
    True
    >>> continues_label("行政许可", "行政处罚"), continues_label("4.保护第三方合法权益(", "5.属于")
    (False, False)
    """
    if not upper or _NEW_ROW_LABEL.match(lower):
        return False
    opened = sum(upper.count(c) for c in "（(") - sum(upper.count(c) for c in "）)")
    return opened > 0 or upper.endswith(("，", ",", "、")) or wraps_a_row_label(upper, lower)


def wraps_a_row_label(upper: str, lower: str) -> bool:
    """Whether `upper` + `lower` are one table row label a converter or a narrow cell wrapped over
    two rows or lines: a row label of `table_lexicon.tsv` runs across the join, starting in `upper`
    (two characters at least) and ending in `lower` or after it (a label wrapped over three lines),
    numbering, spaces and punctuation aside.

    >>> wraps_a_row_label("一、本年新收政府信息", "公开申请数量")
    True
    >>> wraps_a_row_label("2.申请人逾期未按收费通知要求缴纳费用、行政机关", "不再处理其政府信息公开申")
    True
    >>> wraps_a_row_label("行政规范性文件", "行政许可")
    False
    """
    head, tail = _bare_label(upper), _bare_label(lower)
    if not head or not tail:
        return False
    splits = _row_label_splits()
    for start in range(len(head) - 1):
        rests = splits.get(head[start:], ())
        if any(tail.startswith(rest) or rest.startswith(tail) for rest in rests):
            return True
    return False
