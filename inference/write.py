"""Write prediction outputs: JSON Lines, and CSV/Parquet wide + long tables, always atomically.

The JSON Lines file holds the spec's objects (one per report, error objects included). CSV and
Parquet get a *wide* table (one row per report: source, issuer, year, template, one column per
catalogue field in catalogue order, then combined `+` ids that are not in the catalogue, sorted,
then `error`) and a *long* table next to it (`OUT.records.csv` / `OUT.records.parquet`, one row
per record). Tables are built in two streaming passes over a JSON Lines file, so memory does not
grow with the number of reports. Running the batch is left to `inference.batch`.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from inference.catalogue import field_ids
from inference.errors import UserError

FORMATS: tuple[str, ...] = ("jsonl", "csv", "parquet")
META_COLUMNS: tuple[str, ...] = (
    "source",
    "issuer",
    "year",
    "template",
    *("issuer_level", "province", "city", "county", "adcode", "published"),
)
REGION_COLUMNS: tuple[str, ...] = ("province", "city", "county", "adcode")
"""Wide columns read from the object's `region` ({province, city, county, adcode})."""
LONG_COLUMNS: tuple[str, ...] = (
    "source",
    "metric",
    "categories",
    "value",
    "unit",
    "approx",
    "field",
    "start",
    "end",
    "text",
    "score",
)
PARQUET_ROW_GROUP = 1000
"""Rows buffered before a Parquet row group is flushed: bounds memory, keeps files compact."""


def format_from_path(path: str | Path, fmt: str | None = None) -> str:
    """The output format: `fmt` if given, else from the extension (`.jsonl`/`.json`, `.csv`, `.parquet`).

    >>> format_from_path("out/p.parquet")
    'parquet'
    """
    if fmt is not None:
        if fmt not in FORMATS:
            raise UserError(f"unknown output format {fmt!r}: use one of {', '.join(FORMATS)}")
        return fmt
    suffix = Path(path).suffix.lower()
    by_suffix = {
        ".jsonl": "jsonl",
        ".json": "jsonl",
        ".ndjson": "jsonl",
        ".csv": "csv",
        ".parquet": "parquet",
    }
    if suffix not in by_suffix and Path(path).is_dir():
        raise UserError(
            f"{str(path)!r} is a directory: give an output file name ({Path(path) / 'predictions.jsonl'})"
        )
    if suffix not in by_suffix:
        raise UserError(
            f"cannot tell the output format from {str(path)!r}: name it .jsonl, .csv or .parquet "
            f"({Path(path).with_suffix('.jsonl')}, or {Path(path) / 'predictions.jsonl'} for a folder), "
            "or pass --format"
        )
    return by_suffix[suffix]


def records_path(path: str | Path) -> Path:
    """Where the long (one row per record) table goes: `out/p.csv` -> `out/p.records.csv`."""
    path = Path(path)
    return path.with_name(f"{path.stem}.records{path.suffix}")


@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temp path in the same directory; on success it replaces `path`, on failure it is removed.

    Same directory so `os.replace` is an atomic rename: a reader sees the old file or the new one,
    never half of one, even if the run is killed.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes it private; outputs are as readable as open() makes them
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


_SURROGATE = re.compile("[\ud800-\udfff]")


def result_to_line(obj: dict[str, Any]) -> str:
    r"""One JSON Lines line (with the newline) for a spec object; always encodable as UTF-8.

    A file name that is not UTF-8 (GBK bytes left by `unzip`) reaches us as lone surrogates
    (`os.fsdecode`); they are written as JSON `\udcXX` escapes, so the line is valid UTF-8 and
    `os.fsencode(json.loads(line)["source"])` gives the original bytes back.

    >>> result_to_line({"source": "zz_\udcb1.txt"})
    '{"source": "zz_\\udcb1.txt"}\n'
    """
    line = json.dumps(obj, ensure_ascii=False)
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", line) + "\n"


def display_text(value: Any) -> Any:
    r"""A string for CSV/Parquet cells: undecodable file-name bytes shown as `\xNN` (lossy only there)."""
    if isinstance(value, str) and _SURROGATE.search(value):
        return value.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return value


def iter_jsonl(path: str | Path) -> Iterator[dict[str, Any]]:
    """Objects of a JSON Lines file, streamed."""
    with Path(path).open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


@dataclass(frozen=True)
class TableColumns:
    """Columns of the wide table and which field columns hold only integers."""

    extra_ids: tuple[str, ...]
    float_ids: frozenset[str]

    @property
    def field_columns(self) -> tuple[str, ...]:
        return field_ids() + self.extra_ids

    @property
    def names(self) -> tuple[str, ...]:
        return META_COLUMNS + self.field_columns + ("error",)


def scan_columns(objs: Iterable[dict[str, Any]]) -> TableColumns:
    """First pass: ids outside the catalogue (combined `+` ids, sorted) and fields with non-integer values."""
    known = set(field_ids())
    extra: set[str] = set()
    floats: set[str] = set()
    for obj in objs:
        for fid, value in (obj.get("fields") or {}).items():
            if fid not in known:
                extra.add(fid)
            if isinstance(value, float) and not value.is_integer():
                floats.add(fid)
    return TableColumns(tuple(sorted(extra)), frozenset(floats))


def result_to_wide_row(obj: dict[str, Any], columns: TableColumns) -> dict[str, Any]:
    """One wide-table row: meta columns, every field column (None where absent), error."""
    fields = obj.get("fields") or {}
    region = obj.get("region") or {}
    row: dict[str, Any] = {
        name: display_text(region.get(name) if name in REGION_COLUMNS else obj.get(name))
        for name in META_COLUMNS
    }
    for fid in columns.field_columns:
        value = fields.get(fid)
        if isinstance(value, float) and value.is_integer() and fid not in columns.float_ids:
            value = int(value)
        row[fid] = value
    row["error"] = obj.get("error")
    return row


def result_to_long_rows(obj: dict[str, Any]) -> list[dict[str, Any]]:
    """One long-table row per record, the report's source first."""
    rows = []
    for record in obj.get("records") or []:
        row = {name: record.get(name) for name in LONG_COLUMNS if name != "source"}
        row["source"] = display_text(obj.get("source"))
        row["categories"] = list(record.get("categories") or [])
        rows.append(row)
    return rows


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        # "|" never occurs in category labels (they are table headers / prose phrases).
        return "|".join(map(str, value))
    return value


def write_csv_tables(jsonl_path: str | Path, out_path: str | Path) -> Path:
    """Wide CSV at `out_path` and long CSV next to it, from a JSON Lines file; returns the long path."""
    columns = scan_columns(iter_jsonl(jsonl_path))
    long_path = records_path(out_path)
    with atomic_path(out_path) as wide_tmp, atomic_path(long_path) as long_tmp:
        with (
            wide_tmp.open("w", encoding="utf-8", newline="") as wide,
            long_tmp.open("w", encoding="utf-8", newline="") as long,
        ):
            wide_writer = csv.writer(wide)
            long_writer = csv.writer(long)
            wide_writer.writerow(columns.names)
            long_writer.writerow(LONG_COLUMNS)
            for obj in iter_jsonl(jsonl_path):
                row = result_to_wide_row(obj, columns)
                wide_writer.writerow([_csv_cell(row[name]) for name in columns.names])
                for record in result_to_long_rows(obj):
                    long_writer.writerow([_csv_cell(record[name]) for name in LONG_COLUMNS])
    return long_path


def _parquet_schemas(columns: TableColumns):
    import pyarrow as pa

    meta = [
        pa.field("source", pa.string()),
        pa.field("issuer", pa.string()),
        pa.field("year", pa.int64()),
        pa.field("template", pa.string()),
        *(pa.field(name, pa.string()) for name in META_COLUMNS[4:]),
    ]
    values = [
        pa.field(fid, pa.float64() if fid in columns.float_ids else pa.int64())
        for fid in columns.field_columns
    ]
    wide = pa.schema(meta + values + [pa.field("error", pa.string())])
    long = pa.schema(
        [
            pa.field("source", pa.string()),
            pa.field("metric", pa.string()),
            pa.field("categories", pa.list_(pa.string())),
            pa.field("value", pa.float64()),
            pa.field("unit", pa.string()),
            pa.field("approx", pa.bool_()),
            pa.field("field", pa.string()),
            pa.field("start", pa.int64()),
            pa.field("end", pa.int64()),
            pa.field("text", pa.string()),
            pa.field("score", pa.float64()),
        ]
    )
    return wide, long


def write_parquet_tables(jsonl_path: str | Path, out_path: str | Path) -> Path:
    """Wide Parquet at `out_path`, long Parquet next to it, from a JSON Lines file; returns the long path."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    columns = scan_columns(iter_jsonl(jsonl_path))
    wide_schema, long_schema = _parquet_schemas(columns)
    long_path = records_path(out_path)
    with atomic_path(out_path) as wide_tmp, atomic_path(long_path) as long_tmp:
        with pq.ParquetWriter(wide_tmp, wide_schema) as wide, pq.ParquetWriter(long_tmp, long_schema) as long:
            wide_rows: list[dict[str, Any]] = []
            long_rows: list[dict[str, Any]] = []

            def flush(force: bool = False) -> None:
                if wide_rows and (force or len(wide_rows) >= PARQUET_ROW_GROUP):
                    wide.write_table(pa.Table.from_pylist(wide_rows, schema=wide_schema))
                    wide_rows.clear()
                if long_rows and (force or len(long_rows) >= PARQUET_ROW_GROUP * 20):
                    long.write_table(pa.Table.from_pylist(long_rows, schema=long_schema))
                    long_rows.clear()

            for obj in iter_jsonl(jsonl_path):
                wide_rows.append(result_to_wide_row(obj, columns))
                long_rows.extend(result_to_long_rows(obj))
                flush()
            flush(force=True)
    return long_path


def write_tables(jsonl_path: str | Path, out_path: str | Path, fmt: str) -> Path | None:
    """Convert a finished JSON Lines file to the requested table format; None for `jsonl` (nothing to do)."""
    if fmt == "csv":
        return write_csv_tables(jsonl_path, out_path)
    if fmt == "parquet":
        return write_parquet_tables(jsonl_path, out_path)
    return None
