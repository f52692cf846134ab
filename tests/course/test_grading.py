"""The parallel, sandboxed grader (dl4cv.course.grading): its pieces, then every lab's
adversarial corpus graded end to end with the exact scores of tests/submissions/."""
import csv
import dataclasses
import importlib
import io
import json
import os
import re
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
import tomllib
import zipfile
from pathlib import Path

import nbformat
import numpy as np
import pytest

from tests.support.answers import answers, grade_answers, pack, right, wrong
from tests.support.notebooks import LABS, ROOT, points, solution_path
from tests.support.submissions import (Submission, corpus, floods, kernel_attacks, labs_with_corpus, leaked,
                                      make_course, scribbled, submissions_for)
from dl4cv import checks, data
from dl4cv.course.grading.cli import main
from dl4cv.course.grading.course import find_submissions, lab_snapshot, load_course, plan
from dl4cv.course.grading.feedback import REDACTED, FeedbackHTMLExporter, _redact_output, split_hidden
from dl4cv.course.grading import pool, sandbox
from dl4cv.course.grading.guard import load_ipython_extension
from dl4cv.course.grading.intake import SubmissionRejected, read_submission
from dl4cv.course.grading.pool import failure_reason, grade_lab, regenerate_feedback
from dl4cv.course.grading.preprocessors import NOT_RUN_AFTER_THE_LAST_GRADED_CELL, GuardedExecute, _stderr_is_not_an_error
from dl4cv.course.grading.sandbox import (KERNEL_LAUNCHER, UID_BASE, UID_COUNT, _closed_ancestors,
                                          live_processes, sandbox_problem, stored_copy)
from dl4cv.course.grading.tasks import Limits, Result
from dl4cv.course.grading.worker import grade_submission

# Small caps so the corpus stays fast: the timeout and memory cases cost one cell timeout.
CORPUS_LIMITS = Limits(cell_timeout=15, wall_timeout=240, memory_mb=4096, output_kb=256)


# ------------------------------------------------------------------ unit tests

def test_the_console_script_resolves_to_main():
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    module, function = scripts["dl4cv-grade"].split(":")
    assert getattr(importlib.import_module(module), function) is main


def test_limits_reject_nonsense():
    with pytest.raises(ValueError, match="cell_timeout must be a positive integer, got 0"):
        Limits(cell_timeout=0)
    with pytest.raises(ValueError, match="memory_mb"):
        Limits(memory_mb=1.5)


def test_split_hidden_keeps_the_visible_part():
    source = "check(1)\n### BEGIN HIDDEN TESTS\nassert secret() == 42\n### END HIDDEN TESTS\ndone()"
    visible, hidden = split_hidden(source)
    assert visible == "check(1)\n# (hidden tests ran here)\ndone()"
    assert hidden == ["assert secret() == 42"]


def test_redaction_blanks_traceback_lines_that_quote_hidden_tests_through_ansi_colours():
    hidden = {"assert np.array_equal(result, np.minimum(photo, 255))"}
    frame = ("\x1b[32m----> 5\x1b[39m \x1b[38;5;28;01massert\x1b[39;00m np.array_equal(result, "
             "np.minimum(photo, \x1b[32m255\x1b[39m))\nother line")
    output = {"output_type": "error", "ename": "AssertionError", "evalue": "", "traceback": [frame]}
    _redact_output(output, hidden)
    assert output["traceback"] == [f"{REDACTED}\nother line"]


def _iopub(kind, content):
    return {"msg_type": kind, "header": {"msg_type": kind}, "parent_header": {"msg_id": "cell"},
            "content": content, "metadata": {}}


def test_every_kind_of_output_is_capped_while_the_cell_runs_and_errors_are_kept_short():
    execute = GuardedExecute(max_output_bytes=2048)
    execute.nb = nbformat.v4.new_notebook()
    execute.reset_execution_trackers()
    execute.clear_before_next_output = False
    execute._output_bytes = {}
    outputs = []
    execute.output(outputs, _iopub("stream", {"name": "stdout", "text": "a" * 1500}), None, 0)
    for _ in range(1000):  # a flood of pictures after it
        execute.output(outputs, _iopub("display_data", {"data": {"image/png": "b" * 10 ** 5}, "metadata": {}}), None, 0)
    execute.output(outputs, _iopub("error", {"ename": "ValueError", "evalue": "x" * 10 ** 7,
                                             "traceback": ["frame " * 10 ** 4] * 10 ** 3}), None, 0)
    assert [output.output_type for output in outputs] == ["stream", "stream", "error"]
    assert outputs[1].text.strip() == "[output cut: more than 2 kB]"
    error = outputs[2]
    assert error.ename == "ValueError" and len(error.evalue) <= 4000
    assert len(error.traceback) <= 31 and max(map(len, error.traceback)) <= 4000
    execute.output(outputs, _iopub("stream", {"name": "stdout", "text": "next cell"}), None, 1)
    assert outputs[-1].text == "next cell"


def _graded_cell(cell, grade_id, **nbgrader):
    cell.metadata.nbgrader = {"grade_id": grade_id, "points": 1, "locked": True, "schema_version": 3,
                              "grade": False, "solution": False, "task": False, **nbgrader}
    return cell


@pytest.mark.parametrize("manual_task_at_the_end", [False, True])
def test_code_after_the_last_graded_cell_is_not_run(manual_task_at_the_end):
    new = nbformat.v4
    cells = [new.new_code_cell("x = 1"), _graded_cell(new.new_code_cell("print(x + 1)"), "check", grade=True),
             new.new_code_cell("print('after')"), new.new_markdown_cell("the end")]
    if manual_task_at_the_end:  # a task an instructor grades by hand may discuss what the code above drew
        cells[-1] = _graded_cell(cells[-1], "discuss", task=True)
    notebook, _ = GuardedExecute(kernel_name="python3").preprocess(new.new_notebook(cells=cells), {})
    assert [output.text for output in notebook.cells[1].outputs] == ["2\n"]
    after = [output.text for output in notebook.cells[2].outputs]
    assert after == (["after\n"] if manual_task_at_the_end else [NOT_RUN_AFTER_THE_LAST_GRADED_CELL])


def test_feedback_pages_say_what_nbconverts_say_and_every_image_has_alt_text():
    from bs4 import BeautifulSoup
    from nbconvert.exporters import HTMLExporter

    notebook = nbformat.read(ROOT / "solutions" / "lab1_images" / "lab1_images.ipynb", as_version=4)
    pixel = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGBgAAAABQABpfZFQAAAAABJRU5ErkJggg=="
    notebook.cells[1].outputs = [nbformat.v4.new_output("display_data", {"image/png": pixel, "text/plain": "x"})]
    ours = BeautifulSoup(FeedbackHTMLExporter(template_name="classic").from_notebook_node(notebook)[0], "html.parser")
    theirs = BeautifulSoup(HTMLExporter(template_name="classic").from_notebook_node(notebook)[0], "html.parser")
    assert ours.get_text() == theirs.get_text()
    assert [img.get("alt") for img in ours.find_all("img")] == [img.get("alt") for img in theirs.find_all("img")]
    assert ours.find_all("img") and all(img.get("alt") for img in ours.find_all("img"))


def test_feedback_highlights_code_as_nbconvert_does_also_from_what_it_remembers():
    from bs4 import BeautifulSoup
    from nbconvert.exporters import HTMLExporter

    def highlighted(exporter):
        page = exporter(template_name="classic").from_notebook_node(notebook)[0]
        return [str(block) for block in BeautifulSoup(page, "html.parser").select("div.highlight")]

    notebook = nbformat.read(ROOT / "solutions" / "lab2_convolution" / "lab2_convolution.ipynb", as_version=4)
    first, again = highlighted(FeedbackHTMLExporter), highlighted(FeedbackHTMLExporter)
    assert len(first) > 10 and first == again == highlighted(HTMLExporter)


def test_stderr_in_a_test_cell_is_kept_as_labelled_stdout():
    cell = nbformat.v4.new_code_cell("x")
    cell.outputs = [nbformat.v4.new_output("stream", name="stderr", text="warn 1\nwarn 2\n")]
    _stderr_is_not_an_error(cell)
    assert cell.outputs[0]["name"] == "stdout"
    assert cell.outputs[0]["text"] == "[stderr] warn 1\n[stderr] warn 2\n"


def test_check_equal_rejects_objects_that_equal_everything():
    class AlwaysEqual:
        def __eq__(self, other):
            return True

    class SneakyStr(str):
        def __eq__(self, other):
            return True

    for answer in [(AlwaysEqual(), AlwaysEqual()), AlwaysEqual(), SneakyStr("x"), [1, AlwaysEqual()]]:
        with pytest.raises(checks.CheckFailed, match="expected plain values"):
            checks.check_equal("answer", answer, (3, 4) if not isinstance(answer, str) else "y")
    checks.check_equal("numpy ints are fine", (checks.np.int64(3), 4), (3, 4))


def test_the_guard_undoes_monkeypatching_and_rebinding_between_cells():
    import numpy
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    saved = numpy.allclose, checks.check_array
    try:
        load_ipython_extension(shell)
        shell.run_cell("import numpy as np\nfrom dl4cv import checks\nimport time")
        shell.run_cell("np.allclose = lambda *a, **k: True\nchecks.check_array = None\n"
                       "np, checks = 'fake', 'fake'\ntime = 5.0")
        result = shell.run_cell("assert not np.allclose(1, 2)\nassert callable(checks.check_array)\n"
                                "assert time == 5.0")
        assert result.success, result.error_in_exec
    finally:
        numpy.allclose, checks.check_array = saved
        InteractiveShell.clear_instance()


def test_answers_to_different_exercises_share_a_submission_and_keep_their_own_scores():
    a = wrong("a", {"describe": "x"}, {"describe-check": 1}, "channel")
    b = right("b", {"histogram": "y"})
    c = wrong("c", {"histogram": "z"}, {"histogram-check": 2}, "bins")
    d = wrong("d", {"brighten": "w"}, {"histogram-check": 1, "brighten-check": 2}, "clip")
    first, second = pack("lab1_images", [a, b, c, d])
    assert [x.name for x in first.answers] == ["a", "b", "d"] and [x.name for x in second.answers] == ["c"]
    assert (first.cells["describe-check"], first.cells["histogram-check"], first.cells["brighten-check"]) == (0, 1, 0)
    assert first.expected == points("lab1_images") - 4 and second.expected == points("lab1_images") - 2
    with pytest.raises(KeyError, match="not graded"):
        pack("lab1_images", [wrong("e", {"describe": "x"}, {"describe": 1}, "shape")])
    with pytest.raises(ValueError, match="lost"):
        wrong("f", {"describe": "x"}, {"describe-check": 1}, "")


@pytest.mark.parametrize("lab", LABS)
def test_every_exercise_has_three_right_and_three_wrong_student_answers(lab):
    exercises = [cell.metadata["nbgrader"]["grade_id"] for cell in nbformat.read(solution_path(lab), as_version=4).cells
                 if cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("solution")]
    counts = {exercise: [0, 0] for exercise in exercises}
    for answer in answers(lab):
        for cell in set(answer.edits) & set(counts):
            counts[cell][bool(answer.lost)] += 1
    assert {exercise: tuple(count) for exercise, count in counts.items() if min(count) < 3} == {}, \
        "exercises with fewer than 3 (right, wrong) answers"


def test_failure_reason_picks_the_specific_exception_over_nbgraders_generic_one():
    log = ("[AutogradeApp | ERROR] Traceback (most recent call last):\n  File \"x.py\", line 1\n"
           "    nbformat.reader.NotJSONError: Notebook does not appear to be JSON: '{'\n"
           "nbgrader.converters.base.NbGraderException: Please see the the above traceback for details\n")
    assert failure_reason(log) == "nbformat.reader.NotJSONError: Notebook does not appear to be JSON: '{'"
    assert failure_reason("") == "unknown (no log)"


def test_closed_ancestors_finds_the_folder_others_cannot_enter(readable_tmp):
    closed = readable_tmp / "closed"
    (closed / "python" / "lib").mkdir(parents=True)
    closed.chmod(0o700)
    found = _closed_ancestors([str(closed / "python" / "lib")])
    assert found[str(closed)] == [str(closed / "python" / "lib")]


def mnist_source():
    return next(path for _, path in data._candidate_files() if path.is_file())


def test_the_sandboxes_read_mnist_from_an_uncompressed_verified_copy_that_mends_itself(tmp_path):
    source, copy = mnist_source(), tmp_path / "grading" / "mnist.npz"
    assert stored_copy(source, copy) == copy
    assert {entry.compress_type for entry in zipfile.ZipFile(copy).infolist()} == {zipfile.ZIP_STORED}
    assert (stat.S_IMODE(copy.stat().st_mode), stat.S_IMODE(copy.parent.stat().st_mode)) == (0o644, 0o755)
    original, stored = data._read_npz(source), data._read_npz(copy)
    assert sorted(stored) == sorted(original)
    assert all(np.array_equal(stored[key], original[key]) for key in original)
    copy.write_bytes(copy.read_bytes()[:4096])  # damaged
    assert stored_copy(source, copy) == copy
    data.verify_mnist(data._read_npz(copy), copy)


def test_the_mnist_copy_is_kept_only_in_a_folder_of_the_graders_own(tmp_path, monkeypatch):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / "link").symlink_to(elsewhere)
    with pytest.raises(OSError, match="not a folder of the grader's own"):
        stored_copy(mnist_source(), tmp_path / "link" / "mnist.npz")
    monkeypatch.setattr(sandbox, "STORED_MNIST", tmp_path / "link" / "mnist.npz")
    assert sandbox.mnist_file() == mnist_source().resolve()  # the grader's own copy, compressed
    monkeypatch.setattr(os, "geteuid", lambda: elsewhere.stat().st_uid + 1)
    with pytest.raises(OSError, match="not a folder of the grader's own"):
        stored_copy(mnist_source(), elsewhere / "mnist.npz")
    assert not list(elsewhere.iterdir())


def _notebook_json(cells):
    return json.dumps({"cells": [{"cell_type": "code", "source": "", "metadata": {}, "outputs": []}] * cells,
                       "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


def test_intake_reads_plain_files_and_ignores_jupyters_autosaves(tmp_path):
    (tmp_path / "lab.ipynb").write_text(_notebook_json(3))
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "a.txt").write_text("mine")
    (tmp_path / ".ipynb_checkpoints").mkdir()
    (tmp_path / ".ipynb_checkpoints" / "lab-checkpoint.ipynb").write_text("{}")
    (tmp_path / "broken.ipynb").write_text('{"cells": [')  # not JSON: grading reports it
    assert sorted(read_submission(tmp_path, Limits())) == ["broken.ipynb", "lab.ipynb", "notes/a.txt"]


@pytest.mark.parametrize("make, reason", [
    (lambda folder: (folder / "lab.ipynb").symlink_to(ROOT / "solutions" / "lab1_images" / "lab1_images.ipynb"),
     "lab.ipynb is a symbolic link"),
    (lambda folder: (folder / "data").symlink_to(ROOT / "solutions", target_is_directory=True),
     "data is a symbolic link"),
    (lambda folder: ((folder / "own.txt").write_text("x"), os.link(folder / "own.txt", folder / "lab.ipynb")),
     "is a hard link (2 names"),
    (lambda folder: os.mkfifo(folder / "pipe"), "pipe is a device, pipe or socket"),
    (lambda folder: (folder / "big.npy").write_bytes(b"0" * (2 * 2 ** 20 + 1)), "big.npy is 2 MB, over the 1 MB cap"),
    (lambda folder: [(folder / f"part{n}").write_bytes(b"0" * 2 ** 20) for n in range(3)], "over the 2 MB cap for all"),
    (lambda folder: (folder / "lab.ipynb").write_text(_notebook_json(11)), "lab.ipynb has 11 cells, over the cap of 10"),
])
def test_intake_rejects_what_is_not_a_plain_file_within_the_caps(tmp_path, make, reason):
    make(tmp_path)
    with pytest.raises(SubmissionRejected, match=re.escape(reason)):
        read_submission(tmp_path, Limits(file_mb=1, submission_mb=2, notebook_cells=10))


def test_find_submissions_reads_nbgraders_layout(tmp_path):
    for student in ("bob", "alice"):
        (tmp_path / student / "lab1_images").mkdir(parents=True)
    (tmp_path / "carol" / "another_lab").mkdir(parents=True)
    assert list(find_submissions(tmp_path, "lab1_images")) == ["alice", "bob"]
    with pytest.raises(SystemExit, match="no submissions folder"):
        find_submissions(tmp_path / "missing", "lab1_images")


def test_new_gradebooks_get_nbgraders_schema_revision_without_the_alembic_command(tmp_path, monkeypatch):
    """nbgrader asks the `alembic` command for the revision it stamps on a new gradebook;
    the grader reads the same one in process, so it needs no `alembic` on PATH."""
    bin_folder = str(Path(sys.executable).parent)
    asked = subprocess.run([sys.executable, "-c", "from nbgrader.api import get_alembic_version as v; print(v())"],
                           env=dict(os.environ, PATH=bin_folder + os.pathsep + os.environ["PATH"]),
                           capture_output=True, text=True, check=True).stdout.strip()
    assert re.fullmatch(r"[0-9a-f]{12}", asked), asked
    course = make_course(tmp_path / "course", "lab1_images", [])
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs-here"))
    snapshot = tmp_path / "snapshot.db"
    snapshot.write_bytes(lab_snapshot(load_course(course), "lab1_images"))
    for database in (snapshot, course / "gradebook.db"):
        with sqlite3.connect(database) as connection:
            assert connection.execute("SELECT version_num FROM alembic_version").fetchall() == [(asked,)]


def test_an_unknown_lab_is_named_with_the_labs_that_exist(tmp_path, capsys):
    course = make_course(tmp_path / "course", "lab1_images", [])
    with pytest.raises(SystemExit, match=r"no lab 'lab9' .*\['lab1_images'\]"):
        main(["lab9", "--course", str(course)])


def test_the_module_runs_as_a_command():
    result = subprocess.run([sys.executable, "-m", "dl4cv.course.grading", "--help"],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0 and "--workers" in result.stdout and "--redo" in result.stdout


def test_the_kernel_launcher_does_not_import_modules_from_the_students_folder(tmp_path):
    """The launcher starts, as the grader, in the folder of the submitted files: a
    submitted json.py must not run there (it would run as root)."""
    (tmp_path / "json.py").write_text("open('IMPORTED', 'w').close()\n")
    launcher = [part for part in KERNEL_LAUNCHER if part != "-P"]
    for command in (launcher, list(KERNEL_LAUNCHER)):  # first without -P: the test can fail
        subprocess.run([*command, "no-such-connection-file"], cwd=tmp_path, capture_output=True,
                       env={**os.environ, "DL4CV_SANDBOX": "{}"})
        imported = (tmp_path / "IMPORTED").exists()
        assert imported == (command == launcher), command
        (tmp_path / "IMPORTED").unlink(missing_ok=True)


# ------------------------------------------------------------- end to end

@pytest.fixture
def readable_tmp():
    """A scratch folder others may enter (pytest's own is mode 700)."""
    folder = Path(tempfile.mkdtemp(prefix="dl4cv-test-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def gradebook_scores(course, lab):
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course}/gradebook.db") as gradebook:
        return {s.student.id: s.score for s in gradebook.assignment_submissions(lab)}


def needs_sandbox():
    if sandbox_problem() or os.geteuid() != 0:
        reason = f"the corpus needs a bubblewrap sandbox with a user id per submission (root): {sandbox_problem()}"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}, and CI must run it")
        pytest.skip(reason)


@pytest.mark.notebook
@pytest.mark.parametrize("lab", labs_with_corpus(LABS))
def test_the_corpus_gets_its_exact_scores_and_nothing_leaks(lab, readable_tmp):
    needs_sandbox()
    course = readable_tmp / "course"
    honest = [Submission("solution", expected=points(lab)), Submission("blank", expected=0, blank=True),
              *submissions_for(lab)]
    tampered = [case.with_paths(course, ROOT) for case in corpus(lab) + floods(lab) + kernel_attacks(lab)]
    make_course(course, lab, honest + tampered)
    # A file that is not a notebook cannot be graded, nor a link to the solution (read as
    # root, it would land in the student's folder): each is reported, the run goes on.
    corrupt, linked = course / "submitted" / "corrupt" / lab, course / "submitted" / "linked" / lab
    for folder in (corrupt, linked):
        folder.mkdir(parents=True, mode=0o755)
    (corrupt / f"{lab}.ipynb").write_text('{"cells": [')
    (linked / f"{lab}.ipynb").write_text(json.dumps(Submission("linked", 0).notebook(lab)))
    (linked / "answers.ipynb").symlink_to(ROOT / "solutions" / lab / f"{lab}.ipynb")
    before = {p: p.read_bytes() for p in (course / "submitted").rglob("*.ipynb")}

    results = grade_lab(lab, course, workers=2, limits=CORPUS_LIMITS)

    failed = {r.student: failure_reason(r.error) for r in results if not r.ok}
    assert sorted(failed) == ["corrupt", "linked"], failed
    assert failed["corrupt"].startswith("nbformat.reader.NotJSONError: Notebook does not appear to be JSON")
    assert "link" in failed["linked"], failed["linked"]
    expected = {s.student: s.expected for s in honest + tampered}
    assert gradebook_scores(course, lab) == expected
    # The gradebook is intact and the submissions untouched.
    with sqlite3.connect(course / "gradebook.db") as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert {p: p.read_bytes() for p in (course / "submitted").rglob("*.ipynb")} == before
    # Nothing was written outside the students' own folders.
    assert [path for path in _scribbled(lab, course) if Path(path).exists()] == []
    # Feedback for everyone, without a line of any hidden test; a CSV with everyone.
    hidden = _hidden_lines(lab)
    for student in expected:
        html = (course / "feedback" / student / lab / f"{lab}.html").read_text()
        assert [line for line in hidden if line in html] == [], student
    _nothing_expected_leaked(lab, course)
    with open(course / "grades.csv", newline="") as file:
        review = {row["student_id"]: row["review"] for row in csv.DictReader(file)}
    assert set(review) == set(expected)
    # Code that reaches interpreter internals is flagged for review; honest answers are not.
    assert {student: review[student] for student in (s.student for s in honest) if review[student]} == {}
    if lab == "lab1_images":
        assert "os._exit" in review["os_exit"]
    # No process of any submission outlived its grading.
    assert {r.student: r.strays for r in results if r.strays} == {}
    assert _sandbox_processes(results) == []
    # The flood was cut: no autograded notebook is huge.
    assert max(p.stat().st_size for p in (course / "autograded").rglob("*.ipynb")) < 5 * 2 ** 20

    # Re-running skips what is graded; regrading gives the same scores.
    retried = grade_lab(lab, course, workers=2, limits=CORPUS_LIMITS)
    assert sorted((r.student, r.ok) for r in retried) == [("corrupt", False), ("linked", False)]
    again = ["partly_wrong", *(case.student for case in corpus(lab)[:2])]
    rerun = grade_lab(lab, course, workers=2, limits=CORPUS_LIMITS, redo=True, students=again)
    assert sorted(r.student for r in rerun if r.ok) == sorted(again)
    assert gradebook_scores(course, lab) == expected


def _nothing_expected_leaked(lab, course):
    """What a blank submission could see of every cell's code (hidden tests included) and of
    the files around it, smuggled into its feedback encoded, holds no expected value: the
    solution's probe values stay in the grader."""
    leaks = leaked((course / "feedback" / "leaks_everything" / lab / f"{lab}.html").read_text())
    assert any("BEGIN HIDDEN TESTS" in text for text in leaks), "the leak did not reach the feedback"
    references = json.loads((course / ".dl4cv" / "references" / f"{lab}.json").read_text())["probes"]
    fingerprints = [value["data"] for cells in references.values() for sent in cells.values()
                    for value in sent.values() if value.get("type") == "array" and len(value["data"]) >= 24]
    assert fingerprints
    assert [print_ for print_ in fingerprints if any(print_ in text for text in leaks)] == []
    assert [text for text in leaks if "assert " in text or "references" in text] == []


def _sandbox_processes(results):
    """'pid state command' of every live process of the sandbox users that ``results`` ran as
    (other tests may be grading at the same time, under other sandbox users)."""
    uids = {result.uid for result in results if result.uid is not None}
    assert uids and all(UID_BASE <= uid < UID_BASE + UID_COUNT for uid in uids)
    described = []
    for pid in live_processes(uids):
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
            command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        described.append(f"{pid} {state} {command[:120]}")
    return described


def _scribbled(lab, course):
    fill = lambda text: text.replace("@COURSE@", str(course)).replace("@REPO@", str(ROOT))  # noqa: E731
    return [fill(path) for path in scribbled(lab)]


def _hidden_lines(lab):
    notebook = nbformat.read(ROOT / "solutions" / lab / f"{lab}.ipynb", as_version=4)
    lines = set()
    for cell in notebook.cells:
        if cell.cell_type == "code":
            lines.update(line.strip() for line in split_hidden(cell.source)[1] if len(line.strip()) >= 12)
    return sorted(lines)


@pytest.mark.notebook
@pytest.mark.parametrize("lab", [lab for lab in LABS if answers(lab)])
def test_students_answers_get_their_exact_cell_scores_and_messages(lab, readable_tmp):
    """Right answers written differently from the solution lose nothing; each wrong one
    loses exactly its own points, and its message names the mistake."""
    needs_sandbox()
    packed, problems = grade_answers(lab, readable_tmp / "course", answers(lab))
    assert problems == [], "\n".join(problems)


@pytest.mark.notebook
def test_the_solutions_probes_are_kept_per_lab_version_and_a_solution_failing_its_own_tests_grades_nothing(
        readable_tmp):
    needs_sandbox()
    lab = "lab1_images"
    course = make_course(readable_tmp / "course", lab, [Submission("solution", expected=points(lab))])
    grade_lab(lab, course, workers=1)
    kept = course / ".dl4cv" / "references" / f"{lab}.json"
    first = json.loads(kept.read_text())
    assert set(first["probes"][lab]) == {"describe-check", "to-grayscale-check", "brighten-check",
                                         "to-unit-range-check", "geometry-check", "histogram-check", "quiz-check"}
    kept.write_text(json.dumps({**first, "probes": {lab: {}}}))   # same version: used as it is
    assert gradebook_scores(course, lab) == {"solution": points(lab)}
    grade_lab(lab, course, workers=1, redo=True)
    assert gradebook_scores(course, lab) == {"solution": 0}
    # Another version of the lab gets references of its own, and its solution must pass its
    # own hidden tests (here a threshold it cannot meet), else nothing is graded.
    broken = make_course(readable_tmp / "broken", lab, [Submission("solution", expected=points(lab))])
    source = broken / "source" / lab / f"{lab}.ipynb"
    source.write_text(source.read_text().replace(
        'probe(\\"describe(3x9x1 image)\\", tuple(map(int, describe(np.zeros((3, 9, 1))))), exact()',
        'probe(\\"describe(3x9x1 image)\\", len(describe(np.zeros((3, 9, 1)))), at_least(threshold=4)'
    ).replace("from dl4cv.probes import exact, probe", "from dl4cv.probes import at_least, exact, probe"))
    assert "at_least(threshold=4)" in source.read_text()
    with pytest.raises(SystemExit, match="fails its own hidden tests") as refused:
        grade_lab(lab, broken, workers=1)
    assert "cell describe-check: hidden test 'describe(3x9x1 image)' is 3, not at least 4" in str(refused.value)
    assert gradebook_scores(broken, lab) == {}


@pytest.mark.notebook
def test_the_wall_clock_cap_stops_a_submission_and_feedback_can_be_rewritten(readable_tmp):
    needs_sandbox()
    lab = "lab1_images"
    slow = Submission("slow", expected=0, edits={"describe": "import time\ntime.sleep(10 ** 6)\n"})
    course = make_course(readable_tmp / "course", lab, [slow])
    [result] = grade_lab(lab, course, workers=1, limits=Limits(cell_timeout=100, wall_timeout=25))
    assert result.ok, result.error
    assert gradebook_scores(course, lab) == {"slow": 0}
    notebook = nbformat.read(course / "autograded" / "slow" / lab / f"{lab}.ipynb", as_version=4)
    enames = [o.get("ename") for c in notebook.cells if c.cell_type == "code" for o in c.outputs]
    assert "SubmissionTimeout" in enames
    feedback = course / "feedback" / "slow" / lab / f"{lab}.html"
    feedback.unlink()
    assert regenerate_feedback(lab, course)
    html = feedback.read_text()
    assert "SubmissionTimeout" in html
    assert [line for line in _hidden_lines(lab) if line in html] == []


PROBE = """import json, os
print(json.dumps({"uid": os.getuid(), "cwd": os.getcwd(), "root": sorted(os.listdir("/")),
                  "pids": sorted(int(p) for p in os.listdir("/proc") if p.isdigit()),
                  "seen": [p for p in ("@COURSE@", "@REPO@/solutions", "@REPO@/.git", "@REPO@/tests") if os.path.exists(p)]}))
"""


@pytest.mark.notebook
def test_each_submission_gets_a_sandbox_and_a_user_of_its_own(readable_tmp):
    """Two submissions graded at the same time: each kernel runs under its own user id,
    sees only its own processes and its own folder, and none of the course."""
    needs_sandbox()
    lab = "lab1_images"
    course = readable_tmp / "course"
    probe = PROBE.replace("@COURSE@", str(course)).replace("@REPO@", str(ROOT))
    make_course(course, lab, [Submission(name, expected=0, edits={"describe": probe}) for name in ("ada", "bob")])
    results = grade_lab(lab, course, workers=2, limits=CORPUS_LIMITS, out=io.StringIO())
    seen = {r.student: json.loads(_cell_text(r, lab, "describe")) for r in results}
    assert seen["ada"]["uid"] != seen["bob"]["uid"]
    for student, inside in seen.items():
        assert UID_BASE <= inside["uid"] < UID_BASE + UID_COUNT, student
        assert inside["cwd"] == "/sandbox/work"
        assert inside["seen"] == []
        assert len(inside["pids"]) <= 3, inside["pids"]  # bwrap's init, the kernel (and its helper)
    assert [r.strays for r in results] == [0, 0]


def test_without_a_sandbox_nothing_is_graded_unless_unsafe(readable_tmp, monkeypatch):
    course = make_course(readable_tmp / "course", "lab1_images", [Submission("ada", expected=0)])
    monkeypatch.setattr(pool, "sandbox_problem", lambda: "bubblewrap is not installed")
    log = io.StringIO()
    with pytest.raises(SystemExit):
        grade_lab("lab1_images", course, workers=1, out=log)
    first = log.getvalue().splitlines()[0]
    assert first.startswith("error: no sandbox for student code here: bubblewrap is not installed")
    assert "--unsafe" in first
    assert not (course / "gradebook.db").exists() or gradebook_scores(course, "lab1_images") == {}


@pytest.mark.notebook
def test_unsafe_grading_says_so_first_and_still_grades(readable_tmp):
    lab = "lab1_images"
    course = make_course(readable_tmp / "course", lab, [Submission("solution", expected=points(lab))])
    log = io.StringIO()
    [result] = grade_lab(lab, course, workers=1, unsafe=True, limits=CORPUS_LIMITS, out=log)
    assert log.getvalue().startswith("WARNING: --unsafe: student code runs as you, without a sandbox")
    assert result.ok and result.isolation == "unsafe", result.error
    assert gradebook_scores(course, lab) == {"solution": points(lab)}


@pytest.mark.notebook
def test_a_dask_cluster_grades_like_local_workers(readable_tmp):
    """The pool takes any concurrent.futures executor: here a real dask.distributed
    LocalCluster of two worker processes, with the exact scores of the fixtures."""
    from dask.distributed import Client, LocalCluster

    needs_sandbox()
    lab = "lab1_images"
    submissions = [Submission("solution", expected=points(lab)), Submission("blank", expected=0, blank=True),
                   *submissions_for(lab)[:2]]
    course = make_course(readable_tmp / "course", lab, submissions)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        results = grade_lab(lab, course, limits=CORPUS_LIMITS, executor=client.get_executor(), out=io.StringIO())
    assert [r.error for r in results if not r.ok] == []
    assert gradebook_scores(course, lab) == {s.student: s.expected for s in submissions}


def _grading_that_kills_one_worker(task):
    """Stands in for grade_submission: the student "killer" takes its worker process down."""
    if task.student == "killer":
        os._exit(3)
    return Result(task.lab, task.student, ok=True, seconds=0.0)


def test_a_dead_worker_fails_only_its_submission_and_a_linked_one_is_rejected(readable_tmp, monkeypatch):
    lab = "lab1_images"
    honest = [Submission(name, expected=0) for name in ("ada", "bob", "cy", "dee")]
    course = make_course(readable_tmp / "course", lab, [*honest, Submission("killer", expected=0)])
    linked = course / "submitted" / "linker" / lab
    linked.mkdir(parents=True)
    (linked / f"{lab}.ipynb").symlink_to(ROOT / "solutions" / lab / f"{lab}.ipynb")
    monkeypatch.setattr(pool, "grade_submission", _grading_that_kills_one_worker)
    log = io.StringIO()

    results = grade_lab(lab, course, workers=2, limits=CORPUS_LIMITS, out=log)

    failed = {r.student: r.error for r in results if not r.ok}
    assert sorted(failed) == ["killer", "linker"], failed
    assert failed["killer"].startswith("WorkerDied")
    assert "is a symbolic link" in failed["linker"]
    assert sorted(gradebook_scores(course, lab)) == ["ada", "bob", "cy", "dee"]
    assert "REJECTED linker: " in log.getvalue() and "FAILED killer: WorkerDied" in log.getvalue()


def _cell_text(result, lab, grade_id):
    notebook = nbformat.reads(result.autograded[f"{lab}.ipynb"].decode(), as_version=4)
    [cell] = [c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id]
    return "".join(output.get("text", "") for output in cell.outputs)
