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
