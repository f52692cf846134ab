"""Every lab, end to end: nbgrader validates the solution, every graded test fails on the
blank release, labs/ is what nbgrader generates, and plain nbgrader autograde, which
cannot judge probes, says so.  (Each solution also runs top to bottom, cell by cell, under nbval: conftest.py.)"""
import nbformat
import pytest

from tests.support.notebooks import LABS, ROOT, autograde, nbgrader, points, release_path, solution_path
from tests.support.submissions import Submission
from dl4cv.course import release

pytestmark = pytest.mark.notebook


def test_there_are_labs():
    assert "lab1_images" in LABS


@pytest.mark.parametrize("lab", LABS)
def test_nbgrader_validates_the_solution(lab):
    result = nbgrader("validate", str(solution_path(lab)), cwd=ROOT)
    assert "Success! Your notebook passes all the tests." in result.stdout, result.stdout + result.stderr


@pytest.mark.parametrize("lab", LABS)
def test_every_graded_test_fails_on_the_blank_lab(lab):
    result = nbgrader("validate", "--invert", str(release_path(lab)), cwd=ROOT)
    assert "Success! The notebook does not pass any tests." in result.stdout, result.stdout + result.stderr


def test_labs_are_what_nbgrader_generates_from_solutions():
    assert release.out_of_date() == []


def test_plain_nbgrader_autograde_scores_no_hidden_test_and_says_to_use_dl4cv_grade(tmp_path):
    """Only dl4cv-grade judges probes (fixture scores: tests/course/test_grading.py); plain
    nbgrader must not give silent full marks instead."""
    lab = "lab1_images"
    scores = autograde(lab, [Submission("solution", expected=points(lab))], tmp_path)
    assert scores == {"solution": 0}
    graded = nbformat.read(tmp_path / "autograded" / "solution" / lab / f"{lab}.ipynb", as_version=4)
    errors = [output.evalue for cell in graded.cells if cell.metadata.get("nbgrader", {}).get("grade")
              for output in cell.get("outputs", []) if output.output_type == "error"]
    assert errors and all("dl4cv-grade" in error for error in errors)
