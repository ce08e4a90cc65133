"""The JSON API under /api/v1/ on SQLite and PostgreSQL, over the five reference reports and the
HMICFRS grades: lists and their pagination, CSV, caching, CORS, errors, and what is public.

Expected values come from the reports and the grades CSV in ../shared (read here with the csv
module and plain text search), from the CLI's own ``--json`` (the API must give the same
shapes), or from a flattening written here independently of ``peelkit.web.csvout``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from peelkit import Workspace
from peelkit.errors import catalogue
from peelkit.reference import resolve_force
from peelkit.views.json import to_json
from peelkit.web.app import create_app
from tests.conftest import SHARED, _private_schema

REPORTS = sorted((SHARED / "reference-reports").glob("*.txt"))
GRADES_CSV = SHARED / "data" / "raw" / "peel-grades" / "peel_grades.csv"
# The app's clock for the shared record: after every publication date in it.
NOW = dt.datetime(2030, 1, 1, 12, 0)
API = "/api/v1"
ERROR_KEYS = {"code", "message", "status", "location"}
LISTS = [
    "/forces",
    "/frameworks",
    "/inspections",
    "/grades?framework=peel-2018-19&level=pillar",
    "/indicators",
    "/indicators/recorded_crime_per_1000?month=2018-09",
    "/forces/metropolitan/indicators?month=2018-09&comparator=msg",
    "/findings?q=registered+sex+offenders",
]


def build_record(url: str) -> Workspace:
    """A workspace on ``url`` holding the five reference reports and the HMICFRS grades."""
    assert len(REPORTS) == 5, "the reference reports are expected in ../shared/reference-reports"
    workspace = Workspace(url)
    workspace.initialise()
    for path in REPORTS:
        workspace.import_report(path)
    workspace.load_grades(GRADES_CSV)
    return workspace


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def record(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Workspace]:
    if request.param == "sqlite":
        folder = tmp_path_factory.mktemp("api")
        with build_record(f"sqlite:///{folder / 'record.sqlite'}") as workspace:
            yield workspace
        return
    with _private_schema() as url, build_record(url) as workspace:
        yield workspace


@pytest.fixture(scope="module")
def client(record: Workspace) -> Iterator[TestClient]:
    with TestClient(create_app(record, clock=lambda: NOW)) as made:
        yield made


def get_json(client: TestClient, path: str, status: int = 200) -> Any:
    response = client.get(API + path)
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    return response.json()


def walk(client: TestClient, path: str) -> list[Any]:
    """Every item of a list, following its next links from the first page."""
    items: list[Any] = []
    url: str | None = API + path
    pages = 0
    while url is not None:
        response = client.get(url)
        assert response.status_code == 200, response.text
        body = response.json()
        items.extend(body["items"])
        url = body["next"]
        pages += 1
        assert pages < 500
    return items


def with_query(path: str, **params: object) -> str:
    joined = "&".join(f"{k}={v}" for k, v in params.items())
    return f"{path}{'&' if '?' in path else '?'}{joined}"


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> Any:
    from peelkit.cli import main

    capsys.readouterr()
    assert main(list(args)) == 0
    return json.loads(capsys.readouterr().out)


# --- the lists the issue names --------------------------------------------------------------------


def test_forces_lists_the_43_forces_and_btp(client: TestClient) -> None:
    body = get_json(client, "/forces")
    assert body["total"] == 44 and len(body["items"]) == 44 and body["next"] is None
    by_id = {f["id"]: f for f in body["items"]}
    territorial = [f for f in body["items"] if f["territorial"]]
    assert len(territorial) == 43
    # ONS police force area codes: E23 in England, W15 in Wales (ONS register of codes).
    assert all(re.fullmatch(r"(E23|W15)\d{6}", f["ons_code"]) for f in territorial)
    assert sum(f["ons_code"].startswith("W15") for f in territorial) == 4
    assert by_id["metropolitan"]["ons_code"] == "E23000001"
    assert by_id["metropolitan"]["name"] == "Metropolitan Police Service"
    assert not by_id["btp"]["in_england_and_wales_totals"]


def _grades_csv_pillars(year: str) -> dict[tuple[str, str], str]:
    """(force id, pillar) -> grade as printed, for ``year``'s pillar rows of the grades CSV."""
    with GRADES_CSV.open(encoding="utf-8", newline="") as handle:
        return {
            (resolve_force(row["force"]).id, row["pillar"].lower()): row["grade"]
            for row in csv.DictReader(handle)
            if row["year"] == year and not row["question"]
        }


def test_grades_of_every_force_at_pillar_level(client: TestClient, record: Workspace) -> None:
    body = get_json(client, "/grades?framework=peel-2018-19&level=pillar")
    assert body["total"] == 43 and len(body["items"]) == 43
    assert body["framework_id"] == "peel-2018-19" and body["level"] == "pillar"
    pillars = ["effectiveness", "efficiency", "legitimacy"]
    assert [c["area_id"] for c in body["columns"]] == pillars
    cells = {}
    for row in body["items"]:
        assert [g["area_id"] for g in row["grades"]] == pillars
        for grade in row["grades"]:
            cells[(row["force_id"], grade["area_id"])] = grade
    assert len(cells) == 43 * 3
    # What the record holds: every public inspection's shown pillar judgments.
    held = {}
    for summary in to_json(record.inspections(framework="peel-2018-19", public_at=NOW)):
        inspection = to_json(record.inspection(summary["id"], public_at=NOW))
        for judgment in inspection["judgments"]:
            if judgment["shown"] and judgment["area"] in pillars and judgment["grade"]:
                held[(inspection["force"], judgment["area"])] = judgment["grade"]
    for key, cell in cells.items():
        if key in held:
            assert cell["grade_id"] == held[key], key
        else:
            assert (cell["label"], cell["grade_id"]) == ("Not available", None), key
    # ... and what HMICFRS published: the grades CSV's pillar rows, as printed there.
    published = _grades_csv_pillars("2018/19")
    assert published
    for key, printed in published.items():
        assert cells[key]["label"].lower() == printed.lower(), key
    missing = [k for k, c in cells.items() if c["grade_id"] is None]
    assert missing, "some force has no 2018/19 pillar grade in the record"
    assert all(k not in published for k in missing)


def _report_lines(record: Workspace, document: int) -> list[str]:
    filename = record.documents()[document].filename
    assert filename is not None
    return (SHARED / "reference-reports" / filename).read_text(encoding="utf-8").splitlines()


def _letters(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.lower())


def test_findings_search_finds_the_met_sex_offender_findings(
    client: TestClient, record: Workspace
) -> None:
    body = get_json(client, "/findings?q=registered+sex+offenders&force=metropolitan")
    hits = body["items"]
    assert body["total"] == len(hits) and body["next"] is None
    assert {h["force"] for h in hits} == {"metropolitan"}
    kinds = {(h["framework"], h["kind"]) for h in hits}
    assert ("peel-2018-19", "cause_of_concern") in kinds
    assert ("peel-2018-19", "recommendation") in kinds
    assert ("peel-2016", "area_for_improvement") in kinds
    # The cause of concern's recommendations (as the inspection records them) are all found.
    [cause] = [h for h in hits if h["kind"] == "cause_of_concern"]
    inspection = get_json(client, f"/inspections/{cause['inspection']}")
    its_recommendations = {
        f["id"] for f in inspection["findings"] if f["cause_of_concern"] == cause["id"]
    }
    assert its_recommendations
    assert its_recommendations <= {h["id"] for h in hits}
    # Each hit is where its provenance says, in the report's text.
    for hit in hits:
        where = hit["provenance"]
        lines = _report_lines(record, where["document"])
        printed = _letters(" ".join(lines[where["line_start"] - 1 : where["line_end"]]))
        assert _letters(hit["text"])[:60] in printed, hit["id"]
    # The 2016 areas for improvement about registered sex offenders, found in the 2016 report.
    report_2016 = next(p for p in REPORTS if "Police effectiveness 2016" in p.read_text("utf-8"))
    mentions = [
        line
        for line in report_2016.read_text(encoding="utf-8").splitlines()
        if "registered sex offenders" in line
        and line.strip().lstrip("-• ").startswith("The force should")
    ]
    found_2016 = {
        _letters(h["text"])
        for h in hits
        if h["framework"] == "peel-2016" and h["kind"] == "area_for_improvement"
    }
    assert mentions and {_letters(m) for m in mentions} <= found_2016
    facets = {f["name"]: {v["value"]: v["count"] for v in f["values"]} for f in body["facets"]}
    assert facets["force"] == {"metropolitan": len(hits)}
    assert sum(facets["kind"].values()) == len(hits)


def test_objects_have_the_shapes_of_the_clis_json(
    client: TestClient, record: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ["--db", record.database.url.render_as_string(hide_password=False)]
    assert get_json(client, "/forces")["items"] == run_cli(capsys, "forces", "--json")
    assert get_json(client, "/frameworks")["items"] == run_cli(capsys, "frameworks", "--json")
    assert get_json(client, "/frameworks/peel-2018-19") == run_cli(
        capsys, "frameworks", "peel-2018-19", "--json"
    )
    assert get_json(client, "/indicators")["items"] == run_cli(
        capsys, "indicators", "--list", "--json"
    )
    met = get_json(client, "/inspections?force=metropolitan")["items"]
    assert met == run_cli(capsys, "inspections", "--force", "Met", *db, "--json")
    one = met[-1]["id"]
    assert get_json(client, f"/inspections/{one}") == run_cli(
        capsys, "inspections", "show", str(one), *db, "--json"
    )
    rows = get_json(client, "/forces/Met/indicators?month=2018-09&comparator=msg")["items"]
    cli_rows = run_cli(
        capsys, "indicators", "Met", "--month", "2018-09", "--comparator", "msg", *db, "--json"
    )
    assert rows == cli_rows
    ranked = get_json(client, "/indicators/recorded_crime_per_1000?year=2017/18")["items"]
    assert ranked == run_cli(
        capsys,
        "indicators",
        "--all-forces",
        "--indicator",
        "recorded_crime_per_1000",
        "--year",
        "2017/18",
        *db,
        "--json",
    )
    assert len(ranked) == 43


def test_without_a_period_the_latest_with_figures(client: TestClient) -> None:
    ranked = get_json(client, "/indicators/recorded_crime_per_1000")
    assert ranked["total"] == 43
    ends = {r["period_end"] for r in ranked["items"]}
    assert len(ends) == 1 and all(r["value"] is not None for r in ranked["items"])
    month = ends.pop()[:7]
    assert ranked == get_json(client, f"/indicators/recorded_crime_per_1000?month={month}")
    kent = get_json(client, "/forces/kent/indicators")
    assert kent == get_json(client, f"/forces/kent/indicators?month={month}")


def test_a_forces_indicators_against_its_group(client: TestClient) -> None:
    rows = get_json(client, "/forces/metropolitan/indicators?month=2018-09&comparator=msg")
    assert rows["total"] == len(rows["items"]) > 10
    crime = next(r for r in rows["items"] if r["indicator"] == "recorded_crime_per_1000")
    assert crime["force"] == "metropolitan" and crime["comparator"] == "most_similar_group"
    assert crime["period_end"] == "2018-09-30"


def test_every_force_against_its_region(client: TestClient) -> None:
    # The region is pooled as England and Wales is: the sum of its forces' crimes over the sum
    # of their populations, worked out here from the rows' own numerators and denominators.
    from peelkit.reference import territorial_forces

    url = "/indicators/recorded_crime_per_1000?month=2018-09&comparator=region&limit=100"
    rows = get_json(client, url)["items"]
    assert len(rows) == 43 and {r["comparator"] for r in rows} == {"region"}
    region_of = {f.id: f.region for f in territorial_forces()}
    by_force = {r["force"]: r for r in rows}
    for row in rows:
        members = [f for f in by_force if region_of[f] == region_of[row["force"]]]
        assert sorted(row["comparator_forces"]) == sorted(members)
        crimes = sum(by_force[f]["numerator"] for f in members)
        people = sum(by_force[f]["denominator"] for f in members)
        assert row["comparator_value"] == pytest.approx(crimes * 1000 / people, rel=1e-12)
    # Wales's four forces share one figure; London's two (the Met and the City) another.
    assert len({by_force[f]["comparator_value"] for f in by_force if region_of[f] == "Wales"}) == 1
    kent = get_json(client, "/forces/kent/indicators?month=2018-09&comparator=region")["items"]
    crime = next(r for r in kent if r["indicator"] == "recorded_crime_per_1000")
    assert crime["comparator_value"] == by_force["kent"]["comparator_value"]


# --- pagination -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "limit"),
    [
        ("/forces", 7),
        ("/frameworks", 2),
        ("/inspections", 37),
        ("/inspections?framework=peel-2016", 10),
        ("/grades?framework=peel-2017&level=pillar", 6),
        ("/indicators", 5),
        ("/indicators/recorded_crime_per_1000?month=2018-09", 10),
        ("/forces/kent/indicators?year=2017/18", 4),
        ("/findings?q=force", 17),
        ("/findings?kind=cause_of_concern", 2),
    ],
)
def test_pagination_walks_every_item_exactly_once(
    client: TestClient, path: str, limit: int
) -> None:
    whole = get_json(client, with_query(path, limit=1000 if "findings" not in path else 200))
    assert whole["next"] is None and len(whole["items"]) == whole["total"]
    walked = walk(client, with_query(path, limit=limit))
    assert len(walked) == whole["total"]
    assert walked == whole["items"]  # each once, in the list's order
    assert whole["total"] > limit  # more than one page was walked
    first = get_json(client, with_query(path, limit=limit))
    assert first["total"] == whole["total"] and len(first["items"]) == limit
    assert first["next"].startswith("http") and "cursor=" in first["next"]


def test_the_default_page_is_100_items(client: TestClient) -> None:
    body = get_json(client, "/inspections")
    assert body["total"] > 100 and len(body["items"]) == 100 and body["next"]


def test_inspections_by_status_the_public_sees_only_published(client: TestClient) -> None:
    published = get_json(client, "/inspections?status=published&limit=1000")
    everything = get_json(client, "/inspections?limit=1000")
    assert published["items"] == everything["items"]
    assert {i["status"] for i in everything["items"]} == {"published"}
    for status in ("draft", "moderated"):
        assert get_json(client, f"/inspections?status={status}") == {
            "items": [],
            "next": None,
            "total": 0,
        }


# --- CSV --------------------------------------------------------------------------------------


def _flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, item in value.items():
            out.update(_flatten(item, f"{prefix}.{key}" if prefix else key))
        return out
    return {prefix: value}


def _as_cell(value: Any) -> str:
    """How the API's CSV is documented to write a JSON value (docs/api.md)."""
    if value is None:
        return ""
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, int | float):
        return json.dumps(value)
    text = json.dumps(value, ensure_ascii=False) if isinstance(value, list) else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _expected_rows(items: list[dict[str, Any]], keyed: dict[str, str]) -> list[dict[str, str]]:
    rows = []
    for item in items:
        item = dict(item)
        for name, key in keyed.items():
            item[name] = {e[key]: {k: v for k, v in e.items() if k != key} for e in item[name]}
        rows.append({k: _as_cell(v) for k, v in _flatten(item).items()})
    return rows


@pytest.mark.parametrize("path", LISTS)
def test_csv_is_the_json_list_flattened(client: TestClient, path: str) -> None:
    body = get_json(client, path)
    keyed = {"grades": "area_id"} if path.startswith("/grades") else {}
    expected = _expected_rows(body["items"], keyed)
    base, _, query = path.partition("?")
    by_suffix = client.get(f"{API}{base}.csv" + (f"?{query}" if query else ""))
    by_accept = client.get(API + path, headers={"Accept": "text/csv"})
    for response in (by_suffix, by_accept):
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("text/csv")
        assert response.headers["x-total-count"] == str(body["total"])
        rows = list(csv.DictReader(io.StringIO(response.text, newline="")))
        assert len(rows) == len(expected)
        for row, given in zip(rows, expected, strict=True):
            # A null object (no rank interval) is one empty key in the JSON but its fields'
            # columns in the CSV, all empty (checked below).
            wanted = {
                k: v
                for k, v in given.items()
                if k in row or not (v == "" and any(c.startswith(f"{k}.") for c in row))
            }
            # A map's columns are the keys found in the whole list: empty where a row has none.
            assert {k: v for k, v in row.items() if k in wanted} == wanted
            assert all(v == "" for k, v in row.items() if k not in wanted)
        # Columns in the view's order (a map's keys in the order first met).
        assert [c for c in rows[0] if c in expected[0]] == [c for c in expected[0] if c in rows[0]]
    assert by_suffix.text == by_accept.text


def test_csv_cells_cannot_start_a_formula(client: TestClient) -> None:
    # police_officers_change_1_year is negative for the Met in 2018/19: a number, not text.
    response = client.get(f"{API}/forces/metropolitan/indicators.csv?month=2018-09")
    rows = {r["indicator"]: r for r in csv.DictReader(io.StringIO(response.text, newline=""))}
    change = rows["police_officers_change_1_year"]
    assert float(change["value"]) < 0  # numbers are written as numbers
    for row in rows.values():
        for column, text in row.items():
            assert not text.startswith(("=", "+", "@", "\t", "\r")), (column, text)
            if text.startswith("-"):
                float(text)  # only numbers may start with a minus sign
    display = json.loads(client.get(f"{API}/forces/metropolitan/indicators?month=2018-09").text)[
        "items"
    ]
    shown = next(r for r in display if r["indicator"] == "police_officers_change_1_year")
    if str(shown["display"]).startswith("-"):
        assert change["display"] == "'" + shown["display"]


def test_an_empty_csv_list_has_its_header(client: TestClient) -> None:
    response = client.get(f"{API}/inspections.csv?status=draft")
    assert response.status_code == 200
    header = response.text.splitlines()
    assert header == ["id,force,framework,period,title,status,published,judgments,findings"]


# --- caching, HEAD and CORS --------------------------------------------------------------------


def test_the_response_cache_is_bounded_in_entries_and_bytes() -> None:
    from peelkit.web.caching import ResponseCache, _Entry

    def entry(size: int) -> _Entry:
        return _Entry(b"x" * size, (), '"e"')

    cache = ResponseCache(max_entries=3, max_bytes=100)
    for key in "abcd":
        cache.put(key, entry(10))
    assert len(cache) == 3 and cache.get("a") is None  # the least recently used went
    assert cache.get("b") is not None  # b is now the most recently used
    cache.put("e", entry(10))
    assert cache.get("c") is None and cache.get("b") is not None
    cache.put("big", entry(95))  # over the byte bound with the others: they go
    assert len(cache) == 1 and cache.get("big") is not None
    cache.put("huge", entry(101))  # larger than the whole cache: not kept
    assert cache.get("huge") is None and cache.get("big") is not None


@pytest.mark.parametrize("path", ["/forces", "/inspections/1", "/grades", "/findings?q=vetting"])
def test_etag_and_304(client: TestClient, path: str) -> None:
    first = client.get(API + path)
    assert first.status_code == 200
    etag = first.headers["etag"]
    assert re.fullmatch(r'"[0-9a-f]{32}"', etag)
    assert first.headers["cache-control"] == "public, no-cache"
    again = client.get(API + path, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == etag
    assert again.headers["access-control-allow-origin"] == "*"
    other = client.get(API + path, headers={"If-None-Match": '"0123"'})
    assert other.status_code == 200 and other.content == first.content
    head = client.head(API + path)
    assert head.status_code == 200 and head.content == b""
    assert head.headers["etag"] == etag
    assert head.headers["content-length"] == str(len(first.content))
    csv_answer = client.get(API + path, headers={"Accept": "text/csv"})
    if path != "/inspections/1":
        assert csv_answer.headers["etag"] != etag  # another representation, another tag


def test_a_repeat_request_does_no_work(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    record = client.app.state.workspace  # type: ignore[attr-defined]
    calls: list[object] = []
    original = record.inspections

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(record, "inspections", counted)
    path = f"{API}/inspections?framework=peel-2015&limit=9"
    first = client.get(path)
    assert len(calls) == 1
    second = client.get(path)
    third = client.get(path, headers={"If-None-Match": first.headers["etag"]})
    assert len(calls) == 1
    assert second.content == first.content and third.status_code == 304


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/forces"),
        ("GET", "/forces/narnia"),
        ("GET", "/nowhere"),
        ("GET", "/forces?limit=0"),
        ("POST", "/forces"),
        ("DELETE", "/inspections/1"),
    ],
)
def test_every_api_answer_allows_cross_origin_reads(
    client: TestClient, method: str, path: str
) -> None:
    response = client.request(method, API + path, headers={"Origin": "https://example.org"})
    assert response.headers["access-control-allow-origin"] == "*"


def test_a_cors_preflight_for_get_is_allowed(client: TestClient) -> None:
    response = client.options(
        f"{API}/grades",
        headers={
            "Origin": "https://example.org",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "if-none-match",
        },
    )
    assert response.status_code == 204
    assert response.headers["access-control-allow-origin"] == "*"
    assert "GET" in response.headers["access-control-allow-methods"]
    assert "if-none-match" in response.headers["access-control-allow-headers"].lower()
    assert "etag" in response.headers["access-control-expose-headers"].lower()


def test_the_api_offers_every_level_of_a_framework_tree(client: TestClient) -> None:
    from typing import get_args

    from peelkit.domain.frameworks import LEVELS
    from peelkit.web.api import Level

    assert get_args(Level) == LEVELS
    body = get_json(client, "/grades?framework=peel-2018-19&level=component&force=metropolitan")
    # Ten components, armed policing among them always ungraded (the 2018/19 reports).
    assert body["level"] == "component" and len(body["columns"]) == 9
    assert "armed" not in json.dumps(body["columns"]).lower()
    assert body["total"] == 1 and body["items"][0]["force_id"] == "metropolitan"


def test_the_openapi_document_and_its_docs_page(client: TestClient) -> None:
    spec = get_json(client, "/openapi.json")
    paths = set(spec["paths"])
    for path in [
        "/forces",
        "/forces/{force}",
        "/forces/{force}/indicators",
        "/frameworks",
        "/frameworks/{framework}",
        "/inspections",
        "/inspections/{inspection_id}",
        "/grades",
        "/findings",
        "/indicators",
        "/indicators/{indicator}",
        "/forces.csv",
    ]:
        assert API + path in paths, path
    # Read-only, but for the staff's POST /inspections, which shares the public list's path.
    writes = {f"{API}/inspections": {"get", "post"}}
    assert all(set(item) == writes.get(p, {"get"}) for p, item in spec["paths"].items())
    grades = spec["paths"][f"{API}/grades"]["get"]
    level = next(p for p in grades["parameters"] if p["name"] == "level")
    assert "pillar" in json.dumps(level["schema"])
    docs = client.get(f"{API}/docs")
    assert docs.status_code == 200 and "swagger" in docs.text.lower()


DOCS = Path(__file__).resolve().parents[2] / "docs"
# Objects whose keys are data (level names, attribute names), not part of a shape.
DATA_MAPS = {"levels", "attributes"}


def _keys(value: Any) -> set[str]:
    if isinstance(value, dict):
        found = set(value)
        for key, item in value.items():
            if key not in DATA_MAPS:
                found |= _keys(item)
        return found
    if isinstance(value, list):
        return set().union(*(_keys(item) for item in value))
    return set()


def test_every_endpoint_parameter_and_json_key_is_documented(client: TestClient) -> None:
    api_md = (DOCS / "api.md").read_text(encoding="utf-8")
    spec = get_json(client, "/openapi.json")
    for path, operations in spec["paths"].items():
        if not path.endswith(".csv"):
            shown = re.sub(r"\{[a-z_]+\}", "{x}", path)
            assert any(
                re.sub(r"\{[a-z_]+\}", "{x}", m) == shown
                for m in re.findall(r"`GET (/api/v1/[^`]*)`", api_md)
            ), path
        for parameter in operations["get"].get("parameters", []):
            assert f"`{parameter['name']}`" in api_md, (path, parameter["name"])
    documented = set(re.findall(r"`([a-z_0-9]+)`", api_md))
    documented |= set(re.findall(r"`([a-z_0-9]+)`", (DOCS / "json-output.md").read_text("utf-8")))
    answers = [get_json(client, path) for path in LISTS]
    answers += [get_json(client, p) for p in ("/forces/met", "/frameworks/peel-2016")]
    answers.append(get_json(client, "/inspections/1"))
    answers.append(get_json(client, "/forces/narnia", status=404))
    assert set().union(*(_keys(a) for a in answers)) - documented == set()


# --- bad input ------------------------------------------------------------------------------


def _tampered_cursor(client: TestClient) -> str:
    cursor = str(get_json(client, "/forces?limit=3")["next"]).split("cursor=")[1]
    return cursor[:-2] + ("AA" if cursor[-2:] != "AA" else "BB")


def _cursor_of_another_list(client: TestClient) -> str:
    return str(get_json(client, "/forces?limit=3")["next"].split("cursor=")[1])


BAD_INPUTS: list[tuple[str, int, str]] = [
    ("/forces/metropolitn", 404, "unknown_force"),
    ("/forces/narnia/indicators?month=2018-09", 404, "unknown_force"),
    ("/inspections?force=narnia", 404, "unknown_force"),
    ("/frameworks/peel-1999", 404, "unknown_framework"),
    ("/grades?framework=peel-1999", 404, "unknown_framework"),
    ("/inspections?framework=nope", 404, "unknown_framework"),
    ("/inspections/999999", 404, "inspection_not_found"),
    ("/inspections/abc", 400, "invalid_parameter"),
    ("/inspections/0", 400, "invalid_parameter"),
    ("/inspections/99999999999999999999", 400, "invalid_parameter"),
    ("/indicators/not_an_indicator?month=2018-09", 404, "unknown_indicator"),
    ("/indicators/recorded_crime_per_1000?month=2018-13", 400, "invalid_period"),
    ("/indicators/recorded_crime_per_1000?month=Sept", 400, "invalid_parameter"),
    ("/indicators/recorded_crime_per_1000?year=2017/19", 400, "invalid_period"),
    ("/indicators/recorded_crime_per_1000?month=2018-09&year=2017/18", 400, "usage"),
    ("/indicators/recorded_crime_per_1000?month=1990-09", 404, "no_data"),
    ("/forces/kent/indicators?month=2018-09&comparator=county", 400, "invalid_parameter"),
    ("/forces/kent/indicators?month=2018-09&population_year=99", 400, "invalid_parameter"),
    ("/forces?cursor=not-a-cursor", 400, "invalid_cursor"),
    ("/forces?cursor=%21%21%21", 400, "invalid_parameter"),
    ("/forces?cursor=", 400, "invalid_parameter"),
    ("/forces?cursor=" + "A" * 2000, 400, "invalid_parameter"),
    ("/findings?q=x&cursor=not-a-cursor", 400, "invalid_cursor"),
    ("/forces?limit=1001", 400, "invalid_parameter"),
    ("/forces?limit=99999999999999999999999", 400, "invalid_parameter"),
    ("/forces?limit=0", 400, "invalid_parameter"),
    ("/forces?limit=ten", 400, "invalid_parameter"),
    ("/findings?q=x&limit=201", 400, "invalid_parameter"),
    ("/grades?level=county", 400, "invalid_parameter"),
    ("/grades?framework=baseline-2005&level=pillar", 400, "unknown_choice"),
    ("/inspections?status=secret", 400, "invalid_parameter"),
    ("/findings?kind=rumour", 400, "invalid_parameter"),
    ("/findings?q=" + "x" * 600, 400, "invalid_parameter"),
    ("/nowhere", 404, "route_not_found"),
]


@pytest.mark.parametrize(("path", "status", "code"), BAD_INPUTS)
def test_bad_input_is_a_4xx_with_the_error_body(
    client: TestClient, path: str, status: int, code: str
) -> None:
    response = client.get(API + path)
    _check_error(response, status, code)


@pytest.mark.parametrize(
    "make", [_tampered_cursor, _cursor_of_another_list], ids=["tampered", "another list"]
)
def test_a_cursor_not_of_this_list_is_refused(
    client: TestClient, make: Callable[[TestClient], str]
) -> None:
    cursor = make(client)
    path = "/forces" if make is _tampered_cursor else "/inspections"
    _check_error(client.get(f"{API}{path}?cursor={cursor}"), 400, "invalid_cursor")


def _check_error(response: Any, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == ERROR_KEYS
    assert body["error"]["code"] == code
    assert body["error"]["status"] == status
    assert body["error"]["message"] and "Traceback" not in response.text
    assert code in catalogue()["errors"]
    assert response.headers["access-control-allow-origin"] == "*"


def test_an_unknown_force_names_the_closest(client: TestClient) -> None:
    body = get_json(client, "/forces/metropolitn", status=404)
    assert "Metropolitan Police Service" in body["error"]["message"]


def test_a_method_other_than_get_is_405_with_allow(client: TestClient) -> None:
    response = client.post(f"{API}/forces")
    _check_error(response, 405, "method_not_allowed")
    assert "GET" in response.headers["allow"]


@pytest.mark.parametrize(
    "q",
    [
        "'; DROP TABLE findings; --",
        '"unbalanced',
        "sex AND",
        "NEAR(a b",
        "offenders*",
        "-vetting OR",
        "a:b",
        "%_\\",
        "\x00",
        ")(",
        "SELECT * FROM inspection WHERE 1=1",
    ],
)
def test_sql_or_fts_syntax_in_a_search_is_text(client: TestClient, q: str) -> None:
    response = client.get(f"{API}/findings", params={"q": q})
    assert response.status_code in (200, 400), response.text
    body = response.json()
    if response.status_code == 200:
        assert body["total"] == len(body["items"]) or body["next"]
    else:
        assert set(body["error"]) == ERROR_KEYS
    assert client.get(f"{API}/forces").json()["total"] == 44  # nothing was dropped


# --- only what is published is public ------------------------------------------------------------


class Clock:
    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


EMBARGO = dt.datetime(2026, 3, 5, 0, 1)


@pytest.fixture
def embargoed(workspace: Workspace) -> tuple[Workspace, int]:
    """A record with one published inspection of Kent and one embargoed until EMBARGO, and a
    draft; the embargoed one graded and with a finding whose words only it uses."""
    workspace.initialise()
    open_one = to_json(
        workspace.add_inspection(
            force="Kent", framework="peel-2017", status="published", entered_by="tester"
        )
    )
    workspace.add_judgment(open_one["id"], area="effectiveness", grade="Good")
    workspace.add_finding(
        open_one["id"], kind="area_for_improvement", text="Kent should answer calls sooner."
    )
    held = to_json(
        workspace.add_inspection(
            force="Kent",
            framework="peel-2018-19",
            status="published",
            embargo_until=EMBARGO,
            entered_by="tester",
        )
    )
    workspace.add_judgment(held["id"], area="effectiveness", grade="Outstanding")
    workspace.add_finding(
        held["id"],
        kind="cause_of_concern",
        area="protecting-vulnerable-people",
        text="Kent must improve its zeppelin patrols.",
    )
    workspace.add_inspection(
        force="Essex", framework="peel-2018-19", status="draft", entered_by="tester"
    )
    return workspace, int(held["id"])


def _visible(client: TestClient, inspection_id: int) -> dict[str, Any]:
    """Where the embargoed inspection shows: list, object, grades, search, facets, CSV."""
    listed = get_json(client, "/inspections?force=kent")
    grades = get_json(client, "/grades?framework=peel-2018-19&force=kent")
    found = get_json(client, "/findings?q=zeppelin")
    facets = get_json(client, "/findings")["facets"]
    frameworks = next(f for f in facets if f["name"] == "framework")["values"]
    downloaded = client.get(f"{API}/inspections.csv").text
    return {
        "listed": inspection_id in [i["id"] for i in listed["items"]],
        "total": listed["total"],
        "object": client.get(f"{API}/inspections/{inspection_id}").status_code,
        "grade": grades["items"][0]["grades"][0]["label"],
        "found": found["total"],
        "facet": sorted(v["value"] for v in frameworks),
        "csv": f"\r\n{inspection_id}," in downloaded,
    }


def test_an_embargoed_inspection_is_absent_then_present(
    embargoed: tuple[Workspace, int],
) -> None:
    workspace, held = embargoed
    clock = Clock(EMBARGO - dt.timedelta(minutes=1))
    with TestClient(create_app(workspace, clock=clock)) as client:
        before = _visible(client, held)
        etag_before = client.get(f"{API}/inspections").headers["etag"]
        assert before == {
            "listed": False,
            "total": 1,
            "object": 404,
            "grade": "Not available",
            "found": 0,
            "facet": ["peel-2017"],
            "csv": False,
        }
        clock.now = EMBARGO
        after = _visible(client, held)
        assert after == {
            "listed": True,
            "total": 2,
            "object": 200,
            "grade": "Outstanding",
            "found": 1,
            "facet": ["peel-2017", "peel-2018-19"],
            "csv": True,
        }
        assert client.get(f"{API}/inspections").headers["etag"] != etag_before
        # The draft is never public.
        assert get_json(client, "/inspections?force=essex")["total"] == 0
        assert get_json(client, "/inspections?status=draft")["total"] == 0


def test_saving_a_draft_does_not_change_what_the_public_sees(
    embargoed: tuple[Workspace, int],
) -> None:
    workspace, _ = embargoed
    with TestClient(create_app(workspace, clock=lambda: EMBARGO)) as client:
        before = client.get(f"{API}/inspections")
        version = workspace.record_version()
        draft = to_json(
            workspace.add_inspection(
                force="Surrey", framework="peel-2018-19", status="draft", entered_by="tester"
            )
        )
        workspace.add_finding(draft["id"], kind="cause_of_concern", text="Surrey zeppelin.")
        assert workspace.record_version() > version
        after = client.get(f"{API}/inspections", headers={"If-None-Match": before.headers["etag"]})
        assert after.status_code == 304  # the ETag tells nothing of the draft
        assert get_json(client, "/findings?q=zeppelin")["total"] == 1
        workspace.add_inspection(
            force="Surrey", framework="peel-2017", status="published", entered_by="tester"
        )
        changed = client.get(
            f"{API}/inspections", headers={"If-None-Match": before.headers["etag"]}
        )
        assert changed.status_code == 200 and changed.json()["total"] == 3
