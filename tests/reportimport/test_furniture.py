"""Page furniture: recognised wherever it is, skipped without renumbering the lines.

The pages here are small synthetic ones, each named after the quirk it reproduces; their words
are made up for the test. The real saved pages are read from the shared examples folder.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from pathlib import Path

import pytest

from peelkit.reportimport import furniture
from peelkit.reportimport.text import SourceText

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
PAGES = SHARED / "examples" / "hmicfrs-web-pages"


def page(content: str) -> SourceText:
    return SourceText.from_string(content, filename="page.txt")


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("Skip to content", "banner"),
        ("Skip to main content", "banner"),
        ("  Print this document  ", "banner"),
        ("Download the full report (PDF)", "banner"),
        ("Back to top", "banner"),
        ("We use cookies to make this website work.", "cookies"),
        ("Accept additional cookies", "cookies"),
        ("Cookie settings", "cookies"),
        ("Home > PEEL assessments > PEEL 2017 > Kent", "breadcrumb"),
        ("Home › Publications › A made-up page", "breadcrumb"),
        ("© Crown copyright 2018", "footer"),
        ("22/03/2018, 10:15 Kent PEEL 2017 - HMICFRS", "print_header"),
        ("https://www.example.gov.uk/made-up/page/ 2/5", "url"),
        ("12", "page_number"),
        ("Page 3 of 12", "page_number"),
        ("- 7 -", "page_number"),
        ("Last updated 22/03/2018", "last_updated"),
        ("Last updated: 5 March 2018", "last_updated"),
        ("Published on 29 March 2022", "last_updated"),
        ("Contents ........................................ 3", "contents"),
        ("2. Made-up section . . . . . . . 14", "contents"),
    ],
)
def test_kinds_of_furniture(line: str, kind: str) -> None:
    assert furniture.kind_of(line) == kind


@pytest.mark.parametrize(
    "line",
    [
        "Kent PEEL 2017",
        "Effectiveness",
        "Good",
        "How effective is the force at keeping people safe and reducing crime?",
        "Kent Police is good at a made-up thing.",
        "Published figures show a made-up rise.",  # "Published" starts a sentence, not a date
        "Areas for improvement",
        "[...]",
        "- The force should do a made-up thing.",
        "2018/19",
        "The rate rose from 4.... to 5",  # dots, but no page number after them
        "It rose by 3.4 per cent in 12 months",
    ],
)
def test_text_is_not_furniture(line: str) -> None:
    assert furniture.kind_of(line) is None


def test_plain_makes_characters_that_print_alike_the_same() -> None:
    printed = "The force\u2019s\u00a0e\ufb00ort \u201cis\u201d inves\u00adtigated\u200b  well"
    assert furniture.plain(printed) == 'The force\'s effort "is" investigated well'
    # what is stored keeps its quotes
    assert furniture.tidy(printed) == "The force\u2019s effort \u201cis\u201d investigated well"


SKIP_FIRST = """Skip to content

Kent PEEL 2017
Effectiveness
Last updated 22/03/2018
Good
"""


def test_a_skip_to_content_first_line_is_skipped_and_lines_keep_their_numbers() -> None:
    text = page(SKIP_FIRST)
    found = furniture.find(text)
    assert found.first_content() == 3
    assert found.line(3) == "Kent PEEL 2017"
    assert furniture.first_content_line(text) == "Kent PEEL 2017"
    # "Last updated" is furniture, and its date is the publication date
    assert found.content == (3, 4, 6)
    assert found.published() == (dt.date(2018, 3, 22), 5)


NAVIGATION_MENU = """Home
About us
Publications
Kent PEEL 2017
Effectiveness
Good
Overview
"""


def test_a_navigation_menu_is_skipped_but_a_lone_pillar_name_is_not() -> None:
    found = furniture.find(page(NAVIGATION_MENU))
    kinds = {n: f.kind for n, f in found.furniture.items()}
    assert kinds == {1: "navigation", 2: "navigation", 3: "navigation"}
    assert found.content == (4, 5, 6, 7)


REPEATED_TITLE_BLOCK = """Kent PEEL 2017
Legitimacy
How legitimate is the force at keeping people safe and reducing crime?
Made-up summary.
Kent PEEL 2017
Legitimacy
How legitimate is the force at keeping people safe and reducing crime?
To what extent does the force treat its workforce with fairness and respect?
Legitimacy
"""


def test_the_page_head_printed_again_is_skipped() -> None:
    found = furniture.find(page(REPEATED_TITLE_BLOCK))
    assert sorted(found.of_kind("repeated_header"), key=lambda f: f.line)[0].line == 5
    assert {f.line for f in found.of_kind("repeated_header")} == {5, 6, 7}
    # a line that repeats the head on its own, not after the title, stays
    assert found.content == (1, 2, 3, 4, 8, 9)


RUNNING_HEADERS = "A made-up cover title\n" + "\n".join(
    f"PEEL: made-up report 2016 - Kent Police\nMade-up paragraph {i}.\n{i}" for i in range(1, 5)
)


def test_running_headers_and_page_numbers_of_a_pdf_are_skipped() -> None:
    text = page(RUNNING_HEADERS)
    found = furniture.find(text)
    paragraphs = [f"Made-up paragraph {i}." for i in range(1, 5)]
    assert [text.line(n) for n in found.content] == ["A made-up cover title", *paragraphs]
    assert {f.kind for f in found.furniture.values()} == {"running_header", "page_number"}


def test_a_title_printed_on_every_page_stays_the_title_once() -> None:
    text = page(RUNNING_HEADERS.split("\n", 1)[1])
    found = furniture.find(text)
    assert found.first_content() == 1
    assert {f.kind for n, f in found.furniture.items() if n > 1} == {
        "repeated_header",
        "page_number",
    }


def test_an_impossible_last_updated_date_is_kept_as_none() -> None:
    found = furniture.find(page("Kent PEEL 2017\nLast updated 31/02/2018\n"))
    assert found.published() == (None, 2)


@pytest.mark.parametrize("path", sorted(PAGES.glob("*.txt")), ids=lambda p: p.name)
def test_the_saved_pages_furniture(path: Path) -> None:
    """Each saved page: its banner lines and its "Last updated" line are furniture, and no
    line that holds a grade word or a question is."""
    text = SourceText.from_string(path.read_text(encoding="utf-8"), filename=path.name)
    found = furniture.find(text)
    banners = [n for n, line in enumerate(text.lines, 1) if line.strip() == "Skip to content"]
    dated = [n for n, line in enumerate(text.lines, 1) if line.startswith("Last updated")]
    assert {f.line for f in found.of_kind("banner")} == set(banners)
    assert {f.line for f in found.of_kind("last_updated")} == set(dated)
    for number in found.furniture:
        line = text.line(number)
        assert not line.endswith("?") or found.furniture[number].kind == "repeated_header"
        assert line.strip() not in ("Good", "Outstanding", "Requires improvement", "Inadequate")


# The contents entry as first written (a leader of dots and a page number), before a lookahead
# was put in front of it for speed: the pattern in furniture.yaml must mean the same.
CONTENTS_AS_FIRST_WRITTEN = re.compile(r"^\S.{0,150}?(?:\s*\.){4,}\s*\d{1,3}$", re.IGNORECASE)


def test_the_contents_pattern_means_what_it_first_meant() -> None:
    (pattern,) = furniture.rules().patterns["contents"]
    reports = SHARED / "reference-reports"
    lines = [
        furniture.plain(line)
        for path in sorted(reports.glob("*.txt"))
        for line in path.read_text(encoding="utf-8").splitlines()
    ]
    generator = random.Random(1203)

    def made_up_entry() -> str:
        # a title, a leader of 0 to 6 dots with or without spaces, a number of 0 to 4 digits
        title = generator.choice(["Contents", " Contents", "2. Section", "", ".", "Annex A"])
        leader = "".join(generator.choice([".", ". ", " .", "\u00a0."]) for _ in range(7))
        leader = leader[: generator.randint(0, len(leader))]
        number = "".join(generator.choice("0123456789") for _ in range(generator.randint(0, 4)))
        return title + leader + generator.choice(["", " ", "  "]) + number

    lines += [made_up_entry() for _ in range(3000)]
    lines += ["x" * 150 + "   .... 3", "x" * 151 + " .... 3", "x" * 150 + ". . . .12"]
    found = [line for line in lines if pattern.match(line)]
    assert found == [line for line in lines if CONTENTS_AS_FIRST_WRITTEN.match(line)]
    assert len(found) > 100  # the random lines reach both sides of the pattern
