"""Layout-preserving text normalisation with an exact map back to the original offsets.

`normalize(text)` runs six steps, each of which records where every output character came from,
so a span found in the normalised text can always be mapped back to the input (and back again):

1. **Line breaks and spaces.** ``\\r\\n`` and ``\\r`` become ``\\n``; NBSP, ideographic space
   ``\\u3000`` and the other Unicode spaces become ``' '``; zero-width characters and the BOM are
   dropped; a run of spaces becomes one space (a space between two digits therefore stays:
   ``2900 余条``, ``21 6``). ``\\t``, ``\\n`` and ``|`` (cell and row separators) are never touched.
   In text with PDF-extractor spacing (`has_extractor_spacing`), a space between two CJK characters
   is dropped (``行政复 议3件`` → ``行政复议3件``).
2. **Mirror-site pinyin readings.** ``業(yè)務(wù)`` → ``業務``: a parenthesised reading right after a Han
   character is dropped when it is a pinyin syllable with a tone mark (or ü). Toneless syllables
   (``們(men)``) are dropped only when they are valid pinyin and the document already has at least
   three tone-marked readings. Real parentheses (``(建设工程规划许可证)``, ``（一）``, ``(2017)``,
   ``(www.x.cn)``, ``(增加)``) never match.
3. **Traditional → Simplified** with OpenCC ``t2s`` (identity on mainland Simplified text).
4. **Taiwan phrasing** (``網路``, ``檔案``, ``最佳化``, ``入口網站``, ``資料庫`` …) is rewritten to
   mainland wording, but only in a document that shows it: at least two distinct markers from
   `TAIWAN_STRONG_MARKERS` / `TAIWAN_WEAK_MARKERS`, one of them strong. We use our own phrase table
   (`TAIWAN_PHRASES`, each entry what OpenCC ``tw2sp`` does, plus ``套用→应用``) rather than
   ``tw2sp`` itself, because ``tw2sp`` also rewrites ordinary mainland government wording
   (建立→创建, 执行→运行, 整合→集成, 文件→文档, 程序→进程, 效能→性能).
5. **Width.** One character for one character (`WIDTH_TABLE`):

   ========================  ==========================================
   input                     output
   ========================  ==========================================
   ``０-９ Ａ-Ｚ ａ-ｚ``       ``0-9 A-Z a-z``
   ``（ ）``                  ``( )``
   ``， ： ； ． ！ ？``       ``, : ; . ! ?``
   ``／ － − ％ ＋ ＝``        ``/ - - % + =``
   ``＜ ＞ ［ ］ ｛ ｝``       ``< > [ ] { }``
   ``＂ ＇ ＃ ＆ ＊ ＠ ＿``    ``" ' # & * @ _``
   ``｜ ～ ＼``               ``| ~ \\``
   ========================  ==========================================

   Kept as they are: ``、 。 《 》 〈 〉 “ ” ‘ ’ 〔 〕 【 】 「 」 — … ·``.
6. **Page numbers.** A line that is only a printed page number (``- 3 -``, ``第 3 页 共 12 页``,
   ``Page 3 of 12``: `lexicon.PAGE_MARKER`), left in text copied or converted from a PDF, is emptied
   (its line break stays): it would otherwise be read as a count, or cut a sentence from its count.
7. **Labels wrapped over lines.** In a table printed one cell per line (text copied from a PDF or
   a page with merged cells) or as tab rows (an unruled PDF table), a row label a narrow cell
   wrapped over two or three lines (``一、本年新收政府信息公开`` / ``申请数量``) is joined: the line
   break and the blank cells around it are dropped where the upper line prints no figure and
   `lexicon.continues_label` says the lower line opens with the label's rest (a bracket left open,
   or a table row label running across the break). A cell with a sentence end is never joined.

Offsets: ``offsets[i]`` is the original index of normalised character ``i`` (``len(text) + 1``
entries, the last one ``len(original)``), ``ends[i]`` the end (exclusive) of the original piece it
came from. A phrase conversion that changes length (最佳化 → 优化) is one atomic piece: each output
character maps to the whole source piece; so do ``\\r\\n`` and a collapsed run of spaces. Deleted
characters (pinyin readings, zero-width characters) belong to no normalised character.
"""

from __future__ import annotations

import bisect
import difflib
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

import opencc

from inference.lexicon import (
    CAPITAL_AS_WORD,
    CAPITAL_NUMERALS,
    FIGURE_CELL,
    PAGE_MARKER,
    continues_label,
    taiwan_markers,
    taiwan_rewrites,
    unit_pattern,
)

logger = logging.getLogger(__name__)

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"

WIDTH_TABLE: dict[int, str] = {
    **{0xFF10 + i: str(i) for i in range(10)},
    **{0xFF21 + i: chr(ord("A") + i) for i in range(26)},
    **{0xFF41 + i: chr(ord("a") + i) for i in range(26)},
    **{
        ord(k): v
        for k, v in zip(
            "（），：；．！？／－−％＋＝＜＞［］｛｝＂＇＃＆＊＠＿｜～＼",
            "(),:;.!?/--%+=<>[]{}\"'#&*@_|~\\",
            strict=True,
        )
    },
}

# The rows of data/taiwan_phrasing.tsv with use rewrite/keep (markers: its marker column).
# Each entry is what OpenCC tw2sp does (applied after t2s, so keys are Simplified), except 套用→应用
# (converted pages turn mainland 应用 into 套用). Identity entries protect mainland words. Left out on
# purpose because mainland reports use them too: 设定, 支援, 专案, 影片, 营运, 资料, 联络.
TAIWAN_PHRASES: dict[str, str] = taiwan_rewrites()
# Evidence of Taiwan phrasing (as it reads after t2s). Step 4 runs when the document shows at least
# two distinct markers, one of them strong; the weak ones are also ordinary mainland words.
TAIWAN_STRONG_MARKERS: tuple[str, ...] = taiwan_markers("strong")
TAIWAN_WEAK_MARKERS: tuple[str, ...] = taiwan_markers("weak")
TAIWAN_MIN_MARKERS = 2

_TONE_VOWELS = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
_COMBINING_TONES = "\u0300\u0301\u0304\u030c\u0308"  # grave, acute, macron, caron, diaeresis
_PINYIN_CHARS = "a-zü" + _TONE_VOWELS + _COMBINING_TONES
_READING = re.compile(rf"(?<=[{HAN}])[(（]([{_PINYIN_CHARS}]{{1,8}})[)）]")
_TONED = re.compile(rf"[{_TONE_VOWELS}ü{_COMBINING_TONES}]")
_TONELESS_SYLLABLE = re.compile(
    r"(?:[bpmfdtnlgkhjqxrzcsyw]|zh|ch|sh)?"
    r"(?:a|ai|an|ang|ao|e|ei|en|eng|er|o|ong|ou|i|ia|ian|iang|iao|ie|in|ing|iong|iu|u|ua|uai|uan|uang|ue|ui|un|uo|v|ve)"
)
_SPACES = re.compile(r"\r\n?|[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]|[\u200b-\u200d\u2060\ufeff]| {2,}")
_SPACE_RUN = re.compile(r" {2,}")
_NON_HAN_RUN = re.compile(rf"[^{HAN}]+")
# Step 1b: PDF text extractors print a space wherever glyph spacing changes (``行政复 议3件``) and
# after full-width punctuation (``45件， 其中``). Such a document is recognised by the second habit,
# which typed and web text almost never shows (real reports: under 5% of their ，；、 are followed
# by a space; case 03's extracted PDF: 28%); in it, a space between two CJK characters is dropped.
# A space after 。 is no evidence: one-line crawler text prints one where each line ended (seed 002,
# 34 of them and none after ，；、), and there it separates a heading from its text.
# Spaces next to digits or Latin letters are left alone (``2900 余条``, ``21 6``).
_CJK_PUNCT = "，。；、：（）《》“”‘’【】〔〕"
_SPLIT_WORD = re.compile(rf"(?<=[{HAN}{_CJK_PUNCT}]) (?=[{HAN}{_CJK_PUNCT}])")
_SPACED_PUNCT = re.compile(rf"[，；、] +(?=[{HAN}])")
_SENTENCE_PUNCT = re.compile("[，；、]")
SPACED_PUNCT_SHARE = 0.15
SPACED_PUNCT_MIN = 3


@dataclass(frozen=True)
class NormalizedText:
    """Normalised `text` plus `offsets`: `offsets[i]` is the original index of `text[i]`.

    `offsets` has `len(text) + 1` entries; the last one is `len(original)`. `ends[i]` (when given)
    is the exclusive original end of the piece `text[i]` came from; without it each char covers one.
    """

    text: str
    offsets: tuple[int, ...]
    original: str
    ends: tuple[int, ...] = field(default=(), repr=False, compare=False)

    def _end(self, i: int) -> int:
        return self.ends[i] if self.ends else self.offsets[i] + 1

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a normalised span [start, end) to the smallest original span covering it.

        >>> normalize("業(yè)務 ").to_original(0, 2)
        (0, 6)
        """
        if end <= start:
            o = self.offsets[start]
            return o, o
        return self.offsets[start], self._end(end - 1)

    def to_normalized(self, orig_start: int, orig_end: int) -> tuple[int, int]:
        """Map an original span [orig_start, orig_end) to the normalised chars whose source overlaps it.

        An original span made only of deleted characters (a pinyin reading) maps to an empty span.

        >>> normalize("業(yè)務 ").to_normalized(0, 6)
        (0, 2)
        """
        n = len(self.text)
        ends = self.ends if self.ends else tuple(o + 1 for o in self.offsets[:n])
        start = bisect.bisect_right(ends, orig_start, 0, n)
        if orig_end <= orig_start:
            return start, start
        end = bisect.bisect_left(self.offsets, orig_end, 0, n)
        return start, max(start, end)


class _Builder:
    """Collects a step's output with, per output char, the [start, end) of its source in the input."""

    __slots__ = ("parts", "starts", "ends")

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.starts: list[int] = []
        self.ends: list[int] = []

    def copy(self, text: str, a: int, b: int) -> None:
        if b > a:
            self.parts.append(text[a:b])
            self.starts.extend(range(a, b))
            self.ends.extend(range(a + 1, b + 1))

    def piece(self, a: int, b: int, out: str) -> None:
        """Source chars [a, b) become `out`; same length maps char by char, otherwise atomically."""
        if not out:
            return
        self.parts.append(out)
        if len(out) == b - a:
            self.starts.extend(range(a, b))
            self.ends.extend(range(a + 1, b + 1))
        else:
            self.starts.extend([a] * len(out))
            self.ends.extend([b] * len(out))

    def result(self) -> tuple[str, list[int], list[int]]:
        return "".join(self.parts), self.starts, self.ends


_Step = tuple[str, list[int], list[int]] | None  # None: the step changed nothing


def _substitute(text: str, pattern: re.Pattern[str], replace: Callable[[re.Match[str]], str | None]) -> _Step:
    """Apply `replace` to each match as one piece (None keeps the match); None if nothing changed."""
    builder = _Builder()
    pos = 0
    changed = False
    for m in pattern.finditer(text):
        out = replace(m)
        if out is None or out == m.group():
            continue
        changed = True
        builder.copy(text, pos, m.start())
        builder.piece(m.start(), m.end(), out)
        pos = m.end()
    if not changed:
        return None
    builder.copy(text, pos, len(text))
    return builder.result()


def _space_replacement(m: re.Match[str]) -> str:
    s = m.group()
    if s[0] == "\r":
        return "\n"
    if s[0] in "\u200b\u200c\u200d\u2060\ufeff":
        return ""
    return " "


def _normalize_spaces(text: str) -> _Step:
    step = _substitute(text, _SPACES, _space_replacement)
    if step is None:
        return None
    # Converted NBSP/ideographic spaces may now form runs with ordinary ones: collapse them too.
    again = _substitute(step[0], _SPACE_RUN, lambda m: " ")
    return _compose(step, again)


_LETTER_GAP = re.compile(r"(?<=[^\s]) (?=[^\s])")
_HAN_CHAR = re.compile(rf"[{HAN}]")
LETTER_SPACED_SHARE = 0.8
"""Share of a line's gaps between characters that must be single spaces for it to be letter-spaced."""


def is_letter_spaced(line: str) -> bool:
    """True for a line printed with a space after every character (a mirror's or an extractor's
    letter spacing, `舉 辦 培 訓 班 4 期`): ≥ 5 characters, ≥ 3 of them Han, and at least
    `LETTER_SPACED_SHARE` of the gaps between neighbouring characters are one space.

    >>> is_letter_spaced("培 訓 各 單 位 信 息 員 1 8 6 人 次 。"), is_letter_spaced("予以公开 1 0 0 0 1")
    (True, False)
    """
    chars = len(line) - line.count(" ") - line.count("\t")
    if chars < 5 or len(_HAN_CHAR.findall(line)) < 3 or "\t" in line:
        return False
    return len(_LETTER_GAP.findall(line)) >= LETTER_SPACED_SHARE * (chars - 1)


def _join_letter_spacing(text: str) -> _Step:
    """Drop the single spaces of letter-spaced lines (`is_letter_spaced`): `1 8 6 人 次` is 186人次.
    Wider gaps stay (they separate words or cells there) and become one space in the next step."""
    spaced: list[tuple[int, int]] = []
    start = 0
    for line in text.split("\n"):
        if is_letter_spaced(line):
            spaced.append((start, start + len(line)))
        start += len(line) + 1
    if not spaced:
        return None
    starts = [a for a, _ in spaced]

    def drop(m: re.Match[str]) -> str | None:
        i = bisect.bisect_right(starts, m.start()) - 1
        return "" if i >= 0 and m.start() < spaced[i][1] else None

    return _substitute(text, _LETTER_GAP, drop)


def _is_pinyin(reading: str, allow_toneless: bool) -> bool:
    if _TONED.search(reading):
        return True
    return allow_toneless and _TONELESS_SYLLABLE.fullmatch(reading) is not None


def _remove_readings(text: str) -> _Step:
    toned = sum(1 for m in _READING.finditer(text) if _TONED.search(m.group(1)))
    allow_toneless = toned >= 3
    return _substitute(text, _READING, lambda m: "" if _is_pinyin(m.group(1), allow_toneless) else None)


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


@lru_cache(maxsize=65536)
def _char_t2s(char: str) -> str:
    out = _t2s().convert(char)
    return out if len(out) == 1 else char


def _align_run(builder: _Builder, src: str, out: str, offset: int) -> None:
    """Map a converted run whose length changed: matching chars 1:1, differing blocks as pieces."""
    keyed = "".join(_char_t2s(c) for c in src)
    matcher = difflib.SequenceMatcher(None, keyed, out, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "insert":
            # An added char with no source: attach it to the previous source char.
            a = max(i1 - 1, 0)
            builder.piece(offset + a, offset + max(i1, a + 1), out[j1:j2])
        else:
            builder.piece(offset + i1, offset + i2, out[j1:j2])


T2S_REPAIRS = {"覆议": "复议"}
"""What OpenCC t2s leaves of a naive Simplified → Traditional conversion (复 has three Traditional
forms; such converters print 行政覆議 for 行政复议): same-length rewrites after t2s."""
_T2S_REPAIR = re.compile("|".join(T2S_REPAIRS))


def _convert(text: str) -> str:
    """OpenCC t2s, then `T2S_REPAIRS` (same length)."""
    return _T2S_REPAIR.sub(lambda m: T2S_REPAIRS[m.group()], _t2s().convert(text))


def _to_simplified(text: str) -> _Step:
    out = _convert(text)
    if out == text:
        return None
    if len(out) == len(text) and _same_non_han(text, out):
        return out, list(range(len(text))), list(range(1, len(text) + 1))
    # Some phrase changed length: convert Han run by Han run so the change stays local.
    logger.debug("t2s changed the length; aligning run by run")
    builder = _Builder()
    pos = 0
    for m in _NON_HAN_RUN.finditer(text + "\n"):
        start = min(m.start(), len(text))
        run = text[pos:start]
        converted = _convert(run)
        if len(converted) == len(run):
            builder.piece(pos, start, converted)
        else:
            _align_run(builder, run, converted, pos)
        builder.copy(text, start, min(m.end(), len(text)))
        pos = min(m.end(), len(text))
    return builder.result()


def _same_non_han(a: str, b: str) -> bool:
    return [(m.start(), m.group()) for m in _NON_HAN_RUN.finditer(a)] == [
        (m.start(), m.group()) for m in _NON_HAN_RUN.finditer(b)
    ]


_TAIWAN_PATTERN = re.compile("|".join(sorted(map(re.escape, TAIWAN_PHRASES), key=len, reverse=True)))


def has_taiwan_phrasing(simplified_text: str) -> bool:
    """True when the (t2s-converted) text shows two distinct Taiwan markers, one of them strong.

    >>> has_taiwan_phrasing("市政府入口网站和档案"), has_taiwan_phrasing("档案馆和程式化")
    (True, False)
    """
    found = {m.group() for m in _TAIWAN_PATTERN.finditer(simplified_text)}
    strong = found.intersection(TAIWAN_STRONG_MARKERS)
    return bool(strong) and len(strong) + len(found.intersection(TAIWAN_WEAK_MARKERS)) >= TAIWAN_MIN_MARKERS


def _mainland_phrasing(text: str) -> _Step:
    if not has_taiwan_phrasing(text):
        return None
    return _substitute(text, _TAIWAN_PATTERN, lambda m: TAIWAN_PHRASES[m.group()])


_PAGE_MARKER_LINE = re.compile(rf"(?m)^[ \t]*(?:{PAGE_MARKER})[ \t]*$")


def _drop_page_markers(text: str) -> _Step:
    """Empty the lines that are only a printed page number (`lexicon.PAGE_MARKER`)."""
    return _substitute(text, _PAGE_MARKER_LINE, lambda m: "")


_RUNNING_TITLE_CHARS = 60


def _drop_running_titles(text: str) -> _Step:
    """Empty the lines that repeat the report's title line (its first line with 报告, at most
    `_RUNNING_TITLE_CHARS` characters) further down: a PDF's running header, which a converter
    leaves between the cells of a table printed one per line, where it would end the row."""
    first = next((line.strip() for line in text.split("\n") if line.strip()), "")
    if "报告" not in first or len(first) > _RUNNING_TITLE_CHARS:  # simplified already (t2s runs first)
        return None
    pattern = re.compile(rf"(?m)^[ \t]*{re.escape(first)}[ \t]*$")
    repeats = {m.start() for m in pattern.finditer(text)}
    repeats.discard(min(repeats, default=-1))
    return _substitute(text, pattern, lambda m: "" if m.start() in repeats else None) if repeats else None


def _header_cells(line: str) -> tuple[str, ...] | None:
    """The filled cells of a table header line, else None: three or more tab-separated cells, each
    of two or more Han characters (no figure, dash or unit: `（二）被依法纠错数 | 件 | —` is a row)."""
    cells = tuple(c.strip() for c in line.split("\t") if c.strip())
    named = all(len(_HAN_CHAR.findall(c)) >= 2 for c in cells) and not any(ch.isdigit() for ch in line)
    return cells if len(cells) >= 3 and named else None


def _cut_row(upper: str, lower: str) -> bool:
    """Whether a row label runs from `upper` (a row of three or more cells, no figure) into `lower`
    (`…行政机` / `关不再处理…`: `lexicon.continues_label`)."""
    above = [c.strip() for c in upper.split("\t") if c.strip()]
    below = [c.strip() for c in lower.split("\t") if c.strip()]
    if upper.count("\t") < 2 or not above or not below or any(FIGURE_CELL.fullmatch(c) for c in above):
        return False
    return continues_label(above[-1], below[0])


def _drop_repeated_headers(text: str) -> _Step:
    """Remove a table header line printed again inside the table (a PDF repeats the header on each
    page), where it splits a row: a row label runs from the line before it into the line after it
    (`_cut_row`). Its cells are those of an earlier header line. Removed with its line break, so
    the cut label (`…行政机` / header / `关不再处理…`) joins up again (`_join_wrapped_labels`)."""
    lines = text.split("\n")
    seen: set[tuple[str, ...]] = set()
    drop: set[int] = set()
    start = 0
    for i, line in enumerate(lines):
        cells = _header_cells(line)
        inside = 0 < i < len(lines) - 1 and _cut_row(lines[i - 1], lines[i + 1])
        if cells is not None and cells in seen and inside:
            drop.add(start)
        elif cells is not None:
            seen.add(cells)
        start += len(line) + 1
    if not drop:
        return None
    return _substitute(text, re.compile(r"(?m)^[^\n]*\n"), lambda m: "" if m.start() in drop else None)


_CAPITAL_RUN = re.compile(f"[{''.join(CAPITAL_NUMERALS)}零万亿]+")


_CAPITAL_UNIT = re.compile(unit_pattern("count"))
"""A unit (`data/units.tsv`, money aside) after a single 大写 numeral that makes it a count
(`设置查阅点叁处`)."""
CAPITAL_ALSO_NAMES = "伍陆拾"
"""大写 numerals that are also words or surnames (`队伍`, `陆人`, `收拾`): alone, a number only before 元."""


def _capital_numeral(m: re.Match[str]) -> str | None:
    """A run of 大写 numerals as common ones, where it is a number: two or more 大写 characters
    (`叁拾`, `壹万贰仟`, `参拾`), one before 元 (`伍元`), or one that is no word before a unit
    (`叁处`); `队伍`, `陆续`, `参加`, `陆人` stay."""
    run = m.group()
    capitals = sum(ch in CAPITAL_NUMERALS for ch in run)
    sure = sum(ch in CAPITAL_NUMERALS and ch not in CAPITAL_AS_WORD for ch in run)
    money = m.string.startswith(("元", "圆"), m.end())
    counted = run not in CAPITAL_ALSO_NAMES and _CAPITAL_UNIT.match(m.string, m.end())
    if capitals < 2 and not (sure == 1 and (money or counted)):
        return None
    return "".join(CAPITAL_NUMERALS.get(ch, ch) for ch in run)


def _common_numerals(text: str) -> _Step:
    return _substitute(text, _CAPITAL_RUN, _capital_numeral)


def _unify_width(text: str) -> _Step:
    out = text.translate(WIDTH_TABLE)
    if out == text:
        return None
    return out, list(range(len(text))), list(range(1, len(text) + 1))


def _compose(first: _Step, second: _Step) -> _Step:
    """Chain two step maps (second applied to the output of first)."""
    if second is None:
        return first
    if first is None:
        return second
    _, s1, e1 = first
    text2, s2, e2 = second
    return text2, [s1[i] for i in s2], [e1[i - 1] for i in e2]


def has_extractor_spacing(text: str) -> bool:
    """True when full-width punctuation is often followed by a space, as PDF extractors print it.

    >>> has_extractor_spacing("共45件， 其中当面12件， 网络33件， 信函0件。")
    True
    >>> has_extractor_spacing("共45件，其中 12件")
    False
    """
    spaced = len(_SPACED_PUNCT.findall(text))
    if spaced < SPACED_PUNCT_MIN:
        return False
    return spaced >= SPACED_PUNCT_SHARE * len(_SENTENCE_PUNCT.findall(text))


def _join_split_words(text: str) -> _Step:
    if not has_extractor_spacing(text):
        return None
    return _substitute(text, _SPLIT_WORD, lambda m: "")


_LABEL_CELL = re.compile(rf"[^\n\t|。;；]{{0,40}}[{HAN}][^\n\t|。;；]{{0,40}}")
"""A cell (or a line) that may be (part of) a table label: Han text, no sentence end."""
_LINE_GAP = re.compile(r"[\t| \u3000]*\n[\t| \u3000]*")
"""A line break with the blank cells around it (a tab or pipe row's empty cells after its label)."""
_CELL_SPLIT = re.compile(r"[\t|]")
_FIGURE_IN_LABEL = re.compile(r"\d+(?:\.\d+)?(?![.、．)）\d])")
"""A figure inside a label cell (`…及政府万 1.2`: a PDF row broken around its value), not its item
number (`2.申请人…`): no label to join."""
LABEL_LINES = 3
"""How many lines a wrapped label may take."""


def _wrapped_label_gaps(text: str) -> set[tuple[int, int]]:
    """The line breaks (with the blank cells around them) inside wrapped row labels: the upper line
    ends in a label cell and prints no figure, the lower opens with the label's rest
    (`lexicon.continues_label`): `（六）其他处理 2.申请人逾期未按收费通 | | …` over
    `| 知要求缴纳费用… | 4 | 0 …`."""
    gaps: set[tuple[int, int]] = set()
    label, lines, label_end = "", 0, -1
    for gap in _LINE_GAP.finditer(text):
        line_end = text.find("\n", gap.end())
        lower = _CELL_SPLIT.split(text[gap.end() : line_end if line_end >= 0 else len(text)], 1)[0].rstrip()
        if not _LABEL_CELL.fullmatch(lower):
            continue
        upper = _CELL_SPLIT.split(text[text.rfind("\n", 0, gap.start()) + 1 : gap.start()])
        if gap.start() != label_end:  # not the rest of a label joined above: a label of its own
            label, lines = upper[-1].strip(), 1
        if (
            lines < LABEL_LINES
            and _LABEL_CELL.fullmatch(label)
            and not _FIGURE_IN_LABEL.search(label)
            and not any(FIGURE_CELL.fullmatch(cell) for cell in upper)
            and continues_label(label, lower)
        ):
            gaps.add((gap.start(), gap.end()))
            label, lines, label_end = label + lower, lines + 1, gap.end() + len(lower)
    return gaps


def _join_wrapped_labels(text: str) -> _Step:
    gaps = _wrapped_label_gaps(text)
    if not gaps:
        return None
    return _substitute(text, _LINE_GAP, lambda m: "" if (m.start(), m.end()) in gaps else None)


_STEPS: tuple[Callable[[str], _Step], ...] = (
    _join_letter_spacing,
    _normalize_spaces,
    _join_split_words,
    _remove_readings,
    _to_simplified,
    _mainland_phrasing,
    _common_numerals,
    _unify_width,
    _drop_page_markers,
    _drop_running_titles,
    _drop_repeated_headers,
    _join_wrapped_labels,
)


def normalize(text: str) -> NormalizedText:
    """Return the normalised text and its offset map (same function for training and prediction).

    >>> normalize("業(yè)務（一）２９００ 余條").text
    '业务(一)2900 余条'
    """
    current = text
    mapping: _Step = None
    for step in _STEPS:
        result = step(current)
        if result is not None:
            mapping = _compose(mapping, result)
            current = result[0]
    if mapping is None:
        n = len(text)
        identity = tuple(range(n + 1))
        return NormalizedText(text=text, offsets=identity, original=text, ends=identity[1:])
    out, starts, ends = mapping
    return NormalizedText(text=out, offsets=(*starts, len(text)), original=text, ends=tuple(ends))
