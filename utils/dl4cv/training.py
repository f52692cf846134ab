"""Given code for training and testing the labs' networks: the batches and a clock for ``model.fit``,
the time a run took to reach an accuracy, the image perturbations of Lab 4's invariance
experiment, a batch normalisation layer that trains faster on TensorFlow, and the
TensorFlow settings that make the labs start and grade faster.  Nothing
here builds, compiles or evaluates a model for the student.

Keras is imported only inside the functions that need it.
"""
import contextlib
import functools
import math
import os
import sys
import time

import numpy as np

from dl4cv import runtime


def keras_backend():
    """The name of the Keras backend in use: ``"tensorflow"``, ``"jax"`` or ``"torch"``."""
    import keras

    return keras.backend.backend()


def epoch_clock():
    """A Keras callback that records, after every epoch, the seconds since training began.

    Read ``clock.seconds`` after ``fit``: one entry per epoch, cumulative.
    """
    import keras

    class EpochClock(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.seconds = []
            self._start = None

        def on_train_begin(self, logs=None):
            self.seconds, self._start = [], time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            self.seconds.append(time.perf_counter() - self._start)

    return EpochClock()


def batches(images, labels, batch_size, seed=0, shift=0):
    """The training data for ``model.fit``, ``batch_size`` examples at a time, in a new
    random order every epoch (the same orders for the same ``seed``): what
    ``model.fit(images, labels, batch_size=batch_size)`` would make of the arrays.

    With ``shift``, each image is also moved by a random whole number of pixels, at most
    ``shift``, up or down and left or right, anew every epoch, the pixels moved in black
    (data augmentation: a digit moved a little is the same digit).

    Why not let ``fit`` batch the arrays itself: on TensorFlow 2.21 its input pipeline then
    at times sits idle for up to ~10 s after an epoch ends (its autotuner misses the signal
    to stop), and Keras serves these batches without that autotuner.
    """
    import keras

    images, labels = np.asarray(images), np.asarray(labels)
    if len(images) != len(labels) or len(images) == 0:
        raise ValueError(f"expected as many labels as images, and some: got {len(images)} images "
                         f"and {len(labels)} labels")
    if not isinstance(batch_size, int) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive whole number, got {batch_size!r}")
    if shift and (not isinstance(shift, int) or shift < 0 or images.ndim < 3 or shift >= min(images.shape[1:3])):
        raise ValueError(f"shift must be a whole number of pixels from 0 to less than the images' height and width "
                         f"(images of shape {images.shape}), got {shift!r}")

    class Batches(keras.utils.PyDataset):
        def __init__(self):
            # Two threads cut the batches ahead; Keras then turns TensorFlow's autotuner off.
            # A grading kernel has one thread and a few batches an epoch: there Keras cuts
            # them itself, without the threads' queue, whose stop waits 0.1 s every epoch.
            super().__init__(workers=1 if runtime.autograding() else 2)
            self._random = np.random.default_rng(seed)
            self._order = self._random.permutation(len(images))
            self._epoch = 0

        def __len__(self):
            return math.ceil(len(images) / batch_size)

        def __getitem__(self, index):
            chosen = self._order[index * batch_size:(index + 1) * batch_size]
            if not shift:
                return images[chosen], labels[chosen]
            # One generator per batch, not one shared: the threads cut batches in any order.
            moves = np.random.default_rng((seed, self._epoch, index)).integers(-shift, shift + 1, (len(chosen), 2))
            return shifted(images[chosen], moves), labels[chosen]

        def on_epoch_end(self):
            self._order = self._random.permutation(len(images))
            self._epoch += 1

    return Batches()


def shifted(images, moves):
    """``images`` (N, height, width, ...) each moved by its (down, right) pixels in
    ``moves`` (negative: up, left); what leaves the frame is lost, what enters is black."""
    images = np.asarray(images)
    height, width = images.shape[1:3]
    moves = np.clip(np.asarray(moves, dtype=int).reshape(len(images), 2), [-height, -width], [height, width])
    pad = int(np.abs(moves).max(initial=0))
    padded = np.pad(images, [(0, 0), (pad, pad), (pad, pad)] + [(0, 0)] * (images.ndim - 3))
    # windows[i, top, left]: image i's (height, width) window whose corner is at (top, left) in padded
    windows = np.lib.stride_tricks.sliding_window_view(padded, (height, width), axis=(1, 2))
    chosen = windows[np.arange(len(images)), pad - moves[:, 0], pad - moves[:, 1]]
    return np.ascontiguousarray(np.moveaxis(chosen, (-2, -1), (1, 2)))


def time_to_reach(accuracies, seconds, target):
    """Seconds at the first epoch whose accuracy is at least ``target``, or None.

    ``accuracies`` and ``seconds`` are per-epoch lists of the same length (a
    ``history.history`` entry and ``epoch_clock().seconds``).
    """
    accuracies, seconds = list(accuracies), list(seconds)
    if len(accuracies) != len(seconds):
        raise ValueError(f"expected one time per epoch: got {len(accuracies)} accuracies "
                         f"and {len(seconds)} times")
    if not 0 < target <= 1:
        raise ValueError(f"target is an accuracy in (0, 1], got {target!r}")
    for accuracy, second in zip(accuracies, seconds):
        if accuracy >= target:
            return second
    return None


# --- Perturbations for the invariance experiment ------------------------------------------
# Each takes float images in [0, 1] of shape (N, 28, 28) or (N, 28, 28, 1) and returns
# new images of the same shape and dtype, still in [0, 1]; amount 0 changes nothing.

def _as_images(images):
    images = np.asarray(images)
    if images.ndim not in (3, 4) or (images.ndim == 4 and images.shape[-1] != 1):
        raise ValueError("expected grey images of shape (N, height, width) or (N, height, width, 1), "
                         f"got shape {images.shape}")
    if not np.issubdtype(images.dtype, np.floating):
        raise ValueError(f"expected float images scaled to [0, 1], got dtype {images.dtype}")
    return images


def _per_image(images, transform):
    images = _as_images(images)
    grey = images[..., 0] if images.ndim == 4 else images
    out = np.stack([transform(image) for image in grey]).astype(images.dtype)
    out = np.clip(out, 0.0, 1.0)
    return out[..., None] if images.ndim == 4 else out


def shift(images, pixels):
    """Move every digit ``pixels`` to the right and ``pixels`` down (diagonally); what
    leaves the frame is lost, what enters is black."""
    images = _as_images(images)
    if pixels != int(pixels):
        raise ValueError(f"pixels must be a whole number, got {pixels!r}")
    return shifted(images, np.full((len(images), 2), int(pixels)))


def rotate(images, degrees):
    """Rotate every digit by ``degrees`` (counter-clockwise) about the image centre."""
    from scipy import ndimage

    if degrees == 0:
        return _as_images(images).copy()
    return _per_image(images, lambda image: ndimage.rotate(image, degrees, reshape=False, order=1, cval=0.0))


def occlude(images, size, seed=0):
    """Black out a ``size`` x ``size`` square at a random place inside the central 20 x 20
    region of each image (where the digit is), the same places for the same seed."""
    images = _as_images(images)
    if not 0 <= size <= 20:
        raise ValueError(f"size must be between 0 and 20 pixels, got {size!r}")
    out = images.copy()
    if size == 0:
        return out
    rng = np.random.default_rng(seed)
    corners = rng.integers(4, 24 - size + 1, size=(len(images), 2))
    for image, (top, left) in zip(out, corners):
        image[top:top + size, left:left + size] = 0.0
    return out


def add_noise(images, std, seed=0):
    """Add Gaussian noise of standard deviation ``std`` to every pixel, then clip to [0, 1]."""
    images = _as_images(images)
    if std < 0:
        raise ValueError(f"std must be non-negative, got {std!r}")
    noise = np.random.default_rng(seed).normal(0.0, std, size=images.shape)
    return np.clip(images + noise, 0.0, 1.0).astype(images.dtype)


def brightness(images, factor):
    """Multiply every pixel by ``factor`` (below 1 dims the ink, above 1 saturates it)."""
    images = _as_images(images)
    if factor < 0:
        raise ValueError(f"factor must be non-negative, got {factor!r}")
    return np.clip(images * factor, 0.0, 1.0).astype(images.dtype)


PERTURBATIONS = {
    # name: (function, amounts to try, what the amount means)
    "shift": (shift, [0, 1, 2, 3, 4, 6], "pixels right and down"),
    "rotation": (rotate, [0, 10, 20, 30, 45, 60], "degrees"),
    "occlusion": (occlude, [0, 4, 8, 10, 12, 14], "side of the black square (pixels)"),
    "noise": (add_noise, [0.0, 0.1, 0.2, 0.3, 0.5, 0.7], "noise standard deviation"),
    "brightness": (brightness, [1.0, 0.7, 0.5, 0.3, 0.2, 0.1], "ink multiplied by"),
}


def batch_normalization(**options):
    """``keras.layers.BatchNormalization(**options)``, faster to train on TensorFlow.

    Keras 3 normalises a training batch in several passes over the activations (mean,
    variance, then scale and shift, and as many again for the gradients); TensorFlow has
    one fused kernel for all of it, which trains Lab 5's U-Net about 1.4x faster on a CPU.
    Under ``mixed_bfloat16`` the kernel takes the bfloat16 activations as they are (it sums
    its statistics in float32 all the same), without the casts to float32 and back that Keras
    makes, which cost as much as the normalisation itself on a CPU.
    The result is Keras' layer in every other respect (weights, moving statistics,
    inference, saving), and on the JAX or PyTorch backends it is exactly Keras' layer:
    JAX's compiler fuses the passes by itself.
    """
    return _fused_batch_normalization()(**options)


@functools.cache
def _fused_batch_normalization():
    import keras

    @keras.saving.register_keras_serializable(package="dl4cv")
    class FusedBatchNormalization(keras.layers.BatchNormalization):
        """Keras' batch normalisation; a training step on TensorFlow uses its fused kernel."""

        def _fusable(self, inputs, training, mask):
            return (training and self.trainable and mask is None and not self.renorm
                    and self.center and self.scale and keras.backend.backend() == "tensorflow"
                    and len(inputs.shape) == 4 and self.axis in (-1, 3))

        def call(self, inputs, training=None, mask=None):
            if not self._fusable(inputs, training, mask):
                return super().call(inputs, training=training, mask=mask)
            import tensorflow as tf

            if inputs.dtype != "bfloat16":
                inputs = tf.cast(inputs, "float32")  # as Keras does under mixed_float16
            outputs, mean, variance = tf.compat.v1.nn.fused_batch_norm(
                inputs, self.gamma, self.beta, epsilon=self.epsilon, is_training=True)
            # The kernel returns the unbiased (n - 1) variance; Keras averages the biased one.
            count = tf.cast(tf.reduce_prod(tf.shape(inputs)[:-1]), "float32")
            variance = variance * (count - 1.0) / tf.maximum(count, 1.0)
            self.moving_mean.assign(self.moving_mean * self.momentum + mean * (1.0 - self.momentum))
            self.moving_variance.assign(self.moving_variance * self.momentum
                                        + variance * (1.0 - self.momentum))
            return tf.cast(outputs, self.compute_dtype)

    return FusedBatchNormalization


@contextlib.contextmanager
def _without_jax():
    """Within: ``import jax`` raises ImportError (Python's rule for a None entry in
    ``sys.modules``), unless JAX is loaded already."""
    if "jax" in sys.modules:
        yield
        return
    sys.modules["jax"] = None
    try:
        yield
    finally:
        if sys.modules.get("jax", False) is None:
            del sys.modules["jax"]


def onednn_is_on():
    """True when TensorFlow's oneDNN CPU kernels are on (or will be, once TensorFlow is
    imported): TensorFlow reads ``TF_ENABLE_ONEDNN_OPTS`` when it loads."""
    return os.environ.get("TF_ENABLE_ONEDNN_OPTS") != "0"


def use_onednn_quietly():
    """Turn on TensorFlow's oneDNN CPU kernels, which run this lab's convolutions about
    twice as fast on a CPU, and import TensorFlow with its start-up log line silenced.

    ``import dl4cv`` turns oneDNN off because, when on, TensorFlow announces it with a
    line on stderr at import, which nbgrader would count against a graded cell.  Here
    the import happens while the process' stderr (file descriptor 2) points at
    ``os.devnull``, so the line goes nowhere and Python's own warnings are untouched.
    Call it before Keras is first imported; on another Keras backend, or once
    TensorFlow is loaded, it changes nothing.  Returns True when oneDNN is on.

    TensorFlow Lite imports JAX, when JAX is installed, for a converter these labs never
    use: about 0.4 s of every start (and of every submission graded).  The import here
    skips it, unless JAX is already loaded; ``import jax`` works as ever afterwards.
    """
    if "tensorflow" in sys.modules or "keras" in sys.modules:
        return onednn_is_on()
    if os.environ.get("KERAS_BACKEND", "tensorflow") != "tensorflow":
        return False
    previous = os.environ.get("TF_ENABLE_ONEDNN_OPTS")
    os.environ["TF_ENABLE_ONEDNN_OPTS"] = "1"
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 2)
            try:
                with _without_jax():
                    import tensorflow  # noqa: F401
            except ImportError:
                os.environ["TF_ENABLE_ONEDNN_OPTS"] = previous or "0"
                return False
            finally:
                os.dup2(saved, 2)
    finally:
        os.close(saved)
    return True


def trace_each_step_once():
    """Have Keras on TensorFlow create a model's optimizer and metric variables before it
    traces the model's first training or test step, so that each step is traced once.

    Keras 3 does this already on JAX and PyTorch, and on TensorFlow under a distribution
    strategy; without one it creates those variables during the first trace, and
    TensorFlow, which cannot keep variables created while tracing, traces the step a
    second time.  A trace costs more than a small run's arithmetic (0.75 s per trace for
    Lab 4's CNN on a CPU core), so ``runtime.choose_budget`` calls this while autograding:
    0.8 to 1 s of each graded submission of Labs 4, 5 and 6.  The variables, and so the
    results, are the same.

    It uses Keras' own (private) build step; on a Keras without it, it changes nothing, and
    a model that step cannot build is built while traced, as before.
    Returns True when each step is now traced once.  Keras is not imported here: call it
    after ``import keras``.
    """
    trainer_module = sys.modules.get("keras.src.backend.tensorflow.trainer")
    trainer = getattr(trainer_module, "TensorFlowTrainer", None)
    if not (hasattr(trainer, "_maybe_symbolic_build") and hasattr(trainer, "_symbolic_build")):
        return False
    if getattr(trainer._maybe_symbolic_build, "builds_before_tracing", False):
        return True
    build_only_under_a_strategy = trainer._maybe_symbolic_build

    def build_before_tracing(self, iterator=None, data_batch=None):
        if self._distribute_strategy is not None:
            return build_only_under_a_strategy(self, iterator=iterator, data_batch=data_batch)
        if iterator is not None:
            # The batches' shapes and dtypes are enough.  Keras' own build reads a first batch,
            # which starts an epoch: a PyDataset would start its threads only to stop them,
            # and shuffle once more, so that training would not see the batches it does here.
            data_batch = getattr(getattr(iterator, "_distributed_dataset", None), "element_spec", None)
        if data_batch is not None:
            try:
                self._symbolic_build(data_batch=data_batch)
            except Exception:  # a model Keras cannot build so is built while traced, as before
                pass

    build_before_tracing.builds_before_tracing = True
    trainer._maybe_symbolic_build = build_before_tracing
    return True


def run_graphs_as_traced():
    """Have TensorFlow run each traced step as it was traced, without first rewriting it
    with its graph optimizer (Grappler), which fuses and folds operations so that a step
    runs faster.  Rewriting costs more than it saves on a run of a few steps:
    ``runtime.choose_budget`` calls this while autograding: 0.6 to 0.8 s less of each
    graded Lab 4 submission and 0.2 to 0.7 s of Lab 5's (Lab 6's takes as long as before).
    Returns True when TensorFlow is loaded and now skips the optimizer; TensorFlow is
    not imported here: call it after ``import keras``.
    """
    tensorflow = sys.modules.get("tensorflow")
    if tensorflow is None or not hasattr(tensorflow, "config"):
        return False
    tensorflow.config.optimizer.set_experimental_options({"disable_meta_optimizer": True})
    return True
