"""Fixture submissions, each with the exact score it must get.

A lab's fixtures are ``tests/submissions/<lab>.py``: ``SUBMISSIONS``, honest answers
(right, partly wrong) that nbgrader and our grader must score exactly, and optionally
``CORPUS``, broken and adversarial ``Tampered`` submissions for our grader.  Every lab is
also graded as the full solution and as the blank release.  A submission names cells by
their nbgrader grade id and gives the source the "student" left there.  Tampered sources
may name ``@COURSE@`` (the course folder being graded) and ``@REPO@`` (this repository):
the test fills them in, so a submission can try to read or write exactly the files that
matter.
"""
import copy
import importlib
from dataclasses import dataclass, field, replace

import nbformat

from tests.support.notebooks import cells_by_id, release_path, solution_path

FIXTURES = "tests.submissions"


def _fixtures(lab):
    try:
        return importlib.import_module(f"{FIXTURES}.{lab}")
    except ModuleNotFoundError as error:
        if error.name == f"{FIXTURES}.{lab}":
            return None
        raise


def submissions_for(lab):
    """The lab's honest fixture submissions (beyond the solution and the blank lab)."""
    return list(getattr(_fixtures(lab), "SUBMISSIONS", []))


def corpus(lab):
    """The lab's broken and adversarial submissions."""
    return list(getattr(_fixtures(lab), "CORPUS", []))


def scribbled(lab):
    """Paths (with ``@COURSE@``/``@REPO@``) the lab's corpus tries to write and must not."""
    return list(getattr(_fixtures(lab), "SCRIBBLED", []))


def labs_with_corpus(labs):
    return [lab for lab in labs if corpus(lab)]


def grade_id(cell):
    return cell.metadata.get("nbgrader", {}).get("grade_id")


def _index(notebook, cell_id):
    for index, cell in enumerate(notebook.cells):
        if grade_id(cell) == cell_id:
            return index
    raise KeyError(f"no cell with grade id {cell_id!r}")


def delete_cell(cell_id):
    def transform(notebook):
        del notebook.cells[_index(notebook, cell_id)]
    return transform


def change_cell_type(cell_id, cell_type):
    def transform(notebook):
        cell = notebook.cells[_index(notebook, cell_id)]
        cell.cell_type = cell_type
        if cell_type == "markdown":
            cell.pop("outputs", None)
            cell.pop("execution_count", None)
    return transform


def duplicate_before(cell_id, source):
    """A copy of cell ``cell_id`` (same cell id, same nbgrader metadata) holding
    ``source``, inserted just before it."""
    def transform(notebook):
        index = _index(notebook, cell_id)
        fake = copy.deepcopy(notebook.cells[index])
        fake.source = source
        notebook.cells.insert(index, fake)
    return transform


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


@dataclass
class Tampered(Submission):
    """A fixture submission with a change to the notebook's
    structure (``transform``) applied after the source edits, and why it scores
    ``expected``."""
    transform: object = None
    why: str = ""

    def with_paths(self, course, repo):
        fill = lambda text: text.replace("@COURSE@", str(course)).replace("@REPO@", str(repo))  # noqa: E731
        return replace(self, edits={key: fill(value) for key, value in self.edits.items()})

    def notebook(self, lab):
        notebook = super().notebook(lab)
        if self.transform is not None:
            self.transform(notebook)
        return notebook
