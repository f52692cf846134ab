"""The training labs also run on Keras' JAX backend (the GPU machines this course is
benchmarked on have JAX but no TensorFlow), and under mixed precision, which they choose on
a GPU.  They run in grading mode here, with its small budget, to keep the suite fast; the
TensorFlow run in test_notebooks covers the default budget."""
import importlib.util

import pytest

from tests.support.notebooks import LABS, execute, solution_path, stderr_outputs

pytestmark = pytest.mark.notebook

TRAINING_LABS = ("lab4_mnist_cnn", "lab5_segmentation", "lab6_cam")
# The cell of each training lab that sets the compute policy and trains its main model.
TRAINING_CELLS = {"lab4_mnist_cnn": "train-cnn", "lab5_segmentation": "train", "lab6_cam": "train"}


def printed(notebook, cell_id):
    """Everything a code cell wrote to stdout."""
    [cell] = [cell for cell in notebook.cells if cell.get("id") == cell_id]
    return "".join(output.get("text", "") for output in cell.get("outputs", [])
                   if output.get("output_type") == "stream" and output.get("name") == "stdout")


@pytest.mark.skipif(importlib.util.find_spec("jax") is None, reason="JAX is not installed")
@pytest.mark.parametrize("lab", [lab for lab in (*TRAINING_LABS, "lab7_detection") if lab in LABS])
def test_solution_runs_on_the_jax_backend(lab):
    notebook = execute(solution_path(lab), env={"KERAS_BACKEND": "jax", "JAX_PLATFORMS": "cpu",
                                                "NBGRADER_EXECUTION": "autograde"})
    assert stderr_outputs(notebook) == []


@pytest.mark.parametrize("lab", [lab for lab in TRAINING_LABS if lab in LABS])
def test_solution_runs_under_mixed_precision(lab):
    """What a GPU would pick, forced on the CPU (where Keras runs float16, slowly): the
    graded checks must still pass, since on a GPU they run after the policy is set."""
    notebook = execute(solution_path(lab), env={"DL4CV_PRECISION": "mixed_float16", "CUDA_VISIBLE_DEVICES": "",
                                                "NBGRADER_EXECUTION": "autograde"})
    assert "compute policy: mixed_float16" in printed(notebook, TRAINING_CELLS[lab])
    assert stderr_outputs(notebook) == []
