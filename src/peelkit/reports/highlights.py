"""Charts that differ from force to force only by the highlighted force, drawn once.

The ranked bar chart and the funnel plot of a year's force reports show every force; the 43
reports differ only in which force is highlighted (its bar, label and value; its point and
label). Drawn with matplotlib, each took about a tenth of a second, and the 43 reports spent
most of their time drawing the same chart again. Here the chart is drawn once with every force
in both states (highlighted and not) and saved once; the SVG of any one highlight is then put
together from that drawing's parts: exactly the bytes matplotlib writes when it draws that
highlight alone (tests/reports/test_highlights.py compares the two for every force).

How: the chart's drawing code asks a :class:`Highlights` which states to draw for each label
(one, as always, or both) and tags each artist that depends on the highlight with its label and
state. :class:`Drawing` saves the figure with every tagged artist in a group of its own, then
keeps the SVG as text between the tagged groups and the groups themselves. Putting a highlight
together keeps the groups of its state, and redoes the three things matplotlib's SVG writer
decides over the whole document: a marker's definition is written where it is first used; the
clip paths are defined at the end, in the order they were first used; and the hashed ids
(``p…`` clip paths, ``m…`` markers) are salted per chart (:func:`~peelkit.reports.svg.chart_salt`),
so they are hashed again, with matplotlib's own function, under the chart's salt.

A figure this cannot put together exactly (ids of another kind, a marker shared between a
tagged and an untagged artist, clip paths defined out of order) is not composable:
:meth:`Drawing.of` gives None and the chart is drawn by matplotlib for each highlight, as
before.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import matplotlib as mpl
from matplotlib.artist import Artist
from matplotlib.backends.backend_svg import RendererSVG
from matplotlib.figure import Figure

from peelkit.reports import svg as svg_module
from peelkit.reports.kept import keep
from peelkit.reports.svg import finish_svg, saved_svg

_PART = "peelkit-part-"
_SAFE_GID = re.compile(r"[A-Za-z0-9_.:-]+")
_HASHED = re.compile(r"(?<![0-9A-Za-z])([pm][0-9a-f]{10})(?![0-9A-Za-z])")
_PART_START = re.compile(rf'^( *)<g id="{_PART}(\d+)">\n', re.MULTILINE)
_MARKER_DEF = re.compile(r'^( *)<defs>\n\1 <path id="(m[0-9a-f]{10})".*?\n\1</defs>\n', re.M | re.S)
_CLIP_USE = re.compile(r'clip-path="url\(#(p[0-9a-f]{10})\)"')
_CLIP_DEF = re.compile(r'^( *)<clipPath id="(p[0-9a-f]{10})">\n.*?\n\1</clipPath>\n', re.M | re.S)


@dataclass
class Highlights:
    """Which highlight states the drawing code draws, and the artists that depend on them.

    ``single``: the chart as it is, ``chosen`` highlighted. ``every``: each label both ways,
    each artist that depends on the highlight tagged (:meth:`tag`) for :class:`Drawing`.

    Drawing code that takes one must draw each artist the same whatever was drawn before it:
    colours given, never taken from matplotlib's colour cycle (which moves on with every line
    drawn, and so would differ between the figure of every highlight and that of one)."""

    every: bool
    chosen: frozenset[str] = frozenset()
    tagged: list[tuple[Artist, str, bool]] = field(default_factory=list)

    @classmethod
    def single(cls, chosen: Iterable[str]) -> Highlights:
        return cls(False, frozenset(chosen))

    @classmethod
    def both(cls) -> Highlights:
        return cls(True)

    def states(self, label: str) -> tuple[bool, ...]:
        """The states to draw ``label`` in: highlighted or not (both when drawing every)."""
        return (False, True) if self.every else (label in self.chosen,)

    def tag(self, artist: Artist, label: str, highlighted: bool) -> None:
        """``artist`` is drawn only when ``label``'s highlight is ``highlighted``."""
        if self.every:
            self.tagged.append((artist, label, highlighted))


@dataclass(frozen=True)
class _MarkerDef:
    oid: str
    text: str


@dataclass(frozen=True)
class _Part:
    label: str
    highlighted: bool
    pieces: tuple[str | _MarkerDef, ...]


@dataclass(frozen=True)
class _Clips:
    indent: str


Piece = str | _Part | _Clips


@dataclass(frozen=True)
class Drawing:
    """A figure of every highlight saved once; :meth:`svg` gives any one highlight's SVG."""

    pieces: tuple[Piece, ...]
    hashed: tuple[tuple[str, str, str], ...]  # (id, kind, what was hashed), as saved
    clips: dict[str, str]  # clip path id -> its <clipPath> element, as saved

    @classmethod
    def of(cls, figure: Figure, tagged: Sequence[tuple[Artist, str, bool]]) -> Drawing | None:
        """The drawing of ``figure`` (drawn with :meth:`Highlights.both`), or None when its
        SVG cannot be put together exactly (see the module's docstring)."""
        gids: list[str | None] = []
        for index, (artist, _, _) in enumerate(tagged):
            gid = artist.get_gid()
            if gid is not None and not _SAFE_GID.fullmatch(gid):
                return None
            gids.append(gid)
            artist.set_gid(f"{_PART}{index}")
            _with_markers_of_its_own(artist)
        made: dict[str, tuple[str, str]] = {}
        original: Callable[[Any, str, Any], str] = RendererSVG._make_id

        def recording(self: Any, kind: str, content: Any) -> str:
            oid = original(self, kind, content)
            made[oid] = (kind, str(content))
            return oid

        try:
            with _REHASH_LOCK:
                RendererSVG._make_id = recording  # type: ignore[method-assign]
                try:
                    saved = saved_svg(figure, "peelkit-every-highlight")
                finally:
                    RendererSVG._make_id = original  # type: ignore[method-assign]
        except AttributeError:  # matplotlib's writer changed: draw each highlight instead
            return None
        if any(kind not in ("p", "m") for kind, _ in made.values()):
            return None
        return _split(saved, tagged, gids, made)

    def svg(self, chosen: frozenset[str], salt: str) -> str:
        """The SVG document matplotlib writes for the figure with ``chosen`` highlighted and
        its ids salted with ``salt`` (what :func:`~peelkit.reports.svg.saved_svg` gives)."""
        out: list[str] = []
        defined: set[str] = set()
        clips_at: tuple[int, str] | None = None
        for piece in self.pieces:
            if isinstance(piece, str):
                out.append(piece)
            elif isinstance(piece, _Clips):
                clips_at = (len(out), piece.indent)
                out.append("")
            elif (piece.label in chosen) == piece.highlighted:
                for part in piece.pieces:
                    if isinstance(part, str):
                        out.append(part)
                    elif part.oid not in defined:
                        defined.add(part.oid)
                        out.append(part.text)
        if clips_at is not None:
            position, indent = clips_at
            used = list(dict.fromkeys(_CLIP_USE.findall("".join(out[:position]))))
            out[position] = (
                f"{indent}<defs>\n" + "".join(self.clips[c] for c in used) + f"{indent}</defs>\n"
                if used
                else ""
            )
        renamed = _rehash(self.hashed, salt)
        return _HASHED.sub(lambda m: renamed.get(m[1], m[1]), "".join(out))


_REHASH_LOCK = svg_module._SVG_LOCK  # rcParams (the salt) are global: one chart at a time


def _rehash(hashed: Sequence[tuple[str, str, str]], salt: str) -> dict[str, str]:
    """Each saved id hashed again, by matplotlib's SVG writer, under ``salt``."""
    make_id: Callable[[Any, str, str], str] = RendererSVG._make_id  # uses no renderer state
    with _REHASH_LOCK, mpl.rc_context({"svg.hashsalt": salt}):
        return {oid: make_id(None, kind, content) for oid, kind, content in hashed}


def _with_markers_of_its_own(artist: Artist) -> None:
    """Draw ``artist`` as if no marker had been drawn before it, and leave the markers the
    rest of the figure has drawn as they were: its part then holds the definition of every
    marker it uses, kept where the highlight drawn alone would first use it."""
    draw = artist.draw

    def drawn_alone(renderer: Any, *args: Any, **kwargs: Any) -> None:
        markers: dict[Any, str] = renderer._markers
        kept = dict(markers)
        markers.clear()
        try:
            draw(renderer, *args, **kwargs)
        finally:
            markers.clear()
            markers.update(kept)

    artist.draw = drawn_alone  # type: ignore[method-assign]


def _split(
    saved: str,
    tagged: Sequence[tuple[Artist, str, bool]],
    gids: Sequence[str | None],
    made: dict[str, tuple[str, str]],
) -> Drawing | None:
    """The saved SVG cut into untagged text, tagged parts and the clip paths' definitions."""
    clip_defs = list(_CLIP_DEF.finditer(saved))
    if clip_defs:
        first, last = clip_defs[0], clip_defs[-1]
        indent = first[1][:-1]
        opening, closing = f"{indent}<defs>\n", f"{indent}</defs>\n"
        begin, end = first.start() - len(opening), last.end() + len(closing)
        if saved[begin : first.start()] != opening or saved[last.end() : end] != closing:
            return None
        saved_clips = [m[2] for m in clip_defs]
        if saved_clips != list(dict.fromkeys(_CLIP_USE.findall(saved[:begin]))):
            return None  # defined in another order than first used
        body, tail = saved[:begin], saved[end:]
        clips = {m[2]: m[0] for m in clip_defs}
    else:
        body, tail, indent, clips = saved, "", "", {}

    pieces: list[Piece] = []
    at = 0
    part_markers: set[str] = set()
    for start in _PART_START.finditer(body):
        if start.start() < at:
            return None  # a tagged artist inside another
        close = f"\n{start[1]}</g>\n"
        stop = body.find(close, start.end() - 1)
        if stop < 0:
            return None
        index = int(start[2])
        artist_gid = gids[index]
        opening = f'{start[1]}<g id="{artist_gid}">\n' if artist_gid else f"{start[1]}<g>\n"
        inner = body[start.end() : stop + len(close)]
        parts: list[str | _MarkerDef] = [opening]
        cursor = 0
        for definition in _MARKER_DEF.finditer(inner):
            parts.append(inner[cursor : definition.start()])
            parts.append(_MarkerDef(definition[2], definition[0]))
            part_markers.add(definition[2])
            cursor = definition.end()
        parts.append(inner[cursor:])
        pieces.append(body[at : start.start()])
        _, label, highlighted = tagged[index]
        pieces.append(_Part(label, highlighted, tuple(p for p in parts if p != "")))
        at = stop + len(close)
    pieces.append(body[at:])
    untagged = "".join(p for p in pieces if isinstance(p, str))
    if _PART in untagged:
        return None  # a tagged group written another way (empty: ``<g id="…"/>``)
    if part_markers & {m[2] for m in _MARKER_DEF.finditer(untagged)}:
        return None  # a marker an untagged artist defines: its place would depend on the parts
    if clips:
        pieces.append(_Clips(indent))
    pieces.append(tail)
    hashed = tuple((oid, kind, content) for oid, (kind, content) in made.items())
    return Drawing(tuple(p for p in pieces if p != ""), hashed, clips)


_SEEN = "seen"  # drawn once by matplotlib
_NOT_COMPOSABLE = "not composable"  # always drawn by matplotlib


class Drawings:
    """Drawings kept by what the figure shows apart from its highlight, least recently used
    dropped first.

    A chart is drawn by matplotlib the first time its figure is asked for (one report needs
    it once); the second time, with another highlight, it is drawn once with every highlight
    and kept, and that highlight and every later one are put together from it."""

    def __init__(self, kept: int = 32) -> None:
        self.kept = kept
        self.lock = threading.Lock()
        self.drawings: OrderedDict[Hashable, Drawing | str] = OrderedDict()
        keep(self)

    def clear(self) -> None:
        with self.lock:
            self.drawings.clear()

    def svg(
        self,
        key: Hashable,
        draw: Callable[[Highlights], Figure],
        chosen: frozenset[str],
        title: str,
        alt: str,
    ) -> str:
        """The chart's ``<svg>`` (as :func:`~peelkit.reports.svg.render_svg` gives it) with
        ``chosen`` highlighted; ``draw`` draws the figure for the highlights it is given and
        depends on nothing but ``key`` and them."""
        with self.lock:
            known = self.drawings.get(key)
            if known is not None:
                self.drawings.move_to_end(key)
        if known == _SEEN:
            every = Highlights.both()
            known = Drawing.of(draw(every), every.tagged) or _NOT_COMPOSABLE
            self._keep(key, known)
        if isinstance(known, Drawing):
            return finish_svg(known.svg(chosen, svg_module.chart_salt(title, alt)), title, alt)
        if known is None:
            self._keep(key, _SEEN)
        return render_one(draw, chosen, title, alt)

    def _keep(self, key: Hashable, what: Drawing | str) -> None:
        with self.lock:
            self.drawings[key] = what
            self.drawings.move_to_end(key)
            while len(self.drawings) > self.kept:
                self.drawings.popitem(last=False)


def render_one(
    draw: Callable[[Highlights], Figure], chosen: frozenset[str], title: str, alt: str
) -> str:
    """The chart drawn by matplotlib with ``chosen`` highlighted, as always."""
    return svg_module.render_svg(draw(Highlights.single(chosen)), title, alt)
