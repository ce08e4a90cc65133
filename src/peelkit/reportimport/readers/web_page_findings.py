"""The findings of a web page: the blocks of areas for improvement, causes of concern and
recommendations under each section.

A block opens with its heading ("Areas for improvement", "Cause of concern",
"Recommendations") and lists its findings as bullets ("•", "-"); a line that wraps a bullet
continues it. A line ending in a colon introduces the bullets after it ("The following AFI from
HMICFRS' 2015 Legitimacy inspection remains:"; "To address this cause of concern, we recommend
that the force:") and is kept as their ``lead_in``; one that recommends opens recommendations,
linked to the cause of concern above. A cause of concern may be a paragraph; any other
paragraph after a list is narrative again. A stretch missing from the copy (``[...]``) that
hides the rest of a section is named in ``not_found``; a finding it cuts short is a warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from peelkit.reportimport.furniture import Page, tidy
from peelkit.reportimport.model import ImportWarning, ParsedDocument, ParsedFinding
from peelkit.reportimport.readers.peel_2018_19 import deadline
from peelkit.reportimport.readers.web_page_layout import GAP, Section, findings_kind
from peelkit.reportimport.text import bullet_text, join_wrapped

HEADINGS = {
    "area_for_improvement": "Areas for improvement",
    "cause_of_concern": "Causes of concern",
    "recommendation": "Recommendations",
}
_RECOMMENDS = re.compile(r"\brecommend", re.IGNORECASE)
_DEADLINE = re.compile(r"\b(within \w+ (?:months?|weeks?|years?)|immediately)\b", re.IGNORECASE)


@dataclass
class _State:
    kind: str | None = None
    concern: int | None = None  # index of the cause of concern recommendations follow
    previous: ParsedFinding | None = None
    lead_in: str | None = None


class Findings:
    def __init__(self, page: Page, doc: ParsedDocument) -> None:
        self.page = page
        self.doc = doc

    def read(self, section: Section) -> None:
        state = _State()
        for index, number in enumerate(section.lines):
            line = self.page.line(number)
            if GAP.match(line):
                if not self.findings_after(section, index):
                    if not section.is_pillar:  # a pillar's cut summary is named elsewhere
                        self.doc.not_found.append(f"Rest of {section.name} (in a missing stretch)")
                    return
                state = _State(concern=state.concern)
                continue
            kind = findings_kind(line)
            if kind is not None:
                state = _State(kind=kind, concern=state.concern)
                continue
            if state.kind is None:
                continue
            self.read_line(section, index, number, state)

    def read_line(self, section: Section, index: int, number: int, state: _State) -> None:
        raw = tidy(self.page.text.line(number))
        text = bullet_text(raw)
        previous = state.previous
        if text is None and previous is not None and self.continues(previous, raw):
            previous.text = join_wrapped([previous.text, raw])
            start = previous.span.line_start if previous.span else number
            previous.span = self.page.text.span(start, number)
            return
        if text is None and raw.endswith(":"):
            state.lead_in = raw  # introduces the bullets after it
            state.previous = None
            if _RECOMMENDS.search(raw):
                state.kind = "recommendation"
            return
        if text is None and state.kind != "cause_of_concern":
            state.kind, state.previous, state.lead_in = None, None, None  # narrative again
            return
        assert state.kind is not None
        self.cut_check(section, index)
        state.previous = self.add(state, text or raw, section, number)
        if state.kind == "cause_of_concern":
            state.concern = len(self.doc.findings) - 1

    @staticmethod
    def continues(finding: ParsedFinding, line: str) -> bool:
        """A line wrapped from the finding above: the finding is unfinished, the line lower-case."""
        return not finding.text.endswith((".", ";", "?", "!", ":")) and line[:1].islower()

    def add(self, state: _State, text: str, section: Section, number: int) -> ParsedFinding:
        assert state.kind is not None
        recommendation = state.kind == "recommendation"
        limit = _DEADLINE.search(state.lead_in or "") if recommendation else None
        finding = ParsedFinding(
            kind=state.kind,
            text=text,
            area=section.area.id if section.area else None,
            heading=HEADINGS[state.kind],
            lead_in=state.lead_in,
            cause_of_concern=state.concern if recommendation else None,
            deadline=deadline(text) or (limit.group(1).lower() if limit else None)
            if recommendation
            else None,
            span=self.page.text.span(number),
        )
        self.doc.findings.append(finding)
        return finding

    def findings_after(self, section: Section, index: int) -> bool:
        """Whether a findings heading follows a cut, so the cut hid no findings of the section."""
        return any(findings_kind(self.page.line(n)) is not None for n in section.lines[index + 1 :])

    def cut_check(self, section: Section, index: int) -> None:
        """A finding that runs into a ``[...]`` was cut short: say so."""
        following = section.lines[index + 1] if index + 1 < len(section.lines) else None
        if following is None or not GAP.match(self.page.line(following)):
            return
        number = section.lines[index]
        if not self.page.line(number).endswith((".", ";", "?", "!")):
            self.doc.warnings.append(
                ImportWarning(
                    code="text_cut",
                    message=f"A finding of {section.name} is cut short by a missing stretch",
                    span=self.page.text.span(number),
                )
            )
