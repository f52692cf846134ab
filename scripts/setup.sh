#!/usr/bin/env bash
# Create .venv (first run) and install the course into it: the helpers (editable),
# TensorFlow (the GPU build where an NVIDIA GPU is present, else the CPU build),
# JupyterLab, nbgrader and the test tools.
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    "$python" -m venv .venv
fi
if command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi -L >/dev/null 2>&1; then
    tensorflow=gpu
else
    tensorflow=cpu
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[$tensorflow,lab,test]"
