"""Which framework and which force a document is about."""

from __future__ import annotations

import re
from collections import Counter

from peelkit.domain.forces import Force
from peelkit.reference import territorial_forces
from peelkit.reportimport.readers import Reader, all_readers
from peelkit.reportimport.text import SourceText

HEAD_CHARACTERS = 300


def detect_reader(text: SourceText) -> tuple[Reader, str] | None:
    """The first reader that recognises the text, and the framework id it recognised."""
    for reader in all_readers():
        framework_id = reader.detect(text)
        if framework_id is not None:
            return reader, framework_id
    return None


def reader_for(framework_id: str) -> Reader | None:
    for reader in all_readers():
        if framework_id in reader.frameworks:
            return reader
    return None


def detect_force(text: SourceText) -> Force | None:
    """The force a document is about: the one its title names, else the one it names most.

    Full names count ("Metropolitan Police Service", "Kent Police"); a report mentions other
    forces (its most similar group, national tables) far less often than its own.
    """
    # The head is the first three lines, and no more than a title's length of them: a text
    # whose line breaks were lost is all one line, and its first force named (in a table, a
    # list of forces) is not its subject.
    head = " ".join(line for line in text.lines[:3])[:HEAD_CHARACTERS]
    for force in territorial_forces():
        if re.match(rf"\s*{re.escape(force.short_name)}\b", head) or force.name in head:
            return force
    counts: Counter[str] = Counter()
    body = text.text
    for force in territorial_forces():
        names = {force.name, *[a for a in force.aliases if len(a) > 4 and " " in a]}
        counts[force.id] = sum(body.count(name) for name in names)
    if not counts:
        return None
    best, hits = counts.most_common(1)[0]
    if hits == 0:
        return None
    return next(f for f in territorial_forces() if f.id == best)
