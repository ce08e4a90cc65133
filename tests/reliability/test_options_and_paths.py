"""Bad options and output paths: exports and reports into a missing folder, onto a folder,
through a file, over an earlier file (replaced whole), onto a read-only file or folder or a full
disk (the earlier file kept whole); ids of 23 digits, past 32 bits, 0 and negative; years and
months that are none; names of nothing (a force, a framework, an area, a grade, a kind); values
longer than the record holds; and typer's own usage errors. Each on a copy of the ``record``
database (the Kent inspection there is id 1)."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from tests.reliability.conftest import CaseRunner
from tests.reliability.harness import GOOD, Case, Effect, Expect, Place, params
from tests.reliability.runs import fill

GROUP = "options and paths"
TWENTY_THREE_DIGITS = "12345678901234567890123"
PAST_32_BITS = str(2**31)
KENT_2017 = "1"  # the Kent inspection of the record database (the first it was given)
EARLIER = '{"format": "peelkit-record", "an": "earlier export"}\n'

Make = Callable[[Place], list[str]]


def _peel(*args: str) -> Make:
    """``peel ARGS --db URL``; ``OUT/`` in an argument is the case's output folder."""

    def make(place: Place) -> list[str]:
        given = [a.replace("OUT/", f"{place.outputs}/") for a in args]
        return [*given, "--db", place.url]

    return make


def _after(prepare: Callable[[Place], None], make: Make) -> Make:
    def made(place: Place) -> list[str]:
        prepare(place)
        return make(place)

    return made


def _earlier_export(place: Place) -> None:
    (place.outputs / "record.json").write_text(EARLIER, encoding="utf-8")


def _exported(effect: Effect) -> str | None:
    """The export is the whole record (its inspections those the database holds)."""
    written = json.loads((effect.place.outputs / "record.json").read_text(encoding="utf-8"))
    held = sorted(i["id"] for i in effect.rows("inspection"))
    listed = sorted(i["id"] for i in written["inspections"])
    return None if listed == held else f"the export lists inspections {listed}, not {held}"


def _error(name: str, make: Make, *names: str) -> Case:
    return Case(name, make, Expect.ERROR, names=names)


def export_cases() -> list[Case]:
    def read_only_export(place: Place) -> None:
        _earlier_export(place)
        place.immutable(place.outputs / "record.json")

    def read_only_folder(place: Place) -> None:
        place.immutable(place.outputs)

    def notes(place: Place) -> None:
        (place.outputs / "notes.txt").write_text("mine\n", encoding="utf-8")

    def full_disk(place: Place) -> list[str]:
        disk = place.small_disk("out/disk")
        (disk / "record.json").write_text(EARLIER, encoding="utf-8")
        fill(disk)
        return ["export", str(disk / "record.json"), "--db", place.url]

    return [
        _error(
            "export-into-a-missing-folder", _peel("export", "OUT/missing/record.json"), "missing"
        ),
        _error("export-onto-a-folder", _peel("export", "OUT/"), "is a folder"),
        _error(
            "export-through-a-file",
            _after(notes, _peel("export", "OUT/notes.txt/record.json")),
            "notes.txt",
        ),
        _error(
            "export-onto-a-read-only-export",
            _after(read_only_export, _peel("export", "OUT/record.json")),
            "record.json",
        ),
        _error(
            "export-into-a-read-only-folder",
            _after(read_only_folder, _peel("export", "OUT/record.json")),
            "record.json",
        ),
        _error("export-over-an-export-on-a-full-disk", full_disk, "record.json"),
        _error(
            "export-to-a-name-of-300-characters",
            _peel("export", "OUT/" + "r" * 300 + ".json"),
            "rrrr",
        ),
        Case(
            "export-over-an-earlier-export",
            _after(_earlier_export, _peel("export", "OUT/record.json")),
            Expect.RESULT,
            check=_exported,
            targets=("out/record.json",),
        ),
        Case(
            "export-beside-other-files",
            _after(notes, _peel("export", "OUT/record.json")),
            Expect.RESULT,
            check=_exported,
            targets=("out/record.json",),
        ),
    ]


KENT_REPORT = ("report", "Kent", "--framework", "peel-2017", "--year", "2017")


def _report_written(name: str, *, warned: bool) -> Callable[[Effect], str | None]:
    def check(effect: Effect) -> str | None:
        path = effect.place.outputs / name
        if not path.is_file():
            return f"{name} was not written"
        text = path.read_text(encoding="utf-8")
        if "<html" not in text.lower():
            return f"{name} is no HTML page"
        if warned != ("peel: warning:" in effect.run.err):
            return "a warning was " + ("missing" if warned else "printed")
        return None

    return check


def report_cases() -> list[Case]:
    def earlier(place: Place) -> None:
        (place.outputs / "kent-peel-2017.html").write_text("<html>earlier</html>\n")
        (place.outputs / "notes.txt").write_text("mine\n", encoding="utf-8")

    def a_file(place: Place) -> None:
        (place.outputs / "reports").write_text("a file\n", encoding="utf-8")

    def read_only(place: Place) -> None:
        place.immutable(place.outputs)

    return [
        Case(
            "report-over-an-earlier-report",
            _after(earlier, _peel(*KENT_REPORT, "--out", "OUT/")),
            Expect.RESULT,
            check=_report_written("kent-peel-2017.html", warned=False),
            targets=("out/kent-peel-2017.html",),
        ),
        Case(
            "report-into-a-new-folder",
            _peel(*KENT_REPORT, "--out", "OUT/new/reports"),
            Expect.RESULT,
            check=_report_written("new/reports/kent-peel-2017.html", warned=False),
            targets=("out/new",),
        ),
        Case(
            "report-of-a-force-with-no-record",
            _peel("report", "Durham", "--framework", "peel-2017", "--out", "OUT/"),
            Expect.RESULT,
            check=_report_written("durham-peel-2017.html", warned=True),
            targets=("out/durham-peel-2017.html",),
        ),
        _error(
            "report-out-a-file",
            _after(a_file, _peel(*KENT_REPORT, "--out", "OUT/reports")),
            "--out",
        ),
        _error(
            "report-out-a-read-only-folder",
            _after(read_only, _peel(*KENT_REPORT, "--out", "OUT/")),
            "--out",
        ),
        _error(
            "report-of-atlantis",
            _peel("report", "Atlantis", "--framework", "peel-2017", "--out", "OUT/"),
            "Atlantis",
        ),
        _error(
            "report-of-an-unknown-framework",
            _peel("report", "Kent", "--framework", "peel-1999", "--out", "OUT/"),
            "peel-1999",
        ),
        _error(
            "report-without-a-framework", _peel("report", "Kent", "--out", "OUT/"), "--framework"
        ),
        _error(
            "report-of-a-force-and-national",
            _peel("report", "Kent", "--national", "--out", "OUT/"),
            "--national",
        ),
        _error(
            "report-year-minus-1", _peel(*KENT_REPORT[:4], "--year", "-1", "--out", "OUT/"), "-1"
        ),
        _error(
            "report-year-0000", _peel(*KENT_REPORT[:4], "--year", "0000", "--out", "OUT/"), "--year"
        ),
        _error(
            "report-year-of-23-digits",
            _peel(*KENT_REPORT[:4], "--year", TWENTY_THREE_DIGITS, "--out", "OUT/"),
            "--year",
        ),
        Case(
            "report-format-bogus",
            _peel(*KENT_REPORT, "--format", "docx", "--out", "OUT/"),
            Expect.USAGE,
            names=("--format",),
        ),
    ]


def open_data_cases() -> list[Case]:
    def a_file(place: Place) -> None:
        (place.outputs / "open").write_text("a file\n", encoding="utf-8")

    def users_folder(place: Place) -> None:
        (place.outputs / "open").mkdir()
        (place.outputs / "open" / "thesis.docx").write_bytes(b"my thesis")

    return [
        _error("open-data-onto-a-file", _after(a_file, _peel("export-open", "OUT/open")), "open"),
        _error(
            "open-data-into-a-folder-of-other-files",
            _after(users_folder, _peel("export-open", "OUT/open")),
            "open",
        ),
        _error(
            "open-data-at-a-time-that-is-none",
            _peel("export-open", "OUT/open", "--at", "yesterday"),
            "--at",
        ),
    ]


ID_COMMANDS: list[tuple[str, tuple[str, ...]]] = [
    ("show", ("inspections", "show", "ID")),
    ("delete", ("inspections", "delete", "ID")),
    ("publish", ("inspections", "publish", "ID")),
    ("judgment", ("judgments", "add", "ID", "effectiveness", "Good")),
    ("finding", ("findings", "add", "ID", "strength", "A strength.")),
    ("audit", ("audit", "--inspection", "ID")),
    ("history", ("followup", "history", "ID")),
]


def id_cases() -> list[Case]:
    cases = []
    for label, command in ID_COMMANDS:
        for name, value in (
            ("23-digits", TWENTY_THREE_DIGITS),
            ("past-32-bits", PAST_32_BITS),
            ("zero", "0"),
        ):
            args = [value if part == "ID" else part for part in command]
            cases.append(_error(f"id-{name}-{label}", _peel(*args), value))
    cases += [
        _error(
            "id-negative-show", lambda p: ["inspections", "show", "--db", p.url, "--", "-1"], "-1"
        ),
        _error("id-not-in-the-record", _peel("inspections", "show", "99999"), "99999"),
        _error(
            "id-largest-not-in-the-record", _peel("followup", "history", "2147483647"), "2147483647"
        ),
        Case("id-not-a-number", _peel("inspections", "show", "abc"), Expect.USAGE, names=("ID",)),
    ]
    return cases


INDICATOR = ("indicators", "Met", "--indicator", "recorded_crime_per_1000")


def year_cases() -> list[Case]:
    return [
        _error("month-13", _peel(*INDICATOR, "--month", "2019-13"), "2019-13"),
        _error("month-of-two-digit-year", _peel(*INDICATOR, "--month", "19-03"), "19-03"),
        _error("month-0000", _peel(*INDICATOR, "--month", "0000-03"), "--month"),
        _error(
            "population-year-minus-1",
            _peel(*INDICATOR, "--month", "2019-03", "--population-year", "-1"),
            "--population-year",
        ),
        _error(
            "population-year-of-23-digits",
            _peel(*INDICATOR, "--month", "2019-03", "--population-year", TWENTY_THREE_DIGITS),
            "--population-year",
        ),
        _error("groups-year-0001", _peel("groups", "Met", "--year", "0001"), "--year"),
        _error("search-year-0000", _peel("findings", "search", "--year", "0000"), "--year"),
        _error(
            "an-unknown-indicator",
            _peel("indicators", "Met", "--indicator", "happiness_per_1000", "--month", "2019-03"),
            "happiness_per_1000",
        ),
        _error(
            "indicators-of-atlantis",
            _peel("indicators", "Atlantis", "--month", "2019-03"),
            "Atlantis",
        ),
    ]


def _gained_one(check: Callable[[dict[str, object]], str | None]) -> Callable[[Effect], str | None]:
    def verify(effect: Effect) -> str | None:
        gained = effect.gained("inspection")
        if len(gained) != 1:
            return f"gained {len(gained)} inspections"
        return check(gained[0])

    return verify


def _title_kept(title: str) -> Callable[[Effect], str | None]:
    return _gained_one(lambda row: None if row["title"] == title else "the title was changed")


def _within_its_column(column: str, length: int) -> Callable[[Effect], str | None]:
    """A value stored must fit the column the export schema gives it (else the record holds
    what its own export cannot load)."""

    def check(row: dict[str, object]) -> str | None:
        value = row[column]
        if isinstance(value, str) and len(value) > length:
            return f"{column} of {len(value)} characters stored in a column of {length}"
        return None

    return _gained_one(check)


ADD = ("inspections", "add", "Essex", "--framework", "peel-2017")


def name_cases() -> list[Case]:
    long_title = "PEEL 2017 " * 1000
    return [
        _error(
            "add-of-atlantis",
            _peel("inspections", "add", "Atlantis", "--framework", "peel-2017"),
            "Atlantis",
        ),
        _error(
            "add-of-an-unknown-framework",
            _peel("inspections", "add", "Essex", "--framework", "peel-1999"),
            "peel-1999",
        ),
        _error(
            "add-published-on-30-february", _peel(*ADD, "--published", "2019-02-30"), "--published"
        ),
        _error("add-with-an-unknown-status", _peel(*ADD, "--status", "lost"), "lost"),
        _error(
            "add-embargoed-until-tomorrow", _peel(*ADD, "--embargo-until", "tomorrow"), "tomorrow"
        ),
        Case(
            "add-of-a-year-its-framework-is-not",
            _peel(*ADD, "--year", "2014"),
            Expect.ERROR,
            names=("2014",),
        ),
        _error(
            "judgment-of-an-unknown-area",
            _peel("judgments", "add", KENT_2017, "juggling", "Good", "--reason", "a correction"),
            "juggling",
        ),
        _error(
            "judgment-of-an-unknown-grade",
            _peel(
                "judgments", "add", KENT_2017, "effectiveness", "Superb", "--reason", "a correction"
            ),
            "Superb",
        ),
        _error(
            "finding-of-an-unknown-kind",
            _peel("findings", "add", KENT_2017, "marvel", "A marvel.", "--reason", "a correction"),
            "marvel",
        ),
        _error("search-limit-0", _peel("findings", "search", "--limit", "0"), "--limit"),
        _error("search-limit-201", _peel("findings", "search", "--limit", "201"), "--limit"),
        _error("search-limit-negative", _peel("findings", "search", "--limit", "-5"), "--limit"),
        _error(
            "search-after-garbage",
            _peel("findings", "search", "--after", "not-a-cursor"),
            "--after",
        ),
        Case(
            "add-with-a-title-of-10000-characters",
            _peel(*ADD, "--title", long_title),
            Expect.RESULT,
            check=_title_kept(long_title),
        ),
        Case(
            "add-with-an-inspector-of-300-characters",
            _peel(*ADD, "--hm-inspector", "M" * 300),
            Expect.EITHER,
            names=("hm_inspector",),
            check=_within_its_column("hm_inspector", 200),
        ),
        Case(
            "add-entered-by-300-characters",
            _peel(*ADD, "--entered-by", "e" * 300),
            Expect.EITHER,
            names=("entered_by",),
            check=_within_its_column("entered_by", 100),
        ),
        Case(
            "an-unknown-option",
            _peel("inspections", "--colour", "red"),
            Expect.USAGE,
            names=("--colour",),
        ),
        Case("export-without-its-file", _peel("export"), Expect.USAGE, names=("FILE",)),
    ]


CASES = (
    export_cases() + report_cases() + open_data_cases() + id_cases() + year_cases() + name_cases()
)


@pytest.mark.parametrize("case", params(CASES))
def test_option_or_path(case: Case, peel_case: CaseRunner) -> None:
    outcome = peel_case(GROUP, case)
    assert outcome.verdict in GOOD, outcome.describe(case)
