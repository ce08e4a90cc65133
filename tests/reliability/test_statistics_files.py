"""``peel data import`` on hostile statistics files, made from real ones in ../shared/data/raw:
the ONS Table P1 saved as CSV, the ONS population CSV, a police.uk street file, an ONS PFA
workbook (.xlsx) and a Home Office workforce workbook (.ods). Other bytes and names, cut
files, wrong headers, cells that are no numbers, far cells (one cell at XFD1048576 made the
spreadsheet reader ask for 512 GiB), NUL bytes, and files that are no statistics at all.

A right result is checked against the input: every stored figure is the number printed in the
cell it cites (read here with the csv module, openpyxl or odfpy), and a copy in other bytes or
under another name stores as many figures as the original."""

from __future__ import annotations

import codecs
import csv
import io
import math
import re
import zipfile
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from tests.reliability.conftest import RAW, CaseRunner, Prepared
from tests.reliability.harness import GOOD, Case, Effect, Expect, Place, params
from tests.reliability.runs import run_peel

GROUP = "data import"
P1_CSV = RAW / "ons-pfa-tables-yejun2025" / "tableP1_pfa_yejun2025.csv"
POPULATION = RAW / "pfa-boundaries-2016-popm" / "pfa_population_mid2018_households_2017.csv"
STREET = RAW / "police-uk-street-samples" / "city-of-london" / "2022-07-city-of-london-street.csv"
WORKBOOK = RAW / "ons-pfa-tables-2018-2019" / "pfatablesdec19.xlsx"
WORKFORCE = RAW / "home-office-police-workforce-2014-2019" / "police-workforce-tables-sep16.ods"
# PFA codes of England (E23) and Wales (W15): the rows of a table that are forces.
FORCE_CODE = re.compile(r"^(E23|W15)\d{6}$")


def _number(text: Any) -> float | None:
    if isinstance(text, int | float):
        return float(text)
    cleaned = str(text).replace(",", "").strip()
    try:
        return float(cleaned)
    except ValueError:
        return None


def _column_index(column: str, header: list[str]) -> int:
    if column in header:
        return header.index(column)
    index = 0
    for letter in column:
        index = index * 26 + ord(letter.upper()) - 64
    return index - 1


Cells = Callable[[str | None, int, str], Any]


def csv_cells(text: str, header_row: int = 1) -> Cells:
    """A cell of a CSV by its row (1-based record number) and its column (a letter or the
    header's name)."""
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline="")))
    header = rows[header_row - 1] if rows else []

    def cell(_sheet: str | None, row: int, column: str) -> Any:
        return rows[row - 1][_column_index(column, header)]

    return cell


def figures_printed(
    cells: Callable[[], Cells], count: Callable[[Prepared], int] | None
) -> Callable[[Effect], str | None]:
    """Every gained figure is the number in the cell it cites; ``count`` figures in all."""

    def check(effect: Effect) -> str | None:
        gained = effect.gained("observation")
        if not gained:
            return "no figures stored"
        if count is not None and len(gained) != count(effect.place.prepared):
            return (
                f"{len(gained)} figures stored, the original gives {count(effect.place.prepared)}"
            )
        read = cells()
        for figure in gained:
            try:
                printed = read(figure["sheet"], figure["row"], figure["column"])
            except (IndexError, KeyError) as exc:
                return f"figure {figure['measure']} cites a cell the file lacks ({exc})"
            number = _number(printed)
            value = float(figure["value"])
            if number is None or abs(number - value) > 1e-9 * max(1.0, abs(value)):
                return (
                    f"{figure['measure']} of {figure['force_id']} is {figure['value']}, the cell "
                    f"({figure['sheet']}, row {figure['row']}, column {figure['column']}) prints "
                    f"{printed!r}"
                )
        return None

    return check


def pristine_count(path: Path) -> Callable[[Prepared], int]:
    """How many figures the original file gives (imported once a session)."""

    def build(prepared: Prepared) -> int:
        folder = prepared.scratch(f"statistics-{path.stem}")
        database = prepared.copy_of("record", folder)
        run = run_peel(["data", "import", str(path), "--db", f"sqlite:///{database}", "--json"])
        assert run.code == 0, run.err
        (item,) = run.json()
        count = item["observations"]
        assert isinstance(count, int)
        return count

    return lambda prepared: prepared.reference(f"count:{path}", build)


def _import(name: str, data: Callable[[], bytes]) -> Callable[[Place], list[str]]:
    def make(place: Place) -> list[str]:
        place.write(name, data())
        return ["data", "import", str(place.inputs / name), "--db", place.url]

    return make


def _text_of(path: Path) -> str:
    return path.read_text(encoding="utf-8-sig")


def _inserted(data: bytes, offset: int, inserted: bytes) -> Callable[[], bytes]:
    return lambda: _put(data, offset, inserted)


def _encoded_text(text: str) -> Callable[[], bytes]:
    return lambda: text.encode()


def _put(data: bytes, offset: int, inserted: bytes) -> bytes:
    at = offset if offset >= 0 else len(data) + offset
    return data[:at] + inserted + data[at:]


# --- CSVs ----------------------------------------------------------------------------------


def csv_cases(path: Path, label: str, header_row: int) -> list[Case]:
    original = _text_of(path)
    raw = path.read_bytes()
    same = pristine_count(path)
    cells_of_original = lambda: csv_cells(original, header_row)  # noqa: E731

    def right(
        name: str, file: str, data: Callable[[], bytes], expect: Expect = Expect.RESULT
    ) -> Case:
        return Case(
            f"{label}-{name}",
            _import(file, data),
            expect,
            names=(file,),
            check=figures_printed(cells_of_original, same),
        )

    def altered(name: str, text: Callable[[], str], expect: Expect = Expect.EITHER) -> Case:
        return Case(
            f"{label}-{name}",
            _import(path.name, lambda: text().encode()),
            expect,
            names=(path.name,),
            check=figures_printed(lambda: csv_cells(text(), header_row), None),
        )

    def cut_short(share: float) -> Case:
        # The cut is checked against the original: a number cut in two is not the number.
        at = int(len(raw) * share)
        return Case(
            f"{label}-cut-at-{share:.0%}",
            _import(path.name, lambda: raw[:at]),
            Expect.EITHER,
            names=(path.name,),
            check=figures_printed(cells_of_original, None),
        )

    lines = original.splitlines()
    cases = [
        right("as-it-is", path.name, lambda: raw),
        right("renamed-copy", f"{path.stem} (1).csv", lambda: raw),
        right("named-in-capitals", path.name.upper(), lambda: raw),
        right("with-a-byte-order-mark", path.name, lambda: codecs.BOM_UTF8 + raw),
        right("with-crlf", path.name, lambda: original.replace("\n", "\r\n").encode()),
        right("in-utf-16", path.name, lambda: original.encode("utf-16"), Expect.EITHER),
        right("with-blank-lines-at-the-end", path.name, lambda: raw + b"\n\n\n", Expect.EITHER),
        cut_short(0.3),
        cut_short(0.6),
        cut_short(0.97),
        altered(
            "a-row-of-20000-cells",
            lambda: "\n".join([*lines[:-2], lines[-2] + "," * 20_000, lines[-1]]) + "\n",
        ),
        altered("a-row-twice", lambda: "\n".join([*lines, lines[-1]]) + "\n"),
        altered("an-extra-column", lambda: "\n".join(x + ",extra" for x in lines) + "\n"),
        Case(f"{label}-empty", _import(path.name, lambda: b""), Expect.ERROR, names=(path.name,)),
        Case(
            f"{label}-header-only",
            _import(path.name, lambda: ("\n".join(lines[:header_row]) + "\n").encode()),
            Expect.ERROR,
            names=(path.name,),
        ),
        Case(
            f"{label}-binary",
            _import(path.name, lambda: bytes(range(256)) * 64),
            Expect.ERROR,
            names=(path.name,),
        ),
    ]
    for offset in (0, 1, 100, 4096, -3):
        cases.append(
            Case(
                f"{label}-a-nul-at-{offset}",
                _import(path.name, _inserted(raw, offset, b"\x00")),
                Expect.EITHER,
                names=(path.name,),
                check=figures_printed(cells_of_original, None),
            )
        )
    return cases


def _first_force_row(text: str, header_row: int) -> int:
    rows = list(csv.reader(io.StringIO(text, newline="")))
    return next(
        i + 1 for i, row in enumerate(rows) if i >= header_row and row and FORCE_CODE.match(row[0])
    )


def _set_cell(text: str, row: int, column: int, value: str) -> str:
    rows = list(csv.reader(io.StringIO(text, newline="")))
    rows[row - 1][column] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def cell_cases(path: Path, label: str, header_row: int, column: int) -> list[Case]:
    """One number cell of the first force's row given something that is no count."""
    original = _text_of(path)
    row = _first_force_row(original, header_row)
    cases = []
    for name, value in (
        ("suppressed", "[x]"),
        ("negative", "-5"),
        ("23-digits", "12345678901234567890123"),
        ("1e400", "1e400"),
        ("words", "not available"),
        ("a-fraction", "12.5"),
    ):
        text = _set_cell(original, row, column, value)
        cases.append(
            Case(
                f"{label}-a-count-{name}",
                _import(path.name, _encoded_text(text)),
                Expect.EITHER,
                names=(path.name,),
                check=_numbers_only(text, header_row, row, column, value),
            )
        )
    renamed = original.replace("Area Code", "Area", 1).replace("code,name", "id,name", 1)
    cases.append(
        Case(
            f"{label}-its-code-column-renamed",
            _import(path.name, lambda: renamed.encode()),
            Expect.EITHER,
            names=(path.name,),
            check=figures_printed(lambda: csv_cells(renamed, header_row), None),
        )
    )
    return cases


def _numbers_only(
    text: str, header_row: int, row: int, column: int, value: str
) -> Callable[[Effect], str | None]:
    """The other cells stored as they print; the changed one stored only if it is a count
    (a negative one only beside a problem naming its row: kept as published, and said)."""
    printed = figures_printed(lambda: csv_cells(text, header_row), None)
    records = list(csv.reader(io.StringIO(text, newline="")))
    names = {_letter(column), records[header_row - 1][column]}

    def check(effect: Effect) -> str | None:
        problem = printed(effect)
        if problem:
            return problem
        stored = [
            o for o in effect.gained("observation") if o["row"] == row and o["column"] in names
        ]
        said = any(p["row"] == row for p in effect.gained("data_problem"))
        number = _number(value)
        storable = (
            number is not None
            and math.isfinite(number)
            and number == int(number)
            and abs(number) < 2**53
            and (number >= 0 or said)
        )
        if stored and not storable:
            return f"{value!r} was stored as a figure ({stored[0]['measure']}) with no problem"
        return None

    return check


def _letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def street_cases() -> list[Case]:
    raw = STREET.read_bytes()
    text = _text_of(STREET)

    def rows_in(content: str) -> int:
        """Crimes: rows of the full width but anti-social behaviour incidents, which police.uk
        lists beside crimes (the measure's definition, sources/measures.yaml)."""
        records = list(csv.reader(io.StringIO(content, newline="")))
        width = len(records[0])
        kind = records[0].index("Crime type")
        return sum(1 for r in records[1:] if len(r) == width and r[kind] != "Anti-social behaviour")

    def crimes(content: Callable[[], str]) -> Callable[[Effect], str | None]:
        def check(effect: Effect) -> str | None:
            gained = effect.gained("observation")
            expected = rows_in(content())
            if [o["value"] for o in gained] != [expected]:
                return f"stored {[o['value'] for o in gained]}, the file has {expected} crimes"
            return None

        return check

    cut = len(raw) // 2 + 17  # mid-line
    return [
        Case(
            "street-as-it-is",
            _import(STREET.name, lambda: raw),
            Expect.RESULT,
            check=crimes(lambda: text),
        ),
        Case(
            "street-renamed",
            _import("street.csv", lambda: raw),
            Expect.EITHER,
            names=("street.csv",),
            check=crimes(lambda: text),
        ),
        Case(
            "street-with-crlf",
            _import(STREET.name, lambda: text.replace("\n", "\r\n").encode()),
            Expect.RESULT,
            check=crimes(lambda: text),
        ),
        Case(
            "street-cut-mid-line",
            _import(STREET.name, lambda: raw[:cut]),
            Expect.EITHER,
            names=(STREET.name,),
            check=crimes(lambda: raw[:cut].decode()),
        ),
        Case(
            "street-header-only",
            _import(STREET.name, lambda: raw.split(b"\n")[0] + b"\n"),
            Expect.EITHER,
            names=(STREET.name,),
            check=crimes(lambda: raw.split(b"\n")[0].decode() + "\n"),
        ),
    ]


# --- workbooks -----------------------------------------------------------------------------


def _sheet_member(archive: zipfile.ZipFile, sheet: str) -> str:
    """The zip member of a sheet, through the workbook and its relationships."""
    workbook = archive.read("xl/workbook.xml").decode()
    rid = re.search(rf'<sheet name="{re.escape(sheet)}"[^>]*r:id="([^"]+)"', workbook)
    assert rid, sheet
    rels = archive.read("xl/_rels/workbook.xml.rels").decode()
    target = re.search(
        rf'<Relationship Id="{rid.group(1)}"[^>]*Target="([^"]+)"', rels
    ) or re.search(rf'<Relationship [^>]*Target="([^"]+)"[^>]*Id="{rid.group(1)}"', rels)
    assert target, rid.group(1)
    return "xl/" + target.group(1).lstrip("/").removeprefix("xl/")


def _rezipped(source: Path, member: str, change: Callable[[str], str]) -> bytes:
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(source) as original,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as copy,
    ):
        for item in original.infolist():
            data = original.read(item.filename)
            if item.filename == member:
                data = change(data.decode()).encode()
            copy.writestr(item, data)
    return buffer.getvalue()


def _in_sheet(change: Callable[[str], str]) -> Callable[[], bytes]:
    def data() -> bytes:
        with zipfile.ZipFile(WORKBOOK) as archive:
            member = _sheet_member(archive, "Table P1")
        return _rezipped(WORKBOOK, member, change)

    return data


@cache
def _workbook_cells() -> dict[tuple[str, int, str], Any]:
    import openpyxl  # type: ignore[import-untyped]

    book = openpyxl.load_workbook(WORKBOOK, read_only=True, data_only=True)
    found: dict[tuple[str, int, str], Any] = {}
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is not None and hasattr(cell, "column_letter"):
                    found[(sheet.title, cell.row, cell.column_letter)] = cell.value
    book.close()
    return found


def workbook_cells() -> Cells:
    found = _workbook_cells()
    return lambda sheet, row, column: found[(sheet or "", row, column)]


@cache
def _workforce_cells() -> dict[tuple[str, int, str], Any]:
    import pandas as pd

    found: dict[tuple[str, int, str], Any] = {}
    for name, frame in pd.read_excel(WORKFORCE, sheet_name=None, header=None, engine="odf").items():
        for (r, c), value in frame.stack().items():  # type: ignore[misc]
            letters = ""
            n = int(c) + 1
            while n:
                n, rest = divmod(n - 1, 26)
                letters = chr(65 + rest) + letters
            found[(str(name), int(r) + 1, letters)] = value
    return found


def workforce_cells() -> Cells:
    found = _workforce_cells()
    return lambda sheet, row, column: found[(sheet or "", row, column)]


FAR_CELL = '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>'


def workbook_cases() -> list[Case]:
    raw = WORKBOOK.read_bytes()
    same = pristine_count(WORKBOOK)
    printed = figures_printed(workbook_cells, same)
    workforce = WORKFORCE.read_bytes()
    workforce_same = pristine_count(WORKFORCE)

    def text_cell(xml: str) -> str:
        """Cleveland's total (C10, 69197) as the text n/a."""
        number = '<c r="C10" s="19"><v>69197</v></c>'
        assert number in xml
        return xml.replace(number, '<c r="C10" t="inlineStr"><is><t>n/a</t></is></c>', 1)

    return [
        Case("xlsx-as-it-is", _import(WORKBOOK.name, lambda: raw), Expect.RESULT, check=printed),
        Case(
            "xlsx-renamed-copy",
            _import(f"{WORKBOOK.stem} (1).xlsx", lambda: raw),
            Expect.RESULT,
            check=printed,
        ),
        Case("xlsx-named-data", _import("data.xlsx", lambda: raw), Expect.RESULT, check=printed),
        Case(
            "xlsx-named-csv",
            _import("table.csv", lambda: raw),
            Expect.EITHER,
            names=("table.csv",),
            check=printed,
        ),
        Case(
            "xlsx-with-a-far-cell",
            _import(WORKBOOK.name, _in_sheet(lambda x: x.replace("</sheetData>", FAR_CELL))),
            Expect.ERROR,
            names=(WORKBOOK.name, "XFD1048576"),
            own_process=True,
        ),
        Case(
            "xlsx-a-count-as-text",
            _import(WORKBOOK.name, _in_sheet(text_cell)),
            Expect.EITHER,
            names=(WORKBOOK.name,),
            check=figures_printed(workbook_cells, None),
        ),
        Case(
            "xlsx-cut-at-50%",
            _import(WORKBOOK.name, lambda: raw[: len(raw) // 2]),
            Expect.ERROR,
            names=(WORKBOOK.name,),
        ),
        Case(
            "xlsx-cut-at-99%",
            _import(WORKBOOK.name, lambda: raw[: len(raw) - 200]),
            Expect.ERROR,
            names=(WORKBOOK.name,),
        ),
        Case(
            "xlsx-a-zip-of-nothing",
            _import(WORKBOOK.name, _empty_zip),
            Expect.ERROR,
            names=(WORKBOOK.name,),
        ),
        Case(
            "xlsx-a-sheet-that-is-no-xml",
            _import(WORKBOOK.name, _in_sheet(lambda x: "<worksheet><sheetData><row")),
            Expect.ERROR,
            names=(WORKBOOK.name,),
        ),
        Case(
            "ods-as-it-is",
            _import(WORKFORCE.name, lambda: workforce),
            Expect.RESULT,
            check=figures_printed(workforce_cells, workforce_same),
        ),
        Case(
            "ods-renamed-copy",
            _import("workforce (1).ods", lambda: workforce),
            Expect.RESULT,
            check=figures_printed(workforce_cells, workforce_same),
        ),
        Case(
            "ods-named-xlsx",
            _import("workforce.xlsx", lambda: workforce),
            Expect.EITHER,
            names=("workforce.xlsx",),
            check=figures_printed(workforce_cells, workforce_same),
        ),
        Case(
            "ods-cut-at-50%",
            _import(WORKFORCE.name, lambda: workforce[: len(workforce) // 2]),
            Expect.ERROR,
            names=(WORKFORCE.name,),
        ),
        Case(
            "ods-with-a-far-row",
            _import(WORKFORCE.name, _far_ods_row),
            Expect.ERROR,
            names=(WORKFORCE.name,),
            own_process=True,
        ),
    ]


def _empty_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "nothing here")
    return buffer.getvalue()


def _far_ods_row() -> bytes:
    """The workforce workbook with an empty row repeated a million times before one cell."""
    far = (
        '<table:table-row table:number-rows-repeated="1048000"><table:table-cell/>'
        "</table:table-row>"
        '<table:table-row><table:table-cell table:number-columns-repeated="16000"/>'
        '<table:table-cell office:value-type="float" office:value="1"><text:p>1</text:p>'
        "</table:table-cell></table:table-row></table:table>"
    )
    return _rezipped(WORKFORCE, "content.xml", lambda xml: xml.replace("</table:table>", far, 1))


def other_cases() -> list[Case]:
    def folder(place: Place) -> list[str]:
        (place.inputs / "tables").mkdir()
        return ["data", "import", str(place.inputs / "tables"), "--db", place.url]

    def missing(place: Place) -> list[str]:
        return ["data", "import", str(place.inputs / "gone.csv"), "--db", place.url]

    def batch(place: Place) -> list[str]:
        good = place.write(POPULATION.name, POPULATION.read_bytes())
        bad = place.write("broken.xlsx", b"PK\x03\x04 not really")
        return ["data", "import", str(bad), str(good), "--db", place.url]

    return [
        Case("a-folder", folder, Expect.ERROR, names=("tables",)),
        Case("a-missing-file", missing, Expect.ERROR, names=("gone.csv",)),
        Case(
            "a-report",
            _import(
                "report.txt",
                lambda: (
                    RAW.parent.parent / "reference-reports" / "003_02b487485919232c.txt"
                ).read_bytes(),
            ),
            Expect.ERROR,
            names=("report.txt",),
        ),
        Case(
            "the-grades-csv",
            _import(
                "peel_grades.csv", lambda: (RAW / "peel-grades" / "peel_grades.csv").read_bytes()
            ),
            Expect.ERROR,
            names=("peel_grades.csv",),
        ),
        Case(
            "a-bad-workbook-before-a-good-csv",
            batch,
            Expect.PARTIAL,
            names=("broken.xlsx",),
            check=figures_printed(
                lambda: csv_cells(_text_of(POPULATION)), pristine_count(POPULATION)
            ),
        ),
    ]


CASES = (
    csv_cases(P1_CSV, "p1-csv", 7)
    + cell_cases(P1_CSV, "p1-csv", 7, 2)
    + csv_cases(POPULATION, "population", 1)
    + cell_cases(POPULATION, "population", 1, 2)
    + street_cases()
    + workbook_cases()
    + other_cases()
)


@pytest.mark.parametrize("case", params(CASES))
def test_data_import(case: Case, peel_case: CaseRunner) -> None:
    outcome = peel_case(GROUP, case)
    assert outcome.verdict in GOOD, outcome.describe(case)
