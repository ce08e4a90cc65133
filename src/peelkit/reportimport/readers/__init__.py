"""One reader per era and format of published report.

Each reader module defines ``READER``: its name, a ``detect`` function that returns the id of
the framework it recognises in a text (or None), and a ``read`` function that turns the text into
a :class:`~peelkit.reportimport.model.ParsedDocument` for a given framework and force. The
frameworks a reader reads are those whose ``era.readers`` name it (framework data files), and
readers take year spellings and grade words from the data too
(:mod:`~peelkit.reportimport.readers.eras`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from peelkit.reportimport.model import ParsedDocument
from peelkit.reportimport.readers.eras import framework_ids_read_by
from peelkit.reportimport.text import SourceText


@dataclass(frozen=True)
class Reader:
    name: str  # one of peelkit.domain.frameworks.READER_NAMES
    detect: Callable[[SourceText], str | None]
    read: Callable[[SourceText, str, str], ParsedDocument]  # (text, framework id, force id)

    @property
    def frameworks(self) -> tuple[str, ...]:
        """The ids of the frameworks this reader reads: those whose ``era.readers`` name it."""
        return framework_ids_read_by(self.name)


def all_readers() -> list[Reader]:
    """Every reader, most specific first (the order detection tries them in)."""
    import peelkit.reportimport.readers.baseline_2005 as baseline_2005
    import peelkit.reportimport.readers.core_business_2014 as core_business_2014
    import peelkit.reportimport.readers.peel_2018_19 as peel_2018_19
    import peelkit.reportimport.readers.peel_2021_25 as peel_2021_25
    import peelkit.reportimport.readers.peel_effectiveness as peel_effectiveness
    import peelkit.reportimport.readers.web_page as web_page

    return [
        baseline_2005.READER,
        core_business_2014.READER,
        peel_2018_19.READER,
        peel_effectiveness.READER,
        web_page.READER,
        peel_2021_25.READER,
    ]
