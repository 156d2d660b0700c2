"""Fixed text of the report forms themselves: titles, mandated section headings, printed notes.

These strings are not sentences of any report but the names and headings the regulation and the
national report format prescribe, so every real report of a template prints them and the
originality check (`originality.FORM_TEXT`) exempts exactly this module's strings. Row and
column labels of the statistics tables are not here: they come from `inference/data/*.tsv`
(`wording.py`). Sources: 《中华人民共和国政府信息公开条例》 (2007, 2019 revision, article 50 /
old article 32 list the report's contents) and the national report format (2019, revised 2021).
"""

from __future__ import annotations

REGULATION = "中华人民共和国政府信息公开条例"
REPORT_FORMAT = "中华人民共和国政府信息公开工作年度报告格式"
REPORT_TITLE = "政府信息公开工作年度报告"
STATISTICS_TABLE = "政府信息公开情况统计表"
FEE_MEASURES = "政府信息公开信息处理费管理办法"  # State Council General Office, 2020

# National format (2019/2021): the six mandated sections.
NATIONAL_SECTIONS = (
    "总体情况",
    "主动公开政府信息情况",
    "收到和处理政府信息公开申请情况",
    "政府信息公开行政复议、行政诉讼情况",
    "存在的主要问题及改进情况",
    "其他需要报告的事项",
)
NATIONAL_PROBLEMS_LONG = "政府信息公开工作存在的主要问题及改进情况"
ARTICLE20_HEADING = "全面落实《政府信息公开条例》第二十条规定的法定主动公开内容"

# Old regulation (2008–2018), article 32: what the report covers (section titles reports reuse).
OLD_SECTIONS = {
    "proactive": ("主动公开政府信息情况", "主动公开政府信息的情况"),
    "applications": ("依申请公开政府信息情况", "依申请公开政府信息和不予公开政府信息情况"),
    "fees": ("政府信息公开的收费及减免情况", "政府信息公开收费及减免情况"),
    "review": ("因政府信息公开申请行政复议、提起行政诉讼的情况",),
    "problems": ("政府信息公开工作存在的主要问题及改进情况", "存在的主要问题及改进措施"),
    "other": ("其他需要报告的事项",),
}

# Printed notes of the national table 3.
TABLE3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
PARTIAL_NOTE = "（区分处理的，只计这一情形，不计其他情形）"
APPLICANTS = "申请人情况"
ORGANISATIONS = "法人或其他组织"
INFO_CONTENT = "信息内容"

# Old national 统计表: section rows, rows no catalogue field takes, and printed notes.
OLD_HEADINGS = {
    "proactive": "主动公开情况",
    "proactive_channels": "通过不同渠道和方式公开政府信息的情况",
    "responses": "回应解读情况",
    "responses_channels": "通过不同渠道和方式回应解读的情况",
    "applications": "依申请公开情况",
    "staff": "机构建设和保障经费情况",
    "meetings": "政府信息公开会议和培训情况",
}
OLD_UNFIELDED = {
    "press_leaders": "主要负责同志参加新闻发布会次数",
    "interview_leaders": "主要负责同志参加政府网站在线访谈次数",
}
OLD_NOTES = {
    "staff.full_time": "（不包括政府公报及政府网站工作人员数）",
    "funding.total": "（不包括用于政府公报编辑管理及政府网站建设维护等方面的经费）",
}


def all_form_text() -> tuple[str, ...]:
    """Every string of this module (what the originality check exempts)."""
    out: list[str] = [REGULATION, REPORT_FORMAT, REPORT_TITLE, STATISTICS_TABLE, FEE_MEASURES]
    out += [*NATIONAL_SECTIONS, NATIONAL_PROBLEMS_LONG, ARTICLE20_HEADING]
    out += [title for titles in OLD_SECTIONS.values() for title in titles]
    out += [TABLE3_NOTE, PARTIAL_NOTE, APPLICANTS, ORGANISATIONS, INFO_CONTENT]
    out += [*OLD_HEADINGS.values(), *OLD_UNFIELDED.values(), *OLD_NOTES.values()]
    return tuple(out)
