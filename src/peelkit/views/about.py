"""The "About the data" annex of a report: the publications every figure came from, the
population years and caveats, and the inspections its judgments and findings were taken from."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from peelkit.reference import all_forces, territorial_forces
from peelkit.views.force_record import ForceRecord
from peelkit.views.indicators import IndicatorRow
from peelkit.views.inspections import DocumentView
from peelkit.views.provenance import describe_inspection

NOT_AVAILABLE = "Not available"


@dataclass
class DataUse:
    """The statistics rows a report printed, collected while its view is built."""

    rows: list[IndicatorRow] = field(default_factory=list)

    def add(self, rows: Iterable[IndicatorRow]) -> None:
        self.rows.extend(rows)


@dataclass(frozen=True)
class PublicationUsed:
    title: str | None
    publisher: str | None
    release: str | None
    file: str | None
    sha256: str


@dataclass(frozen=True)
class JudgmentSource:
    """An inspection a report took judgments and findings from, and its document."""

    inspection: int
    description: str
    file: str | None
    published: str | None
    sha256: str | None
    entered_by: str | None


@dataclass(frozen=True)
class AboutData:
    publications: tuple[PublicationUsed, ...]
    caveats: tuple[str, ...]
    judgment_sources: tuple[JudgmentSource, ...]


def publications_of(rows: Iterable[IndicatorRow]) -> list[PublicationUsed]:
    seen: dict[str, PublicationUsed] = {}
    for row in rows:
        for source in row.provenance:
            key = source.sha256 or source.file or ""
            if key and key not in seen:
                seen[key] = PublicationUsed(
                    source.title, source.publisher, source.release, source.file, source.sha256
                )
    return sorted(seen.values(), key=lambda s: (str(s.publisher), str(s.title)))


def computed_from(rows: Iterable[IndicatorRow]) -> str:
    titles = [f"{p.title} ({p.release})" for p in publications_of(rows)]
    return "computed from " + ("; ".join(titles) if titles else "the statistics (no figures)")


def _caveats(
    used: DataUse, publications: Iterable[PublicationUsed], revised_by_file: Mapping[str, int]
) -> list[str]:
    caveats: list[str] = []
    years = sorted({r.population_year for r in used.rows if r.population_year})
    if years:
        caveats.append(
            "Rates per 1,000 population use the ONS mid-year population estimate for "
            + ", ".join(f"mid-{y}" for y in years)
            + "; households use the household estimates of the same publication."
        )
    excluded = [f.name for f in all_forces() if not f.in_england_and_wales_totals]
    if excluded:
        caveats.append(
            f"England and Wales figures are the 43 territorial forces pooled (the sum of their "
            f"counts over the sum of their populations); {', '.join(excluded)} is excluded."
        )
    caveats.append(
        "Most similar group figures are pooled over the group including the force itself."
    )
    territorial = len(territorial_forces())
    fewer = []
    for row in used.rows:
        forces = row.comparator_forces
        if row.comparator == "england_and_wales" and 0 < len(forces) < territorial:
            fewer.append(
                f"England and Wales {row.label.lower()} ({row.period}) was computed over "
                f"{len(forces)} of {territorial} forces."
            )
        if row.note:
            fewer.append(f"{row.label} ({row.period}): {row.note}")
    caveats.extend(dict.fromkeys(fewer))
    files = {p.file for p in publications}
    revised = sum(n for file, n in revised_by_file.items() if file in files)
    caveats.append(
        "Each figure comes from the latest release of its publication; later releases revise "
        "earlier figures, so a figure here can differ from the one a report printed at the time"
        + (
            f" ({revised} figures of these files were revised between releases)."
            if revised
            else "."
        )
    )
    missing = [r for r in used.rows if r.missing]
    if missing:
        caveats.append(
            f"{len(missing)} figures are not available from the statistics held and print as "
            f'"{NOT_AVAILABLE}".'
        )
    return caveats


def about_the_data(
    used: DataUse,
    record: ForceRecord | None,
    documents: Mapping[int, DocumentView],
    revised_by_file: Mapping[str, int],
) -> AboutData:
    """The annex; ``record`` is the report's record (None for the national report)."""
    publications = publications_of(used.rows)
    sources = []
    if record is not None:
        for inspection in record.inspections:
            document = documents.get(inspection.document or -1)
            sources.append(
                JudgmentSource(
                    inspection=inspection.id,
                    description=describe_inspection(inspection, documents),
                    file=document.filename if document else None,
                    published=document.published if document else None,
                    sha256=document.sha256 if document else None,
                    entered_by=inspection.entered_by,
                )
            )
    return AboutData(
        tuple(publications), tuple(_caveats(used, publications, revised_by_file)), tuple(sources)
    )
