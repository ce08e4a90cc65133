"""Reader for pages of HMIC's older recommendations register (national recommendations).

A page holds one or more entries, each a national recommendation addressed to all forces::

    Core Business: an inspection into ... the use of police time (1504)   <- inspection, number
    By 31 March 2015 all forces should ensure that ...                   <- text (deadline first)
    [on]4th September 2014 [status]awaiting-review[/status][/on]         <- dated history: status,
    [on]30th September 2016 [comment]                                       comment, or both
    The status of this recommendation is currently being reviewed ...
    [/comment][/on]

A block is ``[on]DATE ... [/on]`` with an optional ``[status]slug[/status]`` and an optional
``[comment]...[/comment]`` that may span lines. Slugs mean statuses through
``followup/data/register_statuses.yaml``. The entry's inspection title names its framework when
it is like a framework's title (word order, case and small words aside).

What the copies get wrong is kept and said: a ``[/comment]`` with no ``[comment]`` (the text
before it is the comment: ``register_comment_unopened``), text in a block without comment tags
(``register_comment_untagged``), a block that is never closed (``register_block_unclosed``,
unless a "[...]" cut explains it), an unknown slug (``register_status_unknown``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from peelkit.domain.followup import STATUSES
from peelkit.errors import DataFileError
from peelkit.followup.documents.common import (
    elision_warnings,
    framework_by_title,
    is_elision,
    leading_date,
    printed_deadline,
    warning,
)
from peelkit.followup.documents.model import ParsedFollowup, RegisterEntry, RegisterEvent
from peelkit.frameworks import load_framework
from peelkit.reportimport.text import SourceText, join_wrapped, normalise_space
from peelkit.yamlfiles import load_yaml

FAMILY = "recommendations_register"
STATUS_FILE = "register_statuses.yaml"

# "TITLE (NUMBER)": an entry's first line.
ENTRY = re.compile(r"^(?P<title>[A-Z][^\[\]]{8,}?)\s*\((?P<number>\d{2,7})\)$")
TAG = re.compile(r"\[(?P<close>/?)(?P<name>on|status|comment)\]", re.IGNORECASE)
ON = re.compile(r"\[on\]", re.IGNORECASE)


@cache
def register_statuses() -> dict[str, str]:
    """Each status slug of the register (lower case) to what it means (one of STATUSES)."""
    path = resources.files("peelkit.followup") / "data" / STATUS_FILE
    document: Any = load_yaml(path.read_text(encoding="utf-8"))
    statuses = document.get("statuses") if isinstance(document, dict) else None
    if not isinstance(statuses, dict):
        raise DataFileError(STATUS_FILE, "statuses", "expected a mapping of slugs to statuses")
    for slug, status in statuses.items():
        if status not in STATUSES:
            raise DataFileError(
                STATUS_FILE,
                f"statuses.{slug}",
                f"unknown status {status!r} (expected one of: {', '.join(STATUSES)})",
            )
    return {str(slug).lower(): str(status) for slug, status in statuses.items()}


def entry_lines(text: SourceText) -> list[tuple[int, re.Match[str]]]:
    found = []
    for number, raw in enumerate(text.lines, start=1):
        match = ENTRY.match(normalise_space(raw))
        if match:
            found.append((number, match))
    return found


def detect(text: SourceText) -> list[str] | None:
    """The signals of a register page: entry titles and ``[on]DATE`` blocks."""
    entries = entry_lines(text)
    blocks = len(ON.findall(text.text))
    if not entries or not blocks:
        return None
    return [f"entry titles 'TITLE (NUMBER)': {len(entries)}", f"[on] blocks: {blocks}"]


@dataclass
class Token:
    kind: str  # text | open | close | elision
    value: str  # the text, or the tag's name
    line: int


def tokens(text: SourceText, first: int, last: int) -> list[Token]:
    """Lines ``first``..``last`` as tags and the text between them."""
    found: list[Token] = []
    for number in range(first, last + 1):
        raw = text.line(number)
        if is_elision(raw):
            found.append(Token("elision", "", number))
            continue
        position = 0
        for match in TAG.finditer(raw):
            if raw[position : match.start()].strip():
                found.append(Token("text", normalise_space(raw[position : match.start()]), number))
            kind = "close" if match["close"] else "open"
            found.append(Token(kind, match["name"].lower(), number))
            position = match.end()
        if raw[position:].strip():
            found.append(Token("text", normalise_space(raw[position:]), number))
    return found


@dataclass
class Block:
    """An ``[on]`` block being read."""

    line: int
    last: int
    date: dt.date | None = None
    dated: bool = False  # the text after [on] has been read for its date
    slug: list[str] = field(default_factory=list)
    in_status: bool = False
    comment: list[str] = field(default_factory=list)
    in_comment: bool = False
    loose: list[str] = field(default_factory=list)  # text outside [status] and [comment]
    cut: bool = False  # a "[...]" fell inside the block


class RegisterReader:
    def __init__(self, text: SourceText, signals: Sequence[str], force: str | None) -> None:
        self.text = text
        self.doc = ParsedFollowup(
            source=text.source_info(),
            family=FAMILY,
            title=None,
            force=None,
            framework=None,
            period=None,
            published=None,
            detected_by=list(signals),
        )
        if force is not None:
            self.doc.warnings.append(
                warning(
                    text,
                    "followup_force_ignored",
                    f"the register's recommendations are national; the force given ({force}) "
                    "is not used",
                    1,
                )
            )
        self.reference = ""
        self.events: list[RegisterEvent] = []

    def read(self) -> ParsedFollowup:
        self.doc.warnings.extend(elision_warnings(self.text))
        entries = entry_lines(self.text)
        if not entries:
            self.doc.not_found.append("register entries (TITLE (NUMBER))")
        for index, (number, match) in enumerate(entries):
            end = entries[index + 1][0] - 1 if index + 1 < len(entries) else len(self.text.lines)
            self.doc.register.append(self.read_entry(number, match, end))
        titles = {e.inspection_title for e in self.doc.register}
        frameworks = {e.framework for e in self.doc.register}
        if len(titles) == 1:
            self.doc.title = titles.pop()
        if len(frameworks) == 1 and (framework := frameworks.pop()) is not None:
            self.doc.framework = framework
            self.doc.period = load_framework(framework).period
        return self.doc

    def read_entry(self, number: int, match: re.Match[str], end: int) -> RegisterEntry:
        title, self.reference = normalise_space(match["title"]), match["number"]
        framework, why = framework_by_title(title)
        if framework is None:
            self.warn(
                "followup_framework_unmatched",
                f"line {number}: the inspection {title!r} of recommendation {self.reference} "
                f"names no framework peelkit knows ({why})",
                number,
            )
        text_lines: list[int] = []
        position = number + 1
        while position <= end and not TAG.search(self.text.line(position)):
            raw = self.text.line(position)
            if raw.strip() and not is_elision(raw):
                text_lines.append(position)
            position += 1
        text = join_wrapped(self.text.line(n) for n in text_lines)
        if not text:
            self.doc.not_found.append(f"the text of recommendation {self.reference}")
        entry = RegisterEntry(
            reference=self.reference,
            inspection_title=title,
            framework=framework.id if framework else None,
            text=text,
            span=self.text.span(number, text_lines[-1] if text_lines else number),
            deadline=printed_deadline(text),
        )
        self.events = []
        self.read_blocks(tokens(self.text, position, end))
        entry.events = self.events
        if not entry.events:
            self.doc.not_found.append(
                f"the history ([on] blocks) of recommendation {self.reference}"
            )
        return entry

    # -- the [on] blocks --------------------------------------------------------------------------

    def read_blocks(self, found: Sequence[Token]) -> None:
        block: Block | None = None
        for token in found:
            starts = token.kind == "open" and token.value == "on"
            if block is not None and token.kind != "elision" and not starts:
                block.last = token.line
            if token.kind == "elision":
                if block is not None:
                    block.cut = True
            elif token.kind == "open" and token.value == "on":
                if block is not None:
                    self.finish(block, closed=False)
                block = Block(token.line, token.line)
            elif block is None:
                self.outside(token)
            elif token.kind == "close" and token.value == "on":
                self.finish(block, closed=True)
                block = None
            elif token.kind == "text":
                self.read_text(block, token)
            else:
                self.read_tag(block, token)
        if block is not None:
            self.finish(block, closed=False)

    def outside(self, token: Token) -> None:
        shown = f"[{'/' if token.kind == 'close' else ''}{token.value}]"
        what = repr(token.value[:60]) if token.kind == "text" else shown
        self.warn(
            "register_text_outside_block",
            f"line {token.line}: {what} of recommendation {self.reference} is outside any "
            "[on] block; it is not read",
            token.line,
        )

    def read_text(self, block: Block, token: Token) -> None:
        value = token.value
        if not block.dated:
            block.dated = True
            date = leading_date(value)
            if date is None or date.date is None:
                printed = date.printed if date else value[:40]
                self.warn(
                    "followup_date_unreadable",
                    f"line {token.line}: the [on] block of recommendation {self.reference} "
                    f"starts with {printed!r}, not a date; the block is not read",
                    token.line,
                )
                return  # what stands where the date should be is not a comment
            block.date = date.date
            value = value.lstrip()[date.end :].strip()
            if not value:
                return
        if block.in_status:
            block.slug.append(value)
        elif block.in_comment:
            block.comment.append(value)
        else:
            block.loose.append(value)

    def read_tag(self, block: Block, token: Token) -> None:
        if not block.dated:  # "[on][status]..." with no date at all
            block.dated = True
            self.warn(
                "followup_date_unreadable",
                f"line {token.line}: the [on] block of recommendation {self.reference} has no "
                "date; the block is not read",
                token.line,
            )
        opening = token.kind == "open"
        if token.value == "status":
            block.in_status = opening
        elif opening:
            block.in_comment = True
        elif block.in_comment:
            block.in_comment = False
        else:
            # "[/comment]" with no "[comment]": the text before it is the comment.
            self.warn(
                "register_comment_unopened",
                f"line {token.line}: [/comment] of recommendation {self.reference} closes no "
                "[comment]; the text before it is read as the comment",
                token.line,
            )
            block.comment.extend(block.loose)
            block.loose = []

    def finish(self, block: Block, closed: bool) -> None:
        if block.cut:
            self.doc.not_found.append(
                f"the end of the [on] block on line {block.line} of recommendation "
                f"{self.reference} (cut from the copy)"
            )
        elif not closed or block.in_comment:
            what = "its [comment] is not closed by [/comment]" if closed else "no [/on] closes it"
            self.warn(
                "register_block_unclosed",
                f"line {block.line}: the [on] block of recommendation {self.reference} is not "
                f"closed ({what}); what it holds is read",
                block.line,
            )
        if block.loose:
            self.warn(
                "register_comment_untagged",
                f"line {block.line}: text in the [on] block of recommendation {self.reference} "
                "has no [comment] tags; it is read as the comment",
                block.line,
            )
        if block.date is None:
            return
        slug = " ".join(block.slug).strip() or None
        status = register_statuses().get(slug.lower()) if slug else None
        if slug is not None and status is None:
            self.warn(
                "register_status_unknown",
                f"line {block.line}: the status {slug!r} of recommendation {self.reference} is "
                f"not in {STATUS_FILE}; it is kept as printed without a status",
                block.line,
            )
        comment = join_wrapped([*block.comment, *block.loose]) or None
        self.events.append(
            RegisterEvent(
                date=block.date,
                span=self.text.span(block.line, block.last),
                status_as_printed=slug,
                status=status,
                comment=comment,
            )
        )

    def warn(self, code: str, message: str, number: int) -> None:
        self.doc.warnings.append(warning(self.text, code, message, number))


def read(text: SourceText, signals: Sequence[str], force: str | None = None) -> ParsedFollowup:
    return RegisterReader(text, signals, force).read()
