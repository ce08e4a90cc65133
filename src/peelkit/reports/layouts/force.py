"""The force report laid out in its framework's style: ``integrated`` (PEEL 2017 on),
``effectiveness`` (PEEL 2015 and 2016) or ``baseline`` (the 2005 baseline assessment)."""

from __future__ import annotations

from peelkit.reports.layouts.common import (
    about_section,
    area_section,
    finding_sections,
    funnel_blocks,
    indicator_table,
    progress_section,
    summary_table,
)
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
from peelkit.views.force_report import (
    ForceInContext,
    ForceInNumbers,
    ForceReportView,
    GroupComparison,
)
from peelkit.views.performance import PerformanceTables


def _intro(view: ForceReportView) -> Paragraph:
    return Paragraph(view.intro, None if view.has_record else "note")


def _summary_blocks(view: ForceReportView) -> tuple[Block, ...]:
    return (_intro(view), *(summary_table(t, view.force_id) for t in view.summary))


def group_section(group: GroupComparison, force_name: str) -> Section:
    title = "Grades compared with the most similar group"
    if group.chart is None:
        return Section(
            title,
            (Paragraph(f"No most similar group: {group.no_group_reason}."),),
            anchor="group-grades",
        )
    blocks: list[Block] = [
        Paragraph(
            f"The most similar group of {force_name} ({group.year}): "
            + ", ".join(group.peers)
            + f". Source: {group.source}."
        ),
        Figure(group.chart),
    ]
    blocks.extend(Paragraph(n, "note") for n in group.notes)
    return Section(title, tuple(blocks), anchor="group-grades")


def context_section(context: ForceInContext) -> Section:
    blocks: list[Block] = [
        Paragraph(
            f"Figures for the {context.period}, computed by the indicator engine from the "
            f"official statistics (population: mid-{context.population_year} estimates)."
        ),
        *(indicator_table(t) for t in context.tables),
    ]
    if context.ranked is not None:
        blocks.append(Figure(context.ranked))
    if context.funnel is not None:
        blocks.extend(funnel_blocks(context.funnel))
    if context.trend is not None:
        blocks.append(Figure(context.trend))
        if context.trend.marker is not None:
            blocks.append(Paragraph(context.trend.marker.words, "trend-marker"))
    return Section("Force in context", tuple(blocks), anchor="force-in-context")


def numbers_section(numbers: ForceInNumbers, force_name: str) -> Section:
    blocks: list[Block] = []
    if numbers.imported:
        rows = []
        for item in numbers.imported:
            figure = item.figure
            comparator = (figure.comparator_label or "") + (": " if figure.comparator_label else "")
            rows.append(
                Row(
                    (
                        Cell(figure.measure, header=True),
                        Cell(figure.period or "—"),
                        Cell(figure.unit or "—"),
                        Cell(figure.force_value_as_printed or NOT_AVAILABLE, css="value"),
                        Cell(
                            comparator + (figure.comparator_value_as_printed or NOT_AVAILABLE),
                            css="value",
                        ),
                        Cell(item.source),
                    ),
                    origin="imported",
                    kind="imported",
                )
            )
        blocks.append(
            Table(
                "Force in numbers as the report printed it",
                ("Measure", "Period", "Unit", force_name, "Comparator", "Source"),
                tuple(rows),
                ("Imported: printed exactly as the inspection report printed them.",),
                css="figures",
            )
        )
    else:
        blocks.append(Paragraph("The record holds no printed figures for this inspection."))
    blocks.append(indicator_table(numbers.computed))
    if numbers.ranked is not None:
        blocks.append(Figure(numbers.ranked))
    if numbers.funnel is not None:
        blocks.extend(funnel_blocks(numbers.funnel))
    if numbers.trend is not None:
        blocks.append(Paragraph(numbers.trend.words, "trend-marker"))
    return Section("Force in numbers", tuple(blocks), anchor="force-in-numbers")


def performance_section(performance: PerformanceTables) -> Section:
    """The Appendix 1 tables: imported rows as printed, and rows the engine computes."""
    columns = (
        "Indicator",
        performance.previous_period,
        performance.period,
        "Change",
        "MSF average",
        "MSF rank",
        "National average",
        "National rank",
        "Origin",
    )

    def row(line_kind: str, indicator: str, cells: tuple[str, ...], origin: str) -> Row:
        return Row(
            (
                Cell(indicator, header=True),
                *(Cell(c, css="value") for c in cells),
                Cell(origin, css="source"),
            ),
            origin=origin,
            kind=line_kind,
        )

    blocks: list[Block] = [
        Paragraph(
            "Rows imported from the report print each cell as the report printed it (* where "
            "the figure was not available). Rows marked computed were calculated by the "
            "indicator engine from the official statistics: the most similar forces average is "
            "pooled over the group including the force; change is in percent."
        )
    ]
    for table in performance.tables:
        rows = tuple(row(x.kind, x.indicator, x.cells, x.origin) for x in table.lines)
        blocks.append(Table(table.title, columns, rows, css="performance"))
    if performance.computed_only:
        rows = tuple(row(x.kind, x.indicator, x.cells, x.origin) for x in performance.computed_only)
        blocks.append(Table("Computed from the statistics", columns, rows, css="performance"))
    if not performance.tables and not performance.computed_only:
        blocks.append(Paragraph("The record holds no performance tables for this inspection."))
    return Section("Appendix 1: performance tables", tuple(blocks), anchor="performance-tables")


def lay_out_force_report(view: ForceReportView) -> Document:
    sections: list[Section] = []
    if view.layout == "baseline":
        sections.append(Section("Summary of judgements", _summary_blocks(view), anchor="summary"))
        for domain in view.areas:
            sections.append(
                Section(
                    f"Domain {domain.code or domain.area_id}: {domain.name}",
                    (),
                    tuple(area_section(a) for a in domain.areas),
                    anchor=f"domain-{css_token(domain.area_id)}",
                )
            )
        if view.performance is not None:
            sections.append(performance_section(view.performance))
    else:
        sections.append(Section("Overall summary", _summary_blocks(view), anchor="summary"))
        if view.group is not None:
            sections.append(group_section(view.group, view.force_name))
        if view.context is not None:
            sections.append(context_section(view.context))
        if view.numbers is not None:
            sections.append(numbers_section(view.numbers, view.force_name))
        sections.extend(area_section(a) for a in view.areas)
    if view.other_findings:
        sections.append(Section("Other findings", (), finding_sections(view.other_findings)))
    sections.append(progress_section(view.progress, view.force_name))
    sections.append(about_section(view.about))
    return Document("force", view.title, view.subtitle, tuple(sections), view.file_stem)
