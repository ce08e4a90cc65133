"""Long fuzz run of the importer: damaged copies of the reports and samples (issue 12).

Run: .venv/bin/python benchmarks/fuzz_import.py [--count 100000] [--seed 12] [--save] [--json]

Each input is a reference report or sample of ../shared/examples/ (whole, or a window of 20
to 400 of its lines, most of the time: a window parses in milliseconds, a whole report in up
to half a second) with one to four damages (tests/reportimport/damage.py: lines deleted,
duplicated or shuffled, the text cut, banner lines, control characters and stray Unicode put
in) in one of seven encodings. It is read as the import reads a text file (decode, split the
lines, control characters out: sources.decode and sources.split_lines) and parsed by the
readers (importer.parse_text), without a database. An input is fine when it parses (with
every judgment and finding on an area of its framework) or is refused with a PeelkitError;
anything else is a crash, printed with its seed and recipe so it can be replayed. Prints the
crashes (target: none) and the inputs per second beside the baseline in
benchmarks/fuzz_baseline.json.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import traceback
from collections import Counter
from pathlib import Path

from baselines import add_common_options, report

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the damage recipes live with the tests

from tests.reportimport.damage import ENCODINGS, OPERATIONS, Damage, damaged  # noqa: E402

from peelkit.errors import PeelkitError  # noqa: E402
from peelkit.frameworks import load_framework  # noqa: E402
from peelkit.reportimport.importer import parse_text  # noqa: E402
from peelkit.reportimport.sources import decode, split_lines  # noqa: E402
from peelkit.reportimport.text import SourceText  # noqa: E402

SHARED = ROOT.parent / "shared"
BASELINE = Path(__file__).with_name("fuzz_baseline.json")
WHOLE = 0.1  # the share of inputs that are a whole document, not a window of it


def recipe(rng: random.Random, texts: dict[str, list[str]]) -> tuple[str, str, list[Damage], str]:
    name = rng.choice(sorted(texts))
    lines = texts[name]
    if rng.random() >= WHOLE and len(lines) > 40:
        start = rng.randrange(len(lines))
        lines = lines[start : start + rng.randint(20, 400)]
    changes = [
        Damage(rng.choice(OPERATIONS), rng.random(), rng.random(), rng.randrange(100))
        for _ in range(rng.randint(1, 4))
    ]
    return name, "\n".join(lines), changes, rng.choice(ENCODINGS)


def parse_bytes(name: str, data: bytes) -> str:
    """Read ``data`` as the import reads a text file; "read" or the refusal's code."""
    text, encoding = decode(name, data)
    lines, _ = split_lines(text)
    source = SourceText(
        lines=lines, sha256="-", filename=name, encoding=encoding, media_type="text/plain"
    )
    parsed = parse_text(source)
    areas = {area.id for area in load_framework(parsed.framework).walk()}
    outside = {j.area for j in parsed.judgments} - areas
    outside |= {f.area for f in parsed.findings if f.area} - areas
    if outside:
        raise AssertionError(f"areas outside {parsed.framework}: {sorted(outside)}")
    return "read"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000, help="how many inputs")
    parser.add_argument("--seed", type=int, default=12)
    add_common_options(parser)
    args = parser.parse_args()
    paths = sorted((SHARED / "reference-reports").glob("*.txt"))
    paths += sorted((SHARED / "examples").glob("*/*.txt"))
    texts = {p.name: p.read_text(encoding="utf-8").splitlines() for p in paths}
    if not texts:
        print("no reference reports found beside the repository")
        return 2
    rng = random.Random(args.seed)
    outcomes: Counter[str] = Counter()
    crashes = 0
    started = time.perf_counter()
    for index in range(args.count):
        name, text, changes, encoding = recipe(rng, texts)
        try:
            outcomes[parse_bytes(name, damaged(text, changes, encoding))] += 1
        except PeelkitError as error:
            outcomes[error.code] += 1
        except Exception:
            crashes += 1
            print(f"crash {crashes}: input {index} (seed {args.seed}): {name}, {encoding}")
            print(f"  damages: {changes}")
            print("  " + traceback.format_exc().strip().splitlines()[-1])
    elapsed = time.perf_counter() - started
    figures = {
        "inputs": float(args.count),
        "crashes": float(crashes),
        "inputs_per_second": round(args.count / elapsed, 1),
        "read_share": round(outcomes["read"] / args.count, 3),
    }
    print("outcomes: " + ", ".join(f"{code} {n}" for code, n in outcomes.most_common()))
    report(figures, BASELINE, args, "target: crashes 0")
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())
