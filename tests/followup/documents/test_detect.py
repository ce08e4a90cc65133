"""Which family a follow-up document is, and what is not one.

Detection must recognise every sample of the four families and claim none of the inspection
reports or web pages of the shared folder (they are imported as reports).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import peelkit.followup.documents as documents
from peelkit.domain.followup import MONITORING_STAGES
from peelkit.errors import DataFileError, catalogue
from peelkit.followup.documents import detect_followup, is_followup, parse_followup
from peelkit.followup.documents.common import STAGE_NAMES, STAGE_PHRASES, parse_date
from peelkit.followup.documents.model import FAMILIES
from peelkit.reportimport.sources import read_source
from peelkit.reportimport.text import SourceText

SAMPLES = {
    "staffordshire_2021-22_accelerated-coc.txt": "accelerated_cause_of_concern",
    "staffordshire_2021-22_coc-revisit-letter-2023-02.txt": "cause_of_concern_revisit",
    "staffordshire_2021-22_coc-revisit-letter-2024-05.txt": "cause_of_concern_revisit",
    "wiltshire_2021-22_coc-revisit-letter-2022-12.txt": "cause_of_concern_revisit",
    "wiltshire_2021-22_coc-revisit-letter-2024-05.txt": "cause_of_concern_revisit",
    "register_core-business-2014_recs-4822-1504-6955.txt": "recommendations_register",
    "hampshire_2016_effectiveness_pcc-s55-response.txt": "pcc_response",
}


@pytest.mark.parametrize(("name", "family"), sorted(SAMPLES.items()))
def test_every_sample_is_detected_as_its_family(shared: Path, name: str, family: str) -> None:
    text = read_source(shared / "examples" / "follow-up" / name)
    found = detect_followup(text)
    assert found is not None
    assert found[0] == family
    assert found[1], "the signals that decided"
    assert parse_followup(text).detected_by == found[1]


def test_the_signals_say_what_decided(shared: Path) -> None:
    folder = shared / "examples" / "follow-up"
    letter = detect_followup(
        read_source(folder / "wiltshire_2021-22_coc-revisit-letter-2022-12.txt")
    )
    assert letter is not None
    assert letter[1][0] == "title: 'Wiltshire Police: PEEL Cause of concern revisit letter'"
    assert letter[1][1] == "letter information: cc, from, sent on, to"
    register = detect_followup(
        read_source(folder / "register_core-business-2014_recs-4822-1504-6955.txt")
    )
    assert register == (
        "recommendations_register",
        ["entry titles 'TITLE (NUMBER)': 3", "[on] blocks: 9"],
    )
    form = detect_followup(
        read_source(folder / "hampshire_2016_effectiveness_pcc-s55-response.txt")
    )
    assert form is not None
    assert "field: 'Title of Inspection'" in form[1] and "field: 'Date response sent'" in form[1]
    assert set(SAMPLES.values()) == set(FAMILIES)


def _not_follow_up(shared: Path) -> list[Path]:
    return [
        *sorted((shared / "reference-reports").glob("0*.txt")),
        *sorted((shared / "examples" / "hmicfrs-web-pages").glob("*.txt")),
        *sorted((shared / "examples" / "hmicfrs-2021-25").glob("*.txt")),
    ]


def test_no_report_or_web_page_is_claimed(shared: Path) -> None:
    paths = _not_follow_up(shared)
    assert len(paths) >= 5 + 4  # the five reference reports and the four web pages at least
    claimed = [p.name for p in paths if is_followup(read_source(p))]
    assert claimed == []


def test_a_report_given_as_follow_up_is_a_one_line_error_with_a_code(shared: Path) -> None:
    path = shared / "reference-reports" / "001_2e8c9026aad1a9d7.txt"
    with pytest.raises(DataFileError) as caught:
        parse_followup(read_source(path))
    error = caught.value
    assert error.code == "unknown_followup_document"
    assert error.kind == "invalid"
    assert error.location.file == path.name
    assert error.message.startswith(f"{path.name}: is not a follow-up document peelkit reads")
    assert "\n" not in error.message


def test_plain_text_is_not_a_follow_up_document() -> None:
    text = SourceText.from_string("Minutes of the meeting\nWe discussed the budget.\n", "m.txt")
    assert detect_followup(text) is None
    with pytest.raises(DataFileError) as caught:
        parse_followup(text)
    assert caught.value.code == "unknown_followup_document"


def test_a_title_about_concerns_is_not_enough_for_a_notice() -> None:
    text = SourceText.from_string(
        "PEEL: causes of concern explained\nA cause of concern is a serious shortcoming.\n",
        "glossary.txt",
    )
    assert detect_followup(text) is None


@pytest.mark.parametrize(
    ("printed", "year", "month", "day"),
    [
        ("10 February 2023", 2023, 2, 10),
        ("4th September 2014", 2014, 9, 4),
        ("03/04/2017", 2017, 4, 3),  # day first, as in the UK
        ("29 March 2022", 2022, 3, 29),
        ("21st May 2024", 2024, 5, 21),
        ("2 Sept 2019", 2019, 9, 2),
    ],
)
def test_dates_as_printed(printed: str, year: int, month: int, day: int) -> None:
    parsed = parse_date(printed)
    assert parsed is not None and (parsed.year, parsed.month, parsed.day) == (year, month, day)


@pytest.mark.parametrize("printed", ["31 February 2023", "February 2023", "13/13/2017", "soon"])
def test_what_is_not_a_date(printed: str) -> None:
    assert parse_date(printed) is None


def test_the_stage_words_name_monitoring_stages() -> None:
    assert set(STAGE_PHRASES.values()) | set(STAGE_NAMES.values()) == set(MONITORING_STAGES)


def _warning_codes() -> set[str]:
    """The literal codes the readers pass to ``warning(text, code, ...)``/``self.warn(code, ...)``
    and ``ImportWarning(code=...)``."""
    found: set[str] = set()
    for path in Path(documents.__file__).parent.glob("*.py"):
        if path.name in ("store.py", "model.py"):
            continue  # the store's codes are the store's; the model makes none
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "attr", None) or getattr(node.func, "id", "")
            argument = None
            if name == "warning" and len(node.args) > 1:
                argument = node.args[1]
            elif name == "warn" and node.args:
                argument = node.args[0]
            elif name == "ImportWarning":
                argument = next((k.value for k in node.keywords if k.arg == "code"), None)
            if argument is not None:
                found.update(
                    c.value
                    for c in ast.walk(argument)
                    if isinstance(c, ast.Constant) and isinstance(c.value, str)
                )
    return found


def test_every_warning_code_of_the_readers_is_in_the_catalogue() -> None:
    used = _warning_codes()
    assert {"followup_text_elided", "register_comment_unopened", "pcc_deadline_not_statutory"} <= (
        used
    )
    assert used - set(catalogue()["problems"]["import"]) == set()
    assert "unknown_followup_document" in catalogue()["errors"]
