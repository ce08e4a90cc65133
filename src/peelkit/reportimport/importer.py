"""From a file to a parsed document: read it, tell its framework and force, run its reader."""

from __future__ import annotations

from pathlib import Path

from peelkit.errors import DataFileError
from peelkit.frameworks import framework_ids, load_framework
from peelkit.reference import resolve_force
from peelkit.reportimport.detect import detect_force, detect_reader, reader_for
from peelkit.reportimport.model import ParsedDocument
from peelkit.reportimport.readers import all_readers
from peelkit.reportimport.sources import read_source
from peelkit.reportimport.text import SourceText


def parse_file(
    path: Path, framework: str | None = None, force: str | None = None
) -> ParsedDocument:
    """Parse one document; ``framework`` and ``force`` override detection."""
    return parse_text(read_source(path), framework=framework, force=force)


def parse_text(
    text: SourceText, framework: str | None = None, force: str | None = None
) -> ParsedDocument:
    if framework is not None:
        framework_id = load_framework(framework).id
        reader = reader_for(framework_id)
        if reader is None:
            readable = sorted({f for r in all_readers() for f in r.frameworks})
            raise DataFileError(
                text.filename,
                "",
                f"no reader for framework {framework_id} "
                f"(readers exist for: {', '.join(readable)})",
                code="no_report_reader",
            )
    else:
        found = detect_reader(text)
        if found is None:
            raise DataFileError(
                text.filename,
                "",
                "not a report peelkit recognises (an HMIC/HMICFRS baseline, core business, PEEL "
                f"report or PEEL web page); if it is one, say which with --framework "
                f"({', '.join(framework_ids())})",
                code="unknown_report",
            )
        reader, framework_id = found
    if force is not None:
        force_id = resolve_force(force).id
    else:
        detected = detect_force(text)
        if detected is None:
            raise DataFileError(
                text.filename,
                "",
                "cannot tell which force the report is about; say with --force",
                code="force_not_detected",
            )
        force_id = detected.id
    return reader.read(text, framework_id, force_id)
