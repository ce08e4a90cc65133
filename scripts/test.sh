#!/usr/bin/env bash
# The whole test suite: set up, then lint (ruff), type-check (mypy) and run pytest.
# PostgreSQL tests run when PEELKIT_TEST_POSTGRES_URL names a server (CI sets it).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
echo "== ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
echo "== mypy"
.venv/bin/mypy
echo "== pytest"
started=$(date +%s)
# The slowest tests are listed at the end, so a slow CI run says where its time went.
status=0
.venv/bin/pytest --durations=25 "$@" || status=$?
echo "== test suite: $(( $(date +%s) - started )) s"
exit $status
