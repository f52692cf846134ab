#!/usr/bin/env bash
# The grader's sandbox: bubblewrap (Debian/Ubuntu package `bubblewrap`), installed with apt
# when it is missing.  dl4cv-grade checks the rest on its first line (docs/instructors.md).
set -euo pipefail
if command -v bwrap >/dev/null; then
    echo "sandbox: $(bwrap --version) is installed"
    exit 0
fi
if ! command -v apt-get >/dev/null; then
    echo "error: install bubblewrap with your system's package manager (it provides bwrap)" >&2
    exit 1
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "sandbox: installing bubblewrap with apt ..."
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq bubblewrap >/dev/null
echo "sandbox: $(bwrap --version) is installed"
