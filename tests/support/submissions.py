"""Fixture submissions, each with the exact score it must get.

A lab's fixtures are ``tests/submissions/<lab>.py``: ``SUBMISSIONS``, honest answers
(right, partly wrong) that nbgrader and our grader must score exactly, and optionally
``CORPUS``, broken and adversarial ``Tampered`` submissions for our grader.  Every lab is
also graded as the full solution and as the blank release.  A submission names cells by
their nbgrader grade id and gives the source the "student" left there.  Tampered sources
may name ``@COURSE@`` (the course folder being graded) and ``@REPO@`` (this repository):
the test fills them in, so a submission can try to read or write exactly the files that
matter.
"""
import copy
import importlib
import json
import shutil
from dataclasses import dataclass, field, replace

import nbformat

from tests.support.notebooks import ROOT, cells_by_id, points, release_path, solution_path

FIXTURES = "tests.submissions"


def _fixtures(lab):
    try:
        return importlib.import_module(f"{FIXTURES}.{lab}")
    except ModuleNotFoundError as error:
        if error.name == f"{FIXTURES}.{lab}":
            return None
        raise


def submissions_for(lab):
    """The lab's honest fixture submissions (beyond the solution and the blank lab)."""
    return list(getattr(_fixtures(lab), "SUBMISSIONS", []))


def corpus(lab):
    """The lab's broken and adversarial submissions."""
    return list(getattr(_fixtures(lab), "CORPUS", []))


def scribbled(lab):
    """Paths (with ``@COURSE@``/``@REPO@``) the lab's corpus tries to write and must not."""
    return list(getattr(_fixtures(lab), "SCRIBBLED", []))


def labs_with_corpus(labs):
    return [lab for lab in labs if corpus(lab)]


def grade_id(cell):
    return cell.metadata.get("nbgrader", {}).get("grade_id")


def _index(notebook, cell_id):
    for index, cell in enumerate(notebook.cells):
        if grade_id(cell) == cell_id:
            return index
    raise KeyError(f"no cell with grade id {cell_id!r}")


def delete_cell(cell_id):
    def transform(notebook):
        del notebook.cells[_index(notebook, cell_id)]
    return transform


def change_cell_type(cell_id, cell_type):
    def transform(notebook):
        cell = notebook.cells[_index(notebook, cell_id)]
        cell.cell_type = cell_type
        if cell_type == "markdown":
            cell.pop("outputs", None)
            cell.pop("execution_count", None)
    return transform


def duplicate_before(cell_id, source):
    """A copy of cell ``cell_id`` (same cell id, same nbgrader metadata) holding
    ``source``, inserted just before it."""
    def transform(notebook):
        index = _index(notebook, cell_id)
        fake = copy.deepcopy(notebook.cells[index])
        fake.source = source
        notebook.cells.insert(index, fake)
    return transform


@dataclass
class Submission:
    """A fixture submission: the released lab with the solution's answers filled in,
    then ``edits`` (grade id -> new source, for answer or test cells) applied, or the
    blank release when ``blank`` is true.  ``expected`` is its exact score."""
    student: str
    expected: float
    edits: dict = field(default_factory=dict)
    blank: bool = False

    def notebook(self, lab):
        notebook = nbformat.read(release_path(lab), as_version=4)
        solutions = cells_by_id(solution_path(lab))
        for cell in notebook.cells:
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            if not self.blank and cell.metadata.get("nbgrader", {}).get("solution"):
                cell.source = solutions[grade_id].source
            if grade_id in self.edits:
                cell.source = self.edits[grade_id]
        unknown = set(self.edits) - {c.metadata.get("nbgrader", {}).get("grade_id") for c in notebook.cells}
        if unknown:
            raise KeyError(f"{self.student}: no cells with grade ids {sorted(unknown)} in {lab}")
        return notebook


@dataclass
class Tampered(Submission):
    """A fixture submission with a change to the notebook's
    structure (``transform``) applied after the source edits, and why it scores
    ``expected``."""
    transform: object = None
    why: str = ""

    def with_paths(self, course, repo):
        fill = lambda text: text.replace("@COURSE@", str(course)).replace("@REPO@", str(repo))  # noqa: E731
        return replace(self, edits={key: fill(value) for key, value in self.edits.items()})

    def notebook(self, lab):
        notebook = super().notebook(lab)
        if self.transform is not None:
            self.transform(notebook)
        return notebook


def make_course(course, lab, submissions):
    """A world-readable nbgrader course at ``course`` holding ``lab``'s source and
    ``submissions``, as careless as a real one, so that only the sandbox keeps student
    code out."""
    shutil.copytree(ROOT / "solutions" / lab, course / "source" / lab)
    for submission in submissions:
        folder = course / "submitted" / submission.student / lab
        folder.mkdir(parents=True)
        # Written without validation: a tampered notebook may be invalid (duplicate ids).
        (folder / f"{lab}.ipynb").write_text(json.dumps(submission.notebook(lab)))
    for path in [course, *course.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    return course


# ------------------------------------------------------------- attacks shared by the labs' corpora

def snoop(lab):
    """Code that tries every path a student could hope to read a hidden test, a solution
    or a grade from, and sets ``leaked`` to those it could read (a student's folder holds
    no notebook, so every one read is a leak)."""
    return f'''import glob

candidates = ["@REPO@/solutions/{lab}/{lab}.ipynb", "@COURSE@/gradebook.db", "@COURSE@/grades.csv",
              "@COURSE@/source/{lab}/{lab}.ipynb", "@REPO@/.git/config", "@REPO@/tests/submissions/{lab}.py",
              "@REPO@/nbgrader_config.py",
              *glob.glob("@COURSE@/submitted/*/{lab}/*.ipynb"), *glob.glob("@COURSE@/autograded/*/{lab}/*.ipynb"),
              *glob.glob("@COURSE@/downloaded/**/*", recursive=True),
              *glob.glob("/tmp/dl4cv-grade-*/course/gradebook.db"),
              *glob.glob("/tmp/dl4cv-grade-*/course/*/*/{lab}/*.ipynb"),
              *glob.glob("*.ipynb"), *glob.glob("../*.ipynb"), *glob.glob("../*/*.ipynb")]
leaked = []
for path in candidates:
    try:
        with open(path, "rb") as file:
            file.read()
    except OSError:
        continue
    leaked.append(path)
print("read:", leaked)
'''


def floods(lab):
    """Output meant to stall or bloat the grader, after the lab's first answer (right): an
    exception whose message has three million lines, and 300 MB of pictures.  Both score
    full marks (answer cells carry no points) once the output is cut as it arrives."""
    first = next(cell for cell in nbformat.read(solution_path(lab), as_version=4).cells
                 if cell.metadata.get("nbgrader", {}).get("solution") and cell.cell_type == "code")
    answer = first.source + "\n\n"
    error = 'raise ValueError("a very long story\\n" * 3_000_000)\n'
    pictures = ('from IPython.display import display\n\nfor _ in range(300):\n'
                '    display({"image/png": "iVBORw0KGgo" + "A" * 10 ** 6}, raw=True)\n')
    cell, full = first.metadata["nbgrader"]["grade_id"], points(lab)
    return [Tampered("error_flood", expected=full, edits={cell: answer + error},
                     why="an exception with a 54 MB message: kept short, redacted in linear time"),
            Tampered("display_flood", expected=full, edits={cell: answer + pictures},
                     why="300 MB of pictures: cut while the cell runs, the grader's memory stays small")]


# Another student's kernel, graded at the same time: kill it, or find its connection file
# (its key) and sockets to run code in it.
NEIGHBOURS = '''import glob
import os
import signal

mine = {os.getpid(), os.getppid(), 1}
for pid in [int(p) for p in os.listdir("/proc") if p.isdigit()]:
    if pid not in mine:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
keys = []
for pattern in ["/tmp/dl4cv-sandbox-*/ipc/*", "/tmp/*/kernel*.json", "/tmp/dl4cv-grade-*/**/*.json",
                os.path.expanduser("~/../*/.local/share/jupyter/runtime/*.json"),
                "/root/.local/share/jupyter/runtime/*.json", "/run/user/*/jupyter/runtime/*.json",
                "/proc/*/root/sandbox/connection.json"]:
    keys += glob.glob(pattern, recursive=True)
print("found:", keys)
'''


def lingering(children):
    """Code that starts processes meant to outlive the kernel: a detached daemon, then up
    to ``children`` sleeping children (or until the process cap refuses)."""
    return f'''import os
import time

if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        while True:
            time.sleep(1)
    os._exit(0)
children = 0
while children < {children}:
    try:
        pid = os.fork()
    except OSError:
        break
    if pid == 0:
        time.sleep(10 ** 6)
        os._exit(0)
    children += 1
print("forked", children, "children")
'''


# ------------------------------------------------------------- attacks on the kernel's verdict
# Each runs in the first answer cell of a blank submission: one line of IPython that, with
# a verdict decided in the kernel, gave full marks.  Probes judged by the grader give 0.

KERNEL_ATTACKS = {
    "input_transformer": ("an input transformer empties every later cell, hidden tests included",
                          "get_ipython().input_transformers_post.append(lambda lines: [])\n"),
    "partial_credit_hook": ("errors are swallowed and a hook publishes a full-marks number in every cell "
                            "(nbgrader's partial-credit rule)",
                            "import sys\n\nshell = get_ipython()\n"
                            "shell.set_custom_exc((BaseException,), lambda *args, **kwargs: None)\n"
                            "shell.showtraceback = lambda *args, **kwargs: None\n"
                            "shell.events.register('post_run_cell', lambda result: sys.displayhook(99.0))\n"),
    "replaced_run_cell": ("the shell runs `pass` instead of every later cell",
                          "shell = get_ipython()\nreal_run_cell_async = shell.run_cell_async\n\n"
                          "async def run_nothing(raw_cell, *args, **kwargs):\n"
                          "    return await real_run_cell_async('pass', *args, **kwargs)\n\n"
                          "shell.run_cell_async = run_nothing\n"
                          "shell.run_cell = lambda raw_cell, *args, **kwargs: None\n"),
    "replaced_execute_handler": ("the kernel's execute handler runs `pass` instead of every later cell",
                                 "kernel = get_ipython().kernel\nreal_execute = kernel.shell_handlers['execute_request']\n"
                                 "kernel.shell_handlers['execute_request'] = lambda stream, ident, parent: real_execute(\n"
                                 "    stream, ident, {**parent, 'content': {**parent['content'], 'code': 'pass'}})\n"),
    "forged_probes": ("a hook reads each hidden test's probe names from the cell and sends a value for each "
                      "first: forged values, and then every probe arrives twice",
                      "import re\n\nimport numpy as np\nfrom IPython.display import display\n\n"
                      "def forge(info):\n"
                      "    for name in re.findall(r'probe\\(\\s*\"([^\"]+)\"', info.raw_cell or ''):\n"
                      "        display({'application/vnd.dl4cv.probe+json': {'name': name, 'value': {\n"
                      "            'type': 'array', 'dtype': '<f8', 'shape': [], 'data': 'AAAAAAAA8D8='}}}, raw=True)\n\n"
                      "get_ipython().events.register('pre_run_cell', forge)\n"),
}
LEAK_MARK = "LEAKED:"
# Prints, in every later cell, what that cell's code is (hidden tests included) and every
# file the kernel can read where references or solutions could be, zlib'd and base64'd so
# that the feedback's redaction of quoted hidden lines cannot see it.
LEAK_EVERYTHING = f'''import base64
import glob
import os
import zlib

def leak(info):
    found = [info.raw_cell or ""]
    for path in glob.glob("@COURSE@/.dl4cv/**/*", recursive=True) + glob.glob("/tmp/**/*.json", recursive=True):
        try:
            with open(path, "rb") as file:
                found.append(path + "\\n" + file.read(2 ** 20).decode(errors="replace"))
        except OSError:
            pass
    found.append(repr(sorted(os.environ.items())))
    print("{LEAK_MARK}" + base64.b64encode(zlib.compress("\\n".join(found).encode())).decode())

get_ipython().events.register("pre_run_cell", leak)
'''


def kernel_attacks(lab):
    """The blank lab with each attack on the kernel's verdict, and one that leaks all it
    can see into its feedback (``leaked``); every one scores 0."""
    first = next(cell for cell in nbformat.read(solution_path(lab), as_version=4).cells
                 if cell.metadata.get("nbgrader", {}).get("solution") and cell.cell_type == "code")
    cell = first.metadata["nbgrader"]["grade_id"]
    cases = [Tampered(name, expected=0, blank=True, edits={cell: code}, why=why)
             for name, (why, code) in KERNEL_ATTACKS.items()]
    return cases + [Tampered("leaks_everything", expected=0, blank=True, edits={cell: LEAK_EVERYTHING},
                             why="prints every cell's code (hidden tests too) and every file it can read, encoded")]


def leaked(feedback_html):
    """The texts a ``leaks_everything`` submission smuggled into its feedback page."""
    import base64
    import re
    import zlib

    return [zlib.decompress(base64.b64decode(blob)).decode()
            for blob in re.findall(LEAK_MARK + r"([A-Za-z0-9+/=]+)", feedback_html)]
