"""The open data (issue 9, item 4): ``peel export-open DIR`` and ``/data``.

On a record holding the five reference reports and the HMICFRS grades, plus a draft inspection
and one embargoed until a time: every file is written, the data package is valid under the
``frictionless`` package, grades.csv holds exactly the judgments the record shows (read back
through ``to_json(ws.inspection(...))``), the draft and the embargoed inspection are in no file
before the embargo and only the embargoed one after it, ``/data`` lists the files and serves
the same bytes as the command, and a bad DIR is one line and exit code 2 with an earlier folder
left as it was.
"""

from __future__ import annotations

import csv
import datetime as dt
import errno
import io
import json
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from peelkit import Workspace
from peelkit.cli import main
from peelkit.opendata import write_open_data
from peelkit.views.json import to_json

# What the folder holds (issue 9: grades, findings, inspections, indicators, most similar
# groups as CSV, the data package, the record as peel export writes it; and the forces the
# foreign keys point at).
FILES = {
    "forces.csv",
    "inspections.csv",
    "grades.csv",
    "findings.csv",
    "indicators.csv",
    "most_similar_groups.csv",
    "record.json",
    "datapackage.json",
}
EMBARGO = dt.datetime(2031, 3, 5, 9, 30)
BEFORE = EMBARGO - dt.timedelta(minutes=1)
AFTER = EMBARGO + dt.timedelta(minutes=1)
DRAFT_TEXT = "Open-data draft marker: this finding must never be downloadable."
EMBARGOED_TEXT = "Open-data embargo marker: downloadable once the embargo has passed."
PEEL_2016 = "000_033c6fd077a275c5.txt"
PEEL_2018_19 = "001_2e8c9026aad1a9d7.txt"


def _at(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M")


def _hidden_inspections(ws: Workspace) -> tuple[int, int]:
    """A draft (Kent) and a published inspection embargoed until EMBARGO (Essex), each with a
    judgment and a finding carrying a marker text."""
    draft = ws.add_inspection(force="Kent", framework="peel-2023-25", status="draft")
    embargoed = ws.add_inspection(
        force="Essex",
        framework="peel-2023-25",
        status="published",
        published=EMBARGO.date(),
        embargo_until=EMBARGO,
        title="Open-data embargoed inspection",
    )
    for inspection, text in ((draft, DRAFT_TEXT), (embargoed, EMBARGOED_TEXT)):
        ws.add_judgment(inspection.id, area="investigating-crime", grade="Adequate")
        ws.add_finding(inspection.id, kind="area_for_improvement", text=text)
    return draft.id, embargoed.id


@pytest.fixture(scope="module")
def record(
    tmp_path_factory: pytest.TempPathFactory, reference_reports: Path, raw_data: Path
) -> Iterator[tuple[str, int, int]]:
    """A SQLite record: the five reference reports, the grades CSV, a draft and an embargoed
    inspection. Yields (database URL, draft id, embargoed id)."""
    path = tmp_path_factory.mktemp("open-data") / "record.sqlite"
    url = f"sqlite:///{path}"
    with Workspace(url) as ws:
        ws.initialise()
        for report in sorted(reference_reports.glob("*.txt")):
            ws.import_report(report)
        ws.load_grades(raw_data / "peel-grades" / "peel_grades.csv")
        draft, embargoed = _hidden_inspections(ws)
    yield url, draft, embargoed


def _export_open(url: str, folder: Path, at: dt.datetime, capsys: Any) -> Any:
    code = main(["export-open", str(folder), "--at", _at(at), "--db", url, "--json"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return json.loads(captured.out)


@pytest.fixture(scope="module")
def before(record: tuple[str, int, int], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder ``peel export-open`` writes a minute before the embargo ends."""
    folder = tmp_path_factory.mktemp("before") / "open-data"
    assert main(["export-open", str(folder), "--at", _at(BEFORE), "--db", record[0]]) == 0
    return folder


def _rows(folder: Path, name: str) -> list[dict[str, str]]:
    text = (folder / name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text, newline="")))


# --- the files ---------------------------------------------------------------------------------


def test_export_open_writes_every_file(
    record: tuple[str, int, int], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "open"
    written = _export_open(record[0], folder, BEFORE, capsys)
    assert {p.name for p in folder.iterdir()} == FILES
    assert {f["name"] for f in written["files"]} == FILES
    for entry in written["files"]:
        assert entry["bytes"] == (folder / entry["name"]).stat().st_size > 0
    # A second run replaces the folder it wrote.
    (folder / "grades.csv").write_text("stale", encoding="utf-8")
    code = main(["export-open", str(folder), "--at", _at(BEFORE), "--db", record[0]])
    assert code == 0
    printed = capsys.readouterr().out
    assert f"({written['inspections']} public inspection(s)" in printed
    assert f"to {folder}" in printed
    assert {p.name for p in folder.iterdir()} == FILES
    assert (folder / "grades.csv").stat().st_size == next(
        f["bytes"] for f in written["files"] if f["name"] == "grades.csv"
    )


def test_the_data_package_is_valid_under_frictionless(before: Path) -> None:
    from frictionless import validate

    report = validate(str(before / "datapackage.json"))
    assert report.valid, report.flatten(["type", "message"])[:10]
    package = json.loads((before / "datapackage.json").read_text(encoding="utf-8"))
    assert {r["path"] for r in package["resources"]} == FILES - {"datapackage.json"}
    assert package["licenses"][0]["title"] == "Open Government Licence v3.0"
    assert package["peelkit_version"] and package["created"].endswith("Z")
    for resource in package["resources"]:
        if resource["path"].endswith(".csv"):
            with (before / resource["path"]).open(encoding="utf-8", newline="") as handle:
                header = next(csv.reader(handle))
            fields = resource["schema"]["fields"]
            assert [f["name"] for f in fields] == header
            assert all(f["description"] for f in fields)
            assert resource["schema"]["primaryKey"]
    # The keys the package declares are checked: a grade of an inspection not in
    # inspections.csv makes it invalid.
    broken = before.parent / "broken"
    broken.mkdir()
    for name in FILES - {"datapackage.json"}:
        (broken / name).write_bytes((before / name).read_bytes())
    lines = (before / "grades.csv").read_bytes().decode("utf-8").split("\r\n")
    first = lines[1].split(",")
    first[1] = "999999"
    lines[1] = ",".join(first)
    (broken / "grades.csv").write_bytes("\r\n".join(lines).encode("utf-8"))
    for resource in package["resources"]:
        del resource["bytes"], resource["hash"]
    (broken / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    failed = validate(str(broken / "datapackage.json"))
    assert not failed.valid
    assert {e[0] for e in failed.flatten(["type"])} == {"foreign-key"}


def _public_inspections(url: str, at: dt.datetime) -> list[dict[str, Any]]:
    with Workspace(url) as ws:
        return [to_json(ws.inspection(s.id, public_at=at)) for s in ws.inspections(public_at=at)]


def test_grades_and_findings_are_the_records_shown_judgments_and_findings(
    record: tuple[str, int, int], before: Path
) -> None:
    inspections = _public_inspections(record[0], BEFORE)
    expected_grades = {
        (
            str(j["id"]),
            str(i["id"]),
            i["force"],
            i["framework"],
            i["period"],
            j["area"],
            j["grade"] or "",
            str(j["provenance"]["document"] or ""),
            str(j["provenance"]["line_start"] or ""),
            str(j["provenance"]["line_end"] or ""),
        )
        for i in inspections
        for j in i["judgments"]
        if j["shown"]
    }
    grades = {
        (
            r["id"],
            r["inspection"],
            r["force"],
            r["framework"],
            r["period"],
            r["area"],
            r["grade"],
            r["document"],
            r["line_start"],
            r["line_end"],
        )
        for r in _rows(before, "grades.csv")
    }
    assert len(_rows(before, "grades.csv")) == len(grades)
    # The grades CSV (903 lines) and the reports' judgments, not a handful.
    assert len(expected_grades) > 1000
    assert grades == expected_grades
    expected_findings = {
        (str(f["id"]), str(i["id"]), f["kind"], f["text"])
        for i in inspections
        for f in i["findings"]
    }
    findings = {
        (r["id"], r["inspection"], r["kind"], r["text"]) for r in _rows(before, "findings.csv")
    }
    assert findings == expected_findings and len(findings) > 100
    assert {r["id"] for r in _rows(before, "inspections.csv")} == {
        str(i["id"]) for i in inspections
    }
    record_json = json.loads((before / "record.json").read_text(encoding="utf-8"))
    assert record_json["inspections"] == sorted(inspections, key=lambda i: i["id"])


def test_the_met_2018_19_grades_and_sources_are_as_the_report_prints_them(
    before: Path, reference_reports: Path
) -> None:
    rows = [
        r
        for r in _rows(before, "grades.csv")
        if r["force"] == "metropolitan" and r["framework"] == "peel-2018-19"
    ]
    pillars = {r["area_name"]: r["grade_label"] for r in rows if r["level"] == "pillar"}
    assert set(pillars) == {"Effectiveness", "Efficiency", "Legitimacy"}
    text = (reference_reports / PEEL_2018_19).read_text(encoding="utf-8").splitlines()
    for row in rows:
        if row["line_start"] and row["document_title"].startswith("PEEL: Police effectiveness"):
            cited = " ".join(text[int(row["line_start"]) - 1 : int(row["line_end"])])
            # The lines a grade cites print that grade.
            assert row["grade_label"].lower() in cited.lower(), row


def test_indicators_cover_every_financial_year_with_the_publications_used(before: Path) -> None:
    rows = _rows(before, "indicators.csv")
    keys = {(r["force"], r["indicator"], r["period"], r["comparator"]) for r in rows}
    assert len(keys) == len(rows)
    crime = [
        r
        for r in rows
        if r["indicator"] == "recorded_crime_per_1000" and r["comparator"] == "england_and_wales"
    ]
    # The ONS series runs from the year ending March 2003 (rec-crime-pfa.csv).
    assert {r["period"] for r in crime} >= {f"{y}/{(y + 1) % 100:02d}" for y in range(2002, 2019)}
    assert all(re.fullmatch(r"\d{4}/\d{2}", r["period"]) for r in rows)
    # Independently: the Met's 2017/18 rate from the ONS figures (rec-crime-pfa.csv and the
    # mid-2018 population), as the row's own numerator and denominator give it.
    met = next(r for r in crime if r["force"] == "metropolitan" and r["period"] == "2017/18")
    assert float(met["value"]) == pytest.approx(
        float(met["numerator"]) * 1000 / float(met["denominator"])
    )
    assert met["population_year"] == "2018" and len(crime) % 43 == 0
    # The latest year, 2018/19, has no mid-2019 estimate in the statistics: the latest before it
    # (mid-2018) is used, and the row says so.
    latest = next(r for r in crime if r["force"] == "metropolitan" and r["period"] == "2018/19")
    assert latest["population_year"] == "2018" and latest["value"]
    assert "rec-crime-pfa.csv" in met["source_files"].split(";")
    for sha in met["source_sha256"].split(";"):
        assert re.fullmatch(r"[0-9a-f]{64}", sha)
    groups = _rows(before, "most_similar_groups.csv")
    met_2018 = next(g for g in groups if g["force"] == "metropolitan" and g["year"] == "2018/19")
    assert met_2018["peers"].split(";")[0] == "west-midlands"


# --- only what is public -----------------------------------------------------------------------


def _contents(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in folder.iterdir()}


def _ids(folder: Path, name: str, column: str) -> set[int]:
    return {int(r[column]) for r in _rows(folder, name)}


def test_draft_and_embargoed_inspections_are_absent_before_and_the_embargoed_present_after(
    record: tuple[str, int, int], before: Path, tmp_path: Path
) -> None:
    _url, draft, embargoed = record
    for name, text in _contents(before).items():
        assert DRAFT_TEXT not in text and EMBARGOED_TEXT not in text, name
        assert "Open-data embargoed inspection" not in text, name
    for name, column in (("inspections.csv", "id"), ("grades.csv", "inspection")):
        assert not {draft, embargoed} & _ids(before, name, column), name
    assert not {draft, embargoed} & _ids(before, "findings.csv", "inspection")
    held = json.loads((before / "record.json").read_text(encoding="utf-8"))
    assert not {draft, embargoed} & {i["id"] for i in held["inspections"]}

    after = tmp_path / "after"
    assert main(["export-open", str(after), "--at", _at(AFTER), "--db", record[0]]) == 0
    contents = _contents(after)
    assert EMBARGOED_TEXT in contents["findings.csv"] and EMBARGOED_TEXT in contents["record.json"]
    assert all(DRAFT_TEXT not in text for text in contents.values())
    assert embargoed in _ids(after, "inspections.csv", "id")
    assert embargoed in _ids(after, "grades.csv", "inspection")
    assert draft not in _ids(after, "inspections.csv", "id")
    later = json.loads(contents["record.json"])
    assert {i["id"] for i in later["inspections"]} == {i["id"] for i in held["inspections"]} | {
        embargoed
    }


def test_the_public_record_json_loads_into_an_empty_database(
    before: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'loaded.sqlite'}"
    assert main(["load", str(before / "record.json"), "--db", url, "--quiet"]) == 0
    capsys.readouterr()
    exported = tmp_path / "again.json"
    assert main(["export", str(exported), "--db", url]) == 0
    assert exported.read_bytes() == (before / "record.json").read_bytes()


def test_open_data_on_each_database_leaves_out_what_is_not_public(
    database_url: str,
    open_workspace: Callable[[str], Workspace],
    reference_reports: Path,
    tmp_path: Path,
) -> None:
    ws = open_workspace(database_url)
    ws.initialise()
    ws.import_report(reference_reports / PEEL_2016)
    draft, embargoed = _hidden_inspections(ws)
    early = write_open_data(ws.open_data(public_at=BEFORE), tmp_path / "early")
    late = write_open_data(ws.open_data(public_at=AFTER), tmp_path / "late")
    assert early.inspections == 1 and late.inspections == 2
    assert _ids(tmp_path / "early", "inspections.csv", "id") | {embargoed} == _ids(
        tmp_path / "late", "inspections.csv", "id"
    )
    assert draft not in _ids(tmp_path / "late", "findings.csv", "inspection")
    # The embargoed inspection cites no document; the report's document is the only one.
    late_record = json.loads((tmp_path / "late" / "record.json").read_text(encoding="utf-8"))
    assert [d["filename"] for d in late_record["documents"]] == [PEEL_2016]


# --- the web -----------------------------------------------------------------------------------


class Clock:
    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture(scope="module")
def client(record: tuple[str, int, int]) -> Iterator[tuple[TestClient, Clock]]:
    from peelkit.web.app import create_app

    clock = Clock(BEFORE)
    with Workspace(record[0]) as ws, TestClient(create_app(ws, clock=clock)) as test_client:
        yield test_client, clock


def test_the_data_page_lists_every_file_with_size_and_fields(
    client: tuple[TestClient, Clock], before: Path
) -> None:
    web, clock = client
    clock.now = BEFORE
    page = web.get("/data")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    html = page.text
    for name in FILES:
        assert f'href="/data/{name}"' in html, name
    for name in ("grades.csv", "findings.csv", "record.json"):
        size = (before / name).stat().st_size
        assert f"{size:,} bytes" in html, name
    header = (before / "grades.csv").read_text(encoding="utf-8").splitlines()[0]
    row = re.search(r'href="/data/grades\.csv".*?</tr>', html, flags=re.S)
    assert row and f"<td>{len(header.split(','))}</td>" in row.group(0)
    assert 'href="/api/v1/docs"' in html and "Open Government Licence v3.0" in html


def test_a_download_is_the_file_the_command_writes(
    client: tuple[TestClient, Clock], before: Path, tmp_path: Path
) -> None:
    web, clock = client
    clock.now = BEFORE
    for name in ("grades.csv", "findings.csv", "inspections.csv", "indicators.csv", "record.json"):
        answer = web.get(f"/data/{name}")
        assert answer.status_code == 200, name
        assert answer.content == (before / name).read_bytes(), name
    grades = web.get("/data/grades.csv")
    assert grades.headers["content-type"].startswith("text/csv")
    assert "attachment" in grades.headers["content-disposition"]
    assert (
        web.get("/data/grades.csv", headers={"If-None-Match": grades.headers["etag"]}).status_code
        == 304
    )
    package = web.get("/data/datapackage.json").json()
    assert package["name"] == "peelkit-open-data"
    assert package["created"] == BEFORE.isoformat() + "Z"


def test_the_web_downloads_cross_the_embargo(
    client: tuple[TestClient, Clock], record: tuple[str, int, int]
) -> None:
    web, clock = client
    _url, draft, embargoed = record
    clock.now = BEFORE
    early = web.get("/data/findings.csv").text
    early_page = web.get("/data").text
    assert EMBARGOED_TEXT not in early and DRAFT_TEXT not in early
    # Built once for what is public now: other files and later minutes before the embargo
    # are served from that build.
    cache = web.app.state.open_data_cache  # type: ignore[attr-defined]
    builds = cache.builds
    web.get("/data/grades.csv")
    clock.now = BEFORE - dt.timedelta(minutes=5)
    web.get("/data/record.json")
    assert cache.builds == builds
    clock.now = AFTER
    late = web.get("/data/findings.csv").text
    assert cache.builds == builds + 1
    assert EMBARGOED_TEXT in late and DRAFT_TEXT not in late
    late_ids = {
        int(r["id"]) for r in csv.DictReader(io.StringIO(web.get("/data/inspections.csv").text))
    }
    assert embargoed in late_ids and draft not in late_ids
    count = re.compile(r"\((\d+) inspections?\)")
    before_count = int(count.search(early_page).group(1))  # type: ignore[union-attr]
    after_count = int(count.search(web.get("/data").text).group(1))  # type: ignore[union-attr]
    assert after_count == before_count + 1
    clock.now = BEFORE


def test_an_unknown_download_is_a_404_from_the_error_model(
    client: tuple[TestClient, Clock],
) -> None:
    web, _clock = client
    answer = web.get("/data/grade.csv", headers={"Accept": "application/json"})
    assert answer.status_code == 404
    error = answer.json()["error"]
    assert error["code"] == "download_not_found" and error["status"] == 404
    assert "grades.csv" in error["message"]
    page = web.get("/data/secrets.txt", headers={"Accept": "text/html"})
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert "download_not_found" in page.text and "Traceback" not in page.text


# --- a bad DIR ---------------------------------------------------------------------------------


def _one_line_error(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("peel: error: "), err
    assert "Traceback" not in err
    return err


def test_a_file_as_dir_is_one_line_and_exit_2(
    record: tuple[str, int, int], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "a-file.txt"
    target.write_text("keep me", encoding="utf-8")
    assert main(["export-open", str(target), "--db", record[0]]) == 2
    assert "is a file" in _one_line_error(capsys)
    assert target.read_text(encoding="utf-8") == "keep me"
    # A folder holding someone else's files is not replaced.
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("mine", encoding="utf-8")
    assert main(["export-open", str(mine), "--db", record[0]]) == 2
    assert "did not write" in _one_line_error(capsys)
    assert [p.name for p in mine.iterdir()] == ["notes.txt"]


def test_an_unwritable_place_is_one_line_and_exit_2(
    record: tuple[str, int, int], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where a folder should be", encoding="utf-8")
    assert main(["export-open", str(blocker / "open-data"), "--db", record[0]]) == 2
    assert "cannot write the open-data folder" in _one_line_error(capsys)
    assert main(["export-open", "/proc/peelkit-open-data", "--db", record[0]]) == 2
    _one_line_error(capsys)


def test_a_failure_while_writing_leaves_the_earlier_folder_intact(
    record: tuple[str, int, int],
    before: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder = tmp_path / "open-data"
    shutil.copytree(before, folder)  # an earlier folder the command wrote
    earlier = {p.name: p.read_bytes() for p in folder.iterdir()}
    real_write = Path.write_bytes
    written: list[str] = []

    def disk_full_on_the_fourth_file(path: Path, data: Any) -> int:
        written.append(path.name)
        if len(written) == 4:
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        return real_write(path, data)

    monkeypatch.setattr(Path, "write_bytes", disk_full_on_the_fourth_file)
    code = main(["export-open", str(folder), "--at", _at(AFTER), "--db", record[0]])
    monkeypatch.undo()
    assert code == 2
    assert "No space left on device" in _one_line_error(capsys)
    assert len(written) == 4
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == earlier
    # Nothing left beside it: no half-written folder.
    assert [p.name for p in tmp_path.iterdir()] == ["open-data"]


# --- the docs ----------------------------------------------------------------------------------


def test_every_file_and_field_is_documented(before: Path) -> None:
    docs = Path(__file__).resolve().parents[2] / "docs" / "open-data.md"
    text = docs.read_text(encoding="utf-8")
    sections = re.split(r"^### `([a-z_]+\.csv)`\s*$", text, flags=re.MULTILINE)
    documented = {sections[i]: sections[i + 1] for i in range(1, len(sections), 2)}
    package = json.loads((before / "datapackage.json").read_text(encoding="utf-8"))
    tables = [r for r in package["resources"] if r["path"].endswith(".csv")]
    assert set(documented) == {r["path"] for r in tables}
    for resource in tables:
        rows = re.findall(r"^\| `([a-z_0-9]+)` \| (\w+) \|", documented[resource["path"]], re.M)
        expected = [(f["name"], f["type"]) for f in resource["schema"]["fields"]]
        assert rows == expected, resource["path"]
    assert "docs/open-data.md" in (docs.parents[1] / "README.md").read_text(encoding="utf-8")
