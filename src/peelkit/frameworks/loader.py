"""Read and validate the framework data files (format in docs/frameworks.md)."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from peelkit.domain.frameworks import (
    LEVELS,
    READER_NAMES,
    REPORT_LAYOUTS,
    Area,
    Era,
    Framework,
    StatisticsRule,
)
from peelkit.domain.grades import GradeScale, GradeValue
from peelkit.domain.years import InvalidYear, normalise_year, start_year
from peelkit.errors import FrameworkFileError, UnknownFramework
from peelkit.names import fold
from peelkit.yamlfiles import load_yaml

SCALES_FILE = "grade-scales.yaml"
# Extra directories of framework files, separated like PATH (docs/frameworks.md).
PATH_VARIABLE = "PEELKIT_FRAMEWORKS_PATH"

_FRAMEWORK_FIELDS = {
    "id": True,
    "title": True,
    "programme": True,
    "inspectorate": True,
    "period": True,
    "grade_scale": True,
    "direction_scale": False,
    "description": True,
    "sources": True,
    "areas": True,
    "era": True,
}
_ERA_FIELDS = {
    "report_layout": True,
    "statistics": True,
    "predecessor": True,
    "year_spellings": True,
    "readers": False,
    "other_periods": False,
}
_STATISTICS_FIELDS = {"basis": True, "month": False, "population_year": True}
_STATISTICS_BASES = ("year_ending", "financial_year")
_POPULATION_YEARS = ("first", "previous")
_AREA_FIELDS = {
    "id": True,
    "level": True,
    "name": True,
    "graded": True,
    "code": False,
    "question": False,
    "aliases": False,
    "direction": False,
    "mandatory": False,
    "criteria": False,
    "attributes": False,
    "areas": False,
}
_SCALE_FIELDS = {"id": True, "name": True, "description": True, "grades": True, "non_grades": False}
_VALUE_FIELDS = {"id": True, "label": True, "aliases": False}


def _data_dir() -> Path:
    return Path(str(resources.files("peelkit.frameworks") / "data"))


def _read_yaml(path: Path) -> Any:
    try:
        return load_yaml(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else ""
        problem = f"not valid YAML ({exc.__class__.__name__})"
        raise FrameworkFileError(path.name, where, problem) from None
    except OSError as exc:
        raise FrameworkFileError(
            str(path), "", f"cannot be read ({exc.strerror})", code="file_unreadable"
        ) from None


class _Checker:
    """Checks one mapping against its declared fields, naming the place of any problem."""

    def __init__(self, file: str) -> None:
        self.file = file

    def fail(self, where: str, problem: str) -> FrameworkFileError:
        return FrameworkFileError(self.file, where, problem)

    def mapping(self, value: Any, where: str, fields: Mapping[str, bool]) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(where, f"expected a mapping, found {type(value).__name__}")
        for key in value:
            if key not in fields:
                raise self.fail(where, f"unknown field {key!r}")
        for key, required in fields.items():
            if required and key not in value:
                raise self.fail(where, f"missing field {key!r}")
        return value

    def text(self, value: Any, where: str) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(where, "expected non-empty text")
        return value.strip()

    def optional_text(self, value: Any, where: str) -> str | None:
        return None if value is None else self.text(value, where)

    def flag(self, value: Any, where: str) -> bool:
        if not isinstance(value, bool):
            raise self.fail(where, "expected true or false")
        return value

    def texts(self, value: Any, where: str) -> tuple[str, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            raise self.fail(where, "expected a list of text")
        return tuple(self.text(item, f"{where}[{i}]") for i, item in enumerate(value))


def _scale_values(
    check: _Checker, item: dict[str, Any], where: str, key: str, scale_id: str
) -> tuple[GradeValue, ...]:
    """The grades (ranked in order, best first) or the non-grades (unranked) of a scale."""
    raws = item.get(key) or []
    if not isinstance(raws, list):
        raise check.fail(f"{where}.{key}", "expected a list")
    values = []
    for j, raw_value in enumerate(raws):
        at = f"{where}.{key}[{j}]"
        entry = check.mapping(raw_value, at, _VALUE_FIELDS)
        values.append(
            GradeValue(
                id=check.text(entry["id"], f"{at}.id"),
                label=check.text(entry["label"], f"{at}.label"),
                aliases=check.texts(entry.get("aliases"), f"{at}.aliases"),
                rank=j if key == "grades" else None,
                scale_id=scale_id,
            )
        )
    return tuple(values)


def _load_scales(path: Path) -> dict[str, GradeScale]:
    check = _Checker(path.name)
    document = check.mapping(_read_yaml(path), "", {"scales": True})
    if not isinstance(document["scales"], list):
        raise check.fail("scales", "expected a list")
    scales: dict[str, GradeScale] = {}
    for i, raw in enumerate(document["scales"]):
        where = f"scales[{i}]"
        item = check.mapping(raw, where, _SCALE_FIELDS)
        scale_id = check.text(item["id"], f"{where}.id")
        if scale_id in scales:
            raise check.fail(f"{where}.id", f"duplicate scale id {scale_id!r}")

        grades = _scale_values(check, item, where, "grades", scale_id)
        if not grades:
            raise check.fail(f"{where}.grades", "a scale needs at least one grade")
        scales[scale_id] = GradeScale(
            id=scale_id,
            name=check.text(item["name"], f"{where}.name"),
            description=check.text(item["description"], f"{where}.description"),
            grades=grades,
            non_grades=_scale_values(check, item, where, "non_grades", scale_id),
        )
    return scales


@cache
def grade_scales() -> dict[str, GradeScale]:
    """Every grade scale, by id."""
    return _load_scales(_data_dir() / SCALES_FILE)


def _area(check: _Checker, raw: Any, where: str, parent_id: str | None) -> Area:
    item = check.mapping(raw, where, _AREA_FIELDS)
    area_id = check.text(item["id"], f"{where}.id")
    level = check.text(item["level"], f"{where}.level")
    if level not in LEVELS:
        raise check.fail(
            f"{where}.level", f"unknown level {level!r} (expected one of: {', '.join(LEVELS)})"
        )
    attributes = item.get("attributes") or {}
    if not isinstance(attributes, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in attributes.items()
    ):
        raise check.fail(f"{where}.attributes", "expected a mapping of text to text")
    children_raw = item.get("areas") or []
    if not isinstance(children_raw, list):
        raise check.fail(f"{where}.areas", "expected a list of areas")
    children = tuple(
        _area(check, child, f"{where}.areas[{j}]", area_id) for j, child in enumerate(children_raw)
    )
    return Area(
        id=area_id,
        level=level,
        name=check.text(item["name"], f"{where}.name"),
        graded=check.flag(item["graded"], f"{where}.graded"),
        code=check.optional_text(item.get("code"), f"{where}.code"),
        question=check.optional_text(item.get("question"), f"{where}.question"),
        aliases=check.texts(item.get("aliases"), f"{where}.aliases"),
        direction=check.flag(item.get("direction", False), f"{where}.direction"),
        mandatory=check.flag(item.get("mandatory", False), f"{where}.mandatory"),
        criteria=check.texts(item.get("criteria"), f"{where}.criteria"),
        attributes=dict(attributes),
        children=children,
        parent_id=parent_id,
    )


def _scale(check: _Checker, value: Any, where: str) -> GradeScale | None:
    if value is None:
        return None
    scale_id = check.text(value, where)
    scales = grade_scales()
    if scale_id not in scales:
        raise check.fail(where, f"unknown grade scale {scale_id!r} (known: {', '.join(scales)})")
    return scales[scale_id]


def _check_unique_names(check: _Checker, framework: Framework) -> None:
    """Every id, code, name and alias must denote one area only, after folding."""
    owner: dict[str, str] = {}
    for area in framework.walk():
        for spelling in {fold(s) for s in area.spellings()}:
            other = owner.setdefault(spelling, area.id)
            if other != area.id:
                raise check.fail(
                    f"area {area.id}",
                    f"name {spelling!r} also denotes area {other}: names must be unique",
                )


def _period(check: _Checker, value: Any) -> str:
    text = check.text(str(value), "period")
    try:
        start_year(text)
    except InvalidYear as exc:
        raise check.fail("period", str(exc)) from None
    return text


def _choice(check: _Checker, value: Any, where: str, allowed: tuple[str, ...], what: str) -> str:
    text = check.text(value, where)
    if text not in allowed:
        raise check.fail(where, f"unknown {what} {text!r} (expected one of: {', '.join(allowed)})")
    return text


def _statistics(check: _Checker, raw: Any, where: str) -> StatisticsRule:
    item = check.mapping(raw, where, _STATISTICS_FIELDS)
    basis = _choice(check, item["basis"], f"{where}.basis", _STATISTICS_BASES, "basis")
    population = _choice(
        check, item["population_year"], f"{where}.population_year", _POPULATION_YEARS, "value"
    )
    month = item.get("month")
    if basis == "financial_year":
        if month is not None:
            raise check.fail(f"{where}.month", "a financial year always ends in March: no month")
        return StatisticsRule("financial_year", "first" if population == "first" else "previous")
    if month is None:
        raise check.fail(where, "missing field 'month' (the month the 12 months end in)")
    if isinstance(month, bool) or not isinstance(month, int) or not 1 <= month <= 12:
        raise check.fail(f"{where}.month", f"expected a month number 1 to 12, found {month!r}")
    return StatisticsRule(
        "year_ending", "first" if population == "first" else "previous", month=month
    )


def _era(check: _Checker, raw: Any, framework_id: str, known: Mapping[str, Path]) -> Era:
    item = check.mapping(raw, "era", _ERA_FIELDS)
    layout = _choice(
        check, item["report_layout"], "era.report_layout", REPORT_LAYOUTS, "report layout"
    )
    predecessor = check.optional_text(item["predecessor"], "era.predecessor")
    if predecessor is not None:
        if predecessor == framework_id:
            raise check.fail("era.predecessor", "a framework cannot be its own predecessor")
        if predecessor not in known:
            raise check.fail(
                "era.predecessor",
                f"unknown framework {predecessor!r} (known: {', '.join(sorted(known))})",
            )
    spellings = check.texts(item["year_spellings"], "era.year_spellings")
    if not spellings:
        raise check.fail("era.year_spellings", "name at least one spelling of the year")
    readers = check.texts(item.get("readers"), "era.readers")
    for i, name in enumerate(readers):
        if name not in READER_NAMES:
            raise check.fail(
                f"era.readers[{i}]",
                f"unknown reader {name!r} (expected one of: {', '.join(READER_NAMES)})",
            )
    others = []
    for i, text in enumerate(check.texts(item.get("other_periods"), "era.other_periods")):
        try:
            others.append(normalise_year(text))
        except InvalidYear as exc:
            raise check.fail(f"era.other_periods[{i}]", str(exc)) from None
    return Era(
        report_layout=layout,
        statistics=_statistics(check, item["statistics"], "era.statistics"),
        predecessor=predecessor,
        year_spellings=spellings,
        readers=readers,
        other_periods=tuple(others),
    )


def load_framework_file(path: Path) -> Framework:
    """Load and validate one framework file."""
    check = _Checker(path.name)
    raw_bytes = path.read_bytes() if path.exists() else b""
    item = check.mapping(_read_yaml(path), "", _FRAMEWORK_FIELDS)
    framework_id = check.text(item["id"], "id")
    if framework_id != path.stem:
        raise check.fail("id", f"id {framework_id!r} differs from the file name {path.stem!r}")
    areas_raw = item["areas"]
    if not isinstance(areas_raw, list) or not areas_raw:
        raise check.fail("areas", "expected a non-empty list of areas")
    areas = tuple(_area(check, raw, f"areas[{i}]", None) for i, raw in enumerate(areas_raw))
    seen: set[str] = set()
    for area in (a for top in areas for a in top.walk()):
        if area.id in seen:
            raise check.fail(f"area {area.id}", "duplicate area id")
        seen.add(area.id)
    sources = check.texts(item["sources"], "sources")
    if not sources:
        raise check.fail("sources", "name at least one source")
    framework = Framework(
        id=framework_id,
        title=check.text(item["title"], "title"),
        programme=check.text(item["programme"], "programme"),
        inspectorate=check.text(item["inspectorate"], "inspectorate"),
        period=_period(check, item["period"]),
        description=check.text(item["description"], "description"),
        sources=sources,
        grade_scale=_scale(check, item["grade_scale"], "grade_scale"),
        direction_scale=_scale(check, item.get("direction_scale"), "direction_scale"),
        areas=areas,
        era=_era(check, item["era"], framework_id, _framework_files(_search_path())),
        checksum=hashlib.sha256(raw_bytes).hexdigest(),
    )
    if framework.grade_scale is None and any(a.graded for a in framework.walk()):
        raise check.fail("grade_scale", "graded areas need a grade scale")
    if framework.direction_scale is None and any(a.direction for a in framework.walk()):
        raise check.fail("direction_scale", "areas with a direction of travel need a scale")
    _check_unique_names(check, framework)
    return framework


def _search_path() -> str:
    return os.environ.get(PATH_VARIABLE, "")


@cache
def _framework_files(search_path: str) -> dict[str, Path]:
    """Every framework file by id: the shipped ones, then those of the search path's directories."""
    files = {p.stem: p for p in sorted(_data_dir().glob("*.yaml")) if p.name != SCALES_FILE}
    for entry in search_path.split(os.pathsep):
        if not entry.strip():
            continue
        directory = Path(entry)
        if not directory.is_dir():
            raise FrameworkFileError(
                str(directory), "", f"not a directory (named by {PATH_VARIABLE})"
            )
        for path in sorted(directory.glob("*.yaml")):
            if path.name == SCALES_FILE:
                raise FrameworkFileError(
                    str(path), "", "grade scales are shipped only; name a shipped scale instead"
                )
            other = files.get(path.stem)
            if other is not None:
                raise FrameworkFileError(
                    str(path), "id", f"framework {path.stem!r} is already defined by {other}"
                )
            files[path.stem] = path
    return files


@cache
def _catalogue(search_path: str) -> dict[str, Framework]:
    """Every framework, loaded and checked together, in chronological order of their periods."""
    files = _framework_files(search_path)
    loaded = [load_framework_file(path) for path in files.values()]
    loaded.sort(key=lambda f: (start_year(f.period), f.id))
    order = {f.id: i for i, f in enumerate(loaded)}
    by_id = {f.id: f for f in loaded}
    for framework in loaded:
        check = _Checker(files[framework.id].name)
        predecessor = framework.predecessor
        if predecessor is not None:
            earlier = by_id[predecessor]
            if order[predecessor] > order[framework.id]:
                raise check.fail(
                    "era.predecessor",
                    f"{predecessor} ({earlier.period}) is not an earlier framework",
                )
            if earlier.programme != framework.programme:
                raise check.fail(
                    "era.predecessor",
                    f"{predecessor} belongs to programme {earlier.programme!r}, not "
                    f"{framework.programme!r}",
                )
    _check_spellings(loaded, files)
    return by_id


def _check_spellings(loaded: list[Framework], files: Mapping[str, Path]) -> None:
    """Two frameworks read by the same reader cannot share a spelling of their year."""
    claimed: dict[tuple[str, str], str] = {}
    for framework in loaded:
        for reader in framework.era.readers:
            for spelling in framework.year_spellings:
                other = claimed.setdefault((reader, spelling), framework.id)
                if other != framework.id:
                    raise _Checker(files[framework.id].name).fail(
                        "era.year_spellings",
                        f"{spelling!r} already spells the year of {other}, also read by {reader}",
                    )


def reload() -> None:
    """Forget the loaded frameworks and scales, so edited files and a changed
    ``PEELKIT_FRAMEWORKS_PATH`` are read afresh (the cache is also keyed on the variable)."""
    _catalogue.cache_clear()
    _framework_files.cache_clear()
    grade_scales.cache_clear()


def framework_ids() -> list[str]:
    """The ids of every framework (shipped and on the search path), in chronological order."""
    return list(_catalogue(_search_path()))


def load_framework(framework_id: str) -> Framework:
    """The framework with this id; :class:`UnknownFramework` if there is none."""
    catalogue = _catalogue(_search_path())
    found = catalogue.get(framework_id)
    if found is None:
        raise UnknownFramework(framework_id, list(catalogue))
    return found


def load_all() -> list[Framework]:
    """Every framework, in chronological order (by the start year of its period)."""
    return list(_catalogue(_search_path()).values())
