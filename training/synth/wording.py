"""Row, column and category wording the generator prints, read from the project's data files.

The table reader (`inference/tables.py`) and the generator read the same rows of
`inference/data/table_lexicon.tsv`, so a new wording added there is both generated and read;
the generator keeps no second copy. Labels in the file carry their numbering (`1.属于国家秘密`)
as variants; `printed` returns the bare label a table cell shows (numbering added by the layout).
"""

from __future__ import annotations

import random
import re
from functools import cache

from inference.lexicon import DIGIT_ITEM, ORDINAL_ITEM, PAREN_ITEM, SUBITEM_LEAD
from inference.tables import LexiconEntry, load_lexicon

_NUMBERED = re.compile(rf"^(?:{SUBITEM_LEAD})?(?:{PAREN_ITEM}|{ORDINAL_ITEM}|{DIGIT_ITEM})")
_NOTE = re.compile(r"[(（][^()（）]*[)）]$")


@cache
def _entries(table: str) -> dict[str, list[LexiconEntry]]:
    out: dict[str, list[LexiconEntry]] = {}
    for entry in load_lexicon():
        if entry.table == table:
            out.setdefault(entry.key, []).append(entry)
    return out


def _entry(table: str, key: str, generation: str | None = None) -> LexiconEntry:
    candidates = _entries(table).get(key)
    if not candidates:
        raise KeyError(f"table_lexicon.tsv has no {table} row {key!r}")
    for entry in candidates:
        if entry.applies_to(generation):
            return entry
    return candidates[0]


@cache
def variants(table: str, key: str, generation: str | None = None) -> tuple[str, ...]:
    """Bare labels (no numbering, no trailing note) of one lexicon row, file order, distinct.

    >>> variants("t3", "partial")
    ('部分公开',)
    """
    labels = _entry(table, key, generation).labels
    unnumbered = [label for label in labels if not _NUMBERED.match(label)]
    out: list[str] = []
    for label in unnumbered or [_NUMBERED.sub("", label) for label in labels]:
        bare = label
        bare = _NOTE.sub("", bare) if _NOTE.search(bare) and not bare.startswith(("(", "（")) else bare
        if bare and bare not in out:
            out.append(bare)
    return tuple(out)


def printed(table: str, key: str, generation: str | None = None) -> str:
    """The label the national form prints for a row or column (first bare variant).

    >>> printed("t3", "new"), printed("t3col", "legal_service"), printed("t4", "upheld")
    ('本年新收政府信息公开申请数量', '法律服务机构', '结果维持')
    """
    return variants(table, key, generation)[0]


def any_variant(rng: random.Random, table: str, key: str, generation: str | None = None) -> str:
    """One of the row's bare labels, drawn by `rng` (old 附表 rows are printed in several ways)."""
    options = variants(table, key, generation)
    return options[rng.randrange(len(options))]


def old_label(field_id: str) -> str:
    """The old-template 附表 row label of a field (`applications.answered.granted` → `同意公开答复数`)."""
    return printed("old", field_id)


def prose_category(field_id: str) -> str:
    """An old-template row label as prose names the category (`同意公开答复数` → `同意公开`)."""
    label = old_label(field_id)
    for suffix in ("答复数", "数"):
        if label.endswith(suffix) and len(label) > len(suffix) + 1:
            return label[: -len(suffix)]
    return label


@cache
def category_words(field_id: str) -> tuple[str, ...]:
    """The prose lexicon's category words of a field (`applications.channel.fax` → `('传真',)`),
    from `inference/data/prose_lexicon.tsv`, regular-expression entries left out.

    >>> category_words("applications.channel.letter")[:2]
    ('信函', '信件')
    """
    from inference.prose import load_prose_lexicon

    for row in load_prose_lexicon():
        if row.kind == "field" and row.field == field_id:
            return tuple(w for w in row.keywords if not re.search(r"[\\\[\](){}?*+^$.]", w))
    raise KeyError(f"prose_lexicon.tsv has no field row {field_id!r}")


@cache
def metric_words(family: str) -> tuple[str, ...]:
    """The words a sentence frame may use for a family's METRIC (`review` → `('行政复议',)`): the
    first two metric keywords of `inference/data/prose_lexicon.tsv` of three or more characters
    (the first alone if none is).

    >>> metric_words("interviews")
    ('在线访谈', '线上访谈')
    """
    from inference.prose import load_prose_lexicon

    for row in load_prose_lexicon():
        if row.kind == "metric" and row.family == family:
            words = tuple(w for w in row.keywords[:2] if len(w) >= 3)
            return words or row.keywords[:1]
    raise KeyError(f"prose_lexicon.tsv has no metric row for {family!r}")


def metric_word(rng: random.Random, family: str) -> str:
    """A family's METRIC word for a frame: the lexicon's first 70% of the time, else the second."""
    words = metric_words(family)
    return words[0] if len(words) == 1 or rng.random() < 0.7 else words[1]
