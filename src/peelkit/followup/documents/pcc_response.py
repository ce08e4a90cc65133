"""Reader for a police and crime commissioner's section 55 response form.

The form, as text extraction prints it (fields often run together on one line)::

    Response by the Police and Crime Commissioner to HMIC Inspections of X Inspection Details
    Title of Inspection: PEEL Effectiveness Report 2016 – X Date Inspection Published: 2 March
    2017 Deadline for Response: 30 March 2017 Type of Inspection: ...
    Date response sent: 03/04/2017 (Responses to be sent to ...)    <- the date, and the address
    FORCE RESPONSE: The HMIC report on Effectiveness is ...          <- the response, to the end

Fields are found by their labels (``FIELDS``) wherever they stand; a field's value runs to the
next label or the end of its line, the response to the next label or the end of the document.
The force is the one the inspection's title names ("... – Hampshire Constabulary"), the framework
the one it names with its year ("PEEL ... 2016" -> peel-2016, from the framework files), and
``published`` is the date the response was sent. The deadline is kept as the form prints it: it
need not be the 56 days of section 55 (``pcc_deadline_not_statutory`` says when it is not).

Text per recommendation, where a form gives it, in this pattern (inside the response, one item
running to the next; the label may share a line with the text)::

    Recommendation 1: The force should ...      <- a quoted finding, ordinal 1 (its number)
    Response: The constabulary has ...          <- its text in ``PccResponse.items``

"Area for improvement N:" and "Cause of concern N:" items are read the same way.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from peelkit.domain.followup import PCC_RESPONSE_DAYS
from peelkit.followup.documents.common import (
    Stream,
    content_lines,
    day_month_year,
    document_force,
    elision_warnings,
    framework_by_title,
    framework_named,
    leading_date,
    parse_date,
    warning,
)
from peelkit.followup.documents.model import ParsedFollowup, PccResponse, QuotedFinding
from peelkit.frameworks import load_all
from peelkit.reportimport.model import Span
from peelkit.reportimport.text import SourceText, normalise_space

FAMILY = "pcc_response"

# The form's labels (lower case, single spaces) and the field each gives.
FIELDS: dict[str, str] = {
    "title of inspection": "title",
    "inspection title": "title",
    "date inspection published": "published",
    "date of publication": "published",
    "deadline for response": "deadline",
    "response deadline": "deadline",
    "type of inspection": "type",
    "date response sent": "responded",
    "date of response": "responded",
    "force response": "response",
    "pcc response": "response",
    "commissioner's response": "response",
    "police and crime commissioner response": "response",
}
# Headings of the form that extraction runs into the line before the fields.
FORM_HEADINGS = ("Inspection Details",)
# A form needs its title field and one of these to be one.
FORM_SIGNALS = ("responded", "response", "deadline")


def _label_pattern() -> re.Pattern[str]:
    labels = sorted(FIELDS, key=len, reverse=True)
    alternatives = "|".join(
        r"\s+".join(re.escape(word).replace("'", "['’]") for word in label.split())
        for label in labels
    )
    return re.compile(rf"(?P<label>{alternatives})\s*:", re.IGNORECASE)


LABEL = _label_pattern()
ITEM = re.compile(
    r"(?<!\S)(?P<kind>Recommendation|Area\s+for\s+improvement|Cause\s+of\s+concern)\s+"
    r"(?P<number>\d{1,3})\s*[:.–-]\s*",
    re.IGNORECASE,
)
ITEM_KINDS = {
    "recommendation": "recommendation",
    "area for improvement": "area_for_improvement",
    "cause of concern": "cause_of_concern",
}
REPLY = re.compile(r"(?<!\S)(?:Response|Reply|Update)\s*:\s*", re.IGNORECASE)
ADDRESS = re.compile(r"\((?P<address>[^)]*)\)")
TITLE_DASH = re.compile(r"\s+[–—-]\s+")


def _field(label: str) -> str:
    return FIELDS[normalise_space(label.lower().replace("’", "'"))]


def detect(text: SourceText) -> list[str] | None:
    found = {_field(m["label"]): m["label"] for m in LABEL.finditer(text.text)}
    if "title" not in found or not any(f in found for f in FORM_SIGNALS):
        return None
    return [f"field: {normalise_space(label)!r}" for label in found.values()]


class FormReader:
    def __init__(self, text: SourceText, signals: Sequence[str], force: str | None) -> None:
        self.text = text
        self.stream = Stream.of(text)
        self.given = force
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
        self.fields: dict[str, tuple[int, int]] = {}  # field -> (start, end) of its value

    def read(self) -> ParsedFollowup:
        self.doc.warnings.extend(elision_warnings(self.text))
        self.read_fields()
        self.doc.title = self.form_title()
        inspection = self.value("title")
        response = PccResponse(
            inspection_title=inspection,
            inspection_published=self.date("published", "date the inspection was published"),
            stated_deadline=self.date("deadline", "deadline for the response"),
            responded=None,
            address=None,
            text=self.value("response"),
            span=self.span("response"),
        )
        self.read_responded(response)
        self.doc.response = response
        self.doc.published = response.responded
        self.read_force(inspection)
        self.read_framework(inspection)
        self.read_items(response)
        self.check_deadline(response)
        for field, what in (
            ("title", "Title of Inspection"),
            ("published", "Date Inspection Published"),
            ("deadline", "Deadline for Response"),
            ("responded", "Date response sent"),
            ("response", "the response (FORCE RESPONSE)"),
        ):
            if field not in self.fields:
                self.doc.not_found.append(what)
        return self.doc

    # -- fields -----------------------------------------------------------------------------------

    def read_fields(self) -> None:
        labels = list(LABEL.finditer(self.stream.text))
        for index, match in enumerate(labels):
            field = _field(match["label"])
            end = labels[index + 1].start() if index + 1 < len(labels) else len(self.stream.text)
            if field != "response":
                newline = self.stream.text.find("\n", match.end())
                end = min(end, newline) if newline != -1 else end
            if field in self.fields:
                number = self.stream.line_of(match.start())
                self.doc.warnings.append(
                    warning(
                        self.text,
                        "unexpected_structure",
                        f"line {number}: the form prints {match['label']!r} again; the first "
                        "is read",
                        number,
                    )
                )
                continue
            self.fields[field] = (match.end(), end)

    def value(self, field: str) -> str | None:
        if field not in self.fields:
            return None
        start, end = self.fields[field]
        return self.stream.piece(start, end) or None

    def span(self, field: str) -> Span | None:
        if field not in self.fields:
            return None
        start, end = self.fields[field]
        return self.stream.span(start, end)

    def line(self, field: str) -> int:
        return self.stream.line_of(self.fields[field][0]) if field in self.fields else 1

    def date(self, field: str, what: str) -> dt.date | None:
        printed = self.value(field)
        if printed is None:
            return None
        value = parse_date(printed)
        if value is None:
            self.unreadable(field, what, printed)
        return value

    def unreadable(self, field: str, what: str, printed: str) -> None:
        number = self.line(field)
        self.doc.warnings.append(
            warning(
                self.text,
                "followup_date_unreadable",
                f"line {number}: the {what} {printed[:40]!r} is not a date",
                number,
            )
        )

    def read_responded(self, response: PccResponse) -> None:
        """ "Date response sent: 03/04/2017 (Responses to be sent to ...)": the date, then the
        address in parentheses, kept as printed."""
        printed = self.value("responded")
        if printed is None:
            return
        date = leading_date(printed)
        if date is None or date.date is None:
            self.unreadable("responded", "date the response was sent", printed)
        else:
            response.responded = date.date
        rest = printed[date.end :] if date else printed
        address = ADDRESS.search(rest)
        if address:
            response.address = normalise_space(address["address"]) or None

    def form_title(self) -> str | None:
        """The form's own heading: its first line, without the labels and headings after it."""
        found = content_lines(self.text, limit=1)
        if not found:
            return None
        _, line = found[0]
        label = LABEL.search(line)
        title = line[: label.start()] if label else line
        for heading in FORM_HEADINGS:
            if title.rstrip().endswith(heading):
                title = title.rstrip()[: -len(heading)]
        return normalise_space(title) or None

    # -- force and framework ----------------------------------------------------------------------

    def read_force(self, inspection: str | None) -> None:
        printed = None
        if inspection:
            parts = TITLE_DASH.split(inspection)
            printed = parts[-1] if len(parts) > 1 else None
        found = document_force(self.text, printed, self.line("title"), self.given)
        self.doc.force = found.force
        self.doc.warnings.extend(found.warnings)
        self.doc.not_found.extend(found.not_found)

    def read_framework(self, inspection: str | None) -> None:
        if inspection is None:
            return
        programmes = {f.programme for f in load_all()}
        for programme in sorted(programmes):
            if re.search(rf"\b{re.escape(programme)}\b", inspection, re.IGNORECASE):
                named = framework_named(inspection, programme)
                if named is not None:
                    self.doc.framework, self.doc.period = named.id, named.period
                    return
        framework, why = framework_by_title(TITLE_DASH.split(inspection)[0])
        if framework is not None:
            self.doc.framework, self.doc.period = framework.id, framework.period
            return
        number = self.line("title")
        self.doc.warnings.append(
            warning(
                self.text,
                "followup_framework_unmatched",
                f"line {number}: the inspection {inspection!r} names no framework peelkit knows "
                f"({why})",
                number,
            )
        )

    # -- per-recommendation text -----------------------------------------------------------------

    def read_items(self, response: PccResponse) -> None:
        start, end = self.fields.get("response", (0, len(self.stream.text)))
        text = self.stream.text
        found = list(ITEM.finditer(text, start, end))
        for index, match in enumerate(found):
            stop = found[index + 1].start() if index + 1 < len(found) else end
            reply = REPLY.search(text, match.end(), stop)
            quoted_end = reply.start() if reply else stop
            kind = ITEM_KINDS[normalise_space(match["kind"].lower())]
            self.doc.findings.append(
                QuotedFinding(
                    kind=kind,
                    text=self.stream.piece(match.end(), quoted_end),
                    span=self.stream.span(match.start(), quoted_end),
                    ordinal=int(match["number"]),
                )
            )
            answer = self.stream.piece(reply.end(), stop) if reply else ""
            if answer:
                response.items.append((len(self.doc.findings) - 1, answer))
            else:
                self.doc.not_found.append(f"the response to {match['kind']} {match['number']}")

    def check_deadline(self, response: PccResponse) -> None:
        published, deadline = response.inspection_published, response.stated_deadline
        if published is None or deadline is None:
            return
        statutory = published + dt.timedelta(days=PCC_RESPONSE_DAYS)
        if deadline != statutory:
            number = self.line("deadline")
            self.doc.warnings.append(
                warning(
                    self.text,
                    "pcc_deadline_not_statutory",
                    f"line {number}: the form's deadline, {day_month_year(deadline)}, is "
                    f"{(deadline - published).days} days after the inspection was published "
                    f"({day_month_year(published)}), not the {PCC_RESPONSE_DAYS} days of "
                    f"section 55 ({day_month_year(statutory)}); it is kept as printed",
                    number,
                )
            )


def read(text: SourceText, signals: Sequence[str], force: str | None = None) -> ParsedFollowup:
    return FormReader(text, signals, force).read()
