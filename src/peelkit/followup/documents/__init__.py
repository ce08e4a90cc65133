"""Documents of follow-up: which family a text is, and the reader that parses it.

``detect_followup`` tells the family (``model.FAMILIES``) and the signals that decided it;
``parse_followup`` reads the text into a :class:`~peelkit.followup.documents.model.ParsedFollowup`
(the readers only parse; the store matches it to the record). The families are tried most
specific first: the register's ``[on]`` blocks and the PCC form's labels cannot be mistaken, the
letters' titles can be, so they come last. None of them claims an inspection report.
"""

from __future__ import annotations

from peelkit.errors import DataFileError
from peelkit.followup.documents import letters, pcc_response, register
from peelkit.followup.documents.model import ParsedFollowup
from peelkit.reportimport.text import SourceText

__all__ = ["detect_followup", "is_followup", "parse_followup"]


def detect_followup(text: SourceText) -> tuple[str, list[str]] | None:
    """The family of a follow-up document and the signals that decided it, or None."""
    signals = register.detect(text)
    if signals:
        return register.FAMILY, signals
    signals = pcc_response.detect(text)
    if signals:
        return pcc_response.FAMILY, signals
    return letters.detect(text)


def is_followup(text: SourceText) -> bool:
    return detect_followup(text) is not None


def parse_followup(text: SourceText, force: str | None = None) -> ParsedFollowup:
    """The document read by its family's reader. ``force`` (any name of a force) is used when
    the document's own force is missing or differs (with a warning saying so); a national
    document (the register) has none. A text of no family is an error
    (``unknown_followup_document``)."""
    found = detect_followup(text)
    if found is None:
        raise DataFileError(
            text.filename,
            "",
            "is not a follow-up document peelkit reads (an HMICFRS cause of concern notice or "
            "revisit letter, a page of the HMIC recommendations register, or a PCC section 55 "
            "response form)",
            code="unknown_followup_document",
        )
    family, signals = found
    if family == register.FAMILY:
        parsed = register.read(text, signals, force)
    elif family == pcc_response.FAMILY:
        parsed = pcc_response.read(text, signals, force)
    else:
        parsed = letters.read(text, family, signals, force)
    # What reading the file found (its encoding, control characters removed) comes first, as
    # for a report.
    parsed.warnings[:0] = text.warnings
    return parsed
