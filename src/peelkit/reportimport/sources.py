"""Reading a document file into numbered text: plain text, PDF (``pdf_text``) or a saved web page.

Bad files fail here with one line naming the file: empty, binary, a PDF with no text layer, a
broken or password-protected PDF. Text is decoded as UTF-8, else UTF-16 (with a byte order mark
or told by its pattern of NUL bytes), else Windows-1252; anything but UTF-8 is a warning that
says which. Control characters (NUL, bell, escape...) anywhere in a text are removed before the
lines are numbered and stored, with a warning naming their lines. The checksum is of the file's
bytes, so re-importing the same file is recognised; the text's own checksum
(:func:`~peelkit.reportimport.text.content_checksum`) recognises a copy in other bytes.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import ClassVar

from peelkit.errors import DataFileError
from peelkit.reportimport.model import ImportWarning, Span
from peelkit.reportimport.pdf_text import PasswordNeeded, UnreadablePdf, read_pdf
from peelkit.reportimport.text import SourceText

PDF_MAGIC = b"%PDF-"
SNIFF_BYTES = 4096  # how much of a file tells its encoding

# C0 controls but tab, line feed, carriage return and form feed (a page break in text
# extractions), DEL, and the C1 controls (UTF-8 only: Windows-1252 has none).
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, *range(0x0E, 0x20), 0x7F])
# The line breaks of str.splitlines() that are not control characters (removed above).
_LINE_BREAK = re.compile("\r\n|[\n\r\f\u2028\u2029]")
_OTHER_BREAKS = ("\r", "\f", "\u2028", "\u2029")
# A text with more control bytes than this share is binary, not a report with stray bytes.
BINARY_SHARE = 0.01
LINES_NAMED = 10  # how many lines a control-character warning names


def read_source(path: Path) -> SourceText:
    """The text of a document file, with its lines numbered and (for PDFs) their pages."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DataFileError(
            str(path), "", f"cannot be read ({exc.strerror})", code="file_unreadable"
        ) from None
    if not data.strip():
        raise DataFileError(path.name, "", "is empty: expected a report as text, PDF or web page")
    checksum = hashlib.sha256(data).hexdigest()
    if data.startswith(PDF_MAGIC):
        return _from_pdf(path.name, data, checksum)
    text, encoding = decode(path.name, data)
    warnings = []
    if encoding not in ("utf-8", "utf-8-sig"):
        warnings.append(
            ImportWarning(
                code="text_encoding",
                message=f"the file is not UTF-8: read as {ENCODING_NAMES[encoding]}",
            )
        )
    html = _looks_like_html(text)
    lines, controls = split_lines(text)
    if controls:
        warnings.append(_controls_warning(controls, html))
    if html:
        return SourceText(
            lines=html_to_text("\n".join(lines)).splitlines(),
            sha256=checksum,
            filename=path.name,
            media_type="text/html",
            encoding=encoding,
            warnings=warnings,
        )
    return SourceText(
        lines=lines,
        sha256=checksum,
        filename=path.name,
        media_type="text/plain",
        encoding=encoding,
        warnings=warnings,
    )


ENCODING_NAMES = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 (with a byte order mark)",
    "utf-16": "UTF-16 (with a byte order mark)",
    "utf-16-le": "UTF-16 little-endian (no byte order mark)",
    "utf-16-be": "UTF-16 big-endian (no byte order mark)",
    "cp1252": "Windows-1252",
}


def decode(name: str, data: bytes) -> tuple[str, str]:
    """The text of a file and the encoding it was read in (a key of ``ENCODING_NAMES``)."""
    if data.startswith(codecs.BOM_UTF8):
        return _strict(name, data, "utf-8-sig"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(name, data, "utf-16"), "utf-16"
    utf16 = _utf16_by_nuls(data[:SNIFF_BYTES])
    if utf16 is not None:
        try:
            return data.decode(utf16), utf16
        except UnicodeDecodeError:
            pass  # NULs in another pattern: binary, below
    controls = len(data) - len(data.translate(None, _CONTROL_BYTES))  # one pass, not 29
    head = data[:SNIFF_BYTES]
    head_controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    if head_controls > 8 and controls > BINARY_SHARE * len(data):
        raise DataFileError(name, "", "is binary, not a text, PDF or HTML report")
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    if b"\x00" in head:
        raise DataFileError(name, "", "is binary, not a text, PDF or HTML report")
    raise DataFileError(name, "", "is not text in UTF-8, UTF-16 or Windows-1252")


def _strict(name: str, data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].decode(encoding, "replace").count("\n") + 1
        raise DataFileError(
            name,
            "",
            f"starts as {ENCODING_NAMES[encoding]} but byte {exc.start} is not ({exc.reason})",
            line=line,
        ) from None


def _utf16_by_nuls(head: bytes) -> str | None:
    """UTF-16 without a byte order mark, told by its NULs: English text in UTF-16 has a NUL in
    every other byte (the high byte of each character), on the odd bytes little-endian and the
    even ones big-endian."""
    pairs = len(head) // 2
    if pairs < 2:
        return None
    even = head[0 : pairs * 2 : 2].count(0)
    odd = head[1 : pairs * 2 : 2].count(0)
    if odd >= 0.3 * pairs and even <= 0.05 * pairs:
        return "utf-16-le"
    if even >= 0.3 * pairs and odd <= 0.05 * pairs:
        return "utf-16-be"
    return None


def split_lines(text: str) -> tuple[list[str], dict[int, list[str]]]:
    """The lines of a text, control characters removed, and the lines that had them (line
    number -> the characters removed).

    Lines break as an editor breaks them (``\\n``, ``\\r\\n``, ``\\r``; and form feeds, as
    ``str.splitlines`` does): a control character such as a vertical tab is removed, not taken
    for a line break, so line numbers stay those of the file.
    """
    # (Most texts break lines with "\n" alone and have no control character: they are split
    # and checked as a whole, not line by line.)
    if any(mark in text for mark in _OTHER_BREAKS):
        lines = _LINE_BREAK.split(text)
    else:
        lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the break after the last line
    controls: dict[int, list[str]] = {}
    if _CONTROL.search(text) is None:
        return lines, controls
    for index, line in enumerate(lines):
        if _CONTROL.search(line):
            controls[index + 1] = _CONTROL.findall(line)
            lines[index] = _CONTROL.sub("", line)
    return lines, controls


def _controls_warning(controls: dict[int, list[str]], html: bool) -> ImportWarning:
    found = [ch for chars in controls.values() for ch in chars]
    kinds = ", ".join(f"U+{ord(ch):04X}" for ch in sorted(set(found))[:5])
    numbers = sorted(controls)
    named = ", ".join(str(n) for n in numbers[:LINES_NAMED])
    more = f" and {len(numbers) - LINES_NAMED} more" if len(numbers) > LINES_NAMED else ""
    where = "of the file " if html else ""
    lines = "line" if len(numbers) == 1 else "lines"
    return ImportWarning(
        code="control_characters",
        message=(
            f"{len(found)} control character{'s' if len(found) > 1 else ''} ({kinds}) on "
            f"{lines} {where}{named}{more}: removed"
        ),
        span=None if html else Span(numbers[0], numbers[-1]),
    )


def _from_pdf(name: str, data: bytes, checksum: str) -> SourceText:
    """The text of a PDF as the readers need it (``pdf_text``), a line per paragraph, each
    with the page it starts on."""
    try:
        pdf = read_pdf(data)
    except PasswordNeeded:
        raise DataFileError(
            name,
            "",
            "is a PDF protected by a password; save a copy without the password and import that",
            code="pdf_encrypted",
        ) from None
    except UnreadablePdf as exc:
        raise DataFileError(name, "", f"is not a readable PDF ({exc})") from None
    lines: list[str] = []
    controls: dict[int, list[str]] = {}
    for number, line in enumerate(pdf.lines, start=1):
        if _CONTROL.search(line):
            controls[number] = _CONTROL.findall(line)
            line = _CONTROL.sub("", line)
        lines.append(line)
    if not any(line.strip() for line in lines):
        raise DataFileError(name, "", "has no text layer (a scanned PDF?); peelkit reads text")
    return SourceText(
        lines=lines,
        sha256=checksum,
        filename=name,
        media_type="application/pdf",
        pages=pdf.pages,
        warnings=[_controls_warning(controls, False)] if controls else [],
    )


def _looks_like_html(text: str) -> bool:
    head = text.lstrip()[:500].lower()
    return head.startswith(("<!doctype html", "<html")) or "<body" in head


class _TextOfHtml(HTMLParser):
    BLOCKS: ClassVar[frozenset[str]] = frozenset(
        {
            "p",
            "div",
            "li",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "tr",
            "br",
            "section",
            "article",
            "header",
            "footer",
            "table",
            "ul",
            "ol",
        }
    )
    SKIP: ClassVar[frozenset[str]] = frozenset({"script", "style", "nav", "noscript"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self.skipping += 1
        elif tag == "li":
            self.parts.append("\n- ")
        elif tag in self.BLOCKS:
            self.parts.append("\n")
        elif tag in ("td", "th"):
            self.parts.append("\t")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self.skipping:
            self.skipping -= 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """The visible text of a saved web page, one block per line, list items as "- " lines."""
    parser = _TextOfHtml()
    parser.feed(html)
    text = "".join(parser.parts)
    lines = [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in text.splitlines()]
    collapsed: list[str] = []
    for line in lines:
        if line or (collapsed and collapsed[-1]):
            collapsed.append(line)
    return "\n".join(collapsed).strip() + "\n"
