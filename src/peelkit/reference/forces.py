"""The forces of England and Wales, read from ``data/forces.yaml``, and resolving their names."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

from peelkit.domain.forces import Force
from peelkit.errors import UnknownForce
from peelkit.names import closest, fold
from peelkit.yamlfiles import load_yaml


def _load() -> list[Force]:
    text = (resources.files("peelkit.reference") / "data" / "forces.yaml").read_text("utf-8")
    document: dict[str, Any] = load_yaml(text)
    return [
        Force(
            id=row["id"],
            name=row["name"],
            short_name=row["short_name"],
            ons_code=row["ons_code"],
            region=row["region"],
            country=row["country"],
            territorial=row["territorial"],
            in_england_and_wales_totals=row["in_england_and_wales_totals"],
            police_uk_id=row["police_uk_id"],
            aliases=tuple(row.get("aliases") or ()),
        )
        for row in document["forces"]
    ]


@cache
def all_forces() -> tuple[Force, ...]:
    """The 43 territorial forces (alphabetical) followed by British Transport Police."""
    return tuple(_load())


def territorial_forces() -> tuple[Force, ...]:
    return tuple(f for f in all_forces() if f.territorial)


@cache
def _index() -> dict[str, Force]:
    index: dict[str, Force] = {}
    for force in all_forces():
        spellings = (force.id, force.name, force.short_name, force.police_uk_id, *force.aliases)
        for spelling in spellings:
            index.setdefault(fold(spelling), force)
        if force.ons_code:
            index.setdefault(fold(force.ons_code), force)
    return index


def get_force(force_id: str) -> Force:
    """The force with this exact id (such as ``metropolitan``)."""
    for force in all_forces():
        if force.id == force_id:
            return force
    raise UnknownForce(force_id, closest(force_id, [f.id for f in all_forces()]))


def resolve_force(name: str) -> Force:
    """The force any of its names denotes: id, name, short name, alias or ONS code.

    Case, punctuation and "&" versus "and" are ignored. An unknown name raises
    :class:`UnknownForce` listing the closest names.
    """
    force = _index().get(fold(name))
    if force is None:
        names = [f.name for f in all_forces()] + [a for f in all_forces() for a in f.aliases]
        suggestions = closest(name, names)
        resolved = []
        for suggestion in suggestions:
            full = _index()[fold(suggestion)].name
            if full not in resolved:
                resolved.append(full)
        raise UnknownForce(name, resolved)
    return force
