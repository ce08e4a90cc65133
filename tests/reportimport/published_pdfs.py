"""Making PDFs that look like published ones from a report's text, with WeasyPrint.

``tests/reportimport/pdfs.py`` makes a PDF with one text line per page line, nothing like a
published report. Here each line of the text is laid out as a published PDF lays it out, on
A4, in DejaVu (Debian's fonts-dejavu-core), and every word of the text is printed, in order:

- a paragraph per line, justified and hyphenated at line ends (WeasyPrint's hyphenation, with
  Pyphen's English patterns), set apart from the next by a little space; a blank line of the
  text is a bigger space;
- bulleted lines ("- ", "• ") as list items with a glyph for a bullet ("•", "▪" or "●");
- lines with tabs as tables (a landscape page, or a smaller type, when a row is wide);
- the text's own contents (a "Contents" line and "title<tab>page" lines) as a table of
  contents with dot leaders, or, where the text has none, one made of its headings;
- label and value lines in turn ("England and Wales" / "240" ...) as a figure of two columns;
- footnotes: a note (the maker's own words) on some long paragraphs, its call a raised number
  and its text at the foot of the page;
- a cover page, then a running header and footer with the page number on every page
  (``Style.report``), or a browser's print furniture: date and title at the top, address and
  "page/pages" at the foot (``Style.saved_page``: a web page saved as PDF).

Why WeasyPrint and not fpdf2: it is a real layout engine (line breaking, justification,
hyphenation, footnotes, page margin boxes, target counters for the contents) already among
peelkit's dependencies, so the PDFs have the geometry of a published one without a layout
engine written for the tests. Rendering takes about a second per 20 pages: the tests make each
PDF once a session (``tests/reportimport/conftest.py``).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

FONT_FAMILY = "DejaVu Serif"
BODY_PT = 10.0
# Width of the text column of a portrait and a landscape A4 page, in points (20 mm margins).
PORTRAIT_WIDTH = 595.0 - 2 * 57.0
LANDSCAPE_WIDTH = 842.0 - 2 * 57.0
CHAR_EM = 0.6  # a DejaVu Serif character's width, in ems, at most on average
CELL_GAP_EM = 1.4  # the space after a cell, in ems
SMALLEST_TABLE_PT = 3.5
FOOTNOTE_EVERY = 7  # one long paragraph in this many gets a footnote
LONG_PARAGRAPH = 160  # characters

# The maker's own footnotes (not report text): what a report's notes are like.
NOTES = (
    "See the annex for how these figures were collected.",
    "The period is the 12 months to 31 March, unless said otherwise.",
    "Figures are rounded; totals may differ from the sum of the parts.",
    "Data supplied by the force, not verified by the inspectorate.",
)
GLYPHS = ("•", "▪", "●")

_BULLET = re.compile(r"^\s*(?:[-•●▪◦]|\uf0b7)\s+(\S.*)$")
_CONTENTS_ENTRY = re.compile(r"^(.*\S)\t+(\d{1,3})\s*$")
_NUMBER = re.compile(r"^[+\-−]?[£$]?\d[\d,]*(?:\.\d+)?\s*%?$")
_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+\S")


@dataclass(frozen=True)
class Style:
    """The furniture of a PDF: what its header and footer say."""

    header: str  # the running header (report) or the page title (saved page)
    footer: str  # the publisher's line (report) or the page's address (saved page)
    saved_page: bool = False  # a browser's print of a web page, not a published report
    printed_at: str = "22/03/2018, 10:41"  # a browser prints the date it printed the page
    page_numbers: str = "plain"  # report footers: "plain" (7) or "of" (Page 7 of 40)
    glyph: str = "•"

    @classmethod
    def report(cls, title: str, number: int = 0) -> Style:
        return cls(
            header=title,
            footer="HM Inspectorate of Constabulary",
            page_numbers="of" if number % 2 else "plain",
            glyph=GLYPHS[number % len(GLYPHS)],
        )

    @classmethod
    def saved_page_style(cls, title: str, address: str) -> Style:
        return cls(header=title, footer=address, saved_page=True)


@dataclass
class _Block:
    kind: str  # paragraph, heading, bullets, table, contents, figure
    lines: list[str]
    gap: bool  # a blank line before it


def blocks(lines: list[str]) -> Iterator[_Block]:
    """The text's lines grouped into what a layout prints: runs of bullets, table rows, the
    contents, label-value figures; every other line a paragraph of its own."""
    index, gap, in_contents = 0, False, False
    while index < len(lines):
        line = lines[index].rstrip()
        if not line.strip():
            gap, index = True, index + 1
            continue
        if in_contents and _CONTENTS_ENTRY.match(line):
            run = _run(lines, index, lambda s: bool(_CONTENTS_ENTRY.match(s)))
            yield _Block("contents", run, gap)
        elif "\t" in line:
            run = _run(lines, index, lambda s: "\t" in s)
            yield _Block("table", run, gap)
        elif _BULLET.match(line):
            run = _run(lines, index, lambda s: bool(_BULLET.match(s)))
            yield _Block("bullets", run, gap)
        elif (figure := _figure(lines, index)) is not None:
            run, end = figure
            yield _Block("figure", run, gap)
            index, gap, in_contents = end, False, False
            continue
        else:
            run = [line]
            kind = "heading" if _MARKDOWN_HEADING.match(line) else "paragraph"
            yield _Block(kind, run, gap)
        in_contents = line.strip().lower() == "contents" or (
            in_contents and bool(_CONTENTS_ENTRY.match(line))
        )
        index += len(run)
        gap = False


def _run(lines: list[str], start: int, member: object) -> list[str]:
    assert callable(member)
    end = start
    while end < len(lines) and lines[end].strip() and member(lines[end].rstrip()):
        end += 1
    return [line.rstrip() for line in lines[start:end]]


def _figure(lines: list[str], start: int) -> tuple[list[str], int] | None:
    """Label, value, label, value (blank lines between allowed): a two-column figure."""
    found: list[str] = []
    index = start
    while index < len(lines) and len(found) < 4:
        line = lines[index].strip()
        index += 1
        if not line:
            continue
        want_number = len(found) % 2 == 1
        if bool(_NUMBER.match(line)) != want_number or (not want_number and len(line) > 60):
            return None
        found.append(line)
    return (found, index) if len(found) == 4 else None


def _escape(text: str) -> str:
    return html.escape(text, quote=False)


_LINK = re.compile(r"\[[^\]]*\]\([^)]*\)")


def _inline(text: str) -> str:
    """A line's text as HTML: its "[text](#)" link markup kept on one line."""
    parts, at = [], 0
    for match in _LINK.finditer(text):
        parts.append(_escape(text[at : match.start()]))
        parts.append(f'<span class="nobreak">{_escape(match.group(0))}</span>')
        at = match.end()
    parts.append(_escape(text[at:]))
    return "".join(parts)


def _table(block: _Block, wide_pages: list[int], number: int) -> str:
    """Rows of cells, each on one line: in a smaller type, or on a landscape page, as a wide
    table needs (published tables do both); wrapped cells only past the smallest type."""
    rows = [line.split("\t") for line in block.lines]
    columns = max(len(row) for row in rows)
    widths = [max(len(row[i]) if i < len(row) else 0 for row in rows) for i in range(columns)]
    ems = (sum(widths) * CHAR_EM) + CELL_GAP_EM * columns
    size, page = BODY_PT * 0.9, ""
    if ems * size > PORTRAIT_WIDTH:
        size = PORTRAIT_WIDTH / ems
        if size < 6.5:
            page, size = "wide", min(BODY_PT * 0.9, LANDSCAPE_WIDTH / ems)
            wide_pages.append(number)
    wrap = size < SMALLEST_TABLE_PT
    size = max(size, SMALLEST_TABLE_PT)
    cells = "".join(
        "<tr>" + "".join(f"<td>{_escape(cell)}</td>" for cell in row) + "</tr>" for row in rows
    )
    classes = " ".join(c for c in ("gap" if block.gap else "", page, "wrap" if wrap else "") if c)
    return f'<table class="{classes}" style="font-size: {size:.2f}pt">{cells}</table>'


def _contents(block: _Block) -> str:
    entries = []
    for line in block.lines:
        match = _CONTENTS_ENTRY.match(line)
        assert match is not None
        entries.append(f'<p class="toc" data-page="{match.group(2)}">{_escape(match.group(1))}</p>')
    return f'<div class="contents{" gap" if block.gap else ""}">{"".join(entries)}</div>'


def _made_contents(headings: list[tuple[str, str]]) -> str:
    entries = "".join(
        f'<a class="toc" href="#{anchor}">{_escape(text)}</a>' for anchor, text in headings
    )
    return f'<h1 class="contents-title">Contents</h1><div class="contents made">{entries}</div>'


def _footnoted(text: str, note: str) -> str:
    """The paragraph's text with a footnote called after its first sentence (or word)."""
    match = re.search(r"[a-z][.;,](?= [A-Z])", text[40:]) or re.search(r"[a-z](?= )", text[40:])
    if match is None:
        return _escape(text)
    cut = 40 + match.end()
    return f'{_inline(text[:cut])}<span class="fn">{_escape(note)}</span>{_inline(text[cut:])}'


def document_html(text: str, style: Style) -> str:
    """The HTML of the PDF of ``text``."""
    lines = text.splitlines()
    body: list[str] = []
    wide: list[int] = []
    headings: list[tuple[str, str]] = []
    has_contents = False
    long_paragraphs = 0
    for number, block in enumerate(blocks(lines)):
        gap = " gap" if block.gap else ""
        if block.kind == "contents":
            has_contents = True
            body.append(_contents(block))
        elif block.kind == "table":
            body.append(_table(block, wide, number))
        elif block.kind == "bullets":
            items = "".join(
                f'<li class="{"sub" if index and line[:1].isspace() else ""}">'
                f"{_inline(_bullet(line))}</li>"
                for index, line in enumerate(block.lines)
            )
            body.append(f'<ul class="bullets{gap}">{items}</ul>')
        elif block.kind == "figure":
            label_a, value_a, label_b, value_b = (_escape(s) for s in block.lines)
            body.append(
                f'<div class="figure{gap}"><div><p class="label">{label_a}</p>'
                f'<p class="value">{value_a}</p></div><div><p class="label">{label_b}</p>'
                f'<p class="value">{value_b}</p></div></div>'
            )
        elif block.kind == "heading":
            anchor = f"h{number}"
            headings.append((anchor, block.lines[0].lstrip("#").strip()))
            body.append(f'<p class="heading{gap}" id="{anchor}">{_escape(block.lines[0])}</p>')
        else:
            line = block.lines[0]
            content = _inline(line)
            if line[:1].isspace():
                gap = f"{gap} indent"
            if len(line) > LONG_PARAGRAPH and not style.saved_page:
                long_paragraphs += 1
                if long_paragraphs % FOOTNOTE_EVERY == 3:
                    content = _footnoted(line, NOTES[long_paragraphs % len(NOTES)])
            body.append(f'<p class="{gap.strip()}">{content}</p>')
    front = ""
    if not style.saved_page and not has_contents and headings:
        front = _made_contents(headings[:30])
    return (
        f'<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">'
        f"<style>{_css(style)}</style></head><body>{front}{''.join(body)}</body></html>"
    )


def _bullet(line: str) -> str:
    match = _BULLET.match(line)
    assert match is not None
    return match.group(1)


def _css(style: Style) -> str:
    quoted = style.header.replace("\\", "\\\\").replace('"', '\\"')
    footer = style.footer.replace("\\", "\\\\").replace('"', '\\"')
    if style.saved_page:
        margins = f"""
          @top-left {{ content: "{style.printed_at}"; font-size: 8pt }}
          @top-center {{ content: "{quoted}"; font-size: 8pt }}
          @bottom-left {{ content: "{footer}"; font-size: 8pt }}
          @bottom-right {{ content: counter(page) "/" counter(pages); font-size: 8pt }}"""
        first = ""
        align = "left"
    else:
        number = (
            "counter(page)"
            if style.page_numbers == "plain"
            else '"Page " counter(page) " of " counter(pages)'
        )
        margins = f"""
          @top-center {{ content: "{quoted}"; font-size: 8pt; color: #555 }}
          @bottom-left {{ content: "{footer}"; font-size: 8pt; color: #555 }}
          @bottom-right {{ content: {number}; font-size: 8pt }}"""
        first = """
        @page :first { @top-center { content: none } @bottom-left { content: none }
                       @bottom-right { content: none } }"""
        align = "justify"
    return f"""
        @page {{ size: A4; margin: 20mm 20mm 22mm 20mm; {margins} }}
        @page wide {{ size: A4 landscape }}
        {first}
        html {{ font-family: "{FONT_FAMILY}"; font-size: {BODY_PT}pt; line-height: 1.3 }}
        body {{ margin: 0 }}
        p {{ margin: 0 0 3pt 0; text-align: {align}; hyphens: auto }}
        .gap {{ margin-top: 9pt }}
        .indent {{ padding-left: 12pt }}
        .heading {{ font-weight: bold; font-size: 11pt; text-align: left; hyphens: manual }}
        .cover {{ page-break-after: always; padding-top: 200pt }}
        .cover h1 {{ font-size: 20pt }}
        ul.bullets {{ margin: 0 0 3pt 0; padding-left: 16pt; text-align: {align};
                      hyphens: auto }}
        ul.bullets li {{ margin-bottom: 3pt }}
        ul.bullets li.sub {{ margin-left: 16pt; list-style-type: "◦  " }}
        .nobreak {{ white-space: nowrap }}
        ul.bullets {{ list-style-type: "{style.glyph}  " }}
        .contents {{ margin: 0 0 3pt 0 }}
        .toc {{ display: block; margin: 0 0 2pt 0; text-align: left; hyphens: manual;
                color: black; text-decoration: none }}
        p.toc::after {{ content: leader(".") attr(data-page) }}
        a.toc::after {{ content: leader(".") target-counter(attr(href), page) }}
        .contents.made + * {{ page-break-before: always }}
        h1.contents-title {{ font-size: 14pt }}
        table {{ border-collapse: collapse; margin: 0 0 3pt 0; line-height: 1.2 }}
        table.wide {{ page: wide }}
        td {{ padding: 0.1em 1.4em 0.1em 0; white-space: nowrap; vertical-align: top;
              text-align: left }}
        table.wrap td {{ white-space: normal }}
        .figure {{ display: flex; gap: 24pt; margin: 6pt 0 }}
        .figure > div {{ flex: 1 }}
        .figure .label {{ font-size: 9pt; margin: 0 }}
        .figure .value {{ font-size: 16pt; font-weight: bold; margin: 0 }}
        .fn {{ float: footnote; font-size: 7.5pt; text-align: left }}
        ::footnote-call {{ font-size: 6.5pt; vertical-align: super }}
        ::footnote-marker {{ content: counter(footnote) "  " }}
    """


def style_for(source: Path) -> Style:
    """The furniture of a text file's PDF: a saved web page is a browser's print of it (its
    title, its address as the file name tells it); a report has its first line for a
    running header, and a footer and bullet glyph told by its name."""
    text = source.read_text(encoding="utf-8")
    first = next((line.strip() for line in text.splitlines() if line.strip()), source.stem)
    title = first.lstrip("#").strip()[:70]
    if source.parent.name == "hmicfrs-web-pages":
        address = "https://www.example.org/peel-assessments/" + source.stem.replace("_", "/")
        return Style.saved_page_style(f"{title} - HMICFRS", address)
    return Style.report(title, sum(source.stem.encode()))


def make_published_pdf(text: str, style: Style, path: Path) -> Path:
    """Lay ``text`` out as a published PDF in ``style`` and write it to ``path``."""
    from weasyprint import HTML

    HTML(string=document_html(text, style)).write_pdf(str(path))
    return path
