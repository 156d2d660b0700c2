"""`gia`: train on annotations, predict over reports, evaluate extraction, annotate, review."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Annotated

import typer

from inference import DEFAULT_MODEL_DIR
from inference.errors import UserError

app = typer.Typer(
    help="gia-extract: statistics from Chinese government information-disclosure annual reports.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _fail(message: str, code: int = 2) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


@app.callback()
def main(verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log progress details.")] = False) -> None:
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s")


@app.command()
def predict(
    paths: Annotated[list[Path], typer.Argument(help="Report files or directories (searched recursively).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Output file (.jsonl).")] = Path("out/predictions.jsonl"),
    model: Annotated[Path, typer.Option("--model", help="Model directory.")] = DEFAULT_MODEL_DIR,
) -> None:
    """Extract records and canonical fields from reports into JSON Lines."""
    from inference.pipeline import predict_paths
    from inference.read import expand_paths
    from inference.tag import load_tagger

    try:
        tagger = load_tagger(model)
        files = expand_paths(paths)
        output.parent.mkdir(parents=True, exist_ok=True)
        ok = failed = 0
        with output.open("w", encoding="utf-8") as handle:
            for result in predict_paths(files, tagger):
                handle.write(json.dumps(result.to_json(), ensure_ascii=False) + "\n")
                if result.error:
                    failed += 1
                    typer.echo(f"error: {result.source}: {result.error}", err=True)
                else:
                    ok += 1
    except UserError as exc:
        _fail(str(exc))
    typer.echo(f"{ok} ok, {failed} failed -> {output}", err=True)


@app.command()
def synth(
    n: Annotated[int, typer.Argument(help="Number of reports (cycles through generation × layout × script).")] = 216,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Output directory (reports/, gold/, annotations.jsonl).")
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="Corpus seed; report i uses seed*1000003 + i.")] = 0,
    summary: Annotated[bool, typer.Option("--summary", help="Print counts per generation × layout × script.")] = False,
    summary_only: Annotated[bool, typer.Option("--summary-only", help="Only print the counts; write nothing.")] = False,
) -> None:
    """Generate synthetic reports with spans and gold fields."""
    from training.synth import summarize, write_corpus

    if summary_only:
        counts = summarize(n, seed)
    else:
        if output is None:
            _fail("give an output directory with -o DIR (or use --summary-only)")
        counts = write_corpus(n, output, seed)
        typer.echo(f"{sum(counts.values())} reports -> {output}", err=True)
    if summary or summary_only:
        for (generation, layout, script), count in sorted(counts.items()):
            typer.echo(f"{generation}\t{layout}\t{script}\t{count}")
        typer.echo(f"total\t{len(counts)} combinations\t{sum(counts.values())} reports")


def _not_yet(name: str) -> None:
    _fail(f"`gia {name}` is not implemented yet", code=3)


@app.command()
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
) -> None:
    """Train the tagger on annotations and generated reports."""
    from training.train import load_config, override_config
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
def evaluate(
    reports: Annotated[list[Path] | None, typer.Argument(help="Report files or directories.")] = None,
    gold: Annotated[Path | None, typer.Option("--gold", help="Directory of gold *.json files.")] = None,
    model: Annotated[Path, typer.Option("--model", help="Model directory.")] = DEFAULT_MODEL_DIR,
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
            [str(p) for p in reports], str(gold), model_dir=str(model),
            annotations=str(annotations) if annotations else None,
        )
    except UserError as exc:
        _fail(str(exc))
    typer.echo(json.dumps(result, ensure_ascii=False, indent=1) if as_json else format_evaluation(result))


@app.command()
def annotate(
    paths: Annotated[list[Path], typer.Argument(help="Report files or directories (searched recursively).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Tasks file (.json for Label Studio, .jsonl for doccano).")],
    format: Annotated[str, typer.Option("--format", help="label-studio or doccano.")] = "label-studio",
    model: Annotated[Path, typer.Option("--model", help="Model directory; rules are used if it is missing or unusable.")] = DEFAULT_MODEL_DIR,
) -> None:
    """Write pre-annotated tasks for Label Studio or doccano."""
    from training.annotate import annotate as annotate_reports

    try:
        summary = annotate_reports(paths, output=output, format=format, model_dir=model)
    except UserError as exc:
        _fail(str(exc))
    for source in summary.failed:
        typer.echo(f"error: {source}: unreadable, skipped", err=True)
    typer.echo(f"{summary.reports} reports, {summary.spans} spans ({summary.tagger}) -> {summary.output}", err=True)


@app.command()
def show() -> None:
    """Write a self-contained HTML review page for one report."""
    _not_yet("show")


if __name__ == "__main__":
    sys.exit(app())
