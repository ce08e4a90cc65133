"""Reports as HTML (Jinja2 templates, one self-contained file) and as PDF (WeasyPrint)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from importlib import resources
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from peelkit.errors import PeelkitError
from peelkit.reports.model import ForceReport, NationalReport, Report, Section, Table

FORMATS = ("html", "pdf")


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
    return env


_ID = re.compile(r'\bid="([^"]+)"')


def scope_ids(svg: str, prefix: str) -> Markup:
    """The chart's SVG with its element ids (and the references to them) prefixed, so that
    several charts on one page keep every id unique."""
    names = set(_ID.findall(svg))
    if not names:
        return Markup(svg)  # the chart module's SVG, not user input

    def rename(match: re.Match[str]) -> str:
        name = match.group(2)
        return f"{match.group(1)}{prefix}-{name}" if name in names else match.group(0)

    def rename_list(match: re.Match[str]) -> str:
        tokens = [f"{prefix}-{t}" if t in names else t for t in match.group(2).split()]
        return f'{match.group(1)}{" ".join(tokens)}"'

    scoped = re.sub(r'(\bid="|#)([A-Za-z_][\w.:-]*)', rename, svg)
    scoped = re.sub(r'(\baria-(?:labelledby|describedby)=")([^"]*)"', rename_list, scoped)
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


def render_html(report: Report) -> str:
    """The report as one self-contained HTML document (styles and script inline)."""
    kind = "national" if isinstance(report, NationalReport) else "force"
    template = _environment().get_template("report.html.j2")
    return template.render(
        report=report,
        kind=kind,
        css=_asset("report.css"),
        script=_asset("sort-table.js"),
        sortable=_has_sortable(report.sections),
    )


def render_pdf(html: str) -> bytes:
    """The HTML as an A4 PDF; the inline SVG charts stay vector."""
    from weasyprint import HTML

    document: bytes = HTML(string=html, base_url=None).write_pdf()
    return document


def write_report(report: Report, out_dir: Path, formats: Sequence[str]) -> list[Path]:
    """Write ``<force>-<framework>.html/.pdf`` or ``national-<framework>.html/.pdf``."""
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise PeelkitError(f"unknown report format {unknown[0]!r} (expected html or pdf)")
    if not isinstance(report, ForceReport | NationalReport):
        raise PeelkitError("not a report")
    out_dir.mkdir(parents=True, exist_ok=True)
    html = render_html(report)
    written = []
    for fmt in dict.fromkeys(formats):
        path = out_dir / f"{report.file_stem}.{fmt}"
        if fmt == "html":
            path.write_text(html, encoding="utf-8")
        else:
            path.write_bytes(render_pdf(html))
        written.append(path)
    return written
