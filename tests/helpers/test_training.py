"""dl4cv.training: the batches and the epoch clock, time to an accuracy, and the perturbations."""
import importlib.util
import os
import subprocess
import sys

import numpy as np
import pytest

from dl4cv import runtime, training


def digits(count=3):
    rng = np.random.default_rng(0)
    images = np.zeros((count, 28, 28, 1), np.float32)
    images[:, 8:20, 10:18, 0] = rng.random((count, 12, 8), dtype=np.float32)
    return images


def numbered(count):
    """Images whose pixels and labels are their index, so that a batch shows which they are."""
    labels = np.arange(count)
    return np.broadcast_to(labels[:, None, None, None], (count, 2, 2, 1)).astype(np.float32), labels


def epoch_of(batches):
    served = [batches[index] for index in range(len(batches))]
    batches.on_epoch_end()
    return served


def test_batches_serve_every_example_once_per_epoch_in_a_new_seeded_order():
    images, labels = numbered(10)
    batches = training.batches(images, labels, 4, seed=3)
    first, second = epoch_of(batches), epoch_of(batches)
    for epoch in (first, second):
        assert [len(y) for _, y in epoch] == [4, 4, 2]
        assert sorted(np.concatenate([y for _, y in epoch])) == list(range(10))
        assert all(np.array_equal(x[:, 0, 0, 0], y) for x, y in epoch)  # images stay with their labels
    order = [np.concatenate([y for _, y in epoch]).tolist() for epoch in (first, second)]
    assert order[0] != order[1] and order[0] != list(range(10))
    again = training.batches(images, labels, 4, seed=3)
    assert [np.concatenate([y for _, y in epoch_of(again)]).tolist() for _ in range(2)] == order


def dots(count, size=9):
    """Black images with one pixel lit in the centre, as bright as the image's label + 1."""
    labels = np.arange(count)
    images = np.zeros((count, size, size, 1), np.float32)
    images[:, size // 2, size // 2, 0] = labels + 1
    return images, labels


def moves_of(epoch, size=9):
    """The (down, right) by which each served dot image was moved, by label."""
    found = {}
    for x, y in epoch:
        for image, label in zip(x[..., 0], y):
            assert np.count_nonzero(image) == 1 and image.max() == label + 1  # moved whole, not blurred
            row, column = np.argwhere(image)[0]
            found[int(label)] = (row - size // 2, column - size // 2)
    return found


def test_batches_with_shift_move_every_image_by_at_most_shift_pixels_anew_every_epoch():
    images, labels = dots(40)
    batches = training.batches(images, labels, 16, seed=3, shift=2)
    first, second = moves_of(epoch_of(batches)), moves_of(epoch_of(batches))
    for moves in (first, second):
        assert sorted(moves) == list(range(40))
        assert all(abs(down) <= 2 and abs(right) <= 2 for down, right in moves.values())
        assert {down for down, _ in moves.values()} == {-2, -1, 0, 1, 2}
        assert {right for _, right in moves.values()} == {-2, -1, 0, 1, 2}
    assert first != second
    # The same seed gives the same moves, in whatever order the threads ask for the batches.
    again = training.batches(images, labels, 16, seed=3, shift=2)
    served = [again[index] for index in reversed(range(len(again)))]
    assert moves_of(served) == first
    assert np.array_equal(images, dots(40)[0])  # the caller's images are left alone


def test_shifted_moves_each_image_its_own_way_and_loses_what_leaves_the_frame():
    images = np.arange(2 * 3 * 4, dtype=np.float32).reshape(2, 3, 4)
    moved = training.shifted(images, [(-1, 2), (0, 0)])
    assert np.array_equal(moved[0], [[0, 0, 4, 5], [0, 0, 8, 9], [0, 0, 0, 0]])
    assert np.array_equal(moved[1], images[1])
    assert not training.shifted(images, [(5, 0), (0, -9)]).any()


def test_fit_trains_on_batches_for_every_epoch():
    import keras

    images, labels = numbered(24)
    model = keras.Sequential([keras.Input(shape=(2, 2, 1)), keras.layers.Flatten(), keras.layers.Dense(24)])
    model.compile(optimizer="sgd", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    history = model.fit(training.batches(images / 24, labels, 8), epochs=3, verbose=0)
    assert len(history.history["loss"]) == 3 and all(np.isfinite(history.history["loss"]))


def test_while_grading_batches_are_cut_without_threads_and_train_the_same_weights(monkeypatch):
    import keras

    images, labels = numbered(24)

    def fitted():
        keras.utils.set_random_seed(0)  # Keras also shuffles the order of the batches, with Python's random
        model = keras.Sequential([keras.Input(shape=(2, 2, 1)), keras.layers.Flatten(), keras.layers.Dense(24)])
        model.compile(optimizer="sgd", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
        batches = training.batches(images / 24, labels, 8, seed=1)
        model.fit(batches, epochs=3, verbose=0)
        return batches.workers, model.get_weights()

    monkeypatch.delenv(runtime.GRADING_ENV, raising=False)
    threads, weights = fitted()
    monkeypatch.setenv(runtime.GRADING_ENV, "autograde")
    alone, graded_weights = fitted()
    assert (threads, alone) == (2, 1)
    for graded, threaded in zip(graded_weights, weights, strict=True):
        np.testing.assert_allclose(graded, threaded, rtol=1e-6, atol=1e-7)


def test_batches_reject_mismatched_data_and_bad_batch_sizes():
    images, labels = numbered(5)
    with pytest.raises(ValueError, match="5 images and 4 labels"):
        training.batches(images, labels[:4], 2)
    with pytest.raises(ValueError, match="batch_size must be a positive whole number, got 0"):
        training.batches(images, labels, 0)
    for shift in (-1, 1.5, 2):  # the images are 2 x 2 pixels
        with pytest.raises(ValueError, match=rf"shift must be a whole number of pixels .*\(images of shape "
                                             rf"\(5, 2, 2, 1\)\), got {shift}"):
            training.batches(images, labels, 2, shift=shift)


def test_time_to_reach_returns_the_first_epoch_at_the_target():
    assert training.time_to_reach([0.9, 0.99, 0.995], [10.0, 20.0, 30.0], 0.99) == 20.0
    assert training.time_to_reach([0.9, 0.95], [10.0, 20.0], 0.99) is None


def test_time_to_reach_rejects_mismatched_lists_and_bad_targets():
    with pytest.raises(ValueError, match="one time per epoch"):
        training.time_to_reach([0.9], [1.0, 2.0], 0.99)
    with pytest.raises(ValueError, match="target"):
        training.time_to_reach([0.9], [1.0], 99)


def test_epoch_clock_records_one_cumulative_time_per_epoch():
    import keras

    model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    clock = training.epoch_clock()
    model.fit(np.zeros((8, 3)), np.zeros((8, 1)), epochs=3, verbose=0, callbacks=[clock])
    assert len(clock.seconds) == 3
    assert all(later >= earlier >= 0 for earlier, later in zip(clock.seconds, clock.seconds[1:]))


@pytest.mark.parametrize("name", sorted(training.PERTURBATIONS))
def test_every_perturbation_keeps_shape_dtype_and_range_and_amount_zero_is_identity(name):
    perturb, amounts, meaning = training.PERTURBATIONS[name]
    images = digits()
    assert np.array_equal(perturb(images, amounts[0]), images)
    for amount in amounts:
        changed = perturb(images, amount)
        assert changed.shape == images.shape and changed.dtype == images.dtype
        assert changed.min() >= 0 and changed.max() <= 1
    assert not np.array_equal(perturb(images, amounts[-1]), images)
    grey = images[..., 0]
    assert perturb(grey, amounts[-1]).shape == grey.shape


def test_shift_moves_the_ink_right_and_down():
    image = np.zeros((1, 28, 28), np.float32)
    image[0, 5, 7] = 1.0
    moved = training.shift(image, 3)
    assert moved[0, 8, 10] == 1.0 and moved.sum() == 1.0
    assert not training.shift(image, 30).any()
    with pytest.raises(ValueError, match="pixels must be a whole number, got 1.5"):
        training.shift(image, 1.5)


def test_rotate_by_90_degrees_matches_numpy():
    image = np.zeros((1, 28, 28), np.float32)
    image[0, 4:10, 12:14] = 1.0
    assert np.allclose(training.rotate(image, 90)[0], np.rot90(image[0]), atol=1e-5)


def test_occlude_blacks_out_a_square_of_the_given_size_repeatably():
    images = np.ones((5, 28, 28), np.float32)
    covered = training.occlude(images, 6, seed=1)
    assert np.all((covered == 0).sum(axis=(1, 2)) == 36)
    assert np.array_equal(covered, training.occlude(images, 6, seed=1))
    with pytest.raises(ValueError, match="size"):
        training.occlude(images, 25)


def test_noise_is_seeded_and_brightness_scales_and_clips():
    images = digits()
    assert np.array_equal(training.add_noise(images, 0.3, seed=2), training.add_noise(images, 0.3, seed=2))
    assert np.allclose(training.brightness(images, 0.5), images * 0.5)
    assert training.brightness(images, 10).max() <= 1.0
    with pytest.raises(ValueError, match="non-negative"):
        training.add_noise(images, -1)


def test_perturbations_reject_uint8_and_wrong_shapes():
    with pytest.raises(ValueError, match="float"):
        training.brightness(np.zeros((2, 28, 28), np.uint8), 0.5)
    with pytest.raises(ValueError, match="shape"):
        training.shift(np.zeros((2, 28, 28, 3), np.float32), 1)


def twin_batch_normalizations(**options):
    """Keras' layer and ours, built on the same input shape with the same weights."""
    import keras

    ours, theirs = training.batch_normalization(**options), keras.layers.BatchNormalization(**options)
    rng = np.random.default_rng(1)
    for layer in (ours, theirs):
        layer.build((None, 5, 6, 3))
    for ours_weight, their_weight in zip(ours.weights, theirs.weights):
        value = rng.uniform(0.5, 1.5, size=their_weight.shape).astype("float32")
        ours_weight.assign(value)
        their_weight.assign(value)
    return ours, theirs


def test_batch_normalization_trains_and_infers_like_keras():
    import keras
    import tensorflow as tf

    ours, theirs = twin_batch_normalizations(momentum=0.9)
    assert isinstance(ours, keras.layers.BatchNormalization)
    assert ours.count_params() == theirs.count_params() == 4 * 3
    inputs = tf.constant(np.random.default_rng(2).normal(2.0, 3.0, size=(4, 5, 6, 3)).astype("float32"))
    assert ours._fusable(inputs, True, None), "the fused kernel should train this layer"
    results = []
    for layer in (ours, theirs):
        with tf.GradientTape() as tape:
            tape.watch(inputs)
            outputs = layer(inputs, training=True)
            loss = tf.reduce_sum(outputs * tf.range(1.0, 1.0 + outputs.shape[-1]) ** 2 * tf.sin(inputs))
        gradients = tape.gradient(loss, [inputs, layer.gamma, layer.beta])
        results.append([outputs, *gradients, layer.moving_mean, layer.moving_variance,
                        layer(inputs[:2], training=False)])
    for ours_value, their_value in zip(*results):
        np.testing.assert_allclose(np.asarray(ours_value), np.asarray(their_value), rtol=1e-4, atol=1e-4)
    assert not np.allclose(np.asarray(theirs.moving_variance), 1.0)  # the statistics did move


def test_batch_normalization_takes_bfloat16_as_it_is_and_still_matches_keras():
    """Under mixed_bfloat16 the kernel normalises the bfloat16 activations without casting
    them to float32 and back (what makes Lab 4 fast on a CPU with bfloat16 units), and
    agrees with Keras' layer, which computes in float32, to bfloat16's precision."""
    import tensorflow as tf

    ours, theirs = twin_batch_normalizations(momentum=0.9, dtype="mixed_bfloat16")
    inputs = tf.constant(np.random.default_rng(5).normal(2.0, 3.0, size=(4, 5, 6, 3)), dtype="bfloat16")
    graph = tf.function(lambda images: ours(images, training=True)).get_concrete_function(inputs).graph
    kernels = [op for op in graph.get_operations() if op.type.startswith("FusedBatchNorm")]
    assert [op.get_attr("T") for op in kernels] == [tf.bfloat16], "the kernel should take bfloat16 activations"
    outputs = [layer(inputs, training=True) for layer in (ours, theirs)]
    assert [output.dtype for output in outputs] == [tf.bfloat16, tf.bfloat16]
    np.testing.assert_allclose(*(np.asarray(tf.cast(output, "float32")) for output in outputs), rtol=2e-2, atol=2e-2)
    for ours_statistic, their_statistic in ((ours.moving_mean, theirs.moving_mean),
                                            (ours.moving_variance, theirs.moving_variance)):
        np.testing.assert_allclose(np.asarray(ours_statistic), np.asarray(their_statistic), rtol=1e-2)


def test_batch_normalization_falls_back_to_keras_where_the_kernel_does_not_apply():
    ours, theirs = twin_batch_normalizations()
    frozen = np.random.default_rng(3).normal(size=(2, 5, 6, 3)).astype("float32")
    ours.trainable = theirs.trainable = False
    assert not ours._fusable(frozen, True, None)
    np.testing.assert_allclose(np.asarray(ours(frozen, training=True)), np.asarray(theirs(frozen, training=True)),
                               rtol=1e-5, atol=1e-5)
    flat = training.batch_normalization()
    assert np.asarray(flat(np.ones((8, 3), np.float32), training=True)).shape == (8, 3)


def test_a_model_with_the_batch_normalization_saves_and_loads(tmp_path):
    import keras

    inputs = keras.Input(shape=(4, 4, 2))
    model = keras.Model(inputs, training.batch_normalization(momentum=0.5)(inputs))
    batch = np.random.default_rng(4).normal(size=(3, 4, 4, 2)).astype("float32")
    model.compile(optimizer="sgd", loss="mse")
    model.fit(batch, batch * 2, epochs=2, verbose=0)
    model.save(tmp_path / "model.keras")
    loaded = keras.saving.load_model(tmp_path / "model.keras")
    assert type(loaded.layers[-1]) is type(model.layers[-1])
    np.testing.assert_allclose(np.asarray(loaded(batch)), np.asarray(model(batch)), rtol=1e-6, atol=1e-6)


@pytest.mark.skipif(importlib.util.find_spec("jax") is None, reason="JAX is not installed")
def test_use_onednn_quietly_imports_tensorflow_silently_without_jax_and_leaves_jax_importable():
    code = ("import sys\nfrom dl4cv import training\non = training.use_onednn_quietly()\n"
            "loaded = 'jax' in sys.modules\nimport tensorflow as tf, jax\n"
            "print(on, loaded, float(tf.reduce_sum(tf.ones(3))), float(jax.numpy.ones(2).sum()))")
    environment = {name: value for name, value in os.environ.items()
                   if name not in ("KERAS_BACKEND", "TF_ENABLE_ONEDNN_OPTS")}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd="/",
                            env=dict(environment, JAX_PLATFORMS="cpu"), check=True)
    assert result.stdout.split() == ["True", "False", "3.0", "2.0"]
    assert result.stderr == ""


def small_cnn(seed):
    import keras

    keras.utils.set_random_seed(seed)
    layers = keras.layers
    model = keras.Sequential([keras.Input(shape=(8, 8, 1)), layers.Conv2D(4, 3, use_bias=False),
                              training.batch_normalization(), layers.ReLU(), layers.Flatten(),
                              layers.Dense(3, activation="softmax")])
    model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


def count_traces(model):
    """Count the traces of the model's training and test steps in the dict returned."""
    traces = {"train": 0, "test": 0}

    def counted(name, step):
        def step_traced(data):
            traces[name] += 1
            return step(data)
        return step_traced

    model.train_step, model.test_step = counted("train", model.train_step), counted("test", model.test_step)
    return traces


def traced_runs(seed):
    """Fit a small seeded CNN on the labs' batches with validation, and evaluate a fresh one;
    how many times each traced its steps, and the fitted weights."""
    rng = np.random.default_rng(seed)
    images, labels = rng.random((40, 8, 8, 1), dtype=np.float32), rng.integers(0, 3, 40)
    fitted, evaluated = small_cnn(seed), small_cnn(seed + 1)
    fit_traces, evaluate_traces = count_traces(fitted), count_traces(evaluated)
    fitted.fit(training.batches(images, labels, 16), epochs=2, validation_data=(images[:10], labels[:10]),
               verbose=0)
    evaluated.evaluate(images, labels, verbose=0)
    return {"fit": fit_traces["train"], "evaluate": evaluate_traces["test"]}, fitted.get_weights()


@pytest.fixture
def keras_trainer_restored(monkeypatch):
    """Keras' TensorFlow trainer, put back as it was after the test."""
    if training.keras_backend() != "tensorflow":
        pytest.skip("Keras' double trace is a TensorFlow-backend matter")
    from keras.src.backend.tensorflow.trainer import TensorFlowTrainer

    monkeypatch.setattr(TensorFlowTrainer, "_maybe_symbolic_build", TensorFlowTrainer._maybe_symbolic_build)
    return TensorFlowTrainer


def test_trace_each_step_once_halves_the_traces_and_trains_the_same_weights(keras_trainer_restored):
    twice, weights_before = traced_runs(seed=3)
    assert twice == {"fit": 2, "evaluate": 2}, "Keras on TensorFlow used to trace each step twice"
    assert training.trace_each_step_once() is True
    once, weights_after = traced_runs(seed=3)
    assert once == {"fit": 1, "evaluate": 1}
    assert len(weights_after) == len(weights_before)
    for after, before in zip(weights_after, weights_before):
        np.testing.assert_allclose(after, before, rtol=1e-6, atol=1e-7)
    assert training.trace_each_step_once() is True  # a second call changes nothing
    assert traced_runs(seed=3)[0] == {"fit": 1, "evaluate": 1}


def test_trace_each_step_once_changes_nothing_on_a_keras_without_the_build_step(keras_trainer_restored,
                                                                                monkeypatch):
    monkeypatch.delattr(keras_trainer_restored, "_maybe_symbolic_build")
    assert training.trace_each_step_once() is False
    assert not hasattr(keras_trainer_restored, "_maybe_symbolic_build")


def test_trace_each_step_once_leaves_a_model_it_cannot_build_to_the_trace(keras_trainer_restored, monkeypatch):
    def cannot_build(self, iterator=None, data_batch=None):
        raise RuntimeError("Unable to automatically build the model.")

    monkeypatch.setattr(keras_trainer_restored, "_symbolic_build", cannot_build)
    assert training.trace_each_step_once() is True
    traces, weights = traced_runs(seed=3)
    assert traces == {"fit": 2, "evaluate": 2}
    assert all(np.all(np.isfinite(weight)) for weight in weights)


@pytest.fixture
def graph_optimizer_restored():
    if training.keras_backend() != "tensorflow":
        pytest.skip("Grappler is TensorFlow's")
    import tensorflow as tf

    before = tf.config.optimizer.get_experimental_options()
    yield tf
    tf.config.optimizer.set_experimental_options({"disable_meta_optimizer": before.get("disable_meta_optimizer",
                                                                                        False)})


def test_run_graphs_as_traced_turns_the_graph_optimizer_off_and_trains_alike(graph_optimizer_restored):
    tf = graph_optimizer_restored
    optimized_losses, optimized_weights = fitted_small_cnn()
    assert not tf.config.optimizer.get_experimental_options().get("disable_meta_optimizer", False)
    assert training.run_graphs_as_traced() is True
    assert tf.config.optimizer.get_experimental_options()["disable_meta_optimizer"] is True
    losses, weights = fitted_small_cnn()
    np.testing.assert_allclose(losses, optimized_losses, rtol=1e-4)
    for as_traced, optimized in zip(weights, optimized_weights, strict=True):
        np.testing.assert_allclose(as_traced, optimized, rtol=1e-3, atol=1e-5)


def fitted_small_cnn():
    """The losses and weights of a small seeded CNN fitted for two epochs."""
    rng = np.random.default_rng(5)
    images, labels = rng.random((48, 8, 8, 1), dtype=np.float32), rng.integers(0, 3, 48)
    model = small_cnn(5)
    history = model.fit(images, labels, batch_size=16, epochs=2, shuffle=False, verbose=0)
    return history.history["loss"], model.get_weights()


def test_run_graphs_as_traced_changes_nothing_without_tensorflow(monkeypatch):
    monkeypatch.setitem(sys.modules, "tensorflow", None)  # as if TensorFlow were not loaded
    assert training.run_graphs_as_traced() is False
