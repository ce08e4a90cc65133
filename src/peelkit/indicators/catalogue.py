"""The indicator catalogue (``catalogue.yaml``), validated on load."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from peelkit.errors import Location, PeelkitError
from peelkit.names import closest
from peelkit.sources.measures import measure

COMPARATORS = ("england_and_wales", "most_similar_group")
KINDS = ("rate", "change", "value")


class UnknownIndicator(PeelkitError):
    code = "unknown_indicator"
    kind = "not_found"

    def __init__(self, indicator: str, known: list[str]) -> None:
        suggestions = closest(indicator, known)
        hint = f" (closest: {', '.join(suggestions)})" if suggestions else ""
        super().__init__(f"unknown indicator {indicator!r}{hint}; see peel indicators --list")


@dataclass(frozen=True)
class Indicator:
    id: str
    label: str
    kind: str
    unit: str
    decimals: int
    better: str  # "higher" or "lower"
    comparators: tuple[str, ...]
    numerator: str | None = None  # rate
    denominator: str | None = None  # rate
    multiplier: int = 1
    measure: str | None = None  # change, value
    years: int = 0  # change

    @property
    def measures(self) -> tuple[str, ...]:
        return tuple(m for m in (self.numerator, self.denominator, self.measure) if m)


@dataclass(frozen=True)
class Catalogue:
    indicators: dict[str, Indicator]
    band_share: float

    def get(self, indicator_id: str) -> Indicator:
        found = self.indicators.get(indicator_id)
        if found is None:
            raise UnknownIndicator(indicator_id, list(self.indicators))
        return found


def _indicator(key: str, raw: dict[str, Any], defaults: dict[str, Any]) -> Indicator:
    def fail(problem: str) -> PeelkitError:
        return PeelkitError(
            f"catalogue.yaml: indicators.{key}: {problem}",
            code="indicator_catalogue_invalid",
            location=Location(file="catalogue.yaml", field=f"indicators.{key}"),
        )

    allowed = {
        "label",
        "kind",
        "unit",
        "decimals",
        "better",
        "comparators",
        "numerator",
        "denominator",
        "multiplier",
        "measure",
        "years",
    }
    unknown = set(raw) - allowed
    if unknown:
        raise fail(f"unknown field {sorted(unknown)[0]!r}")
    kind = raw.get("kind")
    if kind not in KINDS:
        raise fail(f"kind must be one of {', '.join(KINDS)}")
    comparators = tuple(raw.get("comparators", defaults["comparators"]))
    if any(c not in COMPARATORS for c in comparators):
        raise fail(f"comparators must be among {', '.join(COMPARATORS)}")
    if raw.get("better") not in ("higher", "lower"):
        raise fail("better must be higher or lower")
    indicator = Indicator(
        id=key,
        label=raw["label"],
        kind=kind,
        unit=raw["unit"],
        decimals=int(raw["decimals"]),
        better=raw["better"],
        comparators=comparators,
        numerator=raw.get("numerator"),
        denominator=raw.get("denominator"),
        multiplier=int(raw.get("multiplier", 1)),
        measure=raw.get("measure"),
        years=int(raw.get("years", 0)),
    )
    if kind == "rate" and not (indicator.numerator and indicator.denominator):
        raise fail("a rate needs a numerator and a denominator")
    if kind in ("change", "value") and not indicator.measure:
        raise fail(f"a {kind} needs a measure")
    if kind == "change" and indicator.years < 1:
        raise fail("a change needs years >= 1")
    for measure_id in indicator.measures:
        measure(measure_id)  # raises on an unknown measure
    return indicator


@cache
def catalogue() -> Catalogue:
    text = (resources.files("peelkit.indicators") / "catalogue.yaml").read_text(encoding="utf-8")
    document: dict[str, Any] = yaml.safe_load(text)
    defaults = document["defaults"]
    indicators = {
        key: _indicator(key, raw, defaults) for key, raw in document["indicators"].items()
    }
    return Catalogue(indicators=indicators, band_share=float(defaults["band_share"]))
