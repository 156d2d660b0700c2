from __future__ import annotations

from typer.testing import CliRunner

from gia.cli import app

runner = CliRunner()


def test_cli_help_lists_every_command():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for name in ("predict", "train", "evaluate", "annotate", "show"):
        assert name in result.output


def test_cli_predict_help_explains_itself():
    result = runner.invoke(app, ["predict", "--help"])
    assert result.exit_code == 0
    assert "--output" in result.output


def test_progress_bar_runs_no_thread_while_the_batch_forks_workers(monkeypatch):
    """The worker pool forks the process that draws the progress bar: no refresh thread may run then."""
    import threading

    import inference.batch
    from gia.cli import _run_with_progress

    before = threading.active_count()
    monkeypatch.setattr(
        inference.batch, "run_batch", lambda paths, options, progress=None: threading.active_count()
    )
    assert _run_with_progress([], None, 1, quiet=False) == before
