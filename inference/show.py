"""A self-contained HTML review page for one report: the original text with every record marked
(spaCy displaCy, `style="ent"`, `manual=True`) beside a table of the extracted fields, each value
linked to its place in the text, and the report's checks with failures highlighted.

The page has no scripts and loads nothing: styles are inline, so it can be mailed or archived.
Prediction itself is left to `inference.pipeline.predict_items`.
"""

from __future__ import annotations

import html
import logging
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

from inference.errors import ReadError, UserError
from inference.pipeline import INPUT_ERROR_KEY, WorkItem, predict_items
from inference.read import read_report
from inference.taggers import TaggerSpec, load_tagger_from_spec
from inference.write import atomic_path

logger = logging.getLogger(__name__)

COLOR_FIELD = "#b8e6c1"
COLOR_UNMAPPED = "#e4e4e4"
COLOR_FAILED = "#f6a5a5"
UNMAPPED_LABEL = "record"

PAGE_CSS = """
body { font-family: -apple-system, "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif;
       margin: 0; color: #222; }
header { padding: 0.8em 1.2em; background: #264653; color: #fff; }
header h1 { font-size: 1.2em; margin: 0 0 0.3em 0; }
header .meta span { margin-right: 1.5em; }
.error { background: #fde2e2; color: #8a1c1c; padding: 0.8em 1.2em; font-weight: bold; }
main { display: flex; gap: 1em; padding: 1em; align-items: flex-start; }
#report-text { flex: 3; min-width: 0; border: 1px solid #ddd; padding: 1em;
               max-height: 92vh; overflow: auto; }
#report-text .entities { white-space: pre-wrap; tab-size: 6; font-size: 15px; line-height: 2.2 !important; }
#report-text mark.failed { outline: 2px solid #c0392b; }
#report-text mark:target { outline: 3px solid #e76f51; }
aside { flex: 2; min-width: 0; max-height: 92vh; overflow: auto; }
table { border-collapse: collapse; width: 100%; font-size: 13px; margin-bottom: 1.5em; }
th, td { border: 1px solid #ddd; padding: 0.25em 0.5em; text-align: left; vertical-align: top; }
th { background: #f4f4f4; position: sticky; top: 0; }
td.value { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td code { word-break: break-all; }
tr.failed td { background: #fde2e2; }
tr.failed td.status { color: #c0392b; font-weight: bold; }
tr.ok td.status { color: #2a9d8f; }
code { font-size: 12px; }
"""


def _strip_template_space(markup: str) -> str:
    """displaCy's templates indent the inside of `<mark>`; under `white-space: pre-wrap` that would show."""
    markup = re.sub(r"(<mark [^>]*>)\s+", r"\1", markup)
    markup = re.sub(r"\s+(<span style=\"font-size: 0.8em)", r"\1", markup)
    markup = re.sub(r"(</span>)\s+(</mark>)\s*", r"\1\2", markup)
    return markup


def _failed_field_ids(result: dict[str, Any]) -> set[str]:
    """Field ids named in failed checks' names or messages (checks carry no structured field list)."""
    failed_text = " ".join(
        f"{c.get('name', '')} {c.get('message', '')}" for c in result.get("checks") or [] if not c.get("ok")
    )
    ids = set(result.get("fields") or {}) | {
        r.get("field") for r in result.get("records") or [] if r.get("field")
    }
    return {fid for fid in ids if fid and fid in failed_text}


def _non_overlapping(records: list[dict[str, Any]], text_len: int) -> list[tuple[int, dict[str, Any]]]:
    """(record index, record) sorted by start, without records overlapping an earlier one or out of range."""
    order = sorted(range(len(records)), key=lambda i: (records[i]["start"], -records[i]["end"]))
    kept: list[tuple[int, dict[str, Any]]] = []
    last_end = -1
    for i in order:
        record = records[i]
        start, end = record.get("start"), record.get("end")
        if not isinstance(start, int) or not isinstance(end, int) or not 0 <= start < end <= text_len:
            continue
        if start < last_end:
            continue
        kept.append((i, record))
        last_end = end
    return kept


def text_to_marked_html(text: str, result: dict[str, Any]) -> tuple[str, dict[int, str]]:
    """displaCy markup of `text` with one `<mark id="rec-N">` per record, and record index → anchor."""
    from spacy import displacy

    records = result.get("records") or []
    failed = _failed_field_ids(result)
    kept = _non_overlapping(records, len(text))
    colors: dict[str, str] = {UNMAPPED_LABEL: COLOR_UNMAPPED}
    ents = []
    for _, record in kept:
        label = record.get("field") or UNMAPPED_LABEL
        if label != UNMAPPED_LABEL:
            colors[label] = COLOR_FAILED if label in failed else COLOR_FIELD
        ents.append({"start": record["start"], "end": record["end"], "label": label})
    markup = displacy.render(
        [{"text": text, "ents": ents, "title": None}],
        style="ent",
        manual=True,
        page=False,
        jupyter=False,
        options={"colors": colors},
    )
    markup = _strip_template_space(markup)
    anchors: dict[int, str] = {}
    marks = iter(kept)

    def add_id(match: re.Match[str]) -> str:
        index, record = next(marks)
        anchor = f"rec-{index}"
        anchors[index] = anchor
        cls = "entity failed" if record.get("field") in failed else "entity"
        where = " / ".join(record.get("categories") or [])
        tip = f"{record.get('metric') or ''} {where} = {record.get('value')}"
        return f'<mark class="{cls}" id="{anchor}" title="{html.escape(tip.strip(), quote=True)}"'

    markup = re.sub(r'<mark class="entity"', add_id, markup)
    # Records hidden by an overlap link to the mark that covers them.
    for i, record in enumerate(records):
        if i not in anchors:
            for j, other in kept:
                if other["start"] <= record.get("start", -1) < other["end"]:
                    anchors[i] = f"rec-{j}"
                    break
    return markup, anchors


def _value(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}" if isinstance(value, int | float) else html.escape(str(value))


def result_to_html(text: str, result: dict[str, Any], *, title: str | None = None) -> str:
    """The whole review page for a report's original `text` and its spec object `result`."""
    esc = html.escape
    title = title or str(result.get("source", "report"))
    markup, anchors = text_to_marked_html(text, result) if text else ("", {})
    failed = _failed_field_ids(result)
    records = result.get("records") or []
    by_field: dict[str, list[int]] = defaultdict(list)
    for i, record in enumerate(records):
        if record.get("field"):
            by_field[record["field"]].append(i)

    rows = []
    for fid, value in (result.get("fields") or {}).items():
        links = [
            f'<a href="#{anchors[i]}">{esc(records[i].get("text", ""))}</a>'
            for i in by_field.get(fid, [])
            if i in anchors
        ]
        cls = ' class="failed"' if fid in failed else ""
        rows.append(
            f'<tr{cls} data-field="{esc(fid, quote=True)}"><td><code>{esc(fid)}</code></td>'
            f'<td class="value">{_value(value)}</td><td>{" ".join(links) or "—"}</td></tr>'
        )
    check_rows = []
    for check in result.get("checks") or []:
        ok = bool(check.get("ok"))
        check_rows.append(
            f'<tr class="{"ok" if ok else "failed"}"><td class="status">{"ok" if ok else "FAILED"}</td>'
            f"<td><code>{esc(str(check.get('name', '')))}</code></td>"
            f"<td>{esc(str(check.get('message', '')))}</td></tr>"
        )
    unmapped = [
        f'<tr><td><a href="#{anchors[i]}">{esc(r.get("text", ""))}</a></td>'
        f"<td>{esc(r.get('metric') or '')}</td><td>{esc(' / '.join(r.get('categories') or []))}</td>"
        f'<td class="value">{_value(r.get("value"))}</td></tr>'
        for i, r in enumerate(records)
        if not r.get("field") and i in anchors
    ]
    region = result.get("region") or {}
    place = " ".join(region.get(k) or "" for k in ("province", "city", "county")).strip() or None
    shown = {**result, "region": f"{place} ({region.get('adcode')})" if place else None}
    meta = "".join(
        f"<span>{name}: <b>{esc(str(shown[name]) if shown.get(name) is not None else '—')}</b></span>"
        for name in ("issuer", "issuer_level", "region", "year", "published", "template")
    )
    n_failed = sum(1 for c in result.get("checks") or [] if not c.get("ok"))
    error = (
        f'<div class="error" id="error">error: {esc(result["error"])}</div>' if result.get("error") else ""
    )
    return f"""<!DOCTYPE html>
<html lang="zh">
<head>
<meta charset="utf-8">
<title>{esc(title)} — gia review</title>
<style>{PAGE_CSS}</style>
</head>
<body>
<header><h1>{esc(title)}</h1><div class="meta">{meta}
<span>fields: <b>{len(result.get("fields") or {})}</b></span><span>records: <b>{len(records)}</b></span>
<span>failed checks: <b>{n_failed}</b></span></div></header>
{error}
<main>
<section id="report-text">{markup}</section>
<aside>
<h2>Fields</h2>
<table id="fields"><thead><tr><th>field</th><th>value</th><th>in the text</th></tr></thead>
<tbody>{"".join(rows)}</tbody></table>
<h2>Checks</h2>
<table id="checks"><thead><tr><th></th><th>check</th><th>message</th></tr></thead>
<tbody>{"".join(check_rows)}</tbody></table>
<h2>Records without a field</h2>
<table id="unmapped"><thead><tr><th>text</th><th>metric</th><th>categories</th><th>value</th></tr></thead>
<tbody>{"".join(unmapped)}</tbody></table>
</aside>
</main>
</body>
</html>
"""


def show_report(path: str | Path, output: str | Path, *, tagger: TaggerSpec) -> dict[str, Any]:
    """Predict one report and write its review page to `output` (atomically); returns the spec object."""
    path = Path(path)
    if path.is_dir():
        raise UserError(
            f"{path} is a directory: `gia show` reviews one report file (use `gia predict` for a folder)"
        )
    if not path.is_file():
        raise UserError(f"no such report file: {path}")
    tagger.validate()
    objs, _ = predict_items([WorkItem(str(path))], load_tagger_from_spec(tagger))
    result = objs[0]
    result.pop(INPUT_ERROR_KEY, None)
    try:
        text = read_report(path).text
    except ReadError:
        text = ""
    page = result_to_html(text, result, title=path.name)
    with atomic_path(output) as tmp:
        tmp.write_text(page, encoding="utf-8")
    return result
