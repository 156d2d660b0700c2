"""The tagger: a transformers token-classification model over characters.

One token per character: a report's normalised text is cut into overlapping windows
(`text_to_windows`), each window is encoded as `[CLS] c1 … cn [SEP]` through a character
vocabulary (`CharVocab`, saved as `char_vocab.json` next to the model), and every character
takes the label distribution of the window in which it sits most centrally (`stitch_windows`).
Label distributions become spans with the model's `LabelDecoder` (Viterbi over label bigrams
counted on its training tags) or, for models saved without one, `probs_to_spans`. Assembling
spans into records is left to `inference.assemble`.

The encoder runs in ONNX Runtime where the model directory has a current `model.onnx`
(`inference.tag_onnx`; `gia train` writes it), else in torch (`inference.tag_torch`: its own
compact BERT forward pass, or transformers for other architectures). This module imports neither
torch nor transformers itself. Each character's labels come from one window only, so the encoder's
last layer computes only the positions whose labels are used.

Example: `char_tags_to_spans("共342件", ["O", "B-COUNT", "I-COUNT", "I-COUNT", "I-COUNT"])`
-> `[Span(1, 5, "COUNT", "342件")]`.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from inference import LABELS
from inference.errors import UserError
from inference.records import Span
from inference.tag_onnx import OnnxEncoder, load_onnx_encoder

logger = logging.getLogger(__name__)

VOCAB_FILE = "char_vocab.json"
TAGGER_FILE = "tagger.json"
VOCAB_FORMAT = "gia-char-vocab/1"
SPECIAL_TOKENS: tuple[str, ...] = ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]")
BIO_LABELS: tuple[str, ...] = ("O",) + tuple(f"{prefix}-{label}" for label in LABELS for prefix in "BI")
"""The model's label list: `O`, then `B-`/`I-` for each of `inference.LABELS`."""

DEFAULT_WINDOW = 254
"""Characters per window; with [CLS]/[SEP] a window is 256 positions."""


@dataclass(frozen=True)
class CharVocab:
    """Character → token id. Characters missing from `tokens` and `aliases` map to `[UNK]`.

    `tokens[i]` is the token with id `i` (a single character or a special token);
    `aliases` maps characters to another token (used when a base model's vocabulary has no
    token for `\\n` or `\\t`, or only lower-case letters).
    """

    tokens: tuple[str, ...]
    aliases: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        index = {token: i for i, token in enumerate(self.tokens)}
        for special in ("[PAD]", "[UNK]", "[CLS]", "[SEP]"):
            if special not in index:
                raise UserError(f"character vocabulary lacks the special token {special}")
        for char, target in self.aliases:
            index.setdefault(char, index[target])
        object.__setattr__(self, "_index", index)

    @property
    def index(self) -> dict[str, int]:
        return self._index  # type: ignore[attr-defined]

    @property
    def pad_id(self) -> int:
        return self.index["[PAD]"]

    @property
    def unk_id(self) -> int:
        return self.index["[UNK]"]

    @property
    def cls_id(self) -> int:
        return self.index["[CLS]"]

    @property
    def sep_id(self) -> int:
        return self.index["[SEP]"]

    def __len__(self) -> int:
        return len(self.tokens)

    def encode(self, text: str) -> list[int]:
        """One id per character: `encode("a?") -> [id("a"), unk_id]` when `?` is unknown."""
        index, unk = self.index, self.unk_id
        return [index.get(char, unk) for char in text]

    def save(self, model_dir: str | Path) -> Path:
        path = Path(model_dir) / VOCAB_FILE
        payload = {"format": VOCAB_FORMAT, "tokens": list(self.tokens), "aliases": dict(self.aliases)}
        path.write_text(json.dumps(payload, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
        return path

    @classmethod
    def load(cls, model_dir: str | Path) -> CharVocab:
        path = Path(model_dir) / VOCAB_FILE
        try:
            payload = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise UserError(f"{path}: cannot read the character vocabulary ({exc})") from exc
        if payload.get("format") != VOCAB_FORMAT:
            raise UserError(
                f"{path}: unknown vocabulary format {payload.get('format')!r}, expected {VOCAB_FORMAT}"
            )
        return cls(tokens=tuple(payload["tokens"]), aliases=tuple(sorted(payload.get("aliases", {}).items())))


def text_to_windows(length: int, window: int, stride: int) -> list[tuple[int, int]]:
    """Windows `[start, end)` of at most `window` characters, `stride` apart, covering `range(length)`.

    The last window is shifted left to end at `length`, so no window is shorter than needed:
    `text_to_windows(10, 4, 3) -> [(0, 4), (3, 7), (6, 10)]`.
    """
    if window <= 0 or stride <= 0:
        raise ValueError(f"window ({window}) and stride ({stride}) must be positive")
    if length <= window:
        return [(0, length)] if length else []
    starts = list(range(0, length - window, stride))
    starts.append(length - window)
    out: list[tuple[int, int]] = []
    for start in starts:
        if not out or out[-1][0] != start:
            out.append((start, start + window))
    return out


def stitch_windows(
    length: int, windows: Sequence[tuple[int, int]], probs: Sequence[np.ndarray]
) -> np.ndarray:
    """Per-character label distributions, each taken from the window where the character is most central.

    `probs[k]` has shape `(end - start, num_labels)` for `windows[k]`; ties go to the earlier window.
    """
    if not windows:
        return np.zeros((0, probs[0].shape[1] if len(probs) else len(BIO_LABELS)), dtype=np.float32)
    out = np.zeros((length, probs[0].shape[1]), dtype=np.float32)
    best = np.full(length, -1, dtype=np.int64)
    for (start, end), window_probs in zip(windows, probs, strict=True):
        positions = np.arange(start, end)
        centrality = np.minimum(positions - start, end - 1 - positions)
        better = centrality > best[start:end]
        out[start:end][better] = window_probs[better]
        best[start:end][better] = centrality[better]
    if (best < 0).any():
        raise ValueError("windows do not cover every character")
    return out


def window_owners(length: int, windows: Sequence[tuple[int, int]]) -> list[np.ndarray]:
    """Per window, the characters (absolute offsets) whose labels `stitch_windows` takes from it.

    `window_owners(10, [(0, 6), (4, 10)]) -> [array([0, 1, 2, 3, 4]), array([5, 6, 7, 8, 9])]`
    (character 4 is equally central in both; ties go to the earlier window).
    """
    best = np.full(length, -1, dtype=np.int64)
    owner = np.full(length, -1, dtype=np.int64)
    for k, (start, end) in enumerate(windows):
        positions = np.arange(start, end)
        centrality = np.minimum(positions - start, end - 1 - positions)
        better = centrality > best[start:end]
        best[start:end][better] = centrality[better]
        owner[start:end][better] = k
    if (owner < 0).any():
        raise ValueError("windows do not cover every character")
    order = np.argsort(owner, kind="stable")
    cuts = np.searchsorted(owner[order], np.arange(1, len(windows)))
    return np.split(order, cuts)


def spans_to_char_tags(length: int, spans: Sequence[Span]) -> list[str]:
    """BIO tag per character.

    `spans_to_char_tags(4, [Span(1, 3, "COUNT", "42")]) -> ["O", "B-COUNT", "I-COUNT", "O"]`.

    Overlapping spans are an annotation error (`ValueError` naming both).
    """
    tags = ["O"] * length
    owner: list[Span | None] = [None] * length
    for span in sorted(spans, key=lambda s: (s.start, s.end)):
        if not 0 <= span.start < span.end <= length:
            raise ValueError(f"span {span} lies outside a text of {length} characters")
        for i in range(span.start, span.end):
            if owner[i] is not None:
                raise ValueError(f"spans overlap: {owner[i]} and {span}")
            owner[i] = span
            tags[i] = ("B-" if i == span.start else "I-") + span.label
    return tags


def entity_probs(probs: np.ndarray, labels: Sequence[str]) -> tuple[list[str], np.ndarray]:
    """Entities `X` of the label set and per-character columns `[P(O), P(B-X) + P(I-X), …]`."""
    index = {label: i for i, label in enumerate(labels)}
    entities = [label[2:] for label in labels if label.startswith("B-")]
    columns = [probs[:, index["O"]]]
    for entity in entities:
        columns.append(
            probs[:, index[f"B-{entity}"]] + probs[:, index.get(f"I-{entity}", index[f"B-{entity}"])]
        )
    return entities, np.stack(columns, axis=1)


def probs_to_spans(text: str, probs: np.ndarray, labels: Sequence[str]) -> list[Span]:
    """Spans from per-character label distributions, decoded as runs of the same entity label.

    Each character's entity label is the argmax of `P(O)` against `P(B-X) + P(I-X)` for every X;
    a maximal run of characters with the same label is one span (B/I only tell where a run may
    split, and a small model learns that distinction last: argmax over B/I fragments `6923条`
    into `6`, `9`, `23条`). Two same-label spans need something between them, which the labelling
    conventions guarantee (cell separators, `、`, words); a collapsed digit run is one COUNT anyway.
    Score = mean of the run's summed label probabilities.
    """
    entities, merged = entity_probs(probs, labels)
    best = merged.argmax(axis=1)
    tags, previous = [], 0
    for choice in best:
        if choice == 0:
            tags.append("O")
        else:
            tags.append(("I-" if choice == previous else "B-") + entities[choice - 1])
        previous = choice
    return char_tags_to_spans(text, tags, merged.max(axis=1).tolist())


def char_tags_to_spans(text: str, tags: Sequence[str], scores: Sequence[float] | None = None) -> list[Span]:
    """Spans from BIO tags (an `I-X` after `O` or another label opens a new span, as seqeval does).

    A span's score is the mean of its characters' `scores` (1.0 when none are given).
    """
    spans: list[Span] = []
    start, label = -1, ""

    def close(end: int) -> None:
        if start >= 0:
            score = float(np.mean(scores[start:end])) if scores is not None else 1.0
            spans.append(Span(start=start, end=end, label=label, text=text[start:end], score=round(score, 4)))

    for i, tag in enumerate(tags):
        prefix, _, tag_label = tag.partition("-")
        if prefix == "I" and start >= 0 and tag_label == label:
            continue
        close(i)
        start, label = (i, tag_label) if prefix in ("B", "I") else (-1, "")
    close(len(tags))
    return spans


_DIGIT_GROUP = re.compile(r"(?<=\d)[,，](?=\d{3}(?!\d))")
"""A thousands separator inside a number (`1,003`, `12，345`): the number is one span."""


def digit_joins(text: str) -> np.ndarray:
    """`joins[i]` is True when `text[i]` continues the number `text[i-1]` is in: both are ASCII
    digits, or one is a thousands separator (`1,003`: a span never starts at `,` or `003`)."""
    digits = np.array([c in "0123456789" for c in text], dtype=bool)
    joins = np.zeros(len(text), dtype=bool)
    joins[1:] = digits[1:] & digits[:-1]
    for m in _DIGIT_GROUP.finditer(text):
        joins[m.start() : m.end() + 1] = True
    return joins


@dataclass(frozen=True)
class LabelDecoder:
    """Viterbi decoding of per-character label distributions with label-bigram transitions.

    The model gives `P(label | context)` per character independently, so its argmax fragments
    spans (`行政复议` → `行` + `复议`) and cannot split adjacent same-label spans. This decoder
    finds the best label sequence under the hybrid-HMM score (the standard way to put a
    posterior-trained classifier into a sequence model):

        sum_i log P(y_i | x) - prior_weight * log P(y_i) + transition_weight * log P(y_i | y_{i-1})

    with the prior and bigram probabilities counted on the training tags (`from_tag_sequences`);
    `I-X` may only follow `B-X`/`I-X`. Weights 0.5/0.5 were chosen on the dev reports (see
    `models/README.md`). Saved in `tagger.json` under `"decoder"`; models without one fall back
    to `probs_to_spans`.
    """

    labels: tuple[str, ...]
    log_prior: tuple[float, ...]
    log_transitions: tuple[tuple[float, ...], ...]
    prior_weight: float = 0.5
    transition_weight: float = 0.5

    @classmethod
    def from_tag_sequences(
        cls,
        labels: Sequence[str],
        sequences: Iterable[Sequence[str]],
        *,
        smoothing: float = 0.1,
        **weights: float,
    ) -> LabelDecoder:
        """Count label unigrams and bigrams (add-`smoothing`, which must be > 0) over BIO tag sequences."""
        if smoothing <= 0:
            raise ValueError(f"smoothing must be positive, got {smoothing}")
        index = {label: i for i, label in enumerate(labels)}
        k = len(labels)
        bigrams = np.full((k, k), smoothing)
        unigrams = np.full(k, smoothing)
        for tags in sequences:
            ids = np.array([index[tag] for tag in tags], dtype=np.int64)
            if not len(ids):
                continue
            np.add.at(unigrams, ids, 1)
            np.add.at(bigrams, (ids[:-1], ids[1:]), 1)
        log_prior = np.log(unigrams / unigrams.sum())
        log_transitions = np.log(bigrams / bigrams.sum(axis=1, keepdims=True))
        return cls(
            labels=tuple(labels),
            log_prior=tuple(round(float(v), 5) for v in log_prior),
            log_transitions=tuple(tuple(round(float(v), 5) for v in row) for row in log_transitions),
            **weights,
        )

    def to_json(self) -> dict:
        return {
            "labels": list(self.labels),
            "log_prior": list(self.log_prior),
            "log_transitions": [list(row) for row in self.log_transitions],
            "prior_weight": self.prior_weight,
            "transition_weight": self.transition_weight,
        }

    @classmethod
    def from_json(cls, payload: dict) -> LabelDecoder:
        decoder = cls(
            labels=tuple(payload["labels"]),
            log_prior=tuple(float(v) for v in payload["log_prior"]),
            log_transitions=tuple(tuple(float(v) for v in row) for row in payload["log_transitions"]),
            prior_weight=float(payload.get("prior_weight", 0.5)),
            transition_weight=float(payload.get("transition_weight", 0.5)),
        )
        k = len(decoder.labels)
        if (
            len(decoder.log_prior) != k
            or any(len(row) != k for row in decoder.log_transitions)
            or len(decoder.log_transitions) != k
        ):
            raise ValueError(f"decoder tables do not match its {k} labels")
        return decoder

    @cached_property
    def _transition_tables(self) -> tuple[np.ndarray, np.ndarray]:
        """Weighted log transitions: `(anywhere, inside a number)`; forbidden moves are -1e9.

        `I-X` may only follow `B-X` or `I-X`; inside a number (between two digits) a span may
        neither start nor end, so only `O`→`O` and moves into `I-X` remain.
        """
        impossible = -1e9
        k = len(self.labels)
        allowed = np.ones((k, k), dtype=bool)
        for j, label in enumerate(self.labels):
            if label.startswith("I-"):
                allowed[:, j] = [p[2:] == label[2:] and p[:2] in ("B-", "I-") for p in self.labels]
        is_inside = np.array([label.startswith("I-") for label in self.labels])
        is_o = np.array([label == "O" for label in self.labels])
        continues = allowed & (is_inside[None, :] | (is_o[:, None] & is_o[None, :]))
        transitions = np.where(allowed, self.transition_weight * np.array(self.log_transitions), impossible)
        return transitions, np.where(continues, transitions, impossible)

    def best_path(self, probs: np.ndarray, joined: np.ndarray | None = None) -> np.ndarray:
        """Label ids of the highest-scoring sequence for `probs` (shape `(n, len(labels))`).

        `joined[i]` (optional, bool): characters `i-1` and `i` belong together (two digits of one
        number), so no span may start or end between them.
        """
        n, k = probs.shape
        if k != len(self.labels):
            raise ValueError(f"probabilities have {k} labels, the decoder {len(self.labels)}")
        if not n:
            return np.zeros(0, dtype=np.int64)
        impossible = -1e9
        transitions, inside = self._transition_tables
        joined = np.zeros(n, dtype=bool) if joined is None else joined
        emissions = np.log(np.clip(probs, 1e-9, 1.0)) - self.prior_weight * np.array(self.log_prior)
        starts_inside = np.array([label.startswith("I-") for label in self.labels])
        score = emissions[0] + np.where(starts_inside, impossible, 0.0)
        back = np.zeros((n, k), dtype=np.int64)
        columns = np.arange(k)
        for i in range(1, n):
            candidates = score[:, None] + (inside if joined[i] else transitions)
            back[i] = candidates.argmax(axis=0)
            score = candidates[back[i], columns] + emissions[i]
        path = np.zeros(n, dtype=np.int64)
        path[-1] = int(score.argmax())
        for i in range(n - 1, 0, -1):
            path[i - 1] = back[i, path[i]]
        return path

    def best_paths(self, probs: Sequence[np.ndarray], joined: Sequence[np.ndarray]) -> list[np.ndarray]:
        """`best_path` of several sequences, stepping through all of them at once.

        The same float64 operations as `best_path`, batched over the sequences (a sequence that has
        ended keeps its score), so the paths are identical; one numpy step per position instead of
        one per position and sequence is what makes it faster.
        """
        k = len(self.labels)
        if any(p.shape[1] != k for p in probs):
            raise ValueError(f"probabilities must have the decoder's {k} labels")
        lengths = np.array([len(p) for p in probs], dtype=np.int64)
        longest = int(lengths.max(initial=0))
        if not longest:
            return [np.zeros(0, dtype=np.int64) for _ in probs]
        impossible = -1e9
        transitions, inside = self._transition_tables
        emissions = np.zeros((len(probs), longest, k))
        joins = np.zeros((len(probs), longest), dtype=bool)
        prior = self.prior_weight * np.array(self.log_prior)
        for t, (p, j) in enumerate(zip(probs, joined, strict=True)):
            emissions[t, : len(p)] = np.log(np.clip(p, 1e-9, 1.0)) - prior
            joins[t, : len(p)] = j
        starts_inside = np.array([label.startswith("I-") for label in self.labels])
        score = emissions[:, 0] + np.where(starts_inside, impossible, 0.0)
        back = np.zeros((len(probs), longest, k), dtype=np.int64)
        tables = np.stack([transitions, inside])  # indexed by "joined" (0 or 1)
        steps = joins.astype(np.int64)
        shortest = int(lengths.min())
        for i in range(1, longest):
            candidates = score[:, :, None] + tables[steps[:, i]]
            back[:, i] = candidates.argmax(axis=1)
            # the max is the candidate at the argmax: the same float as gathering it
            stepped = candidates.max(axis=1) + emissions[:, i]
            score = stepped if i < shortest else np.where((lengths > i)[:, None], stepped, score)
        return [self._backtrack(back[t], score[t], int(n)) for t, n in enumerate(lengths)]

    @staticmethod
    def _backtrack(back: np.ndarray, score: np.ndarray, n: int) -> np.ndarray:
        path = np.zeros(n, dtype=np.int64)
        if n:
            path[-1] = int(score.argmax())
            for i in range(n - 1, 0, -1):
                path[i - 1] = back[i, path[i]]
        return path

    def decode(self, text: str, probs: np.ndarray) -> list[Span]:
        """Spans of the best path; a span's score is the mean of its characters' `P(B-X) + P(I-X)`.

        Spans never cut a run of ASCII digits: `2017年` is one count or none, never `2` + `17`.
        """
        return self.path_to_spans(text, probs, self.best_path(probs, digit_joins(text)))

    def decode_batch(self, texts: Sequence[str], probs: Sequence[np.ndarray]) -> list[list[Span]]:
        """`decode` of several texts (through `best_paths`)."""
        paths = self.best_paths(probs, [digit_joins(text) for text in texts])
        return [self.path_to_spans(*args) for args in zip(texts, probs, paths, strict=True)]

    def path_to_spans(self, text: str, probs: np.ndarray, path: np.ndarray) -> list[Span]:
        """Spans of a label path, scored by the mean of their characters' `P(B-X) + P(I-X)`."""
        tags = [self.labels[i] for i in path]
        entities, merged = entity_probs(probs, self.labels)
        column = {entity: c + 1 for c, entity in enumerate(entities)}
        scores = [merged[i, column[tag[2:]]] if tag != "O" else 0.0 for i, tag in enumerate(tags)]
        return char_tags_to_spans(text, tags, scores)


class ModelTagger:
    """Tags normalised texts with a character-level token classifier (see the module docstring)."""

    def __init__(
        self,
        model: Any,
        vocab: CharVocab,
        *,
        window: int = DEFAULT_WINDOW,
        stride: int | None = None,
        batch_size: int = 32,
        decoder: LabelDecoder | None = None,
    ) -> None:
        """`model`: an `OnnxEncoder`, a `tag_torch.CompactBert` or a transformers token classifier."""
        self.model = model if isinstance(model, OnnxEncoder) else model.eval()
        self.vocab = vocab
        self.window = window
        self.stride = stride or max(1, window // 2)
        self.batch_size = batch_size
        id2label = {int(k): v for k, v in model.config.id2label.items()}
        self.labels = tuple(id2label[i] for i in range(len(id2label)))
        if decoder is not None and decoder.labels != self.labels:
            raise UserError(f"decoder labels {decoder.labels} differ from the model's {self.labels}")
        self.decoder = decoder
        unknown = [label for label in self.labels if label != "O" and label[2:] not in LABELS]
        if unknown:
            raise UserError(f"model labels {unknown} are not in {LABELS}")

    def predict_probs(self, texts: list[str]) -> list[np.ndarray]:
        """Label distribution per character, shape `(len(text), num_labels)`, for each text.

        Each character's distribution comes from the window where it is most central
        (`window_owners`, the rule of `stitch_windows`).
        """
        jobs: list[tuple[int, int, int, np.ndarray]] = []
        for t, text in enumerate(texts):
            windows = text_to_windows(len(text), self.window, self.stride)
            owners = window_owners(len(text), windows) if windows else []
            jobs.extend((t, start, end, own) for (start, end), own in zip(windows, owners, strict=True))
        out = [np.zeros((len(text), len(self.labels)), dtype=np.float32) for text in texts]
        # Longest windows first so each batch pads little.
        jobs.sort(key=lambda job: job[2] - job[1], reverse=True)
        for b in range(0, len(jobs), self.batch_size):
            batch = jobs[b : b + self.batch_size]
            for (t, _, _, own), probs in zip(batch, self._owned_probs(texts, batch), strict=True):
                out[t][own] = probs[: len(own)]
        return out

    def _owned_probs(self, texts: list[str], batch: list[tuple[int, int, int, np.ndarray]]) -> np.ndarray:
        """Label distributions `(windows, n, labels)` of each window's owned characters (padded to n)."""
        inputs = self.window_inputs(texts, batch)
        if isinstance(self.model, OnnxEncoder):
            return self.model.owned_probs(*inputs)
        from inference.tag_torch import owned_probs

        return owned_probs(self.model, *inputs)

    def window_inputs(
        self, texts: list[str], batch: list[tuple[int, int, int, np.ndarray]]
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The encoder's inputs for a batch of windows `(text index, start, end, owned offsets)`:
        token ids and attention mask `(windows, width)` ([CLS] … [SEP], padded), and the positions
        of each window's owned characters `(windows, n)` (int64 arrays)."""
        width = max(end - start for _, start, end, _ in batch) + 2
        input_ids = np.full((len(batch), width), self.vocab.pad_id, dtype=np.int64)
        attention = np.zeros((len(batch), width), dtype=np.int64)
        n = max(1, max(len(own) for *_, own in batch))
        rows = np.zeros((len(batch), n), dtype=np.int64)
        for row, (t, start, end, own) in enumerate(batch):
            ids = [self.vocab.cls_id, *self.vocab.encode(texts[t][start:end]), self.vocab.sep_id]
            input_ids[row, : len(ids)] = ids
            attention[row, : len(ids)] = 1
            # the [CLS] token shifts positions by one; padding repeats a real row, its output is unused
            rows[row, : len(own)] = own - start + 1
            rows[row, len(own) :] = rows[row, len(own) - 1] if len(own) else 1
        return input_ids, attention, rows

    def tag_batch(self, texts: list[str]) -> list[list[Span]]:
        """Spans (offsets into each normalised text), decoded by the model's `LabelDecoder` if it
        has one, else by `probs_to_spans`."""
        all_probs = self.predict_probs(texts)
        if self.decoder is not None:
            return self.decoder.decode_batch(texts, all_probs)
        pairs = zip(texts, all_probs, strict=True)
        return [probs_to_spans(text, probs, self.labels) if text else [] for text, probs in pairs]


def load_tagger(model_dir: str | Path, *, batch_size: int = 32, compact: bool = True) -> ModelTagger:
    """Load a model directory written by `gia train` (safetensors weights only, never pickles).

    The encoder runs in ONNX Runtime where the directory has a current `model.onnx`
    (`tag_onnx.load_onnx_encoder`), else in torch. `compact=False` runs
    it through transformers even where `CompactBert` could (never ONNX).
    """
    model_dir = Path(model_dir)
    if not model_dir.is_dir():
        raise UserError(
            f"model directory {model_dir} does not exist; train one with "
            f"`gia train --output {model_dir}` or pass --model DIR"
        )
    missing = [
        name for name in ("config.json", "model.safetensors", VOCAB_FILE) if not (model_dir / name).is_file()
    ]
    if missing:
        raise UserError(f"{model_dir} is not a gia model directory: missing {', '.join(missing)}")
    vocab = CharVocab.load(model_dir)
    settings: dict = {}
    if (model_dir / TAGGER_FILE).is_file():
        try:
            settings = json.loads((model_dir / TAGGER_FILE).read_text(encoding="utf-8"))
        except ValueError as exc:
            raise UserError(f"{model_dir / TAGGER_FILE}: invalid JSON ({exc})") from exc
    decoder = None
    if settings.get("decoder"):
        try:
            decoder = LabelDecoder.from_json(settings["decoder"])
        except (KeyError, TypeError, ValueError) as exc:
            raise UserError(f"{model_dir / TAGGER_FILE}: invalid decoder ({exc})") from exc
    config = read_model_config(model_dir)
    model: Any = load_onnx_encoder(model_dir, config) if compact else None
    if model is None:
        from inference.tag_torch import load_model

        model = load_model(model_dir, config, compact=compact)
    embeddings = (
        model.vocab_size if hasattr(model, "vocab_size") else model.get_input_embeddings().num_embeddings
    )
    if embeddings < len(vocab):
        raise UserError(f"{model_dir}: {VOCAB_FILE} has more tokens than the model's embeddings")
    return ModelTagger(
        model,
        vocab,
        window=int(settings.get("window", DEFAULT_WINDOW)),
        stride=settings.get("stride"),
        batch_size=batch_size,
        decoder=decoder,
    )


def read_model_config(model_dir: Path) -> dict[str, Any]:
    """`model_dir/config.json` (transformers' model config) as a dict (`UserError` where unreadable)."""
    try:
        config = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UserError(f"{model_dir / 'config.json'}: cannot read the model config ({exc})") from exc
    if not isinstance(config, dict):
        raise UserError(f"{model_dir / 'config.json'}: not a JSON object")
    return config
