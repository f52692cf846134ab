"""Review flags (dl4cv.course.grading.review): code that reaches into the interpreter or
the kernel is flagged for an instructor; no honest answer is."""
import json

import nbformat
import pytest

from tests.support.notebooks import LABS, release_path
from tests.support.answers import answers
from tests.support.submissions import KERNEL_ATTACKS, LEAK_EVERYTHING, Submission, corpus, submissions_for
from dl4cv.course.grading.review import cell_flags, review_flags


def _files(notebook, lab):
    return {f"{lab}.ipynb": json.dumps(notebook).encode()}


@pytest.mark.parametrize("lab", LABS)
def test_no_honest_notebook_is_flagged(lab):
    notebooks = [Submission("solution", 0).notebook(lab), nbformat.read(release_path(lab), as_version=4),
                 *(submission.notebook(lab) for submission in submissions_for(lab))]
    assert [review_flags(_files(notebook, lab)) for notebook in notebooks] == [[]] * len(notebooks)


@pytest.mark.parametrize("lab", LABS)
def test_no_students_answer_is_flagged_right_or_wrong(lab):
    flagged = {(answer.name, cell): cell_flags(source) for answer in answers(lab)
               for cell, source in answer.edits.items() if cell_flags(source)}
    assert flagged == {}


def test_every_attack_on_the_kernels_verdict_is_flagged():
    sources = {name: code for name, (_, code) in KERNEL_ATTACKS.items()} | {"leak": LEAK_EVERYTHING}
    assert [name for name, code in sources.items() if not cell_flags(code)] == []


@pytest.mark.parametrize("source, flag", [
    ("from dl4cv.probes import probe", "imports the hidden tests' probes (dl4cv.probes)"),
    ("display({'application/vnd.dl4cv.probe+json': {}}, raw=True)", "the hidden tests' probes (their message type)"),
    ("get_ipython().input_transformers_post.append(lambda lines: [])", "input transformers"),
    ("ip = get_ipython()\nip.events.register('pre_run_cell', lambda info: None)", "the IPython shell (get_ipython)"),
    ("get_ipython().set_custom_exc((Exception,), lambda *a, **k: None)", "the shell's error handling"),
    ("shell.run_cell = lambda *a, **k: None", "the shell's run_cell"),
    ("kernel.shell_handlers['execute_request'] = None", "the kernel's handlers"),
    ("import sys\nexpected = sys._getframe(1).f_locals", "frames (sys._getframe)"),
    ("import inspect\nframe = inspect.currentframe()", "imports frames and source (inspect)"),
    ("import gc\nobjects = gc.get_objects()", "imports the garbage collector (gc)"),
    ("from ctypes import pythonapi", "imports raw memory (ctypes)"),
    ("import zmq", "imports the kernel's messaging (ZMQ)"),
    ("from jupyter_client import BlockingKernelClient", "imports the Jupyter kernel"),
    ("import signal\nsignal.signal(signal.SIGALRM, print)", "imports signals"),
    ("import os\nif os.fork() == 0:\n    pass", "fork"),
    ("import os\nos.kill(1, 9)", "killing processes"),
    ("result = eval('1 + 1')", "eval"),
    ("exec(compile('x = 1', 'x', 'exec'))", "compile"),
    ("subclasses = ().__class__.__bases__[0].__subclasses__()", "dunder gadgets"),
    ("secrets = getattr(check, '__globals__')", "dunder gadgets"),
    ("%config InteractiveShell.ast_node_interactivity='all'", "an IPython magic or shell command (%config)"),
    ("try:\n    pass\nexcept Exception as e:\n    frame = e.__traceback__.tb_frame", "tracebacks"),
])
def test_what_no_honest_answer_needs_is_flagged(source, flag):
    assert flag in cell_flags(source)


@pytest.mark.parametrize("source", [
    "model.compile(optimizer='adam', loss='sparse_categorical_crossentropy')",
    "class Block(keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.name_ = type(self).__name__",
    "%matplotlib inline\nimport numpy as np\nprint(np.__version__)",
    "import os\nfolder = os.path.join('data', 'x')",
    "def f(x:\n    broken syntax",
])
def test_ordinary_code_is_not_flagged(source):
    assert cell_flags(source) == []


def test_a_flag_says_where_and_points_at_the_answer_cell_before_it():
    lab = "lab1_images"
    os_exit = next(case for case in corpus(lab) if case.student == "os_exit")
    [(notebook, answer, number, what)] = review_flags(_files(os_exit.notebook(lab), lab))
    assert (notebook, answer, what) == (lab, "brighten", "ending the process (os._exit)")
    cells = os_exit.notebook(lab).cells
    assert "os._exit" in cells[number - 1].source
