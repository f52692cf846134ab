#!/usr/bin/env bash
# Create .venv (first run) and install the course into it: the helpers (editable),
# TensorFlow (the GPU build where an NVIDIA GPU is present, else the CPU build),
# JupyterLab, nbgrader and the test tools.  Later runs reinstall only when
# pyproject.toml or the TensorFlow build changed.
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    echo "setup: creating the virtual environment .venv with $("$python" --version)"
    "$python" -m venv .venv
fi
if command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi -L >/dev/null 2>&1; then
    tensorflow=gpu
else
    tensorflow=cpu
fi
stamp=".venv/dl4cv-installed"
wanted="$tensorflow $(sha256sum pyproject.toml | cut -c1-16)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ]; then
    echo "setup: .venv is up to date (TensorFlow $tensorflow build)"
    exit 0
fi
echo "setup: installing the course helpers (dl4cv), TensorFlow ($tensorflow build), JupyterLab,"
echo "       nbgrader and the test tools into .venv; the first time takes about 2 minutes ..."
start=$SECONDS
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[$tensorflow,lab,test]"
echo "$wanted" > "$stamp"
echo "setup: done in $((SECONDS - start)) s"
