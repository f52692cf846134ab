"""Lab 1's fixture submissions: honest ones (``SUBMISSIONS``) and the adversarial corpus
(``CORPUS``).  Points: describe 1, to-grayscale 2, brighten 2, to-unit-range 1, geometry 2,
histogram 2, quiz 1 (11 in all).  The corpus runs with a small per-cell timeout and memory
cap (tests/course/test_grading.py)."""
from tests.support.answers import right, wrong
from tests.support.submissions import (NEIGHBOURS, Submission, Tampered, change_cell_type, delete_cell,
                                       duplicate_before, lingering, snoop)

DESCRIBE = '''def describe(image):
    image = np.asarray(image)
    if image.ndim == 2:
        return image.shape[0], image.shape[1], 1
    return image.shape
'''
WRAPPING_BRIGHTEN = '''def brighten(image, amount):
    return (np.asarray(image) + np.uint8(amount % 256)).astype(np.uint8)
'''
MEAN_GREY = '''LUMINANCE_WEIGHTS = (0.299, 0.587, 0.114)

def to_grayscale(rgb):
    return np.asarray(rgb, dtype=float).mean(axis=-1)
'''
RIGHT_ANSWERS = '''answers = {
    "read the digit in a 28x28 image": "classification",
    "estimate a person's age in years from a face photo": "regression",
    "decide whether an X-ray shows a fracture": "classification",
    "predict the steering angle from a dash-cam frame": "regression",
    "count the calories in a photo of a meal": "regression",
}
'''
WRONG_ANSWERS = RIGHT_ANSWERS.replace('"classification"', '"regression"')

# Every place outside its folder a student could write to.
SCRIBBLE = '''import os

targets = ["@REPO@/TAMPERED", "@COURSE@/TAMPERED", "@COURSE@/gradebook.db",
           "@COURSE@/submitted/solution/lab1_images/lab1_images.ipynb",
           "@COURSE@/source/lab1_images/TAMPERED", "/tmp/dl4cv-TAMPERED", "/var/tmp/dl4cv-TAMPERED",
           "/dev/shm/dl4cv-TAMPERED", os.path.expanduser("~/../TAMPERED")]
written = []
for path in targets:
    try:
        with open(path, "a") as file:
            file.write("tampered")
        written.append(path)
    except OSError:
        pass
with open("mine.txt", "w") as file:  # its own folder is fine
    file.write("ok")
print("wrote:", written)
'''
SCRIBBLED = ["@REPO@/TAMPERED", "@COURSE@/TAMPERED", "@COURSE@/source/lab1_images/TAMPERED",
             "/tmp/dl4cv-TAMPERED", "/var/tmp/dl4cv-TAMPERED", "/dev/shm/dl4cv-TAMPERED"]

ALWAYS_EQUAL = '''class AlwaysEqual:
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    __hash__ = object.__hash__


def describe(image):
    return AlwaysEqual(), AlwaysEqual(), AlwaysEqual()
'''

SUBMISSIONS = [
    # brighten wraps around (2 points lost); everything else right.
    Submission("partly_wrong", expected=9, edits={"brighten": WRAPPING_BRIGHTEN}),
    # A wrong grayscale whose visible check was replaced by `pass`: nbgrader restores
    # the check (with its hidden tests), so the 2 points are lost all the same.
    Submission("replaced_check", expected=9,
               edits={"to-grayscale": MEAN_GREY, "to-grayscale-check": "pass"}),
]

CORPUS = [
    Tampered("infinite_loop", expected=10, why="to_unit_range never returns: its check times out",
             edits={"to-unit-range": "def to_unit_range(image):\n    while True:\n        pass\n"}),
    Tampered("sleeps_past_timeout", expected=11,
             why="the answer cell sleeps after defining a right answer: the cell is stopped, "
                 "what it defined stays, and answer cells carry no points",
             edits={"to-unit-range": "import time\n\ndef to_unit_range(image):\n"
                                     "    return np.asarray(image, dtype=np.float32) / 255\n\n"
                                     "time.sleep(10 ** 6)\n"}),
    Tampered("memory_bomb", expected=10, why="to_unit_range allocates without end: MemoryError at the cap",
             edits={"to-unit-range": "def to_unit_range(image):\n    hoard = []\n    while True:\n"
                                     "        hoard.append(bytearray(10 ** 8))\n"}),
    Tampered("output_flood", expected=11, why="a right answer that prints ~80 MB: the output is cut, "
                                              "the score stands",
             edits={"describe": DESCRIBE + "\nfor _ in range(400_000):\n    print('flood ' * 33)\n"}),
    Tampered("sys_exit", expected=11, why="sys.exit in a cell ends that cell only (IPython); the rest runs",
             edits={"describe": DESCRIBE + "\nimport sys\nsys.exit(0)\n"}),
    Tampered("os_exit", expected=3,
             why="os._exit kills the kernel in the brighten cell: describe (1) and grayscale (2) "
                 "were already graded; every test from brighten's on scores 0",
             edits={"brighten": "import os\nos._exit(1)\n"}),
    Tampered("deleted_test_cell", expected=9, why="nbgrader puts the deleted brighten check back",
             edits={"brighten": WRAPPING_BRIGHTEN}, transform=delete_cell("brighten-check")),
    Tampered("edited_test_cell", expected=9,
             why="the brighten check, rewritten to test a right brighten of its own, is restored",
             edits={"brighten": WRAPPING_BRIGHTEN,
                    "brighten-check": "def brighten(image, amount):\n"
                                      "    return np.clip(np.asarray(image, int) + amount, 0, 255).astype(np.uint8)\n"}),
    Tampered("changed_cell_type", expected=9, why="the brighten check, turned into markdown, is turned back",
             edits={"brighten": WRAPPING_BRIGHTEN}, transform=change_cell_type("brighten-check", "markdown")),
    Tampered("duplicated_cell_ids", expected=9,
             why="a copy of the brighten check (same ids) holding `pass` sits before the real one: "
                 "nbgrader keeps one, with the instructor's source",
             edits={"brighten": WRAPPING_BRIGHTEN}, transform=duplicate_before("brighten-check", "pass")),
    Tampered("monkeypatched_helpers", expected=7,
             why="wrong grayscale and brighten, with numpy's comparisons and the check helpers "
                 "replaced: the guard puts them back before every cell",
             edits={"to-grayscale": MEAN_GREY,
                    "brighten": WRAPPING_BRIGHTEN + "\nnp.allclose = lambda *a, **k: True\n"
                                "np.array_equal = lambda *a, **k: True\n"
                                "checks.check_array = lambda *a, **k: None\n"}),
    Tampered("rebound_modules", expected=9,
             why="wrong brighten; `np` and `checks` rebound to fakes that accept everything",
             edits={"brighten": WRAPPING_BRIGHTEN + "\nclass Yes:\n    def __getattr__(self, name):\n"
                                "        return lambda *a, **k: True\n\nreal_np, np, checks = np, Yes(), Yes()\n"}),
    Tampered("always_equal", expected=9,
             why="describe returns objects equal to everything, and the quiz answers too: both rejected",
             edits={"describe": ALWAYS_EQUAL,
                    "quiz": RIGHT_ANSWERS + "answers = {task: AlwaysEqual() for task in answers}\n"}),
    Tampered("reads_secrets", expected=10,
             why="the quiz cell answers right only if it can read a hidden test or the gradebook: it cannot",
             edits={"quiz": WRONG_ANSWERS + snoop("lab1_images") + "if leaked:\n    " + RIGHT_ANSWERS.replace("\n", "\n    ")}),
    Tampered("writes_outside", expected=11, why="writes outside its folder fail; the answers are right",
             edits={"quiz": RIGHT_ANSWERS + SCRIBBLE}),
    Tampered("attacks_neighbours", expected=11,
             why="tries to kill every process it can see and to find other kernels' keys and sockets: "
                 "its sandbox shows only its own; the neighbours graded at the same time keep their marks",
             edits={"quiz": RIGHT_ANSWERS + NEIGHBOURS}),
    Tampered("leaves_processes", expected=11,
             why="a detached daemon and forks until the process cap refuses: all die with its sandbox",
             edits={"quiz": RIGHT_ANSWERS + lingering(2000)}),
    Tampered("stderr_in_answer", expected=11,
             why="a right describe that prints to stderr, also when the test calls it: our policy "
                 "is that only errors cost points (nbgrader alone would give 10)",
             edits={"describe": "import sys\n\n" + DESCRIBE.replace(
                 "    image = np.asarray(image)\n",
                 "    print('debug: describing', np.shape(image), file=sys.stderr)\n    image = np.asarray(image)\n")
                 + "\nprint('done', file=sys.stderr)\n"}),
    Tampered("wrong_dtype_and_shape", expected=6,
             why="brighten returns int64 (-2), to_unit_range float64 (-1), to_grayscale keeps a "
                 "channel axis (-2)",
             edits={"brighten": "def brighten(image, amount):\n"
                                "    return np.clip(np.asarray(image).astype(np.int64) + amount, 0, 255)\n",
                    "to-unit-range": "def to_unit_range(image):\n    return np.asarray(image) / 255.0\n",
                    "to-grayscale": "LUMINANCE_WEIGHTS = (0.299, 0.587, 0.114)\n\ndef to_grayscale(rgb):\n"
                                    "    return np.asarray(rgb, float) @ np.array(LUMINANCE_WEIGHTS)[:, None]\n"}),
]

ANSWERS = [
    right("describe-shape-padding", {"describe": '''def describe(image):
    shape = np.shape(image)
    return (*shape, 1) if len(shape) == 2 else tuple(shape)
'''}),
    wrong("describe-grey-has-no-channels", {"describe": '''def describe(image):
    h, w = np.shape(image)[:2]
    return h, w, np.shape(image)[-1]
'''}, lost={"describe-check": 1}, says="one channel"),
]
