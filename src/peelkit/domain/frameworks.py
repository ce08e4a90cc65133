"""Inspection frameworks: a versioned tree of areas, with the grade scales they use."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from peelkit.domain.grades import GradeScale
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
    checksum: str = ""
    _index: dict[str, Area] = field(default_factory=dict, compare=False, repr=False)
    _by_name: dict[str, Area] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for area in self.walk():
            self._index[area.id] = area
            for spelling in area.spellings():
                self._by_name.setdefault(fold(spelling), area)

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
