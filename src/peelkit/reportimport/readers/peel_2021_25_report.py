"""The PEEL 2021/22 and 2023–25 force report (web page or PDF text).

The report's layout, as far as the reader relies on it::

    PEEL 2021/22 – An inspection of <force>        <- the title (the saved openings lack it)
    Overall summary
    Our judgments
    Our inspection assessed how good <force> is in nine areas of policing. We make graded
    judgments in eight of these nine as follows:   <- the counts, in words or figures
    <area>                                         <- the grid: each area, then its grade
    <grade>                                           (a table in the page; copies may lack it)
    We also inspected how effective a service <force> gives to victims of crime. We don't
    make a graded judgment ...                     <- the ungraded victim service assessment
    HM Inspector's observations (2023–25: summary) <- paragraphs, signed by the inspector
    <area>                                         <- a section per area, its grade under it
    <grade>
    Areas for improvement / Area for improvement 1 <- heading sentences ("The force should
    The force should ...                              ..."), each with its explanatory
    explanatory paragraphs                            paragraphs
    Cause of concern                               <- a concern, then its recommendations:
    <the concern>
    Recommendations
    Within three months, <force> should make sure that:
    • <recommendation>
    Innovative practice / Promising practice       <- a title line, then paragraphs
    <title>
    paragraphs

Everything not there is listed in ``not_found``: the grid (with the counts the report states),
the area sections, a cut section's rest. A count that disagrees with the grades read, a section
grade that disagrees with the grid, a grid lacking an area that a section grades: warnings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from peelkit.frameworks import load_framework
from peelkit.reference import get_force
from peelkit.reportimport.model import ParsedDocument, ParsedJudgment, StatedCounts
from peelkit.reportimport.readers.peel_2021_25_findings import FindingsReader
from peelkit.reportimport.readers.peel_2021_25_grid import GridReader
from peelkit.reportimport.readers.peel_2021_25_lines import Kind, read_lines
from peelkit.reportimport.readers.peel_2021_25_state import ReportPart, ReportState
from peelkit.reportimport.readers.peel_2021_25_text import (
    NUMBER,
    area_index,
    date_line,
    grades,
    number,
    plain,
)
from peelkit.reportimport.text import SourceText

OPENING = re.compile(
    rf"\bhow good (?P<force>.+?) is in (?P<areas>{NUMBER}) areas? of policing\b", re.IGNORECASE
)
GRADED_IN = re.compile(
    rf"\b(?:graded\s+)?judge?ments?\s+(?:in|for|on)\s+(?P<graded>{NUMBER})\s+of\s+"
    rf"(?:these|the|those)\s+(?P<of>{NUMBER})\b",
    re.IGNORECASE,
)
VICTIMS = re.compile(
    r"\bhow (?:effective|good|well)\b.{0,40}?\bservice\b.{0,80}?\bvictims of crime\b",
    re.IGNORECASE,
)
NOT_GRADED = re.compile(
    r"\b(?:do not|don['’]t|does not|doesn['’]t|did not|didn['’]t) (?:make|give|award) a graded "
    r"judge?ment\b|\bnot (?:been )?graded\b|\bungraded\b",
    re.IGNORECASE,
)
# The victim service assessment's name in the framework files (an alias of the ungraded area).
VICTIM_SERVICE = "Victim service assessment"
TITLE = re.compile(r"\binspection of\b", re.IGNORECASE)


@dataclass
class Counts:
    """The counts the report states: areas assessed, and graded judgments in N of M."""

    areas: int | None = None
    graded: int | None = None
    of: int | None = None
    printed: str | None = None
    line: int | None = None


class ReportReader(ReportPart):
    def __init__(self, text: SourceText, framework_id: str, force_id: str) -> None:
        framework = load_framework(framework_id)
        doc = ParsedDocument(
            source=text.source_info(),
            force=force_id,
            framework=framework_id,
            period=framework.period,
        )
        state = ReportState(
            text=text,
            framework=framework,
            force=get_force(force_id),
            doc=doc,
            items=read_lines(text, framework).items,
            index=area_index(framework),
            grades=grades(framework),
        )
        super().__init__(state)
        self.text = text
        self.fw = framework

    def read(self) -> ParsedDocument:
        self.read_title_and_date()
        opening = self.find_opening()
        counts = self.read_counts(opening)
        if counts.areas is not None or counts.graded is not None:
            self.doc.stated_counts = StatedCounts(
                areas=counts.areas,
                graded=counts.graded,
                span=self.span(counts.line) if counts.line else None,
            )
        start = GridReader(self.state).read(opening)
        self.read_victim_service(opening)
        FindingsReader(self.state).walk(start)
        self.check_counts(counts)
        if not self.state.sections:
            self.doc.not_found.append(
                "The sections on each area (their grades, areas for improvement and causes of "
                "concern): none in the copy"
            )
        if not self.state.hmi_seen:
            self.doc.not_found.append("HM Inspector's observations")
        return self.doc

    def read_title_and_date(self) -> None:
        for line in self.text.lines[:80]:
            found = date_line(plain(line))
            if found is not None:
                self.doc.published = found
                break
        for position, item in enumerate(self.items):
            if item.kind is Kind.OUR_JUDGMENTS or OPENING.search(item.text):
                break
            if item.kind in (Kind.PARAGRAPH, Kind.NARRATIVE) and TITLE.search(item.text):
                title = item.printed
                before = self.items[position - 1] if position else None
                if before is not None and before.kind is Kind.NARRATIVE and "PEEL" in before.text:
                    title = f"{before.printed} – {title}"
                self.doc.title = title
                return
        self.doc.not_found.append("Title of the report")

    def find_opening(self) -> int | None:
        """The item that states the counts, else the "Our judgments" heading."""
        for position, item in enumerate(self.items):
            if item.kind is Kind.PARAGRAPH and (
                GRADED_IN.search(item.text) or OPENING.search(item.text)
            ):
                return position
        for position, item in enumerate(self.items):
            if item.kind is Kind.OUR_JUDGMENTS:
                return position
        return None

    def read_counts(self, opening: int | None) -> Counts:
        counts = Counts()
        if opening is None:
            self.doc.not_found.append(
                "Our judgments (the areas assessed, the graded judgments and their grid)"
            )
            return counts
        item = self.items[opening]
        areas = OPENING.search(item.text)
        graded = GRADED_IN.search(item.text)
        if areas:
            counts.areas = number(areas["areas"])
        if graded:
            counts.graded, counts.of = number(graded["graded"]), number(graded["of"])
            counts.printed = graded.group(0)
        counts.line = item.first
        if counts.graded is None and item.kind is Kind.PARAGRAPH:
            self.doc.not_found.append(
                'The number of graded judgments ("graded judgments in N of M")'
            )
        return counts

    def read_victim_service(self, opening: int | None) -> None:
        """The victim service assessment: inspected, and not graded (a sentence says so)."""
        for position, item in enumerate(self.items):
            if item.kind is not Kind.PARAGRAPH or not VICTIMS.search(item.text):
                continue
            said = NOT_GRADED.search(item.printed)
            last = item.last
            if said is None and position + 1 < len(self.items):
                after = self.items[position + 1]
                said = NOT_GRADED.search(after.printed) if after.kind is Kind.PARAGRAPH else None
                last = after.last if said else last
            area = self.index.find(VICTIM_SERVICE)
            scale = self.fw.grade_scale
            ungraded = scale.find("ungraded") if scale else None
            if said is None:
                self.doc.not_found.append(
                    "Judgment of the victim service assessment (no sentence says how it is judged)"
                )
            elif area is None or ungraded is None:
                self.warn(
                    "unknown_area",
                    f"the report assesses the service to victims of crime, which {self.fw.id} "
                    "has no ungraded area for (an alias 'Victim service assessment')",
                    item.first,
                )
            else:
                self.doc.judgments.append(
                    ParsedJudgment(
                        area=area.id,
                        level=area.level,
                        grade=ungraded.id,
                        grade_as_printed=said.group(0),
                        read_from="sentence",
                        span=self.span(item.first, last),
                    )
                )
            return
        if opening is not None:
            self.doc.not_found.append("The victim service assessment (the sentence about it)")

    def check_counts(self, counts: Counts) -> None:
        graded = [j for j in self.doc.judgments if self.is_grade(j.grade)]
        if counts.graded is not None and not self.grid:
            self.doc.not_found.append(
                f'The grid of graded judgments under "Our judgments": the report states '
                f"graded judgments in {counts.graded} of {counts.of} areas"
                + (f" ({counts.areas} assessed)" if counts.areas is not None else "")
                + "; the copy does not have the grid"
            )
        if counts.graded is not None and graded and len(graded) != counts.graded:
            read = ", ".join(f"{j.area} {j.grade_as_printed}" for j in graded)
            self.warn(
                "judgment_count_mismatch",
                f'the report states graded judgments in {counts.graded} areas ("{counts.printed}") '
                f"but {len(graded)} grades were read: {read}",
                counts.line or 1,
            )
        if counts.areas is not None and counts.of is not None and counts.areas != counts.of:
            self.warn(
                "judgment_count_mismatch",
                f"the report assessed {counts.areas} areas but states graded judgments in "
                f"{counts.graded} of {counts.of}",
                counts.line or 1,
            )

    def is_grade(self, grade: str | None) -> bool:
        scale = self.fw.grade_scale
        value = scale.find(grade) if scale and grade else None
        return value is not None and value.is_grade


def read_report(text: SourceText, framework_id: str, force_id: str) -> ParsedDocument:
    return ReportReader(text, framework_id, force_id).read()
