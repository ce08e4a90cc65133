"""Most similar groups: the shipped ones plus those a user loads from a CSV file.

A CSV file has one row per peer: ``year,force,msg_force`` (the layout of the shared
``msg.csv``), with an optional ``source`` or ``source_url`` column. ``peer`` is accepted for
``msg_force``. Loading a file replaces the stored group of every (force, year) it names.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

from sqlalchemy import delete, select, tuple_
from sqlalchemy.orm import Session

from peelkit.domain.forces import MAX_PEERS, MostSimilarGroup
from peelkit.domain.years import normalise_year, start_year
from peelkit.errors import DataFileError, PeelkitError
from peelkit.record.bulk import insert_rows
from peelkit.record.schema import MostSimilarPeer
from peelkit.reference import resolve_force, shipped_groups

PEER_COLUMNS = ("msg_force", "peer", "peer_force")
SOURCE_COLUMNS = ("source", "source_url")


def read_groups_csv(path: Path) -> list[MostSimilarGroup]:
    """Parse and check a groups file; every problem names its line and column."""
    name = path.name
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise DataFileError(
            str(path), "", f"cannot be read ({exc.strerror})", code="file_unreadable"
        ) from None
    except UnicodeDecodeError:
        raise DataFileError(name, "", "is not UTF-8 text") from None
    reader = csv.DictReader(text.splitlines())
    header = [h.strip() for h in (reader.fieldnames or [])]
    if not header:
        raise DataFileError(name, "line 1", "empty file: expected a header year,force,msg_force")
    reader.fieldnames = header
    peer_column = next((c for c in PEER_COLUMNS if c in header), None)
    for needed in ("year", "force"):
        if needed not in header:
            raise DataFileError(
                name, "line 1", f"missing column {needed!r} (found: {', '.join(header)})"
            )
    if peer_column is None:
        raise DataFileError(
            name, "line 1", f"missing column 'msg_force' (found: {', '.join(header)})"
        )
    source_column = next((c for c in SOURCE_COLUMNS if c in header), None)

    peers: dict[tuple[str, str], list[str]] = defaultdict(list)
    sources: dict[tuple[str, str], str] = {}
    for line, row in enumerate(reader, start=2):
        if not any((v or "").strip() for v in row.values()):
            continue

        def cell(column: str, line: int = line, row: dict[str, str | None] = row) -> str:
            value = (row.get(column) or "").strip()
            if not value:
                raise DataFileError(name, f"line {line}, column {column}", "empty value")
            return value

        try:
            year = normalise_year(cell("year"))
        except DataFileError:
            raise
        except PeelkitError as exc:
            raise DataFileError(name, f"line {line}, column year", str(exc)) from None
        try:
            force = resolve_force(cell("force")).id
        except DataFileError:
            raise
        except PeelkitError as exc:
            raise DataFileError(name, f"line {line}, column force", str(exc)) from None
        try:
            peer = resolve_force(cell(peer_column)).id
        except DataFileError:
            raise
        except PeelkitError as exc:
            raise DataFileError(name, f"line {line}, column {peer_column}", str(exc)) from None
        where = f"line {line}, column {peer_column}"
        if peer == force:
            raise DataFileError(name, where, f"{peer} cannot be in its own most similar group")
        key = (force, year)
        if peer in peers[key]:
            raise DataFileError(name, where, f"{peer} is listed twice in {force}'s {year} group")
        peers[key].append(peer)
        if len(peers[key]) > MAX_PEERS:
            raise DataFileError(
                name, where, f"{force}'s {year} group has more than {MAX_PEERS} peers"
            )
        if source_column and (row.get(source_column) or "").strip():
            sources.setdefault(key, (row.get(source_column) or "").strip())
    if not peers:
        raise DataFileError(name, "", "no groups found: the file has a header but no rows")
    return [
        MostSimilarGroup(force_id=f, year=y, peers=tuple(p), source=sources.get((f, y), name))
        for (f, y), p in peers.items()
    ]


def store_groups(session: Session, groups: list[MostSimilarGroup]) -> None:
    """Store each group instead of the stored group of its (force, year); of two for one
    (force, year), the later. One delete and one batch of inserts for all of them."""
    latest = {(group.force_id, group.year): group for group in groups}
    keys = list(latest)
    for start in range(0, len(keys), _KEYS_A_STATEMENT):
        chunk = keys[start : start + _KEYS_A_STATEMENT]
        session.execute(
            delete(MostSimilarPeer).where(
                tuple_(MostSimilarPeer.force_id, MostSimilarPeer.year).in_(chunk)
            )
        )
    insert_rows(
        session,
        MostSimilarPeer.metadata.tables[MostSimilarPeer.__tablename__],
        [
            {
                "force_id": group.force_id,
                "year": group.year,
                "position": position,
                "peer_id": peer,
                "source": group.source,
            }
            for group in latest.values()
            for position, peer in enumerate(group.peers)
        ],
    )
    session.flush()


# (force, year) pairs named in one DELETE (two bound values each, far below any driver's limit).
_KEYS_A_STATEMENT = 400


def stored_groups(session: Session) -> list[MostSimilarGroup]:
    rows = session.scalars(
        select(MostSimilarPeer).order_by(
            MostSimilarPeer.force_id, MostSimilarPeer.year, MostSimilarPeer.position
        )
    )
    collected: dict[tuple[str, str], list[MostSimilarPeer]] = defaultdict(list)
    for row in rows:
        collected[(row.force_id, row.year)].append(row)
    return [
        MostSimilarGroup(
            force_id=f, year=y, peers=tuple(r.peer_id for r in rs), source=rs[0].source
        )
        for (f, y), rs in collected.items()
    ]


def all_groups(session: Session) -> list[MostSimilarGroup]:
    """Shipped groups overlaid by stored ones: a loaded file wins for its (force, year)."""
    merged = {(g.force_id, g.year): g for g in shipped_groups()}
    merged.update({(g.force_id, g.year): g for g in stored_groups(session)})
    return sorted(merged.values(), key=lambda g: (g.force_id, start_year(g.year), g.year))


def groups_of(session: Session, force: str, year: str | None = None) -> list[MostSimilarGroup]:
    """A force's groups; with ``year``, the one in effect then (the latest not after it)."""
    force_id = resolve_force(force).id
    groups = [g for g in all_groups(session) if g.force_id == force_id]
    if year is None:
        return groups
    wanted = normalise_year(year)
    exact = [g for g in groups if g.year == wanted]
    if exact:
        return exact
    earlier = [g for g in groups if start_year(g.year) <= start_year(wanted)]
    return earlier[-1:]
