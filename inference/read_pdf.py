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

import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from inference.errors import ReadError
from inference.lexicon import ITEM_NUMBER, ORDINALS

logger = logging.getLogger(__name__)

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
_PAGE_NUMBER = re.compile(  # - 3 -, 3, 第3页, 3/12, 第 3 页 共 12 页 (not a lone year: at most 3 digits)
    r"^[-—–\s]*(?:第\s*)?\d{1,3}\s*(?:页)?\s*(?:[/／]\s*\d{1,3}|共\s*\d{1,3}\s*页)?\s*(?:页)?[-—–\s]*$"
)
_ASCII_DIGIT = re.compile(r"\d+")
_PARAGRAPH_END = ("。", "！", "？", "：", ":", "；")
# A line opening a numbered heading or item starts a paragraph even when flush left.
_HEADING_START = re.compile(rf"{ITEM_NUMBER}|第[{ORDINALS}]")


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
    _align_continued_tables(pages)
    _drop_repeated_headers(pages)
    return _join_pages(pages)


# --- one page ---------------------------------------------------------------------------------------


def _read_page(page) -> _Page:  # noqa: ANN001 - pdfplumber Page
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
    _unruled_tables(lines, first_number=1000)
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


def _join(left: str, right: str) -> str:
    if not left or not right:
        return left + right
    glue = "" if _CJK.match(left[-1]) or _CJK.match(right[0]) or (left[-1] + right[0]).isdigit() else " "
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


# --- unruled tables -----------------------------------------------------------------------------------


def _unruled_tables(lines: list[_Line], first_number: int) -> None:
    """Runs of running-text lines split by wide gaps become table rows on one column grid.

    Columns are built from the cells of the run's fullest lines first: a cell overlapping one
    column widens it, a cell overlapping none opens a new one, a cell overlapping several (a
    spanning label) belongs to the first. Each line's cells then go to their columns, so a row
    whose first cells are empty (under a merged label) keeps its leading ``""`` as in HTML.
    """
    number = first_number
    run: list[_Line] = []
    for line in [*lines, None]:
        if line is not None and line.cells is None and len(line.extents) > 1:
            run.append(line)
            continue
        if len(run) >= 2:
            _grid_rows(run, number)
            number += 1
        run = []


def _grid_rows(run: list[_Line], number: int) -> None:
    columns: list[list[float]] = []
    for line in sorted(run, key=lambda line: -len(line.extents)):
        used: set[int] = set()
        for x0, x1 in line.extents:
            hits = [i for i, (a, b) in enumerate(columns) if x0 < b and x1 > a and i not in used]
            if len(hits) == 1:
                columns[hits[0]] = [min(columns[hits[0]][0], x0), max(columns[hits[0]][1], x1)]
                used.add(hits[0])
            elif not hits:
                columns.append([x0, x1])
                used.add(len(columns) - 1)
    columns.sort()
    left, right = min(c[0] for c in columns), max(c[1] for c in columns)
    for line in run:
        cells = [""] * len(columns)
        for (x0, x1), text in zip(line.extents, line.text.split("\t"), strict=True):
            hits = [i for i, (a, b) in enumerate(columns) if x0 < b and x1 > a]
            column = hits[0] if hits else min(range(len(columns)), key=lambda i: abs(columns[i][0] - x0))
            cells[column] = _join(cells[column], text)
        line.cells = cells
        line.text = "\t".join(cells)
        line.slots = [(a, cell) for (a, _), cell in zip(columns, cells, strict=True)]
        line.x0, line.x1, line.table = left, right, number


# --- across pages -----------------------------------------------------------------------------------


def _in_margin(line: _Line, page: _Page) -> bool:
    return line.bottom < MARGIN_SHARE * page.height or line.top > (1 - MARGIN_SHARE) * page.height


def _drop_margins(pages: list[_Page]) -> None:
    """Drop page numbers and headers/footers repeated on most pages (digits ignored)."""
    counts: Counter[str] = Counter()
    for page in pages:
        keys = {_ASCII_DIGIT.sub("#", line.text) for line in page.lines if _in_margin(line, page)}
        counts.update(keys)
    repeated = {key for key, n in counts.items() if len(pages) >= 2 and n >= max(2, len(pages) // 2)}
    for page in pages:
        page.lines = [
            line
            for line in page.lines
            if line.cells is not None
            or not _in_margin(line, page)
            or not (_PAGE_NUMBER.match(line.text) or _ASCII_DIGIT.sub("#", line.text) in repeated)
        ]


def _align_continued_tables(pages: list[_Page]) -> None:
    """Number tables over the file and put every row of a table on one column grid.

    A table cut by a page break continues at the top of the next page when it starts there with
    the same width; each page shows only the column rulings its own rows need, so the grid is the
    union of the cell edges of all its parts (a cell's text goes in the column where it starts,
    the columns it spans stay ``""``, as HTML colspans are rendered).
    """
    tables: list[list[_Line]] = []
    last_row: _Line | None = None
    for page in pages:
        numbers: dict[int, int] = {}
        for index, line in enumerate(page.lines):
            if line.cells is None:
                continue
            if line.table not in numbers:
                continued = index == 0 and last_row is not None and _same_width(last_row, line)
                numbers[line.table] = last_row.table if continued else len(tables)
                if not continued:
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
                joined = _join(out[-1], text)
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
    full = previous.x1 >= before[1] - 1.2 * previous.size or (
        previous.x1 >= before[1] - 3 * previous.size and not previous.text.rstrip().endswith(_PARAGRAPH_END)
    )
    flush_left = line.x0 <= margins[0] + 0.5 * line.size
    near = page_number != previous_page or line.top - previous.bottom < line.size
    return full and flush_left and near
