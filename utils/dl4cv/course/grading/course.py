"""Reading a course and planning its grading (parent only): the nbgrader course folder,
the lab's snapshot gradebook, the submissions, and one ``Task`` for each to grade.

nbgrader is imported inside the functions that need it, so that the command line starts
quickly."""
import functools
import os
import tempfile
from dataclasses import replace
from pathlib import Path

from dl4cv.course.files import read_tree
from dl4cv.course.grading.intake import SubmissionRejected, read_submission
from dl4cv.course.grading.tasks import Limits, Result, Task

ROOT = Path(__file__).resolve().parents[4]  # the repository (utils/dl4cv/course/grading/ is four below)


def load_course(course):
    """nbgrader's CourseDirectory for ``course``, with its nbgrader_config.py if any."""
    import nbgrader.api
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    course = Path(course).resolve()
    if not course.is_dir():
        raise SystemExit(f"no course folder {course}")
    config = Config()
    if (course / "nbgrader_config.py").exists():
        config = PyFileConfigLoader("nbgrader_config.py", path=str(course)).load_config()
    config.CourseDirectory.root = str(course)
    # nbgrader stamps every gradebook it creates with its schema's revision, which it asks
    # of the `alembic` command: a new Python each time (2 s here), and an error where the
    # environment's bin/ is not on PATH.
    nbgrader.api.get_alembic_version = _alembic_head
    return CourseDirectory(config=config)


@functools.cache
def _alembic_head():
    """The alembic revision of nbgrader's gradebook schema, read from nbgrader's migration
    scripts by alembic's API in this process (see ``load_course``)."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory
    from nbgrader.dbutil import ALEMBIC_DIR

    config = Config()
    config.set_main_option("script_location", ALEMBIC_DIR)
    return ScriptDirectory.from_config(config).get_current_head()


def _generate_assignment(coursedir, lab, db_url, release):
    """nbgrader's generate_assignment of ``lab`` into ``db_url`` (release files to ``release``)."""
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    config = coursedir.config.copy()
    config.CourseDirectory.db_url = db_url
    config.CourseDirectory.release_directory = str(release)
    api = NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)
    result = api.generate_assignment(lab, force=True, create=True)
    if not result["success"]:
        raise RuntimeError(f"nbgrader generate_assignment {lab} failed:\n{result.get('log', '')}{result.get('error', '')}")


def _source_checksums(db_url, lab):
    from nbgrader.api import Gradebook

    with Gradebook(db_url) as gradebook:
        assignment = gradebook.find_assignment(lab)
        return {(notebook.name, cell.name): cell.checksum
                for notebook in assignment.notebooks for cell in notebook.source_cells}


def source_folder(coursedir, lab):
    source = Path(coursedir.root) / coursedir.source_directory / lab
    if not source.is_dir():
        found = sorted(p.name for p in source.parent.glob("*") if p.is_dir())
        raise SystemExit(f"no lab {lab!r} in {source.parent}; the labs there are {found}")
    return source


def lab_snapshot(coursedir, lab):
    """An SQLite gradebook holding only ``lab``, made by nbgrader's generate_assignment
    from the course's source; the course gradebook gets the lab the same way if it lacks
    it, and must agree with the snapshot (else the source changed since)."""
    from nbgrader.api import Gradebook, MissingEntry

    source = source_folder(coursedir, lab)
    with tempfile.TemporaryDirectory() as scratch:
        with Gradebook(coursedir.db_url) as gradebook:
            try:
                gradebook.find_assignment(lab)
                has_lab = bool(gradebook.find_assignment(lab).notebooks)
            except MissingEntry:
                has_lab = False
        if not has_lab:
            _generate_assignment(coursedir, lab, coursedir.db_url, Path(scratch) / "release")
        snapshot = Path(scratch) / "snapshot.db"
        _generate_assignment(coursedir, lab, f"sqlite:///{snapshot}", Path(scratch) / "release")
        if _source_checksums(coursedir.db_url, lab) != _source_checksums(f"sqlite:///{snapshot}", lab):
            raise SystemExit(f"the gradebook's copy of {lab} differs from {source}: the lab changed "
                             f"after it was first graded. See docs/instructors.md, 'When a submission breaks'.")
        return snapshot.read_bytes()


def find_submissions(submitted, lab):
    """{student: folder} for every ``<submitted>/<student>/<lab>/`` folder."""
    submitted = Path(submitted)
    if not submitted.is_dir():
        raise SystemExit(f"no submissions folder {submitted} (expected <student>/{lab}/ folders in it)")
    return {folder.parent.name: folder for folder in sorted(submitted.glob(f"*/{lab}")) if folder.is_dir()}


def already_graded(coursedir, lab, student):
    from nbgrader.api import Gradebook, MissingEntry

    if not Path(coursedir.format_path(coursedir.autograded_directory, student, lab)).is_dir():
        return False
    with Gradebook(coursedir.db_url) as gradebook:
        try:
            gradebook.find_submission(lab, student)
        except MissingEntry:
            return False
    return True


def source_probes(source):
    """{notebook: {grade id: [Probe]}} of the lab's source notebooks; every graded test
    cell must send at least one probe, since probes alone decide its score."""
    import nbformat

    from dl4cv.course.grading.verdicts import ProbeSpecError, lab_probes

    probes = {}
    for path in sorted(Path(source).glob("*.ipynb")):
        try:
            probes[path.stem] = lab_probes(nbformat.read(path, as_version=4))
        except ProbeSpecError as problem:
            raise SystemExit(f"{path}: {problem}") from None
        silent = [grade_id for grade_id, found in probes[path.stem].items() if not found]
        if silent:
            raise SystemExit(f"{path}: the graded cells {silent} send no probes, and dl4cv-grade scores a test "
                             "cell by its probes alone (see docs/instructors.md, 'Writing hidden tests')")
    return probes


def plan(coursedir, lab, submitted=None, *, students=None, redo=False, limits=Limits(),
         workers=1, isolation="sandbox", executor=None):
    """(tasks, skipped students, rejected) for the submissions of ``lab``: a task for each
    to grade, with the solution's probes to compare with, and a failed ``Result`` for each
    that ``intake`` refused."""
    from dl4cv.course.grading.references import lab_references

    source = source_folder(coursedir, lab)
    submitted = Path(submitted or Path(coursedir.root) / coursedir.submitted_directory)
    found = find_submissions(submitted, lab)
    if students:
        missing = sorted(set(students) - set(found))
        if missing:
            raise SystemExit(f"no submission of {lab} in {submitted} for {missing}")
        found = {s: found[s] for s in students}
    skipped = [s for s in found if not redo and already_graded(coursedir, lab, s)]
    gradebook = lab_snapshot(coursedir, lab)
    source_files = {name: data for name, data in read_tree(source).items() if not name.endswith(".ipynb")}
    threads = max(1, (os.cpu_count() or 1) // max(1, workers))
    probes = source_probes(source)
    tasks, rejected = [], []
    for student, folder in found.items():
        if student in skipped:
            continue
        try:
            files = read_submission(folder, limits)
        except SubmissionRejected as reason:
            rejected.append(Result.failed(lab, student, f"SubmissionRejected: {reason}"))
            continue
        tasks.append(Task(lab, student, files, gradebook, source_files, limits, isolation, threads, probes))
    if tasks:
        references = lab_references(coursedir, source, tasks[0], executor)
        tasks = [replace(task, references=references) for task in tasks]
    return tasks, skipped, rejected


def total_points(task):
    """The lab's maximum score, from the task's snapshot gradebook."""
    from nbgrader.api import Gradebook

    with tempfile.TemporaryDirectory() as scratch:
        (Path(scratch) / "gb.db").write_bytes(task.gradebook)
        with Gradebook(f"sqlite:///{scratch}/gb.db") as gradebook:
            return gradebook.find_assignment(task.lab).max_score


def course_cell_timeout(course):
    """Seconds per cell: the course's ``Execute.timeout`` in its nbgrader_config.py, else
    the default ``Limits.cell_timeout``."""
    from traitlets.config.loader import PyFileConfigLoader

    if (Path(course) / "nbgrader_config.py").exists():
        config = PyFileConfigLoader("nbgrader_config.py", path=str(course)).load_config()
        if "Execute" in config and "timeout" in config.Execute:
            return int(config.Execute.timeout)
    return Limits.cell_timeout
