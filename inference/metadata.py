"""Report metadata from the normalised text: who reported (issuer, its level and region), the statistics
year, the publication date and the template generation.

The issuer is a body name read from the report's own evidence, in this order: the title
(`青岛市城阳区人民政府2017年政府信息公开工作报告`, `2017年珠海市政府信息公开…`, a name on the line above
`2019年政府信息公开工作年度报告`), a crawler/CMS header (`发布机构:`, `来源:`), the opening sentence
(`由XX编制`, `现公布XX2018年度…报告`, `XX特向社会公布`), the signature at the end (name, then date),
the subject of the overview (`2024年,平潭综合实验区坚持…`), and the contact line (`请与XX党政办联系`).
A later piece of evidence may only make the name fuller (`云林街道` → `无锡市锡山区人民政府云林街道办事处`),
never change the body. A name is a run of Chinese characters that ends like a body (data/issuer_words.tsv)
and holds no word of a sentence; where no evidence names a body the issuer is None and a note says why.
The year is the statistics year (统计期限, title, `2019年度工作`), never the publication date. Division
codes come from `inference.region`; turning notes into checks is left to the pipeline.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Any

from inference.lexicon import ORDINALS, SUBUNITS, TEMPLATE_CUES, YEAR_DIGITS, YEAR_NUMBER, unit_pattern
from inference.records import Check
from inference.region import Region, issuer_words, region_of_name, resolve_region

LEVELS: tuple[str, ...] = ("province", "city", "county", "township-street", "department", "zone-park")
EVIDENCE_KINDS: tuple[str, ...] = ("title", "header", "opening", "signature", "subject", "contact")


def _alternation(*kinds: str) -> str:
    return "|".join(re.escape(w) for kind in kinds for w in issuer_words()[kind])


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern[str]]:
    """Patterns built once from the word lists."""
    return {
        "sentence_word": re.compile(_alternation("sentence_word")),
        "sentence_punct": re.compile(r"[,，。;；:：!！?？、《》〈〉“”\"'()（）\[\]【】<>|#*]"),
        "zone": re.compile(rf"(?:{_alternation('zone_suffix')})(?:{_alternation('zone_office')})?$"),
        "zone_word": re.compile(rf"([\u4e00-\u9fff]{{2,4}}?)(?:{_alternation('zone_suffix')})"),
        "township": re.compile(rf"(?:{_alternation('township_suffix')})(?:{_alternation('government')})?$"),
        "government": re.compile(rf"(?:{_alternation('government')})$"),
        "division": re.compile(rf"(?:{_alternation('division_suffix')})$"),
        "body": re.compile(rf"(?:{_alternation('body_suffix')})$"),
        "subunit": re.compile(rf"(?:{_alternation('subunit')})$"),
        "header_issuer": re.compile(
            rf"(?:{_alternation('header_issuer')})\s*[:：]\s*(?P<value>[^\s|:：,，;；]{{2,40}})"
        ),
        "header_date": re.compile(
            rf"(?:{_alternation('header_date')})\s*[:：]\s*(?P<y>(?:19|20)\d{{2}})\s*[-/.年]\s*(?P<m>\d{{1,2}})"
            rf"\s*[-/.月]\s*(?P<d>\d{{1,2}})"
        ),
    }


@dataclass(frozen=True)
class IssuerSource:
    """Where the issuer was read: evidence kind and the printed name; offsets end exclusive."""

    kind: str  # one of EVIDENCE_KINDS
    start: int
    end: int
    text: str

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class ReportMeta:
    issuer: str | None
    year: int | None
    template: str | None  # "pre2019" | "2019" | "2021"
    issuer_level: str | None = None  # one of LEVELS
    region: Region | None = None
    published: str | None = None  # ISO date, "2020-01-20"
    issuer_source: IssuerSource | None = None
    notes: tuple[str, ...] = ()  # why issuer or region is missing or incomplete


@dataclass(frozen=True)
class _Candidate:
    kind: str
    name: str  # the body's name, a bare division completed (珠海市 → 珠海市人民政府)
    start: int  # the printed name in the text
    end: int

    @property
    def printed_length(self) -> int:
        return self.end - self.start


_YEAR = rf"({YEAR_NUMBER})\s*年"
TITLE = re.compile(
    rf"^(?P<before>[^\n]*?){_YEAR}(?:度)?(?P<after>[^\n]*?)政府信息公开(?:工作)?(?:年度)?(?:报告|情况)"
)
TITLE_LINE = re.compile(TITLE.pattern, re.M)
"""`TITLE` on any line of a text."""
REPORT_NAME = re.compile(r"(?:政府)?(?:信息|资讯|政务)公开(?:工作)?(?:年度)?(?:工作)?(?:报告|年报)")
YEAR_AT_END = re.compile(rf"({YEAR_NUMBER})\s*年度?\s*$")
STATISTICS_PERIOD = re.compile(
    rf"统计(?:期限|时限|区间|时段|范围)[^。\n]{{0,12}}?自?\s*{_YEAR}\s*1\s*月\s*1\s*日"
)
YEAR_OF_WORK = re.compile(rf"{_YEAR}度?(?:工作)?(?:开展)?情况|现将{_YEAR}")
HAN_RUN_AT_END = re.compile(r"[\u4e00-\u9fff]+\Z")
ONLY_HAN = re.compile(r"^[\u4e00-\u9fff]+$")
BY_BODY = re.compile(r"由(?P<name>[\u4e00-\u9fff]{2,40}?)(?:负责)?(?:编制|依据|根据|按照|汇总|编写|牵头)")
TO_SOCIETY = re.compile(r"(?:特|现)?(?:面)?向社会(?:公布|公开)")
CONTACT = re.compile(
    r"请(?:与|联系:?|联系)(?P<seg>[^,，。;；()（）:：\n]{2,40}?)(?:联系|[()（）,，。:：;；\n])"
)
SUBJECT = re.compile(
    r"(?:^|\n|。|(?:19|20)\d{2}年度?,?|今年以来,?|近年来,?)\s*(?P<name>[\u4e00-\u9fff]{2,30}?)"
    r"(?:认真|坚持|严格|深入|积极|全面|始终|高度|紧紧|持续|进一步|扎实|不断|按照|根据|贯彻|通过|围绕|在)"
)
DATE = re.compile(rf"(?P<y>{YEAR_NUMBER})\s*年\s*(?P<m>\d{{1,2}})\s*月\s*(?P<d>\d{{1,2}})\s*日")
CN_DATE = re.compile(
    rf"(?P<y>[{YEAR_DIGITS}]{{4}})年(?P<m>[{ORDINALS}]{{1,2}})月(?P<d>[{ORDINALS}]{{1,3}})日"
)
# wording only the national tables print
TEMPLATE_2021 = re.compile("|".join(TEMPLATE_CUES["2021"]))
TEMPLATE_2019 = re.compile("|".join(TEMPLATE_CUES["2019"]))
HEAD = 2000
TAIL = 300


def is_body_name(name: str) -> bool:
    """True when `name` reads as the name of a body: Chinese characters only, no word of a sentence,
    not a generic reference (我局, 本镇), ending like a body with something before that ending.

    >>> is_body_name("曲阜市鲁城街道办事处"), is_body_name("由曲阜市鲁城街道办事处编制的")
    (True, False)
    >>> is_body_name("镇政府")
    False
    """
    pats = _patterns()
    if not (2 <= len(name) <= 30) or not ONLY_HAN.match(name) or pats["sentence_word"].search(name):
        return False
    words = issuer_words()
    if name in words["generic_name"] or name.startswith(words["generic_start"]):
        return False
    for kind in ("zone", "township", "government", "division", "body"):
        match = pats[kind].search(name)
        if match:
            core = name[: match.start()]
            if kind == "zone" and not core:  # 高新区管委会: a zone named by its kind alone, as locals do
                return len(re.sub(f"(?:{_alternation('zone_office')})$", "", name)) >= 3
            return bool(core) and not pats["division"].fullmatch(core) and core not in ("街道",)
    return False


def complete_name(name: str) -> str:
    """A bare division or township as the body that reports for it: `德昌县` → `德昌县人民政府`,
    `河西街道` → `河西街道办事处`; anything else unchanged."""
    pats = _patterns()
    if pats["zone"].search(name) or pats["government"].search(name) or pats["body"].search(name):
        if not name.endswith("街道"):
            return name
    if name.endswith("街道"):
        return name + "办事处"
    if re.search(r"(?:镇|乡|苏木)$", name) or pats["division"].search(name):
        return name + "人民政府"
    return name


def name_at_end(text: str, end: int) -> tuple[str, int] | None:
    """The body name printed just before `end` in `text`, and where it starts.

    Takes the run of Chinese characters before `end` and keeps what follows its last sentence word:
    `…要求,现公布开阳县市场监督管理局` → `开阳县市场监督管理局`.
    """
    segment = text[:end].rstrip(" \u3000\t\r\n|")
    if segment.endswith("的"):
        segment = segment[:-1]
    run = HAN_RUN_AT_END.search(segment[-60:])
    if not run:
        return None
    start = len(segment) - len(run.group(0))
    year_word = re.match(r"年度?", run.group(0))
    if year_word and segment[start - 1 : start].isdigit():  # `2017年珠海市`: the year is not the name
        start += year_word.end()
    words = list(_patterns()["sentence_word"].finditer(segment[start:]))
    if words:
        start += words[-1].end()
    name = segment[start:]
    return (name, start) if is_body_name(name) else None


def _candidate(kind: str, text: str, end: int) -> _Candidate | None:
    found = name_at_end(text, end)
    if found is None:
        return None
    name, start = found
    return _Candidate(kind, complete_name(name), start, start + len(name))


def _lines(text: str) -> list[tuple[int, str]]:
    """(offset, line) for each line of `text`."""
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, line))
        pos += len(line) + 1
    return out


def _report_name_candidates(text: str) -> list[_Candidate]:
    """Names printed before a report's name: titles (short line, or split over two lines) and openings."""
    out: list[_Candidate] = []
    lines = _lines(text[:HEAD])
    for i, (_, line) in enumerate(lines):
        for match in REPORT_NAME.finditer(line):
            found = _before_report_name(text, lines, i, match)
            if found is not None:
                out.append(found)
    return out


def _before_report_name(
    text: str, lines: list[tuple[int, str]], i: int, match: re.Match[str]
) -> _Candidate | None:
    """The name printed before one report name on line `i` (before or after its year)."""
    offset, line = lines[i]
    pre = line[: match.start()]
    kind = "title" if len(pre) <= 60 and not re.search(r"[,，。;；!?]", pre) else "opening"
    years = list(re.finditer(_YEAR + r"度?", pre))
    if years:
        after_end, before_end = match.start(), years[-1].start()
        found = _candidate(kind, text, offset + after_end) if pre[years[-1].end() :].strip() else None
        found = found or _candidate(kind, text, offset + before_end)
    else:
        found = _candidate(kind, text, offset + match.start())
    if (
        found is None
        and kind == "title"
        and not pre[: years[-1].start() if years else 0].strip(" \u3000#*>|")
    ):
        found = _line_above(text, lines, i)
    return found


def _line_above(text: str, lines: list[tuple[int, str]], i: int) -> _Candidate | None:
    """A title split over lines: the name (maybe with the year) on the nearest non-empty line above."""
    for offset, line in reversed(lines[max(0, i - 3) : i]):
        if not line.strip():
            continue
        year = YEAR_AT_END.search(line)
        end = offset + (year.start() if year else len(line.rstrip(" \u3000|")))
        return _candidate("title", text, end)
    return None


def _header_candidates(text: str) -> list[_Candidate]:
    """`发布机构:XX`, `来源:XX` in a crawler/CMS header (the value cut before a following header key)."""
    out = []
    for match in _patterns()["header_issuer"].finditer(text[:HEAD]):
        value = re.split(r"发布|释出|时间|日期|作者|点击|点选|访问|浏览", match.group("value"))[0]
        found = _candidate("header", text, match.start("value") + len(value) - subunit_length(value))
        if found is not None and found.start >= match.start("value"):
            out.append(found)
    return out


def _opening_candidates(text: str) -> list[_Candidate]:
    """`由XX编制`, `XX特向社会公布` in the opening paragraph."""
    head = text[:HEAD]
    out = []
    for match in BY_BODY.finditer(head):
        found = _candidate("opening", text, match.end("name"))
        if found is not None and found.start >= match.start("name"):
            out.append(found)
    for match in TO_SOCIETY.finditer(head):
        found = _candidate("opening", text, match.start())
        if found is not None:
            out.append(found)
    return out


def _signature_candidates(text: str) -> list[_Candidate]:
    """The body signing at the end: a name, then (same or next line) the date."""
    tail_start = max(0, len(text) - TAIL)
    for date in list(DATE.finditer(text, tail_start)) + list(CN_DATE.finditer(text, tail_start)):
        if text[date.end() :].strip(" \u3000\n"):
            continue
        found = _candidate("signature", text, date.start())
        if found is not None:
            return [found]
    return []


def _subject_candidates(text: str) -> list[_Candidate]:
    """A body as the subject of a sentence of the overview: `2024年,平潭综合实验区坚持…`."""
    out = []
    for match in SUBJECT.finditer(text[:3000]):
        name = match.group("name")
        if is_body_name(name):
            out.append(_Candidate("subject", complete_name(name), match.start("name"), match.end("name")))
    return out


def subunit_length(name: str) -> int:
    """How many characters at the end of `name` are an office inside the body (党政办, 办公室, 文电科).

    The office of a division's government (钦州市人民政府办公室) is a body of its own and stays.

    >>> subunit_length("赤岸镇人民政府办公室"), subunit_length("钦州市人民政府办公室")
    (3, 0)
    >>> subunit_length("钦州市人民政府办公室文电科")
    3
    """
    unit = _patterns()["subunit"].search(name)
    if unit:
        rest = name[: unit.start()]
        division_government = _patterns()["government"].search(rest) and not _patterns()["township"].search(
            rest
        )
        if is_body_name(complete_name(rest)) and not division_government:
            return len(unit.group(0))
    if unit or not is_body_name(name):
        body = next((k for k in range(len(name) - 1, 1, -1) if is_body_name(name[:k])), None)
        if body and not is_body_name(name):
            return len(name) - body
    return 0


def _contact_candidates(text: str) -> list[_Candidate]:
    """The body in `请与XX办公室联系`, without the office inside it (党政办, 办公室, 文电科)."""
    out = []
    for match in CONTACT.finditer(text[:HEAD]):
        found = _candidate("contact", text, match.end("seg") - subunit_length(match.group("seg")))
        if found is not None:
            out.append(found)
    return out


def issuer_candidates(text: str) -> list[_Candidate]:
    """Every body name the evidence offers, best evidence first (EVIDENCE_KINDS order), text order within."""
    found = (
        _report_name_candidates(text)
        + _header_candidates(text)
        + _opening_candidates(text)
        + _signature_candidates(text)
        + _subject_candidates(text)
        + _contact_candidates(text)
    )
    return sorted(found, key=lambda c: (EVIDENCE_KINDS.index(c.kind), c.start))


def _fuller(primary: _Candidate, other: _Candidate, printed: str) -> bool:
    """True when `other` names the same body as `primary`, with the divisions above it in front."""
    core = re.sub(r"(?:人民政府|政府|办事处)$", "", printed) or printed
    k = other.name.find(core)
    if k <= 0 or len(other.name) <= len(primary.name):
        return False
    prefix, rest = other.name[:k], other.name[k + len(core) :]
    return bool(re.search(r"(?:省|市|县|区|旗|州|盟|人民政府)$", prefix)) and primary.name.endswith(
        core + rest
    )


def choose_issuer(text: str) -> _Candidate | None:
    """The issuer: the best evidence's name, made fuller by another evidence naming the same body."""
    candidates = issuer_candidates(text)
    if not candidates:
        return None
    primary = candidates[0]
    printed = text[primary.start : primary.end]
    fuller = [c for c in candidates[1:] if _fuller(primary, c, printed)]
    return max(fuller, key=lambda c: len(c.name)) if fuller else primary


def detect_issuer(text: str) -> str | None:
    """The body that publishes the report as the report names it (title `珠海市` → `珠海市人民政府`)."""
    chosen = choose_issuer(text)
    return chosen.name if chosen else None


def issuer_level(name: str) -> str:
    """`province`, `city`, `county`, `township-street`, `department` or `zone-park` from the name's ending.

    >>> issuer_level("平潭综合实验区"), issuer_level("荣成市成山镇人民政府"), issuer_level("珠海市人民政府")
    ('zone-park', 'township-street', 'city')
    """
    pats = _patterns()
    if pats["township"].search(name):
        return "township-street"
    if pats["zone"].search(name):
        return "zone-park"
    if pats["government"].search(name) or (pats["division"].search(name) and not pats["body"].search(name)):
        admin = pats["government"].sub("", name)
        rank = getattr(region_of_name(admin), "rank", None)
        if rank and region_of_name(admin) is not None and _ends_with_division(admin, region_of_name(admin)):
            return rank
        if re.search(r"(?:省|自治区)$", admin):
            return "province"
        return "city" if re.search(r"(?:州|盟|地区)$", admin) else "county"
    return "department"


def _ends_with_division(admin: str, region: Region) -> bool:
    """True when the last division the table found is where the name ends (not a lower unknown one)."""
    last = {"county": region.county, "city": region.city, "province": region.province}.get(region.rank or "")
    return bool(last) and (admin.endswith(last) or admin.endswith(re.sub(r"[省市]$", "", last)))


def _zone_places(name: str) -> tuple[str, ...]:
    """Divisions a zone's name implies: `平潭综合实验区` → (`平潭县`, `平潭市`, `平潭区`)."""
    match = _patterns()["zone_word"].search(name)
    if not match:
        return ()
    place = match.group(1)
    return tuple(place + suffix for suffix in ("县", "市", "区"))


def _region_context(text: str, candidates: list[_Candidate]) -> list[str]:
    """Strings that name the issuer's surroundings: other evidence, headers, addresses; the opening last."""
    head = text[:HEAD]
    strings = [text[c.start : c.end] for c in candidates]
    strings += [m.group(0) for m in re.finditer(r"(?:地址|来源|发布机构)[:：][^,，;；()（）\n]{2,40}", head)]
    strings += [m.group(0) for m in re.finditer(r"“[^”]{2,20}”", head)]
    return strings


def detect_region(text: str, name: str, level: str) -> tuple[Region | None, str | None]:
    """Region of the issuer `name`, from the name, else (townships, unplaced zones/departments) the text."""
    candidates = issuer_candidates(text)
    own = region_of_name(name)
    descend = level == "township-street" or (level in ("department", "zone-park") and own is None)
    context = [*_region_context(text, candidates), text[:HEAD]]
    region, note = resolve_region(name, descend=descend, context=context, place_names=_zone_places(name))
    if region is not None and name.startswith("市") and region.rank == "county":
        # 市畜牧兽医局: a city's department; the county the text names is not its level
        region = Region(region.province, region.city, None, region.adcode[:4] + "00")
    return region, note


def detect_published(text: str) -> str | None:
    """Publication date as `YYYY-MM-DD`: a CMS header date, else the signature date at the end."""
    match = _patterns()["header_date"].search(text[:HEAD])
    if match is None:
        tail = text[-TAIL:]
        match = DATE.search(tail) or None
        if match is None:
            cn = CN_DATE.search(tail)
            return _cn_date(cn) if cn else None
    year, month, day = int(match.group("y")), int(match.group("m")), int(match.group("d"))
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def _cn_date(match: re.Match[str]) -> str | None:
    import cn2an

    digits = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"零": "0"}
    year = "".join(digits[c] for c in match.group("y"))
    month, day = int(cn2an.cn2an(match.group("m"), "smart")), int(cn2an.cn2an(match.group("d"), "smart"))
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year}-{month:02d}-{day:02d}"


def _own_title_year(text: str, titled: list[tuple[str, int]]) -> int:
    """The year of the report's own title among the title lines near the top: a portal page may list
    other years' reports before it (`<li>…2021年…年度报告</li>` then `<h1>…2022年…</h1>`). The title
    the report's body follows (`_titles_before_a_body`) wins where they agree on one year; else the
    year the text mentions most outside those lines, the first title's on a tie."""
    years = list(dict.fromkeys(year for _, year in titled))
    if len(years) == 1:
        return years[0]
    heading = set(_titles_before_a_body(text))
    if len(heading) == 1:
        return heading.pop()
    body = text
    for line, _ in titled:
        body = body.replace(line, "")
    mentions = Counter(int(m.group(1)) for m in re.finditer(_YEAR, body))
    return max(years, key=lambda year: (mentions[year], -years.index(year)))


def _titles_before_a_body(text: str) -> list[int]:
    """Years of the title lines near the top that a report's body follows (`REPORT_BODY_AFTER`
    within `FOREIGN_LOOKAHEAD` characters, no other title line between): the report's heading,
    not a link in a list of other reports (`…2022年政务公开工作要点`)."""
    out = []
    lines = list(TITLE_LINE.finditer(text, 0, 1500))
    for i, line in enumerate(lines):
        after = REPORT_BODY_AFTER.search(text, line.end(), line.end() + FOREIGN_LOOKAHEAD)
        later = lines[i + 1].start() if i + 1 < len(lines) else len(text)
        if after is not None and after.start() < later:
            out.append(int(line.group(2)))
    return out


def detect_year(text: str) -> int | None:
    """The statistics year: 统计期限, then the title, then `2019年度工作`, then the most mentioned year."""
    match = STATISTICS_PERIOD.search(text)
    if match:
        return int(match.group(1))
    titled = [(line, int(m.group(2))) for line in text[:1500].split("\n") if (m := TITLE.search(line))]
    if titled:
        return _own_title_year(text, titled)
    match = YEAR_OF_WORK.search(text)
    if match:
        return int(match.group(1) or match.group(2))
    years = Counter(int(m.group(1)) for m in re.finditer(_YEAR, text))
    return years.most_common(1)[0][0] if years else None


def detect_template(text: str, year: int | None) -> str | None:
    """`2021` or `2019` from the national tables' wording; otherwise from the year."""
    if TEMPLATE_2021.search(text):
        return "2021"
    if TEMPLATE_2019.search(text):
        return "2019"
    if year is None:
        return None
    if year >= 2021:
        return "2021"
    if year >= 2019:
        return "2019"
    return "pre2019"


def detect_metadata(text: str) -> ReportMeta:
    """Issuer (with level, region and where it was read), statistics year, publication date and template."""
    year = detect_year(text)
    template = detect_template(text, year)
    published = detect_published(text)
    chosen = choose_issuer(text)
    if chosen is None:
        note = "issuer: no title, header, opening sentence or signature names the reporting body"
        return ReportMeta(None, year, template, published=published, notes=(note,))
    level = issuer_level(chosen.name)
    region, region_note = detect_region(text, chosen.name, level)
    source = IssuerSource(chosen.kind, chosen.start, chosen.end, text[chosen.start : chosen.end])
    notes = (f"region: {region_note}",) if region_note else ()
    return ReportMeta(chosen.name, year, template, level, region, published, source, notes)


APPENDIX_LINE = re.compile(
    rf"^[ \t\u3000]*附(?:件|表)?[ \t\u3000]*[\d{ORDINALS}]*[ \t\u3000]*[:：、][^\n]*", re.M
)
"""An appendix heading (`附件：各乡镇情况`, `附件2:…统计表`)."""
OTHERS_IN_APPENDIX = re.compile(rf"{SUBUNITS.pattern}|各(?:县|区|市)|所属|下属|供参考")
"""An appendix of other bodies' figures: the subunits' (`lexicon.SUBUNITS`), or another body's
table `供参考`."""
BODY_IN_LINE = re.compile(
    rf"[\u4e00-\u9fff]{{2,24}}?(?:{_alternation('government', 'body_suffix', 'zone_office')}|办事处)"
)
"""A body's name in a line (names end as `data/issuer_words.tsv` says)."""
REPORT_BODY_AFTER = re.compile(
    r"(?:^|\n)\s*(?:[一二三四五六][、.．]|本报告|根据|依据|按照)|统计(?:期限|时限)"
)
"""What follows a report's own title (a section heading, the opening, the statistics period): a
report, not a link to one."""
FOREIGN_LOOKAHEAD = 300
OWN_COUNT = re.compile(rf"\d\s*(?:{unit_pattern()})")
"""A count of the report's own, before which nothing is cut (a title's year is none)."""


def foreign_part_start(text: str, meta: ReportMeta) -> int | None:
    """Where a file stops being this report: another year's whole report appended (its title with
    another year, followed by a report's opening), or an appendix of other bodies' figures
    (`附件：各乡镇情况`, `附件：定远区人民政府…统计表（供参考）`, another year's). None if the whole
    file is the report. Only after the report's own title and some of its text, so a page's list of
    links to other years' reports before the report cuts nothing."""
    own = next((m for m in TITLE_LINE.finditer(text) if meta.year in (None, int(m.group(2)))), None)
    start = own.end() if own else 0
    cuts = [
        c for c in (_other_report(text, meta, start), _foreign_appendix(text, meta, start)) if c is not None
    ]
    return min(cuts) if cuts else None


def _other_report(text: str, meta: ReportMeta, start: int) -> int | None:
    for match in TITLE_LINE.finditer(text, start):
        pos = match.start()
        if meta.year is None or int(match.group(2)) == meta.year or not OWN_COUNT.search(text, start, pos):
            continue
        line_end = text.find("\n", pos)
        after = text[line_end : line_end + FOREIGN_LOOKAHEAD] if line_end >= 0 else ""
        next_line = after.strip().split("\n", 1)[0] if after.strip() else ""
        if REPORT_BODY_AFTER.search(after) and not TITLE.match(next_line):
            return pos
    return None


def _foreign_appendix(text: str, meta: ReportMeta, start: int) -> int | None:
    for match in APPENDIX_LINE.finditer(text, start):
        line = match.group()
        if not OWN_COUNT.search(text, start, match.start()) or re.search(
            r"\.(?:pdf|docx?|xlsx?|wps)\b", line, re.I
        ):
            continue  # a list of attached files, or an appendix line before any of the report's text
        years = [int(y) for y in re.findall(rf"({YEAR_NUMBER})\s*年", line)]
        other_year = meta.year is not None and any(y != meta.year for y in years)
        bodies = [b for b in BODY_IN_LINE.findall(line) if not _same_body(b, meta.issuer)]
        if OTHERS_IN_APPENDIX.search(line) or other_year or bodies:
            return match.start()
    return None


def _same_body(name: str, issuer: str | None) -> bool:
    """Whether an appendix names the issuer (or a part or whole of its name: 某县人民政府办公室 for
    某县人民政府); names of under three characters decide nothing."""
    name = re.sub(r"^(?:附件|附表|附)[\d:：、\s]*", "", name)
    name = re.sub(r"^年?度", "", name)  # `2015年度榕东区政府…`: the year is no part of a name
    if not issuer or len(name) < 3:
        return True
    return name in issuer or issuer in name or name[:4] == issuer[:4] or _abbreviates(name, issuer)


def _abbreviates(name: str, issuer: str) -> bool:
    """Whether `name` is a short form of `issuer`: the same place, then characters of the rest of
    the issuer's name in order (榕东区政府 for 榕东区人民政府, 峡江市国资委 for
    峡江市人民政府国有资产监督管理委员会; not 峡江市财政局)."""
    place = 0
    while place < min(len(name), len(issuer)) and name[place] == issuer[place]:
        place += 1
    rest = iter(issuer[place:])
    return place >= 2 and place < len(name) and all(char in rest for char in name[place:])


def metadata_checks(meta: ReportMeta) -> list[Check]:
    """The notes as checks: `metadata.issuer` (no body named) and `metadata.region` (region incomplete)."""
    return [Check(f"metadata.{note.split(':', 1)[0]}", False, note.split(": ", 1)[1]) for note in meta.notes]


def report_columns(
    meta: ReportMeta, to_original: Callable[[int, int], tuple[int, int]], original: str
) -> dict[str, Any]:
    """The new per-report keys for `ReportResult`, the issuer's offsets mapped back to the input text."""
    source = None
    if meta.issuer_source is not None:
        start, end = to_original(meta.issuer_source.start, meta.issuer_source.end)
        source = {"kind": meta.issuer_source.kind, "start": start, "end": end, "text": original[start:end]}
    return {
        "issuer_level": meta.issuer_level,
        "region": meta.region.to_json() if meta.region else None,
        "published": meta.published,
        "issuer_source": source,
    }


def issuer_scope(meta: ReportMeta) -> tuple[int, str] | None:
    """The issuer's own division as (rank, its last character): `(2, "市")` for 合肥市 and its
    departments, `(3, "区")` for 北京市东城区, `(4, "")` for a township, `(4, "区")` for a zone or
    park (its 全区 is its own); None where unknown (no region, or a region the issuer's name does not
    print in full). Ranks as `lexicon.SCOPE_RANKS`."""
    region = meta.region
    if meta.issuer_level == "township-street":
        return 4, ""
    if meta.issuer_level == "zone-park":
        return 4, "区"  # a zone's 全区 is its own; the county, city or province around it is wider
    if region is None or meta.issuer_level is None or region.rank is None:
        return None
    name = {"county": region.county, "city": region.city, "province": region.province}[region.rank]
    rank = {"province": 1, "city": 2, "county": 3}[region.rank]
    if not name or name not in (meta.issuer or ""):
        return None  # the division was guessed from a short name (`滨海市` → 滨海县): its level is unsure
    return rank, name[-1]
