"""A PDF's text as the readers need it: a line per paragraph, without the page furniture.

A published PDF prints a paragraph as lines wrapped (and hyphenated) to the column's width,
with a running header and footer, page numbers, footnotes, a table of contents and bullets as
glyphs. The readers were written for text extractions of such reports (the reference texts): a
line per paragraph (or per printed line where the extraction kept them), tables as
tab-separated cells, blank lines between blocks. So the text of a PDF is rebuilt from where
each glyph is printed (PDFium, through pypdfium2: each glyph's box, baseline and size):

1. Glyphs become printed lines in the order the PDF draws them (so the columns of a figure
   stay apart); a gap between glyphs wider than a word space is a column gap (a tab; in a
   table whose rows line up, one per column crossed, so empty cells keep their place).
2. A footnote call (a smaller glyph raised above the line) is dropped, and so are the notes at
   the foot of a page that start with a number called on that page.
3. Page furniture goes: the lines set apart at the top and the bottom of a page (its margins)
   that recur at the same place on several pages of that size, digits aside (a running header,
   a footer, "Page 7 of 40"); and on any page, such a line that is the page's own number, or a
   browser's print furniture (the date and time it printed, "page/pages"), which a one-page
   copy saved from a web page has only once.
4. Lines the layout wrapped are joined: a line is continued by the next when the next one's
   first word would not have fitted at the end of it, at the normal line spacing, the same
   size and the paragraph's left edge (across a page break too). A hyphen at such a break is
   dropped only where the joined word is a word of the document itself (it is printed
   unbroken elsewhere), kept where the hyphenated word is, and otherwise dropped unless the
   part before it is a prefix that English keeps (``text.KEEP_HYPHEN``).
5. Entries of a table of contents (dot leaders, then a page number) go (not from a text file
   printed as a PDF, whose lines stand on one grid: its text is kept as typed).
6. A glyph bullet stays as printed where the readers know it ("•", "▪", "●", "◦" and the
   Symbol font's), and becomes "•" where they do not ("■", "➢"...): the text keeps its words,
   so a PDF of a text has the text's checksum. A bullet set deeper than the one before it
   starts with two spaces (a sub-item, as the 2018/19 text has).
7. Space where lines would be is blank lines: a gap between paragraphs wider than the
   paragraph spacing, or a page whose text starts lower (or ends higher) than its pages do.

Each line keeps the page it starts on (a paragraph continued over a page break is one line).
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import pairwise
from statistics import median

from peelkit.reportimport.text import KEEP_HYPHEN

# PDFium is not thread-safe: one document at a time (the web app imports in threads).
_PDFIUM = threading.Lock()

CALL_SIZE = 0.8  # a footnote call is printed smaller than this share of its line's size...
CALL_RAISE = 0.15  # ...and raised by more than this share of the size
NOTE_SIZE = 0.9  # footnotes are printed smaller than this share of the body's size
CALL_GAP = 0.3  # ...and glued to the word before it (no more than this many ems after it)
TAB_GAP = 0.9  # a gap wider than this many ems between two glyphs is a column gap
SPACE_GAP = 0.15  # ...and wider than this many ems a word space (where no space is printed)
TAB_UNIT = 1.25  # ems a tab stands for where a table's rows do not line up (4 spaces)
BAND_GAP = 1.6  # a margin line is set apart from the body by this many line steps
BAND_LINES = 2  # at most this many lines make a page's top or bottom margin
RECURS = 0.4  # furniture recurs on at least this share of the pages of its size (and on 2)
JOIN_STEP = 1.15  # a wrapped line follows at no more than this many normal line steps
INDENT_MIN, INDENT_MAX = 0.5, 4.0  # ems a paragraph set in from the left edge starts at
FLUSH = 1.0  # points: a justified line ends this close to the column's right edge
JUSTIFIED = 0.3  # text is justified when this share of its lines end flush right
EVEN_GAPS = 0.2  # a justified line's word spaces differ by less than this share
EDGE = 2.0  # points: how far apart two left edges can be and still line up
BULLETS = frozenset("•▪●◦■□➢►\uf0b7\uf0a7")  # not "–": a dash can start a wrapped line
KNOWN_BULLETS = frozenset("•▪●◦\uf0b7\uf0a7")  # the glyphs text.bullet_text reads

_PAGE_NUMBER = re.compile(r"^(?:page\s+)?(\d{1,4})(?:\s*(?:of|/)\s*(\d{1,4}))?$", re.IGNORECASE)
_PRINTED_AT = re.compile(r"^\d{1,2}/\d{1,2}/\d{2,4},?\s+\d{1,2}:\d{2}")
_PAGES_OF = re.compile(r"(?:^|\s)(\d{1,4})\s*/\s*(\d{1,4})$")
_CONTENTS_ENTRY = re.compile(r"^\S.*?(?:\s?[.…]){4,}\s*\d{1,4}$")
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_HYPHENS = ("-", "\u2010", "\u00ad")
_NOTE = re.compile(r"^(\d{1,3})\.?[ \u00a0]+[^\s\d]")  # "12 The figures..." (not a table row)


@dataclass(frozen=True)
class Glyph:
    char: str
    left: float
    right: float
    baseline: float  # PDF coordinates: up from the foot of the page
    size: float


@dataclass
class PrintedLine:
    """One line as printed: its glyphs (footnote calls apart) and where it stands."""

    page: int  # 1-based
    glyphs: list[Glyph] = field(default_factory=list)
    page_size: tuple[int, int] = (0, 0)  # the page's width and height, in whole points
    ink: list[Glyph] = field(default_factory=list)  # the glyphs but spaces and calls
    calls: str = ""  # footnote call numbers printed on it
    call_right: float = 0.0  # where the last call printed on it ends
    blank_before: int = 0  # lines of nothing but spaces printed just before it
    words: list[tuple[float, float, str]] = field(default_factory=list)  # (gap, left, word)
    text: str = ""
    # The left edge of each cell after a column gap, for tables (set by _text).
    cells: list[tuple[float, str]] = field(default_factory=list)

    def add(self, glyph: Glyph) -> None:
        self.glyphs.append(glyph)
        if glyph.char and not glyph.char.isspace():
            self.ink.append(glyph)

    @property
    def baseline(self) -> float:
        return self.ink[0].baseline

    @cached_property
    def size(self) -> float:
        """The size most of the line is printed in."""
        sizes = Counter(round(g.size, 1) for g in self.ink)
        return sizes.most_common(1)[0][0]

    @property
    def left(self) -> float:
        return self.ink[0].left

    @property
    def right(self) -> float:
        return self.ink[-1].right


@dataclass(frozen=True)
class Page:
    number: int
    width: float
    height: float
    lines: list[PrintedLine]

    @property
    def key(self) -> tuple[int, int]:
        return (round(self.width), round(self.height))


@dataclass
class PdfText:
    """The text of a PDF, a line per paragraph, and the page each line starts on."""

    lines: list[str]
    pages: list[int]
    page_count: int


class UnreadablePdf(Exception):
    """PDFium could not open the file; the message says why."""


class PasswordNeeded(Exception):
    """The PDF opens only with a password."""


# --- reading glyphs -------------------------------------------------------------------------


def read_pdf(data: bytes) -> PdfText:
    """The text of a PDF's bytes (raises UnreadablePdf or PasswordNeeded)."""
    with _PDFIUM:
        pages = _pages(data)
    return layout_text(pages)


def _pages(data: bytes) -> list[Page]:
    import ctypes

    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) == raw.FPDF_ERR_PASSWORD:
            raise PasswordNeeded from None
        raise UnreadablePdf(str(exc).strip() or type(exc).__name__) from None
    try:
        if len(document) == 0:
            raise UnreadablePdf("no pages")
        pages = []
        box = raw.FS_RECTF()
        matrix = raw.FS_MATRIX()
        x, y = ctypes.c_double(), ctypes.c_double()
        for index in range(len(document)):
            page = document[index]
            width, height = page.get_size()
            textpage = page.get_textpage()
            handle = textpage.raw
            count = textpage.count_chars()
            text = textpage.get_text_range(0, count) if count else ""
            if len(text) != count:  # characters beyond the BMP: read them one by one
                text = "".join(chr(raw.FPDFText_GetUnicode(handle, i)) for i in range(count))
            glyphs = []
            for i, char in enumerate(text):
                if char in "\x00\uffff\n\r":
                    continue
                raw.FPDFText_GetCharOrigin(handle, i, x, y)
                if char.isspace() and raw.FPDFText_IsGenerated(handle, i):
                    # PDFium's own word spaces: no box, no size of their own.
                    glyphs.append(Glyph(" ", x.value, x.value, y.value, 0.0))
                    continue
                # The loose box spans the glyph's advance, not its ink: the gaps between
                # boxes are then the spaces the layout left.
                raw.FPDFText_GetLooseCharBox(handle, i, box)
                # The font size as set, scaled as the glyph is drawn: in points on the page.
                raw.FPDFText_GetMatrix(handle, i, matrix)
                scale = abs(matrix.a * matrix.d - matrix.b * matrix.c) ** 0.5
                size = raw.FPDFText_GetFontSize(handle, i) * scale
                # PDFium reports a hyphen at the end of a line as U+0002 (U+FFFE in a range).
                char = "-" if char in "\x02\ufffe" else char
                glyphs.append(Glyph(char, box.left, box.right, y.value, size))
            textpage.close()
            page.close()
            size = (round(width), round(height))
            pages.append(Page(index + 1, width, height, _printed_lines(index + 1, size, glyphs)))
        return pages
    except pdfium.PdfiumError as exc:  # a damaged page
        raise UnreadablePdf(str(exc).strip() or type(exc).__name__) from None
    finally:
        document.close()


def _printed_lines(
    number: int, size: tuple[int, int], glyphs: Sequence[Glyph]
) -> list[PrintedLine]:
    """Glyphs in drawing order as lines: a new line where the baseline moves (a raised, smaller
    glyph is a footnote call of the line it stands on) or the text goes back left."""
    lines: list[PrintedLine] = []
    current: PrintedLine | None = None
    blanks: list[float] = []  # baselines of lines of spaces since the last line of text
    for glyph in glyphs:
        if glyph.char.isspace():
            on_line = current is not None and (
                abs(glyph.baseline - current.baseline) <= 0.5 * current.ink[0].size
            )
            if on_line and current is not None:
                current.add(glyph)
            elif glyph.size and not any(abs(glyph.baseline - b) < 0.5 for b in blanks):
                blanks.append(glyph.baseline)  # a line printed with nothing but spaces
            continue
        if current is not None and current.ink:
            anchor = current.ink[0]
            raised = glyph.baseline - anchor.baseline
            glued = max(current.right, current.call_right)
            if (
                glyph.size < CALL_SIZE * anchor.size
                and CALL_RAISE * anchor.size < raised < anchor.size
                and -0.5 <= glyph.left - glued < CALL_GAP * anchor.size
            ):
                if glyph.char.isdigit():
                    current.calls += glyph.char
                current.call_right = glyph.right
                # Kept, without a character, so the space after it is not a column gap.
                current.add(Glyph("", glyph.left, glyph.right, anchor.baseline, 0.0))
                continue
            same_line = abs(raised) <= 0.5 * max(anchor.size, glyph.size)
            # The glyphs of a ligature share one box: only a step back left is a new line.
            if same_line and glyph.left >= current.ink[-1].left - 0.1:
                current.add(glyph)
                continue
        # Spaces on this line's baseline before its first glyph are an indent, not a line.
        blanks = [b for b in blanks if abs(b - glyph.baseline) > 0.5 * glyph.size]
        current = PrintedLine(number, page_size=size, blank_before=len(blanks))
        current.add(glyph)
        lines.append(current)
        blanks = []
    if blanks:
        # Lines of spaces at the foot of the page: blank lines before the next page's text.
        lines.append(PrintedLine(number, page_size=size, blank_before=len(blanks)))
    lines = _markers_in_place(lines)
    for line in lines:
        _text(line)
    return lines


def _markers_in_place(lines: list[PrintedLine]) -> list[PrintedLine]:
    """A list's bullet drawn apart from its item (after the page's text, as some layouts draw
    markers) joins the line it stands in front of."""
    kept = []
    for line in lines:
        ink = line.ink
        if len(ink) == 1 and ink[0].char in BULLETS:
            mark = ink[0]
            beside = [
                other
                for other in lines
                if other is not line
                and other.ink
                and abs(other.baseline - mark.baseline) <= 0.2 * mark.size
                and 0 <= other.left - mark.right <= 3 * mark.size
            ]
            if beside:
                item = min(beside, key=lambda other: other.left)
                if item.ink[0].char not in BULLETS:
                    space = Glyph(" ", mark.right, mark.right, mark.baseline, 0.0)
                    item.glyphs[:0] = [mark, space]
                    item.ink.insert(0, mark)
                    continue
        kept.append(line)
    return kept


def _text(line: PrintedLine, flush: bool = False) -> None:
    """The line's text: word spaces where printed (or where glyphs stand apart), a tab at a
    column gap; and the cells a column gap starts.

    A justified line's word spaces can be as wide as a column gap, but they are all alike
    and the line ends at the column's edge: such a line (``flush``) has no column gap."""
    if not line.words:
        line.words = _words(line)
    gaps = [gap for gap, _, _ in line.words[1:]]
    justified = flush and bool(gaps) and max(gaps) - min(gaps) <= EVEN_GAPS * max(gaps)
    parts: list[str] = []
    cells: list[tuple[float, str]] = []
    for index, (gap, left, word) in enumerate(line.words):
        em = line.ink[0].size
        if index and not justified and gap > TAB_GAP * em:
            parts.append("\t" * max(1, round((gap + 0.3 * em) / (TAB_UNIT * em))))
            cells.append((left, word))
        elif index:
            parts.append(" ")
            at, text = cells[-1]
            cells[-1] = (at, f"{text} {word}")
        else:
            cells.append((left, word))
        parts.append(word)
    line.text = "".join(parts)
    line.cells = cells


def _words(line: PrintedLine) -> list[tuple[float, float, str]]:
    """The line's words: the gap before each, where it starts, and what it says."""
    words: list[tuple[float, float, list[str]]] = []
    previous: Glyph | None = None
    spaced = False
    for glyph in line.glyphs:
        if glyph.char.isspace():
            spaced = previous is not None
            continue
        if not glyph.char:  # a footnote call: where it ends counts, not what it says
            if previous is not None:
                previous = Glyph("", previous.left, glyph.right, previous.baseline, previous.size)
            continue
        gap = glyph.left - previous.right if previous is not None else 0.0
        em = max(previous.size, glyph.size) if previous is not None else glyph.size
        if previous is None or spaced or gap > SPACE_GAP * em:
            words.append((gap, glyph.left, [glyph.char]))
        else:
            words[-1][2].append(glyph.char)
        previous, spaced = glyph, False
    return [(gap, left, "".join(chars)) for gap, left, chars in words]


# --- from printed lines to the readers' lines ------------------------------------------------


@dataclass
class _Metrics:
    body_size: float
    step: float  # the normal line step, in ems of the line's size
    right: dict[tuple[int, int], float]  # the text column's right edge, by page size
    top: dict[tuple[int, int], float]  # where the body's first line stands, by page size
    bottom: dict[tuple[int, int], float]  # the lowest line of any page, by page size
    left: dict[tuple[int, int], float]  # the text column's left edge, by page size
    # Whether the text is justified (many lines end at the column's right edge): then only
    # such a line can be continued by the next.
    justified: bool
    # Whether every line stands on one grid of line steps from the top (a text file printed
    # as a PDF, not a typeset report): then the space at a page's foot is blank lines too.
    grid: bool


def layout_text(pages: list[Page]) -> PdfText:
    """The readers' lines from the printed lines of every page."""
    carried = 0  # lines of spaces at the foot of the page before
    for page in pages:
        kept = []
        for line in page.lines:
            if line.ink:
                line.blank_before += carried
                carried = 0
                kept.append(line)
            else:
                carried += line.blank_before
        page.lines[:] = kept
    metrics = _metrics(pages)
    for page in pages:
        for line in page.lines:
            edge = metrics.right.get(line.page_size)
            if edge is not None and abs(edge - line.right) <= FLUSH and "\t" in line.text:
                _text(line, flush=True)  # a justified line's wide spaces are not columns
    _drop_furniture(pages, metrics)
    _drop_footnotes(pages, metrics)
    metrics = _metrics(pages)
    _line_up_tables(pages, metrics)
    paragraphs = _paragraphs(pages, metrics)
    vocabulary = _vocabulary(paragraphs)
    lines: list[str] = []
    page_of: list[int] = []
    bullet_lefts: list[float] = []
    for paragraph in paragraphs:
        if paragraph.blank_before:
            lines.extend([""] * paragraph.blank_before)
            page_of.extend([paragraph.page] * paragraph.blank_before)
        text = paragraph.joined(vocabulary)
        if not metrics.grid and _CONTENTS_ENTRY.match(text.strip()):
            continue
        text, bullet_lefts = _bullet(text, paragraph.lines[0], bullet_lefts)
        text = _indent(text, paragraph.lines[0], metrics)
        lines.append(text)
        page_of.append(paragraph.page)
    return PdfText(lines=lines, pages=page_of, page_count=len(pages))


def _metrics(pages: list[Page]) -> _Metrics:
    sizes: Counter[float] = Counter()
    for page in pages:
        for line in page.lines:
            sizes.update(round(g.size, 1) for g in line.ink)
    body = sizes.most_common(1)[0][0] if sizes else 10.0
    steps = []
    for page in pages:
        for above, below in pairwise(page.lines):
            if abs(above.size - body) < 0.05 * body and abs(below.size - body) < 0.05 * body:
                step = above.baseline - below.baseline
                if 0.8 * body < step < 3 * body:
                    steps.append(step / body)
    step = _line_step(steps)
    right: dict[tuple[int, int], float] = {}
    lefts: dict[tuple[int, int], float] = {}
    widths: dict[tuple[int, int], float] = {}
    tops: dict[tuple[int, int], list[float]] = {}
    bottom: dict[tuple[int, int], float] = {}
    for page in pages:
        body_lines = [line for line in page.lines if abs(line.size - body) < 0.05 * body]
        if body_lines:
            right[page.key] = max(right.get(page.key, 0.0), *(line.right for line in body_lines))
            lefts[page.key] = min(lefts.get(page.key, page.width), *(ln.left for ln in body_lines))
            widths[page.key] = page.width
        if page.lines:
            tops.setdefault(page.key, []).append(max(line.baseline for line in page.lines))
            lowest = min(line.baseline for line in page.lines)
            bottom[page.key] = min(bottom.get(page.key, lowest), lowest)
    for key, edge in right.items():
        # The column's right edge mirrors its left one: a page of short lines (a one-line
        # PDF of a text file) has none of its lines at the edge, so none reads as wrapped.
        mirrored = widths[key] - lefts[key]
        if edge < 0.8 * mirrored:
            right[key] = mirrored
    top = {key: _mode(values) for key, values in tops.items()}
    ends = [
        right[line.page_size] - line.right
        for page in pages
        for line in page.lines
        if line.page_size in right and abs(line.size - body) < 0.05 * body
    ]
    at_edge = sum(1 for end in ends if abs(end) <= FLUSH)
    return _Metrics(
        body_size=body,
        step=step,
        right=right,
        top=top,
        bottom=bottom,
        left=lefts,
        justified=bool(ends) and at_edge >= JUSTIFIED * len(ends),
        grid=_on_grid(pages, top, step * body),
    )


def _on_grid(pages: list[Page], top: dict[tuple[int, int], float], step: float) -> bool:
    offsets = [(top[page.key] - line.baseline) / step for page in pages for line in page.lines]
    if len(offsets) < 20:
        return False
    on = sum(1 for offset in offsets if abs(offset - round(offset)) < 0.05)
    return on >= 0.95 * len(offsets)


def _line_step(steps: list[float]) -> float:
    """The step from a line to the next in a paragraph, in ems: the smallest of the common
    steps (a text with a blank line after every line has the double step most often)."""
    if not steps:
        return 1.3
    counts = Counter(round(step, 2) for step in steps)
    most = counts.most_common(1)[0][1]
    # A text of one-line paragraphs wraps few lines: the step within a paragraph is rare.
    common = min(step for step, count in counts.items() if count >= max(3, 0.02 * most))
    return median(step for step in steps if abs(step - common) <= 0.005)


def _mode(values: Iterable[float]) -> float:
    """The most common value, to the point (the median of those)."""
    found = list(values)
    common = Counter(round(v) for v in found).most_common(1)[0][0]
    return median(v for v in found if round(v) == common)


def _bands(page: Page, metrics: _Metrics) -> list[PrintedLine]:
    """The lines of the page's top and bottom margins: at most two lines, set apart from the
    rest of the page by a gap wider than the paragraph spacing."""
    ordered = sorted(page.lines, key=lambda line: -line.baseline)
    if len(ordered) < 2:
        return []
    found: list[PrintedLine] = []
    for lines in (ordered, ordered[::-1]):
        for count in range(1, min(BAND_LINES, len(lines) - 1) + 1):
            inner, outer = lines[count], lines[count - 1]
            gap = abs(outer.baseline - inner.baseline)
            if gap > BAND_GAP * metrics.step * max(inner.size, metrics.body_size):
                found.extend(lines[:count])
                break
    return found


def _furniture_key(page: Page, line: PrintedLine) -> tuple[str, int, str]:
    """Where a margin line stands (from the nearer edge of its page: a landscape page's header
    stands as far from its top as a portrait one's) and what it says, digits aside."""
    top = page.height - line.baseline
    edge = ("top", round(top)) if top < line.baseline else ("foot", round(line.baseline))
    return (*edge, re.sub(r"\d+", "#", " ".join(line.text.split())))


def _drop_furniture(pages: list[Page], metrics: _Metrics) -> None:
    bands = {page.number: _bands(page, metrics) for page in pages}
    recurring: Counter[tuple[str, int, str]] = Counter()
    for page in pages:
        recurring.update({_furniture_key(page, line) for line in bands[page.number]})
    for page in pages:
        furniture = set()
        for line in bands[page.number]:
            seen = recurring[_furniture_key(page, line)]
            if (seen >= 2 and seen >= RECURS * len(pages)) or _page_furniture(
                line.text, page.number, len(pages)
            ):
                furniture.add(id(line))
        page.lines[:] = [line for line in page.lines if id(line) not in furniture]


def _page_furniture(text: str, number: int, count: int) -> bool:
    """A margin line that is furniture on any page: the page's number, a browser's print
    header (the date and time it printed the page) or footer (ending "page/pages")."""
    flat = " ".join(text.split())
    match = _PAGE_NUMBER.match(flat)
    if match and int(match.group(1)) == number:
        return True
    pages_of = _PAGES_OF.search(flat)
    if pages_of and (int(pages_of.group(1)), int(pages_of.group(2))) == (number, count):
        return True
    return bool(_PRINTED_AT.match(flat))


def _drop_footnotes(pages: list[Page], metrics: _Metrics) -> None:
    """Drop the notes at the foot of each page: its last lines, printed smaller than the body,
    from the first one that starts with a number called on the page (or on the page before:
    a call at the foot of a page can have its note on the next)."""
    before: set[str] = set()
    for page in pages:
        here = {c for line in page.lines for c in _call_numbers(line.calls)}
        calls = here | before
        before = here
        if not calls:
            continue
        ordered = sorted(page.lines, key=lambda line: -line.baseline)
        foot: list[PrintedLine] = []
        for line in reversed(ordered):
            if line.size >= NOTE_SIZE * metrics.body_size:
                break
            foot.append(line)
        foot.reverse()
        start = None
        for index, line in enumerate(foot):
            note = _NOTE.match(line.text)
            if note and note.group(1) in calls:
                start = index
                break
        if start is None:
            continue
        notes = {id(line) for line in foot[start:]}
        page.lines[:] = [line for line in page.lines if id(line) not in notes]


def _call_numbers(calls: str) -> list[str]:
    """The numbers in a run of call digits: "12" is note 12 (or notes 1 and 2)."""
    if not calls:
        return []
    return [calls, *calls]


def _line_up_tables(pages: list[Page], metrics: _Metrics) -> None:
    """In a run of lines with column gaps whose cells line up (a table, across a page break
    too; a wider space than between rows ends it), one tab per column crossed, and a leading
    tab for a row whose first cell is empty."""
    run: list[PrintedLine] = []
    for line in [*(line for page in pages for line in page.lines), None]:
        if run and line is not None:
            above = run[-1]
            step = above.baseline - line.baseline
            apart = line.page == above.page and (
                step <= 0 or step > BAND_GAP * _step(metrics, above, line)
            )
            if apart or line.blank_before:
                _grid_or_pages(run, metrics)
                run = []
        if line is not None and (len(line.cells) > 1 or (run and _in_grid(line, run))):
            run.append(line)
            continue
        _grid_or_pages(run, metrics)
        run = []


def _grid_or_pages(run: list[PrintedLine], metrics: _Metrics) -> None:
    """Line up a run of rows; if they do not line up, each page's rows apart (a table at
    the foot of one page and another at the top of the next)."""
    if len(run) < 2 or _grid(run, metrics):
        return
    for page in sorted({row.page for row in run}):
        rows = [row for row in run if row.page == page]
        if len(rows) >= 2 and len(rows) < len(run):
            _grid(rows, metrics)


def _in_grid(line: PrintedLine, run: list[PrintedLine]) -> bool:
    """A one-cell line inside a table: it starts right of the table's first column, at most
    at its last (a row whose other cells are empty)."""
    lefts = [left for row in run for left, _ in row.cells]
    return min(lefts) + EDGE < line.left <= max(lefts) + EDGE


def _grid(rows: list[PrintedLine], metrics: _Metrics) -> bool:
    """Tabs by the columns the rows' cells line up in; False if they do not line up."""
    lefts = sorted(left for row in rows for left, _ in row.cells)
    columns: list[list[float]] = []
    for left in lefts:
        if columns and left - columns[-1][-1] <= EDGE:
            columns[-1].append(left)
        else:
            columns.append([left])
    widest = max(len(row.cells) for row in rows)
    if len(columns) > widest + max(1, widest // 2):
        return False  # the cells do not line up: not a table of columns
    starts = [median(column) for column in columns]
    margin = metrics.left.get(rows[0].page_size)
    em = max(row.size for row in rows)
    if margin is not None and starts[0] - margin > TAB_GAP * em:
        starts.insert(0, margin)  # every row's first cell is empty: a column of nothing
    for row in rows:
        parts: list[str] = []
        at = 0
        for left, cell in row.cells:
            column = min(range(len(starts)), key=lambda i: abs(starts[i] - left))
            parts.append("\t" * max(column - at, 1 if parts else column) + cell)
            at = column
        row.text = "".join(parts)
    return True


@dataclass
class _Paragraph:
    lines: list[PrintedLine]
    page: int
    blank_before: int = 0

    def joined(self, vocabulary: Counter[str]) -> str:
        text = self.lines[0].text
        for line in self.lines[1:]:
            text = _join(text, line.text, vocabulary)
        return text


def _paragraphs(pages: list[Page], metrics: _Metrics) -> list[_Paragraph]:
    paragraphs: list[_Paragraph] = []
    previous: PrintedLine | None = None
    for page in pages:
        for index, line in enumerate(page.lines):
            first_on_page = index == 0
            if (
                previous is not None
                and paragraphs
                and _wrapped(previous, line, paragraphs[-1], metrics, first_on_page)
            ):
                paragraphs[-1].lines.append(line)
            else:
                paragraph = _Paragraph([line], page.number)
                paragraph.blank_before = _blank_lines(previous, line, page, metrics, first_on_page)
                paragraphs.append(paragraph)
            previous = line
    return paragraphs


def _step(metrics: _Metrics, *lines: PrintedLine) -> float:
    return metrics.step * max(line.size for line in lines)


def _blank_lines(
    previous: PrintedLine | None,
    line: PrintedLine,
    page: Page,
    metrics: _Metrics,
    first_on_page: bool,
) -> int:
    """Blank lines before ``line``: lines of spaces printed before it, or else as many lines
    as would fit in the space above it (on a page, from the line above; at a page's top,
    from where its pages' text starts)."""
    if line.blank_before:
        return line.blank_before
    step = _step(metrics, line) if previous is None else _step(metrics, previous, line)
    if first_on_page:
        above = metrics.top.get(page.key, line.baseline) - line.baseline
        below = 0.0
        if metrics.grid and previous is not None:
            lowest = metrics.bottom.get(previous.page_size, previous.baseline)
            below = previous.baseline - lowest
        return max(0, int(above / step + 0.4)) + max(0, int(below / step + 0.4))
    assert previous is not None
    gap = previous.baseline - line.baseline
    if gap <= 0:
        return 0  # the next column of a figure, or text drawn out of order
    return max(0, int(gap / step + 0.4) - 1)


def _wrapped(
    previous: PrintedLine,
    line: PrintedLine,
    paragraph: _Paragraph,
    metrics: _Metrics,
    first_on_page: bool,
) -> bool:
    """Whether the layout wrapped ``previous`` onto ``line`` (one paragraph)."""
    if "\t" in previous.text or "\t" in line.text or line.ink[0].char in BULLETS:
        return False
    if line.blank_before:
        return False
    if abs(previous.size - line.size) > 0.05 * line.size:
        return False
    if not first_on_page:
        step = previous.baseline - line.baseline
        if not 0 < step <= JOIN_STEP * _step(metrics, line):
            return False
    if abs(line.left - _text_left(paragraph.lines[0])) > EDGE:
        return False
    column_right = metrics.right.get(previous.page_size, previous.right)
    if metrics.justified:
        return column_right - previous.right <= FLUSH
    return column_right - previous.right < _first_word_width(line) + 0.35 * line.size


def _indent(text: str, line: PrintedLine, metrics: _Metrics) -> str:
    """A paragraph set in from the column's left edge: in a text file printed as a PDF (its
    lines on one grid), tabs, as its indent was typed; in a typeset one, a space (as text
    extractions show a lost bullet), unless it is set in as far as a second column."""
    margin = metrics.left.get(line.page_size)
    if margin is None or text.startswith(("\t", " ")):
        return text
    indent = line.left - margin
    if metrics.grid:
        spaces = round(indent / (TAB_UNIT / 4 * line.size))  # a tab is typed as 4 spaces
        if spaces >= 3:
            return "\t" * max(1, round(spaces / 4)) + text
        return " " * max(0, spaces) + text
    if text.startswith(("-", *KNOWN_BULLETS)):
        return text
    if INDENT_MIN * line.size <= indent <= INDENT_MAX * line.size:
        return " " + text
    return text


def _text_left(line: PrintedLine) -> float:
    """Where a paragraph's text starts: after its bullet glyph, if it has one."""
    ink = line.ink
    if ink[0].char in BULLETS and len(ink) > 1:
        return ink[1].left
    return ink[0].left


def _first_word_width(line: PrintedLine) -> float:
    ink = line.glyphs
    start = ink.index(line.ink[0])
    end = start
    while end + 1 < len(ink) and not ink[end + 1].char.isspace():
        if ink[end + 1].left - ink[end].right > SPACE_GAP * ink[end].size:
            break
        end += 1
    return ink[end].right - ink[start].left


def _vocabulary(paragraphs: list[_Paragraph]) -> Counter[str]:
    """The words the document prints whole (not broken at a line's end), lower-cased, and
    each pair of words it prints joined by a hyphen ("problem-solving", "and-young")."""
    words: Counter[str] = Counter()
    for paragraph in paragraphs:
        broken = False
        for line in paragraph.lines:
            pieces = line.text.split()
            if broken and pieces:
                pieces = pieces[1:]  # the rest of a word broken on the line before
            broken = bool(pieces) and pieces[-1].endswith(_HYPHENS)
            if broken:
                pieces = pieces[:-1]
            for token in _WORD.findall(" ".join(pieces)):
                parts = token.lower().split("-")
                if len(parts) == 1:
                    words[parts[0]] += 1
                words.update(f"{a}-{b}" for a, b in pairwise(parts))
    return words


def _join(text: str, more: str, vocabulary: Counter[str]) -> str:
    """``text`` continued by the next printed line ``more``, mending a hyphenated break.

    A soft hyphen, or U+2010 (the hyphen browsers and WeasyPrint print where they hyphenate a
    word), is the layout's own: the word is joined. A "-" may be the layout's or the word's
    ("problem-solving"): the document's own words decide: a word it prints whole is joined;
    a break next to a word it prints ("knife-" + "crime") or after a prefix English keeps
    ("re-" + "offending") keeps its hyphen; two fragments ("inves-" + "tigation") are joined.
    """
    if text.endswith("/"):
        return text + more  # "and/" + "or", an address broken after a slash
    if not text.endswith(_HYPHENS) or not more[:1].isalpha():
        return f"{text} {more}"
    head = text[:-1]
    before = re.split(r"[^\w]", head)[-1].lower()
    found = re.match(r"[^\W\d_]*", more)
    after = found.group(0).lower() if found else ""
    hyphenated = bool(vocabulary[f"{before}-{after}"])
    if text.endswith(("\u00ad", "\u2010")) and not hyphenated:
        return head + more
    if vocabulary[before + after] and not hyphenated:
        return head + more
    if (
        hyphenated
        or not more[:1].islower()
        or vocabulary[after]
        or vocabulary[before]
        or before in KEEP_HYPHEN
        or any(ch.isdigit() for ch in before)
    ):
        return f"{head}-{more}"
    return head + more


def _bullet(text: str, line: PrintedLine, lefts: list[float]) -> tuple[str, list[float]]:
    """A glyph bullet the readers know as printed, another as "•"; set deeper than the bullet
    before it, two spaces first (a sub-item); and the bullets' left edges so far."""
    stripped = text.lstrip()
    if not stripped or stripped[0] not in BULLETS or not stripped[1:2].isspace():
        return text, []
    left = line.ink[0].left
    lefts = [edge for edge in lefts if edge < left + EDGE]
    if not lefts or left > lefts[-1] + EDGE:
        lefts = [*lefts, left]
    depth = len(lefts) - 1
    mark = stripped[0] if stripped[0] in KNOWN_BULLETS else "•"
    return "  " * depth + mark + " " + stripped[1:].lstrip(), lefts


def normalised_words(text: str) -> list[str]:
    """The words of a text, as a fidelity measure compares them (NFKC, lower case)."""
    return [w.lower() for w in _WORD.findall(unicodedata.normalize("NFKC", text))]
