"""Grade scales: ordered grades, the non-grades beside them, and when grades compare."""

from __future__ import annotations

from dataclasses import dataclass, field

from peelkit.errors import GradesNotComparable, UnknownGrade
from peelkit.names import fold


@dataclass(frozen=True)
class GradeValue:
    """One value a judgment may carry on a scale: a grade or a non-grade such as Ungraded."""

    id: str
    label: str
    aliases: tuple[str, ...] = ()
    rank: int | None = None  # 0 is best; None for non-grades
    scale_id: str = ""

    @property
    def is_grade(self) -> bool:
        return self.rank is not None


@dataclass(frozen=True)
class GradeScale:
    """An ordered scale, best grade first, plus its non-grades."""

    id: str
    name: str
    description: str
    grades: tuple[GradeValue, ...]
    non_grades: tuple[GradeValue, ...] = ()
    _lookup: dict[str, GradeValue] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for value in (*self.grades, *self.non_grades):
            for spelling in (value.id, value.label, *value.aliases):
                self._lookup.setdefault(fold(spelling), value)

    @property
    def values(self) -> tuple[GradeValue, ...]:
        return (*self.grades, *self.non_grades)

    def get(self, text: str) -> GradeValue:
        """The grade or non-grade named by id, label or alias; :class:`UnknownGrade` if none."""
        value = self._lookup.get(fold(text))
        if value is None:
            raise UnknownGrade(self.id, text, [v.label for v in self.values])
        return value

    def find(self, text: str) -> GradeValue | None:
        return self._lookup.get(fold(text))


def compare(left: GradeValue, right: GradeValue) -> int:
    """-1 if ``left`` is the better grade, 1 if worse, 0 if equal.

    Grades of different scales are not comparable, and non-grades (Ungraded) are on no order.
    """
    if left.scale_id != right.scale_id:
        raise GradesNotComparable(left.scale_id, right.scale_id)
    if left.rank is None or right.rank is None:
        raise GradesNotComparable(left.scale_id, right.scale_id)
    return (left.rank > right.rank) - (left.rank < right.rank)
