#!/usr/bin/env bash
# Set up (first run) and run the whole test suite, one worker per core.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$PWD/.venv/bin:$PATH"  # nbgrader shells out to alembic from this folder
exec .venv/bin/python -m pytest -n auto "$@"
