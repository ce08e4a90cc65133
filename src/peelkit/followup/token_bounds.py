"""Which pairs of texts can reach a token set ratio, found for every pair at once.

Lineage scores a force's earlier findings against its later ones with rapidfuzz's
``fuzz.token_set_ratio``, and almost no pair reaches the candidate threshold (none of the 13,608
pairs of the 2005 baseline's findings and the four later Met reports' do). Scoring each pair
takes microseconds; :func:`upper_bounds` gives, for all pairs in a few array operations, a score
no pair can exceed, so that only the pairs whose bound reaches the threshold need scoring.

The token set ratio of texts A and B (rapidfuzz's definition) is read from their sets of words,
each set sorted and joined with single spaces: the words they share (``sect``, ``s`` characters
joined), those only A has (``ab``, ``a`` characters) and those only B has (``ba``, ``b``). It is
100 when they share a word and one holds no other; else the largest of

- ``r1``: the similarity of ``sect ab`` and ``sect ba``,
  ``100 * (1 - indel(ab, ba) / (sab + sba))``, where ``sab`` and ``sba`` are their lengths;
- ``r2`` and ``r3`` (when they share a word): the similarity of ``sect`` and ``sect ab``,
  ``100 * (1 - (1 + a) / (s + sab))``, and of ``sect`` and ``sect ba``.

``r2`` and ``r3`` follow from the lengths, which :func:`upper_bounds` counts exactly. ``r1``
needs the indel distance, ``a + b - 2 * LCS(ab, ba)``; the longest common subsequence is at most
the shorter string, and at most the characters the two strings have in common counted with their
multiplicity (for each letter, the fewer of its counts in ``ab`` and in ``ba``). Those counts are
the counts in A's and B's word sets less those of the shared words, the same on both sides, so
they come from each text's counts and the shared words' lengths without building ``ab`` or
``ba``. Putting that largest possible LCS in ``r1`` gives its bound.

The texts must be ASCII (lineage's normalised texts are lower-case letters, digits and single
spaces): the letters' counts are kept per byte.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy
from numpy.typing import NDArray


class _WordSets:
    """The words of each text as a set, and what the bounds need of them."""

    def __init__(self, texts: Sequence[str]) -> None:
        self.sets = [frozenset(text.split()) for text in texts]
        self.words = numpy.array([len(words) for words in self.sets], dtype=numpy.float64)
        self.lengths = numpy.array(
            [sum(map(len, words)) for words in self.sets], dtype=numpy.float64
        )
        self.letters = _letter_counts(["".join(words) for words in self.sets])


def _letter_counts(joined: list[str]) -> NDArray[numpy.int32]:
    """Each text's count of every byte (texts x 128), in one ``bincount``."""
    data = "".join(joined)
    if not data.isascii():
        raise ValueError("token set ratio bounds: the texts must be ASCII")
    codes = numpy.frombuffer(data.encode("ascii"), dtype=numpy.uint8).astype(numpy.int64)
    owner = numpy.repeat(numpy.arange(len(joined)), [len(text) for text in joined])
    counts = numpy.bincount(owner * 128 + codes, minlength=len(joined) * 128)
    return counts.reshape(len(joined), 128).astype(numpy.int32)


def _membership(sets: list[frozenset[str]], vocabulary: dict[str, int]) -> NDArray[numpy.float64]:
    """Texts x shared words: 1 where the text holds the word."""
    found = numpy.zeros((len(sets), len(vocabulary)), dtype=numpy.float64)
    for row, words in enumerate(sets):
        columns = [vocabulary[word] for word in words if word in vocabulary]
        found[row, columns] = 1.0
    return found


# Cells (pairs x letters) compared at once: a force's findings against hundreds of later ones
# would otherwise hold hundreds of megabytes at a time.
BLOCK_CELLS = 4_000_000


def _letters_in_common(
    left: NDArray[numpy.int32], right: NDArray[numpy.int32]
) -> NDArray[numpy.int64]:
    """For each pair, the letters the two texts' words share, counted with multiplicity (for
    each letter the fewer of its two counts), a block of rows at a time."""
    present = left.any(axis=0) & right.any(axis=0)  # letters and digits, once normalised
    left, right = left[:, present], right[:, present]
    rows = max(1, BLOCK_CELLS // max(1, right.shape[0] * right.shape[1]))
    blocks = [
        numpy.minimum(left[start : start + rows, None, :], right[None, :, :]).sum(axis=2)
        for start in range(0, left.shape[0], rows)
    ]
    if not blocks:
        return numpy.zeros((0, right.shape[0]), dtype=numpy.int64)
    return numpy.concatenate(blocks)


def upper_bounds(queries: Sequence[str], choices: Sequence[str]) -> NDArray[numpy.float64]:
    """For each query (rows) and choice (columns), a number at least rapidfuzz's
    ``fuzz.token_set_ratio`` of the two (0-100)."""
    left, right = _WordSets(queries), _WordSets(choices)
    shared_words = sorted(frozenset().union(*left.sets) & frozenset().union(*right.sets))
    vocabulary = {word: column for column, word in enumerate(shared_words)}
    word_lengths = numpy.array([len(word) for word in shared_words], dtype=numpy.float64)
    in_left = _membership(left.sets, vocabulary)
    in_right = _membership(right.sets, vocabulary)
    # Words shared by each pair, and their characters.
    shared = in_left @ in_right.T
    shared_characters = in_left @ (in_right * word_lengths).T
    words_a, words_b = left.words[:, None], right.words[None, :]
    spaces_ab = numpy.maximum(words_a - shared - 1, 0)
    spaces_ba = numpy.maximum(words_b - shared - 1, 0)
    s = shared_characters + numpy.maximum(shared - 1, 0)
    a = left.lengths[:, None] - shared_characters + spaces_ab
    b = right.lengths[None, :] - shared_characters + spaces_ba
    joint = (s > 0).astype(numpy.float64)
    sab, sba = s + joint + a, s + joint + b
    in_common = _letters_in_common(left.letters, right.letters)
    longest_common = numpy.minimum(
        numpy.minimum(a, b), in_common - shared_characters + numpy.minimum(spaces_ab, spaces_ba)
    )
    total = sab + sba
    with numpy.errstate(divide="ignore", invalid="ignore"):
        r1 = numpy.where(total > 0, 100.0 * (1.0 - (a + b - 2 * longest_common) / total), 0.0)
        r2 = numpy.where(s > 0, 100.0 * (1.0 - (1 + a) / (s + sab)), 0.0)
        r3 = numpy.where(s > 0, 100.0 * (1.0 - (1 + b) / (s + sba)), 0.0)
    bounds = numpy.maximum(r1, numpy.maximum(r2, r3))
    one_holds_the_other = (shared > 0) & ((shared == words_a) | (shared == words_b))
    bounds[one_holds_the_other] = 100.0
    return bounds
