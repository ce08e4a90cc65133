"""Reading document files: text, PDFs made from the reference reports, web pages, bad files."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from peelkit.errors import DataFileError
from peelkit.reportimport.sources import html_to_text, read_source
from tests.reportimport.pdfs import LINES_PER_PAGE, make_blank_pdf, make_pdf


def test_text_file_keeps_its_lines_and_checksum(reference_reports: Path) -> None:
    path = reference_reports / "001_2e8c9026aad1a9d7.txt"
    source = read_source(path)
    raw = path.read_bytes()
    assert source.sha256 == hashlib.sha256(raw).hexdigest()
    assert source.lines == raw.decode("utf-8").splitlines()
    assert source.media_type == "text/plain"
    assert source.page_count is None


def test_pdf_of_a_report_reads_back_line_for_line(reference_reports: Path, tmp_path: Path) -> None:
    original = (reference_reports / "001_2e8c9026aad1a9d7.txt").read_text(encoding="utf-8")
    pdf = make_pdf(original, tmp_path / "peel-2018-19.pdf")
    source = read_source(pdf)
    assert source.media_type == "application/pdf"
    expected = original.splitlines()
    assert len(source.lines) == len(expected)
    assert source.page_count == -(-len(expected) // LINES_PER_PAGE)
    # The text comes back (tabs as column gaps), and each line knows its page.
    for number in (1, 100, 600, len(expected)):
        assert source.line(number).split() == expected[number - 1].split()
    assert source.pages[0] == 1
    assert source.pages[LINES_PER_PAGE] == 2
    tabbed = [i for i, line in enumerate(expected) if "\t" in line and line.strip()]
    assert any("\t" in source.lines[i] for i in tabbed)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty.txt: is empty"),
        (b"   \n\n  ", "empty.txt: is empty"),
        (bytes(range(256)) * 8, "empty.txt: is binary"),
    ],
)
def test_bad_files(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    with pytest.raises(DataFileError) as caught:
        read_source(path)
    assert str(caught.value).startswith(message)


def test_broken_and_textless_pdfs(reference_reports: Path, tmp_path: Path) -> None:
    pdf = make_pdf("A short report\nwith two lines", tmp_path / "whole.pdf")
    truncated = tmp_path / "truncated.pdf"
    truncated.write_bytes(pdf.read_bytes()[:300])
    with pytest.raises(DataFileError, match="truncated.pdf: is not a readable PDF"):
        read_source(truncated)
    blank = make_blank_pdf(tmp_path / "scan.pdf")
    with pytest.raises(DataFileError, match="scan.pdf: has no text layer"):
        read_source(blank)
    with pytest.raises(DataFileError, match="cannot be read"):
        read_source(tmp_path / "absent.pdf")


def test_saved_web_page_becomes_lines() -> None:
    html = (
        "<!DOCTYPE html><html><head><style>p{}</style><script>var x=1;</script></head><body>"
        "<nav>Menu</nav><h1>Kent PEEL 2017</h1><h2>Effectiveness</h2>"
        "<p>How effective is the force?</p><p>Good</p>"
        "<h3>Areas for improvement</h3><ul><li>The force should do better.</li></ul>"
        "</body></html>"
    )
    lines = [line for line in html_to_text(html).splitlines() if line]
    assert lines == [
        "Kent PEEL 2017",
        "Effectiveness",
        "How effective is the force?",
        "Good",
        "Areas for improvement",
        "- The force should do better.",
    ]


def test_html_file_is_detected(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text("<html><body><p>Kent PEEL 2017</p><p>Good</p></body></html>")
    source = read_source(path)
    assert source.media_type == "text/html"
    assert [line for line in source.lines if line] == ["Kent PEEL 2017", "Good"]
