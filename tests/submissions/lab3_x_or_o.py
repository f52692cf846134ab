"""Lab 3's fixture submissions beyond the full solution and the blank lab."""
from tests.support.answers import right, wrong
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

# Students' answers, one exercise at a time (tests/support/answers.py), written from the
# exercise text alone.  The text builds each step on the ones before (feature_map calls
# match_score, pooled_features puts feature_map, relu and max_pool together, classify uses
# pooled_features): where a wrong earlier step changes a later result, that is lost too.
MATCH = "def match_score(patch, weights):\n"
MAP = "def feature_map(image, weights):\n"
RELU = '''def relu(values):
    return np.maximum(values, 0)


'''
LOOP_POOL = '''def max_pool(feature_map, size=2, stride=2):
    feature_map = np.asarray(feature_map, dtype=float)
    rows = range(0, feature_map.shape[0], stride)
    columns = range(0, feature_map.shape[1], stride)
    return np.array([[feature_map[r:r + size, c:c + size].max() for c in columns] for r in rows])
'''
POOLED = "def pooled_features(image):\n"
REFERENCES = '''X_FEATURES = pooled_features(x_straight)  # the two references, computed once
O_FEATURES = pooled_features(o_grid)


'''
MEASURE = '''

pixel_accuracy = accuracy(pixel_classify, images, labels)
feature_accuracy = accuracy(classify, images, labels)
print(f"whole-image matching: {pixel_accuracy:.1%} | pooled features: {feature_accuracy:.1%}")
'''
SQUARED = '''def classify(image):
    features = pooled_features(image)
    return int(np.sum((features - X_FEATURES) ** 2) < np.sum((features - O_FEATURES) ** 2))


'''
ACCURACY = '''def accuracy(classifier, images, labels):
    return float(np.mean([classifier(image) == label for image, label in zip(images, labels)]))
'''

ANSWERS = [
    # Exercise 1: match_score
    right("match-score-vdot", {"match-score": MATCH + "    return np.vdot(patch, weights)\n"}),
    right("match-score-einsum", {"match-score": MATCH + '''    return np.einsum("ij,ij->", np.asarray(patch, float), np.asarray(weights, float))
'''}),
    right("match-score-loop", {"match-score": MATCH + '''    total = 0.0
    for p, w in zip(np.ravel(patch), np.ravel(weights)):
        total += p * w
    return total
'''}),
    right("match-score-tensordot", {"match-score": MATCH + "    return np.tensordot(patch, weights, axes=np.ndim(patch))\n"}),
    wrong("match-score-average", {"match-score": MATCH + "    return np.mean(np.asarray(patch) * np.asarray(weights))\n"},
          lost={"match-score-check": 1}, says="do not average"),
    wrong("match-score-matrix-product", {"match-score": MATCH + "    return np.asarray(patch) @ np.asarray(weights)\n"},
          lost={"match-score-check": 1}, says="single number"),
    wrong("match-score-top-left-3x3", {"match-score": MATCH + '''    return float(np.sum(np.asarray(patch)[:3, :3] * np.asarray(weights)[:3, :3]))
'''}, lost={"match-score-check": 1}, says="3 x 3"),
    wrong("match-score-int", {"match-score": MATCH + "    return int(np.sum(np.asarray(patch) * np.asarray(weights)))\n"},
          lost={"match-score-check": 1}, says="real-valued"),
    # Exercise 2: feature_map
    right("feature-map-correlate2d", {"feature-map": '''from scipy.signal import correlate2d

''' + MAP + '''    return correlate2d(image, weights, mode="valid") / np.size(weights)
'''}),
    right("feature-map-match-score-loops", {"feature-map": MAP + '''    image, weights = np.asarray(image), np.asarray(weights)
    kh, kw = weights.shape
    out = np.zeros((image.shape[0] - kh + 1, image.shape[1] - kw + 1))
    for r in range(out.shape[0]):
        for c in range(out.shape[1]):
            out[r, c] = match_score(image[r:r + kh, c:c + kw], weights) / weights.size
    return out
'''}),
    right("feature-map-windows", {"feature-map": MAP + '''    weights = np.asarray(weights, dtype=float)
    windows = np.lib.stride_tricks.sliding_window_view(np.asarray(image, dtype=float), weights.shape)
    return np.einsum("ijkl,kl->ij", windows, weights) / weights.size
'''}),
    right("feature-map-shifted-images", {"feature-map": MAP + '''    image, weights = np.asarray(image, dtype=float), np.asarray(weights, dtype=float)
    kh, kw = weights.shape
    h, w = image.shape[0] - kh + 1, image.shape[1] - kw + 1
    total = np.zeros((h, w))
    for a in range(kh):
        for b in range(kw):
            total += weights[a, b] * image[a:a + h, b:b + w]
    return total / (kh * kw)
'''}),
    wrong("feature-map-always-nine", {"feature-map": '''from scipy.signal import correlate2d

''' + MAP + '''    return correlate2d(image, weights, mode="valid") / 9
'''}, lost={"feature-map-check": 3}, says="not always by 9"),
    wrong("feature-map-flipped", {"feature-map": LAB3_FLIPPED_FILTER}, lost={"feature-map-check": 3}, says="flipped"),
    wrong("feature-map-not-divided", {"feature-map": '''from scipy.signal import correlate2d

''' + MAP + '''    return correlate2d(image, weights, mode="valid")
'''}, lost={"feature-map-check": 3, "pooled-features-check": 2}, says="divide"),
    wrong("feature-map-same-size", {"feature-map": '''from scipy.signal import correlate2d

''' + MAP + '''    return correlate2d(image, weights, mode="same") / np.size(weights)
'''}, lost={"feature-map-check": 3, "pooled-features-check": 2}, says="shape"),
    # Exercise 3: relu and max_pool
    right("pool-reshape-with-minus-inf", {"pool": '''def relu(values):
    return np.where(np.asarray(values) > 0, values, 0)


def max_pool(feature_map, size=2, stride=2):
    feature_map = np.asarray(feature_map, dtype=float)
    h, w = feature_map.shape
    out_h, out_w = -(-h // size), -(-w // size)
    padded = np.full((out_h * size, out_w * size), -np.inf)
    padded[:h, :w] = feature_map
    return padded.reshape(out_h, size, out_w, size).max(axis=(1, 3))
'''}),
    right("pool-loops-ceil", {"pool": '''import math


def relu(values):
    return np.clip(values, 0, None)


def max_pool(feature_map, size=2, stride=2):
    h, w = np.shape(feature_map)
    out = np.zeros((math.ceil(h / stride), math.ceil(w / stride)))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = np.max(np.asarray(feature_map)[i * stride:i * stride + size, j * stride:j * stride + size])
    return out
'''}),
    right("pool-copy-then-zero", {"pool": '''def relu(values):
    result = np.array(values, dtype=float)
    result[result < 0] = 0
    return result


''' + LOOP_POOL}),
    wrong("pool-drops-edge", {"pool": RELU + '''def max_pool(feature_map, size=2, stride=2):
    windows = np.lib.stride_tricks.sliding_window_view(np.asarray(feature_map), (size, size))
    return windows[::stride, ::stride].max(axis=(-2, -1))
'''}, lost={"pool-check": 2, "pooled-features-check": 2}, says="hangs over the edge"),
    wrong("pool-zero-padding", {"pool": RELU + '''def max_pool(feature_map, size=2, stride=2):
    feature_map = np.asarray(feature_map, dtype=float)
    h, w = feature_map.shape
    padded = np.zeros((-(-h // size) * size, -(-w // size) * size))
    padded[:h, :w] = feature_map
    return padded.reshape(padded.shape[0] // size, size, padded.shape[1] // size, size).max(axis=(1, 3))
'''}, lost={"pool-check": 2}, says="padded with zeros"),
    wrong("pool-relu-in-place", {"pool": '''def relu(values):
    values[values < 0] = 0
    return values


''' + LOOP_POOL}, lost={"pool-check": 2}, says="changed"),
    wrong("pool-relu-absolute", {"pool": "def relu(values):\n    return np.abs(values)\n\n\n" + LOOP_POOL},
          lost={"pool-check": 2, "pooled-features-check": 2}, says="values"),
    wrong("pool-keras-same", {"pool": RELU + '''import keras


def max_pool(feature_map, size=2, stride=2):
    batch = np.asarray(feature_map, dtype="float32")[None, :, :, None]
    pooled = keras.ops.max_pool(batch, size, stride, padding="same")
    return keras.ops.convert_to_numpy(pooled)[0, :, :, 0]
'''}, lost={"pool-check": 2}, says="wrong values"),
    wrong("pool-always-2", {"pool": RELU + '''def max_pool(feature_map, size=2, stride=2):
    feature_map = np.asarray(feature_map, dtype=float)
    rows = range(0, feature_map.shape[0], 2)
    columns = range(0, feature_map.shape[1], 2)
    return np.array([[feature_map[r:r + 2, c:c + 2].max() for c in columns] for r in rows])
'''}, lost={"pool-check": 2}, says="size and stride"),
    # Exercise 4: pooled_features
    right("pooled-features-dstack", {"pooled-features": POOLED + '''    return np.dstack([max_pool(relu(feature_map(image, w))) for w in FILTERS.values()])
'''}),
    right("pooled-features-fill", {"pooled-features": POOLED + '''    features = np.zeros((4, 4, len(FILTERS)))
    for i, name in enumerate(["diagonal", "cross", "antidiagonal"]):
        features[:, :, i] = max_pool(relu(feature_map(image, FILTERS[name])))
    return features
'''}),
    right("pooled-features-pool-then-relu", {"pooled-features": POOLED + '''    maps = np.array([relu(max_pool(feature_map(image, weights))) for weights in FILTERS.values()])
    return np.moveaxis(maps, 0, -1)
'''}),
    wrong("pooled-features-channels-first", {"pooled-features": POOLED + '''    return np.stack([max_pool(relu(feature_map(image, w))) for w in FILTERS.values()])
'''}, lost={"pooled-features-check": 2}, says="channels-first"),
    wrong("pooled-features-no-relu", {"pooled-features": POOLED + '''    return np.stack([max_pool(feature_map(image, w)) for w in FILTERS.values()], axis=-1)
'''}, lost={"pooled-features-check": 2}, says="relu"),
    wrong("pooled-features-sorted-names", {"pooled-features": POOLED + '''    return np.stack([max_pool(relu(feature_map(image, FILTERS[name]))) for name in sorted(FILTERS)], axis=-1)
'''}, lost={"pooled-features-check": 2}, says="order"),
    # Exercise 5: classify and accuracy
    right("classify-norms", {"classify": REFERENCES + '''def classify(image):
    features = pooled_features(image)
    if np.linalg.norm(features - X_FEATURES) < np.linalg.norm(features - O_FEATURES):
        return 1
    return 0


def accuracy(classifier, images, labels):
    correct = 0
    for image, label in zip(images, labels):
        if classifier(image) == label:
            correct += 1
    return correct / len(images)
''' + MEASURE}),
    right("classify-bool-vectorised-accuracy", {"classify": REFERENCES + '''def classify(image):
    difference_x = np.square(pooled_features(image) - X_FEATURES).sum()
    difference_o = np.square(pooled_features(image) - O_FEATURES).sum()
    return difference_x < difference_o


def accuracy(classifier, images, labels):
    predictions = np.array([classifier(image) for image in images])
    return np.mean(predictions == np.asarray(labels))
''' + MEASURE}),
    right("classify-own-references", {"classify": REFERENCES + '''def classify(image):
    features = pooled_features(image).ravel()
    to_x = np.sum((features - pooled_features(x_straight).ravel()) ** 2)
    to_o = np.sum((features - pooled_features(o_grid).ravel()) ** 2)
    return 1 if to_x < to_o else 0


''' + ACCURACY + MEASURE}),
    wrong("classify-tie-counts-as-x", {"classify": REFERENCES + SQUARED.replace(") ** 2) < np.sum(", ") ** 2) <= np.sum(")
                                       + ACCURACY + MEASURE}, lost={"classify-check": 3}, says="tie"),
    wrong("classify-x-and-o-swapped", {"classify": REFERENCES + SQUARED.replace(") ** 2) < np.sum(", ") ** 2) > np.sum(")
                                       + ACCURACY + MEASURE}, lost={"classify-check": 3}, says="wrong answer"),
    wrong("classify-accuracy-percent", {"classify": REFERENCES + SQUARED + ACCURACY.replace(
        "return float(np.mean(", "return 100 * float(np.mean(") + MEASURE}, lost={"classify-check": 3}, says="percentage"),
    wrong("classify-accuracy-of-mistakes", {"classify": REFERENCES + SQUARED + ACCURACY.replace(
        "classifier(image) == label", "classifier(image) != label") + MEASURE},
          lost={"classify-check": 3}, says="fraction of mistakes"),
    wrong("classify-accuracy-count", {"classify": REFERENCES + SQUARED + ACCURACY.replace(
        "return float(np.mean(", "return float(np.sum(") + MEASURE}, lost={"classify-check": 3}, says="wrong value"),
]
