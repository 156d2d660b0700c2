"""Markdown reader for what PDF converters write: pipe tables to ``\\t`` rows, markup stripped.

The output has the shape `inference.read.html_to_text` gives HTML. A pipe-table line
(``| a | b |``) becomes its cells joined by ``\\t``; separator lines (``|---|:--:|``) are dropped;
``<br>`` inside a cell is a wrapped label and is joined like PDF-wrapped text; an HTML table block
that some converters emit is rendered by the HTML reader it is given; heading marks, emphasis,
list and quote markers, images and link targets are removed; the words stay. Broken converter tables
(headers merged into one cell, rows of uneven width) are kept as written, one line per row: reading
them is `inference.tables`' job; a row whose wrapped labels the converter split into a second row
(text only, under labels left open: ``（区分处理的，``) is joined back. A line-based reader rather
than a CommonMark parser on purpose: converters' broken tables are not tables to a parser.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from inference.lexicon import CIRCLED, FIGURE_CELL, PAGE_MARKER, circled, continues_label

_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_QUOTE_LIST = re.compile(r"^\s*(?:>\s*)+|^\s*[-*+]\s+(?=\S)")
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_EMPHASIS = re.compile(r"(\*\*|__|\*|~~|`)(?=\S)(.+?)(?<=\S)\1")
_BR = re.compile(r"\s*<br\s*/?>\s*", re.IGNORECASE)
_TAG = re.compile(r"</?(?:span|font|b|strong|i|em|u|sup|sub|p|div)\b[^>]*>", re.IGNORECASE)
_HTML_TABLE = re.compile(r"<table\b.*?</table\s*>", re.IGNORECASE | re.DOTALL)
_RULE = re.compile(r"^\s*(?:[-*_]\s*){3,}$")
_GRID_RULE = re.compile(r"^\s*\+(?:[-=:]+\+)+\s*$")
"""A rule of a grid table (pandoc: `+------+-----+`, `+======+`): rows lie between two rules."""
_PAGE_MARKER_LINE = re.compile(rf"^\s*(?:{PAGE_MARKER})\s*$")
_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]")
_INLINE_MATH = re.compile(r"\$([^$\n]{1,80})\$|\\\(([^\n]{1,80}?)\\\)")
"""Inline math (`$…$`, `\\(…\\)`): MinerU sets cells and figures in it (`$12$`, `$4 3$`)."""
_MATH_WRAPPER = re.compile(r"\\(?:mathbf|mathrm|mathit|mathsf|textbf|textrm|text|boldsymbol|bf|rm)\s*")
_MATH_SUPERSCRIPT = re.compile(r"\^\s*(?:\{(?:[^{}]|\{[^{}]*\})*\}|\\?\w|\*)")
"""A superscript (`^{*}`, `^{\\textcircled{1}}`, `^2`): a note mark after a figure, never part of it."""
_TEX_CIRCLED = re.compile(r"\\(?:textcircled|circled|circle)\s*\{?\s*(\d{1,2})\s*\}?")
_MATH_FIGURE = re.compile(r"[-−+]?\d[\d,.]*%?")
_FOOTNOTE = re.compile(r"\[\^[^\]\s]{1,20}\](:?)")
"""A footnote reference (`[^1]`) or, with its colon, the label of a footnote's text (`[^1]: …`)."""
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")
"""A Markdown backslash escape of ASCII punctuation (`\\-12`, `\\*`; CommonMark §2.4); `\\|` is
split_row's."""


def markdown_to_text(markdown: str, *, render_html: Callable[[str], str] | None = None) -> str:
    """Render converter Markdown as cell-preserving text; `render_html` renders embedded HTML tables
    (`inference.read` passes its `html_to_text`; without it they are read as plain lines).

    >>> markdown_to_text("## 表二\\n| 信息内容 | 本年制发件数 |\\n|---|---|\\n| 规章 | **2** |")
    '表二\\n信息内容\\t本年制发件数\\n规章\\t2'
    """
    markdown = _INLINE_MATH.sub(_math_text, _FOOTNOTE.sub("", markdown))
    pieces: list[str] = []
    position = 0
    for match in _HTML_TABLE.finditer(markdown) if render_html is not None else ():
        pieces.extend(_lines(markdown[position : match.start()]))
        pieces.append(render_html(match.group()))
        position = match.end()
    pieces.extend(_lines(markdown[position:]))
    return "\n".join(piece for piece in pieces if piece.strip())


def _math_text(match: re.Match[str]) -> str:
    r"""Inline math as the text it shows where that is a figure or a circled number: spaces are
    insignificant in TeX (`$4 3$` is 43, `$- 3$` is -3), `{,}` is a grouping comma, a superscript
    is a note mark (`$18^{*}$` is 18), font wrappers go (`$\mathbf{70}$`); other math loses only
    its dollars.

    >>> [_INLINE_MATH.sub(_math_text, m) for m in ("$4 3$", "$1{,}386$", "$18^{*}$", "$\\textcircled{3}$")]
    ['43', '1,386', '18', '③']
    """
    body = match.group(1) if match.group(1) is not None else match.group(2)
    body = _TEX_CIRCLED.sub(lambda m: circled(int(m.group(1))) or m.group(1), body)
    body = _MATH_WRAPPER.sub("", _MATH_SUPERSCRIPT.sub("", body)).replace("{,}", ",")
    plain = re.sub(r"[\s{}~]|\\[,;: ]", "", body).replace("\\%", "%").replace("−", "-")
    return plain if _MATH_FIGURE.fullmatch(plain) or re.fullmatch(f"[{CIRCLED}]", plain) else body.strip()


def _lines(markdown: str) -> list[str]:
    out: list[str] = []
    in_code = False
    grid_row: list[list[str]] | None = None  # the lines of a grid table's row, once a rule opened it
    for raw in markdown.splitlines():
        if raw.lstrip().startswith(("```", "~~~")):
            in_code = not in_code
            continue
        if not in_code and _GRID_RULE.match(raw):
            out.extend(_grid_row(grid_row or []))
            grid_row = []
            continue
        if grid_row is not None and raw.lstrip().startswith("|"):
            grid_row.append([_inline(cell) for cell in split_row(raw)])
            continue
        out.extend(_grid_row(grid_row or []))
        grid_row = None
        if _SEPARATOR.match(raw) and "|" in raw or _RULE.match(raw) or _PAGE_MARKER_LINE.match(raw):
            continue  # a page number (`- 7 -`) is no list item
        if not in_code and raw.lstrip().startswith("|"):
            cells = [_inline(cell) for cell in split_row(raw)]
            if out and _continues_row(out[-1], cells):
                out[-1] = "\t".join(_join(a, b) for a, b in zip(out[-1].split("\t"), cells, strict=True))
            else:
                out.append("\t".join(cells))
        else:
            out.append(_inline(_QUOTE_LIST.sub("", _QUOTE_LIST.sub("", _HEADING.sub("", raw)))))
    out.extend(_grid_row(grid_row or []))
    return out


def _grid_row(lines: list[list[str]]) -> list[str]:
    """The lines between two rules of a grid table (pandoc's `+---+`) as one row, each cell's lines
    joined: a grid table wraps a cell over lines. Lines split into different numbers of cells
    (a cell spanning columns) stay one row each.

    >>> _grid_row([["信息内容", "本年新制", "对外公开"], ["", "作数量", "总数量"]])
    ['信息内容\\t本年新制作数量\\t对外公开总数量']
    """
    if len({len(cells) for cells in lines}) != 1:
        return ["\t".join(cells) for cells in lines]
    joined = lines[0]
    for cells in lines[1:]:
        joined = [_join(a, b) for a, b in zip(joined, cells, strict=True)]
    return ["\t".join(joined)]


def split_row(line: str) -> list[str]:
    r"""Cells of a pipe-table line; ``\|`` is a literal bar.

    >>> split_row("| 规章 | 2 \\| 3 |  |")
    ['规章', '2 | 3', '']
    """
    body = line.strip()
    body = body[1:] if body.startswith("|") else body
    body = body[:-1] if body.endswith("|") and not body.endswith("\\|") else body
    cells = re.split(r"(?<!\\)\|", body)
    return [cell.replace("\\|", "|").strip() for cell in cells]


def _continues_row(previous: str, cells: list[str]) -> bool:
    """A converter split one row's wrapped labels over two rows, the figures on either: one of the
    two rows is text only, and each of its filled cells continues (or is continued by) the other
    row's cell above or below it: a label left open (``（区分处理的，``) or a table row label running
    across the two (`lexicon.wraps_a_row_label`).

    >>> _continues_row("（二）部分公开（区分处理的，\\t29\\t0", ["只计这一情形）", "", ""])
    True
    >>> _continues_row("一、本年新收政府信息\\t\\t", ["公开申请数量", "5", "0"])
    True
    >>> _continues_row("行政规范性文件\\t38\\t11", ["第二十条第（五）项", "", ""])
    False
    """
    above = previous.split("\t")
    if len(above) != len(cells):
        return False
    figures_above, figures_below = (any(FIGURE_CELL.fullmatch(c) for c in row) for row in (above, cells))
    if figures_above == figures_below:
        return False
    text_row, other = (cells, above) if figures_above else (above, cells)
    filled = [i for i, cell in enumerate(text_row) if cell]
    joins = [i for i in filled if other[i]]
    # the upper row may also hold a merged cell the lower row leaves blank (`（六）其他处理`)
    return (
        bool(joins)
        and (figures_above is False or joins == filled)
        and all(
            _CJK.search(above[i]) and _CJK.search(cells[i]) and continues_label(above[i], cells[i])
            for i in joins
        )
    )


def _join(left: str, right: str) -> str:
    if not left or not right:
        return left + right
    return left + ("" if _CJK.match(left[-1]) or _CJK.match(right[0]) else " ") + right


def _inline(text: str) -> str:
    text = _IMAGE.sub(r"\1", text)
    text = _LINK.sub(r"\1", text)
    text = _TAG.sub("", text)
    text = _BR.sub("\x00", text)
    for _ in range(2):  # nested emphasis: ***x***
        text = _EMPHASIS.sub(r"\2", text)
    text = _ESCAPED.sub(r"\1", text.replace("&nbsp;", " "))
    while "\x00" in text:
        left, _, right = text.partition("\x00")
        glue = "" if not left or not right or _CJK.match(left[-1]) or _CJK.match(right[0]) else " "
        text = left.rstrip() + glue + right.lstrip()
    return text.strip()
