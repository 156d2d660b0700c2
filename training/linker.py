"""Train the learned field linker (`inference.link.FieldLinker`) from annotated reports.

Training material is any annotated report whose COUNT spans carry `field` (annotations/README.md):
hand annotations, silver annotations made from gold values (`gia annotate --from-gold`) and the
generator's reports. Per report the text is normalised as at inference, the printed tables are found
with the table reader (their cells keep their structural reading and are not linker examples), and

- every COUNT span with a `field` outside the tables is an example of the `count` head;
- every none cue (`inference.link.none_cues`) is an example of the `none` head, whose targets are
  the fields of annotated digit-less COUNT spans in the cue's clause (a span on `没有…申请` with
  field `applications.new.total`), plus, where the report has gold values, the lexicon's reading of
  the cue when the gold confirms it (the field's gold value is 0): weak labels, filtered by gold.

Usage: `python -m training.linker --annotations A.jsonl [B.jsonl …] --synth 360 -o MODEL_DIR`
writes `linker.json`/`linker.safetensors` into MODEL_DIR (next to a tagger, or alone).
"""

from __future__ import annotations

import argparse
import logging
import random
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from inference.link import (
    NONE_FIELD,
    FieldLinker,
    LinkerConfig,
    hash_features,
    none_cues,
    region_count,
    region_features,
    span_features,
    split_hint,
)
from inference.metadata import detect_metadata
from inference.normalize import normalize
from inference.prose import CLAUSE_BREAK, is_negation_record, prose_records
from inference.records import Span
from inference.tables import extract_tables
from inference.values import parse_quantity
from training.annotations import AnnotatedReport, load_annotations
from training.dataset import generated_reports, project_span, resolve_path

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class LinkerTrainConfig:
    """Recipe of the linker (section `[linker]` of a training config)."""

    annotations: tuple[str, ...] = ()
    self_training: tuple[str, ...] = ()  # partial silver of unlabelled reports (training.selftrain), weight 1
    invented: tuple[str, ...] = ()  # silver of invented reports (annotations/probes, --from-gold), weight 1
    synth: int = 0
    synth_seed: int = 1
    annotations_weight: int = 3  # annotated (real) examples count this many times (k-fold: 3 > 1)
    epochs: int = 12
    batch_size: int = 64
    learning_rate: float = 3e-3
    weight_decay: float = 1e-5
    threshold: float = 0.6
    none_threshold: float = 0.6
    clear_threshold: float = 0.99
    switch_threshold: float = 0.5
    seed: int = 13
    members: int = 3  # an ensemble of this many linkers, seeds seed … seed+members-1, probabilities averaged
    hints: str = (
        "both"  # train on counts asked with the lexicons' reading ("with"), without ("without") or both
    )
    model: LinkerConfig = field(default_factory=LinkerConfig)

    def __post_init__(self) -> None:
        if self.hints not in HINT_CHOICES:
            raise ValueError(f"linker hints must be one of {', '.join(HINT_CHOICES)}, not {self.hints!r}")


@dataclass(frozen=True)
class CountExample:
    features: list[str]
    label: str


@dataclass(frozen=True)
class CueExample:
    features: list[str]
    fields: frozenset[str]


@dataclass
class LinkerData:
    counts: list[CountExample] = field(default_factory=list)
    cues: list[CueExample] = field(default_factory=list)

    def extend(self, other: LinkerData) -> None:
        self.counts.extend(other.counts)
        self.cues.extend(other.cues)


MIN_CONFIDENCE = 0.5
"""Silver spans less sure than this (ambiguous alignments) are not training examples."""


def _projected(report: AnnotatedReport, doc) -> list[tuple[Span, str | None]]:
    out = []
    for span in report.spans:
        if span.confidence is not None and span.confidence < MIN_CONFIDENCE:
            continue
        start, end = project_span(doc, span.start, span.end)
        if end > start:
            out.append((Span(start, end, span.label, doc.text[start:end]), span.field))
    return out


def _gold_zero(gold: dict[str, Any] | None, field_id: str) -> bool:
    if not gold:
        return False
    values = {**gold.get("optional", {}), **gold.get("fields", {})}
    return values.get(field_id) == 0


def _cue_targets(
    text: str, cue: Span, annotated: list[tuple[Span, str]], weak: dict[int, set[str]]
) -> set[str]:
    clause_break = CLAUSE_BREAK.search(text, cue.end)
    stop = clause_break.start() if clause_break else len(text)
    fields = {f for s, f in annotated if f and cue.start <= s.start < stop}
    return fields | weak.get(cue.start, set())


def report_data(report: AnnotatedReport) -> LinkerData:
    """Count and cue examples of one annotated report (see the module docstring).

    Each count gives two examples: with the lexicons' reading of it as a hint feature (how the
    default pipeline asks) and without (how `--tagger model` asks), so one model serves both.
    """
    doc = normalize(report.text)
    text = doc.text
    meta = detect_metadata(text)
    template = (report.gold or {}).get("template") or meta.template
    tables = extract_tables(text, [], template=template, offsets=doc.offsets)
    covered = list(tables.covered)
    spans = _projected(report, doc)
    records = prose_records(text, [s for s, _ in spans], template=template, year=meta.year, covered=covered)
    hints = {(r.start, r.end): r.field or "" for r in records if not is_negation_record(r)}
    data = LinkerData()
    digitless: list[tuple[Span, str]] = []
    for span, field_id in spans:
        if span.label != "COUNT" or field_id is None or any(a <= span.start < b for a, b in covered):
            continue
        if parse_quantity(span.text, cell=True) is None:
            digitless.append((span, field_id))
            continue
        for hint in (hints.get((span.start, span.end), ""), None):
            data.counts.append(
                CountExample(span_features(text, span.start, span.end, template, hint=hint), field_id)
            )
    shared = [
        (c.get("with"), c.get("field")) for c in report.meta.get("shared_cue", []) if isinstance(c, dict)
    ]
    digitless += [(span, extra) for span, f in list(digitless) for w, extra in shared if f == w and extra]
    weak: dict[int, set[str]] = {}
    for record in records:
        if is_negation_record(record) and record.field and _gold_zero(report.gold, record.field):
            weak.setdefault(record.start, set()).add(record.field)
    cues = [(cue, _cue_targets(text, cue, digitless, weak)) for cue in none_cues(text, tuple(covered))]
    # A cue without a target is a negative only where no gold zero is left unplaced: otherwise it
    # may well be the statement of that zero that the alignment could not pin (`未收到…的申请` in
    # a report whose gold has applications 0) — unknown, like every cue of partial silver.
    unplaced = _gold_zeros(report.gold) - set(tables.fields) - {f for _, t in cues for f in t}
    negatives = not report.meta.get("partial") and not unplaced
    for cue, targets in cues:
        if targets or negatives:
            data.cues.append(
                CueExample(span_features(text, cue.start, cue.end, template, cue=True), frozenset(targets))
            )
    return data


def _gold_zeros(gold: dict[str, Any] | None) -> set[str]:
    """Fields whose gold value is 0 (required or optional)."""
    if not gold:
        return set()
    return {f for f, v in {**gold.get("optional", {}), **gold.get("fields", {})}.items() if v == 0}


def collect(reports: Iterable[AnnotatedReport]) -> LinkerData:
    data = LinkerData()
    for report in reports:
        data.extend(report_data(report))
    return data


# ----------------------------------------------------------------------------- model


def _net(cfg: LinkerConfig, n_count: int, n_none: int):
    import torch

    class LinkerNet(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            # sparse: a step touches only the buckets of its batch (dense Adam over 65k×48 cost 80%)
            self.embedding = torch.nn.EmbeddingBag(cfg.buckets, cfg.dim, mode="mean", sparse=True)
            self.hint = torch.nn.Embedding(n_count + 2, cfg.hint_dim)
            self.regions = region_count(cfg)
            self.hidden = torch.nn.Linear(self.regions * cfg.dim + cfg.hint_dim, cfg.hidden)
            self.count = torch.nn.Linear(cfg.hidden, n_count)
            self.none = torch.nn.Linear(cfg.hidden, max(1, n_none))

        def forward(self, ids, offsets, hints, head: str):
            bags = self.embedding(ids, offsets).reshape(len(hints), -1)  # one bag per region
            pooled = torch.cat([bags, self.hint(hints)], dim=1)
            h = torch.relu(self.hidden(pooled))
            return self.count(h) if head == "count" else self.none(h)

    return LinkerNet()


Encoded = tuple[list[np.ndarray], int]
"""One example: hashed n-gram ids per region (`region_features`) and its hint index (`split_hint`)."""


def _encode(rows: Sequence[list[str]], cfg: LinkerConfig, classes: tuple[str, ...]) -> list[Encoded]:
    """Every example encoded once for all epochs."""
    out = []
    for row in rows:
        grams, hint = split_hint(row, classes)
        out.append(([hash_features(p, cfg.buckets) for p in region_features(grams, cfg.regions)], hint))
    return out


def _batch(encoded: Sequence[Encoded]):
    """EmbeddingBag input (ids, offsets: one bag per example and region) and hint indices."""
    import torch

    bags = [ids for regions, _ in encoded for ids in regions]
    offsets = np.cumsum([0] + [len(i) for i in bags[:-1]])
    hints = torch.tensor([hint for _, hint in encoded], dtype=torch.long)
    ids = np.concatenate(bags).astype(np.int64)
    return torch.from_numpy(ids), torch.from_numpy(offsets.astype(np.int64)), hints


HINT_CHOICES = ("both", "with", "without")
"""Which count examples a linker trains on (`report_data` makes each count twice): `with` the
lexicons' reading as a feature (how the default pipeline and `--tagger model` ask), `without` it (a
linker for `pure` linking, the no-lexicon ablation), or `both` (one linker for every mode)."""


def select_examples(data: LinkerData, hints: str) -> LinkerData:
    """`data` with only the count examples `hints` asks for (cue examples all kept)."""
    if hints == "both":
        return data
    want = hints == "with"
    counts = [c for c in data.counts if any(f.startswith("L|") for f in c.features) == want]
    return LinkerData(counts, list(data.cues))


def fit(data: LinkerData, config: LinkerTrainConfig) -> FieldLinker:
    """Train both heads on `data` (its count examples as `config.hints` says); returns a ready
    `FieldLinker` (numpy weights)."""
    import torch

    data = select_examples(data, config.hints)

    cfg = config.model
    count_classes = tuple(sorted({e.label for e in data.counts} | {NONE_FIELD}))
    none_classes = tuple(sorted({f for e in data.cues for f in e.fields}))
    # small sparse batches: one thread is fastest, and several contend badly on a busy machine
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    weights = []
    try:
        for member in range(config.members):  # seeds seed, seed+1 …: averaged, they vary less
            seeded = replace(config, seed=config.seed + member)
            torch.manual_seed(seeded.seed)
            weights.append(_fit_weights(data, seeded, count_classes, none_classes))
    finally:
        torch.set_num_threads(threads)
    return FieldLinker(
        cfg,
        count_classes,
        none_classes,
        weights,
        threshold=config.threshold,
        none_threshold=config.none_threshold,
        clear_threshold=config.clear_threshold,
        switch_threshold=config.switch_threshold,
    )


def _fit_weights(
    data: LinkerData, config: LinkerTrainConfig, count_classes: tuple[str, ...], none_classes: tuple[str, ...]
) -> dict[str, np.ndarray]:
    import torch

    cfg = config.model
    class_index = {c: i for i, c in enumerate(count_classes)}
    none_index = {c: i for i, c in enumerate(none_classes)}
    rng = random.Random(config.seed)
    net = _net(cfg, len(count_classes), len(none_classes))
    dense = [p for name, p in net.named_parameters() if name != "embedding.weight"]
    optimisers = [
        torch.optim.SparseAdam([net.embedding.weight], lr=config.learning_rate),
        torch.optim.AdamW(dense, lr=config.learning_rate, weight_decay=config.weight_decay),
    ]
    count_rows = _encode([e.features for e in data.counts], cfg, count_classes)
    cue_rows = _encode([e.features for e in data.cues], cfg, count_classes)
    jobs = [("count", i) for i in range(len(data.counts))] + [("none", i) for i in range(len(data.cues))]
    for epoch in range(config.epochs):
        rng.shuffle(jobs)
        total = 0.0
        for b in range(0, len(jobs), config.batch_size):
            batch = jobs[b : b + config.batch_size]
            loss = torch.zeros(())
            counts = [i for head, i in batch if head == "count"]
            cues = [i for head, i in batch if head == "none"]
            if counts:
                ids, offsets, hints = _batch([count_rows[i] for i in counts])
                target = torch.tensor([class_index[data.counts[i].label] for i in counts])
                loss = loss + torch.nn.functional.cross_entropy(net(ids, offsets, hints, "count"), target)
            if cues and none_classes:
                ids, offsets, hints = _batch([cue_rows[i] for i in cues])
                target = torch.zeros((len(cues), len(none_classes)))
                for row, i in enumerate(cues):
                    for f in data.cues[i].fields:
                        target[row, none_index[f]] = 1.0
                logits = net(ids, offsets, hints, "none")
                loss = loss + torch.nn.functional.binary_cross_entropy_with_logits(logits, target)
            for optimiser in optimisers:
                optimiser.zero_grad()
            loss.backward()
            for optimiser in optimisers:
                optimiser.step()
            total += float(loss.detach())
        logger.debug("linker epoch %d: loss %.4f", epoch + 1, total / max(1, len(jobs) / config.batch_size))
    weights = {k: v.detach().numpy().copy() for k, v in net.state_dict().items()}
    tables = {"embedding.weight": "embedding", "hint.weight": "hint"}
    return {tables.get(k, k): v for k, v in weights.items()}


def load_annotated(
    config: LinkerTrainConfig, exclude_groups: frozenset[str] = frozenset(), *, source: str = "annotations"
):
    """Every annotated report the recipe names under `source` (`annotations`, `self_training` or
    `invented`), minus those whose `meta.group` (or id) is excluded."""
    reports: list[AnnotatedReport] = []
    for path in getattr(config, source):
        for report in load_annotations(resolve_path(path)):
            if str(report.meta.get("group", report.id)) not in exclude_groups:
                reports.append(report)
    return reports


def train_linker(config: LinkerTrainConfig, exclude_groups: frozenset[str] = frozenset()) -> FieldLinker:
    """Collect examples from the recipe's reports and fit the linker (a few minutes on 2 cores).

    Examples of annotated (real) reports count `annotations_weight` times: generated reports are
    many and alike, real ones few and varied.
    """
    started = time.perf_counter()
    annotated = collect(load_annotated(config, exclude_groups))
    data = collect(generated_reports(config.synth, config.synth_seed))
    for _ in range(config.annotations_weight):
        data.extend(annotated)
    data.extend(collect(load_annotated(config, exclude_groups, source="self_training")))
    data.extend(collect(load_annotated(config, exclude_groups, source="invented")))
    labels = Counter(e.label for e in data.counts)
    logger.info(
        "linker data: %d counts (%d with a field), %d cues (%d with targets)",
        len(data.counts),
        sum(n for label, n in labels.items() if label),
        len(data.cues),
        sum(1 for e in data.cues if e.fields),
    )
    linker = fit(data, config)
    logger.info("linker trained in %.1f s", time.perf_counter() - started)
    return linker


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--annotations", nargs="*", default=[])
    parser.add_argument("--synth", type=int, default=360)
    parser.add_argument("--epochs", type=int, default=LinkerTrainConfig.epochs)
    parser.add_argument("-o", "--output", required=True)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    config = LinkerTrainConfig(annotations=tuple(args.annotations), synth=args.synth, epochs=args.epochs)
    train_linker(config).save(args.output)


if __name__ == "__main__":
    main()
