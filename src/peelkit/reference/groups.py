"""Most similar groups shipped with peelkit (``data/most-similar-groups.yaml``)."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

from peelkit.domain.forces import MostSimilarGroup
from peelkit.domain.years import normalise_year
from peelkit.reference.forces import get_force
from peelkit.yamlfiles import load_yaml


def _document() -> dict[str, Any]:
    path = resources.files("peelkit.reference") / "data" / "most-similar-groups.yaml"
    document: dict[str, Any] = load_yaml(path.read_text("utf-8"))
    return document


@cache
def shipped_groups() -> tuple[MostSimilarGroup, ...]:
    groups = []
    for row in _document()["groups"]:
        force = get_force(row["force"])
        peers = tuple(get_force(p).id for p in row["peers"])
        groups.append(
            MostSimilarGroup(
                force_id=force.id,
                year=normalise_year(row["year"]),
                peers=peers,
                source=" ".join(str(row["source"]).split()),
            )
        )
    return tuple(groups)


@cache
def forces_without_group() -> dict[str, str]:
    """Force id -> why it has no most similar group."""
    return {
        get_force(row["force"]).id: " ".join(str(row["reason"]).split())
        for row in _document()["forces_without_group"]
    }
