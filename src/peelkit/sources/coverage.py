"""What a dataset covers, for ``peel data sources``: publications, measures, periods, forces."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from peelkit.domain.periods import Period
from peelkit.sources.dataset import Dataset
from peelkit.sources.model import Problem


def describe_dataset(dataset: Dataset) -> list[dict[str, Any]]:
    measures: dict[str, set[str]] = defaultdict(set)
    periods: dict[str, set[Period]] = defaultdict(set)
    forces: dict[str, set[str]] = defaultdict(set)
    counts: dict[str, int] = defaultdict(int)
    for o in dataset.observations:
        measures[o.publication].add(o.measure)
        periods[o.publication].add(o.period)
        forces[o.publication].add(o.force)
        counts[o.publication] += 1
    described = []
    for p in dataset.publications:
        span = sorted(periods[p.sha256])
        described.append(
            {
                "id": p.id,
                "publisher": p.publisher,
                "title": p.title,
                "release": p.release,
                "release_date": p.release_date.isoformat() if p.release_date else None,
                "licence": p.licence,
                "file": p.filename,
                "sha256": p.sha256,
                "observations": counts[p.sha256],
                "measures": sorted(measures[p.sha256]),
                "forces": len(forces[p.sha256]),
                "first_period": span[0].label() if span else None,
                "last_period": span[-1].label() if span else None,
            }
        )
    return described


def problem_dict(problem: Problem) -> dict[str, Any]:
    return problem.to_json()
