"""Readers: turn a report file into text (encoding detection, HTML to cell-preserving text).

Plain text is decoded as UTF-8 (with or without BOM), GB18030/GBK or Big5; HTML is rendered with
table cells separated by ``\\t`` and rows/blocks by ``\\n``; PDF, Word and Markdown go to
`inference.read_pdf`, `inference.read_docx` and `inference.read_markdown`, which write the same shape.
Normalisation (Traditional, widths, pinyin readings) is left to `inference.normalize`; nothing here
ever touches the network.
"""

from __future__ import annotations

import bisect
import codecs
import hashlib
import logging
import os
import re
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from inference.errors import ReadError
from inference.lexicon import FIGURE_CELL

logger = logging.getLogger(__name__)

TEXT_SUFFIXES: tuple[str, ...] = (".txt",)
HTML_SUFFIXES: tuple[str, ...] = (".html", ".htm")
MARKDOWN_SUFFIXES: tuple[str, ...] = (".md", ".markdown")
WORD_SUFFIXES: tuple[str, ...] = (".docx", ".doc", ".wps")
SUPPORTED_SUFFIXES: tuple[str, ...] = (
    *TEXT_SUFFIXES, *HTML_SUFFIXES, *MARKDOWN_SUFFIXES, *WORD_SUFFIXES, ".pdf"
)  # fmt: skip

# Share of control characters (other than \t \n \r \f) above which a decode is "not text".
MAX_CONTROL_SHARE = 0.02
# Below this share of common Han characters (among all Han + unusual chars) a legacy decode is rejected.
MIN_PLAUSIBLE_SCORE = 0.5

_BIG5_CODECS = ("big5", "cp950", "big5hkscs")

MAX_FILE_BYTES = 20 * 1024 * 1024
"""Larger files are refused ("too large"): real reports are 10 KB–2 MB even as HTML."""
MAX_DOCX_XML_BYTES = 16 * 1024 * 1024
"""A .docx whose XML parts inflate to more is refused before parsing (python-docx needs ~25× in memory)."""
MAX_DOCX_TOTAL_BYTES = 64 * 1024 * 1024
"""A .docx whose parts (images included) inflate to more is refused: a zip bomb, not a report."""
MAX_TABLE_CELLS = 200_000
"""HTML cells after rowspan/colspan expansion, per page; real reports have a few thousand."""
MAX_NUL_SHARE = 0.001
"""A text with at most this share of NUL bytes has them dropped (stray bytes); more is binary or UTF-16."""


@dataclass(frozen=True)
class RawReport:
    """A report's text as read from disk, with how it was decoded."""

    source: str
    text: str
    encoding: str
    kind: str  # "text" | "html" | "markdown" | "docx" | "doc" | "wps" | "pdf"
    sha256: str = field(default="", compare=False)
    """Hex sha256 of the bytes read (empty for texts built in memory); provenance, not compared."""
    page_starts: tuple[int, ...] = ()
    """PDF only: `page_starts[i]` is the offset in `text` where page i + 1 begins (see `page_of`)."""

    def page_of(self, offset: int) -> int | None:
        """The 1-based page holding `offset` of `text`, or None for a file without pages."""
        if not self.page_starts:
            return None
        return max(1, bisect.bisect_right(self.page_starts, offset))


def read_report(path: str | Path) -> RawReport:
    """Read one report file; raise `ReadError` naming the file and the problem.

    >>> read_report("report.txt")  # doctest: +SKIP
    RawReport(source='report.txt', text='…', encoding='gb18030', kind='text')
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise ReadError(
            str(path),
            f"unsupported file type {suffix or '(none)'!r}; supported: {', '.join(SUPPORTED_SUFFIXES)}",
        )
    data = read_regular_file(path)
    sha256 = hashlib.sha256(data).hexdigest()
    if not data.strip():
        raise ReadError(str(path), "file is empty")
    if suffix in WORD_SUFFIXES:
        if suffix == ".docx":
            check_zip_budget(path)
        text = _docx_to_text(path) if suffix == ".docx" else _legacy_word_to_text(path)
        return RawReport(str(path), _require_text(path, text), suffix[1:], suffix[1:], sha256)
    if suffix == ".pdf":
        pdf = _pdf_to_text(path)
        return RawReport(str(path), _require_text(path, pdf.text), "pdf", "pdf", sha256, pdf.page_starts)
    if suffix in MARKDOWN_SUFFIXES:
        markdown, encoding = decode_text_bytes(data, source=str(path))
        text = _markdown_to_text(markdown)
        return RawReport(str(path), _require_text(path, text), encoding, "markdown", sha256)
    if suffix in HTML_SUFFIXES:
        if html_is_truncated(data):
            raise ReadError(
                str(path),
                "truncated HTML: the page has no closing </html> or </body> tag (incomplete download?)",
            )
        html, encoding = decode_html_bytes(data, source=str(path))
        text = html_to_text(html, source=str(path))
        return RawReport(str(path), _require_text(path, text), encoding, "html", sha256)
    text, encoding = decode_text_bytes(data, source=str(path))
    return RawReport(str(path), text, encoding, "text", sha256)


def read_regular_file(path: str | Path, *, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; raise `ReadError` for anything else.

    Opened non-blocking and checked with `fstat` on the open descriptor, so a named pipe, a device
    (`/dev/zero`), a directory or a socket is refused without ever blocking or reading forever, and
    a file swapped for one of those after an earlier check is caught too.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise ReadError(str(path), f"cannot open: {exc.strerror or exc}") from exc
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise ReadError(str(path), f"not a regular file ({file_kind(info.st_mode)})")
    with os.fdopen(fd, "rb") as handle:
        if info.st_size > limit:
            raise ReadError(str(path), f"too large: {info.st_size:,} bytes (limit {limit:,})")
        try:
            data = handle.read(limit + 1)
        except OSError as exc:
            raise ReadError(str(path), f"cannot read: {exc.strerror or exc}") from exc
    if len(data) > limit:
        raise ReadError(str(path), f"too large: more than {limit:,} bytes (limit {limit:,})")
    return data


def file_kind(mode: int) -> str:
    """A person's name for a file type: `named pipe`, `directory`, `character device`, …"""
    for test, name in (
        (stat.S_ISDIR, "directory"),
        (stat.S_ISFIFO, "named pipe"),
        (stat.S_ISCHR, "character device"),
        (stat.S_ISBLK, "block device"),
        (stat.S_ISSOCK, "socket"),
        (stat.S_ISLNK, "symbolic link"),
    ):
        if test(mode):
            return name
    return "regular file" if stat.S_ISREG(mode) else "special file"


def html_is_truncated(data: bytes) -> bool:
    """An HTML page that opens `<html>`/`<body>` but never closes either: cut off mid-download.

    Parsers recover silently from a cut page and would give half a report; refusing it is safer.
    The closing tag may sit anywhere after the opening one (analytics scripts and CMS footers often
    follow `</html>`). UTF-16 pages (NUL bytes) are not checked: the byte patterns are ASCII.

    >>> html_is_truncated(b"<html><body><p>1</p>"), html_is_truncated(b"<html><p>1</p></html><script>")
    (True, False)
    """
    if b"\x00" in data[:65536]:
        return False
    opened = re.search(rb"<(html|body)[\s>]", data[:65536], re.IGNORECASE)
    if not opened:
        return False
    return re.search(rb"</(html|body)\s*>", data[opened.end() :], re.IGNORECASE) is None


def _require_text(path: Path, text: str) -> str:
    if not text.strip():
        raise ReadError(str(path), "no text found in the file")
    return text


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given; directories expand recursively to supported files in sorted order."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found = (f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUPPORTED_SUFFIXES)
            out.extend(sorted(found, key=lambda f: f.relative_to(p).as_posix()))
        else:
            out.append(p)
    return out


# --- encodings -------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _common_han() -> frozenset[str]:
    """The most common Han characters: GB2312 level 1 (Simplified) and Big5 level 1 (Traditional)."""
    chars: set[str] = set()
    for hi in range(0xB0, 0xD8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(bytes((hi, lo)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    for hi in range(0xA4, 0xC7):
        for lo in (*range(0x40, 0x7F), *range(0xA1, 0xFF)):
            try:
                chars.add(bytes((hi, lo)).decode("big5"))
            except UnicodeDecodeError:
                continue
    return frozenset(chars)


def plausibility(text: str) -> float:
    """Share of common Han characters among all characters from U+3000 up (1.0 if there are none).

    CJK punctuation and full-width forms are neutral. A right decode of Chinese scores near 1;
    Big5 read as GBK (or the reverse) scores far lower because it yields rare characters,
    private-use code points, kana and symbols.
    """
    common = _common_han()
    good = bad = 0
    for ch in text:
        code = ord(ch)
        if code < 0x3000 or code <= 0x303F or 0xFF01 <= code <= 0xFF5E or 0xFE30 <= code <= 0xFE4F:
            continue
        if ch in common:
            good += 1
        else:
            bad += 1
    total = good + bad
    return 1.0 if total == 0 else good / total


def _control_share(text: str) -> float:
    if not text:
        return 0.0
    sample = text[:20000]
    return len(_CONTROL.findall(sample)) / len(sample)


_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
"""C0 controls other than tab, line feed, form feed and carriage return; DEL and the C1 controls."""


def _looks_binary(data: bytes) -> bool:
    """NUL bytes anywhere (not only in a sniffed head) in data without a UTF-16/32 byte-order mark."""
    return b"\x00" in data and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))


def decode_text_bytes(data: bytes, *, source: str = "<bytes>") -> tuple[str, str]:
    """Decode report bytes; return (text, encoding name). Raises `ReadError` for binary/undecodable data.

    Order: BOM, strict UTF-8, then strict GB18030 and Big5 decodes ranked by `plausibility`, then
    charset-normalizer as a last resort.
    """
    if _looks_binary(data):
        utf16 = _decode_bomless_utf16(data)
        if utf16 is not None:
            return utf16
        data = _drop_stray_nuls(data, source)
    text: str | None = None
    encoding = ""
    for bom, name in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                text, encoding = data.decode(name), name
            except UnicodeDecodeError as exc:
                raise ReadError(
                    source, f"starts with a {name} byte-order mark but is not valid {name}"
                ) from exc
            break
    if text is None:
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            text, encoding = _decode_damaged_utf8(data, source) or _decode_legacy(data, source)
    if _control_share(text) > MAX_CONTROL_SHARE:
        raise ReadError(source, f"mostly non-text content (decoded as {encoding}); not a text report")
    return text, encoding


def _drop_stray_nuls(data: bytes, source: str) -> bytes:
    """A few NUL bytes in a text (a copy glitch) are dropped, wherever they are; many mean binary.

    One rule for the whole file, so a NUL at byte 100 and one at byte 12,000 are treated alike.
    """
    nuls = data.count(0)
    if nuls > max(1, int(len(data) * MAX_NUL_SHARE)):
        raise ReadError(
            source,
            f"binary file ({nuls:,} NUL bytes), not a text report "
            "(UTF-16/32 text is read when it has a byte-order mark or decodes cleanly without one)",
        )
    logger.warning("%s: dropped %d NUL byte(s)", source, nuls)
    return data.replace(b"\x00", b"")


def _decode_bomless_utf16(data: bytes) -> tuple[str, str] | None:
    """UTF-16 without a byte-order mark: ASCII characters leave NULs on one side of every pair.

    Accepted only if it decodes strictly into plausible text; returns None otherwise.
    """
    sample = data[:65536]
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd >= 4 and odd > 2 * even:
        name = "utf-16-le"
    elif even >= 4 and even > 2 * odd:
        name = "utf-16-be"
    else:
        return None
    try:
        text = data[: len(data) // 2 * 2].decode(name)
    except UnicodeDecodeError:
        return None
    if _control_share(text) > MAX_CONTROL_SHARE or plausibility(text) < MIN_PLAUSIBLE_SCORE:
        return None
    return text, name


def _decode_damaged_utf8(data: bytes, source: str) -> tuple[str, str] | None:
    """UTF-8 with a few bad bytes (a file cut mid-character, one stray byte) is still UTF-8.

    Chinese in GB18030 or Big5 breaks UTF-8 at nearly every character, so a handful of errors in a
    long text is damage, not another encoding. Bad bytes become U+FFFD.
    """
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    if bad > max(2, len(data) // 1000):
        return None
    logger.warning("%s: %d invalid UTF-8 byte sequence(s) replaced by U+FFFD", source, bad)
    return text, "utf-8"


def _decode_legacy(data: bytes, source: str) -> tuple[str, str]:
    candidates: list[tuple[float, int, str, str]] = []
    try:
        text = data.decode("gb18030")
        candidates.append((plausibility(text), 1, text, "gb18030"))
    except UnicodeDecodeError:
        pass
    for name in _BIG5_CODECS:
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        candidates.append((plausibility(text), 0, text, name))
        break
    if candidates:
        score, _, text, name = max(candidates, key=lambda c: (c[0], c[1]))
        logger.debug("%s: decode scores %s", source, [(c[3], round(c[0], 3)) for c in candidates])
        if score >= MIN_PLAUSIBLE_SCORE:
            return text, name
    guess = _charset_normalizer_guess(data)
    if guess is not None:
        return guess
    if candidates:
        raise ReadError(source, "text encoding not recognised: decodes give implausible Chinese")
    raise ReadError(source, "not decodable as UTF-8, GB18030 or Big5 text")


def _charset_normalizer_guess(data: bytes) -> tuple[str, str] | None:
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # optional: the strict candidates above already cover Chinese reports
        return None
    best = from_bytes(data).best()
    if best is None or best.encoding.startswith(("utf_16", "utf_32")):  # BOM-less UTF-16 looks binary
        return None
    text = str(best)
    if _control_share(text) > MAX_CONTROL_SHARE or plausibility(text) < MIN_PLAUSIBLE_SCORE:
        return None
    return text, best.encoding


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_CHARSET_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "big5": "big5"}


def decode_html_bytes(data: bytes, *, source: str = "<bytes>") -> tuple[str, str]:
    """Decode HTML bytes with its BOM or meta charset when that decodes strictly, else detect."""
    if not data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        m = _META_CHARSET.search(data[:4096])
        if m:
            declared = m.group(1).decode("ascii").lower()
            name = _CHARSET_ALIASES.get(declared, declared)
            try:
                codecs.lookup(name)
                text = data.decode(name)
            except (LookupError, UnicodeDecodeError):
                logger.debug("%s: declared charset %s does not decode; detecting", source, declared)
            else:
                if _control_share(text) <= MAX_CONTROL_SHARE and b"\x00" not in data:
                    return _prefer_content(data, text, name, source)
    return decode_text_bytes(data, source=source)


def _prefer_content(data: bytes, declared_text: str, declared: str, source: str) -> tuple[str, str]:
    """The declared decode, unless decoding by content gives clearly more plausible Chinese.

    GBK decodes almost any byte pairs, so a Big5 page that declares gbk decodes "strictly" into
    rare characters; the content decides (plausibility, as for plain text).
    """
    score = plausibility(declared_text)
    if score >= 0.9:
        return declared_text, declared
    try:
        text, encoding = decode_text_bytes(data, source=source)
    except ReadError:
        return declared_text, declared
    if plausibility(text) > score + 0.1:
        logger.warning("%s: declared %s does not fit the content; read as %s", source, declared, encoding)
        return text, encoding
    return declared_text, declared


# --- HTML ------------------------------------------------------------------------------------------

_DROP_TAGS = (
    "script",
    "style",
    "head",
    "noscript",
    "template",
    "iframe",
    "object",
    "embed",
    "svg",
    "title",
    "rt",
    "rp",
)
_BLOCK_TAGS = frozenset(
    "address article aside blockquote body center dd details dialog dir div dl dt fieldset figcaption figure "
    "footer form h1 h2 h3 h4 h5 h6 header hr html li main menu nav ol p pre section summary ul caption "
    "table thead tbody tfoot tr".split()
)
_CELL_TAGS = frozenset(("td", "th"))
_WS = re.compile(r"[ \t\n\r\f\v]+")
_CELL_WS = re.compile(r"[ \t\n\r\f\v\xa0\u3000]+")  # inside a cell every kind of space collapses
# A source line break between two Han characters is layout, not a space (browsers agree for CJK).
_CJK = "\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef"
_BREAK = "\x01"  # stands for whitespace that contained a line break until the text is finished
_HAN_BREAK = re.compile(rf"(?<=[{_CJK}])[ {_BREAK}]*{_BREAK}[ {_BREAK}]*(?=[{_CJK}])")
_SPACE_RUN = re.compile(rf"[ {_BREAK}]+")


def _finish_spaces(text: str) -> str:
    return _SPACE_RUN.sub(" ", _HAN_BREAK.sub("", text))


def html_to_text(html: str, *, source: str = "<html>") -> str:
    """Render HTML as cell-preserving text: cells joined by ``\\t``, rows and blocks by ``\\n``.

    Scripts, styles, the head and comments are dropped; broken HTML is recovered; nothing is fetched.
    A table whose cells hold other tables (a page-layout table) is rendered as blocks instead.
    Raises `ReadError` (naming `source`) rather than return part of a page: nesting deeper than
    libxml2 parses (2,048 levels with `huge_tree`; 256 without, silently), or more than
    `MAX_TABLE_CELLS` cells once rowspan/colspan are expanded.

    >>> html_to_text("<p>概述</p><table><tr><td>申请</td><td>3 件</td></tr></table>")
    '概述\\n申请\\t3 件'
    """
    from lxml import etree
    from lxml import html as lxml_html

    if not html.strip():
        return ""
    # lxml rejects str input that carries an XML encoding declaration.
    html = re.sub(r"^\s*<\?xml[^>]*\?>", "", html)
    parser = lxml_html.HTMLParser(
        recover=True, remove_comments=True, remove_pis=True, no_network=True, huge_tree=True
    )
    try:
        root = lxml_html.document_fromstring(html, parser=parser)
    except (etree.ParserError, ValueError):
        return _WS.sub(" ", re.sub(r"<[^>]*>", " ", html)).strip()
    if any("depth" in error.message.lower() for error in parser.error_log):
        raise ReadError(source, "HTML nested too deeply (over 2,048 levels): the parser would drop the rest")
    etree.strip_elements(root, *_DROP_TAGS, etree.Comment, with_tail=False)
    renderer = _Renderer()
    try:
        renderer.render(root)
    except RecursionError as exc:
        raise ReadError(source, "HTML nested too deeply to render (nested tables or blocks)") from exc
    except _TooManyCells as exc:
        raise ReadError(
            source,
            f"too large: tables expand to more than {MAX_TABLE_CELLS:,} cells (rowspan/colspan)",
        ) from exc
    return renderer.text()


class _TooManyCells(Exception):
    """An HTML page's tables expand past `MAX_TABLE_CELLS`."""


class _Renderer:
    """Walks an lxml tree and writes text with block breaks; tables become tab-separated rows."""

    def __init__(self, budget: list[int] | None = None) -> None:
        self.parts: list[str] = []
        self.budget = budget if budget is not None else [MAX_TABLE_CELLS]
        """Cells this page may still render, shared with cell renderers (one list, one count)."""
        self.term_open = False
        """A `<dt>` ended and nothing but whitespace followed: a `<dd>` now goes on its line."""

    def spend(self, cells: int) -> None:
        self.budget[0] -= cells
        if self.budget[0] < 0:
            raise _TooManyCells

    def newline(self) -> None:
        if self.parts and self.parts[-1] != "\n":
            self.parts.append("\n")

    def inline(self, text: str | None) -> None:
        if self.term_open and not (text or "").strip():
            return  # the whitespace between a term and its definition
        self.term_open = False
        if text:
            collapsed = _WS.sub(lambda m: _BREAK if "\n" in m.group() else " ", text)
            if collapsed.strip(" " + _BREAK) or (self.parts and self.parts[-1] != "\n"):
                self.parts.append(collapsed)

    def render(self, el) -> None:  # noqa: ANN001 - lxml element
        tag = el.tag if isinstance(el.tag, str) else ""
        tag = tag.lower()
        if tag == "br":
            self.newline()
        elif tag == "table":
            self.newline()
            self.table(el)
            self.newline()
        elif (cells := _cell_row(el)) is not None:
            self.newline()
            self.parts.append("\t".join(cells))
            self.newline()
        else:
            block = tag in _BLOCK_TAGS or tag in _CELL_TAGS
            definition = tag == "dd" and self.term_open  # `<dt>工作人员</dt><dd>3人…</dd>`: one line
            self.term_open = False
            if block and not definition:
                self.newline()
            self.inline(el.text)
            for child in el:
                self.render(child)
                self.inline(child.tail)
            if tag == "dt":
                self.parts.append(" ")
                self.term_open = True
            elif block:
                self.newline()

    def table(self, table) -> None:  # noqa: ANN001 - lxml element
        rows = _table_rows(table)
        layout = (
            table.find(".//table") is not None
            or all(len(_row_cells(r)) <= 1 for r in rows)
            or any(_holds_paragraphs(cell) for row in rows for cell in _row_cells(row))
        )
        if layout:
            for row in rows:
                for cell in _row_cells(row):
                    self.render(cell)
                self.newline()
            return
        # Cells covered by a rowspan from above become empty cells, so columns stay aligned.
        pending: dict[int, int] = {}  # column -> rows it is still covered for
        for row in rows:
            occupied = {col for col, left in pending.items() if left > 0}
            started: dict[int, int] = {}
            cells: list[str] = []
            col = 0
            for cell in _row_cells(row):
                while col in occupied:
                    cells.append("")
                    col += 1
                cells.append(_cell_text(cell, self.budget))
                colspan = min(_int_attr(cell, "colspan"), 100)
                rowspan = min(_int_attr(cell, "rowspan"), 1000)
                self.spend(colspan)
                if rowspan > 1:
                    started.update({col + k: rowspan - 1 for k in range(colspan)})
                cells.extend([""] * (colspan - 1))
                col += colspan
            if occupied:
                cells.extend([""] * max(0, max(occupied) + 1 - col))
            self.spend(len(occupied))
            pending = {c: pending[c] - 1 for c in occupied if pending[c] > 1} | started
            self.parts.append("\t".join(cells))
            self.newline()

    def text(self) -> str:
        text = "".join(self.parts)
        lines = []
        for line in text.split("\n"):
            line = _finish_spaces(line).strip(" ")
            if line.strip():
                lines.append(line)
        return "\n".join(lines)


def _table_rows(table) -> list:  # noqa: ANN001 - lxml element
    rows = []
    for child in table:
        tag = child.tag.lower() if isinstance(child.tag, str) else ""
        if tag == "tr":
            rows.append(child)
        elif tag in ("thead", "tbody", "tfoot"):
            rows.extend(r for r in child if isinstance(r.tag, str) and r.tag.lower() == "tr")
    return rows


def _row_cells(row) -> list:  # noqa: ANN001 - lxml element
    return [c for c in row if isinstance(c.tag, str) and c.tag.lower() in _CELL_TAGS]


_PARAGRAPH_TAGS = ("p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li")
LAYOUT_CELL_CHARS = 60
"""A cell with at least this many characters in two or more paragraphs holds a page's text: its
table lays the page out (`<td>导航</td><td><p>…报告</p><p>四、…</p>…</td>`), it is no data table."""


ROW_CELL_CHARS = 40
"""The longest cell text of a table row drawn without `<table>` (`_cell_row`)."""


def _cell_row(el) -> list[str] | None:  # noqa: ANN001 - lxml element
    """The cells of a table row drawn without `<table>` (`<ul class="tb-row"><li>行政强制</li><li>9</li>
    <li></li><li>63</li></ul>`, `<div class="tr"><span>…</span>…</div>`), or None: three or more
    children of one tag with no text between them, none holding a block, each at most
    `ROW_CELL_CHARS` characters, two or more of them figures (`lexicon.FIGURE_CELL`). Read as a row,
    an empty child stays an empty cell; read as blocks or inline text it vanished and the row's
    later figures slid left.

    >>> from lxml import html
    >>> _cell_row(html.fromstring("<ul><li>行政强制</li><li>9</li><li></li><li>63</li></ul>"))
    ['行政强制', '9', '', '63']
    """
    children = [c for c in el if isinstance(c.tag, str)]
    if len(children) < 3 or (el.text or "").strip() or any((c.tail or "").strip() for c in children):
        return None
    if len({c.tag for c in children}) != 1 or any(_holds_blocks(c) for c in children):
        return None
    texts = [_WS.sub(" ", c.text_content()).strip() for c in children]
    if any(len(text) > ROW_CELL_CHARS for text in texts):
        return None
    return texts if sum(bool(text) and bool(FIGURE_CELL.fullmatch(text)) for text in texts) >= 2 else None


def _holds_blocks(el) -> bool:  # noqa: ANN001 - lxml element
    return any(e is not el and isinstance(e.tag, str) and e.tag.lower() in _BLOCK_TAGS for e in el.iter())


def _holds_paragraphs(cell) -> bool:  # noqa: ANN001 - lxml element
    blocks = [e for e in cell.iter(*_PARAGRAPH_TAGS) if e is not cell and (e.text_content() or "").strip()]
    return len(blocks) >= 2 and len(cell.text_content() or "") >= LAYOUT_CELL_CHARS


def _cell_text(cell, budget: list[int]) -> str:  # noqa: ANN001 - lxml element
    renderer = _Renderer(budget)
    renderer.inline(cell.text)
    for child in cell:
        renderer.render(child)
        renderer.inline(child.tail)
    text = "".join(renderer.parts).replace("\n", _BREAK)
    return _finish_spaces(_CELL_WS.sub(" ", text)).strip(" ")


def _int_attr(el, name: str) -> int:  # noqa: ANN001 - lxml element
    try:
        return max(1, int(str(el.get(name, "1")).strip() or 1))
    except ValueError:
        return 1


# --- PDF / Word / Markdown: inference.read_pdf, inference.read_docx, inference.read_markdown ----------


def check_zip_budget(path: Path) -> None:
    """Refuse a .docx (a zip) whose parts would inflate past the budgets, before anything inflates.

    The sizes come from the zip's directory; `zipfile` never inflates a member past its declared
    size, so a lying directory cannot get round the check.
    """
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ReadError(str(path), f"not a readable .docx file: {exc}") from exc
    xml = sum(m.file_size for m in members if m.filename.lower().endswith((".xml", ".rels")))
    total = sum(m.file_size for m in members)
    if xml > MAX_DOCX_XML_BYTES or total > MAX_DOCX_TOTAL_BYTES:
        raise ReadError(
            str(path),
            f"too large: the .docx inflates to {total:,} bytes ({xml:,} of XML; limits "
            f"{MAX_DOCX_TOTAL_BYTES:,} and {MAX_DOCX_XML_BYTES:,}), a zip bomb or not a report",
        )


def _docx_to_text(path: Path) -> str:
    from inference.read_docx import docx_to_text

    return docx_to_text(path)


def _legacy_word_to_text(path: Path) -> str:
    from inference.read_docx import legacy_word_to_text

    return legacy_word_to_text(path)


def _pdf_to_text(path: Path):  # noqa: ANN202 - inference.read_pdf.PdfText (imported lazily)
    from inference.read_pdf import pdf_to_text

    return pdf_to_text(path)


def _markdown_to_text(markdown: str) -> str:
    from inference.read_markdown import markdown_to_text

    return markdown_to_text(markdown, render_html=html_to_text)
