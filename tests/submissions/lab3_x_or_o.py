"""Lab 3's fixture submissions beyond the full solution and the blank lab."""
from tests.support.submissions import Submission

LAB3_RELU_IN_PLACE = '''def relu(values):
    values[values < 0] = 0
    return values


def max_pool(feature_map, size=2, stride=2):
    feature_map = np.asarray(feature_map, dtype=float)
    height, width = feature_map.shape
    rows, columns = range(0, height, stride), range(0, width, stride)
    return np.array([[feature_map[r:r + size, c:c + size].max() for c in columns] for r in rows])
'''
LAB3_FLIPPED_FILTER = '''from scipy.signal import convolve2d

def feature_map(image, weights):
    weights = np.asarray(weights)
    return convolve2d(image, weights, mode="valid") / weights.size
'''

SUBMISSIONS = [
    # relu overwrites its input (2 points lost); the lecture's pipeline still works because
    # pooled_features passes relu a fresh array, so nothing else is lost.
    Submission("partly_wrong", expected=9, edits={"pool": LAB3_RELU_IN_PLACE}),
    # A true convolution (flipped filter) whose visible check was replaced by `pass`:
    # nbgrader restores the check, so the 3 points are lost all the same.  The lecture's
    # filters look the same flipped, so the later exercises still pass.
    Submission("replaced_check", expected=8,
               edits={"feature-map": LAB3_FLIPPED_FILTER, "feature-map-check": "pass"}),
]
