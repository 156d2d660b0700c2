"""Render report blocks in one of the layouts real reports reach us in.

Each renderer turns `doc` blocks into a flat list of pieces (the report text with its spans) and,
for `html`, the page markup. What the layouts look like, after the seeds:

- `html`: `<table>` markup with rowspan/colspan; the text is the page as `inference.read` renders
  it (cells by tab, rows and paragraphs by newline).
- `tabs`: tab-separated cells, spanned positions left empty (seed 003).
- `lines`: one cell per line (seed 001's 附表).
- `pipes`: each cell on its own line ending in ` |`, spans leaving runs of `|` (seed 004).
- `markdown`: `| a | b |` rows with a `| --- |` rule under the first row.
- `collapsed`: the whole report on one line, cells separated by spaces (seed 002).
- `runs`: collapsed, and in table rows the digits of neighbouring numeric cells run together
  (`申请数量21710000218`); the run is one COUNT span.
- `scrambled`: tabs, but each table's header rows are flattened onto one line in a scrambled order.
"""

from __future__ import annotations

import html as html_lib
import random
import re
from dataclasses import dataclass

from training.synth.doc import Block, Cell, Paragraph, Piece, Table

LAYOUTS: tuple[str, ...] = ("html", "tabs", "lines", "pipes", "markdown", "collapsed", "runs", "scrambled")

_DIGITS = re.compile(r"\d+")


@dataclass(frozen=True)
class Style:
    """Per-report rendering choices that are not the layout itself."""

    paragraph_sep: str = "\n"
    indent: str = ""
    collapsed_sep: str = " "
    runs_header_sep: str = " "


def choose_style(rng: random.Random, layout: str) -> Style:
    return Style(
        paragraph_sep=rng.choice(["\n", "\n", "\n\n", "\n\n"]),
        indent=rng.choice(["", "", "", "       ", "    ", "\u3000\u3000"]),
        collapsed_sep=rng.choice([" ", " ", " ", " | "]),
        runs_header_sep=rng.choice([" ", ""]),
    )


def expand_grid(table: Table) -> list[list[Cell | None]]:
    """Rows with spanned positions filled by None (the positions a tab export leaves empty)."""
    grid: list[list[Cell | None]] = []
    pending: dict[tuple[int, int], bool] = {}
    for r, row in enumerate(table.rows):
        out: list[Cell | None] = []
        c = 0
        cells = iter(row)
        while True:
            while pending.pop((r, c), False):
                out.append(None)
                c += 1
            cell = next(cells, None)
            if cell is None:
                break
            out.append(cell)
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    if dr or dc:
                        if dr == 0:
                            out.append(None)
                        else:
                            pending[(r + dr, c + dc)] = True
            c += cell.colspan
        grid.append(out)
    return grid


def _row_pieces(cells: list[Cell | None], sep: str) -> list[Piece]:
    out: list[Piece] = []
    for i, cell in enumerate(cells):
        if i:
            out.append(Piece(sep))
        if cell is not None:
            out.extend(cell.pieces)
    return out


def _is_digit_cell(cell: Cell | None) -> bool:
    return (
        cell is not None
        and len(cell.pieces) == 1
        and cell.pieces[0].label == "COUNT"
        and cell.pieces[0].text.isdigit()
    )


def _runs_row(cells: list[Cell | None], header_sep: str) -> list[Piece]:
    """Neighbouring digit cells merge into one COUNT piece; other cells keep a separator."""
    out: list[Piece] = []
    run: list[Piece] = []
    prev_kind = ""

    def flush() -> None:
        if run:
            # One span over several cells states several fields: no single field id.
            field = run[0].field if len(run) == 1 else None
            out.append(Piece("".join(p.text for p in run), "COUNT", field))
            run.clear()

    for cell in cells:
        if cell is None or not cell.pieces:
            continue
        if _is_digit_cell(cell):
            run.append(cell.pieces[0])
            prev_kind = "digit"
            continue
        flush()
        if out and prev_kind:
            out.append(Piece(header_sep if prev_kind == "text" else " "))
        out.extend(cell.pieces)
        prev_kind = "text"
    flush()
    return out


def _scrambled_header(rows: list[list[Cell | None]], rng: random.Random) -> list[Cell]:
    cells_by_row = [[c for c in row if c is not None and c.pieces] for row in rows]
    mode = rng.choice(["reverse", "columns", "shuffle"])
    if mode == "reverse":
        flat = [c for row in reversed(cells_by_row) for c in row]
    elif mode == "columns":
        width = max((len(r) for r in rows), default=0)
        flat = [
            row[i]
            for i in range(width)
            for row in rows
            if i < len(row) and row[i] is not None and row[i].pieces
        ]
    else:
        flat = [c for row in cells_by_row for c in row]
        rng.shuffle(flat)
    return flat


def _table_pieces(table: Table, layout: str, rng: random.Random, style: Style) -> list[Piece]:
    nl = Piece("\n")
    out: list[Piece] = []
    if layout in ("tabs", "scrambled"):
        grid = expand_grid(table)
        body = grid
        if layout == "scrambled" and table.header_rows > 1:
            header = _scrambled_header(grid[: table.header_rows], rng)
            out.extend(_row_pieces(header, "\t"))
            out.append(nl)
            body = grid[table.header_rows :]
        for row in body:
            out.extend(_row_pieces(row, "\t"))
            out.append(nl)
    elif layout == "markdown":
        grid = expand_grid(table)
        width = max(len(r) for r in grid)
        for i, row in enumerate(grid):
            row = row + [None] * (width - len(row))
            out.append(Piece("| "))
            out.extend(_row_pieces(row, " | "))
            out.append(Piece(" |\n"))
            if i == 0:
                out.append(Piece("|" + " --- |" * width + "\n"))
    elif layout == "lines":
        for row in table.rows:
            for cell in row:
                out.extend(cell.pieces)
                out.append(nl)
    elif layout == "pipes":
        pending = ""
        for row in table.rows:
            for cell in row:
                if cell.pieces:
                    if pending:
                        out.append(Piece(pending))
                    out.extend(cell.pieces)
                    out.append(Piece(" |\n"))
                    pending = "|" * (cell.colspan - 1)
                else:
                    pending += "|" * cell.colspan
            pending += "|"
        if pending:
            out.append(Piece(pending + "\n"))
    elif layout == "html":
        for row in table.rows:
            out.extend(_row_pieces(list(row), "\t"))
            out.append(nl)
    elif layout == "collapsed":
        for row in expand_grid(table):
            out.extend(_row_pieces(row, " "))
            out.append(Piece(style.collapsed_sep))
    elif layout == "runs":
        for row in expand_grid(table):
            out.extend(_runs_row(row, style.runs_header_sep))
            out.append(Piece(style.collapsed_sep))
    else:
        raise ValueError(f"unknown layout {layout!r}; expected one of {LAYOUTS}")
    return out


def blocks_to_pieces(blocks: list[Block], layout: str, rng: random.Random, style: Style) -> list[Piece]:
    """The report text as pieces in `layout`."""
    one_line = layout in ("collapsed", "runs")
    out: list[Piece] = []
    for i, block in enumerate(blocks):
        if isinstance(block, Paragraph):
            if one_line:
                if i:
                    out.append(Piece(style.collapsed_sep if rng.random() < 0.3 else " "))
                out.extend(block.pieces)
            else:
                if i:
                    out.append(Piece(style.paragraph_sep))
                if style.indent and not block.heading:
                    out.append(Piece(style.indent))
                out.extend(block.pieces)
        else:
            if one_line:
                out.append(Piece(" "))
                out.extend(_table_pieces(block, layout, rng, style))
            else:
                out.append(Piece("\n"))
                out.extend(_table_pieces(block, layout, rng, style))
    return out


def _cell_html(cell: Cell) -> str:
    attrs = ""
    if cell.rowspan > 1:
        attrs += f' rowspan="{cell.rowspan}"'
    if cell.colspan > 1:
        attrs += f' colspan="{cell.colspan}"'
    return f"<td{attrs}>{html_lib.escape(cell.text, quote=False)}</td>"


def blocks_to_html(blocks: list[Block], title: str) -> str:
    """The page markup for layout `html` (text and spans come from `blocks_to_pieces`)."""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8"></head><body>',
        '<div class="article">',
    ]
    for block in blocks:
        if isinstance(block, Paragraph):
            text = "".join(p.text for p in block.pieces)
            parts.append(f"<p>{html_lib.escape(text, quote=False)}</p>")
        else:
            parts.append('<table border="1" cellspacing="0" cellpadding="0">')
            for row in block.rows:
                parts.append("<tr>" + "".join(_cell_html(c) for c in row) + "</tr>")
            parts.append("</table>")
    parts.append("</div></body></html>")
    del title
    return "\n".join(parts)


def realign_spans(text: str, spans: list[dict], target: str) -> tuple[str, list[dict]] | None:
    """Move spans from `text` to `target`, a rendering differing only in whitespace.

    Returns None when the non-whitespace characters differ (the renderers disagree on content).
    """
    src_idx = [i for i, ch in enumerate(text) if not ch.isspace()]
    dst_idx = [i for i, ch in enumerate(target) if not ch.isspace()]
    if len(src_idx) != len(dst_idx) or any(
        text[a] != target[b] for a, b in zip(src_idx, dst_idx, strict=True)
    ):
        return None
    rank = {pos: k for k, pos in enumerate(src_idx)}
    out: list[dict] = []
    for span in spans:
        first = rank[span["start"]]
        last = rank[span["end"] - 1]
        start, end = dst_idx[first], dst_idx[last] + 1
        out.append({**span, "start": start, "end": end, "text": target[start:end]})
    return target, out
