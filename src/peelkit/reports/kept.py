"""What the report charts keep between reports (drawings, figures, charts drawn), and one way
to drop it all: :func:`forget_drawings` (the tests build a report as if it were the first).

Apart from the modules that keep things so that importing it imports nothing heavy: the
reports' renderer is imported by commands that never draw a chart."""

from __future__ import annotations

from typing import Protocol


class Kept(Protocol):
    def clear(self) -> None: ...


_EVERY_KEPT: list[Kept] = []


def keep(kept: Kept) -> None:
    """Register something kept between reports, for :func:`forget_drawings`."""
    _EVERY_KEPT.append(kept)


def forget_drawings() -> None:
    """Drop every kept drawing, figure and chart: the next chart of each is drawn by
    matplotlib as if for the first time."""
    for kept in _EVERY_KEPT:
        kept.clear()
