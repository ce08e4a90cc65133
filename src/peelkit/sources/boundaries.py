"""Police force area boundaries: the ONS GeoJSON files (PFA16CD/PFA16NM and later codes).

Not observations: a map layer, one area per territorial force, checked on load (a
FeatureCollection of the 43 force areas, every code a known force, polygon geometries).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from peelkit.errors import DataFileError, UnknownForce
from peelkit.reference import resolve_force, territorial_forces

# ONS names the code and name properties after the boundary year: PFA16CD, PFA23NM ...
_CODE_PROPERTY = re.compile(r"PFA\d{2}CD", re.IGNORECASE)
_NAME_PROPERTY = re.compile(r"PFA\d{2}NM", re.IGNORECASE)
_CENTROID_PROPERTIES = (("LONG", "LAT"), ("long", "lat"), ("LON", "LAT"))
_GEOMETRY_TYPES = ("Polygon", "MultiPolygon")


@dataclass(frozen=True)
class ForceArea:
    """One police force area as the boundary file draws it."""

    force: str  # force id (peelkit.reference)
    ons_code: str  # as the file gives it, e.g. "E23000001"
    name: str  # as the file gives it, e.g. "Metropolitan Police"
    geometry: dict[str, Any]  # the GeoJSON geometry (Polygon or MultiPolygon), lon/lat
    centroid: tuple[float, float] | None = None  # (longitude, latitude) if the file gives it


def recognise_boundaries(path: Path, head: bytes) -> bool:
    """A GeoJSON FeatureCollection whose first feature has a PFAxxCD property."""
    if path.suffix.lower() not in (".geojson", ".json"):
        return False
    text = head.decode("utf-8", errors="replace")
    return '"FeatureCollection"' in text and _CODE_PROPERTY.search(text) is not None


def read_boundaries(path: Path) -> list[ForceArea]:
    """The force areas of the file, in file order; drift raises DataFileError with coordinates."""
    name = path.name
    try:
        document = json.loads(path.read_bytes())
    except (OSError, ValueError) as error:
        raise DataFileError(name, "", f"not a readable GeoJSON file ({error})") from None
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        found = document.get("type") if isinstance(document, dict) else type(document).__name__
        raise DataFileError(name, "type", f"expected a FeatureCollection, found {found!r}")
    features = document.get("features")
    if not isinstance(features, list):
        raise DataFileError(name, "features", "expected a list of features")
    areas = [_area(name, i, feature) for i, feature in enumerate(features)]
    _check_coverage(name, areas)
    return areas


def _area(file: str, index: int, feature: Any) -> ForceArea:
    where = f"feature {index}"
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        raise DataFileError(file, where, "expected a GeoJSON Feature")
    properties = feature.get("properties")
    if not isinstance(properties, dict):
        raise DataFileError(file, f"{where}, properties", "expected an object of properties")
    code_key = next((k for k in properties if _CODE_PROPERTY.fullmatch(k)), None)
    if code_key is None:
        raise DataFileError(
            file, f"{where}, property PFA16CD", "missing the force area code property (PFAyyCD)"
        )
    code = properties[code_key]
    try:
        force = resolve_force(str(code))
    except UnknownForce:
        raise DataFileError(
            file, f"{where}, property {code_key}", f"{code!r} is not a police force area code"
        ) from None
    if force.ons_code != code:
        raise DataFileError(
            file, f"{where}, property {code_key}", f"expected an ONS code, found {code!r}"
        )
    name_key = next((k for k in properties if _NAME_PROPERTY.fullmatch(k)), None)
    name = str(properties[name_key]) if name_key else force.short_name
    geometry = feature.get("geometry")
    kind = geometry.get("type") if isinstance(geometry, dict) else None
    if kind not in _GEOMETRY_TYPES or not isinstance(geometry, dict):
        raise DataFileError(
            file, f"{where}, geometry", f"expected a Polygon or MultiPolygon, found {kind!r}"
        )
    if not isinstance(geometry.get("coordinates"), list) or not geometry["coordinates"]:
        raise DataFileError(file, f"{where}, geometry", "expected coordinates")
    return ForceArea(force.id, code, name, geometry, _centroid(file, where, properties))


def _centroid(file: str, where: str, properties: dict[str, Any]) -> tuple[float, float] | None:
    for lon_key, lat_key in _CENTROID_PROPERTIES:
        if lon_key in properties and lat_key in properties:
            lon, lat = properties[lon_key], properties[lat_key]
            if not isinstance(lon, int | float) or not isinstance(lat, int | float):
                raise DataFileError(
                    file, f"{where}, property {lon_key}", f"expected numbers, found {lon!r}"
                )
            if not (-180 <= lon <= 180 and -90 <= lat <= 90):
                raise DataFileError(
                    file, f"{where}, property {lon_key}", f"not a longitude/latitude: {lon}, {lat}"
                )
            return float(lon), float(lat)
    return None


def _check_coverage(file: str, areas: list[ForceArea]) -> None:
    """Each of the 43 territorial force areas exactly once."""
    seen: dict[str, int] = {}
    for index, area in enumerate(areas):
        if area.force in seen:
            raise DataFileError(
                file,
                f"feature {index}, property PFA16CD",
                f"{area.ons_code} already drawn by feature {seen[area.force]}",
            )
        seen[area.force] = index
    missing = [f.ons_code or f.id for f in territorial_forces() if f.id not in seen]
    if missing:
        raise DataFileError(
            file,
            "features",
            f"expected the 43 police force areas, found {len(areas)}; missing "
            + ", ".join(missing),
        )
