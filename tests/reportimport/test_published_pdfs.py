"""PDFs laid out like published ones import like their text (issue 12, item 5).

Each reference report and each saved HMICFRS page is made into a PDF with a running header
and footer, page numbers, justified and hyphenated paragraphs, footnotes, glyph bullets, a
table of contents and two-column figures (``published_pdfs.py``). Its import is compared with
the import of the text it was made from: the text import is the independent reference here
(it is itself tested against the reports). What must agree: the framework and force (or the
refusal, by its code), every judgment (force, area, grade), every finding (kind, area, its
words and its sub-items' words), every figure and every performance-table row.

The PDF's own text (PDFium's, page by page, with nothing removed) is read too, to show that
what the import leaves out (the furniture, the footnotes, the contents) is in the PDF.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest

from peelkit.errors import PeelkitError
from peelkit.reportimport.importer import parse_file
from peelkit.reportimport.model import ParsedDocument
from peelkit.reportimport.sources import read_source
from tests.reportimport.published_pdfs import NOTES, style_for

BASELINE = "004_8971e4e9a7c1f0c8.txt"
CORE_BUSINESS = "003_02b487485919232c.txt"
PEEL_2015 = "002_b3b722981796a923.txt"
PEEL_2016 = "000_033c6fd077a275c5.txt"
PEEL_2018_19 = "001_2e8c9026aad1a9d7.txt"
REPORTS = (PEEL_2016, PEEL_2018_19, PEEL_2015, CORE_BUSINESS, BASELINE)
PAGES = (
    "kent_peel-2017_effectiveness.txt",
    "cleveland_2017_legitimacy.txt",
    "durham_2017_efficiency.txt",
    "essex_2016_legitimacy.txt",
)

PublishedPdf = Callable[[Path], Path]


def words(text: str) -> list[str]:
    """A text's words, as the comparison sees them: NFKC, lower case, letters and digits."""
    return [w.lower() for w in re.findall(r"\w+", unicodedata.normalize("NFKC", text))]


def outcome(path: Path) -> Any:
    """What an import of ``path`` says, without where it says it (lines differ)."""
    try:
        parsed = parse_file(path)
    except PeelkitError as error:
        return ("refused", error.code)
    return summary(parsed)


def summary(parsed: ParsedDocument) -> dict[str, Any]:
    return {
        "document": (parsed.framework, parsed.force),
        "judgments": sorted(
            (j.force or parsed.force, j.area, j.grade or "", j.direction or "")
            for j in parsed.judgments
        ),
        "findings": [
            (f.kind, f.area, words(f.text), [words(s) for s in f.sub_items])
            for f in parsed.findings
        ],
        "figures": sorted(
            (
                f.measure,
                f.comparator,
                f.period or "",
                f.force_value_as_printed or "",
                f.comparator_value_as_printed or "",
            )
            for f in parsed.figures
        ),
        "performance_rows": sorted(
            (r.area, r.indicator, r.current.printed, r.msf_rank.printed, r.national_rank.printed)
            for r in parsed.performance_table
        ),
    }


def raw_pages(pdf: Path) -> list[str]:
    """Each page's text as PDFium extracts it, nothing removed (PDFium marks a hyphen at a
    line's end U+FFFE)."""
    document = pdfium.PdfDocument(pdf)
    try:
        texts = []
        for page in document:
            textpage = page.get_textpage()
            texts.append(textpage.get_text_range().replace("\ufffe", "-"))
        return texts
    finally:
        document.close()


@pytest.mark.parametrize("name", REPORTS)
def test_a_published_pdf_of_a_report_imports_like_its_text(
    reference_reports: Path, published_pdf: PublishedPdf, name: str
) -> None:
    text = reference_reports / name
    pdf = published_pdf(text)
    expected = outcome(text)
    assert not isinstance(expected, tuple), expected  # the reports import
    assert expected["findings"]
    got = outcome(pdf)
    assert got == expected


@pytest.mark.parametrize("name", PAGES)
def test_a_saved_page_pdf_imports_like_its_text(
    shared: Path, published_pdf: PublishedPdf, name: str
) -> None:
    """A page the text import refuses is refused the same way as a PDF."""
    text = shared / "examples" / "hmicfrs-web-pages" / name
    assert outcome(published_pdf(text)) == outcome(text)


def test_the_furniture_is_in_the_pdf_and_not_in_its_text(
    reference_reports: Path, published_pdf: PublishedPdf
) -> None:
    source = reference_reports / PEEL_2016
    pdf = published_pdf(source)
    style = style_for(source)
    pages = raw_pages(pdf)
    assert len(pages) > 20
    # The running header (the report's first line) and the footer are printed on every page
    # but the first.
    assert sum(style.header in page for page in pages) >= len(pages) - 1
    assert sum(style.footer in page for page in pages) >= len(pages) - 1
    read = read_source(pdf)
    assert read.page_count == len(pages)
    text = source.read_text(encoding="utf-8").splitlines()
    for furniture in (style.header, style.footer):
        in_text = [line.strip() for line in text if furniture in line]
        assert [line for line in read.lines if furniture in line] == in_text
    # No page number is left: a line of just a number is one the text has too.
    numbers = re.compile(r"(?:Page )?\d+(?: of \d+)?")
    in_text = sorted(line.strip() for line in text if numbers.fullmatch(line.strip()))
    assert sorted(line for line in read.lines if numbers.fullmatch(line)) == in_text


def test_footnotes_and_contents_are_in_the_pdf_and_not_in_its_text(
    reference_reports: Path, published_pdf: PublishedPdf
) -> None:
    pdf = published_pdf(reference_reports / PEEL_2016)
    raw = "\n".join(raw_pages(pdf))
    notes = [note for note in NOTES if note in raw]
    assert notes  # the maker's footnotes are printed at the foot of pages
    assert re.search(r"\.{10,}\s*\d+", raw)  # dot leaders of the contents
    lines = read_source(pdf).lines
    assert not [line for line in lines if any(note in line for note in NOTES)]
    assert not [line for line in lines if re.search(r"\.{10,}\s*\d+$", line)]


def test_hyphenated_and_wrapped_lines_come_back_as_the_texts_words(
    reference_reports: Path, published_pdf: PublishedPdf
) -> None:
    """Nearly every word of the text comes back, in order; the PDF has line-end hyphens
    (U+2010, the layout's) and wrapped lines that the text has not."""
    source = reference_reports / PEEL_2016
    pdf = published_pdf(source)
    raw = "\n".join(raw_pages(pdf))
    assert raw.count("\u2010") > 20
    text = source.read_text(encoding="utf-8")
    expected = words(text)
    read = read_source(pdf)
    got = words("\n".join(read.lines))
    matcher = difflib.SequenceMatcher(None, expected, got, autojunk=False)
    recovered = sum(block.size for block in matcher.get_matching_blocks()) / len(expected)
    # What is missing is the text's own contents (30 lines): the PDF's contents are dropped.
    assert recovered > 0.98
    assert len(read.lines) < len(text.splitlines())  # lines of a page joined into paragraphs


def test_each_line_knows_its_page(reference_reports: Path, published_pdf: PublishedPdf) -> None:
    """A finding's span names the page its first words are printed on."""
    pdf = published_pdf(reference_reports / PEEL_2018_19)
    # A word the layout broke at a line's end is whole here, so that it can be found.
    unbroken = [re.sub(r"[\u2010-]\r?\n", "", page) for page in raw_pages(pdf)]
    pages = [" ".join(words(page)) for page in unbroken]
    parsed = parse_file(pdf)
    assert parsed.findings
    for finding in parsed.findings:
        assert finding.span is not None and finding.span.page_start is not None
        opening = " ".join(words(finding.text)[:6])
        assert opening in pages[finding.span.page_start - 1], (finding.text[:60], finding.span)
