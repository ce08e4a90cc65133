"""The PEEL 2021/22 and 2023–25 force report reader.

The four saved report openings are read from ../shared/examples/hmicfrs-2021-25/ and what each
test expects is found in their text by simple means (a regular expression for the counts, the
lines that are headings or grades). The other reports below are small synthetic ones written
for the test in the reports' layout (area name, then its grade; "Within three months, X should
make sure that:" and bullets); their sentences are made up, and what is expected is taken from
the data they are built from.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

from peelkit import Workspace
from peelkit.errors import DataFileError
from peelkit.frameworks import load_framework
from peelkit.reference import resolve_force
from peelkit.reportimport.detect import detect_reader
from peelkit.reportimport.importer import parse_file, parse_text
from peelkit.reportimport.model import ParsedDocument, ParsedFinding, ParsedJudgment
from peelkit.reportimport.readers import peel_2021_25
from peelkit.reportimport.text import SourceText
from peelkit.views.json import to_json

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
SAMPLES = SHARED / "examples" / "hmicfrs-2021-25"
REPORTS = sorted(SAMPLES.glob("*_report.txt"))
GLOSSARY = SAMPLES / "reference_hmicfrs_peel-2023-25-grade-definitions-and-glossary.txt"
OTHER_DOCUMENTS = [
    *sorted((SHARED / "reference-reports").glob("0*.txt")),
    *sorted((SHARED / "examples" / "hmicfrs-web-pages").glob("*.txt")),
    *sorted((SHARED / "examples" / "follow-up").glob("*.txt")),
]

# Read independently of the reader: numbers in words, the cycles as the reports spell them,
# the five grades.
NUMBERS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven")
WORDS = {word: value for value, word in enumerate(NUMBERS, start=1)}
CYCLES = {"2021/22": "peel-2021-22", "2023–2025": "peel-2023-25"}
GRADES = ("Outstanding", "Good", "Adequate", "Requires improvement", "Inadequate")


def count(printed: str) -> int:
    return int(printed) if printed.isdigit() else WORDS[printed.lower()]


@dataclass(frozen=True)
class Opening:
    """What a sample says, read with regular expressions and line tests."""

    lines: list[str]
    force: str
    framework: str
    areas: int
    graded: int
    of: int
    victim_line: int  # 1-based
    inspector_heading: int  # 1-based
    grade_lines: int  # lines that are a grade and nothing else
    afi_headings: int
    concern_headings: int


@cache
def opening(path: Path) -> Opening:
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    assessed = re.search(r"how good (.+?) is in (\w+) areas of policing", text)
    graded = re.search(r"graded judgments in (\w+) of these (\w+)", text)
    cycle = re.search(r"PEEL (?:Assessment Framework )?(2021/22|2023–2025)", text)
    assert assessed and graded and cycle, path.name
    return Opening(
        lines=lines,
        force=resolve_force(assessed[1]).id,
        framework=CYCLES[cycle[1]],
        areas=count(assessed[2]),
        graded=count(graded[1]),
        of=count(graded[2]),
        victim_line=next(i for i, x in enumerate(lines, 1) if "gives to victims of crime" in x),
        inspector_heading=next(i for i, x in enumerate(lines, 1) if x.startswith("HM Inspector")),
        grade_lines=sum(1 for x in lines if x.strip() in GRADES),
        afi_headings=sum(1 for x in lines if re.match(r"Areas? for improvement", x)),
        concern_headings=sum(1 for x in lines if re.match(r"Causes? of concern", x)),
    )


@cache
def sample(path: Path) -> ParsedDocument:
    return parse_file(path)


def of_kind(doc: ParsedDocument, kind: str) -> list[ParsedFinding]:
    return [f for f in doc.findings if f.kind == kind]


def boxes(doc: ParsedDocument) -> dict[str, ParsedJudgment]:
    return {j.area: j for j in doc.judgments if j.read_from == "box"}


# --- the samples -------------------------------------------------------------------------------


@pytest.mark.parametrize("path", REPORTS, ids=lambda p: p.name)
def test_sample_report_force_and_framework(path: Path) -> None:
    doc, said = sample(path), opening(path)
    assert (doc.force, doc.framework) == (said.force, said.framework)
    assert doc.period == load_framework(said.framework).period


@pytest.mark.parametrize("path", REPORTS, ids=lambda p: p.name)
def test_sample_report_states_its_counts_and_lacks_the_grid(path: Path) -> None:
    doc, said = sample(path), opening(path)
    assert said.grade_lines == 0  # the copies lack the grid (examples README)
    assert boxes(doc) == {}
    grid = [n for n in doc.not_found if n.startswith("The grid of graded judgments")]
    assert len(grid) == 1
    assert f"in {said.graded} of {said.of} areas ({said.areas} assessed)" in grid[0]
    assert not [w for w in doc.warnings if w.code == "judgment_count_mismatch"]
    # The counts are kept as data too, with the line that states them.
    assert doc.stated_counts is not None
    assert (doc.stated_counts.areas, doc.stated_counts.graded) == (said.areas, said.graded)
    assert doc.stated_counts.span is not None
    stating = said.lines[doc.stated_counts.span.line_start - 1]
    assert re.search(r"graded judgments in \w+ of these", stating), stating


@pytest.mark.parametrize("path", REPORTS, ids=lambda p: p.name)
def test_sample_report_victim_service_assessment_is_ungraded(path: Path) -> None:
    doc, said = sample(path), opening(path)
    victim = [j for j in doc.judgments if j.area == "victim-service-assessment"]
    assert len(victim) == 1
    judgment = victim[0]
    assert (judgment.grade, judgment.read_from) == ("ungraded", "sentence")
    assert judgment.span is not None and judgment.span.line_start == said.victim_line
    assert judgment.grade_as_printed is not None
    assert judgment.grade_as_printed in said.lines[said.victim_line - 1]
    area = load_framework(said.framework).area("victim-service-assessment")
    assert area.graded is False


@pytest.mark.parametrize("path", REPORTS, ids=lambda p: p.name)
def test_sample_report_hm_inspectors_text_is_read_and_its_cut_reported(path: Path) -> None:
    doc, said = sample(path), opening(path)
    heading = said.lines[said.inspector_heading - 1]
    first = said.lines[said.inspector_heading]  # the line after the heading
    found = [f for f in doc.findings if f.kind == "finding"]
    assert len(found) == 1
    assert (found[0].heading, found[0].text) == (heading, first)  # as printed, quotes too
    assert found[0].span is not None and found[0].span.line_start == said.inspector_heading + 1
    # the copy cuts the paragraph mid-word and marks the cut "[...]"
    assert said.lines[said.inspector_heading + 1] == "[...]"
    assert [w.code for w in doc.warnings if w.code == "text_cut"] == ["text_cut"]
    assert f"Rest of {heading} (in a missing stretch)" in doc.not_found


@pytest.mark.parametrize("path", REPORTS, ids=lambda p: p.name)
def test_sample_report_prints_no_area_section_and_no_findings(path: Path) -> None:
    doc, said = sample(path), opening(path)
    assert len(of_kind(doc, "area_for_improvement")) == said.afi_headings == 0
    assert len(of_kind(doc, "cause_of_concern")) == said.concern_headings == 0
    assert of_kind(doc, "recommendation") == []
    assert any(n.startswith("The sections on each area") for n in doc.not_found)


@pytest.mark.parametrize("path", REPORTS, ids=lambda p: p.name)
def test_sample_report_is_read_by_this_reader(path: Path) -> None:
    text = SourceText.from_string(path.read_text(encoding="utf-8"), filename=path.name)
    found = detect_reader(text)
    assert found is not None
    assert (found[0].name, found[1]) == ("peel-2021-25", opening(path).framework)


def test_sample_reports_import_end_to_end(
    database_url: str, open_workspace: Callable[[str], Workspace]
) -> None:
    workspace = open_workspace(database_url)
    for path in REPORTS:
        said = opening(path)
        _, result = workspace.import_report(path)
        inspection = to_json(workspace.inspection(result.inspections[0]))
        assert (inspection["force"], inspection["framework"]) == (said.force, said.framework)
        judgments = {j["area"]: j for j in inspection["judgments"]}
        assert judgments["victim-service-assessment"]["grade"] == "ungraded"
        assert judgments["victim-service-assessment"]["read_from"] == "sentence"
        assert [f["kind"] for f in inspection["findings"]] == ["finding"]
        # The document keeps the counts the report states: the grid is missing, they are not.
        [document] = [d for d in workspace.documents().values() if d.filename == path.name]
        assert document.stated_counts is not None
        assert (document.stated_counts["areas"], document.stated_counts["graded"]) == (
            said.areas,
            said.graded,
        )


def test_the_grade_definitions_page_is_refused_saying_what_it_is() -> None:
    with pytest.raises(DataFileError) as raised:
        parse_file(GLOSSARY)
    assert raised.value.code == "not_a_force_report"
    message = str(raised.value)
    assert "\n" not in message
    assert "grade definitions" in message and "not a force report" in message
    # even when the framework and force are given
    with pytest.raises(DataFileError) as again:
        parse_file(GLOSSARY, framework="peel-2023-25", force="Kent")
    assert again.value.code == "not_a_force_report"


@pytest.mark.parametrize("path", OTHER_DOCUMENTS, ids=lambda p: p.name)
def test_other_documents_are_not_of_this_family(path: Path) -> None:
    text = SourceText.from_string(path.read_text(encoding="utf-8"), filename=path.name)
    assert peel_2021_25.detect(text) is None


# --- synthetic reports in the reports' layout --------------------------------------------------

FORCE = "Kent Police"
GRID_2021 = [
    ("Engaging with and treating the public with fairness and respect", "Good"),
    ("Preventing crime and anti-social behaviour", "Outstanding"),
    ("Responding to the public", "Inadequate"),
    ("Investigating crime", "Requires improvement"),
    ("Protecting vulnerable people", "Adequate"),
    ("Managing offenders and suspects", "Adequate"),
    ("Building, supporting and protecting the workforce", "Good"),
    ("Strategic planning, organisational management and value for money", "Requires improvement"),
]
CONCERNS = [
    (
        "Responding to the public",
        "The force is too slow to answer the bells the public rings.",
        "Within three months",
        [
            "it answers every bell within ten seconds;",
            "it writes down each caller's risk; and",
            "supervisors check the unanswered bells every day.",
        ],
    ),
    (
        "Protecting vulnerable people",
        "The force does not check on people who live alone in lighthouses.",
        "Within six months",
        ["it lists every lighthouse keeper who lives alone.", "it visits each of them."],
    ),
]
AFIS = {
    "Responding to the public": [
        (
            "The force should tell callers what to expect",
            ["Callers are not told when a constable comes.", "Some are told twice."],
        ),
        ("The force needs to use its bell-tower data better.", ["The data are kept on slates."]),
    ],
    "Investigating crime": [
        (
            "The force should make sure its investigations are supervised.",
            ["Supervisors seldom read the files."],
        ),
    ],
}
PRACTICE = [
    (
        "Innovative practice",
        "The lantern ledger",
        ["The force lends lanterns to victims and notes each loan."],
    ),
    ("Promising practice", "Owl patrols", ["Owls watch the car parks at night."]),
]
INSPECTOR = "Ada Quill"


def words(n: int) -> str:
    return next(w for w, i in WORDS.items() if i == n)


def grid_lines(grid: list[tuple[str, str]], layout: str) -> list[str]:
    if layout == "area then grade":
        return [line for area, grade in grid for line in (area, grade)]
    if layout == "tabs":
        return ["Area\tGrade", *(f"{area}\t{grade}" for area, grade in grid)]
    if layout == "grades as columns":  # a table copied from the page: a column per grade
        rows = ["\t".join(GRADES)]
        for area, grade in grid:
            cells = ["" for _ in GRADES]
            cells[GRADES.index(grade)] = area
            rows.append("\t".join(cells))
        return rows
    if layout == "bars":
        return ["| Area | Grade |", "|---|---|", *(f"| {area} | {grade} |" for area, grade in grid)]
    if layout == "colon":
        return [f"{area}: {grade}" for area, grade in grid]
    if layout == "grade then areas":
        out = []
        for grade in GRADES:
            out.append(grade)
            out.extend(area for area, g in grid if g == grade)
        return out
    raise AssertionError(layout)


def report(
    *,
    grid: list[tuple[str, str]] | None = GRID_2021,
    layout: str = "area then grade",
    graded: int | None = None,
    sections: dict[str, str] | None = None,
    concerns: list[tuple[str, str, str, list[str]]] = CONCERNS,
    afis: dict[str, list[tuple[str, list[str]]]] = AFIS,
    numbered_afis: bool = False,
    practice: list[tuple[str, str, list[str]]] = PRACTICE,
    concerns_under_one_heading: bool = False,
) -> str:
    """A made-up 2021/22 report of Kent Police in the reports' layout."""
    n = len(grid) if grid is not None and graded is None else (graded or len(GRID_2021))
    lines = [
        "Skip to content",
        "PEEL 2021/22",
        f"An inspection of {FORCE}",
        "Published on: 3 March 2022",
        "Overall summary",
        "Our judgments",
        f"Our inspection assessed how good {FORCE} is in {words(n + 1)} areas of policing. We "
        f"make graded judgments in {words(n)} of these {words(n + 1)} as follows:",
        *(grid_lines(grid, layout) if grid is not None else []),
        f"We also inspected how effective a service {FORCE} gives to victims of crime. We "
        "don’t make a graded judgment in this overall area.",
        "Important changes to PEEL",
        "The lanterns were counted differently this year.",
        "HM Inspector’s observations",
        "The lanterns of the county are well kept and the teapots are warm.",
        "Its owls are counted every night.",
        INSPECTOR,
        "His Majesty’s Inspector of Constabulary",
        "Providing a service to the victims of crime",
        "The force keeps a ledger of every umbrella it lends.",
    ]
    section_grades = sections if sections is not None else dict(grid or [])
    areas = [a for a, _ in GRID_2021]
    first_concern = True
    for area in areas:
        lines.append(area)
        if area in section_grades:
            lines.append(section_grades[area])
        lines.append(f"{FORCE} keeps notes about {area.lower()}.")
        mine = [c for c in concerns if c[0] == area]
        for _, concern, deadline, recommendations in mine:
            if first_concern or not concerns_under_one_heading:
                lines.append("Cause of concern")
                first_concern = False
            lines.append(concern)
            lines.append("Recommendations")
            lines.append(f"{deadline}, {FORCE} should make sure that:")
            lines.extend(f"• {r}" for r in recommendations)
        if area in afis:
            if not numbered_afis:
                lines.append("Areas for improvement")
            for number, (heading, paragraphs) in enumerate(afis[area], start=1):
                if numbered_afis:
                    lines.append(f"Area for improvement {number}")
                lines.append(heading)
                lines.extend(paragraphs)
            lines.append("Main findings")
            lines.append("The narrative goes on about the lanterns.")
        if area == "Investigating crime":
            for label, title, paragraphs in practice:
                lines.extend([label, title, *paragraphs])
    return "\n".join(lines) + "\n"


def read(content: str, name: str = "kent_2021-22_report.txt") -> ParsedDocument:
    return parse_text(SourceText.from_string(content, filename=name))


def area_id(name: str) -> str:
    return load_framework("peel-2021-22").resolve_area(name).id


def grade_id(word: str) -> str:
    scale = load_framework("peel-2021-22").grade_scale
    assert scale is not None
    return scale.get(word).id


@pytest.mark.parametrize(
    "layout",
    ["area then grade", "tabs", "colon", "grade then areas", "grades as columns", "bars"],
)
def test_grid_is_read_in_the_layouts_copies_have(layout: str) -> None:
    content = report(layout=layout)
    doc = read(content)
    assert (doc.force, doc.framework) == ("kent", "peel-2021-22")
    expected = {area_id(a): grade_id(g) for a, g in GRID_2021}
    assert {a: j.grade for a, j in boxes(doc).items()} == expected
    lines = content.splitlines()
    for area, grade in GRID_2021:
        judgment = boxes(doc)[area_id(area)]
        assert judgment.span is not None
        printed = lines[judgment.span.line_start - 1 : judgment.span.line_end]
        assert any(area in line for line in printed)
        if layout == "grades as columns":  # the row is the span; its column names the grade
            (row,) = printed
            header = lines.index("\t".join(GRADES))
            assert lines[header].split("\t")[row.split("\t").index(area)] == grade
        else:
            assert any(grade in line for line in printed)
    assert not any(n.startswith("The grid of graded judgments") for n in doc.not_found)
    assert [w for w in doc.warnings if w.code != "duplicate_finding"] == []


def test_a_grid_whose_columns_were_lost_is_not_guessed() -> None:
    """The grades as column headings, then the areas one a line: which has which is lost."""
    lost = [*GRADES, *(area for area, _ in GRID_2021)]
    content = report(sections={}).replace(
        "\n".join(grid_lines(GRID_2021, "area then grade")), "\n".join(lost)
    )
    doc = read(content)
    assert boxes(doc) == {}
    assert [w.code for w in doc.warnings if w.code == "unexpected_structure"] == [
        "unexpected_structure"
    ]
    assert any("columns were lost" in n for n in doc.not_found)


def test_title_date_and_hm_inspector() -> None:
    doc = read(report())
    assert doc.title == f"PEEL 2021/22 – An inspection of {FORCE}"
    assert doc.published is not None and doc.published.isoformat() == "2022-03-03"
    assert doc.hm_inspector == INSPECTOR
    (observations,) = of_kind(doc, "finding")
    assert observations.heading == "HM Inspector’s observations"
    assert observations.sub_items == ["Its owls are counted every night."]


def test_a_stated_count_that_disagrees_with_the_grid_is_a_warning() -> None:
    stated = len(GRID_2021) - 1
    doc = read(report(graded=stated))
    assert len(boxes(doc)) == len(GRID_2021)  # every grade printed is kept
    (warning,) = [w for w in doc.warnings if w.code == "judgment_count_mismatch"]
    assert str(stated) in warning.message and str(len(GRID_2021)) in warning.message


def test_a_copy_without_the_grid_keeps_its_counts_and_says_the_grid_is_missing() -> None:
    doc = read(report(grid=None, sections={}))
    assert boxes(doc) == {}
    n = len(GRID_2021)
    (missing,) = [x for x in doc.not_found if x.startswith("The grid of graded judgments")]
    assert f"in {n} of {n + 1} areas" in missing
    # what is there is kept: the victim service assessment, the findings
    assert [j.area for j in doc.judgments] == ["victim-service-assessment"]
    assert of_kind(doc, "cause_of_concern")


def test_section_grades_fill_a_copy_without_the_grid() -> None:
    doc = read(report(grid=None, sections=dict(GRID_2021)))
    expected = {area_id(a): grade_id(g) for a, g in GRID_2021}
    assert {a: j.grade for a, j in boxes(doc).items()} == expected
    assert any(x.startswith("The grid of graded judgments") for x in doc.not_found)
    assert not [w for w in doc.warnings if w.code == "judgment_count_mismatch"]


def test_a_section_grade_that_disagrees_with_the_grid_warns_and_the_grid_wins() -> None:
    area, grid_grade = GRID_2021[2]
    sections = dict(GRID_2021) | {area: "Adequate"}
    doc = read(report(sections=sections))
    assert boxes(doc)[area_id(area)].grade == grade_id(grid_grade)
    (warning,) = [w for w in doc.warnings if w.code == "grade_mismatch"]
    assert area in warning.message


def test_a_grid_lacking_an_area_takes_its_sections_grade_with_a_warning() -> None:
    dropped = GRID_2021[3]
    grid = [row for row in GRID_2021 if row != dropped]
    doc = read(report(grid=grid, sections=dict(GRID_2021), graded=len(GRID_2021)))
    assert boxes(doc)[area_id(dropped[0])].grade == grade_id(dropped[1])
    assert [w.code for w in doc.warnings if w.code == "grade_missing_from_summary"] == [
        "grade_missing_from_summary"
    ]


def check_concerns(
    doc: ParsedDocument, printed: list[tuple[str, str, str, list[str]]] = CONCERNS
) -> None:
    concerns = of_kind(doc, "cause_of_concern")
    assert [(c.area, c.text) for c in concerns] == [(area_id(a), t) for a, t, _, _ in printed]
    for (_, _, deadline, recommendations), concern in zip(printed, concerns, strict=True):
        index = doc.findings.index(concern)
        linked = [f for f in of_kind(doc, "recommendation") if f.cause_of_concern == index]
        assert [f.text for f in linked] == recommendations
        assert {f.deadline for f in linked} == {deadline}
        assert {f.lead_in for f in linked} == {f"{deadline}, {FORCE} should make sure that:"}
        assert {f.area for f in linked} == {concern.area}
    expected = sum(len(c[3]) for c in printed)
    assert len(of_kind(doc, "recommendation")) == expected
    assert not [n for n in doc.not_found if n.startswith("Recommendations of")]


def test_causes_of_concern_with_their_recommendations() -> None:
    check_concerns(read(report()))


def test_causes_of_concern_listed_under_one_heading() -> None:
    """Two concerns of one area after one "Causes of concern" heading, each with its own
    recommendations."""
    area = CONCERNS[0][0]
    both = [(area, text, deadline, recs) for _, text, deadline, recs in CONCERNS]
    content = report(concerns=both, concerns_under_one_heading=True)
    assert content.count("Cause of concern") == 1
    check_concerns(read(content), both)


def test_a_cause_of_concern_without_recommendations_is_not_found() -> None:
    content = report().replace("Recommendations\nWithin three months", "Within three months")
    lines = content.splitlines()
    start = lines.index("Within three months, Kent Police should make sure that:")
    del lines[start : start + 4]
    doc = read("\n".join(lines))
    assert any(n.startswith("Recommendations of the cause of concern") for n in doc.not_found)


@pytest.mark.parametrize("numbered", [False, True])
def test_areas_for_improvement_are_heading_sentences_with_their_paragraphs(numbered: bool) -> None:
    doc = read(report(numbered_afis=numbered))
    found = of_kind(doc, "area_for_improvement")
    expected = [
        (area_id(area), heading, paragraphs)
        for area, items in AFIS.items()
        for heading, paragraphs in items
    ]
    assert [(f.area, f.text, f.sub_items) for f in found] == expected
    if numbered:
        labels = [
            f"Area for improvement {i}" for items in AFIS.values() for i in range(1, len(items) + 1)
        ]
        assert [f.heading for f in found] == labels


def test_innovative_and_promising_practice() -> None:
    doc = read(report())
    found = of_kind(doc, "good_practice")
    assert [(f.heading, f.text, f.sub_items) for f in found] == [
        (label, title, paragraphs) for label, title, paragraphs in PRACTICE
    ]


def test_a_pdf_like_text_reads_as_the_page_does() -> None:
    """Paragraphs wrapped over lines, a running header and page numbers between them."""
    page = report()
    wrapped: list[str] = []
    for number, line in enumerate(page.splitlines(), start=1):
        words_ = line.split(" ")
        if len(words_) > 8 and not line.startswith("•"):
            cut = len(words_) // 2
            while cut < len(words_) and not words_[cut][:1].islower():
                cut += 1  # wrap before a word in lower case, as most wraps are
            wrapped.extend(
                [" ".join(words_[:cut]), " ".join(words_[cut:])] if cut < len(words_) else [line]
            )
        else:
            wrapped.append(line)
        if number % 15 == 0:
            wrapped.extend(["", str(number // 15), "PEEL 2021/22 – Kent Police", ""])
    doc, web = read("\n".join(wrapped)), read(page)

    def content(d: ParsedDocument) -> list[tuple[str, str | None, str, list[str]]]:
        return [(f.kind, f.area, f.text, f.sub_items) for f in d.findings]

    assert content(doc) == content(web)
    assert {a: j.grade for a, j in boxes(doc).items()} == {
        a: j.grade for a, j in boxes(web).items()
    }


def test_pdf_page_heads_and_feet_are_skipped() -> None:
    """A footer with the page's number in a cell of its own, and a running header, on the
    pages of a PDF's text, inside the findings."""
    lines = report().splitlines()
    pages: list[int] = []
    out: list[str] = []
    page = 1
    for number, line in enumerate(lines, start=1):
        out.append(line)
        pages.append(page)
        if number % 7 == 0:
            out.extend([f"A report on lanterns\t\t{page}", "PEEL – Kent Police"])
            pages.extend([page, page + 1])
            page += 1
    text = SourceText(lines=out, sha256="0" * 64, filename="kent.pdf", pages=pages)
    doc, web = parse_text(text), read(report())
    assert [(f.kind, f.text, f.sub_items) for f in doc.findings] == [
        (f.kind, f.text, f.sub_items) for f in web.findings
    ]
    assert {a: j.grade for a, j in boxes(doc).items()} == {
        a: j.grade for a, j in boxes(web).items()
    }


def test_import_links_recommendations_to_their_concern(
    tmp_path: Path, database_url: str, open_workspace: Callable[[str], Workspace]
) -> None:
    path = tmp_path / "kent_2021-22_report.txt"
    path.write_text(report(), encoding="utf-8")
    workspace = open_workspace(database_url)
    _, result = workspace.import_report(path)
    inspection = to_json(workspace.inspection(result.inspections[0]))
    concerns = {
        f["id"]: f["text"] for f in inspection["findings"] if f["kind"] == "cause_of_concern"
    }
    linked = {
        f["text"]: concerns[f["cause_of_concern"]]
        for f in inspection["findings"]
        if f["kind"] == "recommendation"
    }
    assert linked == {r: concern for _, concern, _, recs in CONCERNS for r in recs}
    grades = {j["area"]: j["grade"] for j in inspection["judgments"]}
    assert grades == {area_id(a): grade_id(g) for a, g in GRID_2021} | {
        "victim-service-assessment": "ungraded"
    }
    assert inspection["hm_inspector"] == INSPECTOR


def test_the_2023_25_cycle_is_told_by_its_spelling() -> None:
    content = report().replace("PEEL 2021/22", "PEEL 2023–2025")
    content = content.replace(
        "Engaging with and treating the public with fairness and respect",
        "Police powers and public treatment",
    ).replace(
        "Strategic planning, organisational management and value for money",
        "Leadership and force management",
    )
    doc = read(content)
    assert doc.framework == "peel-2023-25"
    framework = load_framework("peel-2023-25")
    assert framework.find_area("Police powers and public treatment") is not None
    assert "police-powers-and-public-treatment" in boxes(doc)
    assert "leadership-and-force-management" in boxes(doc)
