"""Hidden tests probe; they do not judge.  Every graded test cell sends probes the grader
can read, and its hidden region holds inputs only: no assert, no comparison, nothing
that could tell a student's kernel an expected value."""
import ast
import textwrap

import nbformat
import pytest

from dl4cv.course.grading.course import source_probes
from dl4cv.course.grading.feedback import split_hidden
from tests.support.notebooks import LABS, ROOT, solution_path

COMPARISONS = {"allclose", "array_equal", "array_equiv", "isclose", "assert_allclose", "assert_array_equal",
               "assert_equal", "assert_almost_equal", "check_equal", "check_array", "check_true"}


def _hidden_regions(lab):
    for cell in nbformat.read(solution_path(lab), as_version=4).cells:
        hidden = split_hidden(cell.source)[1] if cell.cell_type == "code" else []
        if hidden:
            yield cell.metadata["nbgrader"]["grade_id"], ast.parse(textwrap.dedent("\n".join(hidden)))


@pytest.mark.parametrize("lab", LABS)
def test_every_graded_cell_sends_probes_the_grader_can_read(lab):
    probes = source_probes(ROOT / "solutions" / lab)[lab]  # SystemExit names any cell it cannot read
    assert probes and all(probes.values())
    assert all(probe.says.strip() for cell in probes.values() for probe in cell)


@pytest.mark.parametrize("lab", LABS)
def test_hidden_regions_hold_inputs_and_probes_only(lab):
    judging = []
    for grade_id, tree in _hidden_regions(lab):
        for node in ast.walk(tree):
            called = getattr(node, "func", None)
            name = getattr(called, "attr", getattr(called, "id", None)) if isinstance(node, ast.Call) else None
            # try/finally may put a swapped-in input back; try/except would be a check.
            if isinstance(node, (ast.Assert, ast.Raise)) or (isinstance(node, ast.Try) and node.handlers) \
                    or name in COMPARISONS:
                judging.append((grade_id, node.lineno, ast.unparse(node).splitlines()[0][:80]))
    assert judging == [], f"hidden code that judges in the student's kernel (cell, line, code): {judging}"
