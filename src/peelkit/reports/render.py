"""Reports as HTML (Jinja2 templates, one self-contained file) and as PDF (WeasyPrint)."""

from __future__ import annotations

import base64
import gc
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from importlib import resources
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from peelkit.errors import PeelkitError
from peelkit.outputs import check_output_file, check_output_folder, not_writable, replace_files
from peelkit.reports.drawing import draw
from peelkit.reports.layouts import Report, lay_out
from peelkit.reports.model import Document, Section, Table, grade_css
from peelkit.views.json import dumps

FORMATS = ("html", "pdf", "json")


@cache
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("peelkit.reports", "templates"),
        autoescape=select_autoescape(["html", "j2"], default=True),
        undefined=StrictUndefined,
        trim_blocks=False,
        lstrip_blocks=False,
    )
    env.filters["blockkind"] = lambda item: type(item).__name__
    env.filters["scope_ids"] = scope_ids
    env.filters["grade_css"] = grade_css
    env.filters["draw"] = draw
    return env


# ``\b`` is checked by hand: a pattern that starts with a literal is found by a fast search,
# and the charts are long (each report scopes about 100 kB of SVG).
_ID = re.compile(r'id="([^"]+)"')
_ID_REFERENCE = re.compile(r'(id=")([A-Za-z_][\w.:-]*)')
_HASH_REFERENCE = re.compile(r"(#)([A-Za-z_][\w.:-]*)")
_WORD = re.compile(r"\w")
_LABELS = re.compile(r'(aria-(?:labelledby|describedby)=")([^"]*)"')


def _at_word_start(text: str, position: int) -> bool:
    return position == 0 or _WORD.match(text, position - 1) is None


def scope_ids(svg: str, prefix: str) -> Markup:
    """The chart's SVG with its element ids (and the references to them) prefixed, so that
    several charts on one page keep every id unique: each whole name after ``id="`` (at a
    word's start) or ``#`` that is an id of the chart."""
    names = {m[1] for m in _ID.finditer(svg) if _at_word_start(svg, m.start())}
    if not names:
        return Markup(svg)  # the chart module's SVG, not user input

    def rename(match: re.Match[str]) -> str:
        name = match.group(2)
        if name not in names or (
            match.group(1) != "#" and not _at_word_start(match.string, match.start())
        ):
            return match.group(0)
        return f"{match.group(1)}{prefix}-{name}"

    def rename_list(match: re.Match[str]) -> str:
        if not _at_word_start(match.string, match.start()):
            return match.group(0)
        tokens = [f"{prefix}-{t}" if t in names else t for t in match.group(2).split()]
        return f'{match.group(1)}{" ".join(tokens)}"'

    # Each pattern starts with a literal (found by a fast search); renaming one kind of
    # reference leaves the other kind's matches, and the character before each, as they were.
    scoped = _ID_REFERENCE.sub(rename, svg)
    scoped = _HASH_REFERENCE.sub(rename, scoped)
    scoped = _LABELS.sub(rename_list, scoped)
    return Markup(scoped)  # the chart module's SVG, not user input


@cache
def _asset(name: str) -> str:
    return resources.files("peelkit.reports").joinpath("templates", name).read_text("utf-8")


def _has_sortable(sections: Sequence[Section]) -> bool:
    for section in sections:
        if any(isinstance(b, Table) and b.sortable for b in section.blocks):
            return True
        if _has_sortable(section.sections):
            return True
    return False


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector paused while a report is made.

    Rendering allocates a great many short-lived objects (Jinja2's output, matplotlib's
    artists, WeasyPrint's boxes), and each few hundred set off a collection; the older
    collections then walk every long-lived object of the process (the imported libraries, the
    engine's data): a sixth of the HTML's time and more of the PDF's. What rendering leaves
    in cycles is collected once the collector runs again. Left as it was if something else
    paused it."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def render_html(report: Report | Document) -> str:
    """The report (a view, or a view already laid out) as one self-contained HTML document
    (styles and script inline; charts drawn from their specifications)."""
    with _collector_paused():
        document = report if isinstance(report, Document) else lay_out(report)
        template = _environment().get_template("report.html.j2")
        return template.render(
            report=document,
            kind=document.kind,
            css=_asset("report.css"),
            script=_asset("sort-table.js"),
            sortable=_has_sortable(document.sections),
        )


def render_pdf(html: str) -> bytes:
    """The HTML as an A4 PDF; the inline SVG charts stay vector.

    WeasyPrint draws an inline ``<svg>`` as an image of its own, but first runs the page's
    CSS over every one of its elements (a chart has hundreds; each style attribute is an
    unknown property to HTML, and is logged as one): the charts are handed to it as SVG
    images instead, which it draws the same (the PDF's bytes are the same) a sixth faster.
    The tables are given the column widths their content asks for and a fixed layout
    (:mod:`peelkit.reports.print_tables`), which WeasyPrint lays out a fifth faster than
    working the widths out itself."""
    with _collector_paused():  # importing WeasyPrint too: it makes many objects
        from weasyprint import HTML

        from peelkit.reports.print_tables import fixed_tables

        printed = fixed_tables(_charts_as_images(html))
        document: bytes = HTML(string=printed, base_url=None).write_pdf()
    return document


_INLINE_SVG = re.compile(r"<svg\b[^>]*>.*?</svg>", re.DOTALL)
_SVG_STYLE = re.compile(r'\sstyle="([^"]*)"')


def _charts_as_images(html: str) -> str:
    """Each inline ``<svg>`` as an ``<img>`` of it (a data URL), sized by the same style."""

    def image(match: re.Match[str]) -> str:
        svg = match.group(0)
        head = svg[: svg.index(">")]
        style = _SVG_STYLE.search(head)
        sized = f' style="{style.group(1)}"' if style else ""
        data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
        return f'<img src="data:image/svg+xml;base64,{data}"{sized} alt="">'

    return _INLINE_SVG.sub(image, html)


def render_json(report: Report) -> str:
    """The report's view as JSON (what the HTML and PDF print, as data)."""
    return dumps(report) + "\n"


def write_report(report: Report, out_dir: Path, formats: Sequence[str]) -> list[Path]:
    """Write ``<force>-<framework>.html/.pdf/.json`` or ``national-<framework>.*`` into
    ``out_dir`` (created if missing); the HTML, PDF and JSON are all made from the same view.

    Every file is made in memory first and then written whole (:mod:`peelkit.outputs`): a
    failure while rendering or writing leaves the earlier files as they were."""
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise PeelkitError(
            f"unknown report format {unknown[0]!r} (expected html, pdf or json)",
            code="unknown_choice",
        )
    check_output_folder(out_dir)
    stem = report.file_stem
    paths = {fmt: out_dir / f"{stem}.{fmt}" for fmt in dict.fromkeys(formats)}
    for path in paths.values():
        if path.is_dir():
            check_output_file(path)
    html = render_html(report) if {"html", "pdf"} & set(formats) else ""
    contents: dict[Path, bytes | str] = {}
    for fmt, path in paths.items():
        if fmt == "html":
            contents[path] = html
        elif fmt == "pdf":
            contents[path] = render_pdf(html)
        else:
            contents[path] = render_json(report)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise not_writable(str(out_dir), exc, existed=False) from None
    replace_files(contents)
    return list(paths.values())
