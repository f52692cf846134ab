#!/usr/bin/env bash
# Set up (first run) and open JupyterLab on the student labs.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
options=(--ServerApp.root_dir=labs)
if [ "$(id -u)" -eq 0 ]; then
    options+=(--allow-root)  # Jupyter refuses to run as root without it
fi
exec .venv/bin/jupyter lab "${options[@]}" "$@"
