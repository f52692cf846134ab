"""Grading one submission, in a worker: ``grade_submission(task) -> Result``.

nbgrader, and the preprocessors built on it, are imported when a submission is graded
rather than with this module, which the command line imports too."""
import contextlib
import json
import os
import shutil
import tempfile
import time
import traceback
import warnings
from pathlib import Path

from dl4cv.course.files import read_tree, write_tree
from dl4cv.course.grading.sandbox import KERNEL_NAME, Sandbox, ipc_folder, sandbox_problem, write_kernelspec
from dl4cv.course.grading.tasks import Result


def _worker_config(course, sandbox, task):
    """nbgrader's configuration for grading ``task`` in the scratch ``course``, its kernel
    in ``sandbox``: our preprocessors in place of nbgrader's, the task's limits."""
    from nbgrader.converters import Autograde
    from nbgrader.preprocessors import DeduplicateIds, Execute, SaveAutoGrades
    from traitlets.config import Config

    from dl4cv.course.grading.feedback import FEEDBACK_PREPROCESSORS, FeedbackHTMLExporter
    from dl4cv.course.grading.judging import JudgeProbes, SaveVerdicts
    from dl4cv.course.grading.preprocessors import DemoteDuplicateIds, GuardedExecute

    config = Config()
    config.CourseDirectory.root = str(course)
    config.CourseDirectory.db_url = f"sqlite:///{course}/gradebook.db"
    config.CourseDirectory.source_directory = "source"
    replaced = {Execute: [GuardedExecute, JudgeProbes], SaveAutoGrades: [SaveVerdicts]}
    config.Autograde.autograde_preprocessors = [
        chosen for pp in Autograde.class_traits()["autograde_preprocessors"].default()
        for chosen in replaced.get(pp, [pp])]
    config.Autograde.sanitize_preprocessors = [
        DemoteDuplicateIds if pp is DeduplicateIds else pp
        for pp in Autograde.class_traits()["sanitize_preprocessors"].default()]
    config.OverwriteCells.add_missing_cells = True
    # Check each notebook against nbformat's schema once, after nbgrader's preprocessors,
    # rather than after each one of them (seventeen times per submission).
    config.Exporter.optimistic_validation = True
    config.Execute.timeout = task.limits.cell_timeout
    config.Execute.kernel_name = KERNEL_NAME
    # Its outputs are in: stop the kernel at once rather than wait for it to tidy up.
    config.Execute.shutdown_kernel = "immediate"
    config.GuardedExecute.wall_timeout = task.limits.wall_timeout
    config.GuardedExecute.max_output_bytes = task.limits.output_kb * 1024
    # The kernel talks to us over Unix sockets in its own folder: it has no network.
    config.KernelManager.transport = "ipc"
    config.KernelManager.ip = str(Path(sandbox) / "ipc" / "kernel")
    config.JudgeProbes.probes = task.probes
    config.JudgeProbes.references = task.references
    if not task.references:
        config.JudgeProbes.collect_to = str(_collected(course))
    config.GenerateFeedback.preprocessors = list(FEEDBACK_PREPROCESSORS)
    config.GenerateFeedback.exporter_class = FeedbackHTMLExporter
    return config


def _collected(course):
    """Where the reference run's probes are written: beside the scratch course, the grader's."""
    return Path(course).parent / "probes.json"


def grade_submission(task):
    """Grade one submission in private scratch folders; return a ``Result``.

    Pure in the sense that matters for distribution: it reads only ``task`` and writes
    only its own temporary folders, so any worker process on any machine can run it."""
    from nbgrader.api import Gradebook
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    from sqlalchemy.exc import SAWarning

    from dl4cv.course.grading.metadata import check_schema_once

    warnings.filterwarnings("ignore", category=SAWarning)  # nbgrader's own autoflush notices
    check_schema_once()
    started = time.monotonic()
    result = Result(task.lab, task.student, ok=False, seconds=0.0, isolation=task.isolation)
    if task.isolation != "unsafe" and sandbox_problem():
        result.error = f"SandboxUnavailable: {sandbox_problem()}"
        return result
    scratch = Path(tempfile.mkdtemp(prefix="dl4cv-grade-"))        # mode 700, the grader's
    sandbox = Path(tempfile.mkdtemp(prefix="dl4cv-sandbox-"))      # the kernel's sockets (and, unsafe, files)
    saved_path = os.environ.get("JUPYTER_PATH")
    user = Sandbox()
    try:
        with contextlib.ExitStack() as cleanup:
            uid = result.uid = cleanup.enter_context(user) if task.isolation != "unsafe" else None
            cleanup.callback(ipc_folder(sandbox, uid))
            course = scratch / "course"
            write_tree(course / "source" / task.lab, task.source_files)
            write_tree(course / "submitted" / task.student / task.lab, task.files)
            (course / "gradebook.db").write_bytes(task.gradebook)
            write_kernelspec(scratch / "jupyter", sandbox, task, uid)
            os.environ["JUPYTER_PATH"] = str(scratch / "jupyter")
            config = _worker_config(course, sandbox, task)
            api = NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)
            # The reference run's feedback would go to no one.
            steps = (api.autograde, api.generate_feedback) if task.references else (api.autograde,)
            for step in steps:
                reply = step(task.lab, task.student, force=True)
                if not reply["success"]:
                    result.error = reply.get("log", "") + reply.get("error", "")
                    return result
        with Gradebook(f"sqlite:///{course}/gradebook.db") as gradebook:
            submission = gradebook.find_submission(task.lab, task.student)
            result.timestamp = submission.timestamp
            for notebook in submission.notebooks:
                result.grades[notebook.name] = {grade.name: (grade.auto_score, grade.needs_manual_grade)
                                                for grade in notebook.grades}
                result.comments[notebook.name] = {comment.name: comment.auto_comment
                                                  for comment in notebook.comments}
        if not task.references:
            result.probes = json.loads(_collected(course).read_text())
        result.autograded = read_tree(course / "autograded" / task.student / task.lab)
        result.feedback = read_tree(course / "feedback" / task.student / task.lab)
        result.ok = True
        return result
    except Exception:  # one broken submission must not stop the others
        result.error = traceback.format_exc()
        return result
    finally:
        if saved_path is None:
            os.environ.pop("JUPYTER_PATH", None)
        else:
            os.environ["JUPYTER_PATH"] = saved_path
        result.strays = user.strays
        shutil.rmtree(scratch, ignore_errors=True)
        shutil.rmtree(sandbox, ignore_errors=True)
        result.seconds = time.monotonic() - started
