"""The 2005 baseline's Appendix 1 performance tables: the rows the report printed (each cell as
printed) and the rows the indicator engine computes from the statistics beside them."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from peelkit.domain.periods import Period
from peelkit.indicators.rounding import display
from peelkit.views.about import DataUse, computed_from
from peelkit.views.force_record import ForceRecord
from peelkit.views.indicators import IndicatorQuery
from peelkit.views.inspections import PrintedRank, PrintedValue
from peelkit.views.provenance import describe_source

# The Appendix 1 rows the engine can compute: indicator id -> how the table names it.
BASELINE_COMPUTED = {
    "domestic_burglary_per_1000_households": "domestic burglary per 1,000 households",
    "robbery_per_1000": "robberies per 1,000",
    "vehicle_crime_per_1000": "vehicle crime per 1,000",
}
NOT_PRINTED = "*"


@dataclass(frozen=True)
class PerformanceLine:
    """One row: indicator, previous, current, change, MSF average and rank, national average
    and rank, as printed (imported) or as the engine displays them (computed)."""

    kind: str  # "imported" or "computed"
    indicator: str
    cells: tuple[str, ...]  # the seven figures, "*" where there is none
    origin: str  # "imported from <document, lines>" or "computed from <publications>"


@dataclass(frozen=True)
class PerformanceTable:
    title: str
    lines: tuple[PerformanceLine, ...]


@dataclass(frozen=True)
class PerformanceTables:
    previous_period: str
    period: str
    tables: tuple[PerformanceTable, ...]
    computed_only: tuple[PerformanceLine, ...]  # computed rows no imported table names


def _printed(cell: PrintedValue | PrintedRank) -> str:
    return cell.printed if cell.printed else NOT_PRINTED


def performance_tables(
    query: IndicatorQuery,
    record: ForceRecord,
    force_id: str,
    period: Period,
    population_year: int,
    used: DataUse,
) -> PerformanceTables:
    previous = period.shifted(-1)
    computed = computed_lines(query, force_id, period, population_year, used)
    lines: dict[str, list[PerformanceLine]] = {}
    placed: set[str] = set()
    primary = record.primary
    for inspection in record.inspections:
        for item in inspection.performance_table:
            source = describe_source(item.provenance, record.documents, primary)
            lines.setdefault(item.table, []).append(
                PerformanceLine(
                    "imported",
                    item.indicator,
                    tuple(
                        _printed(c)
                        for c in (
                            item.previous,
                            item.current,
                            item.change,
                            item.msf_average,
                            item.msf_rank,
                            item.national_average,
                            item.national_rank,
                        )
                    ),
                    f"imported from {source}",
                )
            )
            folded = item.indicator.lower()
            for indicator_id, line in computed.items():
                if folded.startswith(BASELINE_COMPUTED[indicator_id]):
                    lines[item.table].append(line)
                    placed.add(indicator_id)
    return PerformanceTables(
        previous.label(),
        period.label(),
        tuple(PerformanceTable(title, tuple(rows)) for title, rows in lines.items()),
        tuple(line for i, line in computed.items() if i not in placed),
    )


def computed_lines(
    query: IndicatorQuery, force_id: str, period: Period, population_year: int, used: DataUse
) -> dict[str, PerformanceLine]:
    ids = list(BASELINE_COMPUTED)
    everyone = query.rows(period, None, ids, "msg", population_year)
    current = {r.indicator: r for r in everyone if r.force == force_id}
    ew = {r.indicator: r for r in query.rows(period, force_id, ids, "ew", population_year)}
    before = {
        r.indicator: r
        for r in query.rows(period.shifted(-1), force_id, ids, "ew", population_year - 1)
    }
    used.add(current.values())
    used.add(ew.values())
    used.add(before.values())
    out: dict[str, PerformanceLine] = {}
    for indicator_id in ids:
        row = current.get(indicator_id)
        if row is None or row.value is None:
            continue
        earlier = before.get(indicator_id)
        change = NOT_PRINTED
        if earlier is not None and earlier.value:
            delta = (Decimal(str(row.value)) / Decimal(str(earlier.value)) - 1) * 100
            change = f"{display(delta, 1)}%"
        msf_rank = NOT_PRINTED
        group = row.comparator_forces
        if row.is_most_similar_group and group and row.rank is not None:
            ranks = [
                r.rank
                for r in everyone
                if r.indicator == indicator_id and r.force in group and r.rank is not None
            ]
            position = 1 + sum(1 for rank in ranks if rank < row.rank)
            tied = sum(1 for rank in ranks if rank == row.rank) > 1
            msf_rank = f"{position}{'=' if tied else ''} out of {len(ranks)}"
        national = ew.get(indicator_id)
        origin = computed_from([r for r in (row, national, earlier) if r is not None])
        out[indicator_id] = PerformanceLine(
            "computed",
            f"{row.label} ({row.period})",
            (
                (earlier.display if earlier else None) or NOT_PRINTED,
                row.display or NOT_PRINTED,
                change,
                (row.comparator_display or NOT_PRINTED) if row.is_most_similar_group else "*",
                msf_rank,
                (national.comparator_display if national else None) or NOT_PRINTED,
                f"{row.rank_display} out of {row.of}" if row.rank else NOT_PRINTED,
            ),
            origin,
        )
    return out
