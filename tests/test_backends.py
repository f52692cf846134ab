"""The training labs also run on Keras' JAX backend (the GPU machines this course is
benchmarked on have JAX but no TensorFlow).  They run in grading mode here, with its small
budget, to keep the suite fast; the TensorFlow run in test_notebooks covers the default
budget."""
import importlib.util

import pytest

from notebooks import LABS, execute, solution_path, stderr_outputs

pytestmark = pytest.mark.notebook

TRAINING_LABS = ("lab4_mnist_cnn", "lab5_segmentation", "lab6_cam")


@pytest.mark.skipif(importlib.util.find_spec("jax") is None, reason="JAX is not installed")
@pytest.mark.parametrize("lab", [lab for lab in TRAINING_LABS if lab in LABS])
def test_solution_runs_on_the_jax_backend(lab):
    notebook = execute(solution_path(lab), env={"KERAS_BACKEND": "jax", "JAX_PLATFORMS": "cpu",
                                                "NBGRADER_EXECUTION": "autograde"})
    assert stderr_outputs(notebook) == []
