"""Shared by the notebook tests: which labs exist, running notebooks, grading them."""
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from utils.release import lab_names

ROOT = Path(__file__).resolve().parent.parent

LABS = lab_names()


def solution_path(lab):
    return ROOT / "solutions" / lab / f"{lab}.ipynb"


def release_path(lab):
    return ROOT / "labs" / lab / f"{lab}.ipynb"


def execute(path, *, timeout=600, env=None):
    """Run a notebook top to bottom in its own folder, its kernel's environment updated
    with ``env``; return the executed notebook."""
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, timeout=timeout, kernel_name="python3", allow_errors=False,
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


@dataclass
class Submission:
    """A fixture submission: the released lab with the solution's answers filled in,
    then ``edits`` (grade id -> new source, for answer or test cells) applied, or the
    blank release when ``blank`` is true.  ``expected`` is its exact score."""
    student: str
    expected: float
    edits: dict = field(default_factory=dict)
    blank: bool = False

    def notebook(self, lab):
        notebook = nbformat.read(release_path(lab), as_version=4)
        solutions = cells_by_id(solution_path(lab))
        for cell in notebook.cells:
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            if not self.blank and cell.metadata.get("nbgrader", {}).get("solution"):
                cell.source = solutions[grade_id].source
            if grade_id in self.edits:
                cell.source = self.edits[grade_id]
        unknown = set(self.edits) - {c.metadata.get("nbgrader", {}).get("grade_id") for c in notebook.cells}
        if unknown:
            raise KeyError(f"{self.student}: no cells with grade ids {sorted(unknown)} in {lab}")
        return notebook


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
