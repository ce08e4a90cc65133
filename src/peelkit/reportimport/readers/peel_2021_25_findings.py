"""The findings of a PEEL 2021/22 or 2023–25 report, section by section.

After "Our judgments" the report has HM Inspector's observations (2023–25: summary), then a
section per area: its name, the grade under it, and its findings::

    Cause of concern / Causes of concern            <- the concern (one or more paragraphs),
    <the concern>                                       then its recommendations: a sentence
    Recommendations                                     with the deadline ending in a colon,
    Within three months, <force> should make sure that: and its bullets; another concern may
    • <recommendation>                                  follow under the same heading
    Areas for improvement / Area for improvement 1  <- heading sentences ("The force should
    The force should ...                               ..."), each with the paragraphs that
    explanatory paragraphs                             explain it
    Innovative practice / Promising practice        <- a title, then paragraphs
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from peelkit.domain.frameworks import Area
from peelkit.reportimport.model import ParsedFinding, ParsedJudgment
from peelkit.reportimport.readers.peel_2021_25_lines import Item, Kind, ends_sentence
from peelkit.reportimport.readers.peel_2021_25_state import ReportPart, ReportState

LEAD_IN = re.compile(
    r"^(?P<deadline>(?:within|in the next)\s+(?:\d+|[a-z]+(?:-[a-z]+)?)\s+"
    r"(?:days?|weeks?|months?|years?)|by\s+(?:the end of\s+)?(?:\d{1,2}\s+)?[A-Z][a-z]+\s+\d{4}"
    r"|immediately|with immediate effect|no later than\s+\d{1,2}\s+[A-Z][a-z]+\s+\d{4})"
    r"\s*,?\s+(?P<who>.+?)\s+(?:should|must|needs? to)\b",
    re.IGNORECASE,
)
SHOULD = re.compile(r"\b(?:should|must|needs? to)\b", re.IGNORECASE)
INSPECTOR_TITLE = re.compile(
    r"^(?:HM|His Majesty's|Her Majesty's)\s+(?:Chief\s+)?Inspector of Constabulary\b",
    re.IGNORECASE,
)


@dataclass
class Block:
    """The findings block being read: its kind, heading, and what it has read so far."""

    kind: Kind
    heading: str
    section: Area | None
    current: ParsedFinding | None = None
    concern: int | None = None  # index in doc.findings
    phase: str = "statement"  # cause of concern: "statement", then "recommendations"
    lead_in: str | None = None
    deadline: str | None = None
    expect_heading: bool = False
    label: str | None = None  # "Area for improvement 2", "Recommendations": the finding's heading
    recommendations: int = 0
    last_text: str = ""


class FindingsReader(ReportPart):
    """Walks the items after the grid: sections, their grades, and their findings."""

    def __init__(self, state: ReportState) -> None:
        super().__init__(state)
        self.sections = state.sections
        force = state.force
        names = {force.name, force.short_name, *force.aliases}
        who = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
        # The heading sentence of an area for improvement: "The force should ...".
        self.afi_heading = re.compile(
            rf"^(?:The (?:force|constabulary|service|organisation)|{who}|It|They)\s+"
            r"(?:should|needs? to|must|has to|is to|could)\b",
            re.IGNORECASE,
        )

    def walk(self, start: int) -> None:
        section: Area | None = None
        block: Block | None = None
        position = start
        while position < len(self.items):
            item = self.items[position]
            kind = item.kind
            if kind is Kind.AREA and item.area is not None:
                self.end(block)
                block = None
                section = item.area
                self.sections.append(section)
                position = self.section_grade(position)
                continue
            if kind is Kind.GAP:
                self.gap(block, section, item)
                block = None
            elif kind is Kind.HMI:
                self.end(block)
                self.state.hmi_seen = True
                section = None
                position = self.hmi(position)
                block = None
                continue
            elif kind in (Kind.AFI, Kind.CONCERN, Kind.PRACTICE):
                self.end(block)
                block = Block(kind, item.printed, section)
                if kind is Kind.CONCERN and item.rest:
                    self.concern(block, item.rest, item)
                if kind is Kind.PRACTICE and item.rest:
                    self.practice(block, item.rest, item)
            elif kind is Kind.AFI_LABEL:
                if block is None or block.kind is not Kind.AFI:
                    self.end(block)
                    block = Block(Kind.AFI, item.printed, section)
                block.expect_heading = True
                block.current = None
                block.label = item.printed
                if item.rest:
                    self.afi(block, item.rest, item)
            elif kind is Kind.RECOMMENDATIONS:
                if block is not None and block.kind is Kind.CONCERN:
                    block.phase = "recommendations"
                    block.label = item.printed
                else:
                    self.end(block)
                    block = Block(Kind.RECOMMENDATIONS, item.printed, section)
                    block.phase = "recommendations"
            elif kind in (Kind.NARRATIVE, Kind.OUR_JUDGMENTS, Kind.GRADE) or (
                block is not None and not self.content(block, item, position)
            ):  # another part of the report, or narrative after the block's findings
                self.end(block)
                block = None
            position += 1
        self.end(block)

    def section_grade(self, position: int) -> int:
        """An area's heading and the grade under it; the position after them."""
        heading = self.items[position]
        after = self.items[position + 1] if position + 1 < len(self.items) else None
        if after is None or after.kind is not Kind.GRADE or after.grade is None:
            return position + 1
        area = heading.area
        assert area is not None
        value = after.grade
        printed = self.grid.get(area.id)
        if printed is not None:
            if printed.grade != value.id:
                self.warn(
                    "grade_mismatch",
                    f"{area.name}: the grid prints {printed.grade_as_printed}, its section "
                    f"{after.text}; the grid's grade is kept",
                    heading.first,
                    after.last,
                )
            return position + 2
        if not area.graded and value.is_grade:
            return position + 2
        if any(j.area == area.id for j in self.doc.judgments):
            return position + 2  # a second heading of the area (a contents list, a summary)
        if self.grid:
            self.warn(
                "grade_missing_from_summary",
                f"the grid has no grade for {area.name}; its section's ({after.text}) is used",
                heading.first,
                after.last,
            )
        self.doc.judgments.append(
            ParsedJudgment(
                area=area.id,
                level=area.level,
                grade=value.id,
                grade_as_printed=after.text,
                span=self.span(heading.first, after.last),
            )
        )
        return position + 2

    def hmi(self, position: int) -> int:
        """HM Inspector's observations: paragraphs until the next heading, and the name they
        are signed with. The position after them."""
        heading = self.items[position]
        paragraphs: list[Item] = []
        position += 1
        while position < len(self.items):
            item = self.items[position]
            if item.kind not in (Kind.PARAGRAPH, Kind.BULLET):
                break
            nxt = self.items[position + 1] if position + 1 < len(self.items) else None
            if INSPECTOR_TITLE.match(item.text):
                position += 1
                continue
            if (
                nxt is not None
                and INSPECTOR_TITLE.match(nxt.text)
                and len(item.text.split()) <= 6
                and not ends_sentence(item.text)
            ):
                self.doc.hm_inspector = item.printed
                position += 2
                continue
            paragraphs.append(item)
            position += 1
        if paragraphs:
            self.doc.findings.append(
                ParsedFinding(
                    kind="finding",
                    text=paragraphs[0].printed,
                    heading=heading.printed,
                    sub_items=[p.printed for p in paragraphs[1:]],
                    span=self.span(paragraphs[0].first, paragraphs[-1].last),
                )
            )
        else:
            self.doc.not_found.append(f"The text of {heading.printed}")
        if position < len(self.items) and self.items[position].kind is Kind.GAP:
            if paragraphs and not ends_sentence(paragraphs[-1].text):
                self.warn(
                    "text_cut",
                    f"{heading.printed} is cut short by a missing stretch",
                    paragraphs[-1].last,
                )
            self.doc.not_found.append(f"Rest of {heading.printed} (in a missing stretch)")
            position += 1
        return position

    def content(self, block: Block, item: Item, position: int) -> bool:
        """Read a paragraph or bullet into the block; False if it ends the block."""
        if block.kind is Kind.AFI:
            self.afi(block, item.text, item, bullet=item.kind is Kind.BULLET, stored=item.printed)
        elif block.kind is Kind.PRACTICE:
            self.practice(block, item.printed, item)
        elif block.kind in (Kind.CONCERN, Kind.RECOMMENDATIONS):
            return self.concern_content(block, item, position)
        block.last_text = item.text
        return True

    def finding(
        self,
        kind: str,
        text: str,
        block: Block,
        item: Item,
        *,
        heading: str | None = None,
        lead_in: str | None = None,
        deadline: str | None = None,
        cause_of_concern: int | None = None,
    ) -> int:
        finding = ParsedFinding(
            kind=kind,
            text=text,
            area=block.section.id if block.section else None,
            heading=heading or block.heading,
            lead_in=lead_in,
            deadline=deadline,
            cause_of_concern=cause_of_concern,
            span=self.span(item.first, item.last),
        )
        self.doc.findings.append(finding)
        block.current = finding
        return len(self.doc.findings) - 1

    def extend(self, finding: ParsedFinding, text: str, item: Item) -> None:
        finding.sub_items.append(text)
        first = finding.span.line_start if finding.span else item.first
        finding.span = self.span(first, item.last)

    def afi(
        self, block: Block, text: str, item: Item, *, bullet: bool = False, stored: str = ""
    ) -> None:
        """A heading sentence starts an area for improvement; the paragraphs after it explain."""
        heading = (
            bullet
            or block.current is None
            or block.expect_heading
            or bool(self.afi_heading.match(text))
            or not ends_sentence(text)
        )
        if heading:
            self.finding("area_for_improvement", stored or text, block, item, heading=block.label)
            block.expect_heading = False
        elif block.current is not None:
            self.extend(block.current, stored or text, item)
        block.last_text = text

    def practice(self, block: Block, text: str, item: Item) -> None:
        """Innovative or promising practice: its title, then the paragraphs about it."""
        if block.current is None:
            self.finding("good_practice", text, block, item)
        else:
            self.extend(block.current, text, item)
        block.last_text = text

    def concern(self, block: Block, text: str, item: Item) -> None:
        block.concern = self.finding("cause_of_concern", text, block, item)
        block.phase = "statement"
        block.lead_in = block.deadline = block.label = None
        block.recommendations = 0
        block.last_text = text

    def concern_content(self, block: Block, item: Item, position: int) -> bool:
        text, stored = item.text, item.printed
        lead = LEAD_IN.match(text)
        if item.kind is Kind.PARAGRAPH and (lead or (text.endswith(":") and SHOULD.search(text))):
            block.lead_in = stored
            block.deadline = lead["deadline"] if lead else None
            if text.endswith(":"):
                block.phase = "recommendations"
            else:  # a recommendation in one sentence: "Within six months, X should ..."
                self.recommendation(block, stored, item, lead_in=None)
            block.last_text = text
            return True
        if item.kind is Kind.BULLET and block.phase == "recommendations":
            self.recommendation(block, stored, item, lead_in=block.lead_in)
            block.last_text = text
            return True
        if block.kind is Kind.RECOMMENDATIONS:
            return False  # recommendations without a concern: a paragraph ends them
        if block.phase == "statement":
            if block.concern is None:
                self.concern(block, stored, item)
            else:
                self.extend(self.doc.findings[block.concern], stored, item)
            block.last_text = text
            return True
        # A paragraph after the recommendations: the next concern if recommendations follow
        # it, else the narrative again.
        if self.lead_in_follows(position):
            self.end(block)
            self.concern(block, stored, item)
            return True
        return False

    def lead_in_follows(self, position: int) -> bool:
        for item in self.items[position + 1 : position + 5]:
            if item.kind is Kind.RECOMMENDATIONS or (
                item.kind is Kind.PARAGRAPH and LEAD_IN.match(item.text)
            ):
                return True
            if item.kind is not Kind.PARAGRAPH:
                return False
        return False

    def recommendation(self, block: Block, text: str, item: Item, lead_in: str | None) -> None:
        if block.concern is None:
            self.warn(
                "recommendation_without_concern",
                f'a recommendation follows no cause of concern: "{" ".join(text.split()[:8])}..."',
                item.first,
            )
        self.finding(
            "recommendation",
            text,
            block,
            item,
            heading=block.label,
            lead_in=lead_in,
            deadline=block.deadline,
            cause_of_concern=block.concern,
        )
        block.recommendations += 1

    def end(self, block: Block | None) -> None:
        """A cause of concern always comes with recommendations: say if none were read."""
        if block is None or block.kind is not Kind.CONCERN or block.concern is None:
            return
        if block.recommendations == 0:
            concern = self.doc.findings[block.concern]
            line = concern.span.line_start if concern.span else "?"
            self.doc.not_found.append(
                f"Recommendations of the cause of concern on line {line} (none printed after it)"
            )
        block.recommendations = -1  # reported once

    def gap(self, block: Block | None, section: Area | None, item: Item) -> None:
        where = f" of {section.name}" if section else ""
        if block is not None:
            if block.last_text and not ends_sentence(block.last_text):
                self.warn(
                    "text_cut",
                    f"the {block.heading}{where} is cut short by a missing stretch",
                    item.first,
                )
            self.doc.not_found.append(f"Rest of {block.heading}{where} (in a missing stretch)")
            return
        self.doc.not_found.append(
            f"What the copy leaves out at line {item.first}{where} (a missing stretch)"
        )
