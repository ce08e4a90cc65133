"""Fixtures of the follow-up tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from peelkit import Workspace
from peelkit.domain.followup import FOLLOWED_KINDS
from peelkit.followup.lineage import normalise


@pytest.fixture(scope="session")
def followed_texts(reference_reports: Path) -> dict[str, list[str]]:
    """Each reference report's followed findings (with their sub-items), as lineage
    normalises them, by file name."""
    texts: dict[str, list[str]] = {}
    for path in sorted(reference_reports.glob("*.txt")):
        parsed = Workspace.parse_report(path)
        texts[path.name] = [
            normalise(" ".join([finding.text, *finding.sub_items]))
            for finding in parsed.findings
            if finding.kind in FOLLOWED_KINDS
        ]
    return texts
