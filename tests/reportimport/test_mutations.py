"""Mutated reports and run-together texts (issue 15).

A small generator changes each of the five reference reports the ways a damaged copy is
changed: a line of its structure dropped (a grade line, a section heading), a section
duplicated, two grades swapped, the text cut short. Each mutation must either be refused,
leave what is read unchanged, or say what changed (a new warning or a "not found"): never a
silent change to the record. Where mutation sites come from, the original's parse says
(the lines of its judgments, findings and headings); the expectations do not.

What the generator does not do, on purpose: drop the one line of a one-line bullet or table
row. That item is gone without trace (no report prints how many findings it has), so no
reader can tell; the record is then short of one item, not wrong about any.

The importer is linear in its input: the 2005 report twice took 528 s (its national tables
are its last pages, and every later line was read as a table row, ranking spelling
suggestions for each), the 2005 report followed by the 2018/19 one 266 s.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from peelkit import Workspace, names
from peelkit.errors import PeelkitError
from peelkit.frameworks import load_framework
from peelkit.reportimport.importer import parse_text
from peelkit.reportimport.model import ParsedDocument
from peelkit.reportimport.readers.baseline_2005_national import read_national_tables
from peelkit.reportimport.text import SourceText

BASELINE = "004_8971e4e9a7c1f0c8.txt"
CORE_BUSINESS = "003_02b487485919232c.txt"
PEEL_2015 = "002_b3b722981796a923.txt"
PEEL_2016 = "000_033c6fd077a275c5.txt"
PEEL_2018_19 = "001_2e8c9026aad1a9d7.txt"
REPORTS = (BASELINE, CORE_BUSINESS, PEEL_2015, PEEL_2016, PEEL_2018_19)

# The headings that open a report's lists of findings, as the five reports print them
# ("Areas for improvement", "#### Areas for improvement", "<b>Strengths</b>").
_FINDINGS_HEADING = re.compile(
    r"^\s*#*\s*(?:\*\*|<b>)?\s*(?:Areas? for [Ii]mprovement|Strengths|Causes? of concern"
    r"|Recommendations?)\s*(?:\*\*|</b>)?\s*$"
)

Mutation = tuple[str, list[str]]


def _parse(lines: list[str], name: str) -> ParsedDocument:
    return parse_text(SourceText.from_string("\n".join(lines), name))


def _structure(parsed: ParsedDocument) -> tuple[Any, ...]:
    """What a mutation must not change silently: judgments and their grades, how many findings
    of each kind per area, the figures and the performance rows."""
    return (
        sorted(
            (j.force or parsed.force, j.area, j.grade or "", j.direction or "")
            for j in parsed.judgments
        ),
        sorted(Counter((f.kind, f.area or "") for f in parsed.findings).items()),
        sorted((f.measure, f.period or "", f.force_value_as_printed or "") for f in parsed.figures),
        sorted((r.area, r.indicator, r.current.printed) for r in parsed.performance_table),
    )


def _said(original: ParsedDocument, mutated: ParsedDocument) -> bool:
    before = Counter((w.code, w.message) for w in original.warnings)
    after = Counter((w.code, w.message) for w in mutated.warnings)
    return bool(after - before) or bool(set(mutated.not_found) - set(original.not_found))


def _spread(items: list[Any], count: int) -> list[Any]:
    """``count`` items spread over the list (first, last and between)."""
    if len(items) <= count:
        return items
    step = (len(items) - 1) / (count - 1)
    return [items[round(i * step)] for i in range(count)]


def mutations(lines: list[str], parsed: ParsedDocument) -> Iterator[Mutation]:
    """The ways a copy of a report gets damaged, sites chosen from the original's parse."""
    n = len(lines)
    for share in (0.3, 0.6, 0.9):
        yield f"cut short at {share:.0%} (line {int(n * share)})", lines[: int(n * share)]
    own = [j for j in parsed.judgments if j.span and j.force in (None, parsed.force)]
    for line in _spread(sorted({j.span.line_start for j in own if j.span}), 4):
        yield f"grade line {line} dropped", lines[: line - 1] + lines[line:]
    headings = [i + 1 for i, text in enumerate(lines) if _FINDINGS_HEADING.match(text)]
    for line in _spread(headings, 4):
        yield (
            f"heading line {line} ({lines[line - 1].strip()}) dropped",
            lines[: line - 1] + lines[line:],
        )
    sections: dict[tuple[str, str | None], tuple[int, int]] = {}
    for finding in parsed.findings:
        if finding.span is None:
            continue
        first, last = sections.get(
            (finding.kind, finding.area), (finding.span.line_start, finding.span.line_end)
        )
        sections[(finding.kind, finding.area)] = (
            min(first, finding.span.line_start),
            max(last, finding.span.line_end),
        )
    for (kind, area), (first, last) in _spread(sorted(sections.items(), key=lambda s: s[1]), 3):
        yield (
            f"section of {kind} of {area} (lines {first}-{last}) duplicated",
            lines[:last] + lines[first - 1 : last] + lines[last:],
        )
    swapped = 0
    for i, left in enumerate(own):
        right = next(
            (
                j
                for j in own[i + 1 :]
                if j.grade_as_printed
                and left.grade_as_printed
                and j.grade_as_printed != left.grade_as_printed
            ),
            None,
        )
        if right is None or swapped == 2 or left.span is None or right.span is None:
            continue
        a, b = left.span.line_start - 1, right.span.line_start - 1
        words = (left.grade_as_printed or "", right.grade_as_printed or "")
        if a == b or words[0] not in lines[a] or words[1] not in lines[b]:
            continue
        mutated = list(lines)
        mutated[a] = lines[a].replace(words[0], words[1], 1)
        mutated[b] = lines[b].replace(words[1], words[0], 1)
        swapped += 1
        yield (
            f"grades of {left.area} ({words[0]}, line {a + 1}) and {right.area} ({words[1]}, "
            f"line {b + 1}) swapped",
            mutated,
        )


@pytest.fixture(scope="module")
def originals(reference_reports: Path) -> dict[str, tuple[list[str], ParsedDocument]]:
    found = {}
    for name in REPORTS:
        lines = (reference_reports / name).read_text(encoding="utf-8").splitlines()
        found[name] = (lines, _parse(lines, name))
    return found


@pytest.mark.parametrize("name", REPORTS)
def test_every_mutation_warns_or_refuses(
    originals: dict[str, tuple[list[str], ParsedDocument]], name: str
) -> None:
    lines, original = originals[name]
    silent = []
    outcomes: Counter[str] = Counter()
    for label, mutated in mutations(lines, original):
        try:
            parsed = _parse(mutated, name)
        except PeelkitError:
            outcomes["refused"] += 1
            continue
        if _structure(parsed) == _structure(original):
            outcomes["unchanged"] += 1
        elif _said(original, parsed):
            outcomes["warned"] += 1
        else:
            silent.append(label)
    assert silent == []
    assert outcomes["warned"] + outcomes["refused"] >= 5, outcomes  # the generator bites


def test_a_duplicated_section_names_both_copies(
    originals: dict[str, tuple[list[str], ParsedDocument]],
) -> None:
    """The hostile case: a duplicated section gave 129 duplicated findings, no warning."""
    lines, original = originals[PEEL_2018_19]
    # Lines 263-268 of the 2018/19 report: "#### Areas for improvement" and its four bullets
    # under Investigating crime (read from the text).
    assert lines[262] == "#### Areas for improvement"
    mutated = lines[:268] + lines[262:268] + lines[268:]
    parsed = _parse(mutated, PEEL_2018_19)
    twice = [w for w in parsed.warnings if w.code == "duplicate_finding"]
    assert len(parsed.findings) == len(original.findings) + 4  # both kept, as printed
    assert [(w.span.line_start if w.span else None) for w in twice] == [271, 272, 273, 274]
    assert twice[0].message == (
        "the same area for improvement is printed twice, on lines 265 and 271 "
        '("The force needs to ensure staff are provided..."); both are kept'
    )


def test_a_dropped_heading_of_findings_is_said(
    originals: dict[str, tuple[list[str], ParsedDocument]],
) -> None:
    lines, _ = originals[PEEL_2016]
    assert lines[440] == "Areas for improvement"  # line 441, under Preventing crime
    parsed = _parse(lines[:440] + lines[441:], PEEL_2016)
    [warning] = [w for w in parsed.warnings if w.code == "unexpected_structure"]
    assert warning.message == (
        "3 bullets in the summary of findings of 'Preventing crime and tackling anti-social "
        'behaviour\' under no heading (an "Areas for improvement" or "Recommendations" line '
        "missing?); not read"
    )


def test_a_dropped_figure_value_is_said_not_paired_with_the_next(
    originals: dict[str, tuple[list[str], ParsedDocument]],
) -> None:
    """Dropping a value of the 2016 "Force in numbers" paired every later value with the
    figure before (a span that ended before it started: the store refused it, naming no
    file)."""
    lines, original = originals[PEEL_2016]
    assert lines[92] == "138"  # line 93: the Met's calls for assistance per 1,000
    parsed = _parse(lines[:92] + lines[93:], PEEL_2016)
    assert all(f.span and f.span.line_end >= f.span.line_start for f in parsed.figures)
    [warning] = [w for w in parsed.warnings if w.code == "unexpected_structure"]
    assert warning.message.startswith(
        'Force in numbers: "Calls for assistance per 1,000 population 12 months to 30 June '
        '2016" has 2 of 2 labels and 1 of 2 values'
    )
    by_measure = {(f.measure, f.period): f for f in parsed.figures}
    crimes = by_measure[("Crimes recorded per 1,000 population", "12 months to 30 June 2016")]
    assert (crimes.force_value_as_printed, crimes.comparator_value_as_printed) == ("86", "68")
    assert len(parsed.figures) == len(original.figures) - 1


def test_a_mutated_copy_imported_after_the_original_is_said(
    reference_reports: Path,
    tmp_path: Path,
    database_url: str,
    open_workspace: Callable[[str], Workspace],
    originals: dict[str, tuple[list[str], ParsedDocument]],
) -> None:
    """A second, different text of an inspection's report adds its items beside the first's:
    the result says so (it is not a copy: its text differs)."""
    lines, _ = originals[PEEL_2015]
    workspace = open_workspace(database_url)
    _, first = workspace.import_report(reference_reports / PEEL_2015)
    edited = tmp_path / "peel-2015-edited.txt"
    edited.write_text("\n".join(lines[:-20]), encoding="utf-8")
    _, second = workspace.import_report(edited)
    assert not second.already_imported
    assert second.inspections == first.inspections
    assert any(
        f"already holds its report, document {first.document_id} ({PEEL_2015})" in w
        for w in second.warnings
    )


# --- bounded work ---------------------------------------------------------------------------


def test_the_2005_national_tables_end_where_the_prose_starts(
    originals: dict[str, tuple[list[str], ParsedDocument]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The quadratic step, on a small input: the national tables followed by 200 long lines
    of prose. Each prose line was read as a table row naming an unknown area, and ranked
    spelling suggestions (a fuzzy match against every area's spellings, slow on long lines):
    minutes. Now the table ends at the first line that is not tab-separated, and no
    suggestion is ranked."""
    lines, _ = originals[BASELINE]
    start = lines.index("HMIC BASELINE ASSESSMENT 2005")
    prose = " ".join(["The force has improved the way it investigates volume crime."] * 10)
    text = SourceText.from_string("\n".join([*lines[start:], *[prose] * 200]), "tables.txt")
    calls = Counter[str]()
    similarity = names.similarity

    def counted(query: str, candidate: str) -> float:
        calls["similarity"] += 1
        result: float = similarity(query, candidate)
        return result

    monkeypatch.setattr(names, "similarity", counted)
    started = time.perf_counter()
    tables = read_national_tables(text, load_framework("baseline-2005"))
    elapsed = time.perf_counter() - started
    assert calls["similarity"] == 0
    assert [w for w in tables.warnings if w.code == "unknown_area"] == []
    assert len(tables.forces) == 43 and len(tables.areas) == 27
    assert elapsed < 20  # coarse: it takes well under a second


@pytest.mark.parametrize(
    ("first", "second"),
    [(BASELINE, BASELINE), (BASELINE, PEEL_2018_19), (PEEL_2016, PEEL_2016)],
)
def test_texts_run_together_parse_in_linear_time(
    originals: dict[str, tuple[list[str], ParsedDocument]], first: str, second: str
) -> None:
    """A coarse bound: about a second each when linear (528 s and 266 s before)."""
    lines = originals[first][0] + originals[second][0]
    started = time.perf_counter()
    parsed = _parse(lines, f"{first}+{second}")
    assert time.perf_counter() - started < 20
    # The first report is read as itself; what follows it changes none of its judgments.
    assert _structure(parsed)[0] == _structure(originals[first][1])[0]
