"""The findings' full-text index and the record's change counter, for real on SQLite (FTS5) and
PostgreSQL (tsvector): kept in step by the transactions that write findings, whatever the
path (entry by hand, an ORM edit, a delete, an inspection's cascade, ``peel load``), and the
counter moved by writes only. The query parser is tested on its own at the end."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import delete, inspect, select, text
from sqlalchemy.orm import Session

from peelkit import Workspace
from peelkit.errors import PeelkitError
from peelkit.record.database import _alembic_config, make_engine, normalise_url, sync_reference
from peelkit.record.operations import Provenance
from peelkit.record.schema import UNVERSIONED_TABLES, Base, Finding, Inspection
from peelkit.record.search import decode_cursor, encode_cursor, parse_query
from peelkit.views.search import FindingSearchView

NOW = dt.datetime(2030, 1, 1, 12, 0)
CAUSE = "The force fails to safeguard children at risk of exploitation."
RECOMMENDATION = "Within six months the force should train every call handler."
IMPROVEMENT = "The force should improve how it records crime."


def _found(workspace: Workspace, query: str, **filters: Any) -> list[int]:
    return [h.id for h in workspace.search_findings(query, public_at=NOW, **filters).items]


def _record(workspace: Workspace) -> dict[str, int]:
    """A published Kent inspection with a cause of concern, its recommendation and an area for
    improvement with a heading, lead-in and sub-items; and a draft Durham one."""
    document = workspace.register_document(sha256="a" * 64, title="Kent report", filename="k.txt")
    kent = workspace.add_inspection(
        force="Kent", framework="peel-2018-19", status="published", document_id=document.id
    )
    cause = workspace.add_finding(
        kent.id,
        kind="cause_of_concern",
        text=CAUSE,
        area="protecting-vulnerable-people",
        provenance=Provenance(document_id=document.id, line_start=10, line_end=11),
    )
    recommendation = workspace.add_finding(
        kent.id, kind="recommendation", text=RECOMMENDATION, cause_of_concern_id=cause.id
    )
    improvement = workspace.add_finding(
        kent.id,
        kind="area_for_improvement",
        text=IMPROVEMENT,
        heading="Burglary investigations",
        lead_in="In particular it should:",
        sub_items=["audit domestic burglary reports", "brief supervisors weekly"],
        provenance=Provenance(entered_by="J. Smith"),
    )
    durham = workspace.add_inspection(force="Durham", framework="peel-2018-19", status="draft")
    draft = workspace.add_finding(
        durham.id, kind="strength", text="Wardens patrol the parks and protect children."
    )
    return {
        "kent": kent.id,
        "durham": durham.id,
        "cause": cause.id,
        "recommendation": recommendation.id,
        "improvement": improvement.id,
        "draft": draft.id,
    }


def _indexed(workspace: Workspace) -> int:
    """How many findings the index holds (rows of the FTS5 table; filled tsvectors)."""
    with workspace.database.transaction() as session:
        if session.get_bind().dialect.name == "postgresql":
            query = "SELECT COUNT(*) FROM finding WHERE search_vector IS NOT NULL"
        else:
            query = "SELECT COUNT(*) FROM finding_search"
        return int(session.execute(text(query)).scalar_one())


def _findings(workspace: Workspace) -> int:
    with workspace.database.transaction() as session:
        return len(session.scalars(select(Finding.id)).all())


def test_every_field_of_a_finding_is_searchable_and_drafts_are_not(workspace: Workspace) -> None:
    ids = _record(workspace)
    assert _found(workspace, "safeguard children") == [ids["cause"], ids["recommendation"]]
    assert _found(workspace, "wardens") == []  # a draft's finding
    assert _found(workspace, "call handler") == [ids["recommendation"]]
    assert _found(workspace, "burglary investigations") == [ids["improvement"]]  # heading
    assert _found(workspace, "particular") == [ids["improvement"]]  # lead-in
    assert _found(workspace, "supervisors weekly") == [ids["improvement"]]  # a sub-item
    # English stemming on both databases: "recorded" and "records" share a stem.
    assert _found(workspace, "recorded") == [ids["improvement"]]
    # A recommendation is found by its cause of concern's words too, after the cause itself.
    assert _found(workspace, "exploitation") == [ids["cause"], ids["recommendation"]]
    assert _found(workspace, '"every call handler"') == [ids["recommendation"]]
    assert _found(workspace, '"handler call"') == []  # a phrase keeps its order
    assert set(_found(workspace, "handler OR supervisors")) == {
        ids["recommendation"],
        ids["improvement"],
    }
    assert _found(workspace, "handler supervisors") == []  # without OR, all words must match
    assert _indexed(workspace) == _findings(workspace) == 4


def test_the_index_follows_edits_and_deletes(workspace: Workspace) -> None:
    ids = _record(workspace)
    with workspace.database.transaction() as session:
        improvement = session.get(Finding, ids["improvement"])
        assert improvement is not None
        improvement.text = "The force should answer emergency calls faster."
        improvement.sub_items = ["publish response times"]
    assert _found(workspace, "records crime") == []
    assert _found(workspace, "supervisors") == []
    assert _found(workspace, "emergency") == [ids["improvement"]]
    assert _found(workspace, "response times") == [ids["improvement"]]
    # The cause's new words reach its recommendation; its old ones no longer do.
    with workspace.database.transaction() as session:
        cause = session.get(Finding, ids["cause"])
        assert cause is not None
        cause.text = "The force does not manage registered sex offenders well enough."
    assert _found(workspace, "exploitation") == []
    assert _found(workspace, "offenders") == [ids["cause"], ids["recommendation"]]
    # Deleting the cause unlinks the recommendation, which loses the cause's words.
    with workspace.database.transaction() as session:
        session.execute(delete(Finding).where(Finding.id == ids["cause"]))
    assert _found(workspace, "offenders") == []
    assert _found(workspace, "call handler") == [ids["recommendation"]]
    assert _indexed(workspace) == _findings(workspace) == 3
    # Deleting an inspection takes its findings out of the index (the cascade).
    workspace.delete_inspection(ids["kent"])
    assert _found(workspace, "call handler") == []
    assert _indexed(workspace) == _findings(workspace) == 1


def test_publishing_and_embargo_decide_what_search_shows(workspace: Workspace) -> None:
    ids = _record(workspace)
    assert _found(workspace, "wardens") == []  # Durham's inspection is a draft
    until = dt.datetime(2030, 6, 1, 0, 1)
    with workspace.database.transaction() as session:
        durham = session.get(Inspection, ids["durham"])
        assert durham is not None
        durham.status = "published"
        durham.embargo_until = until
    before = workspace.search_findings("children", public_at=until - dt.timedelta(seconds=1))
    after = workspace.search_findings("children", public_at=until)
    assert [h.id for h in before.items] == [ids["cause"], ids["recommendation"]]
    assert {h.id for h in after.items} == {ids["cause"], ids["recommendation"], ids["draft"]}
    assert (before.total, after.total) == (2, 3)

    def forces(view: FindingSearchView) -> dict[str | None, int]:
        return {v.value: v.count for f in view.facets if f.name == "force" for v in f.values}

    assert forces(before) == {"kent": 2}
    assert forces(after) == {"kent": 2, "durham": 1}


def test_load_of_an_export_is_searchable_and_replace_keeps_the_index_right(
    workspace: Workspace,
    second_database_url: str,
    open_workspace: Callable[[str], Workspace],
    tmp_path: Path,
) -> None:
    ids = _record(workspace)
    export = tmp_path / "record.json"
    workspace.export_to(export)
    loaded = open_workspace(second_database_url)
    loaded.load(export)
    assert _found(loaded, "supervisors") == [ids["improvement"]]
    assert _found(loaded, "exploitation") == [ids["cause"], ids["recommendation"]]
    assert _indexed(loaded) == _findings(loaded) == 4
    # --replace discards the record (and its index rows) and loads the file again.
    loaded.add_finding(ids["kent"], kind="strength", text="Neighbourhood teams know locals.")
    assert _found(loaded, "neighbourhood") != []
    loaded.load(export, replace=True)
    assert _found(loaded, "neighbourhood") == []
    assert _found(loaded, "supervisors") == [ids["improvement"]]
    assert _indexed(loaded) == _findings(loaded) == 4


def test_the_migration_indexes_the_findings_already_held(
    database_url: str, open_workspace: Callable[[str], Workspace]
) -> None:
    """A database at revision 0004 with findings (inserted with plain SQL) gets them indexed
    by migration 0005, a recommendation with its cause's words."""
    engine = make_engine(normalise_url(database_url))
    with engine.begin() as connection:
        config = _alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, "0004")
        with Session(bind=connection) as session:
            sync_reference(session)
            session.flush()
        connection.execute(
            text(
                "INSERT INTO inspection (id, force_id, framework_id, period, status) "
                "VALUES (7, 'kent', 'peel-2018-19', '2018/19', 'published')"
            )
        )
        for id_, kind, finding_text, items, cause in (
            (1, "cause_of_concern", CAUSE, "[]", None),
            (2, "recommendation", RECOMMENDATION, "[]", 1),
            (3, "area_for_improvement", IMPROVEMENT, '["brief supervisors weekly"]', None),
        ):
            connection.execute(
                text(
                    "INSERT INTO finding (id, inspection_id, framework_id, kind, text, "
                    "sub_items, cause_of_concern_id) VALUES (:id, 7, 'peel-2018-19', :kind, "
                    ":text, :items, :cause)"
                ),
                {"id": id_, "kind": kind, "text": finding_text, "items": items, "cause": cause},
            )
    engine.dispose()
    workspace = open_workspace(database_url)
    workspace.initialise()  # migrates to the head revision
    assert _found(workspace, "exploitation") == [1, 2]
    assert _found(workspace, "supervisors") == [3]
    assert _indexed(workspace) == 3


def test_every_table_has_a_trigger_moving_the_record_version(workspace: Workspace) -> None:
    workspace.initialise()
    engine = workspace.database.engine
    # Sign-in bookkeeping changes nothing peelkit shows (schema.UNVERSIONED_TABLES).
    tables = set(Base.metadata.tables) - set(UNVERSIONED_TABLES)
    assert {"account", "audit_event", "inspection_version"} <= tables
    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            rows = connection.execute(
                text(
                    "SELECT event_object_table, event_manipulation FROM "
                    "information_schema.triggers WHERE trigger_name = 'record_version_bump' "
                    "AND trigger_schema = current_schema()"
                )
            )
        else:
            rows = connection.execute(
                text(
                    "SELECT tbl_name, upper(substr(name, length('record_version_' || tbl_name) "
                    "+ 2)) FROM sqlite_master WHERE type = 'trigger' "
                    "AND name LIKE 'record_version_%'"
                )
            )
        found = {(table, event) for table, event in rows}
    assert set(inspect(engine).get_table_names()) >= tables
    assert found == {(t, e) for t in tables for e in ("INSERT", "UPDATE", "DELETE")}


def test_the_record_version_moves_on_writes_only(
    workspace: Workspace, database_url: str, open_workspace: Callable[[str], Workspace]
) -> None:
    workspace.initialise()
    start = workspace.record_version()
    ids = _record(workspace)
    written = workspace.record_version()
    assert written > start
    # Reads: searches, lists, an inspection, an export, the visibility key; another process
    # opening the same database (which checks the reference tables) reads it too.
    workspace.search_findings("children", public_at=NOW)
    workspace.inspections()
    workspace.inspection(ids["kent"])
    workspace.export()
    workspace.visibility_key(NOW)
    other = open_workspace(database_url)
    other.initialise()
    assert workspace.record_version() == other.record_version() == written
    # A write through the other workspace is seen by the first.
    other.add_finding(ids["kent"], kind="strength", text="Good leadership.")
    assert workspace.record_version() > written
    # A write that fails is rolled back with its count.
    before = workspace.record_version()
    with pytest.raises(PeelkitError):
        workspace.add_finding(ids["kent"], kind="strength", text=" ")
    assert workspace.record_version() == before
    # A bulk delete (as peel load --replace runs) moves it too.
    with workspace.database.transaction() as session:
        session.execute(delete(Finding).where(Finding.kind == "strength"))
    assert workspace.record_version() > before


def test_the_visibility_key_changes_when_the_clock_passes_an_embargo(
    workspace: Workspace,
) -> None:
    until = dt.datetime(2030, 6, 1, 0, 1)
    workspace.add_inspection(
        force="Kent", framework="peel-2018-19", status="published", embargo_until=until
    )
    workspace.add_inspection(  # a draft's embargo passing changes nothing the public sees
        force="Essex",
        framework="peel-2018-19",
        status="draft",
        embargo_until=until - dt.timedelta(days=1),
    )
    long_before = workspace.visibility_key(until - dt.timedelta(days=30))
    just_before = workspace.visibility_key(until - dt.timedelta(microseconds=1))
    at = workspace.visibility_key(until)
    later = workspace.visibility_key(until + dt.timedelta(days=400))
    assert long_before == just_before
    assert at != just_before
    assert later == at
    workspace.add_inspection(force="Durham", framework="peel-2018-19", status="published")
    assert workspace.visibility_key(until) != at  # a write changes it as well


# --- the query parser and the cursor -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "fts5"),
    [
        ("registered sex offenders", '("registered" "sex" "offenders")'),
        ('"registered sex offenders"', '("registered sex offenders")'),
        ("burglary OR robbery theft", '("burglary") OR ("robbery" "theft")'),
        ("burglary OR OR robbery", '("burglary") OR ("robbery")'),
        ("OR burglary", '("burglary")'),  # a leading OR is the word "or", a stop word
        ("OR OR", ""),
        ("the force", '("force")'),
        ("the", ""),  # only common words: every finding
        ('"the force"', '("the force")'),  # a phrase keeps them
        ("sex-offenders", '("sex offenders")'),
        ('"unbalanced quote', '("unbalanced" "quote")'),
        ("NEAR(", '("NEAR")'),
        ("'; DROP TABLE finding; --", '("DROP" "TABLE" "finding")'),
        ("col:value* -minus ^caret", '("col value" "minus" "caret")'),
        ('"', ""),
        ("*", ""),
        ("", ""),
    ],
)
def test_user_text_becomes_quoted_terms(text: str, fts5: str) -> None:
    assert parse_query(text).fts5() == fts5


def test_a_long_text_is_cut_to_its_first_terms() -> None:
    parsed = parse_query("offenders " * 1000 + "x" * 10000)
    assert len(parsed.alternatives[0]) == 32
    assert len(parse_query("x" * 10000).alternatives[0][0].words[0]) == 100


def test_a_cursor_round_trips_and_a_bad_one_is_refused() -> None:
    for rank, finding_id in ((0.0, 3), (1.0620689655172414e-06, 25), (16.04783394878940, 5)):
        assert decode_cursor(encode_cursor(rank, finding_id)) == (rank, finding_id)
    for bad in ("zzz", "!!", "W10", encode_cursor(0.0, 1)[:-2], "e30", "WyJhIiwxXQ", "x" * 500):
        with pytest.raises(PeelkitError) as caught:
            decode_cursor(bad)
        assert (caught.value.code, caught.value.kind) == ("invalid_cursor", "invalid")
