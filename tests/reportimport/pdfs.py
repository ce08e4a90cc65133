"""Making PDFs of the reference reports' text, so the PDF path is tested on real content.

Each text line becomes one line of a very wide page (so nothing wraps) in a Unicode font; tabs
become four spaces, as cell gaps do in a PDF. 56 lines make a page.
"""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
LINES_PER_PAGE = 56


def make_pdf(text: str, path: Path) -> Path:
    pdf = FPDF(unit="pt", format=(14000, LINES_PER_PAGE * 7 + 40))
    pdf.add_font("DejaVu", fname=str(FONT))
    pdf.set_font("DejaVu", size=6)
    pdf.set_auto_page_break(True, margin=20)
    pdf.set_margins(20, 20)
    pdf.add_page()
    for line in text.splitlines():
        pdf.cell(text=line.replace("\t", "    ") or " ", new_x="LMARGIN", new_y="NEXT", h=7)
    pdf.output(str(path))
    return path


def make_blank_pdf(path: Path) -> Path:
    pdf = FPDF()
    pdf.add_page()
    pdf.output(str(path))
    return path
