"""Lineage on the reference reports: the Met's repeated, reworded and escalated findings
between 2015, 2016 and 2018/19, against a list written by reading the reports.

Precision and recall are measured here and must be the figures docs/follow-up.md prints.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from peelkit.views.followup import LinkView
from peelkit.workspace import Workspace

DOCS = Path(__file__).resolve().parents[2] / "docs" / "follow-up.md"

# (earlier framework, words of the earlier finding, later framework, words of the later one,
# relation), written from reading the three PEEL reports. The words are distinctive phrases
# of each finding as printed.
HAND_MADE = [
    (
        "peel-2015",
        "integrated offender management programme is implemented consistently",
        "peel-2016",
        "integrated offender management programme is implemented consistently",
        "repeated",
    ),
    (
        "peel-2015",
        "retrieve digital evidence from mobile phones",
        "peel-2018-19",
        "retrieve digital evidence from mobile phones",
        "repeated",
    ),
    (
        "peel-2015",
        "neighbourhood teams' awareness of organised crime groups",
        "peel-2016",
        "awareness of organised crime groups among neighbourhood teams",
        "reworded",
    ),
    (
        "peel-2015",
        "re-assesses mapped organised crime groups at regular intervals",
        "peel-2016",
        "maps all organised crime groups promptly",
        "reworded",
    ),
    (
        "peel-2016",
        "risks posed by registered sex offenders are managed effectively",
        "peel-2018-19",
        "failing to effectively manage the risk posed by medium and low-risk registered sex",
        "escalated",
    ),
    (
        "peel-2016",
        "risks posed by registered sex offenders are managed effectively",
        "peel-2018-19",
        "increase the number of officers and staff within offender management",
        "escalated",
    ),
    (
        "peel-2016",
        "frontline staff are aware of the registered sex offenders in their area so",
        "peel-2018-19",
        "frontline staff are aware of the registered sex offenders in their area,",
        "escalated",
    ),
    (
        "peel-2016",
        "Domestic Abuse Protection Orders, Domestic Abuse Prevention Notices, and Clare's Law",
        "peel-2018-19",
        "review its use of DVPOs, DVPNs and Clare's Law",
        "related",
    ),
]


@pytest.fixture(scope="module")
def met_record(
    reference_reports: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[list[LinkView], list[tuple[str | None, str]]]:
    """The Met's links, and every followed finding as (framework, text)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('lineage') / 'record.sqlite'}"
    with Workspace(url) as workspace:
        workspace.initialise()
        for report in sorted(reference_reports.glob("*.txt")):
            workspace.import_report(report)
        rows = workspace.followup_register(force="Met").rows
        return workspace.followup_links(force="Met"), [(r.framework, r.text) for r in rows]


@pytest.fixture
def met_links(met_record: tuple[list[LinkView], list[tuple[str | None, str]]]) -> list[LinkView]:
    return met_record[0]


def _matches(link: LinkView) -> Callable[[tuple[str, str, str, str, str]], bool]:
    def test(entry: tuple[str, str, str, str, str]) -> bool:
        earlier_framework, earlier_words, later_framework, later_words, _ = entry
        return (
            link.earlier.framework == earlier_framework
            and earlier_words in link.earlier.text
            and link.later.framework == later_framework
            and later_words in link.later.text
        )

    return test


def _measure(links: list[LinkView]) -> tuple[int, int, int, int]:
    """(links found, of them in the hand-made list, hand-made pairs found, relations right)."""
    found_right = [link for link in links if any(map(_matches(link), HAND_MADE))]
    pairs_found = [entry for entry in HAND_MADE if any(_matches(link)(entry) for link in links)]
    relations = sum(
        1
        for link in found_right
        for entry in HAND_MADE
        if _matches(link)(entry) and link.relation == entry[4]
    )
    return len(links), len(found_right), len(pairs_found), relations


def test_every_hand_made_pair_names_real_findings(
    met_record: tuple[list[LinkView], list[tuple[str | None, str]]],
) -> None:
    # The list itself must be right: each phrase is in exactly one finding of its framework.
    findings = met_record[1]
    for earlier_framework, earlier_words, later_framework, later_words, _ in HAND_MADE:
        for framework, words in (
            (earlier_framework, earlier_words),
            (later_framework, later_words),
        ):
            holding = [t for f, t in findings if f == framework and words in t]
            assert len(holding) == 1, (framework, words, holding)


def test_detection_finds_the_mets_repeated_and_escalated_findings(
    met_links: list[LinkView],
) -> None:
    total, right, pairs, relations = _measure(met_links)
    # Every link detection makes on the Met's whole record (2005 to 2018/19) is a true one.
    assert right == total
    # The integrated offender management repeat (2015 -> 2016) and the digital evidence one
    # (2015 -> 2018/19) are found, and exact: confirmed by detection itself.
    exact = [link for link in met_links if link.status == "confirmed"]
    assert {link.later.framework for link in exact} == {"peel-2016", "peel-2018-19"}
    assert all(link.relation == "repeated" and link.score == 100.0 for link in exact)
    # Everything else is a candidate for a person to confirm or reject.
    assert all(link.status == "candidate" for link in met_links if link not in exact)
    assert pairs >= 6
    assert relations == right


def test_the_docs_print_the_measured_precision_and_recall(met_links: list[LinkView]) -> None:
    total, right, pairs, _ = _measure(met_links)
    text = DOCS.read_text(encoding="utf-8")
    precision = re.search(r"precision (\d+)% \((\d+) of (\d+) links\)", text)
    recall = re.search(r"recall (\d+)% \((\d+) of (\d+) pairs\)", text)
    assert precision is not None and recall is not None
    assert (int(precision[2]), int(precision[3])) == (right, total)
    assert int(precision[1]) == round(100 * right / total)
    assert (int(recall[2]), int(recall[3])) == (pairs, len(HAND_MADE))
    assert int(recall[1]) == round(100 * pairs / len(HAND_MADE))
