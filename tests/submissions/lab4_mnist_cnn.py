"""Lab 4's fixture submissions beyond the full solution and the blank lab (15 points)."""
from tests.support.submissions import Submission

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
