"""Generated datasets built from MNIST digits, deterministic given a seed.

- ``digit_scenes``: canvases holding 1-3 digits at random positions and scales, possibly
  overlapping a little, with a per-pixel label (0 = background, 1 + digit for a digit's ink):
  the segmentation lab's data.  ``digit_scenes_with_boxes`` gives the same scenes with
  each digit's box and class: the detection lab's data.
- ``digit_canvases``: one digit per canvas at a random position, optionally with clutter
  (fragments of other digits), with the digit's true box: the class-activation-map lab's
  data.  The box is for evaluation only.
"""
import numpy as np

BACKGROUND = 0
NUM_SEGMENT_CLASSES = 11  # background + ten digits
INK_THRESHOLD = 0.3  # a pixel whose ink is at least this (in [0, 1]) belongs to its digit


def _check_digits(images, labels):
    images, labels = np.asarray(images), np.asarray(labels)
    if images.ndim != 3 or images.shape[1:] != (28, 28):
        raise ValueError(f"expected MNIST digits of shape (N, 28, 28), got {images.shape}")
    if labels.shape != (len(images),):
        raise ValueError(f"expected {len(images)} labels, got an array of shape {labels.shape}")
    if len(images) == 0:
        raise ValueError("expected at least one digit, got none")
    return images, labels


def _canvas_size(size):
    height, width = (size, size) if np.isscalar(size) else size
    if height < 28 or width < 28:
        raise ValueError(f"the canvas must be at least 28x28 to hold a digit, got {height}x{width}")
    return int(height), int(width)


def _scaled(digit, scale):
    from scipy import ndimage

    ink = digit.astype(np.float32) / 255.0
    if scale == 1.0:
        return ink
    return np.clip(ndimage.zoom(ink, scale, order=1), 0.0, 1.0)


def _ink_box(ink, top, left):
    rows, columns = np.nonzero(ink >= INK_THRESHOLD)
    if len(rows) == 0:
        return top, left, top, left
    return top + rows.min(), left + columns.min(), top + rows.max() + 1, left + columns.max() + 1


def _box_overlap(a, b):
    """Area shared by two boxes, as a share of the smaller one (0 when either is empty)."""
    height = min(a[2], b[2]) - max(a[0], b[0])
    width = min(a[3], b[3]) - max(a[1], b[1])
    smaller = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]))
    if height <= 0 or width <= 0 or smaller == 0:
        return 0.0
    return height * width / smaller


def digit_scenes(images, labels, count, *, size=64, digits_per_scene=(1, 3), scale=(0.8, 1.2),
                 max_overlap=0.25, seed=0):
    """Return ``(scenes, masks)``: float32 ``(count, H, W)`` in [0, 1] and uint8 masks.

    Each scene draws ``digits_per_scene`` digits (inclusive range) from ``images`` with
    replacement, scales each by a factor in ``scale``, and pastes it at a random place; a
    later digit lies on top of an earlier one where they overlap.  Digits may overlap, but
    the ink boxes of two digits share at most ``max_overlap`` of the smaller box (1 allows
    any overlap): places are redrawn until one fits, and a digit that finds no place after
    50 draws is left out of its scene.
    """
    scenes, masks, _, _ = _compose_scenes(images, labels, count, size=size, digits_per_scene=digits_per_scene,
                                          scale=scale, max_overlap=max_overlap, seed=seed)
    return scenes, masks


def digit_scenes_with_boxes(images, labels, count, *, size=64, digits_per_scene=(1, 3), scale=(0.8, 1.2),
                            max_overlap=0.25, seed=0):
    """Return ``(scenes, boxes, classes)``: the scenes of ``digit_scenes`` (same arguments,
    same seed, same pictures) with, per scene, a float32 array ``(digits, 4)`` of ink boxes
    ``(top, left, bottom, right)`` (bottom and right exclusive) and an int64 array of the
    digits' classes, in the order the digits were pasted."""
    scenes, _, boxes, classes = _compose_scenes(images, labels, count, size=size, digits_per_scene=digits_per_scene,
                                                scale=scale, max_overlap=max_overlap, seed=seed)
    return scenes, boxes, classes


def _compose_scenes(images, labels, count, *, size, digits_per_scene, scale, max_overlap, seed):
    images, labels = _check_digits(images, labels)
    height, width = _canvas_size(size)
    low, high = digits_per_scene
    if not 1 <= low <= high:
        raise ValueError(f"digits_per_scene must be (low, high) with 1 <= low <= high, got {digits_per_scene}")
    if not 0 <= max_overlap <= 1:
        raise ValueError(f"max_overlap is a share of a digit's box, in [0, 1]; got {max_overlap!r}")
    rng = np.random.default_rng(seed)
    scenes = np.zeros((count, height, width), np.float32)
    masks = np.zeros((count, height, width), np.uint8)
    all_boxes, all_classes = [], []
    for scene, mask in zip(scenes, masks):
        boxes, classes = [], []
        for index in rng.integers(0, len(images), size=rng.integers(low, high + 1)):
            ink = _scaled(images[index], rng.uniform(*scale))
            ink = ink[: height, : width]
            for _ in range(50):
                top = rng.integers(0, height - ink.shape[0] + 1)
                left = rng.integers(0, width - ink.shape[1] + 1)
                box = _ink_box(ink, top, left)
                if all(_box_overlap(box, other) <= max_overlap for other in boxes):
                    break
            else:
                continue
            boxes.append(box)
            classes.append(int(labels[index]))
            window = (slice(top, top + ink.shape[0]), slice(left, left + ink.shape[1]))
            scene[window] = np.maximum(scene[window], ink)
            mask[window][ink >= INK_THRESHOLD] = 1 + int(labels[index])
        all_boxes.append(np.array(boxes, np.float32).reshape(-1, 4))
        all_classes.append(np.array(classes, np.int64))
    return scenes, masks, all_boxes, all_classes


def digit_canvases(images, labels, count, *, size=64, clutter=0, seed=0):
    """Return ``(canvases, classes, boxes)``: float32 ``(count, H, W)`` in [0, 1], the
    digit class of each canvas, and each digit's ink box as ``(top, left, bottom, right)``
    (bottom and right exclusive).

    ``clutter`` fragments (8x8 pieces of other digits) are scattered outside the digit's
    box, so the class can only be read from the digit itself.
    """
    images, labels = _check_digits(images, labels)
    height, width = _canvas_size(size)
    if clutter < 0:
        raise ValueError(f"clutter must be a count >= 0, got {clutter}")
    rng = np.random.default_rng(seed)
    clutter_rng = np.random.default_rng([seed, 1])  # so clutter never moves the digits
    canvases = np.zeros((count, height, width), np.float32)
    picks = rng.integers(0, len(images), size=count)
    boxes = np.zeros((count, 4), np.int64)
    for canvas, box, index in zip(canvases, boxes, picks):
        ink = images[index].astype(np.float32) / 255.0
        top, left = rng.integers(0, height - 27), rng.integers(0, width - 27)
        canvas[top:top + 28, left:left + 28] = ink
        box[:] = _ink_box(ink, top, left)
        placed = 0
        for _ in range(50 * clutter):
            if placed == clutter:
                break
            source = images[clutter_rng.integers(0, len(images))].astype(np.float32) / 255.0
            r, c = clutter_rng.integers(4, 16, size=2)
            fragment = source[r:r + 8, c:c + 8]
            y, x = clutter_rng.integers(0, height - 7), clutter_rng.integers(0, width - 7)
            if y < box[2] and y + 8 > box[0] and x < box[3] and x + 8 > box[1]:
                continue  # would touch the digit
            canvas[y:y + 8, x:x + 8] = np.maximum(canvas[y:y + 8, x:x + 8], fragment)
            placed += 1
    return canvases, labels[picks], boxes
