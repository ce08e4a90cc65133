"""The JSON API under /api/v1/: views as JSON (the shapes of docs/json-output.md), documented by
OpenAPI at /api/v1/openapi.json (docs page /api/v1/docs); docs/api.md describes it.

- Objects are the views of the CLI's ``--json`` through ``peelkit.views.json.to_json``.
- Lists are ``{"items": [...], "next": URL or null, "total": N}`` with keyset pagination
  (``limit``, opaque ``cursor``: ``peelkit.web.pagination``), and any list is CSV too, with
  ``Accept: text/csv`` or a ``.csv`` suffix on its path (``peelkit.web.csvout``).
- Every answer carries ``ETag`` and ``Cache-Control`` and answers ``If-None-Match`` with 304
  (``peelkit.web.caching``); every answer, errors too, allows cross-origin GET.
- Only what the public may see at the app clock's time is shown: every workspace call passes
  ``public_at=now_of(request)``.

One router per resource (``forces``, ``frameworks``, ``inspections``, ``grades``, ``findings``,
``indicators``), all GET and HEAD; the write side will add its own routes beside them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Coroutine, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response
from fastapi.routing import APIRoute
from pydantic import BaseModel, Field, create_model

from peelkit.domain.findings import FindingKind
from peelkit.domain.periods import Period
from peelkit.errors import Location, PeelkitError
from peelkit.frameworks import load_all, load_framework
from peelkit.indicators.catalogue import catalogue
from peelkit.record.search import MAX_LIMIT as SEARCH_MAX_LIMIT
from peelkit.reference import all_forces, resolve_force
from peelkit.views.force_report import RANKED_INDICATOR
from peelkit.views.grades import GradeColumn
from peelkit.views.indicators import IndicatorRow
from peelkit.views.inspections import InspectionSummaryView, InspectionView
from peelkit.views.json import JsonValue, to_json
from peelkit.views.national import ForceGrades, GradeCount
from peelkit.views.reference import (
    ForceView,
    FrameworkSummaryView,
    FrameworkView,
    IndicatorDefinitionView,
)
from peelkit.views.search import Facet, FindingHit
from peelkit.web.app import now_of, workspace_of
from peelkit.web.caching import Body, cached_response
from peelkit.web.csvout import to_csv
from peelkit.web.pagination import (
    DEFAULT_LIMIT,
    MAX_CURSOR_LENGTH,
    MAX_LIMIT,
    InvalidCursor,
    Key,
    paginate,
)

JSON = "application/json"
CSV = "text/csv"
PREFIX = "/api/v1"
# Headers every API answer carries: anyone may read it from any origin (it is public data).
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "ETag, Link, X-Total-Count",
}
PREFLIGHT_HEADERS = {
    **CORS_HEADERS,
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "Accept, If-None-Match, Cache-Control",
    "Access-Control-Max-Age": "86400",
}
# Inspection ids are 32-bit integers in every database peelkit supports.
MAX_ID = 2**31 - 1


class ApiRoute(APIRoute):
    """A route whose every answer carries the CORS headers (errors get them from
    ``web.errors.error_response``)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def with_cors(request: Request) -> Response:
            response = await handler(request)
            for name, value in CORS_HEADERS.items():
                response.headers.setdefault(name, value)
            return response

        return with_cors


# --- the documented shapes ----------------------------------------------------------------------


class ErrorDetail(BaseModel):
    code: str = Field(description="A stable code of docs/errors.md.")
    message: str = Field(description="What was wrong, in one line.")
    status: int = Field(description="The HTTP status of the answer.")
    location: dict[str, Any] | None = Field(
        description="Where: file, sheet, line, row, column, field (each null when unknown)."
    )


class ErrorBody(BaseModel):
    """Every error, on every route."""

    error: ErrorDetail


def _list_model(name: str, item: type, **extra: Any) -> type[BaseModel]:
    """The envelope of a list of ``item``: items, next (URL or null), total (and ``extra``)."""
    fields: dict[str, Any] = {
        "items": (list[item], Field(description="This page's items.")),  # type: ignore[valid-type]
        "next": (str | None, Field(description="The URL of the next page; null on the last.")),
        "total": (int, Field(description="How many items the whole list has.")),
        **extra,
    }
    model: type[BaseModel] = create_model(name, **fields)
    return model


ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "A parameter is not valid."},
    404: {"model": ErrorBody, "description": "Nothing by that name or id (or no such route)."},
}
NOT_MODIFIED: dict[int | str, dict[str, Any]] = {
    304: {"description": "Not modified: the ETag given in If-None-Match is current."}
}


def _object_responses(model: type) -> dict[int | str, dict[str, Any]]:
    return {200: {"model": model}, **NOT_MODIFIED, **ERRORS}


def _list_responses(model: type) -> dict[int | str, dict[str, Any]]:
    return {
        200: {
            "model": model,
            "content": {CSV: {"schema": {"type": "string"}}},
            "description": "A page of the list (JSON, or CSV with Accept: text/csv).",
        },
        **NOT_MODIFIED,
        **ERRORS,
    }


def _csv_responses() -> dict[int | str, dict[str, Any]]:
    return {
        200: {
            "content": {CSV: {"schema": {"type": "string"}}},
            "description": "A page of the list as CSV (one row per item, dotted column names).",
        },
        **NOT_MODIFIED,
        **ERRORS,
    }


# --- parameters shared by the routes ------------------------------------------------------------

Limit = Annotated[
    int,
    Query(ge=1, le=MAX_LIMIT, description=f"Items per page (1 to {MAX_LIMIT})."),
]
Cursor = Annotated[
    str | None,
    Query(
        min_length=1,
        max_length=MAX_CURSOR_LENGTH,
        pattern=r"^[A-Za-z0-9_-]+$",
        description="Where the page starts: the cursor of the previous page's next link.",
    ),
]
Month = Annotated[
    str | None,
    Query(
        pattern=r"^[0-9]{4}-[0-9]{2}$",
        description="A statistics month YYYY-MM: the 12 months ending it (stocks: at its end). "
        "Default (with no year either): the latest 12 months the statistics give figures for.",
    ),
]
FinancialYear = Annotated[
    str | None,
    Query(
        pattern=r"^[0-9]{4}/[0-9]{2}$",
        description="A financial year YYYY/YY such as 2017/18 (the 12 months to March).",
    ),
]
AssessmentYear = Annotated[
    str | None,
    Query(
        pattern=r"^[0-9]{4}(/[0-9]{2})?$",
        description="An assessment year, such as 2018/19 or 2016 (default: the framework's).",
    ),
]
Comparator = Annotated[
    Literal["ew", "msg", "region"],
    Query(
        description="ew: England and Wales; msg: the force's most similar group; region: the "
        "force's ONS region, pooled as England and Wales is (for indicators compared with "
        "England and Wales; the reports do not print it)."
    ),
]
PopulationYear = Annotated[
    int | None,
    Query(ge=1990, le=2100, description="Mid-year population estimate to use."),
]
ForceName = Annotated[
    str, Path(description="Any name of the force: its id, name or an alias (`metropolitan`).")
]
ForceFilter = Annotated[
    str | None, Query(max_length=200, description="Only this force (any of its names).")
]
FrameworkFilter = Annotated[
    str | None, Query(max_length=200, description="Only this framework (an id).")
]
InspectionId = Annotated[int, Path(ge=1, le=MAX_ID, description="The inspection's id.")]


# --- answering ----------------------------------------------------------------------------------


def json_text(value: JsonValue) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def prefers_csv(request: Request) -> bool:
    """``Accept`` asks for text/csv at least as much as for JSON (``*/*`` is JSON)."""
    weights: dict[str, float] = {}
    for part in request.headers.get("accept", "").split(","):
        media, *params = (p.strip() for p in part.split(";"))
        weight = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        weights[media.lower()] = max(weight, weights.get(media.lower(), 0.0))
    csv_weight = weights.get(CSV, 0.0)
    json_weight = max(weights.get(JSON, 0.0), weights.get("application/*", 0.0))
    return csv_weight > 0 and csv_weight >= json_weight


@dataclass(frozen=True)
class Listing:
    """A page of a list, ready to answer: items as JSON data, the next page's cursor, the
    list's total, other keys of the envelope, and how CSV shows the items."""

    items: Sequence[JsonValue]
    next: str | None
    total: int
    view: type | None = None
    extra: Mapping[str, JsonValue] = field(default_factory=dict)
    keyed: Mapping[str, str] = field(default_factory=dict)


def _next_url(request: Request, cursor: str | None) -> str | None:
    if cursor is None:
        return None
    return str(request.url.include_query_params(cursor=cursor))


def list_response(request: Request, name: str, build: Callable[[], Listing]) -> Response:
    """A list as JSON (the envelope) or, at a ``.csv`` path or asked for by ``Accept``, CSV;
    with ``Link`` (the next page) and ``X-Total-Count`` headers."""
    csv = request.url.path.endswith(".csv") or prefers_csv(request)

    def produce() -> Body:
        listing = build()
        url = _next_url(request, listing.next)
        headers = {"X-Total-Count": str(listing.total)}
        if url is not None:
            headers["Link"] = f'<{url}>; rel="next"'
        if csv:
            headers["Content-Disposition"] = f'attachment; filename="{name}.csv"'
            return Body(to_csv(listing.items, listing.view, keyed=listing.keyed), headers)
        envelope = {"items": list(listing.items), "next": url, "total": listing.total}
        return Body(json_text({**envelope, **listing.extra}), headers)

    return cached_response(request, produce, media_type=CSV if csv else JSON)


def object_response(request: Request, build: Callable[[], object]) -> Response:
    return cached_response(request, lambda: json_text(to_json(build())), media_type=JSON)


def page_of(
    items: Sequence[Any], key: Callable[[Any], Key], limit: int, cursor: str | None, view: type
) -> Listing:
    page = paginate(items, key, limit=limit, cursor=cursor)
    return Listing(to_json(page.items), page.next, page.total, view)


def preflight(request: Request) -> Response:
    """The answer to a CORS preflight: GET and HEAD from any origin, with the request headers
    asked for (when they are plain header names) or the ones the API reads."""
    headers = dict(PREFLIGHT_HEADERS)
    asked = request.headers.get("access-control-request-headers", "")
    if asked and re.fullmatch(r"[A-Za-z0-9-]+(\s*,\s*[A-Za-z0-9-]+)*", asked.strip()):
        headers["Access-Control-Allow-Headers"] = asked.strip()
    return Response(status_code=204, headers=headers)


def endpoint(
    router: APIRouter,
    path: str,
    *,
    responses: dict[int | str, dict[str, Any]],
    summary: str,
    csv_path: bool = False,
) -> Callable[[Callable[..., Response]], Callable[..., Response]]:
    """Register a GET route (documented), its HEAD and its CORS preflight; with ``csv_path``,
    the same at ``path + ".csv"`` answering CSV."""

    def register(function: Callable[..., Response]) -> Callable[..., Response]:
        paths = [(f"{path}.csv", True), (path, False)] if csv_path else [(path, False)]
        for at, is_csv in paths:
            router.add_api_route(
                at,
                function,
                methods=["GET"],
                summary=f"{summary} (CSV)" if is_csv else summary,
                responses=_csv_responses() if is_csv else responses,
                response_model=None,
                operation_id=f"{function.__name__}{'_csv' if is_csv else ''}",
            )
            router.add_api_route(
                at, function, methods=["HEAD"], include_in_schema=False, response_model=None
            )
            router.add_api_route(
                at, preflight, methods=["OPTIONS"], include_in_schema=False, response_model=None
            )
        return function

    return register


def the_period(month: str | None, year: str | None) -> Period | None:
    """The statistics period of ``month`` or ``year`` (not both; None for neither)."""
    if month is not None and year is not None:
        raise PeelkitError(
            "give the period as month=YYYY-MM or year=YYYY/YY, not both",
            code="usage",
            location=Location(field="year"),
        )
    if month is None and year is None:
        return None
    try:
        return Period.from_month(month) if month else Period.financial_year(year or "")
    except PeelkitError as exc:  # a month 13, a year 2017/19
        field_name = "month" if month else "year"
        raise PeelkitError(
            f"{field_name}: {exc.message}", code=exc.code, location=Location(field=field_name)
        ) from None


def latest_period(request: Request, indicator: str) -> Period:
    """The latest 12 months for which the statistics give ``indicator`` (the default period)."""
    found = workspace_of(request).latest_indicator_period(indicator)
    if found is None:
        raise PeelkitError(
            f"the statistics give no figures for {indicator}", code="no_data", kind="not_found"
        )
    return found


# --- forces ----------------------------------------------------------------------------------

forces_router = APIRouter(route_class=ApiRoute, tags=["forces"])


def _force_key(force: ForceView) -> Key:
    # The 43 territorial forces by id, then British Transport Police (as ``peel forces``).
    return (0 if force.territorial else 1, force.id)


@endpoint(
    forces_router,
    "/forces",
    responses=_list_responses(_list_model("ForceList", ForceView)),
    summary="The 43 territorial forces and British Transport Police",
    csv_path=True,
)
def list_forces(request: Request, limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None) -> Response:
    def build() -> Listing:
        listed = [ForceView.of(f) for f in all_forces()]
        return page_of(listed, _force_key, limit, cursor, ForceView)

    return list_response(request, "forces", build)


@endpoint(
    forces_router,
    "/forces/{force}",
    responses=_object_responses(ForceView),
    summary="One force: ONS code, region, names",
)
def get_force(request: Request, force: ForceName) -> Response:
    found = ForceView.of(resolve_force(force))
    return object_response(request, lambda: found)


def _indicator_order() -> dict[str, int]:
    return {indicator_id: n for n, indicator_id in enumerate(catalogue().indicators)}


@endpoint(
    forces_router,
    "/forces/{force}/indicators",
    responses=_list_responses(_list_model("ForceIndicatorList", IndicatorRow)),
    summary="A force's indicators for a period, against England and Wales or its group",
    csv_path=True,
)
def force_indicators(
    request: Request,
    force: ForceName,
    month: Month = None,
    year: FinancialYear = None,
    comparator: Comparator = "ew",
    population_year: PopulationYear = None,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> Response:
    resolved = resolve_force(force)
    given = the_period(month, year)
    order = _indicator_order()

    def build() -> Listing:
        period = given or latest_period(request, RANKED_INDICATOR)
        rows = workspace_of(request).indicators(
            period, force=resolved.id, comparator=comparator, population_year=population_year
        )
        key: Callable[[IndicatorRow], Key] = lambda r: (order[r.indicator], r.indicator)  # noqa: E731
        return page_of(rows, key, limit, cursor, IndicatorRow)

    return list_response(request, f"{resolved.id}-indicators", build)


# --- frameworks ------------------------------------------------------------------------------

frameworks_router = APIRouter(route_class=ApiRoute, tags=["frameworks"])


@endpoint(
    frameworks_router,
    "/frameworks",
    responses=_list_responses(_list_model("FrameworkList", FrameworkSummaryView)),
    summary="The inspection frameworks, 2005 to today",
    csv_path=True,
)
def list_frameworks(
    request: Request, limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None
) -> Response:
    def build() -> Listing:
        listed = [FrameworkSummaryView.of(f) for f in load_all()]
        # Ids sort as the frameworks follow each other (baseline-2005 ... peel-2023-25).
        order = {item.id: n for n, item in enumerate(listed)}
        return page_of(listed, lambda f: (order[f.id], f.id), limit, cursor, FrameworkSummaryView)

    return list_response(request, "frameworks", build)


@endpoint(
    frameworks_router,
    "/frameworks/{framework}",
    responses=_object_responses(FrameworkView),
    summary="One framework's tree of areas and its grade scales",
)
def get_framework(
    request: Request, framework: Annotated[str, Path(description="A framework id.")]
) -> Response:
    found = FrameworkView.of(load_framework(framework))
    return object_response(request, lambda: found)


# --- inspections -----------------------------------------------------------------------------

inspections_router = APIRouter(route_class=ApiRoute, tags=["inspections"])

Status = Literal["draft", "moderated", "published"]  # peelkit.domain.findings.InspectionStatus


@endpoint(
    inspections_router,
    "/inspections",
    responses=_list_responses(_list_model("InspectionList", InspectionSummaryView)),
    summary="The published inspections, by force, period and id",
    csv_path=True,
)
def list_inspections(
    request: Request,
    force: ForceFilter = None,
    framework: FrameworkFilter = None,
    status: Annotated[
        Status | None,
        Query(
            description="Only inspections with this status. The public sees published "
            "inspections only: draft and moderated give an empty list."
        ),
    ] = None,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> Response:
    force_id = resolve_force(force).id if force else None
    framework_id = load_framework(framework).id if framework else None

    def build() -> Listing:
        listed = workspace_of(request).inspections(
            force_id, framework_id, public_at=now_of(request)
        )
        if status is not None:
            listed = [i for i in listed if i.status == status]
        return page_of(
            listed, lambda i: (i.force, i.period, i.id), limit, cursor, InspectionSummaryView
        )

    return list_response(request, "inspections", build)


@endpoint(
    inspections_router,
    "/inspections/{inspection_id}",
    responses=_object_responses(InspectionView),
    summary="One inspection with its judgments, findings, evidence and figures",
)
def get_inspection(request: Request, inspection_id: InspectionId) -> Response:
    return object_response(
        request,
        lambda: workspace_of(request).inspection(inspection_id, public_at=now_of(request)),
    )


# --- grades ----------------------------------------------------------------------------------

grades_router = APIRouter(route_class=ApiRoute, tags=["grades"])

# The levels of a framework's tree (peelkit.domain.frameworks.LEVELS; a test checks they agree).
Level = Literal[
    "overall", "pillar", "question", "sub_question", "component", "domain", "area", "section"
]

GRADES_EXTRA: dict[str, Any] = {
    "framework_id": (str, Field(description="The framework.")),
    "framework_title": (str, ...),
    "period": (str, Field(description="The assessment year.")),
    "grade_scale": (str | None, ...),
    "level": (str | None, Field(description="The level of the columns.")),
    "levels": (list[str], Field(description="The levels the framework grades.")),
    "columns": (list[GradeColumn], Field(description="The graded areas, one per grade.")),
    "distribution": (list[GradeCount], Field(description="Forces with each grade, by column.")),
}


@endpoint(
    grades_router,
    "/grades",
    responses=_list_responses(_list_model("GradesList", ForceGrades, **GRADES_EXTRA)),
    summary="Every force's grades under a framework at a level (Not available where none)",
    csv_path=True,
)
def list_grades(
    request: Request,
    framework: FrameworkFilter = None,
    level: Annotated[
        Level | None,
        Query(
            description="The level of the columns (default: pillars, else the top graded "
            "level); one the framework grades."
        ),
    ] = None,
    force: ForceFilter = None,
    year: AssessmentYear = None,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> Response:
    framework_id = load_framework(framework).id if framework else None
    force_id = resolve_force(force).id if force else None

    def build() -> Listing:
        view = workspace_of(request).grades(
            framework_id, level, force_id, year, public_at=now_of(request)
        )
        page = paginate(
            view.forces, lambda r: (r.force_name, r.force_id), limit=limit, cursor=cursor
        )
        whole = to_json(view)
        whole.pop("forces")
        whole.pop("view", None)
        return Listing(
            to_json(page.items),
            page.next,
            page.total,
            ForceGrades,
            extra=whole,
            keyed={"grades": "area_id"},
        )

    return list_response(request, "grades", build)


# --- findings --------------------------------------------------------------------------------

findings_router = APIRouter(route_class=ApiRoute, tags=["findings"])

FINDINGS_EXTRA: dict[str, Any] = {
    "query": (str, Field(description="The words searched for, as given.")),
    "facets": (
        list[Facet],
        Field(description="Counts of the matching findings by kind, force, framework, year, area."),
    ),
}


@endpoint(
    findings_router,
    "/findings",
    responses=_list_responses(_list_model("FindingList", FindingHit, **FINDINGS_EXTRA)),
    summary="Full-text search over every published finding, with facets",
    csv_path=True,
)
def search_findings(
    request: Request,
    q: Annotated[
        str | None,
        Query(max_length=500, description="Words to look for (none: every finding)."),
    ] = None,
    kind: Annotated[FindingKind | None, Query(description="Only findings of this kind.")] = None,
    force: ForceFilter = None,
    framework: FrameworkFilter = None,
    area: Annotated[
        str | None, Query(max_length=200, description="Only this area (an id of a framework).")
    ] = None,
    year: AssessmentYear = None,
    limit: Annotated[
        int,
        Query(ge=1, le=SEARCH_MAX_LIMIT, description=f"Hits per page (1 to {SEARCH_MAX_LIMIT})."),
    ] = min(DEFAULT_LIMIT, SEARCH_MAX_LIMIT),
    cursor: Cursor = None,
) -> Response:
    force_id = resolve_force(force).id if force else None
    framework_id = load_framework(framework).id if framework else None

    def build() -> Listing:
        try:
            found = workspace_of(request).search_findings(
                q,
                kind=kind.value if kind else None,
                force=force_id,
                framework=framework_id,
                year=year,
                area=area,
                limit=limit,
                after=cursor,
                public_at=now_of(request),
            )
        except PeelkitError as exc:
            if exc.code == "invalid_cursor":
                raise InvalidCursor("not a cursor of this search") from None
            raise
        extra = {"query": found.query, "facets": to_json(found.facets)}
        return Listing(to_json(found.items), found.next, found.total, FindingHit, extra=extra)

    return list_response(request, "findings", build)


# --- indicators ------------------------------------------------------------------------------

indicators_router = APIRouter(route_class=ApiRoute, tags=["indicators"])


@endpoint(
    indicators_router,
    "/indicators",
    responses=_list_responses(_list_model("IndicatorList", IndicatorDefinitionView)),
    summary="The indicator catalogue",
    csv_path=True,
)
def list_indicators(
    request: Request, limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None
) -> Response:
    order = _indicator_order()

    def build() -> Listing:
        listed = [IndicatorDefinitionView.of(i) for i in catalogue().indicators.values()]
        return page_of(
            listed, lambda i: (order[i.id], i.id), limit, cursor, IndicatorDefinitionView
        )

    return list_response(request, "indicators", build)


@endpoint(
    indicators_router,
    "/indicators/{indicator}",
    responses=_list_responses(_list_model("IndicatorRowList", IndicatorRow)),
    summary="One indicator for every force, ranked, for a period and comparator",
    csv_path=True,
)
def indicator_rows(
    request: Request,
    indicator: Annotated[str, Path(description="An indicator id of the catalogue.")],
    month: Month = None,
    year: FinancialYear = None,
    comparator: Comparator = "ew",
    population_year: PopulationYear = None,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> Response:
    known = catalogue().get(indicator)
    given = the_period(month, year)

    def build() -> Listing:
        period = given or latest_period(request, known.id)
        rows = workspace_of(request).indicators(
            period,
            indicator_ids=[known.id],
            comparator=comparator,
            population_year=population_year,
        )
        return page_of(rows, lambda r: (r.force,), limit, cursor, IndicatorRow)

    return list_response(request, known.id, build)


# --- the API ---------------------------------------------------------------------------------

router = APIRouter(prefix=PREFIX)
for _resource in (
    forces_router,
    frameworks_router,
    inspections_router,
    grades_router,
    findings_router,
    indicators_router,
):
    router.include_router(_resource)
