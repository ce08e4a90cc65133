"""What the reference reports and the shared examples say, as a reader of them finds it: the
judgments a faithful copy must give, whatever its bytes. Read from the documents (and the
domain notes in ../shared/docs/domain, which cite their lines), not from peelkit's output.
"""

from __future__ import annotations

from dataclasses import dataclass

RI = "requires_improvement"


@dataclass(frozen=True)
class Document:
    """A published document: its framework, its force, what it grades and how many findings it
    lists for its force (None where no reader's count is written down)."""

    file: str
    framework: str
    force: str
    grades: dict[str, str | None]
    findings: int | None
    inspections: int = 1  # the 2005 baseline also grades the other 42 forces


DOCUMENTS = {
    # PEEL 2018/19 (notes 001 §2-§4): the Overall summary table and the pillars' headings;
    # findings: 2 causes of concern, 5 recommendations, 19 areas for improvement.
    "001_2e8c9026aad1a9d7.txt": Document(
        "001_2e8c9026aad1a9d7.txt",
        "peel-2018-19",
        "metropolitan",
        {
            "effectiveness": RI,
            "preventing-crime": "good",
            "investigating-crime": RI,
            "protecting-vulnerable-people": RI,
            "serious-and-organised-crime": "outstanding",
            "armed-policing": "ungraded",
            "efficiency": "good",
            "meeting-current-demands": "good",
            "planning-for-the-future": "good",
            "legitimacy": "good",
            "treating-the-public-fairly": "good",
            "ethical-and-lawful-workforce-behaviour": RI,
            "treating-the-workforce-fairly": "good",
        },
        26,
    ),
    # PEEL effectiveness 2015 (notes 000_002 §9.1): E0 to E4.
    "002_b3b722981796a923.txt": Document(
        "002_b3b722981796a923.txt",
        "peel-2015",
        "metropolitan",
        {
            "effectiveness": RI,
            "preventing-crime": "good",
            "investigating-crime": RI,
            "protecting-vulnerable-people": RI,
            "serious-and-organised-crime": "good",
        },
        None,
    ),
    # PEEL effectiveness 2016 (notes 000_002 §9.2): E0 to E5, specialist capabilities ungraded.
    "000_033c6fd077a275c5.txt": Document(
        "000_033c6fd077a275c5.txt",
        "peel-2016",
        "metropolitan",
        {
            "effectiveness": RI,
            "preventing-crime": "good",
            "investigating-crime": RI,
            "protecting-vulnerable-people": "inadequate",
            "serious-and-organised-crime": RI,
            "specialist-capabilities": "ungraded",
        },
        None,
    ),
    # Core business 2014 letter (notes 004_003 §7): three ungraded sections with 4, 7 and 4
    # key findings.
    "003_02b487485919232c.txt": Document(
        "003_02b487485919232c.txt", "core-business-2014", "metropolitan", {}, 15
    ),
    # Baseline 2005 (README of the reference reports and notes 004_003 §2): 27 framework areas
    # graded for the Met, and the grades table of all 43 forces.
    "004_8971e4e9a7c1f0c8.txt": Document(
        "004_8971e4e9a7c1f0c8.txt", "baseline-2005", "metropolitan", {}, None, inspections=43
    ),
}
BASELINE_AREAS = 27
