from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from inference import REPO_ROOT
from inference.show import result_to_html, show_report, text_to_marked_html
from inference.taggers import TaggerSpec

TEXT = "一、本年新收申请94件，其中当面申请5件。\n总计\t94\n收费0元。<b>"
RESULT = {
    "source": "r.txt",
    "issuer": "某市人民政府",
    "year": 2019,
    "template": "2019",
    "fields": {"applications.new.total": 94, "applications.channel.in_person": 5},
    "records": [
        {
            "metric": "申请",
            "categories": ["本年新收"],
            "value": 94,
            "unit": "件",
            "approx": False,
            "field": "applications.new.total",
            "start": 8,
            "end": 11,
            "text": "94件",
            "score": 1.0,
        },
        {
            "metric": "申请",
            "categories": ["当面申请"],
            "value": 5,
            "unit": "件",
            "approx": False,
            "field": "applications.channel.in_person",
            "start": 18,
            "end": 20,
            "text": "5件",
            "score": 1.0,
        },
        {
            "metric": "申请",
            "categories": ["总计"],
            "value": 94,
            "unit": "件",
            "approx": False,
            "field": None,
            "start": 25,
            "end": 27,
            "text": "94",
            "score": 1.0,
        },
        {
            "metric": "申请",
            "categories": [],
            "value": 9,
            "unit": "件",
            "approx": False,
            "field": None,
            "start": 8,
            "end": 9,
            "text": "9",
            "score": 1.0,
        },
    ],
    "checks": [
        {
            "name": "channels.sum",
            "ok": False,
            "message": "applications.channel.in_person (5) != applications.new.total (94)",
        },
        {"name": "table3.balance", "ok": True, "message": ""},
    ],
}
BROWSER_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def test_show_marks_every_record_with_an_anchor():
    assert TEXT[8:11] == "94件" and TEXT[18:20] == "5件" and TEXT[25:27] == "94"
    markup, anchors = text_to_marked_html(TEXT, RESULT)
    assert re.findall(r'<mark class="entity[^"]*" id="(rec-\d+)"', markup) == ["rec-0", "rec-1", "rec-2"]
    assert anchors == {
        0: "rec-0",
        1: "rec-1",
        2: "rec-2",
        3: "rec-0",
    }  # the overlapping one links to its cover
    assert "&lt;b&gt;" in markup and "<b>" not in markup
    assert "\t" in markup  # cell separators kept; the page shows them with white-space: pre-wrap


def test_show_page_links_fields_and_flags_failed_checks():
    page = result_to_html(TEXT, RESULT)
    assert '<a href="#rec-0">94件</a>' in page
    assert '<tr class="failed" data-field="applications.channel.in_person">' in page
    assert '<tr class="failed"><td class="status">FAILED</td>' in page
    assert 'class="entity failed" id="rec-1"' in page
    assert "<script" not in page and "http" not in page.replace("http-equiv", "")


def test_show_page_of_an_error():
    page = result_to_html("", {"source": "x.txt", "error": "file is empty", "fields": {}})
    assert 'id="error">error: file is empty' in page


def browser_required() -> bool:
    """CI (`CI=true`, set by `.ci/run`) or `GIA_REQUIRE_BROWSER=1`: a missing browser fails the test."""
    return os.environ.get("CI", "").lower() == "true" or os.environ.get("GIA_REQUIRE_BROWSER") == "1"


def _chromium() -> str:
    """The Chromium binary; on a fresh machine without one the browser test skips and says how to run it."""
    if os.environ.get("GIA_SKIP_BROWSER") == "1" and not browser_required():
        pytest.skip("GIA_SKIP_BROWSER=1")
    found = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if found is None:
        message = "no Chromium found: apt-get install -y chromium (as .ci/run does) to run this test"
        if browser_required():
            pytest.fail(message + " (required: CI=true or GIA_REQUIRE_BROWSER=1)")
        pytest.skip(message)
    return found


def _run_chromium(binary: str, tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp_path / "profile"
    return subprocess.run(
        [binary, *BROWSER_FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )


@pytest.mark.slow
def test_show_page_renders_in_headless_chromium(tmp_path):
    binary = _chromium()
    page = tmp_path / "page.html"
    result = show_report(
        REPO_ROOT / "annotations" / "seeds" / "003_b003d5ead7b0b73a.txt", page, tagger=TaggerSpec("rules")
    )
    assert result["fields"], "the rule tagger finds fields in the 2019 seed report"
    url = page.as_uri()

    dom = _run_chromium(binary, tmp_path, "--dump-dom", url).stdout
    marks = re.findall(r'<mark class="entity[^"]*" id="rec-\d+"', dom)
    assert len(marks) >= len(result["fields"]) // 4 > 0
    rows = re.findall(r'<tr(?: class="failed")? data-field="([^"]+)"', dom)
    assert rows == list(result["fields"])
    assert '<a href="#rec-' in dom
    assert "申请" in dom  # the original text is there

    shot = tmp_path / "page.png"
    _run_chromium(binary, tmp_path, f"--screenshot={shot}", "--window-size=1280,900", url)
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (1280, 900)
    assert len(data) > 20_000  # a blank page is a few KB


def test_show_a_directory_says_so(tmp_path):
    from inference.errors import UserError
    from inference.taggers import TaggerSpec

    with pytest.raises(UserError, match="is a directory"):
        show_report(tmp_path, tmp_path / "x.html", tagger=TaggerSpec("rules"))
