"""Lineage detection on small pairs of findings, one quirk each."""

from __future__ import annotations

import dataclasses
import datetime as dt

from peelkit.followup.lineage import Comparable, detect, normalise, relation_for, rules

EARLY, LATE = dt.date(2016, 2, 1), dt.date(2017, 3, 1)


def _pair(early_kind: str, early: str, late_kind: str, late: str) -> list[Comparable]:
    return [
        Comparable(1, 10, early_kind, early, EARLY),
        Comparable(2, 20, late_kind, late, LATE),
    ]


def test_boilerplate_and_punctuation_do_not_count() -> None:
    assert normalise("The force should ensure that its IOM programme is consistent.") == (
        normalise("The Force needs to make sure its IOM programme is consistent")
    )
    assert normalise("The Metropolitan Police Service is failing to manage risk") == (
        "failing manage risk"
    )


def test_an_exact_repeat_is_found_and_marked_exact() -> None:
    text = (
        "The force should ensure that its integrated offender management programme is "
        "implemented consistently across all areas."
    )
    [match] = detect(_pair("area_for_improvement", text, "area_for_improvement", text))
    assert (match.earlier, match.later, match.relation, match.exact) == (1, 2, "repeated", True)
    assert match.score == 100.0


def test_a_reordered_finding_is_reworded_not_repeated() -> None:
    [match] = detect(
        _pair(
            "area_for_improvement",
            "The force should improve its neighbourhood teams' awareness of organised crime "
            "groups to ensure that they can reliably identify these groups.",
            "area_for_improvement",
            "The force should improve the awareness of organised crime groups among "
            "neighbourhood teams to ensure that they can reliably identify these groups.",
        )
    )
    assert match.relation == "reworded" and not match.exact


def test_an_area_for_improvement_back_as_a_cause_of_concern_is_escalated() -> None:
    [match] = detect(
        _pair(
            "area_for_improvement",
            "The force should ensure that the risks posed by registered sex offenders are "
            "managed effectively.",
            "cause_of_concern",
            "The Metropolitan Police Service is failing to effectively manage the risk posed by "
            "medium and low-risk registered sex offenders in line with approved practice.",
        )
    )
    assert match.relation == "escalated" and not match.exact


def test_unrelated_findings_are_not_linked() -> None:
    assert (
        detect(
            _pair(
                "area_for_improvement",
                "The force should ensure that all its stop and search records are supervised.",
                "area_for_improvement",
                "The force should implement a process to get feedback from vulnerable victims.",
            )
        )
        == []
    )


def test_findings_of_one_inspection_or_one_date_are_not_compared() -> None:
    text = "The force should ensure that all its stop and search records are correctly supervised."
    same_inspection = [
        Comparable(1, 10, "area_for_improvement", text, EARLY),
        Comparable(2, 10, "area_for_improvement", text, LATE),
    ]
    same_date = [
        Comparable(1, 10, "area_for_improvement", text, EARLY),
        Comparable(2, 20, "area_for_improvement", text, EARLY),
    ]
    assert detect(same_inspection) == [] and detect(same_date) == []


def test_a_bare_lead_in_is_too_short_to_compare() -> None:
    assert (
        detect(
            _pair(
                "area_for_improvement",
                "The force should ensure it:",
                "area_for_improvement",
                "The force should ensure it:",
            )
        )
        == []
    )


def test_the_threshold_is_data() -> None:
    pair = _pair(
        "area_for_improvement",
        "The force should ensure that it re-assesses mapped organised crime groups at regular "
        "intervals, in line with national standards.",
        "area_for_improvement",
        "The force should ensure that it maps all organised crime groups promptly following "
        "identification and re-assesses them at regular intervals in line with national "
        "standards.",
    )
    assert detect(pair)
    assert detect(pair, dataclasses.replace(rules(), candidate=99.0)) == []


def test_relations_follow_the_kinds() -> None:
    assert relation_for("area_for_improvement", "recommendation", False) == "escalated"
    assert relation_for("cause_of_concern", "area_for_improvement", True) == "related"
    assert relation_for("recommendation", "recommendation", True) == "repeated"
