"""HMICFRS's accelerated cause of concern notices and cause of concern revisit letters.

The five real documents are read from the shared examples folder; the expected values are
written down from their text. The small letters below are made up for the test, in the real
letters' layout, each named after the quirk it reproduces.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path

import pytest

from peelkit.errors import UnknownForce
from peelkit.followup.documents import parse_followup
from peelkit.followup.documents.model import ParsedFollowup, QuotedFinding
from peelkit.reportimport.sources import read_source
from peelkit.reportimport.text import SourceText

NOTICE = "staffordshire_2021-22_accelerated-coc.txt"
STAFFORDSHIRE_2023 = "staffordshire_2021-22_coc-revisit-letter-2023-02.txt"
STAFFORDSHIRE_2024 = "staffordshire_2021-22_coc-revisit-letter-2024-05.txt"
WILTSHIRE_2022 = "wiltshire_2021-22_coc-revisit-letter-2022-12.txt"
WILTSHIRE_2024 = "wiltshire_2021-22_coc-revisit-letter-2024-05.txt"


@pytest.fixture(scope="module")
def folder(shared: Path) -> Path:
    return shared / "examples" / "follow-up"


@cache
def _read(path: Path) -> tuple[SourceText, ParsedFollowup]:
    text = read_source(path)
    return text, parse_followup(text)


def sample(folder: Path, name: str) -> tuple[SourceText, ParsedFollowup]:
    return _read(folder / name)


def letter(content: str, force: str | None = None) -> ParsedFollowup:
    return parse_followup(SourceText.from_string(content, filename="letter.txt"), force)


def line_of(text: SourceText, start: str) -> int:
    """The number of the first line that starts (after its indent) with ``start``."""
    return next(n for n, line in enumerate(text.lines, 1) if line.strip().startswith(start))


def concerns(doc: ParsedFollowup) -> list[QuotedFinding]:
    return [f for f in doc.findings if f.kind == "cause_of_concern"]


def recommendations(doc: ParsedFollowup) -> list[QuotedFinding]:
    return [f for f in doc.findings if f.kind == "recommendation"]


def codes(doc: ParsedFollowup) -> list[str]:
    return [w.code for w in doc.warnings]


# -- the accelerated cause of concern notice ----------------------------------------------------


def test_notice_document(folder: Path) -> None:
    _, doc = sample(folder, NOTICE)
    assert doc.family == "accelerated_cause_of_concern"
    assert doc.title == (
        "PEEL: Staffordshire Police cause of concern – Responding to vulnerable people"
    )
    assert (doc.force, doc.framework, doc.period) == ("staffordshire", "peel-2021-22", "2021/22")
    assert doc.published == dt.date(2022, 3, 29)
    assert (doc.sender, doc.recipients) == (None, [])
    assert doc.not_found == []


def test_notice_causes_of_concern_are_the_opening_list_with_their_full_statement(
    folder: Path,
) -> None:
    text, doc = sample(folder, NOTICE)
    first, second = concerns(doc)
    assert [first.ordinal, second.ordinal] == [1, 2]
    # The "Cause of concern" block states the first in full; the opening list words it briefly.
    assert first.text == (
        "The force needs to improve how it identifies and assesses vulnerability at first point "
        "of contact."
    )
    assert first.listed_as == (
        "adequately identify or assess victim vulnerability at first point of contact"
    )
    assert first.span.line_start == line_of(text, "The force needs to improve")
    assert first.listed_span is not None
    assert first.listed_span.line_start == line_of(text, "• adequately identify")
    # The second has no block in the copy: its list wording, the list's "; and" left out.
    assert second.text == "carry out sufficiently effective investigations."
    assert second.listed_as is None


def test_notice_recommendations_belong_to_their_cause_with_the_deadline(folder: Path) -> None:
    text, doc = sample(folder, NOTICE)
    recs = recommendations(doc)
    assert [r.text for r in recs] == [
        "call handlers use and correctly record structured initial triage and risk assessments "
        "– this will help the force know what priority it should give the call and allow it to "
        "decide on the most appropriate response",
        "vulnerable and repeat callers are routinely identified, as are other people in the "
        "household who may also be vulnerable",
        "ca",  # cut mid-word by the copy, kept as printed
    ]
    first = doc.findings.index(concerns(doc)[0])
    assert {(r.deadline, r.cause_of_concern, r.area_hint) for r in recs} == {
        ("Within three months", first, None)
    }
    assert recs[0].span.line_start == line_of(text, "• call handlers")


def test_notice_opens_each_cause_and_its_recommendations_on_its_date(folder: Path) -> None:
    text, doc = sample(folder, NOTICE)
    first, second = (doc.findings.index(c) for c in concerns(doc))
    recs = [doc.findings.index(r) for r in recommendations(doc)]
    assert [(s.status, s.date, s.findings, s.scope) for s in doc.statuses] == [
        ("open", dt.date(2022, 3, 29), [first, *recs], "listed"),
        ("open", dt.date(2022, 3, 29), [second], "listed"),
    ]
    assert doc.statuses[0].span.line_start == line_of(text, "We have issued two accelerated")
    assert doc.stages == []


def test_notice_elision_is_a_warning_naming_its_line(folder: Path) -> None:
    text, doc = sample(folder, NOTICE)
    [elided] = doc.warnings
    number = text.lines.index("[...]") + 1
    assert elided.code == "followup_text_elided"
    assert elided.span is not None and elided.span.line_start == number
    assert f"line {number}" in elided.message
    assert "cut mid-sentence" in elided.message  # "  • ca" runs into it


# -- the revisit letters --------------------------------------------------------------------------


def test_staffordshire_2023_letter_information(folder: Path) -> None:
    _, doc = sample(folder, STAFFORDSHIRE_2023)
    assert doc.family == "cause_of_concern_revisit"
    assert doc.title == "Staffordshire Police: PEEL Cause of concern revisit letter"
    assert (doc.force, doc.framework, doc.period) == ("staffordshire", "peel-2021-22", "2021/22")
    assert doc.published == dt.date(2023, 2, 10)
    assert doc.sender == (
        "Wendy Williams CBE, His Majesty’s Inspector of Constabulary, Her Majesty’s Inspector "
        "of Fire and Rescue Services"
    )
    # Two people under "To", separated by a blank line.
    assert doc.recipients == [
        "Chris Noble, Chief Constable, Staffordshire Police",
        "Ben Adams, Police, Fire and Crime Commissioner for Staffordshire",
    ]
    assert doc.not_found == []


def test_staffordshire_2023_causes_and_progress(folder: Path) -> None:
    text, doc = sample(folder, STAFFORDSHIRE_2023)
    assert [(c.ordinal, c.text) for c in concerns(doc)] == [
        (1, "was failing to identify and assess vulnerability at first point of contact"),
        (
            2,
            "wasn’t carrying out effective investigations and didn’t give victims the support "
            "they needed.",
        ),
    ]
    assert recommendations(doc) == []  # the summary of findings is not a list of findings
    [status] = doc.statuses
    assert (status.status, status.date, status.findings, status.scope) == (
        "in_progress",
        dt.date(2023, 2, 10),
        [0, 1],
        "listed",
    )
    assert status.span.line_start == line_of(text, "In December 2022, we revisited")
    assert doc.stages == []
    assert codes(doc) == ["followup_text_elided"]


def test_staffordshire_2024_closes_the_remaining_causes_and_returns_to_scan(
    folder: Path,
) -> None:
    text, doc = sample(folder, STAFFORDSHIRE_2024)
    assert doc.title == "Staffordshire Police: PEEL causes of concern revisit letter"
    assert doc.published == dt.date(2024, 5, 21)  # "Sent on": no "Published on" in this copy
    assert doc.sender == (
        "Michelle Skeer, His Majesty’s Inspector of Constabulary, His Majesty’s Inspector of "
        "Fire & Rescue Services"
    )
    assert doc.recipients == [
        "Chris Noble, Chief Constable, Staffordshire Police",
        "Ben Adams, Staffordshire Police, Fire and Crime Commissioner",  # the Cc
    ]
    assert [c.ordinal for c in concerns(doc)] == [1, 2]
    [closed] = doc.statuses
    assert (closed.status, closed.date, closed.scope, closed.findings) == (
        "closed",
        dt.date(2024, 5, 21),
        "remaining",
        [0, 1],
    )
    assert closed.span.line_start == line_of(text, "I am pleased to let you know")
    stages = sorted((s.date, s.stage, s.reasons) for s in doc.stages)
    assert stages == [
        (dt.date(2022, 7, 6), "engage", [0, 1]),  # "On 6 July 2022, we moved ... engage phase"
        (dt.date(2024, 5, 21), "scan", [0, 1]),  # "return ... default level ... 'scan'"
    ]
    assert (doc.framework, doc.period) == ("peel-2021-22", "2021/22")


def test_staffordshire_2024_recommendations_of_the_responding_to_the_public_section(
    folder: Path,
) -> None:
    text, doc = sample(folder, STAFFORDSHIRE_2024)
    recs = recommendations(doc)
    assert [r.text for r in recs] == [
        "call handlers use and correctly record structured initial triage and risk assessments",
        "vulnerable and repeat caller",
    ]
    # The section's words ("identifying and assessing vulnerability ... first point of
    # contact") are those of the first cause of concern.
    assert {(r.area_hint, r.cause_of_concern, r.deadline) for r in recs} == {
        ("Responding to the public", 0, None)
    }
    assert [c.area_hint for c in concerns(doc)] == ["Responding to the public", None]
    assert recs[1].span.line_start == line_of(text, "- vulnerable and repeat caller")


def test_wiltshire_2022_reviews_the_first_two_of_three(folder: Path) -> None:
    text, doc = sample(folder, WILTSHIRE_2022)
    assert doc.title == "Wiltshire Police: PEEL Cause of concern revisit letter"
    assert (doc.force, doc.framework, doc.period) == ("wiltshire", "peel-2021-22", "2021/22")
    assert doc.published == dt.date(2022, 12, 20)
    assert doc.sender == (
        "Wendy Williams, His Majesty’s Inspector of Constabulary, His Majesty’s Inspector of "
        "Fire & Rescue Services"
    )
    assert doc.recipients == [
        "Kier Pritchard, Chief Constable, Wiltshire Police",
        "Philip Wilkinson, Police and Crime Commissioner for Wiltshire",
    ]
    assert [(c.ordinal, c.text) for c in concerns(doc)] == [
        (
            1,
            "is failing to understand and promptly identify the vulnerability of victims at the "
            "first point of contact",
        ),
        (2, "does not protect vulnerable people from harm to an acceptable standard"),
        (3, "does not have adequate strategic plans in place."),
    ]
    [status] = doc.statuses
    assert (status.status, status.date, status.findings) == (
        "in_progress",
        dt.date(2022, 12, 20),
        [0, 1],  # "against the first two causes of concern"
    )
    assert status.span.line_start == line_of(text, "In November 2022, we revisited")
    assert doc.stages == []


def test_wiltshire_2024_closes_all_three_and_dates_engage(folder: Path) -> None:
    _, doc = sample(folder, WILTSHIRE_2024)
    assert doc.sender == (
        "Andy Cooke QPM DL, His Majesty’s Chief Inspector of Constabulary, His Majesty’s Chief "
        "Inspector of Fire & Rescue Services"
    )
    assert doc.recipients == [
        "Catherine Roper, Chief Constable, Wiltshire Police",
        "Philip Wilkinson, Wiltshire Police and Crime Commissioner",
    ]
    assert [c.ordinal for c in concerns(doc)] == [1, 2, 3]
    assert [(s.status, s.date, s.scope, s.findings) for s in doc.statuses] == [
        ("closed", dt.date(2024, 5, 21), "remaining", [0, 1, 2])
    ]
    assert sorted((s.date, s.stage) for s in doc.stages) == [
        (dt.date(2022, 6, 24), "engage"),  # "On 24 June 2022, ... known as ‘engage’"
        (dt.date(2024, 5, 21), "scan"),
    ]
    recs = recommendations(doc)
    assert [r.text for r in recs] == [
        "improve the process of risk assessing callers to identify those that are vulnerable or "
        "at risk",
        "make sure that cal",
    ]
    assert {(r.area_hint, r.cause_of_concern) for r in recs} == {("Responding to the public", 0)}


@pytest.mark.parametrize(
    "name", [NOTICE, STAFFORDSHIRE_2023, STAFFORDSHIRE_2024, WILTSHIRE_2022, WILTSHIRE_2024]
)
def test_every_cut_of_every_letter_is_named(folder: Path, name: str) -> None:
    text, doc = sample(folder, name)
    cuts = [n for n, line in enumerate(text.lines, 1) if line == "[...]"]
    elided = [w.span.line_start for w in doc.warnings if w.code == "followup_text_elided" if w.span]
    assert cuts and elided == cuts


def test_to_json_has_the_documented_shape(folder: Path) -> None:
    _, doc = sample(folder, STAFFORDSHIRE_2024)
    body = doc.to_json()
    assert body["family"] == "cause_of_concern_revisit"
    assert body["document"]["published"] == "2024-05-21"
    assert body["stages"][0]["date"] in ("2022-07-06", "2024-05-21")
    assert body["findings"][0]["listed_as"] is None


# -- small letters, one quirk each ----------------------------------------------------------------

HEAD = """\
Kent Police: PEEL causes of concern revisit letter
Letter information
From:
Jo Bloggs
His Majesty's Inspector of Constabulary
To:
Alan Smith
Chief Constable
Kent Police
Sent on: 3 March 2023
Background
In March 2022, we inspected Kent Police as part of our PEEL programme. \
We identified two causes of concern, which were that the force:
- was not answering emergency calls quickly enough; and
- was not supervising its investigations of burglary well enough.
"""


def test_straight_quotes_and_sent_on_with_a_colon() -> None:
    doc = letter(
        HEAD + "On 1 May 2022, we placed the force into our enhanced level of monitoring, "
        "known as 'engage'.\n"
    )
    assert doc.published == dt.date(2023, 3, 3)
    assert doc.sender == "Jo Bloggs, His Majesty's Inspector of Constabulary"
    assert doc.recipients == ["Alan Smith, Chief Constable, Kent Police"]
    assert [(s.stage, s.date) for s in doc.stages] == [("engage", dt.date(2022, 5, 1))]
    assert (doc.force, doc.framework) == ("kent", "peel-2021-22")


def test_sent_on_without_a_colon_on_the_same_line() -> None:
    doc = letter(HEAD.replace("Sent on: 3 March 2023", "Sent on 3 March 2023"))
    assert doc.published == dt.date(2023, 3, 3)


def test_two_people_under_to_without_a_blank_line() -> None:
    content = HEAD.replace(
        "Kent Police\nSent on",
        "Kent Police\nMatthew Scott\nPolice and Crime Commissioner for Kent\nSent on",
    )
    doc = letter(content)
    assert doc.recipients == [
        "Alan Smith, Chief Constable, Kent Police",
        "Matthew Scott, Police and Crime Commissioner for Kent",
    ]


def test_closing_one_named_cause_of_concern() -> None:
    doc = letter(
        HEAD + "We have closed the cause of concern about the supervision of burglary "
        "investigations.\n"
    )
    [status] = doc.statuses
    assert (status.status, status.findings, status.scope) == ("closed", [1], "listed")
    assert status.date == dt.date(2023, 3, 3)


@pytest.mark.parametrize(
    "sentence",
    [
        "We have not yet closed the cause of concern about burglary investigations.",
        "We are unable to close the causes of concern at this stage.",
        "The cause of concern about emergency calls remains open.",
    ],
)
def test_a_cause_of_concern_not_closed_closes_nothing(sentence: str) -> None:
    assert letter(HEAD + sentence + "\n").statuses == []


def test_this_cause_of_concern_in_a_section_is_the_sections_cause() -> None:
    doc = letter(
        HEAD + "Investigating crime\n"
        "We found that the force was not supervising burglary investigations well enough.\n"
        "The force has made good progress and we have closed this cause of concern.\n"
    )
    [status] = doc.statuses
    assert (status.status, status.findings) == ("closed", [1])


def test_progress_against_the_second_cause_only() -> None:
    doc = letter(
        HEAD + "In January 2023, we revisited the force to review progress against the second "
        "cause of concern.\n"
    )
    [status] = doc.statuses
    assert (status.status, status.findings, status.date) == (
        "in_progress",
        [1],
        dt.date(2023, 3, 3),
    )


def test_an_ordinal_beyond_the_list_is_a_warning_not_a_status() -> None:
    doc = letter(
        HEAD + "In January 2023, we revisited the force to review progress against the third "
        "cause of concern.\n"
    )
    assert doc.statuses == []
    assert codes(doc) == ["followup_status_unclear"]


def test_a_miscounted_list_is_read_whole_with_a_warning() -> None:
    doc = letter(HEAD.replace("We identified two causes", "We identified three causes"))
    assert len(concerns(doc)) == 2
    [warning] = doc.warnings
    assert warning.code == "followup_concern_count_mismatch"
    assert warning.span is not None and warning.span.line_start == 12


def test_a_section_matching_no_cause_leaves_its_recommendations_without_one() -> None:
    doc = letter(
        HEAD + "Leadership\n"
        "We found that the force's leaders did not set clear priorities.\n"
        "We recommended that the force should:\n"
        "- publish a plan for its priorities.\n"
    )
    [rec] = recommendations(doc)
    assert (rec.text, rec.cause_of_concern, rec.area_hint) == (
        "publish a plan for its priorities.",
        None,
        "Leadership",
    )
    assert codes(doc) == ["followup_concern_unmatched"]
    assert doc.warnings[0].span is not None and doc.warnings[0].span.line_start == 17


def test_wrapped_lines_and_wrapped_bullets_are_joined() -> None:
    doc = letter(
        HEAD.replace(
            "We identified two causes of concern, which were that the force:\n"
            "- was not answering emergency calls quickly enough; and\n",
            "We identified two causes of\nconcern, which were that the force:\n"
            "- was not answering emergency\n  calls quickly enough; and\n",
        )
    )
    first, second = concerns(doc)
    assert first.text == "was not answering emergency calls quickly enough"
    assert (first.span.line_start, first.span.line_end) == (14, 15)
    assert second.ordinal == 2


def test_a_stage_with_only_a_month_is_not_dated_by_guess() -> None:
    doc = letter(HEAD + "In June 2022, we moved Kent Police to the engage phase of monitoring.\n")
    assert doc.stages == []
    assert codes(doc) == ["followup_status_unclear"]


def test_engage_as_an_ordinary_verb_is_no_stage() -> None:
    doc = letter(HEAD + "We will move on to engage with the force's partners next month.\n")
    assert doc.stages == []


def test_a_framework_named_with_its_year_wins_over_the_date() -> None:
    doc = letter(
        HEAD.replace("as part of our PEEL programme", "as part of our PEEL 2023–25 programme")
    )
    assert (doc.framework, doc.period) == ("peel-2023-25", "2023-25")


def test_an_inspection_in_no_cycle_is_a_warning() -> None:
    doc = letter(HEAD.replace("In March 2022, we inspected", "In March 2020, we inspected"))
    assert (doc.framework, doc.period) == (None, None)
    [warning] = doc.warnings
    assert warning.code == "followup_framework_unmatched"
    assert "2020" in warning.message


def test_an_unknown_force_in_the_title_is_said_and_the_rest_is_read() -> None:
    doc = letter(HEAD.replace("Kent Police: PEEL", "Narnia Constabulary: PEEL"))
    assert doc.force is None
    [warning] = doc.warnings
    assert warning.code == "followup_unknown_force"
    assert "Narnia Constabulary" in warning.message and "line 1" in warning.message
    assert "the force the document is about" in doc.not_found
    assert len(concerns(doc)) == 2  # what can be stored is stored


def test_a_letter_naming_no_force_has_none_and_says_so() -> None:
    content = (
        HEAD.replace("Kent Police: PEEL", "PEEL:")
        .replace("Kent Police\n", "")
        .replace("inspected Kent Police", "inspected the force")
    )
    doc = letter(content)
    assert doc.force is None
    assert "the force the document is about" in doc.not_found


def test_the_force_given_wins_and_a_difference_is_said() -> None:
    doc = letter(HEAD, force="Essex")
    assert doc.force == "essex"
    assert codes(doc) == ["followup_force_differs"]
    assert letter(HEAD, force="Kent Police").warnings == []


def test_an_unknown_force_given_is_an_error() -> None:
    with pytest.raises(UnknownForce):
        letter(HEAD, force="Narnia")


def test_an_unreadable_sent_on_date_is_a_warning() -> None:
    doc = letter(HEAD.replace("3 March 2023", "31 February 2023"))
    assert doc.published is None
    assert "followup_date_unreadable" in codes(doc)
    assert "the document's date (Published on, Sent on)" in doc.not_found


def test_a_letter_without_a_list_says_so() -> None:
    doc = letter(
        "Kent Police: PEEL cause of concern revisit letter\nSent on\n3 March 2023\n"
        "From\nJo Bloggs\nTo\nAlan Smith\nChief Constable\n"
        "Background\nWe have reviewed what the force has done since our inspection, and we will "
        "write again in due course once we have more to say.\n"
    )
    assert concerns(doc) == []
    assert "no causes of concern listed" in doc.not_found


NOTICE_HEAD = """\
PEEL: Kent Police cause of concern – Answering calls

Published on: 5 May 2022

We have issued two accelerated causes of concern to Kent Police as a result of its failure to:

  • answer emergency calls quickly enough; and
  • supervise its investigations of burglary.

"""


def test_a_notice_with_plural_headings_and_an_immediate_deadline() -> None:
    doc = letter(
        NOTICE_HEAD + "Causes of concern\n\n"
        "The force is failing to supervise burglary investigations well enough.\n\n"
        "Kent Police should immediately make sure that:\n\n"
        "  - supervisors review every open burglary investigation.\n"
    )
    assert doc.family == "accelerated_cause_of_concern"
    _, second = concerns(doc)
    assert second.text == "The force is failing to supervise burglary investigations well enough."
    assert second.listed_as == "supervise its investigations of burglary."
    [rec] = recommendations(doc)
    assert (rec.deadline, rec.cause_of_concern) == ("immediately", 1)
    assert [(s.findings, s.date) for s in doc.statuses] == [
        ([0], dt.date(2022, 5, 5)),
        ([1, 2], dt.date(2022, 5, 5)),
    ]
    assert (doc.framework, doc.period) == ("peel-2021-22", "2021/22")  # from its own date


def test_a_notice_block_matching_no_listed_cause_is_one_more_with_a_warning() -> None:
    doc = letter(
        NOTICE_HEAD + "Cause of concern\n\n"
        "The force does not keep its custody records accurately.\n\n"
        "Within six months, Kent Police should make sure that:\n\n"
        "  • custody records are checked daily.\n"
    )
    assert [(c.ordinal, c.text) for c in concerns(doc)] == [
        (1, "answer emergency calls quickly enough"),
        (2, "supervise its investigations of burglary."),
        (None, "The force does not keep its custody records accurately."),
    ]
    [rec] = recommendations(doc)
    assert (rec.cause_of_concern, rec.deadline) == (2, "Within six months")
    assert codes(doc) == ["followup_concern_unmatched"]


def test_a_numbered_cause_of_concern_heading_names_its_cause() -> None:
    doc = letter(
        HEAD + "Cause of concern 2\n"
        "In our original inspection, we found the force's leaders set no priorities.\n"
        "We recommended that the force should:\n"
        "- check every open burglary investigation each month.\n"
    )
    [rec] = recommendations(doc)
    assert (rec.cause_of_concern, rec.area_hint) == (1, None)  # by its number, not its words
    assert doc.warnings == []


def test_a_recommendations_heading_follows_the_notices_cause_of_concern() -> None:
    doc = letter(
        NOTICE_HEAD + "Cause of concern\n\n"
        "The force is not answering emergency calls quickly enough.\n\n"
        "Recommendations\n\n"
        "Within three months, Kent Police should:\n\n"
        "  • answer 90% of emergency calls within ten seconds.\n"
    )
    [rec] = recommendations(doc)
    assert (rec.cause_of_concern, rec.deadline, rec.area_hint) == (0, "Within three months", None)
    assert concerns(doc)[0].text == "The force is not answering emergency calls quickly enough."


def test_back_to_scan_unquoted_is_a_stage_at_the_letters_date() -> None:
    doc = letter(HEAD + "We have decided to move Kent Police back to scan.\n")
    assert [(s.stage, s.date, s.reasons) for s in doc.stages] == [
        ("scan", dt.date(2023, 3, 3), [0, 1])
    ]


SAVED_PAGE = """<!DOCTYPE html><html><body><nav>Home</nav>
<h1>Kent Police: PEEL causes of concern revisit letter</h1>
<p>Published on: 3 March 2023</p>
<h2>Letter information</h2>
<p>From</p><p>Jo Bloggs<br>His Majesty&#8217;s Inspector of Constabulary</p>
<p>To</p><p>Alan Smith<br>Chief Constable<br>Kent Police</p>
<p>Sent on</p><p>3 March 2023</p>
<h2>Background</h2>
<p>In March 2022, we inspected Kent Police as part of our PEEL programme. We identified two
causes of concern, which were that the force:</p>
<ul><li>was not answering emergency calls quickly enough; and</li>
<li>was not supervising its investigations of burglary well enough.</li></ul>
<p>On 4 May 2022, we moved Kent Police into &#8216;engage&#8217;.</p>
<h2>Investigating crime</h2>
<p>We found that the force was not supervising burglary investigations well enough. We have
now closed this cause of concern.</p>
</body></html>
"""


def test_a_letter_saved_as_a_web_page(tmp_path: Path) -> None:
    path = tmp_path / "letter.html"
    path.write_text(SAVED_PAGE, encoding="utf-8")
    doc = parse_followup(read_source(path))
    assert (doc.family, doc.force, doc.framework) == (
        "cause_of_concern_revisit",
        "kent",
        "peel-2021-22",
    )
    assert (doc.sender, doc.recipients) == (
        "Jo Bloggs, His Majesty’s Inspector of Constabulary",
        ["Alan Smith, Chief Constable, Kent Police"],
    )
    assert [c.ordinal for c in concerns(doc)] == [1, 2]
    assert [(s.status, s.findings, s.date) for s in doc.statuses] == [
        ("closed", [1], dt.date(2023, 3, 3))
    ]
    assert [(s.stage, s.date) for s in doc.stages] == [("engage", dt.date(2022, 5, 4))]
    assert (doc.warnings, doc.not_found) == ([], [])


def test_a_utf16_copy_reads_like_the_utf8_letter_and_says_so(folder: Path, tmp_path: Path) -> None:
    """A letter saved as UTF-16 (Windows' "Unicode" text) is read like the UTF-8 one, and the
    import says how it was decoded, first, as a report's does."""
    original = folder / WILTSHIRE_2022
    copy = tmp_path / "wiltshire-letter-utf16.txt"
    copy.write_bytes(original.read_text(encoding="utf-8").encode("utf-16"))
    _, expected = _read(original)
    parsed = parse_followup(read_source(copy))
    assert parsed.warnings[0].code == "text_encoding"
    assert parsed.warnings[0].message == (
        "the file is not UTF-8: read as UTF-16 (with a byte order mark)"
    )
    assert [w.code for w in parsed.warnings[1:]] == [w.code for w in expected.warnings]
    assert parsed.statuses == expected.statuses
    assert parsed.findings == expected.findings
    assert (parsed.force, parsed.framework, parsed.published) == (
        expected.force,
        expected.framework,
        expected.published,
    )
