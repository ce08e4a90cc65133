"""Inspection frameworks: a versioned tree of areas, with the grade scales they use."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

from peelkit.domain.grades import GradeScale
from peelkit.domain.periods import Period
from peelkit.domain.years import start_year
from peelkit.errors import UnknownArea
from peelkit.names import closest, fold

LEVELS = (
    "overall",
    "pillar",
    "question",
    "sub_question",
    "component",
    "domain",
    "area",
    "section",
)

# How a report of each layout is put together (the report builders know these names).
REPORT_LAYOUTS = ("integrated", "effectiveness", "baseline")
# The report readers (``peelkit.reportimport.readers``, by ``Reader.name``) a framework may
# name in ``era.readers``: a reader reads the documents of every framework that names it.
READER_NAMES = (
    "baseline-2005",
    "core-business-2014",
    "peel-2018-19",
    "peel-effectiveness",
    "web-page",
    "peel-2021-25",
)

StatisticsBasis = Literal["financial_year", "year_ending"]
PopulationYear = Literal["first", "previous"]


@dataclass(frozen=True)
class StatisticsRule:
    """Which published statistics a report of a framework quotes, given its assessment year.

    ``financial_year``: the financial year that starts in April of the assessment's first year
    (2004/05 for the 2005 baseline). ``year_ending``: the 12 months to the end of ``month`` of
    the first year (30 June 2016, 30 September 2018). The population is the mid-year estimate
    of the first year (``first``) or of the year before it (``previous``).
    """

    basis: StatisticsBasis
    population_year: PopulationYear
    month: int | None = None

    def period(self, year: str) -> tuple[Period, int]:
        first = start_year(year)
        population = first if self.population_year == "first" else first - 1
        if self.basis == "financial_year":
            return Period.financial_year(f"{first}/{(first + 1) % 100:02d}"), population
        return Period.year_ending(first, self.month or 12), population


@dataclass(frozen=True)
class Era:
    """The rules of one framework's time: report layout, statistics, predecessor, spellings."""

    report_layout: str
    statistics: StatisticsRule
    predecessor: str | None
    year_spellings: tuple[str, ...]
    readers: tuple[str, ...] = ()
    # The periods inspections of the framework are filed under, besides its own (normalised):
    # the 2004/05 baseline framework was the frame of the later baseline assessments too.
    other_periods: tuple[str, ...] = ()


@dataclass(frozen=True)
class Area:
    """One node of a framework: an overall question, pillar, question, component, area..."""

    id: str
    level: str
    name: str
    graded: bool
    code: str | None = None
    question: str | None = None
    aliases: tuple[str, ...] = ()
    direction: bool = False
    mandatory: bool = False
    criteria: tuple[str, ...] = ()
    attributes: dict[str, str] = field(default_factory=dict)
    children: tuple[Area, ...] = ()
    parent_id: str | None = None

    def walk(self) -> Iterator[Area]:
        yield self
        for child in self.children:
            yield from child.walk()

    def spellings(self) -> tuple[str, ...]:
        """Every name this area answers to: id, code, name, question and aliases."""
        names = [self.id, self.name, *self.aliases]
        if self.code:
            names.append(self.code)
        if self.question:
            names.append(self.question)
        return tuple(names)


@dataclass(frozen=True)
class Framework:
    id: str
    title: str
    programme: str
    inspectorate: str
    period: str
    description: str
    sources: tuple[str, ...]
    grade_scale: GradeScale | None
    direction_scale: GradeScale | None
    areas: tuple[Area, ...]
    era: Era
    checksum: str = ""
    _index: dict[str, Area] = field(default_factory=dict, compare=False, repr=False)
    _by_name: dict[str, Area] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for area in self.walk():
            self._index[area.id] = area
            for spelling in area.spellings():
                self._by_name.setdefault(fold(spelling), area)

    @property
    def report_layout(self) -> str:
        """``integrated``, ``effectiveness`` or ``baseline``: how its reports are laid out."""
        return self.era.report_layout

    @property
    def predecessor(self) -> str | None:
        """The id of the previous framework of the same programme, or None for the first."""
        return self.era.predecessor

    @property
    def periods(self) -> tuple[str, ...]:
        """The periods an inspection of this framework may be filed under: its own first."""
        return (self.period, *self.era.other_periods)

    @property
    def year_spellings(self) -> tuple[str, ...]:
        """How documents write this framework's year (``2018/19``, ``2018/2019``...)."""
        return self.era.year_spellings

    def statistics_period(self, year: str | None = None) -> tuple[Period, int]:
        """The statistics period a report of this framework and year uses, and its population
        year (mid-year estimate); ``year`` defaults to the framework's period."""
        return self.era.statistics.period(year or self.period)

    def walk(self) -> Iterator[Area]:
        for area in self.areas:
            yield from area.walk()

    def area(self, area_id: str) -> Area:
        """The area with this exact id."""
        found = self._index.get(area_id)
        if found is None:
            raise UnknownArea(self.id, area_id, closest(area_id, self._index))
        return found

    def find_area(self, name: str) -> Area | None:
        """The area a name denotes, or None (no suggestions computed: cheap for readers)."""
        return self._index.get(name) or self._by_name.get(fold(name))

    def resolve_area(self, name: str) -> Area:
        """The area a name, code, question or alias denotes (case and punctuation ignored)."""
        found = self._index.get(name) or self._by_name.get(fold(name))
        if found is None:
            spellings = [s for a in self.walk() for s in (a.id, a.name, *a.aliases)]
            raise UnknownArea(self.id, name, closest(name, spellings))
        return found

    def count(self, level: str) -> int:
        return sum(1 for a in self.walk() if a.level == level)
