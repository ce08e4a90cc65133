"""Reading a document file into numbered text: plain text, PDF (via pypdf) or a saved web page.

Bad files fail here with one line naming the file: empty, binary, a PDF with no text layer, a
broken PDF. The checksum is of the file's bytes, so re-importing the same file is recognised.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import ClassVar

from peelkit.errors import DataFileError
from peelkit.reportimport.text import SourceText

PDF_MAGIC = b"%PDF-"


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
    text = _decode(path.name, data)
    if _looks_like_html(text):
        return SourceText(
            lines=html_to_text(text).splitlines(),
            sha256=checksum,
            filename=path.name,
            media_type="text/html",
        )
    return SourceText(
        lines=text.splitlines(), sha256=checksum, filename=path.name, media_type="text/plain"
    )


def _decode(name: str, data: bytes) -> str:
    if b"\x00" in data[:4096]:
        raise DataFileError(name, "", "is binary, not a text, PDF or HTML report")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise DataFileError(name, "", "is not text in UTF-8 or Windows-1252") from None
    controls = sum(1 for ch in text[:4096] if ord(ch) < 32 and ch not in "\t\n\r\f")
    if controls > 8:
        raise DataFileError(name, "", "is binary, not a text, PDF or HTML report")
    return text


def _from_pdf(name: str, data: bytes, checksum: str) -> SourceText:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise DataFileError(name, "", f"is not a readable PDF ({exc})") from None
    lines: list[str] = []
    page_of_line: list[int] = []
    for number, page_text in enumerate(pages, start=1):
        page_lines = [_pdf_line(line) for line in page_text.splitlines()]
        lines.extend(page_lines)
        page_of_line.extend([number] * len(page_lines))
    if not any(line.strip() for line in lines):
        raise DataFileError(name, "", "has no text layer (a scanned PDF?); peelkit reads text")
    return SourceText(
        lines=lines,
        sha256=checksum,
        filename=name,
        media_type="application/pdf",
        pages=page_of_line,
    )


_COLUMN_GAP = re.compile(r"(?:^|(?<=\S)) {3,}(?=\S)")


def _pdf_line(line: str) -> str:
    """A line as pypdf extracts it, with column gaps (3+ spaces, about 4 per tab) as tabs.

    Text extractions of the reports separate table cells with tabs; in a PDF the cells are
    placed apart, which pypdf renders as runs of spaces.
    """
    return _COLUMN_GAP.sub(lambda m: "\t" * max(1, round(len(m.group(0)) / 4)), line.rstrip())


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
