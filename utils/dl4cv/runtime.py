"""Where a lab is running, and how much work it should do there.

Three modes: a student on a CPU, a student on a GPU (Colab), and autograding, which
nbgrader announces with ``NBGRADER_EXECUTION``.  Labs ask
``choose_budget`` for their training budget and print what it chose, and
``use_mixed_precision`` for the precision they train in (``DL4CV_PRECISION`` overrides it).
"""
import os
import random
import sys

import numpy as np

GRADING_ENV = "NBGRADER_EXECUTION"
PRECISION_ENV = "DL4CV_PRECISION"
STATIC_WIDGETS_ENV = "DL4CV_STATIC_WIDGETS"
PRECISIONS = ("mixed_float16", "mixed_bfloat16", "float32")
BFLOAT16_CPU_FLAGS = {"avx512_bf16", "amx_bf16"}  # in /proc/cpuinfo
DEFAULT_SEED = 42


def in_colab():
    """True inside Google Colab."""
    return "google.colab" in sys.modules


def autograding():
    """True while nbgrader executes the notebook (``autograde`` or ``validate``)."""
    return bool(os.environ.get(GRADING_ENV))


def live_frontend():
    """True when widgets can be shown live: inside a Jupyter kernel, not autograding,
    ipywidgets installed and ``DL4CV_STATIC_WIDGETS`` not set.  Set it (to anything but
    0) to get the labs' static figures anywhere, e.g. when a notebook is executed
    headless by nbclient or nbval, which a kernel cannot tell apart from a live front end."""
    if autograding() or os.environ.get(STATIC_WIDGETS_ENV, "").strip() not in ("", "0"):
        return False
    try:
        import IPython
        import ipywidgets  # noqa: F401 - only checking that it is installed
    except ImportError:
        return False
    shell = IPython.get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


def seed_everything(seed=DEFAULT_SEED):
    """Seed Python, NumPy and (if it is already imported) Keras, for repeatable runs."""
    if not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    random.seed(int(seed))
    np.random.seed(int(seed))
    if "keras" in sys.modules:
        import keras

        keras.utils.set_random_seed(int(seed))


def accelerator():
    """Return ``"gpu"`` when Keras' backend sees a GPU, else ``"cpu"``.

    Imports the Keras backend, so call it only in labs that train.
    """
    import keras

    backend = keras.backend.backend()
    if backend == "tensorflow":
        import tensorflow as tf

        return "gpu" if tf.config.list_physical_devices("GPU") else "cpu"
    if backend == "jax":
        import jax

        return "gpu" if any(device.platform == "gpu" for device in jax.devices()) else "cpu"
    if backend == "torch":
        import torch

        return "gpu" if torch.cuda.is_available() else "cpu"
    return "cpu"


COLAB_GPU_HOWTO = ("No GPU in this Colab session. Meanwhile the lab runs on the CPU with its "
                   "smaller CPU budget (printed when it trains), which passes every check, only "
                   "slower and a little less accurate. For the GPU: Runtime > Change runtime type "
                   "> T4 GPU (or any GPU), then Runtime > Run all.")


def report_device():
    """Print the Keras backend and device; on Colab without a GPU, say how to get one.

    Returns ``"gpu"`` or ``"cpu"``.  Training runs on either: this is advice, not an assert.
    """
    import keras

    device = accelerator()
    print(f"Keras {keras.__version__}, backend {keras.backend.backend()}, device: {device.upper()}")
    if device == "cpu" and in_colab():
        print(COLAB_GPU_HOWTO)
    return device


def use_mixed_precision(device=None):
    """Set Keras' global dtype policy for the layers built from now on, and return its name.

    On a GPU, compute in float16 with float32 weights (Keras' ``mixed_float16``).  On a CPU
    that multiplies bfloat16 in hardware (``cpu_multiplies_bfloat16``), while TensorFlow's oneDNN
    kernels are on (``training.use_onednn_quietly``), compute in bfloat16
    (``mixed_bfloat16``); on any other CPU, where 16-bit floats make training slower, keep
    ``float32``.  Always keep ``float32`` while autograding: graded checks compare numbers
    with tight tolerances.  ``device`` is ``"gpu"`` or ``"cpu"``; by default
    ``accelerator()`` says which.

    The environment variable ``DL4CV_PRECISION`` (``"mixed_float16"``, ``"mixed_bfloat16"``
    or ``"float32"``), when set and not empty, wins in every mode: a student can turn mixed
    precision off, and the tests can force it on.

    Keep softmax and losses in float32: give the model's last layer ``dtype="float32"``.
    """
    import keras

    from dl4cv import training

    override = os.environ.get(PRECISION_ENV, "")
    if override and override not in PRECISIONS:
        raise ValueError(f"{PRECISION_ENV} must be one of {', '.join(map(repr, PRECISIONS))} "
                         f"(or unset), got {override!r}")
    if device is not None and device not in ("cpu", "gpu"):
        raise ValueError(f"device must be 'cpu' or 'gpu', got {device!r}")
    if override:
        policy = override
    elif autograding():
        policy = "float32"
    elif (device or accelerator()) == "gpu":
        policy = "mixed_float16"
    elif keras.backend.backend() == "tensorflow" and training.onednn_is_on() and cpu_multiplies_bfloat16():
        policy = "mixed_bfloat16"
    else:
        policy = "float32"
    keras.mixed_precision.set_global_policy(policy)
    return policy


def cpu_multiplies_bfloat16(cpuinfo="/proc/cpuinfo"):
    """True when this computer's CPU multiplies bfloat16 numbers in hardware: the
    AVX-512 BF16 instructions (``avx512_bf16``: AMD since Zen 4, Intel Xeons since Cooper
    Lake) or Intel's AMX matrix units (``amx_bf16``, Xeons since 2023).  With either,
    oneDNN trains Lab 4's CNN 1.2-1.4x and Lab 5's U-Net 1.3-1.8x faster in bfloat16 than in
    float32; without, bfloat16 is emulated and slower.  False where it cannot tell (only
    Linux says, in ``/proc/cpuinfo``)."""
    try:
        with open(cpuinfo) as info:
            return any(line.startswith("flags") and BFLOAT16_CPU_FLAGS & set(line.split()) for line in info)
    except OSError:
        return False


def choose_budget(*, grading, cpu, gpu=None, announce=True):
    """Pick the budget for this run: ``grading`` while autograding, ``gpu`` on a GPU
    (``cpu`` when no GPU budget is given), ``cpu`` otherwise.  Budgets are dicts, e.g.
    ``{"epochs": 3, "train_size": 20000}``; the choice is printed unless ``announce`` is
    false.  While autograding, Keras on TensorFlow (if imported) also traces each training
    and test step once instead of twice, and runs it as traced: see
    ``training.trace_each_step_once`` and ``training.run_graphs_as_traced``."""
    for name, budget in (("grading", grading), ("cpu", cpu), ("gpu", gpu)):
        if budget is not None and not isinstance(budget, dict):
            raise TypeError(f"the {name} budget must be a dict, got {type(budget).__name__}")
    if autograding():
        mode, budget = "autograding (CPU, small budget)", grading
        from dl4cv import training

        # A small budget's few steps cost less than tracing them and optimizing their graphs.
        training.trace_each_step_once()
        training.run_graphs_as_traced()
    else:
        device = accelerator()
        if device == "gpu" and gpu is not None:
            mode, budget = "GPU", gpu
        else:
            mode, budget = device.upper(), cpu
    if announce:
        print(f"Running on: {mode}. Budget: {_settings(budget)}.")
        if mode == "GPU":
            print(f"(the GPU budget; a CPU would run {_settings(cpu)})")
        elif gpu is not None and not autograding():
            print(f"(the CPU budget; a GPU would run {_settings(gpu)})")
    return dict(budget)


def _settings(budget):
    return ", ".join(f"{key}={value}" for key, value in budget.items())
