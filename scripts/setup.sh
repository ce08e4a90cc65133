#!/usr/bin/env bash
# Sets up everything peelkit needs on a fresh Debian machine: the Debian packages listed in
# scripts/debian-packages.txt, the uv package manager, and the project environment in .venv/
# from the locked dependencies (uv.lock). Safe to run again: it only does what is missing.
# Usage: bash scripts/setup.sh [--no-dev]
set -euo pipefail
cd "$(dirname "$0")/.."

UV_VERSION=0.13.8

packages=$(grep -v '^\s*#' scripts/debian-packages.txt | tr -s ' \n' ' ' || true)
missing=""
for package in $packages; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
    || missing="$missing $package"
done
if [ -n "$missing" ]; then
  echo "setup: installing Debian packages:$missing"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
fi

if ! python3 -m uv --version 2>/dev/null | grep -q "uv $UV_VERSION"; then
  echo "setup: installing uv $UV_VERSION"
  python3 -m pip install --quiet --disable-pip-version-check "uv==$UV_VERSION"
fi

export UV_PYTHON_DOWNLOADS=never
# Bytecode compiled at set-up, the dependencies' and peelkit's own: the first `peel` of a fresh
# machine starts as fast as the next, also where PYTHONDONTWRITEBYTECODE keeps Python from
# caching what it compiles (each command would compile some 700 modules again, ~3 s).
python3 -m uv sync --frozen --quiet --compile-bytecode "$@"
.venv/bin/python -m compileall -q -j 0 src >/dev/null
echo "setup: environment ready in .venv/ ($(.venv/bin/peel --version 2>/dev/null || echo peel))"
