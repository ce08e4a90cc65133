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


def closest(name: str, candidates: Iterable[str], limit: int = 3) -> list[str]:
    """The candidates that look most like ``name``, best first (for error messages)."""
    by_fold: dict[str, str] = {}
    for candidate in candidates:
        by_fold.setdefault(fold(candidate), candidate)
    matches = difflib.get_close_matches(fold(name), list(by_fold), n=limit, cutoff=0.5)
    return [by_fold[m] for m in matches]
