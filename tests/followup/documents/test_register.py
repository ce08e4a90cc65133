"""Pages of HMIC's older recommendations register: entries with their dated histories.

The real page (three national recommendations of the 2014 core business inspection) is read
from the shared examples folder; the expected values are written down from its text. The small
pages below are made up for the test in the register's layout, one quirk each.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from peelkit.domain.followup import STATUSES
from peelkit.followup.documents import parse_followup
from peelkit.followup.documents.model import ParsedFollowup, RegisterEntry
from peelkit.followup.documents.register import register_statuses
from peelkit.reportimport.sources import read_source
from peelkit.reportimport.text import SourceText

PAGE = "register_core-business-2014_recs-4822-1504-6955.txt"
TITLE = (
    "Core Business: an inspection into crime prevention, police attendance and the use of "
    "police time"
)
UNDER_REVIEW = (
    "The status of this recommendation is currently being reviewed by HMIC and will be updated "
    "when this review is complete."
)


@pytest.fixture(scope="module")
def page(shared: Path) -> tuple[SourceText, ParsedFollowup]:
    text = read_source(shared / "examples" / "follow-up" / PAGE)
    return text, parse_followup(text)


def entry(doc: ParsedFollowup, reference: str) -> RegisterEntry:
    [found] = [e for e in doc.register if e.reference == reference]
    return found


def small(content: str, force: str | None = None) -> ParsedFollowup:
    return parse_followup(SourceText.from_string(content, filename="register.txt"), force)


def codes(doc: ParsedFollowup) -> list[str]:
    return [w.code for w in doc.warnings]


# -- the real page ------------------------------------------------------------------------------


def test_the_page_is_a_national_register_of_the_core_business_inspection(
    page: tuple[SourceText, ParsedFollowup],
) -> None:
    _, doc = page
    assert doc.family == "recommendations_register"
    assert [e.reference for e in doc.register] == ["4822", "1504", "6955"]
    assert (doc.force, doc.framework, doc.period, doc.title) == (
        None,
        "core-business-2014",
        "2014",
        TITLE,
    )
    for found in doc.register:
        assert (found.inspection_title, found.framework, found.addressed_to) == (
            TITLE,
            "core-business-2014",
            "all forces",
        )


def test_entry_texts_and_their_printed_deadlines(page: tuple[SourceText, ParsedFollowup]) -> None:
    text, doc = page
    first = entry(doc, "4822")
    assert first.text == (
        "Not later than 31 March 2015 those forces using a threat, harm and risk policy, that "
        "have not yet done so, should provide call-handlers with specific, sound and "
        "comprehensible criteria against which they can assess threat, harm and risk."
    )
    assert first.deadline == "Not later than 31 March 2015"
    assert entry(doc, "1504").deadline == "By 31 March 2015"
    assert entry(doc, "6955").deadline == "With immediate effect"
    assert text.line(first.span.line_start).endswith("(4822)")
    assert text.line(first.span.line_end).startswith("Not later than")


def test_a_comment_closed_but_never_opened_is_kept_with_a_warning(
    page: tuple[SourceText, ParsedFollowup],
) -> None:
    text, doc = page
    first, second = entry(doc, "4822").events
    # "[on]4th September 2014" / the comment / "[/comment][/on]" with no "[comment]"
    assert (first.date, first.status_as_printed, first.status) == (dt.date(2014, 9, 4), None, None)
    assert first.comment == UNDER_REVIEW
    assert text.line(first.span.line_start) == "[on]4th September 2014"
    assert text.line(first.span.line_end).startswith("[/comment][/on]")
    unopened = [w for w in doc.warnings if w.code == "register_comment_unopened"]
    assert [w.span.line_start for w in unopened if w.span] == [first.span.line_end]
    # The next block's comment has no tags at all and is cut by "[...]".
    assert second.date == dt.date(2017, 8, 30)
    assert second.comment == (
        "This area of activity has subsequently been inspected in HMIC's PEEL Effectiveness "
        "inspections. Where a cause of concern still exists this will appear in the register "
        "against these subsequent inspections."
    )
    assert "register_comment_untagged" in codes(doc)
    assert any("4822" in item and "cut" in item for item in doc.not_found)


def test_statuses_and_comments_of_a_full_history(page: tuple[SourceText, ParsedFollowup]) -> None:
    _, doc = page
    history = [
        (e.date, e.status_as_printed, e.status, e.comment) for e in entry(doc, "1504").events
    ]
    assert history == [
        (dt.date(2014, 9, 4), "awaiting-review", "open", None),
        (dt.date(2016, 9, 30), None, None, UNDER_REVIEW),
        (dt.date(2017, 8, 30), "no-further-action-needed", "closed", None),
    ]


def test_the_last_block_of_the_page_is_not_closed(page: tuple[SourceText, ParsedFollowup]) -> None:
    text, doc = page
    events = entry(doc, "6955").events
    assert [e.date for e in events] == [
        dt.date(2014, 9, 4),
        dt.date(2016, 9, 30),
        dt.date(2017, 8, 30),
        dt.date(2017, 11, 28),
    ]
    assert [e.status for e in events] == ["open", None, "closed", None]
    assert events[3].comment is not None
    assert events[3].comment.startswith(
        "This area of activity has subsequently been inspected in HMIC's PEEL Efficiency"
    )
    [unclosed] = [w for w in doc.warnings if w.code == "register_block_unclosed"]
    assert unclosed.span is not None
    assert "[on]28th November 2017" in text.line(unclosed.span.line_start)


def test_the_pages_cuts_are_named(page: tuple[SourceText, ParsedFollowup]) -> None:
    text, doc = page
    cuts = [n for n, line in enumerate(text.lines, 1) if line == "[...]"]
    elided = [w.span.line_start for w in doc.warnings if w.code == "followup_text_elided" if w.span]
    assert len(cuts) == 2 and elided == cuts


# -- small pages ----------------------------------------------------------------------------------

ENTRY = f"{TITLE} (1234)\n\nBy 1 June 2016 all forces should publish their plans.\n\n"


def test_an_unknown_slug_is_kept_without_a_status() -> None:
    doc = small(ENTRY + "[on]1st April 2015 [status]half-done[/status][/on]\n")
    [event] = doc.register[0].events
    assert (event.date, event.status_as_printed, event.status) == (
        dt.date(2015, 4, 1),
        "half-done",
        None,
    )
    assert codes(doc) == ["register_status_unknown"]


def test_slugs_are_matched_in_any_case_and_dates_may_be_numeric() -> None:
    doc = small(ENTRY + "[on]03/04/2017 [status]In-Progress[/status][/on]\n")
    [event] = doc.register[0].events
    assert (event.date, event.status) == (dt.date(2017, 4, 3), "in_progress")
    assert doc.warnings == []


def test_a_comment_over_several_lines_is_one_comment() -> None:
    doc = small(
        ENTRY + "[on]2nd May 2016 [comment]\nForces have published\nplans.\n\nSome have not."
        "[/comment][/on]\n"
    )
    [event] = doc.register[0].events
    assert event.comment == "Forces have published plans. Some have not."
    assert (event.span.line_start, event.span.line_end) == (5, 9)


def test_a_title_like_no_framework_leaves_the_framework_unset() -> None:
    doc = small(
        "Policing in austerity: rising to the challenge (2001)\n\nAll forces should save money.\n"
        "[on]1st May 2014 [status]awaiting-review[/status][/on]\n"
    )
    [found] = doc.register
    assert (found.framework, found.inspection_title) == (
        None,
        "Policing in austerity: rising to the challenge",
    )
    assert (doc.framework, doc.period) == (None, None)
    [warning] = doc.warnings
    assert warning.code == "followup_framework_unmatched"
    assert warning.span is not None and warning.span.line_start == 1


def test_two_blocks_without_a_closing_tag_between() -> None:
    doc = small(
        ENTRY + "[on]1st May 2014 [status]awaiting-review[/status]\n"
        "[on]1st May 2015 [status]implemented[/status][/on]\n"
    )
    assert [(e.date, e.status) for e in doc.register[0].events] == [
        (dt.date(2014, 5, 1), "open"),
        (dt.date(2015, 5, 1), "closed"),
    ]
    [warning] = doc.warnings
    assert (warning.code, warning.span and warning.span.line_start) == (
        "register_block_unclosed",
        5,
    )


def test_text_outside_any_block_is_a_warning() -> None:
    doc = small(ENTRY + "[on]1st May 2014 [status]superseded[/status][/on] stray words\n")
    assert [e.status for e in doc.register[0].events] == ["superseded"]
    assert codes(doc) == ["register_text_outside_block"]


def test_a_block_that_starts_without_a_date_is_not_read() -> None:
    doc = small(ENTRY + "[on]sometime in 2015 [status]complete[/status][/on]\n")
    assert doc.register[0].events == []
    assert codes(doc) == ["followup_date_unreadable"]
    assert "the history ([on] blocks) of recommendation 1234" in doc.not_found


def test_a_force_given_for_the_register_is_not_used() -> None:
    doc = small(ENTRY + "[on]1st May 2014 [status]awaiting-review[/status][/on]\n", force="Kent")
    assert doc.force is None
    assert codes(doc) == ["followup_force_ignored"]


def test_the_status_file_maps_slugs_to_statuses() -> None:
    statuses = register_statuses()
    assert set(statuses.values()) <= set(STATUSES)
    assert statuses["awaiting-review"] == "open"
    assert statuses["no-further-action-needed"] == "closed"
    assert statuses["not-implemented"] == "closed_not_implemented"
    assert statuses["superseded"] == "superseded"
    assert statuses["in-progress"] == "in_progress"
