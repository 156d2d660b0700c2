"""`gia`: train on annotations, predict over reports, evaluate extraction, annotate, review."""

from __future__ import annotations

import functools
import gc
import json
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import click
import typer

from inference import DEFAULT_MODEL_DIR, DEFAULT_TAGGER
from inference.errors import UserError

TAGGER_HELP = (
    "model | rules | rules+model | model+rules (the first one's spans win, the second fills gaps) | none "
    "(no spans: printed tables and statements of none only)."
)

app = typer.Typer(
    help="gia-extract: statistics from Chinese government information-disclosure annual reports.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


EXIT_OK = 0
"""Done; every input has an output object (failed reports included, unless --strict)."""
EXIT_FAILED_REPORTS = 1
"""--strict and at least one report failed."""
EXIT_USER_ERROR = 2
"""Nothing or not everything was done, for a reason the user can fix: a bad option or path, an
unwritable output, a broken model, a disk full."""
EXIT_INTERNAL_ERROR = 3
"""A bug in gia: the message says so; --debug shows the traceback."""
EXIT_INTERRUPTED = 130
"""Ctrl-C or SIGTERM: finished reports are kept in the resume state, the output is left as it was."""

_SETTINGS = {"debug": False}


def _fail(message: str, code: int = EXIT_USER_ERROR) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def clean_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn what a command raises into `error: ...` and a documented exit code (tracebacks: --debug)."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except (typer.Exit, typer.Abort, click.ClickException):
            raise
        except UserError as exc:
            _fail(str(exc))
        except OSError as exc:  # disk full, permission denied, a path that vanished
            where = f"{exc.filename}: " if exc.filename else ""
            _fail(f"{where}{exc.strerror or exc}")
        except KeyboardInterrupt:
            typer.echo("interrupted: finished reports are kept; rerun the same command to resume", err=True)
            raise typer.Exit(EXIT_INTERRUPTED) from None
        except Exception as exc:
            if _SETTINGS["debug"]:
                raise
            message = f"{type(exc).__name__}: {exc}"[:500]
            _fail(f"internal error: {message} (rerun with --debug for the traceback)", EXIT_INTERNAL_ERROR)

    return wrapper


@app.callback()
def main(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log progress details.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of internal errors.")] = False,
) -> None:
    """Exit codes: 0 done, 1 failed reports (--strict), 2 user error, 3 internal error, 130 interrupted."""
    _SETTINGS["debug"] = debug
    logging.basicConfig(
        level=logging.DEBUG if debug else logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )


@app.command()
@clean_errors
def predict(
    paths: Annotated[list[Path], typer.Argument(help="Report files or directories (searched recursively).")],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Output file: .jsonl, .csv or .parquet (+ .records.*).")
    ] = Path("out/predictions.jsonl"),
    fmt: Annotated[
        str | None, typer.Option("--format", help="jsonl | csv | parquet (default: from the extension).")
    ] = None,
    model: Annotated[Path, typer.Option("--model", help="Model directory.")] = DEFAULT_MODEL_DIR,
    tagger: Annotated[str, typer.Option("--tagger", help=TAGGER_HELP)] = DEFAULT_TAGGER,
    workers: Annotated[int, typer.Option("--workers", help="Worker processes (1 = in this process).")] = 2,
    batch_size: Annotated[int, typer.Option("--batch-size", help="Reports per tagging batch.")] = 8,
    force: Annotated[bool, typer.Option("--force", help="Redo every report (ignore resume state).")] = False,
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit with code 1 if any report failed (else: only if all did).")
    ] = False,
    engine: Annotated[str, typer.Option("--engine", help="local | ray (see RAY_ADDRESS).")] = "local",
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Extract records and canonical fields from reports; resumable, parallel, one output record per input."""
    from inference.batch import BatchOptions, TaggerSpec, count_report_paths
    from inference.read import SUPPORTED_SUFFIXES

    options = BatchOptions(
        output=output,
        fmt=fmt,
        tagger=TaggerSpec(kind=tagger, model_dir=model),
        workers=workers,
        batch_size=batch_size,
        force=force,
        engine=engine,
    )
    try:
        options.tagger.validate()
        total = count_report_paths(paths)
        if total == 0:
            raise UserError(
                f"no report files in {', '.join(map(str, paths))} "
                f"(looked for {', '.join(sorted(SUPPORTED_SUFFIXES))}, hidden files skipped)"
            )
        summary = _run_with_progress(paths, options, total, quiet=quiet)
    except UserError as exc:
        _fail(str(exc))
    for source, reason in summary.failures:
        typer.echo(f"failed: {source}: {reason}", err=True)
    if summary.failed > len(summary.failures):
        typer.echo(f"… and {summary.failed - len(summary.failures)} more failures (see the output)", err=True)
    rate = (summary.ok + summary.failed) / summary.seconds if summary.seconds else 0.0
    typer.echo(
        f"{summary.line()}, {rate:.2f} reports/s -> {', '.join(map(str, summary.outputs))}",
        err=True,
    )
    # Nothing loaded (tagger, lexicons, division table) needs a cyclic collection at exit: without
    # this, the interpreter's last collections walk them for ~0.6 s of a 25-report run's ~9 s.
    gc.freeze()
    if summary.failed and (strict or not (summary.ok or summary.skipped)):
        raise typer.Exit(1)  # every report failed: the output holds nothing usable


def _run_with_progress(paths, options, total: int, *, quiet: bool):  # noqa: ANN001, ANN202 - CLI glue
    """`run_batch` under a rich progress bar (files/s, ETA) on stderr."""
    import time

    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from inference.batch import run_batch

    if quiet:
        return run_batch(paths, options)
    counts = {"ok": 0, "failed": 0, "skipped": 0}
    columns = (
        TextColumn("predict"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]} files/s"),
        TextColumn("ok {task.fields[ok]} failed {task.fields[failed]} skipped {task.fields[skipped]}"),
        TextColumn("ETA"),
        TimeRemainingColumn(),
    )
    # Redrawn once per report, from this thread: no refresh thread runs when the worker pool forks
    # this process (a thread holding the console's lock then would leave it locked in the workers).
    with Progress(*columns, console=Console(stderr=True), transient=False, auto_refresh=False) as bar:
        task = bar.add_task("predict", total=total, rate="-", **counts)

        started = time.monotonic()

        def on_report(status: str, source: str) -> None:
            counts[status] += 1
            elapsed = time.monotonic() - started
            rate = f"{sum(counts.values()) / elapsed:.1f}" if elapsed > 1 else "-"
            bar.update(task, advance=1, rate=rate, **counts)
            bar.refresh()

        return run_batch(paths, options, progress=on_report)


@app.command()
@clean_errors
def synth(
    n: Annotated[
        int, typer.Argument(help="Number of reports (cycles through generation × layout × script).")
    ] = 216,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="Output directory (reports/, gold/, annotations.jsonl) or a .jsonl file."
        ),
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="Corpus seed; report i uses seed*1000003 + i.")] = 0,
    summary: Annotated[
        bool, typer.Option("--summary", help="Print counts per generation × layout × script.")
    ] = False,
    summary_only: Annotated[
        bool, typer.Option("--summary-only", help="Only print the counts; write nothing.")
    ] = False,
) -> None:
    """Generate synthetic reports with spans and gold fields."""
    from training.synth import summarize, write_corpus

    if summary_only:
        counts = summarize(n, seed)
    else:
        if output is None:
            _fail("give an output with -o DIR or -o FILE.jsonl (or use --summary-only)")
        counts = write_corpus(n, output, seed)
        typer.echo(f"{sum(counts.values())} reports -> {output}", err=True)
    if summary or summary_only:
        for (generation, layout, script), count in sorted(counts.items()):
            typer.echo(f"{generation}\t{layout}\t{script}\t{count}")
        typer.echo(f"total\t{len(counts)} combinations\t{sum(counts.values())} reports")


@app.command()
@clean_errors
def pretrain(
    folders: Annotated[
        list[Path], typer.Argument(help="Folders (or files) of real report text, no labels needed.")
    ],
    output: Annotated[Path, typer.Option("--output", "-o", help="Checkpoint directory.")] = Path(
        "runs/pretrained"
    ),
    minutes: Annotated[float, typer.Option("--minutes", help="Time budget.")] = 10.0,
    max_steps: Annotated[
        int, typer.Option("--max-steps", help="Stop after this many steps (0: no limit).")
    ] = 0,
    config: Annotated[
        str,
        typer.Option(
            "--config", help="Training config whose [model] sizes and dropout the checkpoint takes."
        ),
    ] = "training/default.toml",
) -> None:
    """Masked-language-model pretraining of the character encoder; fine-tune with `gia train --base-model`."""
    import logging

    from training.pretrain import PretrainConfig
    from training.pretrain import pretrain as run_pretrain
    from training.train import load_config

    logging.basicConfig(level=logging.INFO, format="%(message)s")
    # the fine-tuned tagger inherits the checkpoint's shape and dropout: take them from the tagger's config
    model = load_config(config).model
    info = run_pretrain(folders, output, PretrainConfig(minutes=minutes, max_steps=max_steps, model=model))
    typer.echo(
        f"pretrained {info['steps']} steps on {info['windows']} windows in {info['minutes']} min "
        f"(MLM loss {info['loss']:.3f}) -> {output}",
        err=True,
    )


@app.command()
@clean_errors
def train(
    config: Annotated[Path | None, typer.Option("--config", help="Training config (TOML).")] = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="Model directory.")] = Path("runs/model"),
    synth_n: Annotated[int | None, typer.Option("--synth-n", help="Generated training reports.")] = None,
    epochs: Annotated[int | None, typer.Option("--epochs", help="Training epochs.")] = None,
    seed: Annotated[int | None, typer.Option("--seed", help="Random seed (weights, data order).")] = None,
    base_model: Annotated[
        Path | None, typer.Option("--base-model", help="Fine-tune this local HF checkpoint (safetensors).")
    ] = None,
    max_steps: Annotated[int | None, typer.Option("--max-steps", help="Stop after this many steps.")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    linker_only: Annotated[
        bool,
        typer.Option(
            "--linker-only",
            help="Retrain only the field linker (the config's [linker] data) into --output (minutes).",
        ),
    ] = False,
) -> None:
    """Train the tagger and the field linker on annotations and generated reports."""
    from training.train import load_config, override_config, train_and_save_linker
    from training.train import train as run_training

    try:
        resolved = override_config(
            load_config(config),
            synth_n=synth_n,
            epochs=epochs,
            seed=seed,
            base_model=base_model,
            max_steps=max_steps,
        )
        if linker_only:
            info = train_and_save_linker(resolved, output)
            typer.echo(f"field linker ({info['count_classes']} field classes) -> {output}", err=True)
            return
        metrics = run_training(resolved, output, progress=not quiet)
    except UserError as exc:
        _fail(str(exc))
    dev = metrics.get("dev", {}).get("f1")
    typer.echo(
        f"trained {metrics['steps']} steps in {metrics['train_minutes']} min ({metrics['stop_reason']})"
        + (f", dev span F1 {dev:.4f}" if dev is not None else "")
        + f" -> {output}",
        err=True,
    )


@app.command()
@clean_errors
def evaluate(
    reports: Annotated[list[Path] | None, typer.Argument(help="Report files or directories.")] = None,
    gold: Annotated[Path | None, typer.Option("--gold", help="Directory of gold *.json files.")] = None,
    model: Annotated[Path, typer.Option("--model", help="Model directory.")] = DEFAULT_MODEL_DIR,
    tagger: Annotated[str, typer.Option("--tagger", help=TAGGER_HELP)] = DEFAULT_TAGGER,
    annotations: Annotated[
        Path | None, typer.Option("--annotations", help="Annotation JSONL for span-level scores.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    leave_one_out: Annotated[
        bool, typer.Option("--leave-one-out", help="Leave-one-report-out train/evaluate over --annotations.")
    ] = False,
) -> None:
    """Evaluate span- and field-level accuracy against gold files."""
    try:
        if leave_one_out:
            from training.loo import format_loo
            from training.loo import leave_one_out as run_loo

            result = run_loo(annotations=str(annotations) if annotations else None)
            typer.echo(json.dumps(result, ensure_ascii=False, indent=1) if as_json else format_loo(result))
            return
        from training.evaluate import evaluate as run_evaluation
        from training.evaluate import format_evaluation

        if not reports or gold is None:
            _fail("give report files/directories and --gold GOLD_DIR (or --leave-one-out)")
        result = run_evaluation(
            [str(p) for p in reports],
            str(gold),
            model_dir=str(model),
            tagger_kind=tagger,
            annotations=str(annotations) if annotations else None,
        )
    except UserError as exc:
        _fail(str(exc))
    typer.echo(json.dumps(result, ensure_ascii=False, indent=1) if as_json else format_evaluation(result))


@app.command()
@clean_errors
def annotate(
    paths: Annotated[list[Path], typer.Argument(help="Report files or directories (searched recursively).")],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Tasks file (.json for Label Studio, .jsonl for doccano).")
    ],
    format: Annotated[str, typer.Option("--format", help="label-studio or doccano.")] = "label-studio",
    model: Annotated[
        Path, typer.Option("--model", help="Model directory; rules are used if it is missing or unusable.")
    ] = DEFAULT_MODEL_DIR,
    from_gold: Annotated[
        Path | None,
        typer.Option("--from-gold", help="Gold *.json directory: write silver COUNT spans with fields."),
    ] = None,
    review_format: Annotated[
        str | None,
        typer.Option("--review-format", help="Also export flagged reports: label-studio or doccano."),
    ] = None,
    review: Annotated[
        Path | None, typer.Option("--review", help="Review file (default: <output>.review.json[l]).")
    ] = None,
) -> None:
    """Write pre-annotated tasks for Label Studio or doccano, or silver annotations from gold values."""
    from training.annotate import annotate as annotate_reports

    if from_gold is not None:
        from training.silver import annotate_from_gold

        try:
            silver = annotate_from_gold(
                paths, gold_dir=from_gold, output=output, review_format=review_format, review_output=review
            )
        except UserError as exc:
            _fail(str(exc))
        for failure in silver.failed:
            typer.echo(f"error: {failure}, skipped", err=True)
        typer.echo(
            f"{silver.reports} reports, {silver.gold_values} gold values: {silver.aligned} aligned, "
            f"{silver.ambiguous} ambiguous, {silver.unaligned} unaligned; "
            f"{silver.spans} spans -> {silver.output}"
            + (f"; flagged reports -> {silver.review}" if silver.review else ""),
            err=True,
        )
        return
    try:
        summary = annotate_reports(paths, output=output, format=format, model_dir=model)
    except UserError as exc:
        _fail(str(exc))
    for source in summary.failed:
        typer.echo(f"error: {source}: unreadable, skipped", err=True)
    typer.echo(
        f"{summary.reports} reports, {summary.spans} spans ({summary.tagger}) -> {summary.output}", err=True
    )


@app.command()
@clean_errors
def show(
    report: Annotated[Path, typer.Argument(help="One report file.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="HTML page to write.")] = Path(
        "out/review.html"
    ),
    model: Annotated[Path, typer.Option("--model", help="Model directory.")] = DEFAULT_MODEL_DIR,
    tagger: Annotated[str, typer.Option("--tagger", help=TAGGER_HELP)] = DEFAULT_TAGGER,
) -> None:
    """Write a self-contained HTML review page for one report (text with records marked, fields, checks)."""
    from inference.batch import TaggerSpec
    from inference.show import show_report

    try:
        result = show_report(report, output, tagger=TaggerSpec(kind=tagger, model_dir=model))
    except UserError as exc:
        _fail(str(exc))
    typer.echo(f"{len(result['fields'])} fields, {len(result['records'])} records -> {output}", err=True)
    if result.get("error"):
        typer.echo(f"failed: {report}: {result['error']}", err=True)
        raise typer.Exit(1)  # the page shows the error; nothing was extracted


@app.command()
@clean_errors
def bench(
    n: Annotated[int, typer.Option("--n", help="Generated reports to predict.")] = 500,
    model: Annotated[Path, typer.Option("--model", help="Model directory.")] = DEFAULT_MODEL_DIR,
    tagger: Annotated[str, typer.Option("--tagger", help=TAGGER_HELP)] = DEFAULT_TAGGER,
    workers: Annotated[int, typer.Option("--workers", help="Worker processes (1 = in this process).")] = 2,
    batch_size: Annotated[int, typer.Option("--batch-size", help="Reports per tagging batch.")] = 8,
    fmt: Annotated[str, typer.Option("--format", help="Output format: jsonl | csv | parquet.")] = "jsonl",
    bad: Annotated[int, typer.Option("--bad", help="Also mix in this many bad files (must all fail).")] = 0,
    work_dir: Annotated[
        Path | None, typer.Option("--work-dir", help="Keep the generated reports and outputs here.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Benchmark batch prediction end to end (read → write) on generated reports."""
    from inference.batch import TaggerSpec
    from training.bench import bench as run_bench

    try:
        result = run_bench(
            n,
            tagger=TaggerSpec(kind=tagger, model_dir=model),
            workers=workers,
            batch_size=batch_size,
            fmt=fmt,
            bad=bad,
            work_dir=work_dir,
        )
    except UserError as exc:
        _fail(str(exc))
    typer.echo(json.dumps(result.to_json(), indent=1) if as_json else result.to_text())


if __name__ == "__main__":
    sys.exit(app())
