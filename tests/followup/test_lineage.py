"""Lineage detection on small pairs of findings, one quirk each: real pairs read from the
reference reports, and made-up ones."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import re
from importlib import resources
from pathlib import Path

import numpy
from rapidfuzz import fuzz, process

from peelkit import Workspace
from peelkit.followup.lineage import (
    Boilerplate,
    Comparable,
    candidate_scores,
    detect,
    normalise,
    relation_for,
    rules,
)
from peelkit.yamlfiles import load_yaml
from tests.report_text import printed_sentence

LINEAGE_YAML = resources.files("peelkit.followup.data") / "lineage.yaml"

EARLY, LATE = dt.date(2016, 2, 1), dt.date(2017, 3, 1)
# The reference reports the real pairs are read from (tests/report_text.py).
PEEL_2015, PEEL_2016, PEEL_2018_19 = (
    "002_b3b722981796a923.txt",
    "000_033c6fd077a275c5.txt",
    "001_2e8c9026aad1a9d7.txt",
)


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
    text = printed_sentence(PEEL_2016, "The force should ensure that its integrated offender")
    [match] = detect(_pair("area_for_improvement", text, "area_for_improvement", text))
    assert (match.earlier, match.later, match.relation, match.exact) == (1, 2, "repeated", True)
    assert match.score == 100.0


def test_a_reordered_finding_is_reworded_not_repeated() -> None:
    [match] = detect(
        _pair(
            "area_for_improvement",
            printed_sentence(PEEL_2015, "The force should improve its neighbourhood teams'"),
            "area_for_improvement",
            printed_sentence(PEEL_2016, "The force should improve the awareness of organised"),
        )
    )
    assert match.relation == "reworded" and not match.exact


def test_an_area_for_improvement_back_as_a_cause_of_concern_is_escalated() -> None:
    [match] = detect(
        _pair(
            "area_for_improvement",
            printed_sentence(PEEL_2016, "The force should ensure that the risks posed by"),
            "cause_of_concern",
            printed_sentence(PEEL_2018_19, "The Metropolitan Police Service is failing"),
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
    text = printed_sentence(PEEL_2018_19, "The force should ensure that all its stop and search")
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
        printed_sentence(PEEL_2015, "The force should ensure that it re-assesses mapped"),
        "area_for_improvement",
        printed_sentence(PEEL_2016, "The force should ensure that it maps all organised"),
    )
    assert detect(pair)
    assert detect(pair, dataclasses.replace(rules(), candidate=99.0)) == []


def test_relations_follow_the_kinds() -> None:
    assert relation_for("area_for_improvement", "recommendation", False) == "escalated"
    assert relation_for("cause_of_concern", "area_for_improvement", True) == "related"
    assert relation_for("recommendation", "recommendation", True) == "repeated"


def test_touching_compares_only_the_pairs_of_those_inspections() -> None:
    # One finding repeated word for word by three inspections a year apart: every pair links.
    text = printed_sentence(PEEL_2016, "The force should ensure that its integrated offender")
    findings = [
        Comparable(finding, inspection, "area_for_improvement", text, dt.date(year, 3, 1))
        for finding, inspection, year in ((1, 10, 2015), (2, 20, 2016), (3, 30, 2017))
    ]
    every = {(m.earlier, m.later) for m in detect(findings)}
    assert every == {(1, 2), (1, 3), (2, 3)}
    assert {(m.earlier, m.later) for m in detect(findings, touching={20})} == {(1, 2), (2, 3)}
    assert {(m.earlier, m.later) for m in detect(findings, touching={10})} == {(1, 2), (1, 3)}
    assert detect(findings, touching=set()) == []


def test_candidate_scores_are_rapidfuzzs_for_every_pair_of_the_reference_reports(
    followed_texts: dict[str, list[str]],
) -> None:
    """Only the pairs whose bound reaches the threshold are scored: the scores are still those
    of every pair scored (rapidfuzz's cdist with the same cut-off), each report's findings
    against each other's, the pairs that reach 80 among them."""
    cutoff = rules().candidate
    reached = 0
    for earlier_name, earlier in followed_texts.items():
        for later_name, later in followed_texts.items():
            if later_name == earlier_name:
                continue
            every_pair = process.cdist(
                earlier, later, scorer=fuzz.token_set_ratio, score_cutoff=cutoff
            )
            found = candidate_scores(earlier, later, cutoff)
            assert found.dtype == every_pair.dtype
            assert numpy.array_equal(found, every_pair), (earlier_name, later_name)
            reached += int((every_pair >= cutoff).sum())
    assert reached > 0  # pairs that reach the threshold are among those compared


def _normalised_by_the_patterns(text: str) -> str:
    """lineage.yaml's normalisation as its comments say it: lower case, curly quotes
    straightened, every run of characters but a-z and 0-9 one space, then each boilerplate
    pattern in turn replaced by a space, runs of spaces made one."""
    value = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    value = re.sub(r"[^a-z0-9]+", " ", value).strip()
    for pattern in load_yaml(LINEAGE_YAML.read_text(encoding="utf-8"))["boilerplate"]:
        value = " ".join(re.sub(pattern, " ", value).split())
    return value


def test_normalise_is_the_patterns_normalisation(reference_reports: Path) -> None:
    """Checked on every finding of the five reference reports and on made-up texts of
    punctuation, other scripts, capitals and the small words (the whole-word pattern is
    applied as a set of words)."""
    texts = [
        " ".join([finding.text, *finding.sub_items])
        for path in sorted(reference_reports.glob("*.txt"))
        for finding in Workspace.parse_report(path).findings
    ]
    chance = random.Random(3)
    pieces = [
        "The",
        "force",
        "its",
        "it's",
        "ITS",
        "an",
        "and",
        "to",
        "ensure",
        "that",
        "K",
        "\u212a",
        "\u0130",
        "ß",
        "é",
        "’",
        "—",
        " ",
        "  ",
        "\t",
        "\n",
        ",",
        "2005",
        "make",
        "sure",
        "Metropolitan",
        "Police",
        "Service",
        "should",
        "tO",
    ]
    texts += ["".join(chance.choices(pieces, k=chance.randint(0, 30))) for _ in range(2000)]
    assert len(texts) > 2800
    for text in texts:
        assert normalise(text) == _normalised_by_the_patterns(text), text


def test_a_patterns_shortcuts_remove_what_the_pattern_removes() -> None:
    """Whole words dropped as a set, and a text without a pattern's first letters left alone,
    give the pattern's own result, on patterns where a careless shortcut would not: an
    optional last letter, alternatives outside a group, a class holding "|"."""
    patterns = {
        r"\b(a|an|the)\b": "words",
        r"\bmak?e\b": "ma",
        r"\bmake+s\b": "mak",
        r"\bab|cd\b": "",
        r"\b(ab|cd)x": "",
        r"\bab[|]cd": "ab",
        r"\bab\|cd": "ab",
        r"\bab(c|d)": "ab",
        r"^the force": "",
    }
    chance = random.Random(11)
    words = [
        "a",
        "an",
        "the",
        "me",
        "mae",
        "make",
        "makees",
        "makes",
        "ab",
        "cd",
        "abx",
        "cdx",
        "abc",
        "abd",
        "the",
        "force",
        "x",
    ]
    texts = [" ".join(chance.choices(words, k=chance.randint(0, 8))) for _ in range(3000)]
    texts += ["ab|cd", "ab cd"]
    for pattern, shortcut in patterns.items():
        boilerplate = Boilerplate.read(pattern)
        assert (boilerplate.starts_with or ("words" if boilerplate.words else "")) == shortcut
        for text in texts:
            expected = " ".join(re.sub(pattern, " ", text).split())
            assert boilerplate.remove(text) == expected, (pattern, text)
