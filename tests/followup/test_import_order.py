"""The same record whatever order the follow-up samples are imported in.

A finding created from a follow-up document counts from what the documents say: when an earlier
document that states it arrives after a later one created it, its words, date and deadline
become the earlier document's, and no status any document states is refused as "too early".
The register, every finding's history, the monitoring episodes and the PCC responses are
compared (ids aside: findings by their kind and text, documents by their file names) after
importing the seven samples of ../shared/examples/follow-up in date order, in reverse, in a
shuffled order and with the Staffordshire three (notice, 2023 letter, 2024 letter) in every
one of their six orders. The sorted file names happen to be in date order for each force, which
is why the order once did not show.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from peelkit.record.schema import ImportWarningRow, SourceDocument
from peelkit.views.json import to_json
from peelkit.workspace import Workspace

D = dt.date
TODAY = D(2025, 1, 1)
# The samples by the date each prints (register: its first entry; the Hampshire form: the date
# its response was sent; the others: "Published on" or "Sent on").
DATE_ORDER = (
    "register_core-business-2014_recs-4822-1504-6955.txt",  # 4th September 2014
    "hampshire_2016_effectiveness_pcc-s55-response.txt",  # 03/04/2017
    "staffordshire_2021-22_accelerated-coc.txt",  # 29 March 2022
    "wiltshire_2021-22_coc-revisit-letter-2022-12.txt",  # 20 December 2022
    "staffordshire_2021-22_coc-revisit-letter-2023-02.txt",  # 10 February 2023
    "staffordshire_2021-22_coc-revisit-letter-2024-05.txt",  # 21 May 2024
    "wiltshire_2021-22_coc-revisit-letter-2024-05.txt",  # 21 May 2024
)
STAFFORDSHIRE = DATE_ORDER[2], DATE_ORDER[4], DATE_ORDER[5]
WILTSHIRE = DATE_ORDER[3], DATE_ORDER[6]


def _shuffled() -> tuple[str, ...]:
    order = list(DATE_ORDER)
    random.Random(11).shuffle(order)
    return tuple(order)


def _staffordshire_orders() -> list[tuple[str, ...]]:
    """The Staffordshire three in each of their orders, Wiltshire's two alternating."""
    orders = []
    for n, three in enumerate(itertools.permutations(STAFFORDSHIRE)):
        two = WILTSHIRE if n % 2 else WILTSHIRE[::-1]
        orders.append((*DATE_ORDER[:2], *three, *two))
    return orders


def _import(ws: Workspace, folder: Path, order: tuple[str, ...]) -> None:
    ws.initialise()
    for name in order:
        ws.import_followup(folder / name)


# Keys whose values are ids of the record: dropped, or replaced by what they stand for.
_DROPPED = {"id", "inspection", "link", "event", "decided_at"}


def _normalised(value: Any, findings: dict[int, str], documents: dict[int, str]) -> Any:
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, item in value.items():
            if key in _DROPPED:
                continue
            if key in ("document", "exit_document") and isinstance(item, int):
                out[key] = documents[item]
            elif key == "documents":
                out[key] = sorted(documents[i] for i in item)
            elif key in ("cause_of_concern", "finding") and isinstance(item, int):
                out[key] = findings[item]
            else:
                out[key] = _normalised(item, findings, documents)
        return out
    if isinstance(value, list):
        items = [_normalised(item, findings, documents) for item in value]
        return sorted(items, key=lambda i: json.dumps(i, sort_keys=True, default=str))
    return value


def _snapshot(ws: Workspace) -> dict[str, Any]:
    """The register, each finding's history, monitoring and responses, ids aside."""
    register = ws.followup_register(today=TODAY)
    with ws.database.transaction() as session:
        documents = {d.id: d.filename or "" for d in session.scalars(select(SourceDocument))}
    findings = {
        r.finding.id: f"{r.finding.force} {r.finding.kind}: {r.finding.text}"
        for r in register.rows
        if r.finding
    }
    histories = [ws.finding_history(r.finding.id, today=TODAY) for r in register.rows if r.finding]
    taken = {
        "register": to_json(list(register.rows)),
        "histories": to_json(histories),
        "monitoring": to_json(ws.followup_monitoring()),
        "responses": to_json(ws.followup_responses(today=TODAY)),
        "links": to_json(ws.followup_links()),
    }
    return {key: _normalised(value, findings, documents) for key, value in taken.items()}


def _skipped(ws: Workspace) -> list[str]:
    with ws.database.transaction() as session:
        return list(
            session.scalars(
                select(ImportWarningRow.message).where(
                    ImportWarningRow.code == "followup_status_skipped"
                )
            )
        )


def test_date_order_and_reverse_order_give_the_same_record(
    workspace: Workspace,
    second_database_url: str,
    open_workspace: Callable[[str], Workspace],
    shared: Path,
) -> None:
    folder = shared / "examples" / "follow-up"
    _import(workspace, folder, DATE_ORDER)
    reverse = open_workspace(second_database_url)
    _import(reverse, folder, DATE_ORDER[::-1])
    assert _skipped(workspace) == [] and _skipped(reverse) == []
    assert _snapshot(reverse) == _snapshot(workspace)


@pytest.mark.parametrize(
    "order",
    [_shuffled(), *_staffordshire_orders()],
    ids=lambda order: "-".join(str(DATE_ORDER.index(n)) for n in order),
)
def test_every_order_that_matters_gives_the_record_of_date_order(
    tmp_path: Path,
    open_workspace: Callable[[str], Workspace],
    shared: Path,
    order: tuple[str, ...],
) -> None:
    folder = shared / "examples" / "follow-up"
    expected = open_workspace(f"sqlite:///{tmp_path / 'date-order.sqlite'}")
    _import(expected, folder, DATE_ORDER)
    other = open_workspace(f"sqlite:///{tmp_path / 'other.sqlite'}")
    _import(other, folder, order)
    assert _skipped(other) == []  # no status any document states is refused
    assert _snapshot(other) == _snapshot(expected)


def test_in_reverse_order_nothing_the_notice_states_is_lost(
    tmp_path: Path, open_workspace: Callable[[str], Workspace], shared: Path
) -> None:
    """The audit's case: the 2024 letter, then the 2023 one, then the notice. The notice's
    "open" of 29 March 2022 and the 2023 letter's "in progress" of 10 February 2023 stay; the
    recommendations keep the notice's "Within three months" (due 29 June 2022); the notice's
    third recommendation (cut to "ca" in the copy) is closed with its cause by the 2024 letter,
    which closed "the force's remaining causes of concern"."""
    ws = open_workspace(f"sqlite:///{tmp_path / 'reverse.sqlite'}")
    _import(ws, shared / "examples" / "follow-up", STAFFORDSHIRE[::-1])
    rows = [r for r in ws.followup_register(today=TODAY).rows if r.finding]
    for row in rows:
        assert row.finding is not None
        events = [(e.status, e.date) for e in ws.finding_history(row.finding.id).history]
        assert ("open", D(2022, 3, 29)) in events
        assert (row.status, row.status_date) == ("closed", D(2024, 5, 21))
        if row.kind == "cause_of_concern":
            assert ("in_progress", D(2023, 2, 10)) in events
        else:
            assert (row.due, row.due_as_printed) == (D(2022, 6, 29), "Within three months")
            assert not row.overdue
    assert sorted(r.kind for r in rows) == ["cause_of_concern"] * 2 + ["recommendation"] * 3
    assert "ca" in {r.finding.text for r in rows if r.finding}
