"""Grade scales: order within a scale, and no comparison across eras."""

from __future__ import annotations

import pytest

from peelkit.domain.grades import compare
from peelkit.errors import GradesNotComparable, UnknownGrade
from peelkit.frameworks import grade_scales, load_framework


def test_scales_are_ordered_best_first() -> None:
    peel = grade_scales()["peel-4-point"]
    assert [g.label for g in peel.grades] == [
        "Outstanding",
        "Good",
        "Requires improvement",
        "Inadequate",
    ]
    assert compare(peel.get("Outstanding"), peel.get("Good")) == -1
    assert compare(peel.get("Inadequate"), peel.get("RI")) == 1
    assert compare(peel.get("good"), peel.get("Good")) == 0
    five = grade_scales()["peel-5-point"]
    assert [g.id for g in five.grades] == [
        "outstanding",
        "good",
        "adequate",
        "requires_improvement",
        "inadequate",
    ]


def test_grades_of_different_eras_are_not_comparable() -> None:
    baseline = load_framework("baseline-2005").grade_scale
    peel_2016 = load_framework("peel-2016").grade_scale
    peel_2023 = load_framework("peel-2023-25").grade_scale
    assert baseline and peel_2016 and peel_2023
    with pytest.raises(GradesNotComparable, match="baseline-delivery and scale peel-4-point"):
        compare(baseline.get("Good"), peel_2016.get("Good"))
    with pytest.raises(GradesNotComparable):
        compare(peel_2016.get("Good"), peel_2023.get("Good"))
    # 2015 to 2018/19 share one scale, so a force's grades can be followed across those years.
    peel_2018 = load_framework("peel-2018-19").grade_scale
    assert peel_2018 is peel_2016
    assert compare(peel_2016.get("Good"), peel_2018.get("Requires improvement")) == -1


def test_non_grades_are_on_no_order() -> None:
    peel = grade_scales()["peel-4-point"]
    ungraded = peel.get("Ungraded")
    assert not ungraded.is_grade
    with pytest.raises(GradesNotComparable):
        compare(ungraded, peel.get("Good"))
    baseline = grade_scales()["baseline-direction"]
    assert baseline.get("NG").id == "not_graded"
    assert baseline.get("I").id == "improved"


def test_unknown_grade_lists_the_scale() -> None:
    with pytest.raises(UnknownGrade) as caught:
        grade_scales()["baseline-direction"].get("Improving")
    assert str(caught.value) == (
        "unknown grade 'Improving' on scale baseline-direction (expected one of: Improved, "
        "Stable, Deteriorated, Not graded)"
    )
