"""Searching the findings of the five reference reports and the HMICFRS grades, on SQLite and
PostgreSQL: what the issue asks of ``/findings`` (the Met's findings on registered sex
offenders), facets that count what the items say, hostile queries, pagination, the embargo, and
``peel findings search``. Expected finding texts and lines are read from the reports here."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from peelkit import Workspace
from peelkit.cli import main
from peelkit.errors import PeelkitError
from peelkit.record.schema import Finding, Inspection
from peelkit.views.search import FindingHit, FindingSearchView
from tests.conftest import SHARED, _private_schema

REPORTS = SHARED / "reference-reports"
GRADES = SHARED / "data" / "raw" / "peel-grades" / "peel_grades.csv"
PEEL_2016 = "000_033c6fd077a275c5.txt"
PEEL_2018_19 = "001_2e8c9026aad1a9d7.txt"
NOW = dt.datetime(2031, 1, 1)
PHRASE = "registered sex offenders"


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def loaded(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Workspace]:
    """A record of the five reference reports and the grades CSV, once per database."""

    def fill(url: str) -> Iterator[Workspace]:
        workspace = Workspace(url)
        for report in sorted(REPORTS.glob("0*.txt")):
            workspace.import_report(report)
        workspace.load_grades(GRADES)
        yield workspace
        workspace.close()

    if request.param == "sqlite":
        yield from fill(f"sqlite:///{tmp_path_factory.mktemp('search') / 'record.sqlite'}")
        return
    with _private_schema() as url:
        yield from fill(url)


# --- what the reports print ---------------------------------------------------------------


def _lines(name: str) -> list[str]:
    return (REPORTS / name).read_text(encoding="utf-8").splitlines()


def _bullets_after(lines: list[str], start: int) -> list[tuple[int, str]]:
    """The "- " bullets of the block after line ``start`` (0-based), with 1-based numbers."""
    found = []
    for number in range(start + 1, len(lines)):
        line = lines[number].strip()
        if line.startswith("- "):
            found.append((number + 1, line[2:].strip()))
        elif (line and found) or (line and not found and number > start + 1):
            break
    return found


def expected_hits() -> dict[tuple[str, str], int]:
    """(kind, text) -> line, for the 2018/19 cause of concern about registered sex offenders
    and the recommendations printed under it, and the 2016 areas for improvement naming them."""
    expected: dict[tuple[str, str], int] = {}
    lines = _lines(PEEL_2018_19)
    for number, line in enumerate(lines):
        if re.fullmatch(r"#+ \**Causes of concern\**", line.strip()):
            paragraphs = []
            for later in range(number + 1, len(lines)):
                if lines[later].startswith("#"):
                    break
                if lines[later].strip():
                    paragraphs.append((later + 1, lines[later].strip()))
            cause = [(n, p) for n, p in paragraphs if PHRASE in p]
            if not cause:
                continue
            expected[("cause_of_concern", cause[0][1])] = cause[0][0]
            heading = next(n for n in range(later, len(lines)) if "Recommendations" in lines[n])
            for line_number, bullet in _bullets_after(lines, heading):
                expected[("recommendation", bullet)] = line_number
    assert len([k for k in expected if k[0] == "recommendation"]) == 2
    lines = _lines(PEEL_2016)
    for number, line in enumerate(lines):
        if line.strip() == "Areas for improvement":
            for line_number, bullet in _bullets_after(lines, number):
                if PHRASE in bullet:
                    expected[("area_for_improvement", bullet)] = line_number
    assert len(expected) == 5
    return expected


def every_page(
    workspace: Workspace, query: str | None, limit: int = 3, **filters: Any
) -> list[FindingHit]:
    """Every hit, following the cursor ``limit`` at a time."""
    hits: list[FindingHit] = []
    after = None
    while True:
        page = workspace.search_findings(query, limit=limit, after=after, public_at=NOW, **filters)
        hits.extend(page.items)
        if page.next is None:
            return hits
        assert len(page.items) == limit
        after = page.next


# --- the example --------------------------------------------------------------------


def test_the_mets_findings_on_registered_sex_offenders(loaded: Workspace) -> None:
    expected = expected_hits()
    for query in (PHRASE, f'"{PHRASE}"'):
        found = loaded.search_findings(query, force="metropolitan", public_at=NOW)
        assert {(h.kind, h.text): h.provenance.line_start for h in found.items} == expected
        assert found.total == 5 and found.next is None
        periods = {h.kind: h.period for h in found.items}
        assert periods == {
            "cause_of_concern": "2018/19",
            "recommendation": "2018/19",
            "area_for_improvement": "2016",
        }
        # The recommendation that does not itself name the offenders comes last (it is found
        # through its cause of concern); each hit cites its report and line.
        assert PHRASE not in found.items[-1].text
        for hit in found.items:
            assert hit.force_name == "Metropolitan Police Service"
            assert f"line {hit.provenance.line_start}" in hit.source
            assert hit.kind_label in ("Cause of concern", "Recommendation", "Area for improvement")
    # Any name of the force, and the other filters, narrow the same search.
    met = loaded.search_findings(PHRASE, force="Met", kind="recommendation", public_at=NOW)
    assert {h.text for h in met.items} == {t for k, t in expected if k == "recommendation"}
    by_year = loaded.search_findings(PHRASE, force="Met", year="2016", public_at=NOW)
    assert {h.kind for h in by_year.items} == {"area_for_improvement"} and by_year.total == 2
    area = loaded.search_findings(PHRASE, area="protecting-vulnerable-people", public_at=NOW)
    assert area.total == 3
    assert {h.area_name for h in area.items} == {"Protecting vulnerable people"}
    framework = loaded.search_findings(PHRASE, framework="peel-2016", public_at=NOW)
    assert {h.framework for h in framework.items} == {"peel-2016"} and framework.total == 2


def _facet_counts(view: FindingSearchView) -> dict[str, dict[str | None, int]]:
    return {f.name: {v.value: v.count for v in f.values} for f in view.facets}


@pytest.mark.parametrize(
    ("query", "filters"),
    [
        ("offenders", {}),
        ("victims", {"kind": "area_for_improvement"}),
        (None, {"framework": "peel-2018-19"}),
        ("crime OR police", {"year": "2004/05", "force": "Met"}),
    ],
)
def test_facets_count_what_the_items_say(
    loaded: Workspace, query: str | None, filters: dict[str, Any]
) -> None:
    view = loaded.search_findings(query, public_at=NOW, **filters)
    hits = every_page(loaded, query, **filters)
    assert len({h.id for h in hits}) == len(hits) == view.total > 0
    counted: dict[str, Counter[str | None]] = {
        "kind": Counter(h.kind for h in hits),
        "force": Counter(h.force for h in hits),
        "framework": Counter(h.framework for h in hits),
        "year": Counter(h.period for h in hits),
        "area": Counter(h.area for h in hits),
    }
    assert _facet_counts(view) == {name: dict(c) for name, c in counted.items()}
    for facet in view.facets:
        assert sum(v.count for v in facet.values) == view.total
    labels = {v.value: v.label for f in view.facets if f.name == "kind" for v in f.values}
    assert labels == {h.kind: h.kind_label for h in hits}


def test_the_whole_record_pages_in_id_order_without_a_query(loaded: Workspace) -> None:
    with loaded.database.transaction() as session:
        ids = list(session.scalars(select(Finding.id).order_by(Finding.id)))
    hits = every_page(loaded, None, force="metropolitan", year="2018/19")
    assert [h.id for h in hits] == sorted(h.id for h in hits)
    everything = loaded.search_findings("", limit=200, public_at=NOW)
    assert everything.total == len(ids)  # every inspection of the reports is published
    assert [h.id for h in everything.items] == ids[:200]


# --- hostile input ---------------------------------------------------------------------------


def test_hostile_queries_give_sensible_results(loaded: Workspace) -> None:
    everything = loaded.search_findings(None, public_at=NOW).total
    offenders = loaded.search_findings("offenders", public_at=NOW).total
    for query in ('"', "*", '""', "()", "-", ":"):
        assert loaded.search_findings(query, public_at=NOW).total == everything, query
    for query in ("NEAR(", "NEAR(offenders", "OR OR", "offenders AND", "a:b*", "^x", '"sex'):
        view = loaded.search_findings(query, public_at=NOW)
        assert 0 <= view.total <= everything, query
    assert loaded.search_findings("NEAR(offenders", public_at=NOW).total <= offenders
    assert loaded.search_findings('offenders "', public_at=NOW).total == offenders
    assert loaded.search_findings("offenders OR OR", public_at=NOW).total == offenders
    dropped = loaded.search_findings("'; DROP TABLE finding; --", public_at=NOW)
    assert dropped.total >= 0
    assert loaded.search_findings(None, public_at=NOW).total == everything  # still there
    assert loaded.search_findings("offenders " * 1000, public_at=NOW).total == offenders
    assert loaded.search_findings("q" * 10_000, public_at=NOW).total == 0
    for query in ("Ünïcödé 東京 🚓", "\u0000\u202e\ufeff", "ﬁnding"):
        assert loaded.search_findings(query, public_at=NOW).total >= 0


def test_bad_filters_cursors_and_limits_are_errors_with_codes(loaded: Workspace) -> None:
    cases: list[tuple[dict[str, Any], str]] = [
        ({"limit": 0}, "invalid_limit"),
        ({"limit": 201}, "invalid_limit"),
        ({"after": "not a cursor"}, "invalid_cursor"),
        ({"after": "WzEsIngiXQ"}, "invalid_cursor"),  # [1, "x"]
        ({"force": "Atlantis"}, "unknown_force"),
        ({"framework": "peel-1999"}, "unknown_framework"),
        ({"year": "last year"}, "invalid_year"),
        ({"kind": "praise"}, "unknown_choice"),
        ({"area": "no-such-area"}, "unknown_area"),
    ]
    for filters, code in cases:
        with pytest.raises(PeelkitError) as caught:
            loaded.search_findings("offenders", public_at=NOW, **filters)
        assert caught.value.code == code, filters
        assert caught.value.status in (400, 404)
    assert loaded.search_findings("x", limit=200, public_at=NOW).total >= 0
    # Blank filters (a web form's empty fields) are no filters.
    blank = loaded.search_findings("offenders", force="", kind=" ", public_at=NOW)
    assert blank.total == loaded.search_findings("offenders", public_at=NOW).total


# --- the embargo ------------------------------------------------------------------------------


def test_an_embargoed_inspection_is_absent_until_its_time(loaded: Workspace) -> None:
    until = dt.datetime(2031, 3, 1, 0, 1)
    expected = expected_hits()
    with loaded.database.transaction() as session:
        inspection = session.scalars(
            select(Inspection).where(
                Inspection.force_id == "metropolitan", Inspection.framework_id == "peel-2018-19"
            )
        ).one()
        held = len(inspection.findings)
        saved = (inspection.status, inspection.embargo_until)
        inspection.status, inspection.embargo_until = "published", until
    try:
        before_key = loaded.visibility_key(until - dt.timedelta(minutes=1))
        version = loaded.record_version()
        before = loaded.search_findings(PHRASE, force="Met", public_at=until - dt.timedelta(0, 1))
        after = loaded.search_findings(PHRASE, force="Met", public_at=until)
        assert {(h.kind, h.text) for h in before.items} == {
            k for k in expected if k[0] == "area_for_improvement"
        }
        assert before.total == 2
        counts = _facet_counts(before)
        assert counts["framework"] == {"peel-2016": 2} and counts["year"] == {"2016": 2}
        assert until > NOW  # every_page searches at NOW
        assert "2018/19" not in {h.period for h in every_page(loaded, None, 200, force="Met")}
        assert {(h.kind, h.text) for h in after.items} == set(expected) and after.total == 5
        assert _facet_counts(after)["year"] == {"2016": 2, "2018/19": 3}
        everything_before = loaded.search_findings(None, public_at=until - dt.timedelta(0, 1))
        everything_after = loaded.search_findings(None, public_at=until)
        assert everything_after.total - everything_before.total == held
        assert loaded.visibility_key(until) != before_key
        assert loaded.record_version() == version  # searching is reading
    finally:
        with loaded.database.transaction() as session:
            restored = session.get(Inspection, inspection.id)
            assert restored is not None
            restored.status, restored.embargo_until = saved


# --- the command ------------------------------------------------------------------------------


def test_peel_findings_search(loaded: Workspace, capsys: pytest.CaptureFixture[str]) -> None:
    url = loaded.database.url.render_as_string(hide_password=False)
    args = ["findings", "search", PHRASE, "--force", "Met", "--db", url]
    assert main([*args, "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert {(i["kind"], i["text"]) for i in printed["items"]} == set(expected_hits())
    assert printed["total"] == 5 and printed["next"] is None
    assert [f["name"] for f in printed["facets"]] == ["kind", "force", "framework", "year", "area"]
    assert main([*args, "--limit", "2"]) == 0
    shown = capsys.readouterr().out
    assert "5 finding(s); showing 2" in shown and "more: --after " in shown
    cursor = shown.split("more: --after ")[1].split()[0]
    assert main([*args, "--limit", "3", "--after", cursor, "--json"]) == 0
    rest = json.loads(capsys.readouterr().out)
    assert len(rest["items"]) == 3 and rest["next"] is None
    assert main([*args, "--limit", "500"]) == 2
    assert "limit must be a whole number from 1 to 200" in capsys.readouterr().err
