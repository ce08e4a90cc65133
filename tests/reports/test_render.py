"""Rendering: semantic, accessible HTML from the templates and a real PDF from WeasyPrint, read
back with poppler (pdfinfo, pdftotext, pdftoppm, pdfimages)."""

from __future__ import annotations

import itertools
import re
import shutil
import struct
import subprocess
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest

from peelkit import Workspace
from peelkit.errors import PeelkitError
from peelkit.frameworks import load_framework
from peelkit.record.operations import Provenance
from peelkit.reports.layouts import lay_out
from peelkit.reports.model import Figure
from peelkit.reports.render import render_html, write_report
from peelkit.views.force_report import ForceReportView
from peelkit.views.json import to_json

VOID = {"meta", "link", "br", "img", "hr", "input", "col", "area", "base", "source", "wbr"}


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    parent: Node | None = None
    children: list[Node | str] = field(default_factory=list)

    def elements(self) -> list[Node]:
        return [c for c in self.children if isinstance(c, Node)]

    def iter(self, tag: str | None = None) -> Iterator[Node]:
        for child in self.elements():
            if tag is None or child.tag == tag:
                yield child
            yield from child.iter(tag)

    def text(self) -> str:
        parts = [c if isinstance(c, str) else c.text() for c in self.children]
        return re.sub(r"\s+", " ", " ".join(parts)).strip()

    def classes(self) -> list[str]:
        return self.attrs.get("class", "").split()

    def next_element(self) -> Node | None:
        assert self.parent is not None
        siblings = self.parent.elements()
        index = siblings.index(self)
        return siblings[index + 1] if index + 1 < len(siblings) else None


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.current = self.root

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs}, self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.current.children.append(Node(tag, {k: v or "" for k, v in attrs}, self.current))

    def handle_endtag(self, tag: str) -> None:
        node: Node | None = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data: str) -> None:
        self.current.children.append(data)


def parse_html(html: str) -> Node:
    builder = _Builder()
    builder.feed(html)
    builder.close()
    return builder.root


def tables_by_caption(root: Node) -> dict[str, Node]:
    out = {}
    for table in root.iter("table"):
        caption = next(table.iter("caption"), None)
        assert caption is not None
        out[caption.text()] = table
    return out


def body_rows(table: Node) -> list[Node]:
    body = next(table.iter("tbody"))
    return list(body.iter("tr"))


def row_cells(row: Node) -> list[str]:
    return [c.text() for c in row.elements() if c.tag in ("th", "td")]


def check_accessible(root: Node) -> None:
    """One h1, no heading level skipped, tables with captions and header cells, every figure
    with alt text (role img) followed by its data table."""
    headings = [int(n.tag[1]) for n in root.iter() if re.fullmatch(r"h[1-6]", n.tag)]
    assert headings[0] == 1 and headings.count(1) == 1
    for before, after in itertools.pairwise(headings):
        assert after <= before + 1, f"heading h{after} follows h{before}"
    tables = list(root.iter("table"))
    assert tables
    for table in tables:
        assert next(table.iter("caption")).text()
        headers = list(table.iter("th"))
        assert headers and all(th.attrs.get("scope") in ("col", "row") for th in headers)
    for figure in root.iter("figure"):
        image = next(n for n in figure.iter() if n.attrs.get("role") == "img")
        assert len(image.attrs["aria-label"]) > 20
        assert next(figure.iter("svg"), None) is not None
        assert next(figure.iter("figcaption")).text()
        following = figure.next_element()
        assert following is not None and following.tag == "table"


REPORTS = sorted(
    (Path(__file__).resolve().parents[2].parent / "shared" / "reference-reports").glob("*.txt")
)


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    """A SQLite workspace with the five reference reports imported."""
    assert len(REPORTS) == 5, "the reference reports are expected in ../shared/reference-reports"
    folder = tmp_path_factory.mktemp("reports")
    with Workspace(f"sqlite:///{folder / 'record.sqlite'}") as ws:
        ws.initialise()
        for path in REPORTS:
            ws.import_report(path)
        yield ws


def inspection_id(ws: Workspace, force: str, framework: str) -> int:
    found = [i for i in to_json(ws.inspections(force, framework)) if i["force"] == force]
    assert len(found) == 1
    return int(found[0]["id"])


@pytest.mark.parametrize("framework", ["peel-2018-19", "peel-2016", "baseline-2005"])
def test_met_reports_are_accessible_html(imported: Workspace, framework: str) -> None:
    report = imported.force_report("Met", framework)
    root = parse_html(render_html(report))
    check_accessible(root)
    # Grade names are printed in the grade cells (colour only repeats them).
    spec = load_framework(framework)
    assert spec.grade_scale is not None
    labels = {v.label for v in spec.grade_scale.values} | {"Not available"}
    cells = [n for n in root.iter("td") if "grade" in n.classes()]
    assert cells and all(c.text() in labels for c in cells)
    assert all(any(k.startswith("grade-") for k in c.classes()) for c in cells)


def test_text_is_escaped(imported: Workspace, tmp_path: Path) -> None:
    with Workspace(f"sqlite:///{tmp_path / 'x.sqlite'}") as ws:
        ws.initialise()
        item = to_json(
            ws.add_inspection(
                force="Kent", framework="peel-2018-19", status="published", entered_by="tester"
            )
        )
        to_json(
            ws.add_finding(
                item["id"],
                kind="area_for_improvement",
                area="investigating-crime",
                text="<script>alert(1)</script> & more",
                provenance=Provenance(entered_by="tester"),
            )
        )
        html = render_html(ws.force_report("Kent", "peel-2018-19"))
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in html


def _png_pixels(path: Path) -> tuple[int, int, bytes, int]:
    """Width, height, the unfiltered scanlines' raw bytes, and bytes per pixel (8-bit PNG)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    offset, chunks, header = 8, [], b""
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        kind = data[offset + 4 : offset + 8]
        body = data[offset + 8 : offset + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            chunks.append(body)
        offset += 12 + length
    width, height, depth, colour = struct.unpack(">IIBB", header[:10])
    assert depth == 8
    channels = {0: 1, 2: 3, 4: 2, 6: 4}[colour]
    return width, height, zlib.decompress(b"".join(chunks)), channels


def _dark_pixels(path: Path) -> int:
    """Pixels clearly darker than white on the rendered page (undoing the PNG row filters)."""
    width, height, raw, bpp = _png_pixels(path)
    stride = width * bpp
    previous = bytearray(stride)
    dark = 0
    position = 0
    for _ in range(height):
        kind = raw[position]
        line = bytearray(raw[position + 1 : position + 1 + stride])
        position += 1 + stride
        for i in range(stride):
            left = line[i - bpp] if i >= bpp else 0
            up = previous[i]
            corner = previous[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                pred = left if pa <= pb and pa <= pc else up if pb <= pc else corner
                line[i] = (line[i] + pred) & 0xFF
        for x in range(width):
            if min(line[x * bpp : x * bpp + min(bpp, 3)]) < 128:
                dark += 1
        previous = line
    return dark


def _poppler(*args: str) -> str:
    if shutil.which(args[0]) is None:
        pytest.fail(f"{args[0]} (poppler-utils) is not installed; scripts/setup.sh installs it")
    done = subprocess.run(args, check=True, capture_output=True, text=True)
    return done.stdout


def test_pdf_has_pages_grades_vector_charts_and_ink(imported: Workspace, tmp_path: Path) -> None:
    report = imported.force_report("Met", "peel-2018-19")
    written = write_report(report, tmp_path, ["html", "pdf"])
    assert [p.name for p in written] == [
        "metropolitan-peel-2018-19.html",
        "metropolitan-peel-2018-19.pdf",
    ]
    pdf = tmp_path / "metropolitan-peel-2018-19.pdf"
    info = _poppler("pdfinfo", str(pdf))
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))  # type: ignore[union-attr]
    assert pages >= 3
    text = re.sub(r"\s+", " ", _poppler("pdftotext", "-layout", str(pdf), "-"))
    record = to_json(imported.inspection(inspection_id(imported, "metropolitan", "peel-2018-19")))
    spec = load_framework("peel-2018-19")
    assert spec.grade_scale is not None
    for judgment in record["judgments"]:
        assert spec.grade_scale.get(judgment["grade"]).label in text
    figure_titles = [
        b.chart.title for s in lay_out(report).sections for b in s.blocks if isinstance(b, Figure)
    ]
    assert figure_titles
    for title in figure_titles:
        assert title.split(":")[0] in text
    assert f"Page 1 of {pages}" in text
    # Charts are vector: the PDF holds no raster images.
    images = _poppler("pdfimages", "-list", str(pdf)).splitlines()
    assert len(images) == 2, images  # the header lines only
    _poppler("pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p"))
    page = next(tmp_path.glob("p-*1.png"))
    assert _dark_pixels(page) > 200


def test_write_report_names_and_formats(imported: Workspace, tmp_path: Path) -> None:
    report = imported.force_report("Met", "peel-2016")
    assert isinstance(report, ForceReportView)
    paths = write_report(report, tmp_path / "new", ["html"])
    assert paths == [tmp_path / "new" / "metropolitan-peel-2016.html"]
    assert paths[0].read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    with pytest.raises(PeelkitError, match="unknown report format"):
        write_report(report, tmp_path, ["docx"])
