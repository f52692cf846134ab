"""The training labs also run on Keras' JAX backend (the GPU machines this course is
benchmarked on have JAX but no TensorFlow), and under mixed precision, which they choose on
a GPU and, for Labs 4 and 5, on a CPU with bfloat16 units.  They run in grading mode here,
with its small budget, to keep the suite fast; the TensorFlow run in test_notebooks covers
the default budget.  Their hidden tests' probes must match those of the same notebook on
TensorFlow in float32, where grading runs."""
import functools
import importlib.util

import pytest

from tests.support.notebooks import LABS, ROOT, execute, solution_path, stderr_outputs
from dl4cv.course.grading.course import source_probes
from dl4cv.course.grading.verdicts import judge_cell, probes_sent
from dl4cv.probes import PROBES_ENV

pytestmark = pytest.mark.notebook

TRAINING_LABS = ("lab4_mnist_cnn", "lab5_segmentation", "lab6_cam")
# The cell of each training lab that sets the compute policy and trains its main model.
TRAINING_CELLS = {"lab4_mnist_cnn": "train-cnn", "lab5_segmentation": "train", "lab6_cam": "train"}


# Grading mode, the probes sent (dl4cv-grade's kernel would judge them).
GRADING = {"NBGRADER_EXECUTION": "autograde", PROBES_ENV: "1"}


def sent_probes(notebook):
    """{grade id: [(name, encoded)]} of the probes each graded cell sent."""
    return {cell.metadata["nbgrader"]["grade_id"]: probes_sent(cell.get("outputs", []))[1]
            for cell in notebook.cells if cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("grade")}


@functools.cache
def tensorflow_probes(lab):
    return sent_probes(execute(solution_path(lab), env={**GRADING, "KERAS_BACKEND": "tensorflow"}))


def misjudged(lab, notebook):
    """The hidden tests the solution, run as ``notebook``, fails against its TensorFlow run."""
    sent, references = sent_probes(notebook), tensorflow_probes(lab)
    return [f"{grade_id}: {line}" for grade_id, probes in source_probes(ROOT / "solutions" / lab)[lab].items()
            for line in judge_cell(probes, sent.get(grade_id, []), dict(references.get(grade_id, []))).lines]


def printed(notebook, cell_id):
    """Everything a code cell wrote to stdout."""
    [cell] = [cell for cell in notebook.cells if cell.get("id") == cell_id]
    return "".join(output.get("text", "") for output in cell.get("outputs", [])
                   if output.get("output_type") == "stream" and output.get("name") == "stdout")


@pytest.mark.skipif(importlib.util.find_spec("jax") is None, reason="JAX is not installed")
@pytest.mark.parametrize("lab", [lab for lab in (*TRAINING_LABS, "lab7_detection") if lab in LABS])
def test_solution_runs_on_the_jax_backend(lab):
    notebook = execute(solution_path(lab), env={"KERAS_BACKEND": "jax", "JAX_PLATFORMS": "cpu", **GRADING})
    assert stderr_outputs(notebook) == []
    assert misjudged(lab, notebook) == []


# What a GPU picks, in every training lab; what a CPU with bfloat16 units picks, in the
# labs that turn TensorFlow's oneDNN kernels on.
MIXED_PRECISIONS = [*((lab, "mixed_float16") for lab in TRAINING_LABS),
                    *((lab, "mixed_bfloat16") for lab in ("lab4_mnist_cnn", "lab5_segmentation"))]


@pytest.mark.parametrize("lab, policy", [(lab, policy) for lab, policy in MIXED_PRECISIONS if lab in LABS])
def test_solution_runs_under_mixed_precision(lab, policy):
    """The policy forced on this CPU, whatever it has (float16 runs slowly on a CPU): the
    graded checks must still pass, since where it is picked they run after it is set."""
    notebook = execute(solution_path(lab), env={"DL4CV_PRECISION": policy, "CUDA_VISIBLE_DEVICES": "", **GRADING})
    assert f"compute policy: {policy}" in printed(notebook, TRAINING_CELLS[lab])
    assert stderr_outputs(notebook) == []
    assert misjudged(lab, notebook) == []
