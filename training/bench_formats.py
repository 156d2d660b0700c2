"""Benchmark the PDF, Word and Markdown readers: field F1 per rendering style on generated reports.

Generates `n` HTML reports per run (cycling through the template generations), renders each as PDF
in every style of `training.render.STYLES` (headless Chromium) and as DOCX, writes the generator's
Markdown layout of the same seeds as ``.md``, predicts all of them in one `gia predict` run and
scores fields against the generator's gold, per style. ``html`` (the page as generated) is the
baseline: a reader is as good as the HTML reader when its style scores the same.

    python -m training.bench_formats --n 6 --out /tmp/bench_formats
    python -m training.bench_formats --speed 23 --out /tmp/bench_formats   # ~100-page PDF: pages/s, memory
    python -m training.bench_formats --real annotations/real/reports annotations/real/gold

``--real REPORTS GOLD`` prints real reports instead: every ``.html`` and ``.txt`` of REPORTS as a ruled
PDF at each of `REAL_FONT_SIZES` (the page breaks fall elsewhere at each size, and Chromium breaks a
row across pages as word processors do) and as DOCX, scored with the reports' own gold. A table wider
than the page is cut at its edge in print: its missing columns are lost values, not a reader error.
``--real REPORTS text`` needs no gold: each printout is scored against the prediction on the file it
was printed from, so every difference is the printout's reading (``annotations/unlabelled``).

Needs Chromium and a CJK font for the PDF styles (``apt-get install -y chromium fonts-wqy-microhei``);
without Chromium the PDF styles are skipped and said so.
"""

from __future__ import annotations

import argparse
import json
import logging
import subprocess
import sys
import time
from html import escape
from pathlib import Path

from inference.read import decode_html_bytes, read_report
from training.evaluate import load_golds, prf, score_fields, source_stem
from training.render import STYLES, chromium, html_to_docx, html_to_pdf, style_html
from training.synth import GENERATIONS, generate_report

logger = logging.getLogger(__name__)

BASE_SEED = 7_000_001


def render_corpus(n: int, out_dir: Path, *, seed: int = BASE_SEED) -> dict[str, dict]:
    """Write `n` reports per style under ``out_dir/<style>/``; return gold per report stem."""
    styles = ["html", "docx", "md", *(f"pdf-{s}" for s in STYLES if chromium())]
    for style in styles:
        (out_dir / style).mkdir(parents=True, exist_ok=True)
    golds: dict[str, dict] = {}
    for i in range(n):
        generation = GENERATIONS[i % len(GENERATIONS)]
        report = generate_report(seed + i, generation=generation, layout="html", script="simplified")
        stem = report["id"]
        golds[stem] = report["gold"]
        html = report["raw"]
        (out_dir / "html" / f"{stem}.html").write_text(html, encoding="utf-8")
        html_to_docx(html, out_dir / "docx" / f"{stem}.docx")
        markdown = generate_report(seed + i, generation=generation, layout="markdown", script="simplified")
        (out_dir / "md" / f"{stem}.md").write_text(markdown["raw"], encoding="utf-8")
        golds[stem + "#md"] = markdown["gold"]
        for style in STYLES:
            if chromium():
                html_to_pdf(style_html(html, style), out_dir / f"pdf-{style}" / f"{stem}.pdf")
    return golds


REAL_FONT_SIZES: tuple[int, ...] = (9, 10, 11, 12, 13, 14, 15, 17)


TEXT_REFERENCE = "text"
"""`--real REPORTS text`: score each printout against the prediction on the file it was printed from."""


def render_real(report_dir: Path, gold_dir: Path | str, out_dir: Path) -> dict[str, dict]:
    """Print every ``.html`` and ``.txt`` report of `report_dir` that has a gold file: ``html`` (the
    page as published, or the text as paragraphs and its tab rows as tables: `text_to_html`),
    ``docx`` and ``pt<N>`` (ruled PDF, text at N pt). Returns gold per report stem.

    With `gold_dir` ``text`` (`TEXT_REFERENCE`) the reference is the prediction on the file itself,
    so reports without gold (``annotations/unlabelled``) show where printing changes the reading."""
    out_dir.mkdir(parents=True, exist_ok=True)
    if str(gold_dir) == TEXT_REFERENCE:
        golds = text_predictions(report_dir, out_dir / "reference.jsonl")
    else:
        golds = load_golds(str(gold_dir))
    out: dict[str, dict] = {}
    styles = {"html": None, "docx": None, **{f"pt{size}": size for size in REAL_FONT_SIZES}}
    for style in styles:
        (out_dir / style).mkdir(parents=True, exist_ok=True)
    for path in sorted(p for p in report_dir.iterdir() if p.suffix in (".html", ".htm", ".txt")):
        stem = source_stem(path.name)
        if stem not in golds or stem in out:
            continue
        out[stem] = golds[stem]
        if path.suffix == ".txt":
            html = text_to_html(read_report(path).text)
        else:
            html, _ = decode_html_bytes(path.read_bytes(), source=str(path))
        (out_dir / "html" / f"{stem}.html").write_text(html, encoding="utf-8")
        html_to_docx(html, out_dir / "docx" / f"{stem}.docx")
        for style, size in styles.items():
            if size is not None and chromium():
                sized = (
                    f" p, td, td * {{ font-size: {size}pt !important; }} body {{ font-size: {size + 1}pt; }}"
                )
                html_to_pdf(style_html(html, "ruled").replace("</style>", sized + "</style>", 1),
                            out_dir / style / f"{stem}.pdf")  # fmt: skip
    return out


def text_predictions(report_dir: Path, predictions: Path) -> dict[str, dict]:
    """`gia predict` on the ``.html``/``.txt`` reports of `report_dir` as published: fields per stem."""
    sources = sorted(p for p in report_dir.iterdir() if p.suffix in (".html", ".htm", ".txt"))
    predict_files(sources, predictions)
    out = {}
    for line in predictions.read_text(encoding="utf-8").splitlines():
        data = json.loads(line)
        if not data.get("error"):
            out.setdefault(source_stem(data["source"]), {"fields": data.get("fields", {})})
    return out


def text_to_html(text: str) -> str:
    """A text report as a page: each line a paragraph, each run of tab-separated lines a table."""
    body: list[str] = []
    rows: list[str] = []
    for line in [*text.split("\n"), ""]:
        if "\t" in line:
            rows.append("<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in line.split("\t")) + "</tr>")
            continue
        if rows:
            body.append(f"<table>{''.join(rows)}</table>")
            rows = []
        if line.strip():
            body.append(f"<p>{escape(line)}</p>")
    head = '<!DOCTYPE html><html><head><meta charset="utf-8"></head>'
    return f"{head}<body>{''.join(body)}</body></html>"


def predict(out_dir: Path, predictions: Path, *, workers: int = 1) -> float:
    """`gia predict` over every rendered file; returns the seconds it took."""
    started = time.perf_counter()
    rendered = [p for p in out_dir.iterdir() if p.is_dir()]
    predict_files(rendered, predictions, workers=workers)
    return time.perf_counter() - started


def predict_files(paths: list[Path], predictions: Path, *, workers: int = 1) -> None:
    """`gia predict PATHS -o predictions --force` in a fresh process (raises if it fails)."""
    command = [sys.executable, "-m", "gia.cli", "predict", *map(str, paths), "-o", str(predictions),
               "--workers", str(workers), "--force", "-q"]  # fmt: skip
    subprocess.run(command, check=True)


def score_by_style(predictions: Path, golds: dict[str, dict]) -> dict[str, dict[str, float]]:
    """Field precision/recall/F1 per style folder, with the generator's gold."""
    by_style: dict[str, dict[str, dict]] = {}
    for line in predictions.read_text(encoding="utf-8").splitlines():
        data = json.loads(line)
        style = Path(data["source"]).parent.name
        stem = source_stem(data["source"]) + ("#md" if style == "md" else "")
        by_style.setdefault(style, {})[stem] = data
    out: dict[str, dict[str, float]] = {}
    for style, preds in sorted(by_style.items()):
        gold = {stem: golds[stem] for stem in preds}
        totals = score_fields({k.removesuffix("#md"): v for k, v in preds.items()},
                              {k.removesuffix("#md"): v for k, v in gold.items()})  # fmt: skip
        precision, recall, f1 = prf(totals.tp, totals.pred, totals.gold)
        errors = sum(1 for p in preds.values() if p.get("error"))
        out[style] = {"reports": len(preds), "errors": errors, "P": precision, "R": recall, "F1": f1}
    return out


def render_long_pdf(n: int, path: Path, *, seed: int = BASE_SEED) -> Path:
    """`n` generated reports, one after another (each from a new page), as one ruled PDF."""
    from lxml import html as lxml_html

    bodies = []
    for i in range(n):
        generation = GENERATIONS[i % len(GENERATIONS)]
        report = generate_report(seed + 500 + i, generation=generation, layout="html", script="simplified")
        body = lxml_html.document_fromstring(report["raw"]).find("body")
        bodies.append("".join(lxml_html.tostring(child, encoding="unicode") for child in body))
    page_break = '<div style="break-after: page"></div>'
    head = '<!DOCTYPE html><html><head><meta charset="utf-8"></head>'
    html = f"{head}<body>{page_break.join(bodies)}</body></html>"
    return html_to_pdf(style_html(html, "ruled"), path)


_SPEED_PROBE = """
import resource, sys, time
from inference.read_pdf import pdf_to_text
started, cpu = time.perf_counter(), time.process_time()
pages = len(pdf_to_text(sys.argv[1]).page_starts)
wall, cpu = time.perf_counter() - started, time.process_time() - cpu
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"{pages} pages: {pages / wall:.2f} pages/s wall, {pages / cpu:.2f} pages/s CPU, "
      f"peak RSS {peak:.0f} MB")
"""


def measure_speed(pdf: Path) -> str:
    """Read `pdf` in a fresh process: pages per second (wall and CPU) and peak resident memory."""
    done = subprocess.run(
        [sys.executable, "-c", _SPEED_PROBE, str(pdf)], capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=6, help="reports per style")
    parser.add_argument("--out", default="/tmp/bench_formats", help="folder for rendered files")
    parser.add_argument("--seed", type=int, default=BASE_SEED)
    parser.add_argument(
        "--speed", type=int, default=0, metavar="REPORTS",
        help="only measure reading speed and memory on one PDF of this many reports (23: ~100 pages)",
    )  # fmt: skip
    parser.add_argument(
        "--real", nargs=2, metavar=("REPORTS", "GOLD"),
        help=f"print real reports; GOLD `{TEXT_REFERENCE}`: score against the prediction on each file itself",
    )  # fmt: skip
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    out_dir = Path(args.out)
    if args.speed:
        out_dir.mkdir(parents=True, exist_ok=True)
        print(measure_speed(render_long_pdf(args.speed, out_dir / "long.pdf", seed=args.seed)))
        return
    if args.real:
        golds = render_real(Path(args.real[0]), Path(args.real[1]), out_dir)
    else:
        golds = render_corpus(args.n, out_dir, seed=args.seed)
    predictions = out_dir / "predictions.jsonl"
    seconds = predict(out_dir, predictions)
    print(f"{'style':16} reports errors      P      R     F1   (predict {seconds:.0f} s)")
    for style, s in score_by_style(predictions, golds).items():
        print(f"{style:16} {s['reports']:7d} {s['errors']:6d} {s['P']:.3f} {s['R']:.3f} {s['F1']:.3f}")


if __name__ == "__main__":
    main()
