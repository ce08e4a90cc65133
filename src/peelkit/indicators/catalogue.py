"""The indicator catalogue (``catalogue.yaml``), validated on load."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from peelkit.errors import Location, PeelkitError
from peelkit.names import closest
from peelkit.reference import territorial_forces
from peelkit.sources.measures import measure
from peelkit.yamlfiles import load_yaml

COMPARATORS = ("england_and_wales", "most_similar_group")
KINDS = ("rate", "change", "value")
POLARITIES = ("low_is_good", "high_is_good", "no_judgement")
INTERVALS = ("poisson", "wilson", "none")


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
    polarity: str = "no_judgement"  # low_is_good, high_is_good or no_judgement
    interval: str = "none"  # poisson, wilson or none
    interval_note: str | None = None  # why there is no interval
    series_breaks: tuple[str, ...] = ()  # months (YYYY-MM) the series is not comparable across

    @property
    def measures(self) -> tuple[str, ...]:
        return tuple(m for m in (self.numerator, self.denominator, self.measure) if m)


@dataclass(frozen=True)
class Catalogue:
    indicators: dict[str, Indicator]
    band_share: float
    population_notes: dict[str, str] = field(default_factory=dict)

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
        "polarity",
        "interval",
        "interval_note",
        "series_breaks",
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
    polarity = raw.get("polarity")
    if polarity not in POLARITIES:
        raise fail(f"polarity must be one of {', '.join(POLARITIES)}")
    if (
        polarity != "no_judgement"
        and polarity != f"{'low' if raw['better'] == 'lower' else 'high'}_is_good"
    ):
        raise fail(f"polarity {polarity} disagrees with better: {raw['better']}")
    interval = raw.get("interval", "none")
    if interval not in INTERVALS:
        raise fail(f"interval must be one of {', '.join(INTERVALS)}")
    if interval == "none" and not raw.get("interval_note"):
        raise fail("an indicator without an interval needs an interval_note saying why")
    if interval == "poisson" and kind != "rate":
        raise fail("a Poisson interval needs a rate (a count of events over a population)")
    breaks = tuple(str(b) for b in raw.get("series_breaks") or ())
    if any(not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", b) for b in breaks):
        raise fail("series_breaks must be months written YYYY-MM")
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
        polarity=polarity,
        interval=interval,
        interval_note=raw.get("interval_note"),
        series_breaks=breaks,
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
    document: dict[str, Any] = load_yaml(text)
    defaults = document["defaults"]
    indicators = {
        key: _indicator(key, raw, defaults) for key, raw in document["indicators"].items()
    }
    notes = document.get("population_notes") or {}
    known = {f.id for f in territorial_forces()}
    for force in notes:
        if force not in known:
            raise PeelkitError(
                f"catalogue.yaml: population_notes: unknown force {force!r}",
                code="indicator_catalogue_invalid",
                location=Location(file="catalogue.yaml", field=f"population_notes.{force}"),
            )
    return Catalogue(
        indicators=indicators,
        band_share=float(defaults["band_share"]),
        population_notes={str(k): str(v) for k, v in notes.items()},
    )
