from __future__ import annotations

import csv
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from inference.catalogue import field_ids
from inference.errors import UserError
from inference.write import (
    atomic_path,
    format_from_path,
    records_path,
    result_to_long_rows,
    result_to_wide_row,
    scan_columns,
    write_tables,
)

REPORTS = [
    {
        "source": "a.txt",
        "issuer": "某市人民政府",
        "year": 2019,
        "template": "2019",
        "fields": {
            "applications.new.total": 94,
            "proactive.total": 1200,
            "applications.channel.fax+letter": 70,
            "fees.collected": 0.0,
        },
        "records": [
            {
                "metric": "政府信息公开申请",
                "categories": ["本年新收", "总计"],
                "value": 94,
                "unit": "件",
                "approx": False,
                "field": "applications.new.total",
                "start": 10,
                "end": 12,
                "text": "94",
                "score": 0.9,
            },
            {
                "metric": "培训",
                "categories": [],
                "value": 3,
                "unit": "次",
                "approx": True,
                "field": None,
                "start": 20,
                "end": 23,
                "text": "3余次",
                "score": 1.0,
            },
        ],
        "checks": [],
    },
    {
        "source": "b.txt",
        "issuer": None,
        "year": None,
        "template": None,
        "fields": {"applications.channel.email+web": 5, "proactive.total": 2.5},
        "records": [],
        "checks": [],
    },
    {"source": "bad.txt", "error": "file is empty", "fields": {}, "records": [], "checks": []},
]


def _write_jsonl(path: Path, objs: list[dict]) -> Path:
    path.write_text("".join(json.dumps(o, ensure_ascii=False) + "\n" for o in objs), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("path", "fmt", "expected"),
    [
        ("out/p.jsonl", None, "jsonl"),
        ("out/p.JSONL", None, "jsonl"),
        ("out/p.csv", None, "csv"),
        ("out/p.parquet", None, "parquet"),
        ("out/p.txt", "csv", "csv"),
    ],
)
def test_write_format_from_path(path, fmt, expected):
    assert format_from_path(path, fmt) == expected


@pytest.mark.parametrize(("path", "fmt"), [("out/p.txt", None), ("out/p.csv", "xlsx")])
def test_write_format_from_path_rejects_unknown(path, fmt):
    with pytest.raises(UserError, match="jsonl"):
        format_from_path(path, fmt)


def test_write_records_path_sits_next_to_the_table():
    assert records_path("out/p.csv") == Path("out/p.records.csv")
    assert records_path("p.parquet") == Path("p.records.parquet")


def test_write_atomic_path_keeps_old_file_when_interrupted(tmp_path):
    target = tmp_path / "p.jsonl"
    target.write_text("old\n")
    with pytest.raises(KeyboardInterrupt), atomic_path(target) as tmp:
        tmp.write_text("half of the new")
        raise KeyboardInterrupt
    assert target.read_text() == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.jsonl"]
    with atomic_path(target) as tmp:
        tmp.write_text("new\n")
    assert target.read_text() == "new\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.jsonl"]


def test_write_scan_columns_puts_combined_ids_after_the_catalogue_sorted():
    columns = scan_columns(REPORTS)
    assert columns.extra_ids == ("applications.channel.email+web", "applications.channel.fax+letter")
    assert columns.names[:4] == ("source", "issuer", "year", "template")
    assert columns.names[4:10] == ("issuer_level", "province", "city", "county", "adcode", "published")
    assert columns.names[10 : 10 + len(field_ids())] == field_ids()
    assert columns.names[-3:] == columns.extra_ids + ("error",)
    assert columns.float_ids == {"proactive.total"}


def test_write_wide_row_is_empty_where_absent():
    columns = scan_columns(REPORTS)
    row = result_to_wide_row(REPORTS[0], columns)
    assert row["applications.new.total"] == 94
    assert row["fees.collected"] == 0 and isinstance(row["fees.collected"], int)
    assert row["review.total"] is None
    assert row["error"] is None
    assert result_to_wide_row(REPORTS[2], columns)["error"] == "file is empty"


def test_write_long_rows_one_per_record():
    rows = result_to_long_rows(REPORTS[0])
    assert [r["text"] for r in rows] == ["94", "3余次"]
    assert rows[0]["source"] == "a.txt" and rows[0]["categories"] == ["本年新收", "总计"]
    assert result_to_long_rows(REPORTS[2]) == []


def test_write_csv_tables(tmp_path):
    jsonl = _write_jsonl(tmp_path / "in.jsonl", REPORTS)
    long_path = write_tables(jsonl, tmp_path / "p.csv", "csv")
    assert long_path == tmp_path / "p.records.csv"
    with (tmp_path / "p.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["source"] for r in rows] == ["a.txt", "b.txt", "bad.txt"]
    assert rows[0]["applications.new.total"] == "94"
    assert rows[0]["review.total"] == ""
    assert rows[0]["applications.channel.fax+letter"] == "70"
    assert rows[1]["proactive.total"] == "2.5"
    assert rows[2]["error"] == "file is empty"
    with long_path.open(encoding="utf-8", newline="") as handle:
        records = list(csv.DictReader(handle))
    assert [r["categories"] for r in records] == ["本年新收|总计", ""]
    assert records[1]["approx"] == "true" and records[1]["field"] == ""


def test_write_parquet_tables(tmp_path):
    jsonl = _write_jsonl(tmp_path / "in.jsonl", REPORTS)
    long_path = write_tables(jsonl, tmp_path / "p.parquet", "parquet")
    wide = pq.read_table(tmp_path / "p.parquet")
    assert wide.column_names[:4] == ["source", "issuer", "year", "template"]
    assert wide.column_names[10] == field_ids()[0]
    assert str(wide.schema.field("adcode").type) == "string"
    assert wide.column_names[-1] == "error"
    assert str(wide.schema.field("applications.new.total").type) == "int64"
    assert str(wide.schema.field("proactive.total").type) == "double"
    assert wide.column("applications.new.total").to_pylist() == [94, None, None]
    long = pq.read_table(long_path)
    assert long.num_rows == 2
    assert long.column("categories").to_pylist() == [["本年新收", "总计"], []]


def test_write_tables_of_an_empty_batch(tmp_path):
    jsonl = _write_jsonl(tmp_path / "in.jsonl", [])
    write_tables(jsonl, tmp_path / "p.parquet", "parquet")
    assert pq.read_table(tmp_path / "p.parquet").num_rows == 0
    write_tables(jsonl, tmp_path / "p.csv", "csv")
    assert (tmp_path / "p.csv").read_text(encoding="utf-8").startswith("source,issuer,year,template,")


def test_write_format_from_path_names_a_directory(tmp_path):
    with pytest.raises(UserError, match="is a directory"):
        format_from_path(tmp_path, None)
