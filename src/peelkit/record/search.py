"""Full-text search over findings: what the public may see, ranked, filtered, with facets.

The index is kept by triggers (migration 0005): an FTS5 table ``finding_search`` on SQLite, a
``tsvector`` column ``finding.search_vector`` (English configuration) on PostgreSQL. Both index
a finding's text and sub-items, then its lead-in and heading with less weight, and, for a
recommendation, the text of its cause of concern with the least (a report prints
recommendations under their cause, so searching the cause's words finds them too).

User text never reaches MATCH or a tsquery as syntax. :func:`parse_query` reads it as words,
"quoted phrases" and ``OR`` between terms; everything else (``*``, ``NEAR``, ``-``, ``:``,
brackets, a lone quote, SQL) is only a separator between words. The words are re-quoted for
FTS5 and given to ``websearch_to_tsquery``, which cannot fail. Common English words (the
PostgreSQL English stop list) are dropped outside phrases on both databases, so that both
answer a natural query alike.

Results: only inspections the public may see (:func:`peelkit.record.visibility.
public_condition`), ordered by relevance (``bm25`` on SQLite, ``ts_rank`` on PostgreSQL; higher
is better) then finding id, a page at a time with an opaque keyset cursor. Facets count the
whole filtered result set, so each facet's counts add up to ``total``.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from peelkit.domain.findings import FindingKind
from peelkit.domain.years import normalise_year
from peelkit.errors import Location, PeelkitError
from peelkit.frameworks import load_all, load_framework
from peelkit.names import closest
from peelkit.record.schema import Finding, Inspection, SourceDocument
from peelkit.record.visibility import public_condition
from peelkit.reference import resolve_force

if TYPE_CHECKING:
    from alembic.runtime.environment import NameFilterParentNames, NameFilterType

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
MAX_TERMS = 32  # words and phrases of one query; the rest of a longer text is ignored
MAX_PHRASE_WORDS = 16
MAX_WORD_CHARS = 100  # longer words are cut (PostgreSQL would ignore them, matching everything)
FACETS = ("kind", "force", "framework", "year", "area")

# The index's objects that the SQLAlchemy tables do not declare (migration 0005 makes them).
FTS_TABLE = "finding_search"
PG_COLUMN = "search_vector"
PG_INDEX = "ix_finding_search_vector"
# bm25 weights of the FTS5 columns, in the migration's order: text, sub_items, lead_in,
# heading, cause (the cause of concern a recommendation answers).
BM25_WEIGHTS = (1.0, 1.0, 0.5, 0.25, 0.2)
# ts_rank normalisation 1: divide by 1 + log(document length), as bm25 favours short matches.
TS_RANK_NORMALISATION = 1

# PostgreSQL's English stop words (tsearch_data/english.stop).
STOP_WORDS = frozenset(
    """
    i me my myself we our ours ourselves you your yours yourself yourselves he him his himself
    she her hers herself it its itself they them their theirs themselves what which who whom
    this that these those am is are was were be been being have has had having do does did
    doing a an the and but if or because as until while of at by for with about against between
    into through during before after above below to from up down in out on off over under again
    further then once here there when where why how all any both each few more most other some
    such no nor not only own same so than too very s t can will just don should now
    """.split()  # noqa: SIM905 (one word list, as the file writes it)
)

_WORD = re.compile(r"[^\W_]+")
_CHUNK = re.compile(r'"([^"]*)"|(\S+)')


def include_in_schema_comparison(
    name: str | None, type_: NameFilterType, parent_names: NameFilterParentNames
) -> bool:
    """Alembic's ``include_name``: leave out the search index's undeclared objects (the FTS5
    table and its shadow tables; the tsvector column and its GIN index)."""
    if type_ == "table" and name is not None:
        return name != FTS_TABLE and not name.startswith(FTS_TABLE + "_")
    if type_ == "column":
        return not (name == PG_COLUMN and parent_names.get("table_name") == "finding")
    if type_ == "index":
        return name != PG_INDEX
    return True


# --- the query --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """One word, or the words of a quoted phrase (which must appear in this order)."""

    words: tuple[str, ...]

    def quoted(self) -> str:
        return '"' + " ".join(self.words) + '"'


@dataclass(frozen=True)
class ParsedQuery:
    """Alternatives (``OR``) of terms that must all match; no alternatives: every finding."""

    alternatives: tuple[tuple[Term, ...], ...]

    def __bool__(self) -> bool:
        return bool(self.alternatives)

    def fts5(self) -> str:
        """The query for SQLite's MATCH: every term a quoted string (no operator inside)."""
        return " OR ".join(
            "(" + " ".join(term.quoted() for term in group) + ")" for group in self.alternatives
        )

    def websearch(self) -> str:
        """The query for ``websearch_to_tsquery``: quoted terms, ``or`` between groups."""
        return " or ".join(" ".join(term.quoted() for term in group) for group in self.alternatives)


def _items(text: str) -> Iterator[Term | None]:
    """Terms in order, ``None`` for an ``OR``: a quoted phrase is one term; outside quotes
    each chunk between spaces is a word or, when punctuation joins words (``sex-offenders``,
    ``force's``), a phrase of them."""
    for match in _CHUNK.finditer(text):
        phrase, chunk = match.group(1), match.group(2)
        if chunk == "OR":
            yield None
            continue
        words = tuple(w[:MAX_WORD_CHARS] for w in _WORD.findall(phrase or chunk or ""))
        if words:
            yield Term(words[:MAX_PHRASE_WORDS])


def parse_query(text: str | None) -> ParsedQuery:
    """Read user text as terms and ``OR``s; anything else is only a separator between words.

    ``OR`` between two terms separates alternatives (several in a row count as one); with no
    term before or after it, it is the word "or". Single common words are dropped, so a text
    of nothing else asks for every finding, on both databases. Only the first 32 terms count.
    """
    items: list[Term | None] = []
    terms = 0
    for item in _items(text or ""):
        items.append(item)
        terms += item is not None
        if terms >= MAX_TERMS or len(items) >= 2 * MAX_TERMS:
            break
    term_after = [False] * (len(items) + 1)
    for position in range(len(items) - 1, -1, -1):
        term_after[position] = items[position] is not None or term_after[position + 1]
    groups: list[list[Term]] = [[]]
    for position, item in enumerate(items):
        if item is None:
            if groups[-1] and term_after[position + 1]:
                groups.append([])
        elif not _is_stop_word(item):
            groups[-1].append(item)
    return ParsedQuery(tuple(tuple(group) for group in groups if group))


def _is_stop_word(term: Term) -> bool:
    return len(term.words) == 1 and term.words[0].lower() in STOP_WORDS


# --- the request ------------------------------------------------------------------------------


def _given(value: str | None) -> str | None:
    """A filter's value, or None when it is absent or blank (a web form's empty field)."""
    if value is None:
        return None
    value = value.strip()
    return value or None


def _kind(value: str) -> str:
    spelled = re.sub(r"[\s-]+", "_", value.lower())
    try:
        return FindingKind(spelled).value
    except ValueError:
        allowed = ", ".join(k.value for k in FindingKind)
        raise PeelkitError(
            f"unknown finding kind {value!r} (expected one of: {allowed})",
            code="unknown_choice",
            location=Location(field="kind"),
        ) from None


def _area(value: str, framework: str | None) -> str:
    """The area id ``value`` denotes: in the framework given, any name or alias; otherwise an
    area id of any framework, else a name in the latest framework that has it."""
    if framework is not None:
        return load_framework(framework).resolve_area(value).id
    frameworks = load_all()
    for spec in frameworks:
        if value in {a.id for a in spec.walk()}:
            return value
    for spec in reversed(frameworks):
        found = spec.find_area(value)
        if found is not None:
            return found.id
    ids = sorted({a.id for spec in frameworks for a in spec.walk()})
    suggestions = closest(value, ids)
    hint = f" (closest: {', '.join(suggestions)})" if suggestions else ""
    raise PeelkitError(
        f"unknown area {value!r}: no framework has an area with this id or name{hint}",
        code="unknown_area",
        kind="not_found",
        location=Location(field="area"),
    )


def check_limit(limit: object) -> int:
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise PeelkitError(
            f"limit must be a whole number from 1 to {MAX_LIMIT}, got {limit!r}",
            code="invalid_limit",
            location=Location(field="limit"),
        )
    return limit


def encode_cursor(rank: float, finding_id: int) -> str:
    """The opaque cursor after a hit: base64 (URL-safe, unpadded) of ``[rank, id]``."""
    raw = json.dumps([rank, finding_id], separators=(",", ":")).encode("ascii")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_cursor(cursor: str) -> tuple[float, int]:
    """The rank and id a cursor holds; :class:`PeelkitError` ``invalid_cursor`` if it is not
    one this module wrote."""

    def invalid() -> PeelkitError:
        return PeelkitError(
            "invalid cursor: use the 'next' value of the previous page as it was given",
            code="invalid_cursor",
            location=Location(field="after"),
        )

    if not isinstance(cursor, str) or not 0 < len(cursor) <= 200:
        raise invalid()
    try:
        raw = base64.b64decode(cursor + "=" * (-len(cursor) % 4), altchars=b"-_", validate=True)
        value = json.loads(raw.decode("ascii"))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise invalid() from None
    if not (isinstance(value, list) and len(value) == 2):
        raise invalid()
    rank, finding_id = value
    if isinstance(rank, bool) or not isinstance(rank, int | float) or not math.isfinite(rank):
        raise invalid()
    if isinstance(finding_id, bool) or not isinstance(finding_id, int) or finding_id < 0:
        raise invalid()
    return float(rank), finding_id


@dataclass(frozen=True)
class SearchRequest:
    """A checked search: the text as given and as parsed, filters resolved to ids."""

    text: str
    query: ParsedQuery
    kind: str | None = None
    force: str | None = None
    framework: str | None = None
    year: str | None = None
    area: str | None = None
    limit: int = DEFAULT_LIMIT
    after: tuple[float, int] | None = None

    @classmethod
    def build(
        cls,
        text: str | None,
        *,
        kind: str | None = None,
        force: str | None = None,
        framework: str | None = None,
        year: str | None = None,
        area: str | None = None,
        limit: int = DEFAULT_LIMIT,
        after: str | None = None,
    ) -> SearchRequest:
        """Check and resolve everything before the database is asked: a kind of finding, any
        name of a force, a framework id, an assessment year, an area id (or, with a
        framework, any of its names), a limit of 1 to 200 and a cursor from an earlier page."""
        kind, force, framework = _given(kind), _given(force), _given(framework)
        year, area, after = _given(year), _given(area), _given(after)
        framework_id = load_framework(framework).id if framework else None
        return cls(
            text=text or "",
            query=parse_query(text),
            kind=_kind(kind) if kind else None,
            force=resolve_force(force).id if force else None,
            framework=framework_id,
            year=normalise_year(year) if year else None,
            area=_area(area, framework_id) if area else None,
            limit=check_limit(limit),
            after=decode_cursor(after) if after else None,
        )


# --- the result -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    finding: Finding
    inspection: Inspection
    rank: float


@dataclass(frozen=True)
class FacetCount:
    """How many results have ``value`` for ``facet``; the area facet counts each framework's
    areas apart (``framework`` set), as area names differ between frameworks."""

    facet: str
    value: str | None
    count: int
    framework: str | None = None


@dataclass(frozen=True)
class SearchResult:
    hits: tuple[Hit, ...]
    total: int
    facets: tuple[FacetCount, ...]
    documents: Mapping[int, SourceDocument]
    next: str | None


def _ts_query(parsed: ParsedQuery) -> sa.ColumnElement[object]:
    return sa.func.websearch_to_tsquery(
        sa.literal_column("'english'::regconfig"), sa.literal(parsed.websearch(), sa.Text())
    )


def _effective(session: Session, parsed: ParsedQuery) -> ParsedQuery:
    """The query as the database will read it: on PostgreSQL, one with nothing it indexes
    (words its English configuration drops) asks for every finding, as an empty one does."""
    postgresql = session.get_bind().dialect.name == "postgresql"
    if parsed and postgresql and not session.scalar(sa.select(sa.func.numnode(_ts_query(parsed)))):
        return ParsedQuery(())
    return parsed


def _matches(
    session: Session, request: SearchRequest, parsed: ParsedQuery, now: dt.datetime, ranked: bool
) -> sa.Select[*tuple[Any, ...]]:
    """The public findings the query and the request's filters match: id, rank and the
    facets' columns."""
    postgresql = session.get_bind().dialect.name == "postgresql"
    rank: sa.ColumnElement[float] = sa.literal(0.0, sa.Float())
    condition: sa.ColumnElement[bool] | None = None
    joins: list[tuple[sa.FromClause, sa.ColumnElement[bool]]] = []
    if parsed and postgresql:
        vector: sa.ColumnElement[object] = sa.literal_column(f"finding.{PG_COLUMN}")
        condition = vector.op("@@")(_ts_query(parsed))
        rank = sa.cast(
            sa.func.ts_rank(vector, _ts_query(parsed), TS_RANK_NORMALISATION), sa.Float(53)
        )
    elif parsed:
        index = sa.table(FTS_TABLE, sa.column("rowid", sa.Integer()))
        joins.append((index, index.c.rowid == Finding.id))
        condition = sa.literal_column(FTS_TABLE).op("MATCH")(sa.literal(parsed.fts5()))
        rank = -sa.func.bm25(sa.literal_column(FTS_TABLE), *BM25_WEIGHTS)
    query = (
        sa.select(
            Finding.id.label("id"),
            (rank if ranked else sa.literal(0.0, sa.Float())).label("rank"),
            Finding.kind.label("kind"),
            Inspection.force_id.label("force"),
            Finding.framework_id.label("framework"),
            Inspection.period.label("year"),
            Finding.area_id.label("area"),
        )
        .select_from(Finding)
        .join(Inspection, Finding.inspection_id == Inspection.id)
        .where(public_condition(now))
    )
    for table, on in joins:
        query = query.join(table, on)
    if condition is not None:
        query = query.where(condition)
    filters = (
        (Finding.kind, request.kind),
        (Inspection.force_id, request.force),
        (Finding.framework_id, request.framework),
        (Inspection.period, request.year),
        (Finding.area_id, request.area),
    )
    for column, value in filters:
        if value is not None:
            query = query.where(column == value)
    return query


def _facets(
    session: Session, request: SearchRequest, parsed: ParsedQuery, now: dt.datetime
) -> list[FacetCount]:
    matches = _matches(session, request, parsed, now, ranked=False).cte("matches")
    no_framework = sa.cast(sa.null(), sa.String())
    parts = [
        sa.select(
            sa.literal(name, sa.String()).label("facet"),
            matches.c[name].label("value"),
            (matches.c.framework if name == "area" else no_framework).label("framework"),
            sa.func.count().label("hits"),
        ).group_by(
            *([matches.c.area, matches.c.framework] if name == "area" else [matches.c[name]])
        )
        for name in FACETS
    ]
    return [
        FacetCount(row.facet, row.value, int(row.hits), row.framework)
        for row in session.execute(sa.union_all(*parts))
    ]


def search_findings(session: Session, request: SearchRequest, now: dt.datetime) -> SearchResult:
    """One page of the public findings ``request`` matches at ``now``, the total and facets."""
    parsed = _effective(session, request.query)
    facets = _facets(session, request, parsed, now)
    total = sum(f.count for f in facets if f.facet == "kind")
    matches = _matches(session, request, parsed, now, ranked=True).subquery("matches")
    page = sa.select(matches.c.id, matches.c.rank)
    if request.after is not None:
        rank, after_id = request.after
        page = page.where(
            sa.or_(matches.c.rank < rank, sa.and_(matches.c.rank == rank, matches.c.id > after_id))
        )
    page = page.order_by(matches.c.rank.desc(), matches.c.id).limit(request.limit + 1)
    ranked = [(int(row.id), float(row.rank)) for row in session.execute(page)]
    more = len(ranked) > request.limit
    ranked = ranked[: request.limit]
    loaded = {
        finding.id: (finding, inspection)
        for finding, inspection in session.execute(
            sa.select(Finding, Inspection)
            .join(Inspection, Finding.inspection_id == Inspection.id)
            .where(Finding.id.in_([i for i, _ in ranked]))
        )
    }
    hits = tuple(Hit(*loaded[i], rank) for i, rank in ranked if i in loaded)
    cited = {h.finding.document_id for h in hits} - {None}
    documents = {
        d.id: d
        for d in session.scalars(sa.select(SourceDocument).where(SourceDocument.id.in_(cited)))
    }
    last = ranked[-1] if ranked else None
    cursor = encode_cursor(last[1], last[0]) if more and last is not None else None
    return SearchResult(hits, total, tuple(facets), documents, cursor)
