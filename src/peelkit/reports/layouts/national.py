"""The national report laid out: every force's grades, their distribution, one indicator."""

from __future__ import annotations

from collections.abc import Sequence

from peelkit.reports.layouts.common import about_section, funnel_blocks, grade_cell
from peelkit.reports.model import (
    NOT_AVAILABLE,
    Block,
    Cell,
    Document,
    Figure,
    Paragraph,
    Row,
    Section,
    Table,
    css_token,
)
from peelkit.views.national import ForceGrades, NationalView, grade_rank


def grades_table(caption: str, forces: Sequence[ForceGrades], columns: Sequence[str]) -> Table:
    rows = []
    for force in forces:
        cells = [
            Cell(force.force_name, header=True, sort=force.force_name),
            Cell(force.region or "—"),
        ]
        for grade in force.grades:
            cells.append(grade_cell(grade, force.force_id, sort=str(grade_rank(grade.grade_id))))
        rows.append(Row(tuple(cells)))
    return Table(
        caption,
        ("Force", "Region", *columns),
        tuple(rows),
        ("Select a column heading to sort by it (grades sort best first).",),
        sortable=True,
        css="grades national",
    )


def distribution_table(view: NationalView) -> Table:
    rows = tuple(
        Row(
            (
                Cell(
                    count.label,
                    header=True,
                    css=f"grade grade-{css_token(count.grade_id or 'not-available')}",
                ),
                *(Cell(str(c), css="value") for c in count.counts),
            )
        )
        for count in view.distribution
    )
    return Table(
        f"Distribution of grades: number of forces with each grade ({len(view.forces)} forces)",
        ("Grade", *view.columns),
        rows,
        css="distribution",
    )


def indicator_section(view: NationalView) -> Section:
    figures = view.figures
    if not figures.has_figures:
        text = f"{figures.label}: no figures for the {figures.period} in the statistics held."
        return Section(figures.label, (Paragraph(text),), anchor="indicator")
    blocks: list[Block] = [
        Paragraph(
            f"{figures.label}, {figures.period}, for every force, computed by the indicator "
            f"engine (population: mid-{figures.population_year} estimates where a population "
            f"is used)."
        )
    ]
    if figures.ranked is not None:
        blocks.append(Figure(figures.ranked))
    if figures.funnel is not None:
        blocks.extend(funnel_blocks(figures.funnel))
    if figures.map is not None:
        blocks.append(Figure(figures.map))
        blocks.append(
            Paragraph(
                f"Boundaries: ONS Police Force Areas (December 2016), file "
                f"{figures.map.boundaries}."
            )
        )
    elif figures.map_omitted:
        blocks.append(Paragraph(figures.map_omitted, "note"))
    return Section(figures.label, tuple(blocks), anchor="indicator")


def lay_out_national(view: NationalView) -> Document:
    intro = Paragraph(
        f"Grades of the {len(view.forces)} forces under {view.framework_title} ({view.period}) "
        f'at {view.level} level, as the inspection record holds them; "{NOT_AVAILABLE}" where '
        f"the record has no judgment. Grade names are printed in every cell; colours only "
        f"repeat them."
    )
    tables: list[Block] = [intro]
    if view.by_region:
        for region in view.regions:
            tables.append(grades_table(f"Grades: {region.region}", region.forces, view.columns))
    else:
        tables.append(
            grades_table(
                f"Grades of every force: {view.framework_title}", view.forces, view.columns
            )
        )
    sections = (
        Section("Grades of every force", tuple(tables), anchor="grades"),
        Section("Distribution of grades", (distribution_table(view),), anchor="distribution"),
        indicator_section(view),
        about_section(view.about),
    )
    return Document("national", view.title, view.subtitle, sections, view.file_stem)
