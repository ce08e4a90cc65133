"""``peel grades load`` on hostile CSVs, made from rows of the real HMICFRS grades file (2014
question rows, 2018/19 pillar rows with quoted commas, 2021/22 area rows): other bytes (a byte
order mark, CRLF, UTF-16, Windows-1252), renamed, cut, wrong headers, bad cells, NUL and far
cells, and files that are no grades file at all.

A right result is read from the input with the csv module: one judgment per distinct row,
each citing its line and printing that line's grade, in one inspection per force and year."""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Callable

import pytest

from tests.reliability.conftest import RAW, REPORTS, CaseRunner
from tests.reliability.harness import GOOD, Case, Effect, Expect, Place, params

GROUP = "grades"
GRADES = RAW / "peel-grades" / "peel_grades.csv"
FILE = "grades.csv"
# The real file's lines used (1 is the header): 2014 rows of three forces, the 2018/19 rows of
# Kent (questions holding commas, so quoted), the 2021/22 area rows of Kent.
LINES = [1, *range(2, 16), *range(739, 745), *range(849, 855)]


def base_text() -> str:
    lines = GRADES.read_text(encoding="utf-8").splitlines()
    return "\n".join(lines[n - 1] for n in LINES) + "\n"


def loaded(text: str) -> Callable[[Effect], str | None]:
    """The grades of ``text`` (the file's content, read with the csv module) were stored."""

    def check(effect: Effect) -> str | None:
        reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline=""))
        # A row's lines: from the one after the previous row's last to its own last (a quoted
        # newline makes a row of two lines; the judgment may cite either end).
        rows: dict[tuple[str, ...], tuple[range, str]] = {}
        last = 1
        for row in reader:
            key = tuple(
                " ".join((row.get(c) or "").split())
                for c in ("year", "force", "pillar", "question")
            )
            lines = range(last + 1, reader.line_num + 1)
            last = reader.line_num
            rows.setdefault(key, (lines, (row.get("grade") or "").strip()))
        judgments = effect.gained("judgment")
        if len(judgments) != len(rows):
            return f"{len(judgments)} judgments stored, the file has {len(rows)} distinct rows"
        by_line = {line: grade for lines, grade in rows.values() for line in (lines[0], lines[-1])}
        for judgment in judgments:
            line = judgment["line_start"]
            if by_line.get(line) != judgment["grade_as_printed"]:
                return (
                    f"the judgment citing line {line} prints {judgment['grade_as_printed']!r}; "
                    f"the line says {by_line.get(line)!r}"
                )
        inspections = {(k[0], k[1]) for k in rows}
        if len(effect.gained("inspection")) != len(inspections):
            return (
                f"{len(effect.gained('inspection'))} inspections stored, the file has "
                f"{len(inspections)} forces and years"
            )
        for table in ("judgment", "inspection", "source_document"):
            for row in effect.gained(table):
                for column, value in row.items():
                    if isinstance(value, str) and "\x00" in value:
                        return f"{table}.{column} stores a NUL"
        return None

    return check


def _load(data: Callable[[], bytes], name: str = FILE) -> Callable[[Place], list[str]]:
    def make(place: Place) -> list[str]:
        place.write(name, data())
        return ["grades", "load", str(place.inputs / name), "--db", place.url]

    return make


def _text(change: Callable[[str], str]) -> Callable[[], bytes]:
    return lambda: change(base_text()).encode("utf-8")


def _lines(change: Callable[[list[str]], list[str]]) -> Callable[[str], str]:
    return lambda text: "\n".join(change(text.splitlines())) + "\n"


def _cell(line: int, column: str, value: str) -> Callable[[str], str]:
    """The cell ``column`` of the file's line ``line`` (1-based) set to ``value``."""

    def change(text: str) -> str:
        rows = list(csv.reader(io.StringIO(text)))
        header = rows[0]
        rows[line - 1][header.index(column)] = value
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(rows)
        return out.getvalue()

    return change


def _result(name: str, change: Callable[[str], str], file: str = FILE) -> Case:
    return Case(name, _load(_text(change), file), Expect.RESULT, check=loaded(change(base_text())))


def _either(name: str, change: Callable[[str], str]) -> Case:
    return Case(
        name, _load(_text(change)), Expect.EITHER, names=(FILE,), check=loaded(change(base_text()))
    )


def _error(name: str, change: Callable[[str], str], *names: str) -> Case:
    return Case(name, _load(_text(change)), Expect.ERROR, names=(FILE, *names))


def _offset_of_cell(line: int, column: str) -> int:
    """Where the cell's text starts in the base file (a cut or a NUL goes there)."""
    text = base_text()
    lines = text.splitlines(keepends=True)
    start = sum(len(x) for x in lines[: line - 1])
    header = next(csv.reader([lines[0]]))
    cells = next(csv.reader([lines[line - 1]]))
    index = header.index(column)
    return start + lines[line - 1].index(cells[index]) + len(cells[index]) // 2


def _encoded(encoding: str) -> Callable[[], bytes]:
    def data() -> bytes:
        text = base_text()
        if encoding == "utf-8-sig":
            return codecs.BOM_UTF8 + text.encode()
        if encoding == "crlf":
            return text.replace("\n", "\r\n").encode()
        return text.encode(encoding)

    return data


def faithful_cases() -> list[Case]:
    cases = [_result("as-it-is", lambda t: t)]
    for encoding in ("utf-8-sig", "crlf", "utf-16", "cp1252"):
        cases.append(
            Case(
                f"as-{encoding}",
                _load(_encoded(encoding)),
                Expect.EITHER if encoding == "utf-16" else Expect.RESULT,
                names=(FILE,),
                check=loaded(base_text()),
            )
        )
    cases += [
        _result("renamed-copy", lambda t: t, "grades (1).csv"),
        _result("named-txt", lambda t: t, "grades.txt"),
        _result("blank-lines-at-the-end", lambda t: t + "\n\n\n"),
        _result("every-cell-quoted", _quoted_everywhere),
        _result("a-row-twice", _lines(lambda ls: [*ls, ls[3]])),
        _either("cells-with-spaces-around", _cell(4, "grade", "  Good  ")),
        _either("columns-in-another-order", _columns_swapped),
        _either(
            "an-extra-column", _lines(lambda ls: [ls[0] + ",note", *(x + ",n" for x in ls[1:])])
        ),
        _either("grade-in-capitals", _cell(5, "grade", "GOOD")),
    ]
    return cases


def _quoted_everywhere(text: str) -> str:
    out = io.StringIO()
    csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n").writerows(
        csv.reader(io.StringIO(text))
    )
    return out.getvalue()


def _columns_swapped(text: str) -> str:
    rows = list(csv.reader(io.StringIO(text)))
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([[r[1], r[0], *r[2:]] for r in rows])
    return out.getvalue()


def bad_cases() -> list[Case]:
    cases = [
        _error("empty", lambda t: ""),
        _error("header-only", lambda t: t.splitlines()[0] + "\n"),
        _error("header-renamed", lambda t: t.replace(",question,", ",questions,", 1), "question"),
        _error("grade-column-missing", _lines(lambda ls: [",".join(x.split(",")[:4]) for x in ls])),
        _error("no-header", _lines(lambda ls: ls[1:])),
        _error("an-unknown-force", _cell(3, "force", "Atlantis Police"), "line 3", "Atlantis"),
        _error("an-unknown-grade", _cell(4, "grade", "Excellent"), "line 4", "Excellent"),
        _error("an-empty-grade", _cell(4, "grade", ""), "line 4"),
        _error("an-unknown-year", _cell(5, "year", "2019"), "line 5", "2019"),
        _error("a-negative-year", _cell(5, "year", "-1"), "line 5"),
        _error("a-year-of-23-digits", _cell(5, "year", "12345678901234567890123"), "line 5"),
        _error("an-unknown-question", _cell(6, "question", "How well does it juggle?"), "line 6"),
        _error("a-nul-in-a-grade", _cell(4, "grade", "Go\x00od"), "line 4"),
        Case(
            "a-nul-after-a-force",
            _load(_text(_cell(4, "force", "Avon and Somerset\x00"))),
            Expect.EITHER,
            names=(FILE, "line 4"),
            check=loaded(base_text()),
        ),
        _error(
            "a-conflicting-row",
            _lines(lambda ls: [*ls, ls[1].replace(",Good,", ",Inadequate,")]),
            "line 28",
        ),
        _error(
            "a-row-of-20000-cells",
            _lines(lambda ls: [*ls[:3], ls[3] + "," * 20_000, *ls[4:]]),
            "line 4",
        ),
        _error(
            "an-unclosed-quote",
            _lines(
                lambda ls: [
                    *ls[:5],
                    ls[5].replace(",Requires improvement,", ',"Requires improvement,'),
                    *ls[6:],
                ]
            ),
        ),
        Case(
            "a-nul-in-a-url",
            _load(_text(_cell(7, "source_url", "https://example.org/\x00page"))),
            Expect.EITHER,
            names=(FILE,),
            check=loaded(_cell(7, "source_url", "https://example.org/page")(base_text())),
        ),
        _either("a-url-of-1-MB", _cell(7, "source_url", "https://example.org/" + "p" * 1_000_000)),
        _either("a-quoted-newline-in-a-question", _cell(24, "question", "Investigating\ncrime")),
    ]
    for share, column in ((0.3, "grade"), (0.6, "force"), (0.9, "grade")):
        line = max(2, int(len(LINES) * share))
        offset = _offset_of_cell(line, column)
        cases.append(
            Case(
                f"cut-in-the-{column}-of-line-{line}",
                _load(_cut_at(offset)),
                Expect.ERROR,
                names=(FILE, f"line {line}"),
            )
        )
    cases.append(
        Case(
            "cut-at-the-end-of-a-line",
            _load(lambda: "".join(base_text().splitlines(keepends=True)[:10]).encode()),
            Expect.RESULT,
            check=loaded("".join(base_text().splitlines(keepends=True)[:10])),
        )
    )
    for offset in (0, 1, 40, 2000, -2):
        # 2000 and -2 fall in a source_url cell; the others in the header.
        cases.append(
            Case(
                f"a-nul-byte-at-{offset}",
                _load(_nul_at(offset)),
                Expect.EITHER,
                names=(FILE,),
                check=loaded(base_text()),
            )
        )
    return cases


def _cut_at(offset: int) -> Callable[[], bytes]:
    return lambda: base_text().encode()[:offset]


def _nul_at(offset: int) -> Callable[[], bytes]:
    return lambda: _put(base_text().encode(), offset, b"\x00")


def _put(data: bytes, offset: int, inserted: bytes) -> bytes:
    at = offset if offset >= 0 else len(data) + offset
    return data[:at] + inserted + data[at:]


def not_grades_cases() -> list[Case]:
    def folder(place: Place) -> list[str]:
        (place.inputs / "grades").mkdir()
        return ["grades", "load", str(place.inputs / "grades"), "--db", place.url]

    def missing(place: Place) -> list[str]:
        return ["grades", "load", str(place.inputs / "gone.csv"), "--db", place.url]

    def again(place: Place) -> list[str]:
        path = place.write(FILE, base_text())
        from tests.reliability.conftest import quietly

        quietly(["grades", "load", str(path), "--db", place.url])
        return ["grades", "load", str(path), "--db", place.url]

    xlsx = RAW / "ons-pfa-tables-2018-2019" / "pfatablesdec19.xlsx"
    return [
        Case("binary", _load(lambda: bytes(range(256)) * 20), Expect.ERROR, names=(FILE,)),
        Case(
            "a-workbook",
            _load(lambda: xlsx.read_bytes(), "grades.xlsx"),
            Expect.ERROR,
            names=("grades.xlsx",),
        ),
        Case(
            "a-report",
            _load(lambda: (REPORTS / "003_02b487485919232c.txt").read_bytes()),
            Expect.ERROR,
            names=(FILE,),
        ),
        Case(
            "the-groups-csv",
            _load(lambda: b"year,force,msg_force\n2018/19,Kent,Essex\n"),
            Expect.ERROR,
            names=(FILE,),
        ),
        Case("a-folder", folder, Expect.ERROR, names=("grades",)),
        Case("a-missing-file", missing, Expect.ERROR, names=("gone.csv",)),
        Case("loaded-twice", again, Expect.RESULT, check=lambda effect: effect.unchanged()),
    ]


CASES = faithful_cases() + bad_cases() + not_grades_cases()


@pytest.mark.parametrize("case", params(CASES))
def test_grades_load(case: Case, peel_case: CaseRunner) -> None:
    outcome = peel_case(GROUP, case)
    assert outcome.verdict in GOOD, outcome.describe(case)
