"""Readers: turn a report file into text (encoding detection, HTML to cell-preserving text).

PLACEHOLDER: UTF-8 text only until issue 2 lands.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from inference.errors import ReadError

SUPPORTED_SUFFIXES: tuple[str, ...] = (".txt",)


@dataclass(frozen=True)
class RawReport:
    """A report's text as read from disk, with how it was decoded."""

    source: str
    text: str
    encoding: str
    kind: str  # "text" | "html" | "docx" | "pdf"


def read_report(path: str | Path) -> RawReport:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReadError(str(path), f"cannot open: {exc.strerror}") from exc
    if not data.strip():
        raise ReadError(str(path), "file is empty")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ReadError(str(path), "not UTF-8 text") from exc
    return RawReport(source=str(path), text=text, encoding="utf-8", kind="text")


def expand_paths(paths: list[str | Path]) -> list[Path]:
    """Files as given; directories expand recursively to supported files in sorted order."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUPPORTED_SUFFIXES))
        else:
            out.append(p)
    return out
