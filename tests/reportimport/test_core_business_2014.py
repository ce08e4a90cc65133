"""The Core business 2014 reader on the reference letter.

Counts are those of the domain notes (§7, §11.24); the rest is read from the letter here by
simple means (headings, leading spaces, "The inspection team" openings).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest

from peelkit.names import fold
from peelkit.reportimport.model import ParsedDocument, ParsedFinding
from peelkit.reportimport.readers import core_business_2014
from peelkit.reportimport.text import SourceText, normalise_space

REPORTS = Path(__file__).resolve().parents[2].parent / "shared" / "reference-reports"
LETTER = "003_02b487485919232c.txt"
OTHERS = (
    "000_033c6fd077a275c5.txt",
    "001_2e8c9026aad1a9d7.txt",
    "002_b3b722981796a923.txt",
    "004_8971e4e9a7c1f0c8.txt",
)
FORCE = "metropolitan"
SECTIONS = {  # section id: (heading, key findings, paragraphs), notes §7
    "preventing-crime": ("Preventing crime", 4, 7),
    "crime-recording-and-attendance": ("Crime recording and attendance", 7, 12),
    "freeing-up-time": ("Freeing up time", 4, 8),
}


def source(name: str) -> SourceText:
    path = REPORTS / name
    return SourceText.from_string(path.read_text(encoding="utf-8"), filename=path.name)


@pytest.fixture(scope="module")
def letter() -> SourceText:
    return source(LETTER)


@pytest.fixture(scope="module")
def doc(letter: SourceText) -> ParsedDocument:
    return core_business_2014.read(letter, "core-business-2014", FORCE)


def is_evidence(text: str) -> bool:
    return fold(text).startswith("the inspection team")


def section_lines(letter: SourceText, section: str) -> range:
    """The lines of a section, from its heading to the next heading or the sign-off."""
    headings = [letter.find(f"^{heading}$") for heading, _, _ in SECTIONS.values()]
    sign_off = letter.find("^Yours sincerely")
    start = letter.find(f"^{SECTIONS[section][0]}$")
    assert start is not None and sign_off is not None
    end = min([h for h in headings if h and h > start] + [sign_off])
    return range(start + 1, end)


def finding_at(doc: ParsedDocument, line: int) -> ParsedFinding:
    return next(f for f in doc.findings if f.span and f.span.line_start == line)


def test_detects_the_letter(letter: SourceText) -> None:
    assert core_business_2014.detect(letter) == "core-business-2014"


@pytest.mark.parametrize("name", OTHERS)
def test_does_not_detect_the_other_reports(name: str) -> None:
    assert core_business_2014.detect(source(name)) is None


def test_letterhead(doc: ParsedDocument) -> None:
    assert doc.published == dt.date(2014, 9, 3)
    assert doc.hm_inspector == "Stephen Otter"
    assert doc.force == FORCE and doc.framework == "core-business-2014"
    assert doc.title is not None and doc.title.startswith("Core business: ")
    assert doc.judgments == []  # an ungraded inspection
    assert doc.not_found == []


def test_key_findings_per_section(doc: ParsedDocument) -> None:
    counts = Counter(f.area for f in doc.findings)
    assert counts == {section: kf for section, (_, kf, _) in SECTIONS.items()}
    assert {f.kind for f in doc.findings} == {"finding"}
    for finding in doc.findings:
        assert finding.area is not None
        assert finding.heading == SECTIONS[finding.area][0]


def test_key_findings_and_evidence_account_for_every_paragraph(
    doc: ParsedDocument, letter: SourceText
) -> None:
    fused = {w.span.line_start for w in doc.warnings if w.code == "fused_paragraph" and w.span}
    for section, (_, _, paragraphs) in SECTIONS.items():
        findings = [f for f in doc.findings if f.area == section]
        evidence = {item for f in findings for item in f.sub_items}
        in_fused = sum(1 for f in findings if f.span and f.span.line_start in fused)
        assert len(findings) + len(evidence) - in_fused == paragraphs, section
        # Evidence is never taken for a key finding.
        assert not any(is_evidence(f.text) for f in findings)
        assert all(is_evidence(item) for item in evidence)
        # And every paragraph opening "The inspection team" is somebody's evidence.
        printed = {
            normalise_space(letter.line(n))
            for n in section_lines(letter, section)
            if is_evidence(letter.line(n))
        }
        assert printed <= evidence


def test_bulleted_key_finding_is_the_bullet_line(doc: ParsedDocument, letter: SourceText) -> None:
    bullet = next(
        n for n in section_lines(letter, "preventing-crime") if letter.line(n).startswith("•")
    )
    finding = finding_at(doc, bullet)
    assert finding.text == normalise_space(letter.line(bullet).lstrip("•"))
    assert finding.sub_items and finding.span is not None and finding.span.line_end > bullet


def test_hard_wrapped_key_findings_are_whole(doc: ParsedDocument, letter: SourceText) -> None:
    lines = section_lines(letter, "preventing-crime")
    wrapped_starts = [
        n
        for n in lines
        if letter.line(n).strip() and letter.line(n + 1).strip() and not letter.line(n - 1).strip()
    ]
    assert len(wrapped_starts) == 2  # notes §7: two hard-wrapped, unmarked key findings
    for start in wrapped_starts:
        end = start
        while letter.line(end + 1).strip():
            end += 1
        finding = finding_at(doc, start)
        assert finding.text.endswith(letter.line(end).strip())
        assert finding.text.startswith(letter.line(start).strip())
        assert "\n" not in finding.text and "  " not in finding.text


def test_fused_key_finding_is_split_from_its_evidence(
    doc: ParsedDocument, letter: SourceText
) -> None:
    lines = section_lines(letter, "crime-recording-and-attendance")
    fused = [
        n
        for n in lines
        if ". the inspection team found" in letter.line(n).lower()
        and not is_evidence(letter.line(n))
    ]
    assert len(fused) == 1
    finding = finding_at(doc, fused[0])
    assert ". the inspection team found" not in finding.text.lower()
    assert len(finding.sub_items) == 1 and is_evidence(finding.sub_items[0])
    assert f"{finding.text} {finding.sub_items[0]}" == normalise_space(letter.line(fused[0]))
    assert [w.code for w in doc.warnings] == ["fused_paragraph"]


def test_two_key_findings_share_one_evidence_paragraph(
    doc: ParsedDocument, letter: SourceText
) -> None:
    lines = section_lines(letter, "crime-recording-and-attendance")
    pair = [
        n for n in lines if letter.line(n).startswith(" ") and letter.line(n + 1).startswith(" ")
    ]
    assert len(pair) == 1  # two marked key findings on consecutive lines
    first, second = finding_at(doc, pair[0]), finding_at(doc, pair[0] + 1)
    shared = next(n for n in range(pair[0] + 2, pair[0] + 5) if letter.line(n).strip())
    assert first.sub_items == second.sub_items == [normalise_space(letter.line(shared))]
    assert first.text == normalise_space(letter.line(pair[0]))


def test_truncated_letter_lists_what_is_missing(letter: SourceText) -> None:
    truncated = SourceText.from_string("\n".join(letter.lines[: len(letter.lines) * 4 // 10]))
    doc = core_business_2014.read(truncated, "core-business-2014", FORCE)
    assert doc.not_found
    assert any("Freeing up time" in item for item in doc.not_found)


@pytest.mark.parametrize("content", ["", "\x00\x01garbage\n", "Preventing crime\n"])
def test_odd_input_does_not_crash(content: str) -> None:
    doc = core_business_2014.read(SourceText.from_string(content), "core-business-2014", FORCE)
    assert doc.not_found
    assert core_business_2014.detect(SourceText.from_string(content)) is None


@pytest.mark.parametrize("line", ["Contents ................................ 3", "Back to top"])
def test_a_furniture_line_before_an_evidence_paragraph_is_skipped(
    letter: SourceText, doc: ParsedDocument, line: str
) -> None:
    """A line of page furniture printed right above a paragraph of evidence (no blank line
    between) is not joined to it: the paragraph stays evidence, and the findings are the
    letter's own (only the line numbers after the inserted line move by one)."""
    lines = list(letter.lines)
    evidence = [n for n, text in enumerate(lines) if is_evidence(text)]
    at = evidence[-1]  # the last evidence paragraph, whose line before it is blank
    assert not lines[at - 1].strip()
    damaged = SourceText.from_string(
        "\n".join([*lines[:at], line, *lines[at:]]) + "\n", filename=LETTER
    )
    read = core_business_2014.read(damaged, "core-business-2014", FORCE)
    assert [(f.kind, f.text, f.sub_items) for f in read.findings] == [
        (f.kind, f.text, f.sub_items) for f in doc.findings
    ]
