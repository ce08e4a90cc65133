"""What the parts of the PEEL 2021/22 and 2023–25 report reader share while they read."""

from __future__ import annotations

from dataclasses import dataclass, field

from peelkit.domain.forces import Force
from peelkit.domain.frameworks import Area, Framework
from peelkit.reportimport.model import ImportWarning, ParsedDocument, ParsedJudgment, Span
from peelkit.reportimport.readers.peel_2021_25_lines import Item
from peelkit.reportimport.readers.peel_2021_25_text import AreaIndex, Grades
from peelkit.reportimport.text import SourceText


@dataclass
class ReportState:
    text: SourceText
    framework: Framework
    force: Force
    doc: ParsedDocument
    items: list[Item]
    index: AreaIndex
    grades: Grades
    grid: dict[str, ParsedJudgment] = field(default_factory=dict)  # area id -> its grid grade
    sections: list[Area] = field(default_factory=list)  # the area sections, in order
    hmi_seen: bool = False

    def span(self, first: int, last: int | None = None) -> Span:
        return self.text.span(first, last)

    def warn(self, code: str, message: str, first: int, last: int | None = None) -> None:
        warning = ImportWarning(code=code, message=message, span=self.span(first, last))
        self.doc.warnings.append(warning)


class ReportPart:
    """One part of the report reader (the grid, the findings): it reads and writes the shared
    :class:`ReportState`, with short names for what every part uses."""

    def __init__(self, state: ReportState) -> None:
        self.state = state
        self.doc = state.doc
        self.items = state.items
        self.index = state.index
        self.grid = state.grid
        self.warn = state.warn
        self.span = state.span
