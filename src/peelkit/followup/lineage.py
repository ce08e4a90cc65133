"""Lineage: which later findings of a force repeat, reword or escalate its earlier ones.

Texts are normalised (``normalise``), then compared: equal normalised texts are an *exact*
match, which detection confirms by itself; otherwise rapidfuzz's similarity gives a score
(0-100) and a pair at or above the ``candidate`` threshold becomes a *candidate* for a person to
confirm or reject. The relation follows the kinds: the same kind is ``repeated`` (exact or
near-exact) or ``reworded``; a heavier later kind (an area for improvement coming back as a
recommendation or a cause of concern) is ``escalated``; a lighter one is ``related``. The
measure and thresholds are data (``followup/data/lineage.yaml``).

Pure functions over plain values; ``peelkit.followup.store`` runs them on the record.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

import numpy
from numpy.typing import NDArray
from rapidfuzz import fuzz, process

from peelkit.domain.followup import KIND_WEIGHT
from peelkit.followup.token_bounds import upper_bounds
from peelkit.regex_literals import leading_literal
from peelkit.yamlfiles import load_yaml

# A pattern of whole words only: "\b(", words of a-z and 0-9 between "|", ")\b".
_WHOLE_WORDS = re.compile(r"\\b\(([a-z0-9]+(?:\|[a-z0-9]+)*)\)\\b")


@dataclass(frozen=True)
class Boilerplate:
    """A boilerplate pattern of lineage.yaml, as :func:`normalise` applies it to a text of
    words of a-z and 0-9 between single spaces: each match replaced by a space, runs of spaces
    made one. Two shortcuts give the same text faster: a pattern of whole words only drops
    those words from the text's words, and a text without the letters every match starts with
    is left as it is."""

    pattern: re.Pattern[str]
    words: frozenset[str] | None = None
    starts_with: str = ""

    @classmethod
    def read(cls, pattern: str) -> Boilerplate:
        whole_words = _WHOLE_WORDS.fullmatch(pattern)
        if whole_words is not None:
            return cls(re.compile(pattern), words=frozenset(whole_words.group(1).split("|")))
        return cls(re.compile(pattern), starts_with=leading_literal(pattern))

    def remove(self, value: str) -> str:
        if self.words is not None:
            return " ".join(word for word in value.split() if word not in self.words)
        if self.starts_with and self.starts_with not in value:
            return value
        return " ".join(self.pattern.sub(" ", value).split())


@dataclass(frozen=True)
class LineageRules:
    boilerplate: tuple[Boilerplate, ...]
    minimum_words: int
    near_exact: float
    candidate: float


@cache
def rules() -> LineageRules:
    data = load_yaml(
        resources.files("peelkit.followup.data").joinpath("lineage.yaml").read_text("utf-8")
    )
    if data["measure"] != "token_set_ratio":
        raise ValueError(f"lineage.yaml: unknown measure {data['measure']!r}")
    return LineageRules(
        boilerplate=tuple(Boilerplate.read(p) for p in data["boilerplate"]),
        minimum_words=int(data["minimum_words"]),
        near_exact=float(data["near_exact"]),
        candidate=float(data["candidate"]),
    )


# Lower-cased text as ASCII bytes ("?" for any other character): a-z and 0-9 kept, every other
# byte a space.
_WORD_CHARACTERS = frozenset(b"abcdefghijklmnopqrstuvwxyz0123456789")
_WORD_BYTES = bytes(c if c in _WORD_CHARACTERS else 0x20 for c in range(256))


def normalise(text: str, rule: LineageRules | None = None) -> str:
    """Lower case, no punctuation (curly quotes and every character but a-z and 0-9 made a
    space), no boilerplate, single spaces."""
    rule = rule or rules()
    lowered = text.lower().encode("ascii", "replace").translate(_WORD_BYTES).decode("ascii")
    value = " ".join(lowered.split())
    for boilerplate in rule.boilerplate:
        value = boilerplate.remove(value)
    return value


@lru_cache(maxsize=16_384)
def _normalised(text: str, rule: LineageRules) -> str:
    """:func:`normalise`, kept: every import of a force's report compares all its findings,
    most of them normalised at an earlier import."""
    return normalise(text, rule)


@dataclass(frozen=True)
class Comparable:
    """A followed finding as lineage compares it."""

    finding: int
    inspection: int
    kind: str
    text: str  # the finding's text with its sub-items, as stored
    when: dt.date  # when its inspection reported (publication, else its period's first year)


@dataclass(frozen=True)
class Match:
    earlier: int  # finding ids
    later: int
    relation: str
    score: float
    exact: bool


def relation_for(earlier_kind: str, later_kind: str, repeated: bool) -> str:
    """The relation of a later finding to an earlier one, from their kinds."""
    before, after = KIND_WEIGHT[earlier_kind], KIND_WEIGHT[later_kind]
    if after > before:
        return "escalated"
    if after < before:
        return "related"
    return "repeated" if repeated else "reworded"


def detect(
    findings: Sequence[Comparable],
    rule: LineageRules | None = None,
    touching: Collection[int] | None = None,
) -> list[Match]:
    """Every pair (earlier, later) of the findings that lineage links, best first per later.

    Only pairs from different inspections, the earlier one reported strictly before the later,
    are compared; with ``touching`` (inspection ids), only those with a finding of one of
    these inspections.
    """
    rule = rule or rules()
    usable = [
        (item, text)
        for item in findings
        if len((text := _normalised(item.text, rule)).split()) >= rule.minimum_words
    ]
    if len(usable) < 2:
        return []
    # Findings of one inspection are never compared with each other, nor an inspection's with
    # those of one that reported before it: only the pairs that can link are scored (a force's
    # first report, all one inspection, needs no scoring at all; scoring every pair of the 2005
    # report's findings took most of its import).
    by_inspection: dict[int, list[tuple[Comparable, str]]] = {}
    for item in usable:
        by_inspection.setdefault(item[0].inspection, []).append(item)
    matches: list[Match] = []
    for earlier_group in by_inspection.values():
        first = min(item.when for item, _ in earlier_group)
        # every inspection that can follow this one, scored against it in one comparison
        later_items = [
            item
            for later_group in by_inspection.values()
            if later_group is not earlier_group
            and max(i.when for i, _ in later_group) > first
            and (
                touching is None
                or earlier_group[0][0].inspection in touching
                or later_group[0][0].inspection in touching
            )
            for item in later_group
        ]
        if later_items:
            matches.extend(_matches(earlier_group, later_items, rule))
    matches.sort(key=lambda m: (m.later, -m.score, m.earlier))
    return matches


PARALLEL_FROM = 5_000  # pairs of findings: from here lineage scores them on every core
# Bounds (float64) at most this far below the cut-off still have their pair scored: a bound
# equal to the score may be computed an ulp apart from rapidfuzz's own figure.
BOUND_MARGIN = 1e-6


def candidate_scores(
    earlier_texts: Sequence[str], later_texts: Sequence[str], cutoff: float
) -> NDArray[numpy.float32]:
    """rapidfuzz's token set ratio of every pair (earlier rows, later columns) that reaches
    ``cutoff``, 0 for the others: what ``process.cdist`` with that ``score_cutoff`` gives. Only
    the pairs whose upper bound (:mod:`peelkit.followup.token_bounds`) reaches the cut-off are
    scored (a tenth of the 2005 baseline's pairs with the later Met reports')."""
    bounds = upper_bounds(earlier_texts, later_texts)
    rows, columns = numpy.nonzero(bounds >= cutoff - BOUND_MARGIN)
    found = numpy.zeros(bounds.shape, dtype=numpy.float32)
    if len(rows):
        found[rows, columns] = process.cpdist(
            [earlier_texts[i] for i in rows.tolist()],
            [later_texts[j] for j in columns.tolist()],
            scorer=fuzz.token_set_ratio,
            score_cutoff=cutoff,
            # every core for many pairs, one thread where starting more costs more than they
            # save; the scores are the same either way
            workers=-1 if len(rows) >= PARALLEL_FROM else 1,
            dtype=numpy.float32,
        )
    return found


def _matches(
    earlier_items: Sequence[tuple[Comparable, str]],
    later_items: Sequence[tuple[Comparable, str]],
    rule: LineageRules,
) -> list[Match]:
    """The pairs (earlier, later) of one inspection's findings and later ones' that lineage
    links (a pair is only linked if the earlier one reported strictly before the later)."""
    scores = candidate_scores(
        [text for _, text in earlier_items], [text for _, text in later_items], rule.candidate
    )
    matches: list[Match] = []
    # Only the pairs at or above the threshold (scores below the cut-off are 0).
    for i, j in zip(*numpy.nonzero(scores >= rule.candidate), strict=True):
        (earlier, earlier_text), (later, later_text) = earlier_items[i], later_items[j]
        score = float(scores[i][j])
        if earlier.when >= later.when:
            continue
        exact = earlier_text == later_text
        near = exact or fuzz.ratio(earlier_text, later_text) >= rule.near_exact
        relation = relation_for(earlier.kind, later.kind, near)
        matches.append(Match(earlier.finding, later.finding, relation, round(score, 1), exact))
    return matches
