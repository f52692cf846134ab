"""Lab 5's fixture submissions beyond the full solution and the blank lab (15 points)."""
from tests.support.submissions import Submission

LAB5_MEAN_WITH_BACKGROUND = '''def mean_iou(truth, prediction, num_classes):
    return float(np.nanmean(iou_per_class(truth, prediction, num_classes)))
'''
LAB5_IOU_DIVIDING_ZERO_BY_ZERO = '''def iou_per_class(truth, prediction, num_classes):
    truth, prediction = np.asarray(truth), np.asarray(prediction)
    intersection = np.array([np.sum((truth == c) & (prediction == c)) for c in range(num_classes)])
    union = np.array([np.sum((truth == c) | (prediction == c)) for c in range(num_classes)])
    return intersection / union
'''
LAB5_ACCURACY_AS_A_COUNT = '''def pixel_accuracy(truth, prediction):
    return int(np.sum(np.asarray(truth) == np.asarray(prediction)))
'''

SUBMISSIONS = [
    # mIoU averages background in as well (inflated): the 2 points of the mIoU check are lost.
    Submission("background_in_miou", expected=13, edits={"mean-iou": LAB5_MEAN_WITH_BACKGROUND}),
    # IoU computes 0/0 for the classes in neither mask: the values are right (NaN) but NumPy
    # warns, which the IoU check counts as a mistake (2 points lost).  The mIoU check judges
    # mean_iou with a reference iou_per_class in place, so it loses nothing.
    Submission("iou_zero_by_zero", expected=13, edits={"iou-per-class": LAB5_IOU_DIVIDING_ZERO_BY_ZERO}),
    # A wrong pixel accuracy whose visible check was replaced by `pass`: nbgrader restores
    # the check (with its hidden tests), so its point is lost all the same.
    Submission("replaced_check", expected=14,
               edits={"pixel-accuracy": LAB5_ACCURACY_AS_A_COUNT, "pixel-accuracy-check": "pass"}),
]

# Students' answers, one exercise at a time (tests/support/answers.py): right ones written
# independently of the solution, and the mistakes the text warns about, each with the
# points it loses and words its message must show.
from tests.support.answers import right, wrong  # noqa: E402

UNET_HEAD = "def build_unet(input_shape=(64, 64, 1), num_classes=NUM_CLASSES, filters=(16, 32, 64), skip=True):\n" \
            "    inputs = keras.Input(shape=input_shape)\n"
SHAPES = {"encoder block 1": (64, 64, 16), "pool 1": (32, 32, 16), "encoder block 2": (32, 32, 32),
          "pool 2": (16, 16, 32), "bottleneck": (16, 16, 64), "up 2": (32, 32, 32), "concat 2": (32, 32, 64),
          "decoder block 2": (32, 32, 32), "up 1": (64, 64, 16), "concat 1": (64, 64, 32),
          "decoder block 1": (64, 64, 16), "output": (64, 64, 11)}


# The shapes cell's given start: the dictionary to fill in.
SHAPES_GIVEN = "unet_shapes = {\"input\": (64, 64, 1), " + ", ".join(f"{name!r}: None" for name in SHAPES) + "}\n"


def shapes_with(**changes):
    """The shapes cell with some entries changed (keys with _ for spaces)."""
    shapes = dict(SHAPES, **{key.replace("_", " "): value for key, value in changes.items()})
    return SHAPES_GIVEN + f"unet_shapes.update({shapes!r})\n"


ANSWERS = [
    # Exercise 1: one-hot masks
    right("one-hot-compare-arange", {"one-hot": "def one_hot(mask, num_classes):\n"
                                     "    return (np.asarray(mask)[..., None] == np.arange(num_classes)).astype(np.float32)\n"}),
    right("one-hot-keras-to-categorical", {"one-hot": "def one_hot(mask, num_classes):\n"
                                           "    return keras.utils.to_categorical(mask, num_classes).astype('float32')\n"}),
    right("one-hot-loop", {"one-hot": "def one_hot(mask, num_classes):\n    mask = np.asarray(mask)\n"
                           "    out = np.zeros(mask.shape + (num_classes,), dtype=np.float32)\n"
                           "    for c in range(num_classes):\n        out[..., c] = mask == c\n    return out\n"}),
    wrong("one-hot-off-by-one", {"one-hot": "def one_hot(mask, num_classes):\n"
                                 "    return np.eye(num_classes, dtype=np.float32)[np.asarray(mask) - 1]\n"},
          {"one-hot-check": 1}, "position 3"),
    wrong("one-hot-float64", {"one-hot": "def one_hot(mask, num_classes):\n    return np.eye(num_classes)[mask]\n"},
          {"one-hot-check": 1}, "float32"),
    wrong("one-hot-fixed-num-classes", {"one-hot": "def one_hot(mask, num_classes):\n"
                                        "    return np.eye(NUM_CLASSES, dtype=np.float32)[mask]\n"},
          {"one-hot-check": 1}, "num_classes argument"),
    wrong("one-hot-classes-first", {"one-hot": "def one_hot(mask, num_classes):\n"
                                    "    return np.moveaxis(np.eye(num_classes, dtype=np.float32)[mask], -1, 0)\n"},
          {"one-hot-check": 1}, "last axis"),

    # Exercise 2: the per-pixel loss
    right("pixel-loss-take-along-axis", {"pixel-loss": "def pixel_cross_entropy(masks, probabilities):\n"
                                         "    picked = np.take_along_axis(np.asarray(probabilities), np.asarray(masks)[..., None], axis=-1)\n"
                                         "    return float(-np.log(picked).mean())\n"}),
    right("pixel-loss-flat-index", {"pixel-loss": "def pixel_cross_entropy(masks, probabilities):\n"
                                    "    probabilities = np.asarray(probabilities)\n"
                                    "    flat = probabilities.reshape(-1, probabilities.shape[-1])\n"
                                    "    labels = np.asarray(masks).ravel()\n"
                                    "    return -np.mean(np.log(flat[np.arange(labels.size), labels]))\n"}),
    right("pixel-loss-keras", {"pixel-loss": "def pixel_cross_entropy(masks, probabilities):\n"
                               "    losses = keras.losses.sparse_categorical_crossentropy(np.asarray(masks), np.asarray(probabilities))\n"
                               "    return float(np.mean(keras.ops.convert_to_numpy(losses)))\n"}),
    wrong("pixel-loss-sum", {"pixel-loss": "def pixel_cross_entropy(masks, probabilities):\n"
                             "    picked = np.take_along_axis(np.asarray(probabilities), np.asarray(masks)[..., None], axis=-1)\n"
                             "    return float(-np.log(picked).sum())\n"},
          {"pixel-loss-check": 2}, "sum over the pixels"),
    wrong("pixel-loss-largest-probability", {"pixel-loss": "def pixel_cross_entropy(masks, probabilities):\n"
                                             "    return float(-np.mean(np.log(np.max(probabilities, axis=-1))))\n"},
          {"pixel-loss-check": 2}, "TRUE class"),
    wrong("pixel-loss-log10", {"pixel-loss": "def pixel_cross_entropy(masks, probabilities):\n"
                               "    picked = np.take_along_axis(np.asarray(probabilities), np.asarray(masks)[..., None], axis=-1)\n"
                               "    return float(-np.log10(picked).mean())\n"},
          {"pixel-loss-check": 2}, "natural log"),
    wrong("pixel-loss-mean-over-classes-too", {"pixel-loss": "def pixel_cross_entropy(masks, probabilities):\n"
                                               "    probabilities = np.asarray(probabilities)\n"
                                               "    return float(-np.mean(one_hot(masks, probabilities.shape[-1]) * np.log(probabilities)))\n"},
          {"pixel-loss-check": 2}, "wrong value"),

    # Exercise 3: the shapes
    right("shapes-lists", {"shapes": SHAPES_GIVEN + "unet_shapes.update({name: list(shape) for name, shape in "
                                     + repr(SHAPES) + ".items()})\n"}),
    right("shapes-computed", {"shapes": SHAPES_GIVEN + "h, c = 64, 1\nsizes = {}\nfor level, f in enumerate((16, 32), start=1):\n"
                                        "    sizes[f'encoder block {level}'] = (h, h, f)\n    h //= 2\n"
                                        "    sizes[f'pool {level}'] = (h, h, f)\n"
                                        "sizes['bottleneck'] = (h, h, 64)\nc = 64\n"
                                        "for level, f in ((2, 32), (1, 16)):\n    h *= 2\n"
                                        "    sizes[f'up {level}'] = (h, h, f)\n    sizes[f'concat {level}'] = (h, h, 2 * f)\n"
                                        "    sizes[f'decoder block {level}'] = (h, h, f)\n"
                                        "sizes['output'] = (64, 64, NUM_CLASSES)\nunet_shapes.update(sizes)\n"}),
    right("shapes-numpy-ints", {"shapes": SHAPES_GIVEN + "for name, shape in " + repr(SHAPES) + ".items():\n"
                                          "    unet_shapes[name] = tuple(np.array(shape))\n"}),
    wrong("shapes-concat-keeps-channels", {"shapes": shapes_with(concat_2=(32, 32, 32), concat_1=(64, 64, 16))},
          {"shapes-check": 1}, "concatenation adds"),
    wrong("shapes-up-keeps-channels", {"shapes": shapes_with(up_2=(32, 32, 64), concat_2=(32, 32, 96),
                                                             up_1=(64, 64, 32), concat_1=(64, 64, 48))},
          {"shapes-check": 1}, "transposed"),
    wrong("shapes-output-ten-classes", {"shapes": shapes_with(output=(64, 64, 10))},
          {"shapes-check": 1}, "one probability per class"),
    wrong("shapes-pool-halves-channels", {"shapes": shapes_with(pool_1=(32, 32, 8), pool_2=(16, 16, 16))},
          {"shapes-check": 1}, "keeps the channels"),

    # Exercise 4: build the U-Net
    right("build-unet-concatenate-function", {"build-unet": UNET_HEAD +
        "    x, skips = inputs, []\n    for f in filters[:-1]:\n        x = conv_block(x, f)\n        skips.append(x)\n"
        "        x = layers.MaxPool2D(pool_size=2)(x)\n    x = conv_block(x, filters[-1])\n"
        "    for i in range(len(filters) - 2, -1, -1):\n"
        "        x = layers.Conv2DTranspose(filters[i], kernel_size=2, strides=2)(x)\n"
        "        if skip:\n            x = layers.concatenate([x, skips[i]])\n        x = conv_block(x, filters[i])\n"
        "    outputs = layers.Conv2D(num_classes, 1, activation='softmax', dtype='float32')(x)\n"
        "    return keras.Model(inputs, outputs)\n"}),
    right("build-unet-softmax-layer", {"build-unet": UNET_HEAD +
        "    x = inputs\n    stack = []\n    for f in filters[:-1]:\n        x = conv_block(x, f)\n        stack.append((f, x))\n"
        "        x = layers.MaxPooling2D((2, 2))(x)\n    x = conv_block(x, filters[-1])\n"
        "    while stack:\n        f, earlier = stack.pop()\n"
        "        x = layers.Conv2DTranspose(f, (2, 2), strides=(2, 2))(x)\n"
        "        x = layers.Concatenate(axis=-1)([x, earlier]) if skip else x\n        x = conv_block(x, f)\n"
        "    x = layers.Conv2D(num_classes, 1, dtype='float32')(x)\n"
        "    outputs = layers.Softmax(axis=-1, dtype='float32')(x)\n    return keras.Model(inputs, outputs)\n"}),
    right("build-unet-recursive", {"build-unet": UNET_HEAD +
        "    def level(x, fs):\n        if len(fs) == 1:\n            return conv_block(x, fs[0])\n"
        "        kept = conv_block(x, fs[0])\n        x = level(layers.MaxPooling2D(2)(kept), fs[1:])\n"
        "        x = layers.Conv2DTranspose(fs[0], 2, strides=2)(x)\n"
        "        if skip:\n            x = layers.Concatenate()([x, kept])\n        return conv_block(x, fs[0])\n"
        "    outputs = layers.Conv2D(num_classes, 1, activation='softmax', dtype='float32')(level(inputs, list(filters)))\n"
        "    return keras.Model(inputs, outputs)\n"}),
    wrong("build-unet-ignores-skip", {"build-unet": UNET_HEAD +
        "    x, skips = inputs, []\n    for f in filters[:-1]:\n        x = conv_block(x, f)\n        skips.append(x)\n"
        "        x = layers.MaxPooling2D(2)(x)\n    x = conv_block(x, filters[-1])\n"
        "    for f, earlier in zip(filters[-2::-1], skips[::-1]):\n"
        "        x = layers.Conv2DTranspose(f, 2, strides=2)(x)\n        x = layers.Concatenate()([x, earlier])\n"
        "        x = conv_block(x, f)\n"
        "    outputs = layers.Conv2D(num_classes, 1, activation='softmax', dtype='float32')(x)\n"
        "    return keras.Model(inputs, outputs)\n"},
          {"build-unet-check": 3}, "skip=False"),
    wrong("build-unet-two-levels-only", {"build-unet": UNET_HEAD +
        "    e1 = conv_block(inputs, filters[0])\n    e2 = conv_block(layers.MaxPooling2D(2)(e1), filters[1])\n"
        "    b = conv_block(layers.MaxPooling2D(2)(e2), filters[-1])\n"
        "    u2 = layers.Conv2DTranspose(filters[1], 2, strides=2)(b)\n"
        "    d2 = conv_block(layers.Concatenate()([u2, e2]) if skip else u2, filters[1])\n"
        "    u1 = layers.Conv2DTranspose(filters[0], 2, strides=2)(d2)\n"
        "    d1 = conv_block(layers.Concatenate()([u1, e1]) if skip else u1, filters[0])\n"
        "    outputs = layers.Conv2D(num_classes, 1, activation='softmax', dtype='float32')(d1)\n"
        "    return keras.Model(inputs, outputs)\n"},
          {"build-unet-check": 3}, "any number of levels"),
    wrong("build-unet-decoder-bottleneck-filters", {"build-unet": UNET_HEAD +
        "    x, skips = inputs, []\n    for f in filters[:-1]:\n        x = conv_block(x, f)\n        skips.append(x)\n"
        "        x = layers.MaxPooling2D(2)(x)\n    x = conv_block(x, filters[-1])\n"
        "    for f, earlier in zip(filters[-2::-1], skips[::-1]):\n"
        "        x = layers.Conv2DTranspose(filters[-1], 2, strides=2)(x)\n"
        "        if skip:\n            x = layers.Concatenate()([x, earlier])\n        x = conv_block(x, f)\n"
        "    outputs = layers.Conv2D(num_classes, 1, activation='softmax', dtype='float32')(x)\n"
        "    return keras.Model(inputs, outputs)\n"},
          {"build-unet-check": 3}, "filter count"),
    wrong("build-unet-no-float32-output", {"build-unet": UNET_HEAD +
        "    x, skips = inputs, []\n    for f in filters[:-1]:\n        x = conv_block(x, f)\n        skips.append(x)\n"
        "        x = layers.MaxPooling2D(2)(x)\n    x = conv_block(x, filters[-1])\n"
        "    for f, earlier in zip(filters[-2::-1], skips[::-1]):\n"
        "        x = layers.Conv2DTranspose(f, 2, strides=2)(x)\n"
        "        if skip:\n            x = layers.Concatenate()([x, earlier])\n        x = conv_block(x, f)\n"
        "    outputs = layers.Conv2D(num_classes, 1, activation='softmax')(x)\n"
        "    return keras.Model(inputs, outputs)\n"},
          {"build-unet-check": 3}, 'dtype="float32"'),

    # Exercise 5: from probabilities to a mask
    right("to-mask-last-axis-by-ndim", {"to-mask": "def to_mask(probabilities):\n    p = np.asarray(probabilities)\n"
                                        "    return p.argmax(axis=p.ndim - 1)\n"}),
    right("to-mask-keras-argmax", {"to-mask": "def to_mask(probabilities):\n"
                                   "    return keras.ops.convert_to_numpy(keras.ops.argmax(probabilities, axis=-1))\n"}),
    right("to-mask-uint8", {"to-mask": "def to_mask(probabilities):\n"
                            "    return np.argmax(probabilities, -1).astype(np.uint8)\n"}),
    wrong("to-mask-axis-1", {"to-mask": "def to_mask(probabilities):\n    return np.argmax(probabilities, axis=1)\n"},
          {"to-mask-check": 1}, "last axis"),
    wrong("to-mask-axis-3", {"to-mask": "def to_mask(probabilities):\n    return np.argmax(probabilities, axis=3)\n"},
          {"to-mask-check": 1}, "axis"),
    wrong("to-mask-argmin", {"to-mask": "def to_mask(probabilities):\n    return np.argmin(probabilities, axis=-1)\n"},
          {"to-mask-check": 1}, "values differ"),

    # Exercise 6: pixel accuracy
    right("pixel-accuracy-count-nonzero", {"pixel-accuracy": "def pixel_accuracy(truth, prediction):\n"
                                           "    truth = np.asarray(truth)\n"
                                           "    return np.count_nonzero(truth == np.asarray(prediction)) / truth.size\n"}),
    right("pixel-accuracy-mean", {"pixel-accuracy": "def pixel_accuracy(truth, prediction):\n"
                                  "    return (np.asarray(truth) == np.asarray(prediction)).mean()\n"}),
    right("pixel-accuracy-prod-shape", {"pixel-accuracy": "def pixel_accuracy(truth, prediction):\n"
                                        "    same = np.equal(truth, prediction)\n"
                                        "    return float(same.sum()) / float(np.prod(same.shape))\n"}),
    wrong("pixel-accuracy-count", {"pixel-accuracy": "def pixel_accuracy(truth, prediction):\n"
                                   "    return int(np.sum(np.asarray(truth) == np.asarray(prediction)))\n"},
          {"pixel-accuracy-check": 1}, "number of right pixels"),
    wrong("pixel-accuracy-wrong-share", {"pixel-accuracy": "def pixel_accuracy(truth, prediction):\n"
                                         "    return float(np.mean(np.asarray(truth) != np.asarray(prediction)))\n"},
          {"pixel-accuracy-check": 1}, "share of wrong"),
    wrong("pixel-accuracy-two-axes-only", {"pixel-accuracy": "def pixel_accuracy(truth, prediction):\n"
                                           "    truth = np.asarray(truth)\n"
                                           "    return np.sum(truth == prediction) / (truth.shape[0] * truth.shape[1])\n"},
          {"pixel-accuracy-check": 1}, "total number of pixels"),

    # Exercise 7: IoU per class
    right("iou-per-class-bincount", {"iou-per-class": "def iou_per_class(truth, prediction, num_classes):\n"
        "    t, p = np.ravel(truth).astype(int), np.ravel(prediction).astype(int)\n"
        "    matrix = np.bincount(t * num_classes + p, minlength=num_classes ** 2).reshape(num_classes, num_classes)\n"
        "    intersection = np.diag(matrix)\n    union = matrix.sum(0) + matrix.sum(1) - intersection\n"
        "    return np.where(union > 0, intersection / np.maximum(union, 1), np.nan)\n"}),
    right("iou-per-class-divide-where", {"iou-per-class": "def iou_per_class(truth, prediction, num_classes):\n"
        "    truth, prediction = np.asarray(truth), np.asarray(prediction)\n"
        "    classes = np.arange(num_classes).reshape((-1,) + (1,) * truth.ndim)\n"
        "    t, p = truth == classes, prediction == classes\n"
        "    axes = tuple(range(1, truth.ndim + 1))\n"
        "    inter, union = (t & p).sum(axis=axes), (t | p).sum(axis=axes)\n"
        "    out = np.full(num_classes, np.nan)\n"
        "    np.divide(inter, union, out=out, where=union > 0)\n    return out\n"}),
    right("iou-per-class-errstate-ignore", {"iou-per-class": "def iou_per_class(truth, prediction, num_classes):\n"
        "    ious = []\n    for c in range(num_classes):\n"
        "        t, p = np.asarray(truth) == c, np.asarray(prediction) == c\n"
        "        with np.errstate(invalid='ignore', divide='ignore'):\n"
        "            ious.append(np.float64(np.logical_and(t, p).sum()) / np.logical_or(t, p).sum())\n"
        "    return np.array(ious)\n"}),
    wrong("iou-per-class-absent-is-zero", {"iou-per-class": "def iou_per_class(truth, prediction, num_classes):\n"
        "    out = np.zeros(num_classes)\n    for c in range(num_classes):\n"
        "        t, p = np.asarray(truth) == c, np.asarray(prediction) == c\n"
        "        if (t | p).any():\n            out[c] = (t & p).sum() / (t | p).sum()\n    return out\n"},
          {"iou-per-class-check": 2}, "use np.nan"),
    wrong("iou-per-class-recall", {"iou-per-class": "def iou_per_class(truth, prediction, num_classes):\n"
        "    out = np.full(num_classes, np.nan)\n    for c in range(num_classes):\n"
        "        t, p = np.asarray(truth) == c, np.asarray(prediction) == c\n"
        "        if t.any():\n            out[c] = (t & p).sum() / t.sum()\n    return out\n"},
          {"iou-per-class-check": 2}, "recall"),
    wrong("iou-per-class-zero-by-zero", {"iou-per-class": "def iou_per_class(truth, prediction, num_classes):\n"
        "    truth, prediction = np.asarray(truth), np.asarray(prediction)\n"
        "    return np.array([np.sum((truth == c) & (prediction == c)) / np.sum((truth == c) | (prediction == c))\n"
        "                     for c in range(num_classes)])\n"},
          {"iou-per-class-check": 2}, "check the union before dividing"),
    wrong("iou-per-class-scene-by-scene", {"iou-per-class": "def single(truth, prediction, num_classes):\n"
        "    out = np.full(num_classes, np.nan)\n    for c in range(num_classes):\n"
        "        t, p = truth == c, prediction == c\n"
        "        if (t | p).any():\n            out[c] = (t & p).sum() / (t | p).sum()\n    return out\n\n"
        "def iou_per_class(truth, prediction, num_classes):\n"
        "    truth, prediction = np.asarray(truth), np.asarray(prediction)\n"
        "    if truth.ndim == 2:\n        return single(truth, prediction, num_classes)\n"
        "    return np.nanmean([single(t, p, num_classes) for t, p in zip(truth, prediction)], axis=0)\n"},
          {"iou-per-class-check": 2}, "not scene by scene"),

    # Exercise 8: mean IoU over the digits
    right("mean-iou-mask-nan", {"mean-iou": "def mean_iou(truth, prediction, num_classes):\n"
                                "    digits = iou_per_class(truth, prediction, num_classes)[1:]\n"
                                "    return float(digits[~np.isnan(digits)].mean())\n"}),
    right("mean-iou-list", {"mean-iou": "def mean_iou(truth, prediction, num_classes):\n"
                            "    ious = iou_per_class(truth, prediction, num_classes)\n"
                            "    return np.mean([ious[c] for c in range(1, num_classes) if not np.isnan(ious[c])])\n"}),
    right("mean-iou-own-loop", {"mean-iou": "def mean_iou(truth, prediction, num_classes):\n"
                                "    truth, prediction = np.asarray(truth), np.asarray(prediction)\n    scores = []\n"
                                "    for c in range(1, num_classes):\n"
                                "        union = np.sum((truth == c) | (prediction == c))\n"
                                "        if union:\n            scores.append(np.sum((truth == c) & (prediction == c)) / union)\n"
                                "    return sum(scores) / len(scores)\n"}),
    wrong("mean-iou-with-background", {"mean-iou": "def mean_iou(truth, prediction, num_classes):\n"
                                       "    return float(np.nanmean(iou_per_class(truth, prediction, num_classes)))\n"},
          {"mean-iou-check": 2}, "background"),
    wrong("mean-iou-plain-mean", {"mean-iou": "def mean_iou(truth, prediction, num_classes):\n"
                                  "    return float(np.mean(iou_per_class(truth, prediction, num_classes)[1:]))\n"},
          {"mean-iou-check": 2}, "nanmean"),
    wrong("mean-iou-average-of-scenes", {"mean-iou": "def mean_iou(truth, prediction, num_classes):\n"
                                         "    truth, prediction = np.asarray(truth), np.asarray(prediction)\n"
                                         "    if truth.ndim == 2:\n"
                                         "        return float(np.nanmean(iou_per_class(truth, prediction, num_classes)[1:]))\n"
                                         "    return float(np.mean([mean_iou(t, p, num_classes) for t, p in zip(truth, prediction)]))\n"},
          {"mean-iou-check": 2}, "single scenes"),
    wrong("mean-iou-truth-classes-only", {"mean-iou": "def mean_iou(truth, prediction, num_classes):\n"
                                          "    ious = iou_per_class(truth, prediction, num_classes)\n"
                                          "    present = [c for c in range(1, num_classes) if np.any(np.asarray(truth) == c)]\n"
                                          "    return float(np.mean(ious[present]))\n"},
          {"mean-iou-check": 2}, "false alarm"),
]
