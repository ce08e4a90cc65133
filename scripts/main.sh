#!/usr/bin/env bash
# The main job on the embedded default data: set up, create a fresh database in out/, write
# the reference data (forces, frameworks, most similar groups) into it, and print a summary.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
mkdir -p out
rm -f out/peelkit.sqlite
db="out/peelkit.sqlite"
.venv/bin/peel --db "$db" init
.venv/bin/peel --db "$db" summary
echo "The database is out/peelkit.sqlite; try: .venv/bin/peel --db out/peelkit.sqlite --help"
