"""Folding names so that the spellings reports use compare equal."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

_NON_WORD = re.compile(r"[^a-z0-9 ]+")
_SPACES = re.compile(r"\s+")


def fold(name: str) -> str:
    """Lower-case, ``&`` as ``and``, punctuation dropped, white space collapsed.

    "Avon & Somerset Constabulary" and "avon and somerset constabulary" fold alike, as do
    "Dyfed-Powys" and "Dyfed Powys".
    """
    text = name.lower().replace("&", " and ").replace("-", " ").replace("/", " ")
    text = text.replace("’", "").replace("'", "")
    text = _NON_WORD.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


# Words that say what kind of body a name is, not which one: they count for little when a
# misspelt name is matched ("Kent Constabulry" is closer to "Kent Police" than to "Suffolk
# Constabulary").
_GENERIC = ("police", "constabulary", "service", "force", "the", "and", "of")


def _ratio(left: str, right: str) -> float:
    return difflib.SequenceMatcher(None, left, right).ratio()


def similarity(query: str, candidate: str) -> float:
    """How alike two names are, from 0 to 1, by whole name and by distinctive words."""
    left, right = fold(query), fold(candidate)
    whole = _ratio(left, right)
    tokens = right.split()
    if not left or not tokens:
        return whole
    weighted = weights = 0.0
    for token in left.split():
        weight = 0.3 if any(_ratio(token, g) > 0.8 for g in _GENERIC) else 1.0
        weighted += weight * max(_ratio(token, t) for t in tokens)
        weights += weight
    return max(whole, weighted / weights)


def closest(name: str, candidates: Iterable[str], limit: int = 3) -> list[str]:
    """The candidates that look most like ``name``, best first (for error messages)."""
    scored: dict[str, tuple[float, str]] = {}
    for candidate in candidates:
        key = fold(candidate)
        if key not in scored:
            scored[key] = (similarity(name, candidate), candidate)
    ranked = sorted((v for v in scored.values() if v[0] >= 0.6), key=lambda v: -v[0])
    return [candidate for _, candidate in ranked[:limit]]
