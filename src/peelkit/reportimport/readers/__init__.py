"""One reader per era and format of published report.

Each reader module defines ``READER``: its name, a ``detect`` function that returns the id of
the framework it recognises in a text (or None), and a ``read`` function that turns the text into
a :class:`~peelkit.reportimport.model.ParsedDocument` for a given framework and force. The
frameworks a reader reads are those whose ``era.readers`` name it (framework data files), and
readers take year spellings and grade words from the data too
(:mod:`~peelkit.reportimport.readers.eras`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import import_module

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


# Every reader by name and module, most specific first (the order detection tries them in).
READER_MODULES = (
    ("baseline-2005", "baseline_2005"),
    ("core-business-2014", "core_business_2014"),
    ("peel-2018-19", "peel_2018_19"),
    ("peel-effectiveness", "peel_effectiveness"),
    ("web-page", "web_page"),
    ("peel-2021-25", "peel_2021_25"),
)


def reader_named(name: str) -> Reader:
    """The reader of this name, its module imported now if it was not yet."""
    module = dict(READER_MODULES)[name]
    reader: Reader = import_module(f"{__name__}.{module}").READER
    return reader


def readers() -> Iterator[Reader]:
    """Every reader in detection order, each imported only when reached: a document the
    first readers recognise never loads the others (the 2021-25 reader's modules alone took
    a tenth of a first parse)."""
    for name, _ in READER_MODULES:
        yield reader_named(name)


def all_readers() -> list[Reader]:
    """Every reader, most specific first (the order detection tries them in)."""
    return list(readers())


def reader_reading(framework_id: str) -> Reader | None:
    """The reader of a framework's documents (its ``era.readers``), or None."""
    for name, _ in READER_MODULES:
        if framework_id in framework_ids_read_by(name):
            return reader_named(name)
    return None
