import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from dl4cv import data, scenes, segmentation  # noqa: E402


@pytest.fixture(scope="module")
def mnist():
    """A stand-in for MNIST built from the shipped sample: 600 'training' and 400 'test' digits."""
    images, labels, _ = data.load_mnist_sample()
    return (images[:600], labels[:600]), (images[600:], labels[600:])


def test_scene_sets_have_the_requested_sizes_and_are_seeded(mnist):
    counts = {"train": 12, "validation": 5, "test": 7}
    sets = segmentation.make_scene_sets(mnist, counts, validation_digits=100, seed=2)
    again = segmentation.make_scene_sets(mnist, counts, validation_digits=100, seed=2)
    for split, count in counts.items():
        scenes_, masks = sets[split]
        assert scenes_.shape == (count, 64, 64) and masks.shape == (count, 64, 64)
        assert np.array_equal(scenes_, again[split][0]) and np.array_equal(masks, again[split][1])
    assert not np.array_equal(sets["train"][0][:5], sets["validation"][0])
    assert segmentation.WARM_UP not in sets


def test_warm_up_tiles_hold_one_training_digit(mnist):
    counts = {"train": 3, "validation": 3, "test": 3, segmentation.WARM_UP: 40}
    tiles, masks = segmentation.make_scene_sets(mnist, counts, validation_digits=100, seed=2)[segmentation.WARM_UP]
    assert tiles.shape == (40, 32, 32) and masks.shape == (40, 32, 32)
    assert all(len(set(np.unique(mask)) - {0}) == 1 for mask in masks), "one digit class per tile"


def test_no_digit_is_shared_between_splits(mnist, monkeypatch):
    (x_train, _), (x_test, _) = mnist
    used = {}

    def record(images, labels, count, **settings):
        used[len(used)] = np.asarray(labels)  # the digits' ids, see below
        return np.zeros((count, 64, 64), np.float32), np.zeros((count, 64, 64), np.uint8)

    monkeypatch.setattr(scenes, "digit_scenes", record)
    ids = ((x_train, np.arange(len(x_train))), (x_test, 1000 + np.arange(len(x_test))))
    segmentation.make_scene_sets(ids, {"train": 2, "validation": 2, "test": 2, segmentation.WARM_UP: 2},
                                 validation_digits=100)
    train, validation, test, warm_up = used[0], used[1], used[2], used[3]
    assert np.array_equal(warm_up, train)
    assert len(validation) == 100 and len(train) == 500
    assert not set(train) & set(validation)
    assert set(train) | set(validation) == set(range(600))
    assert set(test) == set(1000 + np.arange(len(x_test)))


def test_scene_sets_reject_bad_counts(mnist):
    with pytest.raises(ValueError, match="splits"):
        segmentation.make_scene_sets(mnist, {"train": 3, "test": 3})
    with pytest.raises(ValueError, match="splits"):
        segmentation.make_scene_sets(mnist, {"train": 3, "validation": 3, "test": 3, "tiles": 3})
    with pytest.raises(ValueError, match="positive integer"):
        segmentation.make_scene_sets(mnist, {"train": 3, "validation": 0, "test": 3})
    with pytest.raises(ValueError, match="validation_digits"):
        segmentation.make_scene_sets(mnist, {"train": 3, "validation": 3, "test": 3}, validation_digits=600)


def test_palette_gives_every_class_its_own_colour():
    assert segmentation.PALETTE.shape == (scenes.NUM_SEGMENT_CLASSES, 3)
    assert len({tuple(colour) for colour in segmentation.PALETTE}) == scenes.NUM_SEGMENT_CLASSES
    assert len(segmentation.CLASS_NAMES) == scenes.NUM_SEGMENT_CLASSES
    mask = np.array([[0, 1], [10, 3]], np.uint8)
    picture = segmentation.colorize(mask)
    assert picture.shape == (2, 2, 3)
    assert np.array_equal(picture[1, 0], segmentation.PALETTE[10])


def test_error_map_marks_exactly_the_wrong_pixels():
    truth = np.array([[0, 1, 1], [2, 2, 0]])
    prediction = np.array([[0, 1, 2], [2, 0, 0]])
    picture = segmentation.error_map(truth, prediction)
    red = np.all(picture == (1.0, 0.0, 0.0), axis=-1)
    assert np.array_equal(red, truth != prediction)


def test_masks_are_validated():
    with pytest.raises(ValueError, match="integer class ids"):
        segmentation.colorize(np.zeros((2, 2)))
    with pytest.raises(ValueError, match="0..10"):
        segmentation.colorize(np.full((2, 2), 11))
    with pytest.raises(ValueError, match="differ in shape"):
        segmentation.error_map(np.zeros((2, 2), int), np.zeros((2, 3), int))


def test_pictures_draw(mnist):
    sets = segmentation.make_scene_sets(mnist, {"train": 3, "validation": 3, "test": 3}, validation_digits=100)
    images, masks = sets["test"]
    segmentation.show_scenes(images, masks, columns=3)
    segmentation.show_segmentations(images, masks, masks[::-1], titles=["a", "b", "c"])
    ax = segmentation.plot_class_iou(np.r_[0.9, np.nan, np.linspace(0.1, 0.9, 9)], mean=0.5)
    assert len(ax.patches) == 11
    segmentation.plot_class_iou({"with": np.ones(11), "without": np.zeros(11)})
    with pytest.raises(ValueError, match="one IoU per class"):
        segmentation.plot_class_iou({"a": np.ones(11), "b": np.ones(10)})
    with pytest.raises(ValueError, match="titles"):
        segmentation.show_segmentations(images, masks, masks, titles=["a"])
    plt.close("all")
