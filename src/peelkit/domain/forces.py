"""Police forces and their most similar groups."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Force:
    """A police force: one of the 43 territorial forces of England and Wales, or BTP.

    ``in_england_and_wales_totals`` is False for British Transport Police: the reports' England
    and Wales figures exclude it.
    """

    id: str
    name: str
    short_name: str
    ons_code: str | None
    region: str | None
    country: str
    territorial: bool
    in_england_and_wales_totals: bool
    police_uk_id: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class MostSimilarGroup:
    """A force's group of up to seven peers for one year, as a report or a user file gives it.

    Groups are asymmetric: B in A's group says nothing of A in B's. The group a comparison pools
    over is the peers plus the force itself (:attr:`with_force`).
    """

    force_id: str
    year: str
    peers: tuple[str, ...]
    source: str

    @property
    def with_force(self) -> tuple[str, ...]:
        return (self.force_id, *self.peers)


MAX_PEERS = 7
