"""The grid of a PEEL 2021/22 or 2023–25 report: each area and its grade, under "Our
judgments".

HMICFRS prints the grid as a table; copies give it in several layouts, all read here: each
area then its grade (one a line), a grade then the areas that have it, "<area>\\t<grade>" or
"| <area> | <grade> |" rows, "<area>: <grade>", or a table whose columns are the grades (the
page's table copied: a row of grades, then rows with each area in its grade's column). A grid
whose columns were lost (the grades, then the areas, one a line) cannot be read, and says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from peelkit.domain.frameworks import Area
from peelkit.domain.grades import GradeValue
from peelkit.reportimport.model import ParsedJudgment
from peelkit.reportimport.readers.peel_2021_25_lines import Item, Kind
from peelkit.reportimport.readers.peel_2021_25_state import ReportPart, ReportState
from peelkit.reportimport.readers.peel_2021_25_text import plain

# How many paragraphs may stand between the counts and the grid (the victim sentence).
GRID_LEAD = 3
GRID_WINDOW = 80  # items


@dataclass
class Token:
    area: Area | None
    grade: GradeValue | None
    printed: str
    line: int


def table_cells(raw: str) -> list[str] | None:
    """The cells of a table row, in their columns (empty ones kept): tab-separated, or
    between bars ("| a | b |"); None for a line that is not a table row."""
    if "\t" in raw:
        return [plain(cell) for cell in raw.strip("\r\n").split("\t")]
    if raw.count("|") >= 2 or raw.strip().startswith("|"):
        return [plain(cell) for cell in raw.strip().strip("|").split("|")]
    return None


class GridReader(ReportPart):
    """Reads the grid into the report's judgments (``state.grid``: area id -> judgment)."""

    def __init__(self, state: ReportState) -> None:
        super().__init__(state)
        self.grades = state.grades
        self.fw = state.framework

    def read(self, opening: int | None) -> int:
        """Read the grid after the counts; the position of the first item after it."""
        if opening is None:
            return 0
        tokens: list[Token] = []
        columns: list[Token | None] | None = None  # a table with the grades as its columns
        prose = 0
        position = opening + 1
        stop = min(len(self.items), position + GRID_WINDOW)
        while position < stop:
            item = self.items[position]
            cells = table_cells(item.raw) if item.kind is not Kind.GAP else None
            header = self.column_headings(cells, item) if cells else None
            if header is not None:
                columns = header
            elif cells and columns is not None and self.column_row(cells, columns, item):
                tokens.append(Token(None, None, item.text, item.first))  # the grid has begun
            elif item.kind in (Kind.AREA, Kind.GRADE):
                tokens.append(Token(item.area, item.grade, item.text, item.first))
            elif item.kind is Kind.PARAGRAPH and (row := self.grid_row(item)) is not None:
                tokens.extend(row)
            elif item.kind in (Kind.PARAGRAPH, Kind.BULLET):
                if tokens:
                    break
                prose += 1
                if prose > GRID_LEAD:
                    break
            else:
                if item.kind is Kind.GAP and not tokens:
                    self.doc.not_found.append(
                        "The grid of graded judgments may be in a missing stretch of the copy"
                    )
                break
            position += 1
        if not tokens:
            return opening + 1
        printed = [t for t in tokens if t.area is not None or t.grade is not None]
        if printed:
            self.pair(printed)
        return position

    def column_headings(self, cells: list[str], item: Item) -> list[Token | None] | None:
        """A table row of grades only ("Outstanding\tGood\t..."): the grid's columns."""
        values = [self.grades.line(cell) if cell else None for cell in cells]
        if sum(v is not None for v in values) < 2:
            return None
        if any(cell and value is None for cell, value in zip(cells, values, strict=True)):
            return None
        return [
            Token(None, value, cell, item.first) if value else None
            for cell, value in zip(cells, values, strict=True)
        ]

    def column_row(self, cells: list[str], columns: list[Token | None], item: Item) -> bool:
        """A row of the grades-as-columns table: each area takes its column's grade."""
        areas = [self.index.find(cell) if cell else None for cell in cells]
        if not any(areas):
            return False
        for column, area in enumerate(areas):
            if area is None:
                continue
            grade = columns[column] if column < len(columns) else None
            if grade is None:
                self.doc.not_found.append(f"Grade of {area.name} in the grid (no column heading)")
                continue
            self.grid_judgment(
                area, Token(None, grade.grade, grade.printed, item.first), item.first
            )
        return True

    def grid_row(self, item: Item) -> list[Token] | None:
        """The areas and grades of a row printed on one line: cells apart ("<area>\\t<grade>",
        "| <area> | <grade> |", two spaces or more), "<area>: <grade>", "<area> <grade>"."""
        raw = item.raw
        cells = table_cells(raw)
        if cells is None and re.search(r"\S {2,}\S", raw.strip()):
            cells = re.split(r" {2,}", raw.strip())
        if cells is None:
            cells = re.split(r"\s*:\s+|\s+[–—-]\s+", plain(raw), maxsplit=1)
            if len(cells) == 1:
                cells = self.split_on_grade(plain(raw))
        tokens = []
        for cell in (plain(c) for c in cells):
            if not cell or cell.lower() in ("area", "grade", "judgment", "judgement"):
                continue
            value = self.grades.line(cell)
            area = self.index.find(cell) if value is None else None
            if value is None and area is None:
                return None  # a cell that is neither: prose, not a row of the grid
            tokens.append(Token(area, value, cell, item.first))
        return tokens or None

    def split_on_grade(self, line: str) -> list[str]:
        """ "Investigating crime Requires improvement" as its two cells, else the line."""
        found = re.match(rf"^(?P<area>.+?)\s+(?P<grade>{self.grades.any}|ungraded)$", line, re.I)
        if found and self.index.find(found["area"]):
            return [found["area"], found["grade"]]
        found = re.match(rf"^(?P<grade>{self.grades.any}|ungraded)\s+(?P<area>.+)$", line, re.I)
        if found and self.index.find(found["area"]):
            return [found["grade"], found["area"]]
        return [line]

    def pair(self, tokens: list[Token]) -> None:
        """Areas and grades in the order printed: each area then its grade, or (a grade
        first) each grade then the areas that have it."""
        scale = self.fw.grade_scale
        leading = 0
        for token in tokens:
            if token.grade is None:
                break
            leading += 1
        if scale is not None and leading >= len(scale.grades):
            self.warn(
                "unexpected_structure",
                "the grid prints the grades as column headings, its areas after them: which "
                "area has which grade cannot be told from this copy",
                tokens[0].line,
                tokens[-1].line,
            )
            self.doc.not_found.append("The grid's grades (its columns were lost in the copy)")
            return
        if tokens[0].area is not None:
            for position, here in enumerate(tokens):
                after = tokens[position + 1] if position + 1 < len(tokens) else None
                if here.area is None:
                    continue
                if after is None or after.grade is None:
                    self.doc.not_found.append(f"Grade of {here.area.name} in the grid")
                    continue
                self.grid_judgment(here.area, after, here.line)
            return
        grade: Token | None = None
        for token in tokens:
            if token.grade is not None:
                grade = token
            elif token.area is not None and grade is not None:
                self.grid_judgment(token.area, grade, token.line)

    def grid_judgment(self, area: Area, grade: Token, line: int) -> None:
        assert grade.grade is not None
        if grade.grade.is_grade and not area.graded:
            self.warn(
                "unexpected_structure",
                f"the grid grades {area.name} ({grade.printed}), an area the framework does not "
                "grade; the grade is not imported",
                min(line, grade.line),
                max(line, grade.line),
            )
            return
        judgment = ParsedJudgment(
            area=area.id,
            level=area.level,
            grade=grade.grade.id,
            grade_as_printed=grade.printed,
            span=self.span(min(line, grade.line), max(line, grade.line)),
        )
        self.grid.setdefault(area.id, judgment)
        self.doc.judgments.append(judgment)
