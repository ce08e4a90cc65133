"""Grades stated in sentences, read with a framework into areas, grades and spans.

Every sentence here is made up for the test, in the patterns HMIC and HMICFRS summaries use;
the expected area is the one whose question the sentence's words restate.
"""

from __future__ import annotations

import pytest

from peelkit.frameworks import load_framework
from peelkit.reportimport.model import ParsedJudgment, Span
from peelkit.reportimport.sentences import (
    StatedGrade,
    area_for,
    combine,
    earlier_period,
    says_carried_over,
    stated_grades,
)
from peelkit.reportimport.text import SourceText


def stated(content: str, framework: str = "peel-2017", force: str = "kent") -> list[StatedGrade]:
    text = SourceText.from_string(content, filename="sentences.txt")
    return stated_grades(text, load_framework(framework), force=force)


def read(content: str, framework: str = "peel-2017") -> list[tuple[str | None, str, bool]]:
    return [(s.area.id if s.area else None, s.grade, s.past) for s in stated(content, framework)]


@pytest.mark.parametrize(
    ("sentence", "framework", "expected"),
    [
        # "X is good at ..."
        (
            "Kent Police is good at investigating crime and reducing re-offending.",
            "peel-2017",
            [("investigating-crime", "good", False)],
        ),
        # "is judged as requiring improvement at ..."
        (
            "The constabulary is judged as requiring improvement at how legitimately it keeps "
            "people safe.",
            "peel-2017",
            [("legitimacy", "requires_improvement", False)],
        ),
        # "has been assessed as good in respect of ..."
        (
            "Kent Police has been assessed as good in respect of the efficiency with which it "
            "reduces crime.",
            "peel-2016",
            [("efficiency", "good", False)],
        ),
        # "is outstanding in the way that it ..."
        (
            "Kent Police is outstanding in the way that it understands demand.",
            "peel-2017",
            [("understanding-demand", "outstanding", False)],
        ),
        # "The force requires improvement in ..." (the grade is the verb)
        (
            "The force requires improvement in how it treats its workforce with fairness.",
            "peel-2016",
            [("fair-treatment-of-the-workforce", "requires_improvement", False)],
        ),
        # the area before the verb
        (
            "Its use of resources is judged to be inadequate; and its planning for the future is "
            "also assessed to be good.",
            "peel-2017",
            [("use-of-resources", "inadequate", False), ("planning-for-the-future", "good", False)],
        ),
        # the five-point scale, for the 2021-25 reports
        (
            "Kent Police is adequate at investigating crime.",
            "peel-2021-22",
            [("investigating-crime", "adequate", False)],
        ),
    ],
)
def test_the_patterns(sentence: str, framework: str, expected: list[tuple[str, str, bool]]) -> None:
    assert read(sentence, framework) == expected


def test_in_a_year_we_judged_x_as_good_at_a_and_at_b() -> None:
    found = stated(
        "In 2016, we judged Kent Police as good at understanding demand and at planning for "
        "the future."
    )
    assert [(s.area.id if s.area else None, s.grade) for s in found] == [
        ("understanding-demand", "good"),
        ("planning-for-the-future", "good"),
    ]
    assert all(s.past and s.year == "2016" for s in found)


def test_last_years_judgment_is_past_with_the_predecessors_period() -> None:
    (found,) = stated("Last year we judged the force to be good at investigating crime.")
    assert found.past and found.year == "2016"  # peel-2017's predecessor


def test_this_years_judgment_in_the_past_tense_is_not_past() -> None:
    (found,) = stated("In 2017, we judged Kent Police as good at investigating crime.")
    assert not found.past and found.year is None


@pytest.mark.parametrize(
    "sentence",
    [
        "The force should make sure it is good at investigating crime.",
        "The force is consistently good at seeking made-up feedback.",
        "The force has a good understanding of demand.",
        "Made-up vetting processes are good.",
        "Kent Police is not good at investigating crime.",
    ],
)
def test_sentences_that_state_no_grade(sentence: str) -> None:
    assert read(sentence) == []


def test_a_grade_of_something_that_is_no_area() -> None:
    assert read("It is good at made-up things that no question asks about.") == [
        (None, "good", False)
    ]


def test_two_areas_that_fit_alike_are_not_guessed() -> None:
    framework = load_framework("peel-2017")
    # both legitimacy questions on fair treatment fit "treating everyone fairly"
    assert area_for("treating everyone fairly", framework) is None
    public = area_for("treating the people it serves with fairness and respect", framework)
    assert public is not None and public.id == "fair-treatment-of-the-public"


def test_the_section_a_sentence_is_in_decides_between_pillars() -> None:
    framework = load_framework("peel-2017")
    phrase = "keeping people safe and reducing crime"
    # every pillar question of 2017 ends so; effectiveness's alias is these words
    alone = area_for(phrase, framework)
    assert alone is not None and alone.id == "effectiveness"
    legitimacy = framework.area("legitimacy")
    scoped = area_for(phrase, framework, (legitimacy,))
    assert scoped is legitimacy


def test_a_sentence_wrapped_over_two_lines_has_both_in_its_span() -> None:
    (found,) = stated("Made-up opening. Kent Police is good at investigating\ncrime. Made up.")
    assert found.area is not None and found.area.id == "investigating-crime"
    assert (found.span.line_start, found.span.line_end) == (1, 2)


def test_spans_are_the_lines_of_the_file() -> None:
    content = "\n\nMade-up line.\n\nKent Police is good at investigating crime.\n"
    (found,) = stated(content)
    assert found.span == Span(5, 5)
    assert found.grade_as_printed == "good"


def test_bullets_are_not_read_as_sentences() -> None:
    assert read("- Kent Police is good at investigating crime.") == []


@pytest.mark.parametrize(
    ("line", "carried"),
    [
        ("This question was not subject to detailed inspection in 2018/19.", True),
        ("This question was not inspected in 2017.", True),
        ("The grade and findings from last year's inspection still stand.", True),
        ("Our judgment from 2017 has been carried over.", True),
        ("Kent Police is good at investigating crime.", False),
    ],
)
def test_carried_over_statements(line: str, carried: bool) -> None:
    assert says_carried_over(line) is carried


def test_the_period_a_carried_over_judgment_comes_from() -> None:
    framework = load_framework("peel-2018-19")
    assert earlier_period(["The judgment from the 2016 inspection stands."], framework) == "2016"
    # the document's own year is not where the judgment comes from
    assert earlier_period(["Not inspected in 2018/19; last year's grade stands."], framework) == (
        "2017"
    )
    assert earlier_period(["Not inspected this time."], framework) is None


# -- combining boxes and sentences --------------------------------------------------------------


def box(area: str, level: str, grade: str, line: int) -> ParsedJudgment:
    return ParsedJudgment(area, level, grade, grade.capitalize(), span=Span(line, line))


def test_a_box_and_a_sentence_that_disagree_keep_the_box_with_a_warning() -> None:
    judgments = [box("investigating-crime", "question", "good", 3)]
    found = stated("\n\n\n\nKent Police is inadequate at investigating crime.")
    warnings = combine(judgments, found, load_framework("peel-2017"))
    assert [(j.area, j.grade, j.read_from) for j in judgments] == [
        ("investigating-crime", "good", "box")
    ]
    assert [w.code for w in warnings] == ["grade_box_and_sentence_disagree"]
    assert warnings[0].span == Span(5, 5)
    assert "line 3" in warnings[0].message and "line 5" in warnings[0].message


def test_a_sentence_grades_an_area_no_box_prints() -> None:
    judgments = [box("effectiveness", "pillar", "good", 1)]
    found = stated("\nKent Police is good at investigating crime. It is good at made-up things.")
    assert combine(judgments, found, load_framework("peel-2017")) == []
    added = judgments[1]
    assert (added.area, added.level, added.grade, added.read_from) == (
        "investigating-crime",
        "question",
        "good",
        "sentence",
    )
    assert added.span == Span(2, 2)
    assert len(judgments) == 2  # the sentence about no area adds nothing


def test_two_sentences_that_disagree_keep_the_first() -> None:
    judgments: list[ParsedJudgment] = []
    found = stated(
        "Kent Police is good at investigating crime.\n"
        "Kent Police is inadequate at investigating crime."
    )
    warnings = combine(judgments, found, load_framework("peel-2017"))
    assert [(j.grade, j.span) for j in judgments] == [("good", Span(1, 1))]
    assert [w.code for w in warnings] == ["grade_sentences_disagree"]


def test_last_years_grade_is_the_previous_grade() -> None:
    judgments = [box("legitimacy", "pillar", "good", 1)]
    found = stated("\nLast year we judged the force to be outstanding in respect of legitimacy.")
    assert combine(judgments, found, load_framework("peel-2017")) == []
    assert (judgments[0].grade, judgments[0].previous_grade) == ("good", "outstanding")


def test_a_carried_over_judgment_takes_the_grade_a_sentence_states() -> None:
    carried = ParsedJudgment("preventing-crime", "question", None, carried_over=True)
    found = stated(
        "In 2017, we judged Kent Police as good at preventing crime and tackling anti-social "
        "behaviour.",
        framework="peel-2018-19",
    )
    combine([carried], found, load_framework("peel-2018-19"))
    assert (carried.grade, carried.read_from, carried.year_last_inspected) == (
        "good",
        "sentence",
        "2017",
    )
