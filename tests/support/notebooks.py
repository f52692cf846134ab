"""Which labs exist, where their notebooks are, running them, grading them with nbgrader."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from dl4cv.course.release import lab_names

ROOT = Path(__file__).resolve().parents[2]

LABS = lab_names()


def solution_path(lab):
    return ROOT / "solutions" / lab / f"{lab}.ipynb"


def release_path(lab):
    return ROOT / "labs" / lab / f"{lab}.ipynb"


def execute(path, *, timeout=600, env=None, kernel_name="python3"):
    """Run a notebook top to bottom in its own folder, its kernel's environment updated
    with ``env``; return the executed notebook."""
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, timeout=timeout, kernel_name=kernel_name, allow_errors=False,
                            resources={"metadata": {"path": str(Path(path).parent)}})
    client.execute(env={**os.environ, **(env or {})})
    return notebook


def stderr_outputs(notebook):
    """(cell id, text) of every stderr stream a code cell wrote."""
    found = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                found.append((cell.get("id"), output.get("text", "")[:500]))
    return found


def nbgrader(*args, cwd):
    return subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=cwd, capture_output=True, text=True)


def points(lab):
    notebook = nbformat.read(solution_path(lab), as_version=4)
    return sum(float(cell.metadata["nbgrader"]["points"]) for cell in notebook.cells
               if cell.metadata.get("nbgrader", {}).get("grade"))


def cells_by_id(path):
    return {cell.metadata["nbgrader"]["grade_id"]: cell
            for cell in nbformat.read(path, as_version=4).cells if "nbgrader" in cell.metadata}


def autograde(lab, submissions, course):
    """Grade ``submissions`` of ``lab`` with nbgrader in a fresh course folder; return
    {student: score}."""
    course = Path(course)
    shutil.copytree(ROOT / "solutions" / lab, course / "source" / lab)
    settings = [f"--CourseDirectory.root={course}", f"--CourseDirectory.db_url=sqlite:///{course}/gradebook.db",
                "--Execute.timeout=180", "--log-level=WARN"]
    result = nbgrader("generate_assignment", lab, *settings, cwd=course)
    assert result.returncode == 0, result.stdout + result.stderr
    for submission in submissions:
        folder = course / "submitted" / submission.student / lab
        folder.mkdir(parents=True)
        nbformat.write(submission.notebook(lab), folder / f"{lab}.ipynb")
    result = nbgrader("autograde", lab, "--create", *settings, cwd=course)
    assert result.returncode == 0, result.stdout + result.stderr
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course}/gradebook.db") as gradebook:
        return {s.student: gradebook.find_submission(lab, s.student).score for s in submissions}
