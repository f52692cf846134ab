"""Broken and adversarial submissions, each with the exact score our grader must give.

A lab's corpus is ``tests/adversarial/<lab>.py`` defining ``CORPUS``: a list of
``Tampered`` submissions.  Sources may name ``@COURSE@`` (the course folder being graded)
and ``@REPO@`` (this repository): the test fills them in, so a submission can try to read
or write exactly the files that matter.
"""
import copy
import importlib
from dataclasses import dataclass, field, replace
from pathlib import Path

from notebooks import Submission

HERE = Path(__file__).resolve().parent


def labs():
    """Labs that have a corpus."""
    return sorted(p.stem for p in HERE.glob("*.py") if p.stem != "__init__")


def corpus(lab):
    return importlib.import_module(f"adversarial.{lab}").CORPUS


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
class Tampered(Submission):
    """A fixture submission (see tests/notebooks.py) with a change to the notebook's
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
