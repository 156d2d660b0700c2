"""PDF reader: text in reading order, ruled tables rebuilt from page geometry as tab-separated rows.

The output has the shape `inference.read.html_to_text` gives HTML: one line per paragraph, a table
as one line per row with cells joined by ``\\t`` (a merged cell's text in its first slot, ``""`` in
the slots it covers). Built on pdfplumber (pdfminer.six underneath; MIT): it finds the ruling
lines and the cell grid, we assign every character to a cell, a covered slot or the running text,
and join wrapped lines. Page numbers and repeated page headers/footers are dropped, a table that
continues on the next page loses its repeated header rows, and the start offset of every page is
returned so records can name their page. Field extraction from the rows is left to
`inference.tables` / `inference.prose`.
"""

from __future__ import annotations

import bisect
import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from inference.errors import ReadError
from inference.lexicon import ITEM_NUMBER, ORDINALS, PAGE_MARKER

logger = logging.getLogger(__name__)
# pdfminer warns once per page about fonts it need not measure (`Could not get FontBBox from font
# descriptor`, Chromium's CJK subsets): noise on every page of a batch, never about the text read
logging.getLogger("pdfminer").setLevel(logging.ERROR)

# A gap wider than this many font sizes between two words of running text separates table cells
# (an unruled table); justified CJK prose spreads characters by well under one size.
TAB_GAP = 2.0
# A gap wider than this many font sizes is a space (between two CJK characters it is dropped).
SPACE_GAP = 0.25
# Lines whose vertical centres differ by less than this share of the font size are one line.
LINE_TOLERANCE = 0.5
# Share of the page height at the top and bottom where page headers, footers and numbers live.
MARGIN_SHARE = 0.1
# Cell edges closer than this (points) are one column edge; no real column is this narrow.
COLUMN_SNAP = 5.0
# Fewer characters than this over the whole file: no text layer.
MIN_TEXT_CHARS = 20

_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f“”‘’—…·]")
# in the footer zone a bare 3 or 3/12 is a page number too (not a lone year: at most 3 digits)
_PAGE_NUMBER = re.compile(rf"^\s*(?:{PAGE_MARKER}|[-—–]*\s*\d{{1,3}}(?:\s*[/／]\s*\d{{1,3}})?\s*[-—–]*)\s*$")
_ASCII_DIGIT = re.compile(r"\d+")
_WORDS = re.compile(r"[A-Za-z\u3400-\u9fff]")
_UNBREAKABLE = re.compile(r"[0-9A-Za-z][0-9A-Za-z.,:/%_\-]{5,}")
_PARAGRAPH_END = ("。", "！", "？", "：", ":", "；")
# A line opening a numbered heading or item starts a paragraph even when flush left.
_HEADING_START = re.compile(
    rf"(?=[(（]?(?:\d{{1,2}}|[{ORDINALS}]{{1,3}})[^\d{ORDINALS}])(?:{ITEM_NUMBER})|第[{ORDINALS}]"
)
"""`(三)`, `3.`, `12、`, `十二、`, `第…`; not a figure that a glued cell pushed to the line's start
(`2949819162、`, `223.否决…`: 2|2 and the next item's `3.`)."""


@dataclass(frozen=True)
class PdfText:
    """The text of a PDF and `page_starts[i]`: the offset in `text` where page ``i + 1`` begins."""

    text: str
    page_starts: tuple[int, ...]


@dataclass
class _Line:
    """A line of characters: running text or a table row (``cells`` set)."""

    top: float
    bottom: float
    x0: float
    x1: float
    text: str
    size: float
    cells: list[str] | None = None
    table: int = -1  # rows: the table's number, counted over the whole file (continued tables share it)
    slots: list[tuple[float, str]] = field(default_factory=list)  # rows: (left edge, text) per cell
    extents: list[tuple[float, float]] = field(default_factory=list)  # running text: x range per tab cell
    region: int = -1  # running text: the unruled table region it lies in on its page
    words: list[_Line] = field(default_factory=list)  # region lines: the line cut at every `WORD_GAP`
    chars: list[dict] = field(default_factory=list, repr=False)  # while its page is read


@dataclass
class _Page:
    lines: list[_Line] = field(default_factory=list)
    height: float = 0.0
    width: float = 0.0


def pdf_to_text(path: str | Path) -> PdfText:
    """Read a PDF into cell-preserving text; raise `ReadError` for unreadable or scanned files.

    >>> pdf_to_text("report.pdf").text  # doctest: +SKIP
    '洪泽区人民政府\\n…\\n信息内容\\t本年制发件数\\t本年废止件数\\t现行有效件数\\n规章\\t0\\t0\\t0\\n…'
    """
    import pdfplumber
    from pdfminer.pdfparser import PDFSyntaxError

    pages: list[_Page] = []
    try:
        with pdfplumber.open(str(path)) as pdf:
            for page in pdf.pages:
                pages.append(_read_page(page))
                page.close()  # frees the page's parsed objects: memory stays flat on long files
    except (PDFSyntaxError, ValueError, KeyError, TypeError, OSError) as exc:
        raise ReadError(str(path), f"not a readable .pdf file: {exc}") from exc
    except Exception as exc:  # pdfminer raises many kinds (PSEOF, PDFPasswordIncorrect, …) for bad files
        raise ReadError(str(path), f"not a readable .pdf file: {type(exc).__name__}: {exc}") from exc
    if sum(len(line.text) for page in pages for line in page.lines) < MIN_TEXT_CHARS:
        raise ReadError(str(path), "no text layer (scanned PDF); OCR is not part of this reader")
    _drop_margins(pages)
    _unruled_tables(pages)
    _align_continued_tables(pages)
    _drop_repeated_headers(pages)
    return _join_pages(pages)


# --- one page ---------------------------------------------------------------------------------------


SIDEWAYS_SHARE = 0.8
"""A page whose characters are this share or more turned a quarter (the same way) is read turned
upright: a table drawn sideways on a portrait page, without /Rotate."""


def _turn(page):  # noqa: ANN001, ANN202 - pdfplumber Page in, a derived Page out
    """The page turned upright where its text is drawn sideways (`SIDEWAYS_SHARE`); else itself.

    A character's text matrix (a, b, c, d) with b = 1 runs bottom to top, b = -1 top to bottom;
    every object (characters, lines, rects, curves) is moved into the turned frame, so that
    ruled tables and text lines are found as on an upright page.
    """
    from pdfplumber.page import DerivedPage

    chars = page.chars
    turns = Counter(round(c["matrix"][1]) for c in chars if not c.get("upright", True) and "matrix" in c)
    if not chars or not turns:
        return page
    direction, count = turns.most_common(1)[0]
    if direction not in (1, -1) or count < SIDEWAYS_SHARE * len(chars):
        return page
    width, height = float(page.width), float(page.height)

    def point(x: float, top: float) -> tuple[float, float]:
        return (height - top, x) if direction == 1 else (top, width - x)

    def moved(obj: dict) -> dict:
        out = dict(obj)
        (ax, atop), (bx, btop) = point(obj["x0"], obj["top"]), point(obj["x1"], obj["bottom"])
        out.update(x0=min(ax, bx), x1=max(ax, bx), top=min(atop, btop), bottom=max(atop, btop))
        out.update(width=out["x1"] - out["x0"], height=out["bottom"] - out["top"])
        out.update(y0=width - out["bottom"], y1=width - out["top"], doctop=out["top"], upright=True)
        if "pts" in obj:
            out["pts"] = [point(x, top) for x, top in obj["pts"]]
        return out

    class Turned(DerivedPage):
        def __init__(self) -> None:
            self.bbox = (0, 0, height, width)
            super().__init__(page)

        @property
        def objects(self) -> dict[str, list[dict]]:
            if not hasattr(self, "_objects"):
                self._objects = {kind: [moved(o) for o in objs] for kind, objs in page.objects.items()}
            return self._objects

    return Turned()


def _read_page(page) -> _Page:  # noqa: ANN001 - pdfplumber Page
    page = _turn(page)
    chars = _dedupe([c for c in page.chars if c["text"] and c["text"] != "\n"])
    rows: list[_Line] = []
    free = chars
    settings = {"explicit_horizontal_lines": _closing_lines(page.edges)}
    for number, table in enumerate(page.find_tables(table_settings=settings)):
        table_rows, free = _table_rows(table, free)
        for row in table_rows:
            row.table = number  # on this page; numbered over the file by _align_continued_tables
        rows.extend(row for row in table_rows if any(row.cells or ()))
    lines = _text_lines(free, tabs=True) + rows
    lines.sort(key=lambda line: (line.top, line.x0))
    lines = [line for line in lines if line.text.strip()]
    _mark_regions(lines)
    for line in lines:
        line.chars = []
    return _Page(lines=lines, height=float(page.height), width=float(page.width))


def _closing_lines(edges: list[dict]) -> list[dict]:
    """A horizontal line along the top and the bottom of each block of vertical rulings.

    A table split by a page break has no ruling where it is cut (browsers and word processors
    draw the shared border on one page only), so its first row on the next page, and a merged cell
    running into the break, would have no closed box: these lines close them.
    """
    vertical = sorted((e for e in edges if e["orientation"] == "v"), key=lambda e: e["top"])
    blocks: list[list[float]] = []  # [top, bottom, x0, x1]
    for edge in vertical:
        if blocks and edge["top"] <= blocks[-1][1] + 2:
            block = blocks[-1]
            block[1] = max(block[1], edge["bottom"])
            block[2], block[3] = min(block[2], edge["x0"]), max(block[3], edge["x1"])
        else:
            blocks.append([edge["top"], edge["bottom"], edge["x0"], edge["x1"]])
    lines = []
    for top, bottom, x0, x1 in blocks:
        for y in (top, bottom):
            line = {"object_type": "line", "x0": x0, "x1": x1, "top": y, "bottom": y, "height": 0}
            lines.append({**line, "width": x1 - x0})
    return lines


def _dedupe(chars: list[dict], tolerance: float = 1.0) -> list[dict]:
    """Drop a character drawn again at (nearly) the same place: fake bold, shadows.

    pdfplumber's `dedupe_chars` does this too but costs half the page time on table-heavy pages.
    """
    seen: dict[tuple[str, int], list[float]] = {}
    out = []
    for char in chars:
        lefts = seen.setdefault((char["text"], round(char["top"])), [])
        if any(abs(char["x0"] - x) <= tolerance for x in lefts):
            continue
        lefts.append(char["x0"])
        out.append(char)
    return out


def _inside(char: dict, box: tuple[float, float, float, float]) -> bool:
    x = (char["x0"] + char["x1"]) / 2
    y = (char["top"] + char["bottom"]) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def _take(chars: list[dict], box: tuple[float, float, float, float]) -> tuple[list[dict], list[dict]]:
    """Split `chars` into those whose centre lies in `box` and the rest."""
    taken: list[dict] = []
    rest: list[dict] = []
    for char in chars:
        (taken if _inside(char, box) else rest).append(char)
    return taken, rest


def _table_rows(table, chars: list[dict]) -> tuple[list[_Line], list[dict]]:  # noqa: ANN001
    """Rows of a ruled table as `_Line`s with cells, and the characters left for running text.

    A slot no cell covers (pdfplumber's ``None``: merged from the left or above, or a cell whose
    ruling is missing) takes the characters lying in it. A row holding one piece of text as wide as
    the table is running text when it fills the width or when most rows are like it (a page frame
    around paragraphs); otherwise it is a heading row of the table (``第二十条第（一）项``).
    """
    x_starts = sorted({cell[0] for cell in table.cells})
    x_ends = [*x_starts[1:], table.bbox[2]]
    grid: list[tuple[float, float, list[list[dict]], list]] = []
    chars, outside = _take(chars, table.bbox)
    for row in table.rows:
        boxes = list(row.cells)
        real = [box for box in boxes if box is not None]
        if not real:
            continue
        top = min(box[1] for box in real)
        bottom = min(box[3] for box in real)
        texts: list[list[dict]] = []
        lefts: list[float | None] = []
        band, chars = _take(chars, (table.bbox[0], top, table.bbox[2], max(box[3] for box in real)))
        for column, box in enumerate(boxes):
            left = None if box is None else box[0]
            if box is None and column < len(x_starts):
                box = (x_starts[column], top, x_ends[column], bottom)
            taken, band = _take(band, box) if box is not None else ([], band)
            texts.append(taken)
            lefts.append(box[0] if taken and box is not None else left)
        chars.extend(band)  # below this row's cells: later rows'
        grid.append((top, bottom, texts, boxes, lefts))
    chars = outside + chars  # in the table's box but in no cell: running text
    lone = [_lone_wide_cell(texts, boxes, table.bbox) for _, _, texts, boxes, _ in grid]
    lone_rows = sum(1 for i in lone if i is not None)
    frame = lone_rows >= 3 and lone_rows >= 0.5 * len(grid)
    rows: list[_Line] = []
    for (top, bottom, texts, boxes, lefts), single in zip(grid, lone, strict=True):
        if single is not None and (frame or _fills(texts[single], boxes[single])):
            chars.extend(texts[single])
            continue
        cells = [_cell_text(group) for group in texts]
        slots = [(left, text) for left, text in zip(lefts, cells, strict=True) if left is not None]
        line = _Line(top, bottom, table.bbox[0], table.bbox[2], "\t".join(cells), 0.0, cells=cells)
        line.slots = slots
        rows.append(line)
    return rows, chars


def _lone_wide_cell(texts: list[list[dict]], boxes: list, bbox: tuple) -> int | None:
    """Index of the row's only filled cell when that cell is about as wide as the table."""
    filled = [i for i, group in enumerate(texts) if group]
    if len(filled) != 1 or boxes[filled[0]] is None:
        return None
    box = boxes[filled[0]]
    return filled[0] if (box[2] - box[0]) >= 0.9 * (bbox[2] - bbox[0]) else None


def _fills(chars: list[dict], box: tuple[float, float, float, float]) -> bool:
    """Text over several lines, or one line filling the cell: a paragraph, not a heading."""
    lines = _text_lines(chars, tabs=False)
    return len(lines) > 1 or (lines[0].x1 - lines[0].x0) >= 0.8 * (box[2] - box[0])


def _cell_text(chars: list[dict]) -> str:
    """A cell's lines joined: no break inside CJK (wrapped and vertical labels), a space otherwise."""
    out = ""
    for line in _text_lines(chars, tabs=False):
        out = _join(out, line.text.strip())
    return out


def _join(left: str, right: str, *, split_digits: bool = True) -> str:
    """Two lines of one cell or paragraph: no space at CJK; none between digits either where a
    number may be broken over lines (`split_digits`: narrow cells), one where it may not (running
    text breaks between numbers, `739 4359`, never inside one); none after a dash or slash."""
    if not left or not right:
        return left + right
    digits = (left[-1] + right[0]).isdigit()
    # a line ending in a dash or slash goes on with its word or number (`26-` / `260`, `2019-` / `2020年`)
    broken = left[-1] in "-−–/" and right[0].isalnum()
    glue = "" if _CJK.match(left[-1]) or _CJK.match(right[0]) or (digits and split_digits) or broken else " "
    return left + glue + right


def _text_lines(chars: list[dict], *, tabs: bool) -> list[_Line]:
    """Group characters into lines (by vertical centre) and write each line's text.

    A space glyph is a space; so is a gap over `SPACE_GAP` font sizes unless both sides are CJK
    (letter spacing); with `tabs`, a gap over `TAB_GAP` sizes is a cell break.
    """
    groups: list[list[dict]] = []
    for char in sorted(chars, key=lambda c: ((c["top"] + c["bottom"]) / 2, c["x0"])):
        centre = (char["top"] + char["bottom"]) / 2
        if groups:
            last = groups[-1]
            last_centre = (last[0]["top"] + last[0]["bottom"]) / 2
            if abs(centre - last_centre) <= LINE_TOLERANCE * max(char["size"], 1.0):
                last.append(char)
                continue
        groups.append([char])
    lines = []
    for group in groups:
        group.sort(key=lambda c: c["x0"])
        lines.append(_line_of(group, tabs=tabs))
        lines[-1].chars = group
    return lines


def _line_of(group: list[dict], *, tabs: bool) -> _Line:
    parts: list[str] = []
    previous: dict | None = None
    spaced = False  # a space glyph since `previous`
    extents: list[list[float]] = []
    for char in group:
        if not char["text"].strip():
            spaced = True
            continue
        if previous is None:
            extents.append([char["x0"], char["x1"]])
        else:
            size = max(previous["size"], char["size"], 1.0)
            gap = char["x0"] - previous["x1"]
            if tabs and gap > TAB_GAP * size:
                parts.append("\t")
                extents.append([char["x0"], char["x1"]])
            elif spaced or (
                gap > SPACE_GAP * size and not (_CJK.match(previous["text"]) and _CJK.match(char["text"]))
            ):
                parts.append(" ")  # a space glyph is a space; a mere gap between CJK is letter spacing
        parts.append(char["text"])
        extents[-1][1] = char["x1"]
        previous = char
        spaced = False
    group = [c for c in group if c["text"].strip()] or group
    sizes = sorted(c["size"] for c in group)
    line = _Line(
        top=min(c["top"] for c in group),
        bottom=max(c["bottom"] for c in group),
        x0=group[0]["x0"],
        x1=group[-1]["x1"],
        text="".join(parts),
        size=sizes[len(sizes) // 2],
    )
    line.extents = [(a, b) for a, b in extents]
    return line


# --- unruled tables ---------------------------------------------------------------------------------
# A table drawn without ruling lines is rebuilt from its word boxes in three steps:
# 1. regions (`_mark_regions`, per page): runs of lines that have wide gaps (`TAB_GAP`), with the
#    single lines between and around them that cannot be prose (wrapped labels, centred headers);
#    a region ending a page and one starting the next are one table (`_linked_regions`);
# 2. columns (`_grid_columns`): the x ranges of the region's words, fullest lines first;
# 3. rows (`_region_rows`): a line with figures is a row (its "anchor"); the text above and below
#    (labels wrapped over lines, centred or top-aligned in their cell) is cut into cells by a small
#    dynamic programme that prefers cells lying on an anchor (`_cut_stack`); a cell on no anchor is
#    a merged label when it overlaps the rows it spans, otherwise part of a header row.

# A gap over this many font sizes inside a table region separates two words (cells).
WORD_GAP = 1.0
# Lines of one region are at most this many font sizes apart; a lone line joins a region's top or
# bottom when at most `EDGE_GAP` sizes away (`WRAP_GAP` when it starts at the left margin: only
# the wrapped line of a label is that close).
REGION_GAP = 3.0
EDGE_GAP = 1.5
WRAP_GAP = 0.6
# Lines of one cell (wrapped labels) are at most this many font sizes apart, and at most
# `LEADING_SLACK` sizes more than the table's line spacing (its narrow gaps; wider ones part rows).
CELL_GAP = 1.0
LEADING_SLACK = 0.2
# A cell lies on a row when its centre (or, top-aligned, its first line) is this close (font sizes).
ALIGN_TOLERANCE = 0.2
MAX_CELL_LINES = 40
# A table's caption: `附表3`, `表三 接受咨询`, `表2：…`.
_CAPTION = re.compile(rf"(?:附\s*)?表\s*(?:\d{{1,2}}|[{ORDINALS}]{{1,3}})(?![\d{ORDINALS}])")
# A figure: digits with an optional short unit, or a dash standing for none.
_FIGURE = re.compile(r"[-−—–－/]|[-−]?\d[\d,，]*(?:\.\d+)?\s*(?:%|％|[\u4e00-\u9fff]{1,2})?")


@dataclass(frozen=True)
class _Piece:
    """A word of an unruled table, on the table's pages laid end to end (``top`` grows over pages)."""

    x0: float
    x1: float
    top: float
    bottom: float
    text: str
    size: float
    page: int
    line: int  # the visual line it was on, numbered over the table
    offset: float  # added to the page's own ``top``

    @property
    def centre(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass
class _Block:
    """Lines of one cell: pieces stacked over each other, the row anchor they lie on (if any)."""

    pieces: list[_Piece]
    anchor: float | None

    @property
    def text(self) -> str:
        out = ""
        for piece in self.pieces:
            out = _join(out, piece.text.strip())
        return out


def _mark_regions(lines: list[_Line]) -> None:
    """Set `region` (and cut `words`) on the running-text lines of each unruled table of a page."""
    free = [line for line in lines if line.cells is None]
    if not free:
        return
    bounds = (min(line.x0 for line in free), max(line.x1 for line in free))
    for number, (first, last) in enumerate(_seed_runs(lines, bounds)):
        for line in lines[first : last + 1]:
            line.region = number
            line.words = _words(line.chars)


def _seed_runs(lines: list[_Line], bounds: tuple[float, float]) -> list[tuple[int, int]]:
    """First and last index of each region: two or more gapped lines, bridged and extended."""
    runs: list[list[int]] = []  # [first, last, gapped lines]
    for i, line in enumerate(lines):
        if line.cells is not None or len(line.extents) < 2:
            continue
        if runs and _bridges(lines[runs[-1][1] : i + 1], bounds):
            runs[-1][1:] = [i, runs[-1][2] + 1]
        else:
            runs.append([i, i, 1])
    out: list[tuple[int, int]] = []
    for first, last, count in runs:
        if count < 2:
            continue
        floor = out[-1][1] if out else -1
        while first - 1 > floor and _joins_edge(lines[first - 1], lines[first], bounds, above=True):
            first -= 1
        while last + 1 < len(lines) and _joins_edge(lines[last + 1], lines[last], bounds, above=False):
            last += 1
        out.append((first, last))
    return out


def _gap(upper: _Line, lower: _Line) -> float:
    """Vertical white space between two lines, in font sizes of the lower one."""
    return (lower.top - upper.bottom) / max(lower.size, 1.0)


def _bridges(segment: list[_Line], bounds: tuple[float, float]) -> bool:
    """Can two gapped lines (`segment`'s ends) be one table with the lone lines between them?"""
    size = segment[0].size
    inner = segment[1:-1]
    if any(line.cells is not None or len(line.extents) > 1 for line in inner):
        return False
    if any(_gap(a, b) > REGION_GAP for a, b in zip(segment, segment[1:], strict=False)):
        return False
    if any(_CAPTION.match(line.text.strip()) for line in inner):
        return False  # `附表3` / `表三 接受咨询`: the next table begins, with columns of its own
    return not any(_prose_like(line, bounds, size, segment) for line in inner)


def _prose_like(line: _Line, bounds: tuple[float, float], size: float, around: list[_Line]) -> bool:
    """A lone line starting at the left margin that fills the column, ends a sentence, is in a
    type size other than the table's, or is a heading set apart by white space."""
    if line.x0 > bounds[0] + 2.5 * line.size:
        return False
    if line.x1 >= bounds[1] - 1.5 * line.size or abs(line.size - size) > 0.5:
        return True
    if line.text.rstrip().endswith(("。", "；")):
        return True
    index = next(i for i, other in enumerate(around) if other is line)
    spaced = any(
        _gap(a, b) >= 1.0
        for a, b in ((around[index - 1], line), (line, around[min(index + 1, len(around) - 1)]))
        if a is not b
    )
    return spaced and bool(_HEADING_START.match(line.text.lstrip()))


def _joins_edge(line: _Line, neighbour: _Line, bounds: tuple[float, float], *, above: bool) -> bool:
    """Does lone line `line`, just above/below a region's end line `neighbour`, belong to it?"""
    if line.cells is not None or len(line.extents) > 1 or _CAPTION.match(line.text.strip()):
        return False  # a caption (`附表3`) titles a table, it is no cell of one
    gap = _gap(line, neighbour) if above else _gap(neighbour, line)
    if gap > EDGE_GAP or _prose_like(line, bounds, neighbour.size, [line]):
        return False
    return line.x0 > bounds[0] + 2.5 * line.size or gap <= WRAP_GAP


def _words(chars: list[dict]) -> list[_Line]:
    """A line (characters sorted left to right) cut where characters are over `WORD_GAP` sizes apart."""
    groups: list[list[dict]] = []
    previous: dict | None = None
    for char in chars:
        if not char["text"].strip():
            if groups:
                groups[-1].append(char)
            continue
        size = max(char["size"], previous["size"] if previous else 0.0, 1.0)
        if previous is None or char["x0"] - previous["x1"] > WORD_GAP * size:
            groups.append([])
        groups[-1].append(char)
        previous = char
    return [_line_of(group, tabs=False) for group in groups]


def _unruled_tables(pages: list[_Page]) -> None:
    """Replace the lines of every unruled table region by its rows (cells on one column grid)."""
    for number, parts in enumerate(_linked_regions(pages)):
        rows = _region_rows(parts, pages)
        for page_index, lines in parts:
            page = pages[page_index]
            members = {id(line) for line in lines}
            first = next(i for i, line in enumerate(page.lines) if id(line) in members)
            kept = [line for line in page.lines if id(line) not in members]
            for row in rows.get(page_index, []):
                row.table = 1000 + number  # on this page; numbered over the file by _align_continued_tables
            kept[first:first] = rows.get(page_index, [])
            page.lines = kept


def _linked_regions(pages: list[_Page]) -> list[list[tuple[int, list[_Line]]]]:
    """The regions of the file, a region that ends a page joined with one that starts the next."""
    groups: list[list[tuple[int, list[_Line]]]] = []
    for index, page in enumerate(pages):
        regions: dict[int, list[_Line]] = {}
        for line in page.lines:
            if line.region >= 0:
                regions.setdefault(line.region, []).append(line)
        for lines in regions.values():
            last = groups[-1][-1] if groups else None
            continued = (
                last is not None
                and last[0] == index - 1
                and last[1][-1] is pages[index - 1].lines[-1]
                and lines[0] is page.lines[0]
                and _overlap(last[1], lines)
            )
            if continued:
                groups[-1].append((index, lines))
            else:
                groups.append([(index, lines)])
    return groups


def _overlap(a: list[_Line], b: list[_Line]) -> bool:
    """Do two runs of lines share at least half of the narrower one's width?"""
    a0, a1 = min(line.x0 for line in a), max(line.x1 for line in a)
    b0, b1 = min(line.x0 for line in b), max(line.x1 for line in b)
    return min(a1, b1) - max(a0, b0) >= 0.5 * min(a1 - a0, b1 - b0)


def _region_rows(parts: list[tuple[int, list[_Line]]], pages: list[_Page]) -> dict[int, list[_Line]]:
    """The rows of one unruled table (its parts on consecutive pages), by page."""
    pieces: list[_Piece] = []
    offset, line_number = 0.0, 0
    for k, (page_index, lines) in enumerate(parts):
        if k:  # the next page's part goes right under this one (a cell may run over the break)
            offset = max(p.bottom for p in pieces) + 0.5 * lines[0].size - lines[0].top
        for line in lines:
            for w in line.words:
                box = (w.x0, w.x1, w.top + offset, w.bottom + offset)
                pieces.append(_Piece(*box, w.text, w.size, page_index, line_number, offset))
            line_number += 1
    columns = _grid_columns(pieces)
    figures, anchors = _figures(pieces)
    stacks = _stacks([piece for piece in pieces if id(piece) not in figures])
    rules = _CellRules(
        anchors,
        "middle",
        _leading(stacks),
        _open_lines(stacks, columns),
        _row_starts(stacks, figures, columns),
    )
    # the alignment under which more cells lie on rows, then more cells of several lines do
    best: tuple[tuple[int, int, int], list[_Block], str] | None = None
    for mode in ("middle", "top"):
        rules.mode = mode
        cuts = [_cut_stack(stack, rules) for stack in stacks]
        blocks = [block for _, blocks in cuts for block in blocks]
        cost = (
            sum(c[0] for c, _ in cuts),
            -sum(1 for block in blocks if block.anchor is not None and len(block.pieces) > 1),
            sum(c[1] for c, _ in cuts),
        )
        if best is None or cost < best[0]:
            best = (cost, blocks, mode)
    assert best is not None
    return _rows_to_lines(_place(best[1], figures, anchors, best[2]), columns)


@dataclass
class _CellRules:
    """What `_cut_stack` goes by: row anchors, cell alignment (``middle`` or ``top``), line spacing
    (font sizes), the pieces a cell may continue under (lines filling their column: a label wraps
    only there) and the visual lines that start a row (a header word under no other in a column
    of figures)."""

    anchors: list[float]
    mode: str
    leading: float
    open: set[int]
    starts: set[int]


def _open_lines(stacks: list[list[_Piece]], columns: list[tuple[float, float]]) -> set[int]:
    """Pieces that reach (within 2.5 sizes) the right edge of their column, or run past it."""
    out: set[int] = set()
    for piece in (piece for stack in stacks for piece in stack):
        right = columns[_column_of(piece.x0, piece.x1, columns)][1]
        if piece.x1 >= right - 2.5 * piece.size:
            out.add(id(piece))
    return out


def _row_starts(stacks: list[list[_Piece]], figures: dict, columns: list[tuple[float, float]]) -> set[int]:
    """Visual lines below the first row of figures, without figures, that hold the first text of a
    column of figures (a header row inside the table; above the first row, header cells may be
    stacked any way)."""
    value_columns = {_column_of(p.x0, p.x1, columns) for p, _ in figures.values()}
    figure_lines = {p.line for p, _ in figures.values()}
    first = min((p.top for p, _ in figures.values()), default=float("inf"))
    return {
        stack[0].line
        for stack in stacks
        if stack[0].top > first
        and stack[0].line not in figure_lines
        and _column_of(stack[0].x0, stack[0].x1, columns) in value_columns
    }


def _grid_columns(pieces: list[_Piece]) -> list[tuple[float, float]]:
    """Column x ranges, built from the fullest lines first.

    A word overlapping one column widens it, a word overlapping none opens a new one, a word
    overlapping several (a spanning label or header) is left out.
    """
    lines: dict[int, list[_Piece]] = {}
    for piece in pieces:
        lines.setdefault(piece.line, []).append(piece)
    columns: list[list[float]] = []
    for words in sorted(lines.values(), key=len, reverse=True):
        used: set[int] = set()
        for w in words:
            hits = [i for i, (a, b) in enumerate(columns) if w.x0 < b and w.x1 > a and i not in used]
            if len(hits) == 1:
                columns[hits[0]] = [min(columns[hits[0]][0], w.x0), max(columns[hits[0]][1], w.x1)]
                used.add(hits[0])
            elif not hits:
                columns.append([w.x0, w.x1])
                used.add(len(columns) - 1)
    return sorted((a, b) for a, b in columns)


def _column_of(x0: float, x1: float, columns: list[tuple[float, float]]) -> int:
    """The column that best fits a word: most shared width relative to the wider of the two (so a
    word under a narrow column inside a wide one goes to the narrow one); else the nearest."""
    fits = [max(0.0, min(x1, b) - max(x0, a)) / max(x1 - x0, b - a, 0.1) for a, b in columns]
    if max(fits) > 0:
        return max(range(len(columns)), key=lambda i: fits[i])
    return min(range(len(columns)), key=lambda i: abs((columns[i][0] + columns[i][1]) / 2 - (x0 + x1) / 2))


def _figures(pieces: list[_Piece]) -> tuple[dict[int, tuple[_Piece, float]], list[float]]:
    """The figures of the table's rows ({id: (figure, row anchor)}) and the anchors (sorted).

    A line is a row of figures when at least half of its words are figures or it ends in one
    (``（一）主动公开政府信息数  条  11259``); its anchor is the figures' median centre.
    """
    lines: dict[int, list[_Piece]] = {}
    for piece in pieces:
        lines.setdefault(piece.line, []).append(piece)
    figures: dict[int, tuple[_Piece, float]] = {}
    anchors: list[float] = []
    for words in lines.values():
        words.sort(key=lambda w: w.x0)
        numbers = [w for w in words if _FIGURE.fullmatch(w.text.strip())]
        if not numbers or (2 * len(numbers) < len(words) and numbers[-1] is not words[-1]):
            continue
        centres = sorted(w.centre for w in numbers)
        anchor = centres[len(centres) // 2]
        anchors.append(anchor)
        figures.update((id(w), (w, anchor)) for w in numbers)
    return figures, sorted(anchors)


def _stacks(pieces: list[_Piece]) -> list[list[_Piece]]:
    """Text pieces stacked into columns of lines: each piece goes under the nearest piece just above
    it that it overlaps and is aligned with (same centre, left or right edge)."""
    stacks: list[list[_Piece]] = []
    for piece in sorted(pieces, key=lambda p: (p.centre, p.x0)):
        options = [stack for stack in stacks if _stacks_on(stack[-1], piece)]
        if options:
            min(options, key=lambda s: abs(s[-1].centre - piece.centre)).append(piece)
        else:
            stacks.append([piece])
    return stacks


def _stacks_on(upper: _Piece, lower: _Piece) -> bool:
    size = max(upper.size, lower.size, 1.0)
    gap = lower.top - upper.bottom
    if gap < -0.3 * size or gap > CELL_GAP * size or lower.x0 >= upper.x1 or lower.x1 <= upper.x0:
        return False
    tolerance = 0.6 * size
    return (
        abs(upper.x0 - lower.x0) <= tolerance
        or abs(upper.x1 - lower.x1) <= tolerance
        or abs((upper.x0 + upper.x1) / 2 - (lower.x0 + lower.x1) / 2) <= tolerance
    )


def _leading(stacks: list[list[_Piece]]) -> float:
    """The table's line spacing: the narrow end (20th percentile) of the gaps between stacked lines,
    in font sizes (wrapped lines of a cell; gaps between rows add the cells' padding)."""
    gaps = sorted(
        (b.top - a.bottom) / max(b.size, 1.0)
        for stack in stacks
        for a, b in zip(stack, stack[1:], strict=False)
    )
    return gaps[len(gaps) // 5] if gaps else CELL_GAP


def _cut_stack(stack: list[_Piece], rules: _CellRules) -> tuple[tuple[int, int], list[_Block]]:
    """Cut a stack of lines into cells: as many cells lying on a row anchor as can be, then as few
    other cells as can be (cost: minus the anchored cells, the other cells).

    So neighbouring labels on two rows are two cells, a label wrapped around its row's figures is
    one, and lines on no row (headers) stay together unless a gap wider than the line spacing
    parts them, a line short of its column's edge ends it, or a new row starts.
    """
    best: list[tuple[tuple[int, int], list[_Block]] | None] = [((0, 0), [])] + [None] * len(stack)
    for end in range(1, len(stack) + 1):
        for start in range(end - 1, max(-1, end - 1 - MAX_CELL_LINES), -1):
            if start < end - 1 and not _continued(stack[start], stack[start + 1], rules):
                break
            before = best[start]
            assert before is not None
            anchor = _anchor_of(stack[start:end], rules.anchors, rules.mode)
            cost = (before[0][0] - (anchor is not None), before[0][1] + (anchor is None))
            current = best[end]
            if current is None or cost <= current[0]:
                best[end] = (cost, [*before[1], _Block(stack[start:end], anchor)])
    result = best[-1]
    assert result is not None
    return result


def _continued(upper: _Piece, lower: _Piece, rules: _CellRules) -> bool:
    """May `lower` continue the cell of `upper` (the line above it in a stack)?"""
    gap = (lower.top - upper.bottom) / max(lower.size, 1.0)
    if gap > rules.leading + LEADING_SLACK or lower.line in rules.starts:
        return False
    if _HEADING_START.match(lower.text.lstrip()):
        return False  # `7.属于行政执法案卷` under `6.属于四类过程性信息`, `第二十条…`: the next row's label
    return id(upper) in rules.open


def _anchor_of(lines: list[_Piece], anchors: list[float], mode: str) -> float | None:
    """The anchor a cell of these lines lies on: centred on it, or (``top``) its first line on it."""
    y = (lines[0].top + lines[-1].bottom) / 2 if mode == "middle" else lines[0].centre
    nearest = _nearest(anchors, y)
    if nearest is not None and abs(nearest - y) <= ALIGN_TOLERANCE * lines[0].size:
        return nearest
    return None


def _nearest(values: list[float], y: float) -> float | None:
    i = bisect.bisect_left(values, y)
    near = values[max(0, i - 1) : i + 1]
    return min(near, key=lambda v: abs(v - y)) if near else None


def _place(
    blocks: list[_Block], figures: dict[int, tuple[_Piece, float]], anchors: list[float], mode: str
) -> list[list[_Piece | _Block]]:
    """The table's rows, top to bottom: anchored cells and figures on their anchor, a merged label on
    the first row it overlaps, other cells in header rows by their centre (or first line)."""
    rows: dict[float, list[_Piece | _Block]] = {anchor: [] for anchor in anchors}
    for piece, anchor in figures.values():
        rows[anchor].append(piece)
    loose: list[tuple[float, _Block]] = []
    for block in blocks:
        if block.anchor is not None:
            rows[block.anchor].append(block)
            continue
        first, last = block.pieces[0], block.pieces[-1]
        spanned = [a for a in anchors if first.top - 0.5 * first.size <= a <= last.bottom + 0.5 * first.size]
        if spanned:
            rows[spanned[0]].append(block)
        else:
            loose.append(((first.top + last.bottom) / 2 if mode == "middle" else first.centre, block))
    loose.sort(key=lambda item: item[0])
    key: float | None = None
    for y, block in loose:
        if key is None or y - key > ALIGN_TOLERANCE * block.pieces[0].size:
            key = y
            while key in rows:
                key += 1e-6
            rows[key] = []
        rows[key].append(block)
    return [members for _, members in sorted(rows.items()) if members]


def _rows_to_lines(
    rows: list[list[_Piece | _Block]], columns: list[tuple[float, float]]
) -> dict[int, list[_Line]]:
    """Table rows as `_Line`s with cells, by page (boxes back in page coordinates)."""
    out: dict[int, list[_Line]] = {}
    left, right = columns[0][0], max(b for _, b in columns)
    for members in rows:
        cells = [""] * len(columns)
        pieces: list[_Piece] = []
        for item in sorted(members, key=lambda m: (_pieces_of(m)[0].top, _pieces_of(m)[0].x0)):
            own = _pieces_of(item)
            widest = max(own, key=lambda p: p.x1 - p.x0)
            column = _column_of(widest.x0, widest.x1, columns)
            cells[column] = _join(cells[column], item.text.strip())
            pieces.extend(own)
        first = min(pieces, key=lambda p: p.top)
        bottom = max(p.bottom for p in pieces if p.page == first.page)
        line = _Line(
            first.top - first.offset, bottom - first.offset, left, right, "\t".join(cells), first.size
        )
        line.cells = cells
        line.slots = [(a, cell) for (a, _), cell in zip(columns, cells, strict=True)]
        out.setdefault(first.page, []).append(line)
    return out


def _pieces_of(item: _Piece | _Block) -> list[_Piece]:
    return item.pieces if isinstance(item, _Block) else [item]


# --- across pages -----------------------------------------------------------------------------------


def _in_margin(line: _Line, page: _Page) -> bool:
    return line.bottom < MARGIN_SHARE * page.height or line.top > (1 - MARGIN_SHARE) * page.height


def _drop_margins(pages: list[_Page]) -> None:
    """Drop page numbers and headers/footers repeated on most pages (digits ignored)."""
    counts: Counter[str] = Counter()
    for page in pages:
        keys = {_ASCII_DIGIT.sub("#", line.text) for line in page.lines if _in_margin(line, page)}
        counts.update(keys)
    repeated = {
        key
        for key, n in counts.items()
        if len(pages) >= 2 and n >= max(2, len(pages) // 2) and len(_WORDS.findall(key)) >= 2
    }  # a running header has words; a figure cell (`0 |`, `#`) at the foot of every page is content
    for page in pages:
        page.lines = [
            line
            for line in page.lines
            if line.cells is not None
            or line.region >= 0
            or not _in_margin(line, page)
            or not (_page_number(line, page) or _ASCII_DIGIT.sub("#", line.text) in repeated)
        ]


def _page_number(line: _Line, page: _Page) -> bool:
    """A page number in the margin zone; a bare figure only centred or to the right (one set flush
    left where the text begins is the body's: a table cell, a line of its own)."""
    if not _PAGE_NUMBER.match(line.text):
        return False
    if not line.text.strip().isdigit():
        return True  # `- 3 -`, `第3页`, `3/12`: marked as a page number
    return (line.x0 + line.x1) / 2 >= 0.4 * page.width


def _align_continued_tables(pages: list[_Page]) -> None:
    """Number tables over the file and put every row of a table on one column grid.

    A table cut by a page break continues at the top of the next page when it starts there with
    the same width; each page shows only the column rulings its own rows need, so the grid is the
    union of the cell edges of all its parts (a cell's text goes in the column where it starts,
    the columns it spans stay ``""``, as HTML colspans are rendered).
    """
    tables: list[list[_Line]] = []
    last_row: _Line | None = None
    breaks: list[tuple[_Page, _Line, _Line]] = []  # (page, its first row, the row before the break)
    for page in pages:
        numbers: dict[int, int] = {}
        for index, line in enumerate(page.lines):
            if line.cells is None:
                continue
            if line.table not in numbers:
                continued = index == 0 and last_row is not None and _same_width(last_row, line)
                numbers[line.table] = last_row.table if continued else len(tables)
                if continued:
                    breaks.append((page, line, last_row))
                else:
                    tables.append([])
            line.table = numbers[line.table]
            tables[line.table].append(line)
        last_row = page.lines[-1] if page.lines and page.lines[-1].cells is not None else None
    for rows in tables:
        columns = _columns(x for row in rows for x, _ in row.slots)
        for row in rows:
            cells = [""] * len(columns)
            for x, text in row.slots:
                column = min(range(len(columns)), key=lambda i: abs(columns[i] - x))
                cells[column] = _join(cells[column], text)
            row.cells = cells
            row.text = "\t".join(cells)
    for page, first, before in breaks:
        if _row_goes_on(before, first):
            before.cells = [_join(a, b) for a, b in zip(before.cells, first.cells, strict=True)]
            before.text = "\t".join(before.cells)
            page.lines.remove(first)


def _row_goes_on(before: _Line, first: _Line) -> bool:
    """Is `first`, the first row of a table on a page, the rest of `before`, the row the page
    break cut (word processors let a row break across pages by default)? It is when it holds no
    figure and its text lies only in columns where `before` has text that is not a figure (a label
    wrapped on: `1.本机关` | `不掌握相关政府信息`), and no item number opens it (a new row)."""
    if before.cells is None or first.cells is None or len(before.cells) != len(first.cells):
        return False
    filled = [(a.strip(), b.strip()) for a, b in zip(before.cells, first.cells, strict=True) if b.strip()]
    if not filled or not any(_FIGURE.fullmatch(a.strip()) for a in before.cells):
        return False  # nothing to go on, or `before` is a header row (a repeated header follows it)
    return all(a and not _FIGURE.fullmatch(a) and not _FIGURE.fullmatch(b) for a, b in filled) and not any(
        _HEADING_START.match(b) for _, b in filled
    )


def _same_width(a: _Line, b: _Line) -> bool:
    return abs(a.x0 - b.x0) <= 3 and abs(a.x1 - b.x1) <= 3


def _columns(lefts) -> list[float]:  # noqa: ANN001 - iterable of floats
    """Left edges of the columns: cell edges closer than `COLUMN_SNAP` are one (the two parts of a
    table cut by a page break may place the same ruling a point or two apart)."""
    columns: list[float] = []
    for x in sorted(lefts):
        if not columns or x - columns[-1] > COLUMN_SNAP:
            columns.append(x)
    return columns


def _drop_repeated_headers(pages: list[_Page]) -> None:
    """A table continued on the next page often repeats its header rows: keep them once."""
    header: list[str] = []  # header rows of the table running over the previous page break
    for previous, page in zip(pages, pages[1:], strict=False):
        if not previous.lines or not page.lines:
            header = []
            continue
        last, first = previous.lines[-1], page.lines[0]
        if last.cells is None or first.cells is None or len(last.cells) != len(first.cells):
            header = []
            continue
        before = header or [
            line.text for line in previous.lines if line.cells is not None and line.table == last.table
        ]
        after = [line for line in page.lines if line.cells is not None and line.table == first.table]
        repeated = 0
        while (
            repeated < min(len(before), len(after))
            and after[repeated].text == before[repeated]
            and not any(ch.isdigit() for ch in after[repeated].text)
        ):
            repeated += 1
        header = before[:repeated] if repeated else _leading_labels(before)
        if repeated:
            drop = {id(line) for line in after[:repeated]}
            page.lines = [line for line in page.lines if id(line) not in drop]


def _leading_labels(rows: list[str]) -> list[str]:
    """The rows before the first one with a digit: a table's header."""
    out = []
    for row in rows:
        if any(ch.isdigit() for ch in row):
            break
        out.append(row)
    return out


def _join_pages(pages: list[_Page]) -> PdfText:
    """Pages into one text; a paragraph that runs over a page break is joined like any other."""
    out: list[str] = []
    starts: list[int] = []
    length = 0
    previous: tuple[_Line, tuple[float, float]] | None = None
    for page_number, page in enumerate(pages):
        page_start: int | None = None
        margins = _margins(page)
        for line in page.lines:
            text = line.text.strip(" ") if line.cells is not None else line.text.strip()
            if not text.strip():
                continue
            if previous is not None and _continues(*previous, line, margins, page_number):
                joined = _join(out[-1], text, split_digits=False)
                page_start = length if page_start is None else page_start
                length += len(joined) - len(out[-1])
                out[-1] = joined
            else:
                length += 1 if out else 0
                page_start = length if page_start is None else page_start
                out.append(text)
                length += len(text)
            running = line.cells is None and "\t" not in line.text
            previous = (line, margins, page_number) if running else None
        starts.append(length if page_start is None else page_start)
    return PdfText(text="\n".join(out), page_starts=tuple(starts))


def _margins(page: _Page) -> tuple[float, float]:
    """Left and right edges of a page's running text.

    The right edge is where at least two lines end (wrapped lines fill the column); on a page with
    fewer, the margins are taken as symmetric.
    """
    prose = [line for line in page.lines if line.cells is None and "\t" not in line.text]
    if not prose:
        return 0.0, page.width
    left = min(line.x0 for line in prose)
    right = max(line.x1 for line in prose)
    if sum(1 for line in prose if line.x1 >= right - line.size) >= 2:
        return left, right
    return left, page.width - left


def _continues(
    previous: _Line,
    before: tuple[float, float],
    previous_page: int,
    line: _Line,
    margins: tuple[float, float],
    page_number: int,
) -> bool:
    """Does running-text `line` continue the paragraph of `previous` (wrapped at the right margin)?"""
    if line.cells is not None or "\t" in line.text:
        return False
    if _HEADING_START.match(line.text.lstrip()):
        return False
    # CJK line breaking may push the last one or two characters (with a closing mark) to the next
    # line; a line that ends a sentence that far from the margin ends its paragraph
    open_end = not previous.text.rstrip().endswith(_PARAGRAPH_END)
    full = previous.x1 >= before[1] - 1.2 * previous.size or (
        previous.x1 >= before[1] - 3 * previous.size and open_end
    )
    # a run that cannot break (`2949819162`, a URL) goes to the next line whole when it does not fit
    unbreakable = _UNBREAKABLE.match(line.text.lstrip())
    if unbreakable and open_end:
        full = full or previous.x1 + 0.6 * line.size * len(unbreakable.group()) >= before[1]
    flush_left = line.x0 <= margins[0] + 0.5 * line.size
    near = page_number != previous_page or line.top - previous.bottom < line.size
    return full and flush_left and near
