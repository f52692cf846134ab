"""dl4cv.gradients: splitting Sequential and functional models, and input gradients
(checked against closed forms and finite differences).  Runs on the TensorFlow backend."""
import numpy as np
import pytest

import dl4cv  # noqa: F401 - quiets TensorFlow before Keras loads
import keras
from keras import layers

from dl4cv import gradients

RNG = np.random.default_rng(0)
IMAGES = RNG.random((3, 12, 12, 1)).astype("float32")


def small_cnn_layers():
    return [layers.Conv2D(4, 3, padding="same", activation="relu", name="conv_a"),
            layers.MaxPooling2D(name="pool"),
            layers.Conv2D(5, 3, padding="same", activation="relu", name="conv_b"),
            layers.Flatten(name="flatten"),
            layers.Dense(3, name="logits"),
            layers.Softmax(name="probabilities")]


def sequential_with_input():
    return keras.Sequential([keras.Input(shape=(12, 12, 1)), *small_cnn_layers()])


def sequential_called_on_data():
    # No keras.Input: built by its first call, the case where the Keras Grad-CAM
    # example's keras.Model(model.inputs, model.get_layer(...).output) fails.
    model = keras.Sequential(small_cnn_layers())
    model(IMAGES)
    return model


def functional_with_branches():
    # Seeded: with weights from whatever state earlier tests left, a finite difference
    # could straddle a ReLU's kink and disagree with the (right) gradient.
    keras.utils.set_random_seed(0)
    inputs = keras.Input(shape=(12, 12, 1))
    x = layers.Conv2D(4, 3, padding="same", activation="relu", name="conv_a")(inputs)
    features = layers.Conv2D(5, 3, padding="same", activation="relu", name="conv_b")(x)
    left = layers.Conv2D(5, 1, name="left")(features)
    merged = layers.Add(name="add")([features, left])
    pooled = layers.GlobalAveragePooling2D(name="gap")(merged)
    logits = layers.Dense(3, name="logits")(pooled)
    return keras.Model(inputs, layers.Softmax(name="probabilities")(logits))


def intermediate(model, name, images):
    """A layer's output computed the long way: every layer in order (chains only)."""
    x = keras.ops.convert_to_tensor(images)
    for layer in model.layers:
        x = layer(x)
        if layer.name == name:
            return keras.ops.convert_to_numpy(x)
    raise AssertionError(name)


@pytest.mark.parametrize("build", [sequential_with_input, sequential_called_on_data])
def test_split_sequential_reproduces_the_model(build):
    model = build()
    features, head = gradients.split_model(model, "conv_b", "logits")
    maps = features.predict(IMAGES, verbose=0)
    assert maps.shape == (3, 6, 6, 5)
    assert np.allclose(maps, intermediate(model, "conv_b", IMAGES), atol=1e-6)
    logits = head.predict(maps, verbose=0)
    assert np.allclose(logits, intermediate(model, "logits", IMAGES), atol=1e-5)
    assert np.allclose(keras.ops.softmax(logits), model.predict(IMAGES, verbose=0), atol=1e-6)


def test_split_defaults_to_the_models_output_and_shares_weights():
    model = sequential_with_input()
    features, head = gradients.split_model(model, "conv_a")
    assert np.allclose(head.predict(features.predict(IMAGES, verbose=0), verbose=0),
                       model.predict(IMAGES, verbose=0), atol=1e-6)
    model.get_layer("logits").bias.assign(np.array([5.0, 0.0, 0.0], "float32"))
    assert np.allclose(head.predict(features.predict(IMAGES, verbose=0), verbose=0),
                       model.predict(IMAGES, verbose=0), atol=1e-6), "the parts must share the model's weights"


def test_split_functional_model_with_branches_after_the_cut():
    model = functional_with_branches()
    features, head = gradients.split_model(model, "conv_b", "logits")
    logits = keras.Model(model.inputs, model.get_layer("logits").output).predict(IMAGES, verbose=0)
    assert np.allclose(head.predict(features.predict(IMAGES, verbose=0), verbose=0), logits, atol=1e-5)


def test_split_refuses_what_it_cannot_do():
    with pytest.raises(ValueError, match="no layer named 'conv_c'.*conv_a"):
        gradients.split_model(sequential_with_input(), "conv_c")
    with pytest.raises(ValueError, match="must come before"):
        gradients.split_model(sequential_with_input(), "logits", "conv_a")
    with pytest.raises(ValueError, match="not been built"):
        gradients.split_model(keras.Sequential(small_cnn_layers()), "conv_b")
    with pytest.raises(ValueError, match="goes around it"):
        gradients.split_model(functional_with_branches(), "left", "logits")
    with pytest.raises(TypeError, match="Keras model"):
        gradients.split_model(lambda x: x, "conv_b")


def test_gradient_of_a_linear_model_is_its_weights():
    inputs = keras.Input(shape=(4,))
    dense = layers.Dense(2)
    model = keras.Model(inputs, dense(inputs))
    weights = np.array([[1.0, -1.0], [2.0, 0.5], [0.0, 3.0], [-4.0, 1.0]], "float32")
    dense.set_weights([weights, np.array([0.25, 0.0], "float32")])
    x = RNG.random((5, 4)).astype("float32")
    selected, gradient = gradients.output_gradient(model, x, lambda out: out[:, 1])
    assert np.allclose(selected, x @ weights[:, 1], atol=1e-6)
    assert gradient.shape == x.shape
    assert np.allclose(gradient, np.tile(weights[:, 1], (5, 1)))


def test_gradient_through_global_average_pooling_is_the_dense_weight_over_the_area():
    inputs = keras.Input(shape=(6, 6, 5))
    logits = layers.Dense(3)(layers.GlobalAveragePooling2D()(inputs))
    model = keras.Model(inputs, logits)
    maps = RNG.random((2, 6, 6, 5)).astype("float32")
    classes = np.array([2, 0])
    _, gradient = gradients.output_gradient(
        model, maps, lambda out: keras.ops.sum(out * keras.ops.one_hot(classes, 3), axis=1))
    kernel = model.layers[-1].get_weights()[0]
    for n, c in enumerate(classes):
        assert np.allclose(gradient[n], np.broadcast_to(kernel[:, c] / 36, (6, 6, 5)), atol=1e-7)


def test_gradient_matches_finite_differences_per_sample():
    model = functional_with_branches()
    features, head = gradients.split_model(model, "conv_a", "logits")  # through a ReLU
    maps = features.predict(IMAGES, verbose=0).astype(np.float64)
    selected, gradient = gradients.output_gradient(head, maps, lambda out: out[:, 1])
    assert np.allclose(selected, head.predict(maps, verbose=0)[:, 1], atol=1e-5)
    step = 1e-3
    for n, position in [(0, (1, 2, 3)), (2, (11, 0, 1)), (1, (7, 3, 0))]:
        shifted_up, shifted_down = maps.copy(), maps.copy()
        shifted_up[(n, *position)] += step
        shifted_down[(n, *position)] -= step
        slope = (head.predict(shifted_up, verbose=0)[n, 1] - head.predict(shifted_down, verbose=0)[n, 1]) / (2 * step)
        assert np.isclose(gradient[(n, *position)], slope, atol=1e-3)
        others = [m for m in range(3) if m != n]
        assert np.allclose(head.predict(shifted_up, verbose=0)[others], head.predict(maps, verbose=0)[others])


def test_output_gradient_checks_its_arguments():
    model = sequential_with_input()
    with pytest.raises(ValueError, match=r"one number per sample, shape \(3,\)"):
        gradients.output_gradient(model, IMAGES, lambda out: out)
    with pytest.raises(TypeError, match="select must be a function"):
        gradients.output_gradient(model, IMAGES, 1)
    with pytest.raises(ValueError, match="non-empty batch"):
        gradients.output_gradient(model, IMAGES[:0], lambda out: out[:, 0])
