"""The pages: server-rendered HTML from the views (templates in web/templates/).

Each route asks the workspace for a view (always with ``public_at`` the app clock's time, so
nothing unpublished shows), and prints it through a template extending base.html.j2. Reports'
sections are printed with the reports' own block macros (reports/templates/blocks.html.j2,
reachable through the same loader). Errors are the library's: raised, never caught here; the
app's handlers (web/errors.py) turn them into an error page with their message and status.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from importlib import resources
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import ChoiceLoader, Environment, PackageLoader, StrictUndefined, select_autoescape

from peelkit.errors import PeelkitError
from peelkit.reports.drawing import draw
from peelkit.reports.layouts import lay_out
from peelkit.reports.layouts.common import indicator_table
from peelkit.reports.model import css_token, grade_css
from peelkit.reports.render import render_html, render_pdf, scope_ids
from peelkit.views.national import grade_rank
from peelkit.views.pages import COMPARATOR_CODES, COMPARATOR_LABELS
from peelkit.web.app import now_of, workspace_of

router = APIRouter(include_in_schema=False)

HTML = "text/html; charset=utf-8"
SORT_SCRIPT = "/scripts/sort-table.js"


@cache
def templates() -> Environment:
    """The site's templates, then the reports' (so pages import the reports' block macros)."""
    env = Environment(
        loader=ChoiceLoader(
            [
                PackageLoader("peelkit.web", "templates"),
                PackageLoader("peelkit.reports", "templates"),
            ]
        ),
        autoescape=select_autoescape(["html", "j2"], default=True),
        undefined=StrictUndefined,
    )
    # The filters the reports' block macros use.
    env.filters["blockkind"] = lambda item: type(item).__name__
    env.filters["scope_ids"] = scope_ids
    env.filters["grade_css"] = grade_css
    env.filters["draw"] = draw
    env.filters["indicator_table"] = indicator_table
    env.filters["css_token"] = css_token
    env.filters["grade_sort"] = lambda grade_id: str(grade_rank(grade_id))
    env.filters["comparator_code"] = lambda name: COMPARATOR_CODES.get(name, name)
    env.filters["comparator_label"] = lambda name: COMPARATOR_LABELS.get(name, name)
    env.filters["facet_label"] = lambda name: FACET_LABELS.get(name, name.capitalize())
    env.filters["framework_title"] = framework_title
    env.filters["uk_time"] = uk_time_text
    env.globals["query"] = query_string
    env.globals["findings_url"] = findings_url
    return env


def uk_time_text(utc_iso: str) -> str:
    """A stored time (ISO, naive UTC) as staff read it: ``2026-06-01 11:00 BST``."""
    import datetime as dt

    from peelkit.record.workflow import uk_time

    local = uk_time(dt.datetime.fromisoformat(utc_iso))
    return f"{local:%Y-%m-%d %H:%M} {local.tzname()}"


FACET_LABELS = {
    "kind": "Kind of finding",
    "force": "Force",
    "framework": "Framework",
    "year": "Year",
    "area": "Area",
}


@cache
def framework_title(framework_id: str) -> str:
    from peelkit.frameworks import load_all

    return next((f.title for f in load_all() if f.id == framework_id), framework_id)


def findings_url(q: str, chosen: dict[str, str | None], name: str, value: Any) -> str:
    """The findings search with one facet (or the page cursor, ``after``) set or cleared; a
    facet's change starts again from the first page."""
    parameters: dict[str, Any] = {"q": q, **chosen, name: value}
    return "/findings" + query_string(**parameters)


def query_string(**parameters: Any) -> str:
    """``?a=1&b=2`` from the parameters that are set (for links that keep a form's choices)."""
    kept = {k: v for k, v in parameters.items() if v not in (None, "", False)}
    return "?" + urlencode(kept) if kept else ""


def html_of(request: Request, template: str, **context: Any) -> str:
    page = templates().get_template(template)
    return page.render(request_path=request.url.path, sort_script=SORT_SCRIPT, **context)


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    """A page: ``template`` (extending base.html.j2) with ``context`` and the request's path."""
    return HTMLResponse(html_of(request, template, **context), status_code=status)


def cached(
    request: Request, produce: Callable[[], str | bytes], media_type: str = HTML
) -> Response:
    """The page through the app's response cache (ETag from the record's change counter and
    what is public at the app clock's time; a repeat request does no work)."""
    from peelkit.web.caching import cached_response

    return cached_response(request, produce, media_type=media_type)


def blank(value: str | None) -> str | None:
    """A form field left empty is a field not given."""
    return value if value not in (None, "") else None


def parse_year_number(value: str | None, name: str) -> int | None:
    text = blank(value)
    if text is None:
        return None
    if not text.strip().isdigit():
        raise PeelkitError(
            f"{name}: expected a year such as 2018, got {text!r}", code="invalid_parameter"
        )
    return int(text)


# --- the national picture ----------------------------------------------------------------------


@router.get("/", response_class=HTMLResponse)
def home(
    request: Request,
    framework: str | None = None,
    level: str | None = None,
    sort: str | None = None,
    by_region: bool = False,
) -> Response:
    def produce() -> str:
        view = workspace_of(request).home(
            blank(framework), blank(level), blank(sort), by_region, public_at=now_of(request)
        )
        return html_of(request, "home.html.j2", view=view, asked_level=blank(level))

    return cached(request, produce)


# --- forces ------------------------------------------------------------------------------------


@router.get("/forces", response_class=HTMLResponse)
def forces(request: Request) -> Response:
    def produce() -> str:
        return html_of(request, "forces.html.j2", view=workspace_of(request).forces_page())

    return cached(request, produce)


@router.get("/forces/{force}", response_class=HTMLResponse)
def force(request: Request, force: str) -> Response:
    def produce() -> str:
        from peelkit.web.followup_pages import force_followup

        view = workspace_of(request).force_page(force, public_at=now_of(request))
        followup = force_followup(request, view.force.id)
        return html_of(request, "force.html.j2", view=view, names=force_names(), followup=followup)

    return cached(request, produce)


@cache
def force_names() -> dict[str, str]:
    from peelkit.reference import all_forces

    return {f.id: f.name for f in all_forces()}


# --- inspections -------------------------------------------------------------------------------


def _report(request: Request, inspection_id: int) -> tuple[Any, Any]:
    """The inspection (only if public now) and its report view (force, framework, period)."""
    ws = workspace_of(request)
    now = now_of(request)
    inspection = ws.inspection(inspection_id, public_at=now)
    report = ws.force_report(
        inspection.force, inspection.framework, inspection.period, public_at=now
    )
    return inspection, report


@router.get("/inspections/{inspection_id}", response_class=HTMLResponse)
def inspection(request: Request, inspection_id: int) -> Response:
    def produce() -> str:
        found, report = _report(request, inspection_id)
        documents = workspace_of(request).documents()
        return html_of(
            request,
            "inspection.html.j2",
            inspection=found,
            report=report,
            document=lay_out(report),
            source=documents.get(found.document) if found.document else None,
            framework=workspace_of(request).framework(found.framework),
            force_name=force_names().get(found.force, found.force),
        )

    return cached(request, produce)


@router.get("/inspections/{inspection_id}/report.html")
def inspection_report_html(request: Request, inspection_id: int) -> Response:
    def produce() -> str:
        return render_html(_report(request, inspection_id)[1])

    return cached(request, produce)


@router.get("/inspections/{inspection_id}/report.pdf")
def inspection_report_pdf(request: Request, inspection_id: int) -> Response:
    def produce() -> bytes:
        return render_pdf(render_html(_report(request, inspection_id)[1]))

    return cached(request, produce, "application/pdf")


# --- findings ----------------------------------------------------------------------------------


@router.get("/findings", response_class=HTMLResponse)
def findings(
    request: Request,
    q: str | None = None,
    kind: str | None = None,
    force: str | None = None,
    framework: str | None = None,
    year: str | None = None,
    area: str | None = None,
    after: str | None = None,
) -> Response:
    chosen = {
        "kind": blank(kind),
        "force": blank(force),
        "framework": blank(framework),
        "year": blank(year),
        "area": blank(area),
    }

    def produce() -> str:
        view = workspace_of(request).search_findings(
            blank(q),
            kind=chosen["kind"],
            force=chosen["force"],
            framework=chosen["framework"],
            year=chosen["year"],
            area=chosen["area"],
            after=blank(after),
            public_at=now_of(request),
        )
        return html_of(request, "findings.html.j2", view=view, q=blank(q) or "", chosen=chosen)

    return cached(request, produce)


# --- indicators --------------------------------------------------------------------------------


@router.get("/indicators", response_class=HTMLResponse)
def indicators(request: Request) -> Response:
    def produce() -> str:
        view = workspace_of(request).indicator_catalogue()
        return html_of(request, "indicators.html.j2", view=view)

    return cached(request, produce)


@router.get("/indicators/{indicator}", response_class=HTMLResponse)
def indicator(
    request: Request,
    indicator: str,
    month: str | None = None,
    year: str | None = None,
    comparator: str | None = None,
    population_year: str | None = None,
) -> Response:
    def produce() -> str:
        view = workspace_of(request).indicator_page(
            indicator,
            month=blank(month),
            year=blank(year),
            comparator=blank(comparator) or "ew",
            population_year=parse_year_number(population_year, "population_year"),
        )
        return html_of(request, "indicator.html.j2", view=view, names=force_names())

    return cached(request, produce)


# --- frameworks --------------------------------------------------------------------------------


@router.get("/frameworks", response_class=HTMLResponse)
def frameworks(request: Request) -> Response:
    def produce() -> str:
        from peelkit.views.reference import FrameworkSummaryView

        items = [FrameworkSummaryView.of(f) for f in workspace_of(request).frameworks()]
        return html_of(request, "frameworks.html.j2", frameworks=items)

    return cached(request, produce)


@router.get("/frameworks/{framework_id}", response_class=HTMLResponse)
def framework(request: Request, framework_id: str) -> Response:
    def produce() -> str:
        from peelkit.views.reference import FrameworkView

        view = FrameworkView.of(workspace_of(request).framework(framework_id))
        return html_of(request, "framework.html.j2", view=view)

    return cached(request, produce)


# --- the reports' sort script ------------------------------------------------------------------


@router.get(SORT_SCRIPT)
def sort_script() -> Response:
    """The reports' table-sorting script (reports/templates/sort-table.js), served as is."""
    return Response(_script(), media_type="text/javascript; charset=utf-8")


@cache
def _script() -> str:
    return resources.files("peelkit.reports").joinpath("templates", "sort-table.js").read_text()
