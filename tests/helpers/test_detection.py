import numpy as np
import pytest

from dl4cv import data, detection, scenes


@pytest.fixture(scope="module")
def digits():
    images, labels, _ = data.load_mnist_sample()
    return images, labels


@pytest.fixture(scope="module")
def small_mnist(digits):
    images, labels = digits
    return (images[:600], labels[:600]), (images[600:], labels[600:])


def test_scenes_with_boxes_are_the_segmentation_scenes(digits):
    plain, masks = scenes.digit_scenes(*digits, 30, seed=5)
    boxed, boxes, classes = scenes.digit_scenes_with_boxes(*digits, 30, seed=5)
    assert np.array_equal(plain, boxed)
    assert len(boxes) == len(classes) == 30
    for scene, mask, scene_boxes, scene_classes in zip(boxed, masks, boxes, classes):
        assert scene_boxes.shape == (len(scene_classes), 4) and scene_boxes.dtype == np.float32
        assert scene_classes.dtype == np.int64 and set(scene_classes) >= set(np.unique(mask)[1:] - 1)
        for (top, left, bottom, right), label in zip(scene_boxes.astype(int), scene_classes):
            assert 0 <= top < bottom <= 64 and 0 <= left < right <= 64
            window = scene[top:bottom, left:right]
            assert window[0].max() >= scenes.INK_THRESHOLD and window[-1].max() >= scenes.INK_THRESHOLD, \
                "a box touches its digit's ink on every side"
            assert window[:, 0].max() >= scenes.INK_THRESHOLD and window[:, -1].max() >= scenes.INK_THRESHOLD


def test_detection_sets_keep_splits_apart(small_mnist):
    sets = detection.make_detection_sets(small_mnist, {"train": 20, "validation": 5, "test": 5},
                                         validation_digits=100, seed=2)
    assert {name: len(s) for name, s in sets.items()} == {"train": 20, "validation": 5, "test": 5}
    again = detection.make_detection_sets(small_mnist, {"train": 20, "validation": 5, "test": 5},
                                          validation_digits=100, seed=2)
    assert all(np.array_equal(sets[s].scenes, again[s].scenes) for s in sets)
    assert sets["train"].digit_count == sum(len(b) for b in sets["train"].boxes)
    scene, boxes, classes = sets["test"][0]
    assert scene.shape == (64, 64) and len(boxes) == len(classes)
    assert len(sets["train"][:3]) == 3


def test_test_scenes_use_only_test_digits(digits):
    images, labels = digits
    # Training digits all blank: test scenes must still hold ink, training scenes none.
    mnist = ((np.zeros_like(images[:300]), labels[:300]), (images[300:], labels[300:]))
    sets = detection.make_detection_sets(mnist, {"train": 5, "validation": 5, "test": 5}, validation_digits=50)
    assert sets["train"].scenes.max() == 0 and sets["validation"].scenes.max() == 0
    assert sets["test"].scenes.max() > 0


@pytest.mark.parametrize("counts, words", [
    ({"train": 5, "test": 5}, "exactly the splits"),
    ({"train": 5, "validation": 0, "test": 5}, "positive integer"),
])
def test_detection_sets_reject_bad_counts(small_mnist, counts, words):
    with pytest.raises(ValueError, match=words):
        detection.make_detection_sets(small_mnist, counts)


def test_coco_export_writes_xywh():
    coco = detection.to_coco([np.array([[10, 20, 30, 60]])], [np.array([7])])
    assert coco["annotations"] == [{"id": 1, "image_id": 0, "category_id": 7, "bbox": [20.0, 10.0, 40.0, 20.0],
                                    "area": 800.0, "iscrowd": 0}]
    assert [c["id"] for c in coco["categories"]] == list(range(10))
    results = detection.detections_to_coco([np.array([[0, 0, 4, 2]])], [np.array([0.5])], [np.array([3])])
    assert results == [{"image_id": 0, "category_id": 3, "score": 0.5, "bbox": [0.0, 0.0, 2.0, 4.0]}]


def test_coco_export_rejects_mismatched_lengths():
    with pytest.raises(ValueError, match="2 boxes but 1 classes"):
        detection.to_coco([np.zeros((2, 4))], [np.array([1])])
    with pytest.raises(ValueError, match=r"shape \(N, 4\)"):
        detection.to_coco([np.zeros((2, 3))], [np.array([1, 2])])


def test_coco_map_on_known_cases(capsys):
    truths = [np.array([[0, 0, 10, 10], [20, 20, 30, 30]]), np.array([[5, 5, 15, 15]])]
    classes = [np.array([1, 2]), np.array([1])]
    perfect, per_class = detection.coco_map(truths, classes, truths, [np.array([0.9, 0.8]), np.array([0.7])], classes)
    assert perfect == pytest.approx(1.0) and np.isnan(per_class[0]) and np.allclose(per_class[1:3], 1.0)
    # Class 1: one hit ranked below a false positive, one miss -> recall 0.5 at precision 0.5.
    detections = [np.array([[0, 0, 10, 10], [40, 40, 50, 50]]), np.zeros((0, 4))]
    score, per_class = detection.coco_map(truths, classes, detections, [np.array([0.5, 0.9]), np.zeros(0)],
                                          [np.array([1, 1]), np.zeros(0, int)])
    assert per_class[1] == pytest.approx(51 * 0.5 / 101) and per_class[2] == 0.0
    assert score == pytest.approx((51 * 0.5 / 101) / 2)
    assert capsys.readouterr().out == "", "pycocotools' printing is swallowed"
    _, _, (recall_points, precision) = detection.coco_map(truths, classes, detections, [np.array([0.5, 0.9]), np.zeros(0)],
                                                          [np.array([1, 1]), np.zeros(0, int)], curves=True)
    assert recall_points.shape == (101,) and precision.shape == (101, 10)
    assert np.allclose(precision[:51, 1], 0.5) and np.allclose(precision[51:, 1], 0) and np.isnan(precision[0, 0])


def test_coco_map_without_detections():
    score, per_class = detection.coco_map([np.array([[0, 0, 5, 5]])], [np.array([4])], [np.zeros((0, 4))],
                                          [np.zeros(0)], [np.zeros(0, int)])
    assert score == 0.0 and per_class[4] == 0.0 and np.isnan(per_class[3])


def test_crop_and_resize():
    image = np.arange(36, dtype=np.float32).reshape(6, 6)
    assert np.allclose(detection.crop_and_resize(image, [[0, 0, 6, 6]], 6)[0], image)
    assert np.allclose(detection.crop_and_resize(image, [[2, 2, 4, 4]], 2)[0], image[2:4, 2:4])
    assert detection.crop_and_resize(image, np.zeros((0, 4)), 5).shape == (0, 5, 5)
    outside = detection.crop_and_resize(image, [[-10, -10, -4, -4]], 3)
    assert np.allclose(outside, 0), "outside the image reads as 0"
    with pytest.raises(ValueError, match="2-D image"):
        detection.crop_and_resize(image[None], [[0, 0, 2, 2]])


def test_drawing_and_explorer_fallback(capsys):
    import matplotlib

    matplotlib.use("Agg")
    scene = np.zeros((64, 64), np.float32)
    boxes = np.array([[10, 10, 30, 30], [12, 12, 30, 30], [40, 40, 60, 50]], float)
    figure = detection.show_detections(scene[None], detections=[(boxes, np.array([0.9, 0.8, 0.4]), np.array([1, 1, 2]))],
                                       truths=[(boxes[:1], np.array([1]))], titles=["one"])
    assert len(figure.axes[0].patches) == 4
    calls = []

    def keep_first(b, s, c, iou):
        calls.append((len(b), iou))
        return np.array([0])

    kept = detection.filter_and_suppress(keep_first, boxes, [0.9, 0.8, 0.4], [1, 1, 2], 0.5, 0.3)
    assert calls == [(2, 0.3)] and np.array_equal(kept[0], boxes[:1])
    assert detection.detection_explorer(keep_first, scene, boxes, [0.9, 0.8, 0.4], [1, 1, 2], live=False) is None
    assert "static picture" in capsys.readouterr().out
    with pytest.raises(TypeError, match="nms function"):
        detection.detection_explorer(None, scene, boxes, [0.9, 0.8, 0.4], [1, 1, 2], live=False)
    with pytest.raises(ValueError, match="one score and one class per box"):
        detection.detection_explorer(keep_first, scene, boxes, [0.9], [1, 1, 2], live=False)


def test_the_helpers_hold_no_answers():
    names = set(dir(detection))
    for answer in ("iou", "nms", "non_max", "average_precision", "decode", "recall"):
        assert not any(answer in name.lower() for name in names), f"dl4cv.detection must not give away {answer!r}"
