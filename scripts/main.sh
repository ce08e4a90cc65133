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
echo "The database is out/peelkit.sqlite; try: .venv/bin/peel --db out/peelkit.sqlite inspections"
