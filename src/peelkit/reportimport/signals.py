"""The signals a document gives of what it is: its title line, the pillar questions it prints,
the year spellings, force and pillar named by its file name, its web address or its
breadcrumb.

Detection (:mod:`peelkit.reportimport.detect`) and the readers weigh them; each signal says
where it was found, so the import can say which it used, and an unknown document's error which
it found. A signal only reports: years are given as the ids of the frameworks whose
``era.year_spellings`` they are, pillars as area ids, forces as force ids.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import PurePath

from peelkit.domain.forces import Force
from peelkit.frameworks import load_all
from peelkit.names import fold
from peelkit.reference import territorial_forces
from peelkit.reportimport.furniture import Page, plain, rules
from peelkit.reportimport.readers.eras import per_catalogue, spelling_pattern
from peelkit.reportimport.text import SourceText

# Where a signal was found.
KINDS = (
    "title_line",
    "pillar_question",
    "pillar_name",
    "file_name",
    "url",
    "breadcrumb",
)
# The first lines of a document that may hold its title and its pillar's question.
HEAD_CONTENT_LINES = 8
# A year as file names, addresses and titles write it: 2017, 2018/19, 2018-19, 2018/2019.
_YEAR = re.compile(r"(?<!\d)(\d{4})(?:\s*([/–-])\s*(\d{2}(?:\d{2})?))?(?!\d)")
_ADDRESS = re.compile(r"(?:https?://|www\.)\S+|\b[\w.-]*justiceinspectorates\.gov\.uk/\S*", re.I)
# "<force> PEEL <year>", "PEEL <year>: <force>", with a site's name after it or not.
_TITLE = (
    r"^(?:(?P<force>\S.*?)\s*[-–:|,]?\s+)?PEEL\s+(?P<year>{years})"
    r"(?:\s*[-–:|,]\s*(?P<after>.+?))?$"
)


@dataclass(frozen=True)
class Signal:
    kind: str  # one of KINDS
    evidence: str  # what was found, as printed (plain)
    line: int | None = None  # where in the text; None for the file name
    frameworks: tuple[str, ...] = ()  # ids of the frameworks whose year it spells
    force: str | None = None  # force id it names
    pillar: str | None = None  # pillar name it names (folded: "effectiveness")
    pillar_of: tuple[str, ...] = ()  # for a pillar question: "framework:area" it is the question of

    def describe(self) -> str:
        where = f" (line {self.line})" if self.line is not None else ""
        label = {
            "title_line": "title line",
            "pillar_question": "pillar question",
            "pillar_name": "pillar name",
            "file_name": "file name",
            "url": "web address",
            "breadcrumb": "breadcrumb",
        }[self.kind]
        return f"{label} {self.evidence!r}{where}"


# -- years, forces and pillars in a string ----------------------------------------------------


@per_catalogue
def year_spellings() -> dict[str, tuple[str, ...]]:
    """Every framework year spelling (folded spaces and dashes kept) to the framework ids."""
    spellings: dict[str, list[str]] = {}
    for framework in load_all():
        for spelling in framework.year_spellings:
            ids = spellings.setdefault(_year_key(spelling), [])
            if framework.id not in ids:
                ids.append(framework.id)
    return {key: tuple(ids) for key, ids in spellings.items()}


def _year_key(spelling: str) -> str:
    return re.sub(r"\s*[/–-]\s*", "/", spelling.strip())


def years_in(text: str) -> tuple[str, ...]:
    """The framework ids whose years a string spells ("peel-2018-19" for "2018/19", "2018-19"
    or "2018"), in the order found."""
    found: list[str] = []
    for match in _YEAR.finditer(text):
        first, _, second = match.groups()
        keys = [f"{first}/{second}"] if second else []
        keys.append(first)
        for key in keys:
            ids = year_spellings().get(key)
            if ids:
                found.extend(i for i in ids if i not in found)
                break
    return tuple(found)


@cache
def _force_index() -> dict[str, Force]:
    index: dict[str, Force] = {}
    for force in territorial_forces():
        names = (force.id, force.name, force.short_name, force.police_uk_id, *force.aliases)
        for spelling in names:
            index.setdefault(fold(spelling), force)
    return index


def find_force(name: str) -> Force | None:
    """The territorial force a name denotes exactly (case, punctuation ignored), or None."""
    return _force_index().get(fold(name))


def force_in(text: str) -> Force | None:
    """The force a file name, address or breadcrumb names: its longest run of words that is a
    force's name ("avon-and-somerset", "kent", "metropolitan police service")."""
    words = [w for w in re.split(r"[^a-z&]+", text.lower()) if w]
    for size in range(min(5, len(words)), 0, -1):
        for start in range(len(words) - size + 1):
            force = find_force(" ".join(words[start : start + size]))
            if force is not None:
                return force
    return None


@per_catalogue
def pillar_names() -> frozenset[str]:
    """The folded names of every framework's pillars ("effectiveness", "legitimacy", ...)."""
    return frozenset(fold(a.name) for f in load_all() for a in f.walk() if a.level == "pillar")


def pillar_in(text: str) -> str | None:
    words = [w for w in re.split(r"[^a-z]+", text.lower()) if w]
    return next((w for w in words if w in pillar_names()), None)


# -- signals of a text ---------------------------------------------------------------------------


def title_pattern(years: Iterable[str]) -> re.Pattern[str]:
    """The title line's pattern for these year spellings (exactly as the data spells them)."""
    return _compiled(_TITLE.format(years=spelling_pattern(years)))


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


@dataclass(frozen=True)
class Title:
    line: int
    text: str  # as printed, without a site's name after it ("Kent PEEL 2017 - HMICFRS")
    force: Force | None
    frameworks: tuple[str, ...]
    pillar: str | None = None  # the pillar a pillar title names (folded: "legitimacy")


def title_line(page: Page, years: Iterable[str] | None = None) -> Title | None:
    """The title line, "<force> PEEL <year>" (or "PEEL <year>: <force>"), among the first
    content lines; the force is None when the name is no force peelkit knows."""
    spellings = tuple(years) if years is not None else tuple(year_spellings())
    pattern = title_pattern(spellings)
    for number in page.content[:HEAD_CONTENT_LINES]:
        line = _without_site_name(page.line(number))
        match = pattern.match(line)
        if match is None:
            continue
        force = None
        for name in (match.group("force"), match.group("after")):
            if name and force is None:
                force = find_force(name)
        return Title(number, line, force, years_in(match.group("year")))
    return None


# "PEEL: Police legitimacy 2016", "PEEL: police efficiency 2016 – Essex Police": the title a
# page republished elsewhere (a police and crime commissioner's site) prints, HMIC's own
# publication title; the force is then named after it, or only in the text.
_PILLAR_TITLE = (
    r"^PEEL\s*[:–-]\s*Police\s+(?P<pillar>{pillars})\s+(?P<year>{years})"
    r"(?:\s*[-–:|,]\s*(?P<after>.+?))?$"
)


def pillar_title(page: Page, years: Iterable[str] | None = None) -> Title | None:
    """The page's title when it is a pillar title, "PEEL: Police <pillar> <year>" (HMIC's
    title of the pillar's publication): its first content line, furniture skipped. The force
    is the one named after it ("... 2016 – Essex Police"), else None."""
    if not page.content:
        return None
    spellings = tuple(years) if years is not None else tuple(year_spellings())
    pillars = "|".join(
        re.escape(name) for name in sorted(pillar_names(), key=lambda n: (-len(n), n))
    )
    pattern = _compiled(_PILLAR_TITLE.format(pillars=pillars, years=spelling_pattern(spellings)))
    number = page.content[0]
    line = _without_site_name(page.line(number))
    match = pattern.match(line)
    if match is None:
        return None
    after = match.group("after")
    force = find_force(after) if after else None
    return Title(number, line, force, years_in(match.group("year")), fold(match.group("pillar")))


def _without_site_name(line: str) -> str:
    """ "Kent PEEL 2017 - HMICFRS" -> "Kent PEEL 2017"."""
    for pattern in _site_name_endings(rules().site_names):
        line = pattern.sub("", line)
    return line


@cache
def _site_name_endings(names: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    """Each site's name at the end of a line, after a dash, bar or colon (in the data's order:
    "... - HMIC - HMICFRS" loses both)."""
    return tuple(re.compile(rf"\s*[-–|:]\s*{re.escape(plain(n))}\s*$", re.I) for n in names)


def locator_signals(text: SourceText, page: Page) -> list[Signal]:
    """What the file name, a web address printed in the text and a breadcrumb say."""
    found: list[Signal] = []
    name = PurePath(text.filename).name
    if name and not name.startswith("<"):
        found.append(_locator("file_name", name, None))
    for number, item in sorted(page.furniture.items()):
        if item.kind == "breadcrumb":
            found.append(_locator("breadcrumb", item.text, number))
    # The page's own address: in its head, or in a print-out's header or footer (an address
    # in the body is a reference to another page).
    printed = {n for n, f in page.furniture.items() if f.kind in ("url", "print_header")}
    for number in sorted(printed | set(page.content[:HEAD_CONTENT_LINES])):
        for address in _ADDRESS.findall(page.line(number)):
            if any(site in address.lower() for site in rules().site_addresses):
                found.append(_locator("url", address, number))
    unique = {(s.kind, s.evidence): s for s in reversed(found)}
    return [
        s
        for s in found
        if unique[(s.kind, s.evidence)] is s and (s.frameworks or s.force or s.pillar)
    ]


def _locator(kind: str, value: str, line: int | None) -> Signal:
    stem = value
    if kind == "file_name":
        stem = re.sub(r"\.(?:txt|pdf|html?|md)$", "", value, flags=re.I)
    force = force_in(stem)
    return Signal(
        kind=kind,
        evidence=value,
        line=line,
        frameworks=years_in(stem),
        force=force.id if force else None,
        pillar=pillar_in(stem),
    )


def pillar_signals(page: Page, frameworks: Iterable[str] | None = None) -> list[Signal]:
    """The lines among the first content lines that are a pillar's name or question."""
    wanted = set(frameworks) if frameworks is not None else None
    found: list[Signal] = []
    for number in page.content[:HEAD_CONTENT_LINES]:
        line = page.line(number)
        owners = []
        name_only = False
        for framework in load_all():
            if wanted is not None and framework.id not in wanted:
                continue
            area = framework.find_area(line)
            if area is None or area.level != "pillar":
                continue
            owners.append(f"{framework.id}:{area.id}")
            name_only = fold(line) in {fold(area.name), fold(area.id)}
        if owners:
            kind = "pillar_name" if name_only else "pillar_question"
            pillar = owners[0].split(":", 1)[1]
            found.append(Signal(kind, line, number, pillar=pillar, pillar_of=tuple(owners)))
    return found
