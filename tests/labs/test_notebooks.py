"""Every lab, end to end: nbgrader validates the solution, every graded test fails on the
blank release, labs/ is what nbgrader generates, and fixture submissions get their exact
scores.  (Each solution also runs top to bottom, cell by cell, under nbval: conftest.py.)"""
import pytest

from tests.support.notebooks import LABS, ROOT, autograde, nbgrader, points, release_path, solution_path
from tests.support.submissions import Submission, submissions_for
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


@pytest.mark.parametrize("lab", LABS)
def test_autograde_scores_fixture_submissions_exactly(lab, tmp_path):
    submissions = [Submission("solution", expected=points(lab)),
                   Submission("blank", expected=0, blank=True), *submissions_for(lab)]
    scores = autograde(lab, submissions, tmp_path)
    assert scores == {s.student: s.expected for s in submissions}
