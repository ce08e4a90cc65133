"""Bulk writes and the fast paths of export and load (issue 14): the same record, the same
text, the same refusals as the ways they replace, on SQLite and PostgreSQL.

Every comparison here is with an independent computation: the standard library's
``json.dumps`` for the export's text, ``jsonschema`` for the schema, the ORM objects and the
record's own operations for what the export reads and what new rows get as ids.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import random
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from peelkit import Workspace
from peelkit.errors import DatabaseError, DataFileError
from peelkit.record import bulk, exchange, indented_json, load_checks, serialise
from peelkit.record.schema import (
    Base,
    DataFigure,
    Finding,
    Inspection,
    Judgment,
    MostSimilarPeer,
)
from peelkit.record.visibility import public_condition
from tests.record.test_exchange import _load_groups, _populate
from tests.record.test_load_validation import _build_record

Opener = Callable[[str], Workspace]
Record = dict[str, Any]

GRADES_CSV = (
    Path(__file__).resolve().parents[2].parent / "shared/data/raw/peel-grades/peel_grades.csv"
)


@pytest.fixture(scope="module")
def real_record(tmp_path_factory: pytest.TempPathFactory, shared: Path) -> Record:
    """Every kind of item and follow-up (tests/record/test_load_validation.py's record)."""
    return _build_record(tmp_path_factory.mktemp("source"), shared)


def _write(record: Record, path: Path) -> Path:
    path.write_text(exchange.dumps(record), encoding="utf-8")
    return path


# --- the export's text --------------------------------------------------------------------------


def _random_value(rng: random.Random, depth: int = 0) -> Any:
    """JSON values of every kind, odd ones included (escapes, control characters, non-ASCII,
    floats that need all their digits, nesting, empty lists and objects)."""
    kinds = ["str", "int", "float", "bool", "null"] + (["list", "dict"] if depth < 5 else [])
    kind = rng.choice(kinds)
    if kind == "str":
        alphabet = 'ab "\\/\n\t\x00\x1f\x7f é€😀\u2028'
        return "".join(rng.choice(alphabet) for _ in range(rng.randrange(6)))
    if kind == "int":
        return rng.choice([0, -1, 7, 2**31, -(2**63), 10**30])
    if kind == "float":
        return rng.choice([0.0, -0.0, 1.5, -1.6067503, 1e-7, 1e22, 1 / 3, 30435.0, 2.5e-320])
    if kind == "bool":
        return rng.random() < 0.5
    if kind == "null":
        return None
    if kind == "list":
        return [_random_value(rng, depth + 1) for _ in range(rng.randrange(4))]
    keys = ["id", "text", "é", 'a"b', "", "provenance", "\n"]
    return {rng.choice(keys): _random_value(rng, depth + 1) for _ in range(rng.randrange(4))}


def test_the_export_text_is_the_standard_librarys(real_record: Record) -> None:
    expected = json.dumps(real_record, indent=2, ensure_ascii=False)
    assert indented_json.dumps(real_record) == expected
    assert exchange.dumps(real_record) == expected + "\n"
    rng = random.Random(14)
    for _ in range(500):
        value = _random_value(rng)
        assert indented_json.dumps(value) == json.dumps(value, indent=2, ensure_ascii=False)
    for value in (float("nan"), float("inf"), -float("inf"), [float("nan")], {"k": -float("inf")}):
        assert indented_json.dumps(value) == json.dumps(value, indent=2, ensure_ascii=False)


def test_values_it_does_not_write_itself_are_the_standard_librarys_too() -> None:
    class Text(str):
        pass

    for value in ({1: "a", None: 2}, (1, [2]), {"a": (1, 2)}, Text("x"), {Text("k"): 1}, 1 + 0j):
        try:
            expected = json.dumps(value, indent=2, ensure_ascii=False)
        except TypeError:
            with pytest.raises(TypeError):
                indented_json.dumps(value)
            continue
        assert indented_json.dumps(value) == expected


# --- the schema, and the checks of the JSON itself ------------------------------------------------


def test_the_schema_file_is_a_json_schema_2020_12() -> None:
    Draft202012Validator.check_schema(load_checks.export_schema())


def _mutations(record: Record, rng: random.Random) -> Iterator[Record]:
    """Copies of the record with one value replaced, one member dropped or one added, at a
    place chosen at random (most break the schema, some do not)."""
    places: list[tuple[Any, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                places.append((node, key))
                walk(value)
        elif isinstance(node, list):
            for i, value in enumerate(node):
                places.append((node, i))
                walk(value)

    replacements: list[Any] = [
        None, "", "x" * 201, -1, 0, 2**31, 1.5, True, [], {}, "2020-13-45", "ab", 7, "good",
    ]  # fmt: skip
    for _ in range(400):
        mutated = copy.deepcopy(record)
        places.clear()
        walk(mutated)
        container, key = rng.choice(places)
        action = rng.random()
        if action < 0.7:
            container[key] = rng.choice(replacements)
        elif action < 0.85 and isinstance(container, dict):
            del container[key]
        elif isinstance(container, dict):
            container["unknown_" + str(key)] = 1
        else:
            container.append(rng.choice(replacements))
        yield mutated


def test_the_quick_schema_check_passes_exactly_what_jsonschema_passes(real_record: Record) -> None:
    reference = load_checks.reference_validator()
    assert reference.is_valid(real_record)
    assert load_checks.first_schema_problem(real_record) is None
    passed = refused = 0
    for mutated in _mutations(real_record, random.Random(2014)):
        expected = next(iter(reference.iter_errors(mutated)), None)
        found = load_checks.first_schema_problem(mutated)
        assert load_checks._schema_valid()(mutated) == (expected is None)
        if expected is None:
            assert found is None
            passed += 1
        else:
            assert found is not None
            assert (found.path, found.keyword) == (list(expected.absolute_path), expected.validator)
            refused += 1
    assert passed > 10 and refused > 100  # both answers were asked for


def _nested(depth: int, empty: bool = True) -> Any:
    """Lists and objects ``depth`` levels deep (the outermost is level 1)."""
    value: Any = [] if empty else [1]
    for level in range(depth - 1):
        value = [value] if level % 2 else {"k": value}
    return value


@pytest.mark.parametrize("empty", [True, False], ids=["empty-innermost", "innermost-holds-1"])
def test_nesting_of_64_levels_is_read_and_65_refused(empty: bool) -> None:
    assert load_checks.parse(json.dumps(_nested(64, empty)), "deep.json") == _nested(64, empty)
    with pytest.raises(DataFileError) as caught:
        load_checks.parse(json.dumps(_nested(65, empty)), "deep.json")
    assert caught.value.code == "json_too_deep"


@pytest.mark.parametrize(
    ("literal", "code"),
    [
        ("9223372036854775807", None),  # 2^63 - 1: the largest whole number stored
        ("-9223372036854775808", None),
        ("9223372036854775808", "number_out_of_range"),
        ("-9223372036854775809", "number_out_of_range"),
        ("1e308", None),
        ("1e309", "number_out_of_range"),
        ('"a\\u0000"', "text_not_storable"),
        ('"\\\\u0000"', None),  # a backslash and the letters u0000: text, not a NUL
    ],
)
def test_the_values_no_database_stores_are_found_wherever_they_are(
    literal: str, code: str | None
) -> None:
    text = '{"a": [{"b": 1}, {"c": ' + literal + "}]}"
    if code is None:
        assert load_checks.parse(text, "x.json") == json.loads(text)
        return
    with pytest.raises(DataFileError) as caught:
        load_checks.parse(text, "x.json")
    assert caught.value.code == code
    assert caught.value.message.startswith("x.json: /a/1/c: ")


# --- the export: one query a table ------------------------------------------------------------


def test_the_export_is_what_the_orm_objects_serialise_to(
    real_record: Record, database_url: str, tmp_path: Path, open_workspace: Opener
) -> None:
    workspace = open_workspace(database_url)
    workspace.load(_write(real_record, tmp_path / "record.json"))
    now = dt.datetime(2030, 1, 1)
    with workspace.database.transaction() as session:
        loaders = [
            selectinload(getattr(Inspection, name))
            for name in ("judgments", "findings", "evidence", "figures", "performance_rows")
        ]
        everything = session.scalars(select(Inspection).options(*loaders).order_by(Inspection.id))
        expected = [serialise.inspection(i) for i in everything]
        public = session.scalars(
            select(Inspection)
            .options(*loaders)
            .where(public_condition(now))
            .order_by(Inspection.id)
        )
        expected_public = [serialise.inspection(i) for i in public]
        assert exchange.export_record(session)["inspections"] == expected
        assert exchange.export_record(session, public_at=now)["inspections"] == expected_public
    assert expected == real_record["inspections"]
    assert 0 < len(expected_public) < len(expected)


# --- the load: ids, sequences, batches -----------------------------------------------------------


def _ids(workspace: Workspace) -> dict[str, set[int]]:
    with workspace.database.transaction() as session:
        return {
            model.__tablename__: set(session.scalars(select(model.id)))
            for model in (Inspection, Judgment, Finding, DataFigure, MostSimilarPeer)
        }


def test_a_replacing_load_into_a_database_with_rows_keeps_ids_unique(
    database_url: str, second_database_url: str, tmp_path: Path, open_workspace: Opener
) -> None:
    small = open_workspace(database_url)
    _populate(small)
    _load_groups(small, tmp_path)
    export = tmp_path / "small.json"
    small.export_to(export)
    # A database whose record holds more (and later ids), audit events and groups.
    big = open_workspace(second_database_url)
    _populate(big)
    _load_groups(big, tmp_path)
    for force in ("Kent", "Essex", "Durham"):
        extra = big.add_inspection(force=force, framework="peel-2017", status="published")
        big.add_judgment(extra.id, area="effectiveness", grade="Good")
        big.add_finding(extra.id, kind="strength", text=f"{force} works well with partners.")
    before = _ids(big)
    big.load(export, replace=True)
    loaded = _ids(big)
    assert loaded["inspection"] == {i["id"] for i in json.loads(export.read_text())["inspections"]}
    # New rows of every kind after the load get ids of their own.
    inspection = big.add_inspection(force="Surrey", framework="peel-2017")
    judgment = big.add_judgment(inspection.id, area="effectiveness", grade="Good")
    finding = big.add_finding(inspection.id, kind="strength", text="Surrey listens.")
    figure = big.add_figure(inspection.id, measure="Officers", force_value=1.0)
    big.load_groups(_groups_csv(tmp_path))
    for table, new_id in (
        ("inspection", inspection.id),
        ("judgment", judgment.id),
        ("finding", finding.id),
        ("data_figure", figure.id),
    ):
        assert new_id not in loaded[table], table
        if database_url.startswith("postgresql"):
            # A sequence never goes back: ids given out before the replace stay used.
            assert new_id > max(before[table]), table
    after = _ids(big)
    assert len(after["most_similar_peer"]) == 3  # Kent's two peers, and Durham's one
    with big.database.transaction() as session:
        events = session.scalar(
            select(func.count()).select_from(Base.metadata.tables["audit_event"])
        )
    assert events and events > 10  # the audit trail before the load is kept, and extended


def _groups_csv(tmp_path: Path) -> Path:
    path = tmp_path / "more-groups.csv"
    path.write_text("year,force,msg_force\n2018/19,Durham,Cleveland\n")
    return path


def test_after_a_load_the_next_rows_take_the_next_ids(
    database_url: str, second_database_url: str, tmp_path: Path, open_workspace: Opener
) -> None:
    first = open_workspace(database_url)
    _populate(first)
    _load_groups(first, tmp_path)
    export = tmp_path / "record.json"
    first.export_to(export)
    second = open_workspace(second_database_url)
    second.load(export)
    loaded = _ids(second)
    inspection = second.add_inspection(force="Surrey", framework="peel-2017")
    finding = second.add_finding(inspection.id, kind="strength", text="Surrey listens.")
    judgment = second.add_judgment(inspection.id, area="effectiveness", grade="Good")
    assert inspection.id == max(loaded["inspection"]) + 1
    assert finding.id == max(loaded["finding"]) + 1
    assert judgment.id == max(loaded["judgment"]) + 1
    second.load_groups(_groups_csv(tmp_path))
    assert len(_ids(second)["most_similar_peer"]) == 3


def test_batches_of_a_few_rows_give_the_same_record_and_index(
    real_record: Record,
    database_url: str,
    tmp_path: Path,
    open_workspace: Opener,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Rows written a few at a time (and a few an INSERT on SQLite): every batch boundary
    falls between items that refer to each other, a recommendation and its cause of concern
    included, and the record, its full-text index and the export are as one batch makes them."""
    monkeypatch.setattr(bulk, "BATCH_ROWS", 3)
    monkeypatch.setattr(bulk, "_SQLITE_ROWS", 2)
    source = _write(real_record, tmp_path / "record.json")
    workspace = open_workspace(database_url)
    counts = workspace.load(source)
    assert counts["findings"] == sum(len(i["findings"]) for i in real_record["inspections"])
    again = tmp_path / "again.json"
    workspace.export_to(again)
    assert again.read_bytes() == source.read_bytes()
    met = real_record["inspections"][0]
    concern, recommendation = met["findings"][0], met["findings"][1]
    assert recommendation["cause_of_concern"] == concern["id"]
    found = workspace.search_findings("vetting", public_at=dt.datetime(2030, 1, 1))
    assert {hit.id for hit in found.items} == {concern["id"], recommendation["id"]}


def test_a_fault_of_the_database_in_a_batch_is_one_line(
    database_url: str, open_workspace: Opener
) -> None:
    """A row the database refuses (here a judgment of an inspection it does not hold) is told
    as every other statement's fault is, on SQLite and in PostgreSQL's COPY alike."""
    workspace = open_workspace(database_url)
    workspace.initialise()
    table = Base.metadata.tables["most_similar_peer"]
    row = {
        "force_id": "kent",
        "year": "2018/19",
        "position": 0,
        "peer_id": "nowhere",
        "source": "x",
    }
    with pytest.raises(DatabaseError) as caught, workspace.database.transaction() as session:
        bulk.insert_rows(session, table, [row])
    assert "\n" not in str(caught.value)
    with workspace.database.transaction() as session:
        assert session.scalar(select(func.count()).select_from(table)) == 0


def test_ids_for_new_rows_follow_what_the_database_gives(
    database_url: str, open_workspace: Opener
) -> None:
    workspace = open_workspace(database_url)
    _populate(workspace)
    table = Base.metadata.tables["inspection"]
    with workspace.database.transaction() as session:
        held = set(session.scalars(select(Inspection.id)))
        ids = bulk.next_ids(session, table, 3)
    assert len(set(ids)) == 3 and not held & set(ids) and min(ids) > max(held)
    # The database's own next id is past them (SQLite: none were written, so it gives the
    # first again; PostgreSQL: the sequence gave them out).
    added = workspace.add_inspection(force="Surrey", framework="peel-2017")
    expected = min(ids) if database_url.startswith("sqlite") else max(ids) + 1
    assert added.id == expected


def test_the_grades_csv_into_a_database_with_rows_gives_new_inspections_new_ids(
    workspace: Workspace,
) -> None:
    _populate(workspace)
    before = _ids(workspace)
    result = workspace.load_grades(GRADES_CSV)
    after = _ids(workspace)
    new = after["inspection"] - before["inspection"]
    assert new and min(new) > max(before["inspection"])
    assert len(after["judgment"]) - len(before["judgment"]) == result.judgments
    # The database's next id comes after them.
    added = workspace.add_inspection(force="Kent", framework="baseline-2005", period="2006/07")
    assert added.id == max(after["inspection"]) + 1
    with workspace.database.transaction() as session:
        rows = session.execute(
            select(
                Judgment.shown, Judgment.shown_reason, Judgment.line_start, Judgment.line_end
            ).where(Judgment.inspection_id.in_(new))
        ).all()
    assert rows and all(
        r.shown and r.shown_reason is None and r.line_start == r.line_end for r in rows
    )


# The search vector as migration 0005 wrote it, every part of every finding (the reference the
# leaner trigger of migration 0010 must agree with).
_EVERY_PART = """
    setweight(to_tsvector('english', coalesce(f.text, '')), 'A')
    || setweight(to_tsvector('english', coalesce(f.sub_items, CAST('[]' AS json))), 'A')
    || setweight(to_tsvector('english', coalesce(f.lead_in, '')), 'B')
    || setweight(to_tsvector('english', coalesce(f.heading, '')), 'C')
    || setweight(to_tsvector('english', coalesce(
           (SELECT c.text FROM finding AS c WHERE c.id = f.cause_of_concern_id), '')), 'D')
"""


@pytest.mark.postgres
def test_the_search_vectors_are_those_of_every_part(
    real_record: Record, postgres_url: str, tmp_path: Path, open_workspace: Opener
) -> None:
    from sqlalchemy import text

    workspace = open_workspace(postgres_url)
    workspace.load(_write(real_record, tmp_path / "record.json"))
    met = real_record["inspections"][0]
    concern = met["findings"][0]
    # Every part present somewhere: sub-items, a lead-in, a heading, a cause of concern.
    workspace.add_finding(
        met["id"],
        kind="area_for_improvement",
        text="Review the investigations.",
        heading="Investigating crime",
        lead_in="The force should:",
        sub_items=["review its caseloads", ""],
    )
    workspace.add_finding(met["id"], kind="strength", text="Good.", heading="", lead_in="")

    def differing() -> list[int]:
        with workspace.database.transaction() as session:
            return list(
                session.scalars(
                    text(
                        "SELECT f.id FROM finding AS f "
                        f"WHERE f.search_vector IS DISTINCT FROM ({_EVERY_PART}) "
                        "OR f.search_vector IS NULL"
                    )
                ).all()
            )

    with workspace.database.transaction() as session:
        parts = session.execute(
            text(
                "SELECT count(*) FILTER (WHERE CAST(sub_items AS text) <> '[]'), "
                "count(*) FILTER (WHERE lead_in <> ''), count(*) FILTER (WHERE heading <> ''), "
                "count(*) FILTER (WHERE cause_of_concern_id IS NOT NULL) FROM finding"
            )
        ).one()
    assert all(parts), parts
    assert differing() == []
    # A cause of concern's new text reaches its recommendation's vector.
    with workspace.database.transaction() as session:
        session.execute(
            text("UPDATE finding SET text = 'Supervision backlog.' WHERE id = :id"),
            {"id": concern["id"]},
        )
    assert differing() == []
    found = workspace.search_findings("supervision", public_at=_LATER).items
    assert {hit.id for hit in found} == {concern["id"], met["findings"][1]["id"]}


_LATER = dt.datetime(2030, 1, 1)
