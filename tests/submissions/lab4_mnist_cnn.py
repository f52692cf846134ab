"""Lab 4's fixture submissions beyond the full solution and the blank lab (15 points): honest
ones (``SUBMISSIONS``) and the adversarial corpus (``CORPUS``)."""
from tests.support.submissions import NEIGHBOURS, Submission, Tampered, lingering, snoop

SUMMED_CROSS_ENTROPY = '''def cross_entropy(logits, labels):
    logits = np.asarray(logits, dtype=np.float64)
    largest = logits.max(axis=1, keepdims=True)
    log_sum_exp = largest[:, 0] + np.log(np.exp(logits - largest).sum(axis=1))
    return float(np.sum(log_sum_exp - logits[np.arange(len(labels)), labels]))
'''
NAIVE_SOFTMAX = '''def softmax(logits):
    exps = np.exp(np.asarray(logits, dtype=np.float64))
    return exps / exps.sum(axis=-1, keepdims=True)
'''
TRAINING_ACCURACY_AS_TEST = '''def accuracy(model, images, labels):
    predicted = np.argmax(model.predict(images, verbose=0), axis=1)
    return float(np.mean(predicted == labels))


cnn_test_accuracy = accuracy(cnn, x_train, y_train)
print(f"CNN test accuracy: {cnn_test_accuracy:.2%}")
'''

SUBMISSIONS = [
    # The loss sums over the batch instead of averaging (2 points lost); the rest right.
    Submission("partly_wrong", expected=13, edits={"cross-entropy": SUMMED_CROSS_ENTROPY}),
    # A right accuracy function, but the training set's accuracy reported as the test
    # accuracy: the evaluation test rejects it (2 points lost).
    Submission("train_as_test", expected=13, edits={"evaluate": TRAINING_ACCURACY_AS_TEST}),
    # A softmax that overflows, whose visible check was replaced by `pass`: nbgrader
    # restores the check (with its hidden tests), so the 2 points are lost all the same.
    Submission("replaced_check", expected=13, edits={"softmax": NAIVE_SOFTMAX, "softmax-check": "pass"}),
]

# The dense baseline's answer cell, right: each attack below is added to it.
DENSE = """def build_dense(hidden_units=128):
    return keras.Sequential([keras.Input(shape=(28, 28, 1)), keras.layers.Flatten(),
                             keras.layers.Dense(hidden_units, activation="relu"),
                             keras.layers.Dense(10, activation="softmax")])


DENSE_PARAMETERS = 28 * 28 * 128 + 128 + 128 * 10 + 10
"""
DENSE_WITHOUT_BIASES = DENSE.replace("28 * 28 * 128 + 128 + 128 * 10 + 10", "28 * 28 * 128 + 128 * 10")

CORPUS = [
    Tampered("reads_secrets", expected=13,
             why="DENSE_PARAMETERS is right only if a solution, hidden test or grade can be read: none can",
             edits={"build-dense": DENSE_WITHOUT_BIASES + snoop("lab4_mnist_cnn")
                    + "if leaked:\n    DENSE_PARAMETERS = 101_770\n"}),
    Tampered("attacks_neighbours", expected=15,
             why="right answers; it tries to kill every process it can see and to find other kernels' keys "
                 "while another submission trains on the other worker: neither is reachable",
             edits={"build-dense": DENSE + NEIGHBOURS}),
    Tampered("leaves_processes", expected=15,
             why="right answers and a detached daemon plus 50 sleeping children: all die with its sandbox",
             edits={"build-dense": DENSE + lingering(50)}),
]

# Students' answers, one exercise at a time (tests/support/answers.py): right ones written
# independently of the solution, and the mistakes the text warns about, each with the
# points it loses and words its message must show.
from tests.support.answers import right, wrong  # noqa: E402

# Exercise 5's and 6's answers, right; wrong answers below change one thing in them.
PREDICTIONS = """CNN_PREDICTIONS = {
    "conv1": ((26, 26, 32), 3 * 3 * 1 * 32), "bn1": ((26, 26, 32), 4 * 32), "relu1": ((26, 26, 32), 0),
    "pool1": ((13, 13, 32), 0), "conv2": ((11, 11, 64), 3 * 3 * 32 * 64), "bn2": ((11, 11, 64), 4 * 64),
    "relu2": ((11, 11, 64), 0), "pool2": ((5, 5, 64), 0), "conv3": ((3, 3, 128), 3 * 3 * 64 * 128),
    "bn3": ((3, 3, 128), 4 * 128), "relu3": ((3, 3, 128), 0), "flatten": ((3 * 3 * 128,), 0),
    "dense": ((128,), 1152 * 128 + 128), "output": ((10,), 128 * 10 + 10),
}
"""
BUILD = """def build_cnn():
    layers = keras.layers
    return keras.Sequential([
        keras.Input(shape=(28, 28, 1)),
        layers.Conv2D(32, 3, use_bias=False, name='conv1'), layers.BatchNormalization(momentum=0.9, name='bn1'),
        layers.ReLU(name='relu1'), layers.MaxPooling2D(2, name='pool1'),
        layers.Conv2D(64, 3, use_bias=False, name='conv2'), layers.BatchNormalization(momentum=0.9, name='bn2'),
        layers.ReLU(name='relu2'), layers.MaxPooling2D(2, name='pool2'),
        layers.Conv2D(128, 3, use_bias=False, name='conv3'), layers.BatchNormalization(momentum=0.9, name='bn3'),
        layers.ReLU(name='relu3'), layers.Flatten(name='flatten'),
        layers.Dense(128, activation='relu', name='dense'),
        layers.Dense(10, activation='softmax', name='output', dtype='float32'),
    ])
"""

ANSWERS = [
    # Exercise 1: prepare
    right("prepare-astype-then-none", {"prepare": "def prepare(images):\n"
                                       "    return (images.astype('float32') / 255)[..., None]\n"}),
    right("prepare-expand-dims-float32-scalar", {"prepare": "def prepare(images):\n"
                                                 "    return np.expand_dims(np.asarray(images) / np.float32(255), -1)\n"}),
    right("prepare-reshape", {"prepare": "def prepare(images):\n    images = np.asarray(images)\n"
                              "    return images.reshape(len(images), 28, 28, 1).astype(np.float32) / 255.0\n"}),
    wrong("prepare-no-channel-axis", {"prepare": "def prepare(images):\n    return images.astype(np.float32) / 255\n"},
          {"prepare-check": 1}, "channel axis"),
    wrong("prepare-float64", {"prepare": "def prepare(images):\n    return (images / 255.0)[..., np.newaxis]\n"},
          {"prepare-check": 1}, "float32"),
    wrong("prepare-not-scaled", {"prepare": "def prepare(images):\n    return images[..., None].astype(np.float32)\n"},
          {"prepare-check": 1}, "divide by 255"),
    wrong("prepare-channels-first", {"prepare": "def prepare(images):\n"
                                     "    return (images.astype(np.float32) / 255)[:, None]\n"},
          {"prepare-check": 1}, "wrong shape"),

    # Exercise 2: the dense baseline
    right("build-dense-add-layers", {"build-dense": "def build_dense(hidden_units=128):\n"
                                     "    model = keras.Sequential()\n    model.add(keras.Input(shape=(28, 28, 1)))\n"
                                     "    model.add(keras.layers.Flatten())\n"
                                     "    model.add(keras.layers.Dense(hidden_units, activation=keras.activations.relu))\n"
                                     "    model.add(keras.layers.Dense(10, activation='softmax'))\n    return model\n\n"
                                     "DENSE_PARAMETERS = (784 + 1) * 128 + (128 + 1) * 10\n"}),
    right("build-dense-numpy-int-count", {"build-dense": "from keras import layers\n\n"
                                          "def build_dense(hidden_units=128):\n"
                                          "    return keras.Sequential([keras.Input((28, 28, 1)), layers.Flatten(),\n"
                                          "                             layers.Dense(units=hidden_units, activation='relu'),\n"
                                          "                             layers.Dense(units=10, activation='softmax')])\n\n"
                                          "DENSE_PARAMETERS = np.int64(28 * 28) * 128 + 128 + 1280 + 10\n"}),
    right("build-dense-activation-layer", {"build-dense": "def build_dense(hidden_units=128):\n"
                                           "    return keras.Sequential([keras.Input(shape=(28, 28, 1)), keras.layers.Flatten(),\n"
                                           "                             keras.layers.Dense(hidden_units), keras.layers.ReLU(),\n"
                                           "                             keras.layers.Dense(10), keras.layers.Softmax()])\n\n"
                                           "DENSE_PARAMETERS = 784 * 128 + 128 + 128 * 10 + 10\n"}),
    wrong("build-dense-no-biases", {"build-dense": "def build_dense(hidden_units=128):\n"
                                    "    return keras.Sequential([keras.Input(shape=(28, 28, 1)), keras.layers.Flatten(),\n"
                                    "                             keras.layers.Dense(hidden_units, activation='relu'),\n"
                                    "                             keras.layers.Dense(10, activation='softmax')])\n\n"
                                    "DENSE_PARAMETERS = 784 * 128 + 128 * 10\n"},
          {"build-dense-check": 2}, "bias"),
    wrong("build-dense-fixed-128", {"build-dense": "def build_dense(hidden_units=128):\n"
                                    "    return keras.Sequential([keras.Input(shape=(28, 28, 1)), keras.layers.Flatten(),\n"
                                    "                             keras.layers.Dense(128, activation='relu'),\n"
                                    "                             keras.layers.Dense(10, activation='softmax')])\n\n"
                                    "DENSE_PARAMETERS = 784 * 128 + 128 + 128 * 10 + 10\n"},
          {"build-dense-check": 2}, "hidden_units"),
    wrong("build-dense-no-softmax", {"build-dense": "def build_dense(hidden_units=128):\n"
                                     "    return keras.Sequential([keras.Input(shape=(28, 28, 1)), keras.layers.Flatten(),\n"
                                     "                             keras.layers.Dense(hidden_units, activation='relu'),\n"
                                     "                             keras.layers.Dense(10)])\n\n"
                                     "DENSE_PARAMETERS = 784 * 128 + 128 + 128 * 10 + 10\n"},
          {"build-dense-check": 2}, "softmax"),

    # Exercise 3: a stable softmax
    right("softmax-scipy", {"softmax": "from scipy.special import softmax as scipy_softmax\n\n"
                            "def softmax(logits):\n    return scipy_softmax(logits, axis=1)\n"}),
    right("softmax-row-max-column", {"softmax": "def softmax(logits):\n    z = np.asarray(logits, float)\n"
                                     "    z = z - z.max(axis=1)[:, None]\n    e = np.exp(z)\n"
                                     "    return e / e.sum(axis=1)[:, None]\n"}),
    right("softmax-log-space", {"softmax": "def softmax(logits):\n"
                                "    shifted = logits - np.max(logits, axis=-1, keepdims=True)\n"
                                "    return np.exp(shifted - np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True)))\n"}),
    wrong("softmax-naive", {"softmax": "def softmax(logits):\n    e = np.exp(logits)\n"
                            "    return e / e.sum(axis=-1, keepdims=True)\n"},
          {"softmax-check": 2}, "maximum"),
    wrong("softmax-global-max", {"softmax": "def softmax(logits):\n    e = np.exp(logits - np.max(logits))\n"
                                 "    return e / e.sum(axis=-1, keepdims=True)\n"},
          {"softmax-check": 2}, "row's maximum"),
    wrong("softmax-whole-array", {"softmax": "def softmax(logits):\n"
                                  "    e = np.exp(logits - logits.max(axis=-1, keepdims=True))\n    return e / e.sum()\n"},
          {"softmax-check": 2}, "each row"),

    # Exercise 4: a stable cross-entropy
    right("cross-entropy-scipy-logsumexp", {"cross-entropy": "from scipy.special import logsumexp\n\n"
                                            "def cross_entropy(logits, labels):\n    logits = np.asarray(logits)\n"
                                            "    picked = logits[np.arange(len(logits)), np.asarray(labels)]\n"
                                            "    return np.mean(logsumexp(logits, axis=1) - picked)\n"}),
    right("cross-entropy-loop", {"cross-entropy": "import math\n\ndef cross_entropy(logits, labels):\n"
                                 "    total = 0.0\n    for row, label in zip(logits, labels):\n"
                                 "        m = max(row)\n        total += m + math.log(sum(math.exp(v - m) for v in row)) - row[label]\n"
                                 "    return total / len(labels)\n"}),
    right("cross-entropy-take-along-axis", {"cross-entropy": "def cross_entropy(logits, labels):\n"
                                            "    z = np.asarray(logits, dtype=np.float64)\n"
                                            "    z = z - z.max(axis=1, keepdims=True)\n"
                                            "    log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))\n"
                                            "    idx = np.asarray(labels).reshape(-1, 1)\n"
                                            "    return -np.take_along_axis(log_p, idx, axis=1).mean()\n"}),
    wrong("cross-entropy-sum", {"cross-entropy": "def cross_entropy(logits, labels):\n"
                                "    m = logits.max(axis=1)\n"
                                "    lse = m + np.log(np.exp(logits - m[:, None]).sum(axis=1))\n"
                                "    return float(np.sum(lse - logits[np.arange(len(labels)), labels]))\n"},
          {"cross-entropy-check": 2}, "mean over the batch"),
    wrong("cross-entropy-log-of-softmax", {"cross-entropy": "def cross_entropy(logits, labels):\n"
                                           "    p = softmax(logits)\n"
                                           "    return float(-np.mean(np.log(p[np.arange(len(labels)), labels])))\n"},
          {"cross-entropy-check": 2}, "log-sum-exp"),
    wrong("cross-entropy-no-minus", {"cross-entropy": "def cross_entropy(logits, labels):\n"
                                     "    m = logits.max(axis=1)\n"
                                     "    lse = m + np.log(np.exp(logits - m[:, None]).sum(axis=1))\n"
                                     "    return float(np.mean(logits[np.arange(len(labels)), labels] - lse))\n"},
          {"cross-entropy-check": 2}, "minus"),

    # Exercise 5: predict before you build
    right("cnn-predictions-numpy-ints", {"cnn-predictions": "CNN_PREDICTIONS = {\n"
                                         "    'conv1': ((26, 26, 32), np.int64(288)), 'bn1': ((26, 26, 32), 4 * 32),\n"
                                         "    'relu1': ((26, 26, 32), 0), 'pool1': ((13, 13, 32), 0),\n"
                                         "    'conv2': ((11, 11, 64), np.prod((3, 3, 32, 64))), 'bn2': ((11, 11, 64), 256),\n"
                                         "    'relu2': ((11, 11, 64), 0), 'pool2': ((5, 5, 64), 0),\n"
                                         "    'conv3': ((3, 3, 128), 73728), 'bn3': ((3, 3, 128), 512), 'relu3': ((3, 3, 128), 0),\n"
                                         "    'flatten': ((np.prod((3, 3, 128)),), 0),\n"
                                         "    'dense': ((128,), np.prod((1152, 128)) + 128), 'output': ((10,), 1290),\n}\n"}),
    right("cnn-predictions-computed", {"cnn-predictions": "def conv(shape, filters, k=3):\n"
                                       "    h, w, c_in = shape\n"
                                       "    return (h - k + 1, w - k + 1, filters), k * k * c_in * filters\n\n"
                                       "CNN_PREDICTIONS = {}\nshape = (28, 28, 1)\n"
                                       "for i, filters in enumerate((32, 64, 128), start=1):\n"
                                       "    shape, count = conv(shape, filters)\n"
                                       "    CNN_PREDICTIONS[f'conv{i}'] = (shape, count)\n"
                                       "    CNN_PREDICTIONS[f'bn{i}'] = (shape, 4 * filters)\n"
                                       "    CNN_PREDICTIONS[f'relu{i}'] = (shape, 0)\n"
                                       "    if i < 3:\n"
                                       "        shape = (shape[0] // 2, shape[1] // 2, filters)\n"
                                       "        CNN_PREDICTIONS[f'pool{i}'] = (shape, 0)\n"
                                       "flat = shape[0] * shape[1] * shape[2]\n"
                                       "CNN_PREDICTIONS['flatten'] = ((flat,), 0)\n"
                                       "CNN_PREDICTIONS['dense'] = ((128,), flat * 128 + 128)\n"
                                       "CNN_PREDICTIONS['output'] = ((10,), 128 * 10 + 10)\n"}),
    right("cnn-predictions-lists-then-tuples", {"cnn-predictions": "shapes = {'conv1': [26, 26, 32], 'bn1': [26, 26, 32], "
                                                "'relu1': [26, 26, 32], 'pool1': [13, 13, 32], 'conv2': [11, 11, 64], "
                                                "'bn2': [11, 11, 64], 'relu2': [11, 11, 64], 'pool2': [5, 5, 64], "
                                                "'conv3': [3, 3, 128], 'bn3': [3, 3, 128], 'relu3': [3, 3, 128], "
                                                "'flatten': [1152], 'dense': [128], 'output': [10]}\n"
                                                "counts = {'conv1': 288, 'bn1': 128, 'conv2': 18432, 'bn2': 256, "
                                                "'conv3': 73728, 'bn3': 512, 'dense': 147584, 'output': 1290}\n"
                                                "CNN_PREDICTIONS = {name: (tuple(int(n) for n in shape), counts.get(name, 0)) "
                                                "for name, shape in shapes.items()}\n"}),
    wrong("cnn-predictions-bn-trainable-only", {"cnn-predictions": PREDICTIONS.replace("4 * 32", "2 * 32")
                                                .replace("4 * 64", "2 * 64").replace("4 * 128", "2 * 128")},
          {"cnn-predictions-check": 2}, "4 per channel"),
    wrong("cnn-predictions-conv-bias", {"cnn-predictions": PREDICTIONS.replace("3 * 3 * 1 * 32", "(3 * 3 * 1 + 1) * 32")},
          {"cnn-predictions-check": 2}, "use_bias=False"),
    wrong("cnn-predictions-pool-rounds-up", {"cnn-predictions": PREDICTIONS.replace("(5, 5, 64)", "(6, 6, 64)")
                                             .replace("(3, 3, 128)", "(4, 4, 128)").replace("3 * 3 * 128,", "4 * 4 * 128,")
                                             .replace("1152 * 128", "2048 * 128")},
          {"cnn-predictions-check": 2}, "rounding down"),
    wrong("cnn-predictions-batch-axis", {"cnn-predictions": PREDICTIONS.replace("((", "((None, ")},
          {"cnn-predictions-check": 2}, "batch axis"),
    wrong("cnn-predictions-float-count", {"cnn-predictions": PREDICTIONS.replace("1152 * 128 + 128", "1152 * 128 / 1 + 128")},
          {"cnn-predictions-check": 2}, "an int"),

    # Exercise 6: build it
    right("build-cnn-add-and-activation", {"build-cnn": "def build_cnn():\n    model = keras.Sequential()\n"
                                           "    model.add(keras.Input(shape=(28, 28, 1)))\n"
                                           "    for i, filters in enumerate((32, 64, 128), start=1):\n"
                                           "        model.add(keras.layers.Conv2D(filters, (3, 3), use_bias=False, name=f'conv{i}'))\n"
                                           "        model.add(keras.layers.BatchNormalization(momentum=0.9, name=f'bn{i}'))\n"
                                           "        model.add(keras.layers.Activation('relu', name=f'relu{i}'))\n"
                                           "        if i < 3:\n"
                                           "            model.add(keras.layers.MaxPool2D(pool_size=(2, 2), name=f'pool{i}'))\n"
                                           "    model.add(keras.layers.Flatten(name='flatten'))\n"
                                           "    model.add(keras.layers.Dense(128, activation='relu', name='dense'))\n"
                                           "    model.add(keras.layers.Dense(10, activation='softmax', name='output', dtype='float32'))\n"
                                           "    return model\n"}),
    right("build-cnn-keyword-args", {"build-cnn": BUILD.replace("layers.Conv2D(32, 3, use_bias=False",
                                                                "layers.Conv2D(filters=32, kernel_size=(3, 3), padding='valid', use_bias=False")
                                     .replace("layers.ReLU(name='relu2')", "layers.ReLU(max_value=None, name='relu2')")
                                     .replace("dtype='float32'", "dtype=keras.DTypePolicy('float32')")}),
    right("build-cnn-fused-bn", {"build-cnn": BUILD.replace("layers.BatchNormalization(momentum=0.9",
                                                            "training.batch_normalization(momentum=0.9")}),
    wrong("build-cnn-default-momentum", {"build-cnn": BUILD.replace("momentum=0.9, ", "")},
          {"build-cnn-check": 2}, "momentum=0.9"),
    wrong("build-cnn-conv-bias", {"build-cnn": BUILD.replace(", use_bias=False", "")},
          {"build-cnn-check": 2}, "use_bias=False"),
    wrong("build-cnn-same-padding", {"build-cnn": BUILD.replace("use_bias=False", "use_bias=False, padding='same'")},
          {"build-cnn-check": 2}, "padding"),
    wrong("build-cnn-no-float32-output", {"build-cnn": BUILD.replace(", dtype='float32'", "")},
          {"build-cnn-check": 2}, 'dtype="float32"'),
    wrong("build-cnn-logits-output", {"build-cnn": BUILD.replace("activation='softmax', ", "")},
          {"build-cnn-check": 2}, "softmax"),
    wrong("build-cnn-relu-inside-conv", {"build-cnn": BUILD.replace("use_bias=False", "use_bias=False, activation='relu'")},
          {"build-cnn-check": 2}, "no activation of their own"),

    # Exercise 7: compile the CNN
    right("compile-cnn-loss-object", {"compile-cnn": "def compile_cnn(model, learning_rate):\n"
                                      "    model.compile(optimizer=keras.optimizers.Adam(learning_rate=learning_rate),\n"
                                      "                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=False),\n"
                                      "                  metrics=['accuracy'])\n    return model\n"}),
    right("compile-cnn-loss-function", {"compile-cnn": "def compile_cnn(model, learning_rate):\n"
                                        "    optimizer = keras.optimizers.Adam(learning_rate)\n"
                                        "    model.compile(optimizer, keras.losses.sparse_categorical_crossentropy, metrics=['accuracy'])\n"
                                        "    return model\n"}),
    right("compile-cnn-positional-string", {"compile-cnn": "def compile_cnn(model, learning_rate):\n"
                                            "    model.compile(keras.optimizers.Adam(learning_rate), 'sparse_categorical_crossentropy',\n"
                                            "                  metrics=['accuracy'])\n    return model\n"}),
    wrong("compile-cnn-from-logits", {"compile-cnn": "def compile_cnn(model, learning_rate):\n"
                                      "    model.compile(optimizer=keras.optimizers.Adam(learning_rate),\n"
                                      "                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),\n"
                                      "                  metrics=['accuracy'])\n    return model\n"},
          {"compile-cnn-check": 2}, "from_logits"),
    wrong("compile-cnn-one-hot-loss", {"compile-cnn": "def compile_cnn(model, learning_rate):\n"
                                       "    model.compile(optimizer=keras.optimizers.Adam(learning_rate),\n"
                                       "                  loss='categorical_crossentropy', metrics=['accuracy'])\n    return model\n"},
          {"compile-cnn-check": 2}, "sparse"),
    wrong("compile-cnn-no-return", {"compile-cnn": "def compile_cnn(model, learning_rate):\n"
                                    "    model.compile(optimizer=keras.optimizers.Adam(learning_rate),\n"
                                    "                  loss='sparse_categorical_crossentropy', metrics=['accuracy'])\n"},
          {"compile-cnn-check": 2}, "return model"),
    wrong("compile-cnn-fixed-rate", {"compile-cnn": "def compile_cnn(model, learning_rate):\n"
                                     "    model.compile(optimizer=keras.optimizers.Adam(1e-3),\n"
                                     "                  loss='sparse_categorical_crossentropy', metrics=['accuracy'])\n    return model\n"},
          {"compile-cnn-check": 2}, "learning_rate"),

    # Exercise 8: accuracy, on the right data
    right("evaluate-count-over-len", {"evaluate": "def accuracy(model, images, labels):\n"
                                      "    guesses = model.predict(images, verbose=0).argmax(-1)\n"
                                      "    return np.sum(guesses == np.asarray(labels)) / len(labels)\n\n"
                                      "cnn_test_accuracy = accuracy(cnn, x_test, y_test)\n"}),
    right("evaluate-keras-metric", {"evaluate": "def accuracy(model, images, labels):\n"
                                    "    metric = keras.metrics.SparseCategoricalAccuracy()\n"
                                    "    metric.update_state(np.asarray(labels), model.predict(images, verbose=0))\n"
                                    "    return float(metric.result())\n\n"
                                    "cnn_test_accuracy = accuracy(cnn, x_test, y_test)\n"}),
    right("evaluate-loop", {"evaluate": "def accuracy(model, images, labels):\n"
                            "    probabilities = model.predict(images, verbose=0)\n    right = 0\n"
                            "    for row, label in zip(probabilities, labels):\n"
                            "        right += int(np.argmax(row) == label)\n    return right / len(probabilities)\n\n"
                            "cnn_test_accuracy = accuracy(cnn, x_test, y_test)\n"}),
    wrong("evaluate-validation", {"evaluate": "def accuracy(model, images, labels):\n"
                                  "    return float(np.mean(model.predict(images, verbose=0).argmax(1) == labels))\n\n"
                                  "cnn_test_accuracy = accuracy(cnn, x_val, y_val)\n"},
          {"evaluate-check": 2}, "validation accuracy"),
    wrong("evaluate-training", {"evaluate": "def accuracy(model, images, labels):\n"
                                "    return float(np.mean(model.predict(images, verbose=0).argmax(1) == labels))\n\n"
                                "cnn_test_accuracy = accuracy(cnn, x_train, y_train)\n"},
          {"evaluate-check": 2}, "training accuracy"),
    wrong("evaluate-error-rate", {"evaluate": "def accuracy(model, images, labels):\n"
                                  "    return float(np.mean(model.predict(images, verbose=0).argmax(1) != labels))\n\n"
                                  "cnn_test_accuracy = 1 - accuracy(cnn, x_test, y_test)\n"},
          {"evaluate-check": 2}, "error rate"),
    wrong("evaluate-percentage", {"evaluate": "def accuracy(model, images, labels):\n"
                                  "    return 100 * float(np.mean(model.predict(images, verbose=0).argmax(1) == labels))\n\n"
                                  "cnn_test_accuracy = accuracy(cnn, x_test, y_test) / 100\n"},
          {"evaluate-check": 2}, "percentage"),
]
