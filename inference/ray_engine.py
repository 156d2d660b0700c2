"""`gia predict --engine ray`: the same per-report function (`pipeline.predict_items`) on Ray Data.

`ray.data.from_items(reports).map_batches(RayPredictor, ...)` with one tagger per actor and
order preserved, so the outputs, the resume state and the summary are exactly those of the
local engine. Without `RAY_ADDRESS` a local Ray instance with `workers` CPUs is started (and
stopped afterwards); with `RAY_ADDRESS=ray://host:10001` (or `auto`) the batch runs on that
cluster, whose nodes must see the report paths and have gia-extract installed. The inputs are
listed up front (Ray Data needs the list), so memory grows by ~200 bytes per report; outputs
are still streamed. Classifying inputs, resume and writing are left to `inference.batch` (which
imports this module only when `--engine ray` is chosen; this module never imports it).
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterator
from typing import Any

from inference.errors import UserError
from inference.pipeline import WorkItem, WorkStats, predict_items
from inference.taggers import TaggerSpec, load_tagger_from_spec, set_thread_env

logger = logging.getLogger(__name__)


class RayPredictor:
    """A Ray Data callable class: loads the tagger once per actor, predicts a batch of reports."""

    def __init__(self, spec: TaggerSpec, torch_threads: int = 1) -> None:
        set_thread_env(torch_threads)
        self.tagger = load_tagger_from_spec(spec)

    def __call__(self, batch: dict[str, Any]) -> dict[str, Any]:
        items = [
            WorkItem(str(source), str(sha))
            for source, sha in zip(batch["path"], batch["sha256"], strict=True)
        ]
        objs, stats = predict_items(items, self.tagger)
        n = max(1, len(objs))
        # Per-batch stats spread over its rows, so the driver can sum them row by row.
        return {
            "json": [json.dumps(obj, ensure_ascii=False) for obj in objs],
            "chars": [stats.chars / n] * len(objs),
            "tag_seconds": [stats.tag_seconds / n] * len(objs),
            "busy_seconds": [stats.busy_seconds / n] * len(objs),
            "peak_rss_kb": [stats.peak_rss_kb] * len(objs),
        }


def predict_on_ray(
    todo: list[WorkItem], spec: TaggerSpec, *, workers: int, batch_size: int, torch_threads: int = 1
) -> Iterator[tuple[dict[str, Any], WorkStats]]:
    """(output object, its share of the batch's stats) per item of `todo`, in order, predicted on Ray."""
    try:
        import ray
        import ray.data
    except ImportError as exc:
        raise UserError('--engine ray needs Ray: pip install "gia-extract[ray]"') from exc
    if not todo:
        return
    started_here = False
    if not ray.is_initialized():
        if os.environ.get("RAY_ADDRESS"):
            ray.init(log_to_driver=False, logging_level=logging.WARNING)
        else:
            ray.init(
                num_cpus=max(1, workers),
                include_dashboard=False,
                log_to_driver=False,
                logging_level=logging.WARNING,
            )
        started_here = True
    # Ray Data logs every execution plan and progress hint at INFO/WARNING; the CLI shows its own progress.
    logging.getLogger("ray.data").setLevel(logging.ERROR)
    try:
        context = ray.data.DataContext.get_current()
        context.execution_options.preserve_order = True
        context.enable_progress_bars = False
        rows = [{"path": item.source, "sha256": item.sha256} for item in todo]
        dataset = ray.data.from_items(rows).map_batches(
            RayPredictor,
            fn_constructor_kwargs={"spec": spec, "torch_threads": torch_threads},
            batch_size=batch_size,
            compute=ray.data.ActorPoolStrategy(size=max(1, workers)),
            num_cpus=1,
        )
        for row in dataset.iter_rows():
            stats = WorkStats(
                reports=1,
                chars=int(row["chars"]),
                tag_seconds=float(row["tag_seconds"]),
                busy_seconds=float(row["busy_seconds"]),
                peak_rss_kb=int(row["peak_rss_kb"]),
            )
            yield json.loads(row["json"]), stats
    finally:
        if started_here:
            ray.shutdown()
