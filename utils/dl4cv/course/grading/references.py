"""The solution's probes, which every submission's are compared with (parent only).

Once per version of a lab (its source files, this package and the libraries that compute
the values), the instructor's source notebook is graded like a submission, in the same
sandboxed kernel, with the same hidden code; the probes it sends are the references.
Each must arrive once and satisfy its own rule, or the lab is broken and nothing is
graded.  They are kept in ``<course>/.dl4cv/references/<lab>.json``."""
import hashlib
import json
from dataclasses import replace
from importlib import metadata
from pathlib import Path

import nbformat

import dl4cv
from dl4cv import __version__
from dl4cv.course.files import read_tree
from dl4cv.course.grading.verdicts import reference_problems
from dl4cv.course.grading.worker import grade_submission

REFERENCE_STUDENT = "reference-solution"
PACKAGE = Path(dl4cv.__file__).parent
VERSIONED = ("numpy", "keras", "tensorflow", "tensorflow-cpu", "jax", "scipy", "pycocotools", "nbgrader")


def references_path(coursedir, lab):
    return Path(coursedir.root) / ".dl4cv" / "references" / f"{lab}.json"


def version_key(source):
    """What the references depend on: the lab's source files, this package's code and the
    libraries' versions."""
    digest = hashlib.sha256(__version__.encode())
    package = {f"dl4cv/{path.relative_to(PACKAGE)}": path.read_bytes() for path in sorted(PACKAGE.rglob("*.py"))}
    for name, data in sorted({**read_tree(source), **package}.items()):
        digest.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
    for package in VERSIONED:
        try:
            digest.update(f"{package}={metadata.version(package)}".encode())
        except metadata.PackageNotFoundError:
            pass
    return digest.hexdigest()


def lab_references(coursedir, source, task, executor=None):
    """{notebook: {grade id: {probe name: encoded}}}: the cached references of the lab
    in ``source`` if they are of this version, else those of a fresh run of its source
    notebooks as the submission of ``task`` (a student's task of this lab, without
    references), on ``executor`` if given."""
    path, key = references_path(coursedir, task.lab), version_key(source)
    if path.exists():
        cached = json.loads(path.read_text())
        if cached.get("key") == key:
            return cached["probes"]
    notebooks = {name: data for name, data in read_tree(source).items() if name.endswith(".ipynb")}
    reference = replace(task, student=REFERENCE_STUDENT, files=notebooks, references={})
    result = executor.submit(grade_submission, reference).result() if executor else grade_submission(reference)
    if not result.ok:
        raise SystemExit(f"the solution of {task.lab} could not be run for its reference values:\n{result.error}")
    problems = []
    for notebook, cells in task.probes.items():
        errors = _cell_errors(result.autograded.get(f"{notebook}.ipynb"))
        for grade_id, probes in cells.items():
            sent = [tuple(pair) for pair in result.probes.get(notebook, {}).get(grade_id, [])]
            lines = reference_problems(probes, sent)
            problems += [f"{notebook}, cell {grade_id}: {line}" for line in lines]
            if lines and grade_id in errors:
                problems.append(f"    the cell's error: {errors[grade_id]}")
    if problems:
        raise SystemExit(f"the solution of {task.lab} fails its own hidden tests, so nothing was graded:\n"
                         + "\n".join(problems))
    probes = {notebook: {grade_id: dict(tuple(pair) for pair in sent) for grade_id, sent in cells.items()}
              for notebook, cells in result.probes.items()}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"key": key, "probes": probes}))
    return probes


def _cell_errors(data):
    """{grade id: the first error a graded notebook's cell shows} (for the lab's author)."""
    if data is None:
        return {}
    errors = {}
    for cell in nbformat.reads(data.decode(), as_version=4).cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        for output in cell.get("outputs", []):
            if grade_id and output.get("output_type") == "error" and output.get("ename") != "HiddenTestFailed":
                errors.setdefault(grade_id, f"{output.get('ename')}: {str(output.get('evalue'))[:500]}")
    return errors
