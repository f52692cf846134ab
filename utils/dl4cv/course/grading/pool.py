"""Grading a lab (parent only): run ``grade_submission`` for every task on a pool of
workers (or any ``concurrent.futures.Executor``), record each result into the course's
one gradebook as it comes, export the CSV, report progress and a summary.  As in
``course``, nbgrader is imported inside the functions that need it."""
import concurrent.futures
import multiprocessing
import os
import re
import shutil
import statistics
import sys
import time
import warnings
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from dl4cv.course.files import write_tree
from dl4cv.course.grading.course import ROOT, load_course, plan, total_points
from dl4cv.course.grading.review import REVIEW_MARK, review_flags
from dl4cv.course.grading.sandbox import sandbox_description, sandbox_problem
from dl4cv.course.grading.tasks import Limits, Result
from dl4cv.course.grading.worker import grade_submission


def record(coursedir, gradebook, result):
    """Write one worker's result into the course's open ``gradebook`` and its folders
    (parent only)."""
    from sqlalchemy.exc import SAWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SAWarning)  # nbgrader's own autoflush notices
        gradebook.update_or_create_student(result.student)
        gradebook.update_or_create_submission(result.lab, result.student, timestamp=result.timestamp)
        for notebook, grades in result.grades.items():
            for grade_id, (auto_score, needs_manual) in grades.items():
                grade = gradebook.find_grade(grade_id, notebook, result.lab, result.student)
                grade.auto_score = auto_score
                grade.needs_manual_grade = bool(needs_manual or grade.manual_score is not None)
            for grade_id, comment in result.comments.get(notebook, {}).items():
                gradebook.find_comment(grade_id, notebook, result.lab, result.student).auto_comment = comment
        gradebook.db.commit()
    for directory, files in ((coursedir.autograded_directory, result.autograded),
                             (coursedir.feedback_directory, result.feedback)):
        folder = Path(coursedir.format_path(directory, result.student, result.lab))
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        write_tree(folder, files)


def regenerate_feedback(lab, course=ROOT, out=sys.stdout):
    """Feedback HTML from the course gradebook as it is now (manual grades included),
    without hidden tests, for every autograded submission of ``lab``; no regrading."""
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    from dl4cv.course.grading.feedback import FEEDBACK_PREPROCESSORS

    coursedir = load_course(course)
    config = coursedir.config.copy()
    config.GenerateFeedback.preprocessors = list(FEEDBACK_PREPROCESSORS)
    api = NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)
    result = api.generate_feedback(lab, force=True)
    print(f"feedback for {lab}: {'written to ' + str(coursedir.feedback_directory) + '/' if result['success'] else 'FAILED'}",
          file=out)
    if not result["success"]:
        print(result.get("error") or result.get("log", ""), file=out)
    return result["success"]


def export_csv(coursedir, path):
    """nbgrader's CSV export of the whole gradebook, with a column ``review``: the review
    flags in each submission's comments (empty when there are none)."""
    import csv

    from nbgrader.api import Gradebook
    from nbgrader.plugins import CsvExportPlugin

    with Gradebook(coursedir.db_url) as gradebook:
        CsvExportPlugin(to=str(path)).export(gradebook)
        flagged = {}
        for assignment in gradebook.assignments:
            for submission in gradebook.assignment_submissions(assignment.name):
                notes = [line for notebook in submission.notebooks for comment in notebook.comments
                         for line in (comment.auto_comment or "").splitlines() if line.startswith(REVIEW_MARK)]
                flagged[assignment.name, submission.student.id] = "; ".join(notes)
    with open(path, newline="") as file:
        rows = list(csv.DictReader(file))
    if not rows:
        return
    with open(path, "w", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=[*rows[0], "review"])
        writer.writeheader()
        for row in rows:
            writer.writerow({**row, "review": flagged.get((row["assignment"], row["student_id"]), "")})


def grade_lab(lab, course=ROOT, submitted=None, *, workers=None, redo=False, students=None,
              limits=Limits(), unsafe=False, csv=None, executor=None, out=sys.stdout):
    """Grade ``lab``'s submissions and record them; return the list of ``Result``s.

    Each submission runs in a bubblewrap sandbox of its own; where there can be none, this
    says why and grades nothing (SystemExit), unless ``unsafe``.  ``executor`` is any
    ``concurrent.futures.Executor`` (default: ``workers`` local processes); e.g. a Dask
    cluster's ``Client(...).get_executor()``, whose workers check their own sandbox."""
    from nbgrader.api import Gradebook

    coursedir = load_course(course)
    workers = workers or os.cpu_count() or 1
    isolation = "unsafe" if unsafe else "sandbox"
    problem = "" if unsafe or executor is not None else sandbox_problem()
    if problem:
        print(f"error: no sandbox for student code here: {problem}. Nothing was graded; "
              "--unsafe grades without one (student code then runs as you).", file=out, flush=True)
        raise SystemExit(2)
    print(sandbox_description(isolation), file=out, flush=True)
    tasks, skipped, rejected = plan(coursedir, lab, submitted, students=students, redo=redo, limits=limits,
                                    workers=workers, isolation=isolation, executor=executor)
    print(f"{lab}: {len(tasks)} to grade, {len(skipped)} already graded (--redo to regrade), "
          f"{len(rejected)} rejected, {workers} workers", file=out, flush=True)
    results, started = list(rejected), time.monotonic()
    for result in rejected:
        print(f"REJECTED {result.student}: {result.error.removeprefix('SubmissionRejected: ')}", file=out)
    flags = {task.student: review_flags(task.files) for task in tasks}
    if tasks:
        maximum = total_points(tasks[0])
        with Gradebook(coursedir.db_url) as gradebook:
            for result in _graded(tasks, workers, executor):
                if result.ok:
                    _add_review_comments(result, flags[result.student])
                    record(coursedir, gradebook, result)
                results.append(result)
                _progress(out, len(results) - len(rejected), len(tasks), result, maximum,
                          time.monotonic() - started)
    export_csv(coursedir, csv or Path(coursedir.root) / "grades.csv")
    _summary(out, results, skipped, time.monotonic() - started, csv or Path(coursedir.root) / "grades.csv")
    for student, found in flags.items():
        for notebook, _, number, what in found:
            print(f"REVIEW {student}: {notebook}.ipynb cell {number} uses {what}", file=out)
    return results


def _add_review_comments(result, flags):
    """Each flag goes into the gradebook as an automatic comment on the answer cell it is
    in or follows, where formgrader shows it and ``export_csv`` finds it (only on answer
    cells the grading found: the submission's metadata is not trusted)."""
    for notebook, grade_id, number, what in flags:
        comments = result.comments.get(notebook, {})
        if grade_id not in comments:
            continue
        note = f"{REVIEW_MARK} cell {number} uses {what}: no honest answer needs it; please read this cell"
        comments[grade_id] = "\n".join(filter(None, [comments.get(grade_id), note]))


def _graded(tasks, workers, executor=None):
    """Yield a ``Result`` for every task, as they finish, whatever happens to a worker.

    On our own pool of processes a worker that dies breaks the pool: every task it had
    not finished is graded again, each in a pool of its own, so that a submission which
    kills its worker again fails alone.  On a given executor an exception becomes that
    submission's failed result."""
    own = executor is None
    if own:
        # Forked workers start with nbgrader already imported (seconds each); Python
        # forks them all before it starts any thread of its own.
        executor = _process_pool(min(workers, len(tasks)))
    broken = []
    try:
        for task, result in _finished({executor.submit(grade_submission, task): task for task in tasks}):
            if result is None:
                broken.append(task)
            else:
                yield result
    finally:
        if own:
            executor.shutdown()
    for start in range(0, len(broken), workers):
        alone = [(task, _process_pool(1)) for task in broken[start:start + workers]]
        for task, result in _finished({pool.submit(grade_submission, task): task for task, pool in alone}):
            yield result or Result.failed(task.lab, task.student, "WorkerDied: the process grading this submission "
                                          "died (twice), so it has no grade; nothing else was affected")
        for _, pool in alone:
            pool.shutdown()


def _finished(futures):
    """Yield (task, its Result) as ``futures`` ({future: task}) finish; the Result is None
    when the task's worker died, and a failed one when grading raised."""
    for future in concurrent.futures.as_completed(futures):
        task = futures[future]
        try:
            yield task, future.result()
        except BrokenProcessPool:
            yield task, None
        except Exception as error:  # noqa: BLE001 - one submission's failure, not the run's
            yield task, Result.failed(task.lab, task.student, f"{type(error).__name__}: {error}")


def _process_pool(workers):
    return concurrent.futures.ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"))


def _progress(out, done, total, result, maximum, elapsed):
    width = 30
    bar = "#" * round(width * done / total) + "." * (width - round(width * done / total))
    status = f"{result.score:g}/{maximum:g}" if result.ok else "FAILED"
    print(f"[{bar}] {done}/{total} {elapsed:6.0f}s  {result.student}: {status} ({result.seconds:.1f} s)",
          file=out, flush=True)


def failure_reason(error):
    """The most telling line of a failed grading's log: the last specific exception."""
    lines = [line.strip() for line in error.splitlines()
             if re.match(r"\s*[\w.]+(Error|Exception|Entry): ", line) and "see the the above traceback" not in line]
    return lines[-1] if lines else (error.strip().splitlines() or ["unknown (no log)"])[-1]


def _summary(out, results, skipped, elapsed, csv):
    graded = [r for r in results if r.ok]
    failed = [r for r in results if not r.ok]
    print(f"graded {len(graded)}, failed {len(failed)}, skipped {len(skipped)} in {elapsed:.0f} s", file=out)
    if graded:
        scores = [r.score for r in graded]
        seconds = [r.seconds for r in graded]
        print(f"scores: mean {statistics.mean(scores):.2f}, median {statistics.median(scores):g}, "
              f"min {min(scores):g}, max {max(scores):g}; seconds per submission: median "
              f"{statistics.median(seconds):.1f}, max {max(seconds):.1f}", file=out)
    for result in failed:
        print(f"FAILED {result.student}: {failure_reason(result.error)}", file=out)
    for result in results:
        if result.strays:
            print(f"STRAY {result.student}: {result.strays} of its processes outlived its sandbox "
                  "and were killed", file=out)
    print(f"grades: {csv}", file=out, flush=True)
