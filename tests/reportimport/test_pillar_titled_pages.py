"""Pages republished elsewhere (a police and crime commissioner's site) under HMIC's title of
the pillar's publication, "PEEL: Police legitimacy 2016": no "<force> PEEL <year>" title, no
pillar question line, no "Last updated" line; the force is named only in the text (issue 12).

Each variant is made here from a saved page of the shared examples folder, as such a site
prints it: the page's head up to its pillar question dropped, the pillar title put in its
place (and in place of every copy of the page's title line), the "Last updated" line removed.
The variant must import to the same grades and findings as the original page does; what told
the force, framework and pillar is read from the variant's own lines. A variant whose force
cannot be told (named by none of its sentences, or two forces named as often) is refused in one
line that says what was missing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from peelkit import Workspace
from peelkit.errors import DataFileError
from peelkit.frameworks import load_framework
from peelkit.reference import resolve_force
from peelkit.reportimport.importer import parse_file, parse_text
from peelkit.reportimport.model import ParsedDocument
from peelkit.reportimport.text import SourceText

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
PAGES = SHARED / "examples" / "hmicfrs-web-pages"
SAMPLES = sorted(PAGES.glob("*.txt"))
TITLE = re.compile(r"^(?P<force>[A-Z][\w ]*?) PEEL (?P<year>\d{4})$")


def original_title(path: Path) -> re.Match[str]:
    found = [
        m for line in path.read_text(encoding="utf-8").splitlines() if (m := TITLE.match(line))
    ]
    assert found, path.name
    return found[0]


def pillar_of(path: Path) -> str:
    return path.stem.split("_")[-1]  # the file names end with the pillar


def republished(path: Path, title: str | None = None) -> list[str]:
    """The page as a PCC's site prints it: its lines from after its pillar question, with the
    pillar title at the top and in place of the page's title line, no "Last updated"."""
    lines = path.read_text(encoding="utf-8").splitlines()
    heading = title or f"PEEL: Police {pillar_of(path)} {original_title(path)['year']}"
    question = next(i for i, line in enumerate(lines) if line.strip().endswith("?"))
    kept = [
        heading if TITLE.match(line.strip()) else line
        for line in lines[question + 1 :]
        if not line.startswith("Last updated")
    ]
    return [heading, *kept]


def text_of(lines: list[str], name: str = "republished.txt") -> SourceText:
    return SourceText.from_string("\n".join(lines) + "\n", filename=name)


def grades(doc: ParsedDocument) -> list[tuple[object, ...]]:
    return sorted(
        (
            j.area,
            j.grade,
            j.grade_as_printed,
            j.read_from,
            j.carried_over,
            j.year_last_inspected,
            j.previous_grade,
        )
        for j in doc.judgments
    )


def findings(doc: ParsedDocument) -> list[tuple[object, ...]]:
    return [(f.kind, f.area, f.text, f.lead_in, tuple(f.sub_items)) for f in doc.findings]


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_a_republished_page_imports_like_the_original(path: Path) -> None:
    lines = republished(path)
    assert not any(TITLE.match(line) or line.startswith("Last updated") for line in lines)
    assert not any(line.strip().endswith("reducing crime?") for line in lines[:3])
    original = parse_file(path)
    doc = parse_text(text_of(lines))
    assert doc.force == resolve_force(original_title(path)["force"]).id
    assert doc.framework == f"peel-{original_title(path)['year']}"
    assert grades(doc) == grades(original) and doc.judgments
    assert findings(doc) == findings(original)
    # the variant lacks its date, and says so; it lacks nothing else the original has
    assert set(doc.not_found) - set(original.not_found) == {"Last updated date"}
    assert doc.title == lines[0]


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_what_told_the_framework_pillar_and_force(path: Path) -> None:
    lines = republished(path)
    doc = parse_text(text_of(lines))
    decided = {(s.decides, s.signal): s for s in doc.detected_by}
    for decides in ("family", "framework", "pillar"):
        signal = decided[(decides, "title_line")]
        assert (signal.evidence, signal.line) == (lines[0], 1)
    assert decided[("pillar", "title_line")].value == pillar_of(path)
    assert decided[("framework", "title_line")].value == doc.framework
    force = next(s for s in doc.detected_by if s.decides == "force")
    assert (force.value, force.signal) == (doc.force, "grade_sentence")
    # the evidence is a sentence of the variant, on the line given, that names the force and
    # states a grade
    assert force.line is not None and force.evidence is not None
    printed = lines[force.line - 1].replace("\u00a0", " ").replace("’", "'").replace("‘", "'")
    assert force.evidence in " ".join(printed.split())
    names = resolve_force(doc.force)
    assert names.name in force.evidence
    words = load_framework(doc.framework).grade_scale
    assert words is not None
    assert any(
        re.search(rf"\b{re.escape(w)}\b", force.evidence, re.I)
        for value in words.grades
        for w in (value.label, *value.aliases, "requiring improvement")
    )


def test_a_title_that_names_the_force() -> None:
    path = PAGES / "essex_2016_legitimacy.txt"
    lines = republished(path, "PEEL: police legitimacy 2016 – Essex Police")
    doc = parse_text(text_of(lines))
    force = next(s for s in doc.detected_by if s.decides == "force")
    assert (doc.force, force.signal, force.line) == ("essex", "title_line", 1)
    assert grades(doc) == grades(parse_file(path))


def test_the_force_of_the_first_paragraph_when_no_grade_sentence_names_one() -> None:
    path = PAGES / "essex_2016_legitimacy.txt"
    lines = [line.replace("Essex Police", "The force") for line in republished(path)]
    box = next(n for n, line in enumerate(lines, 1) if line == "Good")
    # a made-up first paragraph that names the force and states no grade
    lines.insert(box, "This page of Essex Police was republished by its commissioner's office.")
    doc = parse_text(text_of(lines))
    force = next(s for s in doc.detected_by if s.decides == "force")
    assert (doc.force, force.signal, force.line) == ("essex", "first_paragraph", box + 1)


def test_a_page_that_names_no_force_is_refused_saying_so() -> None:
    path = PAGES / "essex_2016_legitimacy.txt"
    lines = [line.replace("Essex Police", "The force") for line in republished(path)]
    assert not any("Essex" in line for line in lines)
    with pytest.raises(DataFileError) as error:
        parse_text(text_of(lines))
    message = str(error.value)
    assert error.value.code == "force_not_detected"
    assert "\n" not in message
    assert '"PEEL: Police legitimacy 2016" names no force' in message
    assert "grade sentences" in message and "--force" in message
    # said with --force, it imports like the original
    doc = parse_text(text_of(lines), force="Essex")
    assert grades(doc) == grades(parse_file(path))


def test_a_page_that_names_two_forces_equally_is_refused_naming_both() -> None:
    path = PAGES / "essex_2016_legitimacy.txt"
    lines = [
        line.replace("Essex Police", "Essex Police and Kent Police") for line in republished(path)
    ]
    with pytest.raises(DataFileError) as error:
        parse_text(text_of(lines))
    message = str(error.value)
    assert error.value.code == "force_not_detected"
    assert "\n" not in message
    assert "Essex Police and Kent Police equally" in message


def test_a_pillar_the_year_has_not_is_not_taken_for_a_page() -> None:
    path = PAGES / "kent_peel-2017_effectiveness.txt"
    lines = republished(path, "PEEL: Police leadership 2017")  # 2017 graded no leadership
    with pytest.raises(DataFileError) as error:
        parse_text(text_of(lines))
    assert error.value.code == "unknown_report"
    assert "PEEL: Police leadership 2017" in str(error.value)


def test_a_republished_page_is_stored(
    tmp_path: Path, open_workspace: Callable[[str], Workspace]
) -> None:
    path = PAGES / "cleveland_2017_legitimacy.txt"
    file = tmp_path / "cleveland_pcc.txt"
    file.write_text("\n".join(republished(path)) + "\n", encoding="utf-8")
    workspace = open_workspace(f"sqlite:///{tmp_path / 'pcc.sqlite'}")
    _, result = workspace.import_report(file)
    inspection = workspace.inspection(result.inspections[0])
    assert (inspection.force, inspection.framework) == ("cleveland", "peel-2017")
    assert len(inspection.findings) == len(parse_file(path).findings)
    stored = sorted((j.area, j.grade, j.read_from) for j in inspection.judgments)
    assert stored == sorted((g[0], g[1], g[3]) for g in grades(parse_file(path)))
