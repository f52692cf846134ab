"""Lab 6's fixture submissions beyond the full solution and the blank lab (13 points)."""
from tests.support.submissions import Submission

LAB6_UNCLAMPED_IOU = '''def box_iou(box_a, box_b):
    top, left = max(box_a[0], box_b[0]), max(box_a[1], box_b[1])
    bottom, right = min(box_a[2], box_b[2]), min(box_a[3], box_b[3])
    intersection = (bottom - top) * (right - left)
    union = (box_a[2] - box_a[0]) * (box_a[3] - box_a[1]) + (box_b[2] - box_b[0]) * (box_b[3] - box_b[1]) - intersection
    return intersection / union if union else 0.0
'''
LAB6_GRAD_CAM_WITHOUT_RELU = '''def grad_cam(feature_maps, gradients):
    return np.asarray(feature_maps) @ np.asarray(gradients).mean(axis=(0, 1))
'''
LAB6_CAM_FROM_KERNEL_ROW = '''def class_activation_map(feature_maps, dense_kernel, class_index):
    return np.asarray(feature_maps) @ np.asarray(dense_kernel)[class_index]
'''

SUBMISSIONS = [
    # IoU without clamping the intersection (2 points lost) and Grad-CAM without its ReLU
    # (3 points lost); everything else right.
    Submission("partly_wrong", expected=8,
               edits={"box-iou": LAB6_UNCLAMPED_IOU, "grad-cam": LAB6_GRAD_CAM_WITHOUT_RELU}),
    # A CAM from a row of the kernel whose visible check was replaced by `pass`: nbgrader
    # restores the check (with its hidden tests), so the 2 points are lost all the same.
    Submission("replaced_check", expected=11,
               edits={"class-activation-map": LAB6_CAM_FROM_KERNEL_ROW, "class-activation-map-check": "pass"}),
]

# Students' answers, one exercise at a time (tests/support/answers.py): right ones written
# independently of the solution, and the mistakes the text warns about, each with the
# points it loses and words its message must show.
from tests.support.answers import right, wrong  # noqa: E402

ANSWERS = [
    # Exercise 1: the CAM of one class
    right("class-activation-map-einsum", {"class-activation-map": "def class_activation_map(feature_maps, dense_kernel, class_index):\n"
                                          "    return np.einsum('hwk,k->hw', feature_maps, dense_kernel[:, class_index])\n"}),
    right("class-activation-map-all-classes", {"class-activation-map": "def class_activation_map(feature_maps, dense_kernel, class_index):\n"
                                               "    return (np.asarray(feature_maps) @ np.asarray(dense_kernel))[..., class_index]\n"}),
    right("class-activation-map-loop", {"class-activation-map": "def class_activation_map(feature_maps, dense_kernel, class_index):\n"
                                        "    feature_maps = np.asarray(feature_maps, dtype=np.float64)\n"
                                        "    cam = np.zeros(feature_maps.shape[:2])\n"
                                        "    for k in range(feature_maps.shape[-1]):\n"
                                        "        cam += dense_kernel[k, class_index] * feature_maps[:, :, k]\n    return cam\n"}),
    right("class-activation-map-float32", {"class-activation-map": "def class_activation_map(feature_maps, dense_kernel, class_index):\n"
                                           "    weights = np.asarray(dense_kernel, dtype=np.float32)[:, class_index]\n"
                                           "    return np.tensordot(np.asarray(feature_maps, dtype=np.float32), weights, axes=([2], [0]))\n"}),
    wrong("class-activation-map-kernel-row", {"class-activation-map": "def class_activation_map(feature_maps, dense_kernel, class_index):\n"
                                              "    return np.asarray(feature_maps) @ np.asarray(dense_kernel)[class_index]\n"},
          {"class-activation-map-check": 2}, "column c"),
    wrong("class-activation-map-relu", {"class-activation-map": "def class_activation_map(feature_maps, dense_kernel, class_index):\n"
                                        "    return np.maximum(np.asarray(feature_maps) @ dense_kernel[:, class_index], 0)\n"},
          {"class-activation-map-check": 2}, "no ReLU"),
    wrong("class-activation-map-mean", {"class-activation-map": "def class_activation_map(feature_maps, dense_kernel, class_index):\n"
                                        "    return np.mean(np.asarray(feature_maps) * dense_kernel[:, class_index], axis=-1)\n"},
          {"class-activation-map-check": 2}, "weighted sum"),

    # Exercise 2: upsample
    right("upsample-default-interpolation", {"upsample": "def upsample(heatmap, size):\n"
                                             "    image = keras.ops.expand_dims(keras.ops.expand_dims(keras.ops.convert_to_tensor(heatmap, 'float32'), 0), -1)\n"
                                             "    return np.asarray(keras.ops.convert_to_numpy(keras.ops.image.resize(image, size)))[0, ..., 0]\n"}),
    right("upsample-scipy-zoom", {"upsample": "from scipy import ndimage\n\ndef upsample(heatmap, size):\n"
                                  "    heatmap = np.asarray(heatmap, dtype=float)\n"
                                  "    factors = (size[0] / heatmap.shape[0], size[1] / heatmap.shape[1])\n"
                                  "    return ndimage.zoom(heatmap, factors, order=1, grid_mode=True, mode='nearest')\n"}),
    right("upsample-jax", {"upsample": "import jax\n\ndef upsample(heatmap, size):\n"
                           "    return np.asarray(jax.image.resize(np.asarray(heatmap, np.float32), tuple(size), method='linear'))\n"}),
    wrong("upsample-nearest", {"upsample": "def upsample(heatmap, size):\n"
                               "    batch = np.asarray(heatmap, 'float32')[None, ..., None]\n"
                               "    return keras.ops.convert_to_numpy(keras.ops.image.resize(batch, size, interpolation='nearest'))[0, ..., 0]\n"},
          {"upsample-check": 1}, "nearest-neighbour"),
    wrong("upsample-width-height", {"upsample": "def upsample(heatmap, size):\n"
                                    "    batch = np.asarray(heatmap, 'float32')[None, ..., None]\n"
                                    "    return keras.ops.convert_to_numpy(keras.ops.image.resize(batch, (size[1], size[0])))[0, ..., 0]\n"},
          {"upsample-check": 1}, "(height, width)"),
    wrong("upsample-corners-aligned", {"upsample": "from scipy import ndimage\n\ndef upsample(heatmap, size):\n"
                                       "    heatmap = np.asarray(heatmap, dtype=float)\n"
                                       "    return ndimage.zoom(heatmap, (size[0] / heatmap.shape[0], size[1] / heatmap.shape[1]), order=1)\n"},
          {"upsample-check": 1}, "corners"),

    # Exercise 3: normalise
    right("normalise-ptp", {"normalise": "def normalise(heatmap):\n    heatmap = np.asarray(heatmap, dtype=np.float64)\n"
                            "    span = np.ptp(heatmap)\n"
                            "    return (heatmap - heatmap.min()) / span if span > 0 else np.zeros(heatmap.shape)\n"}),
    right("normalise-allclose-guard", {"normalise": "def normalise(heatmap):\n    low, high = np.min(heatmap), np.max(heatmap)\n"
                                       "    if low == high:\n        return np.zeros(np.shape(heatmap))\n"
                                       "    return (np.asarray(heatmap) - low) / (high - low)\n"}),
    right("normalise-float32", {"normalise": "def normalise(heatmap):\n    h = np.asarray(heatmap, dtype=np.float32)\n"
                                "    h = h - h.min()\n    top = h.max()\n    return h / top if top else np.zeros_like(h)\n"}),
    wrong("normalise-divide-by-max", {"normalise": "def normalise(heatmap):\n    heatmap = np.asarray(heatmap, dtype=float)\n"
                                      "    top = heatmap.max()\n    return heatmap / top if top else np.zeros_like(heatmap)\n"},
          {"normalise-check": 1}, "subtract the minimum"),
    wrong("normalise-constant-nan", {"normalise": "def normalise(heatmap):\n    heatmap = np.asarray(heatmap, dtype=float)\n"
                                     "    return (heatmap - heatmap.min()) / (heatmap.max() - heatmap.min())\n"},
          {"normalise-check": 1}, "max equals min"),
    wrong("normalise-row-by-row", {"normalise": "def normalise(heatmap):\n    h = np.asarray(heatmap, dtype=float)\n"
                                   "    low, span = h.min(axis=1, keepdims=True), np.ptp(h, axis=1, keepdims=True)\n"
                                   "    return np.divide(h - low, span, out=np.zeros_like(h), where=span > 0)\n"},
          {"normalise-check": 1}, "values differ"),

    # Exercise 4: overlay
    right("overlay-dstack", {"overlay": "HEAT = matplotlib.colormaps['jet']\n\ndef overlay(image, heatmap, alpha=0.5):\n"
                             "    grey = np.dstack([image, image, image])\n"
                             "    return (1 - alpha) * grey + alpha * HEAT(heatmap)[:, :, :3]\n"}),
    right("overlay-broadcast", {"overlay": "HEAT = matplotlib.colormaps['jet']\n\ndef overlay(image, heatmap, alpha=0.5):\n"
                                "    colour = np.asarray(HEAT(heatmap))[..., :3]\n"
                                "    return np.asarray(image, float)[..., None] * (1 - alpha) + colour * alpha\n"}),
    right("overlay-stack-float32", {"overlay": "HEAT = matplotlib.colormaps['jet']\n\ndef overlay(image, heatmap, alpha=0.5):\n"
                                    "    grey = np.stack([np.asarray(image, np.float32)] * 3, axis=-1)\n"
                                    "    colour = HEAT(np.asarray(heatmap))[..., :3].astype(np.float32)\n"
                                    "    return grey + alpha * (colour - grey)\n"}),
    wrong("overlay-alpha-swapped", {"overlay": "HEAT = matplotlib.colormaps['jet']\n\ndef overlay(image, heatmap, alpha=0.5):\n"
                                    "    grey = np.dstack([image] * 3)\n"
                                    "    return alpha * grey + (1 - alpha) * HEAT(heatmap)[..., :3]\n"},
          {"overlay-check": 1}, "weight of the colour"),
    wrong("overlay-rgba", {"overlay": "HEAT = matplotlib.colormaps['jet']\n\ndef overlay(image, heatmap, alpha=0.5):\n"
                           "    grey = np.dstack([image] * 3 + [np.ones_like(image)])\n"
                           "    return (1 - alpha) * grey + alpha * HEAT(heatmap)\n"},
          {"overlay-check": 1}, "RGBA"),
    wrong("overlay-grey-not-repeated", {"overlay": "HEAT = matplotlib.colormaps['jet']\n\ndef overlay(image, heatmap, alpha=0.5):\n"
                                        "    return (1 - alpha) * np.asarray(image)[..., None] * np.array([1.0, 0.0, 0.0]) "
                                        "+ alpha * HEAT(heatmap)[..., :3]\n"},
          {"overlay-check": 1}, "values differ"),

    # Exercise 5: Grad-CAM
    right("grad-cam-einsum-clip", {"grad-cam": "def grad_cam(feature_maps, gradients):\n"
                                   "    alphas = np.mean(gradients, axis=(0, 1))\n"
                                   "    return np.clip(np.einsum('hwk,k->hw', feature_maps, alphas), 0, None)\n"}),
    right("grad-cam-sum-over-area", {"grad-cam": "def grad_cam(feature_maps, gradients):\n    g = np.asarray(gradients)\n"
                                     "    alphas = g.sum(axis=(0, 1)) / (g.shape[0] * g.shape[1])\n"
                                     "    cam = (np.asarray(feature_maps) * alphas).sum(axis=-1)\n"
                                     "    cam[cam < 0] = 0\n    return cam\n"}),
    right("grad-cam-keras-relu", {"grad-cam": "def grad_cam(feature_maps, gradients):\n"
                                  "    weights = keras.ops.mean(keras.ops.convert_to_tensor(gradients, 'float32'), axis=(0, 1))\n"
                                  "    cam = keras.ops.tensordot(keras.ops.convert_to_tensor(feature_maps, 'float32'), weights, axes=1)\n"
                                  "    return keras.ops.convert_to_numpy(keras.ops.relu(cam))\n"}),
    wrong("grad-cam-no-relu", {"grad-cam": "def grad_cam(feature_maps, gradients):\n"
                               "    return np.asarray(feature_maps) @ np.asarray(gradients).mean(axis=(0, 1))\n"},
          {"grad-cam-check": 3}, "ReLU"),
    wrong("grad-cam-summed-gradients", {"grad-cam": "def grad_cam(feature_maps, gradients):\n"
                                        "    return np.maximum(np.asarray(feature_maps) @ np.asarray(gradients).sum(axis=(0, 1)), 0)\n"},
          {"grad-cam-check": 3}, "you summed them"),
    wrong("grad-cam-position-by-position", {"grad-cam": "def grad_cam(feature_maps, gradients):\n"
                                            "    return np.maximum((np.asarray(feature_maps) * np.asarray(gradients)).sum(axis=-1), 0)\n"},
          {"grad-cam-check": 3}, "position by position"),
    wrong("grad-cam-relu-on-maps", {"grad-cam": "def grad_cam(feature_maps, gradients):\n"
                                    "    return np.maximum(feature_maps, 0) @ np.asarray(gradients).mean(axis=(0, 1))\n"},
          {"grad-cam-check": 3}, "apply the ReLU"),

    # Exercise 6: the pointing game
    right("pointing-game-divmod", {"pointing-game": "def pointing_game_hit(heatmap, box):\n"
                                   "    heatmap = np.asarray(heatmap)\n"
                                   "    row, column = divmod(int(heatmap.argmax()), heatmap.shape[1])\n"
                                   "    return box[0] <= row < box[2] and box[1] <= column < box[3]\n"}),
    right("pointing-game-argwhere-first", {"pointing-game": "def pointing_game_hit(heatmap, box):\n"
                                           "    row, column = np.argwhere(heatmap == np.max(heatmap))[0]\n"
                                           "    top, left, bottom, right = box\n"
                                           "    return np.logical_and.reduce([row >= top, row < bottom, column >= left, column < right])\n"}),
    right("pointing-game-range", {"pointing-game": "def pointing_game_hit(heatmap, box):\n"
                                  "    r, c = np.unravel_index(np.asarray(heatmap).argmax(), np.asarray(heatmap).shape)\n"
                                  "    return int(r) in range(box[0], box[2]) and int(c) in range(box[1], box[3])\n"}),
    wrong("pointing-game-swapped", {"pointing-game": "def pointing_game_hit(heatmap, box):\n"
                                    "    row, column = np.unravel_index(np.argmax(heatmap), np.shape(heatmap))\n"
                                    "    top, left, bottom, right = box\n"
                                    "    return bool(top <= column < bottom and left <= row < right)\n"},
          {"pointing-game-check": 1}, "swap"),
    wrong("pointing-game-inclusive", {"pointing-game": "def pointing_game_hit(heatmap, box):\n"
                                      "    row, column = np.unravel_index(np.argmax(heatmap), np.shape(heatmap))\n"
                                      "    return bool(box[0] <= row <= box[2] and box[1] <= column <= box[3])\n"},
          {"pointing-game-check": 1}, "exclusive"),
    wrong("pointing-game-last-maximum", {"pointing-game": "def pointing_game_hit(heatmap, box):\n"
                                         "    row, column = np.argwhere(heatmap == heatmap.max())[-1]\n"
                                         "    return bool(box[0] <= row < box[2] and box[1] <= column < box[3])\n"},
          {"pointing-game-check": 1}, "FIRST maximum"),
    wrong("pointing-game-any-maximum", {"pointing-game": "def pointing_game_hit(heatmap, box):\n"
                                        "    top, left, bottom, right = box\n"
                                        "    peaks = np.argwhere(heatmap == np.max(heatmap))\n"
                                        "    return any(top <= r < bottom and left <= c < right for r, c in peaks)\n"},
          {"pointing-game-check": 1}, "FIRST maximum"),

    # Exercise 7: the box of a thresholded map
    right("heatmap-box-any-axis", {"heatmap-box": "def heatmap_box(heatmap, threshold):\n"
                                   "    hot = np.asarray(heatmap) >= threshold\n"
                                   "    if not hot.any():\n        return (0, 0, 0, 0)\n"
                                   "    rows, cols = np.flatnonzero(hot.any(axis=1)), np.flatnonzero(hot.any(axis=0))\n"
                                   "    return (rows[0], cols[0], rows[-1] + 1, cols[-1] + 1)\n"}),
    right("heatmap-box-argwhere-list", {"heatmap-box": "def heatmap_box(heatmap, threshold):\n"
                                        "    points = np.argwhere(np.asarray(heatmap) >= threshold)\n"
                                        "    if len(points) == 0:\n        return [0, 0, 0, 0]\n"
                                        "    (top, left), (bottom, right) = points.min(axis=0), points.max(axis=0) + 1\n"
                                        "    return [int(top), int(left), int(bottom), int(right)]\n"}),
    right("heatmap-box-loops", {"heatmap-box": "def heatmap_box(heatmap, threshold):\n"
                                "    top = left = None\n    bottom = right = 0\n"
                                "    for r, row in enumerate(heatmap):\n        for c, value in enumerate(row):\n"
                                "            if value >= threshold:\n"
                                "                top = r if top is None else min(top, r)\n"
                                "                left = c if left is None else min(left, c)\n"
                                "                bottom, right = max(bottom, r + 1), max(right, c + 1)\n"
                                "    return (0, 0, 0, 0) if top is None else (top, left, bottom, right)\n"}),
    wrong("heatmap-box-strictly-above", {"heatmap-box": "def heatmap_box(heatmap, threshold):\n"
                                         "    rows, cols = np.nonzero(np.asarray(heatmap) > threshold)\n"
                                         "    if rows.size == 0:\n        return (0, 0, 0, 0)\n"
                                         "    return (rows.min(), cols.min(), rows.max() + 1, cols.max() + 1)\n"},
          {"heatmap-box-check": 2}, "equal to the threshold"),
    wrong("heatmap-box-inclusive", {"heatmap-box": "def heatmap_box(heatmap, threshold):\n"
                                    "    rows, cols = np.nonzero(np.asarray(heatmap) >= threshold)\n"
                                    "    if rows.size == 0:\n        return (0, 0, 0, 0)\n"
                                    "    return (rows.min(), cols.min(), rows.max(), cols.max())\n"},
          {"heatmap-box-check": 2}, "inclusive"),
    wrong("heatmap-box-swapped", {"heatmap-box": "def heatmap_box(heatmap, threshold):\n"
                                  "    rows, cols = np.nonzero(np.asarray(heatmap) >= threshold)\n"
                                  "    if rows.size == 0:\n        return (0, 0, 0, 0)\n"
                                  "    return (cols.min(), rows.min(), cols.max() + 1, rows.max() + 1)\n"},
          {"heatmap-box-check": 2}, "swaps rows and columns"),
    wrong("heatmap-box-whole-map-when-empty", {"heatmap-box": "def heatmap_box(heatmap, threshold):\n"
                                               "    h = np.asarray(heatmap)\n    rows, cols = np.nonzero(h >= threshold)\n"
                                               "    if rows.size == 0:\n        return (0, 0) + h.shape\n"
                                               "    return (rows.min(), cols.min(), rows.max() + 1, cols.max() + 1)\n"},
          {"heatmap-box-check": 2}, "empty box"),

    # Exercise 8: intersection over union of two boxes
    right("box-iou-numpy", {"box-iou": "def box_iou(box_a, box_b):\n    a, b = np.asarray(box_a, float), np.asarray(box_b, float)\n"
                            "    top_left, bottom_right = np.maximum(a[:2], b[:2]), np.minimum(a[2:], b[2:])\n"
                            "    inter = np.prod(np.clip(bottom_right - top_left, 0, None))\n"
                            "    union = np.prod(a[2:] - a[:2]) + np.prod(b[2:] - b[:2]) - inter\n"
                            "    return float(inter / union) if union > 0 else 0.0\n"}),
    right("box-iou-rasterised", {"box-iou": "def box_iou(box_a, box_b):\n    size = max(*box_a, *box_b) + 1\n"
                                 "    masks = np.zeros((2, size, size), bool)\n"
                                 "    for mask, (t, l, b, r) in zip(masks, (box_a, box_b)):\n        mask[t:b, l:r] = True\n"
                                 "    union = (masks[0] | masks[1]).sum()\n"
                                 "    return (masks[0] & masks[1]).sum() / union if union else 0.0\n"}),
    right("box-iou-unpacked", {"box-iou": "def box_iou(box_a, box_b):\n    at, al, ab, ar = box_a\n    bt, bl, bb, br = box_b\n"
                               "    h = max(0, min(ab, bb) - max(at, bt))\n    w = max(0, min(ar, br) - max(al, bl))\n"
                               "    union = (ab - at) * (ar - al) + (bb - bt) * (br - bl) - h * w\n"
                               "    return 0.0 if union == 0 else h * w / union\n"}),
    wrong("box-iou-plus-one", {"box-iou": "def box_iou(box_a, box_b):\n"
                               "    h = max(0, min(box_a[2], box_b[2]) - max(box_a[0], box_b[0]) + 1)\n"
                               "    w = max(0, min(box_a[3], box_b[3]) - max(box_a[1], box_b[1]) + 1)\n"
                               "    area = lambda b: (b[2] - b[0] + 1) * (b[3] - b[1] + 1)\n"
                               "    union = area(box_a) + area(box_b) - h * w\n    return h * w / union if union else 0.0\n"},
          {"box-iou-check": 2}, "exclusive"),
    wrong("box-iou-over-first-area", {"box-iou": "def box_iou(box_a, box_b):\n"
                                      "    h = max(0, min(box_a[2], box_b[2]) - max(box_a[0], box_b[0]))\n"
                                      "    w = max(0, min(box_a[3], box_b[3]) - max(box_a[1], box_b[1]))\n"
                                      "    area = (box_a[2] - box_a[0]) * (box_a[3] - box_a[1])\n"
                                      "    return h * w / area if area else 0.0\n"},
          {"box-iou-check": 2}, "divide by the union"),
    wrong("box-iou-empty-union-divides", {"box-iou": "def box_iou(box_a, box_b):\n"
                                          "    h = max(0, min(box_a[2], box_b[2]) - max(box_a[0], box_b[0]))\n"
                                          "    w = max(0, min(box_a[3], box_b[3]) - max(box_a[1], box_b[1]))\n"
                                          "    area = lambda b: (b[2] - b[0]) * (b[3] - b[1])\n"
                                          "    return h * w / (area(box_a) + area(box_b) - h * w)\n"},
          {"box-iou-check": 2}, "union is 0"),
    wrong("box-iou-union-counts-overlap-twice", {"box-iou": "def box_iou(box_a, box_b):\n"
                                                 "    h = max(0, min(box_a[2], box_b[2]) - max(box_a[0], box_b[0]))\n"
                                                 "    w = max(0, min(box_a[3], box_b[3]) - max(box_a[1], box_b[1]))\n"
                                                 "    area = lambda b: (b[2] - b[0]) * (b[3] - b[1])\n"
                                                 "    union = area(box_a) + area(box_b)\n    return h * w / union if union else 0.0\n"},
          {"box-iou-check": 2}, "overlap once"),
]
