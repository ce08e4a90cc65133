"""The tally of the hostile-input suite (issue 15's "Done when"): across every case that ran,
0 tracebacks, 0 silent wrong successes and 0 data lost (nor any other failure); cases whose bug
lies in a file another session owns are xfail(strict) and listed apart."""

from __future__ import annotations

from tests.reliability.harness import TALLY, Verdict


def test_the_tally() -> None:
    total = TALLY.total()
    by_class = {group: dict(counts) for group, counts in sorted(TALLY.verdicts.items())}
    summary = (
        f"{total} cases run: {by_class}; known bugs (xfail, listed): {len(TALLY.known)}"
        + "".join(f"\n  known: {line}" for line in TALLY.known)
        + "".join(f"\n  FAILED: {line}" for line in TALLY.failures)
    )
    assert total > 0, "no case ran before the tally (run the whole of tests/reliability)"
    assert TALLY.count(Verdict.TRACEBACK) == 0, summary
    assert TALLY.count(Verdict.SILENT_WRONG_SUCCESS) == 0, summary
    assert TALLY.count(Verdict.DATA_LOST) == 0, summary
    assert TALLY.failures == [], summary
