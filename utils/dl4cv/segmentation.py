"""Given code for the segmentation lab: the scene data sets, a fixed colour palette with
its legend, and the pictures (scenes with their masks, error maps, per-class IoU bars).

Masks hold one class per pixel: 0 = background, 1 + d = the digit d (see
``dl4cv.scenes``).  Nothing here computes a segmentation metric: the labs' students
write those.
"""
import numpy as np

from .plotting import pyplot
from .scenes import NUM_SEGMENT_CLASSES

CLASS_NAMES = ("background",) + tuple(f"digit {d}" for d in range(10))
# Background is black, so ink stands out; the digits take matplotlib's "tab10" colours,
# which stay distinct from one another (RGB in [0, 1]).
PALETTE = np.array([
    (0.00, 0.00, 0.00),
    (0.12, 0.47, 0.71), (1.00, 0.50, 0.05), (0.17, 0.63, 0.17), (0.84, 0.15, 0.16),
    (0.58, 0.40, 0.74), (0.55, 0.34, 0.29), (0.89, 0.47, 0.76), (0.50, 0.50, 0.50),
    (0.74, 0.74, 0.13), (0.09, 0.75, 0.81),
], dtype=np.float32)
SPLITS = ("train", "validation", "test")
WARM_UP = "warm-up"
WARM_UP_SIZE = 32


def _masks(masks, name="mask"):
    array = np.asarray(masks)
    if not np.issubdtype(array.dtype, np.integer):
        raise ValueError(f"a {name} holds integer class ids, got dtype {array.dtype}")
    if array.size and (array.min() < 0 or array.max() >= NUM_SEGMENT_CLASSES):
        raise ValueError(f"a {name} holds class ids 0..{NUM_SEGMENT_CLASSES - 1}, "
                         f"got values from {array.min()} to {array.max()}")
    return array


def make_scene_sets(mnist, counts, *, size=64, validation_digits=10_000, seed=0):
    """Return ``{split: (scenes, masks)}`` for ``counts = {"train": n, "validation": n,
    "test": n}``, from ``mnist = ((x_train, y_train), (x_test, y_test))``.

    The MNIST training digits are shuffled once (seeded) and cut into two disjoint pools:
    ``validation_digits`` of them make the validation scenes, the rest the training
    scenes.  Test scenes use only MNIST's test digits.  So no digit appears in two splits.

    ``counts`` may also ask for ``"warm-up"`` scenes: 32x32 tiles holding one digit each,
    from the training pool, for a first, easier stage of training.
    """
    if not set(SPLITS) <= set(counts) <= set(SPLITS) | {WARM_UP}:
        raise ValueError(f"counts must name exactly the splits {SPLITS} (and optionally {WARM_UP!r}), "
                         f"got {sorted(counts)}")
    for split, count in counts.items():
        if not isinstance(count, (int, np.integer)) or count < 1:
            raise ValueError(f"counts[{split!r}] must be a positive integer, got {count!r}")
    (x_train, y_train), (x_test, y_test) = mnist
    if not 0 < validation_digits < len(x_train):
        raise ValueError(f"validation_digits must be between 1 and {len(x_train) - 1}, "
                         f"got {validation_digits}")
    from .scenes import digit_scenes

    order = np.random.default_rng(seed).permutation(len(x_train))
    pools = {"train": order[validation_digits:], "validation": order[:validation_digits]}
    pools[WARM_UP] = pools["train"]
    shapes = {WARM_UP: dict(size=WARM_UP_SIZE, digits_per_scene=(1, 1))}
    sets = {}
    for offset, split in enumerate((*SPLITS, WARM_UP)):
        if split not in counts:
            continue
        images, labels = (x_test, y_test) if split == "test" else (x_train[pools[split]], y_train[pools[split]])
        # A different seed per split, so the splits' layouts differ too.
        sets[split] = digit_scenes(images, labels, int(counts[split]), **shapes.get(split, dict(size=size)),
                                   seed=seed * 10 + offset + 1)
    return sets


def colorize(mask):
    """The RGB picture of a mask (..., H, W) in the course palette, float32 in [0, 1]."""
    return PALETTE[_masks(mask)]


def add_legend(figure, classes=None):
    """Add the palette's legend (all classes, or the ones listed) below a figure."""
    from matplotlib.patches import Patch

    classes = range(NUM_SEGMENT_CLASSES) if classes is None else sorted(int(c) for c in classes)
    handles = [Patch(facecolor=PALETTE[c], edgecolor="0.6", label=CLASS_NAMES[c]) for c in classes]
    figure.legend(handles=handles, loc="lower center", ncol=min(len(handles), 6), fontsize=8,
                  frameon=False, bbox_to_anchor=(0.5, -0.02))
    return figure


def error_map(truth, prediction):
    """An RGB picture of where a prediction is wrong: red on wrong pixels, and the true
    colours, dimmed, on right ones."""
    truth, prediction = _masks(truth, "true mask"), _masks(prediction, "predicted mask")
    if truth.shape != prediction.shape:
        raise ValueError(f"the masks differ in shape: {truth.shape} and {prediction.shape}")
    picture = 0.5 * colorize(truth)
    picture[truth != prediction] = (1.0, 0.0, 0.0)
    return picture


def show_scenes(scenes, masks, *, columns=6, size=1.8, titles=None):
    """Scenes above their colour-coded masks, with the legend; return the figure."""
    scenes, masks = np.asarray(scenes), _masks(masks)
    if scenes.shape[:3] != masks.shape[:3] or masks.ndim != 3:
        raise ValueError(f"expected scenes (N, H, W[, 1]) and masks (N, H, W) of the same N, H, W; "
                         f"got {scenes.shape} and {masks.shape}")
    count = len(scenes)
    rows = -(-count // columns)
    plt = pyplot()
    figure, axes = plt.subplots(2 * rows, columns, figsize=(size * columns, 2 * size * rows + 0.5),
                                squeeze=False)
    for axis in axes.ravel():
        axis.axis("off")
    for index in range(count):
        row, column = 2 * (index // columns), index % columns
        axes[row, column].imshow(scenes[index].squeeze(), cmap="gray", vmin=0, vmax=1)
        axes[row + 1, column].imshow(colorize(masks[index]), interpolation="nearest")
        if titles is not None:
            axes[row, column].set_title(titles[index], fontsize=8)
    add_legend(figure)
    figure.tight_layout(rect=(0, 0.06, 1, 1))
    return figure


def show_segmentations(scenes, truths, predictions, *, titles=None, size=2.0):
    """One row per scene: the image, the true mask, the predicted mask and the error map
    (wrong pixels in red); return the figure."""
    scenes, truths, predictions = np.asarray(scenes), _masks(truths, "true mask"), _masks(predictions, "predicted mask")
    if truths.ndim != 3 or truths.shape != predictions.shape or scenes.shape[:3] != truths.shape:
        raise ValueError("expected scenes (N, H, W[, 1]) and true and predicted masks (N, H, W) "
                         f"of one shape; got {scenes.shape}, {truths.shape} and {predictions.shape}")
    if titles is not None and len(titles) != len(scenes):
        raise ValueError(f"got {len(scenes)} scenes but {len(titles)} titles")
    plt = pyplot()
    figure, axes = plt.subplots(len(scenes), 4, figsize=(4 * size, size * len(scenes) + 0.6), squeeze=False)
    headings = ("image", "truth", "prediction", "errors (red)")
    for row, (scene, truth, prediction) in enumerate(zip(scenes, truths, predictions)):
        pictures = (scene.squeeze(), colorize(truth), colorize(prediction), error_map(truth, prediction))
        for column, picture in enumerate(pictures):
            axis = axes[row, column]
            axis.imshow(picture, cmap="gray" if column == 0 else None, vmin=0, vmax=1,
                        interpolation="nearest")
            axis.set_xticks([])
            axis.set_yticks([])
            if row == 0:
                axis.set_title(headings[column], fontsize=9)
        if titles is not None:
            axes[row, 0].set_ylabel(titles[row], fontsize=8)
    add_legend(figure)
    figure.tight_layout(rect=(0, 0.05, 1, 1))
    return figure


def plot_class_iou(ious, *, labels=None, mean=None, ax=None, title="IoU per class"):
    """Bars of one IoU per class (NaN = the class is absent; drawn as a gap marked
    "absent"), in the palette's colours, with an optional dashed line at ``mean``.
    ``ious`` may also be a dict ``{name: per-class IoUs}`` to compare models side by side."""
    series = ious if isinstance(ious, dict) else {None: ious}
    series = {name: np.asarray(values, dtype=np.float64) for name, values in series.items()}
    counts = {values.shape for values in series.values()}
    if len(counts) != 1 or len(next(iter(counts))) != 1:
        raise ValueError(f"expected 1-D arrays of one length, one IoU per class; got shapes {sorted(counts)}")
    classes = next(iter(counts))[0]
    labels = list(labels) if labels is not None else [name.replace("digit ", "") for name in CLASS_NAMES[:classes]]
    if len(labels) != classes:
        raise ValueError(f"got {classes} IoUs but {len(labels)} labels")
    plt = pyplot()
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 3))
    width = 0.8 / len(series)
    positions = np.arange(classes)
    for index, (name, values) in enumerate(series.items()):
        offset = (index - (len(series) - 1) / 2) * width
        colours = PALETTE[:classes] if len(series) == 1 else None
        ax.bar(positions + offset, np.nan_to_num(values), width, color=colours, edgecolor="0.3", label=name,
               alpha=1.0 if index == 0 else 0.55)
        for position, value in zip(positions, values):
            if np.isnan(value):
                ax.text(position + offset, 0.02, "absent", rotation=90, ha="center", va="bottom", fontsize=7)
    if mean is not None:
        ax.axhline(mean, color="0.2", linestyle="--", linewidth=1)
        ax.text(classes - 0.5, mean, f" mean {mean:.3f}", va="bottom", ha="right", fontsize=8)
    ax.set_xticks(positions, labels, fontsize=8)
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("IoU")
    ax.set_title(title)
    if len(series) > 1:
        ax.legend(fontsize=8, loc="lower right")
    return ax
