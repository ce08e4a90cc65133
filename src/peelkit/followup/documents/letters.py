"""Reader for HMICFRS's notices and letters about causes of concern.

Two families (``ParsedFollowup.family``):

``accelerated_cause_of_concern``, a notice issued during an inspection::

    PEEL: Staffordshire Police cause of concern – Responding to vulnerable people  <- title, force
    Published on: 29 March 2022                                   <- its date: "open" from then
    We have issued two accelerated causes of concern to X as a result of its failure to:
      • ...; and                                                  <- the causes, ordinals 1, 2
      • ...
    Cause of concern                                              <- one block per cause
    The force needs to improve how it ...                         <- its full statement
    Within three months, X should make sure that:                 <- the deadline, as printed
      • ...                                                       <- its recommendations

``cause_of_concern_revisit``, a letter after a revisit (and the letter that closes them)::

    Wiltshire Police: PEEL causes of concern revisit letter       <- title, force
    Letter information / From / To / Cc / Sent on                 <- sender, recipients, date
    Background
    Between 17 January and 11 February 2022, we inspected ...     <- the inspection followed up
    We identified three causes of concern, which were that the force:
    - ...                                                         <- the causes, ordinals 1, 2, 3
    ... we revisited the force to review progress against the first two causes of concern
                                                                  <- in progress: 1 and 2
    On 24 June 2022, we decided to place the force into ... 'engage'   <- stage engage, dated
    ... return Wiltshire Police to our default level of monitoring, known as 'scan'
                                                                  <- stage scan, the letter's date
    ... we have been able to close the force's remaining causes of concern   <- closed, remaining
    Responding to the public                                      <- a section about one cause
    We made the following recommendations, ... the force should:  <- (matched by its words)
    - ...                                                         <- that cause's recommendations

The framework and period of the inspection followed up come from the framework files: a
framework named with its year ("PEEL 2021/22"), else the PEEL cycle whose years contain the
year of the inspection ("In January 2022, we conducted ...", or a notice's own date). Statuses
and stages are dated as the sentence dates them ("On 6 July 2022, ..."), else at the letter's
date ("Sent on", else "Published on"). Anything expected and absent is in ``not_found``; what
cannot be matched (a force, a section's cause of concern) is a warning naming its line.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from peelkit.followup.documents.common import (
    MONTH_YEAR,
    ORDINAL_WORDS,
    PUBLISHED,
    Block,
    Section,
    best_match,
    clean,
    content_lines,
    count_of,
    day_month_year,
    document_force,
    elision_warning,
    find_dates,
    first_year,
    framework_named,
    frameworks_covering,
    is_elision,
    list_item,
    parse_date,
    printed_deadline,
    printed_period,
    programme_frameworks,
    read_blocks,
    sections,
    sentences,
    stage_moved_to,
    warning,
)
from peelkit.followup.documents.model import (
    ParsedFollowup,
    QuotedFinding,
    StatedOrigin,
    StatedStage,
    StatedStatus,
)
from peelkit.frameworks import load_all
from peelkit.names import fold
from peelkit.reportimport.text import SourceText

NOTICE = "accelerated_cause_of_concern"
REVISIT = "cause_of_concern_revisit"
FAMILIES = (NOTICE, REVISIT)

CONCERN = r"causes?\s+of\s+concern"
TITLE_CONCERN = re.compile(rf"\b{CONCERN}\b", re.IGNORECASE)
TITLE_LETTER = re.compile(r"\bletter\b", re.IGNORECASE)
ACCELERATED = re.compile(rf"\baccelerated\s+{CONCERN}\b", re.IGNORECASE)
# The force a title names: "Wiltshire Police: PEEL ...", "PEEL: Staffordshire Police cause of
# concern – ...", "Cleveland Police – causes of concern ...".
TITLE_FORCE = (
    re.compile(r"^(?!PEEL\b)(?P<force>[^:]+?)\s*:\s*PEEL\b"),
    re.compile(rf"^PEEL\s*:\s*(?P<force>.+?)\s+(?:accelerated\s+)?{CONCERN}\b", re.IGNORECASE),
    re.compile(rf"^(?!PEEL\b)(?P<force>[^:–]+?)\s*[:–]\s*.*\b{CONCERN}\b", re.IGNORECASE),
)

# The letter information block: a label on its own line (colon or not) or "Label: value".
FIELD = re.compile(r"^(?P<label>From|To|Cc|Sent on)\s*(?::\s*(?P<value>.*))?$", re.IGNORECASE)
SENT_INLINE = re.compile(r"^(?P<label>Sent on)\s+(?P<value>.*\d.*)$", re.IGNORECASE)
LETTER_INFORMATION = "letter information"
HEAD_LINES = 80  # the title, date and letter information are within these lines
PERSON_MAX_WORDS = 12  # a longer line is the letter's text, not a name or a role
# Words of roles and bodies; a line of a person block without any is the person's name.
_ROLE_WORDS = """
    constable constables commissioner commissioners inspector inspectors inspectorate chief
    police constabulary service services mayor deputy officer fire rescue crime chair director
    office panel council authority secretary majestys his her hmi hmci hmicfrs of for and
"""
ROLE_WORDS = frozenset(_ROLE_WORDS.split())

# "we identified two causes of concern, which were that the force:", "We have issued two
# accelerated causes of concern to X as a result of its failure to:"
CONCERN_LIST = re.compile(
    r"\b(?:identified|issued|found|raised|reported|gave|made)\b.*?"
    rf"\b(?P<count>\w+)\s+(?:accelerated\s+)?{CONCERN}\b.*:$",
    re.IGNORECASE,
)
CONCERN_HEADING = re.compile(
    rf"^(?:accelerated\s+)?{CONCERN}(?:\s*(?P<number>\d+))?$", re.IGNORECASE
)
# A heading over the recommendations of the cause of concern stated just before it.
RECOMMENDATIONS_HEADING = re.compile(r"^Recommendations?$", re.IGNORECASE)
# The sentence that introduces recommendations: "... should make sure that:", "... should:".
LEAD_IN = re.compile(r"\bshould\b.*:$", re.IGNORECASE)
# The sentence that dates the inspection followed up (a revisit is not it).
INSPECTION_SENTENCE = re.compile(r"\binspect(?:ed|ion|ing)?\b|\bassessment\b", re.IGNORECASE)
REVISIT_WORDS = re.compile(r"\brevisit\w*|\bre-?inspect\w*", re.IGNORECASE)
# "we revisited the force to review progress against the first two causes of concern"
PROGRESS = re.compile(
    r"\bprogress\b[^.]*?\b(?:against|towards|on|with|in\s+addressing|in\s+tackling)\s+"
    rf"(?P<which>[^.]*?)\b(?P<noun>{CONCERN})\b",
    re.IGNORECASE,
)
REVIEWED = re.compile(
    r"\b(?:revisit\w*|re-?inspect\w*|review\w*|assess\w*|check\w*|examin\w*)", re.IGNORECASE
)
# "we have been able to close the force's remaining causes of concern", "we have closed the
# cause of concern about ...", "this cause of concern is now closed".
CLOSE_ACTIVE = re.compile(
    rf"\bclos(?:e|ed|ing)\b(?P<which>[^.]*?)\b(?P<noun>{CONCERN})\b(?P<rest>[^.]*)",
    re.IGNORECASE,
)
CLOSE_PASSIVE = re.compile(
    rf"(?P<which>[^.]*?)\b(?P<noun>{CONCERN})\b(?P<rest>[^.]*?)"
    r"\b(?:is|are|was|were|has|have)\s+(?:now\s+)?(?:been\s+)?closed\b",
    re.IGNORECASE,
)
NEGATION = re.compile(
    r"\b(?:not|no|cannot|unable|yet\s+to)\b|n[’']t\b|\b(?:still|remains?|kept)\s+open\b",
    re.IGNORECASE,
)
ABOUT = re.compile(
    r"^\s*(?:about|relating\s+to|regarding|concerning|on|for|that)\b(?P<subject>.+)$",
    re.IGNORECASE,
)


def title_line(text: SourceText) -> tuple[int, str] | None:
    found = content_lines(text, limit=1)
    return found[0] if found else None


def _labels(text: SourceText) -> set[str]:
    labels: set[str] = set()
    for _, line in content_lines(text, limit=HEAD_LINES):
        match = FIELD.match(line) or SENT_INLINE.match(line)
        if match:
            labels.add(match["label"].lower())
    return labels


def detect(text: SourceText) -> tuple[str, list[str]] | None:
    """The family of a notice or letter about causes of concern, and the signals that told."""
    found = title_line(text)
    if found is None:
        return None
    _, title = found
    labels = _labels(text)
    has_information = {"from", "to"} <= labels
    concern_title = TITLE_CONCERN.search(title) is not None
    signals: list[str] = []
    if concern_title:
        signals.append(f"title: {title!r}")
    if has_information:
        signals.append("letter information: " + ", ".join(sorted(labels)))
    # A letter first: its letter information tells it from a notice about the same concerns.
    if concern_title and (TITLE_LETTER.search(title) or has_information):
        return REVISIT, signals
    if has_information and "sent on" in labels and TITLE_CONCERN.search(text.text):
        return REVISIT, [*signals, "text: 'causes of concern'"]
    if concern_title and ACCELERATED.search(text.text):
        return NOTICE, [*signals, "text: 'accelerated cause of concern'"]
    return None


def is_name(line: str) -> bool:
    return not any(word in ROLE_WORDS for word in fold(line).split())


class LetterReader:
    def __init__(self, text: SourceText, family: str, signals: Sequence[str], force: str | None):
        self.text = text
        self.given = force
        self.doc = ParsedFollowup(
            source=text.source_info(),
            family=family,
            title=None,
            force=None,
            framework=None,
            period=None,
            published=None,
            detected_by=list(signals),
        )
        self.consumed: set[int] = set()  # header lines, not part of the letter's text
        self.title_number: int | None = None
        self.published_number: int | None = None
        self.sent: dt.date | None = None
        self.letter_date: dt.date | None = None
        self.causes: list[int] = []  # indexes in doc.findings of the listed causes, by ordinal
        self.concern_list: Block | None = None
        self.section_concern: dict[int, int | None] = {}  # by section heading line
        self.last_stated: int | None = None  # the cause of the last "Cause of concern" block

    @property
    def notice(self) -> bool:
        return self.doc.family == NOTICE

    def read(self) -> ParsedFollowup:
        self.read_title()
        self.read_published()
        self.read_letter_information()
        self.letter_date = self.sent or self.doc.published
        if self.doc.published is None:
            self.doc.published = self.sent
        if self.doc.published is None:
            self.doc.not_found.append("the document's date (Published on, Sent on)")
        self.read_force()
        blocks = read_blocks(self.text, self.consumed)
        self.doc.warnings.extend(
            elision_warning(self.text, b.first) for b in blocks if b.kind == "elision"
        )
        parts = sections(blocks)
        self.read_concern_list(blocks)
        for section in parts:
            self.read_recommendations(section)
        self.read_framework(blocks)
        if self.notice:
            self.notice_statuses()
        else:
            self.read_identified(blocks)
            self.letter_statements(parts)
        return self.doc

    # -- the head: title, date, letter information, force ---------------------------------------

    def read_title(self) -> None:
        found = title_line(self.text)
        if found is None:
            self.doc.not_found.append("title")
            return
        self.title_number, self.doc.title = found
        # Saved pages often print the title twice (page heading and document heading).
        self.consumed.update(
            n for n, raw in enumerate(self.text.lines, start=1) if clean(raw) == self.doc.title
        )

    def read_published(self) -> None:
        for number, line in content_lines(self.text, limit=HEAD_LINES):
            match = PUBLISHED.match(line)
            if match:
                self.consumed.add(number)
                self.published_number = number
                self.doc.published = self.date(match["value"], number, "publication date")
                return

    def date(self, printed: str, number: int, what: str) -> dt.date | None:
        value = parse_date(printed)
        if value is None:
            self.doc.warnings.append(
                warning(
                    self.text,
                    "followup_date_unreadable",
                    f"line {number}: the {what} {printed.strip()!r} is not a date",
                    number,
                )
            )
        return value

    def read_letter_information(self) -> None:
        """From, To, Cc and Sent on: a label on its own line (or "Label: value"), then the lines
        of each person (name, then roles); a blank line or a new name starts another person."""
        lines = self.text.lines
        start = next(
            (
                i
                for i, raw in enumerate(lines[:HEAD_LINES])
                if FIELD.match(clean(raw)) or SENT_INLINE.match(clean(raw))
            ),
            None,
        )
        if start is None:
            if not self.notice:
                self.doc.not_found.append("letter information (From, To, Sent on)")
            return
        self.consume_information_heading(start)
        people: dict[str, list[list[str]]] = {"from": [], "to": [], "cc": []}
        label: str | None = None
        person: list[str] | None = None
        for index in range(start, len(lines)):
            number, raw = index + 1, lines[index]
            line = clean(raw)
            if not line:
                person = None
                continue
            if is_elision(raw):
                break
            field = FIELD.match(line) or SENT_INLINE.match(line)
            if field:
                label, person = field["label"].lower(), None
                self.consumed.add(number)
                value = (field["value"] or "").strip()
                if label == "sent on" and value:
                    self.sent = self.date(value, number, "date sent")
                    label = None  # the fields may come in any order
                    continue
                if value:
                    person = [value]
                    people[label].append(person)
                continue
            if label == "sent on":
                self.consumed.add(number)
                self.sent = self.date(line, number, "date sent")
                label = None
                continue
            if label is None or len(line.split()) > PERSON_MAX_WORDS or self.body_follows(index):
                break
            if person is None or (is_name(line) and not is_name(person[-1])):
                person = [line]
                people[label].append(person)
            else:
                person.append(line)
            self.consumed.add(number)
        self.doc.sender = "; ".join(", ".join(p) for p in people["from"]) or None
        self.doc.recipients = [", ".join(p) for p in people["to"] + people["cc"]]
        if self.doc.sender is None:
            self.doc.not_found.append("sender (From)")
        if not people["to"]:
            self.doc.not_found.append("recipients (To)")

    def consume_information_heading(self, start: int) -> None:
        for index in range(start - 1, -1, -1):
            line = clean(self.text.lines[index])
            if line:
                if fold(line) == LETTER_INFORMATION:
                    self.consumed.add(index + 1)
                return

    def body_follows(self, index: int) -> bool:
        """Whether the next non-blank line after ``index`` is the letter's text (so the line at
        ``index`` is a heading, not a person)."""
        for raw in self.text.lines[index + 1 :]:
            line = clean(raw)
            if line:
                return len(line.split()) > PERSON_MAX_WORDS
        return True

    def read_force(self) -> None:
        printed: str | None = None
        if self.doc.title:
            for pattern in TITLE_FORCE:
                match = pattern.search(self.doc.title)
                if match:
                    printed = match["force"].strip()
                    break
        found = document_force(self.text, printed, self.title_number, self.given)
        self.doc.force = found.force
        self.doc.warnings.extend(found.warnings)
        self.doc.not_found.extend(found.not_found)

    # -- causes of concern and recommendations --------------------------------------------------

    def read_concern_list(self, blocks: Sequence[Block]) -> None:
        """The document's own list of causes of concern, ordinals 1, 2, 3 ..."""
        for index, block in enumerate(blocks):
            match = CONCERN_LIST.search(block.text) if block.kind == "paragraph" else None
            if match is None:
                continue
            items, cut = self.items_after(blocks, index)
            if not items:
                continue
            self.concern_list = block
            for ordinal, item in enumerate(items, start=1):
                self.causes.append(len(self.doc.findings))
                self.doc.findings.append(
                    QuotedFinding(
                        kind="cause_of_concern",
                        text=list_item(item.text),
                        span=item.span(self.text),
                        ordinal=ordinal,
                    )
                )
            count = count_of(match["count"])
            if count is not None and count != len(items) and not cut:
                self.doc.warnings.append(
                    warning(
                        self.text,
                        "followup_concern_count_mismatch",
                        f"line {block.first} says {match['count']} causes of concern but "
                        f"{len(items)} are listed; all {len(items)} are read",
                        block.first,
                        items[-1].last,
                    )
                )
            return
        self.doc.not_found.append("no causes of concern listed")

    @staticmethod
    def items_after(blocks: Sequence[Block], index: int) -> tuple[list[Block], bool]:
        """The bulleted items after block ``index`` (through elisions), and whether a cut was
        among or after them."""
        items: list[Block] = []
        cut = False
        for block in blocks[index + 1 :]:
            if block.kind == "item":
                items.append(block)
            elif block.kind == "elision":
                cut = True
            else:
                break
        return items, cut

    def read_recommendations(self, section: Section) -> None:
        if self.notice and CONCERN_HEADING.match(section.title or ""):
            self.last_stated = self.stated_concern(section)
        for index, block in enumerate(section.blocks):
            if block.kind != "paragraph" or not LEAD_IN.search(block.text):
                continue
            if block is self.concern_list:
                continue  # the causes of concern, not recommendations
            items, _ = self.items_after(section.blocks, index)
            if not items:
                continue
            concern = self.concern_of(section, section.blocks[:index], block)
            heading = section.title
            generic = heading is None or any(
                p.match(heading) for p in (CONCERN_HEADING, RECOMMENDATIONS_HEADING)
            )
            hint = None if generic else heading
            for item in items:
                self.doc.findings.append(
                    QuotedFinding(
                        kind="recommendation",
                        text=list_item(item.text),
                        span=item.span(self.text),
                        area_hint=hint,
                        deadline=printed_deadline(block.text),
                        cause_of_concern=concern,
                    )
                )

    def cause_texts(self) -> list[str]:
        return [self.doc.findings[i].listed_as or self.doc.findings[i].text for i in self.causes]

    def concern_of(self, section: Section, before: Sequence[Block], lead_in: Block) -> int | None:
        """The index of the cause of concern a section's recommendations belong to: a notice's
        "Cause of concern" block states it; a "Cause of concern 2" heading numbers it; a
        "Recommendations" heading follows it; any other section is about it (by words)."""
        heading = CONCERN_HEADING.match(section.title or "")
        if heading and self.notice and self.last_stated is not None:
            return self.last_stated  # read with its section (read_recommendations)
        if heading and heading["number"] and 1 <= int(heading["number"]) <= len(self.causes):
            self.last_stated = self.causes[int(heading["number"]) - 1]
            return self.last_stated
        if RECOMMENDATIONS_HEADING.match(section.title or "") and self.last_stated is not None:
            return self.last_stated
        if section.heading is None and len(self.causes) == 1:
            return self.causes[0]
        index = self.concern_of_section(section, before)
        if index is None:
            where = f"section {section.title!r}" if section.title else "the text"
            self.doc.warnings.append(
                warning(
                    self.text,
                    "recommendation_without_concern"
                    if not self.causes
                    else "followup_concern_unmatched",
                    f"line {lead_in.first}: the recommendations of {where} cannot be matched to "
                    "one of the causes of concern listed; they are read without one",
                    lead_in.first,
                )
            )
        return index

    def concern_of_section(self, section: Section, before: Sequence[Block]) -> int | None:
        """The listed cause of concern a section is about, matched by words (None if unclear)."""
        key = section.heading.first if section.heading else 0
        if key in self.section_concern:
            return self.section_concern[key]
        paragraphs = [b.text for b in before if b.kind == "paragraph"]
        query = " ".join([section.title or "", *paragraphs])
        match = best_match(query, self.cause_texts()) if self.causes else None
        index = self.causes[match] if match is not None else None
        if index is not None and self.doc.findings[index].area_hint is None:
            self.doc.findings[index].area_hint = section.title
        self.section_concern[key] = index
        return index

    def stated_concern(self, section: Section) -> int | None:
        """A notice's "Cause of concern" block: its statement (the block's first paragraph) is
        the full text of one listed cause (by words), or a cause of its own if it matches none."""
        statement = next(
            (b for b in section.blocks if b.kind == "paragraph" and not LEAD_IN.search(b.text)),
            None,
        )
        if statement is None:
            line = section.heading.first if section.heading else 1
            self.doc.not_found.append(f"the statement of the cause of concern of line {line}")
            return None
        text, span = statement.text, statement.span(self.text)
        match = best_match(text, self.cause_texts()) if self.causes else None
        if match is not None:
            cause = self.doc.findings[self.causes[match]]
            if cause.listed_as is None:
                cause.listed_as, cause.listed_span = cause.text, cause.span
                cause.text, cause.span = text, span
            return self.causes[match]
        if self.causes:
            self.doc.warnings.append(
                warning(
                    self.text,
                    "followup_concern_unmatched",
                    f"line {span.line_start}: the cause of concern stated here matches none of "
                    "the causes of concern listed; it is read as one more",
                    span.line_start,
                )
            )
        own = sum(1 for f in self.doc.findings if f.kind == "cause_of_concern") + 1
        self.doc.findings.append(
            QuotedFinding(
                kind="cause_of_concern",
                text=text,
                span=span,
                ordinal=None if self.causes else own,
            )
        )
        return len(self.doc.findings) - 1

    # -- the inspection followed up ---------------------------------------------------------------

    def read_framework(self, blocks: Sequence[Block]) -> None:
        texts = [(self.title_number or 1, self.doc.title or "")]
        texts += [(b.first, b.text) for b in blocks if b.kind in ("paragraph", "heading")]
        whole = " ".join(t for _, t in texts)
        # The programme the document names first ("PEEL"), from the framework files.
        first = {
            p: m.start()
            for p in {f.programme for f in load_all()}
            if (m := re.search(rf"\b{re.escape(p)}\b", whole))
        }
        programme = min(first, key=lambda p: first[p]) if first else None
        if programme is None:
            self.doc.not_found.append("the programme of the inspection followed up (PEEL)")
            return
        for _, line in texts:
            named = framework_named(line, programme)
            if named is not None:
                self.doc.framework, self.doc.period = named.id, named.period
                return
        year, number = self.inspection_year(blocks)
        if year is None:
            self.doc.not_found.append("the date of the inspection followed up")
            return
        covering = frameworks_covering(year, programme)
        if len(covering) == 1:
            self.doc.framework, self.doc.period = covering[0].id, covering[0].period
            return
        periods = ", ".join(f"{f.id} ({f.period})" for f in programme_frameworks(programme))
        problem = (
            f"in the years of several frameworks: {', '.join(f.id for f in covering)}"
            if covering
            else f"in the years of no {programme} framework ({periods})"
        )
        self.doc.warnings.append(
            warning(
                self.text,
                "followup_framework_unmatched",
                f"line {number}: the inspection of {year} is {problem}; its framework is not set",
                number,
            )
        )

    def inspection_year(self, blocks: Sequence[Block]) -> tuple[int | None, int]:
        for block in blocks:
            if block.kind != "paragraph":
                continue
            for sentence in sentences(block.text):
                if INSPECTION_SENTENCE.search(sentence) and not REVISIT_WORDS.search(sentence):
                    year = first_year(sentence)
                    if year is not None:
                        return year, block.first
        if self.notice and self.doc.published is not None:
            return self.doc.published.year, self.published_number or self.title_number or 1
        return None, 1

    def read_identified(self, blocks: Sequence[Block]) -> None:
        """When the letter says its causes of concern were identified: the inspection dated in
        the paragraph that lists them, or in one just before it ("In January 2022, we
        conducted a victim service assessment as part of our ... inspection")."""
        if self.concern_list is None:
            return
        index = next(i for i, b in enumerate(blocks) if b is self.concern_list)
        for block in reversed(blocks[: index + 1]):
            if block.kind == "heading":
                return
            if block.kind != "paragraph":
                continue
            for sentence in sentences(block.text):
                if not INSPECTION_SENTENCE.search(sentence) or REVISIT_WORDS.search(sentence):
                    continue
                period = printed_period(sentence)
                if period is None:
                    continue
                if self.letter_date is not None and period.first > self.letter_date:
                    return  # a date after the letter's own is not when its findings were made
                members = [
                    i
                    for i, f in enumerate(self.doc.findings)
                    if i in self.causes
                    or (f.kind == "recommendation" and f.cause_of_concern in self.causes)
                ]
                self.doc.identified = StatedOrigin(
                    printed=period.printed,
                    first=period.first,
                    last=period.last,
                    span=block.span(self.text),
                    findings=members,
                )
                return

    # -- statuses and stages ---------------------------------------------------------------------

    def notice_statuses(self) -> None:
        """A notice opens each cause of concern (and its recommendations) on its date."""
        if self.doc.published is None:
            self.doc.not_found.append("the notice's date (its causes of concern are not dated)")
            return
        span = self.concern_list.span(self.text) if self.concern_list else None
        findings = self.doc.findings
        concerns = [i for i, f in enumerate(findings) if f.kind == "cause_of_concern"]
        for index in [*concerns, None]:
            linked = [
                i
                for i, f in enumerate(findings)
                if f.kind == "recommendation" and f.cause_of_concern == index
            ]
            members = ([index] if index is not None else []) + linked
            if not members:
                continue
            first = findings[members[0]].span
            self.doc.statuses.append(
                StatedStatus(
                    status="open",
                    date=self.doc.published,
                    span=span if span is not None and index is not None else first,
                    findings=members,
                    note=f"issued on {day_month_year(self.doc.published)}",
                )
            )

    def letter_statements(self, parts: Sequence[Section]) -> None:
        if self.letter_date is None:
            self.doc.not_found.append("the letter's date (its statements are not dated)")
            return
        for section in parts:
            for block in section.blocks:
                if block.kind != "paragraph":
                    continue
                for sentence in sentences(block.text):
                    if not self.closing(sentence, block, section):
                        self.progress(sentence, block, section)
                    self.stage(sentence, block)

    def progress(self, sentence: str, block: Block, section: Section) -> None:
        match = PROGRESS.search(sentence)
        if match is None or not REVIEWED.search(sentence):
            return
        chosen = self.which(match["which"], match["noun"], block, section)
        if chosen is None:
            return
        findings, scope = chosen
        assert self.letter_date is not None
        self.doc.statuses.append(
            StatedStatus(
                status="in_progress",
                date=self.letter_date,
                span=block.span(self.text),
                findings=findings,
                scope=scope,
                note=sentence,
            )
        )

    def closing(self, sentence: str, block: Block, section: Section) -> bool:
        match = CLOSE_ACTIVE.search(sentence)
        stated = sentence[: match.end("noun")] if match else ""
        if match is None:
            match = CLOSE_PASSIVE.search(sentence)
            stated = match.group(0) if match else ""
        if match is None or NEGATION.search(stated):
            return False  # a cause of concern not closed (or still open) closes nothing
        about = ABOUT.match(match["rest"])
        chosen: tuple[list[int], str] | None
        if about and self.causes:
            index = best_match(about["subject"], self.cause_texts())
            chosen = ([self.causes[index]], "listed") if index is not None else None
            if chosen is None:
                subject = about["subject"].strip()
                self.unclear(block, f"the cause of concern it closes ({subject!r})")
        else:
            chosen = self.which(match["which"], match["noun"], block, section)
        if chosen is None:
            return True
        assert self.letter_date is not None
        findings, scope = chosen
        self.doc.statuses.append(
            StatedStatus(
                status="closed",
                date=self.letter_date,
                span=block.span(self.text),
                findings=findings,
                scope=scope,
                note=sentence,
            )
        )
        return True

    def which(
        self, words: str, noun: str, block: Block, section: Section
    ) -> tuple[list[int], str] | None:
        """The causes of concern a phrase names ("the first two", "the second", "the force's
        remaining", "this", "the"), as indexes in findings, and the scope; None (and a warning)
        when it cannot be told."""
        count = len(self.causes)
        if count == 0:
            self.unclear(block, "which causes of concern it means (none are listed)")
            return None
        tokens = fold(words).split()
        if {"remaining", "outstanding", "open"} & set(tokens):
            return list(self.causes), "remaining"
        ordinals = [ORDINAL_WORDS[t] for t in tokens if t in ORDINAL_WORDS]
        counts = [c for t in tokens if t not in ("a", "an") and (c := count_of(t)) is not None]
        plural = fold(noun).startswith("causes")
        picked: list[int]
        if "last" in tokens:
            picked = list(range(count - (counts[0] if counts else 1) + 1, count + 1))
        elif ordinals == [1] and counts:
            picked = list(range(1, counts[0] + 1))
        elif ordinals:
            picked = ordinals
        elif {"this", "that"} & set(tokens) or (not plural and count > 1):
            index = self.concern_of_section(section, section.blocks)
            if index is None:
                self.unclear(block, "which cause of concern it means")
                return None
            return [index], "listed"
        else:
            picked = list(range(1, count + 1))
        if not picked or any(p < 1 or p > count for p in picked):
            self.unclear(block, f"the causes of concern {words.strip()!r} (only {count} listed)")
            return None
        return [self.causes[p - 1] for p in picked], "listed"

    def unclear(self, block: Block, what: str) -> None:
        self.doc.warnings.append(
            warning(
                self.text,
                "followup_status_unclear",
                f"line {block.first}: cannot tell {what}; the statement is not read",
                block.first,
                block.last,
            )
        )

    def stage(self, sentence: str, block: Block) -> None:
        stage = stage_moved_to(sentence)
        if stage is None:
            return
        dates = find_dates(sentence)
        date: dt.date | None
        if dates:
            date = dates[0].date
            if date is None:
                self.doc.warnings.append(
                    warning(
                        self.text,
                        "followup_date_unreadable",
                        f"line {block.first}: {dates[0].printed!r} is not a date",
                        block.first,
                    )
                )
                return
        elif MONTH_YEAR.search(sentence):
            self.unclear(block, f"the day the force moved to {stage} (only a month is given)")
            return
        else:
            date = self.letter_date
        assert date is not None
        self.doc.stages.append(
            StatedStage(
                stage=stage, date=date, span=block.span(self.text), reasons=list(self.causes)
            )
        )


def read(
    text: SourceText, family: str, signals: Sequence[str], force: str | None = None
) -> ParsedFollowup:
    return LetterReader(text, family, signals, force).read()
