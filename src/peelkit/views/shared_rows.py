"""Every force's indicator rows computed once per engine and shared by the reports.

A force report asks the engine a dozen questions, and most of them are the same for every force:
the national set of an indicator (every force, one period, one comparator, one population year)
from which the report takes its own row, the ranked chart's bars and the funnel's points. Asked
per force, each of those answers is the whole national set again, so the 43 force reports of a
year computed it 43 times. :class:`SharedQuery` keeps the every-force rows per (indicator,
period, comparator, population year) for the engine they came from (held weakly: a record that
imports statistics gets a new engine and so new answers) and gives a force its row from them.

A force's row taken from the every-force rows is the row the engine gives for that force alone
(``compute_rows`` computes every force either way and keeps the one asked for; the tests compare
the two). A tested trend reads four earlier years of the force: the first force asked for one is
answered alone (one report tests one trend), and from the second force on every force's trend is
tested once and shared. An indicator the engine cannot compute for every force (a period the
data does not cover) is asked of the engine force by force, as before: its answer for one force
differs from its answer for every force.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Sequence

from peelkit.domain.periods import Period
from peelkit.errors import PeelkitError
from peelkit.indicators.compute import Engine
from peelkit.indicators.service import COMPARATOR_NAMES, compute_rows
from peelkit.views.indicators import IndicatorQuery, IndicatorRow

# How many national sets are kept per engine: a force report of any era uses about forty (an
# indicator against two comparators, and the trend chart's four earlier years); the web app's
# pages ask for other periods and indicators, and the oldest answers make way for them.
KEPT_PER_ENGINE = 512

_Key = tuple[str, Period, str, int | None, bool, str]
# None: the engine could not compute the indicator for every force (asked per force instead).
_Answer = tuple[dict[str, IndicatorRow], tuple[IndicatorRow, ...]] | None
_ASKED_ONCE: _Answer = ({}, ())  # a tested trend asked for one force so far


class _NationalSets:
    """The every-force answers of one engine, the least recently used dropped first."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.answers: OrderedDict[_Key, _Answer] = OrderedDict()

    def get(self, key: _Key) -> tuple[bool, _Answer]:
        with self.lock:
            if key not in self.answers:
                return False, None
            self.answers.move_to_end(key)
            return True, self.answers[key]

    def put(self, key: _Key, answer: _Answer) -> None:
        with self.lock:
            self.answers[key] = answer
            self.answers.move_to_end(key)
            while len(self.answers) > KEPT_PER_ENGINE:
                self.answers.popitem(last=False)


_BY_ENGINE: weakref.WeakKeyDictionary[Engine, _NationalSets] = weakref.WeakKeyDictionary()
_BY_ENGINE_LOCK = threading.Lock()


def forget_national_sets() -> None:
    """Drop every kept national set (the tests build a report as if it were the first)."""
    with _BY_ENGINE_LOCK:
        _BY_ENGINE.clear()


def _sets_of(engine: Engine) -> _NationalSets:
    with _BY_ENGINE_LOCK:
        found = _BY_ENGINE.get(engine)
        if found is None:
            found = _BY_ENGINE[engine] = _NationalSets()
        return found


class SharedQuery(IndicatorQuery):
    """An :class:`IndicatorQuery` whose answers come from national sets kept per engine: the
    same rows, computed once for every report built on the engine."""

    def __init__(self, query: IndicatorQuery) -> None:
        super().__init__(query.engine, query.msg_method)
        self._sets = _sets_of(query.engine)

    def rows(
        self,
        period: Period,
        force: str | None,
        indicator_ids: Sequence[str],
        comparator: str,
        population_year: int | None,
        *,
        trends: bool | None = None,
    ) -> list[IndicatorRow]:
        with_trend = (force is not None) if trends is None else trends
        out: list[IndicatorRow] = []
        for indicator_id in indicator_ids:
            key = (
                indicator_id,
                period,
                COMPARATOR_NAMES.get(comparator, comparator),
                population_year,
                with_trend,
                self.msg_method,
            )
            answer = self._national_set(key, tested_for=force if with_trend else None)
            if answer is not None and force is None:
                out.extend(answer[1])
            elif answer is not None and force in answer[0]:
                out.append(answer[0][force])
            else:  # asked of the engine as IndicatorQuery asks it
                out.extend(
                    super().rows(
                        period, force, [indicator_id], comparator, population_year, trends=trends
                    )
                )
        return out

    def _national_set(self, key: _Key, tested_for: str | None) -> _Answer:
        """The every-force rows of ``key``, computed now if need be; None where the engine
        cannot give them, or (``tested_for`` a force) the first time a tested trend is asked
        for: one report tests one force's trend, a second force's report all of them."""
        known, answer = self._sets.get(key)
        if known and answer is not _ASKED_ONCE:
            return answer
        if tested_for is not None and not known:
            self._sets.put(key, _ASKED_ONCE)
            return None
        indicator_id, period, comparator, population_year, with_trend, _ = key
        try:
            computed = compute_rows(
                self.engine,
                [indicator_id],
                period,
                None,
                comparator,
                population_year,
                self.msg_method,
                trends=with_trend,
            )
        except PeelkitError:
            answer = None
        else:
            rows = tuple(IndicatorRow.from_engine(r) for r in computed)
            answer = ({r.force: r for r in rows}, rows)
        self._sets.put(key, answer)
        return answer


def shared(query: IndicatorQuery) -> IndicatorQuery:
    """``query`` answering from the national sets kept for its engine (itself if it already
    does)."""
    return query if isinstance(query, SharedQuery) else SharedQuery(query)
