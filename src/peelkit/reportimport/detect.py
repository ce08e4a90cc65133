"""Which family of document, which framework and which force a document is, and why.

Each reader's ``detect`` says whether it recognises a text (the first that does reads it). The
signals a document gives (:mod:`peelkit.reportimport.signals`: its title line, the pillar
questions it prints, the years, force and pillar its file name, web address or breadcrumb
name) are recorded as the document's ``detected_by``, so an import says what told it; a
document no reader recognises is refused with the signals it gave and the families peelkit
reads. Page furniture (banners, breadcrumbs, "Last updated" lines) never counts as a title.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache

from peelkit.domain.forces import Force
from peelkit.errors import DataFileError
from peelkit.frameworks import framework_ids, load_framework
from peelkit.reference import get_force, territorial_forces
from peelkit.reportimport import furniture
from peelkit.reportimport.model import DetectionSignal
from peelkit.reportimport.name_counts import NameCounter
from peelkit.reportimport.named_force import force_of_titled_page
from peelkit.reportimport.readers import Reader, all_readers, reader_reading, readers
from peelkit.reportimport.signals import (
    Signal,
    Title,
    locator_signals,
    pillar_signals,
    pillar_title,
    title_line,
)
from peelkit.reportimport.text import SourceText

WEB_PAGE = "web-page"  # the web page reader's name (its module is imported when needed)
HEAD_CHARACTERS = 300
FIRST_LINE_SHOWN = 80
# The families of documents the readers read, in words (a reader not named here is named by
# its reader name).
FAMILIES = {
    "baseline-2005": "HMIC baseline assessment reports",
    "core-business-2014": "HMIC core business inspection letters",
    "peel-2018-19": "HMICFRS PEEL 2018/19 integrated assessment reports",
    "peel-effectiveness": "HMIC PEEL effectiveness reports",
    "peel-2021-25": "HMICFRS PEEL 2021/22 and 2023-25 force reports and press releases",
    "web-page": (
        "HMIC/HMICFRS per-force PEEL web pages (pillar pages, question view, force overview)"
    ),
}


def detect_reader(text: SourceText) -> tuple[Reader, str] | None:
    """The first reader that recognises the text, and the framework id it recognised."""
    for reader in readers():
        framework_id = reader.detect(text)
        if framework_id is not None:
            return reader, framework_id
    return None


def reader_for(framework_id: str) -> Reader | None:
    return reader_reading(framework_id)


@dataclass(frozen=True)
class Detection:
    reader: Reader
    framework: str
    detected_by: tuple[DetectionSignal, ...]


def detect_document(text: SourceText) -> Detection | None:
    """The reader and framework of a text, with the signals that told them."""
    found = detect_reader(text)
    if found is None:
        return None
    reader, framework_id = found
    return Detection(reader, framework_id, tuple(framework_signals(text, reader, framework_id)))


def given(reader: Reader, framework_id: str) -> tuple[DetectionSignal, ...]:
    """What ``--framework`` decides."""
    return (
        DetectionSignal("family", reader.name, "given", "--framework"),
        DetectionSignal("framework", framework_id, "given", "--framework"),
    )


def framework_signals(text: SourceText, reader: Reader, framework_id: str) -> list[DetectionSignal]:
    """Why the text is of the reader's family and the framework: the signals the reader
    weighed (web pages), else the reader's own markers, with any title line, file name or
    address that spells the framework's year."""
    if reader.name == WEB_PAGE:
        import peelkit.reportimport.readers.web_page as web_page

        found = web_page.detection(text)
        if found is not None and found[0] == framework_id:
            family = [_signal("family", reader.name, s) for s in found[1][:1]]
            return family + [_signal("framework", framework_id, s) for s in found[1]]
    signals = [DetectionSignal("family", reader.name, "reader_markers", reader.name)]
    page = furniture.find(text)
    title = title_line(page)
    spelt: list[Signal] = []
    if title is not None and framework_id in title.frameworks:
        spelt.append(Signal("title_line", title.text, title.line, title.frameworks))
    # (an address in a report's text is more often a reference to another publication)
    spelt.extend(
        s for s in locator_signals(text, page) if s.kind != "url" and framework_id in s.frameworks
    )
    signals.append(DetectionSignal("framework", framework_id, "reader_markers", reader.name))
    signals.extend(_signal("framework", framework_id, s) for s in spelt)
    return signals


def _signal(decides: str, value: str, signal: Signal) -> DetectionSignal:
    return DetectionSignal(decides, value, signal.kind, signal.evidence, signal.line)


# -- the force ---------------------------------------------------------------------------------


def detect_force(text: SourceText) -> Force | None:
    """The force a document is about (:func:`detect_force_signal`)."""
    found = detect_force_signal(text)
    return found[0] if found else None


def detect_force_signal(text: SourceText) -> tuple[Force, DetectionSignal] | None:
    """The force a document is about, and what told it: the one its title names, else the one
    it names most, else the one its web address or file name names.

    Full names count ("Metropolitan Police Service", "Kent Police"); a report mentions other
    forces (its most similar group, national tables) far less often than its own. Page
    furniture ("Skip to content") is not the title. A page titled "PEEL: Police <pillar>
    <year>" is about the force its title names, else the one its grade sentences or its first
    paragraph name (:mod:`peelkit.reportimport.named_force`), or none.
    """
    page = furniture.find(text)
    titled = _pillar_titled(page)
    if titled is not None:
        return force_of_titled_page(page, titled).found
    # The head is the first three lines (not furniture), and no more than a title's length of
    # them: a text whose line breaks were lost is all one line, and its first force named (in
    # a table, a list of forces) is not its subject.
    numbers = [n for n in range(1, len(text.lines) + 1) if not page.is_furniture(n)][:3]
    head = " ".join(text.line(n) for n in numbers)[:HEAD_CHARACTERS]
    first = next((n for n in numbers if text.line(n).strip()), None)
    for force in territorial_forces():
        if re.match(rf"\s*{re.escape(force.short_name)}\b", head) or force.name in head:
            evidence = text.line(first).strip() if first is not None else head.strip()
            return force, DetectionSignal("force", force.id, "title_line", evidence, first)
    names, counter = _force_names()
    named = counter.counts(text.text)
    counts: Counter[str] = Counter(
        {force_id: sum(named[name] for name in own) for force_id, own in names.items()}
    )
    best, hits = counts.most_common(1)[0] if counts else ("", 0)
    if hits > 0:
        force = get_force(best)
        evidence = f"{force.name}, named {hits} time{'s' if hits > 1 else ''}"
        return force, DetectionSignal("force", force.id, "force_names", evidence)
    for signal in sorted(locator_signals(text, page), key=lambda s: s.kind != "url"):
        if signal.force is not None:
            force = get_force(signal.force)
            return force, DetectionSignal(
                "force", force.id, signal.kind, signal.evidence, signal.line
            )
    return None


@cache
def _force_names() -> tuple[dict[str, frozenset[str]], NameCounter]:
    """The names a text may call each force by (its full name, its aliases of more than one
    word), and a counter of them all."""
    names = {
        force.id: frozenset({force.name, *[a for a in force.aliases if len(a) > 4 and " " in a]})
        for force in territorial_forces()
    }
    return names, NameCounter(name for own in names.values() for name in own)


def _pillar_titled(page: furniture.Page) -> Title | None:
    """The page's pillar title, when it has no "<force> PEEL <year>" title (which wins, as it
    does for the web page reader)."""
    titled = pillar_title(page)
    return titled if titled is not None and title_line(page) is None else None


def force_not_told(text: SourceText) -> str:
    """What a document lacks when :func:`detect_force_signal` finds no force, in words."""
    page = furniture.find(text)
    titled = _pillar_titled(page)
    if titled is not None:
        return force_of_titled_page(page, titled).missing
    return "no title line names a force, nor does its text, web address or file name"


# -- a document no reader recognises ---------------------------------------------------------


def unknown_document(text: SourceText) -> DataFileError:
    """The error for a text no reader recognises: the signals it gave, the families known."""
    found = ", ".join(_found(text)) or "no title line, year, force or pillar question"
    families = "; ".join(_families())
    return DataFileError(
        text.filename,
        "",
        f"not a report peelkit recognises: found {found}; peelkit reads {families}; if it is "
        f"one of these, say which framework with --framework ({', '.join(framework_ids())})",
        code="unknown_report",
    )


def _found(text: SourceText) -> list[str]:
    page = furniture.find(text)
    found: list[str] = []
    first = page.first_content()
    title = title_line(page) or pillar_title(page)
    if title is not None:
        found.append(Signal("title_line", title.text, title.line).describe())
    elif first is not None:
        line = page.line(first)
        shown = line if len(line) <= FIRST_LINE_SHOWN else line[:FIRST_LINE_SHOWN] + "..."
        found.append(f"first line {shown!r} (line {first}, not a title peelkit knows)")
    for signal in pillar_signals(page):
        owners = sorted({owner.split(":", 1)[1] for owner in signal.pillar_of})
        found.append(f"{signal.describe()} of {'/'.join(owners)}")
    for signal in locator_signals(text, page):
        said = [*signal.frameworks]
        if signal.force:
            said.append(get_force(signal.force).name)
        if signal.pillar:
            said.append(signal.pillar)
        found.append(f"{signal.describe()} naming {', '.join(said)}")
    force = detect_force_signal(text)
    if force is not None:
        found.append(f"force {force[0].name} ({force[1].signal.replace('_', ' ')})")
    return found


def _families() -> list[str]:
    families = []
    for reader in all_readers():
        frameworks = ", ".join(load_framework(f).id for f in reader.frameworks)
        name = FAMILIES.get(reader.name, f"{reader.name} documents")
        families.append(f"{name} ({frameworks})" if frameworks else name)
    return families
