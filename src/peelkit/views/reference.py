"""The reference data as typed views: forces, frameworks (with their areas, grade scales and era
rules) and the indicator catalogue, in the shapes docs/json-output.md documents for ``peel forces
--json``, ``peel frameworks --json`` and ``peel indicators --list --json``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from peelkit.domain.forces import Force
from peelkit.domain.frameworks import Area, Framework
from peelkit.domain.grades import GradeScale, GradeValue
from peelkit.indicators.catalogue import Indicator
from peelkit.indicators.compute import comparators_of


@dataclass(frozen=True)
class ForceView:
    id: str
    name: str
    short_name: str
    ons_code: str | None
    region: str | None
    country: str
    territorial: bool
    in_england_and_wales_totals: bool
    police_uk_id: str
    aliases: tuple[str, ...]

    @classmethod
    def of(cls, value: Force) -> ForceView:
        return cls(
            id=value.id,
            name=value.name,
            short_name=value.short_name,
            ons_code=value.ons_code,
            region=value.region,
            country=value.country,
            territorial=value.territorial,
            in_england_and_wales_totals=value.in_england_and_wales_totals,
            police_uk_id=value.police_uk_id,
            aliases=tuple(value.aliases),
        )


@dataclass(frozen=True)
class GradeValueView:
    id: str
    label: str
    aliases: tuple[str, ...]

    @classmethod
    def of(cls, value: GradeValue) -> GradeValueView:
        return cls(id=value.id, label=value.label, aliases=tuple(value.aliases))


@dataclass(frozen=True)
class GradeScaleView:
    """A scale, grades best first, and its non-grades (such as Ungraded)."""

    id: str
    name: str
    grades: tuple[GradeValueView, ...]
    non_grades: tuple[GradeValueView, ...]

    @classmethod
    def of(cls, value: GradeScale) -> GradeScaleView:
        return cls(
            id=value.id,
            name=value.name,
            grades=tuple(GradeValueView.of(g) for g in value.grades),
            non_grades=tuple(GradeValueView.of(g) for g in value.non_grades),
        )


@dataclass(frozen=True)
class AreaView:
    """An area of a framework's tree, with its children in printed order."""

    id: str
    level: str
    name: str
    code: str | None
    question: str | None
    aliases: tuple[str, ...]
    graded: bool
    direction: bool
    mandatory: bool
    criteria: tuple[str, ...]
    attributes: Mapping[str, object]
    areas: tuple[AreaView, ...]

    @classmethod
    def of(cls, value: Area) -> AreaView:
        return cls(
            id=value.id,
            level=value.level,
            name=value.name,
            code=value.code,
            question=value.question,
            aliases=tuple(value.aliases),
            graded=value.graded,
            direction=value.direction,
            mandatory=value.mandatory,
            criteria=tuple(value.criteria),
            attributes=dict(value.attributes),
            areas=tuple(AreaView.of(child) for child in value.children),
        )


@dataclass(frozen=True)
class StatisticsRuleView:
    """Which statistics a framework's reports quote, worked out for the framework's own year."""

    basis: str
    month: int | None
    population_year: str
    period: str
    period_label: str
    population_mid_year: int

    @classmethod
    def of(cls, value: Framework) -> StatisticsRuleView:
        rule = value.era.statistics
        period, population = value.statistics_period()
        return cls(
            basis=rule.basis,
            month=rule.month,
            population_year=rule.population_year,
            period=period.key,
            period_label=period.label(),
            population_mid_year=population,
        )


@dataclass(frozen=True)
class EraView:
    """A framework's era rules: report layout, predecessor, year spellings, readers, statistics."""

    report_layout: str
    predecessor: str | None
    year_spellings: tuple[str, ...]
    readers: tuple[str, ...]
    statistics: StatisticsRuleView

    @classmethod
    def of(cls, value: Framework) -> EraView:
        return cls(
            report_layout=value.report_layout,
            predecessor=value.predecessor,
            year_spellings=tuple(value.year_spellings),
            readers=tuple(value.era.readers),
            statistics=StatisticsRuleView.of(value),
        )


def level_counts(value: Framework) -> dict[str, int]:
    """How many areas the framework has at each level, in tree order."""
    counts: dict[str, int] = {}
    for node in value.walk():
        counts[node.level] = counts.get(node.level, 0) + 1
    return counts


@dataclass(frozen=True)
class FrameworkSummaryView:
    """One line of ``peel frameworks``."""

    id: str
    title: str
    programme: str
    inspectorate: str
    period: str
    grade_scale: str | None
    direction_scale: str | None
    levels: Mapping[str, int]
    era: EraView

    @classmethod
    def of(cls, value: Framework) -> FrameworkSummaryView:
        return cls(
            id=value.id,
            title=value.title,
            programme=value.programme,
            inspectorate=value.inspectorate,
            period=value.period,
            grade_scale=value.grade_scale.id if value.grade_scale else None,
            direction_scale=value.direction_scale.id if value.direction_scale else None,
            levels=level_counts(value),
            era=EraView.of(value),
        )


@dataclass(frozen=True)
class FrameworkView:
    """A framework with its tree of areas and its grade scales (``peel frameworks ID``)."""

    id: str
    title: str
    programme: str
    inspectorate: str
    period: str
    description: str
    sources: tuple[str, ...]
    checksum: str
    grade_scale: GradeScaleView | None
    direction_scale: GradeScaleView | None
    levels: Mapping[str, int]
    era: EraView
    areas: tuple[AreaView, ...]

    @classmethod
    def of(cls, value: Framework) -> FrameworkView:
        return cls(
            id=value.id,
            title=value.title,
            programme=value.programme,
            inspectorate=value.inspectorate,
            period=value.period,
            description=value.description,
            sources=tuple(value.sources),
            checksum=value.checksum,
            grade_scale=GradeScaleView.of(value.grade_scale) if value.grade_scale else None,
            direction_scale=(
                GradeScaleView.of(value.direction_scale) if value.direction_scale else None
            ),
            levels=level_counts(value),
            era=EraView.of(value),
            areas=tuple(AreaView.of(a) for a in value.areas),
        )


@dataclass(frozen=True)
class IndicatorDefinitionView:
    """An indicator of the catalogue (``peel indicators --list``)."""

    id: str
    label: str
    kind: str
    unit: str
    decimals: int
    better: str
    polarity: str  # low_is_good, high_is_good or no_judgement: how significance reads
    comparators: tuple[str, ...]  # those the reports use (the catalogue's)
    # every comparator it can be shown against: the reports' and, with England and Wales,
    # the force's region (issue 13)
    comparator_choices: tuple[str, ...] = ()

    @classmethod
    def of(cls, value: Indicator) -> IndicatorDefinitionView:
        return cls(
            id=value.id,
            label=value.label,
            kind=value.kind,
            unit=value.unit,
            decimals=value.decimals,
            better=value.better,
            polarity=value.polarity,
            comparators=tuple(value.comparators),
            comparator_choices=comparators_of(value),
        )
