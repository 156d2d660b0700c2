"""Tests for inference.values: one COUNT span's text → Quantity."""

from __future__ import annotations

import pytest

from inference.values import Quantity, is_empty_cell, parse_quantity


@pytest.mark.parametrize(
    ("text", "value", "unit", "approx"),
    [
        ("342件", 342, "件", False),
        ("两件", 2, "件", False),
        ("三十余次", 30, "次", True),
        ("2万余条", 20000, "条", True),
        ("1.2036 亿元", 120360000, "元", False),
        ("5万元", 50000, "元", False),
        ("10余万元", 100000, "元", True),
        ("2900 余条", 2900, "条", True),
        ("200余人次", 200, "人次", True),
        ("约300人次", 300, "人次", True),
        ("近百条", 100, "条", True),
        ("-14", -14, "", False),
        ("减少3项", -3, "项", False),
        ("5(建设工程规划许可证)", 5, "", False),
        ("1(增加)", 1, "", False),
        ("94", 94, "", False),
        ("0", 0, "", False),
        ("1,234条", 1234, "条", False),
        ("十七条", 17, "条", False),
        ("一千余条", 1000, "条", True),
        ("两万余条", 20000, "条", True),
        ("三万五千条", 35000, "条", False),
        ("300人次左右", 300, "人次", True),
        ("超过1000条", 1000, "条", True),
        ("约 300 人次", 300, "人次", True),
        ("0.00万元", 0, "元", False),
    ],
)
def test_values_parse_quantity(text: str, value: int, unit: str, approx: bool) -> None:
    quantity = parse_quantity(text)
    assert quantity is not None
    assert (quantity.value, quantity.unit, quantity.approx) == (value, unit, approx)
    assert type(quantity.value) is int


@pytest.mark.parametrize("text", ["二〇一九", "2019年", "36%", "12月", "28号", "(增加)", "工作", ""])
def test_values_parse_quantity_not_a_quantity(text: str) -> None:
    assert parse_quantity(text) is None


@pytest.mark.parametrize("text", ["无", "-", "/", "—", "", "  "])
def test_values_empty_cells_are_zero(text: str) -> None:
    assert is_empty_cell(text)
    assert parse_quantity(text, cell=True) == Quantity(0, "", False)


def test_values_default_unit_scales_table_cells() -> None:
    assert parse_quantity("1.5", default_unit="万元") == Quantity(15000, "元", False, 10000)
    assert parse_quantity("-", cell=True, default_unit="万元").value == 0
    # an explicit unit in the cell wins over the column's
    assert parse_quantity("300元", default_unit="万元").value == 300


def test_values_note_with_decrease_is_negative() -> None:
    assert parse_quantity("3(减少)").value == -3


@pytest.mark.parametrize(
    ("text", "value", "approx"),
    [
        ("1万2千条", 12000, False),
        ("1万2000条", 12000, False),
        ("4千5百条", 4500, False),
        ("3千2百余人次", 3200, True),
        ("2万3千余条", 23000, True),
        ("1亿2千万元", 120000000, False),
        ("1.2万条", 12000, False),  # unchanged: one scale
        ("3千余条", 3000, True),
    ],
)
def test_digits_mixed_with_scales_are_one_number(text, value, approx):
    """A probe of 2026-11-30: `1万2千条` had read as 10000 (the number cut after its first scale)."""
    quantity = parse_quantity(text)
    assert quantity is not None and quantity.value == value and quantity.approx is approx
