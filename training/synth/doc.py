"""Building blocks of a synthetic report: labelled pieces, paragraphs and tables, and their text.

A report is built as a list of blocks (paragraphs and tables) whose smallest unit is a `Piece`: a
stretch of text with an optional span label. Because labels ride on pieces, every transformation
(script conversion, layout rendering) works piece by piece and the spans stay exact. Layout
rendering lives in `layouts`; this module only holds the data and the flattening to text + spans.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from inference import LABELS


@dataclass(frozen=True)
class Piece:
    """Text with an optional span label (`METRIC`, `CATEGORY`, `COUNT` or None).

    `field` (COUNT only): the catalogue id the count states (`+` combinations allowed), `""` for a
    count that states no field (other years, plans, cumulative columns, tallies, decoys), None
    where one span states several (a `runs` digit run over several cells).
    """

    text: str
    label: str | None = None
    field: str | None = None
    value: int | float | None = None  # prose COUNTs: the value printed (to settle `field` against the gold)

    def __post_init__(self) -> None:
        if self.label is not None and self.label not in LABELS:
            raise ValueError(f"unknown label {self.label!r}; expected one of {LABELS}")


@dataclass
class Paragraph:
    """One block of running text; headings are paragraphs too (never indented)."""

    pieces: list[Piece]
    heading: bool = False


@dataclass
class Cell:
    """A table cell; `pieces` is empty for a blank cell."""

    pieces: list[Piece] = field(default_factory=list)
    rowspan: int = 1
    colspan: int = 1

    @property
    def text(self) -> str:
        return "".join(p.text for p in self.pieces)


@dataclass
class Table:
    """A table as printed: `header_rows` leading rows are headers (used by `scrambled`)."""

    rows: list[list[Cell]]
    header_rows: int = 0
    name: str = ""


Block = Paragraph | Table


def plain(text: str) -> Piece:
    return Piece(text, None)


def pieces_to_text_and_spans(pieces: list[Piece]) -> tuple[str, list[dict]]:
    """Concatenate pieces; labelled pieces become spans.

    >>> pieces_to_text_and_spans([Piece("共"), Piece("342件", "COUNT", "review.total")])
    ('共342件', [{'start': 1, 'end': 5, 'label': 'COUNT', 'text': '342件', 'field': 'review.total'}])
    """
    out: list[str] = []
    spans: list[dict] = []
    pos = 0
    for piece in pieces:
        if not piece.text:
            continue
        if piece.label is not None:
            span = {"start": pos, "end": pos + len(piece.text), "label": piece.label, "text": piece.text}
            if piece.label == "COUNT" and piece.field is not None:
                span["field"] = piece.field
            spans.append(span)
        out.append(piece.text)
        pos += len(piece.text)
    return "".join(out), spans


def merge_plain(pieces: list[Piece]) -> list[Piece]:
    """Merge neighbouring unlabelled pieces (cheaper script conversion, longer phrase context)."""
    out: list[Piece] = []
    for piece in pieces:
        if not piece.text:
            continue
        if piece.label is None and out and out[-1].label is None:
            out[-1] = Piece(out[-1].text + piece.text)
        else:
            out.append(piece)
    return out


def map_pieces(blocks: list[Block], convert) -> list[Block]:
    """Apply `convert(pieces) -> pieces` to every paragraph and cell."""
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            out.append(Paragraph(convert(block.pieces), block.heading))
        else:
            rows = [[Cell(convert(c.pieces), c.rowspan, c.colspan) for c in row] for row in block.rows]
            out.append(Table(rows, block.header_rows, block.name))
    return out


def check_spans(text: str, spans: list[dict]) -> None:
    """Raise if any span's text differs from the text at its offsets (generator self-check)."""
    for span in spans:
        got = text[span["start"] : span["end"]]
        if got != span["text"]:
            raise AssertionError(f"span {span} does not match text {got!r}")
        if span["label"] not in LABELS:
            raise AssertionError(f"span {span} has unknown label")
        if not span["text"].strip() or span["text"] != span["text"].strip():
            raise AssertionError(f"span {span} is blank or has surrounding whitespace")
