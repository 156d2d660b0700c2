"""Hostile inputs of issue 14, built from the seed reports as the repros in shared/reliability/ build them.

Shared by `tests/test_reliability.py` (one test per repro, a fuzz test) and
`python tests/reliability_inputs.py DIR` (writes them all into DIR, e.g. to time `gia predict` on them).
"""

from __future__ import annotations

import html
import os
import sys
import zipfile
from pathlib import Path

from inference import REPO_ROOT

SEEDS = REPO_ROOT / "annotations" / "seeds"
FIXTURES = Path(__file__).parent / "fixtures" / "reliability"
GBK_NAME = b"zz_\xb1\xa8\xb8\xe6.txt"  # 报告 in GBK bytes, as unzip leaves names from Chinese Windows
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def seed_text(prefix: str) -> str:
    """The text of seed report `prefix` (000…004)."""
    return next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


def text_to_html(text: str, *, charset: str = "utf-8", nest: int = 0) -> str:
    """A page like the repros': tab-separated lines become one-row tables, `nest` divs around the middle."""
    lines = [line for line in text.split("\n") if line.strip()]
    blocks = [
        "<table><tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in line.split("\t")) + "</tr></table>"
        if "\t" in line
        else f"<p>{html.escape(line)}</p>"
        for line in lines
    ]
    middle = len(blocks) // 2
    body = "".join(blocks[:middle]) + "<div>" * nest + "".join(blocks[middle:]) + "</div>" * nest
    return f'<!DOCTYPE html><html><head><meta charset="{charset}"></head><body>{body}</body></html>\n'


def docx_bomb(path: Path, megabytes: int) -> Path:
    """A small .docx whose document.xml inflates to `megabytes` MB of empty paragraphs (repro 05)."""
    content_types = (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName='
        '"/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.'
        'document.main+xml"/></Types>'
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
        '2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>'
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("_rels/.rels", rels)
        with archive.open("word/document.xml", "w", force_zip64=True) as handle:
            handle.write(f'<?xml version="1.0"?><w:document xmlns:w="{W_NS}"><w:body>'.encode())
            handle.write(
                "<w:p><w:r><w:t>2020年政府信息公开工作年度报告 主动公开 12 条</w:t></w:r></w:p>".encode()
            )
            block = b"<w:p/>" * (1 << 17)
            for _ in range(megabytes * (1 << 20) // len(block)):
                handle.write(block)
            handle.write(b"</w:body></w:document>")
    return path


def rowspan_page(cells: int = 1500, rows: int = 1000) -> str:
    """One row of `cells` cells each spanning 100 columns × 1000 rows, then `rows` short rows (repro 06)."""
    first = "".join('<td colspan="100" rowspan="1000">信息公开</td>' for _ in range(cells))
    rest = "".join(f"<tr><td>{i}</td></tr>" for i in range(rows))
    return f"<html><body><table><tr>{first}</tr>{rest}</table></body></html>"


def with_nul(data: bytes, at: int) -> bytes:
    """`data` with one NUL byte inserted at a character boundary near byte `at` (repro 13)."""
    while at < len(data) and (data[at] & 0xC0) == 0x80:  # not inside a UTF-8 sequence
        at += 1
    return data[:at] + b"\x00" + data[at:]


def hostile_files(folder: Path) -> dict[str, Path]:
    """Write every file-shaped hostile input into `folder`; returns name -> path."""
    folder.mkdir(parents=True, exist_ok=True)
    seed3 = seed_text("003").encode("utf-8")
    files = {
        "bomb.docx": docx_bomb(folder / "bomb.docx", 20),
        "rowspan.html": folder / "rowspan.html",
        "nest300.html": folder / "nest300.html",
        "nest5000.html": folder / "nest5000.html",
        "nul_early.txt": folder / "nul_early.txt",
        "nul_late.txt": folder / "nul_late.txt",
        "utf16le_nobom.txt": folder / "utf16le_nobom.txt",
        "after_close.html": folder / "after_close.html",
        "big5_declared_gbk.html": folder / "big5_declared_gbk.html",
        "png.pdf": folder / "png.pdf",
    }
    files["rowspan.html"].write_text(rowspan_page(), encoding="utf-8")
    files["nest300.html"].write_text(text_to_html(seed_text("003"), nest=300), encoding="utf-8")
    files["nest5000.html"].write_text(text_to_html(seed_text("003"), nest=5000), encoding="utf-8")
    files["nul_early.txt"].write_bytes(with_nul(seed3, 100))
    files["nul_late.txt"].write_bytes(with_nul(seed3, 12000))
    files["utf16le_nobom.txt"].write_bytes(seed_text("000").encode("utf-16-le"))
    page = text_to_html(seed_text("003")) + '<script>var stats = "' + "x" * 70000 + '";</script>\n'
    files["after_close.html"].write_text(page, encoding="utf-8")
    for name in ("big5_declared_gbk.html", "png.pdf"):
        fixture = "big5_declared_gbk__001.html" if name.endswith(".html") else name
        files[name].write_bytes((FIXTURES / fixture).read_bytes())
    gbk = os.path.join(os.fsencode(folder), GBK_NAME)
    with open(gbk, "wb") as handle:
        handle.write(seed3)
    files["gbk_name"] = Path(os.fsdecode(gbk))
    return files


def hostile_tree(folder: Path) -> Path:
    """`hostile_files` plus links, loops and a named pipe in `folder`; returns `folder`."""
    hostile_files(folder)
    os.symlink("self.txt", folder / "self.txt")
    os.symlink("loop_b.txt", folder / "loop_a.txt")
    os.symlink("loop_a.txt", folder / "loop_b.txt")
    os.symlink("missing.txt", folder / "dangling.txt")
    os.symlink(".", folder / "again")  # a directory link back to itself
    os.mkfifo(folder / "pipe.txt")
    return folder


if __name__ == "__main__":
    print(hostile_tree(Path(sys.argv[1])))
