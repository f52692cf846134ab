"""Every lab, end to end: the solution runs on the CPU, nbgrader validates it, every
graded test fails on the blank release, labs/ is what nbgrader generates, and fixture
submissions get their exact scores."""
import pytest

from cases import submissions_for
from notebooks import (LABS, ROOT, Submission, autograde, execute, nbgrader, points, release_path,
                       solution_path, stderr_outputs)
from utils import release

pytestmark = pytest.mark.notebook


def test_there_are_labs():
    assert "lab1_images" in LABS


@pytest.mark.parametrize("lab", LABS)
def test_solution_runs_top_to_bottom_on_cpu_without_stderr(lab, no_grading):
    notebook = execute(solution_path(lab), env={"CUDA_VISIBLE_DEVICES": ""})
    assert stderr_outputs(notebook) == []


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
