"""Render HTML reports (generated or real) as PDF and DOCX in several table styles, to test readers.

PDF goes through headless Chromium's print-to-PDF (``apt-get install chromium`` and a CJK font such
as ``fonts-wqy-microhei``); DOCX is written with python-docx, merged cells as Word merges them
(``gridSpan``/``vMerge``). Styles (`STYLES`):

- ``ruled``: every cell boxed;
- ``unruled``: no ruling lines, cells separated by white space only (centred, the table framed);
- ``unruled-plain``: no lines at all, a different rendering from ``unruled`` so the reader is not
  fitted to one: cells left-aligned and top-aligned, body-size monospaced type, tight padding;
- ``wrapped``: ruled, narrow label columns so labels wrap over lines and merged row labels stand
  one character per line;
- ``pagebreak``: ruled, large type so tables run over page breaks, header rows repeated on the
  next page (``<thead>``).
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import tempfile
from pathlib import Path

logger = logging.getLogger(__name__)

STYLES: tuple[str, ...] = ("ruled", "unruled", "unruled-plain", "wrapped", "pagebreak")
RENDER_SECONDS = 60

_BASE_CSS = """
@page { size: A4; margin: 2cm 2.2cm; }
body { font-family: "WenQuanYi Micro Hei", "Noto Sans CJK SC", sans-serif; font-size: 12pt; }
body { line-height: 1.5; }
p { margin: 0 0 0.2em 0; text-indent: 2em; }
table { border-collapse: collapse; width: 100%; margin: 0.5em 0; font-size: 10.5pt; }
td, th { padding: 2px 4px; vertical-align: middle; text-align: center; }
"""
_STYLE_CSS = {
    "ruled": "td, th { border: 1px solid #000; }",
    "unruled": "td, th { border: none; padding: 2px 10px; }",
    "unruled-plain": "table { border: none; font-size: 12pt; "
    'font-family: "WenQuanYi Micro Hei Mono", monospace; } '
    "td, th { border: none; padding: 1px 8px; text-align: left; vertical-align: top; }",
    "wrapped": "td, th { border: 1px solid #000; } td[rowspan] { width: 1.1em; } "
    "td:first-child { max-width: 6em; } td { min-width: 2em; }",
    "pagebreak": "td, th { border: 1px solid #000; } body { font-size: 16pt; } table { font-size: 14pt; } "
    "tr { break-inside: avoid; }",
}


def style_html(html: str, style: str) -> str:
    """The page with the style's CSS; for ``pagebreak`` each table's first row becomes a ``<thead>``."""
    from lxml import etree
    from lxml import html as lxml_html

    if style not in _STYLE_CSS:
        raise ValueError(f"unknown style {style!r}: use one of {', '.join(STYLES)}")
    root = lxml_html.document_fromstring(html)
    head = root.find("head")
    if head is None:
        head = etree.SubElement(root, "head")
        root.insert(0, head)
    css = etree.SubElement(head, "style")
    css.text = _BASE_CSS + _STYLE_CSS[style]
    if style == "pagebreak":
        for table in root.iter("table"):
            rows = [r for r in table.iter("tr")]
            if rows and rows[0].getparent().tag != "thead" and not any(c.get("rowspan") for c in rows[0]):
                thead = etree.Element("thead")
                rows[0].getparent().insert(rows[0].getparent().index(rows[0]), thead)
                thead.append(rows[0])
    return lxml_html.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>")


def chromium() -> str | None:
    """Path of a headless-capable Chromium, or None."""
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def html_to_pdf(html: str, out_path: str | Path) -> Path:
    """Print `html` to `out_path` with headless Chromium (no page header/footer added by the browser)."""
    browser = chromium()
    if browser is None:
        raise RuntimeError("rendering PDFs needs Chromium: apt-get install -y chromium fonts-wqy-microhei")
    out_path = Path(out_path)
    with tempfile.TemporaryDirectory(prefix="gia-render-") as tmp:
        page = Path(tmp, "page.html")
        page.write_text(html, encoding="utf-8")
        command = [
            browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
            "--disable-pdf-tagging",  # a structure tree would double the file size
            f"--user-data-dir={tmp}/profile", f"--print-to-pdf={out_path.resolve()}", page.as_uri(),
        ]  # fmt: skip
        subprocess.run(command, capture_output=True, timeout=RENDER_SECONDS, check=True)
    return out_path


def html_to_docx(html: str, out_path: str | Path) -> Path:
    """Write the page's paragraphs and tables to a .docx (merged cells merged, tables gridded)."""
    import docx
    from lxml import html as lxml_html

    from inference.read import html_to_text

    document = docx.Document()
    root = lxml_html.document_fromstring(html)
    body = root.find("body")
    for el in body.iter("p", "table", "h1", "h2", "h3", "h4"):
        if el.tag == "table":
            _add_table(document, el)
        elif el.getparent() is not None and not any(a.tag == "table" for a in el.iterancestors()):
            text = html_to_text(lxml_html.tostring(el, encoding="unicode"))
            if text.strip():
                document.add_paragraph(text)
    document.save(str(out_path))
    return Path(out_path)


def _grid(table) -> list[list[tuple[str, int, int] | None]]:  # noqa: ANN001 - lxml table
    """Anchored cells (text, rowspan, colspan) on the table's grid; covered slots None."""
    from inference.read import html_to_text

    rows = [r for r in table.iter("tr")]
    grid: dict[tuple[int, int], tuple[str, int, int] | None] = {}
    for r, row in enumerate(rows):
        c = 0
        for cell in row:
            if cell.tag not in ("td", "th"):
                continue
            while (r, c) in grid:
                c += 1
            rowspan, colspan = int(cell.get("rowspan", 1) or 1), int(cell.get("colspan", 1) or 1)
            text = html_to_text(f"<p>{''.join(cell.itertext())}</p>")
            for dr in range(rowspan):
                for dc in range(colspan):
                    grid[(r + dr, c + dc)] = None
            grid[(r, c)] = (text, rowspan, colspan)
            c += colspan
    width = 1 + max((c for _, c in grid), default=0)
    return [[grid.get((r, c)) for c in range(width)] for r in range(len(rows))]


def _add_table(document, table) -> None:  # noqa: ANN001 - python-docx Document, lxml table
    grid = _grid(table)
    if not grid:
        return
    out = document.add_table(rows=len(grid), cols=len(grid[0]))
    out.style = "Table Grid"
    for r, row in enumerate(grid):
        for c, anchor in enumerate(row):
            if anchor is None:
                continue
            text, rowspan, colspan = anchor
            cell = out.cell(r, c)
            last_r, last_c = min(r + rowspan, len(grid)) - 1, min(c + colspan, len(row)) - 1
            if (last_r, last_c) != (r, c):
                cell = cell.merge(out.cell(last_r, last_c))
            cell.text = text


FIXTURE_SEED = 7_000_002  # a 2021-template report: table 3 with merged row labels
FIXTURE_STYLES = ("wrapped", "pagebreak", "unruled")


def write_fixtures(out_dir: str | Path, *, seed: int = FIXTURE_SEED) -> list[Path]:
    """The rendered fixtures of tests/fixtures/formats: one generated report as HTML, gold, PDF
    (``wrapped``, ``pagebreak`` and ``unruled`` styles), DOCX and the generator's Markdown layout of it."""
    from training.synth import generate_report

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    report = generate_report(seed, generation="2021", layout="html", script="simplified")
    markdown = generate_report(seed, generation="2021", layout="markdown", script="simplified")
    stem = "generated_2021"
    html = _short_paragraphs_only(report["raw"])  # PDFs under 100 KB
    written = [out_dir / f"{stem}.html", out_dir / f"{stem}.md"]
    written[0].write_text(html, encoding="utf-8")
    written[1].write_text(markdown["raw"], encoding="utf-8")
    written.append(html_to_docx(html, out_dir / f"{stem}.docx"))
    for style in FIXTURE_STYLES:
        written.append(html_to_pdf(style_html(html, style), out_dir / f"{stem}_{style}.pdf"))
    return written


def _short_paragraphs_only(html: str, *, keep: tuple[str, ...] = ("自然人", "行政复议")) -> str:
    """Only tables 3 and 4 (merged, wrapped and vertical labels) and their headings: small PDFs."""
    from lxml import html as lxml_html

    root = lxml_html.document_fromstring(html)
    tables = [t for t in root.iter("table") if any(word in t.text_content() for word in keep)]
    kept = {id(t) for t in tables} | {id(t.getprevious()) for t in tables if t.getprevious() is not None}
    for el in list(root.iter("p", "table")):
        if (
            id(el) not in kept
            and el.getparent() is not None
            and not any(id(a) in kept for a in el.iterancestors())
        ):
            el.getparent().remove(el)
    return lxml_html.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>")


if __name__ == "__main__":
    # python -m training.render OUT_DIR: rewrite the rendered fixtures of tests/fixtures/formats
    import sys

    for path in write_fixtures(sys.argv[1] if len(sys.argv) > 1 else "tests/fixtures/formats"):
        print(f"{path.stat().st_size:>8,} {path}")
