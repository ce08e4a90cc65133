"""Plain JSON-ready views of reference data (forces, frameworks, groups) for the CLI and API."""

from __future__ import annotations

from typing import Any

from peelkit.domain.forces import Force
from peelkit.domain.frameworks import Area, Framework
from peelkit.domain.grades import GradeScale, GradeValue


def force(value: Force) -> dict[str, Any]:
    return {
        "id": value.id,
        "name": value.name,
        "short_name": value.short_name,
        "ons_code": value.ons_code,
        "region": value.region,
        "country": value.country,
        "territorial": value.territorial,
        "in_england_and_wales_totals": value.in_england_and_wales_totals,
        "police_uk_id": value.police_uk_id,
        "aliases": list(value.aliases),
    }


def _value(value: GradeValue) -> dict[str, Any]:
    return {"id": value.id, "label": value.label, "aliases": list(value.aliases)}


def scale(value: GradeScale | None) -> dict[str, Any] | None:
    if value is None:
        return None
    return {
        "id": value.id,
        "name": value.name,
        "grades": [_value(g) for g in value.grades],
        "non_grades": [_value(g) for g in value.non_grades],
    }


def area(value: Area) -> dict[str, Any]:
    return {
        "id": value.id,
        "level": value.level,
        "name": value.name,
        "code": value.code,
        "question": value.question,
        "aliases": list(value.aliases),
        "graded": value.graded,
        "direction": value.direction,
        "mandatory": value.mandatory,
        "criteria": list(value.criteria),
        "attributes": dict(value.attributes),
        "areas": [area(child) for child in value.children],
    }


def level_counts(value: Framework) -> dict[str, int]:
    counts: dict[str, int] = {}
    for node in value.walk():
        counts[node.level] = counts.get(node.level, 0) + 1
    return counts


def framework_summary(value: Framework) -> dict[str, Any]:
    return {
        "id": value.id,
        "title": value.title,
        "programme": value.programme,
        "inspectorate": value.inspectorate,
        "period": value.period,
        "grade_scale": value.grade_scale.id if value.grade_scale else None,
        "direction_scale": value.direction_scale.id if value.direction_scale else None,
        "levels": level_counts(value),
    }


def framework(value: Framework) -> dict[str, Any]:
    return {
        "id": value.id,
        "title": value.title,
        "programme": value.programme,
        "inspectorate": value.inspectorate,
        "period": value.period,
        "description": value.description,
        "sources": list(value.sources),
        "checksum": value.checksum,
        "grade_scale": scale(value.grade_scale),
        "direction_scale": scale(value.direction_scale),
        "levels": level_counts(value),
        "areas": [area(a) for a in value.areas],
    }
