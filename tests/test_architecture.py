"""The layout rules of docs/architecture.md, enforced: import contracts, no import cycles, every
docstring example runs, and each wording list exists once (in its data file or `inference.lexicon`)."""

from __future__ import annotations

import ast
import doctest
import importlib
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from inference import DATA_DIR, REPO_ROOT
from inference.lexicon import CN_DIGITS, ORDINALS, TEMPLATE_CUES, taiwan_rows, unit_pattern, unit_scale, units

PACKAGES = ("inference", "training")
KNOWN_CYCLES: set[frozenset[str]] = {
    # the Markdown reader reuses the HTML reader's html_to_text; read.py dispatches to it lazily
    frozenset({"inference.read", "inference.read_markdown"}),
}


def _modules() -> list[str]:
    out = []
    for package in PACKAGES:
        for path in sorted((REPO_ROOT / package).rglob("*.py")):
            parts = path.relative_to(REPO_ROOT).with_suffix("").parts
            out.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return out


def _sources(package: str = "inference") -> list[Path]:
    return sorted((REPO_ROOT / package).rglob("*.py"))


def _string_constants(path: Path) -> list[str]:
    """String literals of a module that are not docstrings (f-string pieces included)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = set()
    for node in ast.walk(tree):
        # docstrings, and attribute docstrings (a bare string after an assignment): any bare string
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            docstrings.add(id(node.value))
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    ]


# ----------------------------------------------------------------------------- imports


def test_import_contracts_hold() -> None:
    """`.importlinter`: inference never imports training/gia; a lower step never imports a higher one."""
    from importlinter.cli import lint_imports

    assert lint_imports(config_filename=str(REPO_ROOT / ".importlinter"), no_cache=True, no_logo=True) == 0


def test_rule_tagger_does_not_import_torch() -> None:
    """spaCy's thinc would import torch (~2 s per worker) for a matcher that never uses it; torch
    still imports afterwards, and the model tagger still runs in the same process."""
    script = (
        "import sys\n"
        "from inference.rules import RuleTagger\n"
        "assert RuleTagger().tag('受理政府信息公开申请342件'), 'no spans'\n"
        "assert 'torch' not in sys.modules, 'torch imported'\n"
        "import torch\n"
        "from inference.tag import load_tagger\n"
        "from inference import DEFAULT_MODEL_DIR\n"
        "print(len(load_tagger(DEFAULT_MODEL_DIR).tag_batch(['受理政府信息公开申请342件'])[0]))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO_ROOT)
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) > 0


def test_no_import_cycles() -> None:
    """No two modules of inference/ or training/ import each other, directly or through others."""
    import grimp

    graph = grimp.build_graph(*PACKAGES, cache_dir=None)
    modules = sorted(m for m in graph.modules if m.split(".")[0] in PACKAGES)
    reach = {m: graph.find_downstream_modules(m) for m in modules}
    cycles = {frozenset({a, b}) for a in modules for b in reach[a] if a < b and a in reach.get(b, ())}
    # a cycle through three modules shows up as pairs too; report the pairs not known
    unknown = sorted(tuple(sorted(pair)) for pair in cycles - KNOWN_CYCLES)
    assert not unknown, f"import cycles: {unknown}"


# ----------------------------------------------------------------------------- docstring examples


@pytest.mark.parametrize("module", _modules())
def test_docstring_examples_run(module: str) -> None:
    """Every `>>>` example in inference/ and training/ runs and prints what it shows."""
    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS, verbose=False)
    assert result.failed == 0


def test_docstring_examples_are_collected() -> None:
    """The parametrised test above sees the examples (22 when it was written, more since)."""
    finder = doctest.DocTestFinder()
    examples = sum(
        len(test.examples) for module in _modules() for test in finder.find(importlib.import_module(module))
    )
    assert examples >= 22


# ----------------------------------------------------------------------------- one copy of each list


def test_units_come_from_units_tsv() -> None:
    """The rule tagger counts exactly the units of units.tsv, and the value parser scales them as it says."""
    from inference.rules import COUNT_PATTERN
    from inference.values import parse_quantity

    for unit in units():
        match = COUNT_PATTERN.search(f"共3{unit.unit},")
        assert match and match.group("count") == f"3{unit.unit}", unit
        quantity = parse_quantity(f"3{unit.unit}")
        assert (quantity.unit, quantity.value) == (unit.base, 3 * unit.scale), unit
    for unknown in ("匹", "吨", "米"):
        assert unit_scale(unknown) is None
        assert COUNT_PATTERN.search(f"共3{unknown},") is None


_UNIT_RUN = re.compile(r"(?:[\u4e00-\u9fff]{1,2}\|){4,}[\u4e00-\u9fff]{1,2}")


@pytest.mark.parametrize("path", _sources() + _sources("training"), ids=lambda p: p.name)
def test_no_second_unit_list(path: Path) -> None:
    """No module spells out a unit alternation (`亿元|万元|元|人次|…`): it comes from `unit_pattern()`."""
    unit_set = set(unit_pattern().split("|"))
    for text in _string_constants(path):
        for run in _UNIT_RUN.findall(text):
            words = run.split("|")
            assert sum(w in unit_set for w in words) < 4, f"{path.name}: a unit list {run!r}"


@pytest.mark.parametrize("path", _sources() + _sources("training"), ids=lambda p: p.name)
def test_no_second_numeral_set(path: Path) -> None:
    """The numeral and ordinal character sets are spelled once, in `inference.lexicon`."""
    if path.name == "lexicon.py":
        return
    for text in _string_constants(path):
        assert ORDINALS not in text and CN_DIGITS[2:] not in text, f"{path.name}: a numeral set in {text!r}"


def test_taiwan_phrasing_comes_from_one_file() -> None:
    """The normaliser's rewrites and markers and the matchers' variants are rows of taiwan_phrasing.tsv."""
    from inference.normalize import TAIWAN_PHRASES, TAIWAN_STRONG_MARKERS, TAIWAN_WEAK_MARKERS
    from inference.rules import RuleTagger

    rows = {(r.taiwan, r.mainland): r for r in taiwan_rows()}
    assert {(k, v) for k, v in TAIWAN_PHRASES.items()} <= set(rows)
    assert all(rows[(k, v)].use in ("rewrite", "keep") for k, v in TAIWAN_PHRASES.items())
    markers = {r.taiwan for r in taiwan_rows() if r.marker}
    assert set(TAIWAN_STRONG_MARKERS) | set(TAIWAN_WEAK_MARKERS) == markers
    assert set(RuleTagger(phrases=()).variants) <= set(rows)
    assert not (DATA_DIR / "rule_variants.tsv").exists()


@pytest.mark.parametrize("path", _sources(), ids=lambda p: p.name)
def test_no_table_row_label_in_code(path: Path) -> None:
    """Every row label the table reader accepts is in table_lexicon.tsv, not written into code
    (a label that tells a template, `TEMPLATE_CUES`, is the one exception)."""
    import csv

    with (DATA_DIR / "table_lexicon.tsv").open(encoding="utf-8", newline="") as handle:
        labels = {
            label
            for row in csv.DictReader(handle, delimiter="\t")
            if row["role"] == "row"
            for label in row["labels"].split("|")
            if len(label) >= 6
        }
    cues = [cue for group in TEMPLATE_CUES.values() for cue in group]
    labels = {label for label in labels if not any(label in cue for cue in cues)}
    constants = _string_constants(path)
    found = sorted(label for label in labels if any(label in text for text in constants))
    assert not found, f"{path.name} spells out table row labels {found}"


def test_a_bad_knowledge_row_names_file_and_line(tmp_path: Path) -> None:
    """A knowledge file with a bad row fails loudly, naming the file and the line."""
    from inference.lexicon import _taiwan_row, _tsv_rows

    bad = tmp_path / "taiwan_phrasing.tsv"
    bad.write_text(
        "taiwan\tmainland\tuse\tmarker\tnote\n资讯\t信息\trewrite\t\t\n专案\t项目\tsometimes\t\t\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match=r"taiwan_phrasing\.tsv:3: bad row"):
        _tsv_rows(bad, _taiwan_row)


def test_code_passes_ruff() -> None:
    """`ruff check` (configured in pyproject.toml; a dev extra) finds nothing."""
    ruff = shutil.which("ruff")
    if ruff is None:
        pytest.skip("ruff is not installed (pip install -e '.[dev]')")
    done = subprocess.run([ruff, "check", "-q", "."], capture_output=True, text=True, cwd=REPO_ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
