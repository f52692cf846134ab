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

GREY = "LUMINANCE_WEIGHTS = (0.299, 0.587, 0.114)\n\ndef to_grayscale(rgb):\n"
QUIZ_TASKS = RIGHT_ANSWERS.replace('"classification"', "None").replace('"regression"', "None")


def _crop(first_row="(image.shape[0] - size) // 2", first_column="(image.shape[1] - size) // 2"):
    return f'''def center_crop(image, size):
    image = np.asarray(image)
    if size > min(image.shape[:2]):
        raise ValueError(size)
    top, left = {first_row}, {first_column}
    return image[top:top + size, left:left + size]


'''


# Written as different students would, from the exercise text alone; each wrong one loses
# exactly its own exercise's points.
ANSWERS = [
    # Exercise 1: describe
    right("describe-shape-padding", {"describe": '''def describe(image):
    shape = np.shape(image)
    return (*shape, 1) if len(shape) == 2 else tuple(shape)
'''}),
    right("describe-atleast-3d", {"describe": "def describe(image):\n    return np.atleast_3d(image).shape\n"}),
    right("describe-numpy-ints", {"describe": '''def describe(image):
    sizes = np.append(np.shape(image), 1)
    return tuple(sizes[:3])
'''}),
    right("describe-ndim-branch", {"describe": '''def describe(image):
    image = np.asarray(image)
    channels = image.shape[2] if image.ndim == 3 else 1
    return (int(image.shape[0]), int(image.shape[1]), int(channels))
'''}),
    wrong("describe-grey-has-no-channels", {"describe": '''def describe(image):
    h, w = np.shape(image)[:2]
    return h, w, np.shape(image)[-1]
'''}, lost={"describe-check": 1}, says="one channel"),
    wrong("describe-width-first", {"describe": '''def describe(image):
    image = np.asarray(image)
    return (image.shape[1], image.shape[0], image.shape[2] if image.ndim == 3 else 1)
'''}, lost={"describe-check": 1}, says="wrong answer"),
    wrong("describe-floats", {"describe": '''def describe(image):
    h, w = np.shape(image)[:2]
    return (h / 1, w / 1, np.size(image) / (h * w))
'''}, lost={"describe-check": 1}, says="int"),
    wrong("describe-grey-2-tuple", {"describe": "def describe(image):\n    return np.shape(image)\n"},
          lost={"describe-check": 1}, says="one channel"),
    # Exercise 2: to_grayscale
    right("to-grayscale-channel-sum", {"to-grayscale": GREY + '''    rgb = np.asarray(rgb, dtype=float)
    return 0.299 * rgb[..., 0] + 0.587 * rgb[..., 1] + 0.114 * rgb[..., 2]
'''}),
    right("to-grayscale-np-dot", {"to-grayscale": GREY + "    return np.dot(rgb, LUMINANCE_WEIGHTS)\n"}),
    right("to-grayscale-einsum-float32", {"to-grayscale": GREY + '''    return np.einsum("hwc,c->hw", np.asarray(rgb, np.float32), np.float32(LUMINANCE_WEIGHTS))
'''}),
    right("to-grayscale-average", {"to-grayscale": GREY + "    return np.average(rgb, axis=2, weights=LUMINANCE_WEIGHTS)\n"}),
    wrong("to-grayscale-plain-mean", {"to-grayscale": GREY + "    return np.mean(rgb, axis=-1)\n"},
          lost={"to-grayscale-check": 2}, says="luminance weights"),
    wrong("to-grayscale-bgr", {"to-grayscale": GREY + "    return np.asarray(rgb, float) @ np.array(LUMINANCE_WEIGHTS[::-1])\n"},
          lost={"to-grayscale-check": 2}, says="B, G, R"),
    wrong("to-grayscale-unit-scale", {"to-grayscale": GREY + "    return (np.asarray(rgb) / 255) @ np.array(LUMINANCE_WEIGHTS)\n"},
          lost={"to-grayscale-check": 2}, says="values differ"),
    wrong("to-grayscale-keepdims", {"to-grayscale": GREY + '''    return (np.asarray(rgb, float) * LUMINANCE_WEIGHTS).sum(axis=-1, keepdims=True)
'''}, lost={"to-grayscale-check": 2}, says="shape"),
    wrong("to-grayscale-pixel-loop", {"to-grayscale": GREY + '''    rgb = np.asarray(rgb, float)
    grey = np.zeros(rgb.shape[:2])
    for i in range(rgb.shape[0]):
        for j in range(rgb.shape[1]):
            grey[i, j] = rgb[i, j] @ LUMINANCE_WEIGHTS
    return grey
'''}, lost={"to-grayscale-check": 2}, says="loop"),
    # Exercise 3: brighten
    right("brighten-int16", {"brighten": '''def brighten(image, amount):
    return np.clip(image.astype(np.int16) + amount, 0, 255).astype(np.uint8)
'''}),
    right("brighten-float", {"brighten": '''def brighten(image, amount):
    return np.clip(np.asarray(image) + float(amount), 0, 255).astype(np.uint8)
'''}),
    right("brighten-min-max", {"brighten": '''def brighten(image, amount):
    wide = np.asarray(image, dtype=np.int64) + amount
    return np.minimum(np.maximum(wide, 0), 255).astype("uint8")
'''}),
    right("brighten-where", {"brighten": '''def brighten(image, amount):
    wide = np.asarray(image).astype(int) + amount
    wide = np.where(wide > 255, 255, wide)
    return np.where(wide < 0, 0, wide).astype(np.uint8)
'''}),
    wrong("brighten-wraps", {"brighten": WRAPPING_BRIGHTEN}, lost={"brighten-check": 2}, says="wrapped around"),
    wrong("brighten-returns-int", {"brighten": '''def brighten(image, amount):
    return np.clip(np.asarray(image, dtype=int) + amount, 0, 255)
'''}, lost={"brighten-check": 2}, says="dtype"),
    wrong("brighten-no-floor", {"brighten": '''def brighten(image, amount):
    return np.minimum(np.asarray(image, dtype=int) + amount, 255).astype(np.uint8)
'''}, lost={"brighten-check": 2}, says="clip at 0"),
    wrong("brighten-clip-in-uint8", {"brighten": '''def brighten(image, amount):
    return np.clip(image + amount, 0, 255)
'''}, lost={"brighten-check": 2}, says="wrapped around"),
    wrong("brighten-float32", {"brighten": '''def brighten(image, amount):
    return np.clip(image.astype(np.float32) + amount, 0, 255)
'''}, lost={"brighten-check": 2}, says="dtype"),
    wrong("brighten-uint16", {"brighten": '''def brighten(image, amount):
    return np.clip(np.asarray(image, dtype=np.int32) + amount, 0, 255).astype(np.uint16)
'''}, lost={"brighten-check": 2}, says="uint8"),
    # Exercise 4: to_unit_range
    right("to-unit-range-astype-divide", {"to-unit-range": '''def to_unit_range(image):
    return image.astype(np.float32) / 255
'''}),
    right("to-unit-range-float64-then-32", {"to-unit-range": '''def to_unit_range(image):
    return (np.asarray(image) / 255.0).astype(np.float32)
'''}),
    right("to-unit-range-np-divide", {"to-unit-range": '''def to_unit_range(image):
    return np.divide(image, 255, dtype=np.float32)
'''}),
    right("to-unit-range-multiply", {"to-unit-range": '''def to_unit_range(image):
    return np.float32(1 / 255) * np.asarray(image)
'''}),
    wrong("to-unit-range-image-max", {"to-unit-range": '''def to_unit_range(image):
    image = np.asarray(image, np.float32)
    return image / image.max()
'''}, lost={"to-unit-range-check": 1}, says="maximum"),
    wrong("to-unit-range-float64", {"to-unit-range": "def to_unit_range(image):\n    return np.asarray(image) / 255\n"},
          lost={"to-unit-range-check": 1}, says="float32"),
    wrong("to-unit-range-by-256", {"to-unit-range": '''def to_unit_range(image):
    return np.asarray(image, np.float32) / 256
'''}, lost={"to-unit-range-check": 1}, says="values differ"),
    wrong("to-unit-range-floor-division", {"to-unit-range": '''def to_unit_range(image):
    return (np.asarray(image) // 255).astype(np.float32)
'''}, lost={"to-unit-range-check": 1}, says="integer division"),
    # Exercise 5: center_crop and mirror
    right("geometry-fliplr", {"geometry": '''def center_crop(image, size):
    height, width = np.shape(image)[:2]
    if size > min(height, width):
        raise ValueError("crop larger than the image")
    top, left = int((height - size) / 2), int((width - size) / 2)
    return np.asarray(image)[top:top + size, left:left + size]


def mirror(image):
    return np.fliplr(image)
'''}),
    right("geometry-np-flip", {"geometry": '''def center_crop(image, size):
    image = np.asarray(image)
    if size > image.shape[0] or size > image.shape[1]:
        raise ValueError(size)
    top = (image.shape[0] - size) // 2
    left = (image.shape[1] - size) // 2
    return image[top:, left:][:size, :size]


def mirror(image):
    return np.flip(image, axis=1)
'''}),
    right("geometry-index-arrays", {"geometry": '''def center_crop(image, size):
    image = np.asarray(image)
    height, width = image.shape[0], image.shape[1]
    if height < size or width < size:
        raise ValueError("too big")
    rows = np.arange(size) + (height - size) // 2
    cols = np.arange(size) + (width - size) // 2
    return image[rows][:, cols]


def mirror(image):
    image = np.asarray(image)
    return image[:, np.arange(image.shape[1] - 1, -1, -1)]
'''}),
    wrong("geometry-mirror-upside-down", {"geometry": _crop() + "def mirror(image):\n    return np.flipud(image)\n"},
          lost={"geometry-check": 2}, says="up-down flip"),
    wrong("geometry-extra-row-before", {"geometry": _crop("(image.shape[0] - size + 1) // 2",
                                                          "(image.shape[1] - size + 1) // 2")
                                        + "def mirror(image):\n    return np.asarray(image)[:, ::-1]\n"},
          lost={"geometry-check": 2}, says="values differ"),
    wrong("geometry-no-value-error", {"geometry": '''def center_crop(image, size):
    image = np.asarray(image)
    top, left = max((image.shape[0] - size) // 2, 0), max((image.shape[1] - size) // 2, 0)
    return image[top:top + size, left:left + size]


def mirror(image):
    return np.asarray(image)[:, ::-1]
'''}, lost={"geometry-check": 2}, says="ValueError"),
    wrong("geometry-mirror-last-axis", {"geometry": _crop() + "def mirror(image):\n    return np.asarray(image)[..., ::-1]\n"},
          lost={"geometry-check": 2}, says="column"),
    # Exercise 6: intensity_histogram
    right("histogram-np-histogram-256-bins", {"histogram": '''def intensity_histogram(grey):
    counts, _ = np.histogram(grey, bins=256, range=(0, 256))
    return counts
'''}),
    right("histogram-count-each-level", {"histogram": '''def intensity_histogram(grey):
    return np.array([np.count_nonzero(grey == level) for level in range(256)])
'''}),
    right("histogram-unique", {"histogram": '''def intensity_histogram(grey):
    levels, counts = np.unique(grey, return_counts=True)
    histogram = np.zeros(256, dtype=np.int64)
    histogram[levels] = counts
    return histogram
'''}),
    right("histogram-add-at-uint32", {"histogram": '''def intensity_histogram(grey):
    counts = np.zeros(256, dtype=np.uint32)
    np.add.at(counts, np.ravel(grey), 1)
    return counts
'''}),
    right("histogram-pixel-loop", {"histogram": '''def intensity_histogram(grey):
    counts = [0] * 256
    for value in np.ravel(grey):
        counts[value] += 1
    return np.array(counts)
'''}),
    wrong("histogram-bincount-no-minlength", {"histogram": '''def intensity_histogram(grey):
    return np.bincount(np.ravel(grey))
'''}, lost={"histogram-check": 2}, says="never occur"),
    wrong("histogram-default-range", {"histogram": '''def intensity_histogram(grey):
    return np.histogram(grey, bins=256)[0]
'''}, lost={"histogram-check": 2}, says="default bins"),
    wrong("histogram-255-bins", {"histogram": '''def intensity_histogram(grey):
    return np.histogram(grey, bins=255, range=(0, 255))[0]
'''}, lost={"histogram-check": 2}, says="256"),
    wrong("histogram-float-counts", {"histogram": '''def intensity_histogram(grey):
    counts = np.zeros(256)
    for value in np.ravel(grey):
        counts[value] += 1
    return counts
'''}, lost={"histogram-check": 2}, says="integer"),
    wrong("histogram-uint8-counts", {"histogram": '''def intensity_histogram(grey):
    counts = np.zeros(256, dtype=np.uint8)
    np.add.at(counts, np.ravel(grey), 1)
    return counts
'''}, lost={"histogram-check": 2}, says="number of pixels"),
    # Exercise 7: the quiz
    right("quiz-literal", {"quiz": RIGHT_ANSWERS}),
    right("quiz-assign-items", {"quiz": QUIZ_TASKS + '''answers["read the digit in a 28x28 image"] = "classification"
answers["estimate a person's age in years from a face photo"] = "regression"
answers["decide whether an X-ray shows a fracture"] = "classification"
answers["predict the steering angle from a dash-cam frame"] = "regression"
answers["count the calories in a photo of a meal"] = "regression"
'''}),
    right("quiz-zip", {"quiz": QUIZ_TASKS + '''kinds = ["classification", "regression", "classification", "regression", "regression"]
answers = dict(zip(answers, kinds))
'''}),
    right("quiz-numpy-strings", {"quiz": QUIZ_TASKS + '''is_number = np.array([False, True, False, True, True])
answers = dict(zip(answers, np.where(is_number, "regression", "classification")))
'''}),
    wrong("quiz-all-swapped", {"quiz": WRONG_ANSWERS}, lost={"quiz-check": 1}, says="wrong kind"),
    wrong("quiz-calories-counted", {"quiz": RIGHT_ANSWERS.replace(
        '"count the calories in a photo of a meal": "regression"',
        '"count the calories in a photo of a meal": "classification"')}, lost={"quiz-check": 1}, says="wrong kind"),
    wrong("quiz-capitalised", {"quiz": RIGHT_ANSWERS.replace('"regression"', '"Regression"')},
          lost={"quiz-check": 1}, says="must be the string"),
    wrong("quiz-x-ray-regression", {"quiz": RIGHT_ANSWERS.replace(
        '"decide whether an X-ray shows a fracture": "classification"',
        '"decide whether an X-ray shows a fracture": "regression"')}, lost={"quiz-check": 1}, says="wrong kind"),
]
