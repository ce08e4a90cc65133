"""The PDF's tables with their column widths given (peelkit.reports.print_tables): the Met's
report laid out by WeasyPrint with no text wider than its cell, and printing the same text
(read back with PDFium, whitespace, line-end hyphens and page order aside) on as many pages as
WeasyPrint's own automatic table layout gives; the widths shared as CSS's automatic layout
shares them.
"""

from __future__ import annotations

import re
from collections import Counter

import pypdfium2 as pdfium
import pytest
from weasyprint import HTML
from weasyprint.formatting_structure import boxes

from peelkit import Workspace
from peelkit.reports.print_tables import PAGE_WIDTH, _shared, fixed_tables
from peelkit.reports.render import _charts_as_images, render_html, render_pdf
from tests.reports.test_render import imported

__all__ = ["imported"]  # the module-scoped fixture, shared with test_render


@pytest.fixture(scope="module")
def met_html(imported: Workspace) -> str:
    return render_html(imported.force_report("metropolitan", "peel-2018-19"))


def _overflowing(document: object) -> list[tuple[float, str]]:
    """Text boxes that reach past the right edge of their table cell's content."""
    found: list[tuple[float, str]] = []

    def walk(box: object, cell: boxes.TableCellBox | None) -> None:
        if isinstance(box, boxes.TableCellBox):
            cell = box
        if isinstance(box, boxes.TextBox) and cell is not None:
            beyond = box.position_x + box.width - (cell.content_box_x() + cell.width)
            if beyond > 0.01:
                found.append((beyond, box.text))
        for child in getattr(box, "children", ()):
            walk(child, cell)

    for page in document.pages:  # type: ignore[attr-defined]
        walk(page._page_box, None)
    return found


def test_every_table_is_fixed_and_no_text_leaves_its_cell(met_html: str) -> None:
    printed = fixed_tables(_charts_as_images(met_html))
    assert printed.count("<table") == met_html.count("<table") > 5
    assert printed.count('style="table-layout: fixed"') == met_html.count("<table")
    assert _overflowing(HTML(string=printed).render()) == []


def _characters(pdf: bytes) -> tuple[Counter[str], int]:
    """The PDF's text, every character but whitespace, line-end hyphen marks and each page's
    running head and number, counted; and its pages."""
    document = pdfium.PdfDocument(pdf)
    try:
        pages = [document[i].get_textpage().get_text_range() for i in range(len(document))]
    finally:
        document.close()
    head = pages[0].split("\n", 1)[0]  # the report title, repeated in every page's margin
    text = ""
    for number, page in enumerate(pages):
        page = re.sub(r"Page \d+ of \d+", "", page)
        if number:
            page = page.replace(head, "", 1)
        text += page
    text = text.replace("\ufffe", "-")  # PDFium's mark for a hyphen that ends a line
    return Counter(re.sub(r"\s+", "", text)), len(pages)


def test_the_pdf_prints_what_the_automatic_layout_prints(met_html: str) -> None:
    automatic, automatic_pages = _characters(
        HTML(string=_charts_as_images(met_html), base_url=None).write_pdf()
    )
    fixed, fixed_pages = _characters(render_pdf(met_html))
    assert fixed == automatic
    assert abs(fixed_pages - automatic_pages) <= 1


def test_widths_are_shared_as_the_automatic_layout_shares_them() -> None:
    # everything fits: each column its widest line, the table as wide as they are
    assert _shared([10.0, 20.0], [40.0, 60.0], 200.0) == [40.0, 60.0]
    # not even the longest words fit: each column its longest word
    assert _shared([150.0, 100.0], [300.0, 200.0], 200.0) == [150.0, 100.0]
    # between: the longest words, and what is left (100 of 200 needed) shared half each
    assert _shared([20.0, 80.0], [120.0, 180.0], 200.0) == [70.0, 130.0]
    assert round(PAGE_WIDTH, 2) == 510.24  # A4 less 15 mm each side, in points
