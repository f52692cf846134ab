#!/usr/bin/env bash
# The instructor's JupyterLab: the whole repository (solutions/, labs/), with nbgrader's
# formgrader and "Create Assignment".  Arguments pass through to `jupyter lab`.
DL4CV_ROLE=instructor exec bash "$(dirname "$0")/start-labs.sh" "$@"
