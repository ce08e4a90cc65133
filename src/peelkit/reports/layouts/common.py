"""Tables and sections every layout prints: grade summaries, indicator tables, findings by
kind, an area with its grade and findings, and the About the data annex."""

from __future__ import annotations

from collections.abc import Sequence

from peelkit.frameworks import load_framework
from peelkit.reports.model import (
    NOT_AVAILABLE,
    Block,
    Cell,
    Figure,
    FindingList,
    GradeLine,
    Paragraph,
    Row,
    Section,
    Table,
    css_token,
    grade_css,
)
from peelkit.views.about import AboutData
from peelkit.views.charts import FunnelChart
from peelkit.views.context import interval_text, significance_word
from peelkit.views.followup import ProgressLaterView, ProgressRowView, ProgressView
from peelkit.views.force_record import KIND_LABELS, FindingGroup, GradeView
from peelkit.views.force_report import AreaView, IndicatorTable, SummaryTable
from peelkit.views.indicators import IndicatorRow


def grade_cell(grade: GradeView, force_id: str | None = None, sort: str | None = None) -> Cell:
    return Cell(grade.label, css=grade_css(grade), area=grade.area_id, force=force_id, sort=sort)


def summary_table(table: SummaryTable, force_id: str) -> Table:
    rows = []
    directions = any(e.has_direction for e in table.entries)
    last = any(e.grade.year_last_inspected for e in table.entries)
    for entry in table.entries:
        grade = entry.grade
        cells = [Cell(entry.area, header=True), grade_cell(grade, force_id)]
        if directions:
            cells.append(Cell(grade.direction or (NOT_AVAILABLE if entry.has_direction else "—")))
        if last:
            cells.append(Cell(grade.year_last_inspected or "—"))
        source = grade.source + (f" ({grade.note})" if grade.note else "")
        cells.append(Cell(source, css="source"))
        rows.append(Row(tuple(cells)))
    columns = ["Area", "Grade"]
    if directions:
        columns.append("Direction of travel")
    if last:
        columns.append("Last inspected")
    columns.append("Source")
    return Table(table.caption, tuple(columns), tuple(rows), css="grades")


def _rank_text(row: IndicatorRow) -> str:
    if row.rank_display and row.of:
        if row.rank_interval is not None:
            return row.rank_interval.display  # "rank 32 (28–35) of 43"
        return f"{row.rank_display} of {row.of}"
    return NOT_AVAILABLE


def _interval_cell(row: IndicatorRow) -> str:
    """The 95% interval, or why there is none ("—" for a row without a value)."""
    text = interval_text(row)
    if text is not None:
        return text
    if row.value is None:
        return "—"
    return "none" if row.interval_note else "—"


def funnel_blocks(funnel: FunnelChart) -> tuple[Block, ...]:
    """The funnel plot with the sentence saying how to read it."""
    levels = " and ".join(limit.level for limit in funnel.limits)
    return (
        Figure(funnel),
        Paragraph(
            f"How to read the funnel plot: each point is a force, placed by its "
            f"{funnel.population_label.lower()} and its value. The curves are the {levels} "
            f"control limits around {funnel.comparator} ({funnel.comparator_display}): a force "
            f"outside the dashed (95%) curves differs from {funnel.comparator} by more than "
            f"chance would usually give, outside the dotted (99.8%) curves by far more. The "
            f"marker's shape says where each point lies, and the table below the plot says it "
            f"in words.",
            "note",
        ),
    )


def indicator_table(table: IndicatorTable) -> Table:
    """Force against a comparator, one row per indicator, numbers as the engine displays them."""
    out = []
    notes = []
    for row in table.rows:
        out.append(
            Row(
                (
                    Cell(row.label, header=True),
                    Cell(row.period),
                    Cell(row.unit),
                    Cell(row.display or NOT_AVAILABLE, css="value"),
                    Cell(row.comparator_display or NOT_AVAILABLE, css="value"),
                    Cell(_interval_cell(row), css="value interval"),
                    Cell(significance_word(row) or "—", css="significance"),
                    Cell(_rank_text(row)),
                    Cell(row.band or NOT_AVAILABLE),
                ),
                kind="computed",
            )
        )
        if row.missing:
            what = "not available" if row.display is None else "comparator not available"
            notes.append(f"{row.label}: {what} ({row.missing}).")
        if row.note:
            notes.append(f"{row.label}: {row.note}")
        if row.value is not None and row.interval_note:
            notes.append(f"{row.label}: {row.interval_note}.")
        if row.population_note and row.population_note not in notes:
            notes.append(row.population_note)
    years = sorted({r.population_year for r in table.rows if r.population_year})
    if years:
        notes.append(
            "Rates use the ONS mid-year population estimate for "
            + ", ".join(f"mid-{y}" for y in years)
            + "."
        )
    notes.append("Rank: 1 is the best of the forces with data; = marks a tie.")
    if any(r.rank_interval is not None for r in table.rows):
        notes.append(
            "In brackets after a rank: the range of ranks the force could take given the "
            "uncertainty of every force's figure (95%)."
        )
    if any(r.ci95_lower is not None for r in table.rows):
        notes.append(
            f"95% interval: the range the force's underlying rate is likely to lie in (one "
            f"decimal place more than the figure). Against {table.comparator_label}: higher or "
            f"lower where {table.comparator_label}'s value lies outside that interval (then "
            f"better or worse where the measure has a direction), similar otherwise; (99.8%) "
            f"where the difference holds at that level too."
        )
    return Table(
        table.caption,
        (
            "Measure",
            "Period",
            "Unit",
            table.force_label,
            table.comparator_label,
            "95% interval",
            f"Against {table.comparator_label}",
            "Rank",
            "Compared with other forces",
        ),
        tuple(out),
        tuple(notes),
        css="figures",
    )


def finding_sections(groups: Sequence[FindingGroup]) -> tuple[Section, ...]:
    return tuple(Section(g.heading, (FindingList(g.findings),)) for g in groups)


def area_section(area: AreaView) -> Section:
    blocks: list[Block] = []
    if area.question:
        blocks.append(Paragraph(area.question, "question"))
    if area.grade is not None:
        blocks.append(GradeLine(area.grade))
    subsections = [*finding_sections(area.findings), *(area_section(c) for c in area.areas)]
    return Section(
        area.title, tuple(blocks), tuple(subsections), anchor=f"area-{css_token(area.area_id)}"
    )


def about_section(about: AboutData) -> Section:
    """The annex: the publications every figure came from, population years and caveats."""
    sections: list[Section] = []
    if about.publications:
        rows = tuple(
            Row(
                (
                    Cell(str(p.title), header=True),
                    Cell(str(p.publisher)),
                    Cell(str(p.release)),
                    Cell(str(p.file)),
                    Cell(str(p.sha256), css="checksum"),
                )
            )
            for p in about.publications
        )
        sections.append(
            Section(
                "Publications",
                (
                    Table(
                        "Official statistics the figures in this report were computed from",
                        ("Publication", "Publisher", "Release", "File", "SHA-256"),
                        rows,
                        css="sources",
                    ),
                ),
            )
        )
    sections.append(Section("Caveats", tuple(Paragraph(c) for c in about.caveats)))
    if about.judgment_sources:
        judged = tuple(
            Row(
                (
                    Cell(s.description, header=True),
                    Cell((s.file or "") if s.sha256 else "—"),
                    Cell((s.published or "") if s.sha256 else "—"),
                    Cell(s.sha256 or "—", css="checksum"),
                    Cell(s.entered_by or "—"),
                )
            )
            for s in about.judgment_sources
        )
        sections.append(
            Section(
                "Sources of the judgments and findings",
                (
                    Table(
                        "Inspections this report took judgments and findings from, in the "
                        "order they were used",
                        ("Inspection", "File", "Published", "SHA-256", "Entered by"),
                        judged,
                        css="sources",
                    ),
                ),
            )
        )
    intro = Paragraph(
        "Figures marked as computed were calculated by peelkit's indicator engine from the "
        "official statistics listed below; figures marked as imported are printed as the "
        "inspection report printed them."
    )
    return Section("About the data", (intro,), tuple(sections), anchor="about-the-data")


# --- progress since the last inspection ----------------------------------------------------------

# How a link's status reads in the report: a candidate is a match detection found that no one
# has confirmed yet.
POSSIBLE_MATCH = "possible match, not yet confirmed"


def _kind_words(kind: str) -> str:
    return KIND_LABELS.get(kind, kind.replace("_", " ")).lower()


def _status_words(status: str, since: object) -> str:
    word = status.replace("_", " ")
    return f"{word} since {since}" if since is not None else word


def _later_words(later: ProgressLaterView) -> str:
    how = (
        later.relation
        if later.link_status == "confirmed"
        else f"{POSSIBLE_MATCH} ({later.relation})"
    )
    return f"{how}: {_kind_words(later.finding.kind)}: {later.finding.text}"


def _progress_row(row: ProgressRowView) -> Row:
    later = tuple(_later_words(item) for item in row.later)
    return Row(
        (
            Cell(row.earlier.text, header=True),
            Cell(KIND_LABELS.get(row.earlier.kind, row.earlier.kind)),
            Cell(
                _status_words(row.status, row.status_date),
                css=f"status status-{css_token(row.status)}",
            ),
            Cell("" if later else "none", lines=later),
        )
    )


def progress_section(progress: ProgressView, force_name: str) -> Section:
    """ "Progress since the last inspection": the force's last earlier inspection with causes of
    concern, recommendations or areas for improvement, each of them with its status now and the
    findings of this report that repeat, reword or escalate it."""
    title = "Progress since the last inspection"
    if progress.since_inspection is None or progress.since_framework is None:
        return Section(
            title,
            (
                Paragraph(
                    f"The record holds no earlier inspection of {force_name} with causes of "
                    "concern, recommendations or areas for improvement, so there is no progress "
                    "since one to report."
                ),
            ),
            anchor="progress",
        )
    framework = load_framework(progress.since_framework).title
    published = (
        f"published {progress.since_published}"
        if progress.since_published is not None
        else "its publication date is not in the record"
    )
    since = f"{framework} ({progress.since_period})"
    blocks: list[Block] = [
        Paragraph(
            f"The last inspection of {force_name} before this one with causes of concern, "
            f"recommendations or areas for improvement: {since}, inspection "
            f"{progress.since_inspection}; {published}."
        ),
        Table(
            f"Findings of {since} and what became of them",
            ("Earlier finding", "Kind", "Status now", "In this report"),
            tuple(_progress_row(r) for r in progress.rows),
            (
                "Status now: as the record holds it today, from later inspections, HMICFRS "
                "letters, PCC responses and people; superseded when a later finding repeats, "
                "rewords or escalates it (a confirmed link).",
                f"In this report: the findings of this report linked to the earlier one; "
                f"{POSSIBLE_MATCH} where the texts are alike but no one has confirmed the link.",
            ),
            css="progress",
        ),
    ]
    return Section(title, tuple(blocks), anchor="progress")
