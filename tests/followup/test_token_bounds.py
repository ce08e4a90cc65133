"""The token set ratio's upper bounds: never below rapidfuzz's own score, on the reference
reports' findings and on made-up texts built to sit near the bound (plurals, anagrams, one text
holding another), and low enough to rule out most pairs of unrelated findings."""

from __future__ import annotations

import random

import numpy
import pytest
from rapidfuzz import fuzz, process

from peelkit.followup import token_bounds
from peelkit.followup.token_bounds import upper_bounds

BASELINE_2005 = "004_8971e4e9a7c1f0c8.txt"
# The bounds are float64; rapidfuzz computes the same ratios in doubles.
ROUNDING = 1e-9


def _exact(queries: list[str], choices: list[str]) -> numpy.ndarray:
    return process.cdist(queries, choices, scorer=fuzz.token_set_ratio, dtype=numpy.float64)


def test_no_pair_of_the_reference_reports_findings_scores_above_its_bound(
    followed_texts: dict[str, list[str]],
) -> None:
    every = [text for texts in followed_texts.values() for text in texts if text]
    assert len(every) > 300
    bounds = upper_bounds(every, every)
    exact = _exact(every, every)
    assert (exact <= bounds + ROUNDING).all()
    # every text against itself: one holds the other, 100
    assert numpy.diagonal(bounds).tolist() == [100.0] * len(every)


# Words that share letters and beginnings: the letter counts bound such pairs least tightly.
_WORDS = (
    *("crime", "crimes", "victim", "victims", "officer", "officers", "police", "policing"),
    *("stop", "pots", "tops", "spot", "post", "a", "ab", "ba", "abc", "cab", "x", "y", "zz"),
    *("force", "forces", "risk", "risks"),
)


def test_made_up_texts_never_score_above_their_bound() -> None:
    chance = random.Random(20261203)
    checked = 0
    for _ in range(200):
        queries = [" ".join(chance.choices(_WORDS, k=chance.randint(1, 9))) for _ in range(15)]
        # half the choices made from a query: a word dropped, added or changed
        choices = []
        for query in queries:
            words = query.split()
            words[chance.randrange(len(words))] = chance.choice(_WORDS)
            if chance.random() < 0.5:
                words.append(chance.choice(_WORDS))
            choices.append(" ".join(words))
        choices += [" ".join(chance.choices(_WORDS, k=chance.randint(1, 9))) for _ in range(15)]
        bounds, exact = upper_bounds(queries, choices), _exact(queries, choices)
        worst = numpy.unravel_index(numpy.argmax(exact - bounds), exact.shape)
        assert exact[worst] <= bounds[worst] + ROUNDING, (
            queries[worst[0]],
            choices[worst[1]],
        )
        checked += exact.size
    assert checked == 200 * 15 * 30


def test_a_text_holding_the_other_is_bounded_at_100_and_so_scores() -> None:
    holds = ["victims of crime", "repeat victims of crime in the borough"]
    [[bound]] = upper_bounds(holds[:1], holds[1:])
    assert bound == 100.0 == fuzz.token_set_ratio(*holds)


def test_texts_without_a_word_in_common_are_bounded_by_their_letters() -> None:
    # No shared word: the ratio is the similarity of the two texts (4 and 5 letters), whose
    # longest common subsequence is at most the letters they share: all four of "stop" in
    # "pots" (the loosest case, the same letters in another order: the bound is 100, the
    # score 25), three in "spite" (s, t, p: 2 x 3 / 9), none in "crime".
    [[anagrams, three, none]] = upper_bounds(["stop"], ["pots", "spite", "crime"])
    assert anagrams == 100.0 and fuzz.token_set_ratio("stop", "pots") == 25.0
    assert three == pytest.approx(100 * 2 * 3 / 9)
    assert fuzz.token_set_ratio("stop", "spite") == pytest.approx(100 * 2 * 2 / 9)
    assert none == 0.0 == fuzz.token_set_ratio("stop", "crime")


def test_the_bound_rules_out_most_pairs_of_a_report_and_the_later_ones(
    followed_texts: dict[str, list[str]],
) -> None:
    """The 2005 baseline's findings against the four later Met reports' (the comparison an
    import of the 2005 report makes): almost none scores 80, and the bounds say so of most."""
    earlier = [text for text in followed_texts[BASELINE_2005] if text]
    later = [
        text for name, texts in followed_texts.items() if name != BASELINE_2005 for text in texts
    ]
    bounds = upper_bounds(earlier, later)
    assert (_exact(earlier, later) >= 80).sum() <= (bounds >= 80).sum()
    assert (bounds < 80).mean() > 0.8


def test_texts_that_are_not_ascii_are_refused() -> None:
    with pytest.raises(ValueError, match="ASCII"):
        upper_bounds(["café au lait"], ["cafe"])


def test_letters_compared_a_block_at_a_time_give_the_same_bounds(
    followed_texts: dict[str, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    earlier = followed_texts[BASELINE_2005]
    later = [t for name, texts in followed_texts.items() if name != BASELINE_2005 for t in texts]
    whole = upper_bounds(earlier, later)
    monkeypatch.setattr(token_bounds, "BLOCK_CELLS", 1000)  # a few rows a block
    assert numpy.array_equal(upper_bounds(earlier, later), whole)
    assert upper_bounds([], later).shape == (0, len(later))
