"""Hidden tests speak to students too: nbgrader's feedback shows a failed hidden assert's
message, so every one has a message, and no message names the value it compares with."""
import ast
import textwrap

import nbformat
import pytest

from tests.support.notebooks import LABS, solution_path
from dl4cv.course.grading.feedback import split_hidden

REFERENCE_NAMES = {"expected", "reference", "want", "wanted", "truth", "answer", "solution"}


def _hidden_asserts(lab):
    for cell in nbformat.read(solution_path(lab), as_version=4).cells:
        if cell.cell_type != "code":
            continue
        hidden = split_hidden(cell.source)[1]
        if hidden:
            tree = ast.parse(textwrap.dedent("\n".join(hidden)))
            for node in ast.walk(tree):
                if isinstance(node, ast.Assert):
                    yield cell.metadata["nbgrader"]["grade_id"], node


@pytest.mark.parametrize("lab", LABS)
def test_every_hidden_assert_says_what_was_expected_without_the_value(lab):
    bare = [(grade_id, node.lineno) for grade_id, node in _hidden_asserts(lab) if node.msg is None]
    assert bare == [], f"hidden asserts without a message (cell, line in its hidden region): {bare}"
    leaking = [(grade_id, node.lineno) for grade_id, node in _hidden_asserts(lab)
               if {n.id for n in ast.walk(node.msg) if isinstance(n, ast.Name)} & REFERENCE_NAMES]
    assert leaking == [], f"hidden assert messages that show the reference value: {leaking}"
