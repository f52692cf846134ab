import numpy as np
import pytest

from dl4cv import data, xo


def test_untransformed_shapes_are_the_lecture_grids():
    assert np.array_equal(xo.draw(xo.X), data.lecture_matrix("x_straight"))
    assert np.array_equal(xo.draw(xo.O), data.lecture_matrix("o"))


def test_draw_moves_shrinks_and_turns():
    straight = xo.draw(xo.X)
    assert np.array_equal(xo.draw(xo.X, shift=(1, -1)), np.roll(straight, (1, -1), axis=(0, 1)))
    small = xo.draw(xo.X, scale=0.6)
    assert (small == xo.INK).sum() < (straight == xo.INK).sum()
    assert small[4, 4] == xo.INK, "a shrunk X still crosses at the centre"
    assert np.array_equal(xo.draw(xo.X, angle=90), straight), "an X turned by 90 degrees is the same X"
    assert not np.array_equal(xo.draw(xo.X, angle=15), straight)
    assert set(np.unique(xo.draw(xo.O, angle=10, scale=0.8))) == {xo.BACKGROUND, xo.INK}


def test_nudges_bend_strokes():
    nudges = np.zeros((xo.point_count(xo.X), 2))
    assert np.array_equal(xo.draw(xo.X, nudges=nudges), xo.draw(xo.X))
    nudges[1] = (0, 1)  # the crossing point of the first stroke moves one pixel right
    bent = xo.draw(xo.X, nudges=nudges)
    assert bent[4, 5] == xo.INK and not np.array_equal(bent, xo.draw(xo.X))


def test_dataset_is_seeded_balanced_and_well_formed():
    images, labels, kinds = xo.xo_dataset(100, seed=3)
    again = xo.xo_dataset(100, seed=3)
    assert np.array_equal(images, again[0]) and np.array_equal(labels, again[1])
    assert np.array_equal(kinds, again[2])
    assert not np.array_equal(images, xo.xo_dataset(100, seed=4)[0])
    assert images.shape == (100, 9, 9) and images.dtype == np.int8
    assert set(np.unique(images)) == {xo.BACKGROUND, xo.INK}
    assert labels.dtype == np.int64 and np.bincount(labels).tolist() == [50, 50]
    assert sorted(np.unique(kinds, return_counts=True)[1]) == [20] * 5
    assert np.all((images == xo.INK).sum(axis=(1, 2)) >= 8), "every grid holds a shape"


def test_each_variant_does_what_it_says():
    straight = {xo.X: xo.draw(xo.X), xo.O: xo.draw(xo.O)}
    images, labels, _ = xo.xo_dataset(40, seed=0, kinds="shifted")
    for image, label in zip(images, labels):
        moved = [np.array_equal(image, np.roll(straight[label], (r, c), axis=(0, 1)))
                 for r in (-1, 0, 1) for c in (-1, 0, 1) if (r, c) != (0, 0)]
        assert any(moved)
    for image in xo.xo_dataset(40, seed=0, kinds="shrunk")[0]:
        rows, columns = np.nonzero(image == xo.INK)
        assert np.ptp(rows) < 6 and np.ptp(columns) < 6, "the full-size shapes span 7 pixels"
    for kind in ("rotated", "deformed", "mixed"):
        images, labels, _ = xo.xo_dataset(40, seed=0, kinds=kind)
        changed = [not np.array_equal(image, straight[label]) for image, label in zip(images, labels)]
        assert np.mean(changed) > 0.8, kind


def test_bad_input_is_explained():
    with pytest.raises(ValueError, match="label must be 1"):
        xo.draw(2)
    with pytest.raises(ValueError, match="scale must be a positive"):
        xo.draw(xo.X, scale=0)
    with pytest.raises(ValueError, match=r"nudges must have shape \(6, 2\)"):
        xo.draw(xo.X, nudges=np.zeros((3, 2)))
    with pytest.raises(ValueError, match="count must be a positive integer"):
        xo.xo_dataset(0)
    with pytest.raises(ValueError, match="kinds must be"):
        xo.xo_dataset(10, kinds=("twisted",))
    with pytest.raises(ValueError, match="at least 9"):
        xo.xo_dataset(10, size=7)
