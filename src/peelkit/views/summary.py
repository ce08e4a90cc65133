"""What a database holds, for a newcomer (``peel summary``). Shape in docs/json-output.md."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from peelkit.domain.forces import Force
from peelkit.domain.frameworks import Framework


@dataclass(frozen=True)
class ForceCountsView:
    territorial: int
    other: tuple[str, ...]  # names of the forces outside England and Wales totals (BTP)

    @classmethod
    def of(cls, forces: Iterable[Force]) -> ForceCountsView:
        listed = list(forces)
        return cls(
            territorial=sum(1 for f in listed if f.territorial),
            other=tuple(f.name for f in listed if not f.territorial),
        )


@dataclass(frozen=True)
class FrameworkCountView:
    id: str
    areas: int
    title: str

    @classmethod
    def of(cls, value: Framework) -> FrameworkCountView:
        return cls(id=value.id, areas=sum(1 for _ in value.walk()), title=value.title)


@dataclass(frozen=True)
class InspectionCountsView:
    total: int
    by_framework: Mapping[str, int]  # framework id -> inspections, in the order first listed

    @classmethod
    def of(cls, framework_ids: Iterable[str]) -> InspectionCountsView:
        counts: dict[str, int] = {}
        for framework_id in framework_ids:
            counts[framework_id] = counts.get(framework_id, 0) + 1
        return cls(total=sum(counts.values()), by_framework=counts)


@dataclass(frozen=True)
class SummaryView:
    database: str
    forces: ForceCountsView
    frameworks: tuple[FrameworkCountView, ...]
    most_similar_groups: int
    inspections: InspectionCountsView

    @classmethod
    def of(
        cls,
        database: str,
        forces: Iterable[Force],
        frameworks: Iterable[Framework],
        most_similar_groups: int,
        inspection_frameworks: Iterable[str],
    ) -> SummaryView:
        """``inspection_frameworks``: the framework id of every inspection, in listing order."""
        return cls(
            database=database,
            forces=ForceCountsView.of(forces),
            frameworks=tuple(FrameworkCountView.of(f) for f in frameworks),
            most_similar_groups=most_similar_groups,
            inspections=InspectionCountsView.of(inspection_frameworks),
        )
