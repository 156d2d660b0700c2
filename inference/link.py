"""The learned field linker: which catalogue field a COUNT span states, read from its context.

The token classifier (`inference.tag`) says *where* counts are; this model says *what* each one
counts. It is a small second model (fastText-style: bags of hashed character n-grams, each region
of the context pooled to its own mean embedding → one hidden layer → softmax), trained by
`training.linker` on annotated reports whose COUNT spans carry `field` (hand annotations, silver
from `gia annotate --from-gold`, generated reports). A saved linker is an ensemble of a few such
models trained with different seeds, their probabilities averaged: one alone varies with its seed
by ±0.01–0.02 field F1 on held-out folds. Two heads share the featuriser:

- `count`: one class per field id seen in training (`+` combinations included) plus `""` (the count
  states no catalogue field: a plan, another year, a channel outside the catalogue …);
- `none`: for each *none cue* (`没有`, `未`, `无` … outside tables), which fields the clause states
  as zero (convention 4), one sigmoid per field: `未发生行政复议和行政诉讼` → review.total,
  litigation.total.

Features are regions of the normalised text around the span, each hashed in its own namespace so
that the same characters mean different things before and after a count: the clause before it,
the sentence before that, the few characters right before it, the rest of its clause after it,
its section heading, its unit and the template generation, plus the two and four characters
right before and after it as whole strings (which of two nearby category words qualifies it).
A none cue reads more of its clause after it (`cue_right_chars`). The regions are pooled apart
(`LinkerConfig.regions`: near words, the clause, the wider context), so a long sentence before a
count does not drown its short clause. Inference is numpy only (weights are read with
safetensors); training is torch.

Files in a model directory (`linker.json`, `linker.safetensors`); `load_linker(dir)` returns None
when a directory has no linker (older models: the lexicons then link alone).

Example: `span_features("全年共受理申请105件。", 7, 11, "pre2019")[:3]` ->
`['t|pre2019', 'u|件', 'c|全']`.
"""

from __future__ import annotations

import json
import re
import zlib
from dataclasses import asdict, dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

from inference.errors import UserError
from inference.lexicon import CN_DIGITS, CN_SMALL_SCALES, PAREN_ORDINAL, SECTION_NUMBER, units
from inference.prose import CLAUSE_BREAK, NEGATION, NEGATION_SKIP, SENTENCE_BREAK
from inference.records import Span

LINKER_FILE = "linker.json"
LINKER_WEIGHTS = "linker.safetensors"
LINKER_FORMAT = "gia-field-linker/1"
NONE_FIELD = ""
"""The class of counts that state no catalogue field."""

MONEY_UNITS = frozenset(u.unit for u in units() if u.base == "元")
# the unit after a number, Arabic or 汉字: `30万元` and `三十万元` both → `万元`, `一百零五件` → `件`
_UNIT = re.compile(rf"[^\d.,，\s+\-−约余多{CN_DIGITS}{CN_SMALL_SCALES}]+$")
_HEADING_LINE = re.compile(rf"(?:^|\n)\s*((?:{SECTION_NUMBER}|{PAREN_ORDINAL})[^\n]{{0,40}})")


@dataclass(frozen=True)
class LinkerConfig:
    """Featuriser and model sizes; saved in `linker.json` so a model is read as it was trained."""

    buckets: int = 1 << 15  # k-fold: 2^15 scored like 2^16 (prose non-zero 0.859 vs 0.848), half the weights
    dim: int = 48
    hidden: int = 96
    clause_chars: int = 40
    sentence_chars: int = 60
    near_chars: int = 6
    right_chars: int = 16
    heading_chars: int = 30
    cue_right_chars: int = 48  # a none cue's clause after it (`未出现因…而被申请行政复议的情况`)
    hint_dim: int = 16
    # feature regions pooled separately, then joined: a long sentence before a count does not drown
    # its short clause (k-fold: see models/README.md). "" pools every feature into one mean (older
    # linkers). Regions are '|'-separated strings of feature namespaces (the letter before `|`).
    regions: str = "tunabk|cr|sh"


def _grams(text: str, sizes: tuple[int, ...]) -> list[str]:
    return [text[i : i + n] for n in sizes for i in range(len(text) - n + 1)]


def _last_break(text: str, pattern: re.Pattern[str], lo: int, hi: int) -> int:
    """Offset just after the last match of `pattern` in `text[lo:hi]`, else `lo`."""
    cut = lo
    for match in pattern.finditer(text, lo, hi):
        cut = match.end()
    return cut


def _heading_before(text: str, pos: int, cfg: LinkerConfig) -> str:
    lo = max(0, pos - 3000)
    last = ""
    for match in _HEADING_LINE.finditer(text, lo, pos):
        last = match.group(1)
    return last[: cfg.heading_chars]


def _unit_of(span_text: str) -> str:
    match = _UNIT.search(span_text.strip())
    return match.group(0) if match else ""


def span_features(
    text: str,
    start: int,
    end: int,
    template: str | None,
    cfg: LinkerConfig = LinkerConfig(),
    hint: str | None = None,
    *,
    cue: bool = False,
) -> list[str]:
    """Feature strings (`region|ngram`) of the span `text[start:end]`; see the module docstring.

    `hint` is the hand-written lexicons' reading of the span (a field id, `""` for none), given where
    the lexicons run: the model learns when to trust it. None (model only) adds no hint feature.
    `cue`: the span is a none cue, whose clause after it (up to `cue_right_chars`) names what is none.
    """
    clause_start = _last_break(text, CLAUSE_BREAK, max(0, start - cfg.clause_chars), start)
    sentence_start = _last_break(
        text, SENTENCE_BREAK, max(0, clause_start - cfg.sentence_chars), clause_start
    )
    right_end = min(len(text), end + (cfg.cue_right_chars if cue else cfg.right_chars))
    clause_break = CLAUSE_BREAK.search(text, end, right_end)
    right = text[end : clause_break.start() if clause_break else right_end]
    clause = text[clause_start:start]
    unit = _unit_of(text[start:end])
    feats = [f"t|{template or '?'}", f"u|{unit}"]
    feats += [f"c|{g}" for g in _grams(clause, (1, 2, 3))]
    feats += [f"n|{g}" for g in _grams(text[max(clause_start, start - cfg.near_chars) : start], (1, 2))]
    feats += [f"s|{g}" for g in _grams(text[sentence_start:clause_start], (2, 3))]
    feats += [f"r|{g}" for g in _grams(right, (1, 2, 3))]
    feats += [f"h|{g}" for g in _grams(_heading_before(text, start, cfg), (2, 3))]
    # the words right next to the count, whole: which of two nearby category words qualifies it
    feats += [f"a|{clause[-k:]}" for k in (2, 4) if len(clause) >= k]
    feats += [f"b|{right[:k]}" for k in (2, 4) if len(right) >= k]
    if "其中" in clause or "其中" in text[sentence_start:clause_start][-8:]:
        feats.append("k|其中")
    if text[max(0, start - 1) : start] in "(（":
        feats.append("k|paren")
    if hint is not None:
        feats.append(f"L|{hint}")
    return feats


def split_hint(features: list[str], classes: tuple[str, ...]) -> tuple[list[str], int]:
    """The n-gram features, and the lexicons' reading (`L|field`) as an index into the hint table:
    the field's class index, `len(classes)` for no reading, `len(classes) + 1` for an unknown field.

    The hint has a table of its own rather than a bucket among the pooled n-grams, where its one
    vote would be averaged away among a hundred others.
    """
    grams = [f for f in features if not f.startswith("L|")]
    hints = [f[2:] for f in features if f.startswith("L|")]
    if not hints:
        return grams, len(classes)
    return grams, classes.index(hints[0]) if hints[0] in classes else len(classes) + 1


def hash_features(features: list[str], buckets: int) -> np.ndarray:
    """Stable bucket ids (crc32) of feature strings, shape `(len(features),)`, dtype int64."""
    return np.array([zlib.crc32(f.encode("utf-8")) % buckets for f in features], dtype=np.int64)


def region_features(features: list[str], regions: str) -> list[list[str]]:
    """`features` split by `LinkerConfig.regions` (one list per region, in order; a namespace named
    in no region goes to the first). `regions=""`: one list of all features."""
    if not regions:
        return [features]
    parts = regions.split("|")
    index = {ns: i for i, part in enumerate(parts) for ns in part}
    out: list[list[str]] = [[] for _ in parts]
    for feature in features:
        out[index.get(feature[:1], 0)].append(feature)
    return out


def region_count(cfg: LinkerConfig) -> int:
    """How many pooled vectors `cfg` joins: its regions, or 1."""
    return len(cfg.regions.split("|")) if cfg.regions else 1


def none_cues(text: str, covered: tuple[tuple[int, int], ...] = ()) -> list[Span]:
    """Candidate statements of none outside `covered`: a negation word whose clause has no digit.

    The cue is a rule (a pre-annotator); which fields the clause makes zero is the `none` head's call.
    """
    out = []
    for match in NEGATION.finditer(text):
        if any(a <= match.start() < b for a, b in covered):
            continue
        start, stop = cue_clause(text, match.start(), match.end())
        if re.search(r"\d", text[match.end() : stop]) or NEGATION_SKIP.search(text, start, stop):
            continue
        out.append(Span(match.start(), match.end(), "COUNT", match.group(0)))
    return out


def cue_clause(text: str, start: int, end: int) -> tuple[int, int]:
    """The clause of a none cue at `start:end` (from at most 40 characters before it): offsets."""
    clause_end = CLAUSE_BREAK.search(text, end)
    stop = clause_end.start() if clause_end else len(text)
    return _last_break(text, CLAUSE_BREAK, max(0, start - 40), start), stop


@dataclass(frozen=True)
class FieldGuess:
    """The count head's answer for one span: `field` ("" = no catalogue field) and its probability."""

    field: str
    prob: float


class FieldLinker:
    """Predicts fields for COUNT spans (`link`) and for none cues (`zeros`); numpy inference."""

    def __init__(
        self,
        cfg: LinkerConfig,
        count_classes: tuple[str, ...],
        none_classes: tuple[str, ...],
        weights: dict[str, np.ndarray] | list[dict[str, np.ndarray]],
        *,
        threshold: float = 0.5,
        none_threshold: float = 0.5,
        clear_threshold: float = 0.99,
        switch_threshold: float | None = None,
    ) -> None:
        self.cfg = cfg
        self.count_classes = count_classes
        self.none_classes = none_classes
        members = [weights] if isinstance(weights, dict) else list(weights)
        self.members = [{k: v.astype(np.float32) for k, v in m.items()} for m in members]
        self.threshold = threshold
        self.none_threshold = none_threshold
        self.clear_threshold = clear_threshold
        self.switch_threshold = threshold if switch_threshold is None else switch_threshold

    @cached_property
    def _money_mask(self) -> tuple[np.ndarray, np.ndarray]:
        """Class masks: which classes a money span (元) and a non-money span may take."""
        from inference.catalogue import get_field

        def is_money(field_id: str) -> bool:
            entry = get_field(field_id.split("+")[0]) if field_id else None
            return entry is not None and entry.unit in MONEY_UNITS

        money = np.array([c == NONE_FIELD or is_money(c) for c in self.count_classes])
        other = np.array([c == NONE_FIELD or not is_money(c) for c in self.count_classes])
        return money, other

    def _bags(self, rows: list[list[str]]) -> tuple[list[list[np.ndarray]], np.ndarray]:
        """Each row's bucket ids per region (empty regions included) and its hint index: the
        members share `cfg`, so this is done once for all of them."""
        bags, hints = [], np.zeros(len(rows), dtype=np.int64)
        for i, feats in enumerate(rows):
            grams, hints[i] = split_hint(feats, self.count_classes)
            parts = region_features(grams, self.cfg.regions)
            bags.append([hash_features(part, self.cfg.buckets) for part in parts])
        return bags, hints

    def _logits(
        self, w: dict[str, np.ndarray], head: str, bags: tuple[list[list[np.ndarray]], np.ndarray]
    ) -> np.ndarray:
        """One member's logits for `_bags(rows)`, shape `(len(rows), classes of head)`."""
        dim, regions = self.cfg.dim, region_count(self.cfg)
        ids_per_row, hints = bags
        pooled = np.zeros((len(ids_per_row), regions * dim), dtype=np.float32)
        for i, parts in enumerate(ids_per_row):
            for r, ids in enumerate(parts):
                if len(ids):  # an empty region pools to zeros, as torch's EmbeddingBag does
                    pooled[i, r * dim : (r + 1) * dim] = w["embedding"][ids].mean(axis=0)
        joined = np.concatenate([pooled, w["hint"][hints]], axis=1)
        hidden = np.maximum(joined @ w["hidden.weight"].T + w["hidden.bias"], 0.0)
        return hidden @ w[f"{head}.weight"].T + w[f"{head}.bias"]

    def count_probs(self, rows: list[list[str]], masks: np.ndarray) -> np.ndarray:
        """Class probabilities of count examples, the members' softmaxes averaged; `masks`
        (bool, `(len(rows), classes)`) rules classes out. Shape `(len(rows), len(count_classes))`."""
        total = np.zeros(masks.shape, dtype=np.float64)
        bags = self._bags(rows)
        for w in self.members:
            logits = np.where(masks, self._logits(w, "count", bags), -np.inf)
            probs = np.exp(logits - logits.max(axis=1, keepdims=True))
            total += probs / probs.sum(axis=1, keepdims=True)
        return total / len(self.members)

    def cue_probs(self, rows: list[list[str]]) -> np.ndarray:
        """Per none cue and field, the probability that the cue states it as zero (members averaged)."""
        bags = self._bags(rows)
        return np.mean([1.0 / (1.0 + np.exp(-self._logits(w, "none", bags))) for w in self.members], axis=0)

    def link(
        self, text: str, spans: list[Span], template: str | None, hints: list[str] | None = None
    ) -> list[FieldGuess]:
        """The most probable field of each COUNT span (unit-compatible classes only); `hints`: the
        lexicons' field per span (see `span_features`), or None."""
        if not spans:
            return []
        hints_: list[str | None] = list(hints) if hints is not None else [None] * len(spans)
        rows = [
            span_features(text, s.start, s.end, template, self.cfg, h)
            for s, h in zip(spans, hints_, strict=True)
        ]
        money, other = self._money_mask
        masks = np.array([money if _unit_of(s.text) in MONEY_UNITS else other for s in spans])
        out = []
        for probs in self.count_probs(rows, masks):
            best = int(probs.argmax())
            out.append(FieldGuess(self.count_classes[best], float(probs[best])))
        return out

    def zeros(self, text: str, cues: list[Span], template: str | None) -> list[list[FieldGuess]]:
        """For each none cue, the fields its clause states as zero (probability ≥ `none_threshold`)."""
        if not cues or not self.none_classes:
            return [[] for _ in cues]
        rows = [span_features(text, s.start, s.end, template, self.cfg, cue=True) for s in cues]
        probs = self.cue_probs(rows)
        return [
            [FieldGuess(self.none_classes[j], float(p[j])) for j in np.flatnonzero(p >= self.none_threshold)]
            for p in probs
        ]

    def to_json(self) -> dict:
        return {
            "format": LINKER_FORMAT,
            "config": asdict(self.cfg),
            "count_classes": list(self.count_classes),
            "none_classes": list(self.none_classes),
            "threshold": self.threshold,
            "none_threshold": self.none_threshold,
            "clear_threshold": self.clear_threshold,
            "switch_threshold": self.switch_threshold,
        }

    def save(self, model_dir: str | Path) -> None:
        """Write `linker.json` and `linker.safetensors` (float16 weights) into `model_dir`."""
        from safetensors.numpy import save_file

        model_dir = Path(model_dir)
        model_dir.mkdir(parents=True, exist_ok=True)
        (model_dir / LINKER_FILE).write_text(json.dumps(self.to_json(), ensure_ascii=False, indent=1) + "\n")
        tensors = {
            f"m{i}.{k}" if len(self.members) > 1 else k: v.astype(np.float16)
            for i, member in enumerate(self.members)
            for k, v in member.items()
        }
        save_file(tensors, str(model_dir / LINKER_WEIGHTS))


def load_linker(model_dir: str | Path) -> FieldLinker | None:
    """The linker saved in `model_dir`, or None if it has none. Raises `UserError` if it is unreadable."""
    from safetensors.numpy import load_file

    model_dir = Path(model_dir)
    path = model_dir / LINKER_FILE
    if not path.is_file():
        return None
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
        if meta.get("format") != LINKER_FORMAT:
            raise ValueError(f"format {meta.get('format')!r}, expected {LINKER_FORMAT!r}")
        weights = _members(load_file(str(model_dir / LINKER_WEIGHTS)))
        # linkers saved before these options pooled every feature as one and read cues like counts
        config = {"regions": "", "cue_right_chars": LinkerConfig.right_chars, **meta["config"]}
        return FieldLinker(
            LinkerConfig(**config),
            tuple(meta["count_classes"]),
            tuple(meta["none_classes"]),
            weights,
            threshold=float(meta["threshold"]),
            none_threshold=float(meta["none_threshold"]),
            clear_threshold=float(meta.get("clear_threshold", 0.99)),
            switch_threshold=meta.get("switch_threshold"),
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise UserError(f"{model_dir}: cannot load the field linker ({exc})") from exc


def _members(tensors: dict[str, np.ndarray]) -> list[dict[str, np.ndarray]]:
    """Saved tensors → one weight dict per ensemble member (`m0.embedding` …; unprefixed: one)."""
    if not all(re.match(r"m\d+\.", k) for k in tensors):
        return [tensors]
    out: dict[int, dict[str, np.ndarray]] = {}
    for key, value in tensors.items():
        index, name = key.split(".", 1)
        out.setdefault(int(index[1:]), {})[name] = value
    return [out[i] for i in sorted(out)]
