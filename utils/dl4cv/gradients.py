"""Gradients of a Keras model's output with respect to its input, on any Keras backend,
and the model surgery that makes an intermediate layer's output an input.

Explaining a prediction often needs "how does this score change when that feature map
changes?": a gradient.  Keras 3 runs on TensorFlow, JAX or PyTorch, and each computes
gradients its own way, so the backend-dependent code lives here, in one place:

- ``split_model(model, feature_layer, output_layer)`` cuts a model in two: a model from
  the input to ``feature_layer``'s output, and a *head* from those feature maps on to
  ``output_layer``'s output.  It works for ``keras.Sequential`` and functional models.
- ``output_gradient(model, inputs, select)`` runs ``model`` on ``inputs``, picks one
  number per sample from the output with ``select``, and returns those numbers and their
  gradients with respect to ``inputs``.

Nothing here pools, weights or normalises gradients: what to do with them is the lab's
work.  The TensorFlow branch is tested; the JAX and PyTorch branches follow the Keras
guides on custom training loops for those backends.
"""
import numpy as np


def _layer(model, name):
    names = [layer.name for layer in model.layers]
    if name not in names:
        raise ValueError(f"the model has no layer named {name!r}; its layers are {names}")
    return model.layers[names.index(name)]


def _input_shape(model):
    try:
        return tuple(model.inputs[0].shape[1:])
    except (AttributeError, IndexError, TypeError, ValueError) as error:
        raise ValueError(f"the model {model.name!r} has not been built yet, so its input shape is "
                         "unknown: start it with keras.Input(shape=...), or call it on a batch first") from error


def _chain(layers, input_shape, name):
    import keras

    inputs = keras.Input(shape=input_shape)
    outputs = inputs
    for layer in layers:
        outputs = layer(outputs)
    return keras.Model(inputs, outputs, name=name)


def split_model(model, feature_layer, output_layer=None):
    """Return ``(features, head)``, two Keras models sharing ``model``'s weights:
    ``features(x)`` is the output of the layer named ``feature_layer``, and
    ``head(features(x))`` is the output of the layer named ``output_layer`` (default: the
    model's last layer).

    A ``keras.Sequential`` model is split by calling its layers in order on new inputs,
    which works however it was built.  A functional model is split along its graph; every
    path from the input to ``output_layer`` must pass through ``feature_layer``.
    """
    import keras

    if not isinstance(model, keras.Model):
        raise TypeError(f"expected a Keras model, got {type(model).__name__}")
    output_layer = output_layer or model.layers[-1].name
    first, last = _layer(model, feature_layer), _layer(model, output_layer)
    if model.layers.index(first) >= model.layers.index(last):
        raise ValueError(f"{feature_layer!r} must come before {output_layer!r} in the model")
    if isinstance(model, keras.Sequential):
        layers = model.layers
        start, stop = layers.index(first), layers.index(last)
        features = _chain(layers[:start + 1], _input_shape(model), f"{model.name}_features")
        head = _chain(layers[start + 1:stop + 1], tuple(features.outputs[0].shape[1:]), f"{model.name}_head")
        return features, head
    inputs = model.inputs[0] if len(model.inputs) == 1 else model.inputs
    features = keras.Model(inputs, first.output, name=f"{model.name}_features")
    try:
        head = keras.Model(first.output, last.output, name=f"{model.name}_head")
    except ValueError as error:
        raise ValueError(f"cannot split {model.name!r} at {feature_layer!r}: some path to "
                         f"{output_layer!r} goes around it ({error})") from error
    return features, head


def output_gradient(model, inputs, select):
    """Return ``(selected, gradient)`` as NumPy arrays, where ``selected = select(model(inputs))``
    holds one number per sample and ``gradient[n]`` is the gradient of ``selected[n]``
    with respect to ``inputs[n]`` (same shape as ``inputs``).

    ``select`` maps the model's output batch to a 1-D tensor of length ``len(inputs)``
    using ``keras.ops`` (e.g. ``lambda out: out[:, 3]``).  The model runs in inference
    mode, so samples do not interact and the gradient of the sum is each sample's own.
    """
    import keras

    if not callable(select):
        raise TypeError(f"select must be a function of the model's output, got {type(select).__name__}")
    inputs = np.asarray(inputs, dtype="float32")
    if inputs.ndim < 1 or len(inputs) == 0:
        raise ValueError(f"expected a non-empty batch of inputs, got shape {inputs.shape}")
    backend = keras.backend.backend()
    if backend == "tensorflow":
        selected, gradient = _tensorflow_gradient(model, inputs, select)
    elif backend == "jax":
        selected, gradient = _jax_gradient(model, inputs, select)
    elif backend == "torch":
        selected, gradient = _torch_gradient(model, inputs, select)
    else:
        raise NotImplementedError(f"gradients are not implemented for the {backend!r} backend; "
                                  "use tensorflow, jax or torch")
    selected = keras.ops.convert_to_numpy(selected)
    if selected.shape != (len(inputs),):
        raise ValueError(f"select must return one number per sample, shape ({len(inputs)},); "
                         f"it returned shape {selected.shape}")
    return selected, keras.ops.convert_to_numpy(gradient)


def _tensorflow_gradient(model, inputs, select):
    import tensorflow as tf

    inputs = tf.convert_to_tensor(inputs)
    with tf.GradientTape() as tape:
        tape.watch(inputs)
        selected = select(model(inputs, training=False))
        total = tf.reduce_sum(selected)
    return selected, tape.gradient(total, inputs)


def _jax_gradient(model, inputs, select):
    import jax
    import jax.numpy as jnp

    trainable = [variable.value for variable in model.trainable_variables]
    non_trainable = [variable.value for variable in model.non_trainable_variables]

    def total(x):
        outputs, _ = model.stateless_call(trainable, non_trainable, x, training=False)
        selected = select(outputs)
        return jnp.sum(selected), selected

    (_, selected), gradient = jax.value_and_grad(total, has_aux=True)(jnp.asarray(inputs))
    return selected, gradient


def _torch_gradient(model, inputs, select):
    import keras
    import torch

    with torch.enable_grad():
        x = keras.ops.convert_to_tensor(inputs).detach().requires_grad_(True)
        selected = select(model(x, training=False))
        torch.sum(selected).backward()
    return selected.detach(), x.grad
