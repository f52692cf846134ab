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
