#!/usr/bin/env bash
# The main job on the embedded default data: set up, create a fresh database in out/, write
# the reference data (forces, frameworks, most similar groups) into it, import the published
# reference reports and the HMICFRS grades when ../shared is beside the repository, print a
# summary and the 2018/19 figures, and write the national and Metropolitan Police reports
# (HTML and PDF) to out/reports/.
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
grades="../shared/data/raw/peel-grades/peel_grades.csv"
if [ -f "$grades" ]; then
  .venv/bin/peel --db "$db" grades load "$grades"
fi
.venv/bin/peel --db "$db" summary
# Figures from the embedded official statistics, as the 2018/19 report printed them.
.venv/bin/peel --db "$db" indicators "Metropolitan Police Service" --month 2018-09 \
  --population-year 2018 --comparator msg --indicator recorded_crime_per_1000 \
  --indicator violence_against_the_person_per_1000 --indicator theft_and_robbery_per_1000
# The national report and the Metropolitan Police Service's reports, as HTML and PDF.
.venv/bin/peel --db "$db" report --national --framework peel-2018-19 --format html --format pdf \
  --out out/reports
.venv/bin/peel --db "$db" report "Metropolitan Police Service" --framework peel-2018-19 \
  --format html --format pdf --out out/reports
if ls "$reports"/*.txt >/dev/null 2>&1; then
  for framework in baseline-2005 peel-2016; do
    .venv/bin/peel --db "$db" report "Metropolitan Police Service" --framework "$framework" \
      --format html --format pdf --out out/reports
  done
fi
echo "Reports are in out/reports/; the database is out/peelkit.sqlite"
echo "(try: .venv/bin/peel --db out/peelkit.sqlite inspections)"
