"""``peel import`` on hostile files: faithful copies in other bytes, damaged copies (the
mutations of tests/reportimport/damage.py), files that are no report at all (empty, binary,
truncated), NUL and control bytes at offsets around the first 4 KiB, options that contradict
the document, and batches with bad files among good ones.

Each runs on a copy of the ``record`` database (an inspection record to lose)."""

from __future__ import annotations

import codecs
import gzip
import io
import random
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.reliability.conftest import EXAMPLES, KENT_PAGE, REPORTS, CaseRunner, Prepared
from tests.reliability.expected import DOCUMENTS, Document
from tests.reliability.harness import GOOD, Case, Effect, Expect, Place, params
from tests.reliability.imports import (
    control_characters,
    faithful,
    nothing_changed,
    read_alike_or_said,
    report_text,
    warned,
)
from tests.reportimport.damage import Damage, damaged

GROUP = "import"
REPORT_2018_19 = "001_2e8c9026aad1a9d7.txt"
REPORT_2015 = "002_b3b722981796a923.txt"
REPORT_2016 = "000_033c6fd077a275c5.txt"
LETTER_2014 = "003_02b487485919232c.txt"
BASELINE = "004_8971e4e9a7c1f0c8.txt"
FOLLOWUP = EXAMPLES / "follow-up"
LETTER_2022 = "wiltshire_2021-22_coc-revisit-letter-2022-12.txt"


def _import(name: str, *options: str) -> Callable[[Place], list[str]]:
    """``peel import in/NAME --json`` (the file written by the case's ``write``)."""

    def make(place: Place) -> list[str]:
        return ["import", str(place.inputs / name), "--db", place.url, "--json", *options]

    return make


def _with(name: str, data: Callable[[], bytes], *options: str) -> Callable[[Place], list[str]]:
    def make(place: Place) -> list[str]:
        place.write(name, data())
        return _import(name, *options)(place)

    return make


def _bytes_of(report: str) -> Callable[[], bytes]:
    return lambda: (REPORTS / report).read_bytes()


def _encoded_report(report: str, encoding: str) -> Callable[[], bytes]:
    return lambda: _encoded(report_text(report), encoding)


def _encoded_text(text: str, encoding: str) -> Callable[[], bytes]:
    return lambda: _encoded(text, encoding)


def _damaged_report(report: str, damage: Damage) -> Callable[[], bytes]:
    return lambda: damaged(report_text(report), [damage], "utf-8")


def _without_newlines(report: str) -> Callable[[], bytes]:
    return lambda: report_text(report).replace("\n", " ").encode()


def _inserted(data: bytes, offset: int, inserted: bytes) -> Callable[[], bytes]:
    return lambda: _put(data, offset, inserted)


def _encoded(text: str, encoding: str) -> bytes:
    if encoding == "utf-8-sig":
        return codecs.BOM_UTF8 + text.encode("utf-8")
    if encoding == "crlf":
        return text.replace("\n", "\r\n").encode("utf-8")
    if encoding == "cr":
        return text.replace("\n", "\r").encode("utf-8")
    return text.encode(encoding, "replace")


# --- faithful copies: the report's judgments, whatever the bytes -------------------------------

ENCODINGS = ("utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1252", "crlf")
NAMES = ("copy (1).txt", "Rapport été 2014.TXT", "report")


def faithful_cases() -> list[Case]:
    cases = []
    for report in (REPORT_2018_19, REPORT_2015, REPORT_2016, LETTER_2014):
        for encoding in ENCODINGS:
            cases.append(
                Case(
                    f"{report[:3]}-as-{encoding}",
                    _with(report, _encoded_report(report, encoding)),
                    Expect.RESULT,
                    check=faithful(DOCUMENTS[report]),
                )
            )
    for name in NAMES:
        cases.append(
            Case(
                f"003-named-{name}",
                _with(name, lambda: (REPORTS / LETTER_2014).read_bytes()),
                Expect.RESULT,
                check=faithful(DOCUMENTS[LETTER_2014]),
            )
        )
    cases.append(
        Case(
            "004-as-utf-16",
            _with(BASELINE, lambda: _encoded(report_text(BASELINE), "utf-16")),
            Expect.RESULT,
            check=faithful(DOCUMENTS[BASELINE]),
        )
    )
    return cases


# --- a copy of what the record holds: "already imported", nothing changes -----------------------


def identity_cases() -> list[Case]:
    kent = KENT_PAGE.read_text(encoding="utf-8")
    cases = [
        Case(
            f"kent-page-again-as-{encoding}",
            _with(KENT_PAGE.name, _encoded_text(kent, encoding)),
            Expect.RESULT,
            check=nothing_changed,
        )
        for encoding in ("utf-8", "utf-8-sig", "utf-16", "cp1252", "crlf")
    ]
    cases.append(
        Case(
            "kent-page-again-renamed",
            _with("Kent (2).txt", lambda: KENT_PAGE.read_bytes()),
            Expect.RESULT,
            check=nothing_changed,
        )
    )
    kent_page = Document(
        KENT_PAGE.name,
        "peel-2017",
        "kent",
        {
            "effectiveness": "good",
            "preventing-crime": None,
            "investigating-crime": "good",
            "protecting-vulnerable-people": "good",
        },
        None,
    )
    cases.append(
        Case(
            "kent-page-crlf-again-with---again",
            _with(KENT_PAGE.name, lambda: _encoded(kent, "crlf"), "--again"),
            Expect.RESULT,
            check=added_beside(kent_page),
        )
    )
    return cases


def added_beside(document: Document) -> Callable[[Effect], str | None]:
    """A copy imported with --again: a document of its own whose judgments join the
    inspection the record holds (shown beside the first document's)."""

    def check(effect: Effect) -> str | None:
        if len(effect.gained("source_document")) != 1 or effect.gained("inspection"):
            return "expected one more document and no more inspections"
        grades = {j["area_id"]: j["grade"] for j in effect.gained("judgment")}
        if grades != document.grades:
            return f"the copy's judgments {sorted(grades.items())} are not the page's"
        return control_characters(effect)

    return check


# --- damaged copies: refused, read alike, or said ---------------------------------------------

OPERATIONS = ("delete", "duplicate", "shuffle", "cut", "banner", "noise")
# Operations that take text out: the copy may hold less than the original, nothing else.
REMOVING = ("delete", "cut")
# Where each report is damaged (shares of its lines): most on the small letter, whose import is
# quick; once on the 2005 baseline, whose import writes 43 inspections.
SPOTS = {
    LETTER_2014: (0.1, 0.5, 0.9),
    REPORT_2018_19: (0.2, 0.8),
    REPORT_2015: (0.3,),
    REPORT_2016: (0.75,),
}


def damage_cases() -> list[Case]:
    cases = []
    for report, spots in SPOTS.items():
        for operation in OPERATIONS:
            for at in spots:
                cases.append(_damaged(report, Damage(operation, at, 0.4, pick=int(at * 10))))
    for operation in ("duplicate", "delete"):
        cases.append(_damaged(BASELINE, Damage(operation, 0.6, 0.4, pick=6)))
    for report, at, pick in (
        (LETTER_2014, 0.15, 0),
        (LETTER_2014, 0.15, 2),
        (LETTER_2014, 0.6, 7),
        (LETTER_2014, 0.6, 5),
        (REPORT_2018_19, 0.6, 2),
    ):
        damage = Damage("control", at, 0.5, pick=pick)
        cases.append(
            Case(
                f"{report[:3]}-control-{pick}-at-{at:.0%}",
                _with(report, _damaged_report(report, damage)),
                Expect.EITHER,
                names=(report,),
                check=warned,
            )
        )
    return cases


def _damaged(report: str, damage: Damage) -> Case:
    name = f"{report[:3]}-{damage.operation}-at-{damage.at:.0%}"
    return Case(
        name,
        _with(report, _damaged_report(report, damage)),
        Expect.EITHER,
        names=(report,),
        check=read_alike_or_said(str(REPORTS / report), removes=damage.operation in REMOVING),
    )


# --- bytes put in at offsets: around the first 4 KiB, and far after it ---------------------------

OFFSETS = (0, 1, 100, 4095, 4096, 4097, 10_000, -2)


def _put(data: bytes, offset: int, inserted: bytes) -> bytes:
    at = offset if offset >= 0 else len(data) + offset
    return data[:at] + inserted + data[at:]


def byte_cases() -> list[Case]:
    letter = (REPORTS / LETTER_2014).read_bytes()
    cases = []
    for offset in OFFSETS:
        for label, inserted in (("nul", b"\x00"), ("esc", b"\x1b[31m"), ("bell", b"\x07")):
            cases.append(
                Case(
                    f"003-{label}-at-{offset}",
                    _with(LETTER_2014, _inserted(letter, offset, inserted)),
                    Expect.EITHER,
                    names=(LETTER_2014,),
                    check=warned,
                )
            )
    invalid = (("ff", b"\xff"), ("lone-c3", b"\xc3"), ("surrogate", b"\xed\xa0\x80"))
    for offset in (100, 4096, 11_000):
        for label, inserted in invalid:
            cases.append(
                Case(
                    f"003-invalid-utf8-{label}-at-{offset}",
                    _with(LETTER_2014, _inserted(letter, offset, inserted)),
                    Expect.EITHER,
                    names=(LETTER_2014,),
                    check=read_alike_or_said(str(REPORTS / LETTER_2014)),
                )
            )
    cases.append(
        Case(
            "001-form-feeds-between-pages",
            _with(
                REPORT_2018_19,
                lambda: report_text(REPORT_2018_19).replace("\n# ", "\n\f# ").encode(),
            ),
            Expect.EITHER,
            names=(REPORT_2018_19,),
            check=read_alike_or_said(str(REPORTS / REPORT_2018_19)),
        )
    )
    return cases


# --- no report at all ----------------------------------------------------------------------


def _random(size: int, seed: int) -> bytes:
    return random.Random(seed).randbytes(size)


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


NOT_REPORTS: dict[str, tuple[str, Callable[[], bytes]]] = {
    "empty": ("empty.txt", lambda: b""),
    "whitespace-only": ("blank.txt", lambda: b" \n\t\n\n   \n"),
    "utf-8-bom-only": ("bom.txt", lambda: codecs.BOM_UTF8),
    "utf-16-bom-only": ("bom16.txt", lambda: codecs.BOM_UTF16_LE),
    "random-bytes": ("random.txt", lambda: _random(50_000, 1)),
    "random-bytes-named-pdf": ("report.pdf", lambda: _random(20_000, 2)),
    "png": ("scan.png", lambda: b"\x89PNG\r\n\x1a\n" + _random(3000, 3)),
    "png-named-txt": ("scan.txt", lambda: b"\x89PNG\r\n\x1a\n" + _random(3000, 4)),
    "elf": ("peel.txt", lambda: b"\x7fELF\x02\x01\x01" + _random(5000, 5)),
    "docx-like-zip": ("report.docx", _zip),
    "gzip-of-a-report": (
        "report.txt.gz",
        lambda: gzip.compress((REPORTS / LETTER_2014).read_bytes(), mtime=0),
    ),
    "pdf-header-only": ("cut.pdf", lambda: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<"),
    "first-50-bytes": ("start.txt", lambda: (REPORTS / REPORT_2018_19).read_bytes()[:50]),
    "first-600-bytes": ("start.txt", lambda: (REPORTS / REPORT_2018_19).read_bytes()[:600]),
    "shopping-list": ("notes.txt", lambda: b"Milk\nEggs\nPolice tape\n" * 30),
    "a-csv-of-grades": (
        "peel_grades.csv",
        lambda: (REPORTS.parent / "data/raw/peel-grades/peel_grades.csv").read_bytes()[:3000],
    ),
    "a-json-export": ("record.json", lambda: b'{"format": "peelkit-record", "inspections": []}'),
}


def not_report_cases() -> list[Case]:
    cases = [
        Case(name, _with(file, data), Expect.ERROR, names=(file,))
        for name, (file, data) in NOT_REPORTS.items()
    ]

    def folder(place: Place) -> list[str]:
        (place.inputs / "reports").mkdir()
        return ["import", str(place.inputs / "reports"), "--db", place.url]

    def missing(place: Place) -> list[str]:
        return ["import", str(place.inputs / "missing.txt"), "--db", place.url]

    cases.append(Case("a-folder", folder, Expect.ERROR, names=("reports",)))
    cases.append(Case("a-missing-file", missing, Expect.ERROR, names=("missing.txt",)))
    cases.append(
        Case(
            "text-named-pdf",
            _with("report.pdf", lambda: (REPORTS / LETTER_2014).read_bytes()),
            Expect.EITHER,
            names=("report.pdf",),
            check=faithful(DOCUMENTS[LETTER_2014]),
        )
    )
    for report in (REPORT_2018_19, REPORT_2015, LETTER_2014):
        cases.append(
            Case(
                f"{report[:3]}-newlines-removed",
                _with(report, _without_newlines(report)),
                Expect.EITHER,
                names=(report,),
                check=faithful(DOCUMENTS[report]),
            )
        )
    cases.append(
        Case(
            "001-one-line-of-500-KB",
            _with(
                REPORT_2018_19,
                lambda: (report_text(REPORT_2018_19).replace("\n", " ") * 3).encode(),
            ),
            Expect.EITHER,
            names=(REPORT_2018_19,),
            check=faithful(DOCUMENTS[REPORT_2018_19]),
        )
    )
    return cases


# --- options that contradict the document ----------------------------------------------------


def option_cases() -> list[Case]:
    cases = [
        Case(
            "001-with-framework-baseline-2005",
            _with(REPORT_2018_19, _bytes_of(REPORT_2018_19), "--framework", "baseline-2005"),
            Expect.ERROR,
            names=(REPORT_2018_19, "baseline-2005"),
        ),
        Case(
            "000-with-framework-peel-2015",
            _with(REPORT_2016, _bytes_of(REPORT_2016), "--framework", "peel-2015"),
            Expect.ERROR,
            names=(REPORT_2016, "peel-2015"),
        ),
        Case(
            "003-with-framework-peel-2023-25",
            _with(LETTER_2014, _bytes_of(LETTER_2014), "--framework", "peel-2023-25"),
            Expect.ERROR,
            names=(LETTER_2014, "peel-2023-25"),
        ),
        Case(
            "001-with-an-unknown-framework",
            _with(REPORT_2018_19, _bytes_of(REPORT_2018_19), "--framework", "peel-1999"),
            Expect.ERROR,
            names=("peel-1999",),
        ),
        Case(
            "001-with-an-unknown-force",
            _with(REPORT_2018_19, _bytes_of(REPORT_2018_19), "--force", "Atlantis Constabulary"),
            Expect.ERROR,
            names=("Atlantis Constabulary",),
        ),
        Case(
            "001-with-the-framework-it-is",
            _with(REPORT_2018_19, _bytes_of(REPORT_2018_19), "--framework", "peel-2018-19"),
            Expect.RESULT,
            check=faithful(DOCUMENTS[REPORT_2018_19]),
        ),
        Case(
            "001-with-its-own-force-by-another-name",
            _with(REPORT_2018_19, _bytes_of(REPORT_2018_19), "--force", "MPS"),
            Expect.RESULT,
            check=faithful(DOCUMENTS[REPORT_2018_19]),
        ),
        Case(
            "001-dry-run",
            _with(REPORT_2018_19, _bytes_of(REPORT_2018_19), "--dry-run"),
            Expect.RESULT,
            check=nothing_changed,
        ),
        Case(
            "random-bytes-dry-run",
            _with("random.txt", lambda: _random(10_000, 9), "--dry-run"),
            Expect.ERROR,
            names=("random.txt",),
        ),
    ]

    def kent_forced(effect: Effect) -> str | None:
        gained = [(i["force_id"], i["framework_id"]) for i in effect.gained("inspection")]
        if gained != [("kent", "peel-2018-19")]:
            return f"--force Kent gave inspections {gained}"
        return control_characters(effect)

    cases.append(
        Case(
            "001-with-another-force",
            _with(REPORT_2018_19, _bytes_of(REPORT_2018_19), "--force", "Kent"),
            Expect.EITHER,
            names=(REPORT_2018_19, "Kent"),
            check=kent_forced,
        )
    )
    return cases


# --- batches: a bad file never stops the others ------------------------------------------------


def _batch(files: dict[str, Callable[[], bytes]]) -> Callable[[Place], list[str]]:
    def make(place: Place) -> list[str]:
        paths = [str(place.write(name, data())) for name, data in files.items()]
        return ["import", *paths, "--db", place.url, "--json", "--quiet"]

    return make


def batch_cases() -> list[Case]:

    def two_reports(effect: Effect) -> str | None:
        gained = sorted((i["force_id"], i["framework_id"]) for i in effect.gained("inspection"))
        expected = sorted(
            [("metropolitan", "peel-2018-19"), ("metropolitan", "core-business-2014")]
        )
        if gained != expected:
            return f"gained {gained}, expected {expected}"
        return control_characters(effect)

    return [
        Case(
            "batch-good-binary-good",
            _batch(
                {
                    REPORT_2018_19: _bytes_of(REPORT_2018_19),
                    "scan.png": lambda: b"\x89PNG\r\n\x1a\n" + _random(500, 6),
                    LETTER_2014: _bytes_of(LETTER_2014),
                }
            ),
            Expect.PARTIAL,
            names=("scan.png",),
            check=two_reports,
        ),
        Case(
            "batch-empty-good-missing",
            lambda place: [
                "import",
                str(place.write("empty.txt", b"")),
                str(place.write(REPORT_2018_19, _bytes_of(REPORT_2018_19)())),
                str(place.write(LETTER_2014, _bytes_of(LETTER_2014)())),
                str(place.inputs / "gone.txt"),
                "--db",
                place.url,
                "--json",
                "--quiet",
            ],
            Expect.PARTIAL,
            names=("empty.txt", "gone.txt"),
            errors=2,
            check=two_reports,
        ),
        Case(
            "batch-the-same-report-twice",
            lambda place: [
                "import",
                str(place.write(REPORT_2018_19, _bytes_of(REPORT_2018_19)())),
                str(place.write("copy.txt", _bytes_of(REPORT_2018_19)())),
                "--db",
                place.url,
                "--json",
            ],
            Expect.RESULT,
            check=faithful(DOCUMENTS[REPORT_2018_19]),
        ),
    ]


# --- follow-up documents ---------------------------------------------------------------------


def _followup_read_alike(effect: Effect) -> str | None:
    stored = control_characters(effect)
    if stored:
        return stored
    events = effect.gained("status_event")
    if not events:
        return "the letter gave no status events"
    return None


def followup_cases() -> list[Case]:
    text = (FOLLOWUP / LETTER_2022).read_text(encoding="utf-8")
    cases = []
    for encoding in ("utf-8-sig", "utf-16", "crlf", "cp1252"):
        cases.append(
            Case(
                f"letter-as-{encoding}",
                _with(LETTER_2022, _encoded_text(text, encoding)),
                Expect.EITHER,
                names=(LETTER_2022,),
                check=_followup_read_alike,
            )
        )
    for share in (0.05, 0.5):
        cases.append(
            Case(
                f"letter-cut-at-{share:.0%}",
                _with(LETTER_2022, _encoded_text(text[: int(len(text) * share)], "utf-8")),
                Expect.EITHER,
                names=(LETTER_2022,),
                check=_followup_read_alike,
            )
        )
    for offset in (10, 2000):
        cases.append(
            Case(
                f"letter-nul-at-{offset}",
                _with(LETTER_2022, _inserted(text.encode(), offset, b"\x00")),
                Expect.EITHER,
                names=(LETTER_2022,),
                check=_followup_read_alike,
            )
        )
    return cases


# --- PDFs: of a report, of a page the record holds, encrypted, cut ---------------------------


def _pdf(prepared: Prepared, source: Path) -> bytes:
    """A PDF of the text of ``source`` (tests/reportimport/pdfs.py), made once a session."""

    def build(prepared: Prepared) -> bytes:
        from tests.reportimport.pdfs import make_pdf

        folder = prepared.scratch(f"pdf-{source.stem}")
        return make_pdf(source.read_text(encoding="utf-8"), folder / "plain.pdf").read_bytes()

    return prepared.reference(f"pdf:{source}", build)


def _encrypted(data: bytes, user_password: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="AES-256")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _with_pdf(
    name: str, source: Path, change: Callable[[bytes], bytes] = lambda data: data
) -> Callable[[Place], list[str]]:
    def make(place: Place) -> list[str]:
        place.write(name, change(_pdf(place.prepared, source)))
        return _import(name)(place)

    return make


def pdf_cases() -> list[Case]:
    letter = REPORTS / LETTER_2014
    return [
        Case(
            "003-as-a-pdf",
            _with_pdf("letter.pdf", letter),
            Expect.RESULT,
            check=faithful(DOCUMENTS[LETTER_2014]),
        ),
        Case(
            "kent-page-again-as-a-pdf",
            _with_pdf("kent.pdf", KENT_PAGE),
            Expect.RESULT,
            check=nothing_changed,
        ),
        Case(
            "003-pdf-aes-with-an-owner-password",
            _with_pdf("letter.pdf", letter, lambda d: _encrypted(d, "")),
            Expect.RESULT,
            check=faithful(DOCUMENTS[LETTER_2014]),
        ),
        Case(
            "003-pdf-with-a-user-password",
            _with_pdf("locked.pdf", letter, lambda d: _encrypted(d, "secret")),
            Expect.ERROR,
            names=("locked.pdf",),
        ),
        Case(
            "003-pdf-cut-at-50%",
            _with_pdf("cut.pdf", letter, lambda d: d[: len(d) // 2]),
            Expect.ERROR,
            names=("cut.pdf",),
        ),
        Case(
            "003-pdf-cut-at-99%",
            _with_pdf("cut.pdf", letter, lambda d: d[: len(d) - 40]),
            Expect.EITHER,
            names=("cut.pdf",),
            check=faithful(DOCUMENTS[LETTER_2014]),
        ),
    ]


def twice_cases() -> list[Case]:
    """A report's text twice in one file (the near-hang of issue 15: 528 s for the 2005 one)."""
    return [
        Case(
            f"{report[:3]}-twice-in-one-file",
            _with(report, _encoded_text(report_text(report) * 2, "utf-8")),
            Expect.EITHER,
            names=(report,),
            check=read_alike_or_said(str(REPORTS / report)),
        )
        for report in (BASELINE, REPORT_2018_19)
    ]


CASES = (
    pdf_cases()
    + twice_cases()
    + faithful_cases()
    + identity_cases()
    + damage_cases()
    + byte_cases()
    + not_report_cases()
    + option_cases()
    + batch_cases()
    + followup_cases()
)


@pytest.mark.parametrize("case", params(CASES))
def test_import(case: Case, peel_case: CaseRunner) -> None:
    outcome = peel_case(GROUP, case)
    assert outcome.verdict in GOOD, outcome.describe(case)
