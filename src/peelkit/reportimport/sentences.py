"""Grades stated in sentences: "Kent Police is good at investigating crime ...".

HMIC and HMICFRS summaries state grades in a few patterns ("X is good at ...", "is judged as
requiring improvement at ...", "has been assessed as good in respect of ...", "In 2017, we
judged X as good at A and at B", "its use of resources ... is judged to be outstanding"). The
patterns are data (``reportimport/data/grade_sentences.yaml``); the words a pattern says are
graded are matched to an area of the framework by the area's name, question and aliases
(:func:`area_for`), so a new framework file needs no code.

:func:`stated_grades` reads the sentences of any text (a web page's summary, a report's
prose) with a framework and returns each grade with the sentence's span; :func:`combine`
adds them to a document's judgments as ``read_from="sentence"``: a grade printed in a box wins
over a sentence, with a warning where they disagree, and a sentence about an earlier inspection
gives a judgment's ``previous_grade`` (or a carried-over judgment's grade).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from peelkit.domain.frameworks import Area, Framework
from peelkit.frameworks import load_framework
from peelkit.reference import get_force
from peelkit.reportimport.furniture import plain
from peelkit.reportimport.model import ImportWarning, ParsedJudgment, Span
from peelkit.reportimport.signals import years_in
from peelkit.reportimport.text import SourceText, bullet_text
from peelkit.yamlfiles import load_yaml

SENTENCES_FILE = "grade_sentences.yaml"


# -- the rules ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pattern:
    id: str
    tense: str  # "present" or "past"
    template: str


@dataclass(frozen=True)
class Rules:
    subjects: tuple[str, ...]
    judged: tuple[str, ...]
    also: tuple[str, ...]
    link: tuple[str, ...]
    grade_forms: dict[str, tuple[str, ...]]
    patterns: tuple[Pattern, ...]
    past_markers: tuple[str, ...]
    area_ends: tuple[str, ...]
    area_separators: re.Pattern[str]
    stopwords: frozenset[str]
    threshold: float
    margin: float
    carried_over: tuple[re.Pattern[str], ...]
    not_statements: re.Pattern[str]


@cache
def rules() -> Rules:
    data: dict[str, Any] = load_yaml(
        resources.files("peelkit.reportimport.data").joinpath(SENTENCES_FILE).read_text("utf-8")
    )
    return Rules(
        subjects=tuple(data["subjects"]),
        judged=tuple(data["judged"]),
        also=tuple(data["also"]),
        link=tuple(data["link"]),
        grade_forms={k: tuple(v) for k, v in data["grade_forms"].items()},
        patterns=tuple(Pattern(p["id"], p["tense"], p["regex"]) for p in data["patterns"]),
        past_markers=tuple(data["past_markers"]),
        area_ends=tuple(data["area_ends"]),
        area_separators=re.compile("|".join(data["area_separators"]), re.IGNORECASE),
        stopwords=frozenset(str(w) for w in data["stopwords"]),
        threshold=float(data["threshold"]),
        margin=float(data["margin"]),
        carried_over=tuple(re.compile(p, re.IGNORECASE) for p in data["carried_over"]),
        not_statements=re.compile("|".join(data["not_statements"]), re.IGNORECASE),
    )


def _alternation(words: Iterable[str]) -> str:
    ordered = sorted({plain(w) for w in words if w}, key=lambda w: (-len(w), w))
    return "|".join(re.escape(w) for w in ordered)


def grade_forms(framework: Framework) -> dict[str, str]:
    """Every way prose writes a grade of the framework's scale (lower case) -> its grade id."""
    if framework.grade_scale is None:
        return {}
    forms: dict[str, str] = {}
    for value in framework.grade_scale.grades:
        spellings = [value.label, *value.aliases, *rules().grade_forms.get(value.id, ())]
        for spelling in spellings:
            if spelling.isupper() and " " not in spelling:
                continue  # "RI": a table's abbreviation, not prose
            forms.setdefault(plain(spelling).lower(), value.id)
    return forms


@dataclass(frozen=True)
class Compiled:
    pattern: Pattern
    regex: re.Pattern[str]


def compiled(framework: Framework, subjects: tuple[str, ...]) -> tuple[Compiled, ...]:
    """The framework's patterns with its grade words and the subjects filled in."""
    return _compiled(framework.id, framework.checksum, subjects)


@cache
def _compiled(framework_id: str, checksum: str, subjects: tuple[str, ...]) -> tuple[Compiled, ...]:
    # keyed on the framework file's checksum: a framework file edited and reloaded is new
    rule = rules()
    framework = load_framework(framework_id)
    forms = grade_forms(framework)
    if not forms:
        return ()
    ends = "|".join(rule.area_ends)
    area = rf"(?P<area>[^.;:!?]+?)(?={ends})"
    area_subject = (
        r"(?:^|(?<=[;,:] )|(?<=\band ))"
        r"(?P<area>(?:its|their|the (?:force|constabulary|service)'s) [^.;:!?,]+?)"
    )
    fill = {
        "subject": rf"(?<![\w'])(?:{_alternation((*subjects, *rule.subjects))})\b",
        "grade": rf"(?P<grade>{_alternation(forms)})\b",
        "judged": rf"(?:{_alternation(rule.judged)})",
        "also": rf"(?:(?:{_alternation(rule.also)})\s+)?",
        "link": rf"(?:{_alternation(rule.link)})",
        "area": area,
        "area_subject": area_subject,
        "year": r"(?P<year>\d{4}(?:\s*[/–-]\s*\d{2,4})?)",
    }
    found = []
    for pattern in rule.patterns:
        regex = pattern.template
        for key, value in fill.items():
            regex = regex.replace("{" + key + "}", value)
        found.append(Compiled(pattern, re.compile(regex, re.IGNORECASE)))
    return tuple(found)


# -- matching a phrase to an area --------------------------------------------------------------

_WORD = re.compile(r"[a-z][a-z']*")
_LIGHT_SUFFIXES = ("ing", "es", "ed", "ly", "s", "e")


def _stem(word: str) -> str:
    word = word.replace("'", "")
    for suffix in _LIGHT_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def words_of(text: str, grade_words: Iterable[str] = ()) -> tuple[str, ...]:
    """The words of a phrase that say which area it means: lower case, hyphens joined, light
    suffixes off, stopwords and grade words left out."""
    skip = rules().stopwords | {w for g in grade_words for w in g.split()}
    lowered = plain(text).lower().replace("-", "")
    return tuple(dict.fromkeys(_stem(w) for w in _WORD.findall(lowered) if w not in skip))


def _alike(left: str, right: str) -> bool:
    """Two stems are the same word: one starts the other, or they share five letters or more
    ("investigat" and "investigation", "legitima" of "legitimacy" and "legitimately")."""
    shorter = min(len(left), len(right))
    common = 0
    for a, b in zip(left, right, strict=False):
        if a != b:
            break
        common += 1
    return common >= min(5, shorter)


def _score(phrase: Sequence[str], wording: Sequence[str], weight: Callable[[str], float]) -> float:
    """F-score of a phrase's words against an area wording's, recall weighted twice and each
    word by how few areas use it (``weight``)."""
    if not phrase or not wording:
        return 0.0
    found = sum(weight(w) for w in phrase if any(_alike(w, a) for a in wording))
    covered = sum(weight(a) for a in wording if any(_alike(w, a) for w in phrase))
    precision = found / sum(weight(w) for w in phrase)
    recall = covered / sum(weight(a) for a in wording)
    if precision == 0 or recall == 0:
        return 0.0
    return 5 * precision * recall / (4 * precision + recall)


def _contains(wording: Sequence[str], phrase: Sequence[str]) -> bool:
    return all(any(_alike(w, a) for a in wording) for w in phrase)


@dataclass(frozen=True)
class Wordings:
    """Each graded area's wordings (name, question, aliases) as words, and how many areas
    use each word."""

    areas: dict[str, tuple[tuple[str, ...], ...]]
    areas_using: dict[str, int]

    def weight(self, word: str) -> float:
        """1 for a word one area uses (or none), less for a word many use ("crime")."""
        return 1 / (1 + math.log(max(1, self.areas_using.get(word, 1))))


def _wordings(framework: Framework) -> Wordings:
    return _wordings_of(framework.id, framework.checksum)


@cache
def _wordings_of(framework_id: str, checksum: str) -> Wordings:
    # keyed on the framework file's checksum: a framework file edited and reloaded is new
    framework = load_framework(framework_id)
    grades = tuple(grade_forms(framework))
    areas = {}
    for area in framework.walk():
        if not area.graded:
            continue
        spellings = [area.name, *(s for s in (area.question,) if s), *area.aliases]
        areas[area.id] = tuple(w for s in spellings if (w := words_of(s, grades)))
    using: Counter[str] = Counter()
    for wordings in areas.values():
        using.update({word for wording in wordings for word in wording})
    return Wordings(areas, dict(using))


def area_for(phrase: str, framework: Framework, scope: Sequence[Area] = ()) -> Area | None:
    """The graded area a phrase means ("how legitimately it keeps people safe" -> legitimacy),
    among ``scope`` (the section the sentence is in) first, then all the framework's graded
    areas: the one area whose wording holds every word of the phrase ("investigating crime"),
    else the best match by :func:`_score` if it is good enough and better than the next by a
    margin; None if no area matches well enough, or two match alike."""
    words = words_of(phrase, grade_forms(framework))
    if not words:
        return None
    wordings = _wordings(framework)
    pools = [
        [a for a in scope if a.id in wordings.areas],
        [a for a in framework.walk() if a.id in wordings.areas],
    ]
    rule = rules()
    for pool in pools:
        holding = [a for a in pool if any(_contains(w, words) for w in wordings.areas[a.id])]
        if len(holding) == 1:
            return holding[0]
        candidates = holding or pool
        scored = sorted(
            (
                (max(_score(words, w, wordings.weight) for w in wordings.areas[a.id]), a)
                for a in candidates
            ),
            key=lambda item: -item[0],
        )
        if not scored or scored[0][0] < rule.threshold:
            continue
        best, area = scored[0]
        second = scored[1][0] if len(scored) > 1 else 0.0
        if best - second >= rule.margin:
            return area
        return None  # two areas fit alike: not guessed
    return None


# -- reading sentences -------------------------------------------------------------------------


@dataclass(frozen=True)
class Sentence:
    text: str  # plain
    span: Span


@dataclass(frozen=True)
class StatedGrade:
    """A grade a sentence states."""

    area: Area | None  # None when the words match no area of the framework
    phrase: str  # what the sentence says is graded, as printed (plain)
    grade: str  # grade id
    grade_as_printed: str
    sentence: str
    span: Span
    pattern: str  # the id of the pattern that matched
    past: bool = False  # about an earlier inspection ("last year", "In 2016, we judged")
    year: str | None = None  # the period of that inspection, when it can be told


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'(‘“]?[A-Z0-9])")
_TERMINAL = (".", "!", "?", ":", ";")


def sentences(text: SourceText, lines: Iterable[int] | None = None) -> list[Sentence]:
    """The sentences of the given lines (all, by default), bullets left out. A line that does
    not end a sentence and is followed by one that starts in lower case continues it (a wrapped
    paragraph); a sentence's span is the lines it is on."""
    numbers = sorted(set(lines)) if lines is not None else range(1, len(text.lines) + 1)
    paragraphs: list[list[tuple[int, str]]] = []
    previous: int | None = None
    for number in numbers:
        line = plain(text.line(number))
        if not line or bullet_text(line) is not None:
            previous = None
            continue
        last = paragraphs[-1][-1][1] if paragraphs and previous is not None else None
        joins = (
            previous is not None
            and number == previous + 1
            and last is not None
            and not last.endswith(_TERMINAL)
            and line[:1].islower()
        )
        if joins:
            paragraphs[-1].append((number, line))
        else:
            paragraphs.append([(number, line)])
        previous = number
    found = []
    for paragraph in paragraphs:
        joined = ""
        starts: list[tuple[int, int]] = []  # (offset, line number)
        for number, line in paragraph:
            if joined:
                joined += " "
            starts.append((len(joined), number))
            joined += line
        offset = 0
        for piece in _SENTENCE_END.split(joined):
            begin = joined.index(piece, offset)
            end = begin + len(piece)
            offset = end
            first = max(n for o, n in starts if o <= begin)
            last_line = max(n for o, n in starts if o < max(end, begin + 1))
            found.append(Sentence(piece, text.span(first, last_line)))
    return found


def stated_grades(
    text: SourceText,
    framework: Framework,
    lines: Iterable[int] | None = None,
    *,
    force: str | None = None,
    subjects: Sequence[str] = (),
    scope: Sequence[Area] = (),
) -> list[StatedGrade]:
    """Every grade the sentences of ``lines`` state, in order, with the area its words mean
    (or None). ``force`` (an id) adds the force's names to the subjects a sentence may have;
    ``scope`` is the areas the section is about, tried first."""
    names = list(subjects)
    if force is not None:
        known = get_force(force)
        names.extend([known.name, known.short_name, *known.aliases])
    patterns = compiled(framework, tuple(sorted(set(names))))
    forms = grade_forms(framework)
    found: list[StatedGrade] = []
    for sentence in sentences(text, lines):
        found.extend(_read(sentence, framework, patterns, forms, scope))
    return found


def _read(
    sentence: Sentence,
    framework: Framework,
    patterns: Sequence[Compiled],
    forms: dict[str, str],
    scope: Sequence[Area],
) -> list[StatedGrade]:
    if rules().not_statements.search(sentence.text):
        return []
    matches: list[tuple[int, int, Compiled, re.Match[str]]] = []
    for item in patterns:
        for match in item.regex.finditer(sentence.text):
            matches.append((match.start(), -match.end(), item, match))
    matches.sort(key=lambda m: (m[0], m[1]))
    taken_until = -1
    found: list[StatedGrade] = []
    for start, negative_end, item, match in matches:
        if start < taken_until:
            continue  # another pattern read this clause
        taken_until = -negative_end
        printed = " ".join(match.group("grade").split())
        grade = forms.get(printed.lower())
        if grade is None:
            continue
        past, year = _when(sentence.text, item.pattern, match, framework)
        seen: set[str] = set()
        for phrase in _phrases(match.group("area")):
            area = area_for(phrase, framework, scope)
            if area is not None and area.id in seen:
                continue
            if area is not None:
                seen.add(area.id)
            found.append(
                StatedGrade(
                    area=area,
                    phrase=phrase,
                    grade=grade,
                    grade_as_printed=printed,
                    sentence=sentence.text,
                    span=sentence.span,
                    pattern=item.pattern.id,
                    past=past,
                    year=year,
                )
            )
    return found


def _phrases(area: str) -> list[str]:
    """The areas one clause grades: "A and at B" is two."""
    parts = [p.strip(" ,") for p in rules().area_separators.split(area)]
    return [p for p in parts if p]


def _when(
    sentence: str, pattern: Pattern, match: re.Match[str], framework: Framework
) -> tuple[bool, str | None]:
    """Whether a sentence speaks of an earlier inspection, and the period of that inspection."""
    if pattern.tense != "past":
        return False, None
    printed = match.groupdict().get("year")
    if printed:
        ids = [i for i in years_in(printed) if i != framework.id]
        if not ids and years_in(printed):
            return False, None  # this year's
        same = [i for i in ids if load_framework(i).programme == framework.programme]
        chosen = (same or ids)[:1]
        return True, load_framework(chosen[0]).period if chosen else None
    lowered = sentence.lower()
    if any(marker in lowered for marker in rules().past_markers):
        if framework.predecessor is None:
            return True, None
        return True, load_framework(framework.predecessor).period
    return False, None


# -- judgments carried over --------------------------------------------------------------------


def says_carried_over(line: str) -> bool:
    """Whether a line says a judgment was not made this time and an earlier one stands."""
    text = plain(line)
    return any(p.search(text) for p in rules().carried_over)


def earlier_period(lines: Iterable[str], framework: Framework) -> str | None:
    """The period an earlier judgment comes from: the first year the lines name that is not
    the framework's own ("the judgment from 2017"), else the predecessor's for "last year"."""
    for line in lines:
        text = plain(line)
        ids = [i for i in years_in(text) if i != framework.id]
        same = [i for i in ids if load_framework(i).programme == framework.programme]
        if same or ids:
            return load_framework((same or ids)[0]).period
    joined = " ".join(plain(line).lower() for line in lines)
    if framework.predecessor and any(m in joined for m in rules().past_markers):
        return load_framework(framework.predecessor).period
    return None


# -- adding stated grades to the judgments -------------------------------------------------------


def combine(
    judgments: list[ParsedJudgment], stated: Iterable[StatedGrade], framework: Framework
) -> list[ImportWarning]:
    """Add the grades sentences state to ``judgments`` (in place), and the warnings.

    An area with no judgment gets one read from its first sentence (``read_from="sentence"``).
    A judgment printed in a box keeps its grade; a sentence that states another is a
    ``grade_box_and_sentence_disagree`` warning (two sentences that disagree:
    ``grade_sentences_disagree``). A carried-over judgment whose grade is not printed takes the
    grade a sentence states. A sentence about an earlier inspection gives the judgment's
    ``previous_grade``.
    """
    by_area = {j.area: j for j in judgments if j.force is None}
    warnings: list[ImportWarning] = []
    for item in stated:
        if item.area is None:
            continue
        judgment = by_area.get(item.area.id)
        if judgment is not None and judgment.carried_over and judgment.grade is None:
            judgment.grade = item.grade
            judgment.grade_as_printed = item.grade_as_printed
            judgment.read_from = "sentence"
            judgment.span = item.span
            if judgment.year_last_inspected is None:
                judgment.year_last_inspected = item.year
            continue
        if item.past:
            if judgment is not None and not judgment.carried_over:
                judgment.previous_grade = judgment.previous_grade or item.grade
            continue
        if judgment is None:
            judgment = ParsedJudgment(
                area=item.area.id,
                level=item.area.level,
                grade=item.grade,
                grade_as_printed=item.grade_as_printed,
                read_from="sentence",
                span=item.span,
            )
            judgments.append(judgment)
            by_area[item.area.id] = judgment
            continue
        if judgment.grade != item.grade:
            warnings.append(_disagreement(judgment, item))
    return warnings


def _disagreement(judgment: ParsedJudgment, item: StatedGrade) -> ImportWarning:
    assert item.area is not None
    where = judgment.span.line_start if judgment.span else "?"
    box = judgment.read_from == "box"
    code = "grade_box_and_sentence_disagree" if box else "grade_sentences_disagree"
    first = "printed" if box else "stated"
    return ImportWarning(
        code=code,
        message=(
            f"{item.area.name}: {first} {judgment.grade_as_printed!r} on line {where}, but the "
            f"sentence on line {item.span.line_start} says {item.grade_as_printed!r}; "
            f"the {'box' if box else 'first'} is kept"
        ),
        row=item.area.name,
        span=item.span,
    )
