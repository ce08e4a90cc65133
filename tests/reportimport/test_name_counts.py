"""The one-pass name counter (peelkit.reportimport.name_counts) against ``str.count``, the
counts it must reproduce: on the real reports with the real force names, on names made to
defeat a single pass (a name overlapping itself, a first word beginning inside another), and
on random texts made of the names' pieces."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from peelkit.reference import territorial_forces
from peelkit.reportimport.name_counts import NameCounter

SHARED = Path(__file__).resolve().parents[3] / "shared"
FORCE_NAMES = sorted(
    {force.name for force in territorial_forces()}
    | {alias for force in territorial_forces() for alias in force.aliases if " " in alias}
)


def _by_count(names: list[str], text: str) -> dict[str, int]:
    return {name: text.count(name) for name in names if text.count(name)}


def _texts() -> list[Path]:
    found = sorted((SHARED / "reference-reports").glob("*.txt"))
    found += sorted((SHARED / "examples").rglob("*.txt"))[:40]
    return found


@pytest.mark.parametrize("path", _texts(), ids=lambda p: p.name)
def test_the_force_names_in_real_texts_are_counted_as_str_count_counts_them(path: Path) -> None:
    text = path.read_text(encoding="utf-8", errors="replace")
    counted = NameCounter(FORCE_NAMES).counts(text)
    assert dict(counted) == _by_count(FORCE_NAMES, text)


def test_the_reports_name_their_own_force() -> None:
    # the check above compares like with like: the real texts do name forces, many times
    text = (SHARED / "reference-reports" / "001_2e8c9026aad1a9d7.txt").read_text("utf-8")
    assert NameCounter(FORCE_NAMES).counts(text)["Metropolitan Police Service"] >= 5


def test_a_name_that_overlaps_itself_is_counted_without_overlaps() -> None:
    # "ab ab" in "ab ab ab" twice over, as found at 0 and 3; str.count counts it once
    names = ["ab ab", "ab c"]
    text = "ab ab ab ab c"
    assert (
        dict(NameCounter(names).counts(text))
        == _by_count(names, text)
        == {
            "ab ab": 2,
            "ab c": 1,
        }
    )


def test_a_first_word_that_begins_inside_another_is_still_found() -> None:
    # "entry" begins inside "Kent": a scan that matched "Kent" would step over it
    names = ["Kent Police", "entry gates"]
    text = "Kentry gates, Kent Police, Kentry gates."
    assert dict(NameCounter(names).counts(text)) == {"Kent Police": 1, "entry gates": 2}


def test_a_first_word_that_starts_a_longer_one_is_checked_at_the_same_place() -> None:
    names = ["North Wales Police", "Northumbria Police", "North Yorkshire Police"]
    text = "Northumbria Police and North Wales Police; North Yorkshire Police, Northumbria"
    assert dict(NameCounter(names).counts(text)) == _by_count(names, text)


def test_a_first_word_that_repeats_itself_does_not_hide_a_name() -> None:
    # the first word "abab" overlaps itself: "ababab X" holds "abab X" at 2
    names = ["abab X"]
    assert NameCounter(names).counts("ababab X") == {"abab X": 1}


def test_random_texts_of_the_names_pieces_count_as_str_count() -> None:
    generator = random.Random(20261203)
    for _ in range(300):
        names = [
            " ".join(generator.choice(["ab", "ba", "a", "b", "aba", "North", "No"]) for _ in w)
            for w in (range(generator.randint(1, 3)) for _ in range(generator.randint(1, 5)))
        ]
        pieces = [*names, " ", "a", "b", "North", "rth", "ab"]
        text = "".join(generator.choice(pieces) for _ in range(generator.randint(0, 40)))
        assert dict(NameCounter(names).counts(text)) == _by_count(sorted(set(names)), text), (
            names,
            text,
        )
