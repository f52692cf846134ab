#!/usr/bin/env bash
# The instructor's JupyterLab: the whole repository (solutions/, labs/), with nbgrader's
# formgrader and "Create Assignment".  Arguments pass through to `jupyter lab`.
# Grading runs student code in bubblewrap sandboxes: install it first if it is missing.
bash "$(dirname "$0")/install-sandbox.sh"
DL4CV_ROLE=instructor exec bash "$(dirname "$0")/start-labs.sh" "$@"
