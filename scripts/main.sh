#!/usr/bin/env bash
# The main job on the embedded default data: set up, create a fresh database in out/, write
# the reference data (forces, frameworks, most similar groups) into it, import the published
# reference reports, the sample web pages and 2021-25 reports, the HMICFRS grades and the
# follow-up letters when ../shared is beside the repository, print a summary and the 2018/19
# figures, write the national and Metropolitan Police reports (HTML, PDF and the report's view
# as JSON) to out/reports/ and the open data to out/open-data/, then serve the web app and API
# on http://127.0.0.1:8000/ until Ctrl-C.
# Usage: bash scripts/main.sh [--no-serve]   (--no-serve: stop after writing, for batch use)
set -euo pipefail
cd "$(dirname "$0")/.."
serve=1
for argument in "$@"; do
  case "$argument" in
    --no-serve) serve=0 ;;
    *) echo "main.sh: unknown option $argument (expected --no-serve)" >&2; exit 2 ;;
  esac
done
bash scripts/setup.sh
mkdir -p out
rm -f out/peelkit.sqlite
db="out/peelkit.sqlite"
.venv/bin/peel --db "$db" init
reports="../shared/reference-reports"
if ls "$reports"/*.txt >/dev/null 2>&1; then
  .venv/bin/peel --db "$db" import "$reports"/*.txt
fi
# Documents as users bring them: HMICFRS per-force web pages of 2016 and 2017, PEEL 2021/22 and
# 2023-25 force reports and press releases (docs/importing.md).
for documents in ../shared/examples/hmicfrs-web-pages/*.txt \
  ../shared/examples/hmicfrs-2021-25/*_report.txt \
  ../shared/examples/hmicfrs-2021-25/*_press-release.txt; do
  if [ -f "$documents" ]; then
    .venv/bin/peel --db "$db" import "$documents" --quiet
  fi
done
grades="../shared/data/raw/peel-grades/peel_grades.csv"
if [ -f "$grades" ]; then
  .venv/bin/peel --db "$db" grades load "$grades"
fi
# Follow-up: HMICFRS letters and notices, register pages and PCC responses, then the register.
followup="../shared/examples/follow-up"
if ls "$followup"/*.txt >/dev/null 2>&1; then
  .venv/bin/peel --db "$db" import "$followup"/*.txt
  .venv/bin/peel --db "$db" followup monitoring
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
  --format html --format pdf --format json --out out/reports
if ls "$reports"/*.txt >/dev/null 2>&1; then
  for framework in baseline-2005 peel-2016; do
    .venv/bin/peel --db "$db" report "Metropolitan Police Service" --framework "$framework" \
      --format html --format pdf --out out/reports
  done
fi
# The open data of the public record: CSV files, datapackage.json and record.json.
.venv/bin/peel --db "$db" export-open out/open-data
echo "Reports are in out/reports/, open data in out/open-data/; the database is out/peelkit.sqlite"
echo "(try: .venv/bin/peel --db out/peelkit.sqlite inspections)"
if [ "$serve" = 1 ]; then
  # The web app and API on the main job's database; open the address it prints in a browser.
  exec .venv/bin/peel --db "$db" serve --host 127.0.0.1 --port 8000
fi
