"""Migration 0004 for real, on SQLite and PostgreSQL: a database made at revision 0003 with
duplicate inspections (rows inserted with plain SQL, as the earlier code left them) is upgraded
to head; the duplicates are merged, ``shown`` is set, and the schema is the declared one."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, Engine, text
from sqlalchemy.orm import Session

from peelkit.errors import DatabaseError
from peelkit.record.database import (
    _alembic_config,
    head_revision,
    make_engine,
    migrate,
    normalise_url,
    sync_reference,
)
from peelkit.record.schema import Base
from peelkit.record.search import include_in_schema_comparison

MET, KENT, DURHAM = "metropolitan", "kent", "durham"
REPORT, TABLE = 1, 2  # document ids


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """A database at revision 0003 with the reference tables written."""
    engine = make_engine(normalise_url(database_url))
    with engine.begin() as connection:
        config = _alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, "0003")
        with Session(bind=connection) as session:
            sync_reference(session)
            session.flush()
    yield engine
    engine.dispose()


def _insert(connection: Connection, table: str, **values: Any) -> None:
    columns = ", ".join(values)
    marks = ", ".join(f":{k}" for k in values)
    connection.execute(text(f"INSERT INTO {table} ({columns}) VALUES ({marks})"), values)


def _inspection(
    connection: Connection,
    id: int,
    force: str,
    framework: str,
    period: str,
    document: int | None,
    title: str,
) -> None:
    _insert(
        connection,
        "inspection",
        id=id,
        force_id=force,
        framework_id=framework,
        period=period,
        title=title,
        status="published",
        document_id=document,
    )


def _judgment(
    connection: Connection,
    id: int,
    inspection: int,
    framework: str,
    area: str,
    grade: str | None,
    document: int | None,
    line: int | None = None,
    entered_by: str | None = None,
) -> None:
    _insert(
        connection,
        "judgment",
        id=id,
        inspection_id=inspection,
        framework_id=framework,
        area_id=area,
        grade=grade,
        carried_over=False,
        document_id=document,
        line_start=line,
        line_end=line,
        entered_by=entered_by,
    )


def _old_record(connection: Connection) -> None:
    """What the earlier code made: the grades CSV's inspection and a report's, of one force,
    framework and period; a hand-made inspection beside the CSV's; two hand-made ones."""
    _insert(
        connection,
        "source_document",
        id=REPORT,
        sha256="a" * 64,
        filename="met.txt",
        media_type="text/plain",
        title="PEEL 2018/19: Met",
    )
    _insert(
        connection,
        "source_document",
        id=TABLE,
        sha256="b" * 64,
        filename="peel_grades.csv",
        media_type="text/csv",
    )
    fw = "peel-2018-19"
    # Met 2018/19: the CSV's inspection came first (lower id), the report's second.
    _inspection(connection, 1, MET, fw, "2018/19", TABLE, "PEEL 2018/19 grades")
    _judgment(connection, 1, 1, fw, "effectiveness", "requires_improvement", TABLE, 757)
    _judgment(connection, 2, 1, fw, "legitimacy", "good", TABLE, 760)
    _judgment(connection, 3, 1, fw, "efficiency", "good", TABLE, 759)
    _inspection(connection, 2, MET, fw, "2018/19", REPORT, "PEEL 2018/19: Met")
    _judgment(connection, 4, 2, fw, "effectiveness", "requires_improvement", REPORT, 106)
    _judgment(connection, 5, 2, fw, "legitimacy", None, REPORT, 118)
    _judgment(connection, 6, 2, fw, "efficiency", "outstanding", REPORT, 113)
    _insert(
        connection,
        "finding",
        id=1,
        inspection_id=2,
        framework_id=fw,
        area_id="legitimacy",
        kind="cause_of_concern",
        text="Vetting backlog.",
        sub_items="[]",
        document_id=REPORT,
    )
    _insert(
        connection,
        "finding",
        id=2,
        inspection_id=2,
        framework_id=fw,
        area_id="legitimacy",
        kind="recommendation",
        text="Clear it.",
        sub_items="[]",
        cause_of_concern_id=1,
        document_id=REPORT,
    )
    _insert(
        connection,
        "finding",
        id=3,
        inspection_id=1,
        framework_id=fw,
        area_id=None,
        kind="finding",
        text="A note on the CSV's inspection.",
        sub_items="[]",
        entered_by="analyst",
    )
    _insert(
        connection,
        "evidence",
        id=1,
        inspection_id=1,
        framework_id=fw,
        area_id="investigating-crime",
        kind="case_file_review",
        criteria_results="[]",
        sample_size=90,
    )
    _insert(
        connection,
        "data_figure",
        id=1,
        inspection_id=1,
        framework_id=fw,
        measure="Police Officer",
        comparator="none",
    )
    _insert(
        connection,
        "performance_row",
        id=1,
        inspection_id=1,
        framework_id=fw,
        table_title="Table",
        indicator="Crimes",
        msf_rank_tied=False,
        national_rank_tied=False,
    )
    # Kent 2018/19: made by hand (lowest id), then the CSV's.
    _inspection(connection, 3, KENT, fw, "2018/19", None, "Kent, entered")
    _judgment(connection, 7, 3, fw, "effectiveness", "good", None, entered_by="A. Inspector")
    _inspection(connection, 4, KENT, fw, "2018/19", TABLE, "PEEL 2018/19 grades")
    _judgment(connection, 8, 4, fw, "effectiveness", "requires_improvement", TABLE, 500)
    _judgment(connection, 9, 4, fw, "efficiency", "good", TABLE, 501)
    # Durham 2017: two made by hand, each with its own entry on one area.
    _inspection(connection, 5, DURHAM, "peel-2017", "2017", None, "first")
    _judgment(connection, 10, 5, "peel-2017", "legitimacy", "good", None, entered_by="X")
    _inspection(connection, 6, DURHAM, "peel-2017", "2017", None, "second")
    _judgment(connection, 11, 6, "peel-2017", "legitimacy", "outstanding", None, entered_by="Y")
    # Not a duplicate: Kent 2017 stays as it was.
    _inspection(connection, 7, KENT, "peel-2017", "2017", TABLE, "PEEL 2017 grades")
    _judgment(connection, 12, 7, "peel-2017", "effectiveness", "good", TABLE, 300)


def _rows(connection: Connection, query: str) -> list[Any]:
    return list(connection.execute(text(query)).all())


def test_duplicates_are_merged_and_one_judgment_per_area_is_shown(engine: Engine) -> None:
    with engine.begin() as connection:
        _old_record(connection)
    migrate(engine)
    with engine.connect() as connection:
        # The search index's FTS5 table and tsvector column are made by migration 0005 and
        # not declared as tables (peelkit.record.search names them).
        context = MigrationContext.configure(
            connection, opts={"include_name": include_in_schema_comparison}
        )
        assert context.get_current_revision() == head_revision()
        assert compare_metadata(context, Base.metadata) == []
        inspections = _rows(
            connection, "SELECT id, force_id, framework_id, title FROM inspection ORDER BY id"
        )
        # Met: the report's inspection (2) survives although the CSV's has the lower id;
        # Kent 2018/19 and Durham: no report, so the lowest id.
        assert [tuple(r) for r in inspections] == [
            (2, MET, "peel-2018-19", "PEEL 2018/19: Met"),
            (3, KENT, "peel-2018-19", "Kent, entered"),
            (5, DURHAM, "peel-2017", "first"),
            (7, KENT, "peel-2017", "PEEL 2017 grades"),
        ]
        judgments = {
            r.id: r
            for r in _rows(
                connection, "SELECT id, inspection_id, shown, shown_reason FROM judgment"
            )
        }
        assert {i: r.inspection_id for i, r in judgments.items()} == {
            1: 2,
            2: 2,
            3: 2,
            4: 2,
            5: 2,
            6: 2,
            7: 3,
            8: 3,
            9: 3,
            10: 5,
            11: 5,
            12: 7,
        }
        assert {i for i, r in judgments.items() if r.shown} == {4, 2, 6, 7, 9, 10, 12}
        reasons = {i: r.shown_reason for i, r in judgments.items()}
        assert reasons[1] == (
            "a report beats a transcribed table: met.txt line 106 grades this area "
            "Requires improvement"
        )
        assert reasons[5] == "a grade beats none: peel_grades.csv line 760 grades this area Good"
        assert reasons[3] == (
            "a report beats a transcribed table: met.txt line 113 grades this area Outstanding"
        )
        assert reasons[6] == (
            "a report beats a transcribed table: shown over peel_grades.csv line 759, which "
            "grades this area Good"
        )
        assert reasons[8] == (
            "a person's entry beats a transcribed table: entered by A. Inspector grades this "
            "area Good"
        )
        assert reasons[11] == (
            "the first source recorded stays shown: entered by X grades this area Good"
        )
        assert reasons[9] is None and reasons[12] is None  # the only judgment of its area
        for table, expected in (
            ("finding", {1: 2, 2: 2, 3: 2}),
            ("evidence", {1: 2}),
            ("data_figure", {1: 2}),
            ("performance_row", {1: 2}),
        ):
            moved = _rows(connection, f"SELECT id, inspection_id FROM {table}")
            assert dict((r.id, r.inspection_id) for r in moved) == expected, table
        links = _rows(connection, "SELECT cause_of_concern_id FROM finding WHERE id = 2")
        assert links[0].cause_of_concern_id == 1


def test_two_judgments_of_one_document_on_one_area_stop_the_merge(engine: Engine) -> None:
    with engine.begin() as connection:
        _inspection(connection, 1, KENT, "peel-2017", "2017", None, "a")
        _inspection(connection, 2, KENT, "peel-2017", "2017", None, "b")
        _insert(
            connection,
            "source_document",
            id=1,
            sha256="c" * 64,
            filename="k.txt",
            media_type="text/plain",
        )
        _judgment(connection, 1, 1, "peel-2017", "legitimacy", "good", 1, 5)
        _judgment(connection, 2, 2, "peel-2017", "legitimacy", "good", 1, 5)
    with pytest.raises(DatabaseError, match="cannot merge inspections 1 and 2") as caught:
        migrate(engine)
    assert "area legitimacy from document 1" in str(caught.value)
