"""Turn annotated reports (annotation files and the synthetic generator) into a windowed `DatasetDict`.

Each report is normalised with the same `inference.normalize.normalize()` used at prediction time;
its spans are projected from original to normalised offsets, turned into one BIO tag per
character, and the text is cut into overlapping windows (`inference.tag.text_to_windows`). A window
is `[CLS] c1 … cn [SEP]` with labels `-100` on `[CLS]`/`[SEP]` (and on padding, added when
batching), the `run_ner.py` alignment rule. A report and all its windows go to exactly one split:
annotation reports by their file's configured split (or a stable hash of the id), generated
reports by the generator seed range they were drawn from. Model training is left to `training.train`.
"""

from __future__ import annotations

import bisect
import hashlib
import logging
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from inference import REPO_ROOT
from inference.errors import UserError
from inference.normalize import NormalizedText, normalize
from inference.records import Span
from inference.tag import BIO_LABELS, DEFAULT_WINDOW, CharVocab, spans_to_char_tags, text_to_windows
from training.annotations import AnnotatedReport

logger = logging.getLogger(__name__)

SPLITS: tuple[str, ...] = ("train", "dev", "test")
IGNORE_INDEX = -100
LABEL2ID = {label: i for i, label in enumerate(BIO_LABELS)}


@dataclass(frozen=True)
class Example:
    """One report ready for windowing: normalised text, spans in normalised offsets, and its split."""

    id: str
    text: str
    spans: tuple[Span, ...]
    split: str
    meta: dict[str, Any] = field(default_factory=dict)
    gold: dict[str, Any] | None = None


@dataclass(frozen=True)
class DataConfig:
    """Where examples come from and how they are windowed.

    `annotations` are JSONL files; `annotations_split` puts all of their reports in one split
    (`"train"`, `"dev"`, `"test"`) or hashes report ids (`"hash"`: 80/10/10). Generated reports use
    seeds `synth_seed + i` for train, `synth_seed + 1_000_000 + i` for dev and
    `synth_seed + 2_000_000 + i` for test, so no seed (hence no report) is in two splits.
    """

    annotations: tuple[str, ...] = ("annotations/seeds.jsonl",)
    annotations_split: str = "train"
    synth_train: int = 0
    synth_dev: int = 0
    synth_test: int = 0
    synth_seed: int = 1
    window: int = DEFAULT_WINDOW
    stride: int = 192
    inference_stride: int = 0
    """Stride of the windows at prediction time (`tagger.json`); 0: half the window."""
    exclude_ids: tuple[str, ...] = ()
    keep_unlabelled: float = 1.0  # share of training windows without any span that is kept (seeded)


def resolve_path(path: str | Path) -> Path:
    """A path as given if it exists, else relative to the repository root (configs name repo files)."""
    path = Path(path)
    if path.exists() or path.is_absolute():
        return path
    return REPO_ROOT / path


def project_span(doc: NormalizedText, start: int, end: int) -> tuple[int, int]:
    """Original `[start, end)` → the normalised characters whose original index lies inside it.

    Uses `doc.to_normalized` when the normaliser provides it; otherwise bisects the offset map
    (non-decreasing). An empty result means every character of the span was removed.
    """
    to_normalized = getattr(doc, "to_normalized", None)
    if to_normalized is not None:
        return to_normalized(start, end)
    offsets = doc.offsets[: len(doc.text)]
    return bisect.bisect_left(offsets, start), bisect.bisect_left(offsets, end)


def annotation_to_example(
    report_id: str,
    text: str,
    spans: Iterable[Any],
    *,
    split: str,
    meta: dict[str, Any] | None = None,
    gold: dict[str, Any] | None = None,
) -> Example:
    """Normalise a report; project its spans (objects or dicts with start/end/label) onto the result."""
    doc = normalize(text)
    projected = []
    for span in spans:
        start, end, label = (
            (span["start"], span["end"], span["label"])
            if isinstance(span, dict)
            else (span.start, span.end, span.label)
        )
        n_start, n_end = project_span(doc, start, end)
        if n_end <= n_start:
            logger.warning("%s: span [%d:%d] %s vanished in normalisation", report_id, start, end, label)
            continue
        projected.append(Span(n_start, n_end, label, doc.text[n_start:n_end]))
    return Example(
        id=report_id, text=doc.text, spans=tuple(projected), split=split, meta=dict(meta or {}), gold=gold
    )


def hash_split(report_id: str) -> str:
    """Stable 80/10/10 split by report id (independent of Python's hash seed)."""
    bucket = int(hashlib.sha1(report_id.encode("utf-8")).hexdigest(), 16) % 10
    return "dev" if bucket == 8 else "test" if bucket == 9 else "train"


def load_annotation_examples(
    path: str | Path, *, split: str, exclude_ids: Sequence[str] = ()
) -> list[Example]:
    """Examples from one annotation JSONL file (validated by `training.annotations.load_annotations`)."""
    from training.annotations import load_annotations

    if split not in SPLITS + ("hash",):
        raise UserError(f"annotations_split must be one of {SPLITS + ('hash',)}, got {split!r}")
    path = resolve_path(path)
    if not path.is_file():
        raise UserError(f"annotation file {path} does not exist")
    out = []
    for report in load_annotations(path):
        if report.id in exclude_ids:
            continue
        meta = {"origin": "seed", **report.meta}
        out.append(
            annotation_to_example(
                report.id,
                report.text,
                report.spans,
                split=hash_split(report.id) if split == "hash" else split,
                meta=meta,
                gold=report.gold,
            )
        )
    return out


def combination(i: int, generations: Sequence[str], layouts: Sequence[str], scripts: Sequence[str]):
    """The `i`-th (generation, layout, script): the first two vary fastest, the script shifts every cycle.

    With 3 generations, 8 layouts, 3 scripts, `i % 24` fixes generation and layout (3 and 8 are coprime)
    and `i // 24` rotates the script, so `i = 0 .. 71` visits all 72 combinations once.
    """
    g, n_l, n_s = len(generations), len(layouts), len(scripts)
    cycle = g * n_l
    script = (i % cycle // g + i // cycle) % n_s
    return generations[i % g], layouts[i % n_l], scripts[script]


def generated_reports(n: int, base_seed: int) -> list[AnnotatedReport]:
    """`n` generated reports with seeds `base_seed .. base_seed + n - 1`, as validated annotations.

    Report `i` takes generation × layout × script `combination(i, …)`, so even a few reports
    vary along every axis and each run of `len(generations) * len(layouts) * len(scripts)`
    consecutive reports covers every combination once. Their COUNT spans carry the generator's
    field ids (the field linker trains on them).
    """
    if n <= 0:
        return []
    try:
        from training.synth import generate_report
    except ImportError as exc:
        raise UserError(
            "the synthetic report generator (training.synth.generate_report) is not available"
        ) from exc
    from training import synth
    from training.annotations import report_from_json

    axes = [getattr(synth, name, ()) for name in ("GENERATIONS", "LAYOUTS", "SCRIPTS")]
    out = []
    for i in range(n):
        seed = base_seed + i
        if all(axes):
            generation, layout, script = combination(i, *axes)
            data = generate_report(seed, generation=generation, layout=layout, script=script)
        else:
            data = generate_report(seed)
        report = report_from_json(data, source=f"synth seed {seed}")
        out.append(replace(report, meta={"origin": "synth", **report.meta, "seed": seed}))
    return out


def generate_examples(n: int, base_seed: int, split: str) -> list[Example]:
    """`generated_reports` as tagger examples (normalised, spans projected) of one split."""
    return [
        annotation_to_example(r.id, r.text, r.spans, split=split, meta=r.meta, gold=r.gold)
        for r in generated_reports(n, base_seed)
    ]


def load_examples(config: DataConfig) -> list[Example]:
    """All examples the config names, each tagged with its split; report ids must be unique."""
    examples: list[Example] = []
    for path in config.annotations:
        examples.extend(
            load_annotation_examples(path, split=config.annotations_split, exclude_ids=config.exclude_ids)
        )
    for split, n, offset in (
        ("train", config.synth_train, 0),
        ("dev", config.synth_dev, 1_000_000),
        ("test", config.synth_test, 2_000_000),
    ):
        examples.extend(generate_examples(n, config.synth_seed + offset, split))
    ids = Counter(example.id for example in examples)
    duplicates = [report_id for report_id, count in ids.items() if count > 1]
    if duplicates:
        raise UserError(f"report ids occur more than once across the data: {duplicates[:5]}")
    return examples


def example_to_windows(
    example: Example, vocab: CharVocab, *, window: int, stride: int
) -> list[dict[str, Any]]:
    """Encoded windows of one example: ids/labels with [CLS]/[SEP] (labels -100 there) and char offsets.

    `offsets[k]` is the normalised character index of token `k` (-1 for [CLS]/[SEP]).
    """
    tags = spans_to_char_tags(len(example.text), example.spans)
    label_ids = [LABEL2ID[tag] for tag in tags]
    ids = vocab.encode(example.text)
    rows = []
    for start, end in text_to_windows(len(example.text), window, stride):
        rows.append(
            {
                "report_id": example.id,
                "window_start": start,
                "input_ids": [vocab.cls_id, *ids[start:end], vocab.sep_id],
                "labels": [IGNORE_INDEX, *label_ids[start:end], IGNORE_INDEX],
                "offsets": [-1, *range(start, end), -1],
            }
        )
    return rows


def examples_to_dataset(examples: Sequence[Example], vocab: CharVocab, *, window: int, stride: int):
    """A `datasets.DatasetDict` with one entry per split that has examples (windows in report order)."""
    from datasets import Dataset, DatasetDict

    splits: dict[str, list[dict[str, Any]]] = {}
    for example in examples:
        splits.setdefault(example.split, []).extend(
            example_to_windows(example, vocab, window=window, stride=stride)
        )
    return DatasetDict({split: Dataset.from_list(rows) for split, rows in splits.items() if rows})


def summarize_examples(examples: Sequence[Example]) -> dict[str, Any]:
    """Counts per split: reports, characters, spans per label, reports per origin/generation/layout/script."""
    summary: dict[str, Any] = {}
    for example in examples:
        entry = summary.setdefault(
            example.split,
            {
                "reports": 0,
                "chars": 0,
                "spans": Counter(),
                "origin": Counter(),
                "generation": Counter(),
                "layout": Counter(),
                "script": Counter(),
            },
        )
        entry["reports"] += 1
        entry["chars"] += len(example.text)
        entry["spans"].update(span.label for span in example.spans)
        for key in ("origin", "generation", "layout", "script"):
            entry[key][str(example.meta.get(key, "unknown"))] += 1
    return {
        split: {key: dict(value) if isinstance(value, Counter) else value for key, value in entry.items()}
        for split, entry in sorted(summary.items())
    }
