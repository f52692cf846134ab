"""Given code for the object-detection lab: the scene data sets with one box and class per
digit, their COCO-style export, pictures of boxes with labels and scores, cropping boxes
out of an image, and a cross-check of mAP with pycocotools' ``COCOeval``.

Boxes are ``(top, left, bottom, right)`` in pixels, bottom and right exclusive (like a
Python slice), float arrays of shape ``(N, 4)``.  COCO writes a box as
``[x, y, width, height]`` = ``[left, top, right - left, bottom - top]``; the export below
converts.  Classes are the digits 0-9.

Nothing here computes an IoU, suppresses boxes, decodes a detector's output or computes
an average precision from scratch: the lab's students write those.  ``coco_map`` only
hands boxes to pycocotools, an independent implementation, to check theirs against.
"""
import contextlib
import io
from dataclasses import dataclass

import numpy as np

from .plotting import pyplot

NUM_CLASSES = 10
CLASS_NAMES = tuple(str(d) for d in range(NUM_CLASSES))
SPLITS = ("train", "validation", "test")
# matplotlib's "tab10" colours, one per digit (the segmentation lab's palette, less background).
COLOURS = np.array([
    (0.12, 0.47, 0.71), (1.00, 0.50, 0.05), (0.17, 0.63, 0.17), (0.84, 0.15, 0.16), (0.58, 0.40, 0.74),
    (0.55, 0.34, 0.29), (0.89, 0.47, 0.76), (0.50, 0.50, 0.50), (0.74, 0.74, 0.13), (0.09, 0.75, 0.81),
], dtype=np.float32)


@dataclass
class DetectionSet:
    """Scenes (float32 ``(N, H, W)`` in [0, 1]) with, per scene, its digits' boxes
    (float32 ``(digits, 4)``) and classes (int64 ``(digits,)``)."""
    scenes: np.ndarray
    boxes: list
    classes: list

    def __len__(self):
        return len(self.scenes)

    def __getitem__(self, index):
        """A slice of the set (``data[:100]``), or one scene's ``(scene, boxes, classes)``."""
        if isinstance(index, slice):
            return DetectionSet(self.scenes[index], self.boxes[index], self.classes[index])
        return self.scenes[index], self.boxes[index], self.classes[index]

    @property
    def digit_count(self):
        return int(sum(len(c) for c in self.classes))


def make_detection_sets(mnist, counts, *, size=64, digits_per_scene=(1, 3), scale=(0.8, 1.2), max_overlap=0.25,
                        validation_digits=10_000, seed=0):
    """Return ``{split: DetectionSet}`` for ``counts = {"train": n, "validation": n, "test": n}``,
    from ``mnist = ((x_train, y_train), (x_test, y_test))``.

    As in the segmentation lab, MNIST's training digits are shuffled once (seeded) and cut
    into two disjoint pools, ``validation_digits`` of them for the validation scenes and
    the rest for the training scenes; test scenes use only MNIST's test digits.  So no
    digit appears in two splits, and no test digit is seen in training.
    """
    if set(counts) != set(SPLITS):
        raise ValueError(f"counts must name exactly the splits {SPLITS}, got {sorted(counts)}")
    for split, count in counts.items():
        if not isinstance(count, (int, np.integer)) or isinstance(count, bool) or count < 1:
            raise ValueError(f"counts[{split!r}] must be a positive integer, got {count!r}")
    try:
        (x_train, y_train), (x_test, y_test) = mnist
    except (TypeError, ValueError):
        raise ValueError("mnist must be ((x_train, y_train), (x_test, y_test)), as data.load_mnist() returns") from None
    if not 0 < validation_digits < len(x_train):
        raise ValueError(f"validation_digits must be between 1 and {len(x_train) - 1}, got {validation_digits}")
    from .scenes import digit_scenes_with_boxes

    order = np.random.default_rng(seed).permutation(len(x_train))
    pools = {"train": order[validation_digits:], "validation": order[:validation_digits]}
    sets = {}
    for offset, split in enumerate(SPLITS):
        images, labels = (x_test, y_test) if split == "test" else (x_train[pools[split]], y_train[pools[split]])
        scenes, boxes, classes = digit_scenes_with_boxes(
            images, labels, int(counts[split]), size=size, digits_per_scene=digits_per_scene, scale=scale,
            max_overlap=max_overlap, seed=seed * 10 + offset + 1)
        sets[split] = DetectionSet(scenes, boxes, classes)
    return sets


def _boxes(boxes, name="boxes"):
    array = np.asarray(boxes, dtype=np.float64)
    if array.size == 0:
        return array.reshape(0, 4)
    if array.ndim != 2 or array.shape[1] != 4:
        raise ValueError(f"{name} must be an array of shape (N, 4) holding (top, left, bottom, right), "
                         f"got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must be finite numbers, got NaN or infinity")
    return array


def _per_scene(name, values, count):
    if len(values) != count:
        raise ValueError(f"expected {name} for each of the {count} scenes, got {len(values)}")
    return values


def to_coco(truth_boxes, truth_classes, *, image_size=(64, 64)):
    """The ground truth as a COCO-style dict (``images``, ``annotations``, ``categories``):
    image ids are scene indices, category ids the digits, boxes ``[x, y, width, height]``."""
    _per_scene("classes", truth_classes, len(truth_boxes))
    height, width = (image_size, image_size) if np.isscalar(image_size) else image_size
    images, annotations = [], []
    for image_id, (boxes, classes) in enumerate(zip(truth_boxes, truth_classes)):
        boxes, classes = _boxes(boxes, f"truth_boxes[{image_id}]"), np.asarray(classes).reshape(-1)
        if len(boxes) != len(classes):
            raise ValueError(f"scene {image_id} has {len(boxes)} boxes but {len(classes)} classes")
        images.append({"id": image_id, "height": int(height), "width": int(width), "file_name": f"scene_{image_id}.png"})
        for (top, left, bottom, right), label in zip(boxes, classes):
            w, h = float(right - left), float(bottom - top)
            annotations.append({"id": len(annotations) + 1, "image_id": image_id, "category_id": int(label),
                                "bbox": [float(left), float(top), w, h], "area": w * h, "iscrowd": 0})
    categories = [{"id": c, "name": f"digit {c}", "supercategory": "digit"} for c in range(NUM_CLASSES)]
    return {"images": images, "annotations": annotations, "categories": categories}


def detections_to_coco(boxes, scores, classes):
    """Detections per scene as COCO's result list: ``[{"image_id", "category_id", "bbox",
    "score"}, ...]`` (``bbox`` as ``[x, y, width, height]``)."""
    _per_scene("scores", scores, len(boxes))
    _per_scene("classes", classes, len(boxes))
    results = []
    for image_id, (scene_boxes, scene_scores, scene_classes) in enumerate(zip(boxes, scores, classes)):
        scene_boxes = _boxes(scene_boxes, f"boxes[{image_id}]")
        scene_scores, scene_classes = np.asarray(scene_scores).reshape(-1), np.asarray(scene_classes).reshape(-1)
        if not len(scene_boxes) == len(scene_scores) == len(scene_classes):
            raise ValueError(f"scene {image_id} has {len(scene_boxes)} boxes, {len(scene_scores)} scores and "
                             f"{len(scene_classes)} classes: expected one score and class per box")
        for (top, left, bottom, right), score, label in zip(scene_boxes, scene_scores, scene_classes):
            results.append({"image_id": image_id, "category_id": int(label), "score": float(score),
                            "bbox": [float(left), float(top), float(right - left), float(bottom - top)]})
    return results


def coco_map(truth_boxes, truth_classes, boxes, scores, classes, *, iou_threshold=0.5, image_size=(64, 64),
             curves=False):
    """mAP at ``iou_threshold`` by pycocotools' ``COCOeval`` (all areas, up to 100
    detections per scene), and its AP per class (NaN for a class with no true box).

    Arguments are per scene: the true boxes and classes, and the detections' boxes,
    scores and classes.  Returns ``(mAP, per_class_ap)``, and with ``curves`` also
    pycocotools' precision-recall curves: ``(recall_points, precision)``, the 101 recall
    points and a ``(101, 10)`` array of each class's precision there (NaN for a class
    with no true box).  pycocotools prints its progress; that is swallowed here.
    """
    try:
        from pycocotools.coco import COCO
        from pycocotools.cocoeval import COCOeval
    except ImportError:
        raise ImportError("coco_map needs pycocotools: pip install pycocotools") from None
    if not 0 < iou_threshold < 1:
        raise ValueError(f"iou_threshold must be between 0 and 1, got {iou_threshold!r}")
    _per_scene("detections", boxes, len(truth_boxes))
    truth = to_coco(truth_boxes, truth_classes, image_size=image_size)
    results = detections_to_coco(boxes, scores, classes)
    per_class = np.full(NUM_CLASSES, np.nan)
    recall_points = np.linspace(0, 1, 101)
    curve = np.full((len(recall_points), NUM_CLASSES), np.nan)
    if not results:
        present = sorted({a["category_id"] for a in truth["annotations"]})
        per_class[present] = 0.0
        curve[:, present] = 0.0
        score = 0.0 if present else float("nan")
        return (score, per_class, (recall_points, curve)) if curves else (score, per_class)
    with contextlib.redirect_stdout(io.StringIO()):
        ground_truth = COCO()
        ground_truth.dataset = truth
        ground_truth.createIndex()
        detected = ground_truth.loadRes(results)
        evaluation = COCOeval(ground_truth, detected, iouType="bbox")
        evaluation.params.iouThrs = np.array([float(iou_threshold)])
        evaluation.params.areaRng = [[0, 1e10]]
        evaluation.params.areaRngLbl = ["all"]
        evaluation.evaluate()
        evaluation.accumulate()
    # precision: (iou thresholds, 101 recall points, classes, areas, max detections)
    precision = evaluation.eval["precision"][0, :, :, 0, -1]
    for column, category in enumerate(evaluation.params.catIds):
        values = precision[:, column]
        if not np.all(values == -1):
            per_class[category] = float(np.mean(np.maximum(values, 0)))
            curve[:, category] = np.maximum(values, 0)
    score = float(np.nanmean(per_class)) if not np.all(np.isnan(per_class)) else float("nan")
    return (score, per_class, (recall_points, curve)) if curves else (score, per_class)


def crop_and_resize(image, boxes, size=28):
    """Cut each box out of a 2-D image and resize it to ``size`` x ``size`` (bilinear,
    pixel centres aligned); return float32 ``(N, size, size)``.  Parts of a box outside
    the image read as 0."""
    image = np.asarray(image, dtype=np.float32)
    if image.ndim != 2:
        raise ValueError(f"expected one 2-D image (H, W), got shape {image.shape}")
    boxes = _boxes(boxes)
    if not isinstance(size, (int, np.integer)) or size < 1:
        raise ValueError(f"size must be a positive integer, got {size!r}")
    if len(boxes) == 0:
        return np.zeros((0, size, size), np.float32)
    height, width = image.shape
    padded = np.pad(image, 1)  # reads outside the image hit zeros
    # Sample points: pixel centres of the output, mapped into each box.
    steps = (np.arange(size) + 0.5) / size
    rows = boxes[:, :1] + steps[None] * (boxes[:, 2:3] - boxes[:, :1]) - 0.5  # (N, size)
    cols = boxes[:, 1:2] + steps[None] * (boxes[:, 3:4] - boxes[:, 1:2]) - 0.5
    rows, cols = np.clip(rows, -1, height), np.clip(cols, -1, width)
    r0, c0 = np.floor(rows).astype(int), np.floor(cols).astype(int)
    fr, fc = (rows - r0)[:, :, None], (cols - c0)[:, None, :]
    r0, c0 = r0 + 1, c0 + 1  # into the padded image
    r1, c1 = np.minimum(r0 + 1, height + 1), np.minimum(c0 + 1, width + 1)

    def at(r, c):  # (N, size) rows and (N, size) columns -> (N, size, size) values
        return padded[r[:, :, None], c[:, None, :]]

    top = at(r0, c0) * (1 - fc) + at(r0, c1) * fc
    bottom = at(r1, c0) * (1 - fc) + at(r1, c1) * fc
    return (top * (1 - fr) + bottom * fr).astype(np.float32)


def draw_boxes(ax, boxes, classes=None, scores=None, *, colour=None, linestyle="-", linewidth=1.5, fontsize=7):
    """Outline boxes on an image axis, each labelled with its class (and score): one
    colour per class, or ``colour`` for all."""
    boxes = _boxes(boxes)
    classes = None if classes is None else np.asarray(classes).reshape(-1)
    scores = None if scores is None else np.asarray(scores, dtype=float).reshape(-1)
    for name, values in (("classes", classes), ("scores", scores)):
        if values is not None and len(values) != len(boxes):
            raise ValueError(f"got {len(boxes)} boxes but {len(values)} {name}")
    plt = pyplot()
    for index, (top, left, bottom, right) in enumerate(boxes):
        label = None if classes is None else int(classes[index])
        edge = colour if colour is not None else (COLOURS[label] if label is not None else "lime")
        ax.add_patch(plt.Rectangle((left - 0.5, top - 0.5), right - left, bottom - top, fill=False,
                                   edgecolor=edge, linewidth=linewidth, linestyle=linestyle))
        text = "" if label is None else CLASS_NAMES[label]
        if scores is not None:
            text = f"{text} {scores[index]:.2f}".strip()
        if text:
            ax.text(left - 0.5, top - 1, text, color="white", fontsize=fontsize, va="bottom",
                    bbox=dict(facecolor=edge, edgecolor="none", pad=0.8, alpha=0.85))
    return ax


def show_detections(scenes, detections=None, truths=None, *, titles=None, columns=4, size=2.6):
    """Scenes with their detections (per scene ``(boxes, scores, classes)``, solid, with
    labels and scores) and true boxes (per scene ``(boxes, classes)``, dashed white);
    return the figure."""
    scenes = np.asarray(scenes)
    if scenes.ndim == 4 and scenes.shape[-1] == 1:
        scenes = scenes[..., 0]
    if scenes.ndim != 3:
        raise ValueError(f"expected scenes of shape (N, H, W) or (N, H, W, 1), got {scenes.shape}")
    for name, values in (("detections", detections), ("truths", truths), ("titles", titles)):
        if values is not None and len(values) != len(scenes):
            raise ValueError(f"got {len(scenes)} scenes but {len(values)} {name}")
    plt = pyplot()
    rows = -(-len(scenes) // columns)
    figure, axes = plt.subplots(rows, columns, figsize=(size * columns, size * rows + 0.3), squeeze=False)
    for axis in axes.ravel():
        axis.axis("off")
    for index, scene in enumerate(scenes):
        axis = axes.ravel()[index]
        axis.imshow(scene, cmap="gray", vmin=0, vmax=1)
        if truths is not None:
            draw_boxes(axis, truths[index][0], colour="white", linestyle="--", linewidth=1.0)
        if detections is not None:
            boxes, scores, classes = detections[index]
            draw_boxes(axis, boxes, classes, scores)
        if titles is not None:
            axis.set_title(titles[index], fontsize=8)
    figure.tight_layout()
    return figure


def _raw_detections(boxes, scores, classes):
    boxes = _boxes(boxes)
    scores, classes = np.asarray(scores, dtype=float).reshape(-1), np.asarray(classes).reshape(-1)
    if not len(boxes) == len(scores) == len(classes):
        raise ValueError(f"expected one score and one class per box, got {len(boxes)} boxes, {len(scores)} "
                         f"scores and {len(classes)} classes")
    return boxes, scores, classes


def filter_and_suppress(nms, boxes, scores, classes, score_threshold, iou_threshold):
    """Keep the detections scoring at least ``score_threshold``, then run the student's
    ``nms(boxes, scores, classes, iou_threshold)`` (which returns the indices to keep) on
    them; return the kept ``(boxes, scores, classes)``."""
    boxes, scores, classes = _raw_detections(boxes, scores, classes)
    confident = np.flatnonzero(scores >= score_threshold)
    if len(confident) == 0:
        return boxes[:0], scores[:0], classes[:0]
    kept = confident[np.asarray(nms(boxes[confident], scores[confident], classes[confident], iou_threshold),
                                dtype=int).reshape(-1)]
    return boxes[kept], scores[kept], classes[kept]


def draw_thresholds(scene, boxes, scores, classes, kept, truth=None, *, score_threshold, iou_threshold):
    """The explorer's picture: all candidates faint on the left, the kept ones on the right."""
    plt = pyplot()
    figure, (left, right) = plt.subplots(1, 2, figsize=(8, 4.2))
    for axis in (left, right):
        axis.imshow(np.asarray(scene).squeeze(), cmap="gray", vmin=0, vmax=1)
        axis.axis("off")
        if truth is not None:
            draw_boxes(axis, truth[0], colour="white", linestyle="--", linewidth=1.0)
    confident = scores >= score_threshold
    draw_boxes(left, boxes[confident], classes[confident], linewidth=0.6, fontsize=0.01)
    left.set_title(f"{int(confident.sum())} candidates scoring >= {score_threshold:.2f}", fontsize=9)
    draw_boxes(right, *kept[:1], kept[2], kept[1])
    right.set_title(f"{len(kept[0])} kept after NMS at IoU {iou_threshold:.2f}", fontsize=9)
    figure.tight_layout()
    return figure


def detection_explorer(nms, scene, boxes, scores, classes, truth=None, *, score_threshold=0.5, iou_threshold=0.5,
                       live=None):
    """Explore a score threshold and an NMS IoU threshold on one scene's candidate
    detections (``boxes``, ``scores``, ``classes``, before any suppression), using the
    student's ``nms``.  ``truth`` = ``(boxes, classes)`` draws the true boxes dashed.

    With a live front end (``runtime.live_frontend()``, or ``live`` given) this shows two
    sliders; otherwise one static figure at the given thresholds.
    """
    from . import runtime

    if not callable(nms):
        raise TypeError(f"detection_explorer needs your nms function, e.g. detection_explorer(nms, ...); "
                        f"got {type(nms).__name__}")
    boxes, scores, classes = _raw_detections(boxes, scores, classes)
    for name, value in (("score_threshold", score_threshold), ("iou_threshold", iou_threshold)):
        if not 0 <= value <= 1:
            raise ValueError(f"{name} must be in [0, 1], got {value!r}")
    if live is None:
        live = runtime.live_frontend()

    def picture(score, iou):
        kept = filter_and_suppress(nms, boxes, scores, classes, score, iou)
        return draw_thresholds(scene, boxes, scores, classes, kept, truth, score_threshold=score, iou_threshold=iou)

    plt = pyplot()
    if not live:
        print(f"No live widget front end here, so this is a static picture at score threshold {score_threshold:.2f} "
              f"and NMS IoU threshold {iou_threshold:.2f}. Open the lab in JupyterLab to explore.")
        picture(score_threshold, iou_threshold)
        plt.show()
        return None
    import ipywidgets as w
    from IPython.display import display

    style = {"description_width": "initial"}
    score_slider = w.FloatSlider(value=score_threshold, min=0.0, max=1.0, step=0.05, description="score threshold",
                                 style=style, continuous_update=False)
    iou_slider = w.FloatSlider(value=iou_threshold, min=0.05, max=1.0, step=0.05, description="NMS IoU threshold",
                               style=style, continuous_update=False)
    output = w.Output()

    def update(_change=None):
        output.clear_output(wait=True)
        with output:
            figure = picture(score_slider.value, iou_slider.value)
            display(figure)
            plt.close(figure)

    score_slider.observe(update, names="value")
    iou_slider.observe(update, names="value")
    update()
    box = w.VBox([w.HBox([score_slider, iou_slider]), output])
    display(box)
    return box
