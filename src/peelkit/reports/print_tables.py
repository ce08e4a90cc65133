"""The PDF's tables laid out with the widths their content asks for, computed here once.

WeasyPrint lays out a table with automatic widths by breaking the text of every cell twice
more (its narrowest and its widest lines) before laying it out: in a force report's 20 pages
of tables that was a fifth of the PDF's layout. Here each table of the PDF's copy of the HTML
is given its columns' widths (``<colgroup>``) and a fixed layout: the same content, wrapped in
columns chosen the way CSS's automatic layout chooses them (each column at least as wide as
its longest word, the width left shared in proportion to what each column's longest line would
need), from the font's own measures.

Only the tables the report templates write are changed (a header row, cells without spans);
any other is left to WeasyPrint's automatic layout.
"""

from __future__ import annotations

import html as html_text
import re
from dataclasses import dataclass

from matplotlib.font_manager import FontProperties, findfont, get_font
from matplotlib.ft2font import LoadFlags

from peelkit.reports.svg import _SVG_LOCK

# The print stylesheet's sizes (report.css: html 9.5pt in print), in points.
ROOT = 9.5
TABLE = 0.9 * ROOT
CHART_DATA = 0.8 * ROOT
PAGE_WIDTH = (210 - 2 * 15) / 25.4 * 72  # A4 less the page's side margins
PADDING = 2 * 0.45 * ROOT + 0.75  # a cell's side padding and one border
SPACE = 0.318  # DejaVu Sans' space, per point of size
SAFETY = 1.01  # pango shapes with kerning, which narrows: the plain advances are at least it

_TABLE = re.compile(r"<table\b([^>]*)>(.*?)</table>", re.DOTALL)
_ROW = re.compile(r"<tr\b[^>]*>(.*?)</tr>", re.DOTALL)
_CELL = re.compile(r"<(t[hd])\b([^>]*)>(.*?)</t[hd]>", re.DOTALL)
_CLASS = re.compile(r'\bclass="([^"]*)"')
_ITEM = re.compile(r"<li\b[^>]*>(.*?)</li>", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
_SPAN = re.compile(r"\b(?:col|row)span=")
# Where a line may also break inside a word (UAX #14, as pango breaks): after a dash, after a
# hyphen between letters, after a slash before a letter ("https://" / "example.org/path").
_BREAKS = re.compile(r"(?<=[\u2013\u2014])|(?<=[^\W\d_]-)(?=[^\W\d_])|(?<=/)(?=[^\W\d_])")


@dataclass(frozen=True)
class _Need:
    least: float  # the longest word (or the whole text, where it may not wrap)
    most: float  # the longest line unwrapped


def fixed_tables(html: str) -> str:
    """The HTML with each report table given column widths and ``table-layout: fixed``."""
    return _TABLE.sub(_fixed, html)


def _fixed(match: re.Match[str]) -> str:
    attributes, body = match.group(1), match.group(2)
    if "style=" in attributes or _SPAN.search(body) or "<colgroup" in body:
        return match.group(0)
    classes = (_CLASS.search(attributes) or _EMPTY).group(1).split()
    size = CHART_DATA if "chart-data" in classes else TABLE
    columns: list[list[_Need]] = []
    count = None
    for row in _ROW.finditer(body):
        found = _CELL.findall(row.group(1))
        cells = [_need(kind, cell, content, size) for kind, cell, content in found]
        if count is None:
            count = len(cells)
            columns = [[] for _ in cells]
        if len(cells) != count or not cells:
            return match.group(0)
        for column, need in zip(columns, cells, strict=True):
            column.append(need)
    if not columns:
        return match.group(0)
    least = [max(n.least for n in column) + PADDING for column in columns]
    most = [
        max(max(n.most for n in column) + PADDING, low)
        for column, low in zip(columns, least, strict=True)
    ]
    widths = _shared(least, most, PAGE_WIDTH)
    total = sum(widths)
    if total > PAGE_WIDTH:  # wider than the page, as the automatic layout would make it
        cols = "".join(f'<col style="width: {w:.2f}pt">' for w in widths)
    else:
        cols = "".join(f'<col style="width: {100 * w / total:.2f}%">' for w in widths)
    head, caption_end = body, body.find("</caption>")
    at = caption_end + len("</caption>") if caption_end >= 0 else 0
    head = body[:at] + f"\n<colgroup>{cols}</colgroup>" + body[at:]
    return f'<table{attributes} style="table-layout: fixed">{head}</table>'


class _Empty:
    def group(self, _: int) -> str:
        return ""


_EMPTY = _Empty()


def _shared(least: list[float], most: list[float], width: float) -> list[float]:
    """Column widths as CSS 2.1's automatic layout shares a table's width (the table is as
    wide as its container): every column its widest line if they all fit, in proportion;
    else each at least its longest word, what is left shared in proportion to what each
    column's lines would still need."""
    if sum(most) <= width:
        return most
    if sum(least) >= width:
        return least
    spare = (width - sum(least)) / (sum(most) - sum(least))
    return [low + (high - low) * spare for low, high in zip(least, most, strict=True)]


def _need(kind: str, attributes: str, content: str, size: float) -> _Need:
    classes = (_CLASS.search(attributes) or _EMPTY).group(1).split()
    bold = kind == "th"
    extra = 0.0
    if "checksum" in classes:  # monospace, broken anywhere: a character's width at least
        text = _plain(content)
        advance = 0.602 * 0.7 * ROOT
        return _Need(advance, advance * len(text) * SAFETY)
    if "source" in classes:
        size = 0.78 * ROOT
    if "grade" in classes:  # bold, with a wider left border
        bold = True
        extra += 0.4 * ROOT
    if 'class="grade' in content:  # a grade's name in a bold span: padding and a left bar
        bold = True
        extra += 1.2 * ROOT
    lines = [_plain(item) for item in _ITEM.findall(content)]
    if lines:
        extra_lines = 1.1 * ROOT  # the list's indent
        head = _plain(content[: content.find("<ul")]) if "<ul" in content else ""
        texts = [(head, 0.0)] + [(line, extra_lines) for line in lines]
    else:
        texts = [(_plain(content), 0.0)]
    least = most = 0.0
    for text, indent in texts:
        words = text.split()
        if not words:
            continue
        widths = [_width(word, size, bold) for word in words]
        pieces = [_width(piece, size, bold) for word in words for piece in _BREAKS.split(word)]
        line = sum(widths) + SPACE * size * (len(words) - 1)
        most = max(most, line + indent)
        if "value" in classes:  # not wrapped
            least = max(least, line + indent)
        else:
            least = max(least, max(pieces) + indent)
    return _Need((least + extra) * SAFETY, (most + extra) * SAFETY)


def _plain(content: str) -> str:
    return html_text.unescape(_TAG.sub(" ", content))


def _width(word: str, size: float, bold: bool) -> float:
    """The word's width: the sum of its characters' advances in the report's font."""
    advances = _ADVANCES[bold]
    total = 0.0
    for character in word:
        advance = advances.get(character)
        if advance is None:
            advance = advances[character] = _advance(character, bold)
        total += advance
    return total * size


_ADVANCES: dict[bool, dict[str, float]] = {False: {}, True: {}}


def _advance(character: str, bold: bool) -> float:
    """A character's advance per point of size, read from the font matplotlib uses (the
    charts' DejaVu Sans, the PDF's first font), under the charts' lock: the font object is
    matplotlib's own."""
    font = get_font(findfont(FontProperties(weight="bold" if bold else "normal")))
    with _SVG_LOCK:
        font.set_size(100.0, 72)
        glyph = font.load_char(ord(character), flags=LoadFlags.NO_HINTING)
        return float(glyph.linearHoriAdvance) / 65536 / 100.0
