"""A Colab twin: the labs' setup cell and Labs 1 and 2, top to bottom in one kernel, in
a virtual environment pinned to the package versions of Google Colab's runtime.

The versions are those of Colab's published runtime list, the repository
googlecolab/backend-info, files ``os-info.txt`` and ``pip-freeze.txt`` at commit
a72407924822ea377410b69f0a290150bcb5c9c2 (2026-08-19, "Upgrade to Python 3.13"; the GPU
runtime's list pins the same versions).  Two differences, both forced: Colab's
``tensorflow`` is the CUDA build, here it is the CPU wheel of the same version; and
``google.colab`` is not on PyPI, so a stand-in module is imported when the kernel starts,
as Colab's own kernel does.  The setup cell installs the course's release tag from a
local git repository holding this checkout instead of from GitHub; everything else it does is
what it does on Colab: no restart, nothing Colab ships upgraded, importable in the next cell.
"""
import hashlib
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest

import dl4cv
from tests.support.notebooks import ROOT, execute, solution_path, stderr_outputs
from dl4cv.course import release

pytestmark = pytest.mark.notebook

COLAB_PYTHON = "3.13"
COLAB_PACKAGES = (
    "numpy==2.1.3", "scipy==1.16.3", "tensorflow-cpu==2.20.0", "keras==3.13.2", "matplotlib==3.10.0",
    "pillow==11.3.0", "ml_dtypes==0.6.0", "h5py==3.16.0", "protobuf==5.29.6", "pycocotools==2.0.11",
    "ipywidgets==7.7.1", "widgetsnbextension==3.6.10", "jupyterlab_widgets==3.0.16",
    "ipykernel==6.17.1", "ipython==7.34.0", "jupyter_client==7.4.9", "jupyter_core==5.9.1",
    "traitlets==5.7.1", "tornado==6.5.7", "pyzmq==26.2.1",
)
# Only to run the widget tests inside the twin; Colab has its own pytest.
TEST_TOOLS = ("pytest>=8,<10",)
LABS = ("lab1_images", "lab2_convolution")
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def _colab_python():
    candidates = [shutil.which(f"python{COLAB_PYTHON}"),
                  *sorted(str(p) for p in Path.home().glob(f".pyenv/versions/{COLAB_PYTHON}.*/bin/python3"))]
    for candidate in filter(None, candidates):
        result = subprocess.run([candidate, "-c", "import sys; print(sys.version_info[:2])"],
                                capture_output=True, text=True)
        if result.returncode == 0 and result.stdout.strip() == str(tuple(map(int, COLAB_PYTHON.split(".")))):
            return candidate
    pytest.fail(f"the Colab twin needs Python {COLAB_PYTHON} (Colab's), and there is none here: "
                f"looked for python{COLAB_PYTHON} on PATH and in ~/.pyenv/versions")


def _pip(python, *args):
    result = subprocess.run([str(python), "-m", "pip", "--disable-pip-version-check", *args],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result.stdout


@pytest.fixture(scope="module")
def twin():
    """The twin's Python, built once per set of pins and kept in the user's cache."""
    pins = "\n".join((COLAB_PYTHON, *COLAB_PACKAGES, *TEST_TOOLS))
    folder = Path.home() / ".cache" / "dl4cv" / f"colab-twin-{hashlib.sha256(pins.encode()).hexdigest()[:12]}"
    python = folder / "bin" / "python"
    if not (folder / "pins.txt").is_file():
        shutil.rmtree(folder, ignore_errors=True)
        subprocess.run([_colab_python(), "-m", "venv", str(folder)], check=True)
        _pip(python, "install", "--quiet", *COLAB_PACKAGES, *TEST_TOOLS)
        (folder / "pins.txt").write_text(pins + "\n")
    return python


def _installed(python):
    return {_canonical(package["name"]): package["version"]
            for package in json.loads(_pip(python, "list", "--format=json"))}


def _canonical(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def _release_repository(folder):
    """A git repository holding this checkout's package as its release ``v<version>``, as
    the course's repository does on GitHub: what the setup cell's pip install fetches."""
    shutil.copytree(ROOT / "utils", folder / "utils", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, folder / name)
    git = ["git", "-C", str(folder), "-c", "user.name=twin", "-c", "user.email=twin@localhost"]
    for args in (["init", "--quiet"], ["add", "."], ["commit", "--quiet", "-m", "release"],
                 ["tag", f"v{dl4cv.__version__}"]):
        subprocess.run(git + args, check=True, capture_output=True)
    return folder


def _kernel(tmp_path, python):
    """A kernelspec for the twin whose kernel imports the stand-in google.colab at start."""
    stand_in = tmp_path / "stand-in" / "google" / "colab"
    stand_in.mkdir(parents=True)
    (stand_in / "__init__.py").write_text('"""A stand-in for Colab\'s google.colab (not on PyPI)."""\n')
    startup = tmp_path / "ipython" / "profile_default" / "startup"
    startup.mkdir(parents=True)
    (startup / "00-colab.py").write_text("import google.colab  # Colab's kernel has it imported\n")
    spec = tmp_path / "jupyter" / "kernels" / "colab-twin"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Colab twin", "language": "python",
        "env": {"PYTHONPATH": str(tmp_path / "stand-in"), "IPYTHONDIR": str(tmp_path / "ipython")}}))
    return tmp_path / "jupyter"


def _labs_in_one_notebook(repository):
    """Labs 1 and 2 (with the answers filled in), one after the other, each opening with
    its setup cell pointed at ``repository`` instead of the course's address on GitHub."""
    combined = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "colab-twin", "display_name": "Colab twin"}})
    for lab in LABS:
        notebook = nbformat.read(solution_path(lab), as_version=4)
        for cell in notebook.cells:
            if cell.get("id") == release.SETUP_ID:
                assert release.course_requirement() in cell.source
                cell.source = cell.source.replace(release.repository_url(), repository.as_uri())
            cell.id = f"{lab}-{cell.id}"
        combined.cells += notebook.cells
    return combined


def _text(cell):
    return "".join(output.get("text", "") for output in cell.get("outputs", []))


def test_the_labs_and_widgets_run_on_a_colab_twin_after_the_setup_cell(twin, tmp_path, monkeypatch):
    # As Colab ships: without the course, and its pins back where an earlier run moved them.
    _pip(twin, "uninstall", "--quiet", "--yes", "dl4cv-labs")
    _pip(twin, "install", "--quiet", *COLAB_PACKAGES)
    before = _installed(twin)
    pinned = {_canonical(name): version for name, version in (pin.split("==") for pin in COLAB_PACKAGES)}
    assert {name: before.get(name) for name in pinned} == pinned
    repository = _release_repository(tmp_path / "dl4cv-labs")
    content = tmp_path / "content"  # Colab's working folder
    content.mkdir()
    nbformat.write(_labs_in_one_notebook(repository), content / "labs.ipynb")
    monkeypatch.setenv("JUPYTER_PATH", str(_kernel(tmp_path, twin)))
    for name in ("NBGRADER_EXECUTION", "PYTHONPATH", "KERAS_BACKEND", "DL4CV_STATIC_WIDGETS"):
        monkeypatch.delenv(name, raising=False)
    try:
        notebook = execute(content / "labs.ipynb", kernel_name="colab-twin", timeout=900)
        after = _installed(twin)
        # tests/helpers' widget tests, against Colab's ipywidgets 7.7.1 and the course the
        # setup cell installed (the suite itself runs them on ipywidgets 8).
        widget_tests = subprocess.run(
            [str(twin), "-m", "pytest", "-q", "--noconftest", "-o", "addopts=", "-p", "no:cacheprovider",
             "tests/helpers/test_widgets.py", "tests/helpers/test_mnist_viz.py"],
            cwd=ROOT, capture_output=True, text=True)
    finally:
        _pip(twin, "uninstall", "--quiet", "--yes", "dl4cv-labs")

    assert stderr_outputs(notebook) == []
    setup = [cell for cell in notebook.cells if cell.id.endswith(release.SETUP_ID)]
    assert "Installing the course helpers" in _text(setup[0]) and "ready" in _text(setup[0])
    assert "Installing" not in _text(setup[1]) and "ready" in _text(setup[1])  # run twice: nothing to do
    printed = "".join(_text(cell) for cell in notebook.cells)
    assert "✘" not in printed and printed.count("passed") > 20
    widget_cells = [cell for cell in notebook.cells if cell.cell_type == "code" and "conv_explorer(" in cell.source]
    assert widget_cells and all(any(WIDGET_VIEW in output.get("data", {}) for output in cell.outputs)
                                for cell in widget_cells), "the explorer did not draw live widgets"
    assert {name: version for name, version in before.items() if after.get(name) != version} == {}, \
        "the setup cell changed a package Colab ships"
    assert set(after) - set(before) == {"dl4cv-labs"}
    assert after["ipywidgets"] == "7.7.1"
    assert widget_tests.returncode == 0, widget_tests.stdout[-4000:] + widget_tests.stderr[-2000:]
    assert " passed" in widget_tests.stdout
