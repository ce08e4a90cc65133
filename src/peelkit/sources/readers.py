"""The registry of publication readers, and the layout files they declare their columns in."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from peelkit.sources.model import SourceData
from peelkit.yamlfiles import load_yaml


@dataclass(frozen=True)
class SourceReader:
    id: str  # the publication id, also the name of its layout file in layouts/
    title: str
    publisher: str
    # Whether a file is this publication: from its name and first bytes, cheaply.
    recognise: Callable[[Path, bytes], bool]
    # Read and check the whole file; schema drift raises DataFileError naming file, sheet, row
    # and column; data problems (a negative count, a missing force) go into SourceData.problems.
    read: Callable[[Path], SourceData]


@cache
def layout(publication_id: str) -> dict[str, Any]:
    """The declared layout of a publication: ``layouts/<id>.yaml``."""
    text = (resources.files("peelkit.sources") / "layouts" / f"{publication_id}.yaml").read_text(
        encoding="utf-8"
    )
    document: dict[str, Any] = load_yaml(text)
    return document


def all_source_readers() -> list[SourceReader]:
    """Every publication reader (tried in this order when a file is identified)."""
    import peelkit.sources.home_office_open_data as home_office_open_data
    import peelkit.sources.home_office_workforce as home_office_workforce
    import peelkit.sources.ons_pfa_tables as ons_pfa_tables
    import peelkit.sources.ons_population as ons_population
    import peelkit.sources.ons_recorded_crime as ons_recorded_crime
    import peelkit.sources.police_uk_street as police_uk_street

    return [
        ons_recorded_crime.READER,
        ons_pfa_tables.READER,
        ons_population.READER,
        home_office_workforce.READER,
        home_office_open_data.READER,
        police_uk_street.READER,
    ]
