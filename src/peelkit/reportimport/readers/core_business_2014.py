"""Reader for HMIC's 2014 "Core business" letters to forces (ungraded, findings only).

Each letter has three sections, named as in the framework (Preventing crime, Crime recording and
attendance, Freeing up time). A section alternates key findings with the supporting evidence
for them, which begins "The inspection team found ...". A key finding becomes a finding of kind
``finding`` and the evidence paragraphs after it become its ``sub_items``, so that evidence is
not counted as findings of its own.

The extraction lost most bullet marks (a leading space is left, or nothing when a key finding
was hard-wrapped), fused one key finding with its evidence into one paragraph, and prints two
key findings on consecutive lines that share one evidence paragraph: each of them gets it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Container
from dataclasses import dataclass, field

from peelkit.domain.frameworks import Area, Framework
from peelkit.frameworks import load_framework
from peelkit.names import fold
from peelkit.reportimport import furniture
from peelkit.reportimport.model import ImportWarning, ParsedDocument, ParsedFinding
from peelkit.reportimport.readers import Reader
from peelkit.reportimport.readers.eras import frameworks_read_by
from peelkit.reportimport.text import SourceText, join_wrapped, normalise_space

READER_NAME = "core-business-2014"  # reads the frameworks whose era.readers name it
EVIDENCE_OPENING = "the inspection team"  # how every supporting-evidence paragraph begins

_BULLET = re.compile(r"^\s*[•●▪◦\uf0b7\uf0a7–—-]\s+")
_DATE = re.compile(
    r"^\s*(\d{1,2}) (January|February|March|April|May|June|July|August|"
    r"September|October|November|December) (\d{4})\s*$"
)
_SIGN_OFF = re.compile(r"^\s*Yours (?:sincerely|faithfully)", re.IGNORECASE)
_HONOURS = re.compile(r"(?:\s+(?:QPM|KPM|CBE|OBE|MBE|KBE|CVO|DL|QC|MA|MSc|PhD|BA|LLB))+\s*$")
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z‘'“])")


def detect(text: SourceText) -> str | None:
    """``core-business-2014`` for a force letter of the 2014 Core business inspection."""
    head = fold(" ".join(text.lines[:60]))
    # The letter names the inspection by the framework's title.
    found = next((f for f in frameworks_read_by(READER_NAME) if fold(f.title) in head), None)
    if found is None:
        return None
    # The national thematic report has the same title; only the force letters are letters.
    folded = fold(" ".join(text.lines))
    if "dear" in head.split() or "yours sincerely" in folded:
        return found.id
    return None


@dataclass
class _Paragraph:
    first: int  # 1-based line numbers
    last: int
    text: str


@dataclass
class _KeyFinding:
    paragraph: _Paragraph
    text: str
    evidence: list[str] = field(default_factory=list)
    evidence_last: int | None = None


def _paragraphs(
    text: SourceText, start: int, end: int, furniture: Container[int] = ()
) -> list[_Paragraph]:
    """The paragraphs of lines ``start``..``end - 1``, wrapped lines joined; lines of page
    furniture (a banner, an entry of a table of contents) are skipped, never joined to text."""
    found: list[_Paragraph] = []
    lines: list[str] = []
    first = start
    for number in range(start, end + 1):
        if number in furniture:
            continue
        line = text.line(number) if number < end else ""
        # A lost bullet glyph leaves a leading space: such a line starts a paragraph of its own
        # even when no blank line comes before it.
        if lines and (line[:1].isspace() or _BULLET.match(line)) and line.strip():
            found.append(_Paragraph(first, number - 1, join_wrapped(lines)))
            lines = []
        if line.strip():
            if not lines:
                first = number
            lines.append(_BULLET.sub("", line))
            continue
        if lines:
            found.append(_Paragraph(first, number - 1, join_wrapped(lines)))
            lines = []
    return found


def _section_areas(fw: Framework) -> dict[str, Area]:
    return {
        fold(s): area for area in fw.walk() if area.level == "section" for s in area.spellings()
    }


def _is_evidence(text: str) -> bool:
    return fold(text).startswith(EVIDENCE_OPENING)


def _split_fused(text: str) -> tuple[str, str | None]:
    """A key finding printed in one paragraph with its evidence: (key finding, evidence)."""
    sentences = _SENTENCE_SPLIT.split(text)
    for index, sentence in enumerate(sentences[1:], start=1):
        if _is_evidence(sentence):
            return " ".join(sentences[:index]), " ".join(sentences[index:])
    return text, None


class _Reading:
    def __init__(self, text: SourceText, framework_id: str, force_id: str) -> None:
        self.text = text
        self.furniture = furniture.find(text).furniture
        self.fw = load_framework(framework_id)
        self.parsed = ParsedDocument(
            source=text.source_info(),
            force=force_id,
            framework=framework_id,
            period=self.fw.period,
        )

    def warn(self, code: str, message: str, first: int, last: int, row: str) -> None:
        self.parsed.warnings.append(
            ImportWarning(code=code, message=message, row=row, span=self.text.span(first, last))
        )

    def read_letterhead(self) -> None:
        title = self.text.find(r"^\s*Core business: ")
        if title is not None:
            self.parsed.title = normalise_space(self.text.line(title))
        else:
            self.parsed.not_found.append("Title")
        # A letter is published on its date: the national report came out the day after.
        dated = self.text.find(_DATE, end=40)
        match = _DATE.match(self.text.line(dated)) if dated else None
        if match:
            month = dt.datetime.strptime(match.group(2), "%B").month
            self.parsed.published = dt.date(int(match.group(3)), month, int(match.group(1)))
        else:
            self.parsed.not_found.append("Date of the letter")
        self.parsed.hm_inspector = self.inspector()
        if self.parsed.hm_inspector is None:
            self.parsed.not_found.append("HM Inspector")

    def inspector(self) -> str | None:
        """The name printed above "HM Inspector of Constabulary", without post-nominals."""
        for number in self.text.find_all(r"^\s*HM Inspector of Constabulary\s*$"):
            for above in range(number - 1, max(number - 4, 0), -1):
                name = normalise_space(self.text.line(above))
                if name:
                    return _HONOURS.sub("", name)
        return None

    def sections(self) -> list[tuple[Area, int, int]]:
        """Each section: its area, heading line and the first line after it."""
        areas = _section_areas(self.fw)
        headings = [
            (areas[fold(line)], number)
            for number, line in enumerate(self.text.lines, start=1)
            if line.strip() and len(line) < 80 and fold(line) in areas
        ]
        sign_off = self.text.find(_SIGN_OFF) or len(self.text.lines) + 1
        found: list[tuple[Area, int, int]] = []
        for index, (area, heading) in enumerate(headings):
            end = headings[index + 1][1] if index + 1 < len(headings) else sign_off
            found.append((area, heading, max(end, heading + 1)))
        return found

    def read_sections(self) -> None:
        found = self.sections()
        if found and self.text.find(_SIGN_OFF) is None:
            # The letter's last section runs to the end of the text: its sign-off is missing,
            # so the text may be cut short in it.
            self.parsed.not_found.append(
                'Sign-off ("Yours sincerely") after the last section (is the text cut short?)'
            )
        seen = {area.id for area, _, _ in found}
        for area in self.fw.walk():
            if area.level == "section" and area.id not in seen:
                self.parsed.not_found.append(f"Section '{area.name}'")
        for area, heading, end in found:
            key_findings = self.key_findings(area, heading, end)
            if not key_findings:
                self.parsed.not_found.append(f"Findings of '{area.name}'")
            for finding in key_findings:
                last = max(finding.paragraph.last, finding.evidence_last or 0)
                self.parsed.findings.append(
                    ParsedFinding(
                        kind="finding",
                        text=finding.text,
                        area=area.id,
                        heading=normalise_space(self.text.line(heading)),
                        sub_items=finding.evidence,
                        span=self.text.span(finding.paragraph.first, last),
                    )
                )

    def key_findings(self, area: Area, heading: int, end: int) -> list[_KeyFinding]:
        found: list[_KeyFinding] = []
        waiting: list[_KeyFinding] = []  # key findings whose evidence has not come yet
        for paragraph in _paragraphs(self.text, heading + 1, end, self.furniture):
            if _is_evidence(paragraph.text):
                if not found:
                    self.warn(
                        "evidence_without_finding",
                        "supporting evidence before any key finding of its section",
                        paragraph.first,
                        paragraph.last,
                        area.name,
                    )
                # Evidence after two key findings in a row belongs to both of them.
                for finding in waiting or found[-1:]:
                    finding.evidence.append(paragraph.text)
                    finding.evidence_last = paragraph.last
                waiting = []
                continue
            key, evidence = _split_fused(paragraph.text)
            finding = _KeyFinding(paragraph, key)
            found.append(finding)
            if evidence is None:
                waiting.append(finding)
                continue
            finding.evidence.append(evidence)
            finding.evidence_last = paragraph.last
            waiting = []
            self.warn(
                "fused_paragraph",
                "a key finding and its supporting evidence are printed "
                "as one paragraph; split where the evidence begins",
                paragraph.first,
                paragraph.last,
                area.name,
            )
        return found


def read(text: SourceText, framework_id: str, force_id: str) -> ParsedDocument:
    """The letter's three sections: key findings, each with its supporting evidence."""
    reading = _Reading(text, framework_id, force_id)
    reading.read_letterhead()
    reading.read_sections()
    return reading.parsed


READER = Reader(name=READER_NAME, detect=detect, read=read)
