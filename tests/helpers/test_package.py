"""The package installs (also as a wheel, outside the repository), imports cheaply, and
declares the same dependencies in both install routes."""
import json
import shutil
import site
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.support.notebooks import ROOT, execute, solution_path, stderr_outputs


def test_importing_the_helpers_does_not_import_tensorflow():
    code = ("import sys, dl4cv, dl4cv.checks, dl4cv.data, dl4cv.plotting, dl4cv.runtime; "
            "print(sorted(m for m in ('tensorflow', 'keras', 'jax', 'torch') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd="/", check=True)
    assert result.stdout.strip() == "[]"


def test_environment_yml_declares_what_pyproject_declares():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    declared = set(project["dependencies"]) | set(extras["cpu"]) | set(extras["lab"]) | set(extras["test"])
    lines = [line.strip() for line in (ROOT / "environment.yml").read_text().splitlines()]
    pip = {line[2:] for line in lines if line.startswith("- ") and any(c in line for c in "<>=")}
    pip.discard("python=3.11")
    assert pip == declared


def _fresh_environment(folder):
    """A new virtual environment holding a wheel of the course built from a copy of just
    what the wheel needs (not the repository); the heavy dependencies (NumPy, Keras,
    ipykernel, ...) come from this test's environment, after the wheel's own files."""
    source = folder / "source"
    shutil.copytree(ROOT / "utils", source / "utils", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(folder / "dist"),
                    str(source)], check=True)
    [wheel] = (folder / "dist").glob("dl4cv_labs-*.whl")
    venv = folder / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps",
                    "--no-index", str(wheel)], check=True)
    fresh_site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                                capture_output=True, text=True, check=True).stdout.strip()
    (Path(fresh_site) / "course_dependencies.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    return python


@pytest.mark.notebook
def test_a_wheel_in_a_fresh_environment_runs_labs_1_and_2_outside_the_repository(tmp_path, monkeypatch):
    python = _fresh_environment(tmp_path)
    where = subprocess.run([str(python), "-c", "import dl4cv, dl4cv.data as d, dl4cv.course.grading; "
                            "print(dl4cv.__file__); print(d.lecture_matrix('o').shape, len(d.load_mnist_sample()[1]))"],
                           capture_output=True, text=True, cwd=tmp_path, check=True).stdout.splitlines()
    assert where[0].startswith(str(tmp_path / "venv")), where  # the wheel's copy, not the repository's
    assert where[1] == "(9, 9) 1000"
    assert (python.parent / "dl4cv-grade").is_file()
    kernels = tmp_path / "jupyter"
    (kernels / "kernels" / "fresh").mkdir(parents=True)
    (kernels / "kernels" / "fresh" / "kernel.json").write_text(json.dumps({
        "argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "the wheel's environment", "language": "python"}))
    monkeypatch.setenv("JUPYTER_PATH", str(kernels))
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    for lab in ("lab1_images", "lab2_convolution"):
        outside = tmp_path / "student" / lab
        outside.mkdir(parents=True)
        shutil.copy(solution_path(lab), outside)  # the given cells, with the answers filled in
        notebook = execute(outside / f"{lab}.ipynb", kernel_name="fresh", env={"PYTHONPATH": ""})
        assert stderr_outputs(notebook) == []
        printed = "".join(output.get("text", "") for cell in notebook.cells for output in cell.get("outputs", []))
        assert "✘" not in printed and "passed" in printed
