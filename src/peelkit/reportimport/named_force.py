"""The force a page is about when its title does not say: the one its text names.

A PEEL page republished elsewhere (a police and crime commissioner's site) is titled as HMIC
titled the pillar's publication, "PEEL: Police legitimacy 2016", and names its force only in
its text: in the summary sentences that state its grades ("Essex Police is judged to be good
at ..."), and in its first paragraph. The force is the one those grade sentences name most,
else the one the first paragraph names most, by the reference forces' names and aliases
(:mod:`peelkit.reference`); two forces named as often, or none, tell nothing, and the reason is
said (:attr:`Told.missing`) so that the import's error names what was missing.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from peelkit.domain.forces import Force
from peelkit.frameworks import load_framework
from peelkit.reference import get_force, territorial_forces
from peelkit.reportimport.furniture import Page, plain
from peelkit.reportimport.model import DetectionSignal
from peelkit.reportimport.sentences import Sentence, grade_forms, sentences
from peelkit.reportimport.signals import Title

# A first paragraph is prose: a line of at least this many words (not a heading or a grade).
PARAGRAPH_WORDS = 8


@dataclass(frozen=True)
class Told:
    """The force and the signal that told it, or what was missing (``found`` None)."""

    found: tuple[Force, DetectionSignal] | None
    missing: str = ""


def force_of_titled_page(page: Page, title: Title) -> Told:
    """The force of a page whose title is a pillar title (:func:`signals.pillar_title`)."""
    if title.force is not None:
        signal = DetectionSignal("force", title.force.id, "title_line", title.text, title.line)
        return Told((title.force, signal))
    lines = [n for n in page.content if n != title.line]
    stated = _grade_sentences(page, lines, title.frameworks)
    counts, first = _named(stated)
    if counts:
        return _decide(counts, first, "grade_sentence", "its grade sentences", title)
    paragraph = next((n for n in lines if len(page.line(n).split()) >= PARAGRAPH_WORDS), None)
    if paragraph is not None:
        counts, first = _named(sentences(page.text, [paragraph]))
        if counts:
            return _decide(counts, first, "first_paragraph", "its first paragraph", title)
    return Told(
        None,
        f'its title line "{title.text}" names no force, nor do its grade sentences or its '
        "first paragraph",
    )


def _decide(
    counts: Counter[str], first: dict[str, Sentence], signal: str, where: str, title: Title
) -> Told:
    ranked = counts.most_common()
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
        tied = [get_force(f).name for f, hits in ranked if hits == ranked[0][1]]
        named = ", ".join(tied[:-1]) + f" and {tied[-1]}"
        return Told(
            None,
            f'its title line "{title.text}" names no force, and {where} name {named} equally often',
        )
    force = get_force(ranked[0][0])
    sentence = first[force.id]
    return Told(
        (force, DetectionSignal("force", force.id, signal, sentence.text, sentence.span.line_start))
    )


def _grade_sentences(page: Page, lines: Sequence[int], frameworks: Sequence[str]) -> list[Sentence]:
    """The sentences of these lines that state a grade of the year's framework."""
    words = sorted(
        {word for framework in frameworks for word in grade_forms(load_framework(framework))},
        key=lambda w: (-len(w), w),
    )
    if not words:
        return []
    stating = re.compile(rf"\b(?:{'|'.join(re.escape(w) for w in words)})\b", re.IGNORECASE)
    return [s for s in sentences(page.text, lines) if stating.search(s.text)]


def _named(found: Sequence[Sentence]) -> tuple[Counter[str], dict[str, Sentence]]:
    """How often the sentences name each force, and the first sentence naming it."""
    counts: Counter[str] = Counter()
    first: dict[str, Sentence] = {}
    names = _names()
    for sentence in found:
        for match in _any_name().finditer(sentence.text):
            force = names[match.group(0)]
            counts[force] += 1
            first.setdefault(force, sentence)
    return counts, first


@cache
def _names() -> dict[str, str]:
    """Each name a force is named by in prose, to its id: its full name and its aliases of more
    than one word ("Essex Police", "Metropolitan Police Service", "Avon and Somerset
    Constabulary"; a place's name alone, "Essex", is not a force named)."""
    names: dict[str, str] = {}
    for force in territorial_forces():
        for name in (force.name, *force.aliases):
            if len(name) > 4 and " " in name:
                names.setdefault(plain(name), force.id)
    return names


@cache
def _any_name() -> re.Pattern[str]:
    """Every name at once, the longest first ("Metropolitan Police Service" is one mention)."""
    ordered = sorted(_names(), key=lambda n: (-len(n), n))
    return re.compile(rf"(?<!\w)(?:{'|'.join(re.escape(n) for n in ordered)})(?!\w)")
