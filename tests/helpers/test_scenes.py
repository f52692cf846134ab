import numpy as np
import pytest

from dl4cv import data, scenes


@pytest.fixture(scope="module")
def digits():
    images, labels, _ = data.load_mnist_sample()
    return images, labels


def test_digit_scenes_are_seeded_and_labelled(digits):
    a, mask_a = scenes.digit_scenes(*digits, 20, seed=3)
    b, mask_b = scenes.digit_scenes(*digits, 20, seed=3)
    assert np.array_equal(a, b) and np.array_equal(mask_a, mask_b)
    assert a.shape == (20, 64, 64) and a.dtype == np.float32 and 0 <= a.min() and a.max() <= 1
    assert mask_a.max() < scenes.NUM_SEGMENT_CLASSES
    assert np.all(a[mask_a > 0] >= scenes.INK_THRESHOLD), "labelled pixels are ink"
    assert np.all(mask_a[a == 0] == 0), "empty pixels are background"
    assert not np.array_equal(a, scenes.digit_scenes(*digits, 20, seed=4)[0])


def test_a_single_unscaled_digit_scene_keeps_its_class(digits):
    images, labels = digits
    scene, mask = scenes.digit_scenes(images[:1], labels[:1], 1, size=28, digits_per_scene=(1, 1), scale=(1, 1))
    assert np.allclose(scene[0], images[0] / 255)
    assert set(np.unique(mask)) == {0, 1 + int(labels[0])}


def test_digit_boxes_overlap_at_most_as_asked(digits):
    images, labels = digits
    for max_overlap in (0.0, 0.25):
        _, masks = scenes.digit_scenes(images, labels, 60, digits_per_scene=(3, 3), max_overlap=max_overlap, seed=1)
        checked = 0
        for mask in masks:
            classes = set(np.unique(mask)) - {0}
            if len(classes) < 3:
                continue  # two digits of one class: the mask cannot tell their boxes apart
            checked += 1
            boxes = []
            for value in classes:
                rows, columns = np.nonzero(mask == value)
                boxes.append((rows.min(), columns.min(), rows.max() + 1, columns.max() + 1))
            for i, a in enumerate(boxes):
                for b in boxes[i + 1:]:
                    # Boxes of the visible ink: never more shared than the full boxes were allowed.
                    assert scenes._box_overlap(a, b) <= max_overlap + 1e-9
        assert checked >= 20
    crowded = scenes.digit_scenes(images, labels, 60, digits_per_scene=(3, 3), max_overlap=1.0, seed=1)[1]
    assert any(len(set(np.unique(mask)) - {0}) == 3 for mask in crowded)


def test_digit_canvases_boxes_hold_the_ink(digits):
    canvases, classes, boxes = scenes.digit_canvases(*digits, 30, size=64, seed=1)
    for canvas, (top, left, bottom, right) in zip(canvases, boxes):
        inside = np.zeros_like(canvas, bool)
        inside[top:bottom, left:right] = True
        assert canvas[inside].max() >= scenes.INK_THRESHOLD
        assert np.all(canvas[~inside] < scenes.INK_THRESHOLD)
    assert classes.shape == (30,)


def test_clutter_stays_outside_the_box(digits):
    clean, _, boxes = scenes.digit_canvases(*digits, 10, clutter=0, seed=5)
    cluttered, _, boxes_again = scenes.digit_canvases(*digits, 10, clutter=6, seed=5)
    assert np.array_equal(boxes, boxes_again)
    for a, b, (top, left, bottom, right) in zip(clean, cluttered, boxes):
        assert np.array_equal(a[top:bottom, left:right], b[top:bottom, left:right])
    assert (cluttered > clean).any()


def test_bad_input_is_explained(digits):
    with pytest.raises(ValueError, match=r"shape \(N, 28, 28\)"):
        scenes.digit_scenes(np.zeros((3, 32, 32)), np.zeros(3), 1)
    with pytest.raises(ValueError, match="at least 28x28"):
        scenes.digit_canvases(*digits, 1, size=20)
    with pytest.raises(ValueError, match="digits_per_scene"):
        scenes.digit_scenes(*digits, 1, digits_per_scene=(3, 1))
    with pytest.raises(ValueError, match="max_overlap"):
        scenes.digit_scenes(*digits, 1, max_overlap=1.5)
