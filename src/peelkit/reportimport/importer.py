"""From a file to a parsed document: read it, tell its framework and force, run its reader.

A parse never succeeds quietly on the wrong terms: a framework given that contradicts the one
the document shows is refused (unless forced), and a parse that reads nothing for the
document's own force (no judgment, finding, figure or table row) is an error, not an empty
inspection. What reading the file found (its encoding, control characters) comes first among
the document's warnings; after the reader's come those every reader shares: a finding or a
judgment read twice (a repeated section), a sentence that starts in lower case (a line lost).
A reader that breaks on a text unlike any it knows fails the file in one line.
"""

from __future__ import annotations

import re
from pathlib import Path

from peelkit.errors import DataFileError
from peelkit.frameworks import load_framework
from peelkit.reference import get_force, resolve_force
from peelkit.reportimport.detect import (
    detect_document,
    detect_force_signal,
    force_not_told,
    given,
    reader_for,
    unknown_document,
)
from peelkit.reportimport.model import (
    DetectionSignal,
    ImportWarning,
    ParsedDocument,
    ParsedFinding,
    ParsedJudgment,
    Span,
)
from peelkit.reportimport.readers import Reader, all_readers
from peelkit.reportimport.sources import read_source
from peelkit.reportimport.text import SourceText

# A text whose lines average more characters than this has lost its line breaks (a report's
# lines are a paragraph at most: a few hundred characters).
MAX_MEAN_LINE = 2000


def parse_file(
    path: Path,
    framework: str | None = None,
    force: str | None = None,
    *,
    force_framework: bool = False,
) -> ParsedDocument:
    """Parse one document; ``framework`` and ``force`` override detection.

    A ``framework`` other than the one detected in the document is refused unless
    ``force_framework`` is given.
    """
    return parse_text(
        read_source(path), framework=framework, force=force, force_framework=force_framework
    )


def parse_text(
    text: SourceText,
    framework: str | None = None,
    force: str | None = None,
    *,
    force_framework: bool = False,
) -> ParsedDocument:
    reader, framework_id, detected_by = _reader(text, framework, force_framework)
    if force is not None:
        force_id = resolve_force(force).id
        detected_by.append(DetectionSignal("force", force_id, "given", "--force"))
    else:
        detected = detect_force_signal(text)
        if detected is None:
            raise DataFileError(
                text.filename,
                "",
                f"cannot tell which force the report is about ({force_not_told(text)}); "
                "say which with --force",
                code="force_not_detected",
            )
        force_id = detected[0].id
        detected_by.append(detected[1])
    parsed = _read(reader, text, framework_id, force_id)
    parsed.detected_by[:0] = detected_by
    parsed.warnings[:0] = text.warnings
    parsed.warnings.extend(printed_twice(parsed))
    parsed.warnings.extend(broken_sentences(parsed))
    _check_something_read(text, parsed)
    return parsed


def _lines(span: Span | None) -> str:
    if span is None:
        return "?"
    if span.line_start == span.line_end:
        return str(span.line_start)
    return f"{span.line_start}-{span.line_end}"


# A sentence that starts in lower case inside a finding: "... of crime. the force ..." (not
# "etc. and"): the lines of two paragraphs joined, the line between them missing.
_BROKEN_SENTENCE = re.compile(r"\b(?!etc\.)[a-z]{3,}\. [a-z]")
# What it needs, found fast (a literal first): most findings have no lower case after a stop.
_LOWER_AFTER_STOP = re.compile(r"\. [a-z]")


def broken_sentences(parsed: ParsedDocument) -> list[ImportWarning]:
    """A warning for each finding with a sentence that starts in lower case: a line of the
    text (the first of a paragraph) is likely missing, and two paragraphs were read as one."""
    warnings = []
    for finding in parsed.findings:
        if _LOWER_AFTER_STOP.search(finding.text) is None:
            continue
        match = _BROKEN_SENTENCE.search(finding.text)
        if match is None:
            continue
        around = finding.text[max(0, match.start() - 30) : match.end() + 30]
        warnings.append(
            ImportWarning(
                code="sentence_broken",
                message=(
                    f"a sentence of this {finding.kind.replace('_', ' ')} starts in lower case "
                    f'("...{around}..."): a line of the text may be missing'
                ),
                row=finding.heading,
                span=finding.span,
            )
        )
    return warnings


def printed_twice(parsed: ParsedDocument) -> list[ImportWarning]:
    """A warning for each finding read twice (the same kind, area and words) and each area
    judged twice for one force: a section repeated in the text (a copy-and-paste, an
    extraction that repeats a page). Both are kept, as printed; the warning names both places.
    """
    warnings = []
    findings: dict[tuple[str, str | None, str], ParsedFinding] = {}
    for finding in parsed.findings:
        key = (finding.kind, finding.area, " ".join(finding.text.lower().split()))
        first = findings.setdefault(key, finding)
        if first is finding:
            continue
        words = " ".join(finding.text.split()[:8])
        warnings.append(
            ImportWarning(
                code="duplicate_finding",
                message=(
                    f"the same {finding.kind.replace('_', ' ')} is printed twice, on lines "
                    f'{_lines(first.span)} and {_lines(finding.span)} ("{words}..."); both '
                    "are kept"
                ),
                row=finding.heading,
                span=finding.span,
            )
        )
    judgments: dict[tuple[str, str], ParsedJudgment] = {}
    for judgment in parsed.judgments:
        force = judgment.force or parsed.force
        first_judgment = judgments.setdefault((force, judgment.area), judgment)
        if first_judgment is judgment:
            continue
        warnings.append(
            ImportWarning(
                code="duplicate_judgment",
                message=(
                    f"area {judgment.area} of {force} is judged twice, on lines "
                    f"{_lines(first_judgment.span)} ({first_judgment.grade_as_printed}) and "
                    f"{_lines(judgment.span)} ({judgment.grade_as_printed}); both are kept"
                ),
                row=judgment.area,
                span=judgment.span,
            )
        )
    return warnings


def _reader(
    text: SourceText, framework: str | None, force_framework: bool
) -> tuple[Reader, str, list[DetectionSignal]]:
    """The reader and framework, and what told them (the document, or --framework)."""
    detection = detect_document(text)
    found = (detection.reader, detection.framework) if detection else None
    if framework is None:
        if detection is None:
            raise unknown_document(text)
        return detection.reader, detection.framework, list(detection.detected_by)
    framework_id = load_framework(framework).id
    reader = reader_for(framework_id)
    if reader is None:
        readable = sorted({f for r in all_readers() for f in r.frameworks})
        raise DataFileError(
            text.filename,
            "",
            f"no reader for framework {framework_id} (readers exist for: {', '.join(readable)})",
            code="no_report_reader",
        )
    if found is not None and found[1] != framework_id and not force_framework:
        raise DataFileError(
            text.filename,
            "",
            f"--framework {framework_id} contradicts the document, which reads as a "
            f"{found[1]} report; leave --framework out, or give --force-framework to read it "
            f"as {framework_id} anyway",
            code="framework_contradicts_document",
        )
    return reader, framework_id, list(given(reader, framework_id))


def _read(reader: Reader, text: SourceText, framework_id: str, force_id: str) -> ParsedDocument:
    """Run the reader. A reader that breaks on a text unlike any it was written for (a
    damaged or hand-edited report) fails the file with one line, not a traceback, so a batch
    goes on with its other files."""
    try:
        return reader.read(text, framework_id, force_id)
    except DataFileError:
        raise
    except (ArithmeticError, AssertionError, LookupError, TypeError, ValueError) as exc:
        raise DataFileError(
            text.filename,
            "",
            f"the {reader.name} reader could not read this text as a {framework_id} report "
            f"({type(exc).__name__}: {exc}); it may be damaged or laid out unlike the reports "
            "peelkit knows",
            code="report_unreadable",
        ) from exc


def _check_something_read(text: SourceText, parsed: ParsedDocument) -> None:
    own = [j for j in parsed.judgments if j.force in (None, parsed.force)]
    if own or parsed.findings or parsed.figures or parsed.performance_table:
        return
    characters = sum(len(line) for line in text.lines)
    hint = ""
    if text.lines and characters / len(text.lines) > MAX_MEAN_LINE:
        hint = (
            f"; the text has {len(text.lines)} line{'s' if len(text.lines) > 1 else ''} for "
            f"{characters:,} characters: were its line breaks lost?"
        )
    raise DataFileError(
        text.filename,
        "",
        f"nothing was read as a {parsed.framework} report about {get_force(parsed.force).name}: "
        f"no judgment, finding, figure or table row{hint}",
        code="nothing_read",
    )
