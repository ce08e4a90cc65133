"""A page of a findings search: the hits with their force, area, kind and source in words, the
total and the facets (kind, force, framework, year, area) with their counts, and the cursor of
the next page. Built from :mod:`peelkit.record.search`, which runs the query."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from peelkit.domain.frameworks import Framework
from peelkit.errors import PeelkitError
from peelkit.frameworks import load_all, load_framework
from peelkit.record.search import FACETS, FacetCount, Hit, SearchRequest, SearchResult
from peelkit.reference import get_force
from peelkit.views.force_record import KIND_LABELS
from peelkit.views.inspections import DocumentView, FindingView, ProvenanceView
from peelkit.views.provenance import describe_source

NO_AREA = "No area"


@dataclass(frozen=True)
class FindingHit:
    """One finding found, with what a reader needs to place it."""

    id: int
    inspection: int
    force: str
    force_name: str
    framework: str
    period: str
    area: str | None
    area_name: str | None
    kind: str
    kind_label: str
    text: str
    heading: str | None
    source: str  # where it came from, in words: "<document>, lines 348–348"
    provenance: ProvenanceView


@dataclass(frozen=True)
class FacetValue:
    value: str | None  # what to filter on (None: findings of no area)
    label: str
    count: int


@dataclass(frozen=True)
class Facet:
    name: str  # kind, force, framework, year or area
    values: tuple[FacetValue, ...]  # most results first


@dataclass(frozen=True)
class FindingSearchView:
    query: str
    items: tuple[FindingHit, ...]
    total: int
    facets: tuple[Facet, ...]
    next: str | None  # the cursor of the next page, None on the last

    @classmethod
    def of(cls, request: SearchRequest, result: SearchResult) -> FindingSearchView:
        documents = {i: DocumentView.of(d) for i, d in result.documents.items()}
        return cls(
            query=request.text,
            items=tuple(_hit(h, documents) for h in result.hits),
            total=result.total,
            facets=tuple(_facet(name, result.facets) for name in FACETS),
            next=result.next,
        )


def _framework(framework_id: str) -> Framework | None:
    try:
        return load_framework(framework_id)
    except PeelkitError:  # a framework file gone since the finding was recorded
        return None


def _area_name(framework_id: str, area_id: str | None) -> str | None:
    if area_id is None:
        return None
    spec = _framework(framework_id)
    area = spec.find_area(area_id) if spec is not None else None
    return area.name if area is not None else area_id


def _force_name(force_id: str) -> str:
    try:
        return get_force(force_id).name
    except PeelkitError:
        return force_id


def _hit(hit: Hit, documents: dict[int, DocumentView]) -> FindingHit:
    finding = FindingView.of(hit.finding)
    inspection = hit.inspection
    return FindingHit(
        id=finding.id,
        inspection=inspection.id,
        force=inspection.force_id,
        force_name=_force_name(inspection.force_id),
        framework=hit.finding.framework_id,
        period=inspection.period,
        area=finding.area,
        area_name=_area_name(hit.finding.framework_id, finding.area),
        kind=finding.kind,
        kind_label=KIND_LABELS.get(finding.kind, finding.kind),
        text=finding.text,
        heading=finding.heading,
        source=describe_source(finding.provenance, documents),
        provenance=finding.provenance,
    )


def _facet(name: str, counts: tuple[FacetCount, ...]) -> Facet:
    mine = [c for c in counts if c.facet == name]
    if name == "area":
        values = _area_values(mine)
    else:
        values = [FacetValue(c.value, _label(name, c.value), c.count) for c in mine]
    return Facet(name, tuple(sorted(values, key=lambda v: (-v.count, v.label))))


def _label(name: str, value: str | None) -> str:
    if value is None:
        return "-"
    if name == "kind":
        return KIND_LABELS.get(value, value)
    if name == "force":
        return _force_name(value)
    if name == "framework":
        spec = _framework(value)
        return spec.title if spec is not None else value
    return value


def _area_values(counts: list[FacetCount]) -> list[FacetValue]:
    """One value per area id across frameworks, named as the latest framework names it."""
    order = {spec.id: position for position, spec in enumerate(load_all())}
    totals: dict[str | None, int] = defaultdict(int)
    latest: dict[str | None, str] = {}
    for count in counts:
        totals[count.value] += count.count
        framework = count.framework or ""
        if count.value not in latest or order.get(framework, -1) > order.get(
            latest[count.value], -1
        ):
            latest[count.value] = framework
    return [
        FacetValue(area, (_area_name(latest[area], area) or area) if area else NO_AREA, total)
        for area, total in totals.items()
    ]
