"""Check that the generator's wording is its own: no run of `WINDOW` characters of a real report.

Both sides are compared in one canonical form (`canonical`): HTML tags and mirror pinyin readings
removed, Traditional converted to Simplified (OpenCC `t2s`), NFKC (full-width → ASCII), and every
character that is not a letter, a digit or a CJK ideograph dropped (whitespace, punctuation), so
a copied clause is found whatever its punctuation, script or layout. A window is `WINDOW`
consecutive canonical characters, hashed to 8 bytes (`window_hashes`).

The generator's text banks are every string literal in `training/synth/*.py` (`bank_segments`):
markup (`[M:…]` keeps its text; `<field:件>` and `{name}` break a run) is rendered first, so a
window never spans a number the generator fills in.

Form text is exempt (`FORM_TEXT`): the titles of the regulation and of the national report
format, the national form's printed notes, and the row and column labels every real report of a
template prints (those come from `inference/data/*.tsv`). They are names, not sentences.
"""

from __future__ import annotations

import ast
import hashlib
import re
import unicodedata
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path

import numpy as np

WINDOW = 12

_TAG = re.compile(r"<[^>]*>")
_READING = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜ]+\)")
_MARKUP_KEEP = re.compile(r"\[(?:M|C):([^\]]+)\]")
_MARKUP_BREAK = re.compile(r"<[!?~]?(?:[a-z_.+]+|#[^>]*)(?::[^>]*)?>|\{[a-z_0-9]*\}")
_BREAK = "\x00"

# Names and fixed form text that every report of a template prints (not sentences of a report).
FORM_TEXT: tuple[str, ...] = (
    "中华人民共和国政府信息公开条例",
    "中华人民共和国政府信息公开工作年度报告格式",
    "政府信息公开工作年度报告",
    "本列数据的勾稽关系为第一项加第二项之和等于第三项加第四项之和",
    "区分处理的只计这一情形不计其他情形",
)


@cache
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def _keep(char: str) -> bool:
    if char.isalnum():
        return True
    return "\u4e00" <= char <= "\u9fff"


def canonical(text: str, *, markup: bool = False) -> str:
    """Text in the comparison form; with `markup`, generator markup rendered and fills as breaks.

    >>> canonical("業(yè)務（一）， 申請 12")
    '业务一申请12'
    """
    if markup:
        text = _MARKUP_KEEP.sub(r"\1", text)
        text = _MARKUP_BREAK.sub(_BREAK, text)
    text = _TAG.sub(" ", text)
    text = _READING.sub("", text)
    text = unicodedata.normalize("NFKC", _t2s().convert(text))
    for taiwan, mainland in _variants():
        text = text.replace(taiwan, mainland)
    return "".join(c for c in text if c == _BREAK or _keep(c))


@cache
def _variants() -> tuple[tuple[str, str], ...]:
    """Taiwan phrasing → mainland wording (`inference/data/taiwan_phrasing.tsv`), longest first."""
    from inference.lexicon import taiwan_rows

    rows = {(r.taiwan, r.mainland) for r in taiwan_rows() if r.use != "keep" and r.taiwan != r.mainland}
    return tuple(sorted(rows, key=lambda r: (-len(r[0]), r)))


def segments(text: str) -> list[str]:
    """Canonical runs between breaks (fills)."""
    return [s for s in text.split(_BREAK) if len(s) >= WINDOW]


def _hash(window: str) -> int:
    return int.from_bytes(hashlib.blake2b(window.encode("utf-8"), digest_size=8).digest(), "little")


def windows(text: str) -> Iterator[tuple[int, str]]:
    """(offset, window) of every `WINDOW`-character window of each segment of canonical `text`."""
    for segment in segments(text):
        for i in range(len(segment) - WINDOW + 1):
            yield i, segment[i : i + WINDOW]


def window_hashes(texts: Iterable[str]) -> np.ndarray:
    """Sorted unique uint64 hashes of every window of the canonical `texts`."""
    values = {_hash(w) for text in texts for _, w in windows(text)}
    return np.array(sorted(values), dtype=np.uint64)


def contains(hashes: np.ndarray, window: str) -> bool:
    value = np.uint64(_hash(window))
    i = int(np.searchsorted(hashes, value))
    return i < len(hashes) and hashes[i] == value


MIN_EXEMPT = 4


def exempt_mask(text: str, form: Iterable[str]) -> str:
    """Canonical `text` with every occurrence of a form string (≥ `MIN_EXEMPT` chars) replaced by breaks."""
    for item in sorted(set(form), key=len, reverse=True):
        if len(item) >= MIN_EXEMPT:
            text = text.replace(item, _BREAK * len(item))
    return text


MIN_IDEOGRAPHS = 8


def _is_wording(window: str) -> bool:
    """A window of wording, not of figures: at least `MIN_IDEOGRAPHS` CJK ideographs (runs of
    table digits, dates and URLs that real reports also print are not wording)."""
    return sum("\u4e00" <= c <= "\u9fff" for c in window) >= MIN_IDEOGRAPHS


def data_wording() -> tuple[str, ...]:
    """Every label, keyword and phrase of `inference/data/*.tsv` (cells split on `|` and ` × `),
    also without a trailing `数`/`答复数` as prose names a row (`同意公开答复数` → `同意公开`)."""
    import csv

    from inference.catalogue import DATA_DIR

    out: set[str] = set()
    for path in sorted(DATA_DIR.glob("*.tsv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.reader(handle, delimiter="\t"):
                for cell in row:
                    if re.search(r"[A-Za-z]", cell):
                        continue  # ids and notes, not wording
                    for item in re.split(r"\||\s×\s", cell):
                        item = item.strip()
                        if not item or re.search(r"[\\\[\]{}()?*+^$]", item):
                            continue
                        out.add(item)
                        for suffix in ("答复数", "数"):
                            if item.endswith(suffix) and len(item) > len(suffix) + 1:
                                out.add(item[: -len(suffix)])
    return tuple(sorted(out))


@cache
def _s2twp():
    import opencc

    return opencc.OpenCC("s2twp")


def exemptions(extra: Iterable[str] = ()) -> tuple[str, ...]:
    """Canonical form text and data wording (plus `extra`, e.g. the report's issuer), also as a
    Taiwan-phrased copy reads after `canonical` (`数据` → `資料` → `资料`)."""
    extras = {form for item in extra for form in _both_scripts(item)}
    return _base_exemptions() + tuple(sorted(extras))


def _both_scripts(item: str) -> tuple[str, str]:
    return canonical(item), canonical(_s2twp().convert(item))


@cache
def _base_exemptions() -> tuple[str, ...]:
    from training.synth.form import all_form_text

    return tuple(
        sorted({form for item in (*all_form_text(), *data_wording()) for form in _both_scripts(item)})
    )


def copied_runs(text: str, hashes: np.ndarray, form: Iterable[str] = ()) -> list[str]:
    """Maximal runs of canonical `text` made of windows found in `hashes` (form text exempt)."""
    masked = exempt_mask(text, form)
    runs: list[str] = []
    for segment in segments(masked):
        hits = [
            _is_wording(segment[i : i + WINDOW]) and contains(hashes, segment[i : i + WINDOW])
            for i in range(len(segment) - WINDOW + 1)
        ]
        i = 0
        while i < len(hits):
            if not hits[i]:
                i += 1
                continue
            j = i
            while j + 1 < len(hits) and hits[j + 1]:
                j += 1
            runs.append(segment[i : j + WINDOW])
            i = j + 1
    return runs


def bank_segments(package: Path | None = None) -> list[tuple[str, int, str]]:
    """(file, line, canonical literal) for every string literal of the generator's modules."""
    package = package or Path(__file__).parent
    out: list[tuple[str, int, str]] = []
    for path in sorted(package.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Expr)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                text = canonical(node.value, markup=True)
                if any(len(s) >= WINDOW for s in text.split(_BREAK)):
                    out.append((path.name, node.lineno, text))
    return out
