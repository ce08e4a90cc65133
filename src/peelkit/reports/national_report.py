"""The national report: every force's grades side by side, their distribution, and one
indicator for every force as a ranked chart and a map."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from peelkit.domain.forces import Force
from peelkit.domain.frameworks import Area, Framework
from peelkit.frameworks import grade_scales, load_all, load_framework
from peelkit.indicators.catalogue import catalogue
from peelkit.reference import territorial_forces
from peelkit.reports.force_report import (
    DataUse,
    about_the_data,
    choose_period,
    force_record,
    grade_cell,
    grade_of,
    graded_columns,
    indicator_period,
    load_documents,
    safe_indicators,
)
from peelkit.reports.model import (
    NOT_AVAILABLE,
    Block,
    Cell,
    Figure,
    Grade,
    NationalReport,
    Paragraph,
    Row,
    Section,
    Table,
    css_token,
)
from peelkit.sources.dataset import shipped_boundaries

if TYPE_CHECKING:
    from peelkit.workspace import Workspace

DEFAULT_FRAMEWORK = "peel-2018-19"


def default_boundaries() -> Path:
    """The ONS police force area boundaries shipped with the embedded dataset."""
    return shipped_boundaries()


def default_framework(ws: Workspace) -> str:
    """The latest graded framework with inspections in the record (PEEL 2018/19 if none)."""
    held = {i["framework"] for i in ws.inspections()}
    graded = [f for f in load_all() if f.grade_scale is not None and f.id in held]
    return graded[-1].id if graded else DEFAULT_FRAMEWORK


def _grades(
    ws: Workspace, framework: Framework, year: str, forces: Sequence[Force]
) -> dict[str, dict[str, Grade]]:
    documents = load_documents(ws)
    listed = ws.inspections(framework=framework.id)
    by_force: dict[str, list[dict[str, Any]]] = {}
    for summary in listed:
        by_force.setdefault(summary["force"], []).append(summary)
    columns = graded_columns(framework)
    out: dict[str, dict[str, Grade]] = {}
    for force in forces:
        record = force_record(ws, force.id, framework, year, documents, by_force.get(force.id, []))
        out[force.id] = {area.id: grade_of(record, area) for area in columns}
    return out


def grades_table(
    caption: str,
    forces: Sequence[Force],
    columns: Sequence[Area],
    grades: Mapping[str, Mapping[str, Grade]],
) -> Table:
    rows = []
    for force in forces:
        cells = [Cell(force.name, header=True, sort=force.name), Cell(force.region or "—")]
        for area in columns:
            grade = grades[force.id][area.id]
            cell = grade_cell(grade, force.id)
            cells.append(
                Cell(
                    cell.text,
                    css=cell.css,
                    area=cell.area,
                    force=cell.force,
                    sort=str(grade_rank(grade)),
                )
            )
        rows.append(Row(tuple(cells)))
    return Table(
        caption,
        ("Force", "Region", *(a.name for a in columns)),
        tuple(rows),
        ("Select a column heading to sort by it (grades sort best first).",),
        sortable=True,
        css="grades national",
    )


def grade_rank(grade: Grade) -> int:
    """Best grades first, then non-grades (Ungraded), then "Not available" (for sorting)."""
    if grade.grade_id is None:
        return 99
    for scale in grade_scales().values():
        value = scale.find(grade.grade_id)
        if value is not None:
            return value.rank if value.rank is not None else 50
    return 60


def distribution_table(
    framework: Framework,
    columns: Sequence[Area],
    grades: Mapping[str, Mapping[str, Grade]],
) -> Table:
    labels: list[tuple[str | None, str]] = []
    if framework.grade_scale is not None:
        labels = [(v.id, v.label) for v in framework.grade_scale.values]
    labels.append((None, NOT_AVAILABLE))
    rows = []
    for grade_id, label in labels:
        counts = [
            sum(1 for force_grades in grades.values() if force_grades[a.id].grade_id == grade_id)
            for a in columns
        ]
        scale = framework.grade_scale
        graded = {g.id for g in scale.grades} if scale is not None else set()
        if grade_id is not None and not any(counts) and grade_id not in graded:
            continue  # a non-grade (Ungraded) nobody has
        css = f"grade grade-{css_token(grade_id or 'not-available')}"
        rows.append(
            Row((Cell(label, header=True, css=css), *(Cell(str(c), css="value") for c in counts)))
        )
    return Table(
        f"Distribution of grades: number of forces with each grade ({len(grades)} forces)",
        ("Grade", *(a.name for a in columns)),
        tuple(rows),
        css="distribution",
    )


def indicator_section(
    ws: Workspace,
    framework: Framework,
    year: str,
    indicator: str,
    used: DataUse,
    boundaries: Path,
) -> tuple[Section, str | None]:
    from peelkit.reports.charts import ranked_bar_chart

    spec = catalogue().get(indicator)
    period, population_year = indicator_period(framework, year)
    rows = safe_indicators(ws, period, None, [indicator], "ew", population_year)
    used.add(rows)
    blocks: list[Block] = []
    if not rows:
        blocks.append(
            Paragraph(f"{spec.label}: no figures for the {period.label()} in the statistics held.")
        )
        return Section(spec.label, tuple(blocks), anchor="indicator"), "no figures"
    names = {f.id: f.short_name for f in territorial_forces()}
    first = rows[0]
    blocks.append(
        Paragraph(
            f"{first['label']}, {first['period']}, for every force, computed by the indicator "
            f"engine (population: mid-{population_year} estimates where a population is used)."
        )
    )
    references = []
    if first.get("comparator_value") is not None:
        references.append(
            ("England and Wales", first["comparator_value"], first["comparator_display"])
        )
    ordered = sorted(rows, key=lambda r: (r["value"] is None, r["value"] or 0.0))
    blocks.append(
        Figure(
            ranked_bar_chart(
                f"{first['label']}, {first['period']}: every force",
                [
                    (names.get(r["force"], r["force"]), r["value"], r["display"] or "")
                    for r in ordered
                ],
                None,
                references,
                first["unit"],
                # The engine's ranks: 1 is the best by the indicator's polarity.
                ranks={
                    names.get(r["force"], r["force"]): r["rank_display"]
                    for r in rows
                    if r["rank_display"]
                },
            )
        )
    )
    omitted = None
    if boundaries.is_file():
        from peelkit.reports.maps import choropleth_map
        from peelkit.sources.boundaries import read_boundaries

        areas = read_boundaries(boundaries)
        blocks.append(
            Figure(
                choropleth_map(
                    f"{first['label']}, {first['period']}: map of the 43 force areas",
                    areas,
                    {r["force"]: r["value"] for r in rows},
                    {r["force"]: r["display"] or NOT_AVAILABLE for r in rows},
                    first["unit"],
                )
            )
        )
        blocks.append(
            Paragraph(
                f"Boundaries: ONS Police Force Areas (December 2016), file {boundaries.name}."
            )
        )
    else:
        omitted = (
            f"The map is omitted: the police force area boundaries ({boundaries.name}) are not "
            f"in the shared folder beside the repository."
        )
        blocks.append(Paragraph(omitted, "note"))
    return Section(spec.label, tuple(blocks), anchor="indicator"), omitted


def build_national_report(
    ws: Workspace,
    framework: str | None = None,
    indicator: str = "recorded_crime_per_1000",
    period: str | None = None,
    by_region: bool = False,
    boundaries: Path | None = None,
) -> NationalReport:
    """Every force's grades for a framework, their distribution, and an indicator's chart and
    map."""
    spec = load_framework(framework or default_framework(ws))
    catalogue().get(indicator)
    year = choose_period(spec, period)
    forces = sorted(territorial_forces(), key=lambda f: f.name)
    columns = graded_columns(spec)
    grades = _grades(ws, spec, year, forces)
    level = "pillar" if columns and columns[0].level == "pillar" else "area"
    intro = Paragraph(
        f"Grades of the {len(forces)} forces under {spec.title} ({year}) at {level} level, as "
        f'the inspection record holds them; "{NOT_AVAILABLE}" where the record has no '
        f"judgment. Grade names are printed in every cell; colours only repeat them."
    )
    tables: list[Block] = [intro]
    if by_region:
        regions: dict[str, list[Force]] = {}
        for force in sorted(forces, key=lambda f: (f.region or "", f.name)):
            regions.setdefault(force.region or "No region", []).append(force)
        for region, members in regions.items():
            tables.append(grades_table(f"Grades: {region}", members, columns, grades))
    else:
        tables.append(grades_table(f"Grades of every force: {spec.title}", forces, columns, grades))
    used = DataUse()
    chosen = boundaries if boundaries is not None else default_boundaries()
    data_section, omitted = indicator_section(ws, spec, year, indicator, used, chosen)
    sections = (
        Section("Grades of every force", tuple(tables), anchor="grades"),
        Section(
            "Distribution of grades",
            (distribution_table(spec, columns, grades),),
            anchor="distribution",
        ),
        data_section,
        about_the_data(ws, used, None, {}),
    )
    return NationalReport(
        framework_id=spec.id,
        framework_title=spec.title,
        period=year,
        indicator=indicator,
        # Framework titles already name their year ("... 2018/19"); add it only when not.
        title=f"England and Wales: {spec.title}" + ("" if year in spec.title else f" {year}"),
        subtitle=f"Every force's grades, and {catalogue().get(indicator).label.lower()}",
        sections=sections,
        by_region=by_region,
        map_omitted=omitted,
    )
