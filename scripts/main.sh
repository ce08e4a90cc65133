#!/usr/bin/env bash
# The main job on the embedded default data: set up, create a fresh database in out/, write
# the reference data (forces, frameworks, most similar groups) into it, import the published
# reference reports when ../shared is beside the repository, and print a summary.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
mkdir -p out
rm -f out/peelkit.sqlite
db="out/peelkit.sqlite"
.venv/bin/peel --db "$db" init
reports="../shared/reference-reports"
if ls "$reports"/*.txt >/dev/null 2>&1; then
  .venv/bin/peel --db "$db" import "$reports"/*.txt
fi
.venv/bin/peel --db "$db" summary
# Figures from the embedded official statistics, as the 2018/19 report printed them.
.venv/bin/peel --db "$db" indicators "Metropolitan Police Service" --period 2018-09 \
  --population-year 2018 --comparator msg --indicator recorded_crime_per_1000 \
  --indicator violence_against_the_person_per_1000 --indicator theft_and_robbery_per_1000
echo "The database is out/peelkit.sqlite; try: .venv/bin/peel --db out/peelkit.sqlite inspections"
