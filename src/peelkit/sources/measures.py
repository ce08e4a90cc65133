"""The measures official statistics count (``measures.yaml``): base ones and their sums."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from peelkit.errors import PeelkitError
from peelkit.yamlfiles import load_yaml


class UnknownMeasure(PeelkitError):
    code = "unknown_measure"
    kind = "not_found"

    def __init__(self, measure: str) -> None:
        super().__init__(f"unknown measure {measure!r} (see sources/measures.yaml)")


@dataclass(frozen=True)
class Measure:
    id: str
    label: str
    unit: str
    parts: tuple[str, ...] = ()  # for a derived measure: the measures it is the sum of

    @property
    def derived(self) -> bool:
        return bool(self.parts)


@cache
def measures() -> dict[str, Measure]:
    text = (resources.files("peelkit.sources") / "measures.yaml").read_text(encoding="utf-8")
    document: dict[str, Any] = load_yaml(text)
    found = {
        key: Measure(key, value["label"], value["unit"]) for key, value in document["base"].items()
    }
    for key, value in document["derived"].items():
        found[key] = Measure(key, value["label"], "count", tuple(value["sum_of"]))
    for measure in found.values():
        for part in measure.parts:
            if part not in found:
                raise UnknownMeasure(part)
    return found


def measure(measure_id: str) -> Measure:
    found = measures().get(measure_id)
    if found is None:
        raise UnknownMeasure(measure_id)
    return found


@cache
def base_parts(measure_id: str) -> tuple[str, ...]:
    """The base measures a measure is the sum of (itself, if it is a base measure)."""
    item = measure(measure_id)
    if not item.derived:
        return (measure_id,)
    return tuple(base for part in item.parts for base in base_parts(part))
