"""Word reader: .docx through python-docx's XML, legacy .doc/.wps through an installed converter.

Output has the shape `inference.read.html_to_text` gives HTML: one line per paragraph (tabs kept,
so tab-aligned "tables" stay cells), a table as one line per row with cells joined by ``\\t``; a
merged cell's text sits in its first grid slot and the slots it covers (``gridSpan`` to the right,
``vMerge`` continuation below, ``gridBefore``/``gridAfter`` gaps) are ``""``. Nested tables are
read as text inside their cell. Legacy .doc/.wps are converted with LibreOffice (``soffice``)
when installed, else .doc with ``antiword``; with neither, a `ReadError` says what to install.
"""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from inference.errors import MissingDependency, ReadError

logger = logging.getLogger(__name__)

LEGACY_SUFFIXES: tuple[str, ...] = (".doc", ".wps")
CONVERT_SECONDS = 120

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_SPACES = re.compile(r"[ \u00a0\u3000]+")
_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]")


def docx_to_text(path: str | Path) -> str:
    """Read a .docx file's body (paragraphs and tables in document order) as cell-preserving text."""
    import docx  # python-docx

    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises many kinds (zip, xml, key errors) for bad files
        raise ReadError(str(path), f"not a readable .docx file: {type(exc).__name__}: {exc}") from exc
    lines = _block_lines(document.element.body)
    return "\n".join(line.strip(" ") for line in lines if line.strip())


def _block_lines(container) -> list[str]:  # noqa: ANN001 - lxml element (body, sdtContent, …)
    """Paragraphs and tables in document order; content controls and custom XML are looked into."""
    lines: list[str] = []
    for child in container.iterchildren():
        if child.tag == f"{_W}p":
            lines.extend(_paragraph_text(child).split("\n"))
        elif child.tag == f"{_W}tbl":
            lines.extend(table_rows(child))
        elif child.tag in (f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml"):
            lines.extend(_block_lines(child))
    return lines


def _paragraph_text(paragraph) -> str:  # noqa: ANN001 - lxml element
    """A paragraph's runs: ``w:t`` text, ``w:tab`` as ``\\t``, ``w:br``/``w:cr`` as a line break."""
    parts: list[str] = []
    for el in paragraph.iter(f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr"):
        if el.tag == f"{_W}t":
            parts.append(el.text or "")
        elif el.tag == f"{_W}tab":
            # w:tab also appears inside w:tabs (tab stop definitions in pPr): not text
            if el.getparent() is not None and el.getparent().tag == f"{_W}r":
                parts.append("\t")
        else:
            parts.append("\n")
    return _SPACES.sub(" ", "".join(parts))


def _int_val(el, default: int = 0) -> int:  # noqa: ANN001 - lxml element or None
    if el is None:
        return default
    try:
        return int(el.get(f"{_W}val", default))
    except ValueError:
        return default


def table_rows(table) -> list[str]:  # noqa: ANN001 - lxml w:tbl element
    """One ``\\t``-joined line per row, every row on the table's grid (merged slots empty)."""
    rows: list[str] = []
    for tr in table.iterchildren(f"{_W}tr"):
        trpr = tr.find(f"{_W}trPr")
        before = _int_val(trpr.find(f"{_W}gridBefore") if trpr is not None else None)
        cells = [""] * before
        for tc in tr.iterchildren(f"{_W}tc"):
            tcpr = tc.find(f"{_W}tcPr")
            span = max(1, _int_val(tcpr.find(f"{_W}gridSpan") if tcpr is not None else None, 1))
            merge = tcpr.find(f"{_W}vMerge") if tcpr is not None else None
            continued = merge is not None and merge.get(f"{_W}val", "continue") != "restart"
            cells.append("" if continued else _cell_text(tc))
            cells.extend([""] * (span - 1))
        if any(cells):
            rows.append("\t".join(cells))
    return rows


def _cell_text(cell) -> str:  # noqa: ANN001 - lxml w:tc element
    """A cell's paragraphs (and nested tables) joined; no break inside CJK, a space otherwise."""
    out = ""
    for paragraph in cell.iter(f"{_W}p"):
        for piece in _paragraph_text(paragraph).replace("\t", " ").split("\n"):
            piece = piece.strip()
            if not piece:
                continue
            glue = "" if not out or _CJK.match(out[-1]) or _CJK.match(piece[0]) else " "
            out += glue + piece
    return out


def legacy_word_to_text(path: str | Path) -> str:
    """Convert a .doc/.wps file with LibreOffice (to .docx, then read) or antiword (.doc only)."""
    path = Path(path)
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice:
        return _via_libreoffice(soffice, path)
    antiword = shutil.which("antiword")
    if antiword and path.suffix.lower() == ".doc":
        return _run(path, [antiword, "-w", "0", str(path)]).decode("utf-8", errors="replace")
    need = "LibreOffice (apt-get install libreoffice-writer)"
    if path.suffix.lower() == ".doc":
        need += " or antiword (apt-get install antiword)"
    # the environment's fault, not the file's: never stored, so installing a converter and rerunning reads it
    message = f"reading {path.suffix.lower()} needs {need}; or save it as .docx or .pdf"
    raise MissingDependency(str(path), message)


def _via_libreoffice(soffice: str, path: Path) -> str:
    with tempfile.TemporaryDirectory(prefix="gia-doc-") as out_dir:
        profile = Path(out_dir, "profile").as_uri()  # a private profile: parallel workers do not clash
        _run(
            path,
            [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "docx",
             "--outdir", out_dir, str(path)],
        )  # fmt: skip
        converted = Path(out_dir, path.stem + ".docx")
        if not converted.exists():
            raise ReadError(str(path), "LibreOffice could not convert the file to .docx")
        return docx_to_text(converted)


def _run(path: Path, command: list[str]) -> bytes:
    try:
        done = subprocess.run(command, capture_output=True, timeout=CONVERT_SECONDS, check=False)
    except subprocess.TimeoutExpired as exc:
        raise ReadError(str(path), f"converting took more than {CONVERT_SECONDS} s") from exc
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", errors="replace").strip()[:200]
        raise ReadError(str(path), f"{Path(command[0]).name} failed: {message or done.returncode}")
    return done.stdout
