"""Most similar groups as typed views: what ``peel groups`` shows and ``peel groups load``
loaded (shapes in docs/json-output.md)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from peelkit.domain.forces import MostSimilarGroup


@dataclass(frozen=True)
class GroupView:
    """A force's group of peers for one year, and the document or file it came from."""

    force: str
    year: str
    peers: tuple[str, ...]
    source: str

    @classmethod
    def of(cls, value: MostSimilarGroup) -> GroupView:
        return cls(
            force=value.force_id, year=value.year, peers=tuple(value.peers), source=value.source
        )


@dataclass(frozen=True)
class GroupsView:
    """A force's groups (or every force's): ``force`` and ``year`` are what was asked for, and
    ``no_group_reason`` says why a force has none (City of London Police)."""

    force: str | None
    year: str | None
    groups: tuple[GroupView, ...]
    no_group_reason: str | None

    @classmethod
    def of(
        cls,
        force: str | None,
        year: str | None,
        groups: Iterable[MostSimilarGroup],
        no_group_reason: str | None = None,
    ) -> GroupsView:
        return cls(
            force=force,
            year=year,
            groups=tuple(GroupView.of(g) for g in groups),
            no_group_reason=no_group_reason,
        )


@dataclass(frozen=True)
class GroupsLoadView:
    """The groups a CSV file held, each now stored (replacing the same force and year's)."""

    file: str
    groups: tuple[GroupView, ...]

    @classmethod
    def of(cls, file: str, groups: Iterable[MostSimilarGroup]) -> GroupsLoadView:
        return cls(file=file, groups=tuple(GroupView.of(g) for g in groups))
