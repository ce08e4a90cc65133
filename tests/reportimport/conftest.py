"""Fixtures of the report-import tests: PDFs laid out like published ones, made once a session.

Rendering takes seconds a PDF (the 2005 report's about a minute on a busy machine), so each
PDF is made the first time a test asks for it and kept for the session.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.reportimport.published_pdfs import make_published_pdf, style_for

PublishedPdf = Callable[[Path], Path]


@pytest.fixture(scope="session")
def published_pdf(tmp_path_factory: pytest.TempPathFactory) -> PublishedPdf:
    """The published-looking PDF of a text file (a reference report or a saved web page)."""
    folder = tmp_path_factory.mktemp("published-pdfs")
    made: dict[Path, Path] = {}

    def make(source: Path) -> Path:
        if source not in made:
            text = source.read_text(encoding="utf-8")
            made[source] = make_published_pdf(
                text, style_for(source), folder / f"{source.stem}.pdf"
            )
        return made[source]

    return make
