"""A chart drawn once for every highlight gives, for each highlight, the bytes matplotlib writes
when drawing that highlight alone; a figure it cannot put together that way is drawn alone.

The expected SVG is matplotlib's own (peelkit.reports.highlights.render_one). The figures are
small ones made here, with what the report charts use: clipped bars, text, markers defined at
their first use (a highlight that moves the first use elsewhere), and the hashed ids salted per
chart. The report charts themselves are compared for every force in test_report_batch.py.
"""

from __future__ import annotations

from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from peelkit.reports.highlights import Drawing, Drawings, Highlights, render_one
from peelkit.reports.svg import chart_salt, finish_svg, new_figure

LABELS = ("Avon", "Kent", "Essex")


def _points(highlights: Highlights) -> Figure:
    """One point and one bar per label; a highlighted point is larger (a marker of its own)
    and drawn above the others, with its label written beside it."""
    figure = new_figure(3, 2)
    axes = figure.add_axes((0.1, 0.1, 0.8, 0.8))
    axes.set_xlim(-1, 3)
    axes.set_ylim(0, 4)
    for x, label in enumerate(LABELS):
        for marked in highlights.states(label):
            bar = Rectangle((x - 0.3, 0), 0.6, x + 1, facecolor="red" if marked else "grey")
            bar.set_gid(f"bar-{label.lower()}")
            bar.set_clip_path(axes.patch)
            axes.add_artist(bar)
            highlights.tag(bar, label, marked)
            (point,) = axes.plot(
                [x],
                [x + 1.5],
                marker="o",
                markersize=8 if marked else 4,
                color="black",
                zorder=5 if marked else 4,
            )
            highlights.tag(point, label, marked)
            if marked:
                highlights.tag(axes.annotate(label, (x, x + 2)), label, True)
    axes.plot([0, 2], [0.5, 0.5], marker="s", color="blue")  # untagged, a marker of its own
    return figure


def _svg(drawing: Drawing, chosen: frozenset[str], title: str) -> str:
    return finish_svg(drawing.svg(chosen, chart_salt(title, "alt")), title, "alt")


def test_each_highlight_is_the_chart_drawn_alone() -> None:
    every = Highlights.both()
    drawing = Drawing.of(_points(every), every.tagged)
    assert drawing is not None
    for chosen in [frozenset(), *(frozenset({label}) for label in LABELS), frozenset(LABELS)]:
        title = f"highlighting {sorted(chosen)}"
        alone = render_one(_points, chosen, title, "alt")
        assert _svg(drawing, chosen, title) == alone, chosen
    # Avon's small point defines the small marker; highlighted, the definition moves to Kent's.
    assert render_one(_points, frozenset(), "t", "alt") != render_one(
        _points, frozenset({"Avon"}), "t", "alt"
    )


def _shared_marker(highlights: Highlights) -> Figure:
    """A tagged point drawn with the same marker as an untagged line drawn before it."""
    figure = new_figure(2, 2)
    axes = figure.add_axes((0.1, 0.1, 0.8, 0.8))
    axes.plot([0, 1], [0, 1], marker="o", markersize=4, color="black")
    for marked in highlights.states("Kent"):
        (point,) = axes.plot([0.5], [0.2], marker="o", markersize=4, color="black")
        point.set_alpha(1.0 if marked else None)
        highlights.tag(point, "Kent", marked)
    return figure


def test_a_marker_shared_with_an_untagged_artist_is_drawn_alone() -> None:
    every = Highlights.both()
    assert Drawing.of(_shared_marker(every), every.tagged) is None
    kept = Drawings()
    for chosen in (frozenset(), frozenset({"Kent"}), frozenset()):
        alone = render_one(_shared_marker, chosen, "shared", "alt")
        assert kept.svg("shared", _shared_marker, chosen, "shared", "alt") == alone


def test_the_first_highlight_is_drawn_by_matplotlib_and_the_second_put_together() -> None:
    drawn: list[bool] = []

    def counted(highlights: Highlights) -> Figure:
        drawn.append(highlights.every)
        return _points(highlights)

    kept = Drawings()
    for label in LABELS:
        svg = kept.svg("points", counted, frozenset({label}), label, "alt")
        assert svg == render_one(_points, frozenset({label}), label, "alt")
    assert drawn == [False, True]  # one highlight alone, then every highlight once
    kept.clear()
    kept.svg("points", counted, frozenset(), "none", "alt")
    assert drawn == [False, True, False]
