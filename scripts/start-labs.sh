#!/usr/bin/env bash
# Set up (first run) and open JupyterLab on the student labs.  Arguments pass through
# to `jupyter lab` (for example --port=8899 or --no-browser).  Students see nbgrader's
# "Validate" button only; scripts/start-course.sh opens the instructor's view.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if [ "${DL4CV_ROLE:-student}" = instructor ]; then
    root=.
else
    # Hides formgrader, "Create Assignment" and the course and assignment lists.
    export JUPYTER_CONFIG_PATH="$PWD/scripts/student-jupyter${JUPYTER_CONFIG_PATH:+:$JUPYTER_CONFIG_PATH}"
    root=labs
fi
options=(--ServerApp.root_dir="$root")
if [ "$(id -u)" -eq 0 ]; then
    options+=(--allow-root)  # Jupyter refuses to run as root without it
fi
echo "start-labs: opening JupyterLab on $(cd "$root" && pwd) (Ctrl-C stops it)"
exec .venv/bin/jupyter lab "${options[@]}" "$@"
