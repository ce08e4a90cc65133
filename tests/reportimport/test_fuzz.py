"""Damaged copies of the reports and samples, property-based (issue 12, item 6).

Hypothesis damages the five reference reports and every sample of ``../shared/examples/``
(``damage.py``: lines deleted, duplicated or shuffled, the text cut short, banner lines,
control characters and stray Unicode put in, other encodings) and reads the result through the
library's front door, ``Workspace.parse_report`` (the parse the CLI's import runs). Whatever
the damage, the import either reads the file, with every judgment and finding on an area of
the document's framework, or refuses it with a PeelkitError of a listed code on one line:
never another exception.

``test_mutations.py`` checks that each damage of the *structure* (a grade line, a heading) is
said; this test asks only that nothing breaks, over many more kinds of damage. The run is
bounded and repeatable: derandomised (the same examples every run), a fixed number of them,
a deadline for each; ``benchmarks/fuzz_import.py`` is the long run.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peelkit import Workspace
from peelkit.errors import PeelkitError
from peelkit.frameworks import load_framework
from peelkit.reportimport.model import ParsedDocument
from tests.conftest import REPO, SHARED
from tests.reportimport.damage import ENCODINGS, OPERATIONS, Damage, damaged
from tests.reportimport.pdfs import make_pdf

FUZZ = settings(
    max_examples=80,
    deadline=dt.timedelta(seconds=30),  # the 2005 report parses in well under a second
    derandomize=True,  # the same examples every run: CI is repeatable
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def sources() -> list[Path]:
    reports = sorted((SHARED / "reference-reports").glob("*.txt"))
    samples = sorted((SHARED / "examples").glob("*/*.txt"))
    return reports + samples


@cache
def error_codes() -> frozenset[str]:
    """Every error code errors.yaml lists."""
    catalogue = yaml.safe_load((REPO / "src" / "peelkit" / "errors.yaml").read_text())
    return frozenset(catalogue["errors"])


@cache
def text_of(path: Path) -> str:
    return path.read_text(encoding="utf-8")


damages = st.builds(
    Damage,
    operation=st.sampled_from(OPERATIONS),
    at=st.floats(0, 1),
    size=st.floats(0, 1),
    pick=st.integers(0, 100),
)


def check(outcome: ParsedDocument) -> None:
    """What an import that reads the file must hold."""
    framework = load_framework(outcome.framework)
    areas = {area.id for area in framework.walk()}
    outside = sorted({j.area for j in outcome.judgments} - areas)
    assert outside == [], f"judgments on areas outside {framework.id}: {outside}"
    found = sorted({f.area for f in outcome.findings if f.area} - areas)
    assert found == [], f"findings on areas outside {framework.id}: {found}"
    json.dumps(outcome.to_json())  # what the CLI's --json prints


def import_or_refuse(path: Path) -> str:
    """Parse ``path`` through the front door: "read" or the code of a clear refusal."""
    try:
        parsed = Workspace.parse_report(path)
    except PeelkitError as error:
        assert "\n" not in error.message and error.message.strip(), repr(error.message)
        assert error.code in error_codes(), error.code
        return error.code
    check(parsed)
    return "read"


@FUZZ
@given(
    source=st.sampled_from(sources()),
    changes=st.lists(damages, min_size=1, max_size=4),
    encoding=st.sampled_from(ENCODINGS),
)
def test_a_damaged_copy_is_read_or_refused_clearly(
    tmp_path_factory: pytest.TempPathFactory,
    source: Path,
    changes: list[Damage],
    encoding: str,
) -> None:
    path = tmp_path_factory.mktemp("fuzz") / source.name
    path.write_bytes(damaged(text_of(source), changes, encoding))
    import_or_refuse(path)


@cache
def _pdf_bytes(folder: Path) -> bytes:
    text = text_of(SHARED / "reference-reports" / "003_02b487485919232c.txt")
    return make_pdf(text, folder / "core-business.pdf").read_bytes()


@settings(FUZZ, max_examples=25)
@given(share=st.floats(0.01, 1), flip=st.integers(0, 10_000), byte=st.integers(0, 255))
def test_a_damaged_pdf_is_read_or_refused_clearly(
    tmp_path_factory: pytest.TempPathFactory, share: float, flip: int, byte: int
) -> None:
    """A PDF cut short or with a byte changed: PDFium repairs what it can; the rest is
    "not a readable PDF", never a crash."""
    data = bytearray(_pdf_bytes(tmp_path_factory.getbasetemp()))
    data = data[: max(len(b"%PDF-") + 1, int(share * len(data)))]
    data[flip % len(data)] = byte if flip % len(data) >= 5 else data[flip % len(data)]
    path = tmp_path_factory.mktemp("fuzz-pdf") / "damaged.pdf"
    path.write_bytes(bytes(data))
    import_or_refuse(path)


def test_the_catalogue_is_read() -> None:
    """The codes the checks accept are errors.yaml's (not an empty set that accepts none)."""
    assert {"unknown_report", "nothing_read", "report_unreadable"} <= error_codes()
