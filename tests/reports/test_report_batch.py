"""A year's 43 force reports built one after another print, for each force, the HTML of that
force's report built alone.

Building them in a row is what the kept answers are for: the national sets of the indicator
engine (peelkit.views.shared_rows) and the charts kept by their specification
(peelkit.reports.drawing). The expected HTML is each report built with nothing kept. Two
forces have a most similar group (their ranked charts mark it, their trend charts draw it), so
the batch mixes charts drawn for one force with charts every force's report draws alike.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from peelkit import Workspace
from peelkit.reference import territorial_forces
from peelkit.reports.kept import forget_drawings
from peelkit.reports.render import render_html
from peelkit.views.shared_rows import forget_national_sets

FRAMEWORK = "peel-2018-19"
GROUPS = [  # input only: two forces given a group, so that their charts differ from the rest
    "2018/19,Kent,Essex,",
    "2018/19,Kent,Sussex,",
    "2018/19,Kent,Hampshire,",
    "2018/19,West Yorkshire,Greater Manchester,",
    "2018/19,West Yorkshire,West Midlands,",
]


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory, shared: Path) -> Iterator[Workspace]:
    folder = tmp_path_factory.mktemp("batch")
    groups = folder / "groups.csv"
    groups.write_text("year,force,msg_force,source_url\n" + "\n".join(GROUPS) + "\n")
    with Workspace(f"sqlite:///{folder / 'record.sqlite'}") as ws:
        for path in sorted((shared / "reference-reports").glob("*.txt")):
            ws.import_report(path)
        ws.load_grades(shared / "data" / "raw" / "peel-grades" / "peel_grades.csv")
        ws.load_groups(groups)
        yield ws


def _alone(workspace: Workspace, force: str | None) -> str:
    forget_national_sets()
    forget_drawings()
    if force is None:
        return render_html(workspace.national_report(FRAMEWORK))
    return render_html(workspace.force_report(force, FRAMEWORK))


def test_the_record_gives_two_forces_a_group(workspace: Workspace) -> None:
    """The premise of the batch: Kent's ranked chart marks its group and its trend chart draws
    it; Essex's (no group in this record) mark England and Wales only."""
    for force, grouped in (("kent", True), ("west-yorkshire", True), ("essex", False)):
        context = workspace.force_report(force, FRAMEWORK).context
        assert context is not None and context.ranked is not None and context.trend is not None
        marked = [r.label for r in context.ranked.references]
        assert ("Most similar group" in marked) is grouped, force
        assert ("Most similar group" in [s.name for s in context.trend.series]) is grouped, force


def test_every_force_in_a_batch_prints_its_report_alone(workspace: Workspace) -> None:
    forces = [f.id for f in territorial_forces()]
    assert len(forces) == 43
    forget_national_sets()
    forget_drawings()
    batch = {force: render_html(workspace.force_report(force, FRAMEWORK)) for force in forces}
    national = render_html(workspace.national_report(FRAMEWORK))
    # and afresh in the other order: what the first force of a batch leaves kept differs
    forget_national_sets()
    forget_drawings()
    again = {f: render_html(workspace.force_report(f, FRAMEWORK)) for f in reversed(forces)}
    for force in forces:
        alone = _alone(workspace, force)
        assert batch[force] == alone, force
        assert again[force] == alone, force
    assert national == _alone(workspace, None)
