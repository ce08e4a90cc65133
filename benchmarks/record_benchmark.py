"""Benchmark: load and export a record the size of fifteen years of inspections.

Run: .venv/bin/python benchmarks/record_benchmark.py [--postgres URL] [--save]

It builds an export file of 430 inspections (43 forces x 10 inspection years) with 20
judgments, 60 findings and 20 figures each (43,000 items, about the size of the whole HMIC and
HMICFRS record since 2005), then times `load` into an empty SQLite database (and PostgreSQL with
--postgres), `export` back, and reports peak memory. It prints each figure beside the baseline
in benchmarks/baseline.json; --save writes the new figures as the baseline.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from baselines import add_common_options, report
from sqlalchemy import create_engine, text

from peelkit import Workspace
from peelkit.frameworks import load_framework
from peelkit.record.database import normalise_url
from peelkit.record.exchange import FORMAT, FORMAT_VERSION, dumps
from peelkit.reference import territorial_forces

BASELINE = Path(__file__).with_name("baseline.json")
# Ten inspections per force: each graded framework once, and three of them a second time in a
# later period (one inspection per force, framework and period, so a repeat needs its own).
FRAMEWORKS: list[tuple[str, str | None]] = [
    ("baseline-2005", None),
    ("peel-2015", None),
    ("peel-2016", None),
    ("peel-2017", None),
    ("peel-2018-19", None),
    ("peel-2021-22", None),
    ("peel-2023-25", None),
    ("baseline-2005", "2005/06"),
    ("peel-2016", "2016/17"),
    ("peel-2018-19", "2019/20"),
]


def synthetic_record() -> dict[str, Any]:
    inspections = []
    item_id = 0
    for number, (force, (framework_id, period)) in enumerate(
        ((f, fw) for f in territorial_forces() for fw in FRAMEWORKS), start=1
    ):
        framework = load_framework(framework_id)
        scale = framework.grade_scale
        assert scale is not None
        graded = [a for a in framework.walk() if a.graded][:20]
        judgments = []
        for area in graded:
            item_id += 1
            judgments.append({"id": item_id, "area": area.id, "grade": scale.grades[1].id})
        findings = []
        for k in range(60):
            item_id += 1
            findings.append(
                {
                    "id": item_id,
                    "area": graded[k % len(graded)].id,
                    "kind": "area_for_improvement",
                    "text": f"The force should improve item {k}. " * 4,
                }
            )
        figures = []
        for k in range(20):
            item_id += 1
            figures.append(
                {
                    "id": item_id,
                    "measure": f"Measure {k}",
                    "force_value": k * 1.5,
                    "force_value_as_printed": f"{k * 1.5:.1f}",
                    "comparator": "england_and_wales",
                    "comparator_value": k * 1.25,
                }
            )
        inspections.append(
            {
                "id": number,
                "force": force.id,
                "framework": framework_id,
                **({"period": period} if period else {}),
                "status": "published",
                "judgments": judgments,
                "findings": findings,
                "figures": figures,
            }
        )
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "documents": [],
        "inspections": inspections,
        "most_similar_groups": [],
    }


def measure(url: str, export_file: Path) -> dict[str, float]:
    with Workspace(url) as workspace:
        workspace.initialise()
        started = time.perf_counter()
        workspace.load(export_file)
        loaded = time.perf_counter() - started
        started = time.perf_counter()
        record = workspace.export()
        exported = time.perf_counter() - started
        assert len(record["inspections"]) == 430
    return {"load_seconds": round(loaded, 2), "export_seconds": round(exported, 2)}


def postgres_schema(base: str) -> tuple[str, str]:
    schema = f"peelkit_bench_{uuid.uuid4().hex[:8]}"
    engine = create_engine(normalise_url(base))
    with engine.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    url = normalise_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False), schema


def drop_schema(base: str, schema: str) -> None:
    engine = create_engine(normalise_url(base))
    with engine.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    engine.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", help="PostgreSQL URL to benchmark as well")
    add_common_options(parser)
    args = parser.parse_args()
    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as folder:
        export_file = Path(folder) / "record.json"
        record = synthetic_record()
        export_file.write_text(dumps(record), encoding="utf-8")
        items = sum(
            len(i["judgments"]) + len(i["findings"]) + len(i["figures"])
            for i in record["inspections"]
        )
        print(
            f"record: {len(record['inspections'])} inspections, {items} items, "
            f"{export_file.stat().st_size / 1e6:.1f} MB of JSON"
        )
        for name, value in measure(
            f"sqlite:///{Path(folder) / 'bench.sqlite'}", export_file
        ).items():
            results[f"sqlite_{name}"] = value
        if args.postgres:
            url, schema = postgres_schema(args.postgres)
            try:
                for name, value in measure(url, export_file).items():
                    results[f"postgresql_{name}"] = value
            finally:
                drop_schema(args.postgres, schema)
    results["peak_memory_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    report(results, BASELINE, args, "")
    return 0


if __name__ == "__main__":
    sys.exit(main())
